/**
 * Reentrancy attempts against the escrow. The real CIV token has no receive hooks and the registry is a
 * trusted protocol contract, so neither can call back in production; these tests stand in a malicious
 * token (a hook on every transfer out of the escrow) and a malicious registry (a hook in
 * `reportReputation`) to show that every state-changing entry point is guarded anyway.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { deployEscrowOnMockRegistry } from "../helpers/escrow.ts";

const { ethers, networkHelpers } = await network.connect();
const { time } = networkHelpers;

const CIV = 10n ** 18n;
const DAY = 86_400n;

async function deployFixture() {
  const [admin, client, provider, arbitrator, treasury] = await ethers.getSigners();
  const token = await ethers.deployContract("ReentrantCivitasToken", [treasury.address]);
  const { registry, escrow, escrowAddr } = await deployEscrowOnMockRegistry(
    ethers,
    admin.address,
    await token.getAddress(),
    [client, provider, arbitrator].map((a) => a.address),
  );
  for (const a of [client, provider, arbitrator]) {
    await token.mint(a.address, 10_000n * CIV);
    await token.connect(a).approve(escrowAddr, ethers.MaxUint256);
  }
  const terms = {
    kind: 0,
    provider: provider.address,
    arbitrator: arbitrator.address,
    amount: 1_000n * CIV,
    arbitratorFee: 20n * CIV,
    deliveryDeadline: BigInt(await time.latest()) + 7n * DAY,
    reviewWindow: 3n * DAY,
    rulingWindow: 5n * DAY,
    termsHash: ethers.ZeroHash,
    termsURI: "ipfs://terms",
  };
  // Two submitted escrows: the attack settles the first and tries to re-enter on either.
  const ids: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    await escrow.connect(client).create(terms);
    const id = await escrow.escrowCount();
    await escrow.connect(provider).agree(id);
    await escrow.connect(arbitrator).accept(id);
    await escrow.connect(client).fund(id);
    await escrow.connect(provider).submit(id, "ipfs://work", ethers.ZeroHash);
    ids.push(id);
  }
  const guardError = escrow.interface.getError("ReentrancyGuardReentrantCall")!.selector;
  return { escrow, escrowAddr, token, registry, client, provider, arbitrator, terms, ids, guardError };
}

describe("Escrow reentrancy", function () {
  it("rejects a re-entry into approve from a token transfer during settlement", async function () {
    const f = await networkHelpers.loadFixture(deployFixture);
    const [a] = f.ids;
    await f.token.arm(f.escrowAddr, f.escrowAddr, f.escrow.interface.encodeFunctionData("approve", [a]));
    const tx = f.escrow.connect(f.client).approve(a);
    await expect(tx).to.emit(f.token, "ReentryAttempted").withArgs(false, f.guardError);
    await expect(tx).to.emit(f.escrow, "EscrowSettled");
    expect((await f.escrow.escrowOf(a)).state).to.equal(9n); // Completed (IEscrow.State), once
  });

  it("rejects a cross-escrow re-entry (claim, cancel) from a token transfer during settlement", async function () {
    const f = await networkHelpers.loadFixture(deployFixture);
    const [a, b] = f.ids;
    await time.increase(4n * DAY); // both review windows have passed: claim(b) would otherwise succeed
    for (const data of [
      f.escrow.interface.encodeFunctionData("claim", [b]),
      f.escrow.interface.encodeFunctionData("cancel", [b]),
    ]) {
      await f.token.arm(f.escrowAddr, f.escrowAddr, data);
      const snapshot = await networkHelpers.takeSnapshot();
      await expect(f.escrow.claim(a)).to.emit(f.token, "ReentryAttempted").withArgs(false, f.guardError);
      expect((await f.escrow.escrowOf(b)).state).to.equal(5n); // still Submitted (IEscrow.State)
      await snapshot.restore();
    }
  });

  it("keeps the books exact after rejected re-entries: the escrow holds exactly the open escrow", async function () {
    const f = await networkHelpers.loadFixture(deployFixture);
    const [a, b] = f.ids;
    await f.token.arm(f.escrowAddr, f.escrowAddr, f.escrow.interface.encodeFunctionData("approve", [b]));
    await f.escrow.connect(f.client).approve(a);
    const e = await f.escrow.escrowOf(b);
    expect(await f.token.balanceOf(f.escrowAddr)).to.equal(e.amount + e.arbitratorFee + e.bond);
  });

  it("rejects a re-entry from the registry while reputation is reported", async function () {
    const f = await networkHelpers.loadFixture(deployFixture);
    const [a, b] = f.ids;
    await time.increase(4n * DAY);
    await f.registry.setReentry(f.escrowAddr, f.escrow.interface.encodeFunctionData("claim", [b]));
    const tx = f.escrow.claim(a);
    await expect(tx).to.emit(f.registry, "ReentryAttempted").withArgs(false, f.guardError);
    expect((await f.escrow.escrowOf(b)).state).to.equal(5n); // Submitted
  });

  it("rejects a re-entry from the registry into rate during a rating", async function () {
    const f = await networkHelpers.loadFixture(deployFixture);
    const [a] = f.ids;
    await f.escrow.connect(f.client).approve(a);
    await f.registry.setReentry(f.escrowAddr, f.escrow.interface.encodeFunctionData("rate", [a, 1]));
    // A -1 rating is always reported (a +1 on a 1,000 CIV job is credit carried, below one point).
    await expect(f.escrow.connect(f.client).rate(a, -1))
      .to.emit(f.registry, "ReentryAttempted")
      .withArgs(false, f.guardError);
  });
});
