/**
 * Security issue 20, attack 9: a validator withdrew its whole self-stake and kept its delegators and its
 * commission, with nothing at risk. Now a validator whose own bonded stake is below the minimum self-stake
 * earns no commission (its pool's rewards all go per share, to the delegators) and takes no new delegation;
 * delegators see it in `commissionSuspended` and in the {CommissionSuspended} / {CommissionResumed} events
 * (which the indexer shows). Runs on the real Protocol deployment (genesis reward epoch streaming).
 */
import { expect } from "chai";
import { network } from "hardhat";

import { deployProtocolFixture, type ProtocolFixture } from "../helpers/protocol.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const CIV = 10n ** 18n;
const DAY = 86_400n;
const PRECISION = 10n ** 27n;
const MIN_SELF_STAKE = 500n * CIV;

const protocolFixture = () => deployProtocolFixture(connection);

/**
 * Alice validates at 50% commission with the minimum self-stake; bob delegates 900 CIV to her. Alice gets
 * 10,000 CIV more from the Treasury first, so that her upkeep never starves her during the test.
 */
async function validatorWithDelegator(f: ProtocolFixture) {
  const { staking, token, alice, bob } = f;
  const treasury = await f.treasury.getAddress();
  await networkHelpers.impersonateAccount(treasury);
  await networkHelpers.setBalance(treasury, 10n ** 18n);
  await token.connect(await ethers.getSigner(treasury)).transfer(alice.address, 10_000n * CIV);
  await networkHelpers.stopImpersonatingAccount(treasury);
  expect(await staking.minSelfStake()).to.equal(MIN_SELF_STAKE);
  await token.connect(alice).approve(staking, ethers.MaxUint256);
  await staking.connect(alice).registerValidator(5_000n, MIN_SELF_STAKE);
  await token.connect(bob).approve(staking, ethers.MaxUint256);
  await staking.connect(bob).delegateStake(alice.address, 900n * CIV);
  await time.increase(DAY);
}

/** Acts as governance (the timelock holds Staking's PARAMETER_ROLE). */
async function asTimelock(f: ProtocolFixture) {
  const timelock = await f.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelock);
  await networkHelpers.setBalance(timelock, 10n ** 18n);
  return ethers.getSigner(timelock);
}

