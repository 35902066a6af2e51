// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CivitasToken} from "../../contracts/token/CivitasToken.sol";
import {Treasury} from "../../contracts/treasury/Treasury.sol";
import {ResourceLedger} from "../../contracts/market/ResourceLedger.sol";
import {ResourceMarket} from "../../contracts/market/ResourceMarket.sol";
import {ComputePool} from "../../contracts/market/ComputePool.sol";
import {IResourceLedger} from "../../contracts/interfaces/IResourceLedger.sol";
import {IResourceMarket} from "../../contracts/interfaces/IResourceMarket.sol";
import {ICivitasToken} from "../../contracts/interfaces/ICivitasToken.sol";
import {IAgentRegistryCore} from "../../contracts/interfaces/IAgentRegistry.sol";
import {MockAgentRegistry} from "../../contracts/mocks/MockAgentRegistry.sol";
import {TestBase} from "../helpers/TestBase.sol";

/// @dev State snapshots (same cheatcode address as {Vm}).
interface VmSnapshots {
    function snapshotState() external returns (uint256 snapshotId);
    function revertToState(uint256 snapshotId) external returns (bool success);
}

/// @notice Drives the market through random offers, bids, time, clearings and claims by three agents and a
/// stranger, and keeps ghost totals of every CIV and credit movement.
contract MarketHandler is TestBase {
    uint256 public constant RESOURCE = 1;
    address public constant STRANGER = address(0x5757);

    ResourceMarket public immutable market;
    CivitasToken public immutable token;
    address[3] public agents = [address(0xA1), address(0xA2), address(0xA3)];

    uint256 public escrowed;
    uint256 public refunded;
    uint256 public grossPaid;
    uint256 public filledClaimed;
    uint256 public lastEpoch;

    constructor(ResourceMarket market_, CivitasToken token_) {
        market = market_;
        token = token_;
    }

    function offer(uint256 who, uint256 ahead, uint256 capacity) external {
        uint256 epoch = market.currentEpoch() + bound(ahead, 0, 2);
        vm.prank(agents[who % 3]);
        try market.offer(RESOURCE, epoch, bound(capacity, 1, 1_000), agents[who % 3]) {
            if (epoch > lastEpoch) lastEpoch = epoch;
        } catch {}
    }

    function bid(uint256 who, uint256 ahead, uint256 tick, uint256 quantity) external {
        uint256 epoch = market.currentEpoch() + bound(ahead, 0, 2);
        vm.prank(agents[who % 3]);
        try market.bid(RESOURCE, epoch, bound(tick, 1, 60), bound(quantity, 1, 500)) returns (uint256 id) {
            IResourceMarket.Bid memory b = market.bidOf(id);
            escrowed += uint256(b.quantity) * b.tick * market.epochOf(RESOURCE, epoch).tickSize;
            if (epoch > lastEpoch) lastEpoch = epoch;
        } catch {}
    }

    function clear(uint256 back) external {
        uint256 current = market.currentEpoch();
        if (current == 0) return;
        try market.clear(RESOURCE, current - 1 - bound(back, 0, current - 1)) {} catch {}
    }

    function claimBid(uint256 seed) external {
        uint256 count = market.bidCount();
        if (count == 0) return;
        claimBidId(bound(seed, 1, count));
    }

    function claimBidId(uint256 id) public {
        vm.prank(STRANGER);
        try market.claimBid(id) {
            (uint256 filled, , uint256 refund) = market.bidOutcome(id);
            filledClaimed += filled;
            refunded += refund;
        } catch {}
    }

    function claimOffer(uint256 seed) external {
        uint256 count = market.offerCount();
        if (count == 0) return;
        claimOfferId(bound(seed, 1, count));
    }

    function claimOfferId(uint256 id) public {
        vm.prank(STRANGER);
        try market.claimOffer(id) {
            (, uint256 gross, ) = market.offerOutcome(id);
            grossPaid += gross;
        } catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 2 days));
    }
}

