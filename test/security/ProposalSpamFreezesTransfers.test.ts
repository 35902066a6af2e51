/**
 * Issue 20, attack 2 (high): proposal spam freezes every CIV movement forever.
 *
 * Recipe (on main before the fix): each `propose` schedules a circulating-supply snapshot; the first token
 * movement after they fall due recorded all pending ones in one loop (~26,500 gas each), so one holder of
 * 500 CIV proposing in ~650 distinct seconds pushed every later transfer, burn, upkeep collection, stake and
 * escrow payout past the 16,777,216 gas transaction cap. Here, on the real Protocol deployment: a proposer
 * has one live proposal at a time; and with 1,000 snapshots pending a transfer costs at most its normal gas
 * plus a constant bound (one checkpoint, at most MAX_SNAPSHOTS_PER_MOVEMENT pops), every proposal's quorum is
 * still exact, and anyone catches the queue up in batches. See docs/security.md, section 2.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { CIV } from "../helpers/fixtures.js";
import { action, propose, toProposal } from "../helpers/governance.js";
import { deployProtocolFixture, type ProtocolFixture } from "../helpers/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

/**
 * Most gas the snapshot bookkeeping may add to a movement, whatever is pending: one checkpoint, the queue head
 * and coverage words, at most MAX_SNAPSHOTS_PER_MOVEMENT pops with their events. Measured: +109,525 for the
 * first recording ever (zero slots written), +63,802 to +65,802 after (BENCHMARKS.md).
 */
const SNAPSHOT_GAS_BOUND = 120_000n;
const SPAM = 1_000;

async function protocolFixture() {
  return deployProtocolFixture(connection);
}

/** A harmless proposal (the timelock sets its delay to 3 days) with a distinct description. */
async function harmless(f: ProtocolFixture, description: string) {
  return toProposal([await action(f.timelock, "updateDelay", [3n * 86_400n])], description);
}

/** Gas used by `from` paying `to` 1 CIV (an ordinary, taxed transfer). */
async function transferGas(f: ProtocolFixture, from: typeof f.alice, to: typeof f.alice): Promise<bigint> {
  const receipt = await (await f.token.connect(from).transfer(to.address, CIV)).wait();
  return receipt!.gasUsed;
}

