// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICivitasTimelock
/// @notice What the Civitas timelock adds to OpenZeppelin's TimelockController: its minimum delay is bounded,
/// at deploy and when governance changes it (`updateDelay`, callable only by the timelock itself), so that a
/// captured governance cannot remove the delay that gives holders time to react.
/// @dev Times in seconds.
interface ICivitasTimelock {
    /// @notice A minimum delay outside its bounds was set.
    /// @param delay The rejected delay, in seconds.
    /// @param minDelay The lowest allowed delay, in seconds ({MIN_DELAY_FLOOR}).
    /// @param maxDelay The highest allowed delay, in seconds ({MAX_DELAY_CEILING}).
    error CivitasTimelockDelayOutOfBounds(uint256 delay, uint256 minDelay, uint256 maxDelay);

    /// @notice The lowest minimum delay: 1 day, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MIN_DELAY_FLOOR() external view returns (uint256);

    /// @notice The highest minimum delay: 30 days, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_DELAY_CEILING() external view returns (uint256);
}
