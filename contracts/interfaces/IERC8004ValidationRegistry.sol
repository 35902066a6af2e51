// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IERC8004ValidationRegistry
/// @notice The Validation Registry of ERC-8004 (Trustless Agents), exactly as the standard and its reference
/// implementation (`erc-8004/erc-8004-contracts`, `ValidationRegistryUpgradeable.sol`) define it: an agent's
/// owner or operator asks a named validator to check some work (`requestHash` commits to the request, kept
/// off chain at `requestURI`); the validator answers with a response in [0, 100] (0 failed, 100 passed, or a
/// value in between), an optional evidence URI and hash, and a free tag. Readers aggregate responses by
/// agent, optionally filtered by validators and tag.
/// @dev Behaviour where the specification is silent follows the reference: request hashes are global and
/// single-use; a validator may respond any number of times to its request (each response replaces the
/// previous one and is emitted again, e.g. "soft" then "hard" finality); {getValidationStatus} of an unknown
/// hash reverts; {getSummary} counts only answered requests, an empty validator list or an empty tag meaning
/// "no filter". Errors are Civitas custom errors (the standard names none); see {IValidationRegistry}.
interface IERC8004ValidationRegistry {
    /// @notice A validation was requested.
    /// @param validatorAddress The validator asked to respond.
    /// @param agentId The agent whose work is to be validated (an id of the identity registry).
    /// @param requestURI Where the request's data lives (off chain).
    /// @param requestHash The request's commitment, its key in this registry.
    event ValidationRequest(
        address indexed validatorAddress,
        uint256 indexed agentId,
        string requestURI,
        bytes32 indexed requestHash
    );

    /// @notice A validator responded to a request (again, when it updates its response).
    /// @param validatorAddress The validator.
    /// @param agentId The agent validated.
    /// @param requestHash The request.
    /// @param response The response, in [0, 100].
    /// @param responseURI Where the evidence lives (off chain, optional).
    /// @param responseHash The evidence's commitment (optional).
    /// @param tag A free label (e.g. a validation kind or a finality stage).
    event ValidationResponse(
        address indexed validatorAddress,
        uint256 indexed agentId,
        bytes32 indexed requestHash,
        uint8 response,
        string responseURI,
        bytes32 responseHash,
        string tag
    );

    /// @notice The identity registry (ERC-721 agent ids) whose agents this registry validates.
    function getIdentityRegistry() external view returns (address);

    /// @notice Asks `validatorAddress` to validate agent `agentId`'s work described at `requestURI`.
    /// Only the agent's owner, an operator approved for all of the owner's tokens, or the address
    /// approved for this agent token (ERC-721 `ownerOf`, `isApprovedForAll`, `getApproved`).
    /// @dev Throws {IValidationRegistry.ValidationZeroValidator},
    /// {IValidationRegistry.ValidationRequestExists}, the identity registry's `ERC721NonexistentToken`
    /// for an unknown agent, {IValidationRegistry.ValidationNotAuthorized}. Emits {ValidationRequest}.
    /// @param validatorAddress The validator (any address but zero).
    /// @param agentId The agent.
    /// @param requestURI Where the request's data lives.
    /// @param requestHash The request's commitment; never used before in this registry.
    function validationRequest(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash
    ) external;

    /// @notice Answers request `requestHash`. Only its validator; may be called again to update.
    /// @dev Throws {IValidationRegistry.ValidationResponseOutOfRange},
    /// {IValidationRegistry.ValidationUnknownRequest}, {IValidationRegistry.ValidationNotValidator}.
    /// Emits {ValidationResponse}.
    /// @param requestHash The request.
    /// @param response The response, in [0, 100].
    /// @param responseURI Where the evidence lives (optional).
    /// @param responseHash The evidence's commitment (optional).
    /// @param tag A free label; the latest response's tag is the one stored.
    function validationResponse(
        bytes32 requestHash,
        uint8 response,
        string calldata responseURI,
        bytes32 responseHash,
        string calldata tag
    ) external;

    /// @notice The state of request `requestHash`: before any response, `response` is 0, `responseHash`
    /// zero and `tag` empty, and `lastUpdate` is the request's time.
    /// @dev Throws {IValidationRegistry.ValidationUnknownRequest}.
    /// @return validatorAddress The validator.
    /// @return agentId The agent.
    /// @return response The latest response, in [0, 100].
    /// @return responseHash The latest evidence commitment.
    /// @return tag The latest response's tag.
    /// @return lastUpdate When the request or its latest response was recorded, in seconds.
    function getValidationStatus(
        bytes32 requestHash
    )
        external
        view
        returns (
            address validatorAddress,
            uint256 agentId,
            uint8 response,
            bytes32 responseHash,
            string memory tag,
            uint256 lastUpdate
        );

    /// @notice The number of answered requests of agent `agentId` made to one of `validatorAddresses`
    /// (all validators when empty) whose latest tag is `tag` (any tag when empty), and their average
    /// response, rounded down (0 when there are none).
    /// @dev A view whose work grows with the agent's number of requests, as in the reference; only the
    /// agent's owner or operators can add requests to that list.
    function getSummary(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag
    ) external view returns (uint64 count, uint8 averageResponse);

    /// @notice The request hashes of agent `agentId`, in request order.
    function getAgentValidations(uint256 agentId) external view returns (bytes32[] memory requestHashes);

    /// @notice The request hashes addressed to `validatorAddress`, in request order.
    function getValidatorRequests(address validatorAddress) external view returns (bytes32[] memory requestHashes);
}
