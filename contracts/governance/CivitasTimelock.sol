// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

import {ICivitasTimelock} from "../interfaces/ICivitasTimelock.sol";

/// @title CivitasTimelock
/// @notice OpenZeppelin's TimelockController, unchanged except that its minimum delay stays within
/// [{MIN_DELAY_FLOOR}, {MAX_DELAY_CEILING}]. After deploy it holds every privileged role of Civitas; the
/// governor is its only proposer and canceller, anyone may execute a ready operation, and it administers
/// itself (the deployer's temporary admin role is renounced by the Governance Ignition module). A guardian
/// (security council) that governance appoints and replaces holds the canceller role and nothing else: it
/// may veto a queued operation during the delay, never propose or execute one.
contract CivitasTimelock is ICivitasTimelock, TimelockController {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICivitasTimelock
    uint256 public constant MIN_DELAY_FLOOR = 1 days;
    /// @inheritdoc ICivitasTimelock
    uint256 public constant MAX_DELAY_CEILING = 30 days;

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    address private _guardian;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param minDelay The initial minimum delay, in seconds (default 2 days).
    /// @param proposers Accounts granted the proposer and canceller roles.
    /// @param executors Accounts granted the executor role (`address(0)` lets anyone execute).
    /// @param admin An optional temporary admin (zero for none), to be renounced after setup.
    /// @param guardian_ The first guardian (zero for none): receives the canceller role only.
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin,
        address guardian_
    ) TimelockController(minDelay, proposers, executors, admin) {
        _requireDelayInBounds(minDelay);
        _setGuardian(guardian_);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICivitasTimelock
    function guardian() external view returns (address) {
        return _guardian;
    }

    /*//////////////////////////////////////////////////////////////
                                EXTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @notice Changes the minimum delay, within bounds. Only the timelock itself (through a proposal).
    /// @dev Throws `TimelockUnauthorizedCaller`, {CivitasTimelockDelayOutOfBounds}. Emits `MinDelayChange`.
    function updateDelay(uint256 newDelay) public override {
        if (msg.sender != address(this)) revert TimelockUnauthorizedCaller(msg.sender);
        _requireDelayInBounds(newDelay);
        super.updateDelay(newDelay);
    }

    /// @inheritdoc ICivitasTimelock
    function setGuardian(address newGuardian) external {
        if (msg.sender != address(this)) revert TimelockUnauthorizedCaller(msg.sender);
        _setGuardian(newGuardian);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Moves the canceller role from the old guardian to the new one. Refuses a guardian that already
    /// holds another timelock role (the governor, the timelock itself): the guardian only vetoes.
    function _setGuardian(address newGuardian) private {
        if (
            newGuardian != address(0) &&
            (hasRole(PROPOSER_ROLE, newGuardian) ||
                hasRole(EXECUTOR_ROLE, newGuardian) ||
                hasRole(DEFAULT_ADMIN_ROLE, newGuardian) ||
                hasRole(CANCELLER_ROLE, newGuardian))
        ) revert CivitasTimelockInvalidGuardian(newGuardian);
        address oldGuardian = _guardian;
        if (oldGuardian != address(0)) _revokeRole(CANCELLER_ROLE, oldGuardian);
        _guardian = newGuardian;
        if (newGuardian != address(0)) _grantRole(CANCELLER_ROLE, newGuardian);
        emit GuardianChanged(oldGuardian, newGuardian);
    }

    function _requireDelayInBounds(uint256 delay) private pure {
        if (delay < MIN_DELAY_FLOOR || delay > MAX_DELAY_CEILING) {
            revert CivitasTimelockDelayOutOfBounds(delay, MIN_DELAY_FLOOR, MAX_DELAY_CEILING);
        }
    }
}
