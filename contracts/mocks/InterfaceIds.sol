// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";

/// @title InterfaceIds
/// @notice ERC-165 interface ids as the compiler computes them, for tests. Test use only.
contract InterfaceIds {
    function governor() external pure returns (bytes4) {
        return type(IGovernor).interfaceId;
    }

    function erc165() external pure returns (bytes4) {
        return type(IERC165).interfaceId;
    }

    function erc1155Receiver() external pure returns (bytes4) {
        return type(IERC1155Receiver).interfaceId;
    }
}
