import { expect } from "chai";
import { network } from "hardhat";

import { CIV } from "../helpers/fixtures.js";
import { action, execute } from "../helpers/governance.js";
import { deployProtocolFixture } from "../helpers/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

/** The Protocol Ignition module, eight agents with their birth grant (see test/helpers/protocol.ts). */
async function protocolFixture() {
  return deployProtocolFixture(connection);
}

/** A second resource type, proposed by governance (resource 1 is the deployment's genesis "gpu-second"). */
const POLICY = {
  unit: "tpu-second",
  decimals: 0,
  transferable: true,
  allowancePerDay: 100n,
  allowanceMax: 200n,
  quota: 10_000n,
  quotaWindow: 3_600,
};

describe("Market governance (end to end, proposals on the Protocol deployment)", function () {
  // The first load deploys the whole protocol: slow on a loaded machine.
  before(async function () {
    this.timeout(600_000);
    await networkHelpers.loadFixture(protocolFixture);
  });

  it("has the genesis resource registered and listed at deployment (Ignition parameters), no meter", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { resourceLedger: ledger, resourceMarket: market } = f;
    // Resource 2 is the genesis "attention" resource (issue 17, test/rewards/ReviewRewards.test.ts).
    expect(await ledger.resourceCount()).to.equal(2n);
    const policy = await ledger.policyOf(1n);
    expect([
      policy.unit,
      policy.allowancePerDay,
      policy.allowanceMax,
      policy.quota,
      policy.quotaWindow,
    ]).to.deep.equal(["gpu-second", 100n, 200n, 10_000n, 3_600n]);
    expect([policy.decimals, policy.transferable]).to.deep.equal([0n, true]);
    const listing = await market.listingOf(1n);
    expect([listing.tickSize, listing.reservePrice]).to.deep.equal([CIV / 1_000n, CIV / 100n]);
    expect(await ledger.isMeter(1n, f.heidi.address)).to.equal(false);
    // The genesis meter's defaults (genesisMeter = the deployer, genesisMeterAuthorised = false): no meter.
    expect(await ledger.isMeter(1n, f.deployer.address)).to.equal(false);
    // The deployer kept no role to change it: governance alone can.
    const PARAMETER_ROLE = await ledger.PARAMETER_ROLE();
    expect(await ledger.hasRole(PARAMETER_ROLE, f.deployer.address)).to.equal(false);
    expect(await market.hasRole(PARAMETER_ROLE, f.deployer.address)).to.equal(false);
  });

  it("registers, lists and meters a new resource type by proposal; then it trades", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { resourceLedger: ledger, resourceMarket: market } = f;
    const { executeTx } = await f.pass(
      [
        await action(ledger, "registerResource", [POLICY]),
        await action(market, "list", [3n, CIV / 1_000n, CIV / 100n]),
        await action(ledger, "setMeter", [3n, f.heidi.address, true]),
      ],
      "Resource 3: tpu-second, listed at 0.01 CIV, heidi meters it",
    );
    await expect(executeTx).to.emit(ledger, "ResourceRegistered");
    await expect(executeTx)
      .to.emit(market, "ResourceListed")
      .withArgs(3n, CIV / 1_000n, 0n, CIV / 100n);
    await expect(executeTx).to.emit(ledger, "MeterSet").withArgs(3n, f.heidi.address, true);
    expect(await ledger.allowanceOf(3n, f.alice.address)).to.equal(200n);

    const epoch = await market.currentEpoch();
    await market.connect(f.bob).offer(3n, epoch, 10n, f.bob.address);
    await f.token.connect(f.alice).approve(await market.getAddress(), 10n * 20n * (CIV / 1_000n));
    await market.connect(f.alice).bid(3n, epoch, 20n, 10n);
    await time.increaseTo(await market.epochEnd(epoch));
    await market.claimBid(1n); // the first bid
    expect(await ledger.balanceOf(f.alice.address, 3n)).to.equal(10n);
    // 210 units: 200 from the free allowance, 10 burned from the credits bought.
    await expect(ledger.connect(f.heidi).meter(3n, f.alice.address, 210n, ethers.id("job-1")))
      .to.emit(ledger, "UsageRecorded")
      .withArgs(3n, f.alice.address, f.heidi.address, 210n, 200n, 10n, ethers.id("job-1"));
  });

  it("changes a policy and the market's settings by proposal, with old and new values", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { resourceLedger: ledger, resourceMarket: market } = f;
    await f.pass([await action(ledger, "registerResource", [POLICY])], "Resource 3: tpu-second");
    const { executeTx } = await f.pass(
      [
        await action(ledger, "setPolicy", [3n, { ...POLICY, quota: 500n, transferable: false }]),
        await action(market, "setProtocolFeeBps", [200n]),
        await action(market, "setTargetUtilisationBps", [8_000n]),
        await action(market, "setMaxReserveStepBps", [500n]),
      ],
      "Tighten tpu-second: quota 500 per hour, non-transferable; fee 2%, target 80%, step 5%",
    );
    await expect(executeTx).to.emit(ledger, "PolicyUpdated");
    await expect(executeTx).to.emit(market, "ProtocolFeeBpsUpdated").withArgs(100n, 200n);
    await expect(executeTx).to.emit(market, "TargetUtilisationBpsUpdated").withArgs(5_000n, 8_000n);
    await expect(executeTx).to.emit(market, "MaxReserveStepBpsUpdated").withArgs(1_250n, 500n);
    const policy = await ledger.policyOf(3n);
    expect([policy.quota, policy.transferable]).to.deep.equal([500n, false]);
  });

  it("fails to execute a fee above the maximum, with the market's error", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const max = await f.resourceMarket.MAX_PROTOCOL_FEE_BPS();
    const { proposal } = await f.pass(
      [await action(f.resourceMarket, "setProtocolFeeBps", [max + 1n])],
      "A market fee above the max",
      { until: "queue" },
    );
    await expect(execute(f.governor, proposal))
      .to.be.revertedWithCustomError(f.resourceMarket, "MarketFeeTooHigh")
      .withArgs(max + 1n, max);
  });
});
