// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TestBase, Vm} from "../helpers/TestBase.sol";
import {CivitasToken} from "../../contracts/token/CivitasToken.sol";
import {Treasury} from "../../contracts/treasury/Treasury.sol";
import {MockStakeLedger} from "../../contracts/mocks/MockStakeLedger.sol";

/// @notice Drives the token through random transfers, earnings payouts, refunds, mints, burns, parameter
/// changes, stake changes and time, recording what the invariants need.
contract TokenHandler is TestBase {
    CivitasToken public immutable token;
    Treasury public immutable treasury;
    MockStakeLedger public immutable ledger;
    address public immutable protocol;
    address[] public actors;

    /// @dev Every taxed movement seen, for the conservation invariant.
    uint256 public taxedMovements;
    uint256 public conservationViolations;
    /// @dev Mints per timestamp, to recompute the rolling window independently.
    uint256[] public mintTimes;
    uint256[] public mintAmounts;
    uint256 public windowViolations;
    /// @dev Times an ordinary account received tokens and ended above the cap.
    uint256 public capViolations;

    constructor(CivitasToken token_, Treasury treasury_, MockStakeLedger ledger_, address protocol_) {
        token = token_;
        treasury = treasury_;
        ledger = ledger_;
        protocol = protocol_;
        for (uint256 i = 0; i < 5; ++i) actors.push(address(uint160(0xA11CE + i)));
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = actors[fromSeed % actors.length];
        address to = actors[toSeed % actors.length];
        amount = bound(amount, 0, token.balanceOf(from));
        uint256 tax = (amount * token.taxBps()) / 10_000;
        uint256 treasuryBefore = token.balanceOf(address(treasury));
        uint256 toBefore = token.balanceOf(to);
        uint256 holdingAfter = to == from ? token.holdingsOf(to) - tax : token.holdingsOf(to) + amount - tax;
        if (holdingAfter > token.wealthCap()) return; // the cap rule itself is fuzzed separately
        vm.prank(from);
        token.transfer(to, amount);
        ++taxedMovements;
        _checkCap(to, toBefore);
        uint256 received = to == from ? amount - tax : token.balanceOf(to) - toBefore;
        uint256 taxed = token.balanceOf(address(treasury)) - treasuryBefore;
        if (received + taxed != amount) ++conservationViolations;
    }

    function deposit(uint256 fromSeed, uint256 amount) external {
        address from = actors[fromSeed % actors.length];
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(protocol, amount);
    }

    function payEarnings(uint256 toSeed, uint256 amount) external {
        address to = actors[toSeed % actors.length];
        amount = bound(amount, 0, token.balanceOf(protocol));
        uint256 toBefore = token.balanceOf(to);
        uint256 treasuryBefore = token.balanceOf(address(treasury));
        vm.prank(protocol);
        (uint256 net, uint256 tax, uint256 excess) = token.payEarnings(to, amount);
        ++taxedMovements;
        if (net + tax != amount) ++conservationViolations;
        if (token.balanceOf(to) - toBefore + token.balanceOf(address(treasury)) - treasuryBefore != amount) {
            ++conservationViolations;
        }
        if (excess > net) ++conservationViolations;
        _checkCap(to, toBefore);
    }

    /// @dev An ordinary account that received anything must be within the cap afterwards.
    function _checkCap(address to, uint256 balanceBefore) private {
        if (token.balanceOf(to) > balanceBefore && token.holdingsOf(to) > token.wealthCap()) ++capViolations;
    }

    function refund(uint256 toSeed, uint256 amount) external {
        address to = actors[toSeed % actors.length];
        amount = bound(amount, 0, token.balanceOf(protocol));
        uint256 toBefore = token.balanceOf(to);
        vm.prank(protocol);
        token.transfer(to, amount);
        _checkCap(to, toBefore);
    }

    function grant(uint256 toSeed, uint256 amount) external {
        address to = actors[toSeed % actors.length];
        // At most what the Treasury's rolling outflow window still allows.
        amount = bound(amount, 0, treasury.outflowAvailable(token));
        uint256 toBefore = token.balanceOf(to);
        treasury.transfer(token, to, amount);
        _checkCap(to, toBefore);
    }

    function mint(uint256 amount) external {
        amount = bound(amount, 0, token.mintableNow());
        token.mint(address(treasury), amount);
        mintTimes.push(block.timestamp);
        mintAmounts.push(amount);
        uint256 inWindow;
        for (uint256 i = 0; i < mintTimes.length; ++i) {
            if (mintTimes[i] + 30 days > block.timestamp) inWindow += mintAmounts[i];
        }
        // Checked against 10% of the supply before this mint, as the token defines it. (Burns may later
        // shrink the supply below ten times what was minted; that only blocks further mints.)
        if (amount > 0 && inWindow * 10 > token.totalSupply() - amount) ++windowViolations;
    }

    function burn(uint256 fromSeed, uint256 amount) external {
        address from = actors[fromSeed % actors.length];
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.burn(amount);
    }

    function setTax(uint256 taxBps) external {
        token.setTaxBps(bound(taxBps, 0, 2_000));
    }

    function setCap(uint256 capBps) external {
        token.setCapBps(bound(capBps, 10, 5_000));
    }

    function setStake(uint256 whoSeed, uint256 amount) external {
        address who = actors[whoSeed % actors.length];
        uint256 holding = token.balanceOf(who);
        uint256 cap = token.wealthCap();
        // Stake only ever comes from holdings, so a stake change never by itself passes the cap.
        amount = bound(amount, 0, cap > holding ? cap - holding : 0);
        // ...and only from the holder's own deposit into the ledger, which the token notes (ICivitasStakeLedger).
        vm.prank(who);
        token.transfer(address(ledger), 0);
        ledger.setStake(who, amount);
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
    }
}

