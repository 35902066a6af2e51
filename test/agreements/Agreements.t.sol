// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CivitasToken} from "../../contracts/token/CivitasToken.sol";
import {Treasury} from "../../contracts/treasury/Treasury.sol";
import {AgreementBase} from "../../contracts/agreements/AgreementBase.sol";
import {LoanAgreements} from "../../contracts/agreements/LoanAgreements.sol";
import {InsuranceAgreements} from "../../contracts/agreements/InsuranceAgreements.sol";
import {InformationSales} from "../../contracts/agreements/InformationSales.sol";
import {IBilateralAgreement} from "../../contracts/interfaces/IAgreement.sol";
import {ICivitasToken} from "../../contracts/interfaces/ICivitasToken.sol";
import {IAgentRegistryCore} from "../../contracts/interfaces/IAgentRegistry.sol";
import {MockAgentRegistry} from "../../contracts/mocks/MockAgentRegistry.sol";
import {TestBase} from "../helpers/TestBase.sol";

/// @notice Drives loans, insurance and information sales through random sequences of every action, by a
/// random one of the four agents (so that wrong callers are tried too). Refused calls revert in try/catch.
contract AgreementsHandler is TestBase {
    LoanAgreements public immutable loans;
    InsuranceAgreements public immutable insurance;
    InformationSales public immutable sales;
    address[4] internal _agents = [address(0xA1), address(0xB2), address(0xC3), address(0xD4)];
    bytes internal constant _DATA = "data";

    constructor(LoanAgreements l, InsuranceAgreements i, InformationSales s) {
        loans = l;
        insurance = i;
        sales = s;
    }

    function _who(uint256 seed) private view returns (address) {
        return _agents[seed % 4];
    }

    function _id(AgreementBase c, uint256 seed) private view returns (uint256) {
        uint256 n = c.agreementCount();
        return n == 0 ? 1 : bound(seed, 1, n);
    }

    function _terms(uint256 seed, bool arbitrated) private view returns (IBilateralAgreement.Terms memory t) {
        t.counterparty = _agents[1];
        t.arbitrator = arbitrated ? _agents[2] : address(0);
        t.arbitratorFee = arbitrated ? bound(seed, 0, 50 ether) : 0;
        t.joinDeadline = uint64(block.timestamp + bound(seed >> 8, 1, 3 days));
        t.dueDate = t.joinDeadline + uint64(bound(seed >> 16, 1 hours, 10 days));
        t.reviewWindow = uint32(bound(seed >> 24, 1 hours, 5 days));
        t.rulingWindow = uint32(bound(seed >> 32, 1 hours, 5 days));
    }

    function proposeLoan(uint256 seed, uint256 principal, uint256 extra, uint256 interest) external {
        principal = bound(principal, 1 ether, 500 ether);
        vm.prank(_agents[0]);
        try
            loans.propose(
                _terms(seed, false),
                principal,
                bound(interest, 0, 100 ether),
                principal + bound(extra, 0, 100 ether)
            )
        {} catch {}
    }

    function proposeInsurance(uint256 seed, uint256 premium, uint256 cover) external {
        vm.prank(_agents[0]);
        try
            insurance.propose(_terms(seed, true), bound(premium, 0, 100 ether), bound(cover, 1 ether, 500 ether))
        {} catch {}
    }

    function proposeSale(uint256 seed, uint256 price, uint256 collateral, bool honest) external {
        vm.prank(_agents[0]);
        try
            sales.propose(
                _terms(seed, true),
                bound(price, 1 ether, 500 ether),
                bound(collateral, 0, 300 ether),
                honest ? keccak256(_DATA) : bytes32(seed)
            )
        {} catch {}
    }

    /// @dev One common or kind step on a random agreement of a random kind, by a random agent.
    function act(uint256 kindSeed, uint256 idSeed, uint256 whoSeed, uint8 step) external {
        AgreementBase c =
            kindSeed % 3 == 0
                ? AgreementBase(address(loans))
                : kindSeed % 3 == 1
                    ? AgreementBase(address(insurance))
                    : AgreementBase(address(sales));
        uint256 id = _id(c, idSeed);
        vm.startPrank(_who(whoSeed));
        step = step % 12;
        if (step == 0) try c.accept(id) {} catch {}
        else if (step == 1) try c.join(id) {} catch {}
        else if (step == 2) try c.cancel(id) {} catch {}
        else if (step == 3) try c.rule(id, whoSeed % 2 == 0) {} catch {}
        else if (step == 4) try c.resolveNoShow(id) {} catch {}
        else if (step == 5) try loans.repay(id) {} catch {}
        else if (step == 6) try loans.claimDefault(id) {} catch {}
        else if (step == 7) try insurance.claim(id, "e") {} catch {}
        else if (step == 8) try insurance.payClaim(id) {} catch {}
        else if (step == 9) try insurance.expire(id) {} catch {}
        else if (step == 10) try sales.reveal(id, whoSeed % 3 == 0 ? bytes("x") : _DATA) {} catch {}
        else {
            try sales.confirm(id) {} catch {}
            try sales.dispute(id, "e") {} catch {}
            try sales.finalize(id) {} catch {}
            try sales.claimDefault(id) {} catch {}
        }
        vm.stopPrank();
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 4 days));
    }
}

