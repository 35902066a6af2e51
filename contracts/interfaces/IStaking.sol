// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {ICivitasStakeLedger} from "./ICivitasToken.sol";

/// @title IStaking
/// @notice CIV staking with validators: agents in good standing register as validators, any holder delegates
/// CIV to one validator through a share-based pool, undelegated stake unbonds for `unbondingPeriod` before it
/// can be withdrawn, governance funds reward epochs from the Treasury, and governance (or its slasher) slashes
/// a validator's pool. Every action costs constant gas, whatever the number of delegators or validators.
/// @dev Rules (see docs/staking.md):
/// - Each validator has two share pools: bonded (`bondedTokens`/`bondedShares`) and unbonding
///   (`unbondingTokens`/`unbondingShares`). A holder's stake is `shares * tokens / shares` of its pool, so a
///   slash (which lowers the pools' tokens, never the shares) reaches every holder in O(1).
/// - An account stakes with ONE validator at a time (its "bound" validator). It may bind to another one once
///   it holds neither bonded nor unbonding shares (after its last withdrawal). This keeps
///   {stakedBalanceOf}, {getVotes} and {getPastVotes} exact and O(1) under slashing.
/// - Rewards: a global Synthetix-style accumulator pays `rewardRate` per second to all bonded stake of all
///   validators; each validator's part is split into its commission (credited to the validator's account)
///   and its delegators' part (per bonded share). Unbonding stake earns nothing. Rewards that accrue while
///   nothing is bonded, and every rounding remainder, are carried into the next funded epoch. Amounts are
///   kept exactly (wei scaled by 1e27) until a claim rounds down to the wei, so nothing owed is ever unfunded.
/// - Commission needs skin in the game: while a validator's own bonded stake is below {minSelfStake}, its
///   commission is suspended (its whole pool's rewards go to the pool's shares, the validator's own included)
///   and nobody may delegate to it. The state is re-evaluated whenever the validator's stake changes
///   (delegate, undelegate, slash) and by {syncSelfStake} (anyone; after a change of {minSelfStake}); it is
///   {commissionSuspended}, announced by {CommissionSuspended} and {CommissionResumed} (security issue 20,
///   attack 9).
/// - Votes (ERC-5805, timestamp clock): each account's voting power is its own bonded stake, exactly, at any
///   past timepoint (slashes included). Votes are not delegable: {delegates} returns the account itself.
/// - Token flows: deposits are plain `transferFrom` (the staking contract is a protocol account: untaxed);
///   withdrawals go through `ICivitasToken.returnPrincipal` (untaxed and never cap-redirected: the stake
///   already counted in the holder's holdings, security issue 20 attack 7);
///   rewards are paid with `ICivitasToken.payEarnings` (taxed); slashed tokens go to the Treasury.
/// Amounts in wei, rates in basis points (10,000 = 100%), times in seconds (ERC-6372 timestamps).
interface IStaking is IERC5805, ICivitasStakeLedger {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A validator's state.
    /// @param registered Whether the validator registered (validators never deregister; they can empty).
    /// @param commissionBps The commission now in force, in bps of its pool's rewards.
    /// @param pendingCommissionBps The scheduled commission (meaningful when `pendingCommissionAt != 0`).
    /// @param pendingCommissionAt When the scheduled commission takes effect (0 when none), in seconds.
    /// @param bondedTokens Wei bonded in the pool.
    /// @param bondedShares Shares of the bonded pool.
    /// @param unbondingTokens Wei unbonding from the pool (still slashable).
    /// @param unbondingShares Shares of the unbonding pool.
    struct ValidatorInfo {
        bool registered;
        uint16 commissionBps;
        uint16 pendingCommissionBps;
        uint48 pendingCommissionAt;
        uint256 bondedTokens;
        uint256 bondedShares;
        uint256 unbondingTokens;
        uint256 unbondingShares;
    }

    /// @notice One unbonding request.
    /// @param owner The holder who undelegated (zero once withdrawn or never created).
    /// @param releaseTime When it may be withdrawn, in seconds.
    /// @param validator The validator whose unbonding pool holds it.
    /// @param shares Its shares of that unbonding pool.
    struct UnbondingInfo {
        address owner;
        uint48 releaseTime;
        address validator;
        uint256 shares;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A zero amount (or zero shares) was given.
    error StakingZeroAmount();

