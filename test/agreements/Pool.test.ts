import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { AbiCoder, keccak256 } from "ethers";
import { network } from "hardhat";

import { AgreementKind, PoolState } from "../../scripts/lib/vocabulary.ts";
import { CIV, taxOf } from "../helpers/fixtures.ts";
import { deployMarketFixture, GPU } from "../market/fixture.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time, loadFixture } = networkHelpers;

/** IPoolAgreements.PoolState by name, as bigints (from the generated vocabulary). */
const P = Object.fromEntries(PoolState.names.map((n, i) => [n, BigInt(i)])) as Record<
  (typeof PoolState.names)[number],
  bigint
>;
const coder = AbiCoder.defaultAbiCoder();
const secretOf = (label: string) => ethers.id(`secret:${label}`);
const commitmentOf = (secret: string, entrant: string, epoch: bigint) =>
  keccak256(coder.encode(["bytes32", "address", "uint256"], [secret, entrant, epoch]));

/**
 * The deployed protocol's PoolAgreements and BlockLottery, with resource 1 as the lottery's mining resource
 * (the timelock, impersonated, makes the lottery its meter and names it). Every agent holds 1,000 CIV more
 * and approves the pools and the lottery. `epoch` is the lottery epoch after the current one: its pool is
 * open until `lock` (its first second).
 */
async function poolFixture() {
  const f = await deployMarketFixture(connection);
  const pools = f.poolAgreements;
  const addr = await pools.getAddress();
  const lottery = f.blockLottery;
  await f.resourceLedger.connect(f.asTimelock).setMeter(GPU, await lottery.getAddress(), true);
  await lottery.connect(f.asTimelock).setMineResource(GPU);
  for (const a of [...f.agents, f.outsider]) {
    await f.token.connect(f.asTimelock).mint(a.address, 1_000n * CIV);
    await f.token.connect(a).approve(addr, ethers.MaxUint256);
    await f.token.connect(a).approve(await lottery.getAddress(), ethers.MaxUint256);
  }
  const epoch = (await lottery.currentEpoch()) + 1n;
  const lock = await lottery.epochStart(epoch);
  const end = await lottery.epochStart(epoch + 1n);
  const drawAt = end + (await lottery.REVEAL_WINDOW());
  const min = await pools.minContribution();
  return {
    ...f,
    pools,
    addr,
    lottery,
    epoch,
    lock,
    end,
    drawAt,
    min,
    taxBps: await f.token.taxBps(),
    treasuryAddress: await f.treasury.getAddress(),
  };
}
type Fx = Awaited<ReturnType<typeof poolFixture>>;
const net = (f: Fx, gross: bigint) => gross - taxOf(gross, f.taxBps);

/** The next transaction is mined exactly at `timestamp` (the chain may already stand one second before). */
async function at(timestamp: bigint) {
  if (BigInt(await time.latest()) < timestamp - 1n) await time.increaseTo(timestamp - 1n);
}

/**
 * Plays the pool's epoch to a draw the pool wins: it stakes at the lock; heidi mines one unit (the mine
 * entry the epoch needs, weight 0.001 CIV against the pool's) and commits; she reveals; the draw window
 * opens. Returns the pool id.
 */
async function playAndWin(f: Fx, poolId: bigint) {
  await at(f.lock);
  await f.pools.connect(f.dave).play(poolId);
  await f.lottery.connect(f.heidi).mine(1n);
  await f.lottery.connect(f.heidi).commit(commitmentOf(secretOf("h"), f.heidi.address, f.epoch));
  await at(f.end);
  await f.lottery.connect(f.heidi).reveal(f.epoch, secretOf("h"));
  await at(f.drawAt);
}

/** The contract holds exactly what its pools hold. */
async function expectNothingStuck(f: Fx) {
  let held = 0n;
  const n = await f.pools.agreementCount();
  for (let id = 1n; id <= n; id++) held += await f.pools.heldFor(id);
  expect(await f.token.balanceOf(f.addr)).to.equal(held);
}

