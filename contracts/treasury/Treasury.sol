// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";

/// @title Treasury
/// @notice Holds the genesis supply and all tax; pays out only on governance's word: direct transfers by
/// the admin role, or draws by protocol contracts within budgets the admin role set. Whatever governance
/// decides, at most {MAX_OUTFLOW_BPS} of a token's balance leaves per rolling {OUTFLOW_WINDOW}.
contract Treasury is ITreasury, AccessControl {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITreasury
    uint256 public constant OUTFLOW_WINDOW = 30 days;
    /// @inheritdoc ITreasury
    uint256 public constant MAX_OUTFLOW_BPS = 1_000;
    /// @inheritdoc ITreasury
    uint256 public constant BPS = 10_000;

    /// @dev One payment inside the rolling outflow window.
    struct Outflow {
        uint48 timestamp;
        uint208 amount;
    }

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    mapping(address spender => mapping(IERC20 token => uint256)) private _budgets;
    /// @dev Payments of each token in time order; entries before `_outflowHead` have left the window.
    mapping(IERC20 token => Outflow[]) private _outflows;
    mapping(IERC20 token => uint256) private _outflowHead;

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
    function outflowInWindow(IERC20 token) public view returns (uint256 paid) {
        uint256 start = block.timestamp > OUTFLOW_WINDOW ? block.timestamp - OUTFLOW_WINDOW : 0;
        Outflow[] storage outflows = _outflows[token];
        uint256 length = outflows.length;
        for (uint256 i = _outflowHead[token]; i < length; ++i) {
            Outflow memory outflow = outflows[i];
            if (outflow.timestamp > start) paid += outflow.amount;
        }
    }

    /// @inheritdoc ITreasury
    function outflowAvailable(IERC20 token) public view returns (uint256) {
        uint256 paid = outflowInWindow(token);
        uint256 limit = ((token.balanceOf(address(this)) + paid) * MAX_OUTFLOW_BPS) / BPS;
        return paid >= limit ? 0 : limit - paid;
    }

    /// @inheritdoc ITreasury
    function transfer(IERC20 token, address to, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (to == address(0)) revert TreasuryZeroAddress();
        _recordOutflow(token, amount);
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
        _recordOutflow(token, amount);
        token.safeTransfer(to, amount);
        emit BudgetDrawn(spender, address(token), to, amount, available - amount);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Counts `amount` against the rolling window, reverting with {TreasuryOutflowExceeded} when it does
    /// not fit, and drops the records that have left the window so the sum stays cheap.
    function _recordOutflow(IERC20 token, uint256 amount) private {
        uint256 available = outflowAvailable(token);
        if (amount > available) revert TreasuryOutflowExceeded(address(token), amount, available);
        if (amount == 0) return;
        uint256 start = block.timestamp > OUTFLOW_WINDOW ? block.timestamp - OUTFLOW_WINDOW : 0;
        Outflow[] storage outflows = _outflows[token];
        uint256 head = _outflowHead[token];
        uint256 length = outflows.length;
        while (head < length && outflows[head].timestamp <= start) ++head;
        _outflowHead[token] = head;
        outflows.push(Outflow({timestamp: SafeCast.toUint48(block.timestamp), amount: SafeCast.toUint208(amount)}));
    }
}
