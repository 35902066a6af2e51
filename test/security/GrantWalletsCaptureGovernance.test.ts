/**
 * Issue 20, attack 1 (critical): five birth-grant wallets pass any proposal and empty the Treasury.
 *
 * Recipe (on main before the fix): N fresh wallets call `register()` (1,000 CIV grant each, gas only),
 * `delegate()` to one of them, which proposes `treasury.transfer(CIV, attacker, balance)`; nobody votes
 * against; after the timelock the Treasury is empty. Here, on the real Protocol deployment, the recipe fails
 * at every step: grants carry no votes (liquid or staked), so the proposer is below the threshold and the
 * grants add nothing to a vote; a drain that honest votes did pass is bounded by the outflow window; and
 * the guardian can veto it while queued. See docs/security.md, section 1.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import { CIV } from "../helpers/fixtures.js";
import { action, execute, ProposalState, propose, toProposal, VoteType } from "../helpers/governance.js";
import { deployProtocolFixture, type ProtocolFixture } from "../helpers/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const GRANT = 1_000n * CIV;
const THRESHOLD = 500n * CIV;

async function protocolFixture() {
  return deployProtocolFixture(connection);
}

/**
 * The recipe's first half: `n` fresh wallets (with ETH for gas) register, receiving the birth grant, and
 * delegate their token votes to the first of them.
 */
async function registerGrantWallets(f: ProtocolFixture, n: number): Promise<HardhatEthersSigner[]> {
  const wallets: HardhatEthersSigner[] = [];
  for (let i = 0; i < n; i++) {
    const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
    await networkHelpers.setBalance(wallet.address, 10n ** 18n);
    wallets.push(wallet as unknown as HardhatEthersSigner);
  }
  for (const wallet of wallets) {
    await f.registry.connect(wallet)["register()"]();
    await f.token.connect(wallet).delegate(wallets[0].address);
  }
  await networkHelpers.mine();
  return wallets;
}

/** The drain: every CIV the Treasury holds, to `to`. */
async function drainProposal(f: ProtocolFixture, to: string, description: string) {
  const balance = await f.token.balanceOf(await f.treasury.getAddress());
  return toProposal(
    [await action(f.treasury, "transfer", [await f.token.getAddress(), to, balance])],
    description,
  );
}