describe("security 2: proposal spam freezes every CIV movement", function () {
  this.timeout(600_000);

  it("refuses a second live proposal from the same proposer, until the first one's vote is over", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const firstId = await propose(f.governor, f.alice, await harmless(f, "First"));
    await expect(propose(f.governor, f.alice, await harmless(f, "Second, while the first is Pending")))
      .to.be.revertedWithCustomError(f.governor, "CivitasGovernorProposerHasLiveProposal")
      .withArgs(f.alice.address, firstId);
    await time.increaseTo((await f.governor.proposalSnapshot(firstId)) + 1n);
    await expect(propose(f.governor, f.alice, await harmless(f, "Second, while the first is Active")))
      .to.be.revertedWithCustomError(f.governor, "CivitasGovernorProposerHasLiveProposal")
      .withArgs(f.alice.address, firstId);
    // Another proposer is not held back.
    await propose(f.governor, f.bob, await harmless(f, "Bob's"));
    // The block at the deadline is still Active; the next second the vote is over and alice may propose.
    const deadline = await f.governor.proposalDeadline(firstId);
    await time.setNextBlockTimestamp(deadline);
    await expect(propose(f.governor, f.alice, await harmless(f, "Second, at the deadline")))
      .to.be.revertedWithCustomError(f.governor, "CivitasGovernorProposerHasLiveProposal")
      .withArgs(f.alice.address, firstId);
    await time.setNextBlockTimestamp(deadline + 1n);
    const secondId = await propose(f.governor, f.alice, await harmless(f, "Second, after the deadline"));
    expect(await f.governor.latestProposalId(f.alice.address)).to.equal(secondId);
  });

  it(`keeps transfers within a constant bound and every quorum exact with ${SPAM} pending snapshots`, async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { alice, bob, carol, dave, erin } = f;
    // Normal gas: the same 1 CIV transfer with nothing pending (after a first one warms both accounts).
    await transferGas(f, dave, erin);
    const normal = await transferGas(f, dave, erin);
    expect(await f.token.pendingSnapshots()).to.deep.equal([]);

    // The spam: 1,000 snapshots at distinct seconds, scheduled through the governor's role (as 1,000
    // proposals would), around the snapshot of an honest proposal made now.
    const start = BigInt(await time.latest());
    const delay = await f.governor.votingDelay();
    // The honest proposal comes after the 1,000 scheduling transactions (one second each).
    const first = start + delay + BigInt(SPAM) / 2n;
    const governorAddress = await f.governor.getAddress();
    await networkHelpers.impersonateAccount(governorAddress);
    await networkHelpers.setBalance(governorAddress, 10n ** 18n);
    const asGovernor = await ethers.getSigner(governorAddress);
    for (let i = 0n; i < BigInt(SPAM); i++)
      await f.token.connect(asGovernor).scheduleCirculatingSnapshot(first + i);
    await networkHelpers.stopImpersonatingAccount(governorAddress);
    const honestId = await propose(f.governor, carol, await harmless(f, "Honest, amid the spam"));
    const honestSnapshot = await f.governor.proposalSnapshot(honestId);
    expect(honestSnapshot).to.be.greaterThan(first);
    expect(honestSnapshot).to.be.lessThan(first + BigInt(SPAM));
    // The honest snapshot falls on a second the spam already holds: scheduled once.
    expect((await f.token.pendingSnapshots()).length).to.equal(SPAM);

    // Three movements inside and after the spam's range; each one's taxed 1 CIV changes circulating supply.
    const movements = [first + 300n, honestSnapshot + 100n, first + BigInt(SPAM) + 100n];
    const valueBefore: bigint[] = [];
    for (const [i, at] of movements.entries()) {
      await time.setNextBlockTimestamp(at);
      valueBefore.push(await f.token.circulatingSupply());
      const gas = await transferGas(f, i % 2 === 0 ? alice : bob, erin);
      expect(gas, `movement ${i}`).to.be.lessThanOrEqual(normal + SNAPSHOT_GAS_BOUND);
    }
    // The expected value of each snapshot: circulating supply before the first movement after it.
    const expected = (t: bigint) => valueBefore[movements.findIndex((m) => m > t)];
    expect(valueBefore[1]).to.not.equal(valueBefore[0]);

    // Every snapshot is exact, although most are still pending; so is the honest proposal's quorum.
    for (const t of [first, first + 299n, first + 300n, honestSnapshot, first + BigInt(SPAM) - 1n]) {
      expect(await f.token.getPastCirculatingSupply(t), `snapshot ${t}`).to.equal(expected(t));
    }
    const numerator = await f.governor["quorumNumerator()"]();
    const fraction = (expected(honestSnapshot) * numerator) / 100n;
    const floor = await f.governor.quorumFloor(honestSnapshot);
    expect(await f.governor.quorum(honestSnapshot)).to.equal(fraction > floor ? fraction : floor);

    // Anyone catches the queue up in batches; each recorded value is the exact one.
    const pending = (await f.token.pendingSnapshots()).length;
    expect(pending).to.equal(SPAM - movements.length * Number(await f.token.MAX_SNAPSHOTS_PER_MOVEMENT()));
    let recorded = 0;
    while ((await f.token.pendingSnapshots()).length > 0) {
      const tx = await f.token.connect(f.outsider).recordDueSnapshots(100n);
      const receipt = await tx.wait();
      for (const log of receipt!.logs) {
        const parsed = f.token.interface.parseLog(log);
        if (parsed?.name !== "CirculatingSnapshotRecorded") continue;
        expect(parsed.args.circulatingSupply, `recorded ${parsed.args.timepoint}`).to.equal(
          expected(parsed.args.timepoint),
        );
        recorded++;
      }
    }
    expect(recorded).to.equal(pending);
    expect(await f.governor.quorum(honestSnapshot)).to.equal(fraction > floor ? fraction : floor);
  });
});
