// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Multicall3
/// @notice A devnet stand-in for the canonical Multicall3 (at 0xcA11bde05977b3631167028862bE2a173976CA11 on
/// most chains): only `aggregate3`, the function viem's `multicall` calls. The simulation installs its runtime
/// code at the canonical address with `hardhat_setCode` (scripts/lib/devchain.ts `installMulticall3`) and
/// reads the world through it, a few hundred views per `eth_call`.
contract Multicall3 {
    // ─────────────────────────────────────────── types ───────────────────────────────────────────

    /// @notice One call: target, whether its failure is tolerated, calldata.
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    /// @notice One result: whether the call succeeded, and its return (or revert) data.
    struct Result {
        bool success;
        bytes returnData;
    }

    // ─────────────────────────────────────────── errors ──────────────────────────────────────────

    /// @notice Call `index` failed and did not allow failure; `returnData` is its revert data.
    error Multicall3CallFailed(uint256 index, bytes returnData);

    // ────────────────────────────────────────── external ─────────────────────────────────────────

    /// @notice Makes every call in order and returns every result.
    /// @param calls The calls.
    /// @return results One per call, in order.
    function aggregate3(Call3[] calldata calls) external returns (Result[] memory results) {
        uint256 length = calls.length;
        results = new Result[](length);
        for (uint256 i = 0; i < length; ++i) {
            Call3 calldata c = calls[i];
            // A low-level call is the point of an aggregator: any target, any view, failures reported.
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returnData) = c.target.call(c.callData);
            if (!success && !c.allowFailure) revert Multicall3CallFailed(i, returnData);
            results[i] = Result(success, returnData);
        }
    }
}
