// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ICivitasStakeLedger} from "../interfaces/ICivitasToken.sol";

/// @title MockStakeLedger
/// @notice Test double for the staking contract's stake report: stake is set directly.
contract MockStakeLedger is ICivitasStakeLedger {
    mapping(address account => uint256) private _stakes;

    /// @notice Sets the stake reported for `account`, in wei.
    function setStake(address account, uint256 amount) external {
        _stakes[account] = amount;
    }

    /// @inheritdoc ICivitasStakeLedger
    function stakedBalanceOf(address account) external view returns (uint256) {
        return _stakes[account];
    }
}
