// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CivitasToken} from "../../contracts/token/CivitasToken.sol";
import {Treasury} from "../../contracts/treasury/Treasury.sol";
import {Escrow} from "../../contracts/escrow/Escrow.sol";
import {IEscrow} from "../../contracts/interfaces/IEscrow.sol";
import {ICivitasToken} from "../../contracts/interfaces/ICivitasToken.sol";
import {IAgentRegistryCore} from "../../contracts/interfaces/IAgentRegistry.sol";
import {MockAgentRegistry} from "../../contracts/mocks/MockAgentRegistry.sol";
import {TestBase} from "../helpers/TestBase.sol";

/// @dev State snapshots, not (yet) in the shared {Vm} of test/helpers/TestBase.sol; same cheatcode address.
interface VmSnapshots {
    function snapshotState() external returns (uint256 snapshotId);
    function revertToState(uint256 snapshotId) external returns (bool success);
}

/// @notice Drives the escrow through random sequences of every action, by the right party (or a stranger).
/// Calls that the escrow refuses simply revert inside try/catch; the state stays consistent.
contract EscrowHandler is TestBase {
    Escrow public immutable escrow;
    CivitasToken public immutable token;
    address public constant CLIENT = address(0xC1);
    address public constant PROVIDER = address(0xB2);
    address public constant ARBITRATOR = address(0xA3);
    address public constant STRANGER = address(0x54);

    uint256 public calls;
    uint256 public successes;

    constructor(Escrow escrow_, CivitasToken token_) {
        escrow = escrow_;
        token = token_;
    }

    /// @dev Mostly one of the three newest escrows, so that sequences of actions meet on the same escrow.
    function _id(uint256 seed) private view returns (uint256) {
        uint256 count = escrow.escrowCount();
        if (count == 0) return 1;
        if (seed % 4 == 0) return bound(seed / 4, 1, count);
        return count > 3 ? bound(seed / 4, count - 2, count) : bound(seed / 4, 1, count);
    }

    function _record(bool ok) private {
        calls++;
        if (ok) successes++;
    }

    function create(
        uint256 amountSeed,
        uint256 feeSeed,
        uint256 deliverySeed,
        uint256 reviewSeed,
        uint256 rulingSeed
    ) external {
        IEscrow.Terms memory t = IEscrow.Terms({
            kind: 0,
            provider: PROVIDER,
            arbitrator: ARBITRATOR,
            amount: bound(amountSeed, 1e15, 2_000 ether),
            arbitratorFee: bound(feeSeed, 0, 100 ether),
            deliveryDeadline: uint64(block.timestamp + bound(deliverySeed, 1 hours, 20 days)),
            reviewWindow: uint32(bound(reviewSeed, 1 hours, 10 days)),
            rulingWindow: uint32(bound(rulingSeed, 1 hours, 10 days)),
            termsHash: bytes32(amountSeed),
            termsURI: "ipfs://terms"
        });
        vm.prank(CLIENT);
        try escrow.create(t) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function agree(uint256 seed) external {
        uint256 id = _id(seed);
        vm.prank(PROVIDER);
        try escrow.agree(id) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function accept(uint256 seed) external {
        uint256 id = _id(seed);
        vm.prank(ARBITRATOR);
        try escrow.accept(id) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function fund(uint256 seed) external {
        uint256 id = _id(seed);
        vm.prank(CLIENT);
        try escrow.fund(id) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function cancel(uint256 seed, uint256 who) external {
        address[4] memory actors = [CLIENT, PROVIDER, ARBITRATOR, STRANGER];
        uint256 id = _id(seed);
        vm.prank(actors[who % 4]);
        try escrow.cancel(id) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function submit(uint256 seed) external {
        uint256 id = _id(seed);
        vm.prank(PROVIDER);
        try escrow.submit(id, "ipfs://work", bytes32(seed)) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function approve(uint256 seed) external {
        uint256 id = _id(seed);
        vm.prank(CLIENT);
        try escrow.approve(id) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function dispute(uint256 seed) external {
        uint256 id = _id(seed);
        vm.prank(CLIENT);
        try escrow.dispute(id, "ipfs://complaint") {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function evidence(uint256 seed, bool fromClient) external {
        uint256 id = _id(seed);
        vm.prank(fromClient ? CLIENT : PROVIDER);
        try escrow.submitEvidence(id, "ipfs://more") {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function rule(uint256 seed, uint256 providerBps) external {
        uint256 id = _id(seed);
        vm.prank(ARBITRATOR);
        try escrow.rule(id, bound(providerBps, 0, 10_000)) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function claim(uint256 seed) external {
        uint256 id = _id(seed);
        vm.prank(STRANGER);
        try escrow.claim(id) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function reclaim(uint256 seed) external {
        uint256 id = _id(seed);
        vm.prank(STRANGER);
        try escrow.reclaim(id) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function resolveNoShow(uint256 seed) external {
        uint256 id = _id(seed);
        vm.prank(STRANGER);
        try escrow.resolveNoShow(id) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    function rate(uint256 seed, bool byClient, bool up) external {
        uint256 id = _id(seed);
        vm.prank(byClient ? CLIENT : PROVIDER);
        try escrow.rate(id, up ? int8(1) : int8(-1)) {
            _record(true);
        } catch {
            _record(false);
        }
    }

    /// @dev Takes an escrow one to six steps further down paths chosen by the bytes of `choice`, so that deep
    /// states (rulings, no-shows, ratings) are reached often; may warp past the deadline a step waits for.
    function advance(uint256 seed, uint256 choice) external {
        uint256 id = _id(seed);
        uint256 steps = (choice % 6) + 1;
        for (uint256 k = 1; k <= steps; k++) {
            // Hashed, so that the fuzzer's favourite values (0, max, addresses) still spread over the paths.
            uint256 r = uint256(keccak256(abi.encode(choice, k)));
            _step(id, uint8(r), r >> 8);
        }
    }

    /// @param choice Picks the path at this step.
    /// @param wide More random bits (the ruling's share).
    function _step(uint256 id, uint8 choice, uint256 wide) private {
        IEscrow.Job memory e = escrow.escrowOf(id);
        bool ok;
        if (e.state == IEscrow.State.Created) {
            vm.prank(PROVIDER);
            try escrow.agree(id) {
                ok = true;
            } catch {}
        } else if (e.state == IEscrow.State.Agreed) {
            vm.prank(ARBITRATOR);
            try escrow.accept(id) {
                ok = true;
            } catch {}
        } else if (e.state == IEscrow.State.Accepted) {
            vm.prank(CLIENT);
            try escrow.fund(id) {
                ok = true;
            } catch {}
        } else if (e.state == IEscrow.State.Funded) {
            if (choice % 4 == 0) {
                vm.warp(e.deliveryDeadline + 1);
                vm.prank(STRANGER);
                try escrow.reclaim(id) {
                    ok = true;
                } catch {}
            } else {
                vm.prank(PROVIDER);
                try escrow.submit(id, "ipfs://work", bytes32(wide)) {
                    ok = true;
                } catch {}
            }
        } else if (e.state == IEscrow.State.Submitted) {
            uint256 c = choice % 3;
            if (c == 0) {
                vm.prank(CLIENT);
                try escrow.approve(id) {
                    ok = true;
                } catch {}
            } else if (c == 1) {
                vm.prank(CLIENT);
                try escrow.dispute(id, "ipfs://complaint") {
                    ok = true;
                } catch {}
            } else {
                vm.warp(e.reviewDeadline + 1);
                vm.prank(STRANGER);
                try escrow.claim(id) {
                    ok = true;
                } catch {}
            }
        } else if (e.state == IEscrow.State.Disputed) {
            if (choice % 2 == 0) {
                vm.prank(ARBITRATOR);
                try escrow.rule(id, bound(wide, 0, 10_000)) {
                    ok = true;
                } catch {}
            } else {
                vm.warp(e.rulingDeadline + 1);
                vm.prank(STRANGER);
                try escrow.resolveNoShow(id) {
                    ok = true;
                } catch {}
            }
        } else if (_settled(e.state)) {
            vm.prank(choice % 2 == 0 ? CLIENT : PROVIDER);
            try escrow.rate(id, choice % 3 == 0 ? int8(-1) : int8(1)) {
                ok = true;
            } catch {}
        }
        _record(ok);
    }

    function _settled(IEscrow.State s) private pure returns (bool) {
        return
            s == IEscrow.State.Refunded ||
            s == IEscrow.State.Completed ||
            s == IEscrow.State.Ruled ||
            s == IEscrow.State.NoShowResolved;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 12 days));
    }
}

/// @notice Invariants of the escrow over random action sequences, on the real CivitasToken and Treasury.
contract EscrowInvariantTest is TestBase {
    VmSnapshots internal constant snapshots = VmSnapshots(address(vm));

    CivitasToken internal token;
    Treasury internal treasury;
    Escrow internal escrow;
    MockAgentRegistry internal registry;
    EscrowHandler internal handler;

    function setUp() public {
        treasury = new Treasury(address(this));
        token = new CivitasToken(address(this), address(treasury), 1_000, 500);
        registry = new MockAgentRegistry();
        escrow = new Escrow(
            address(this),
            ICivitasToken(address(token)),
            IAgentRegistryCore(address(registry)),
            1_000,
            100,
            1 hours,
            1e15
        );
        token.setProtocolAccount(address(escrow), true);
        handler = new EscrowHandler(escrow, token);
        address[3] memory agents = [handler.CLIENT(), handler.PROVIDER(), handler.ARBITRATOR()];
        for (uint256 i; i < 3; i++) {
            registry.setGoodStanding(agents[i], true);
            treasury.transfer(token, agents[i], 100_000 ether);
            vm.prank(agents[i]);
            token.approve(address(escrow), type(uint256).max);
        }
        targetContract(address(handler));
    }

    /// @dev What an escrow in `state` must still hold: the bond once accepted; amount, fee and bond once
    /// funded; nothing once cancelled or settled.
    function _held(IEscrow.Job memory e) internal pure returns (uint256) {
        if (e.state == IEscrow.State.Accepted) return e.bond;
        if (e.state == IEscrow.State.Funded || e.state == IEscrow.State.Submitted || e.state == IEscrow.State.Disputed)
            return uint256(e.amount) + e.arbitratorFee + e.bond;
        return 0;
    }

    function _open(IEscrow.State s) internal pure returns (bool) {
        return
            s == IEscrow.State.Created ||
            s == IEscrow.State.Agreed ||
            s == IEscrow.State.Accepted ||
            s == IEscrow.State.Funded ||
            s == IEscrow.State.Submitted ||
            s == IEscrow.State.Disputed;
    }

    /// forge-config: default.invariant.runs = 48
    /// forge-config: default.invariant.depth = 40
    function invariant_balanceEqualsOpenAmountsFeesAndBonds() public view {
        uint256 sum;
        uint256 count = escrow.escrowCount();
        for (uint256 id = 1; id <= count; id++) {
            sum += _held(escrow.escrowOf(id));
        }
        assertEq(token.balanceOf(address(escrow)), sum, "escrow balance != open amounts + fees + bonds");
        // Nothing leaks anywhere else: parties, escrow and Treasury hold the whole supply.
        uint256 total =
            token.balanceOf(handler.CLIENT()) +
                token.balanceOf(handler.PROVIDER()) +
                token.balanceOf(handler.ARBITRATOR()) +
                token.balanceOf(handler.STRANGER()) +
                token.balanceOf(address(escrow)) +
                token.balanceOf(address(treasury));
        assertEq(total, token.totalSupply(), "tokens left the known accounts");
    }

    /// @dev From any reachable state, once every deadline has passed a stranger can close every open
    /// escrow, and the escrow then holds nothing. Checked on a snapshot that is thrown away.
    /// forge-config: default.invariant.runs = 48
    /// forge-config: default.invariant.depth = 40
    function invariant_noDeadEnd() public {
        uint256 snapshot = snapshots.snapshotState();
        vm.warp(block.timestamp + 366 days + 60 days);
        address stranger = handler.STRANGER();
        uint256 count = escrow.escrowCount();
        for (uint256 id = 1; id <= count; id++) {
            IEscrow.State s = escrow.escrowOf(id).state;
            if (!_open(s)) continue;
            vm.prank(stranger);
            if (s == IEscrow.State.Created || s == IEscrow.State.Agreed || s == IEscrow.State.Accepted) {
                escrow.cancel(id);
            } else if (s == IEscrow.State.Funded) escrow.reclaim(id);
            else if (s == IEscrow.State.Submitted) escrow.claim(id);
            else escrow.resolveNoShow(id);
            assertTrue(!_open(escrow.escrowOf(id).state), "escrow still open after its exit");
        }
        assertEq(token.balanceOf(address(escrow)), 0, "escrow holds tokens after every exit");
        snapshots.revertToState(snapshot);
    }

    /// @dev Sanity: the handler's actions (prank, then the call) really move an escrow through its life cycle.
    function test_handlerReachesSettlement() public {
        handler.create(1 ether, 1 ether, 5 days, 2 days, 2 days);
        handler.agree(1);
        handler.accept(1);
        handler.fund(1);
        handler.submit(1);
        handler.dispute(1);
        handler.rule(1, 6_000);
        assertTrue(escrow.escrowOf(1).state == IEscrow.State.Ruled, "not ruled");
        assertEq(token.balanceOf(address(escrow)), 0, "escrow not empty");
    }
}