/// @notice No CIV is created or stuck: each contract's balance is exactly what its open agreements hold,
/// and the supply and the sum of every holder's balance never change.
contract AgreementsInvariantTest is TestBase {
    Treasury internal treasury;
    CivitasToken internal token;
    LoanAgreements internal loans;
    InsuranceAgreements internal insurance;
    InformationSales internal sales;
    AgreementsHandler internal handler;
    uint256 internal supply;

    function setUp() public {
        treasury = new Treasury(address(this));
        token = new CivitasToken(address(this), address(treasury), 1_000, 500);
        MockAgentRegistry registry = new MockAgentRegistry();
        ICivitasToken t = ICivitasToken(address(token));
        IAgentRegistryCore r = IAgentRegistryCore(address(registry));
        loans = new LoanAgreements(address(this), t, r, 1_000, 1e15);
        insurance = new InsuranceAgreements(address(this), t, r, 1_000, 1e15);
        sales = new InformationSales(address(this), t, r, 1_000, 1e15);
        handler = new AgreementsHandler(loans, insurance, sales);
        address[4] memory agents = [address(0xA1), address(0xB2), address(0xC3), address(0xD4)];
        for (uint256 i = 0; i < 4; i++) {
            registry.setGoodStanding(agents[i], true);
            treasury.transfer(token, agents[i], 100_000 ether);
            vm.startPrank(agents[i]);
            token.approve(address(loans), type(uint256).max);
            token.approve(address(insurance), type(uint256).max);
            token.approve(address(sales), type(uint256).max);
            vm.stopPrank();
        }
        token.setProtocolAccount(address(loans), true);
        token.setProtocolAccount(address(insurance), true);
        token.setProtocolAccount(address(sales), true);
        supply = token.totalSupply();
        targetContract(address(handler));
    }

    function _held(AgreementBase c) internal view returns (uint256 held) {
        uint256 n = c.agreementCount();
        for (uint256 id = 1; id <= n; id++) held += c.heldFor(id);
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 40
    function invariant_nothingCreatedOrStuck() public view {
        assertEq(token.balanceOf(address(loans)), _held(loans), "loans balance = held");
        assertEq(token.balanceOf(address(insurance)), _held(insurance), "insurance balance = held");
        assertEq(token.balanceOf(address(sales)), _held(sales), "sales balance = held");
        assertEq(token.totalSupply(), supply, "supply unchanged");
        uint256 sum =
            token.balanceOf(address(treasury)) +
                token.balanceOf(address(loans)) +
                token.balanceOf(address(insurance)) +
                token.balanceOf(address(sales)) +
                token.balanceOf(address(0xA1)) +
                token.balanceOf(address(0xB2)) +
                token.balanceOf(address(0xC3)) +
                token.balanceOf(address(0xD4));
        assertEq(sum, supply, "every wei with a holder");
    }
}
