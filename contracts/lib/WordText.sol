// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title WordText
/// @notice A left-aligned ASCII `bytes32` (a reason code such as "escrow.completed", a reporter tag) as the
/// string it spells: the word without its trailing zero bytes. One copy for the agent registry (reasons and
/// tags it hands to the ERC-8004 Reputation Registry) and the Reputation Registry (the tags of compact
/// feedback, read back and emitted).
/// @dev The inverse of reading a string of at most 32 bytes that does not end in a zero byte as a word
/// (`bytes32(bytes(text))`): `toText(bytes32(bytes(t))) == t` for every such `t`. Zero bytes inside the word
/// are kept; only the trailing ones are dropped.
library WordText {
    /// @notice The string spelled by `word`: its bytes up to and including the last non-zero byte ("" for 0).
    /// @dev Writes the word once: the bytes past the length in memory are zero, as ABI encoding pads them
    /// anyway.
    /// @param word A left-aligned word.
    /// @return text The word without its trailing zero bytes.
    function toText(bytes32 word) internal pure returns (string memory text) {
        uint256 length = lengthOf(word);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            text := mload(0x40)
            mstore(text, length)
            mstore(add(text, 0x20), word)
            mstore(0x40, add(text, 0x40))
        }
    }

    /// @notice The length in bytes of the string `word` spells ({toText}): up to and including its last
    /// non-zero byte, 0 for the zero word.
    /// @dev Counts the trailing zero bytes by halving (five tests) instead of byte by byte.
    /// @param word A left-aligned word.
    /// @return length The string's length, 0 to 32.
    function lengthOf(bytes32 word) internal pure returns (uint256 length) {
        uint256 w = uint256(word);
        if (w == 0) return 0;
        length = 32;
        if (w & type(uint128).max == 0) {
            length -= 16;
            w >>= 128;
        }
        if (w & type(uint64).max == 0) {
            length -= 8;
            w >>= 64;
        }
        if (w & type(uint32).max == 0) {
            length -= 4;
            w >>= 32;
        }
        if (w & type(uint16).max == 0) {
            length -= 2;
            w >>= 16;
        }
        if (w & type(uint8).max == 0) length -= 1;
    }
}
