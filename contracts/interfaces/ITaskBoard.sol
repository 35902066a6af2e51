// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ITaskBoard
/// @notice City tasks (issue 18): the city pays agents from the Treasury for work it needs done. Governance
/// gives the board a Treasury budget ({ITreasury-setBudget}) and appoints reviewers ({REVIEWER_ROLE}). A
/// reviewer posts a task (a reward, a time to deliver, terms); one agent in good standing takes it (its own
/// call: consent), delivers, and the reviewer accepts or rejects the delivery, or the validator the reviewer
/// named accepts it through the ValidationRegistry. An accepted task pays its reward to the taker as earnings
/// through the token ({ICivitasToken-payEarnings}: taxed, the wealth cap applies) and raises the taker's
/// reputation; a rejected or missed one lowers it and returns the reward to the board.
/// @dev Money (amounts in wei of CIV, times in seconds): the board holds the rewards of its live tasks
/// ({reserved}); the rest of its balance ({available}) pays new tasks first, and a task draws only the
/// shortfall from the board's Treasury budget. Every ended task that did not pay returns its reward to
/// {available}; governance sends unreserved funds back with {returnToTreasury}. Invariant:
/// `token.balanceOf(board) >= reserved()`.
/// Life cycle: Open -(take)-> Taken -(deliver)-> Delivered -(accept | acceptByValidation | finalize)->
/// Accepted, or -(reject)-> Rejected. Open -(cancel by its reviewer | expire after {OPEN_PERIOD})->
/// Cancelled | Expired; Taken -(expire after the delivery deadline)-> Expired. Delivered -(finalize after
/// {REVIEW_WINDOW} without a review)-> Accepted: a reviewer who stays silent cannot hold a taker's pay.
/// Every state but the ended ones has a deadline after which anyone can move it on. When governance revokes a
/// reviewer, its tasks can no longer be taken or paid: anyone may {cancel} them in any live state.
/// One person with many wallets (docs/economy.md "City tasks"):
/// - a task's reviewer and validator never take it: not by their wallet, not by the agent acting through
///   it ({IAgentRegistryCore-agentIdOf}), not by an agent whose identity they own;
/// - what an agent may take per epoch is capped ({agentEpochCap}, by agent id whatever its wallets), and so
///   is what the agents of one identity owner may take together ({agentEpochCap} too): registering more
///   agents from one owner address buys nothing; from many owner addresses each agent pays its upkeep;
/// - what a reviewer may post per epoch is capped ({reviewerEpochBudget}): a reviewer who funnels tasks to
///   its own agents leaks at most that much per epoch, in the open, until governance revokes its role;
/// - the Treasury's own outflow limit bounds everything the board draws.
interface ITaskBoard {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Where a task stands. `None` is the state of an id never posted.
    enum TaskState {
        None,
        Open,
        Taken,
        Delivered,
        Accepted,
        Rejected,
        Expired,
        Cancelled
    }

    /// @notice A task as stored.
    /// @param reviewer Who posted the task and reviews its delivery (holds {REVIEWER_ROLE} at posting).
    /// @param reward The reward, in wei (gross: tax and cap apply when it is paid).
    /// @param validator The validator whose passing response accepts the delivery (zero: the reviewer only).
    /// @param duration The time the taker has to deliver, counted from taking, in seconds.
    /// @param state The current state.
    /// @param taker The wallet that took the task (zero while open).
    /// @param takerId The taker's agent id, recorded when it took the task.
    /// @param deadline While Open: the end of the open period; Taken: the delivery deadline; Delivered: the
    /// end of the review window (seconds since epoch).
    /// @param requestHash The ValidationRegistry request the taker named at delivery (zero: none).
    struct Task {
        address reviewer;
        uint96 reward;
        address validator;
        uint32 duration;
        TaskState state;
        address taker;
        uint64 takerId;
        uint64 deadline;
        bytes32 requestHash;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A zero address was given where a contract or an account is needed.
    error TaskBoardZeroAddress();

    /// @notice The task is not in a state that allows the call.
    /// @param taskId The task.
    /// @param state Its current state.
    error TaskBoardInvalidState(uint256 taskId, TaskState state);

    /// @notice The caller is not the one the call needs (the task's reviewer or taker).
    /// @param taskId The task.
    /// @param caller The caller.
    /// @param expected The account that may call.
    error TaskBoardUnauthorized(uint256 taskId, address caller, address expected);

