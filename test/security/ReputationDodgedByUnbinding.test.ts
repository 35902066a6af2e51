/**
 * Security issue 20 #4: negative escrow reputation dodged by unbinding the wallet. The recipe (a provider
 * that missed its delivery, or an arbitrator that missed its ruling, unbinds its wallet before the timeout
 * so that the wallet-based report fails and is swallowed) now fails: the escrow records the agent ids when
 * the job is made and reports to them, whatever the wallets do later.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { jobTerms } from "../helpers/escrow.ts";
import { CIV } from "../helpers/fixtures.ts";
import { deployProtocolFixture } from "../helpers/protocol.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const DAY = 86_400n;
const reason = (s: string) => ethers.encodeBytes32String(s);

async function fixture() {
  const f = await deployProtocolFixture(connection);
  const escrowAddr = await f.escrow.getAddress();
  for (const a of f.agents) await f.token.connect(a).approve(escrowAddr, ethers.MaxUint256);
  return f;
}

/** alice hires bob, carol arbitrates: a funded job of 100 CIV due in two days. */
async function fundedJob(f: Awaited<ReturnType<typeof fixture>>) {
  const deadline = BigInt(await time.latest()) + 2n * DAY;
  await f.escrow.connect(f.alice).create(jobTerms(f.bob.address, f.carol.address, 100n * CIV, deadline));
  const id = await f.escrow.escrowCount();
  await f.escrow.connect(f.bob).agree(id);
  await f.escrow.connect(f.carol).accept(id);
  await f.escrow.connect(f.alice).fund(id);
  return { id, deadline };
}

describe("Security #4: negative escrow reputation dodged by unbinding the wallet", function () {
  it("records the agent ids of client, provider and arbitrator when the job is made", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const { id } = await fundedJob(f);
    const job = await f.escrow.escrowOf(id);
    expect([job.clientId, job.providerId, job.arbitratorId]).to.deep.equal([
      f.agentIds.alice,
      f.agentIds.bob,
      f.agentIds.carol,
    ]);
  });

  it("a provider that missed delivery and unbound its wallet still takes the -15", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const { id, deadline } = await fundedJob(f);
    // The recipe: unbind, let the client reclaim.
    await f.registry.connect(f.bob).unsetAgentWallet(f.agentIds.bob);
    expect(await f.registry.agentIdOf(f.bob.address)).to.equal(0n);
    await time.increaseTo(deadline + 1n);
    const delta = await f.escrow.DELTA_DELIVERY_MISSED();
    await expect(f.escrow.connect(f.alice).reclaim(id))
      .to.emit(f.registry, "ReputationChanged")
      .withArgs(
        f.agentIds.bob,
        ethers.ZeroAddress,
        await f.escrow.getAddress(),
        delta,
        delta,
        delta,
        reason("escrow.deliveryMissed"),
        id,
      )
      .and.not.to.emit(f.escrow, "ReputationReportFailed");
    expect(await f.registry.scoreOf(f.agentIds.bob)).to.equal(delta);
  });

  it("an arbitrator that missed its ruling and unbound its wallet still takes the -20", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const { id } = await fundedJob(f);
    await f.escrow.connect(f.bob).submit(id, "ipfs://work", ethers.ZeroHash);
    await f.escrow.connect(f.alice).dispute(id, "ipfs://complaint");
    await f.registry.connect(f.carol).unsetAgentWallet(f.agentIds.carol);
    await time.increaseTo((await f.escrow.escrowOf(id)).rulingDeadline + 1n);
    const delta = await f.escrow.DELTA_ARBITRATOR_NO_SHOW();
    await expect(f.escrow.resolveNoShow(id))
      .to.emit(f.registry, "ReputationChanged")
      .withArgs(
        f.agentIds.carol,
        ethers.ZeroAddress,
        await f.escrow.getAddress(),
        delta,
        delta,
        delta,
        reason("escrow.arbitratorNoShow"),
        id,
      );
    expect(await f.registry.scoreOf(f.agentIds.carol)).to.equal(delta);
  });

  it("a report that cannot land is an event carrying the agent id, never silence", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    // Governance takes the escrow's reporter role away: the registry now refuses its reports.
    const role = await f.registry.REPORTER_ROLE();
    const calldata = f.registry.interface.encodeFunctionData("revokeRole", [
      role,
      await f.escrow.getAddress(),
    ]);
    await f.pass([{ target: await f.registry.getAddress(), calldata }], "Revoke the escrow's reporter role");
    const { id, deadline } = await fundedJob(f);
    await time.increaseTo(deadline + 1n);
    const refusal = f.registry.interface.encodeErrorResult("AccessControlUnauthorizedAccount", [
      await f.escrow.getAddress(),
      role,
    ]);
    await expect(f.escrow.connect(f.alice).reclaim(id))
      .to.emit(f.escrow, "ReputationReportFailed")
      .withArgs(
        id,
        f.agentIds.bob,
        await f.escrow.DELTA_DELIVERY_MISSED(),
        reason("escrow.deliveryMissed"),
        refusal,
      );
  });
});
