// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";

/// @title MockAgentRegistry
/// @notice A stand-in for the agent registry in unit tests: standing is set by hand, reputation reports are
/// recorded (clamped to [-1000, 1000]) and can be made to revert.
contract MockAgentRegistry is IAgentRegistryCore {
    /// @notice The mock was told to refuse reports.
    error MockRegistryRefused(address wallet);

    /// @notice A report was recorded.
    event ReputationReported(address indexed wallet, int256 delta, bytes32 reason, uint256 ref, int256 newScore);

    mapping(address wallet => bool) private _goodStanding;
    mapping(address wallet => int256) private _score;
    bool private _refuseReports;

    function setGoodStanding(address wallet, bool standing) external {
        _goodStanding[wallet] = standing;
    }

    function setRefuseReports(bool refuse) external {
        _refuseReports = refuse;
    }

    function scoreOf(address wallet) external view returns (int256) {
        return _score[wallet];
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
        newScore = _score[wallet] + delta;
        if (newScore < -1000) newScore = -1000;
        if (newScore > 1000) newScore = 1000;
        _score[wallet] = newScore;
        emit ReputationReported(wallet, delta, reason, ref, newScore);
    }
}
