// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {TestBase} from "../helpers/TestBase.sol";
import {AgentRegistry} from "../../contracts/registry/AgentRegistry.sol";
import {IAgentRegistry} from "../../contracts/interfaces/IAgentRegistry.sol";
import {ICivitasToken} from "../../contracts/interfaces/ICivitasToken.sol";
import {ITreasury} from "../../contracts/interfaces/ITreasury.sol";

/// @dev A CIV stand-in with only what the registry calls: balances, `burnUpkeep`, and a running total of
/// upkeep burned for the invariant.
contract UpkeepTokenMock is ERC20 {
    uint256 public upkeepBurnedTotal;

    constructor() ERC20("Civitas mock", "mCIV") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function burnUpkeep(address account, uint256 amount) external {
        upkeepBurnedTotal += amount;
        _burn(account, amount);
    }
}

/// @dev A Treasury stand-in: an unlimited budget that mints the grant.
contract TreasuryMock {
    /// @dev No outflow window in the stand-in.
    function outflowAvailable(IERC20) external pure returns (uint256) {
        return type(uint256).max;
    }

    function budgetOf(address, IERC20) external pure returns (uint256) {
        return type(uint256).max;
    }

    function draw(IERC20 token, address to, uint256 amount) external {
        UpkeepTokenMock(address(token)).mint(to, amount);
    }
}

