// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IReviewRewards
/// @notice Human rewards and attention (issue 17, bp-agents-2: "attention market, supply 1; rewards as
/// credits"). Governance (the timelock, admin) appoints and removes reviewers: people, holding
/// {REVIEWER_ROLE}. A reviewer scores an agent's delivered work, named by a reference (an escrow job, a city
/// task, or a hash of a URI); the review is recorded on chain and its score turns into CIV:
/// `reward = score * rewardPerPoint`, drawn from this contract's Treasury budget ({ITreasury-draw}, the
/// mechanism the TaskBoard uses) and paid to the agent's wallet as earnings ({ICivitasToken-payEarnings}:
/// taxed, the wealth cap applies). What an agent (and the agents of its identity owner together) receives
/// per epoch is capped ({agentEpochCap}), and so is what a reviewer awards per epoch ({reviewerEpochCap}).
/// Attention: a resource of supply 1 per epoch (the genesis resource "attention", non-transferable) sold
/// through the resource market. This contract is its provider: on first use it registers itself as an agent
/// (the "attention desk"; its upkeep is paid from its balance, the shortfall from its Treasury budget) and
/// {offerAttention} offers one unit per market epoch, paid to the Treasury. Once an epoch has cleared, anyone
/// records its winner ({recordAttentionWinner}); during the next epoch, reviews of that winner's work are
/// flagged {ReviewSubmitted}`.attention`: the winner's work is what reviewers look at next (docs/rewards.md).
/// @dev Epochs are the resource market's ({IResourceMarket-currentEpoch}): one clock for attention and caps.
/// Amounts in wei of CIV, scores in points out of {MAX_SCORE}.
/// One person with many wallets (docs/rewards.md "Attacks"):
/// - a reviewer never rewards its own wallet, the agent acting through it, an agent whose identity it owns,
///   or an agent owned by the owner of the reviewer's own agent ({ReviewRewardsConflictOfInterest}); a
///   reviewer's wallets that are bound to no agent and own none cannot be linked on chain: the caps bound
///   what it can leak per epoch, in the open, until governance removes it;
/// - a work is reviewed once, by anyone ({ReviewRewardsAlreadyReviewed}); an escrow job must be Completed
///   with the agent as its provider, a task Accepted with the agent as its taker; a hash is not verified on
///   chain (each such review still counts against both caps);
/// - a removed reviewer can no longer review (the role check).
interface IReviewRewards {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice What a review's reference names.
    /// @dev `Hash`: `ref` is a hash of the work (e.g. keccak256 of its URI), not verified on chain;
    /// `EscrowJob`: `ref` is an escrow id whose job is Completed with the agent as provider; `Task`: `ref` is
    /// a TaskBoard task id Accepted with the agent as taker.
    enum WorkKind {
        Hash,
        EscrowJob,
        Task
    }

    /// @notice A review as stored.
    /// @param reviewer Who reviewed (held {REVIEWER_ROLE} then).
    /// @param agentId The reviewed agent.
    /// @param score The score, 0 to {MAX_SCORE}.
    /// @param kind What `ref` names.
    /// @param epoch The market epoch of the review.
    /// @param reward The gross reward paid, in wei (`score * rewardPerPoint` at the time).
    /// @param ref The work's reference.
    struct Review {
        address reviewer;
        uint64 agentId;
        uint8 score;
        WorkKind kind;
        uint64 epoch;
        uint128 reward;
        bytes32 ref;
    }

    /// @notice Governance settings (constructor; each changes alone through its setter).
    /// @param rewardPerPoint Gross reward per score point, in wei.
    /// @param agentEpochCap Most an agent (or one owner's agents together) receives per epoch, in wei.
    /// @param reviewerEpochCap Most a reviewer awards per epoch, in wei.
    struct Settings {
        uint256 rewardPerPoint;
        uint256 agentEpochCap;
        uint256 reviewerEpochCap;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A zero address was given where a contract or an account is needed.
    error ReviewRewardsZeroAddress();

    /// @notice A score above {MAX_SCORE}.
    /// @param score The score given.
    /// @param maxScore {MAX_SCORE}.
    error ReviewRewardsScoreOutOfBounds(uint256 score, uint256 maxScore);

    /// @notice The agent has no wallet, or its wallet is not in good standing or acts for another agent.
    /// @param agentId The agent.
    /// @param wallet Its agent wallet (zero: none).
    error ReviewRewardsNotInGoodStanding(uint256 agentId, address wallet);

