/**
 * The escrow's reports on the deployed protocol (issue 19): `approve` and `claim` make their two reports
 * (provider and client) in one `reportAgentReputations` call to the real registry. What lands must be what
 * two single reports gave: scores, `ReputationChanged` and ERC-8004 `NewFeedback` for each, every ERC-8004
 * read; and a refused pair never blocks settlement nor loses a report.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { ESCROW_STATE, jobTerms } from "../helpers/escrow.ts";
import { CIV } from "../helpers/fixtures.ts";
import { deployProtocolFixture } from "../helpers/protocol.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time, loadFixture } = networkHelpers;
const DAY = 86_400n;
const b32 = (text: string) => ethers.encodeBytes32String(text);

async function fixture() {
  const f = await deployProtocolFixture(connection);
  const escrowAddr = await f.escrow.getAddress();
  for (const a of f.agents) await f.token.connect(a).approve(escrowAddr, ethers.MaxUint256);
  // Minting as the timelock stands for a passed proposal: alice can pay a full-credit job.
  const timelock = await f.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelock);
  await networkHelpers.setBalance(timelock, 10n ** 18n);
  const asTimelock = await ethers.getSigner(timelock);
  await f.token.connect(asTimelock).mint(f.alice.address, 10_000n * CIV);
  return { ...f, escrowAddr, asTimelock };
}
type Fx = Awaited<ReturnType<typeof fixture>>;

/** alice hires bob for `amount`, carol arbitrates; the job is submitted. Returns its id. */
async function submittedJob(f: Fx, amount: bigint) {
  const deadline = BigInt(await time.latest()) + 2n * DAY;
  await f.escrow.connect(f.alice).create(jobTerms(f.bob.address, f.carol.address, amount, deadline));
  const id = await f.escrow.escrowCount();
  await f.escrow.connect(f.bob).agree(id);
  await f.escrow.connect(f.carol).accept(id);
  await f.escrow.connect(f.alice).fund(id);
  await f.escrow.connect(f.bob).submit(id, "ipfs://work", ethers.ZeroHash);
  return id;
}

/** The registry's and the Reputation Registry's events of a transaction, in order, as [name, args]. */
async function eventsOf(f: Fx, tx: Promise<any>) {
  const receipt = await (await tx).wait();
  const out: [string, unknown[]][] = [];
  const [registry, reputation] = [await f.registry.getAddress(), await f.reputationRegistry.getAddress()];
  for (const log of receipt!.logs) {
    const parsed =
      log.address === registry
        ? f.registry.interface.parseLog(log)
        : log.address === reputation
          ? f.reputationRegistry.interface.parseLog(log)
          : null;
    if (parsed?.name === "ReputationChanged" || parsed?.name === "NewFeedback")
      out.push([parsed.name, [...parsed.args]]);
  }
  return out;
}

