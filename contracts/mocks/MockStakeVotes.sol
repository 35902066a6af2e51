// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

/// @title MockStakeVotes
/// @notice A stand-in for the staking contract's bonded-stake votes (ERC-5805 on a timestamp clock) in governor
/// unit tests. Anyone may bond or unbond voting units for anyone; each staker delegates to itself on first bond.
/// Test use only.
contract MockStakeVotes is Votes {
    mapping(address account => uint256) private _bonded;

    constructor() EIP712("MockStakeVotes", "1") {}

    function bond(address account, uint256 amount) external {
        if (delegates(account) == address(0)) _delegate(account, account);
        _bonded[account] += amount;
        _transferVotingUnits(address(0), account, amount);
    }

    function unbond(address account, uint256 amount) external {
        _bonded[account] -= amount;
        _transferVotingUnits(account, address(0), amount);
    }

    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _getVotingUnits(address account) internal view override returns (uint256) {
        return _bonded[account];
    }
}
