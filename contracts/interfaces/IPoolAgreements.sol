// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgreement} from "./IAgreement.sol";

/// @title IPoolAgreements
/// @notice Lottery pools (kind {AgreementKinds.POOL}, issue 17: "pools form to share lottery winnings"):
/// members contribute CIV to the pool of one BlockLottery epoch; the pool stakes the whole of it in that
/// epoch as ONE entrant; after the draw its stake comes back and, if it won, the reward with it; each member
/// takes back its contribution (principal, untaxed) and its pro-rata share of the reward (earnings, taxed).
/// Life cycle of the pool of epoch `e` (one pool per epoch, made by the first contribution):
/// - Open until the lock, `lottery.epochStart(e)`: {contribute} and {exit} (the whole contribution back).
///   From the lock (`block.timestamp >= lockAt`) membership is frozen: nobody joins or leaves once the
///   epoch's entries, and later its outcome, can be known.
/// - During epoch `e` anyone calls {play}: the pool stakes its total (Playing). The earlier, the heavier
///   (the lottery weighs a stake by the part of the epoch still ahead), so members call it at the lock.
/// - After epoch `e` anyone calls {settle}: a Playing pool draws the epoch if nobody has, withdraws its
///   stake and claims the reward if it won; a pool never played settles with nothing to share. Settled.
/// - Settled: each member calls {claim} once, at any time: principal plus `proceedsLeft * c / sharesLeft`
///   for its contribution `c`, both counters then reduced by what it took, so the last claimer takes the
///   exact remainder. Constant gas for every call: no loop over members.
/// The pool never commits to the lottery's randomness (it has no one to keep a secret): it wins on the
/// other entrants' reveals, or its epoch is void and its stake simply comes back (docs/lottery.md).
/// @dev Must be a protocol account on the token: deposits untaxed, the reward arrives untaxed (protocol to
/// protocol), and is taxed once, as each member's earnings.
interface IPoolAgreements is IAgreement {
    /// @notice Where a pool stands. `None` is the state of an id (or an epoch's pool) never made.
    enum PoolState {
        None,
        Open,
        Playing,
        Settled
    }

    /// @notice A pool as stored (two slots). Amounts in wei.
    /// @param epoch The lottery epoch it plays. @param contributed Total contributions (its shares).
    /// @param proceeds The reward it won (0 if none), set at {settle}.
    /// @param sharesLeft Contributions not yet claimed (after {settle}).
    /// @param proceedsLeft Proceeds not yet claimed (after {settle}).
    struct Pool {
        uint64 epoch;
        PoolState state;
        uint128 contributed;
        uint128 proceeds;
        uint128 sharesLeft;
        uint128 proceedsLeft;
    }

    /// @notice The contribution is below {minContribution} (wei).
    error PoolContributionTooLow(uint256 amount, uint256 minContribution);

    /// @notice The epoch's pool is locked: `timestamp >= lockAt` (seconds), so nobody joins or exits.
    error PoolLocked(uint256 poolId, uint256 timestamp, uint256 lockAt);

    /// @notice The epoch is the lottery's current one or past: a pool can only form before its lock.
    error PoolEpochNotAhead(uint256 epoch, uint256 currentEpoch);

    /// @notice The pool is not in a state that allows the call.
    error PoolInvalidState(uint256 poolId, PoolState current);

    /// @notice The call is allowed only during the pool's epoch, [`opensAt`, `closesAt`) (seconds).
    error PoolOutsideEpoch(uint256 poolId, uint256 timestamp, uint256 opensAt, uint256 closesAt);

    /// @notice The account has no contribution in the pool (never joined, exited or already claimed).
    error PoolNotMember(uint256 poolId, address account);

    /// @notice A minimum contribution outside [{MIN_CONTRIBUTION_FLOOR}, {MIN_CONTRIBUTION_CEILING}] (wei).
    error PoolMinContributionOutOfBounds(uint256 amount, uint256 floor, uint256 ceiling);

    /// @notice A constructor address is zero.
    error PoolZeroAddress();

    /// @notice The contract is not a protocol account on the token, so a deposit would be taxed.
    error PoolNotProtocolAccount(address pools);

    /// @notice The first contribution made the pool of lottery epoch `epoch`; it locks at `lockAt` (seconds).
    event PoolCreated(uint256 indexed poolId, uint8 indexed kind, uint256 indexed epoch, uint256 lockAt);

