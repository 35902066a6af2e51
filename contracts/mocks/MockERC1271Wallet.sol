// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title MockERC1271Wallet
/// @notice Test double: a contract wallet that accepts, under ERC-1271, exactly the ECDSA signatures of its
/// owner. Used to test ERC-3009 authorizations signed for a smart-contract payer.
contract MockERC1271Wallet is IERC1271 {
    address private immutable _owner;

    /// @param owner_ The key holder whose signatures the wallet accepts.
    constructor(address owner_) {
        _owner = owner_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, , ) = ECDSA.tryRecover(hash, signature);
        return signer == _owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