/// @dev `TestBase` plus a signed `bound`.
abstract contract RegistryTestBase is TestBase {
    function boundInt(int256 x, int256 min, int256 max) internal pure returns (int256) {
        require(min <= max, "boundInt: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = uint256(max - min) + 1;
        // x's two's-complement bits reduced modulo the range size: always in [min, max].
        return min + int256(uint256(x) % size);
    }
}

/// @dev Drives the registry through random sequences: registrations, time, collections (single and batch),
/// reputation reports, suspensions, revivals and top-ups. It holds every role.
contract AgentRegistryHandler is RegistryTestBase {
    AgentRegistry public immutable registry;
    UpkeepTokenMock public immutable token;

    address[] internal _actors;
    uint256[] public agentIds;
    mapping(uint256 agentId => uint256 registeredAt) public registeredAt;

    constructor(AgentRegistry registry_, UpkeepTokenMock token_) {
        registry = registry_;
        token = token_;
        for (uint256 i = 1; i <= 8; ++i) _actors.push(address(uint160(0xA11CE000 + i)));
    }

    function agentCount() external view returns (uint256) {
        return agentIds.length;
    }

    function register(uint256 actorSeed) external {
        address actor = _actors[bound(actorSeed, 0, _actors.length - 1)];
        if (registry.agentIdOf(actor) != 0) return;
        vm.prank(actor);
        uint256 agentId = registry.register("ipfs://agent");
        agentIds.push(agentId);
        registeredAt[agentId] = block.timestamp;
    }

    function warp(uint256 secondsAhead) external {
        vm.warp(block.timestamp + bound(secondsAhead, 0, 10 days));
    }

    function collect(uint256 agentSeed) external {
        if (agentIds.length == 0) return;
        uint256 agentId = agentIds[bound(agentSeed, 0, agentIds.length - 1)];
        IAgentRegistry.AgentStatus status = registry.statusOf(agentId);
        if (status != IAgentRegistry.AgentStatus.Active) return;
        registry.collectUpkeep(agentId);
    }

    function collectAll() external {
        registry.collectUpkeep(agentIds);
    }

    function report(uint256 agentSeed, int256 delta) external {
        if (agentIds.length == 0) return;
        uint256 agentId = agentIds[bound(agentSeed, 0, agentIds.length - 1)];
        address wallet = registry.getAgentWallet(agentId);
        if (wallet == address(0)) return;
        registry.reportReputation(wallet, boundInt(delta, -5000, 5000), "fuzz", agentSeed);
    }

    function reportExtreme(uint256 agentSeed, bool up) external {
        if (agentIds.length == 0) return;
        uint256 agentId = agentIds[bound(agentSeed, 0, agentIds.length - 1)];
        address wallet = registry.getAgentWallet(agentId);
        if (wallet == address(0)) return;
        registry.reportReputation(wallet, up ? type(int256).max : type(int256).min, "extreme", 0);
    }

    function toggleSuspension(uint256 agentSeed) external {
        if (agentIds.length == 0) return;
        uint256 agentId = agentIds[bound(agentSeed, 0, agentIds.length - 1)];
        if (registry.agent(agentId).suspended) registry.unsuspend(agentId, "fuzz");
        else registry.suspend(agentId, "fuzz");
    }

    function revive(uint256 agentSeed) external {
        if (agentIds.length == 0) return;
        uint256 agentId = agentIds[bound(agentSeed, 0, agentIds.length - 1)];
        if (registry.agent(agentId).starved) registry.revive(agentId, "fuzz");
    }

    function topUp(uint256 agentSeed, uint256 amount) external {
        if (agentIds.length == 0) return;
        uint256 agentId = agentIds[bound(agentSeed, 0, agentIds.length - 1)];
        address wallet = registry.getAgentWallet(agentId);
        if (wallet == address(0)) return;
        token.mint(wallet, bound(amount, 0, 2_000 ether));
    }

    function burnFromWallet(uint256 agentSeed, uint256 amount) external {
        if (agentIds.length == 0) return;
        uint256 agentId = agentIds[bound(agentSeed, 0, agentIds.length - 1)];
        address wallet = registry.getAgentWallet(agentId);
        if (wallet == address(0)) return;
        uint256 balance = token.balanceOf(wallet);
        vm.prank(wallet);
        token.transfer(address(0xdead), bound(amount, 0, balance));
    }

    /// @dev Sum over agents of whole days since registration: an upper bound of the days ever charged.
    function maxChargeableDays() external view returns (uint256 total) {
        for (uint256 i = 0; i < agentIds.length; ++i) {
            total += (block.timestamp - registeredAt[agentIds[i]]) / 1 days;
        }
    }
}

contract AgentRegistryInvariantTest is RegistryTestBase {
    AgentRegistry internal registry;
    UpkeepTokenMock internal token;
    AgentRegistryHandler internal handler;

    uint256 internal constant UPKEEP = 100 ether;

    function setUp() public {
        token = new UpkeepTokenMock();
        TreasuryMock treasury = new TreasuryMock();
        handler = new AgentRegistryHandler(
            registry = new AgentRegistry(
                address(this),
                ICivitasToken(address(token)),
                ITreasury(address(treasury)),
                1_000 ether,
                UPKEEP
            ),
            token
        );
        registry.grantRole(registry.DEFAULT_ADMIN_ROLE(), address(handler));
        registry.grantRole(registry.REPORTER_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 40
    function invariant_scoresStayWithinBounds() public view {
        uint256 count = handler.agentCount();
        for (uint256 i = 0; i < count; ++i) {
            int256 score = registry.scoreOf(handler.agentIds(i));
            assertTrue(score >= -1000 && score <= 1000, "score out of [-1000, 1000]");
        }
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 40
    function invariant_upkeepBurnedNeverExceedsElapsedDaysTimesRate() public view {
        assertLe(
            token.upkeepBurnedTotal(),
            handler.maxChargeableDays() * UPKEEP,
            "burned more than elapsed days x upkeepPerDay"
        );
    }
}

contract AgentRegistryFuzzTest is RegistryTestBase {
    AgentRegistry internal registry;
    UpkeepTokenMock internal token;
    address internal constant ALICE = address(0xA11CE);

    function setUp() public {
        token = new UpkeepTokenMock();
        TreasuryMock treasury = new TreasuryMock();
        registry = new AgentRegistry(
            address(this),
            ICivitasToken(address(token)),
            ITreasury(address(treasury)),
            0,
            100 ether
        );
        registry.grantRole(registry.REPORTER_ROLE(), address(this));
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_collectUpkeep_burnsMinOfBalanceAndOwed(uint256 upkeep, uint256 balance, uint256 elapsed) public {
        upkeep = bound(upkeep, 0, registry.MAX_UPKEEP_PER_DAY());
        registry.setUpkeepPerDay(upkeep);
        balance = bound(balance, 0, 1_000_000 ether);
        elapsed = bound(elapsed, 0, 3_650 days);
        vm.prank(ALICE);
        uint256 agentId = registry.register();
        token.mint(ALICE, balance);
        uint256 start = block.timestamp;
        vm.warp(start + elapsed);

        uint256 burned = registry.collectUpkeep(agentId);

        uint256 daysElapsed = elapsed / 1 days;
        uint256 owed = daysElapsed * upkeep;
        assertLe(burned, owed, "burned more than days x upkeepPerDay");
        assertEq(burned, balance < owed ? balance : owed, "burned is not min(balance, owed)");
        assertEq(token.balanceOf(ALICE), balance - burned, "balance not reduced by burned");
        assertTrue(registry.agent(agentId).starved == (balance < owed), "starved iff it could not pay in full");
        assertEq(registry.agent(agentId).lastCollectedAt, start + daysElapsed * 1 days, "clock not whole days");
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_reportReputation_clampsLikeAReferenceModel(int256 d1, int256 d2, int256 d3) public {
        vm.prank(ALICE);
        uint256 agentId = registry.register();
        int256[3] memory deltas = [d1, d2, boundInt(d3, -3000, 3000)];
        int256 model = 0;
        for (uint256 i = 0; i < 3; ++i) {
            int256 delta = deltas[i];
            // Reference model in wider arithmetic where it cannot overflow.
            if (delta > 3000) model = 1000;
            else if (delta < -3000) model = -1000;
            else {
                model += delta;
                if (model > 1000) model = 1000;
                if (model < -1000) model = -1000;
            }
            int256 score = registry.reportReputation(ALICE, delta, "fuzz", i);
            assertTrue(score == model, "score differs from the clamped model");
            assertTrue(registry.scoreOf(agentId) == score, "stored score differs");
        }
    }
}