    /// @notice A zero address was given where a contract is needed.
    error StakingZeroAddress();

    /// @notice The address is not a registered validator.
    /// @param validator The address given.
    error StakingUnknownValidator(address validator);

    /// @notice The address already registered as a validator.
    /// @param validator The address given.
    error StakingValidatorAlreadyRegistered(address validator);

    /// @notice The account is not in good standing in the agent registry (rule: only agents in good standing
    /// take a role; also required of a validator for new delegations).
    /// @param account The account checked.
    error StakingNotInGoodStanding(address account);

    /// @notice A validator's own bonded stake is below the minimum self-stake (at registration, or for others
    /// to delegate to it).
    /// @param validator The validator.
    /// @param selfStake Its bonded self-stake, in wei.
    /// @param minSelfStake The minimum, in wei.
    error StakingSelfStakeTooLow(address validator, uint256 selfStake, uint256 minSelfStake);

    /// @notice A commission above the maximum was asked for.
    /// @param commissionBps The rejected commission, in bps.
    /// @param maxCommissionBps The maximum ({MAX_COMMISSION_BPS}), in bps.
    error StakingCommissionTooHigh(uint256 commissionBps, uint256 maxCommissionBps);

    /// @notice No scheduled commission is due yet for this validator.
    /// @param validator The validator.
    /// @param effectiveAt When the scheduled commission takes effect (0 when none is scheduled), in seconds.
    /// @param now_ The current time, in seconds.
    error StakingCommissionNotDue(address validator, uint256 effectiveAt, uint256 now_);

    /// @notice The account still stakes (bonded or unbonding) with another validator.
    /// @param account The account.
    /// @param boundValidator The validator it stakes with.
    /// @param requestedValidator The validator it asked for.
    error StakingBoundToOtherValidator(address account, address boundValidator, address requestedValidator);

    /// @notice More bonded shares were asked for than the account holds.
    /// @param account The account.
    /// @param requested The shares asked for.
    /// @param available The account's bonded shares.
    error StakingInsufficientShares(address account, uint256 requested, uint256 available);

    /// @notice An amount too small to be worth one share (or shares worth less than one wei).
    /// @param amount The amount (or shares) given.
    error StakingAmountTooSmall(uint256 amount);

    /// @notice The unbonding request does not exist or was already withdrawn.
    /// @param unbondingId The id given.
    error StakingUnknownUnbonding(uint256 unbondingId);

    /// @notice Only the owner of an unbonding request may withdraw it.
    /// @param unbondingId The request.
    /// @param caller The caller.
    /// @param owner The request's owner.
    error StakingNotUnbondingOwner(uint256 unbondingId, address caller, address owner);

    /// @notice The unbonding period of this request has not ended.
    /// @param unbondingId The request.
    /// @param releaseTime When it may be withdrawn, in seconds.
    /// @param now_ The current time, in seconds.
    error StakingStillUnbonding(uint256 unbondingId, uint256 releaseTime, uint256 now_);

    /// @notice The account has no rewards to claim.
    /// @param account The account.
    error StakingNothingToClaim(address account);

    /// @notice An unbonding period outside its bounds was proposed.
    /// @param period The rejected period, in seconds.
    /// @param minPeriod The lowest allowed ({MIN_UNBONDING_PERIOD}), in seconds.
    /// @param maxPeriod The highest allowed ({MAX_UNBONDING_PERIOD}), in seconds.
    error StakingUnbondingPeriodOutOfBounds(uint256 period, uint256 minPeriod, uint256 maxPeriod);

    /// @notice A minimum self-stake outside its bounds was proposed.
    /// @param minSelfStake The rejected value, in wei.
    /// @param lowest The lowest allowed ({MIN_MIN_SELF_STAKE}), in wei.
    /// @param highest The highest allowed ({MAX_MIN_SELF_STAKE}), in wei.
    error StakingMinSelfStakeOutOfBounds(uint256 minSelfStake, uint256 lowest, uint256 highest);

    /// @notice An epoch duration outside its bounds was given.
    /// @param duration The rejected duration, in seconds.
    /// @param minDuration The shortest allowed ({MIN_EPOCH_DURATION}), in seconds.
    /// @param maxDuration The longest allowed ({MAX_EPOCH_DURATION}), in seconds.
    error StakingEpochDurationOutOfBounds(uint256 duration, uint256 minDuration, uint256 maxDuration);

