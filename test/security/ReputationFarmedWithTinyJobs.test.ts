/**
 * Security issue 20 #6: reputation farmed with 1-wei jobs. The recipe (three wallets of one person running
 * 91 jobs of 1 wei: provider +1,000, client +273, 0 CIV spent) now fails: jobs below `minJobAmount`
 * (1 CIV by default) are refused, and positive reputation is scaled by the value a job actually paid
 * (full credit at `REPUTATION_FULL_CREDIT_AMOUNT`, 2,500 CIV) and divided by the streak with the same
 * counterparty, so every point costs tax and fees. bench/reputation-ring.ts measures the whole ring
 * (0 to +500); this test checks the rule's price on one job.
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

async function fixture() {
  const f = await deployProtocolFixture(connection);
  const escrowAddr = await f.escrow.getAddress();
  for (const a of f.agents) await f.token.connect(a).approve(escrowAddr, ethers.MaxUint256);
  return f;
}
type Fx = Awaited<ReturnType<typeof fixture>>;

/** One ring job: alice pays bob `amount`, carol arbitrates; alice approves and rates bob +1. */
async function ringJob(f: Fx, amount: bigint) {
  const deadline = BigInt(await time.latest()) + 2n * DAY;
  await f.escrow.connect(f.alice).create(jobTerms(f.bob.address, f.carol.address, amount, deadline));
  const id = await f.escrow.escrowCount();
  await f.escrow.connect(f.bob).agree(id);
  await f.escrow.connect(f.carol).accept(id);
  await f.escrow.connect(f.alice).fund(id);
  await f.escrow.connect(f.bob).submit(id, "ipfs://work", ethers.ZeroHash);
  await f.escrow.connect(f.alice).approve(id);
  await f.escrow.connect(f.alice).rate(id, 1);
}

describe("Security #6: reputation farmed with tiny jobs", function () {
  it("the recipe fails: a 1-wei job is refused", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const min = await f.escrow.minJobAmount();
    expect(min).to.equal(CIV);
    const deadline = BigInt(await time.latest()) + 2n * DAY;
    for (const amount of [1n, min - 1n]) {
      await expect(
        f.escrow.connect(f.alice).create(jobTerms(f.bob.address, f.carol.address, amount, deadline)),
      )
        .to.be.revertedWithCustomError(f.escrow, "EscrowAmountTooLow")
        .withArgs(amount, min);
    }
  });

  it("twenty ring jobs at the minimum amount earn the provider and the client no point", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    for (let i = 0; i < 20; i++) await ringJob(f, CIV);
    expect(await f.registry.scoreOf(f.agentIds.bob)).to.equal(0n);
    expect(await f.registry.scoreOf(f.agentIds.alice)).to.equal(0n);
    // What bob carries: 10 x 1 CIV / (1 + streak) per job and +1 x 1 CIV / (1 + streak) per rating.
    let expected = 0n;
    for (let streak = 0n; streak < 20n; streak++)
      expected += (10n * CIV) / (streak + 1n) + CIV / (streak + 1n);
    const [remainder, counterparty, streak] = await f.escrow.reputationCreditOf(f.agentIds.bob);
    expect([remainder, counterparty, streak]).to.deep.equal([expected, f.agentIds.alice, 19n]);
  });

  it("every point a ring earns costs over 20 CIV of tax and fees: over 10,000 CIV for +500", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const full = await f.escrow.REPUTATION_FULL_CREDIT_AMOUNT();
    const treasury = await f.treasury.getAddress();
    const before = await f.token.balanceOf(treasury);
    await ringJob(f, 800n * CIV);
    const paid = (await f.token.balanceOf(treasury)) - before;
    // 1% fee on 800 CIV and 10% tax on the 792 CIV paid as earnings.
    expect(paid).to.equal(8n * CIV + (792n * CIV) / 10n);
    // Points earned, counting the credit carried: 3 reported, 0.2 + 0.32 carried.
    const score = await f.registry.scoreOf(f.agentIds.bob);
    const [remainder] = await f.escrow.reputationCreditOf(f.agentIds.bob);
    expect(score).to.equal(3n);
    const creditEarned = BigInt(score) * full + remainder;
    // Credit units (points x full): 10 + 1 per full-credit amount paid.
    expect(creditEarned).to.equal(11n * 800n * CIV);
    // cost for +500 = paid x 500 / points  >=  10,000 CIV   <=>   paid x 500 x full >= 10,000 CIV x credit.
    expect(paid * 500n * full).to.be.greaterThanOrEqual(10_000n * CIV * creditEarned);
  });
});
