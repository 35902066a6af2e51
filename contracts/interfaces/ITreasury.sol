// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ITreasury
/// @notice Holds the genesis supply and all tax. Only governance (the admin role, held by the timelock
/// after deployment) moves funds or sets budgets; a budget lets a protocol contract (the registry's birth
/// grants, staking rewards) draw up to an amount of one token. Nobody else can take anything.
/// Whatever governance decides, the Treasury pays out (transfers and budget draws together) at most
/// {MAX_OUTFLOW_BPS} of a token's balance per rolling {OUTFLOW_WINDOW}: the limit is that share of the
/// balance plus what was paid in the window (the balance the window started from, give or take inflows).
/// A captured governance can take at most that share per month, in the open (issue 20, attack 1).
/// @dev Amounts in wei of the token concerned, times in seconds, shares in bps.
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

    /// @notice A transfer or draw would exceed what the rolling outflow window still allows.
    /// @param token The token.
    /// @param requested The amount asked for, in wei.
    /// @param available What may still leave in the current window, in wei ({outflowAvailable}).
    error TreasuryOutflowExceeded(address token, uint256 requested, uint256 available);

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

    /// @notice Length of the rolling outflow window: 30 days, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function OUTFLOW_WINDOW() external view returns (uint256);

    /// @notice Share of a token's balance that may leave per rolling window: 1,000 bps (10%). A constant,
    /// like the token's mint window: no proposal can raise it.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_OUTFLOW_BPS() external view returns (uint256);

    /// @notice Basis-point denominator: 10,000 bps = 100%.
    // solhint-disable-next-line func-name-mixedcase
    function BPS() external view returns (uint256);

    /// @notice The most payment records one call retires from the window: 64. It bounds the gas of every
    /// transfer and draw however many payments the window holds (a payment is retired once, when it has left
    /// the window). Past it, {outflowInWindow} errs on the safe side (counts a retired payment a little
    /// longer) until later calls or {expireOutflows} retire the rest.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_EXPIRIES_PER_CALL() external view returns (uint256);

    /// @notice What left the Treasury in `token` (transfers and draws) in the last {OUTFLOW_WINDOW}, in wei.
    /// Kept as a running sum: constant gas however many payments the window holds. Exact while at most
    /// {MAX_EXPIRIES_PER_CALL} payments have left the window since the last transfer, draw or
    /// {expireOutflows}; above that it counts the excess too (never less than exact).
    function outflowInWindow(IERC20 token) external view returns (uint256);

    /// @notice Retires up to `maxCount` payment records of `token` that have left the window, so that
    /// {outflowInWindow} is exact again after a burst of payments. Open to anyone (bookkeeping only: it moves
    /// no funds and can only lower the counted outflow to its exact value).
    /// @return expired How many records were retired (0 when none had left the window).
    function expireOutflows(IERC20 token, uint256 maxCount) external returns (uint256 expired);

    /// @notice What may still leave in `token` now, in wei: `(balance + outflowInWindow) * MAX_OUTFLOW_BPS /
    /// 10_000 - outflowInWindow` (0 when negative), rounded down.
    function outflowAvailable(IERC20 token) external view returns (uint256);

    /// @notice The remaining budget of `spender` in `token`, in wei.
    function budgetOf(address spender, IERC20 token) external view returns (uint256);

    /// @notice Moves Treasury funds. Only the admin role (governance).
    /// Counts against the rolling outflow window.
    /// @dev Throws `AccessControlUnauthorizedAccount`, {TreasuryZeroAddress}, {TreasuryOutflowExceeded}, and
    /// the token's own errors.
    function transfer(IERC20 token, address to, uint256 amount) external;

    /// @notice Sets a spender's remaining budget (replacing the old one). Only the admin role.
    /// @dev Throws `AccessControlUnauthorizedAccount`, {TreasuryZeroAddress}.
    function setBudget(address spender, IERC20 token, uint256 newBudget) external;

    /// @notice Draws `amount` of `token` from the caller's budget to `to`. Untaxed (a grant).
    /// Counts against the rolling outflow window, like a transfer.
    /// @dev Throws {TreasuryBudgetExceeded}, {TreasuryZeroAddress}, {TreasuryOutflowExceeded}. Callers that
    /// must not fail (birth grants) check {budgetOf} and {outflowAvailable} first and pay nothing, visibly,
    /// when either is short.
    function draw(IERC20 token, address to, uint256 amount) external;
}
