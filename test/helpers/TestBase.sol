// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Vm
/// @notice The few cheatcodes our Solidity tests use, served by Hardhat's EDR at the standard address.
interface Vm {
    function warp(uint256 newTimestamp) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function expectRevert(bytes calldata revertData) external;
    function assume(bool condition) external pure;
}

/// @title TestBase
/// @notice Minimal test harness for `*.t.sol` files: cheatcodes, `bound`, and assertions that revert with
/// a readable message (the runner reports any revert in a test as a failure).
abstract contract TestBase {
    /// @dev The cheatcode address: `address(uint160(uint256(keccak256("hevm cheat code"))))`.
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev Invariant-runner hooks: contracts and selectors the fuzzer may call.
    address[] private _targetContracts;

    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @notice Adds `target` to the contracts the invariant fuzzer calls.
    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    /// @notice Read by the invariant runner.
    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    /// @notice Maps `x` into [min, max] uniformly enough for fuzzing (forge-std's `bound` semantics).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        if (size == 0) return x; // the whole uint256 range
        return min + (x % size);
    }

    function assertEq(uint256 a, uint256 b, string memory message) internal pure {
        if (a != b) revert(string.concat(message, ": ", _toString(a), " != ", _toString(b)));
    }

    function assertLe(uint256 a, uint256 b, string memory message) internal pure {
        if (a > b) revert(string.concat(message, ": ", _toString(a), " > ", _toString(b)));
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert(message);
    }

    function _toString(uint256 value) private pure returns (string memory) {
        if (value == 0) return "0";
        uint256 digits;
        for (uint256 v = value; v != 0; v /= 10) ++digits;
        bytes memory buffer = new bytes(digits);
        while (value != 0) {
            --digits;
            buffer[digits] = bytes1(uint8(48 + (value % 10)));
            value /= 10;
        }
        return string(buffer);
    }
}