    /// @notice The reviewer is tied to the agent: it is its wallet or its identity owner, acts for it, or its
    /// own agent's identity owner owns the reviewed agent.
    /// @param reviewer The reviewer.
    /// @param agentId The reviewed agent.
    error ReviewRewardsConflictOfInterest(address reviewer, uint256 agentId);

    /// @notice The work was already reviewed.
    /// @param kind What `ref` names.
    /// @param ref The reference.
    /// @param reviewId The earlier review.
    error ReviewRewardsAlreadyReviewed(WorkKind kind, bytes32 ref, uint256 reviewId);

    /// @notice The reference is not the agent's delivered work: the escrow job is not Completed or its
    /// provider is another agent; the task is not Accepted or its taker is another agent; or the hash is zero.
    /// @param kind What `ref` names.
    /// @param ref The reference.
    /// @param agentId The reviewed agent.
    error ReviewRewardsWorkNotDelivered(WorkKind kind, bytes32 ref, uint256 agentId);

    /// @notice The reward would take the agent, or the agents of its identity owner together, past
    /// {agentEpochCap} in the epoch.
    /// @param agentId The agent.
    /// @param epoch The epoch.
    /// @param paid What the agent (or its owner's agents) already received in the epoch, in wei.
    /// @param reward The new reward, in wei.
    /// @param cap {agentEpochCap}, in wei.
    error ReviewRewardsAgentCapExceeded(uint256 agentId, uint256 epoch, uint256 paid, uint256 reward, uint256 cap);

    /// @notice The reward would take the reviewer past {reviewerEpochCap} in the epoch.
    /// @param reviewer The reviewer.
    /// @param epoch The epoch.
    /// @param awarded What the reviewer already awarded in the epoch, in wei.
    /// @param reward The new reward, in wei.
    /// @param cap {reviewerEpochCap}, in wei.
    error ReviewRewardsReviewerCapExceeded(
        address reviewer,
        uint256 epoch,
        uint256 awarded,
        uint256 reward,
        uint256 cap
    );

    /// @notice This contract's Treasury budget cannot pay the reward (or the attention desk's upkeep).
    /// Nothing is recorded or paid.
    /// @param requested The amount needed, in wei.
    /// @param budget The budget left ({ITreasury-budgetOf}), in wei.
    error ReviewRewardsBudgetExhausted(uint256 requested, uint256 budget);

    /// @notice Attention for this epoch was already offered.
    /// @param epoch The market epoch.
    /// @param offerId The earlier offer.
    error ReviewRewardsAttentionAlreadyOffered(uint256 epoch, uint256 offerId);

    /// @notice The bid is not a winning bid for attention: another resource, not cleared yet, or nothing filled.
    /// @param bidId The bid.
    error ReviewRewardsNotAttentionWinner(uint256 bidId);

    /// @notice The attention winner of the epoch was already recorded.
    /// @param epoch The market epoch.
    /// @param winner The recorded winner.
    error ReviewRewardsWinnerAlreadyRecorded(uint256 epoch, address winner);

    /// @notice The attention resource is not listed on the market, or its credits are transferable (constructor).
    /// @param resourceId The resource.
    error ReviewRewardsInvalidAttentionResource(uint256 resourceId);

    /// @notice An NFT other than the attention desk's identity (from the agent registry) was sent here.
    /// @param token The NFT contract that sent it.
    error ReviewRewardsUnexpectedToken(address token);

    /// @notice A setting above its bound.
    /// @param value The value asked, in wei.
    /// @param maxValue The bound, in wei.
    error ReviewRewardsSettingOutOfBounds(uint256 value, uint256 maxValue);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A reviewer reviewed an agent's work.
    /// @param reviewId The new review's id (from 1).
    /// @param reviewer The reviewer.
    /// @param agentId The reviewed agent.
    /// @param kind What `ref` names.
    /// @param ref The work's reference.
    /// @param score The score, 0 to {MAX_SCORE}.
    /// @param reward The gross reward, in wei (`score * rewardPerPoint`; 0 pays nothing).
    /// @param epoch The market epoch.
    /// @param attention Whether the agent is the attention winner of the previous epoch (the work reviewers
    /// look at next).
    /// @param uri Where the reviewer's notes are published.
    event ReviewSubmitted(
        uint256 indexed reviewId,
        address indexed reviewer,
        uint256 indexed agentId,
        WorkKind kind,
        bytes32 ref,
        uint256 score,
        uint256 reward,
        uint256 epoch,
        bool attention,
        string uri
    );

