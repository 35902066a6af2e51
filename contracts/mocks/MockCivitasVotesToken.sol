// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title MockCivitasVotesToken
/// @notice A stand-in for the CIV token in governor unit tests: ERC20Votes on a timestamp clock, a flat 10%
/// tax on transfers between ordinary holders (paid to the Treasury), and `getPastCirculatingSupply`
/// (total supply minus the Treasury's balance at a past timestamp). Anyone may mint. Test use only.
contract MockCivitasVotesToken is ERC20, ERC20Permit, ERC20Votes {
    using Checkpoints for Checkpoints.Trace208;

    uint256 public constant TAX_BPS = 1000;

    address public immutable treasury;

    Checkpoints.Trace208 private _treasuryBalanceHistory;

    constructor(address treasury_, uint256 genesisSupply) ERC20("Mock Civitas", "mCIV") ERC20Permit("Mock Civitas") {
        treasury = treasury_;
        _mint(treasury_, genesisSupply);
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function circulatingSupply() external view returns (uint256) {
        return totalSupply() - balanceOf(treasury);
    }

    function getPastCirculatingSupply(uint256 timepoint) external view returns (uint256) {
        uint256 supply = getPastTotalSupply(timepoint); // reverts on a future timepoint
        return supply - _treasuryBalanceHistory.upperLookupRecent(SafeCast.toUint48(timepoint));
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        bool taxed = from != address(0) && to != address(0) && from != treasury && to != treasury;
        if (taxed) {
            uint256 tax = (value * TAX_BPS) / 10_000;
            super._update(from, treasury, tax);
            super._update(from, to, value - tax);
        } else {
            super._update(from, to, value);
        }
        if (taxed || from == treasury || to == treasury) {
            _treasuryBalanceHistory.push(clock(), SafeCast.toUint208(balanceOf(treasury)));
        }
    }
}
