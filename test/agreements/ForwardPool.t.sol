// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CivitasToken} from "../../contracts/token/CivitasToken.sol";
import {Treasury} from "../../contracts/treasury/Treasury.sol";
import {ResourceLedger} from "../../contracts/market/ResourceLedger.sol";
import {BlockLottery} from "../../contracts/lottery/BlockLottery.sol";
import {ForwardAgreements} from "../../contracts/agreements/ForwardAgreements.sol";
import {PoolAgreements} from "../../contracts/agreements/PoolAgreements.sol";
import {IBilateralAgreement} from "../../contracts/interfaces/IAgreement.sol";
import {IForwardAgreements} from "../../contracts/interfaces/IForwardAgreements.sol";
import {ICivitasToken} from "../../contracts/interfaces/ICivitasToken.sol";
import {IAgentRegistryCore} from "../../contracts/interfaces/IAgentRegistry.sol";
import {IBlockLottery} from "../../contracts/interfaces/IBlockLottery.sol";
import {IResourceLedger} from "../../contracts/interfaces/IResourceLedger.sol";
import {IResourceMarket} from "../../contracts/interfaces/IResourceMarket.sol";
import {ITreasury} from "../../contracts/interfaces/ITreasury.sol";
import {MockAgentRegistry} from "../../contracts/mocks/MockAgentRegistry.sol";
import {TestBase} from "../helpers/TestBase.sol";

/// @notice The market views a forward reads (epochs of one hour from deployment) and its ledger.
contract ForwardMarketStub {
    address public immutable ledger;
    uint256 public immutable genesis;
    uint256 public constant epochDuration = 1 hours;

    constructor(address ledger_) {
        ledger = ledger_;
        genesis = block.timestamp;
    }

    function currentEpoch() public view returns (uint256) {
        return (block.timestamp - genesis) / epochDuration;
    }

    function epochEnd(uint256 epoch) external view returns (uint256) {
        return genesis + (epoch + 1) * epochDuration;
    }
}

