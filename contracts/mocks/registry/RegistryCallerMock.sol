// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentRegistry} from "../../interfaces/IAgentRegistry.sol";

/// @title RegistryCallerMock
/// @notice A contract that registers an agent but does not accept ERC-721 tokens (tests the mint's receiver check).
contract RegistryCallerMock {
    IAgentRegistry private immutable _registry;

    constructor(IAgentRegistry registry) {
        _registry = registry;
    }

    function register() external returns (uint256) {
        return _registry.register();
    }
}
