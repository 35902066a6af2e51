/**
 * Security issue 20 #5: a job forced on any agent to wreck its reputation at zero cost. The recipe (a
 * client and an arbitrator create, accept and fund a job naming a victim in the delivery deadline's
 * block; the victim can neither submit nor cancel and takes -15 per job) now fails: the provider consents
 * explicitly (`agree`) before the arbitrator may accept or the client fund, and funding must leave the
 * provider at least `minDeliveryWindow` (1 day by default) before the deadline.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { ESCROW_STATE as S, jobTerms, stateBitmap } from "../helpers/escrow.ts";
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

describe("Security #5: a job forced on an agent to wreck its reputation", function () {
  it("the recipe fails: without the victim's consent the accomplice cannot accept, nor the client fund", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    // alice (client) and carol (arbitrator) name bob, who never agreed.
    const deadline = BigInt(await time.latest()) + DAY + 10n;
    await f.escrow.connect(f.alice).create(jobTerms(f.bob.address, f.carol.address, 100n * CIV, deadline));
    const id = await f.escrow.escrowCount();
    await time.setNextBlockTimestamp(deadline);
    await expect(f.escrow.connect(f.carol).accept(id))
      .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
      .withArgs(id, S.Created, stateBitmap(S.Agreed));
    await expect(f.escrow.connect(f.alice).fund(id))
      .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
      .withArgs(id, S.Created, stateBitmap(S.Accepted));
    // The deadline passes: nothing can be reclaimed, anyone cancels, and bob's score is untouched.
    await time.increaseTo(deadline + 1n);
    await expect(f.escrow.connect(f.alice).reclaim(id))
      .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
      .withArgs(id, S.Created, stateBitmap(S.Funded));
    await expect(f.escrow.connect(f.carol).cancel(id)).to.emit(f.escrow, "EscrowCancelled");
    expect(await f.registry.scoreOf(f.agentIds.bob)).to.equal(0n);
  });

  it("a job the provider agreed to cannot be funded in the deadline's block: at least one day is left", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    expect(await f.escrow.minDeliveryWindow()).to.equal(DAY);
    const deadline = BigInt(await time.latest()) + 3n * DAY;
    await f.escrow.connect(f.alice).create(jobTerms(f.bob.address, f.carol.address, 100n * CIV, deadline));
    const id = await f.escrow.escrowCount();
    await f.escrow.connect(f.bob).agree(id);
    await f.escrow.connect(f.carol).accept(id);
    // The attacker waits for the deadline's block: refused.
    await time.setNextBlockTimestamp(deadline);
    await expect(f.escrow.connect(f.alice).fund(id))
      .to.be.revertedWithCustomError(f.escrow, "EscrowDeliveryWindowTooShort")
      .withArgs(id, deadline, deadline + DAY);
    // One second inside the window: refused; exactly one day before the deadline: funded.
    await time.setNextBlockTimestamp(deadline - DAY + 1n);
    await expect(f.escrow.connect(f.alice).fund(id))
      .to.be.revertedWithCustomError(f.escrow, "EscrowDeliveryWindowTooShort")
      .withArgs(id, deadline, deadline + 1n);
    await expect(f.escrow.connect(f.alice).fund(id)).to.be.revertedWithCustomError(
      f.escrow,
      "EscrowDeliveryWindowTooShort",
    );
  });

  it("funded exactly at the window's edge, the provider has the whole day and delivers", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const deadline = BigInt(await time.latest()) + 3n * DAY;
    await f.escrow.connect(f.alice).create(jobTerms(f.bob.address, f.carol.address, 100n * CIV, deadline));
    const id = await f.escrow.escrowCount();
    await f.escrow.connect(f.bob).agree(id);
    await f.escrow.connect(f.carol).accept(id);
    await time.setNextBlockTimestamp(deadline - DAY);
    await expect(f.escrow.connect(f.alice).fund(id)).to.emit(f.escrow, "EscrowFunded");
    await time.setNextBlockTimestamp(deadline);
    await expect(f.escrow.connect(f.bob).submit(id, "ipfs://work", ethers.ZeroHash)).to.emit(
      f.escrow,
      "DeliverableSubmitted",
    );
  });

  it("a job cannot even be created with less than the minimum delivery window", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const at = BigInt(await time.latest()) + 5n;
    await time.setNextBlockTimestamp(at);
    await expect(
      f.escrow.connect(f.alice).create(jobTerms(f.bob.address, f.carol.address, 100n * CIV, at + DAY - 1n)),
    )
      .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidDeadline")
      .withArgs(at + DAY - 1n, at + DAY, at + 365n * DAY);
  });
});
