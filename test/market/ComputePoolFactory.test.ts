import { expect } from "chai";
import { network } from "hardhat";

import { CIV, taxOf } from "../helpers/fixtures.js";
import type { MarketFixture } from "./fixture.js";
import { deployMarketFixture, GPU } from "./fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

/** A pool's share resource: non-transferable, no free allowance (test/market/devnet.ts's SHARE_POLICY). */
const SHARE_POLICY = {
  unit: "pool-share",
  decimals: 0,
  transferable: false,
  allowancePerDay: 0n,
  allowanceMax: 0n,
  quota: 0n,
  quotaWindow: 3_600,
};
const SHARE_TICK = CIV / 1_000n;

/** The market fixture plus resource 2, a share resource registered and listed by the timelock. */
async function factoryFixture() {
  const f = await deployMarketFixture(connection);
  await f.resourceLedger.connect(f.asTimelock).registerResource(SHARE_POLICY);
  await f.resourceMarket.connect(f.asTimelock).list(2n, SHARE_TICK, SHARE_TICK);
  return { ...f, shares: 2n };
}

/** The pool the factory would create for `shares` in `epoch`, as a contract. */
async function poolAt(f: MarketFixture, shares: bigint, epoch: bigint) {
  return ethers.getContractAt("ComputePool", await f.computePoolFactory.poolFor(shares, epoch));
}

