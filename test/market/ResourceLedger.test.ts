import { expect } from "chai";
import { network } from "hardhat";

import { deployMarketFixture, GPU, GPU_POLICY } from "./fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const DAY = 86_400n;
const PARAMETER_ROLE = ethers.id("PARAMETER_ROLE");
const MINTER_ROLE = ethers.id("MINTER_ROLE");
/** IResourceLedger.DenialReason, from the generated vocabulary. */
import { DenialReasonNames } from "../../generated/vocabulary.ts";
const Denial = {
  QuotaExceeded: BigInt(DenialReasonNames.indexOf("QuotaExceeded")),
  InsufficientCredits: BigInt(DenialReasonNames.indexOf("InsufficientCredits")),
};
const REF = ethers.id("request-1");

async function ledgerFixture() {
  return deployMarketFixture(connection);
}

describe("ResourceLedger", function () {
  // The first load deploys the whole protocol: slow on a loaded machine.
  before(async function () {
    this.timeout(600_000);
    await networkHelpers.loadFixture(ledgerFixture);
  });

  describe("resource types", function () {
    it("registers a type with its policy, by the timelock only", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      const policy = { ...GPU_POLICY, unit: "inference-token", decimals: 18, transferable: false };
      await expect(l.connect(f.alice).registerResource(policy))
        .to.be.revertedWithCustomError(l, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, PARAMETER_ROLE);
      await expect(l.connect(f.asTimelock).registerResource(policy)).to.emit(l, "ResourceRegistered");
      // Resource 2 is the genesis "attention" resource (issue 17): the new type is 3.
      expect(await l.resourceCount()).to.equal(3n);
      expect((await l.policyOf(3n)).unit).to.equal("inference-token");
      expect(await l.isActive(3n)).to.equal(true);
      await expect(l.policyOf(4n)).to.be.revertedWithCustomError(l, "LedgerUnknownResource").withArgs(4n);
      await expect(l.policyOf(0n)).to.be.revertedWithCustomError(l, "LedgerUnknownResource").withArgs(0n);
    });

    it("bounds each policy field exactly", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger.connect(f.asTimelock);
      const [minWindow, maxWindow, maxDecimals] = [
        await l.MIN_QUOTA_WINDOW(),
        await l.MAX_QUOTA_WINDOW(),
        await l.MAX_DECIMALS(),
      ];
      expect([minWindow, maxWindow, maxDecimals]).to.deep.equal([3_600n, 30n * DAY, 18n]);
      const bad = [
        [{ decimals: 19 }, "LedgerDecimalsTooHigh", [19n, 18n]],
        [{ quotaWindow: 3_599 }, "LedgerQuotaWindowOutOfBounds", [3_599n, minWindow, maxWindow]],
        [
          { quotaWindow: 30 * 86_400 + 1 },
          "LedgerQuotaWindowOutOfBounds",
          [30n * DAY + 1n, minWindow, maxWindow],
        ],
        [{ allowancePerDay: 201n }, "LedgerInvalidPolicy", [201n, 200n]],
        [{ unit: "" }, "LedgerInvalidPolicy", [100n, 200n]],
      ] as const;
      for (const [change, error, args] of bad) {
        await expect(l.registerResource({ ...GPU_POLICY, ...change }))
          .to.be.revertedWithCustomError(l, error)
          .withArgs(...args);
        await expect(l.setPolicy(GPU, { ...GPU_POLICY, ...change }))
          .to.be.revertedWithCustomError(l, error)
          .withArgs(...args);
      }
      for (const change of [
        { decimals: 18 },
        { quotaWindow: 3_600 },
        { quotaWindow: 30 * 86_400 },
        { allowancePerDay: 200n },
      ]) {
        await expect(l.registerResource({ ...GPU_POLICY, ...change })).to.emit(l, "ResourceRegistered");
      }
    });

    it("changes a policy with old and new values, and retires a type once", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      const next = { ...GPU_POLICY, quota: 5n };
      await expect(l.connect(f.alice).setPolicy(GPU, next))
        .to.be.revertedWithCustomError(l, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, PARAMETER_ROLE);
      await expect(l.connect(f.asTimelock).setPolicy(GPU, next)).to.emit(l, "PolicyUpdated");
      expect((await l.policyOf(GPU)).quota).to.equal(5n);
      await expect(l.connect(f.alice).retire(GPU))
        .to.be.revertedWithCustomError(l, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, PARAMETER_ROLE);
      await expect(l.connect(f.asTimelock).retire(GPU)).to.emit(l, "ResourceRetired").withArgs(GPU);
      await expect(l.connect(f.asTimelock).retire(GPU))
        .to.be.revertedWithCustomError(l, "LedgerResourceRetired")
        .withArgs(GPU);
      await expect(l.connect(f.asTimelock).setPolicy(GPU, next))
        .to.be.revertedWithCustomError(l, "LedgerResourceRetired")
        .withArgs(GPU);
      await expect(l.connect(f.asTimelock).retire(9n))
        .to.be.revertedWithCustomError(l, "LedgerUnknownResource")
        .withArgs(9n);
    });

    it("authorises meters by the timelock only, never the zero address", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      await expect(l.connect(f.alice).setMeter(GPU, f.alice.address, true))
        .to.be.revertedWithCustomError(l, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, PARAMETER_ROLE);
      await expect(
        l.connect(f.asTimelock).setMeter(GPU, ethers.ZeroAddress, true),
      ).to.be.revertedWithCustomError(l, "LedgerZeroInput");
      await expect(l.connect(f.asTimelock).setMeter(3n, f.alice.address, true))
        .to.be.revertedWithCustomError(l, "LedgerUnknownResource")
        .withArgs(3n);
      await expect(l.connect(f.asTimelock).setMeter(GPU, f.heidi.address, false))
        .to.emit(l, "MeterSet")
        .withArgs(GPU, f.heidi.address, false);
      await expect(l.connect(f.heidi).meter(GPU, f.alice.address, 1n, REF))
        .to.be.revertedWithCustomError(l, "LedgerUnauthorizedMeter")
        .withArgs(GPU, f.heidi.address);
    });

    it("mints only by the minter (the market), and refuses zero", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      await expect(l.connect(f.asTimelock).mint(f.alice.address, GPU, 1n, 0n))
        .to.be.revertedWithCustomError(l, "AccessControlUnauthorizedAccount")
        .withArgs(await f.timelock.getAddress(), MINTER_ROLE);
      expect(await l.hasRole(MINTER_ROLE, await f.resourceMarket.getAddress())).to.equal(true);
    });
  });

  describe("metering", function () {
    it("draws from the free allowance first, then burns credits, with the meter's reference", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      expect(await l.allowanceOf(GPU, f.alice.address)).to.equal(200n);
      await expect(l.connect(f.heidi).meter(GPU, f.alice.address, 150n, REF))
        .to.emit(l, "UsageRecorded")
        .withArgs(GPU, f.alice.address, f.heidi.address, 150n, 150n, 0n, REF);
      expect(await l.allowanceOf(GPU, f.alice.address)).to.equal(50n);
      // Buy 100 credits and wait a day (the allowance is full again, 200), then use 220: 200 + 20 burned.
      await buyCredits(f, f.alice, 100n);
      await time.increase(DAY);
      await expect(l.connect(f.heidi).meter(GPU, f.alice.address, 220n, REF))
        .to.emit(l, "UsageRecorded")
        .withArgs(GPU, f.alice.address, f.heidi.address, 220n, 200n, 20n, REF);
      expect(await l.balanceOf(f.alice.address, GPU)).to.equal(80n);
      expect(await l.totalBurned(GPU)).to.equal(20n);
      expect(await l.totalMinted(GPU)).to.equal(100n);
    });

    it("regenerates the allowance per second, up to its maximum", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      await l.connect(f.heidi).meter(GPU, f.alice.address, 200n, REF);
      expect(await l.allowanceOf(GPU, f.alice.address)).to.equal(0n);
      await time.increase(DAY / 2n);
      expect(await l.allowanceOf(GPU, f.alice.address)).to.equal(50n);
      await time.increase(10n * DAY);
      expect(await l.allowanceOf(GPU, f.alice.address)).to.equal(200n);
    });

    it("denies usage beyond the allowance and credits, with its reason, changing nothing", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      await expect(l.connect(f.heidi).meter(GPU, f.alice.address, 201n, REF))
        .to.emit(l, "UsageDenied")
        .withArgs(GPU, f.alice.address, f.heidi.address, 201n, Denial.InsufficientCredits, REF);
      expect(await l.allowanceOf(GPU, f.alice.address)).to.equal(200n);
      expect(await l.usedInWindow(GPU, f.alice.address)).to.equal(0n);
      expect(await l.connect(f.heidi).meter.staticCall(GPU, f.alice.address, 201n, REF)).to.equal(false);
      expect(await l.connect(f.heidi).meter.staticCall(GPU, f.alice.address, 200n, REF)).to.equal(true);
    });

    it("enforces the quota per window exactly, and resets it in the next window", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      await f.resourceLedger.connect(f.asTimelock).setPolicy(GPU, { ...GPU_POLICY, quota: 150n });
      const window = BigInt(GPU_POLICY.quotaWindow);
      const start = (BigInt(await time.latest()) / window + 1n) * window;
      await time.setNextBlockTimestamp(start);
      await l.connect(f.heidi).meter(GPU, f.alice.address, 100n, REF);
      await l.connect(f.heidi).meter(GPU, f.alice.address, 50n, REF); // exactly at the quota
      await expect(l.connect(f.heidi).meter(GPU, f.alice.address, 1n, REF))
        .to.emit(l, "UsageDenied")
        .withArgs(GPU, f.alice.address, f.heidi.address, 1n, Denial.QuotaExceeded, REF);
      expect(await l.usedInWindow(GPU, f.alice.address)).to.equal(150n);
      await time.setNextBlockTimestamp(start + window);
      await expect(l.connect(f.heidi).meter(GPU, f.alice.address, 1n, REF)).to.emit(l, "UsageRecorded");
    });

    it("gives no free allowance to a wallet with no agent, or to an agent not in good standing", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      expect(await l.allowanceOf(GPU, f.outsider.address)).to.equal(0n);
      await expect(l.connect(f.heidi).meter(GPU, f.outsider.address, 1n, REF))
        .to.emit(l, "UsageDenied")
        .withArgs(GPU, f.outsider.address, f.heidi.address, 1n, Denial.InsufficientCredits, REF);
      await f.registry.connect(f.asTimelock).suspend(f.agentIds.alice, "test");
      expect(await l.allowanceOf(GPU, f.alice.address)).to.equal(0n);
      await expect(l.connect(f.heidi).meter(GPU, f.alice.address, 1n, REF)).to.emit(l, "UsageDenied");
    });

    it("a thousand fresh wallets get no free allowance at all (the commons tier is per agent)", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      for (let i = 0; i < 1_000; i += 100) {
        const wallet = ethers.Wallet.createRandom();
        expect(await l.allowanceOf(GPU, wallet.address)).to.equal(0n);
      }
    });

    it("refuses an unknown resource, a zero amount and a zero account", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger.connect(f.heidi);
      await expect(l.meter(3n, f.alice.address, 1n, REF))
        .to.be.revertedWithCustomError(l, "LedgerUnknownResource")
        .withArgs(3n);
      await expect(l.meter(GPU, f.alice.address, 0n, REF)).to.be.revertedWithCustomError(
        l,
        "LedgerZeroInput",
      );
      await expect(l.meter(GPU, ethers.ZeroAddress, 1n, REF)).to.be.revertedWithCustomError(
        l,
        "LedgerZeroInput",
      );
    });

    it("after retirement, meters credits still held but no free allowance", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      await buyCredits(f, f.alice, 10n);
      await l.connect(f.asTimelock).retire(GPU);
      expect(await l.allowanceOf(GPU, f.alice.address)).to.equal(0n);
      await expect(l.connect(f.heidi).meter(GPU, f.alice.address, 10n, REF))
        .to.emit(l, "UsageRecorded")
        .withArgs(GPU, f.alice.address, f.heidi.address, 10n, 0n, 10n, REF);
    });
  });

  describe("transfers", function () {
    it("moves transferable credits and refuses non-transferable ones", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const l = f.resourceLedger;
      await buyCredits(f, f.alice, 10n);
      await l.connect(f.alice).safeTransferFrom(f.alice.address, f.bob.address, GPU, 4n, "0x");
      expect(await l.balanceOf(f.bob.address, GPU)).to.equal(4n);
      await l.connect(f.asTimelock).setPolicy(GPU, { ...GPU_POLICY, transferable: false });
      await expect(l.connect(f.alice).safeTransferFrom(f.alice.address, f.bob.address, GPU, 1n, "0x"))
        .to.be.revertedWithCustomError(l, "LedgerNotTransferable")
        .withArgs(GPU);
    });
  });
});

/** Buys `quantity` credits of resource 1 for `buyer` at the reserve in a fresh epoch (bob provides). */
async function buyCredits(
  f: Awaited<ReturnType<typeof deployMarketFixture>>,
  buyer: Awaited<ReturnType<typeof deployMarketFixture>>["alice"],
  quantity: bigint,
) {
  const m = f.resourceMarket;
  const epoch = await m.currentEpoch();
  await m.connect(f.bob).offer(GPU, epoch, quantity, f.bob.address);
  await m.connect(buyer).bid(GPU, epoch, 10n, quantity);
  await time.increaseTo(await m.epochEnd(epoch));
  await m.claimBid(await m.bidCount());
}
