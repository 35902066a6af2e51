// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

/// @title RewardStream
/// @notice The global reward stream of staking: funded epochs pay `rate` (wei per second, scaled by 1e27) to
/// all bonded stake through a Synthetix-style accumulator `rewardPerToken`, kept exactly: every remainder
/// (and everything streamed while nothing is bonded) goes to `carry`, which the next epoch streams again.
/// @dev `reserve * 1e27 == carry + rate * (periodFinish - lastUpdateTime) + what holders are owed` holds with
/// equality (see Staking). All amounts but `reserve` are scaled by {PRECISION}.
library RewardStream {
    /// @notice Scale of the rate, the accumulator and the carry.
    uint256 internal constant PRECISION = 1e27;

    /// @dev Reward stream state (one struct: read and written together by every update).
    struct State {
        // Wei per second of the running epoch, scaled by PRECISION.
        uint256 rate;
        // Rewards per bonded wei accumulated since deployment, scaled by PRECISION.
        uint256 rewardPerToken;
        // Rewards waiting for the next epoch (streamed with nothing bonded, every rounding remainder), in wei
        // scaled by PRECISION (exact).
        uint256 carry;
        // Funded minus claimed reward wei.
        uint256 reserve;
        // End of the running epoch and time of the last update, in seconds.
        uint48 periodFinish;
        uint48 lastUpdateTime;
    }

    /// @dev Brings the accumulator up to now with `totalBonded` wei bonded since the last update. What streamed
    /// is split exactly: `streamed / totalBonded` per bonded wei, the remainder (or all of it, with nothing
    /// bonded) to the carry.
    function update(State storage self, uint256 totalBonded) internal {
        uint256 applicable = Math.min(block.timestamp, self.periodFinish);
        uint256 last = self.lastUpdateTime;
        if (applicable > last) {
            uint256 streamed = self.rate * (applicable - last);
            uint256 remainder = streamed;
            if (totalBonded != 0) {
                uint256 perToken = streamed / totalBonded;
                self.rewardPerToken += perToken;
                // Cannot underflow: perToken * totalBonded <= streamed.
                unchecked {
                    remainder = streamed - perToken * totalBonded;
                }
            }
            if (remainder != 0) self.carry += remainder;
            self.lastUpdateTime = SafeCast.toUint48(applicable);
        }
    }

    /// @dev The accumulator and the carry (scaled) as {update} would leave them now.
    function current(
        State storage self,
        uint256 totalBonded
    ) internal view returns (uint256 rewardPerToken, uint256 carry) {
        rewardPerToken = self.rewardPerToken;
        carry = self.carry;
        uint256 applicable = Math.min(block.timestamp, self.periodFinish);
        uint256 last = self.lastUpdateTime;
        if (applicable <= last) return (rewardPerToken, carry);
        uint256 streamed = self.rate * (applicable - last);
        if (totalBonded == 0) return (rewardPerToken, carry + streamed);
        return (rewardPerToken + streamed / totalBonded, carry + (streamed % totalBonded));
    }

    /// @dev Starts an epoch of `duration` seconds (the stream is up to date) spreading `amount` new wei, the
    /// carry and the unstreamed rest of the running epoch, all exactly: the epoch streams `rate * duration` and
    /// the rest (below `duration`, far below one wei) stays carried. Returns the scaled wei carried in, the
    /// new rate and the new carry (scaled); `rate` is 0 when the total is too small for the duration.
    function fund(
        State storage self,
        uint256 amount,
        uint256 duration
    ) internal returns (uint256 carried, uint256 rate, uint256 newCarry) {
        carried = self.carry;
        if (block.timestamp < self.periodFinish) {
            carried += self.rate * (self.periodFinish - block.timestamp);
        }
        uint256 total = amount * PRECISION + carried;
        rate = total / duration;
        if (rate == 0) return (carried, 0, 0);
        newCarry = total % duration;
        self.carry = newCarry;
        self.rate = rate;
        self.lastUpdateTime = Time.timestamp();
        self.periodFinish = SafeCast.toUint48(block.timestamp + duration);
        self.reserve += amount;
    }
}