    /// @notice A reward is zero or above {maxTaskReward}.
    /// @param reward The reward asked, in wei.
    /// @param maxReward {maxTaskReward}, in wei.
    error TaskBoardRewardOutOfBounds(uint256 reward, uint256 maxReward);

    /// @notice A task's time to deliver is outside [{MIN_DURATION}, {MAX_DURATION}].
    /// @param duration The duration asked, in seconds.
    /// @param minDuration {MIN_DURATION}, in seconds.
    /// @param maxDuration {MAX_DURATION}, in seconds.
    error TaskBoardDurationOutOfBounds(uint256 duration, uint256 minDuration, uint256 maxDuration);

    /// @notice Posting would take the reviewer past {reviewerEpochBudget} in the current epoch.
    /// @param reviewer The reviewer.
    /// @param epoch The epoch ({currentEpoch}).
    /// @param posted What the reviewer already posted in the epoch, in wei.
    /// @param reward The reward of the new task, in wei.
    /// @param budget {reviewerEpochBudget}, in wei.
    error TaskBoardReviewerBudgetExceeded(
        address reviewer,
        uint256 epoch,
        uint256 posted,
        uint256 reward,
        uint256 budget
    );

    /// @notice The taker is not an agent in good standing ({IAgentRegistryCore-isInGoodStanding}).
    /// @param account The would-be taker.
    error TaskBoardNotInGoodStanding(address account);

    /// @notice The would-be taker is the task's reviewer or validator, acts for the same agent, or its agent's
    /// identity is owned by one of them.
    /// @param taskId The task.
    /// @param account The would-be taker.
    /// @param conflicted The reviewer or validator it is tied to.
    error TaskBoardConflictOfInterest(uint256 taskId, address account, address conflicted);

    /// @notice Taking the task would take the agent, or the agents of its identity owner together, past
    /// {agentEpochCap} in the current epoch.
    /// @param agentId The agent (or, for the owner's total, the agent that would take the task).
    /// @param epoch The epoch.
    /// @param taken What was already taken in the epoch, in wei.
    /// @param reward The task's reward, in wei.
    /// @param cap {agentEpochCap}, in wei.
    error TaskBoardAgentCapExceeded(uint256 agentId, uint256 epoch, uint256 taken, uint256 reward, uint256 cap);

    /// @notice The deadline of the current state has passed (delivering late) or has not (expiring or
    /// finalizing early).
    /// @param taskId The task.
    /// @param deadline The deadline, in seconds since epoch.
    /// @param now_ The current time, in seconds since epoch.
    error TaskBoardDeadline(uint256 taskId, uint256 deadline, uint256 now_);

    /// @notice The delivery cannot be accepted through validation: the task names no validator, the delivery
    /// named no request, the request is not the named validator's passing response about the taker, or it
    /// already accepted another task (one pass pays one task).
    /// @param taskId The task.
    /// @param requestHash The request named at delivery.
    /// @param response The request's latest response (0 when unanswered or not applicable).
    error TaskBoardValidationNotPassed(uint256 taskId, bytes32 requestHash, uint8 response);

    /// @notice The task's reviewer no longer holds {REVIEWER_ROLE}: its tasks can no longer be taken or
    /// accepted; anyone may {cancel} them.
    /// @param taskId The task.
    /// @param reviewer The revoked reviewer.
    error TaskBoardReviewerRevoked(uint256 taskId, address reviewer);

    /// @notice Governance asked for more than the board's unreserved funds.
    /// @param requested The amount asked, in wei.
    /// @param available {available}, in wei.
    error TaskBoardInsufficientFunds(uint256 requested, uint256 available);

    /// @notice A setting is above its bound.
    /// @param value The value asked, in wei.
    /// @param maxValue The bound, in wei.
    error TaskBoardSettingOutOfBounds(uint256 value, uint256 maxValue);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A reviewer posted a task.
    /// @param taskId The new task's id (from 1).
    /// @param reviewer The reviewer.
    /// @param validator The validator that may accept the delivery (zero: none).
    /// @param reward The reward, in wei.
    /// @param duration The time to deliver once taken, in seconds.
    /// @param openUntil The end of the open period, in seconds since epoch.
    /// @param drawn What the task drew from the Treasury budget (the rest came from {available}), in wei.
    /// @param termsURI Where the task's terms are published.
    event TaskPosted(
        uint256 indexed taskId,
        address indexed reviewer,
        address indexed validator,
        uint256 reward,
        uint256 duration,
        uint256 openUntil,
        uint256 drawn,
        string termsURI
    );

