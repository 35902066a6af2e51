// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IAgentRegistry} from "../interfaces/IAgentRegistry.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IEscrow} from "../interfaces/IEscrow.sol";
import {IResourceLedger} from "../interfaces/IResourceLedger.sol";
import {IResourceMarket} from "../interfaces/IResourceMarket.sol";
import {IReviewRewards} from "../interfaces/IReviewRewards.sol";
import {ITaskBoard} from "../interfaces/ITaskBoard.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";

/// @title ReviewRewards
/// @notice Reviewers (people appointed by governance) turn scores of agents' delivered work into CIV from a
/// Treasury budget; the attention desk sells one unit of reviewers' attention per epoch on the resource
/// market. See {IReviewRewards} and docs/rewards.md.
contract ReviewRewards is IReviewRewards, IERC721Receiver, AccessControl, ReentrancyGuard {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IReviewRewards
    bytes32 public constant REVIEWER_ROLE = keccak256("REVIEWER_ROLE");
    /// @inheritdoc IReviewRewards
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    /// @inheritdoc IReviewRewards
    uint8 public constant MAX_SCORE = 100;
    /// @inheritdoc IReviewRewards
    uint256 public constant MAX_REWARD_PER_POINT = 100e18;
    /// @inheritdoc IReviewRewards
    uint256 public constant MAX_AGENT_EPOCH_CAP = 10_000e18;
    /// @inheritdoc IReviewRewards
    uint256 public constant MAX_REVIEWER_EPOCH_CAP = 100_000e18;
    /// @inheritdoc IReviewRewards
    uint256 public constant ATTENTION_SUPPLY = 1;

    /// @dev The agent URI the attention desk registers with.
    string private constant DESK_URI = "civitas://attention-desk";

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    ICivitasToken private immutable _token;
    ITreasury private immutable _treasury;
    IAgentRegistry private immutable _registry;
    IResourceMarket private immutable _market;
    IEscrow private immutable _escrow;
    ITaskBoard private immutable _taskBoard;
    uint256 private immutable _attentionResourceId;

    uint256 private _rewardPerPoint;
    uint256 private _agentEpochCap;
    uint256 private _reviewerEpochCap;
    uint256 private _deskAgentId;
    uint256 private _reviewCount;

    mapping(uint256 reviewId => Review) private _reviews;
    mapping(WorkKind kind => mapping(bytes32 ref => uint256 reviewId)) private _reviewOf;
    mapping(uint256 agentId => mapping(uint256 epoch => uint256 paid)) private _paidToAgent;
    mapping(address owner => mapping(uint256 epoch => uint256 paid)) private _paidToOwner;
    mapping(address reviewer => mapping(uint256 epoch => uint256 awarded)) private _awardedByReviewer;
    mapping(uint256 epoch => uint256 offerId) private _attentionOffer;
    mapping(uint256 epoch => address winner) private _winner;
    mapping(uint256 epoch => uint256 agentId) private _winnerAgent;

    /// @param admin Receives DEFAULT_ADMIN_ROLE (appoints reviewers) and PARAMETER_ROLE (the deployer, which
    /// hands both to the timelock).
    /// @param token The CIV token (this contract must be a protocol account on it to pay earnings).
    /// @param treasury The Treasury whose budget pays rewards and the desk's upkeep.
    /// @param registry The agent registry.
    /// @param market The resource market selling attention.
    /// @param escrow The escrow whose Completed jobs may be reviewed.
    /// @param taskBoard The task board whose Accepted tasks may be reviewed.
    /// @param attentionResourceId_ The attention resource: listed on the market, non-transferable.
    /// @param settings Initial {rewardPerPoint}, {agentEpochCap} and {reviewerEpochCap}, in wei.
    /// @param reviewers Reviewers appointed at deployment.
    constructor(
        address admin,
        ICivitasToken token,
        ITreasury treasury,
        IAgentRegistry registry,
        IResourceMarket market,
        IEscrow escrow,
        ITaskBoard taskBoard,
        uint256 attentionResourceId_,
        Settings memory settings,
        address[] memory reviewers
    ) {
        if (
            admin == address(0) ||
            address(token) == address(0) ||
            address(treasury) == address(0) ||
            address(registry) == address(0) ||
            address(market) == address(0) ||
            address(escrow) == address(0) ||
            address(taskBoard) == address(0)
        ) revert ReviewRewardsZeroAddress();
        if (
            !market.listingOf(attentionResourceId_).listed ||
            IResourceLedger(market.ledger()).policyOf(attentionResourceId_).transferable
        ) revert ReviewRewardsInvalidAttentionResource(attentionResourceId_);
        _token = token;
        _treasury = treasury;
        _registry = registry;
        _market = market;
        _escrow = escrow;
        _taskBoard = taskBoard;
        _attentionResourceId = attentionResourceId_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        _setRewardPerPoint(settings.rewardPerPoint);
        _setAgentEpochCap(settings.agentEpochCap);
        _setReviewerEpochCap(settings.reviewerEpochCap);
        for (uint256 i = 0; i < reviewers.length; ++i) {
            if (reviewers[i] == address(0)) revert ReviewRewardsZeroAddress();
            _grantRole(REVIEWER_ROLE, reviewers[i]);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IReviewRewards
    function attentionResourceId() external view returns (uint256) {
        return _attentionResourceId;
    }

    /// @inheritdoc IReviewRewards
    function deskAgentId() external view returns (uint256) {
        return _deskAgentId;
    }

    /// @inheritdoc IReviewRewards
    function currentEpoch() public view returns (uint256) {
        return _market.currentEpoch();
    }

    /// @inheritdoc IReviewRewards
    function review(uint256 reviewId) external view returns (Review memory) {
        return _reviews[reviewId];
    }

    /// @inheritdoc IReviewRewards
    function reviewCount() external view returns (uint256) {
        return _reviewCount;
    }

    /// @inheritdoc IReviewRewards
    function reviewOf(WorkKind kind, bytes32 ref) external view returns (uint256) {
        return _reviewOf[kind][ref];
    }

    /// @inheritdoc IReviewRewards
    function paidToAgent(uint256 agentId, uint256 epoch) external view returns (uint256) {
        return _paidToAgent[agentId][epoch];
    }

    /// @inheritdoc IReviewRewards
    function paidToOwner(address owner, uint256 epoch) external view returns (uint256) {
        return _paidToOwner[owner][epoch];
    }

    /// @inheritdoc IReviewRewards
    function awardedByReviewer(address reviewer, uint256 epoch) external view returns (uint256) {
        return _awardedByReviewer[reviewer][epoch];
    }

    /// @inheritdoc IReviewRewards
    function attentionOffer(uint256 epoch) external view returns (uint256) {
        return _attentionOffer[epoch];
    }

    /// @inheritdoc IReviewRewards
    function attentionWinner(uint256 epoch) external view returns (address winner, uint256 agentId) {
        return (_winner[epoch], _winnerAgent[epoch]);
    }

    /// @inheritdoc IReviewRewards
    function rewardPerPoint() external view returns (uint256) {
        return _rewardPerPoint;
    }

    /// @inheritdoc IReviewRewards
    function agentEpochCap() external view returns (uint256) {
        return _agentEpochCap;
    }

    /// @inheritdoc IReviewRewards
    function reviewerEpochCap() external view returns (uint256) {
        return _reviewerEpochCap;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IReviewRewards
    function submitReview(
        uint256 agentId,
        WorkKind kind,
        bytes32 ref,
        uint256 score,
        string calldata uri
    ) external onlyRole(REVIEWER_ROLE) nonReentrant returns (uint256 reviewId) {
        if (score > MAX_SCORE) revert ReviewRewardsScoreOutOfBounds(score, MAX_SCORE);
        address wallet = _registry.getAgentWallet(agentId);
        if (wallet == address(0) || _registry.agentIdOf(wallet) != agentId || !_registry.isInGoodStanding(wallet)) {
            revert ReviewRewardsNotInGoodStanding(agentId, wallet);
        }
        address owner = IERC721(address(_registry)).ownerOf(agentId);
        _checkUnrelated(_msgSender(), agentId, wallet, owner);
        uint256 earlier = _reviewOf[kind][ref];
        if (earlier != 0) revert ReviewRewardsAlreadyReviewed(kind, ref, earlier);
        _checkDelivered(agentId, kind, ref);

        // Casts are exact: agentId is a registry id (< 2^64), score <= 100, reward <= 100 * 100 CIV.
        Review memory r = Review({
            reviewer: _msgSender(),
            agentId: SafeCast.toUint64(agentId),
            score: uint8(score),
            kind: kind,
            epoch: SafeCast.toUint64(currentEpoch()),
            reward: uint128(score * _rewardPerPoint),
            ref: ref
        });
        if (r.reward > 0) {
            uint256 budget = _treasury.budgetOf(address(this), IERC20(address(_token)));
            if (r.reward > budget) revert ReviewRewardsBudgetExhausted(r.reward, budget);
        }
        _charge(r.reviewer, agentId, owner, r.epoch, r.reward);

        reviewId = ++_reviewCount;
        _reviewOf[kind][ref] = reviewId;
        _reviews[reviewId] = r;
        _emitSubmitted(reviewId, r, uri);
        if (r.reward > 0) {
            _treasury.draw(IERC20(address(_token)), address(this), r.reward);
            (, uint256 tax, uint256 capExcess) = _token.payEarnings(wallet, r.reward);
            emit RewardPaid(reviewId, wallet, r.reward, tax, capExcess);
        }
    }

    /// @inheritdoc IReviewRewards
    function offerAttention(uint256 epoch) external nonReentrant returns (uint256 offerId) {
        uint256 earlier = _attentionOffer[epoch];
        if (earlier != 0) revert ReviewRewardsAttentionAlreadyOffered(epoch, earlier);
        _keepDeskInStanding();
        offerId = _market.offer(_attentionResourceId, epoch, ATTENTION_SUPPLY, address(_treasury));
        _attentionOffer[epoch] = offerId;
        emit AttentionOffered(epoch, offerId);
    }

    /// @inheritdoc IReviewRewards
    function recordAttentionWinner(uint256 bidId) external {
        IResourceMarket.Bid memory b = _market.bidOf(bidId);
        if (b.resourceId != _attentionResourceId) revert ReviewRewardsNotAttentionWinner(bidId);
        IResourceMarket.Epoch memory e = _market.epochOf(b.resourceId, b.epoch);
        (uint256 filled, , ) = _market.bidOutcome(bidId);
        if (!e.cleared || filled == 0) revert ReviewRewardsNotAttentionWinner(bidId);
        address recorded = _winner[b.epoch];
        if (recorded != address(0)) revert ReviewRewardsWinnerAlreadyRecorded(b.epoch, recorded);
        uint256 agentId = _registry.agentIdOf(b.bidder);
        _winner[b.epoch] = b.bidder;
        _winnerAgent[b.epoch] = agentId;
        emit AttentionWinnerRecorded(b.epoch, bidId, b.bidder, agentId, e.price);
    }

    /// @inheritdoc IReviewRewards
    function setRewardPerPoint(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setRewardPerPoint(newValue);
    }

    /// @inheritdoc IReviewRewards
    function setAgentEpochCap(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setAgentEpochCap(newValue);
    }

    /// @inheritdoc IReviewRewards
    function setReviewerEpochCap(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setReviewerEpochCap(newValue);
    }

    /// @notice Accepts the attention desk's identity NFT from the registry, and nothing else.
    /// @dev Throws {ReviewRewardsUnexpectedToken} for any other sender (no other NFT is held here).
    function onERC721Received(address, address, uint256, bytes calldata) external view returns (bytes4) {
        if (msg.sender != address(_registry)) revert ReviewRewardsUnexpectedToken(msg.sender);
        return IERC721Receiver.onERC721Received.selector;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Emits {ReviewSubmitted}, flagging a review of the previous epoch's attention winner.
    function _emitSubmitted(uint256 reviewId, Review memory r, string calldata uri) private {
        bool attention = r.epoch > 0 && _winnerAgent[r.epoch - 1] == r.agentId;
        emit ReviewSubmitted(
            reviewId,
            r.reviewer,
            r.agentId,
            r.kind,
            r.ref,
            r.score,
            r.reward,
            r.epoch,
            attention,
            uri
        );
    }

    /// @dev Counts `reward` against the reviewer's, the agent's and the owner's caps of `epoch`, reverting past
    /// any of them.
    function _charge(address reviewer, uint256 agentId, address owner, uint256 epoch, uint256 reward) private {
        uint256 cap = _reviewerEpochCap;
        uint256 awarded = _awardedByReviewer[reviewer][epoch];
        if (awarded + reward > cap) revert ReviewRewardsReviewerCapExceeded(reviewer, epoch, awarded, reward, cap);
        cap = _agentEpochCap;
        uint256 byAgent = _paidToAgent[agentId][epoch];
        if (byAgent + reward > cap) revert ReviewRewardsAgentCapExceeded(agentId, epoch, byAgent, reward, cap);
        uint256 byOwner = _paidToOwner[owner][epoch];
        if (byOwner + reward > cap) revert ReviewRewardsAgentCapExceeded(agentId, epoch, byOwner, reward, cap);
        _awardedByReviewer[reviewer][epoch] = awarded + reward;
        _paidToAgent[agentId][epoch] = byAgent + reward;
        _paidToOwner[owner][epoch] = byOwner + reward;
    }

    /// @dev Reverts when the reviewer is the agent's wallet or identity owner, acts for the agent, or its own
    /// agent's identity owner also owns the reviewed agent.
    function _checkUnrelated(address reviewer, uint256 agentId, address wallet, address owner) private view {
        if (reviewer == wallet || reviewer == owner) revert ReviewRewardsConflictOfInterest(reviewer, agentId);
        uint256 reviewerAgent = _registry.agentIdOf(reviewer);
        if (reviewerAgent == 0) return;
        if (reviewerAgent == agentId || IERC721(address(_registry)).ownerOf(reviewerAgent) == owner) {
            revert ReviewRewardsConflictOfInterest(reviewer, agentId);
        }
    }

    /// @dev Reverts unless `ref` names work the agent delivered: a Completed escrow job it provided, an
    /// Accepted task it took, or a non-zero hash (not verifiable on chain).
    function _checkDelivered(uint256 agentId, WorkKind kind, bytes32 ref) private view {
        bool delivered;
        if (kind == WorkKind.EscrowJob) {
            IEscrow.Job memory job = _escrow.escrowOf(uint256(ref));
            delivered = job.state == IEscrow.State.Completed && job.providerId == agentId;
        } else if (kind == WorkKind.Task) {
            ITaskBoard.Task memory t = _taskBoard.task(uint256(ref));
            delivered = t.state == ITaskBoard.TaskState.Accepted && t.takerId == agentId;
        } else {
            delivered = ref != bytes32(0);
        }
        if (!delivered) revert ReviewRewardsWorkNotDelivered(kind, ref, agentId);
    }

    /// @dev Registers the attention desk on first use, then pays its upkeep due (or its debt, when someone
    /// collected upkeep it could not pay): from its balance, the shortfall from the Treasury budget. A
    /// suspended desk is left as it is: the market refuses its offer.
    function _keepDeskInStanding() private {
        uint256 agentId = _deskAgentId;
        if (agentId == 0) {
            agentId = _registry.register(DESK_URI);
            _deskAgentId = agentId;
            emit AttentionDeskRegistered(agentId);
        }
        IAgentRegistry.AgentStatus status = _registry.statusOf(agentId);
        if (status == IAgentRegistry.AgentStatus.Starved) {
            uint256 debt = _registry.debtOf(agentId);
            uint256 drawn = _fund(debt);
            _registry.settleDebt(agentId);
            emit AttentionUpkeepPaid(agentId, debt, drawn);
        } else if (status == IAgentRegistry.AgentStatus.Active) {
            (, uint256 due) = _registry.upkeepDue(agentId);
            if (due == 0) return;
            uint256 drawn = _fund(due);
            _registry.collectUpkeep(agentId);
            emit AttentionUpkeepPaid(agentId, due, drawn);
        }
    }

    /// @dev Makes this contract's balance at least `amount`, drawing the shortfall from the Treasury budget.
    function _fund(uint256 amount) private returns (uint256 drawn) {
        uint256 balance = IERC20(address(_token)).balanceOf(address(this));
        if (balance >= amount) return 0;
        drawn = amount - balance;
        uint256 budget = _treasury.budgetOf(address(this), IERC20(address(_token)));
        if (drawn > budget) revert ReviewRewardsBudgetExhausted(drawn, budget);
        _treasury.draw(IERC20(address(_token)), address(this), drawn);
    }

    function _setRewardPerPoint(uint256 newValue) private {
        if (newValue > MAX_REWARD_PER_POINT) revert ReviewRewardsSettingOutOfBounds(newValue, MAX_REWARD_PER_POINT);
        uint256 oldValue = _rewardPerPoint;
        _rewardPerPoint = newValue;
        emit RewardPerPointUpdated(oldValue, newValue);
    }

    function _setAgentEpochCap(uint256 newValue) private {
        if (newValue > MAX_AGENT_EPOCH_CAP) revert ReviewRewardsSettingOutOfBounds(newValue, MAX_AGENT_EPOCH_CAP);
        uint256 oldValue = _agentEpochCap;
        _agentEpochCap = newValue;
        emit AgentEpochCapUpdated(oldValue, newValue);
    }

    function _setReviewerEpochCap(uint256 newValue) private {
        if (newValue > MAX_REVIEWER_EPOCH_CAP) {
            revert ReviewRewardsSettingOutOfBounds(newValue, MAX_REVIEWER_EPOCH_CAP);
        }
        uint256 oldValue = _reviewerEpochCap;
        _reviewerEpochCap = newValue;
        emit ReviewerEpochCapUpdated(oldValue, newValue);
    }
}