    /// @notice A review's reward was paid as earnings.
    /// @param reviewId The review.
    /// @param wallet The wallet paid.
    /// @param gross The reward, in wei.
    /// @param tax The tax on it, in wei.
    /// @param capExcess The part sent to the Treasury by the wealth cap, in wei.
    event RewardPaid(uint256 indexed reviewId, address indexed wallet, uint256 gross, uint256 tax, uint256 capExcess);

    /// @notice This contract registered itself as an agent (the attention desk) to offer attention.
    /// @param agentId Its agent id.
    event AttentionDeskRegistered(uint256 indexed agentId);

    /// @notice The attention desk's upkeep was paid, part of it drawn from the Treasury budget.
    /// @param agentId The desk's agent id.
    /// @param paid The upkeep (or debt) paid, in wei.
    /// @param drawn The part drawn from the Treasury budget, in wei.
    event AttentionUpkeepPaid(uint256 indexed agentId, uint256 paid, uint256 drawn);

    /// @notice One unit of attention was offered on the market for an epoch, paid to the Treasury.
    /// @param epoch The market epoch.
    /// @param offerId The market's offer id.
    event AttentionOffered(uint256 indexed epoch, uint256 indexed offerId);

    /// @notice The winner of an epoch's attention was recorded.
    /// @param epoch The market epoch the attention was sold for.
    /// @param bidId The winning bid.
    /// @param winner The bidder.
    /// @param agentId The winner's agent id (0: not an agent).
    /// @param price The clearing price, in wei per unit.
    event AttentionWinnerRecorded(
        uint256 indexed epoch,
        uint256 indexed bidId,
        address indexed winner,
        uint256 agentId,
        uint256 price
    );

    /// @notice Governance changed {rewardPerPoint}.
    /// @param oldValue The previous value, in wei per point.
    /// @param newValue The new value, in wei per point.
    event RewardPerPointUpdated(uint256 oldValue, uint256 newValue);

    /// @notice Governance changed {agentEpochCap}.
    /// @param oldValue The previous value, in wei.
    /// @param newValue The new value, in wei.
    event AgentEpochCapUpdated(uint256 oldValue, uint256 newValue);

    /// @notice Governance changed {reviewerEpochCap}.
    /// @param oldValue The previous value, in wei.
    /// @param newValue The new value, in wei.
    event ReviewerEpochCapUpdated(uint256 oldValue, uint256 newValue);

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Role of reviewers (people); granted and revoked by governance (the admin role).
    // solhint-disable-next-line func-name-mixedcase
    function REVIEWER_ROLE() external view returns (bytes32);

    /// @notice Role that sets {rewardPerPoint}, {agentEpochCap} and {reviewerEpochCap} (the timelock).
    // solhint-disable-next-line func-name-mixedcase
    function PARAMETER_ROLE() external view returns (bytes32);

    /// @notice Highest score: 100 points.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_SCORE() external view returns (uint8);

    /// @notice Bound on {rewardPerPoint}: 100 CIV per point, in wei.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_REWARD_PER_POINT() external view returns (uint256);

    /// @notice Bound on {agentEpochCap}: 10,000 CIV per epoch, in wei.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_AGENT_EPOCH_CAP() external view returns (uint256);

    /// @notice Bound on {reviewerEpochCap}: 100,000 CIV per epoch, in wei.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_REVIEWER_EPOCH_CAP() external view returns (uint256);

    /// @notice Capacity offered per epoch by the attention desk: 1 unit.
    // solhint-disable-next-line func-name-mixedcase
    function ATTENTION_SUPPLY() external view returns (uint256);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The resource id of attention on the ledger and market.
    function attentionResourceId() external view returns (uint256);

    /// @notice The attention desk's agent id (0 until the first {offerAttention}).
    function deskAgentId() external view returns (uint256);

    /// @notice The current epoch: the resource market's.
    function currentEpoch() external view returns (uint256);

    /// @notice The review `reviewId` (all zero for an id never used).
    function review(uint256 reviewId) external view returns (Review memory);

    /// @notice The number of reviews so far (the last id).
    function reviewCount() external view returns (uint256);

    /// @notice The review of a work (0: not reviewed).
    /// @param kind What `ref` names. @param ref The reference.
    function reviewOf(WorkKind kind, bytes32 ref) external view returns (uint256);

