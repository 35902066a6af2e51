// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title ReentrantCivitasToken
/// @notice A malicious stand-in for CIV: the part of {ICivitasToken} the escrow uses (`transfer`,
/// `transferFrom`, `permit`, `treasury`, `isProtocolAccount`, `payEarnings` with a flat 10% tax, `returnPrincipal(s)`), plus a receive hook the real
/// token does not have. When armed, any transfer out of `hookedSender` first calls `target` with `data`
/// (once, not recursively) and records the outcome in {ReentryAttempted}; the outer transfer then proceeds.
contract ReentrantCivitasToken is ERC20Permit {
    /// @notice A reentry attempt returned.
    event ReentryAttempted(bool success, bytes returnData);

    address private immutable _treasury;
    address private _hookedSender;
    address private _target;
    bytes private _data;
    bool private _inHook;

    constructor(address treasury_) ERC20("Reentrant CIV", "rCIV") ERC20Permit("Reentrant CIV") {
        _treasury = treasury_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address hookedSender, address target, bytes calldata data) external {
        _hookedSender = hookedSender;
        _target = target;
        _data = data;
    }

    function taxBps() external pure returns (uint256) {
        return 1_000;
    }

    function isProtocolAccount(address) external pure returns (bool) {
        return true;
    }

    function treasury() external view returns (address) {
        return _treasury;
    }

    function payEarnings(address payee, uint256 gross) external returns (uint256 net, uint256 tax, uint256 capExcess) {
        tax = (gross * 1_000) / 10_000;
        net = gross - tax;
        _transfer(msg.sender, _treasury, tax);
        _transfer(msg.sender, payee, net);
        capExcess = 0;
    }

    function returnPrincipal(address holder, uint256 amount) external {
        _transfer(msg.sender, holder, amount);
    }

    function returnPrincipals(address holder, uint256 amount, address otherHolder, uint256 otherAmount) external {
        _transfer(msg.sender, holder, amount);
        _transfer(msg.sender, otherHolder, otherAmount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == _hookedSender && from != address(0) && _target != address(0) && !_inHook) {
            _inHook = true;
            // The mock exists to make this call.
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returnData) = _target.call(_data);
            _inHook = false;
            emit ReentryAttempted(success, returnData);
        }
        super._update(from, to, value);
    }
}