describe("Escrow reports on the deployed protocol (one registry call per settlement)", function () {
  it("approve lands both reports, each exactly as a single report would, in one call", async function () {
    const f = await loadFixture(fixture);
    const { alice, bob } = f;
    const [aliceId, bobId] = [f.agentIds.alice, f.agentIds.bob];
    const before = [await f.registry.scoreOf(bobId), await f.registry.scoreOf(aliceId)];
    const id = await submittedJob(f, 2_500n * CIV);
    const events = await eventsOf(f, f.escrow.connect(alice).approve(id));
    expect(events.map(([n]) => n)).to.deep.equal([
      "ReputationChanged",
      "ReputationChanged",
      "NewFeedback",
      "NewFeedback",
    ]);
    expect(events[0][1]).to.deep.equal([
      bobId,
      bob.address,
      f.escrowAddr,
      10n,
      10n,
      before[0] + 10n,
      b32("escrow.completed"),
      id,
    ]);
    expect(events[1][1]).to.deep.equal([
      aliceId,
      alice.address,
      f.escrowAddr,
      2n,
      2n,
      before[1] + 2n,
      b32("escrow.paid"),
      id,
    ]);
    const feedback = (e: [string, unknown[]]) => [...e[1].slice(0, 5), ...e[1].slice(6)];
    expect(feedback(events[2])).to.deep.equal([
      bobId,
      f.escrowAddr,
      1n,
      10n,
      0n,
      "civitas.escrow",
      "escrow.completed",
      "",
      "",
      ethers.toBeHex(id, 32),
    ]);
    expect(feedback(events[3])).to.deep.equal([
      aliceId,
      f.escrowAddr,
      1n,
      2n,
      0n,
      "civitas.escrow",
      "escrow.paid",
      "",
      "",
      ethers.toBeHex(id, 32),
    ]);
    expect(await f.reputationRegistry.readFeedback(bobId, f.escrowAddr, 1n)).to.deep.equal([
      10n,
      0n,
      "civitas.escrow",
      "escrow.completed",
      false,
    ]);
    expect(
      await f.reputationRegistry.getSummary(aliceId, [f.escrowAddr], "civitas.escrow", "escrow.paid"),
    ).to.deep.equal([1n, 2n, 0n]);
    expect(await f.reputationRegistry.getClients(bobId)).to.deep.equal([f.escrowAddr]);
  });

  it("approve with one whole point only makes that one report (the other's credit is carried)", async function () {
    const f = await loadFixture(fixture);
    // 250 CIV: the provider earns 10 x 250 / 2,500 = 1 point, the client 2 x 250 / 2,500 = 0.2 (carried).
    const id = await submittedJob(f, 250n * CIV);
    const events = await eventsOf(f, f.escrow.connect(f.alice).approve(id));
    expect(events.map(([n, a]) => [n, a[0]])).to.deep.equal([
      ["ReputationChanged", f.agentIds.bob],
      ["NewFeedback", f.agentIds.bob],
    ]);
    const [remainder] = await f.escrow.reputationCreditOf(f.agentIds.alice);
    expect(remainder).to.equal(2n * 250n * CIV);
  });

  it("claim reports the provider's completion and the client's silence together", async function () {
    const f = await loadFixture(fixture);
    const id = await submittedJob(f, 2_500n * CIV);
    await time.increaseTo((await f.escrow.escrowOf(id)).reviewDeadline + 1n);
    const events = await eventsOf(f, f.escrow.connect(f.dave).claim(id));
    expect(events.map(([n, a]) => [n, a[0]])).to.deep.equal([
      ["ReputationChanged", f.agentIds.bob],
      ["ReputationChanged", f.agentIds.alice],
      ["NewFeedback", f.agentIds.bob],
      ["NewFeedback", f.agentIds.alice],
    ]);
    expect(await f.reputationRegistry.readFeedback(f.agentIds.alice, f.escrowAddr, 1n)).to.deep.equal([
      -2n,
      0n,
      "civitas.escrow",
      "escrow.clientSilent",
      false,
    ]);
  });

  it("without the reporter role both reports fail visibly, each with its own arguments, and the job settles", async function () {
    const f = await loadFixture(fixture);
    const id = await submittedJob(f, 2_500n * CIV);
    const role = await f.registry.REPORTER_ROLE();
    await f.registry.connect(f.asTimelock).revokeRole(role, f.escrowAddr);
    const refused = f.registry.interface.encodeErrorResult("AccessControlUnauthorizedAccount", [
      f.escrowAddr,
      role,
    ]);
    await expect(f.escrow.connect(f.alice).approve(id))
      .to.emit(f.escrow, "ReputationReportFailed")
      .withArgs(id, f.agentIds.bob, 10n, b32("escrow.completed"), refused)
      .and.to.emit(f.escrow, "ReputationReportFailed")
      .withArgs(id, f.agentIds.alice, 2n, b32("escrow.paid"), refused)
      .and.to.emit(f.escrow, "EscrowSettled");
    expect((await f.escrow.escrowOf(id)).state).to.equal(ESCROW_STATE.Completed);
  });
});
