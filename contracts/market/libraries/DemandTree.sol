// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title DemandTree
/// @notice Demand of one auction aggregated by price tick in a Fenwick (binary indexed) tree, so that the
/// quantity bid at or above any tick, and the clearing tick for any supply, are each found with
/// log2({SIZE}) = 12 storage reads, whatever the number of bids.
/// @dev Ticks run 1..SIZE-1 (higher tick, higher price). Tick `t` is stored at index `SIZE - t`, so a prefix of
/// indices is a suffix of ticks: `prefix(SIZE - t)` is the demand at ticks >= t. Uniswap's TickBitmap finds
/// the next initialised tick in O(1) but crossing ticks one by one costs gas per tick crossed; a Fenwick tree
/// gives the cumulative demand directly, which is what a uniform-price clearing needs.
library DemandTree {
    /// @notice Size of the tree (a power of two); the highest usable tick is `SIZE - 1`.
    uint256 internal constant SIZE = 4096;

    /// @dev Adds `quantity` at `tick` (1 <= tick < SIZE): log2(SIZE) writes at most.
    function add(mapping(uint256 => uint256) storage tree, uint256 tick, uint256 quantity) internal {
        for (uint256 i = SIZE - tick; i <= SIZE; i += i & (~i + 1)) {
            tree[i] += quantity;
        }
    }

    /// @dev Quantity bid at ticks >= `tick` (1 <= tick < SIZE).
    function atOrAbove(mapping(uint256 => uint256) storage tree, uint256 tick) internal view returns (uint256 sum) {
        for (uint256 i = SIZE - tick; i > 0; i &= i - 1) {
            sum += tree[i];
        }
    }

    /// @dev The highest tick `c` whose demand at or above it covers `supply` (`D(c) >= supply > D(c + 1)`),
    /// and `D(c + 1)`. Requires `0 < supply <= D(1)` (the caller checked that demand exceeds supply).
    function highestCovering(
        mapping(uint256 => uint256) storage tree,
        uint256 supply
    ) internal view returns (uint256 tick, uint256 above) {
        // Standard Fenwick descent: the largest index `pos` with prefix(pos) < supply; the answer is pos + 1.
        uint256 pos;
        for (uint256 step = SIZE; step > 0; step >>= 1) {
            uint256 next = pos + step;
            if (next <= SIZE) {
                uint256 value = tree[next];
                if (above + value < supply) {
                    pos = next;
                    above += value;
                }
            }
        }
        tick = SIZE - (pos + 1);
    }
}
