// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

/// @title ICivitasGovernor
/// @notice What the Civitas Governor adds to OpenZeppelin's {IGovernor}. The Governor itself keeps the stock
/// OpenZeppelin interface and events unchanged (Tally and other Governor tools read those); this interface
/// only declares the extra views, bounds, errors and events.
/// @dev Rules (see docs/governance.md):
/// - Voting power of an account at a timepoint = its token votes + its bonded-stake votes, both read at the
///   same ERC-6372 timestamp. The proposal threshold is checked against the same sum.
/// - Quorum at a timepoint = `quorumNumerator(timepoint)` % of the token's circulating supply at that
///   timepoint (total supply minus the Treasury's balance). Staked tokens sit in the staking contract, not
///   in the Treasury, so they are already part of circulating supply; stake votes are not added again.
///   Every proposal schedules a circulating-supply snapshot on the token at its vote snapshot
///   (`ICivitasToken.scheduleCirculatingSnapshot`), so the governor holds the token's `SNAPSHOT_ROLE`.
/// - A proposal that succeeded but was not queued within {QUEUE_GRACE_PERIOD} seconds after its deadline is
///   `Expired` and can no longer be queued.
/// - Quorum is never below an absolute floor ({quorumFloor}, a bounded governance setting), so a small
///   circulating supply (a fresh deployment) does not make quorum cheap.
/// - Each proposal's quorum is emitted once, with its first vote ({ProposalQuorumRecorded}).
/// - One live proposal per proposer: while a proposer's latest proposal is Pending or Active it cannot
///   propose again ({CivitasGovernorProposerHasLiveProposal}).
/// - Governor settings are bounded: voting delay at most {MAX_VOTING_DELAY}; voting period within
///   [{MIN_VOTING_PERIOD}, {MAX_VOTING_PERIOD}]; proposal threshold at most {MAX_PROPOSAL_THRESHOLD}; quorum
///   numerator within [{MIN_QUORUM_NUMERATOR}, {MAX_QUORUM_NUMERATOR}] percent.
/// Times are in seconds, amounts in wei (18 decimals).
interface ICivitasGovernor {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A votes source does not run on a timestamp clock (ERC-6372 `mode=timestamp`).
    /// @param source The token or stake-votes contract.
    /// @param clockMode The clock mode it reported.
    error CivitasGovernorInvalidClock(address source, string clockMode);

    /// @notice A voting delay above the maximum was set.
    /// @param votingDelay The rejected delay, in seconds.
    /// @param maxVotingDelay The maximum, in seconds ({MAX_VOTING_DELAY}).
    error CivitasGovernorVotingDelayOutOfBounds(uint256 votingDelay, uint256 maxVotingDelay);

    /// @notice A voting period outside its bounds was set.
    /// @param votingPeriod The rejected period, in seconds.
    /// @param minVotingPeriod The minimum, in seconds ({MIN_VOTING_PERIOD}).
    /// @param maxVotingPeriod The maximum, in seconds ({MAX_VOTING_PERIOD}).
    error CivitasGovernorVotingPeriodOutOfBounds(
        uint256 votingPeriod,
        uint256 minVotingPeriod,
        uint256 maxVotingPeriod
    );

    /// @notice A proposal threshold above the maximum was set.
    /// @param proposalThreshold The rejected threshold, in wei of votes.
    /// @param maxProposalThreshold The maximum, in wei of votes ({MAX_PROPOSAL_THRESHOLD}).
    error CivitasGovernorProposalThresholdTooHigh(uint256 proposalThreshold, uint256 maxProposalThreshold);

    /// @notice A quorum numerator outside its bounds was set.
    /// @param quorumNumerator The rejected numerator, in percent of circulating supply.
    /// @param minQuorumNumerator The minimum, in percent ({MIN_QUORUM_NUMERATOR}).
    /// @param maxQuorumNumerator The maximum, in percent ({MAX_QUORUM_NUMERATOR}).
    error CivitasGovernorQuorumOutOfBounds(
        uint256 quorumNumerator,
        uint256 minQuorumNumerator,
        uint256 maxQuorumNumerator
    );

