// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";

/// @title Treasury
/// @notice Holds the genesis supply and all tax; pays out only on governance's word: direct transfers by
/// the admin role, or draws by protocol contracts within budgets the admin role set.
contract Treasury is ITreasury, AccessControl {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    mapping(address spender => mapping(IERC20 token => uint256)) private _budgets;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Governance: moves funds and sets budgets (the deploy hands it to the timelock).
    constructor(address admin) {
        if (admin == address(0)) revert TreasuryZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                                EXTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITreasury
    function budgetOf(address spender, IERC20 token) external view returns (uint256) {
        return _budgets[spender][token];
    }

    /// @inheritdoc ITreasury
    function transfer(IERC20 token, address to, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (to == address(0)) revert TreasuryZeroAddress();
        token.safeTransfer(to, amount);
        emit FundsTransferred(address(token), to, amount);
    }

    /// @inheritdoc ITreasury
    function setBudget(address spender, IERC20 token, uint256 newBudget) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (spender == address(0) || address(token) == address(0)) revert TreasuryZeroAddress();
        uint256 oldBudget = _budgets[spender][token];
        _budgets[spender][token] = newBudget;
        emit BudgetSet(spender, address(token), oldBudget, newBudget);
    }

    /// @inheritdoc ITreasury
    function draw(IERC20 token, address to, uint256 amount) external {
        if (to == address(0)) revert TreasuryZeroAddress();
        address spender = _msgSender();
        uint256 available = _budgets[spender][token];
        if (amount > available) revert TreasuryBudgetExceeded(spender, address(token), amount, available);
        // Cannot underflow: amount <= available was just checked.
        unchecked {
            _budgets[spender][token] = available - amount;
        }
        token.safeTransfer(to, amount);
        emit BudgetDrawn(spender, address(token), to, amount, available - amount);
    }
}