    /// @notice What agent `agentId` received in `epoch` (gross), in wei.
    function paidToAgent(uint256 agentId, uint256 epoch) external view returns (uint256);

    /// @notice What the agents owned by `owner` received together in `epoch` (gross), in wei.
    function paidToOwner(address owner, uint256 epoch) external view returns (uint256);

    /// @notice What `reviewer` awarded in `epoch` (gross), in wei.
    function awardedByReviewer(address reviewer, uint256 epoch) external view returns (uint256);

    /// @notice The market offer of attention for `epoch` (0: not offered).
    function attentionOffer(uint256 epoch) external view returns (uint256);

    /// @notice The recorded attention winner of `epoch` and its agent id (zeros: not recorded).
    function attentionWinner(uint256 epoch) external view returns (address winner, uint256 agentId);

    /// @notice Gross reward per score point, in wei (at most {MAX_REWARD_PER_POINT}).
    function rewardPerPoint() external view returns (uint256);

    /// @notice Most an agent, or the agents of one identity owner together, may receive per epoch, in wei.
    function agentEpochCap() external view returns (uint256);

    /// @notice Most a reviewer may award per epoch, in wei.
    function reviewerEpochCap() external view returns (uint256);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Reviews agent `agentId`'s work `ref` with `score` points and pays `score * rewardPerPoint`
    /// from the Treasury budget to the agent's wallet as earnings. Only reviewers.
    /// @dev Throws `AccessControlUnauthorizedAccount`, {ReviewRewardsScoreOutOfBounds},
    /// {ReviewRewardsNotInGoodStanding}, {ReviewRewardsConflictOfInterest}, {ReviewRewardsAlreadyReviewed},
    /// {ReviewRewardsWorkNotDelivered}, {ReviewRewardsAgentCapExceeded}, {ReviewRewardsReviewerCapExceeded},
    /// {ReviewRewardsBudgetExhausted}, and the Treasury's `TreasuryOutflowExceeded`. Emits {ReviewSubmitted}
    /// and, when the reward is not zero, {RewardPaid}.
    /// @param agentId The agent whose work is reviewed.
    /// @param kind What `ref` names.
    /// @param ref The work's reference (escrow id or task id as a number, or a hash).
    /// @param score The score, 0 to {MAX_SCORE}.
    /// @param uri Where the reviewer's notes are published.
    /// @return reviewId The new review's id.
    function submitReview(
        uint256 agentId,
        WorkKind kind,
        bytes32 ref,
        uint256 score,
        string calldata uri
    ) external returns (uint256 reviewId);

    /// @notice Offers one unit of attention for market epoch `epoch` (current or ahead, as the market allows),
    /// paid to the Treasury. Anyone may call, once per epoch. Registers the attention desk as an agent on first
    /// use and pays its upkeep due (or debt) first: its balance, then its Treasury budget.
    /// @dev Throws {ReviewRewardsAttentionAlreadyOffered}, {ReviewRewardsBudgetExhausted}, and the market's
    /// errors (`MarketEpochNotOpen`, `MarketNotInGoodStanding` when the desk is suspended). Emits
    /// {AttentionOffered} (and {AttentionDeskRegistered}, {AttentionUpkeepPaid}).
    /// @return offerId The market's offer id.
    function offerAttention(uint256 epoch) external returns (uint256 offerId);

    /// @notice Records the winner of an epoch's attention from its winning bid, once the market cleared it.
    /// Anyone may call.
    /// @dev Throws {ReviewRewardsNotAttentionWinner}, {ReviewRewardsWinnerAlreadyRecorded}, the market's
    /// `MarketUnknownId`. Emits {AttentionWinnerRecorded}.
    function recordAttentionWinner(uint256 bidId) external;

    /// @notice Sets {rewardPerPoint}. Only the parameter role. Throws {ReviewRewardsSettingOutOfBounds}.
    /// Emits {RewardPerPointUpdated}.
    function setRewardPerPoint(uint256 newValue) external;

    /// @notice Sets {agentEpochCap}. Only the parameter role. Throws {ReviewRewardsSettingOutOfBounds}.
    /// Emits {AgentEpochCapUpdated}.
    function setAgentEpochCap(uint256 newValue) external;

    /// @notice Sets {reviewerEpochCap}. Only the parameter role. Throws {ReviewRewardsSettingOutOfBounds}.
    /// Emits {ReviewerEpochCapUpdated}.
    function setReviewerEpochCap(uint256 newValue) external;
}