    /// @notice The rewards to spread over the epoch are too small to give a non-zero rate.
    /// @param total The rewards to spread (new funds plus carried plus the rest of the running epoch), in wei.
    /// @param duration The epoch's duration, in seconds.
    error StakingRewardRateZero(uint256 total, uint256 duration);

    /// @notice A slash fraction outside (0, {MAX_SLASH_BPS}] was given.
    /// @param slashBps The rejected fraction, in bps.
    /// @param maxSlashBps The maximum, in bps.
    error StakingSlashOutOfBounds(uint256 slashBps, uint256 maxSlashBps);

    /// @notice Stake votes belong to the staker and cannot be delegated (delegate the liquid token instead).
    error StakingVotesNotDelegable();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An agent registered as a validator and bonded its self-stake (a {Delegated} event follows).
    /// @param validator The validator (the agent's wallet).
    /// @param commissionBps Its commission, in bps.
    /// @param selfStake Its initial self-stake, in wei.
    event ValidatorRegistered(address indexed validator, uint256 commissionBps, uint256 selfStake);

    /// @notice A validator scheduled a commission change.
    /// @param validator The validator.
    /// @param currentCommissionBps The commission in force until then, in bps.
    /// @param newCommissionBps The scheduled commission, in bps.
    /// @param effectiveAt When it may take effect (now + unbonding period), in seconds.
    event CommissionScheduled(
        address indexed validator,
        uint256 currentCommissionBps,
        uint256 newCommissionBps,
        uint256 effectiveAt
    );

    /// @notice A scheduled commission took effect (on the validator's first update at or after its time).
    /// Rewards accrued before this event used the old commission.
    /// @param validator The validator.
    /// @param oldCommissionBps The previous commission, in bps.
    /// @param newCommissionBps The commission now in force, in bps.
    event CommissionApplied(address indexed validator, uint256 oldCommissionBps, uint256 newCommissionBps);

    /// @notice A holder bonded stake with a validator.
    /// @param holder The holder (owner of the stake and its votes).
    /// @param validator The validator.
    /// @param amount The wei deposited and bonded.
    /// @param shares The bonded shares minted to the holder.
    /// @param validatorBondedTokens The validator's bonded wei afterwards.
    /// @param validatorBondedShares The validator's bonded shares afterwards.
    /// @param totalBonded The bonded wei of all validators afterwards (the stake votes' total supply).
    event Delegated(
        address indexed holder,
        address indexed validator,
        uint256 amount,
        uint256 shares,
        uint256 validatorBondedTokens,
        uint256 validatorBondedShares,
        uint256 totalBonded
    );

    /// @notice A holder started unbonding stake.
    /// @param holder The holder.
    /// @param validator The validator.
    /// @param unbondingId The id of the request (for {withdraw}).
    /// @param amount The wei moved from bonded to unbonding.
    /// @param bondedShares The bonded shares burned.
    /// @param unbondingShares The unbonding shares minted into the request.
    /// @param releaseTime When it may be withdrawn, in seconds.
    event Undelegated(
        address indexed holder,
        address indexed validator,
        uint256 indexed unbondingId,
        uint256 amount,
        uint256 bondedShares,
        uint256 unbondingShares,
        uint256 releaseTime
    );

    /// @notice The pools of a validator after a change (emitted right after {Undelegated} and {Withdrawn}).
    /// @param validator The validator.
    /// @param bondedTokens Its bonded wei.
    /// @param bondedShares Its bonded shares.
    /// @param unbondingTokens Its unbonding wei.
    /// @param unbondingShares Its unbonding shares.
    /// @param totalBonded The bonded wei of all validators.
    /// @param totalUnbonding The unbonding wei of all validators.
    event ValidatorPoolsUpdated(
        address indexed validator,
        uint256 bondedTokens,
        uint256 bondedShares,
        uint256 unbondingTokens,
        uint256 unbondingShares,
        uint256 totalBonded,
        uint256 totalUnbonding
    );

    /// @notice `validator`'s own bonded stake fell below {minSelfStake}: from now on it earns no commission
    /// (its pool's rewards all go per share) and takes no new delegations, until {CommissionResumed}.
    /// @param validator The validator.
    /// @param selfStake Its own bonded stake, in wei.
    /// @param minSelfStake The minimum self-stake in force, in wei.
    event CommissionSuspended(address indexed validator, uint256 selfStake, uint256 minSelfStake);

