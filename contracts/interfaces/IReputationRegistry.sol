// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC8004Reputation} from "./IERC8004Reputation.sol";

/// @title IReputationRegistry
/// @notice The Civitas ERC-8004 Reputation Registry: the standard's open feedback registry (any client, any
/// tag), plus one Civitas path: every reputation report the economy's reporters (escrow, staking) make to the
/// AgentRegistry also lands here as feedback whose client is the reporting contract, so that
/// `getSummary(agentId, [escrow], "civitas.escrow", "")` is the escrow-backed signal any ERC-8004 tool reads.
/// @dev Where the specification is silent this registry behaves as the reference implementation
/// (`erc-8004/erc-8004-contracts`, ReputationRegistryUpgradeable 2.0.0), with custom errors instead of
/// revert strings; deviations are listed in docs/registry.md "ERC-8004 conformance".
interface IReputationRegistry is IERC8004Reputation {
    /// @notice One of the feedbacks {recordEconomyFeedbackPair} records.
    /// @param agentId The agent reported about.
    /// @param value The applied change of the economic score.
    /// @param tag2 The report's reason (`escrow.completed`) as a left-aligned word: the tag is the word
    /// without its trailing zero bytes.
    struct EconomyFeedback {
        uint256 agentId;
        int128 value;
        bytes32 tag2;
    }

    /// @notice `valueDecimals` is above {MAX_VALUE_DECIMALS}.
    /// @param valueDecimals The rejected decimals.
    /// @param maxValueDecimals The maximum (18).
    error ReputationRegistryTooManyDecimals(uint8 valueDecimals, uint8 maxValueDecimals);

    /// @notice |value| is above {MAX_ABS_VALUE}.
    /// @param value The rejected value.
    /// @param maxAbsValue The maximum absolute value (1e38).
    error ReputationRegistryValueTooLarge(int128 value, int128 maxAbsValue);

    /// @notice The caller owns or operates the agent (ERC-8004: no self-feedback).
    /// @param agentId The agent.
    /// @param caller The owner or operator.
    error ReputationRegistrySelfFeedback(uint256 agentId, address caller);

    /// @notice Feedback indexes start at 1.
    error ReputationRegistryZeroIndex();

    /// @notice No feedback at this index from this client about this agent.
    /// @param agentId The agent.
    /// @param clientAddress The client.
    /// @param feedbackIndex The index asked for.
    /// @param lastIndex The client's last index about the agent.
    error ReputationRegistryIndexOutOfBounds(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        uint64 lastIndex
    );

    /// @notice The feedback is already revoked.
    /// @param agentId The agent.
    /// @param clientAddress The client.
    /// @param feedbackIndex The feedback's index.
    error ReputationRegistryAlreadyRevoked(uint256 agentId, address clientAddress, uint64 feedbackIndex);

    /// @notice A response needs a URI.
    error ReputationRegistryEmptyResponseURI();

    /// @notice {getSummary} needs the clients to count (ERC-8004: readers choose whom they trust).
    error ReputationRegistryClientsRequired();

    /// @notice Only the identity registry (the AgentRegistry) records the economy's feedback.
    /// @param caller The caller.
    error ReputationRegistryNotIdentityRegistry(address caller);

    /// @notice A zero address was given for the identity registry.
    error ReputationRegistryZeroAddress();

    /// @notice Records the economy's feedback: a reputation report that landed in the AgentRegistry, given by
    /// `clientAddress` (the reporting contract) with 0 decimals, no endpoint and no URI. Only the identity
    /// registry. Read and summarised like any other feedback; the client may revoke it like any other (the
    /// economy's reporters are contracts that never call {revokeFeedback}). Stored compact (a 32-bit entry
    /// beside the log's last index: value as int16, a code for the tag pair) when the value fits int16 and
    /// each tag is at most 32 bytes not ending in a zero byte; otherwise in full, as {giveFeedback} stores.
    /// @dev Throws {ReputationRegistryNotIdentityRegistry}. Emits `NewFeedback`.
    /// @param agentId The agent reported about.
    /// @param clientAddress The reporter (escrow, staking).
    /// @param value The applied change of the economic score.
    /// @param tag1 The reporter kind (`civitas.escrow`, `civitas.staking`).
    /// @param tag2 The report's reason (`escrow.completed`, a slash reason).
    /// @param feedbackHash The report's reference (escrow id, slash id) as bytes32.
    /// @return feedbackIndex The new feedback's index.
    function recordEconomyFeedback(
        uint256 agentId,
        address clientAddress,
        int128 value,
        string calldata tag1,
        string calldata tag2,
        bytes32 feedbackHash
    ) external returns (uint64 feedbackIndex);

    /// @notice Records one economy feedback with its tags given as words: exactly what {recordEconomyFeedback}
    /// records and emits for the tags the words spell (each word without its trailing zero bytes, so always at
    /// most 32 bytes and never ending in a zero byte), without building and re-reading the strings. Only the
    /// identity registry (its single reports).
    /// @dev Throws {ReputationRegistryNotIdentityRegistry}. Emits `NewFeedback`.
    /// @param clientAddress The reporter (escrow, staking).
    /// @param tag1 The reporter kind (`civitas.escrow`, `civitas.staking`) as a left-aligned word.
    /// @param feedback The agent, the applied change and the reason (`tag2`) as a word.
    /// @param feedbackHash The report's reference (escrow id, slash id) as bytes32.
    /// @return feedbackIndex The new feedback's index.
    function recordEconomyFeedbackWords(
        address clientAddress,
        bytes32 tag1,
        EconomyFeedback calldata feedback,
        bytes32 feedbackHash
    ) external returns (uint64 feedbackIndex);

    /// @notice Records two economy feedbacks from one reporter about one reference, in order: exactly what
    /// {recordEconomyFeedback} records and emits for `first`, then for `second`, each with `tag1` and its own
    /// `tag2` given as words (the tag is the word without its trailing zero bytes, so it is always at most 32
    /// bytes and never ends in a zero byte). Only the identity registry (its `reportAgentReputations`).
    /// @dev Throws {ReputationRegistryNotIdentityRegistry}. Emits `NewFeedback` twice.
    /// @param clientAddress The reporter (the escrow).
    /// @param tag1 The reporter kind (`civitas.escrow`) as a left-aligned word.
    /// @param first The first feedback.
    /// @param second The second feedback.
    /// @param feedbackHash The reports' reference (the escrow id) as bytes32.
    /// @return firstIndex The first feedback's index (in the (first agent, client) log).
    /// @return secondIndex The second feedback's index (in the (second agent, client) log).
    function recordEconomyFeedbackPair(
        address clientAddress,
        bytes32 tag1,
        EconomyFeedback calldata first,
        EconomyFeedback calldata second,
        bytes32 feedbackHash
    ) external returns (uint64 firstIndex, uint64 secondIndex);

    /// @notice The largest |value| accepted (1e38, as the reference implementation).
    function MAX_ABS_VALUE() external view returns (int128);

    /// @notice The most decimals accepted (18).
    function MAX_VALUE_DECIMALS() external view returns (uint8);
}
