// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ITreasury
/// @notice Holds the genesis supply and all tax. Only governance (the admin role, held by the timelock
/// after deployment) moves funds or sets budgets; a budget lets a protocol contract (the registry's birth
/// grants, staking rewards) draw up to an amount of one token. Nobody else can take anything.
/// @dev Amounts in wei of the token concerned.
interface ITreasury {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A draw asked for more than the caller's remaining budget.
    /// @param spender The drawing contract.
    /// @param token The token drawn.
    /// @param requested The amount asked for, in wei.
    /// @param available The remaining budget, in wei.
    error TreasuryBudgetExceeded(address spender, address token, uint256 requested, uint256 available);

    /// @notice A zero address was given where an account is needed.
    error TreasuryZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Governance moved funds out of the Treasury.
    /// @param token The token moved.
    /// @param to The recipient.
    /// @param amount The amount, in wei.
    event FundsTransferred(address indexed token, address indexed to, uint256 amount);

    /// @notice Governance set a spender's budget.
    /// @param spender The protocol contract allowed to draw.
    /// @param token The token of the budget.
    /// @param oldBudget The previous remaining budget, in wei.
    /// @param newBudget The new remaining budget, in wei.
    event BudgetSet(address indexed spender, address indexed token, uint256 oldBudget, uint256 newBudget);

    /// @notice A spender drew from its budget.
    /// @param spender The protocol contract that drew.
    /// @param token The token drawn.
    /// @param to The recipient.
    /// @param amount The amount, in wei.
    /// @param remaining The budget left afterwards, in wei.
    event BudgetDrawn(
        address indexed spender,
        address indexed token,
        address indexed to,
        uint256 amount,
        uint256 remaining
    );

    /*//////////////////////////////////////////////////////////////
                                FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice The remaining budget of `spender` in `token`, in wei.
    function budgetOf(address spender, IERC20 token) external view returns (uint256);

    /// @notice Moves Treasury funds. Only the admin role (governance).
    /// @dev Throws `AccessControlUnauthorizedAccount`, {TreasuryZeroAddress}, and the token's own errors.
    function transfer(IERC20 token, address to, uint256 amount) external;

    /// @notice Sets a spender's remaining budget (replacing the old one). Only the admin role.
    /// @dev Throws `AccessControlUnauthorizedAccount`, {TreasuryZeroAddress}.
    function setBudget(address spender, IERC20 token, uint256 newBudget) external;

    /// @notice Draws `amount` of `token` from the caller's budget to `to`. Untaxed (a grant).
    /// @dev Throws {TreasuryBudgetExceeded}, {TreasuryZeroAddress}. Callers that must not fail (birth
    /// grants) check {budgetOf} first and pay nothing, visibly, when it is short.
    function draw(IERC20 token, address to, uint256 amount) external;
}