    /// @notice `member` contributed `amount` wei; it now has `memberTotal`, the pool `poolTotal`.
    event PoolJoined(
        uint256 indexed poolId,
        address indexed member,
        uint256 amount,
        uint256 memberTotal,
        uint256 poolTotal
    );

    /// @notice `member` left before the lock with its `amount` wei (untaxed); the pool now has `poolTotal`.
    event PoolExited(uint256 indexed poolId, address indexed member, uint256 amount, uint256 poolTotal);

    /// @notice The pool staked `amount` wei in its lottery epoch, called by `by`.
    event PoolPlayed(uint256 indexed poolId, uint256 indexed epoch, address indexed by, uint256 amount);

    /// @notice The pool settled: `stakeReturned` wei came back from the lottery, `proceeds` wei won (0 if
    /// none or not played).
    event PoolSettled(uint256 indexed poolId, uint256 indexed epoch, uint256 stakeReturned, uint256 proceeds);

    /// @notice `member` took its `principal` (untaxed) and its `share` of the proceeds (gross, paid taxed).
    event PoolClaimed(uint256 indexed poolId, address indexed member, uint256 principal, uint256 share);

    /// @notice Lower bound of {minContribution}: 10^15 wei.
    function MIN_CONTRIBUTION_FLOOR() external view returns (uint256);

    /// @notice Upper bound of {minContribution}: 10^22 wei.
    function MIN_CONTRIBUTION_CEILING() external view returns (uint256);

    /// @notice The CIV token.
    function token() external view returns (address);

    /// @notice The BlockLottery the pools play.
    function lottery() external view returns (address);

    /// @notice The smallest contribution, in wei (fixed at deployment): dust members cost real money.
    function minContribution() external view returns (uint256);

    /// @notice The pool of lottery epoch `epoch` (0 if none yet).
    function poolOfEpoch(uint256 epoch) external view returns (uint256);

    /// @notice A pool (zeroes for an id never made).
    function poolOf(uint256 poolId) external view returns (Pool memory);

    /// @notice When a pool locks: the start of its lottery epoch, in seconds.
    function lockAt(uint256 poolId) external view returns (uint256);

    /// @notice What `member` contributed to the pool and has not taken back, in wei.
    function contributionOf(uint256 poolId, address member) external view returns (uint256);

    /// @notice What `member` would receive by {claim} now: its principal and its gross share, in wei.
    function claimable(uint256 poolId, address member) external view returns (uint256 principal, uint256 share);

    /// @notice CIV this contract holds for the pool now, in wei (a Playing pool's stake is in the lottery).
    function heldFor(uint256 poolId) external view returns (uint256);

    /// @notice Contributes `amount` wei (drawn from the caller's allowance) to the pool of lottery epoch
    /// `epoch`, making it if it is the first. Before the lock; `amount >= minContribution`.
    /// @dev Throws {PoolEpochNotAhead}, {PoolContributionTooLow}, {PoolLocked}, {PoolNotProtocolAccount},
    /// `SafeCastOverflowedUintDowncast`. Emits {PoolCreated} (first), {PoolJoined}.
    function contribute(uint256 epoch, uint256 amount) external returns (uint256 poolId);

    /// @notice The caller leaves an Open pool before its lock with its whole contribution (untaxed).
    /// @dev Throws {PoolInvalidState}, {PoolLocked}, {PoolNotMember}. Emits {PoolExited}.
    function exit(uint256 poolId) external;

    /// @notice Anyone stakes an Open pool's total in its lottery epoch, during that epoch.
    /// @dev Throws {PoolInvalidState}, {PoolOutsideEpoch}, the lottery's stake errors
    /// (`LotteryWeightTooSmall`). Emits {PoolPlayed}.
    function play(uint256 poolId) external;

    /// @notice Anyone settles a pool once its epoch is over: a Playing pool draws the epoch if needed (from
    /// the end of the lottery's reveal window), takes its stake back and claims a won reward.
    /// @dev Throws {PoolInvalidState}, {PoolOutsideEpoch} (epoch not over), the lottery's draw errors
    /// (`LotteryOutsideWindow`). Emits {PoolSettled}.
    function settle(uint256 poolId) external;

    /// @notice A member of a Settled pool takes its contribution back and its share of the proceeds.
    /// @dev Throws {PoolInvalidState}, {PoolNotMember}. Emits {PoolClaimed}.
    function claim(uint256 poolId) external;
}
