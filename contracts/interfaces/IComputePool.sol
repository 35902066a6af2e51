// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IComputePool
/// @notice Compute shares (sim-economy's cores): a provider pool whose revenue streams to its shareholders pro
/// rata as dividends. The pool's shares are sold once, through the resource market: they are the fills of
/// the bids on one resource (the pool's share resource, registered by governance) in one epoch. A provider
/// offers capacity with this pool as the payee; the market pays the revenue here (untaxed: the pool is a
/// protocol account) and each shareholder claims its dividends, paid as earnings (taxed once, capped).
/// @dev Dividends use the staking reward-per-share accumulator: {distribute} adds the CIV received since the
/// last call to `dividendPerShare` (scaled by 1e27, the division's remainder carried exactly to the next
/// call); a share bid's dividends are `filled * dividendPerShare / 1e27 - paid`. Constant gas whatever the
/// number of shareholders. Amounts in wei. If the share sale sold nothing, what the pool receives goes to the
/// Treasury.
interface IComputePool {
    /// @notice The share auction has not been cleared yet.
    /// @param resourceId The share resource.
    /// @param epoch The share epoch.
    error PoolSharesNotSold(uint256 resourceId, uint256 epoch);

    /// @notice The bid is not on the pool's share resource and epoch.
    /// @param bidId The bid.
    error PoolNotAShareBid(uint256 bidId);

    /// @notice The pool is not a protocol account on the token, so it cannot pay earnings.
    /// @param pool This contract.
    error PoolNotProtocolAccount(address pool);

    /// @notice The zero address was given.
    error PoolZeroAddress();

    /// @notice Revenue was added to the dividends.
    /// @param amount CIV added, in wei.
    /// @param dividendPerShare The accumulator after it, scaled by 1e27.
    event DividendsDistributed(uint256 amount, uint256 dividendPerShare);

    /// @notice Revenue went to the Treasury because no share was sold.
    /// @param amount CIV sent, in wei.
    event RevenueToTreasury(uint256 amount);

    /// @notice A shareholder's dividends were paid (as earnings) to the bid's bidder.
    /// @param bidId The share bid.
    /// @param holder The bidder.
    /// @param amount CIV paid (gross, before tax), in wei.
    event DividendsClaimed(uint256 indexed bidId, address indexed holder, uint256 amount);

    /// @notice Scale of the accumulator: 1e27.
    function PRECISION() external view returns (uint256);

    /// @notice The market that sold the shares and pays the revenue.
    function market() external view returns (address);

    /// @notice The share resource and the epoch of its one sale.
    function shareSale() external view returns (uint256 resourceId, uint256 epoch);

    /// @notice Shares sold (0 until the share epoch is cleared).
    function totalShares() external view returns (uint256);

    /// @notice CIV per share distributed so far, scaled by {PRECISION}.
    function dividendPerShare() external view returns (uint256);

    /// @notice Dividends a share bid can claim now, in wei (after a {distribute}).
    function claimable(uint256 bidId) external view returns (uint256);

    /// @notice Adds the CIV received since the last call to the dividends; anyone may call.
    /// @dev Throws {PoolSharesNotSold}. Emits {DividendsDistributed} or {RevenueToTreasury} when something new
    /// arrived.
    function distribute() external;

    /// @notice Pays a share bid's dividends to its bidder as earnings; anyone may call.
    /// @dev Throws {PoolNotAShareBid}, {PoolNotProtocolAccount}, the market's `MarketUnknownId`.
    /// Emits {DividendsClaimed}.
    function claimDividends(uint256 bidId) external;
}