    /// @notice A quorum floor outside its bounds was set.
    /// @param quorumFloor The rejected floor, in wei of votes.
    /// @param minQuorumFloor The minimum, in wei ({MIN_QUORUM_FLOOR}).
    /// @param maxQuorumFloor The maximum, in wei ({MAX_QUORUM_FLOOR}).
    error CivitasGovernorQuorumFloorOutOfBounds(uint256 quorumFloor, uint256 minQuorumFloor, uint256 maxQuorumFloor);

    /// @notice The proposer's previous proposal is still Pending or Active: one live proposal per proposer
    /// (issue 20, attack 2: proposals cannot be spammed cheaply).
    /// @param proposer The account proposing.
    /// @param proposalId Its live proposal.
    error CivitasGovernorProposerHasLiveProposal(address proposer, uint256 proposalId);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Governance changed the absolute quorum floor.
    /// @param oldQuorumFloor The previous floor, in wei of votes (0 at deployment).
    /// @param newQuorumFloor The new floor, in wei of votes.
    event QuorumFloorUpdated(uint256 oldQuorumFloor, uint256 newQuorumFloor);

    /// @notice A proposal's quorum, recorded with its first vote (the snapshot is then past, so the value is
    /// final): `quorum(proposalSnapshot(proposalId))`, the larger of the quorum fraction of circulating supply
    /// and the quorum floor at the snapshot. Emitted once per proposal, after its first {VoteCast} (or
    /// {VoteCastWithParams}), whatever that vote's weight. A proposal nobody voted on has no such event; its
    /// tally (0) is below any quorum, which is at least {MIN_QUORUM_FLOOR}. The indexer reads the quorum
    /// from here instead of re-deriving the Governor's formula and the token's snapshot rule (issue 11).
    /// @param proposalId The proposal.
    /// @param quorum Votes (for plus abstain) the proposal needs, in wei of votes.
    event ProposalQuorumRecorded(uint256 indexed proposalId, uint256 quorum);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The longest voting delay governance may set: 30 days, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_VOTING_DELAY() external view returns (uint256);

    /// @notice The shortest voting period governance may set: 1 day, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MIN_VOTING_PERIOD() external view returns (uint256);

    /// @notice The longest voting period governance may set: 30 days, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_VOTING_PERIOD() external view returns (uint256);

    /// @notice The highest proposal threshold governance may set: 100,000 CIV (1% of genesis supply), in wei.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_PROPOSAL_THRESHOLD() external view returns (uint256);

    /// @notice The lowest quorum numerator governance may set: 1 (percent of circulating supply).
    // solhint-disable-next-line func-name-mixedcase
    function MIN_QUORUM_NUMERATOR() external view returns (uint256);

    /// @notice The highest quorum numerator governance may set: 50 (percent of circulating supply).
    // solhint-disable-next-line func-name-mixedcase
    function MAX_QUORUM_NUMERATOR() external view returns (uint256);

    /// @notice How long after its voting deadline a succeeded proposal may still be queued: 14 days, in
    /// seconds. After that it is `Expired`.
    // solhint-disable-next-line func-name-mixedcase
    function QUEUE_GRACE_PERIOD() external view returns (uint256);

    /// @notice The lowest quorum floor governance may set: 1,000 CIV, in wei.
    // solhint-disable-next-line func-name-mixedcase
    function MIN_QUORUM_FLOOR() external view returns (uint256);

    /// @notice The highest quorum floor governance may set: 1,000,000 CIV (10% of genesis supply), in wei.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_QUORUM_FLOOR() external view returns (uint256);

    /// @notice The absolute quorum floor at `timepoint` (seconds), in wei of votes: quorum is never below it,
    /// however small circulating supply is (default 4,000 CIV).
    function quorumFloor(uint256 timepoint) external view returns (uint256);

    /// @notice `proposer`'s latest proposal id (0 when none). While it is Pending or Active, `proposer`
    /// cannot propose again.
    function latestProposalId(address proposer) external view returns (uint256);

    /// @notice Sets the absolute quorum floor, in wei of votes. Only governance (a proposal executed by the
    /// timelock). Takes effect for proposals whose snapshot is after the change.
    /// @dev Throws `GovernorOnlyExecutor`, {CivitasGovernorQuorumFloorOutOfBounds}. Emits {QuorumFloorUpdated}.
    function setQuorumFloor(uint256 newQuorumFloor) external;

    /// @notice The bonded-stake votes source (the staking contract, ERC-5805 on a timestamp clock).
    function stakeVotes() external view returns (IERC5805);
}