describe("security 1: birth-grant wallets capture governance", function () {
  this.timeout(300_000);

  for (const n of [5, 50]) {
    describe(`${n} fresh wallets`, function () {
      it("hold their grants but no votes, so their proposer is below the threshold", async function () {
        const f = await networkHelpers.loadFixture(protocolFixture);
        const wallets = await registerGrantWallets(f, n);
        const proposer = wallets[0];
        for (const wallet of wallets) expect(await f.token.balanceOf(wallet.address)).to.equal(GRANT);
        // Before the fix: n * 1,000 CIV of votes; now none.
        expect(await f.token.getVotes(proposer.address)).to.equal(0n);
        const now = BigInt(await time.latest());
        expect(await f.governor.getVotes(proposer.address, now - 1n)).to.equal(0n);
        await expect(propose(f.governor, proposer, await drainProposal(f, proposer.address, `Drain (${n})`)))
          .to.be.revertedWithCustomError(f.governor, "GovernorInsufficientProposerVotes")
          .withArgs(proposer.address, 0n, THRESHOLD);
      });

      it("add nothing to a drain an accomplice proposes, which is defeated though nobody opposes it", async function () {
        const f = await networkHelpers.loadFixture(protocolFixture);
        const wallets = await registerGrantWallets(f, n);
        // Every wallet votes with its own grant: no delegation at all this time.
        for (const wallet of wallets) await f.token.connect(wallet).delegate(wallet.address);
        // An accomplice holding earned votes (alice, with one elder's delegation) proposes the drain.
        const accomplice = f.alice;
        const proposal = await drainProposal(f, wallets[0].address, `Drain by an accomplice (${n})`);
        const proposalId = await propose(f.governor, accomplice, proposal);
        await time.increaseTo((await f.governor.proposalSnapshot(proposalId)) + 1n);
        for (const wallet of wallets) await f.governor.connect(wallet).castVote(proposalId, VoteType.For);
        await f.governor.connect(accomplice).castVote(proposalId, VoteType.For);
        await time.increaseTo((await f.governor.proposalDeadline(proposalId)) + 1n);

        const [against, forVotes] = await f.governor.proposalVotes(proposalId);
        expect(against).to.equal(0n);
        // Only the accomplice's earned votes count; the grants count for nothing.
        expect(forVotes).to.equal(
          await f.token.getPastVotes(accomplice.address, await f.governor.proposalSnapshot(proposalId)),
        );
        expect(forVotes).to.be.lessThan(
          await f.governor.quorum(await f.governor.proposalSnapshot(proposalId)),
        );
        expect(await f.governor.state(proposalId)).to.equal(ProposalState.Defeated);
      });
    });
  }

  it("gives no stake votes for staked grants either", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const wallets = await registerGrantWallets(f, 5);
    const stakingAddress = await f.staking.getAddress();
    const [validator, ...delegators] = wallets;
    await f.token.connect(validator).approve(stakingAddress, GRANT);
    await f.staking.connect(validator).registerValidator(0n, GRANT);
    for (const wallet of delegators) {
      await f.token.connect(wallet).approve(stakingAddress, GRANT);
      await f.staking.connect(wallet).delegateStake(validator.address, GRANT);
    }
    await networkHelpers.mine();
    const now = BigInt(await time.latest());
    for (const wallet of wallets) {
      expect(await f.staking.getPastVotes(wallet.address, now - 1n)).to.equal(GRANT);
      expect(await f.token.getPastUnearnedStake(wallet.address, now - 1n)).to.equal(GRANT);
      expect(await f.governor.getVotes(wallet.address, now - 1n)).to.equal(0n);
    }
  });

  it("cannot empty the Treasury even when a drain passes: at most 10% per 30 days leaves", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const treasuryAddress = await f.treasury.getAddress();
    const balance = await f.token.balanceOf(treasuryAddress);
    const { proposal } = await f.pass(
      [await action(f.treasury, "transfer", [await f.token.getAddress(), f.outsider.address, balance])],
      "A captured governance drains the Treasury",
      { until: "queue" },
    );
    const available = await f.treasury.outflowAvailable(f.token);
    // The genesis reward epoch and the birth grants already count in the window.
    const paid = await f.treasury.outflowInWindow(f.token);
    expect(available).to.equal(((balance + paid) * 1_000n) / 10_000n - paid);
    await expect(execute(f.governor, proposal))
      .to.be.revertedWithCustomError(f.treasury, "TreasuryOutflowExceeded")
      .withArgs(await f.token.getAddress(), balance, available);
  });

  it("lets the guardian veto a queued drain, visibly, and do nothing else", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const amount = 1_000n * CIV;
    const { proposal, proposalId } = await f.pass(
      [await action(f.treasury, "transfer", [await f.token.getAddress(), f.outsider.address, amount])],
      "A small drain the guardian vetoes",
      { until: "queue" },
    );
    // GovernorTimelockControl's salt: the governor's address (left-aligned) xor the description hash.
    const salt = ethers.toBeHex(
      (BigInt(await f.governor.getAddress()) << 96n) ^ BigInt(proposal.descriptionHash),
      32,
    );
    const operationId = await f.timelock.hashOperationBatch(
      proposal.targets,
      proposal.values,
      proposal.calldatas,
      ethers.ZeroHash,
      salt,
    );
    expect(await f.timelock.isOperationPending(operationId)).to.equal(true);
    // The guardian can neither schedule nor execute.
    const PROPOSER_ROLE = await f.timelock.PROPOSER_ROLE();
    await expect(
      f.timelock
        .connect(f.guardian)
        .schedule(proposal.targets[0], 0n, proposal.calldatas[0], ethers.ZeroHash, ethers.ZeroHash, 86_400n),
    )
      .to.be.revertedWithCustomError(f.timelock, "AccessControlUnauthorizedAccount")
      .withArgs(f.guardian.address, PROPOSER_ROLE);
    await expect(f.timelock.connect(f.guardian).cancel(operationId))
      .to.emit(f.timelock, "Cancelled")
      .withArgs(operationId);
    expect(await f.governor.state(proposalId)).to.equal(ProposalState.Canceled);
    await time.increase(3n * 86_400n);
    await expect(execute(f.governor, proposal)).to.be.revertedWithCustomError(
      f.governor,
      "GovernorUnexpectedProposalState",
    );
  });
});