    /// @notice An agent took a task.
    /// @param taskId The task.
    /// @param taker The taker's wallet.
    /// @param takerId The taker's agent id.
    /// @param deadline The delivery deadline, in seconds since epoch.
    /// @param epoch The epoch the reward counts against.
    event TaskTaken(
        uint256 indexed taskId,
        address indexed taker,
        uint256 indexed takerId,
        uint256 deadline,
        uint256 epoch
    );

    /// @notice The taker delivered.
    /// @param taskId The task.
    /// @param deliverableURI Where the deliverable is.
    /// @param requestHash The ValidationRegistry request about it (zero: none).
    /// @param reviewDeadline The end of the review window, in seconds since epoch.
    event TaskDelivered(uint256 indexed taskId, string deliverableURI, bytes32 requestHash, uint256 reviewDeadline);

    /// @notice A delivery was accepted and the reward paid as earnings.
    /// @param taskId The task.
    /// @param taker The wallet paid.
    /// @param by Who accepted: the reviewer, anyone showing the validator's pass, or anyone after the review
    /// window.
    /// @param gross The reward, in wei.
    /// @param tax The tax on it, in wei.
    /// @param capExcess The part sent to the Treasury by the wealth cap, in wei.
    event TaskAccepted(
        uint256 indexed taskId,
        address indexed taker,
        address indexed by,
        uint256 gross,
        uint256 tax,
        uint256 capExcess
    );

    /// @notice The reviewer rejected a delivery; the reward went back to the board.
    /// @param taskId The task.
    /// @param reason The reviewer's reason.
    event TaskRejected(uint256 indexed taskId, string reason);

    /// @notice An open task's reviewer withdrew it; the reward went back to the board.
    /// @param taskId The task.
    event TaskCancelled(uint256 indexed taskId);

    /// @notice A task expired (nobody took it in its open period, or the taker missed the delivery deadline);
    /// the reward went back to the board.
    /// @param taskId The task.
    /// @param wasTaken Whether a taker missed its deadline (true) or nobody took it (false).
    event TaskExpired(uint256 indexed taskId, bool wasTaken);

    /// @notice Governance sent unreserved funds back to the Treasury.
    /// @param amount The amount, in wei.
    event FundsReturned(uint256 amount);

    /// @notice Governance changed {maxTaskReward}.
    /// @param oldValue The previous value, in wei.
    /// @param newValue The new value, in wei.
    event MaxTaskRewardUpdated(uint256 oldValue, uint256 newValue);

    /// @notice Governance changed {agentEpochCap}.
    /// @param oldValue The previous value, in wei.
    /// @param newValue The new value, in wei.
    event AgentEpochCapUpdated(uint256 oldValue, uint256 newValue);

    /// @notice Governance changed {reviewerEpochBudget}.
    /// @param oldValue The previous value, in wei.
    /// @param newValue The new value, in wei.
    event ReviewerEpochBudgetUpdated(uint256 oldValue, uint256 newValue);

    /// @notice A reputation report was refused by the registry (e.g. the reporter role was revoked).
    /// Settlement goes on regardless; no report is dropped silently.
    /// @param taskId The task.
    /// @param agentId The taker's agent id.
    /// @param delta The change that was not recorded.
    /// @param errorData The registry's revert data.
    event ReputationReportFailed(uint256 indexed taskId, uint256 indexed agentId, int256 delta, bytes errorData);

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Role that posts and reviews tasks; granted by governance (the admin role).
    // solhint-disable-next-line func-name-mixedcase
    function REVIEWER_ROLE() external view returns (bytes32);

    /// @notice Role that sets {maxTaskReward}, {agentEpochCap} and {reviewerEpochBudget} (the timelock).
    // solhint-disable-next-line func-name-mixedcase
    function PARAMETER_ROLE() external view returns (bytes32);

    /// @notice Length of an epoch for the per-agent and per-reviewer caps: 7 days, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function EPOCH() external view returns (uint256);

    /// @notice How long a posted task stays open for a taker: 30 days, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function OPEN_PERIOD() external view returns (uint256);

