import { expect } from "chai";
import { network } from "hardhat";
import { CIV, deployFoundation, taxOf } from "../helpers/fixtures.ts";
import { STAKING_DEFAULTS } from "../../ignition/modules/Staking.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const DAY = 86_400n;
const PRECISION = 10n ** 27n;
const BUDGET = 1_000_000n * CIV;
const REASON = ethers.encodeBytes32String("double-sign");
const DEFAULTS = [STAKING_DEFAULTS.unbondingPeriod, STAKING_DEFAULTS.minSelfStake] as const;

async function fixture() {
  const base = await deployFoundation(ethers);
  const { token, treasury, admin, agents } = base;
  const [alice, bob, carol, dave] = agents;
  const registry = await ethers.deployContract("MockAgentRegistry");
  const staking = await ethers.deployContract("Staking", [admin.address, token, registry, ...DEFAULTS]);
  await token.setProtocolAccount(staking, true);
  await token.setStakeLedger(staking);
  await treasury.setBudget(staking, token, BUDGET);
  await registry.setGoodStanding(alice.address, true);
  await registry.setGoodStanding(bob.address, true);
  for (const agent of agents) await token.connect(agent).approve(staking, ethers.MaxUint256);
  return { ...base, registry, staking, alice, bob, carol, dave };
}

/** Alice (10% commission) and Bob (0%) registered with 1,000 CIV self-stake each. */
async function validatorsFixture() {
  const f = await fixture();
  await f.staking.connect(f.alice).registerValidator(1_000n, 1_000n * CIV);
  await f.staking.connect(f.bob).registerValidator(0n, 1_000n * CIV);
  return f;
}

/** Timestamp of the block that mined `tx`. */
async function minedAt(tx: { wait: () => Promise<unknown> }): Promise<bigint> {
  const receipt = (await tx.wait()) as { blockNumber: number };
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  return BigInt(block!.timestamp);
}