/// @notice Drives forwards (transferable resource 1 and non-transferable resource 2) and lottery pools
/// through random sequences of every action by a random one of four agents; refused calls revert in
/// try/catch. Agent D also mines, commits and reveals in the lottery so that pools can win.
contract ForwardPoolHandler is TestBase {
    ForwardAgreements public immutable forwards;
    PoolAgreements public immutable pools;
    BlockLottery public immutable lottery;
    ForwardMarketStub public immutable market;
    address[4] internal _agents = [address(0xA1), address(0xB2), address(0xC3), address(0xD4)];
    bytes32 internal constant _SECRET = keccak256("d");

    constructor(ForwardAgreements f, PoolAgreements p, BlockLottery l, ForwardMarketStub m) {
        forwards = f;
        pools = p;
        lottery = l;
        market = m;
    }

    function _who(uint256 seed) private view returns (address) {
        return _agents[seed % 4];
    }

    function proposeForward(uint256 seed, uint256 price, uint256 sellerCol, uint256 buyerCol) external {
        IBilateralAgreement.Terms memory t;
        t.counterparty = _agents[1];
        t.arbitrator = _agents[2];
        t.arbitratorFee = bound(seed, 0, 20 ether);
        t.joinDeadline = uint64(block.timestamp + bound(seed >> 8, 1, 2 hours));
        uint256 epoch = market.currentEpoch() + 1 + bound(seed >> 16, 0, 3);
        t.dueDate = uint64(market.epochEnd(epoch) + bound(seed >> 24, 0, 3 hours));
        t.reviewWindow = uint32(bound(seed >> 32, 1 hours, 1 days));
        t.rulingWindow = uint32(bound(seed >> 40, 1 hours, 1 days));
        IForwardAgreements.ForwardTerms memory fw = IForwardAgreements.ForwardTerms({
            resourceId: 1 + ((seed >> 48) % 2),
            quantity: bound(seed >> 56, 1, 300),
            deliveryEpoch: epoch
        });
        vm.prank(_agents[0]);
        try
            forwards.propose(
                t,
                fw,
                bound(price, 1 ether, 200 ether),
                bound(sellerCol, 0, 100 ether),
                bound(buyerCol, 0, 100 ether)
            )
        {} catch {}
    }

    /// @dev One step on a random forward, by the party the step belongs to (four times in five) or by a
    /// random agent (so that wrong callers are tried too).
    function actForward(uint256 idSeed, uint256 whoSeed, uint8 step) external {
        uint256 n = forwards.agreementCount();
        uint256 id = n == 0 ? 1 : bound(idSeed, 1, n);
        step = step % 9;
        // Seller A proposes, cancels, delivers; buyer B joins, confirms, disputes; arbitrator C accepts, rules.
        address party =
            step == 0 || step == 6
                ? _agents[2]
                : step == 1 || step == 4 || step == 5
                    ? _agents[1]
                    : _agents[0];
        vm.startPrank(whoSeed % 5 == 0 ? _who(whoSeed >> 8) : party);
        if (step == 0) try forwards.accept(id) {} catch {}
        else if (step == 1) try forwards.join(id) {} catch {}
        else if (step == 2) try forwards.cancel(id) {} catch {}
        else if (step == 3) try forwards.deliver(id) {} catch {}
        else if (step == 4) try forwards.confirm(id) {} catch {}
        else if (step == 5) try forwards.dispute(id, "e") {} catch {}
        else if (step == 6) try forwards.rule(id, whoSeed % 2 == 0) {} catch {}
        else if (step == 7) try forwards.resolveNoShow(id) {} catch {}
        else {
            try forwards.finalize(id) {} catch {}
            try forwards.claimDefault(id) {} catch {}
        }
        vm.stopPrank();
    }

    /// @dev Contributes to the pool of the current or one of the next two lottery epochs.
    function contribute(uint256 whoSeed, uint256 epochSeed, uint256 amount) external {
        vm.prank(_who(whoSeed));
        try pools.contribute(lottery.currentEpoch() + bound(epochSeed, 0, 2), bound(amount, 0, 300 ether)) {} catch {}
    }

    /// @dev One step on a random pool by a random agent.
    function actPool(uint256 idSeed, uint256 whoSeed, uint8 step) external {
        uint256 n = pools.agreementCount();
        uint256 id = n == 0 ? 1 : bound(idSeed, 1, n);
        vm.startPrank(_who(whoSeed));
        step = step % 4;
        // Members claim their own pool: the claimer is one of the four agents.
        if (step == 0) try pools.exit(id) {} catch {}
        else if (step == 1) try pools.play(id) {} catch {}
        else if (step == 2) try pools.settle(id) {} catch {}
        else try pools.claim(id) {} catch {}
        vm.stopPrank();
    }

    /// @dev Agent D mines one unit and commits, or reveals the previous epoch's secret (lottery randomness).
    function lotteryStep(bool reveal) external {
        vm.startPrank(_agents[3]);
        uint256 epoch = lottery.currentEpoch();
        if (reveal) {
            if (epoch > 0) try lottery.reveal(epoch - 1, _SECRET) {} catch {}
        } else {
            try lottery.mine(1) {} catch {}
            try lottery.commit(lottery.commitmentOf(_SECRET, _agents[3], epoch)) {} catch {}
        }
        vm.stopPrank();
    }

    /// @dev A forward's whole life in one call (propose, accept, join, then delivery at a random time or
    /// none), so that long sequences are reached; the other actions interleave with it.
    function forwardLife(uint256 seed, uint256 price, uint256 sellerCol, uint256 buyerCol) external {
        uint256 before = forwards.agreementCount();
        this.proposeForward(seed, price, sellerCol, buyerCol);
        uint256 id = forwards.agreementCount();
        if (id == before) return;
        vm.prank(_agents[2]);
        try forwards.accept(id) {} catch {}
        vm.prank(_agents[1]);
        try forwards.join(id) {} catch {}
        uint256 opensAt = forwards.deliveryOpensAt(id);
        if (block.timestamp < opensAt) vm.warp(opensAt + bound(seed >> 64, 0, 5 hours));
        if ((seed >> 72) % 4 != 0) {
            vm.prank(_agents[0]);
            try forwards.deliver(id) {} catch {}
        }
    }

    /// @dev A pool's whole life in one call: two members, play at the lock, D's mine entry and reveal, the
    /// draw, settlement and (maybe) the claims.
    function poolLife(uint256 seed, uint256 a, uint256 b) external {
        uint256 epoch = lottery.currentEpoch() + 1;
        vm.prank(_agents[0]);
        try pools.contribute(epoch, bound(a, 1 ether, 200 ether)) {} catch {}
        vm.prank(_agents[1]);
        try pools.contribute(epoch, bound(b, 1 ether, 200 ether)) {} catch {}
        uint256 id = pools.poolOfEpoch(epoch);
        if (id == 0) return;
        vm.warp(lottery.epochStart(epoch));
        try pools.play(id) {} catch {}
        this.lotteryStep(false);
        vm.warp(lottery.epochStart(epoch + 1));
        this.lotteryStep(true);
        vm.warp(lottery.epochStart(epoch + 1) + lottery.REVEAL_WINDOW() + bound(seed, 0, 2 hours));
        try pools.settle(id) {} catch {}
        if (seed % 3 != 0) {
            for (uint256 i = 0; i < 2; i++) {
                vm.prank(_agents[i]);
                try pools.claim(id) {} catch {}
            }
        }
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 6 hours));
    }
}