describe("Security 9: a validator below its minimum self-stake earns no commission", function () {
  it("suspends the commission of a validator that unbonds its whole self-stake, visibly", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { staking, alice, bob, carol } = f;
    await validatorWithDelegator(f);
    expect(await staking.commissionSuspended(alice.address)).to.equal(false);
    // While at the minimum, alice earns half of her pool's rewards.
    const aliceEarning = await staking.pendingRewards(alice.address);
    expect(aliceEarning).to.be.greaterThan(0n);

    const shares = await staking.bondedSharesOf(alice.address);
    await expect(staking.connect(alice).undelegate(shares))
      .to.emit(staking, "CommissionSuspended")
      .withArgs(alice.address, 0n, MIN_SELF_STAKE);
    expect(await staking.commissionSuspended(alice.address)).to.equal(true);
    expect(await staking.bondedBalanceOf(alice.address)).to.equal(0n);

    // A week later: alice's rewards have not grown; bob, the only bonded holder, got the pool's whole part.
    const alicePending = await staking.pendingRewards(alice.address);
    const bobPending = await staking.pendingRewards(bob.address);
    const rptBefore = await staking.rewardPerToken();
    await time.increase(7n * DAY);
    const rptAfter = await staking.rewardPerToken();
    const { bondedTokens } = await staking.validatorInfo(alice.address);
    expect(bondedTokens).to.equal(900n * CIV);
    expect(await staking.pendingRewards(alice.address)).to.equal(alicePending);
    const poolEarned = (bondedTokens * (rptAfter - rptBefore)) / PRECISION;
    expect(poolEarned).to.be.greaterThan(0n);
    const bobGot = (await staking.pendingRewards(bob.address)) - bobPending;
    // Per-share rounding leaves at most a wei (it goes to the carry).
    expect(poolEarned - bobGot).to.be.within(0n, 1n);

    // Nobody new may delegate to her while she is below the minimum.
    await f.token.connect(carol).approve(staking, ethers.MaxUint256);
    await expect(staking.connect(carol).delegateStake(alice.address, 100n * CIV))
      .to.be.revertedWithCustomError(staking, "StakingSelfStakeTooLow")
      .withArgs(alice.address, 0n, MIN_SELF_STAKE);
  });

  it("resumes the commission exactly when the validator bonds the minimum again", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { staking, token, alice } = f;
    await validatorWithDelegator(f);
    await staking.connect(alice).undelegate(await staking.bondedSharesOf(alice.address));
    await time.increase(DAY);
    // One wei short of the minimum is still suspended (no event, state unchanged).
    await expect(staking.connect(alice).delegateStake(alice.address, MIN_SELF_STAKE - 1n)).to.not.emit(
      staking,
      "CommissionResumed",
    );
    expect(await staking.commissionSuspended(alice.address)).to.equal(true);
    const selfStake = await staking.bondedBalanceOf(alice.address);
    await expect(staking.connect(alice).delegateStake(alice.address, 1n))
      .to.emit(staking, "CommissionResumed")
      .withArgs(alice.address, selfStake + 1n, MIN_SELF_STAKE);
    expect(await staking.bondedBalanceOf(alice.address)).to.equal(MIN_SELF_STAKE);
    expect(await staking.commissionSuspended(alice.address)).to.equal(false);
    const before = await staking.pendingRewards(alice.address);
    await time.increase(DAY);
    // Her commission (half of the pool's rewards on 900 CIV of bob's) is back, on top of her own share.
    expect((await staking.pendingRewards(alice.address)) - before).to.be.greaterThan(0n);
  });

  it("suspends the commission when a slash takes the self-stake below the minimum", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { staking, alice } = f;
    await validatorWithDelegator(f);
    const slasher = await asTimelock(f);
    const slashed = staking.connect(slasher).slash(alice.address, 100n, ethers.encodeBytes32String("test"));
    // 1% of 500 CIV: 495 CIV of own stake left.
    await expect(slashed)
      .to.emit(staking, "CommissionSuspended")
      .withArgs(alice.address, (MIN_SELF_STAKE * 99n) / 100n, MIN_SELF_STAKE);
    expect(await staking.commissionSuspended(alice.address)).to.equal(true);
  });

  it("applies a raised minimum from the next sync, which anyone may call", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { staking, alice, carol } = f;
    await validatorWithDelegator(f);
    const governance = await asTimelock(f);
    await staking.connect(governance).setMinSelfStake(600n * CIV);
    // Not evaluated yet: setMinSelfStake does no per-validator work.
    expect(await staking.commissionSuspended(alice.address)).to.equal(false);
    await expect(staking.connect(carol).syncSelfStake(alice.address))
      .to.emit(staking, "CommissionSuspended")
      .withArgs(alice.address, MIN_SELF_STAKE, 600n * CIV);
    expect(await staking.commissionSuspended(alice.address)).to.equal(true);
    // Lowered back: the next sync resumes it.
    await staking.connect(governance).setMinSelfStake(MIN_SELF_STAKE);
    await expect(staking.connect(carol).syncSelfStake(alice.address))
      .to.emit(staking, "CommissionResumed")
      .withArgs(alice.address, MIN_SELF_STAKE, MIN_SELF_STAKE);
    // Nothing changed: no event.
    await expect(staking.connect(carol).syncSelfStake(alice.address)).to.not.emit(
      staking,
      "CommissionResumed",
    );
  });

  it("refuses to sync an unknown validator", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { staking, carol } = f;
    await expect(staking.syncSelfStake(carol.address))
      .to.be.revertedWithCustomError(staking, "StakingUnknownValidator")
      .withArgs(carol.address);
  });
});
