// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IERC8004ValidationRegistry} from "../interfaces/IERC8004ValidationRegistry.sol";
import {ITaskBoard} from "../interfaces/ITaskBoard.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";

/// @title TaskBoard
/// @notice City tasks paid from the Treasury. See {ITaskBoard} for the money rules, the life cycle and the
/// defences against one person with many wallets; docs/economy.md for the reasoning and the figures.
/// @dev Must be a protocol account on the token (`payEarnings` allowed), hold a Treasury budget, and hold the
/// registry's reporter role (otherwise reports fail visibly with {ReputationReportFailed}).
contract TaskBoard is ITaskBoard, AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITaskBoard
    bytes32 public constant REVIEWER_ROLE = keccak256("REVIEWER_ROLE");
    /// @inheritdoc ITaskBoard
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    /// @inheritdoc ITaskBoard
    uint256 public constant EPOCH = 7 days;
    /// @inheritdoc ITaskBoard
    uint256 public constant OPEN_PERIOD = 30 days;
    /// @inheritdoc ITaskBoard
    uint256 public constant REVIEW_WINDOW = 3 days;
    /// @inheritdoc ITaskBoard
    uint256 public constant MIN_DURATION = 1 hours;
    /// @inheritdoc ITaskBoard
    uint256 public constant MAX_DURATION = 30 days;
    /// @inheritdoc ITaskBoard
    uint256 public constant MAX_TASK_REWARD_BOUND = 10_000e18;
    /// @inheritdoc ITaskBoard
    uint256 public constant MAX_AGENT_EPOCH_CAP = 10_000e18;
    /// @inheritdoc ITaskBoard
    uint256 public constant MAX_REVIEWER_EPOCH_BUDGET = 1_000_000e18;
    /// @inheritdoc ITaskBoard
    uint8 public constant VALIDATION_PASS_RESPONSE = 50;
    /// @inheritdoc ITaskBoard
    int256 public constant DELTA_ACCEPTED = 2;
    /// @inheritdoc ITaskBoard
    int256 public constant DELTA_REJECTED = -5;
    /// @inheritdoc ITaskBoard
    int256 public constant DELTA_MISSED = -5;

    bytes32 private constant REASON_ACCEPTED = "tasks.accepted";
    bytes32 private constant REASON_REJECTED = "tasks.rejected";
    bytes32 private constant REASON_MISSED = "tasks.missed";

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    ICivitasToken private immutable _token;
    ITreasury private immutable _treasury;
    IAgentRegistryCore private immutable _registry;
    IERC8004ValidationRegistry private immutable _validation;

    mapping(uint256 taskId => Task) private _tasks;
    uint256 private _taskCount;
    uint256 private _reserved;
    uint256 private _maxTaskReward;
    uint256 private _agentEpochCap;
    uint256 private _reviewerEpochBudget;
    mapping(uint256 agentId => mapping(uint256 epoch => uint256)) private _takenByAgent;
    mapping(address owner => mapping(uint256 epoch => uint256)) private _takenByOwner;
    mapping(address reviewer => mapping(uint256 epoch => uint256)) private _postedByReviewer;
    /// @dev Validation requests that already accepted a task: one pass pays one task.
    mapping(bytes32 requestHash => bool) private _usedRequests;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Governance: grants {REVIEWER_ROLE}, returns funds (the deploy hands it to the timelock).
    /// @param token_ The CIV token.
    /// @param treasury_ The Treasury the board draws its budget from.
    /// @param registry_ The agent registry (good standing, agent ids, identity owners, reputation).
    /// @param validation_ The ValidationRegistry ({acceptByValidation}).
    /// @param maxTaskReward_ Initial {maxTaskReward}, in wei.
    /// @param agentEpochCap_ Initial {agentEpochCap}, in wei.
    /// @param reviewerEpochBudget_ Initial {reviewerEpochBudget}, in wei.
    /// @param reviewers The first reviewers, appointed at deployment (governance appoints the rest).
    constructor(
        address admin,
        ICivitasToken token_,
        ITreasury treasury_,
        IAgentRegistryCore registry_,
        IERC8004ValidationRegistry validation_,
        uint256 maxTaskReward_,
        uint256 agentEpochCap_,
        uint256 reviewerEpochBudget_,
        address[] memory reviewers
    ) {
        if (
            admin == address(0) ||
            address(token_) == address(0) ||
            address(treasury_) == address(0) ||
            address(registry_) == address(0) ||
            address(validation_) == address(0)
        ) revert TaskBoardZeroAddress();
        _token = token_;
        _treasury = treasury_;
        _registry = registry_;
        _validation = validation_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        _setMaxTaskReward(maxTaskReward_);
        _setAgentEpochCap(agentEpochCap_);
        _setReviewerEpochBudget(reviewerEpochBudget_);
        for (uint256 i = 0; i < reviewers.length; ++i) {
            if (reviewers[i] == address(0)) revert TaskBoardZeroAddress();
            _grantRole(REVIEWER_ROLE, reviewers[i]);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITaskBoard
    function task(uint256 taskId) external view returns (Task memory) {
        return _tasks[taskId];
    }

    /// @inheritdoc ITaskBoard
    function taskCount() external view returns (uint256) {
        return _taskCount;
    }

    /// @inheritdoc ITaskBoard
    function currentEpoch() public view returns (uint256) {
        return block.timestamp / EPOCH;
    }

    /// @inheritdoc ITaskBoard
    function reserved() external view returns (uint256) {
        return _reserved;
    }

    /// @inheritdoc ITaskBoard
    function available() public view returns (uint256) {
        uint256 balance = IERC20(address(_token)).balanceOf(address(this));
        return balance > _reserved ? balance - _reserved : 0;
    }

    /// @inheritdoc ITaskBoard
    function takenByAgent(uint256 agentId, uint256 epoch) external view returns (uint256) {
        return _takenByAgent[agentId][epoch];
    }

    /// @inheritdoc ITaskBoard
    function takenByOwner(address owner, uint256 epoch) external view returns (uint256) {
        return _takenByOwner[owner][epoch];
    }

    /// @inheritdoc ITaskBoard
    function postedByReviewer(address reviewer, uint256 epoch) external view returns (uint256) {
        return _postedByReviewer[reviewer][epoch];
    }

    /// @inheritdoc ITaskBoard
    function maxTaskReward() external view returns (uint256) {
        return _maxTaskReward;
    }

    /// @inheritdoc ITaskBoard
    function agentEpochCap() external view returns (uint256) {
        return _agentEpochCap;
    }

    /// @inheritdoc ITaskBoard
    function reviewerEpochBudget() external view returns (uint256) {
        return _reviewerEpochBudget;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITaskBoard
    function postTask(
        uint256 reward,
        uint256 duration,
        address validator,
        string calldata termsURI
    ) external onlyRole(REVIEWER_ROLE) nonReentrant returns (uint256 taskId) {
        if (reward == 0 || reward > _maxTaskReward) revert TaskBoardRewardOutOfBounds(reward, _maxTaskReward);
        if (duration < MIN_DURATION || duration > MAX_DURATION) {
            revert TaskBoardDurationOutOfBounds(duration, MIN_DURATION, MAX_DURATION);
        }
        address reviewer = _msgSender();
        _chargeReviewer(reviewer, reward);
        uint256 drawn = _reserve(reward);

        taskId = ++_taskCount;
        uint256 openUntil = block.timestamp + OPEN_PERIOD;
        // Casts are exact: reward <= MAX_TASK_REWARD_BOUND < 2^96, duration <= MAX_DURATION < 2^32.
        _tasks[taskId] = Task({
            reviewer: reviewer,
            reward: uint96(reward),
            validator: validator,
            duration: uint32(duration),
            state: TaskState.Open,
            taker: address(0),
            takerId: 0,
            deadline: SafeCast.toUint64(openUntil),
            requestHash: bytes32(0)
        });
        emit TaskPosted(taskId, reviewer, validator, reward, duration, openUntil, drawn, termsURI);
    }

    /// @inheritdoc ITaskBoard
    function takeTask(uint256 taskId) external {
        Task storage t = _tasks[taskId];
        _requireState(taskId, t.state, TaskState.Open);
        if (block.timestamp > t.deadline) revert TaskBoardDeadline(taskId, t.deadline, block.timestamp);
        address reviewer = t.reviewer;
        if (!hasRole(REVIEWER_ROLE, reviewer)) revert TaskBoardReviewerRevoked(taskId, reviewer);
        address taker = _msgSender();
        if (!_registry.isInGoodStanding(taker)) revert TaskBoardNotInGoodStanding(taker);
        uint256 takerId = _registry.agentIdOf(taker);
        address owner = IERC721(address(_registry)).ownerOf(takerId);
        _checkUnrelated(taskId, taker, takerId, owner, reviewer);
        if (t.validator != address(0)) _checkUnrelated(taskId, taker, takerId, owner, t.validator);

        uint256 reward = t.reward;
        uint256 epoch = currentEpoch();
        uint256 cap = _agentEpochCap;
        uint256 byAgent = _takenByAgent[takerId][epoch];
        if (byAgent + reward > cap) revert TaskBoardAgentCapExceeded(takerId, epoch, byAgent, reward, cap);
        uint256 byOwner = _takenByOwner[owner][epoch];
        if (byOwner + reward > cap) revert TaskBoardAgentCapExceeded(takerId, epoch, byOwner, reward, cap);
        _takenByAgent[takerId][epoch] = byAgent + reward;
        _takenByOwner[owner][epoch] = byOwner + reward;

        uint256 deadline = block.timestamp + t.duration;
        t.state = TaskState.Taken;
        t.taker = taker;
        t.takerId = SafeCast.toUint64(takerId);
        t.deadline = SafeCast.toUint64(deadline);
        emit TaskTaken(taskId, taker, takerId, deadline, epoch);
    }

    /// @inheritdoc ITaskBoard
    function deliver(uint256 taskId, string calldata deliverableURI, bytes32 requestHash) external {
        Task storage t = _tasks[taskId];
        _requireState(taskId, t.state, TaskState.Taken);
        if (_msgSender() != t.taker) revert TaskBoardUnauthorized(taskId, _msgSender(), t.taker);
        if (block.timestamp > t.deadline) revert TaskBoardDeadline(taskId, t.deadline, block.timestamp);
        uint256 reviewDeadline = block.timestamp + REVIEW_WINDOW;
        t.state = TaskState.Delivered;
        t.deadline = SafeCast.toUint64(reviewDeadline);
        t.requestHash = requestHash;
        emit TaskDelivered(taskId, deliverableURI, requestHash, reviewDeadline);
    }

    /// @inheritdoc ITaskBoard
    function accept(uint256 taskId) external nonReentrant {
        Task storage t = _tasks[taskId];
        _requireState(taskId, t.state, TaskState.Delivered);
        _requireReviewer(taskId, t.reviewer);
        _pay(taskId, t);
    }

    /// @inheritdoc ITaskBoard
    function acceptByValidation(uint256 taskId) external nonReentrant {
        Task storage t = _tasks[taskId];
        _requireState(taskId, t.state, TaskState.Delivered);
        if (!hasRole(REVIEWER_ROLE, t.reviewer)) revert TaskBoardReviewerRevoked(taskId, t.reviewer);
        bytes32 requestHash = t.requestHash;
        if (t.validator == address(0) || requestHash == bytes32(0)) {
            revert TaskBoardValidationNotPassed(taskId, requestHash, 0);
        }
        (address validatorAddress, uint256 agentId, uint8 response, , , ) = _validation.getValidationStatus(
            requestHash
        );
        if (
            validatorAddress != t.validator ||
            agentId != t.takerId ||
            response < VALIDATION_PASS_RESPONSE ||
            _usedRequests[requestHash]
        ) revert TaskBoardValidationNotPassed(taskId, requestHash, response);
        _usedRequests[requestHash] = true;
        _pay(taskId, t);
    }

    /// @inheritdoc ITaskBoard
    function reject(uint256 taskId, string calldata reason) external {
        Task storage t = _tasks[taskId];
        _requireState(taskId, t.state, TaskState.Delivered);
        _requireReviewer(taskId, t.reviewer);
        if (block.timestamp > t.deadline) revert TaskBoardDeadline(taskId, t.deadline, block.timestamp);
        t.state = TaskState.Rejected;
        _release(t.reward);
        emit TaskRejected(taskId, reason);
        _report(taskId, t.takerId, DELTA_REJECTED, REASON_REJECTED);
    }

    /// @inheritdoc ITaskBoard
    function finalize(uint256 taskId) external nonReentrant {
        Task storage t = _tasks[taskId];
        _requireState(taskId, t.state, TaskState.Delivered);
        if (!hasRole(REVIEWER_ROLE, t.reviewer)) revert TaskBoardReviewerRevoked(taskId, t.reviewer);
        if (block.timestamp <= t.deadline) revert TaskBoardDeadline(taskId, t.deadline, block.timestamp);
        _pay(taskId, t);
    }

    /// @inheritdoc ITaskBoard
    function cancel(uint256 taskId) external {
        Task storage t = _tasks[taskId];
        TaskState state = t.state;
        address reviewer = t.reviewer;
        if (hasRole(REVIEWER_ROLE, reviewer) || state == TaskState.None) {
            _requireState(taskId, state, TaskState.Open);
            if (_msgSender() != reviewer) revert TaskBoardUnauthorized(taskId, _msgSender(), reviewer);
        } else if (state != TaskState.Open && state != TaskState.Taken && state != TaskState.Delivered) {
            revert TaskBoardInvalidState(taskId, state);
        }
        t.state = TaskState.Cancelled;
        _release(t.reward);
        emit TaskCancelled(taskId);
    }

    /// @inheritdoc ITaskBoard
    function expire(uint256 taskId) external {
        Task storage t = _tasks[taskId];
        TaskState state = t.state;
        if (state != TaskState.Open && state != TaskState.Taken) revert TaskBoardInvalidState(taskId, state);
        if (block.timestamp <= t.deadline) revert TaskBoardDeadline(taskId, t.deadline, block.timestamp);
        t.state = TaskState.Expired;
        _release(t.reward);
        bool wasTaken = state == TaskState.Taken;
        emit TaskExpired(taskId, wasTaken);
        if (wasTaken) _report(taskId, t.takerId, DELTA_MISSED, REASON_MISSED);
    }

    /// @inheritdoc ITaskBoard
    function returnToTreasury(uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 free = available();
        if (amount > free) revert TaskBoardInsufficientFunds(amount, free);
        IERC20(address(_token)).safeTransfer(address(_treasury), amount);
        emit FundsReturned(amount);
    }

    /// @inheritdoc ITaskBoard
    function setMaxTaskReward(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setMaxTaskReward(newValue);
    }

    /// @inheritdoc ITaskBoard
    function setAgentEpochCap(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setAgentEpochCap(newValue);
    }

    /// @inheritdoc ITaskBoard
    function setReviewerEpochBudget(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setReviewerEpochBudget(newValue);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Pays an accepted delivery: the reward leaves the reserve and goes to the taker as earnings.
    function _pay(uint256 taskId, Task storage t) private {
        t.state = TaskState.Accepted;
        uint256 reward = t.reward;
        _reserved -= reward;
        address taker = t.taker;
        (, uint256 tax, uint256 capExcess) = _token.payEarnings(taker, reward);
        emit TaskAccepted(taskId, taker, _msgSender(), reward, tax, capExcess);
        _report(taskId, t.takerId, DELTA_ACCEPTED, REASON_ACCEPTED);
    }

    /// @dev Counts `reward` against the reviewer's budget of the current epoch, reverting past it.
    function _chargeReviewer(address reviewer, uint256 reward) private {
        uint256 epoch = currentEpoch();
        uint256 posted = _postedByReviewer[reviewer][epoch];
        uint256 budget = _reviewerEpochBudget;
        if (posted + reward > budget) revert TaskBoardReviewerBudgetExceeded(reviewer, epoch, posted, reward, budget);
        _postedByReviewer[reviewer][epoch] = posted + reward;
    }

    /// @dev Reserves `reward` for a new task: unreserved funds first, the shortfall drawn from the Treasury.
    function _reserve(uint256 reward) private returns (uint256 drawn) {
        uint256 free = available();
        drawn = reward > free ? reward - free : 0;
        _reserved += reward;
        if (drawn > 0) _treasury.draw(IERC20(address(_token)), address(this), drawn);
    }

    /// @dev Returns an unpaid reward to the board's unreserved funds.
    function _release(uint256 reward) private {
        _reserved -= reward;
    }

    /// @dev Reverts unless the caller is the task's reviewer and still holds the role.
    function _requireReviewer(uint256 taskId, address reviewer) private view {
        if (_msgSender() != reviewer) revert TaskBoardUnauthorized(taskId, _msgSender(), reviewer);
        if (!hasRole(REVIEWER_ROLE, reviewer)) revert TaskBoardReviewerRevoked(taskId, reviewer);
    }

    function _requireState(uint256 taskId, TaskState state, TaskState expected) private pure {
        if (state != expected) revert TaskBoardInvalidState(taskId, state);
    }

    /// @dev Reverts when the taker is `party` (a reviewer or validator), acts for the same agent, or its
    /// agent's identity is owned by `party` or by the owner of `party`'s agent.
    function _checkUnrelated(
        uint256 taskId,
        address taker,
        uint256 takerId,
        address owner,
        address party
    ) private view {
        if (taker == party || owner == party) revert TaskBoardConflictOfInterest(taskId, taker, party);
        uint256 partyId = _registry.agentIdOf(party);
        if (partyId == 0) return;
        if (partyId == takerId || IERC721(address(_registry)).ownerOf(partyId) == owner) {
            revert TaskBoardConflictOfInterest(taskId, taker, party);
        }
    }

    /// @dev Writes reputation to the taker's agent id; a refusal by the registry is emitted, never blocking.
    function _report(uint256 taskId, uint256 agentId, int256 delta, bytes32 reason) private {
        try _registry.reportAgentReputation(agentId, delta, reason, taskId) returns (int256) {} catch (
            bytes memory err
        ) {
            emit ReputationReportFailed(taskId, agentId, delta, err);
        }
    }

    function _setMaxTaskReward(uint256 newValue) private {
        if (newValue > MAX_TASK_REWARD_BOUND) revert TaskBoardSettingOutOfBounds(newValue, MAX_TASK_REWARD_BOUND);
        uint256 oldValue = _maxTaskReward;
        _maxTaskReward = newValue;
        emit MaxTaskRewardUpdated(oldValue, newValue);
    }

    function _setAgentEpochCap(uint256 newValue) private {
        if (newValue > MAX_AGENT_EPOCH_CAP) revert TaskBoardSettingOutOfBounds(newValue, MAX_AGENT_EPOCH_CAP);
        uint256 oldValue = _agentEpochCap;
        _agentEpochCap = newValue;
        emit AgentEpochCapUpdated(oldValue, newValue);
    }

    function _setReviewerEpochBudget(uint256 newValue) private {
        if (newValue > MAX_REVIEWER_EPOCH_BUDGET) {
            revert TaskBoardSettingOutOfBounds(newValue, MAX_REVIEWER_EPOCH_BUDGET);
        }
        uint256 oldValue = _reviewerEpochBudget;
        _reviewerEpochBudget = newValue;
        emit ReviewerEpochBudgetUpdated(oldValue, newValue);
    }
}
