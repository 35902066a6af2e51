// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAgreement} from "../interfaces/IAgreement.sol";
import {IBlockLottery} from "../interfaces/IBlockLottery.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IPoolAgreements} from "../interfaces/IPoolAgreements.sol";
import {AgreementKinds} from "./AgreementKinds.sol";

/// @title PoolAgreements
/// @notice Lottery pools: members share one BlockLottery entry and its winnings pro rata. See
/// {IPoolAgreements} and docs/agreements.md.
/// @dev No roles, no governance setting: the minimum contribution is fixed at deployment (bounded).
contract PoolAgreements is IPoolAgreements, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IPoolAgreements
    uint256 public constant MIN_CONTRIBUTION_FLOOR = 1e15;

    /// @inheritdoc IPoolAgreements
    uint256 public constant MIN_CONTRIBUTION_CEILING = 10_000e18;

    ICivitasToken private immutable _token;
    IBlockLottery private immutable _lottery;
    uint256 private immutable _minContribution;

    uint256 private _count;
    mapping(uint256 epoch => uint256 poolId) private _poolOfEpoch;
    mapping(uint256 poolId => Pool) private _pools;
    mapping(uint256 poolId => mapping(address member => uint256)) private _contributions;

    /// @param token_ The CIV token. @param lottery_ The BlockLottery.
    /// @param minContribution_ The smallest contribution, in wei, within the bounds.
    constructor(ICivitasToken token_, IBlockLottery lottery_, uint256 minContribution_) {
        if (address(token_) == address(0) || address(lottery_) == address(0)) revert PoolZeroAddress();
        if (minContribution_ < MIN_CONTRIBUTION_FLOOR || minContribution_ > MIN_CONTRIBUTION_CEILING) {
            revert PoolMinContributionOutOfBounds(minContribution_, MIN_CONTRIBUTION_FLOOR, MIN_CONTRIBUTION_CEILING);
        }
        _token = token_;
        _lottery = lottery_;
        _minContribution = minContribution_;
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAgreement
    function kind() external pure returns (uint8) {
        return AgreementKinds.POOL;
    }

    /// @inheritdoc IAgreement
    function agreementCount() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc IPoolAgreements
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IPoolAgreements
    function lottery() external view returns (address) {
        return address(_lottery);
    }

    /// @inheritdoc IPoolAgreements
    function minContribution() external view returns (uint256) {
        return _minContribution;
    }

    /// @inheritdoc IPoolAgreements
    function poolOfEpoch(uint256 epoch) external view returns (uint256) {
        return _poolOfEpoch[epoch];
    }

    /// @inheritdoc IPoolAgreements
    function poolOf(uint256 poolId) external view returns (Pool memory) {
        return _pools[poolId];
    }

    /// @inheritdoc IPoolAgreements
    function lockAt(uint256 poolId) public view returns (uint256) {
        return _lottery.epochStart(_pools[poolId].epoch);
    }

    /// @inheritdoc IPoolAgreements
    function contributionOf(uint256 poolId, address member) external view returns (uint256) {
        return _contributions[poolId][member];
    }

    /// @inheritdoc IPoolAgreements
    function claimable(uint256 poolId, address member) public view returns (uint256 principal, uint256 share) {
        Pool storage p = _pools[poolId];
        if (p.state != PoolState.Settled) return (0, 0);
        principal = _contributions[poolId][member];
        if (principal != 0) share = Math.mulDiv(p.proceedsLeft, principal, p.sharesLeft);
    }

    /// @inheritdoc IPoolAgreements
    function heldFor(uint256 poolId) external view returns (uint256) {
        Pool storage p = _pools[poolId];
        if (p.state == PoolState.Open) return p.contributed;
        if (p.state == PoolState.Settled) return uint256(p.sharesLeft) + p.proceedsLeft;
        return 0;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPoolAgreements
    function contribute(uint256 epoch, uint256 amount) external nonReentrant returns (uint256 poolId) {
        if (amount < _minContribution) revert PoolContributionTooLow(amount, _minContribution);
        if (!_token.isProtocolAccount(address(this))) revert PoolNotProtocolAccount(address(this));
        poolId = _poolOfEpoch[epoch];
        if (poolId == 0) {
            uint256 current = _lottery.currentEpoch();
            if (epoch <= current) revert PoolEpochNotAhead(epoch, current);
            // One increment per transaction never overflows.
            poolId = ++_count;
            _poolOfEpoch[epoch] = poolId;
            _pools[poolId].epoch = SafeCast.toUint64(epoch);
            _pools[poolId].state = PoolState.Open;
            emit PoolCreated(poolId, AgreementKinds.POOL, epoch, _lottery.epochStart(epoch));
        }
        Pool storage p = _pools[poolId];
        if (p.state != PoolState.Open) revert PoolInvalidState(poolId, p.state);
        _requireBeforeLock(poolId, epoch);

        uint256 memberTotal = _contributions[poolId][msg.sender] + amount;
        uint256 poolTotal = p.contributed + amount;
        _contributions[poolId][msg.sender] = memberTotal;
        p.contributed = SafeCast.toUint128(poolTotal);
        emit PoolJoined(poolId, msg.sender, amount, memberTotal, poolTotal);
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IPoolAgreements
    function exit(uint256 poolId) external nonReentrant {
        Pool storage p = _pools[poolId];
        if (p.state != PoolState.Open) revert PoolInvalidState(poolId, p.state);
        _requireBeforeLock(poolId, p.epoch);
        uint256 amount = _contributions[poolId][msg.sender];
        if (amount == 0) revert PoolNotMember(poolId, msg.sender);

        _contributions[poolId][msg.sender] = 0;
        // Cannot underflow: the pool's total includes every member's contribution.
        uint256 poolTotal = p.contributed - amount;
        p.contributed = uint128(poolTotal);
        emit PoolExited(poolId, msg.sender, amount, poolTotal);
        _token.returnPrincipal(msg.sender, amount);
    }

    /// @inheritdoc IPoolAgreements
    function play(uint256 poolId) external nonReentrant {
        Pool storage p = _pools[poolId];
        if (p.state != PoolState.Open) revert PoolInvalidState(poolId, p.state);
        uint256 epoch = p.epoch;
        uint256 opensAt = _lottery.epochStart(epoch);
        uint256 closesAt = _lottery.epochStart(epoch + 1);
        if (block.timestamp < opensAt || block.timestamp >= closesAt) {
            revert PoolOutsideEpoch(poolId, block.timestamp, opensAt, closesAt);
        }

        p.state = PoolState.Playing;
        uint256 amount = p.contributed;
        emit PoolPlayed(poolId, epoch, msg.sender, amount);
        IERC20(address(_token)).forceApprove(address(_lottery), amount);
        _lottery.stake(amount);
    }

    /// @inheritdoc IPoolAgreements
    function settle(uint256 poolId) external nonReentrant {
        Pool storage p = _pools[poolId];
        PoolState state = p.state;
        if (state != PoolState.Open && state != PoolState.Playing) revert PoolInvalidState(poolId, state);
        uint256 epoch = p.epoch;
        uint256 endsAt = _lottery.epochStart(epoch + 1);
        if (block.timestamp < endsAt) {
            revert PoolOutsideEpoch(poolId, block.timestamp, _lottery.epochStart(epoch), endsAt);
        }

        uint256 total = p.contributed;
        uint256 stakeReturned;
        uint256 proceeds;
        p.state = PoolState.Settled;
        if (state == PoolState.Playing) {
            if (!_lottery.epochInfo(epoch).drawn) _lottery.draw(epoch);
            stakeReturned = total;
            uint256 balanceBefore = IERC20(address(_token)).balanceOf(address(this));
            _lottery.withdrawStake(epoch);
            IBlockLottery.EpochInfo memory info = _lottery.epochInfo(epoch);
            if (info.winner == address(this) && info.reward != 0 && block.timestamp <= info.claimDeadline) {
                _lottery.claim(epoch);
            }
            // What arrived beyond the stake is the reward (paid untaxed: protocol account to protocol account).
            proceeds = IERC20(address(_token)).balanceOf(address(this)) - balanceBefore - total;
        }
        p.proceeds = SafeCast.toUint128(proceeds);
        p.sharesLeft = uint128(total);
        p.proceedsLeft = uint128(proceeds);
        emit PoolSettled(poolId, epoch, stakeReturned, proceeds);
    }

    /// @inheritdoc IPoolAgreements
    function claim(uint256 poolId) external nonReentrant {
        Pool storage p = _pools[poolId];
        if (p.state != PoolState.Settled) revert PoolInvalidState(poolId, p.state);
        (uint256 principal, uint256 share) = claimable(poolId, msg.sender);
        if (principal == 0) revert PoolNotMember(poolId, msg.sender);

        _contributions[poolId][msg.sender] = 0;
        // Cannot underflow: share <= proceedsLeft (principal <= sharesLeft) and principal <= sharesLeft.
        p.sharesLeft -= uint128(principal);
        p.proceedsLeft -= uint128(share);
        emit PoolClaimed(poolId, msg.sender, principal, share);
        _token.returnPrincipal(msg.sender, principal);
        if (share != 0) _token.payEarnings(msg.sender, share);
    }

    /*//////////////////////////////////////////////////////////////
                                PRIVATE
    //////////////////////////////////////////////////////////////*/

    /// @dev Joining and leaving are allowed while `block.timestamp < lockAt`.
    function _requireBeforeLock(uint256 poolId, uint256 epoch) private view {
        uint256 lock = _lottery.epochStart(epoch);
        if (block.timestamp >= lock) revert PoolLocked(poolId, block.timestamp, lock);
    }
}