/// @notice No CIV is created or stuck in forwards and pools: each contract's balance is exactly what its
/// agreements hold, the forward contract never holds credits, and the supply and the sum of every holder's
/// balance never change.
contract ForwardPoolInvariantTest is TestBase {
    Treasury internal treasury;
    CivitasToken internal token;
    ResourceLedger internal ledger;
    BlockLottery internal lottery;
    ForwardAgreements internal forwards;
    PoolAgreements internal pools;
    ForwardPoolHandler internal handler;
    uint256 internal supply;
    address[4] internal agents = [address(0xA1), address(0xB2), address(0xC3), address(0xD4)];

    function setUp() public {
        treasury = new Treasury(address(this));
        token = new CivitasToken(address(this), address(treasury), 1_000, 500);
        MockAgentRegistry registry = new MockAgentRegistry();
        ICivitasToken t = ICivitasToken(address(token));
        ledger = new ResourceLedger(address(this), IAgentRegistryCore(address(registry)), "");
        IResourceLedger.Policy memory policy = IResourceLedger.Policy(
            "gpu-second",
            1000,
            1000,
            10_000,
            1 hours,
            0,
            true
        );
        ledger.registerResource(policy);
        policy.transferable = false;
        ledger.registerResource(policy);
        ledger.grantRole(ledger.MINTER_ROLE(), address(this));
        ForwardMarketStub market = new ForwardMarketStub(address(ledger));
        forwards = new ForwardAgreements(
            address(this),
            t,
            IAgentRegistryCore(address(registry)),
            1_000,
            1e15,
            IResourceMarket(address(market))
        );
        lottery = new BlockLottery(
            address(this),
            t,
            ITreasury(address(treasury)),
            IResourceLedger(address(ledger)),
            1 hours,
            10 minutes,
            1 days,
            [uint256(10 ether), 1, 1e15, 9_000, 1 ether, 1e15]
        );
        ledger.setMeter(1, address(lottery), true);
        pools = new PoolAgreements(t, IBlockLottery(address(lottery)), 1 ether);
        handler = new ForwardPoolHandler(forwards, pools, lottery, market);
        treasury.setBudget(address(lottery), token, 1_000 ether);
        for (uint256 i = 0; i < 4; i++) {
            registry.setGoodStanding(agents[i], true);
            treasury.transfer(token, agents[i], 100_000 ether);
            ledger.mint(agents[i], 1, 1_000_000, 0);
            vm.startPrank(agents[i]);
            token.approve(address(forwards), type(uint256).max);
            token.approve(address(pools), type(uint256).max);
            token.approve(address(lottery), type(uint256).max);
            ledger.setApprovalForAll(address(forwards), true);
            vm.stopPrank();
        }
        token.setProtocolAccount(address(forwards), true);
        token.setProtocolAccount(address(pools), true);
        token.setProtocolAccount(address(lottery), true);
        supply = token.totalSupply();
        targetContract(address(handler));
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 60
    function invariant_nothingCreatedOrStuck() public view {
        uint256 held;
        uint256 n = forwards.agreementCount();
        for (uint256 id = 1; id <= n; id++) held += forwards.heldFor(id);
        assertEq(token.balanceOf(address(forwards)), held, "forwards balance = held");
        assertEq(ledger.balanceOf(address(forwards), 1), 0, "forwards hold no credits");
        held = 0;
        n = pools.agreementCount();
        for (uint256 id = 1; id <= n; id++) held += pools.heldFor(id);
        assertEq(token.balanceOf(address(pools)), held, "pools balance = held");
        assertEq(token.totalSupply(), supply, "supply unchanged");
        uint256 sum =
            token.balanceOf(address(treasury)) +
                token.balanceOf(address(forwards)) +
                token.balanceOf(address(pools)) +
                token.balanceOf(address(lottery));
        for (uint256 i = 0; i < 4; i++) sum += token.balanceOf(agents[i]);
        assertEq(sum, supply, "every wei with a holder");
    }
}