    /// @notice `validator`'s own bonded stake is back at or above {minSelfStake}: it earns its commission again.
    /// @param validator The validator.
    /// @param selfStake Its own bonded stake, in wei.
    /// @param minSelfStake The minimum self-stake in force, in wei.
    event CommissionResumed(address indexed validator, uint256 selfStake, uint256 minSelfStake);

    /// @notice A holder withdrew an unbonding request (a {ValidatorPoolsUpdated} event follows).
    /// @param holder The holder (the recipient).
    /// @param validator The validator.
    /// @param unbondingId The request.
    /// @param amount The wei returned to the holder (its own principal: never redirected by the wealth cap).
    /// @param unbondingShares The unbonding shares burned.
    event Withdrawn(
        address indexed holder,
        address indexed validator,
        uint256 indexed unbondingId,
        uint256 amount,
        uint256 unbondingShares
    );

    /// @notice Governance funded a reward epoch (it starts now and replaces the running one).
    /// @param amount The wei drawn from the Treasury budget.
    /// @param carried The wei carried in (rounded down; kept exactly, scaled by 1e27): rewards that accrued with
    /// nothing bonded, the unpaid rest of the running epoch, and rounding remainders.
    /// @param duration The epoch's length, in seconds.
    /// @param rewardRate The new rate, in wei per second scaled by 1e27 ({REWARD_PRECISION}).
    /// @param periodFinish When the epoch ends, in seconds.
    /// @param newCarry The wei the new rate leaves to the next epoch, rounded down (the exact remainder is below
    /// `duration / 1e27` wei, so this is 0; the contract keeps it scaled by 1e27).
    event EpochFunded(
        uint256 amount,
        uint256 carried,
        uint256 duration,
        uint256 rewardRate,
        uint256 periodFinish,
        uint256 newCarry
    );

    /// @notice A holder claimed its rewards (paid with `ICivitasToken.payEarnings`: taxed).
    /// @param holder The holder (the payee).
    /// @param gross The rewards before tax, in wei.
    /// @param tax The tax sent to the Treasury, in wei.
    /// @param capExcess The part of the net sent to the Treasury by the wealth cap, in wei.
    event RewardClaimed(address indexed holder, uint256 gross, uint256 tax, uint256 capExcess);

    /// @notice A validator's pools were slashed; the slashed wei went to the Treasury.
    /// @param slashId The slash's sequence number (the reputation report's reference).
    /// @param validator The validator.
    /// @param slashBps The fraction slashed, in bps.
    /// @param bondedSlashed The wei taken from the bonded pool.
    /// @param unbondingSlashed The wei taken from the unbonding pool.
    /// @param reason The reason code (left-aligned ASCII), also reported to the registry.
    /// @param bondedTokens The validator's bonded wei afterwards.
    /// @param unbondingTokens The validator's unbonding wei afterwards.
    /// @param totalBonded The bonded wei of all validators afterwards.
    /// @param totalUnbonding The unbonding wei of all validators afterwards.
    event Slashed(
        uint256 indexed slashId,
        address indexed validator,
        uint256 slashBps,
        uint256 bondedSlashed,
        uint256 unbondingSlashed,
        bytes32 indexed reason,
        uint256 bondedTokens,
        uint256 unbondingTokens,
        uint256 totalBonded,
        uint256 totalUnbonding
    );

    /// @notice The registry refused the reputation report of a slash (the slash still happened).
    /// @param slashId The slash.
    /// @param validator The validator.
    /// @param lowLevelData The registry's revert data.
    event SlashReputationReportFailed(uint256 indexed slashId, address indexed validator, bytes lowLevelData);

    /// @notice The unbonding period changed (requests already made keep their release time).
    /// @param oldPeriod The previous period, in seconds.
    /// @param newPeriod The new period, in seconds.
    event UnbondingPeriodUpdated(uint256 oldPeriod, uint256 newPeriod);

    /// @notice The minimum self-stake changed.
    /// @param oldMinSelfStake The previous minimum, in wei.
    /// @param newMinSelfStake The new minimum, in wei.
    event MinSelfStakeUpdated(uint256 oldMinSelfStake, uint256 newMinSelfStake);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The token staked (CIV).
    function token() external view returns (address);

    /// @notice The agent registry asked for good standing and told about slashes.
    function registry() external view returns (address);

