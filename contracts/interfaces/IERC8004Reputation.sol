// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IERC8004Reputation
/// @notice The ERC-8004 (Trustless Agents) Reputation Registry interface: functions and events exactly as the
/// standard names them, so ERC-8004 tools read Civitas feedback unchanged.
/// @dev Rules from the specification: any client may give feedback about a registered agent except the
/// agent's owner and its approved operators; feedback indexes count from 1 per (agent, client); `value` is a
/// signed fixed-point number with `valueDecimals` decimals (0 to 18); tags are free strings, and an empty tag
/// in a filter matches every tag; only the client revokes its own feedback; anyone may append responses.
interface IERC8004Reputation {
    /// @notice Feedback was given (ERC-8004).
    /// @param agentId The agent (identity registry token id).
    /// @param clientAddress The client that gave it.
    /// @param feedbackIndex Its 1-based index among this client's feedback about this agent.
    /// @param value The signed fixed-point value.
    /// @param valueDecimals Decimals of `value` (0 to 18).
    /// @param indexedTag1 `tag1` (indexed: the topic is its keccak256).
    /// @param tag1 The first tag.
    /// @param tag2 The second tag.
    /// @param endpoint The agent endpoint the feedback is about (may be empty).
    /// @param feedbackURI Where the off-chain feedback file is (may be empty).
    /// @param feedbackHash The keccak256 of that file (zero when none).
    event NewFeedback(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        int128 value,
        uint8 valueDecimals,
        string indexed indexedTag1,
        string tag1,
        string tag2,
        string endpoint,
        string feedbackURI,
        bytes32 feedbackHash
    );

    /// @notice A client revoked one of its feedbacks (ERC-8004).
    /// @param agentId The agent.
    /// @param clientAddress The client (the caller).
    /// @param feedbackIndex The revoked feedback's index.
    event FeedbackRevoked(uint256 indexed agentId, address indexed clientAddress, uint64 indexed feedbackIndex);

    /// @notice A response was appended to a feedback (ERC-8004).
    /// @param agentId The agent.
    /// @param clientAddress The client whose feedback is answered.
    /// @param feedbackIndex The feedback's index.
    /// @param responder Who responded (the caller).
    /// @param responseURI Where the response is.
    /// @param responseHash The keccak256 of the response file (zero when none).
    event ResponseAppended(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        address indexed responder,
        string responseURI,
        bytes32 responseHash
    );

    /// @notice The identity registry whose agents this registry rates.
    function getIdentityRegistry() external view returns (address identityRegistry);

    /// @notice Gives feedback about `agentId` as the caller (the client).
    /// @param agentId A registered agent (not owned or operated by the caller).
    /// @param value The signed fixed-point value, |value| at most 1e38.
    /// @param valueDecimals Its decimals, at most 18.
    /// @param tag1 The first tag (free text; may be empty).
    /// @param tag2 The second tag (free text; may be empty).
    /// @param endpoint The endpoint the feedback is about (may be empty).
    /// @param feedbackURI Where the off-chain feedback file is (may be empty).
    /// @param feedbackHash The keccak256 of that file (zero when none).
    function giveFeedback(
        uint256 agentId,
        int128 value,
        uint8 valueDecimals,
        string calldata tag1,
        string calldata tag2,
        string calldata endpoint,
        string calldata feedbackURI,
        bytes32 feedbackHash
    ) external;

    /// @notice Revokes the caller's feedback `feedbackIndex` about `agentId`. It stays readable, marked revoked,
    /// and leaves the summaries.
    function revokeFeedback(uint256 agentId, uint64 feedbackIndex) external;

    /// @notice Appends a response (a refund proof, a rebuttal, a spam tag) to a feedback. Anyone may respond,
    /// any number of times, also to revoked feedback.
    function appendResponse(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        string calldata responseURI,
        bytes32 responseHash
    ) external;

    /// @notice The count and the average value of the non-revoked feedback about `agentId` from the given
    /// clients, filtered by tags (an empty tag matches every tag). Values are averaged at 18 decimals, then
    /// expressed with the decimals most of the counted feedback uses (the fewest on a tie).
    /// @param clientAddresses The clients to count (required: readers choose whom they trust).
    function getSummary(
        uint256 agentId,
        address[] calldata clientAddresses,
        string calldata tag1,
        string calldata tag2
    ) external view returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals);

    /// @notice One feedback.
    function readFeedback(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex
    ) external view returns (int128 value, uint8 valueDecimals, string memory tag1, string memory tag2, bool isRevoked);

    /// @notice Every feedback about `agentId` from the given clients (every client when the list is empty),
    /// filtered by tags (an empty tag matches every tag), in client then index order.
    function readAllFeedback(
        uint256 agentId,
        address[] calldata clientAddresses,
        string calldata tag1,
        string calldata tag2,
        bool includeRevoked
    )
        external
        view
        returns (
            address[] memory clients,
            uint64[] memory feedbackIndexes,
            int128[] memory values,
            uint8[] memory valueDecimals,
            string[] memory tag1s,
            string[] memory tag2s,
            bool[] memory revokedStatuses
        );

    /// @notice How many responses were appended: to one feedback, to all of a client's feedback
    /// (`feedbackIndex` 0), or to all feedback about the agent (`clientAddress` zero); from the given
    /// responders, or from anyone when the list is empty.
    function getResponseCount(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        address[] calldata responders
    ) external view returns (uint64 count);

    /// @notice Every client that gave feedback about `agentId`, in order of first feedback.
    function getClients(uint256 agentId) external view returns (address[] memory);

    /// @notice The index of `clientAddress`'s last feedback about `agentId` (0 when none).
    function getLastIndex(uint256 agentId, address clientAddress) external view returns (uint64);
}
