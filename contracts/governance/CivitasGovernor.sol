// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {ICivitasGovernor} from "../interfaces/ICivitasGovernor.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";

/// @title CivitasGovernor
/// @notice Token-and-stake voting over every rule of Civitas, executed through a TimelockController that holds
/// every privileged role of the system. Stock OpenZeppelin Governor (Tally-compatible) on the token's
/// timestamp clock (ERC-6372): voting power is token votes plus bonded-stake votes at the proposal snapshot,
/// and quorum is a fraction of circulating supply (total supply minus the Treasury) at the snapshot.
/// @dev Why quorum is on circulating supply and why stake votes are not added to it: see {ICivitasGovernor}
/// and docs/governance.md. Each proposal schedules a circulating-supply snapshot on the token at its vote
/// snapshot, so the governor must hold the token's `SNAPSHOT_ROLE`. The staking contract must never delegate the token votes of the tokens it holds,
/// or staked tokens would be counted twice (once as its token votes, once as stake votes).
contract CivitasGovernor is
    ICivitasGovernor,
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    using Checkpoints for Checkpoints.Trace208;

    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICivitasGovernor
    uint256 public constant MAX_VOTING_DELAY = 30 days;
    /// @inheritdoc ICivitasGovernor
    uint256 public constant MIN_VOTING_PERIOD = 1 days;
    /// @inheritdoc ICivitasGovernor
    uint256 public constant MAX_VOTING_PERIOD = 30 days;
    /// @inheritdoc ICivitasGovernor
    uint256 public constant MAX_PROPOSAL_THRESHOLD = 100_000 ether;
    /// @inheritdoc ICivitasGovernor
    uint256 public constant MIN_QUORUM_NUMERATOR = 1;
    /// @inheritdoc ICivitasGovernor
    uint256 public constant MAX_QUORUM_NUMERATOR = 50;
    /// @inheritdoc ICivitasGovernor
    uint256 public constant QUEUE_GRACE_PERIOD = 14 days;
    /// @inheritdoc ICivitasGovernor
    uint256 public constant MIN_QUORUM_FLOOR = 1_000 ether;
    /// @inheritdoc ICivitasGovernor
    uint256 public constant MAX_QUORUM_FLOOR = 1_000_000 ether;

    bytes32 private constant _TIMESTAMP_CLOCK_MODE_HASH = keccak256("mode=timestamp");

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    IERC5805 private immutable _stakeVotes;
    /// @dev The absolute quorum floor over time, in wei of votes, keyed by the clock of each change.
    Checkpoints.Trace208 private _quorumFloor;
    /// @dev Each proposer's latest proposal, for the one-live-proposal rule.
    mapping(address proposer => uint256) private _latestProposalId;
    /// @dev Whether a proposal's quorum was recorded ({ProposalQuorumRecorded}, with its first vote).
    mapping(uint256 proposalId => bool) private _quorumRecorded;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param token_ The CIV token (ERC-5805 votes on a timestamp clock, exposes `getPastCirculatingSupply`).
    /// @param stakeVotes_ The staking contract's ERC-5805 votes (bonded stake), on the same timestamp clock.
    /// @param timelock_ The TimelockController that executes proposals and holds every role.
    /// @param initialVotingDelay Seconds between a proposal and the start of its vote (default 1 day).
    /// @param initialVotingPeriod Seconds the vote lasts (default 5 days).
    /// @param initialProposalThreshold Votes needed to propose, in wei (default 500 CIV).
    /// @param initialQuorumNumerator Quorum in percent of circulating supply (default 4).
    /// @param initialQuorumFloor Lowest quorum in wei of votes, whatever circulating supply is (default 4,000 CIV).
    constructor(
        IERC5805 token_,
        IERC5805 stakeVotes_,
        TimelockController timelock_,
        uint48 initialVotingDelay,
        uint32 initialVotingPeriod,
        uint256 initialProposalThreshold,
        uint256 initialQuorumNumerator,
        uint256 initialQuorumFloor
    )
        Governor("CivitasGovernor")
        GovernorSettings(initialVotingDelay, initialVotingPeriod, initialProposalThreshold)
        GovernorVotes(IVotes(address(token_)))
        GovernorVotesQuorumFraction(initialQuorumNumerator)
        GovernorTimelockControl(timelock_)
    {
        _requireTimestampClock(address(token_), token_.CLOCK_MODE());
        _requireTimestampClock(address(stakeVotes_), stakeVotes_.CLOCK_MODE());
        _stakeVotes = stakeVotes_;
        _setQuorumFloor(initialQuorumFloor);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICivitasGovernor
    function stakeVotes() external view returns (IERC5805) {
        return _stakeVotes;
    }

    /// @inheritdoc ICivitasGovernor
    function quorumFloor(uint256 timepoint) public view returns (uint256) {
        return _quorumFloor.upperLookupRecent(SafeCast.toUint48(timepoint));
    }

    /// @inheritdoc ICivitasGovernor
    function latestProposalId(address proposer) external view returns (uint256) {
        return _latestProposalId[proposer];
    }

    /// @inheritdoc ICivitasGovernor
    function setQuorumFloor(uint256 newQuorumFloor) external onlyGovernance {
        _setQuorumFloor(newQuorumFloor);
    }

    /// @notice Quorum at `timepoint`: the larger of `quorumNumerator(timepoint)` percent of the token's
    /// circulating supply (total supply minus the Treasury's balance) at that timepoint, rounded down, and
    /// `quorumFloor(timepoint)`; in wei of votes.
    /// @dev Stake votes are not added: staked tokens are held by the staking contract, which is not the
    /// Treasury, so they are already in circulating supply. Exact at every proposal snapshot (each proposal
    /// schedules one on the token); at other timepoints the token returns its latest scheduled snapshot.
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        uint256 fraction = Math.mulDiv(
            ICivitasToken(address(token())).getPastCirculatingSupply(timepoint),
            quorumNumerator(timepoint),
            quorumDenominator()
        );
        return Math.max(fraction, quorumFloor(timepoint));
    }

    /// @notice The state of a proposal. As OpenZeppelin's, except that a proposal that succeeded but was not
    /// queued within {QUEUE_GRACE_PERIOD} seconds after its deadline is `Expired`.
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        ProposalState current = super.state(proposalId);
        if (current == ProposalState.Succeeded && clock() > proposalDeadline(proposalId) + QUEUE_GRACE_PERIOD) {
            return ProposalState.Expired;
        }
        return current;
    }

    /// @inheritdoc Governor
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @inheritdoc Governor
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @inheritdoc Governor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @inheritdoc Governor
    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Refuses a proposer whose previous proposal is still Pending or Active (one live proposal per
    /// proposer: proposal spam costs one threshold of votes per live proposal), then creates the proposal as
    /// OpenZeppelin does and asks the token to record circulating supply at the proposal's snapshot, which
    /// {quorum} reads once voting starts. Needs the token's `SNAPSHOT_ROLE`.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override returns (uint256 proposalId) {
        uint256 previous = _latestProposalId[proposer];
        if (previous != 0) {
            ProposalState previousState = state(previous);
            if (previousState == ProposalState.Pending || previousState == ProposalState.Active) {
                revert CivitasGovernorProposerHasLiveProposal(proposer, previous);
            }
        }
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        _latestProposalId[proposer] = proposalId;
        ICivitasToken(address(token())).scheduleCirculatingSnapshot(proposalSnapshot(proposalId));
    }

    /// @dev Token votes plus bonded-stake votes of `account` at `timepoint`, the latter only above the unearned
    /// CIV (grants) it had staked: a free grant is no power until it is earned, staked or not.
    function _getVotes(
        address account,
        uint256 timepoint,
        bytes memory params
    ) internal view override(Governor, GovernorVotes) returns (uint256) {
        uint256 stake = _stakeVotes.getPastVotes(account, timepoint);
        if (stake > 0) {
            uint256 unearned = ICivitasToken(address(token())).getPastUnearnedStake(account, timepoint);
            stake = unearned >= stake ? 0 : stake - unearned;
        }
        return super._getVotes(account, timepoint, params) + stake;
    }

    /// @dev After OpenZeppelin's tally update, on a proposal's first vote only: emits
    /// {ProposalQuorumRecorded} with its quorum at the snapshot (past while voting is Active, so final).
    function _tallyUpdated(uint256 proposalId) internal override {
        super._tallyUpdated(proposalId);
        if (!_quorumRecorded[proposalId]) {
            _quorumRecorded[proposalId] = true;
            emit ProposalQuorumRecorded(proposalId, quorum(proposalSnapshot(proposalId)));
        }
    }

    /// @dev Bounded: at most {MAX_VOTING_DELAY}.
    function _setVotingDelay(uint48 newVotingDelay) internal override {
        if (newVotingDelay > MAX_VOTING_DELAY) {
            revert CivitasGovernorVotingDelayOutOfBounds(newVotingDelay, MAX_VOTING_DELAY);
        }
        super._setVotingDelay(newVotingDelay);
    }

    /// @dev Bounded: within [{MIN_VOTING_PERIOD}, {MAX_VOTING_PERIOD}].
    function _setVotingPeriod(uint32 newVotingPeriod) internal override {
        if (newVotingPeriod < MIN_VOTING_PERIOD || newVotingPeriod > MAX_VOTING_PERIOD) {
            revert CivitasGovernorVotingPeriodOutOfBounds(newVotingPeriod, MIN_VOTING_PERIOD, MAX_VOTING_PERIOD);
        }
        super._setVotingPeriod(newVotingPeriod);
    }

    /// @dev Bounded: at most {MAX_PROPOSAL_THRESHOLD}.
    function _setProposalThreshold(uint256 newProposalThreshold) internal override {
        if (newProposalThreshold > MAX_PROPOSAL_THRESHOLD) {
            revert CivitasGovernorProposalThresholdTooHigh(newProposalThreshold, MAX_PROPOSAL_THRESHOLD);
        }
        super._setProposalThreshold(newProposalThreshold);
    }

    /// @dev Bounded: within [{MIN_QUORUM_NUMERATOR}, {MAX_QUORUM_NUMERATOR}] percent.
    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        if (newQuorumNumerator < MIN_QUORUM_NUMERATOR || newQuorumNumerator > MAX_QUORUM_NUMERATOR) {
            revert CivitasGovernorQuorumOutOfBounds(newQuorumNumerator, MIN_QUORUM_NUMERATOR, MAX_QUORUM_NUMERATOR);
        }
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }

    /// @dev Bounded: within [{MIN_QUORUM_FLOOR}, {MAX_QUORUM_FLOOR}]. Checkpointed, so a change never alters
    /// the quorum of a proposal whose snapshot is past.
    function _setQuorumFloor(uint256 newQuorumFloor) private {
        if (newQuorumFloor < MIN_QUORUM_FLOOR || newQuorumFloor > MAX_QUORUM_FLOOR) {
            revert CivitasGovernorQuorumFloorOutOfBounds(newQuorumFloor, MIN_QUORUM_FLOOR, MAX_QUORUM_FLOOR);
        }
        uint256 oldQuorumFloor = _quorumFloor.latest();
        _quorumFloor.push(clock(), SafeCast.toUint208(newQuorumFloor));
        emit QuorumFloorUpdated(oldQuorumFloor, newQuorumFloor);
    }

    /// @dev Reverts with {CivitasGovernorInvalidClock} unless `clockMode` is `mode=timestamp`.
    function _requireTimestampClock(address source, string memory clockMode) private pure {
        if (keccak256(bytes(clockMode)) != _TIMESTAMP_CLOCK_MODE_HASH) {
            revert CivitasGovernorInvalidClock(source, clockMode);
        }
    }
}
