// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IAuditorRegistry
/// @notice The auditor's review workflow on chain (issue 15). The indexer raises flags by rule as events
/// arrive (docs/auditor.md); auditors, appointed and removed by governance (OpenZeppelin's `grantRole` /
/// `revokeRole` of {AUDITOR_ROLE}, whose admin is the timelock), record a verdict on a flag: confirmed,
/// dismissed or escalated, with the URI of a note explaining it. An escalation is what the guardian (the
/// timelock's security council) acts on: it may veto a queued operation, or governance may suspend an agent.
/// A later verdict on the same flag supersedes the earlier one (an auditor may escalate a flag another
/// dismissed); every verdict stays in the event log.
///
/// Flag ids are derived from chain data alone, so that the indexer and this contract agree without either
/// reading the other: `flagId = keccak256(abi.encode(rule, transactionHash, logIndex))`, where `rule` is the
/// rule's name (e.g. `"sybil-burst"`) and `(transactionHash, logIndex)` identify the event that raised the
/// flag (the one that crossed the rule's threshold). See {flagIdOf}.
/// @dev Times in seconds. Nothing here moves funds or changes any other contract.
interface IAuditorRegistry {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice An auditor's verdict on a flag. `None` is never recorded: it means "not reviewed".
    enum Verdict {
        None,
        Confirmed,
        Dismissed,
        Escalated
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A verdict was recorded on the zero flag id (no rule derives it).
    error AuditorRegistryZeroFlag();

    /// @notice A verdict of `None` was recorded: a review must confirm, dismiss or escalate.
    /// @param verdict The rejected verdict.
    error AuditorRegistryInvalidVerdict(Verdict verdict);

    /// @notice A verdict was recorded without a note URI: every verdict cites the note explaining it.
    /// @param flagId The flag reviewed.
    error AuditorRegistryEmptyNote(bytes32 flagId);

    /// @notice The registry was deployed without a governance account.
    error AuditorRegistryZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An auditor recorded a verdict on a flag.
    /// @param flagId The flag ({flagIdOf}).
    /// @param auditor The auditor (holder of {AUDITOR_ROLE}).
    /// @param verdict Confirmed, Dismissed or Escalated.
    /// @param previous The verdict it supersedes (`None` for the first review).
    /// @param noteUri Where the auditor's note is (any URI: ipfs://, https://, data:).
    event VerdictRecorded(
        bytes32 indexed flagId,
        address indexed auditor,
        Verdict verdict,
        Verdict previous,
        string noteUri
    );

    /*//////////////////////////////////////////////////////////////
                                FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice The role of auditors: `keccak256("AUDITOR_ROLE")`. Its admin is `DEFAULT_ADMIN_ROLE`, held by
    /// the timelock, so governance appoints (`grantRole`) and removes (`revokeRole`) auditors by proposal.
    // solhint-disable-next-line func-name-mixedcase
    function AUDITOR_ROLE() external view returns (bytes32);

    /// @notice Records a verdict on a flag, superseding any earlier one. Only an auditor.
    /// Throws `AccessControlUnauthorizedAccount` (not an auditor), {AuditorRegistryZeroFlag},
    /// {AuditorRegistryInvalidVerdict} (`None`), {AuditorRegistryEmptyNote}. Emits {VerdictRecorded}.
    /// @param flagId The flag ({flagIdOf}), as the indexer lists it.
    /// @param verdict Confirmed, Dismissed or Escalated.
    /// @param noteUri The URI of the auditor's note (non-empty).
    function recordVerdict(bytes32 flagId, Verdict verdict, string calldata noteUri) external;

    /// @notice The latest verdict on a flag.
    /// @param flagId The flag.
    /// @return verdict The latest verdict (`None` when never reviewed).
    /// @return auditor Who recorded it (zero when never reviewed).
    /// @return recordedAt When, in Unix seconds (0 when never reviewed).
    function verdictOf(bytes32 flagId) external view returns (Verdict verdict, address auditor, uint64 recordedAt);

    /// @notice The id of the flag a rule raises on an event: `keccak256(abi.encode(rule, transactionHash,
    /// logIndex))`. The indexer derives the same id from the raising event.
    /// @param rule The rule's name, e.g. `"sybil-burst"` (docs/auditor.md).
    /// @param transactionHash The hash of the transaction that emitted the raising event.
    /// @param logIndex The raising event's log index within its block.
    function flagIdOf(string calldata rule, bytes32 transactionHash, uint256 logIndex) external pure returns (bytes32);
}
