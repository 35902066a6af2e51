// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICivitasTimelock
/// @notice What the Civitas timelock adds to OpenZeppelin's TimelockController: its minimum delay is bounded,
/// at deploy and when governance changes it (`updateDelay`, callable only by the timelock itself), so that a
/// captured governance cannot remove the delay that gives holders time to react; and a guardian (security
/// council) holds OpenZeppelin's canceller role and nothing else, so it can veto a queued operation (OZ
/// `cancel`, which emits `Cancelled(id)`) during that delay but never propose, execute or change anything.
/// Governance appoints and replaces it ({setGuardian}); the deploy names the first one (parameter `guardian`).
/// @dev Times in seconds. Issue 20, attack 1.
interface ICivitasTimelock {
    /// @notice The guardian was replaced.
    /// @param oldGuardian The previous guardian (zero for none).
    /// @param newGuardian The new guardian (zero for none).
    event GuardianChanged(address indexed oldGuardian, address indexed newGuardian);

    /// @notice A guardian must hold no other timelock role (proposer, executor, admin, canceller).
    /// @param guardian The rejected account.
    error CivitasTimelockInvalidGuardian(address guardian);

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

    /// @notice The guardian: may cancel queued operations, nothing else (zero when none).
    function guardian() external view returns (address);

    /// @notice Replaces the guardian (zero removes it), moving the canceller role. Only the timelock itself
    /// (a proposal). Throws `TimelockUnauthorizedCaller`, {CivitasTimelockInvalidGuardian}.
    /// Emits {GuardianChanged} (and OpenZeppelin's `RoleRevoked`/`RoleGranted`).
    function setGuardian(address newGuardian) external;
}
