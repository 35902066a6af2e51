// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";

/// @title MockAgentRegistry
/// @notice Test double of the registry's cross-contract surface: good standing set by the test, reputation
/// recorded and emitted. It can refuse reports, and it can call back into a target during a report to test
/// reentrancy (the result of that call is recorded, never bubbled).
contract MockAgentRegistry is IAgentRegistryCore {
    /// @notice The mock was told to refuse reports.
    /// @param wallet The wallet the refused report was about.
    error MockRegistryRefused(address wallet);

    /// @notice A report was recorded.
    event ReputationReported(
        address indexed wallet,
        int256 delta,
        bytes32 indexed reason,
        uint256 ref,
        int256 newScore
    );

    /// @notice A reentry attempt made during a report returned.
    event ReentryAttempted(bool success, bytes returnData);

    mapping(address wallet => bool) private _goodStanding;
    mapping(address wallet => int256) private _scores;
    bool private _refuseReports;
    address private _reentryTarget;
    bytes private _reentryCall;
    bool private _inReentry;

    function setGoodStanding(address wallet, bool good) external {
        _goodStanding[wallet] = good;
    }

    function setRefuseReports(bool refuse) external {
        _refuseReports = refuse;
    }

    function setReentry(address target, bytes calldata data) external {
        _reentryTarget = target;
        _reentryCall = data;
    }

    function scoreOf(address wallet) external view returns (int256) {
        return _scores[wallet];
    }

    function agentIdOf(address wallet) external view returns (uint256) {
        return _goodStanding[wallet] ? uint256(uint160(wallet)) : 0;
    }

    function isInGoodStanding(address wallet) external view returns (bool) {
        return _goodStanding[wallet];
    }

    function reportReputation(
        address wallet,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) external returns (int256 newScore) {
        if (_refuseReports) revert MockRegistryRefused(wallet);
        if (_reentryTarget != address(0) && !_inReentry) {
            _inReentry = true;
            // The mock exists to make this call.
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returnData) = _reentryTarget.call(_reentryCall);
            _inReentry = false;
            emit ReentryAttempted(success, returnData);
        }
        newScore = _scores[wallet] + delta;
        if (newScore > 1000) newScore = 1000;
        if (newScore < -1000) newScore = -1000;
        _scores[wallet] = newScore;
        emit ReputationReported(wallet, delta, reason, ref, newScore);
    }

    /// @notice Records a report by agent id (the id is the wallet's address in this mock).
    function reportAgentReputation(
        uint256 agentId,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) external returns (int256 newScore) {
        address wallet = address(uint160(agentId));
        if (_refuseReports) revert MockRegistryRefused(wallet);
        newScore = _scores[wallet] + delta;
        if (newScore > 1000) newScore = 1000;
        if (newScore < -1000) newScore = -1000;
        _scores[wallet] = newScore;
        emit ReputationReported(wallet, delta, reason, ref, newScore);
    }
}
