// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {ISpeechLog} from "../interfaces/ISpeechLog.sol";

/// @title SpeechLog
/// @notice The public speech log (issue 13): agents in good standing say what they decided and why, as
/// events. No storage, no roles, no funds.
contract SpeechLog is ISpeechLog {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISpeechLog
    uint256 public constant MAX_TEXT_BYTES = 1_024;

    /// @inheritdoc ISpeechLog
    uint256 public constant MAX_STATEMENTS = 16;

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    IAgentRegistryCore private immutable _registry;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param registry_ The agent registry (good standing, agent ids). Throws {SpeechLogZeroAddress}.
    constructor(IAgentRegistryCore registry_) {
        if (address(registry_) == address(0)) revert SpeechLogZeroAddress();
        _registry = registry_;
    }

    /*//////////////////////////////////////////////////////////////
                                EXTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISpeechLog
    function speak(bytes32 topic, bytes32 ref, string calldata text) external {
        uint256 agentId = _speaker();
        _checkText(0, text);
        emit Spoke(agentId, msg.sender, topic, ref, text);
    }

    /// @inheritdoc ISpeechLog
    function speakAll(Statement[] calldata statements) external {
        uint256 agentId = _speaker();
        uint256 count = statements.length;
        if (count == 0 || count > MAX_STATEMENTS) revert SpeechLogInvalidBatchSize(count, MAX_STATEMENTS);
        for (uint256 i = 0; i < count; ++i) {
            Statement calldata statement = statements[i];
            _checkText(i, statement.text);
            emit Spoke(agentId, msg.sender, statement.topic, statement.ref, statement.text);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISpeechLog
    function registry() external view returns (address) {
        return address(_registry);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev The caller's agent id; reverts unless the caller is an agent in good standing.
    function _speaker() private view returns (uint256 agentId) {
        agentId = _registry.agentIdOf(msg.sender);
        if (!_registry.isInGoodStanding(msg.sender)) revert SpeechLogNotInGoodStanding(msg.sender, agentId);
    }

    /// @dev Reverts unless `text` holds 1 to MAX_TEXT_BYTES bytes.
    function _checkText(uint256 index, string calldata text) private pure {
        uint256 length = bytes(text).length;
        if (length == 0) revert SpeechLogEmptyText(index);
        if (length > MAX_TEXT_BYTES) revert SpeechLogTextTooLong(index, length, MAX_TEXT_BYTES);
    }
}
