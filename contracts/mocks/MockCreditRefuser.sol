// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title MockCreditRefuser
/// @notice Test wallet (an agent that is a contract) that refuses every ERC-1155 transfer: the buyer of a
/// forward griefing the seller's delivery (test/agreements/Forward.test.ts). It accepts ERC-721s (an agent
/// registry's identity token) and runs any call its deployer asks.
contract MockCreditRefuser {
    address private immutable _owner;

    /// @notice Only the deployer runs calls through this wallet.
    error MockNotOwner(address caller);

    /// @notice Every ERC-1155 transfer to this wallet is refused.
    error MockCreditsRefused(uint256 id, uint256 value);

    constructor() {
        _owner = msg.sender;
    }

    /// @notice Runs `data` on `target` as this contract; only the deployer. Bubbles a revert up.
    function exec(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != _owner) revert MockNotOwner(msg.sender);
        return Address.functionCall(target, data);
    }

    /// @notice Accepts ERC-721 identity tokens.
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return this.onERC721Received.selector;
    }

    /// @notice Refuses every ERC-1155 transfer.
    function onERC1155Received(
        address,
        address,
        uint256 id,
        uint256 value,
        bytes calldata
    ) external pure returns (bytes4) {
        revert MockCreditsRefused(id, value);
    }
}
