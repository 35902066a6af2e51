// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {StakingVotes} from "./StakingVotes.sol";
import {RewardStream} from "./libraries/RewardStream.sol";
import {SharePool} from "./libraries/SharePool.sol";

/// @title Staking
/// @notice Validators, share-based delegation pools, unbonding, Treasury-funded reward epochs and slashing,
/// every action in constant gas. See {IStaking} and docs/staking.md.
/// @dev Accounting in brief. Reward amounts are kept EXACTLY, in "scaled wei" (wei * REWARD_PRECISION), from
/// the epoch's funding to the holder's account; only a claim converts to wei, rounding down. Every division
/// rounds down and its remainder goes to `_rewards.carry` (scaled), which the next epoch streams again, so:
/// `reserve * 1e27 == carry + rate * (periodFinish - lastUpdateTime) + sum over validators of
/// bondedTokens * (rewardPerToken - paid) + sum over accounts of bondedShares * (rewardPerShare - paid) +
/// sum over accounts of rewards` holds with equality, and no wei is owed that is not held.
/// - Global: `_rewards.rewardPerToken` grows by `rate * dt / totalBonded` while stake is bonded (the remainder
///   `rate * dt % totalBonded` to the carry); while nothing is bonded `rate * dt` goes to the carry.
/// - Per validator: on each update its bonded wei earn `bondedTokens * (rewardPerToken - paid)` (exact); the
///   commission is credited to the validator's account, the rest raises `rewardPerShare` of its bonded pool by
///   `rest / bondedShares` (the remainder to the carry).
/// - Per account: `rewards += bondedShares * (rewardPerShare - paid)` (exact) when settled; a claim pays
///   `rewards / 1e27` wei and carries the sub-wei remainder.
/// - Slashes lower pool tokens, never shares, so every holder's value (`shares * tokens / shares`) follows.
/// - Votes: per-account checkpoints of bonded shares and bound validator, per-validator checkpoints of bonded
///   tokens and shares, and a total checkpoint: `getPastVotes` is exact under slashing in O(log n) reads.
/// Split along its seams: the ERC-5805 votes in {StakingVotes} (as OpenZeppelin splits Votes from ERC20Votes),
/// the reward stream in the {RewardStream} library, the share and commission arithmetic in the {SharePool}
/// library (as Uniswap v4 keeps its pool maths in libraries/Pool.sol); this contract keeps the state of
/// validators, accounts and requests and the rules that move it.
contract Staking is IStaking, AccessControl, ReentrancyGuard, StakingVotes {
    using SafeERC20 for ICivitasToken;
    using RewardStream for RewardStream.State;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice May set the unbonding period and the minimum self-stake.
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    /// @notice May slash validators (the admin role may too).
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// @notice May fund reward epochs from this contract's Treasury budget (the budget bounds it).
    bytes32 public constant FUNDER_ROLE = keccak256("FUNDER_ROLE");

    /// @notice Basis points in 100%.
    uint256 public constant BPS = SharePool.BPS;
    /// @notice The highest commission, in bps.
    uint256 public constant MAX_COMMISSION_BPS = 5_000;
    /// @notice The highest slash, in bps.
    uint256 public constant MAX_SLASH_BPS = 5_000;
    /// @notice Scale of the reward rate and the reward accumulators.
    uint256 public constant REWARD_PRECISION = RewardStream.PRECISION;
    /// @notice Bounds of the unbonding period, in seconds.
    uint256 public constant MIN_UNBONDING_PERIOD = 1 days;
    uint256 public constant MAX_UNBONDING_PERIOD = 30 days;
    /// @notice Bounds of the minimum self-stake, in wei.
    uint256 public constant MIN_MIN_SELF_STAKE = 1 ether;
    uint256 public constant MAX_MIN_SELF_STAKE = 100_000 ether;
    /// @notice Bounds of an epoch's duration, in seconds.
    uint256 public constant MIN_EPOCH_DURATION = 1 days;
    uint256 public constant MAX_EPOCH_DURATION = 365 days;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Validator {
        bool registered;
        uint16 commissionBps;
        uint16 pendingCommissionBps;
        uint48 pendingCommissionAt;
        // Own bonded stake below the minimum self-stake when last evaluated: no commission (issue 20, #9).
        bool commissionSuspended;
        uint256 bondedTokens;
        uint256 bondedShares;
        uint256 unbondingTokens;
        uint256 unbondingShares;
        // Global `_rewards.rewardPerToken` when the validator was last updated.
        uint256 rewardPerTokenPaid;
        // Delegators' rewards per bonded share, scaled by REWARD_PRECISION.
        uint256 rewardPerShare;
    }

    struct Account {
        address validator;
        uint256 bondedShares;
        uint256 unbondingShares;
        // The validator's `rewardPerShare` when this account was last settled.
        uint256 rewardPerSharePaid;
        // Settled, unclaimed rewards (delegator rewards and, for a validator, commission), in wei scaled by
        // REWARD_PRECISION (exact: no rounding until the claim).
        uint256 rewards;
    }

    ICivitasToken private immutable _token;
    IAgentRegistryCore private immutable _registry;

    uint256 private _unbondingPeriod;
    uint256 private _minSelfStake;

    mapping(address validator => Validator) private _validators;
    mapping(address account => Account) private _accounts;
    // The request's validator is its owner's bound validator: an account cannot rebind while it unbonds.
    struct Unbonding {
        address owner;
        uint48 releaseTime;
        uint256 shares;
    }

    mapping(uint256 unbondingId => Unbonding) private _unbondings;
    uint256 private _nextUnbondingId;
    uint256 private _slashCount;

    uint256 private _totalBonded;
    uint256 private _totalUnbonding;
    RewardStream.State private _rewards;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin The initial holder of every role (the deploy script hands them to the timelock).
    /// @param token_ The CIV token.
    /// @param registry_ The agent registry.
    /// @param unbondingPeriod_ The initial unbonding period, in seconds (Ignition parameter `unbondingPeriod`).
    /// @param minSelfStake_ The initial minimum self-stake, in wei (Ignition parameter `minSelfStake`).
    /// @dev Throws {StakingZeroAddress}, {StakingUnbondingPeriodOutOfBounds}, {StakingMinSelfStakeOutOfBounds}.
    /// Emits {UnbondingPeriodUpdated} and {MinSelfStakeUpdated} (old values 0).
    constructor(
        address admin,
        ICivitasToken token_,
        IAgentRegistryCore registry_,
        uint256 unbondingPeriod_,
        uint256 minSelfStake_
    ) {
        if (admin == address(0) || address(token_) == address(0) || address(registry_) == address(0)) {
            revert StakingZeroAddress();
        }
        _token = token_;
        _registry = registry_;
        _setUnbondingPeriod(unbondingPeriod_);
        _setMinSelfStake(minSelfStake_);
        _nextUnbondingId = 1;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        _grantRole(SLASHER_ROLE, admin);
        _grantRole(FUNDER_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IStaking
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IStaking
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IStaking
    function unbondingPeriod() external view returns (uint256) {
        return _unbondingPeriod;
    }

    /// @inheritdoc IStaking
    function minSelfStake() external view returns (uint256) {
        return _minSelfStake;
    }

    /// @inheritdoc IStaking
    function commissionSuspended(address validator) external view returns (bool) {
        return _validators[validator].commissionSuspended;
    }

    /// @inheritdoc IStaking
    function validatorInfo(address validator) external view returns (ValidatorInfo memory) {
        Validator storage v = _validators[validator];
        return
            ValidatorInfo({
                registered: v.registered,
                commissionBps: v.commissionBps,
                pendingCommissionBps: v.pendingCommissionBps,
                pendingCommissionAt: v.pendingCommissionAt,
                bondedTokens: v.bondedTokens,
                bondedShares: v.bondedShares,
                unbondingTokens: v.unbondingTokens,
                unbondingShares: v.unbondingShares
            });
    }

    /// @inheritdoc IStaking
    function unbondingInfo(uint256 unbondingId) external view returns (UnbondingInfo memory) {
        Unbonding storage u = _unbondings[unbondingId];
        address validator = u.owner == address(0) ? address(0) : _accounts[u.owner].validator;
        return UnbondingInfo({owner: u.owner, releaseTime: u.releaseTime, validator: validator, shares: u.shares});
    }

    /// @inheritdoc IStaking
    function boundValidatorOf(address account) external view returns (address) {
        return _accounts[account].validator;
    }

    /// @inheritdoc IStaking
    function bondedSharesOf(address account) external view returns (uint256) {
        return _accounts[account].bondedShares;
    }

    /// @inheritdoc IStaking
    function unbondingSharesOf(address account) external view returns (uint256) {
        return _accounts[account].unbondingShares;
    }

    /// @inheritdoc IStaking
    function bondedBalanceOf(address account) public view returns (uint256) {
        Account storage a = _accounts[account];
        if (a.bondedShares == 0) return 0;
        Validator storage v = _validators[a.validator];
        return SharePool.valueOf(a.bondedShares, v.bondedTokens, v.bondedShares);
    }

    /// @inheritdoc IStaking
    function unbondingBalanceOf(address account) public view returns (uint256) {
        Account storage a = _accounts[account];
        if (a.unbondingShares == 0) return 0;
        Validator storage v = _validators[a.validator];
        return SharePool.valueOf(a.unbondingShares, v.unbondingTokens, v.unbondingShares);
    }

    /// @inheritdoc IStaking
    function unbondingAmountOf(uint256 unbondingId) public view returns (uint256) {
        Unbonding storage u = _unbondings[unbondingId];
        if (u.shares == 0) return 0;
        Validator storage v = _validators[_accounts[u.owner].validator];
        return SharePool.valueOf(u.shares, v.unbondingTokens, v.unbondingShares);
    }

    /// @notice Bonded plus unbonding stake of `account`, in wei: what the token counts toward its wealth cap.
    /// @dev Exact and O(1) under slashing: the account's shares of its (single) validator's two pools at the
    /// pools' current rates, rounded down.
    function stakedBalanceOf(address account) external view returns (uint256) {
        return bondedBalanceOf(account) + unbondingBalanceOf(account);
    }

    /// @dev Voting power now is the bonded stake (see {StakingVotes}).
    function _votesNow(address account) internal view override returns (uint256) {
        return bondedBalanceOf(account);
    }

    /// @inheritdoc IStaking
    function pendingRewards(address account) external view returns (uint256) {
        Account storage a = _accounts[account];
        uint256 pending = a.rewards;
        address validatorAddr = a.validator;
        if (validatorAddr != address(0)) {
            Validator storage v = _validators[validatorAddr];
            (uint256 rewardPerToken_, ) = _rewards.current(_totalBonded);
            (uint256 commission, uint256 rewardPerShare_, ) = _pendingValidatorRewards(v, rewardPerToken_);
            pending += a.bondedShares * (rewardPerShare_ - a.rewardPerSharePaid);
            // A validator is bound to itself, so its unsettled commission belongs to this account.
            if (validatorAddr == account) pending += commission;
        }
        // What {claimRewards} would pay: the exact scaled amount rounded down to the wei.
        return pending / REWARD_PRECISION;
    }

    /// @inheritdoc IStaking
    function totalBonded() external view returns (uint256) {
        return _totalBonded;
    }

    /// @inheritdoc IStaking
    function totalUnbonding() external view returns (uint256) {
        return _totalUnbonding;
    }

    /// @inheritdoc IStaking
    function rewardReserve() external view returns (uint256) {
        return _rewards.reserve;
    }

    /// @inheritdoc IStaking
    function carriedRewards() external view returns (uint256) {
        (, uint256 carry) = _rewards.current(_totalBonded);
        return carry / REWARD_PRECISION;
    }

    /// @inheritdoc IStaking
    function rewardRate() external view returns (uint256) {
        return _rewards.rate;
    }

    /// @inheritdoc IStaking
    function periodFinish() external view returns (uint256) {
        return _rewards.periodFinish;
    }

    /// @inheritdoc IStaking
    function rewardPerToken() external view returns (uint256 rewardPerToken_) {
        (rewardPerToken_, ) = _rewards.current(_totalBonded);
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IStaking
    function registerValidator(uint256 commissionBps, uint256 selfStake) external nonReentrant {
        if (!_registry.isInGoodStanding(msg.sender)) revert StakingNotInGoodStanding(msg.sender);
        Validator storage v = _validators[msg.sender];
        if (v.registered) revert StakingValidatorAlreadyRegistered(msg.sender);
        if (commissionBps > MAX_COMMISSION_BPS) revert StakingCommissionTooHigh(commissionBps, MAX_COMMISSION_BPS);
        if (selfStake < _minSelfStake) revert StakingSelfStakeTooLow(msg.sender, selfStake, _minSelfStake);
        address bound = _accounts[msg.sender].validator;
        if (bound != address(0)) revert StakingBoundToOtherValidator(msg.sender, bound, msg.sender);

        _rewards.update(_totalBonded);
        v.registered = true;
        // Cannot truncate: commissionBps <= MAX_COMMISSION_BPS < 2^16.
        v.commissionBps = uint16(commissionBps);
        v.rewardPerTokenPaid = _rewards.rewardPerToken;
        emit ValidatorRegistered(msg.sender, commissionBps, selfStake);
        _delegate(msg.sender, msg.sender, v, selfStake);
    }

    /// @inheritdoc IStaking
    function scheduleCommission(uint256 newCommissionBps) external nonReentrant {
        Validator storage v = _validators[msg.sender];
        if (!v.registered) revert StakingUnknownValidator(msg.sender);
        if (newCommissionBps > MAX_COMMISSION_BPS) {
            revert StakingCommissionTooHigh(newCommissionBps, MAX_COMMISSION_BPS);
        }
        // A schedule already due takes effect first; only one not yet due is replaced.
        _rewards.update(_totalBonded);
        _updateValidator(msg.sender, v);
        uint256 effectiveAt = block.timestamp + _unbondingPeriod;
        // Cannot truncate: newCommissionBps <= MAX_COMMISSION_BPS; effectiveAt is a timestamp plus <= 30 days.
        v.pendingCommissionBps = uint16(newCommissionBps);
        v.pendingCommissionAt = SafeCast.toUint48(effectiveAt);
        emit CommissionScheduled(msg.sender, v.commissionBps, newCommissionBps, effectiveAt);
    }

    /// @inheritdoc IStaking
    function applyCommission(address validator) external nonReentrant {
        Validator storage v = _validators[validator];
        if (!v.registered) revert StakingUnknownValidator(validator);
        uint256 effectiveAt = v.pendingCommissionAt;
        if (effectiveAt == 0 || effectiveAt > block.timestamp) {
            revert StakingCommissionNotDue(validator, effectiveAt, block.timestamp);
        }
        _rewards.update(_totalBonded);
        _updateValidator(validator, v);
    }

    /// @inheritdoc IStaking
    function delegateStake(address validator, uint256 amount) external nonReentrant {
        if (amount == 0) revert StakingZeroAmount();
        Validator storage v = _validators[validator];
        if (!v.registered) revert StakingUnknownValidator(validator);
        if (!_registry.isInGoodStanding(validator)) revert StakingNotInGoodStanding(validator);
        if (msg.sender != validator) {
            uint256 selfStake = bondedBalanceOf(validator);
            if (selfStake < _minSelfStake) revert StakingSelfStakeTooLow(validator, selfStake, _minSelfStake);
        }
        address bound = _accounts[msg.sender].validator;
        if (bound != address(0) && bound != validator) {
            revert StakingBoundToOtherValidator(msg.sender, bound, validator);
        }
        _rewards.update(_totalBonded);
        _updateValidator(validator, v);
        _delegate(msg.sender, validator, v, amount);
        _syncSelfStake(validator, v);
    }

    /// @inheritdoc IStaking
    function undelegate(uint256 shares) external nonReentrant returns (uint256 unbondingId) {
        if (shares == 0) revert StakingZeroAmount();
        Account storage a = _accounts[msg.sender];
        uint256 held = a.bondedShares;
        if (shares > held) revert StakingInsufficientShares(msg.sender, shares, held);
        address validator = a.validator;
        Validator storage v = _validators[validator];
        _rewards.update(_totalBonded);
        _updateValidator(validator, v);
        _settleAccount(a, v);

        uint256 amount = SharePool.valueOf(shares, v.bondedTokens, v.bondedShares);
        if (amount == 0) revert StakingAmountTooSmall(shares);
        // The unbonding pool's shares per wei only grow (slashes), so uShares >= amount >= 1.
        uint256 uShares = SharePool.sharesFor(amount, v.unbondingTokens, v.unbondingShares);

        // Cannot underflow: shares <= held <= v.bondedShares, amount <= v.bondedTokens <= _totalBonded.
        unchecked {
            a.bondedShares = held - shares;
            v.bondedShares -= shares;
            v.bondedTokens -= amount;
            _totalBonded -= amount;
        }
        a.unbondingShares += uShares;
        v.unbondingShares += uShares;
        v.unbondingTokens += amount;
        _totalUnbonding += amount;

        unbondingId = _nextUnbondingId++;
        uint256 releaseTime = block.timestamp + _unbondingPeriod;
        _unbondings[unbondingId] = Unbonding({
            owner: msg.sender,
            releaseTime: SafeCast.toUint48(releaseTime),
            shares: uShares
        });
        _checkpointAccount(msg.sender, validator, a.bondedShares);
        _checkpointPool(validator, v.bondedTokens, v.bondedShares, _totalBonded);

        emit Undelegated(msg.sender, validator, unbondingId, amount, shares, uShares, releaseTime);
        _emitPools(validator, v);
        // Only the validator's own undelegation changes its self-stake.
        if (validator == msg.sender) _syncSelfStake(validator, v);
    }

    /// @inheritdoc IStaking
    function withdraw(uint256 unbondingId) external nonReentrant returns (uint256 amount) {
        Unbonding storage u = _unbondings[unbondingId];
        address owner = u.owner;
        if (owner == address(0)) revert StakingUnknownUnbonding(unbondingId);
        if (owner != msg.sender) revert StakingNotUnbondingOwner(unbondingId, msg.sender, owner);
        if (u.releaseTime > block.timestamp) revert StakingStillUnbonding(unbondingId, u.releaseTime, block.timestamp);

        Account storage a = _accounts[msg.sender];
        address validator = a.validator;
        uint256 uShares = u.shares;
        Validator storage v = _validators[validator];
        amount = SharePool.valueOf(uShares, v.unbondingTokens, v.unbondingShares);
        delete _unbondings[unbondingId];

        // Cannot underflow: the request's shares are part of the account's and the pool's unbonding shares,
        // and amount <= v.unbondingTokens <= _totalUnbonding.
        unchecked {
            a.unbondingShares -= uShares;
            v.unbondingShares -= uShares;
            v.unbondingTokens -= amount;
            _totalUnbonding -= amount;
        }
        // Holding nothing with the validator any more frees the account to bind to another one.
        // A validator's own account stays bound to itself for good (its self-stake and commission live there).
        if (a.bondedShares == 0 && a.unbondingShares == 0 && validator != msg.sender) a.validator = address(0);

        emit Withdrawn(msg.sender, validator, unbondingId, amount, uShares);
        _emitPools(validator, v);
        // The holder's own principal, already counted in its holdings as stake: never redirected by the cap
        // (security issue 20, attack 7). After the state change (checks-effects-interactions).
        if (amount != 0) _token.returnPrincipal(msg.sender, amount);
    }

    /// @inheritdoc IStaking
    function claimRewards() external nonReentrant returns (uint256 gross) {
        Account storage a = _accounts[msg.sender];
        address validator = a.validator;
        if (validator != address(0)) {
            Validator storage v = _validators[validator];
            _rewards.update(_totalBonded);
            _updateValidator(validator, v);
            _settleAccount(a, v);
        }
        uint256 owed = a.rewards;
        gross = owed / REWARD_PRECISION;
        if (gross == 0) revert StakingNothingToClaim(msg.sender);
        a.rewards = 0;
        // The sub-wei remainder goes back to the stream: nothing is dropped, nothing paid twice.
        uint256 remainder = owed % REWARD_PRECISION;
        if (remainder != 0) _rewards.carry += remainder;
        // Cannot underflow (checked anyway): reserve * 1e27 covers every account's exact rewards (see above).
        _rewards.reserve -= gross;
        (, uint256 tax, uint256 capExcess) = _token.payEarnings(msg.sender, gross);
        emit RewardClaimed(msg.sender, gross, tax, capExcess);
    }

    /// @inheritdoc IStaking
    function fundEpoch(uint256 amount, uint256 duration) external onlyRole(FUNDER_ROLE) nonReentrant {
        if (duration < MIN_EPOCH_DURATION || duration > MAX_EPOCH_DURATION) {
            revert StakingEpochDurationOutOfBounds(duration, MIN_EPOCH_DURATION, MAX_EPOCH_DURATION);
        }
        _rewards.update(_totalBonded);
        // Scaled by REWARD_PRECISION and exact: the carry and the unstreamed rest of the running epoch (`rate *
        // remaining`, with no rounding) move into the new epoch whole; see {RewardStream.fund}.
        (uint256 carried, uint256 rate, uint256 newCarry) = _rewards.fund(amount, duration);
        if (rate == 0) revert StakingRewardRateZero((amount * REWARD_PRECISION + carried) / REWARD_PRECISION, duration);
        emit EpochFunded(
            amount,
            carried / REWARD_PRECISION,
            duration,
            rate,
            block.timestamp + duration,
            newCarry / REWARD_PRECISION
        );
        if (amount != 0) ITreasury(_token.treasury()).draw(IERC20(address(_token)), address(this), amount);
    }

    /// @inheritdoc IStaking
    function slash(
        address validator,
        uint256 slashBps,
        bytes32 reason
    ) external nonReentrant returns (uint256 slashId) {
        // The admin may slash too; anyone else is told the role they lack is the slasher's.
        if (!hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) _checkRole(SLASHER_ROLE);
        Validator storage v = _validators[validator];
        if (!v.registered) revert StakingUnknownValidator(validator);
        if (slashBps == 0 || slashBps > MAX_SLASH_BPS) revert StakingSlashOutOfBounds(slashBps, MAX_SLASH_BPS);
        _rewards.update(_totalBonded);
        _updateValidator(validator, v);

        uint256 bondedSlashed = (v.bondedTokens * slashBps) / BPS;
        uint256 unbondingSlashed = (v.unbondingTokens * slashBps) / BPS;
        // Cannot underflow: each slashed part is at most half of its pool, and pools are part of the totals.
        unchecked {
            v.bondedTokens -= bondedSlashed;
            v.unbondingTokens -= unbondingSlashed;
            _totalBonded -= bondedSlashed;
            _totalUnbonding -= unbondingSlashed;
        }
        slashId = ++_slashCount;
        _checkpointPool(validator, v.bondedTokens, v.bondedShares, _totalBonded);
        emit Slashed(
            slashId,
            validator,
            slashBps,
            bondedSlashed,
            unbondingSlashed,
            reason,
            v.bondedTokens,
            v.unbondingTokens,
            _totalBonded,
            _totalUnbonding
        );
        _syncSelfStake(validator, v);

        uint256 slashed = bondedSlashed + unbondingSlashed;
        if (slashed != 0) _token.safeTransfer(_token.treasury(), slashed);
        int256 delta = -SafeCast.toInt256(Math.ceilDiv(slashBps, 10));
        try _registry.reportReputation(validator, delta, reason, slashId) {} catch (bytes memory data) {
            emit SlashReputationReportFailed(slashId, validator, data);
        }
    }

    /// @inheritdoc IStaking
    function syncSelfStake(address validator) external nonReentrant returns (bool suspended) {
        Validator storage v = _validators[validator];
        if (!v.registered) revert StakingUnknownValidator(validator);
        _rewards.update(_totalBonded);
        _updateValidator(validator, v);
        return _syncSelfStake(validator, v);
    }

    /// @inheritdoc IStaking
    function setUnbondingPeriod(uint256 newPeriod) external onlyRole(PARAMETER_ROLE) {
        _setUnbondingPeriod(newPeriod);
    }

    /// @inheritdoc IStaking
    function setMinSelfStake(uint256 newMinSelfStake) external onlyRole(PARAMETER_ROLE) {
        _setMinSelfStake(newMinSelfStake);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _setUnbondingPeriod(uint256 newPeriod) private {
        if (newPeriod < MIN_UNBONDING_PERIOD || newPeriod > MAX_UNBONDING_PERIOD) {
            revert StakingUnbondingPeriodOutOfBounds(newPeriod, MIN_UNBONDING_PERIOD, MAX_UNBONDING_PERIOD);
        }
        uint256 old = _unbondingPeriod;
        _unbondingPeriod = newPeriod;
        emit UnbondingPeriodUpdated(old, newPeriod);
    }

    function _setMinSelfStake(uint256 newMinSelfStake) private {
        if (newMinSelfStake < MIN_MIN_SELF_STAKE || newMinSelfStake > MAX_MIN_SELF_STAKE) {
            revert StakingMinSelfStakeOutOfBounds(newMinSelfStake, MIN_MIN_SELF_STAKE, MAX_MIN_SELF_STAKE);
        }
        uint256 old = _minSelfStake;
        _minSelfStake = newMinSelfStake;
        emit MinSelfStakeUpdated(old, newMinSelfStake);
    }

    /// @dev Bonds `amount` (pulled from `holder`) with `validator`, whose rewards are already up to date.
    function _delegate(address holder, address validator, Validator storage v, uint256 amount) private {
        Account storage a = _accounts[holder];
        if (a.validator == address(0)) {
            a.validator = validator;
            a.rewardPerSharePaid = v.rewardPerShare;
        } else {
            _settleAccount(a, v);
        }
        // The bonded pool's tokens are never zero while it has shares (a slash takes at most half).
        uint256 shares = SharePool.sharesFor(amount, v.bondedTokens, v.bondedShares);
        if (shares == 0) revert StakingAmountTooSmall(amount);
        a.bondedShares += shares;
        v.bondedShares += shares;
        v.bondedTokens += amount;
        _totalBonded += amount;
        _checkpointAccount(holder, validator, a.bondedShares);
        _checkpointPool(validator, v.bondedTokens, v.bondedShares, _totalBonded);
        emit Delegated(holder, validator, amount, shares, v.bondedTokens, v.bondedShares, _totalBonded);
        _token.safeTransferFrom(holder, address(this), amount);
    }

    /// @dev What an update of `v` at `rewardPerToken_` would credit, all scaled by REWARD_PRECISION and exact:
    /// the commission, the pool's new reward per share, and the remainder of the per-share division (for the
    /// carry). `commission + (new - old rewardPerShare) * bondedShares + remainder` is exactly what `v` earned.
    function _pendingValidatorRewards(
        Validator storage v,
        uint256 rewardPerToken_
    ) private view returns (uint256 commission, uint256 rewardPerShare_, uint256 remainder) {
        rewardPerShare_ = v.rewardPerShare;
        // No shares means no tokens (a pool's tokens reach 0 only with its last share): nothing was earned.
        uint256 shares = v.bondedShares;
        if (shares == 0) return (0, rewardPerShare_, 0);
        uint256 earned = v.bondedTokens * (rewardPerToken_ - v.rewardPerTokenPaid);
        // A validator below its minimum self-stake earns no commission: all goes to the pool's shares.
        uint256 perShare;
        (commission, perShare, remainder) = SharePool.splitEarnings(
            earned,
            shares,
            v.commissionBps,
            v.commissionSuspended
        );
        rewardPerShare_ += perShare;
    }

    /// @dev Credits `v`'s rewards since its last update (commission to the validator's account, the rest per
    /// bonded share, the division's remainder to the carry), then applies a scheduled commission that is due.
    function _updateValidator(address validator, Validator storage v) private {
        uint256 rewardPerToken_ = _rewards.rewardPerToken;
        if (v.rewardPerTokenPaid != rewardPerToken_) {
            (uint256 commission, uint256 rewardPerShare_, uint256 remainder) = _pendingValidatorRewards(
                v,
                rewardPerToken_
            );
            v.rewardPerShare = rewardPerShare_;
            v.rewardPerTokenPaid = rewardPerToken_;
            if (commission != 0) _accounts[validator].rewards += commission;
            if (remainder != 0) _rewards.carry += remainder;
        }
        uint256 effectiveAt = v.pendingCommissionAt;
        if (effectiveAt != 0 && effectiveAt <= block.timestamp) {
            uint256 old = v.commissionBps;
            v.commissionBps = v.pendingCommissionBps;
            v.pendingCommissionBps = 0;
            v.pendingCommissionAt = 0;
            emit CommissionApplied(validator, old, v.commissionBps);
        }
    }

    /// @dev Moves `a`'s delegator rewards since its last settlement into `a.rewards` (`v` is up to date), exactly
    /// (scaled): the account's shares were constant since `paid`, so no rounding happens here.
    function _settleAccount(Account storage a, Validator storage v) private {
        uint256 rewardPerShare_ = v.rewardPerShare;
        uint256 paid = a.rewardPerSharePaid;
        if (paid != rewardPerShare_) {
            a.rewards += a.bondedShares * (rewardPerShare_ - paid);
            a.rewardPerSharePaid = rewardPerShare_;
        }
    }

    /// @dev Re-evaluates `validator`'s own bonded stake against the minimum self-stake after a change (its
    /// rewards are already credited up to now under the previous state); announces a change of state.
    function _syncSelfStake(address validator, Validator storage v) private returns (bool suspended) {
        uint256 selfStake = bondedBalanceOf(validator);
        uint256 minimum = _minSelfStake;
        suspended = selfStake < minimum;
        if (suspended != v.commissionSuspended) {
            v.commissionSuspended = suspended;
            if (suspended) emit CommissionSuspended(validator, selfStake, minimum);
            else emit CommissionResumed(validator, selfStake, minimum);
        }
    }

    function _emitPools(address validator, Validator storage v) private {
        emit ValidatorPoolsUpdated(
            validator,
            v.bondedTokens,
            v.bondedShares,
            v.unbondingTokens,
            v.unbondingShares,
            _totalBonded,
            _totalUnbonding
        );
    }
}
