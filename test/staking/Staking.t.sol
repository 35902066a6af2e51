// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TestBase} from "../helpers/TestBase.sol";
import {CivitasToken} from "../../contracts/token/CivitasToken.sol";
import {Treasury} from "../../contracts/treasury/Treasury.sol";
import {Staking} from "../../contracts/staking/Staking.sol";
import {IStaking} from "../../contracts/interfaces/IStaking.sol";
import {MockAgentRegistry} from "../../contracts/mocks/MockAgentRegistry.sol";

/// @notice Drives staking through random registrations, delegations, undelegations, withdrawals, claims,
/// epoch fundings, slashes and time. Every call checks its own preconditions so that nothing reverts.
contract StakingHandler is TestBase {
    Staking public immutable staking;
    CivitasToken public immutable token;
    Treasury public immutable treasury;

    address[] public actors;
    address[] public validators;
    uint256[] public unbondingIds;
    /// @dev Handler calls that changed state.
    uint256 public calls;
    /// @dev Ghost totals: reward wei funded into staking and paid out of it by claims.
    uint256 public funded;
    uint256 public claimed;

    constructor(Staking staking_, CivitasToken token_, Treasury treasury_, address[] memory actors_) {
        staking = staking_;
        token = token_;
        treasury = treasury_;
        actors = actors_;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function validatorCount() external view returns (uint256) {
        return validators.length;
    }

    function registerValidator(uint256 actorSeed, uint256 commissionBps, uint256 stake) external {
        address actor = actors[actorSeed % actors.length];
        if (staking.validatorInfo(actor).registered || staking.boundValidatorOf(actor) != address(0)) return;
        uint256 balance = token.balanceOf(actor);
        uint256 minimum = staking.minSelfStake();
        if (balance < minimum) return;
        commissionBps = bound(commissionBps, 0, staking.MAX_COMMISSION_BPS());
        stake = bound(stake, minimum, balance);
        vm.prank(actor);
        staking.registerValidator(commissionBps, stake);
        validators.push(actor);
        ++calls;
    }

    function delegateStake(uint256 actorSeed, uint256 validatorSeed, uint256 amount) external {
        if (validators.length == 0) return;
        address actor = actors[actorSeed % actors.length];
        address validator = validators[validatorSeed % validators.length];
        address bound_ = staking.boundValidatorOf(actor);
        if (bound_ != address(0) && bound_ != validator) return;
        if (actor != validator && staking.bondedBalanceOf(validator) < staking.minSelfStake()) return;
        uint256 balance = token.balanceOf(actor);
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        vm.prank(actor);
        staking.delegateStake(validator, amount);
        ++calls;
    }

    function undelegate(uint256 actorSeed, uint256 shares) external {
        address actor = actors[actorSeed % actors.length];
        uint256 held = staking.bondedSharesOf(actor);
        if (held == 0) return;
        shares = bound(shares, 1, held);
        IStaking.ValidatorInfo memory v = staking.validatorInfo(staking.boundValidatorOf(actor));
        if ((shares * v.bondedTokens) / v.bondedShares == 0) return;
        vm.prank(actor);
        unbondingIds.push(staking.undelegate(shares));
        ++calls;
    }

    function withdraw(uint256 idSeed) external {
        if (unbondingIds.length == 0) return;
        uint256 index = idSeed % unbondingIds.length;
        uint256 id = unbondingIds[index];
        IStaking.UnbondingInfo memory u = staking.unbondingInfo(id);
        if (u.releaseTime > block.timestamp) return;
        uint256 expected = staking.unbondingAmountOf(id);
        uint256 before = token.balanceOf(u.owner) + token.balanceOf(address(treasury));
        vm.prank(u.owner);
        uint256 paid = staking.withdraw(id);
        // Untaxed: the owner (and the Treasury for any cap excess) receive exactly what the request was worth.
        assertEq(paid, expected, "withdraw pays the request's value");
        assertEq(token.balanceOf(u.owner) + token.balanceOf(address(treasury)) - before, paid, "withdraw untaxed");
        unbondingIds[index] = unbondingIds[unbondingIds.length - 1];
        unbondingIds.pop();
        ++calls;
    }

    function claimRewards(uint256 actorSeed) external {
        address actor = actors[actorSeed % actors.length];
        uint256 pending = staking.pendingRewards(actor);
        if (pending == 0) return;
        vm.prank(actor);
        uint256 gross = staking.claimRewards();
        assertEq(gross, pending, "claim pays what was pending");
        claimed += gross;
        ++calls;
    }

    function fundEpoch(uint256 amount, uint256 duration) external {
        uint256 budget = treasury.budgetOf(address(staking), token);
        amount = bound(amount, 0, budget < 50_000 ether ? budget : 50_000 ether);
        duration = bound(duration, staking.MIN_EPOCH_DURATION(), 60 days);
        // The rate is zero only when the new amount, the carry and the rest of the epoch are all below one wei
        // per second scaled: `duration / 1e27` wei. Skip those (the views round them to 0 wei).
        uint256 carried = staking.carriedRewards();
        if (block.timestamp < staking.periodFinish()) {
            carried += (staking.rewardRate() * (staking.periodFinish() - block.timestamp)) / 1e27;
        }
        if (amount + carried == 0) return;
        staking.fundEpoch(amount, duration);
        funded += amount;
        ++calls;
    }

    function slash(uint256 validatorSeed, uint256 slashBps) external {
        if (validators.length == 0) return;
        address validator = validators[validatorSeed % validators.length];
        slashBps = bound(slashBps, 1, staking.MAX_SLASH_BPS());
        staking.slash(validator, slashBps, "fuzz");
        ++calls;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
    }
}

/// @notice Invariants of staking's accounting.
contract StakingInvariantTest is TestBase {
    Staking private staking;
    CivitasToken private token;
    Treasury private treasury;
    StakingHandler private handler;

    function setUp() public {
        treasury = new Treasury(address(this));
        token = new CivitasToken(address(this), address(treasury), 1_000, 500);
        MockAgentRegistry registry = new MockAgentRegistry();
        staking = new Staking(address(this), token, registry, 7 days, 500 ether);
        token.setProtocolAccount(address(staking), true);
        token.setStakeLedger(address(staking));
        treasury.setBudget(address(staking), token, 1_000_000 ether);

        address[] memory actors = new address[](6);
        for (uint256 i = 0; i < actors.length; ++i) {
            actors[i] = address(uint160(0x5_7A_CE + i));
            registry.setGoodStanding(actors[i], true);
            treasury.transfer(token, actors[i], 20_000 ether);
        }
        handler = new StakingHandler(staking, token, treasury, actors);
        for (uint256 i = 0; i < actors.length; ++i) {
            vm.prank(actors[i]);
            token.approve(address(staking), type(uint256).max);
        }
        staking.grantRole(staking.FUNDER_ROLE(), address(handler));
        staking.grantRole(staking.SLASHER_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice The contract holds exactly the stake plus the reward reserve: nothing stuck, nothing missing.
    function invariant_balanceIsBondedPlusUnbondingPlusRewardReserve() public view {
        assertEq(
            token.balanceOf(address(staking)),
            staking.totalBonded() + staking.totalUnbonding() + staking.rewardReserve(),
            "balance == bonded + unbonding + reserve"
        );
    }

    /// @notice The reward reserve is exactly what was funded minus what was claimed.
    function invariant_rewardReserveIsFundedMinusClaimed() public view {
        assertEq(staking.rewardReserve(), handler.funded() - handler.claimed(), "reserve == funded - claimed");
    }

    /// @notice The reward reserve covers everything owed (pending rewards of every holder, the rest of the
    /// running epoch, the carry), and what it holds beyond that is below one wei per figure rounded down.
    /// @dev The contract keeps every reward amount exactly, scaled by 1e27, with every remainder carried, so
    /// `reserve * 1e27` EQUALS the exact sum of: the carry, the rest of the epoch, each account's rewards, and
    /// each pool's not-yet-applied per-share remainder (below its `bondedShares`, scaled). The views round each
    /// of the first three down to the wei (under one wei lost per figure: the carry, the rest, one per actor),
    /// and the last is invisible to them (under `bondedShares / 1e27` wei per pool, 0 unless slashes made
    /// shares outgrow 1e27). Hence, strictly, reserve - owed < 2 + actors + sum(bondedShares) / 1e27. The
    /// bound depends on the present state only: dust does not accumulate.
    function invariant_rewardReserveCoversPendingRewardsExactlyUpToRounding() public view {
        uint256 owed = staking.carriedRewards();
        if (block.timestamp < staking.periodFinish()) {
            owed += (staking.rewardRate() * (staking.periodFinish() - block.timestamp)) / 1e27;
        }
        uint256 actorCount = handler.actorCount();
        for (uint256 i = 0; i < actorCount; ++i) owed += staking.pendingRewards(handler.actors(i));
        uint256 poolShares;
        for (uint256 i = 0; i < handler.validatorCount(); ++i) {
            poolShares += staking.validatorInfo(handler.validators(i)).bondedShares;
        }
        uint256 reserve = staking.rewardReserve();
        assertLe(owed, reserve, "owed <= reserve");
        // d < 2 + actors + s with d an integer gives d <= 1 + actors + ceil(s).
        assertLe(reserve - owed, 1 + actorCount + (poolShares + 1e27 - 1) / 1e27, "only sub-wei rounding left");
    }

    /// @notice Pools add up to the totals, and holders' stakes add up to the pools (rounded down).
    function invariant_poolsAddUpToTotals() public view {
        uint256 bonded;
        uint256 unbonding;
        for (uint256 i = 0; i < handler.validatorCount(); ++i) {
            IStaking.ValidatorInfo memory v = staking.validatorInfo(handler.validators(i));
            bonded += v.bondedTokens;
            unbonding += v.unbondingTokens;
        }
        assertEq(bonded, staking.totalBonded(), "sum of bonded pools");
        assertEq(unbonding, staking.totalUnbonding(), "sum of unbonding pools");
        uint256 staked;
        for (uint256 i = 0; i < handler.actorCount(); ++i) staked += staking.stakedBalanceOf(handler.actors(i));
        assertLe(staked, bonded + unbonding, "holders' stakes <= pools");
        assertLe(bonded + unbonding - staked, 2 * handler.actorCount(), "rounding: under one wei per holder and pool");
    }

    /// @notice Stake votes now add up to at most the bonded total.
    function invariant_votesBoundedByTotalBonded() public view {
        uint256 votes;
        for (uint256 i = 0; i < handler.actorCount(); ++i) votes += staking.getVotes(handler.actors(i));
        assertLe(votes, staking.totalBonded(), "votes <= total bonded");
    }
}