describe("PoolAgreements", function () {
  this.timeout(600_000);

  it("is deployed with kind POOL, the lottery, a 1 CIV minimum and as a protocol account", async function () {
    const f = await loadFixture(poolFixture);
    expect(await f.pools.kind()).to.equal(AgreementKind.POOL);
    expect(await f.pools.lottery()).to.equal(await f.lottery.getAddress());
    expect(await f.pools.token()).to.equal(await f.token.getAddress());
    expect(f.min).to.equal(CIV);
    expect(await f.token.isProtocolAccount(f.addr)).to.equal(true);
    const Factory = await ethers.getContractFactory("PoolAgreements");
    for (const bad of [10n ** 15n - 1n, 10n ** 22n + 1n]) {
      await expect(Factory.deploy(f.token, f.lottery, bad))
        .to.be.revertedWithCustomError(f.pools, "PoolMinContributionOutOfBounds")
        .withArgs(bad, 10n ** 15n, 10n ** 22n);
    }
    await expect(Factory.deploy(ethers.ZeroAddress, f.lottery, CIV)).to.be.revertedWithCustomError(
      f.pools,
      "PoolZeroAddress",
    );
  });

  it("members share a won reward pro rata: principal back untaxed, the share as taxed earnings, nothing left", async function () {
    const f = await loadFixture(poolFixture);
    // carol contributes 30 from one wallet; dave and erin (one owner's two wallets) 15 each.
    const stakes: [HardhatEthersSigner, bigint][] = [
      [f.alice, 100n * CIV],
      [f.bob, 70n * CIV],
      [f.carol, 30n * CIV],
      [f.dave, 15n * CIV],
      [f.erin, 15n * CIV],
    ];
    {
      const tx = f.pools.connect(f.alice).contribute(f.epoch, 100n * CIV);
      await expect(tx).to.emit(f.pools, "PoolCreated").withArgs(1n, AgreementKind.POOL, f.epoch, f.lock);
      await expect(tx)
        .to.emit(f.pools, "PoolJoined")
        .withArgs(1n, f.alice.address, 100n * CIV, 100n * CIV, 100n * CIV);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.alice, f.addr], [-100n * CIV, 100n * CIV]);
    }
    for (const [who, amount] of stakes.slice(1)) await f.pools.connect(who).contribute(f.epoch, amount);
    const total = 230n * CIV;
    expect(await f.pools.poolOfEpoch(f.epoch)).to.equal(1n);
    expect(await f.pools.agreementCount()).to.equal(1n);
    expect(await f.pools.lockAt(1n)).to.equal(f.lock);
    expect((await f.pools.poolOf(1n)).contributed).to.equal(total);

    await at(f.lock);
    await expect(f.pools.connect(f.outsider).play(1n))
      .to.emit(f.pools, "PoolPlayed")
      .withArgs(1n, f.epoch, f.outsider.address, total);
    expect((await f.lottery.ticketOf(f.epoch, f.addr)).weight).to.equal(total);
    expect(await f.pools.heldFor(1n)).to.equal(0n);
    await f.lottery.connect(f.heidi).mine(1n);
    await f.lottery.connect(f.heidi).commit(commitmentOf(secretOf("h"), f.heidi.address, f.epoch));
    await at(f.end);
    await f.lottery.connect(f.heidi).reveal(f.epoch, secretOf("h"));
    await at(f.drawAt);

    const reward = await f.lottery.epochReward();
    await expect(f.pools.connect(f.outsider).settle(1n))
      .to.emit(f.pools, "PoolSettled")
      .withArgs(1n, f.epoch, total, reward)
      .and.to.emit(f.lottery, "Drawn");
    expect((await f.lottery.epochInfo(f.epoch)).winner).to.equal(f.addr);
    expect(await f.pools.heldFor(1n)).to.equal(total + reward);

    const shares: bigint[] = [];
    for (const [who, amount] of stakes) {
      const [principal, share] = await f.pools.claimable(1n, who.address);
      expect(principal).to.equal(amount);
      const tx = f.pools.connect(who).claim(1n);
      await expect(tx).to.emit(f.pools, "PoolClaimed").withArgs(1n, who.address, amount, share);
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.token,
        [who, f.treasuryAddress],
        [amount + net(f, share), taxOf(share, f.taxBps)],
      );
      shares.push(share);
    }
    // Pro rata, and the last claimer took the exact remainder.
    expect(shares.reduce((a, b) => a + b, 0n)).to.equal(reward);
    expect(shares[0]).to.equal((reward * 100n) / 230n);
    // Splitting over wallets gains nothing: dave + erin (15 + 15) get carol's (30) within a wei.
    expect(shares[3] + shares[4] - shares[2]).to.be.oneOf([-1n, 0n, 1n]);
    const pool = await f.pools.poolOf(1n);
    expect([pool.state, pool.proceeds, pool.sharesLeft, pool.proceedsLeft]).to.deep.equal([
      P.Settled,
      reward,
      0n,
      0n,
    ]);
    expect(await f.token.balanceOf(f.addr)).to.equal(0n);
    await expect(f.pools.connect(f.alice).claim(1n))
      .to.be.revertedWithCustomError(f.pools, "PoolNotMember")
      .withArgs(1n, f.alice.address);
  });

  describe("joining and leaving", function () {
    it("contribute: at least the minimum, only for an epoch ahead, only before the lock (exclusive)", async function () {
      const f = await loadFixture(poolFixture);
      await expect(f.pools.connect(f.alice).contribute(f.epoch, f.min - 1n))
        .to.be.revertedWithCustomError(f.pools, "PoolContributionTooLow")
        .withArgs(f.min - 1n, f.min);
      const current = await f.lottery.currentEpoch();
      await expect(f.pools.connect(f.alice).contribute(current, f.min))
        .to.be.revertedWithCustomError(f.pools, "PoolEpochNotAhead")
        .withArgs(current, current);
      await f.pools.connect(f.alice).contribute(f.epoch, f.min);
      await at(f.lock - 1n);
      await f.pools.connect(f.bob).contribute(f.epoch, f.min);
      // The lock is the epoch's first second: from then on nobody joins (the entries are being made).
      await expect(f.pools.connect(f.carol).contribute(f.epoch, f.min))
        .to.be.revertedWithCustomError(f.pools, "PoolLocked")
        .withArgs(1n, f.lock, f.lock);
      expect((await f.pools.poolOf(1n)).contributed).to.equal(2n * f.min);
    });

    it("exit before the lock returns the whole contribution untaxed; at the lock it reverts", async function () {
      const f = await loadFixture(poolFixture);
      await f.pools.connect(f.alice).contribute(f.epoch, 10n * CIV);
      await f.pools.connect(f.bob).contribute(f.epoch, 5n * CIV);
      await expect(f.pools.connect(f.carol).exit(1n))
        .to.be.revertedWithCustomError(f.pools, "PoolNotMember")
        .withArgs(1n, f.carol.address);
      await at(f.lock - 1n);
      const tx = f.pools.connect(f.alice).exit(1n);
      await expect(tx)
        .to.emit(f.pools, "PoolExited")
        .withArgs(1n, f.alice.address, 10n * CIV, 5n * CIV);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.alice, f.addr], [10n * CIV, -10n * CIV]);
      await expect(f.pools.connect(f.bob).exit(1n))
        .to.be.revertedWithCustomError(f.pools, "PoolLocked")
        .withArgs(1n, f.lock, f.lock);
      await f.pools.connect(f.dave).play(1n);
      await expect(f.pools.connect(f.bob).exit(1n))
        .to.be.revertedWithCustomError(f.pools, "PoolInvalidState")
        .withArgs(1n, P.Playing);
      await expectNothingStuck(f);
    });
  });

  describe("playing and settling", function () {
    it("play only during the pool's epoch, once", async function () {
      const f = await loadFixture(poolFixture);
      await f.pools.connect(f.alice).contribute(f.epoch, 10n * CIV);
      await expect(f.pools.play(2n))
        .to.be.revertedWithCustomError(f.pools, "PoolInvalidState")
        .withArgs(2n, P.None);
      await at(f.lock - 1n);
      await expect(f.pools.connect(f.bob).play(1n))
        .to.be.revertedWithCustomError(f.pools, "PoolOutsideEpoch")
        .withArgs(1n, f.lock - 1n, f.lock, f.end);
      await at(f.end);
      await expect(f.pools.connect(f.bob).play(1n))
        .to.be.revertedWithCustomError(f.pools, "PoolOutsideEpoch")
        .withArgs(1n, f.end, f.lock, f.end);
    });

    it("a pool never played settles at its epoch's end with nothing to share; members take their CIV back", async function () {
      const f = await loadFixture(poolFixture);
      await f.pools.connect(f.alice).contribute(f.epoch, 10n * CIV);
      await expect(f.pools.connect(f.alice).claim(1n))
        .to.be.revertedWithCustomError(f.pools, "PoolInvalidState")
        .withArgs(1n, P.Open);
      await at(f.end - 1n);
      await expect(f.pools.settle(1n))
        .to.be.revertedWithCustomError(f.pools, "PoolOutsideEpoch")
        .withArgs(1n, f.end - 1n, f.lock, f.end);
      await at(f.end);
      await expect(f.pools.connect(f.bob).settle(1n))
        .to.emit(f.pools, "PoolSettled")
        .withArgs(1n, f.epoch, 0n, 0n);
      await expect(f.pools.settle(1n))
        .to.be.revertedWithCustomError(f.pools, "PoolInvalidState")
        .withArgs(1n, P.Settled);
      // Joining a settled pool (its outcome known) is refused.
      await expect(f.pools.connect(f.carol).contribute(f.epoch, CIV))
        .to.be.revertedWithCustomError(f.pools, "PoolInvalidState")
        .withArgs(1n, P.Settled);
      await expect(f.pools.connect(f.alice).claim(1n))
        .to.emit(f.pools, "PoolClaimed")
        .withArgs(1n, f.alice.address, 10n * CIV, 0n);
      await expectNothingStuck(f);
    });

    it("a played pool settles only once the lottery can draw; a void epoch returns the stake", async function () {
      const f = await loadFixture(poolFixture);
      await f.pools.connect(f.alice).contribute(f.epoch, 10n * CIV);
      await at(f.lock);
      await f.pools.play(1n);
      await expect(f.pools.play(1n))
        .to.be.revertedWithCustomError(f.pools, "PoolInvalidState")
        .withArgs(1n, P.Playing);
      // No mine entry: the epoch is void (NoMineEntry); the stake comes back, nothing is won.
      await at(f.drawAt - 1n);
      await expect(f.pools.settle(1n))
        .to.be.revertedWithCustomError(f.lottery, "LotteryOutsideWindow")
        .withArgs(f.epoch, f.drawAt - 1n, f.drawAt, ethers.MaxUint256);
      await at(f.drawAt);
      await expect(f.pools.settle(1n))
        .to.emit(f.pools, "PoolSettled")
        .withArgs(1n, f.epoch, 10n * CIV, 0n);
      expect((await f.lottery.epochInfo(f.epoch)).drawn).to.equal(true);
      await expect(f.pools.connect(f.alice).claim(1n)).to.changeTokenBalances(
        ethers,
        f.token,
        [f.alice],
        [10n * CIV],
      );
      await expectNothingStuck(f);
    });
  });

  describe("attacks", function () {
    it("joining just before a win is impossible: membership is frozen from the lock, before any outcome exists", async function () {
      const f = await loadFixture(poolFixture);
      await f.pools.connect(f.alice).contribute(f.epoch, 10n * CIV);
      await playAndWin(f, 1n);
      // The reveals are in: the winner can be computed, but the pool is closed to newcomers.
      await expect(f.pools.connect(f.grace).contribute(f.epoch, 1_000n * CIV))
        .to.be.revertedWithCustomError(f.pools, "PoolInvalidState")
        .withArgs(1n, P.Playing);
      await f.pools.settle(1n);
      const reward = await f.lottery.epochReward();
      await expect(f.pools.connect(f.alice).claim(1n))
        .to.emit(f.pools, "PoolClaimed")
        .withArgs(1n, f.alice.address, 10n * CIV, reward);
    });

    it("a whale exiting at the last second before the lock leaves the others' shares whole", async function () {
      const f = await loadFixture(poolFixture);
      await f.pools.connect(f.alice).contribute(f.epoch, 10n * CIV);
      await f.pools.connect(f.bob).contribute(f.epoch, 30n * CIV);
      await f.pools.connect(f.grace).contribute(f.epoch, 900n * CIV);
      await at(f.lock - 1n);
      await f.pools.connect(f.grace).exit(1n);
      await playAndWin(f, 1n);
      await f.pools.settle(1n);
      const reward = await f.lottery.epochReward();
      expect((await f.pools.claimable(1n, f.alice.address))[1]).to.equal(reward / 4n);
      expect((await f.pools.claimable(1n, f.bob.address))[1]).to.equal((reward * 3n) / 4n);
    });

    it("dust members are refused below the minimum, and a claim costs the same gas with 2 or 12 members", async function () {
      const f = await loadFixture(poolFixture);
      await expect(f.pools.connect(f.alice).contribute(f.epoch, 1n))
        .to.be.revertedWithCustomError(f.pools, "PoolContributionTooLow")
        .withArgs(1n, f.min);
      const gasOfFirstClaim = async (members: number) => {
        const g = await loadFixture(poolFixture);
        const wallets = [g.alice, g.bob];
        for (let i = 0; i < members - 2; i++) {
          const w = ethers.Wallet.createRandom().connect(ethers.provider);
          await networkHelpers.setBalance(w.address, 10n ** 18n);
          await g.token.connect(g.asTimelock).mint(w.address, 10n * CIV);
          await g.token.connect(w).approve(g.addr, ethers.MaxUint256);
          await g.pools.connect(w).contribute(g.epoch, g.min);
        }
        for (const w of wallets) await g.pools.connect(w).contribute(g.epoch, 10n * CIV);
        await playAndWin(g, 1n);
        await g.pools.settle(1n);
        const receipt = await (await g.pools.connect(g.alice).claim(1n)).wait();
        return receipt!.gasUsed;
      };
      expect(await gasOfFirstClaim(12)).to.equal(await gasOfFirstClaim(2));
    });
  });
});