/// @notice Invariants of the market over random sequences, on the real token, Treasury and ledger.
contract ResourceMarketInvariantTest is TestBase {
    VmSnapshots internal constant snapshots = VmSnapshots(address(vm));

    CivitasToken internal token;
    Treasury internal treasury;
    ResourceLedger internal ledger;
    ResourceMarket internal market;
    MockAgentRegistry internal registry;
    MarketHandler internal handler;

    function setUp() public {
        treasury = new Treasury(address(this));
        token = new CivitasToken(address(this), address(treasury), 1_000, 500);
        registry = new MockAgentRegistry();
        ledger = new ResourceLedger(address(this), IAgentRegistryCore(address(registry)), "");
        market = new ResourceMarket(
            address(this),
            ICivitasToken(address(token)),
            IResourceLedger(address(ledger)),
            IAgentRegistryCore(address(registry)),
            1 days,
            100,
            5_000,
            1_250
        );
        token.setProtocolAccount(address(market), true);
        ledger.grantRole(ledger.MINTER_ROLE(), address(market));
        ledger.registerResource(
            IResourceLedger.Policy({
                unit: "gpu-second",
                decimals: 0,
                transferable: true,
                allowancePerDay: 10,
                allowanceMax: 20,
                quota: 0,
                quotaWindow: 1 hours
            })
        );
        market.list(1, 1e15, 1e16);
        handler = new MarketHandler(market, token);
        for (uint256 i; i < 3; i++) {
            address agent = handler.agents(i);
            registry.setGoodStanding(agent, true);
            treasury.transfer(token, agent, 100_000 ether);
            vm.prank(agent);
            token.approve(address(market), type(uint256).max);
        }
        targetContract(address(handler));
    }

    /// @dev CIV in = CIV out + held: escrowed by bids = refunds + gross paid to offers + the market's balance.
    function invariant_civInEqualsOutPlusHeld() public view {
        assertEq(
            handler.escrowed(),
            handler.refunded() + handler.grossPaid() + token.balanceOf(address(market)),
            "CIV in != out + held"
        );
    }

    /// @dev Credits minted on the ledger = fills claimed from the market.
    function invariant_creditsMintedEqualCreditsAllocated() public view {
        assertEq(ledger.totalMinted(1), handler.filledClaimed(), "minted != allocated");
    }

    /// @dev From any reachable state, once every epoch has ended a stranger can settle every bid and offer;
    /// the market then holds nothing and the credits minted equal the capacity sold. Checked on a snapshot.
    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 30
    function invariant_noCivStuck() public {
        uint256 snapshot = snapshots.snapshotState();
        vm.warp(market.epochEnd(handler.lastEpoch()) + 1);
        for (uint256 id = 1; id <= market.bidCount(); id++) {
            if (!market.bidOf(id).claimed) handler.claimBidId(id);
            assertTrue(market.bidOf(id).claimed, "bid not settled");
        }
        for (uint256 id = 1; id <= market.offerCount(); id++) {
            if (!market.offerOf(id).claimed) handler.claimOfferId(id);
            assertTrue(market.offerOf(id).claimed, "offer not settled");
        }
        assertEq(token.balanceOf(address(market)), 0, "market holds CIV after every claim");
        uint256 sold;
        for (uint256 e = 0; e <= handler.lastEpoch(); e++) sold += market.epochOf(1, e).sold;
        assertEq(ledger.totalMinted(1), sold, "credits minted != capacity sold");
        snapshots.revertToState(snapshot);
    }

    /// @dev Sanity: a scripted sequence clears and settles with a pro-rata margin.
    function test_handlerClearsAndSettles() public {
        handler.offer(0, 0, 100);
        handler.bid(1, 0, 30, 80);
        handler.bid(2, 0, 20, 40);
        handler.bid(2, 0, 20, 30);
        handler.warp(1 days);
        handler.clear(0);
        assertEq(market.epochOf(1, 0).price, 20e15, "clearing price");
        for (uint256 id = 1; id <= 3; id++) handler.claimBidId(id);
        handler.claimOfferId(1);
        assertEq(ledger.totalMinted(1), 100, "minted");
        assertEq(token.balanceOf(address(market)), 0, "market not empty");
    }

    /// @dev The dividends of a pool whose shares were sold in epoch 0 add up to what it received, to the wei
    /// per holder, whatever the order of claims.
    function testFuzz_poolDividendsAddUp(uint256 q1, uint256 q2, uint256 revenue) public {
        q1 = bound(q1, 1, 500);
        q2 = bound(q2, 1, 500);
        revenue = bound(revenue, 1, 10_000 ether);
        ComputePool pool = new ComputePool(market, 1, 0);
        token.setProtocolAccount(address(pool), true);
        handler.offer(0, 0, 1_000);
        handler.bid(1, 0, 10, q1);
        handler.bid(2, 0, 10, q2);
        handler.warp(1 days);
        handler.clear(0);
        treasury.transfer(token, address(pool), revenue);
        pool.distribute();
        uint256 before1 = pool.claimable(1);
        uint256 before2 = pool.claimable(2);
        assertLe(before1 + before2, revenue, "dividends exceed revenue");
        assertLe(revenue - before1 - before2, 2, "more than a wei per holder left over");
        pool.claimDividends(2);
        pool.claimDividends(1);
        assertEq(pool.claimable(1) + pool.claimable(2), 0, "claimable after claim");
        assertLe(token.balanceOf(address(pool)), 2, "pool kept more than rounding");
    }
}
