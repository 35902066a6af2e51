// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";

/// @title MockAgentRegistry
/// @notice Test double of the registry's cross-contract surface: good standing set by the test, agent ids
/// assigned in order (from 1) the first time a wallet is put in good standing, reputation kept per agent id
/// and emitted. A wallet can be unbound from its id (as `unsetAgentWallet` does) and bound again. It can
/// refuse reports, and it can call back into a target during a report to test reentrancy (the result of
/// that call is recorded, never bubbled).
contract MockAgentRegistry is IAgentRegistryCore {
    /// @notice The mock was told to refuse reports.
    /// @param wallet The wallet the refused report was about (zero for a report by id).
    error MockRegistryRefused(address wallet);

    /// @notice A report by id named an id never assigned (the real registry's `ERC721NonexistentToken`).
    /// @param agentId The unknown id.
    error MockRegistryUnknownAgent(uint256 agentId);

    /// @notice A report was recorded.
    /// @param wallet The agent's wallet now (zero when it is unbound).
    /// @param delta The change asked for.
    /// @param reason The reason code.
    /// @param ref The reference.
    /// @param newScore The score after the change.
    event ReputationReported(
        address indexed wallet,
        int256 delta,
        bytes32 indexed reason,
        uint256 ref,
        int256 newScore
    );

    /// @notice A report by agent id was recorded.
    /// @param agentId The agent.
    /// @param delta The change asked for.
    /// @param reason The reason code.
    /// @param ref The reference.
    /// @param newScore The score after the change.
    event AgentReputationReported(
        uint256 indexed agentId,
        int256 delta,
        bytes32 indexed reason,
        uint256 ref,
        int256 newScore
    );

    /// @notice A reentry attempt made during a report returned.
    event ReentryAttempted(bool success, bytes returnData);

    mapping(address wallet => bool) private _goodStanding;
    mapping(address wallet => uint256) private _boundId;
    mapping(address wallet => uint256) private _assignedId;
    mapping(uint256 agentId => int256) private _scores;
    uint256 private _agentCount;
    bool private _refuseReports;
    bool private _refusePairs;
    address private _reentryTarget;
    bytes private _reentryCall;
    bool private _inReentry;

    function setGoodStanding(address wallet, bool good) external {
        _goodStanding[wallet] = good;
        if (_assignedId[wallet] == 0) {
            _assignedId[wallet] = ++_agentCount;
            _boundId[wallet] = _agentCount;
        }
    }

    /// @notice Unbinds `wallet` from its agent id (the agent keeps its id and its score).
    function unbind(address wallet) external {
        _boundId[wallet] = 0;
        _goodStanding[wallet] = false;
    }

    /// @notice Binds `wallet` to its agent id again.
    function rebind(address wallet) external {
        _boundId[wallet] = _assignedId[wallet];
        _goodStanding[wallet] = true;
    }

    function setRefuseReports(bool refuse) external {
        _refuseReports = refuse;
    }

    /// @notice Refuse {reportAgentReputations} only (single reports still land): the escrow falls back to them.
    function setRefusePairs(bool refuse) external {
        _refusePairs = refuse;
    }

    function setReentry(address target, bytes calldata data) external {
        _reentryTarget = target;
        _reentryCall = data;
    }

    /// @notice The score of the agent id assigned to `wallet` (bound or not).
    function scoreOf(address wallet) external view returns (int256) {
        return _scores[_assignedId[wallet]];
    }

    /// @notice The score of agent `agentId`.
    function scoreOfAgent(uint256 agentId) external view returns (int256) {
        return _scores[agentId];
    }

    /// @notice The agent id ever assigned to `wallet` (bound or not).
    function assignedIdOf(address wallet) external view returns (uint256) {
        return _assignedId[wallet];
    }

    function agentIdOf(address wallet) external view returns (uint256) {
        return _boundId[wallet];
    }

    function isInGoodStanding(address wallet) external view returns (bool) {
        return _goodStanding[wallet];
    }

    function agentIdInGoodStanding(address wallet) external view returns (uint256) {
        return _goodStanding[wallet] ? _boundId[wallet] : 0;
    }

    function reportReputation(
        address wallet,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) external returns (int256 newScore) {
        if (_refuseReports) revert MockRegistryRefused(wallet);
        _reenter();
        newScore = _add(_assignedId[wallet], delta);
        emit ReputationReported(wallet, delta, reason, ref, newScore);
    }

    function reportAgentReputation(
        uint256 agentId,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) external returns (int256 newScore) {
        if (_refuseReports) revert MockRegistryRefused(address(0));
        if (agentId == 0 || agentId > _agentCount) revert MockRegistryUnknownAgent(agentId);
        _reenter();
        newScore = _add(agentId, delta);
        emit AgentReputationReported(agentId, delta, reason, ref, newScore);
    }

    function reportAgentReputations(
        ReputationReport calldata first,
        ReputationReport calldata second,
        uint256 ref
    ) external returns (int256 firstNewScore, int256 secondNewScore) {
        if (_refuseReports || _refusePairs) revert MockRegistryRefused(address(0));
        if (first.agentId == 0 || first.agentId > _agentCount) revert MockRegistryUnknownAgent(first.agentId);
        if (second.agentId == 0 || second.agentId > _agentCount) revert MockRegistryUnknownAgent(second.agentId);
        _reenter();
        firstNewScore = _add(first.agentId, first.delta);
        emit AgentReputationReported(first.agentId, first.delta, first.reason, ref, firstNewScore);
        secondNewScore = _add(second.agentId, second.delta);
        emit AgentReputationReported(second.agentId, second.delta, second.reason, ref, secondNewScore);
    }

    function _reenter() private {
        if (_reentryTarget != address(0) && !_inReentry) {
            _inReentry = true;
            // The mock exists to make this call.
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returnData) = _reentryTarget.call(_reentryCall);
            _inReentry = false;
            emit ReentryAttempted(success, returnData);
        }
    }

    function _add(uint256 agentId, int256 delta) private returns (int256 newScore) {
        newScore = _scores[agentId] + delta;
        if (newScore > 1000) newScore = 1000;
        if (newScore < -1000) newScore = -1000;
        _scores[agentId] = newScore;
    }
}
