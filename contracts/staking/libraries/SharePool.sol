// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SharePool
/// @notice The share arithmetic of a staking pool (tokens held for holders of shares) and the split of a
/// validator's earnings into its commission and its delegators' part per share. Pure functions.
/// @dev Every division rounds down, against the holder; its remainder is returned where the caller must keep
/// it (the reward carry). A slash lowers a pool's tokens, never its shares, so every holder's value
/// (`shares * tokens / totalShares`) follows in O(1).
library SharePool {
    /// @notice Basis points in 100%.
    uint256 internal constant BPS = 10_000;

    /// @dev Wei that `shares` of a pool holding `tokens` for `totalShares` are worth, rounded down.
    function valueOf(uint256 shares, uint256 tokens, uint256 totalShares) internal pure returns (uint256) {
        return Math.mulDiv(shares, tokens, totalShares);
    }

    /// @dev Shares that `amount` wei buy in a pool holding `tokens` for `totalShares`, rounded down; one share
    /// per wei in an empty pool. A pool's tokens are never zero while it has shares (a slash takes at most half).
    function sharesFor(uint256 amount, uint256 tokens, uint256 totalShares) internal pure returns (uint256) {
        return totalShares == 0 ? amount : Math.mulDiv(amount, totalShares, tokens);
    }

    /// @dev Splits `earned` (scaled reward wei of a validator's bonded pool of `shares`) into the commission at
    /// `commissionBps` (none while `suspended`: the validator is below its minimum self-stake), the reward per
    /// share for the rest, and the division's remainder: `commission + perShare * shares + remainder ==
    /// earned` exactly.
    function splitEarnings(
        uint256 earned,
        uint256 shares,
        uint256 commissionBps,
        bool suspended
    ) internal pure returns (uint256 commission, uint256 perShare, uint256 remainder) {
        if (!suspended) commission = (earned * commissionBps) / BPS;
        uint256 rest = earned - commission;
        perShare = rest / shares;
        // Cannot underflow: perShare * shares <= rest.
        unchecked {
            remainder = rest - perShare * shares;
        }
    }
}