/// @notice Invariants of the token: supply conservation, the wealth cap, gross = net + tax, mint window.
contract CivitasTokenInvariantTest is TestBase {
    CivitasToken internal token;
    Treasury internal treasury;
    MockStakeLedger internal ledger;
    TokenHandler internal handler;
    address internal constant PROTOCOL = address(0xBEEF);

    function setUp() public {
        treasury = new Treasury(address(this));
        token = new CivitasToken(address(this), address(treasury), 1_000, 500);
        ledger = new MockStakeLedger();
        handler = new TokenHandler(token, treasury, ledger, PROTOCOL);
        token.setStakeLedger(address(ledger));
        token.setProtocolAccount(PROTOCOL, true);
        token.grantRole(token.MINTER_ROLE(), address(handler));
        token.grantRole(token.PARAMETER_ROLE(), address(handler));
        treasury.grantRole(treasury.DEFAULT_ADMIN_ROLE(), address(handler));
        for (uint256 i = 0; i < handler.actorCount(); ++i) {
            treasury.transfer(token, handler.actors(i), 100_000 ether);
        }
        _payOverWindows(treasury, token, PROTOCOL, 1_000_000 ether);
        targetContract(address(handler));
    }

    function invariant_sumOfBalancesEqualsTotalSupply() public view {
        uint256 sum = token.balanceOf(address(treasury)) + token.balanceOf(PROTOCOL);
        for (uint256 i = 0; i < handler.actorCount(); ++i) sum += token.balanceOf(handler.actors(i));
        assertEq(sum, token.totalSupply(), "sum of balances");
    }

    function invariant_grossEqualsNetPlusTax() public view {
        assertEq(handler.conservationViolations(), 0, "gross != net + tax");
    }

    function invariant_noOrdinaryAccountReceivesAboveTheCap() public view {
        assertEq(handler.capViolations(), 0, "received above the cap");
    }

    function invariant_mintWindowNeverExceeded() public view {
        assertEq(handler.windowViolations(), 0, "mint window exceeded");
    }

    function invariant_circulatingIsSupplyMinusTreasury() public view {
        assertEq(
            token.circulatingSupply(),
            token.totalSupply() - token.balanceOf(address(treasury)),
            "circulating supply"
        );
    }
}

/// @notice Properties of single movements, fuzzed.
contract CivitasTokenFuzzTest is TestBase {
    CivitasToken internal token;
    Treasury internal treasury;
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant PROTOCOL = address(0xBEEF);

    function setUp() public {
        treasury = new Treasury(address(this));
        token = new CivitasToken(address(this), address(treasury), 1_000, 500);
        token.setProtocolAccount(PROTOCOL, true);
        treasury.transfer(token, ALICE, 400_000 ether);
        _payOverWindows(treasury, token, PROTOCOL, 2_000_000 ether);
    }

    function testFuzz_transfer_grossEqualsNetPlusTax(uint256 amount, uint256 taxBps) public {
        amount = bound(amount, 0, 400_000 ether);
        taxBps = bound(taxBps, 0, 2_000);
        token.setTaxBps(taxBps);
        uint256 treasuryBefore = token.balanceOf(address(treasury));
        vm.prank(ALICE);
        token.transfer(BOB, amount);
        uint256 tax = token.balanceOf(address(treasury)) - treasuryBefore;
        assertEq(token.balanceOf(BOB) + tax, amount, "gross = net + tax");
        assertEq(tax, (amount * taxBps) / 10_000, "tax rounds down");
    }

    function testFuzz_payEarnings_neverExceedsCapAndLosesNothing(uint256 amount, uint256 capBps) public {
        amount = bound(amount, 0, 2_000_000 ether);
        capBps = bound(capBps, 10, 5_000);
        token.setCapBps(capBps);
        uint256 treasuryBefore = token.balanceOf(address(treasury));
        vm.prank(PROTOCOL);
        (uint256 net, uint256 tax, uint256 excess) = token.payEarnings(BOB, amount);
        assertLe(token.holdingsOf(BOB), token.wealthCap(), "payee above cap");
        assertEq(net + tax, amount, "gross = net + tax");
        assertEq(token.balanceOf(BOB), net - excess, "payee credit");
        assertEq(token.balanceOf(address(treasury)) - treasuryBefore, tax + excess, "treasury credit");
    }

    function testFuzz_transfer_revertsAboveCap(uint256 amount) public {
        token.setCapBps(10); // 10,000 CIV
        amount = bound(amount, 11_200 ether, 400_000 ether);
        uint256 net = amount - amount / 10;
        vm.expectRevert(
            abi.encodeWithSignature("CivitasExceededWealthCap(address,uint256,uint256)", BOB, net, 10_000 ether)
        );
        vm.prank(ALICE);
        token.transfer(BOB, amount);
    }
}

/// @dev Pays `amount` from the Treasury to `to` in as many rolling 30-day windows as its outflow bound needs.
function _payOverWindows(Treasury treasury, CivitasToken token, address to, uint256 amount) {
    Vm vm_ = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    while (amount > 0) {
        uint256 available = treasury.outflowAvailable(token);
        if (available == 0) {
            vm_.warp(block.timestamp + 30 days);
            continue;
        }
        uint256 part = amount < available ? amount : available;
        treasury.transfer(token, to, part);
        amount -= part;
    }
}
