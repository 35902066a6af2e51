// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title ERC1271WalletMock
/// @notice A contract wallet that approves whatever its signer signed (tests ERC-1271 agent wallets).
contract ERC1271WalletMock is IERC1271 {
    address private immutable _signer;

    constructor(address signer) {
        _signer = signer;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError recoverError, ) = ECDSA.tryRecover(hash, signature);
        return
            recoverError == ECDSA.RecoverError.NoError && recovered == _signer
                ? this.isValidSignature.selector
                : bytes4(0);
    }
}