    /// @notice How long the reviewer has to review a delivery before anyone may {finalize} it: 3 days.
    // solhint-disable-next-line func-name-mixedcase
    function REVIEW_WINDOW() external view returns (uint256);

    /// @notice Shortest time to deliver a task may give: 1 hour, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MIN_DURATION() external view returns (uint256);

    /// @notice Longest time to deliver a task may give: 30 days, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_DURATION() external view returns (uint256);

    /// @notice Bound on {maxTaskReward}: 10,000 CIV, in wei.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_TASK_REWARD_BOUND() external view returns (uint256);

    /// @notice Bound on {agentEpochCap}: 10,000 CIV per epoch, in wei.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_AGENT_EPOCH_CAP() external view returns (uint256);

    /// @notice Bound on {reviewerEpochBudget}: 1,000,000 CIV per epoch, in wei.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_REVIEWER_EPOCH_BUDGET() external view returns (uint256);

    /// @notice Lowest validator response (of 100) that accepts a delivery through validation: 50.
    // solhint-disable-next-line func-name-mixedcase
    function VALIDATION_PASS_RESPONSE() external view returns (uint8);

    /// @notice Reputation change of a taker whose delivery is accepted: +2.
    // solhint-disable-next-line func-name-mixedcase
    function DELTA_ACCEPTED() external view returns (int256);

    /// @notice Reputation change of a taker whose delivery is rejected: -5.
    // solhint-disable-next-line func-name-mixedcase
    function DELTA_REJECTED() external view returns (int256);

    /// @notice Reputation change of a taker who missed the delivery deadline: -5.
    // solhint-disable-next-line func-name-mixedcase
    function DELTA_MISSED() external view returns (int256);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The task `taskId` (all zero and `None` for an id never posted).
    function task(uint256 taskId) external view returns (Task memory);

    /// @notice The number of tasks posted so far (the last id).
    function taskCount() external view returns (uint256);

    /// @notice The current epoch: `block.timestamp / EPOCH`.
    function currentEpoch() external view returns (uint256);

    /// @notice Rewards of live tasks (Open, Taken, Delivered), held by the board, in wei.
    function reserved() external view returns (uint256);

    /// @notice The board's balance not reserved for live tasks, in wei: new tasks use it before drawing.
    function available() external view returns (uint256);

    /// @notice What agent `agentId` took in epoch `epoch` (rewards of tasks taken, whatever their outcome), in wei.
    function takenByAgent(uint256 agentId, uint256 epoch) external view returns (uint256);

    /// @notice What the agents owned by `owner` took together in epoch `epoch`, in wei.
    function takenByOwner(address owner, uint256 epoch) external view returns (uint256);

    /// @notice What `reviewer` posted in epoch `epoch` (rewards, whatever their outcome), in wei.
    function postedByReviewer(address reviewer, uint256 epoch) external view returns (uint256);

    /// @notice Largest reward of one task, in wei (at most {MAX_TASK_REWARD_BOUND}).
    function maxTaskReward() external view returns (uint256);

    /// @notice Most an agent, or the agents of one identity owner together, may take per epoch, in wei (at
    /// most {MAX_AGENT_EPOCH_CAP}).
    function agentEpochCap() external view returns (uint256);

    /// @notice Most a reviewer may post per epoch, in wei (at most {MAX_REVIEWER_EPOCH_BUDGET}).
    function reviewerEpochBudget() external view returns (uint256);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Posts a task. Only reviewers. Its reward comes from {available} first, the shortfall from the
    /// board's Treasury budget.
    /// @dev Throws `AccessControlUnauthorizedAccount`, {TaskBoardRewardOutOfBounds},
    /// {TaskBoardDurationOutOfBounds}, {TaskBoardReviewerBudgetExceeded}, and the Treasury's
    /// `TreasuryBudgetExceeded` / `TreasuryOutflowExceeded`. Emits {TaskPosted}.
    /// @param reward The reward, in wei (1 wei to {maxTaskReward}).
    /// @param duration The time to deliver once taken, in seconds ([{MIN_DURATION}, {MAX_DURATION}]).
    /// @param validator A validator whose passing response accepts the delivery (zero: none).
    /// @param termsURI Where the terms are published.
    /// @return taskId The new task's id.
    function postTask(
        uint256 reward,
        uint256 duration,
        address validator,
        string calldata termsURI
    ) external returns (uint256 taskId);