describe("Staking", function () {
  describe("deployment", function () {
    it("starts with a 7-day unbonding period, a 500 CIV minimum self-stake and every role on the admin", async function () {
      const { staking, token, registry, admin } = await loadFixture(fixture);
      expect(await staking.unbondingPeriod()).to.equal(7n * DAY);
      expect(await staking.minSelfStake()).to.equal(500n * CIV);
      expect(await staking.token()).to.equal(await token.getAddress());
      expect(await staking.registry()).to.equal(await registry.getAddress());
      for (const role of ["DEFAULT_ADMIN_ROLE", "PARAMETER_ROLE", "SLASHER_ROLE", "FUNDER_ROLE"] as const) {
        expect(await staking.hasRole(await staking[role](), admin.address)).to.equal(true);
      }
    });

    it("takes its unbonding period and minimum self-stake from the constructor, announced as updates", async function () {
      const { token, registry, admin } = await loadFixture(fixture);
      const staking = await ethers.deployContract("Staking", [
        admin.address,
        token,
        registry,
        3n * DAY,
        42n * CIV,
      ]);
      const deployment = staking.deploymentTransaction()!;
      await expect(deployment)
        .to.emit(staking, "UnbondingPeriodUpdated")
        .withArgs(0n, 3n * DAY);
      await expect(deployment)
        .to.emit(staking, "MinSelfStakeUpdated")
        .withArgs(0n, 42n * CIV);
      expect(await staking.unbondingPeriod()).to.equal(3n * DAY);
      expect(await staking.minSelfStake()).to.equal(42n * CIV);
    });

    it("refuses constructor settings outside their bounds, at each bound exactly", async function () {
      const { staking, token, registry, admin } = await loadFixture(fixture);
      const [minPeriod, maxPeriod, minStake, maxStake] = await Promise.all([
        staking.MIN_UNBONDING_PERIOD(),
        staking.MAX_UNBONDING_PERIOD(),
        staking.MIN_MIN_SELF_STAKE(),
        staking.MAX_MIN_SELF_STAKE(),
      ]);
      const deploy = (period: bigint, stake: bigint) =>
        ethers.deployContract("Staking", [admin.address, token, registry, period, stake]);
      for (const period of [minPeriod - 1n, maxPeriod + 1n]) {
        await expect(deploy(period, minStake))
          .to.be.revertedWithCustomError(staking, "StakingUnbondingPeriodOutOfBounds")
          .withArgs(period, minPeriod, maxPeriod);
      }
      for (const stake of [minStake - 1n, maxStake + 1n]) {
        await expect(deploy(minPeriod, stake))
          .to.be.revertedWithCustomError(staking, "StakingMinSelfStakeOutOfBounds")
          .withArgs(stake, minStake, maxStake);
      }
      for (const [period, stake] of [
        [minPeriod, minStake],
        [maxPeriod, maxStake],
      ]) {
        const deployed = await deploy(period, stake);
        expect(await deployed.unbondingPeriod()).to.equal(period);
        expect(await deployed.minSelfStake()).to.equal(stake);
      }
    });

    it("uses a timestamp clock (ERC-6372)", async function () {
      const { staking } = await loadFixture(fixture);
      expect(await staking.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await staking.clock()).to.equal(BigInt(await time.latest()));
    });

    it("refuses a zero admin, token or registry", async function () {
      const { staking, token, registry, admin } = await loadFixture(fixture);
      const zero = ethers.ZeroAddress;
      for (const args of [
        [zero, token, registry, ...DEFAULTS],
        [admin.address, zero, registry, ...DEFAULTS],
        [admin.address, token, zero, ...DEFAULTS],
      ]) {
        await expect(ethers.deployContract("Staking", args)).to.be.revertedWithCustomError(
          staking,
          "StakingZeroAddress",
        );
      }
    });
  });

  describe("validator registration", function () {
    it("registers an agent in good standing and bonds its self-stake", async function () {
      const { staking, token, alice } = await loadFixture(fixture);
      const stake = 600n * CIV;
      const sent = await staking.connect(alice).registerValidator(1_000n, stake);
      await expect(sent)
        .to.emit(staking, "ValidatorRegistered")
        .withArgs(alice.address, 1_000n, stake)
        .and.to.emit(staking, "Delegated")
        .withArgs(alice.address, alice.address, stake, stake, stake, stake, stake);
      await expect(sent).to.changeTokenBalances(ethers, token, [alice, staking], [-stake, stake]);
      const info = await staking.validatorInfo(alice.address);
      expect(info.registered).to.equal(true);
      expect(info.commissionBps).to.equal(1_000n);
      expect(info.bondedTokens).to.equal(stake);
      expect(await staking.boundValidatorOf(alice.address)).to.equal(alice.address);
      expect(await staking.bondedBalanceOf(alice.address)).to.equal(stake);
    });

    it("reverts for an agent not in good standing", async function () {
      const { staking, carol } = await loadFixture(fixture);
      await expect(staking.connect(carol).registerValidator(0n, 500n * CIV))
        .to.be.revertedWithCustomError(staking, "StakingNotInGoodStanding")
        .withArgs(carol.address);
    });

    it("reverts for a validator already registered", async function () {
      const { staking, alice } = await loadFixture(validatorsFixture);
      await expect(staking.connect(alice).registerValidator(0n, 500n * CIV))
        .to.be.revertedWithCustomError(staking, "StakingValidatorAlreadyRegistered")
        .withArgs(alice.address);
    });

    it("reverts for a commission above 50%", async function () {
      const { staking, alice } = await loadFixture(fixture);
      await expect(staking.connect(alice).registerValidator(5_001n, 500n * CIV))
        .to.be.revertedWithCustomError(staking, "StakingCommissionTooHigh")
        .withArgs(5_001n, 5_000n);
    });

    it("reverts for a self-stake below the minimum", async function () {
      const { staking, alice } = await loadFixture(fixture);
      await expect(staking.connect(alice).registerValidator(0n, 500n * CIV - 1n))
        .to.be.revertedWithCustomError(staking, "StakingSelfStakeTooLow")
        .withArgs(alice.address, 500n * CIV - 1n, 500n * CIV);
    });

    it("reverts for an agent still staking with another validator", async function () {
      const { staking, registry, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 100n * CIV);
      await registry.setGoodStanding(carol.address, true);
      await expect(staking.connect(carol).registerValidator(0n, 500n * CIV))
        .to.be.revertedWithCustomError(staking, "StakingBoundToOtherValidator")
        .withArgs(carol.address, alice.address, carol.address);
    });
  });

  describe("commission changes", function () {
    it("take effect only after the unbonding period, and anyone may apply them then", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      const tx = await staking.connect(alice).scheduleCommission(3_000n);
      const effectiveAt = (await minedAt(tx)) + 7n * DAY;
      await expect(tx)
        .to.emit(staking, "CommissionScheduled")
        .withArgs(alice.address, 1_000n, 3_000n, effectiveAt);
      let info = await staking.validatorInfo(alice.address);
      expect(info.commissionBps).to.equal(1_000n);
      expect(info.pendingCommissionBps).to.equal(3_000n);
      expect(info.pendingCommissionAt).to.equal(effectiveAt);

      await time.setNextBlockTimestamp(effectiveAt - 1n);
      await expect(staking.connect(carol).applyCommission(alice.address))
        .to.be.revertedWithCustomError(staking, "StakingCommissionNotDue")
        .withArgs(alice.address, effectiveAt, effectiveAt - 1n);

      await time.setNextBlockTimestamp(effectiveAt);
      await expect(staking.connect(carol).applyCommission(alice.address))
        .to.emit(staking, "CommissionApplied")
        .withArgs(alice.address, 1_000n, 3_000n);
      info = await staking.validatorInfo(alice.address);
      expect(info.commissionBps).to.equal(3_000n);
      expect(info.pendingCommissionAt).to.equal(0n);
    });

    it("apply on the validator's next update once due", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(alice).scheduleCommission(0n);
      await time.increase(7n * DAY);
      await expect(staking.connect(carol).delegateStake(alice.address, 10n * CIV))
        .to.emit(staking, "CommissionApplied")
        .withArgs(alice.address, 1_000n, 0n);
    });

    it("keep the old commission on rewards accrued before they take effect", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.fundEpoch(14_000n * CIV, 14n * DAY);
      await staking.connect(alice).scheduleCommission(5_000n);
      await time.increase(7n * DAY);
      // Everything accrued so far used 10%: Alice's commission is 10% of her pool's part.
      await staking.applyCommission(alice.address);
      const poolPart =
        (await staking.pendingRewards(alice.address)) + (await staking.pendingRewards(carol.address));
      const aliceShare = await staking.pendingRewards(alice.address);
      // Alice owns half the pool: 5% (half of the delegators' 90%) + 10% commission = 55% of the pool part.
      expect(aliceShare * 100n).to.be.closeTo(poolPart * 55n, poolPart / 10n ** 12n);
    });

    it("reverts for an unknown validator or a commission above 50%", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await expect(staking.connect(carol).scheduleCommission(100n))
        .to.be.revertedWithCustomError(staking, "StakingUnknownValidator")
        .withArgs(carol.address);
      await expect(staking.connect(alice).scheduleCommission(5_001n))
        .to.be.revertedWithCustomError(staking, "StakingCommissionTooHigh")
        .withArgs(5_001n, 5_000n);
      await expect(staking.applyCommission(carol.address))
        .to.be.revertedWithCustomError(staking, "StakingUnknownValidator")
        .withArgs(carol.address);
      const now = BigInt(await time.latest());
      await expect(staking.applyCommission(alice.address))
        .to.be.revertedWithCustomError(staking, "StakingCommissionNotDue")
        .withArgs(alice.address, 0n, now + 1n);
    });
  });

  describe("delegation", function () {
    it("bonds stake into the validator's pool and keeps the holder's cap holdings unchanged", async function () {
      const { staking, token, alice, carol } = await loadFixture(validatorsFixture);
      const amount = 250n * CIV;
      const holdingsBefore = await token.holdingsOf(carol.address);
      const sent = await staking.connect(carol).delegateStake(alice.address, amount);
      await expect(sent)
        .to.emit(staking, "Delegated")
        .withArgs(carol.address, alice.address, amount, amount, 1_250n * CIV, 1_250n * CIV, 2_250n * CIV);
      await expect(sent).to.changeTokenBalances(ethers, token, [carol, staking], [-amount, amount]);
      expect(await staking.bondedSharesOf(carol.address)).to.equal(amount);
      expect(await staking.stakedBalanceOf(carol.address)).to.equal(amount);
      expect(await token.holdingsOf(carol.address)).to.equal(holdingsBefore);
      expect(await staking.totalBonded()).to.equal(2_250n * CIV);
    });

    it("mints fewer shares per wei after a slash", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.slash(alice.address, 2_000n, REASON); // pool: 800 CIV for 1,000 shares
      await staking.connect(alice).delegateStake(alice.address, 400n * CIV);
      await expect(staking.connect(carol).delegateStake(alice.address, 120n * CIV))
        .to.emit(staking, "Delegated")
        .withArgs(
          carol.address,
          alice.address,
          120n * CIV,
          150n * CIV,
          1_320n * CIV,
          1_650n * CIV,
          2_320n * CIV,
        );
      expect(await staking.bondedBalanceOf(carol.address)).to.equal(120n * CIV);
    });

    it("reverts for a zero amount, an unknown validator or one not in good standing", async function () {
      const { staking, registry, alice, carol } = await loadFixture(validatorsFixture);
      await expect(staking.connect(carol).delegateStake(alice.address, 0n)).to.be.revertedWithCustomError(
        staking,
        "StakingZeroAmount",
      );
      await expect(staking.connect(alice).delegateStake(carol.address, CIV))
        .to.be.revertedWithCustomError(staking, "StakingUnknownValidator")
        .withArgs(carol.address);
      await registry.setGoodStanding(alice.address, false);
      await expect(staking.connect(carol).delegateStake(alice.address, CIV))
        .to.be.revertedWithCustomError(staking, "StakingNotInGoodStanding")
        .withArgs(alice.address);
    });

    it("reverts for a validator whose self-stake fell below the minimum, except for the validator itself", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.setMinSelfStake(2_000n * CIV);
      await expect(staking.connect(carol).delegateStake(alice.address, CIV))
        .to.be.revertedWithCustomError(staking, "StakingSelfStakeTooLow")
        .withArgs(alice.address, 1_000n * CIV, 2_000n * CIV);
      await staking.connect(alice).delegateStake(alice.address, 1_000n * CIV);
      await expect(staking.connect(carol).delegateStake(alice.address, CIV)).to.emit(staking, "Delegated");
    });

    it("reverts for a holder still staking with another validator", async function () {
      const { staking, alice, bob, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, CIV);
      await expect(staking.connect(carol).delegateStake(bob.address, CIV))
        .to.be.revertedWithCustomError(staking, "StakingBoundToOtherValidator")
        .withArgs(carol.address, alice.address, bob.address);
    });
  });

  describe("undelegation and withdrawal", function () {
    it("moves stake to unbonding with a release time, keeping it in the holder's cap holdings", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 300n * CIV);
      const tx = await staking.connect(carol).undelegate(100n * CIV);
      const releaseTime = (await minedAt(tx)) + 7n * DAY;
      await expect(tx)
        .to.emit(staking, "Undelegated")
        .withArgs(carol.address, alice.address, 1n, 100n * CIV, 100n * CIV, 100n * CIV, releaseTime)
        .and.to.emit(staking, "ValidatorPoolsUpdated")
        .withArgs(
          alice.address,
          1_200n * CIV,
          1_200n * CIV,
          100n * CIV,
          100n * CIV,
          2_200n * CIV,
          100n * CIV,
        );
      expect(await staking.bondedBalanceOf(carol.address)).to.equal(200n * CIV);
      expect(await staking.unbondingBalanceOf(carol.address)).to.equal(100n * CIV);
      expect(await staking.stakedBalanceOf(carol.address)).to.equal(300n * CIV);
      expect(await staking.getVotes(carol.address)).to.equal(200n * CIV);
      const request = await staking.unbondingInfo(1n);
      expect(request.owner).to.equal(carol.address);
      expect(request.releaseTime).to.equal(releaseTime);
      expect(request.shares).to.equal(100n * CIV);
      expect(await staking.totalUnbonding()).to.equal(100n * CIV);
    });

    it("reverts for zero shares or more shares than held", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 300n * CIV);
      await expect(staking.connect(carol).undelegate(0n)).to.be.revertedWithCustomError(
        staking,
        "StakingZeroAmount",
      );
      await expect(staking.connect(carol).undelegate(300n * CIV + 1n))
        .to.be.revertedWithCustomError(staking, "StakingInsufficientShares")
        .withArgs(carol.address, 300n * CIV + 1n, 300n * CIV);
    });

    it("reverts when the shares are worth less than one wei", async function () {
      const { staking, alice } = await loadFixture(validatorsFixture);
      await staking.slash(alice.address, 5_000n, REASON);
      await expect(staking.connect(alice).undelegate(1n))
        .to.be.revertedWithCustomError(staking, "StakingAmountTooSmall")
        .withArgs(1n);
    });

    it("pays the stake back untaxed after the release time and frees the holder to switch validator", async function () {
      const { staking, token, alice, bob, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 300n * CIV);
      await staking.connect(carol).undelegate(300n * CIV);
      const releaseTime = (await staking.unbondingInfo(1n)).releaseTime;

      await time.setNextBlockTimestamp(releaseTime - 1n);
      await expect(staking.connect(carol).withdraw(1n))
        .to.be.revertedWithCustomError(staking, "StakingStillUnbonding")
        .withArgs(1n, releaseTime, releaseTime - 1n);
      await expect(staking.connect(bob).withdraw(1n))
        .to.be.revertedWithCustomError(staking, "StakingNotUnbondingOwner")
        .withArgs(1n, bob.address, carol.address);

      await time.setNextBlockTimestamp(releaseTime);
      const sent = await staking.connect(carol).withdraw(1n);
      await expect(sent)
        .to.emit(staking, "Withdrawn")
        .withArgs(carol.address, alice.address, 1n, 300n * CIV, 300n * CIV)
        .and.to.emit(staking, "ValidatorPoolsUpdated")
        .withArgs(alice.address, 1_000n * CIV, 1_000n * CIV, 0n, 0n, 2_000n * CIV, 0n);
      await expect(sent).to.changeTokenBalances(ethers, token, [carol, staking], [300n * CIV, -300n * CIV]);
      expect(await staking.boundValidatorOf(carol.address)).to.equal(ethers.ZeroAddress);
      expect(await staking.stakedBalanceOf(carol.address)).to.equal(0n);

      await expect(staking.connect(carol).withdraw(1n))
        .to.be.revertedWithCustomError(staking, "StakingUnknownUnbonding")
        .withArgs(1n);
      await expect(staking.connect(carol).delegateStake(bob.address, CIV)).to.emit(staking, "Delegated");
    });

    it("keeps a validator's own account bound to itself after it withdraws everything", async function () {
      const { staking, alice, bob } = await loadFixture(validatorsFixture);
      await staking.connect(alice).undelegate(1_000n * CIV);
      await time.increase(7n * DAY);
      await staking.connect(alice).withdraw(1n);
      expect(await staking.boundValidatorOf(alice.address)).to.equal(alice.address);
      await expect(staking.connect(alice).delegateStake(bob.address, CIV))
        .to.be.revertedWithCustomError(staking, "StakingBoundToOtherValidator")
        .withArgs(alice.address, alice.address, bob.address);
    });

    it("keeps requests made before a change of the unbonding period on their release time", async function () {
      const { staking, alice } = await loadFixture(validatorsFixture);
      await staking.connect(alice).undelegate(100n * CIV);
      const before = (await staking.unbondingInfo(1n)).releaseTime;
      await staking.setUnbondingPeriod(30n * DAY);
      expect((await staking.unbondingInfo(1n)).releaseTime).to.equal(before);
      await time.increaseTo(before);
      await expect(staking.connect(alice).withdraw(1n)).to.emit(staking, "Withdrawn");
    });
  });

  describe("reward epochs", function () {
    it("draws the epoch from the Treasury budget and sets a reward rate", async function () {
      const { staking, token, treasury } = await loadFixture(validatorsFixture);
      const amount = 7_000n * CIV;
      const duration = 7n * DAY;
      const rate = (amount * PRECISION) / duration;
      // The carry is kept exactly, scaled by 1e27: what the rate does not stream (below one wei here).
      const carry = (amount * PRECISION - rate * duration) / PRECISION;
      const sent = await staking.fundEpoch(amount, duration);
      const end = (await minedAt(sent)) + duration;
      await expect(sent)
        .to.emit(staking, "EpochFunded")
        .withArgs(amount, 0n, duration, rate, end, carry)
        .and.to.emit(treasury, "BudgetDrawn")
        .withArgs(
          await staking.getAddress(),
          await token.getAddress(),
          await staking.getAddress(),
          amount,
          BUDGET - amount,
        );
      await expect(sent).to.changeTokenBalances(ethers, token, [treasury, staking], [-amount, amount]);
      expect(await staking.rewardRate()).to.equal(rate);
      expect(await staking.periodFinish()).to.equal(end);
      expect(await staking.rewardReserve()).to.equal(amount);
    });

    it("shares rewards across validators by stake, with each validator's commission from its own pool", async function () {
      const { staking, alice, bob, carol, dave } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.connect(dave).delegateStake(bob.address, 2_000n * CIV);
      await staking.fundEpoch(5_000n * CIV, 10n * DAY);
      await time.increase(11n * DAY);
      const [a, b, c, d] = await Promise.all(
        [alice, bob, carol, dave].map((s) => staking.pendingRewards(s.address)),
      );
      const total = a + b + c + d;
      // Alice's pool holds 2,000 of 5,000 CIV bonded, Bob's 3,000 (all staked before the epoch started).
      const tolerance = 10n ** 9n;
      expect(total).to.be.lte(5_000n * CIV);
      expect(total).to.be.closeTo(5_000n * CIV, tolerance);
      expect(a + c).to.be.closeTo(2_000n * CIV, tolerance);
      expect(a).to.be.closeTo(200n * CIV + 900n * CIV, tolerance); // 10% commission + half of the rest
      expect(c).to.be.closeTo(900n * CIV, tolerance);
      expect(b).to.be.closeTo(1_000n * CIV, tolerance); // 0% commission, a third of Bob's pool
      expect(d).to.be.closeTo(2_000n * CIV, tolerance);
    });

    it("pays claims through the token's earnings path, taxed, to exactly what was pending", async function () {
      const { staking, token, treasury, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.fundEpoch(3_000n * CIV, 3n * DAY);
      await time.increase(4n * DAY);
      const gross = await staking.pendingRewards(carol.address);
      expect(gross).to.be.gt(0n);
      const tax = taxOf(gross, await token.taxBps());
      const sent = await staking.connect(carol).claimRewards();
      await expect(sent)
        .to.emit(staking, "RewardClaimed")
        .withArgs(carol.address, gross, tax, 0n)
        .and.to.emit(token, "EarningsPaid")
        .withArgs(await staking.getAddress(), carol.address, gross, tax, 0n);
      await expect(sent).to.changeTokenBalances(
        ethers,
        token,
        [carol, treasury, staking],
        [gross - tax, tax, -gross],
      );
      expect(await staking.pendingRewards(carol.address)).to.equal(0n);
      await expect(staking.connect(carol).claimRewards())
        .to.be.revertedWithCustomError(staking, "StakingNothingToClaim")
        .withArgs(carol.address);
    });

    it("lets a holder who left claim what it earned before leaving", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.fundEpoch(3_000n * CIV, 3n * DAY);
      await time.increase(DAY);
      await staking.connect(carol).undelegate(1_000n * CIV);
      await time.increase(7n * DAY);
      await staking.connect(carol).withdraw(1n);
      const pending = await staking.pendingRewards(carol.address);
      expect(pending).to.be.gt(0n);
      await expect(staking.connect(carol).claimRewards())
        .to.emit(staking, "RewardClaimed")
        .withArgs(carol.address, pending, taxOf(pending, 1_000n), 0n);
    });

    it("gives unbonding stake nothing", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.connect(carol).undelegate(1_000n * CIV);
      await staking.fundEpoch(3_000n * CIV, 3n * DAY);
      await time.increase(4n * DAY);
      expect(await staking.pendingRewards(carol.address)).to.equal(0n);
    });

    it("carries rewards that accrue with nothing bonded into the next epoch", async function () {
      const { staking, alice, carol } = await loadFixture(fixture);
      const amount = 2_000n * CIV;
      await staking.fundEpoch(amount, 2n * DAY);
      await time.increase(3n * DAY);
      const carried = await staking.carriedRewards();
      expect(carried).to.be.lte(amount);
      expect(carried).to.be.closeTo(amount, 10n);

      await staking.connect(alice).registerValidator(0n, 1_000n * CIV);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await expect(staking.fundEpoch(0n, DAY))
        .to.emit(staking, "EpochFunded")
        .withArgs(
          0n,
          carried,
          DAY,
          (carried * PRECISION) / DAY,
          (v: bigint) => v > 0n,
          (v: bigint) => v <= 1n,
        );
      await time.increase(2n * DAY);
      const paid =
        (await staking.pendingRewards(alice.address)) + (await staking.pendingRewards(carol.address));
      expect(paid).to.be.lte(amount);
      expect(paid).to.be.closeTo(amount, 10n ** 6n);
    });

    it("adds the unpaid rest of a running epoch to a new one", async function () {
      const { staking } = await loadFixture(validatorsFixture);
      await staking.fundEpoch(10_000n * CIV, 10n * DAY);
      const rate = await staking.rewardRate();
      const finish = await staking.periodFinish();
      await time.increase(4n * DAY);
      const next = BigInt(await time.latest()) + 1n;
      // Scaled by 1e27 and exact: the first epoch's carry, the remainder of spreading what streamed over the
      // bonded wei, and the unstreamed rest all move in whole.
      const firstCarry = 10_000n * CIV * PRECISION - rate * 10n * DAY;
      const streamed = rate * (next - (finish - 10n * DAY));
      const rest = firstCarry + (streamed % (await staking.totalBonded())) + rate * (finish - next);
      const total = 1_000n * CIV * PRECISION + rest;
      await expect(staking.fundEpoch(1_000n * CIV, 5n * DAY))
        .to.emit(staking, "EpochFunded")
        .withArgs(
          1_000n * CIV,
          rest / PRECISION,
          5n * DAY,
          total / (5n * DAY),
          next + 5n * DAY,
          (total % (5n * DAY)) / PRECISION,
        );
    });

    it("never owes more than it holds across epochs that stream in a row, and pays or carries every wei", async function () {
      // Regression: each epoch's stream (`rate * duration / 1e27`) exceeds the wei it was funded with minus
      // the carry by a fraction of a wei; a pool not updated between epochs summed those fractions into
      // whole wei it did not hold (1 wei more owed than reserved after two epochs).
      const { staking, alice } = await loadFixture(fixture);
      await staking.connect(alice).registerValidator(0n, 1_000n * CIV);
      for (let i = 0; i < 3; i++) {
        await staking.fundEpoch(1_000n * CIV, DAY);
        await time.increase(DAY);
      }
      const reserve = await staking.rewardReserve();
      const pending = await staking.pendingRewards(alice.address);
      expect(pending + (await staking.carriedRewards())).to.be.lte(reserve);
      await expect(staking.connect(alice).claimRewards())
        .to.emit(staking, "RewardClaimed")
        .withArgs(alice.address, pending, taxOf(pending, 1_000n), 0n);
      // Nothing is streaming and nothing is owed: what the reserve holds is exactly the carry.
      expect(await staking.carriedRewards()).to.equal(reserve - pending);
    });

    it("carries the per-share rounding of a pool whose shares outgrew its tokens after repeated slashes", async function () {
      // Regression: the per-share division dropped up to `bondedShares / 1e27` wei at every pool update,
      // left in the contract for nobody.
      const { staking, alice, carol } = await loadFixture(fixture);
      await staking.connect(alice).registerValidator(1_000n, 1_000n * CIV);
      for (let i = 0; i < 30; i++) await staking.slash(alice.address, 5_000n, REASON);
      await staking.connect(alice).delegateStake(alice.address, 5_000n * CIV);
      await staking.connect(carol).delegateStake(alice.address, 3_000n * CIV);
      expect((await staking.validatorInfo(alice.address)).bondedShares).to.be.gt(1000n * PRECISION);
      await staking.fundEpoch(2_000n * CIV, DAY);
      for (let i = 0; i < 24; i++) {
        await time.increase(3_600n);
        await staking.connect(i % 2 === 0 ? alice : carol).claimRewards();
      }
      await time.increase(DAY);
      for (const holder of [alice, carol]) {
        if ((await staking.pendingRewards(holder.address)) > 0n) await staking.connect(holder).claimRewards();
      }
      expect(await staking.pendingRewards(alice.address)).to.equal(0n);
      expect(await staking.pendingRewards(carol.address)).to.equal(0n);
      expect(await staking.carriedRewards()).to.equal(await staking.rewardReserve());
    });

    it("reverts for a duration out of bounds, a zero rate, a missing role or an exhausted budget", async function () {
      const { staking, treasury, token, carol } = await loadFixture(fixture);
      await expect(staking.fundEpoch(CIV, DAY - 1n))
        .to.be.revertedWithCustomError(staking, "StakingEpochDurationOutOfBounds")
        .withArgs(DAY - 1n, DAY, 365n * DAY);
      await expect(staking.fundEpoch(CIV, 365n * DAY + 1n))
        .to.be.revertedWithCustomError(staking, "StakingEpochDurationOutOfBounds")
        .withArgs(365n * DAY + 1n, DAY, 365n * DAY);
      await expect(staking.fundEpoch(0n, DAY))
        .to.be.revertedWithCustomError(staking, "StakingRewardRateZero")
        .withArgs(0n, DAY);
      await expect(staking.connect(carol).fundEpoch(CIV, DAY))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(carol.address, await staking.FUNDER_ROLE());
      await expect(staking.fundEpoch(BUDGET + 1n, DAY))
        .to.be.revertedWithCustomError(treasury, "TreasuryBudgetExceeded")
        .withArgs(await staking.getAddress(), await token.getAddress(), BUDGET + 1n, BUDGET);
    });

    it("counts stake toward the wealth cap, so a claim above the cap goes to the Treasury", async function () {
      const { staking, token, treasury, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 5_000n * CIV);
      await staking.fundEpoch(1_000n * CIV, DAY);
      await time.increase(2n * DAY);
      await token.setCapBps(10n); // 0.1% of supply: 10,000 CIV, exactly Carol's liquid + staked holdings
      expect(await token.holdingsOf(carol.address)).to.equal(10_000n * CIV);
      const gross = await staking.pendingRewards(carol.address);
      const tax = taxOf(gross, 1_000n);
      const sent = await staking.connect(carol).claimRewards();
      await expect(sent)
        .to.emit(staking, "RewardClaimed")
        .withArgs(carol.address, gross, tax, gross - tax);
      await expect(sent).to.changeTokenBalances(ethers, token, [carol, treasury], [0n, gross]);
    });
  });

  describe("slashing", function () {
    it("takes the fraction from bonded and unbonding stake alike, sends it to the Treasury and lowers reputation", async function () {
      const { staking, token, treasury, registry, alice, carol, dave } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.connect(dave).delegateStake(alice.address, 2_000n * CIV);
      await staking.connect(dave).undelegate(1_000n * CIV);
      // Alice's pools: bonded 3,000 CIV, unbonding 1,000 CIV. Slash 10%.
      const sent = await staking.slash(alice.address, 1_000n, REASON);
      await expect(sent)
        .to.emit(staking, "Slashed")
        .withArgs(
          1n,
          alice.address,
          1_000n,
          300n * CIV,
          100n * CIV,
          REASON,
          2_700n * CIV,
          900n * CIV,
          3_700n * CIV,
          900n * CIV,
        )
        .and.to.emit(registry, "ReputationReported")
        .withArgs(alice.address, -100n, REASON, 1n, -100n);
      await expect(sent).to.changeTokenBalances(
        ethers,
        token,
        [staking, treasury],
        [-400n * CIV, 400n * CIV],
      );
      expect(await staking.bondedBalanceOf(carol.address)).to.equal(900n * CIV);
      expect(await staking.bondedBalanceOf(dave.address)).to.equal(900n * CIV);
      expect(await staking.unbondingBalanceOf(dave.address)).to.equal(900n * CIV);
      expect(await staking.stakedBalanceOf(dave.address)).to.equal(1_800n * CIV);
      expect(await staking.totalBonded()).to.equal(3_700n * CIV);
      expect(await staking.totalUnbonding()).to.equal(900n * CIV);
    });

    it("reaches stake that is unbonding, so the withdrawal pays what is left", async function () {
      const { staking, token, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.connect(carol).undelegate(1_000n * CIV);
      await time.increase(3n * DAY);
      await staking.slash(alice.address, 5_000n, REASON);
      expect(await staking.unbondingAmountOf(1n)).to.equal(500n * CIV);
      await time.increase(4n * DAY);
      const sent = await staking.connect(carol).withdraw(1n);
      await expect(sent)
        .to.emit(staking, "Withdrawn")
        .withArgs(carol.address, alice.address, 1n, 500n * CIV, 1_000n * CIV);
      await expect(sent).to.changeTokenBalance(ethers, token, carol, 500n * CIV);
    });

    it("mints unbonding shares at the slashed rate for later requests", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.connect(carol).undelegate(500n * CIV);
      await staking.slash(alice.address, 5_000n, REASON); // bonded 750 / 1,500 shares; unbonding 250 / 500
      await expect(staking.connect(carol).undelegate(500n * CIV))
        .to.emit(staking, "Undelegated")
        .withArgs(
          carol.address,
          alice.address,
          2n,
          250n * CIV,
          500n * CIV,
          500n * CIV,
          (v: bigint) => v > 0n,
        );
      expect(await staking.unbondingAmountOf(1n)).to.equal(250n * CIV);
      expect(await staking.unbondingAmountOf(2n)).to.equal(250n * CIV);
      expect(await staking.unbondingBalanceOf(carol.address)).to.equal(500n * CIV);
    });

    it("keeps rewards earned before the slash", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.fundEpoch(2_000n * CIV, 2n * DAY);
      await time.increase(3n * DAY);
      const before = await staking.pendingRewards(carol.address);
      await staking.slash(alice.address, 5_000n, REASON);
      expect(await staking.pendingRewards(carol.address)).to.equal(before);
    });

    it("lets the slasher role slash and still slashes when the registry refuses the report", async function () {
      const { staking, registry, alice, dave } = await loadFixture(validatorsFixture);
      await staking.grantRole(await staking.SLASHER_ROLE(), dave.address);
      await registry.setRefuseReports(true);
      const refusal = registry.interface.encodeErrorResult("MockRegistryRefused", [alice.address]);
      await expect(staking.connect(dave).slash(alice.address, 100n, REASON))
        .to.emit(staking, "Slashed")
        .and.to.emit(staking, "SlashReputationReportFailed")
        .withArgs(1n, alice.address, refusal);
      expect(await staking.bondedBalanceOf(alice.address)).to.equal(990n * CIV);
    });

    it("blocks new delegations when the self-stake falls below the minimum", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await staking.connect(alice).undelegate(400n * CIV);
      await staking.slash(alice.address, 5_000n, REASON);
      await expect(staking.connect(carol).delegateStake(alice.address, CIV))
        .to.be.revertedWithCustomError(staking, "StakingSelfStakeTooLow")
        .withArgs(alice.address, 300n * CIV, 500n * CIV);
    });

    it("reverts for an unknown validator, a fraction out of bounds or a caller without a role", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      await expect(staking.slash(carol.address, 100n, REASON))
        .to.be.revertedWithCustomError(staking, "StakingUnknownValidator")
        .withArgs(carol.address);
      await expect(staking.slash(alice.address, 0n, REASON))
        .to.be.revertedWithCustomError(staking, "StakingSlashOutOfBounds")
        .withArgs(0n, 5_000n);
      await expect(staking.slash(alice.address, 5_001n, REASON))
        .to.be.revertedWithCustomError(staking, "StakingSlashOutOfBounds")
        .withArgs(5_001n, 5_000n);
      await expect(staking.connect(carol).slash(alice.address, 100n, REASON))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(carol.address, await staking.SLASHER_ROLE());
    });
  });

  describe("votes (ERC-5805)", function () {
    it("gives each holder its bonded stake as votes, exact at past timepoints across slashes", async function () {
      const { staking, alice, carol } = await loadFixture(validatorsFixture);
      const t0 = await minedAt(await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV));
      const t1 = await minedAt(await staking.connect(carol).undelegate(400n * CIV));
      const t2 = await minedAt(await staking.slash(alice.address, 5_000n, REASON));
      await time.increase(1n);
      expect(await staking.getPastVotes(carol.address, t0 - 1n)).to.equal(0n);
      expect(await staking.getPastVotes(carol.address, t0)).to.equal(1_000n * CIV);
      expect(await staking.getPastVotes(carol.address, t1)).to.equal(600n * CIV);
      expect(await staking.getPastVotes(carol.address, t2)).to.equal(300n * CIV);
      expect(await staking.getVotes(carol.address)).to.equal(300n * CIV);
      expect(await staking.getPastTotalSupply(t0)).to.equal(3_000n * CIV);
      expect(await staking.getPastTotalSupply(t1)).to.equal(2_600n * CIV);
      expect(await staking.getPastTotalSupply(t2)).to.equal(800n * CIV + 1_000n * CIV);
    });

    it("follows a holder that moved to another validator", async function () {
      const { staking, alice, bob, carol } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 100n * CIV);
      await staking.connect(carol).undelegate(100n * CIV);
      await time.increase(7n * DAY);
      await staking.connect(carol).withdraw(1n);
      const t = await minedAt(await staking.connect(carol).delegateStake(bob.address, 200n * CIV));
      await staking.slash(alice.address, 5_000n, REASON);
      await time.increase(1n);
      expect(await staking.getPastVotes(carol.address, t)).to.equal(200n * CIV);
    });

    it("refuses future lookups and any delegation of stake votes", async function () {
      const { staking, carol } = await loadFixture(validatorsFixture);
      const now = BigInt(await time.latest());
      await expect(staking.getPastVotes(carol.address, now))
        .to.be.revertedWithCustomError(staking, "ERC5805FutureLookup")
        .withArgs(now, now);
      await expect(staking.getPastTotalSupply(now + 5n))
        .to.be.revertedWithCustomError(staking, "ERC5805FutureLookup")
        .withArgs(now + 5n, now);
      expect(await staking.delegates(carol.address)).to.equal(carol.address);
      await expect(staking.connect(carol).delegate(carol.address)).to.be.revertedWithCustomError(
        staking,
        "StakingVotesNotDelegable",
      );
      await expect(
        staking.delegateBySig(carol.address, 0n, 0n, 27, ethers.ZeroHash, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(staking, "StakingVotesNotDelegable");
    });
  });

  describe("parameters", function () {
    it("sets the unbonding period within [1, 30] days under the parameter role", async function () {
      const { staking, carol } = await loadFixture(fixture);
      await expect(staking.setUnbondingPeriod(14n * DAY))
        .to.emit(staking, "UnbondingPeriodUpdated")
        .withArgs(7n * DAY, 14n * DAY);
      await expect(staking.setUnbondingPeriod(DAY - 1n))
        .to.be.revertedWithCustomError(staking, "StakingUnbondingPeriodOutOfBounds")
        .withArgs(DAY - 1n, DAY, 30n * DAY);
      await expect(staking.setUnbondingPeriod(30n * DAY + 1n))
        .to.be.revertedWithCustomError(staking, "StakingUnbondingPeriodOutOfBounds")
        .withArgs(30n * DAY + 1n, DAY, 30n * DAY);
      await expect(staking.connect(carol).setUnbondingPeriod(DAY))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(carol.address, await staking.PARAMETER_ROLE());
    });

    it("sets the minimum self-stake within [1, 100,000] CIV under the parameter role", async function () {
      const { staking, carol } = await loadFixture(fixture);
      await expect(staking.setMinSelfStake(1_000n * CIV))
        .to.emit(staking, "MinSelfStakeUpdated")
        .withArgs(500n * CIV, 1_000n * CIV);
      await expect(staking.setMinSelfStake(CIV - 1n))
        .to.be.revertedWithCustomError(staking, "StakingMinSelfStakeOutOfBounds")
        .withArgs(CIV - 1n, CIV, 100_000n * CIV);
      await expect(staking.setMinSelfStake(100_000n * CIV + 1n))
        .to.be.revertedWithCustomError(staking, "StakingMinSelfStakeOutOfBounds")
        .withArgs(100_000n * CIV + 1n, CIV, 100_000n * CIV);
      await expect(staking.connect(carol).setMinSelfStake(CIV))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(carol.address, await staking.PARAMETER_ROLE());
    });
  });

  describe("accounting", function () {
    it("holds exactly bonded + unbonding + the reward reserve", async function () {
      const { staking, token, alice, carol, dave } = await loadFixture(validatorsFixture);
      await staking.connect(carol).delegateStake(alice.address, 1_000n * CIV);
      await staking.fundEpoch(1_000n * CIV, DAY);
      await time.increase(DAY / 2n);
      await staking.connect(dave).delegateStake(alice.address, 500n * CIV);
      await staking.connect(carol).undelegate(300n * CIV);
      await staking.slash(alice.address, 1_234n, REASON);
      await staking.connect(carol).claimRewards();
      const balance = await token.balanceOf(staking);
      expect(balance).to.equal(
        (await staking.totalBonded()) + (await staking.totalUnbonding()) + (await staking.rewardReserve()),
      );
    });
  });
});