describe("ComputePoolFactory", function () {
  // The first load deploys the whole protocol: slow on a loaded machine.
  before(async function () {
    this.timeout(600_000);
    await networkHelpers.loadFixture(factoryFixture);
  });

  it("creates the pool at its CREATE2 address, announces it with its share sale, and runs it end to end", async function () {
    const f = await networkHelpers.loadFixture(factoryFixture);
    const factory = f.computePoolFactory;
    const m = f.resourceMarket;
    expect(await factory.market()).to.equal(await m.getAddress());
    const predicted = await factory.poolFor(f.shares, f.epoch);
    // Governance may mark the pool a protocol account before it exists: its address is fixed.
    await f.token.connect(f.asTimelock).setProtocolAccount(predicted, true);
    expect(await factory.isPool(predicted)).to.equal(false);
    await expect(factory.connect(f.bob).createPool(f.shares, f.epoch))
      .to.emit(factory, "ComputePoolCreated")
      .withArgs(predicted, f.bob.address, f.shares, f.epoch, await m.getAddress());
    expect([await factory.isPool(predicted), await factory.poolCount()]).to.deep.equal([true, 1n]);
    const pool = await poolAt(f, f.shares, f.epoch);
    expect(await pool.market()).to.equal(await m.getAddress());
    expect(await pool.shareSale()).to.deep.equal([f.shares, f.epoch]);

    // Share sale: Bob offers 100 shares; Dave bids 60, Erin 40. Carol's compute is paid to the pool.
    await m.connect(f.bob).offer(f.shares, f.epoch, 100n, f.bob.address);
    await m.connect(f.dave).bid(f.shares, f.epoch, 1n, 60n); // bid 1
    await m.connect(f.erin).bid(f.shares, f.epoch, 1n, 40n); // bid 2
    await m.connect(f.carol).offer(GPU, f.epoch, 40n, predicted); // offer 2
    await m.connect(f.alice).bid(GPU, f.epoch, 20n, 40n); // bid 3: all 40 at 0.02 CIV (tick 20 > reserve)
    await time.increaseTo(await f.endOf(f.epoch));
    for (const bidId of [1n, 2n, 3n]) await m.claimBid(bidId);
    await m.claimOffer(2n);
    expect(await pool.totalShares()).to.equal(100n);
    // The market pays the pool untaxed: 40 x 0.01 CIV (the reserve: demand does not exceed supply) less 1%.
    const revenue = (40n * (CIV / 100n) * 99n) / 100n;
    expect(await f.token.balanceOf(predicted)).to.equal(revenue);
    await expect(pool.distribute()).to.emit(pool, "DividendsDistributed");
    const daveBefore = await f.token.balanceOf(f.dave.address);
    await expect(pool.claimDividends(1n))
      .to.emit(pool, "DividendsClaimed")
      .withArgs(1n, f.dave.address, (revenue * 60n) / 100n);
    const net = (revenue * 60n) / 100n;
    expect(await f.token.balanceOf(f.dave.address)).to.equal(daveBefore + net - taxOf(net, 1_000n));
  });

  describe("bogus parameters", function () {
    it("refuses an unknown, unlisted, delisted or retired share resource", async function () {
      const f = await networkHelpers.loadFixture(factoryFixture);
      const factory = f.computePoolFactory.connect(f.bob);
      for (const unknown of [0n, 99n])
        await expect(factory.createPool(unknown, f.epoch))
          .to.be.revertedWithCustomError(factory, "PoolFactoryShareResourceNotListed")
          .withArgs(unknown);
      // Registered but never listed.
      await f.resourceLedger.connect(f.asTimelock).registerResource(SHARE_POLICY); // resource 3
      await expect(factory.createPool(3n, f.epoch))
        .to.be.revertedWithCustomError(factory, "PoolFactoryShareResourceNotListed")
        .withArgs(3n);
      // Listed, then delisted; listed, then retired on the ledger.
      await f.resourceMarket.connect(f.asTimelock).list(3n, SHARE_TICK, SHARE_TICK);
      await expect(factory.createPool(3n, f.epoch)).to.emit(factory, "ComputePoolCreated");
      await f.resourceMarket.connect(f.asTimelock).delist(3n);
      await expect(factory.createPool(3n, f.epoch + 1n))
        .to.be.revertedWithCustomError(factory, "PoolFactoryShareResourceNotListed")
        .withArgs(3n);
      await f.resourceLedger.connect(f.asTimelock).retire(f.shares);
      await expect(factory.createPool(f.shares, f.epoch))
        .to.be.revertedWithCustomError(factory, "PoolFactoryShareResourceNotListed")
        .withArgs(f.shares);
    });

    it("refuses transferable shares (the genesis gpu-second): dividends follow the share bid", async function () {
      const f = await networkHelpers.loadFixture(factoryFixture);
      const factory = f.computePoolFactory.connect(f.bob);
      await expect(factory.createPool(GPU, f.epoch))
        .to.be.revertedWithCustomError(factory, "PoolFactoryTransferableShares")
        .withArgs(GPU);
    });

    it("takes share epochs from the current one to MAX_EPOCHS_AHEAD ahead, and no other", async function () {
      const f = await networkHelpers.loadFixture(factoryFixture);
      const factory = f.computePoolFactory.connect(f.bob);
      const ahead = await f.resourceMarket.MAX_EPOCHS_AHEAD();
      await expect(factory.createPool(f.shares, f.epoch + ahead + 1n))
        .to.be.revertedWithCustomError(factory, "PoolFactoryShareEpochNotOpen")
        .withArgs(f.epoch + ahead + 1n, f.epoch);
      await expect(factory.createPool(f.shares, f.epoch + ahead)).to.emit(factory, "ComputePoolCreated");
      // At the epoch's last second it is still open (the next test: one second later it has ended).
      await time.setNextBlockTimestamp((await f.endOf(f.epoch)) - 1n);
      await expect(factory.createPool(f.shares, f.epoch)).to.emit(factory, "ComputePoolCreated");
    });

    it("refuses an ended share epoch", async function () {
      const f = await networkHelpers.loadFixture(factoryFixture);
      const factory = f.computePoolFactory.connect(f.bob);
      await time.increaseTo(await f.endOf(f.epoch));
      await expect(factory.createPool(f.shares, f.epoch))
        .to.be.revertedWithCustomError(factory, "PoolFactoryShareEpochNotOpen")
        .withArgs(f.epoch, f.epoch + 1n);
    });

    it("refuses a creator that is not an agent in good standing, and a second pool for one share sale", async function () {
      const f = await networkHelpers.loadFixture(factoryFixture);
      const factory = f.computePoolFactory;
      await expect(factory.connect(f.outsider).createPool(f.shares, f.epoch))
        .to.be.revertedWithCustomError(factory, "PoolFactoryNotInGoodStanding")
        .withArgs(f.outsider.address);
      await factory.connect(f.bob).createPool(f.shares, f.epoch);
      await expect(factory.connect(f.carol).createPool(f.shares, f.epoch))
        .to.be.revertedWithCustomError(factory, "PoolFactoryPoolExists")
        .withArgs(await factory.poolFor(f.shares, f.epoch));
      expect(await factory.poolCount()).to.equal(1n);
    });

    it("refuses a factory without a market", async function () {
      const f = await networkHelpers.loadFixture(factoryFixture);
      await expect(
        ethers.deployContract("ComputePoolFactory", [ethers.ZeroAddress]),
      ).to.be.revertedWithCustomError(f.computePoolFactory, "PoolFactoryZeroAddress");
    });
  });

  describe("attacks", function () {
    it("pool spam: a griefer creating every open pool takes nothing; the share sale pays its real holders", async function () {
      const f = await networkHelpers.loadFixture(factoryFixture);
      const factory = f.computePoolFactory;
      const m = f.resourceMarket;
      const ahead = await m.MAX_EPOCHS_AHEAD();
      // Frank (an agent) front-runs every pool the share resource could have: 31 deployments at his cost.
      for (let e = f.epoch; e <= f.epoch + ahead; e++) await factory.connect(f.frank).createPool(f.shares, e);
      expect(await factory.poolCount()).to.equal(ahead + 1n);
      await expect(factory.connect(f.bob).createPool(f.shares, f.epoch)).to.be.revertedWithCustomError(
        factory,
        "PoolFactoryPoolExists",
      );
      // The pool Frank created is the same contract Bob would have: no owner, same share sale.
      const pool = await poolAt(f, f.shares, f.epoch);
      await f.token.connect(f.asTimelock).setProtocolAccount(await pool.getAddress(), true);
      await m.connect(f.bob).offer(f.shares, f.epoch, 10n, f.bob.address);
      await m.connect(f.dave).bid(f.shares, f.epoch, 1n, 10n); // bid 1: every share
      await m.connect(f.carol).offer(GPU, f.epoch, 10n, await pool.getAddress()); // offer 2
      await m.connect(f.alice).bid(GPU, f.epoch, 10n, 10n); // bid 2
      await time.increaseTo(await f.endOf(f.epoch));
      await m.clear(f.shares, f.epoch);
      await m.claimOffer(2n);
      await pool.distribute();
      const frankBefore = await f.token.balanceOf(f.frank.address);
      const claimable = await pool.claimable(1n);
      expect(claimable).to.equal((10n * (CIV / 100n) * 99n) / 100n);
      await expect(pool.connect(f.frank).claimDividends(1n))
        .to.emit(pool, "DividendsClaimed")
        .withArgs(1n, f.dave.address, claimable);
      expect(await f.token.balanceOf(f.frank.address)).to.equal(frankBefore);
      // A spam pool nobody marked cannot pay anyone: it is not a protocol account.
      const spam = await poolAt(f, f.shares, f.epoch + 1n);
      expect(await f.token.isProtocolAccount(await spam.getAddress())).to.equal(false);
    });
  });
});
