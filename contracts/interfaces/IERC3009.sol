// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IERC3009
/// @notice ERC-3009 "Transfer With Authorization": a holder signs an EIP-712 message authorising one transfer
/// (payee, amount, validity window, random 32-byte nonce) and anyone (for `receiveWithAuthorization`, only the
/// payee) submits it. Each nonce is single-use per authorizer, so a signed payment retried after a timeout can
/// never pay twice. Typehashes, events and function signatures are the standard's, byte for byte
/// (https://eips.ethereum.org/EIPS/eip-3009); signatures come as `(v, r, s)` (USDC's form, which x402's exact
/// scheme submits for EOAs) or as `bytes` (the ERC's current form; ERC-1271 wallets, as ERC-7598).
/// @dev Validity is exclusive at both ends, as the reference implementation (USDC FiatTokenV2): an
/// authorization is usable when `validAfter < block.timestamp < validBefore`.
interface IERC3009 {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The authorization is not valid yet: the block time is not after `validAfter`.
    /// @param validAfter The signed lower bound, in seconds (exclusive).
    /// @param now_ The block time, in seconds.
    error ERC3009AuthorizationNotYetValid(uint256 validAfter, uint256 now_);

    /// @notice The authorization has expired: the block time is not before `validBefore`.
    /// @param validBefore The signed upper bound, in seconds (exclusive).
    /// @param now_ The block time, in seconds.
    error ERC3009AuthorizationExpired(uint256 validBefore, uint256 now_);

    /// @notice This authorizer's nonce was already used or canceled.
    /// @param authorizer The authorizer (payer, or canceller).
    /// @param nonce The nonce.
    error ERC3009AuthorizationUsedOrCanceled(address authorizer, bytes32 nonce);

    /// @notice The signature is not the authorizer's over this message (wrong signer, wrong fields, another
    /// chain or token, or a contract wallet that refused it under ERC-1271).
    /// @param authorizer The account that was expected to have signed.
    error ERC3009InvalidSignature(address authorizer);

    /// @notice `receiveWithAuthorization` may only be submitted by the payee (front-running protection).
    /// @param caller The account that submitted it.
    /// @param payee The payee named in the authorization.
    error ERC3009CallerNotPayee(address caller, address payee);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An authorization was used: its nonce is spent. Emitted before the transfer's own events
    /// (`Transfer` legs and `TaxCharged` for an ordinary payer and payee), in the same transaction.
    /// @param authorizer The payer who signed.
    /// @param nonce The spent nonce.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);

    /// @notice An authorization was canceled before use: its nonce is spent without a transfer.
    /// @param authorizer The payer who signed the cancellation.
    /// @param nonce The spent nonce.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice `keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")`.
    // solhint-disable-next-line func-name-mixedcase
    function TRANSFER_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /// @notice `keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")`.
    // solhint-disable-next-line func-name-mixedcase
    function RECEIVE_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /// @notice `keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")`.
    // solhint-disable-next-line func-name-mixedcase
    function CANCEL_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /// @notice Whether `authorizer`'s `nonce` is spent (used or canceled).
    /// @param authorizer The authorizer.
    /// @param nonce A 32-byte nonce.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Moves `value` from `from` to `to` on `from`'s signed `TransferWithAuthorization`; anyone may
    /// submit it. The transfer is an ordinary one (taxed, capped, snapshots recorded) as if `from` had called
    /// `transfer(to, value)`.
    /// @dev Throws {ERC3009AuthorizationNotYetValid}, {ERC3009AuthorizationExpired},
    /// {ERC3009AuthorizationUsedOrCanceled}, {ERC3009InvalidSignature}, and whatever `transfer` throws.
    /// Emits {AuthorizationUsed}, then the transfer's events.
    /// @param from The payer (authorizer).
    /// @param to The payee.
    /// @param value The amount, in wei (gross: the payee receives it net of tax).
    /// @param validAfter The block time after which it is valid, in seconds (exclusive).
    /// @param validBefore The block time before which it is valid, in seconds (exclusive).
    /// @param nonce A random 32-byte nonce, unique to `from`.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice {transferWithAuthorization} with the signature as bytes (65-byte ECDSA or ERC-1271).
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice As {transferWithAuthorization} for a signed `ReceiveWithAuthorization`, which only the payee may
    /// submit: a contract that pulls a payment cannot have it front-run into a plain transfer.
    /// @dev Throws {ERC3009CallerNotPayee} and the errors of {transferWithAuthorization}.
    /// Emits {AuthorizationUsed}, then the transfer's events.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice {receiveWithAuthorization} with the signature as bytes (65-byte ECDSA or ERC-1271).
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Spends `authorizer`'s unused `nonce` on its signed `CancelAuthorization`, so that an
    /// authorization signed with it can never be used. Anyone may submit it.
    /// @dev Throws {ERC3009AuthorizationUsedOrCanceled}, {ERC3009InvalidSignature}. Emits {AuthorizationCanceled}.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice {cancelAuthorization} with the signature as bytes (65-byte ECDSA or ERC-1271).
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external;
}
