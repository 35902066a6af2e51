// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

/// @title VotesToken
/// @notice The gas anchor for CIV transfers: a stock OpenZeppelin ERC-20 with ERC-2612 permit and ERC-5805
/// votes on a timestamp clock (the same standards CIV implements, without its tax, cap or unearned rules).
/// Benchmark use only (bench/token-gas.ts, bench/escrow-gas.ts).
contract VotesToken is ERC20, ERC20Permit, ERC20Votes {
    /// @param holder Receives `supply`, in wei.
    constructor(address holder, uint256 supply) ERC20("Votes", "VOTES") ERC20Permit("Votes") {
        _mint(holder, supply);
    }

    /// @notice ERC-6372 clock: block timestamp, in seconds (as CIV).
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice ERC-6372 clock mode: timestamps.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
