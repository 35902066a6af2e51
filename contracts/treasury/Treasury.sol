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
    /// @inheritdoc ITreasury
    uint256 public constant MAX_EXPIRIES_PER_CALL = 64;

    /// @dev One payment inside the rolling outflow window.
    struct Outflow {
        uint48 timestamp;
        uint208 amount;
    }

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    mapping(address spender => mapping(IERC20 token => uint256)) private _budgets;
    /// @dev The running sum of a token's payments from `head` on (one slot): `paid` is what the records
    /// `head..length-1` hold; records before `head` have left the window and were retired.
    struct Window {
        uint48 head;
        uint208 paid;
    }

    /// @dev Payments of each token in time order.
    mapping(IERC20 token => Outflow[]) private _outflows;
    mapping(IERC20 token => Window) private _windows;

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
        (, paid, ) = _expired(token, MAX_EXPIRIES_PER_CALL);
    }

    /// @inheritdoc ITreasury
    function expireOutflows(IERC20 token, uint256 maxCount) external returns (uint256 expired) {
        (uint256 head, uint256 paid, uint256 count) = _expired(token, maxCount);
        if (count > 0) _windows[token] = Window({head: uint48(head), paid: uint208(paid)});
        return count;
    }

    /// @inheritdoc ITreasury
    function outflowAvailable(IERC20 token) public view returns (uint256) {
        return _available(token, outflowInWindow(token));
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
    /// not fit, and retires up to {MAX_EXPIRIES_PER_CALL} records that have left the window: constant gas
    /// however many payments the window holds (each record is pushed once and retired once).
    function _recordOutflow(IERC20 token, uint256 amount) private {
        (uint256 head, uint256 paid, ) = _expired(token, MAX_EXPIRIES_PER_CALL);
        uint256 available = _available(token, paid);
        if (amount > available) revert TreasuryOutflowExceeded(address(token), amount, available);
        if (amount == 0) return;
        _outflows[token].push(
            Outflow({timestamp: SafeCast.toUint48(block.timestamp), amount: SafeCast.toUint208(amount)})
        );
        // Fits: `paid + amount` is at most 10% of the token's balance plus what left, below 2^208 (checked
        // per record by the cast above, and the sum of a window's records is bounded by the token's supply).
        _windows[token] = Window({head: uint48(head), paid: SafeCast.toUint208(paid + amount)});
    }

    /// @dev What may still leave in `token` when `paid` left in the window: {MAX_OUTFLOW_BPS} of the balance
    /// the window started from, less `paid` (0 when negative), in wei.
    function _available(IERC20 token, uint256 paid) private view returns (uint256) {
        uint256 limit = ((token.balanceOf(address(this)) + paid) * MAX_OUTFLOW_BPS) / BPS;
        return paid >= limit ? 0 : limit - paid;
    }

    /// @dev Walks at most `maxCount` records from the window's head and stops at the first still inside the
    /// window. Returns the new head, the running sum without the retired records, and how many were retired.
    function _expired(IERC20 token, uint256 maxCount) private view returns (uint256 head, uint256 paid, uint256 count) {
        Window memory window = _windows[token];
        head = window.head;
        paid = window.paid;
        uint256 start = block.timestamp > OUTFLOW_WINDOW ? block.timestamp - OUTFLOW_WINDOW : 0;
        Outflow[] storage outflows = _outflows[token];
        uint256 length = outflows.length;
        while (count < maxCount && head < length) {
            Outflow memory outflow = outflows[head];
            if (outflow.timestamp > start) break;
            paid -= outflow.amount;
            ++head;
            ++count;
        }
    }
}