    /// @notice How long undelegated stake unbonds before it can be withdrawn, in seconds (default 7 days,
    /// within [{MIN_UNBONDING_PERIOD}, {MAX_UNBONDING_PERIOD}]). Also the commission-change delay.
    function unbondingPeriod() external view returns (uint256);

    /// @notice The bonded self-stake a validator needs to register and to receive delegations, in wei
    /// (default 500 CIV, within [{MIN_MIN_SELF_STAKE}, {MAX_MIN_SELF_STAKE}]).
    function minSelfStake() external view returns (uint256);

    /// @notice Whether `validator`'s commission is suspended because its own bonded stake fell below
    /// {minSelfStake} (as last evaluated: see {syncSelfStake}). False for an unknown address.
    function commissionSuspended(address validator) external view returns (bool);

    /// @notice A validator's state (all zero for an unknown address).
    function validatorInfo(address validator) external view returns (ValidatorInfo memory);

    /// @notice One unbonding request (all zero once withdrawn or when unknown).
    function unbondingInfo(uint256 unbondingId) external view returns (UnbondingInfo memory);

    /// @notice The validator `account` stakes with (zero when none).
    function boundValidatorOf(address account) external view returns (address);

    /// @notice `account`'s shares of its validator's bonded pool.
    function bondedSharesOf(address account) external view returns (uint256);

    /// @notice `account`'s shares of its validator's unbonding pool (all its requests together).
    function unbondingSharesOf(address account) external view returns (uint256);

    /// @notice `account`'s bonded stake now, in wei (its shares at the pool's current rate, rounded down).
    function bondedBalanceOf(address account) external view returns (uint256);

    /// @notice `account`'s unbonding stake now, in wei (all its requests together, rounded down).
    function unbondingBalanceOf(address account) external view returns (uint256);

    /// @notice The wei one unbonding request would pay if withdrawn now.
    function unbondingAmountOf(uint256 unbondingId) external view returns (uint256);

    /// @notice Rewards `account` could claim now, in wei before tax (its delegator rewards plus, for a
    /// validator, its commission): exactly what {claimRewards} would pay (exact rewards rounded down).
    function pendingRewards(address account) external view returns (uint256);

    /// @notice Bonded wei of all validators (the weight rewards are shared by).
    function totalBonded() external view returns (uint256);

    /// @notice Unbonding wei of all validators.
    function totalUnbonding() external view returns (uint256);

    /// @notice Reward wei held and not yet claimed: owed to holders, still to be streamed in the running
    /// epoch, or carried (the views round each of these down to the wei, so a few wei more than their sum).
    /// `token.balanceOf(this) == totalBonded + totalUnbonding + rewardReserve`.
    function rewardReserve() external view returns (uint256);

    /// @notice Reward wei waiting for the next epoch, rounded down: accrued with nothing bonded, plus every
    /// rounding remainder.
    function carriedRewards() external view returns (uint256);

    /// @notice The reward rate of the running epoch, in wei per second scaled by {REWARD_PRECISION}.
    function rewardRate() external view returns (uint256);

    /// @notice When the running (or last) epoch ends, in seconds.
    function periodFinish() external view returns (uint256);

    /// @notice Rewards per bonded wei accumulated since deployment, scaled by {REWARD_PRECISION}.
    function rewardPerToken() external view returns (uint256);

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers the caller as a validator with `commissionBps` and bonds `selfStake` of its CIV.
    /// @dev Throws {StakingNotInGoodStanding}, {StakingValidatorAlreadyRegistered}, {StakingCommissionTooHigh},
    /// {StakingSelfStakeTooLow}, {StakingBoundToOtherValidator}, and the token's transfer errors.
    /// Emits {ValidatorRegistered} then {Delegated}.
    function registerValidator(uint256 commissionBps, uint256 selfStake) external;

    /// @notice Schedules the caller's commission to become `newCommissionBps` after the unbonding period.
    /// @dev Replaces any schedule pending. Throws {StakingUnknownValidator}, {StakingCommissionTooHigh}.
    /// Emits {CommissionScheduled}.
    function scheduleCommission(uint256 newCommissionBps) external;

    /// @notice Applies `validator`'s scheduled commission once due. Anyone may call; it also happens on the
    /// validator's next update (any delegate, undelegate, claim or slash touching it).
    /// @dev Throws {StakingUnknownValidator}, {StakingCommissionNotDue}. Emits {CommissionApplied}.
    function applyCommission(address validator) external;

