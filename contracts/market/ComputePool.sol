// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IComputePool} from "../interfaces/IComputePool.sol";
import {IResourceMarket} from "../interfaces/IResourceMarket.sol";

/// @title ComputePool
/// @notice A provider pool paying its revenue to the holders of its shares. See {IComputePool}.
/// @dev Invariant: `balance == distributed - paid + undistributed`, and `sum of claimable <= distributed - paid`
/// (each claim rounds down, by less than one wei per claim).
contract ComputePool is IComputePool, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @inheritdoc IComputePool
    uint256 public constant PRECISION = 1e27;

    ICivitasToken private immutable _token;
    IResourceMarket private immutable _market;
    uint256 private immutable _shareResourceId;
    uint256 private immutable _shareEpoch;

    uint256 private _dividendPerShare;
    uint256 private _carry;
    uint256 private _distributed;
    uint256 private _paid;
    mapping(uint256 bidId => uint256) private _paidTo;

    /// @param market_ The resource market (its token is the pool's).
    /// @param shareResourceId The share resource (registered for this pool by governance).
    /// @param shareEpoch The one epoch in which the shares are sold.
    constructor(IResourceMarket market_, uint256 shareResourceId, uint256 shareEpoch) {
        if (address(market_) == address(0)) revert PoolZeroAddress();
        _market = market_;
        _token = ICivitasToken(market_.token());
        _shareResourceId = shareResourceId;
        _shareEpoch = shareEpoch;
    }

    /// @inheritdoc IComputePool
    function market() external view returns (address) {
        return address(_market);
    }

    /// @inheritdoc IComputePool
    function shareSale() external view returns (uint256 resourceId, uint256 epoch) {
        return (_shareResourceId, _shareEpoch);
    }

    /// @inheritdoc IComputePool
    function totalShares() public view returns (uint256) {
        return _market.epochOf(_shareResourceId, _shareEpoch).sold;
    }

    /// @inheritdoc IComputePool
    function dividendPerShare() external view returns (uint256) {
        return _dividendPerShare;
    }

    /// @inheritdoc IComputePool
    function claimable(uint256 bidId) public view returns (uint256) {
        IResourceMarket.Bid memory b = _market.bidOf(bidId);
        if (b.resourceId != _shareResourceId || b.epoch != _shareEpoch) revert PoolNotAShareBid(bidId);
        (uint256 shares, , ) = _market.bidOutcome(bidId);
        return Math.mulDiv(shares, _dividendPerShare, PRECISION) - _paidTo[bidId];
    }

    /// @inheritdoc IComputePool
    function distribute() external nonReentrant {
        IResourceMarket.Epoch memory sale = _market.epochOf(_shareResourceId, _shareEpoch);
        if (!sale.cleared) revert PoolSharesNotSold(_shareResourceId, _shareEpoch);
        // Cannot underflow: the pool holds at least what it distributed and has not paid.
        uint256 amount = IERC20(address(_token)).balanceOf(address(this)) - (_distributed - _paid);
        if (amount == 0) return;
        uint256 shares = sale.sold;
        if (shares == 0) {
            IERC20(address(_token)).safeTransfer(_token.treasury(), amount);
            emit RevenueToTreasury(amount);
            return;
        }
        uint256 scaled = amount * PRECISION + _carry;
        uint256 perShare = scaled / shares;
        _carry = scaled - perShare * shares;
        _dividendPerShare += perShare;
        _distributed += amount;
        emit DividendsDistributed(amount, _dividendPerShare);
    }

    /// @inheritdoc IComputePool
    function claimDividends(uint256 bidId) external nonReentrant {
        uint256 amount = claimable(bidId);
        if (!_token.isProtocolAccount(address(this))) revert PoolNotProtocolAccount(address(this));
        _paidTo[bidId] += amount;
        _paid += amount;
        address holder = _market.bidOf(bidId).bidder;
        if (amount != 0) _token.payEarnings(holder, amount);
        emit DividendsClaimed(bidId, holder, amount);
    }
}