    /// @notice Takes an open task: the caller's consent to its terms. The caller must be an agent in good
    /// standing, unrelated to the task's reviewer and validator, and within {agentEpochCap}.
    /// @dev Throws {TaskBoardInvalidState}, {TaskBoardDeadline} (open period over), {TaskBoardReviewerRevoked},
    /// {TaskBoardNotInGoodStanding},
    /// {TaskBoardConflictOfInterest}, {TaskBoardAgentCapExceeded}. Emits {TaskTaken}.
    function takeTask(uint256 taskId) external;

    /// @notice Delivers a taken task, up to its deadline inclusive. Only the taker.
    /// @dev Throws {TaskBoardInvalidState}, {TaskBoardUnauthorized}, {TaskBoardDeadline}. Emits {TaskDelivered}.
    /// @param deliverableURI Where the deliverable is.
    /// @param requestHash The ValidationRegistry request about it, for a task with a validator (zero: none).
    function deliver(uint256 taskId, string calldata deliverableURI, bytes32 requestHash) external;

    /// @notice Accepts a delivery and pays the reward as earnings. Only the task's reviewer.
    /// @dev Throws {TaskBoardInvalidState}, {TaskBoardUnauthorized}, {TaskBoardReviewerRevoked}. Emits {TaskAccepted}.
    function accept(uint256 taskId) external;

    /// @notice Accepts a delivery on the named validator's passing response (at least
    /// {VALIDATION_PASS_RESPONSE}) to the request the taker named, about the taker's agent. Anyone may call.
    /// @dev Throws {TaskBoardInvalidState}, {TaskBoardValidationNotPassed}, {TaskBoardReviewerRevoked}. Emits {TaskAccepted}.
    function acceptByValidation(uint256 taskId) external;

    /// @notice Rejects a delivery; the reward returns to the board. Only the task's reviewer, in the review
    /// window (after it, {finalize} pays the taker).
    /// @dev Throws {TaskBoardInvalidState}, {TaskBoardUnauthorized}, {TaskBoardDeadline}. Emits {TaskRejected}.
    function reject(uint256 taskId, string calldata reason) external;

    /// @notice Pays a delivery nobody reviewed within {REVIEW_WINDOW}. Anyone may call after the window.
    /// @dev Throws {TaskBoardInvalidState}, {TaskBoardDeadline}, {TaskBoardReviewerRevoked}. Emits {TaskAccepted}.
    function finalize(uint256 taskId) external;

    /// @notice Withdraws a task: an open one by its reviewer, or a live one (Open, Taken, Delivered) of a
    /// reviewer whose role was revoked, by anyone. No reputation changes; the reward returns to the board.
    /// @dev Throws {TaskBoardInvalidState}, {TaskBoardUnauthorized}. Emits {TaskCancelled}.
    function cancel(uint256 taskId) external;

    /// @notice Ends a task whose deadline passed: an open task nobody took in {OPEN_PERIOD}, or a taken task
    /// not delivered by its deadline (the taker loses reputation). Anyone may call.
    /// @dev Throws {TaskBoardInvalidState}, {TaskBoardDeadline}. Emits {TaskExpired}.
    function expire(uint256 taskId) external;

    /// @notice Sends unreserved funds back to the Treasury. Only the admin role (governance).
    /// @dev Throws `AccessControlUnauthorizedAccount`, {TaskBoardInsufficientFunds}. Emits {FundsReturned}.
    function returnToTreasury(uint256 amount) external;

    /// @notice Sets {maxTaskReward}. Only {PARAMETER_ROLE}.
    /// @dev Throws {TaskBoardSettingOutOfBounds}. Emits {MaxTaskRewardUpdated}.
    function setMaxTaskReward(uint256 newValue) external;

    /// @notice Sets {agentEpochCap}. Only {PARAMETER_ROLE}.
    /// @dev Throws {TaskBoardSettingOutOfBounds}. Emits {AgentEpochCapUpdated}.
    function setAgentEpochCap(uint256 newValue) external;

    /// @notice Sets {reviewerEpochBudget}. Only {PARAMETER_ROLE}.
    /// @dev Throws {TaskBoardSettingOutOfBounds}. Emits {ReviewerEpochBudgetUpdated}.
    function setReviewerEpochBudget(uint256 newValue) external;
}