    /// @notice Deposits `amount` of the caller's CIV and bonds it with `validator`.
    /// @dev The caller must approve this contract. Throws {StakingZeroAmount}, {StakingUnknownValidator},
    /// {StakingNotInGoodStanding} (validator's standing), {StakingSelfStakeTooLow} (unless the caller is the
    /// validator), {StakingBoundToOtherValidator}, {StakingAmountTooSmall}. Emits {Delegated} (and
    /// {CommissionResumed} or {CommissionSuspended} when the validator's standing against the minimum changes).
    function delegateStake(address validator, uint256 amount) external;

    /// @notice Starts unbonding `shares` of the caller's bonded shares; returns the request's id. A validator
    /// may leave whole; below {minSelfStake} it earns no commission (see {CommissionSuspended}).
    /// @dev Settles the caller's rewards first. Throws {StakingZeroAmount}, {StakingInsufficientShares},
    /// {StakingAmountTooSmall}. Emits {Undelegated} then {ValidatorPoolsUpdated} (and {CommissionSuspended}
    /// when a validator's own stake falls below the minimum).
    function undelegate(uint256 shares) external returns (uint256 unbondingId);

    /// @notice Withdraws an unbonding request after its release time (what is left of it after slashes).
    /// @dev Throws {StakingUnknownUnbonding}, {StakingNotUnbondingOwner}, {StakingStillUnbonding}.
    /// Emits {Withdrawn} then {ValidatorPoolsUpdated}.
    function withdraw(uint256 unbondingId) external returns (uint256 amount);

    /// @notice Claims the caller's rewards, paid through the token's earnings path (taxed, capped).
    /// @dev Throws {StakingNothingToClaim}. Emits {RewardClaimed}.
    function claimRewards() external returns (uint256 gross);

    /// @notice Draws `amount` from this contract's Treasury budget and starts a reward epoch of `duration`
    /// spreading it, the rest of the running epoch and the carried rewards. Only the funder role.
    /// @dev `amount` may be 0 (re-spreads what is carried). Throws {StakingEpochDurationOutOfBounds},
    /// {StakingRewardRateZero}, the Treasury's `TreasuryBudgetExceeded`, `AccessControlUnauthorizedAccount`.
    /// Emits {EpochFunded}.
    function fundEpoch(uint256 amount, uint256 duration) external;

    /// @notice Slashes `slashBps` of `validator`'s bonded and unbonding pools, sends it to the Treasury and
    /// lowers the validator's reputation by `ceil(slashBps / 10)` through the registry. Only the admin or
    /// slasher role.
    /// @dev Throws {StakingUnknownValidator}, {StakingSlashOutOfBounds}, `AccessControlUnauthorizedAccount(caller, SLASHER_ROLE)`.
    /// Emits {Slashed} (then {CommissionSuspended} when the validator's own stake falls below the minimum, and
    /// {SlashReputationReportFailed} when the registry refuses the report).
    function slash(address validator, uint256 slashBps, bytes32 reason) external returns (uint256 slashId);

    /// @notice Brings `validator`'s rewards up to date (at its current commission state), then re-evaluates its
    /// own bonded stake against {minSelfStake}: suspends or resumes its commission from now on. Anyone may call,
    /// e.g. a delegator after governance raised the minimum (otherwise the next delegate, undelegate or slash
    /// touching the validator's stake does it).
    /// @dev Throws {StakingUnknownValidator}. Emits {CommissionSuspended} or {CommissionResumed} on a change.
    /// @return suspended Whether the validator's commission is now suspended.
    function syncSelfStake(address validator) external returns (bool suspended);

    /// @notice Sets the unbonding period, in seconds. Only the parameter role.
    /// @dev Throws {StakingUnbondingPeriodOutOfBounds}. Emits {UnbondingPeriodUpdated}.
    function setUnbondingPeriod(uint256 newPeriod) external;

    /// @notice Sets the minimum self-stake, in wei. Only the parameter role.
    /// Validators are not re-evaluated here (unbounded work): see {syncSelfStake}.
    /// @dev Throws {StakingMinSelfStakeOutOfBounds}. Emits {MinSelfStakeUpdated}.
    function setMinSelfStake(uint256 newMinSelfStake) external;
}
