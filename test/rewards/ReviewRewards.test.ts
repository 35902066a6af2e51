import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import { CIV, taxOf } from "../helpers/fixtures.js";
import { deployProtocolFixture, type ProtocolFixture } from "../helpers/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time, loadFixture } = networkHelpers;

const DAY = 86_400n;
const REVIEWER_ROLE = ethers.id("REVIEWER_ROLE");
/** `IReviewRewards.WorkKind`, by name. */
const KIND = { Hash: 0n, EscrowJob: 1n, Task: 2n };
/** The genesis attention resource (ignition/modules/Market.ts). */
const ATTENTION = 2n;

/** The ERC-8004 signature by `signer` agreeing to become agent `agentId`'s wallet. */
async function signWalletSet(
  f: Pick<ProtocolFixture, "registry">,
  signer: HardhatEthersSigner,
  agentId: bigint,
  owner: string,
  deadline: bigint,
): Promise<string> {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = {
    name: "ERC8004IdentityRegistry",
    version: "1",
    chainId,
    verifyingContract: await f.registry.getAddress(),
  };
  const types = {
    AgentWalletSet: [
      { name: "agentId", type: "uint256" },
      { name: "newWallet", type: "address" },
      { name: "owner", type: "address" },
      { name: "deadline", type: "uint256" },
    ],
  };
  return signer.signTypedData(domain, types, { agentId, newWallet: signer.address, owner, deadline });
}

/**
 * The Protocol deployment with two reviewers appointed by the timelock (impersonated, as a passed proposal
 * would act) and every agent's market allowance in place.
 */
async function rewardsFixture() {
  const f = await deployProtocolFixture(connection);
  const signers = await ethers.getSigners();
  const [reviewer, reviewer2, fresh] = [signers[17], signers[18], signers[19]];
  const timelockAddress = await f.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelockAddress);
  await networkHelpers.setBalance(timelockAddress, 10n ** 20n);
  const asTimelock = await ethers.getSigner(timelockAddress);
  const rewards = f.reviewRewards;
  await rewards.connect(asTimelock).grantRole(REVIEWER_ROLE, reviewer.address);
  await rewards.connect(asTimelock).grantRole(REVIEWER_ROLE, reviewer2.address);
  for (const agent of f.agents) {
    await f.token.connect(agent).approve(await f.resourceMarket.getAddress(), ethers.MaxUint256);
  }
  const address = await rewards.getAddress();
  const budget = () => f.treasury.budgetOf(address, f.token);
  return { ...f, rewards, address, asTimelock, reviewer, reviewer2, fresh, budget };
}

describe("ReviewRewards (human rewards and attention, issue 17)", function () {
  before(async function () {
    this.timeout(600_000);
    await loadFixture(rewardsFixture);
  });

  describe("deployment", function () {
    it("lists attention as genesis resource 2 (non-transferable, no allowance) and funds the budget", async function () {
      const f = await loadFixture(rewardsFixture);
      const policy = await f.resourceLedger.policyOf(ATTENTION);
      expect([policy.unit, policy.allowancePerDay, policy.allowanceMax, policy.transferable]).to.deep.equal([
        "attention",
        0n,
        0n,
        false,
      ]);
      const listing = await f.resourceMarket.listingOf(ATTENTION);
      expect([listing.tickSize, listing.reservePrice, listing.listed]).to.deep.equal([CIV, 10n * CIV, true]);
      expect(await f.rewards.attentionResourceId()).to.equal(ATTENTION);
      expect(await f.budget()).to.equal(100_000n * CIV);
      expect([
        await f.rewards.rewardPerPoint(),
        await f.rewards.agentEpochCap(),
        await f.rewards.reviewerEpochCap(),
      ]).to.deep.equal([CIV, 200n * CIV, 1_000n * CIV]);
      expect(await f.token.isProtocolAccount(f.address)).to.equal(true);
      expect(await f.rewards.currentEpoch()).to.equal(await f.resourceMarket.currentEpoch());
    });

    it("refuses a transferable or unlisted attention resource", async function () {
      const f = await loadFixture(rewardsFixture);
      const factory = await ethers.getContractFactory("ReviewRewards");
      const args = (resourceId: bigint) =>
        [
          f.deployer.address,
          f.token,
          f.treasury,
          f.registry,
          f.resourceMarket,
          f.escrow,
          f.taskBoard,
          resourceId,
          { rewardPerPoint: CIV, agentEpochCap: CIV, reviewerEpochCap: CIV },
          [] as string[],
        ] as const;
      await expect(factory.deploy(...args(1n)))
        .to.be.revertedWithCustomError(factory, "ReviewRewardsInvalidAttentionResource")
        .withArgs(1n);
      await expect(factory.deploy(...args(3n)))
        .to.be.revertedWithCustomError(factory, "ReviewRewardsInvalidAttentionResource")
        .withArgs(3n);
    });
  });

  describe("reviews", function () {
    it("pays a score as taxed earnings from the Treasury budget, with the review on chain", async function () {
      const f = await loadFixture(rewardsFixture);
      const ref = ethers.id("ipfs://alice-report");
      const aliceId = f.agentIds.alice;
      const before = await f.token.balanceOf(f.alice.address);
      const epoch = await f.rewards.currentEpoch();
      const gross = 50n * CIV;
      const tax = taxOf(gross, await f.token.taxBps());
      const tx = f.rewards.connect(f.reviewer).submitReview(aliceId, KIND.Hash, ref, 50n, "ipfs://notes");
      await expect(tx)
        .to.emit(f.rewards, "ReviewSubmitted")
        .withArgs(1n, f.reviewer.address, aliceId, KIND.Hash, ref, 50n, gross, epoch, false, "ipfs://notes");
      await expect(tx).to.emit(f.rewards, "RewardPaid").withArgs(1n, f.alice.address, gross, tax, 0n);
      expect(await f.token.balanceOf(f.alice.address)).to.equal(before + gross - tax);
      expect(await f.budget()).to.equal(100_000n * CIV - gross);
      const r = await f.rewards.review(1n);
      expect([r.reviewer, r.agentId, r.score, r.kind, r.epoch, r.reward, r.ref]).to.deep.equal([
        f.reviewer.address,
        aliceId,
        50n,
        KIND.Hash,
        epoch,
        gross,
        ref,
      ]);
      expect(await f.rewards.reviewOf(KIND.Hash, ref)).to.equal(1n);
      expect(await f.rewards.paidToAgent(aliceId, epoch)).to.equal(gross);
      expect(await f.rewards.paidToOwner(f.alice.address, epoch)).to.equal(gross);
      expect(await f.rewards.awardedByReviewer(f.reviewer.address, epoch)).to.equal(gross);
    });

    it("records a score of 0 without paying; refuses a score above 100", async function () {
      const f = await loadFixture(rewardsFixture);
      const tx = f.rewards
        .connect(f.reviewer)
        .submitReview(f.agentIds.bob, KIND.Hash, ethers.id("w"), 0n, "");
      await expect(tx).to.emit(f.rewards, "ReviewSubmitted");
      await expect(tx).not.to.emit(f.rewards, "RewardPaid");
      expect(await f.budget()).to.equal(100_000n * CIV);
      await expect(
        f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Hash, ethers.id("x"), 101n, ""),
      )
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsScoreOutOfBounds")
        .withArgs(101n, 100n);
      await f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Hash, ethers.id("x"), 100n, "");
    });

    it("refuses an agent not in good standing (suspended) and an id with no agent", async function () {
      const f = await loadFixture(rewardsFixture);
      await f.registry.connect(f.asTimelock).suspend(f.agentIds.carol, "test");
      await expect(
        f.rewards.connect(f.reviewer).submitReview(f.agentIds.carol, KIND.Hash, ethers.id("w"), 1n, ""),
      )
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsNotInGoodStanding")
        .withArgs(f.agentIds.carol, f.carol.address);
      await expect(f.rewards.connect(f.reviewer).submitReview(999n, KIND.Hash, ethers.id("w"), 1n, ""))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsNotInGoodStanding")
        .withArgs(999n, ZeroAddress);
    });
  });

  describe("attacks", function () {
    it("a reviewer cannot reward its own wallet's agent", async function () {
      const f = await loadFixture(rewardsFixture);
      await f.registry.connect(f.reviewer)["register()"]();
      const own = await f.registry.agentIdOf(f.reviewer.address);
      await expect(f.rewards.connect(f.reviewer).submitReview(own, KIND.Hash, ethers.id("w"), 100n, ""))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsConflictOfInterest")
        .withArgs(f.reviewer.address, own);
      // Another reviewer may review it: the conflict is the reviewer's own.
      await f.rewards.connect(f.reviewer2).submitReview(own, KIND.Hash, ethers.id("w"), 100n, "");
    });

    it("a reviewer cannot reward an agent whose identity it owns, bound to another wallet", async function () {
      const f = await loadFixture(rewardsFixture);
      await f.registry.connect(f.reviewer)["register()"]();
      const own = await f.registry.agentIdOf(f.reviewer.address);
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(f, f.fresh, own, f.reviewer.address, deadline);
      await f.registry.connect(f.reviewer).setAgentWallet(own, f.fresh.address, deadline, signature);
      expect(await f.registry.agentIdOf(f.fresh.address)).to.equal(own);
      await expect(f.rewards.connect(f.reviewer).submitReview(own, KIND.Hash, ethers.id("w"), 100n, ""))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsConflictOfInterest")
        .withArgs(f.reviewer.address, own);
    });

    it("a reviewer acting for an agent of the owner cannot reward the owner's other agents", async function () {
      const f = await loadFixture(rewardsFixture);
      // Alice registers a second agent and binds the reviewer's wallet to it.
      await f.registry.connect(f.alice)["register()"]();
      const second = await f.registry.totalAgents();
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(f, f.reviewer, second, f.alice.address, deadline);
      await f.registry.connect(f.alice).setAgentWallet(second, f.reviewer.address, deadline, signature);
      expect(await f.registry.agentIdOf(f.reviewer.address)).to.equal(second);
      await expect(
        f.rewards.connect(f.reviewer).submitReview(f.agentIds.alice, KIND.Hash, ethers.id("w"), 1n, ""),
      )
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsConflictOfInterest")
        .withArgs(f.reviewer.address, f.agentIds.alice);
      // Bob's agent is unrelated to the reviewer.
      await f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Hash, ethers.id("w"), 1n, "");
    });

    it("one work is reviewed once, by any reviewer; a zero hash names no work", async function () {
      const f = await loadFixture(rewardsFixture);
      const ref = ethers.id("ipfs://bob-work");
      await f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Hash, ref, 10n, "");
      for (const r of [f.reviewer, f.reviewer2]) {
        await expect(f.rewards.connect(r).submitReview(f.agentIds.bob, KIND.Hash, ref, 10n, ""))
          .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsAlreadyReviewed")
          .withArgs(KIND.Hash, ref, 1n);
      }
      await expect(f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Hash, ZeroHash, 10n, ""))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsWorkNotDelivered")
        .withArgs(KIND.Hash, ZeroHash, f.agentIds.bob);
    });

    it("a task is reviewable only once Accepted, and only for its taker; an escrow id only when Completed by the agent", async function () {
      const f = await loadFixture(rewardsFixture);
      // A city task taken by bob, delivered and accepted by a TaskBoard reviewer (the timelock appoints it).
      await f.taskBoard.connect(f.asTimelock).grantRole(REVIEWER_ROLE, f.reviewer2.address);
      await f.taskBoard.connect(f.reviewer2).postTask(10n * CIV, DAY, ZeroAddress, "ipfs://task");
      await f.taskBoard.connect(f.bob).takeTask(1n);
      await f.taskBoard.connect(f.bob).deliver(1n, "ipfs://done", ZeroHash);
      const task = ethers.toBeHex(1n, 32);
      await expect(f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Task, task, 10n, ""))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsWorkNotDelivered")
        .withArgs(KIND.Task, task, f.agentIds.bob);
      await f.taskBoard.connect(f.reviewer2).accept(1n);
      await expect(f.rewards.connect(f.reviewer).submitReview(f.agentIds.carol, KIND.Task, task, 10n, ""))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsWorkNotDelivered")
        .withArgs(KIND.Task, task, f.agentIds.carol);
      await expect(
        f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Task, task, 10n, ""),
      ).to.emit(f.rewards, "RewardPaid");
      // No escrow 1 exists: its job is not Completed.
      await expect(f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.EscrowJob, task, 10n, ""))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsWorkNotDelivered")
        .withArgs(KIND.EscrowJob, task, f.agentIds.bob);
    });

    it("a removed reviewer can no longer review", async function () {
      const f = await loadFixture(rewardsFixture);
      await f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Hash, ethers.id("a"), 1n, "");
      await f.rewards.connect(f.asTimelock).revokeRole(REVIEWER_ROLE, f.reviewer.address);
      await expect(
        f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Hash, ethers.id("b"), 1n, ""),
      )
        .to.be.revertedWithCustomError(f.rewards, "AccessControlUnauthorizedAccount")
        .withArgs(f.reviewer.address, REVIEWER_ROLE);
    });

    it("caps each agent, and one owner's agents together, per epoch, exactly at the cap", async function () {
      const f = await loadFixture(rewardsFixture);
      const aliceId = f.agentIds.alice;
      const epoch = await f.rewards.currentEpoch();
      await f.rewards.connect(f.reviewer).submitReview(aliceId, KIND.Hash, ethers.id("1"), 100n, "");
      await f.rewards.connect(f.reviewer2).submitReview(aliceId, KIND.Hash, ethers.id("2"), 100n, "");
      expect(await f.rewards.paidToAgent(aliceId, epoch)).to.equal(200n * CIV);
      await expect(f.rewards.connect(f.reviewer).submitReview(aliceId, KIND.Hash, ethers.id("3"), 1n, ""))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsAgentCapExceeded")
        .withArgs(aliceId, epoch, 200n * CIV, CIV, 200n * CIV);
      // A second agent of the same owner shares the cap.
      await f.registry.connect(f.alice)["register()"]();
      const second = await f.registry.totalAgents();
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(f, f.fresh, second, f.alice.address, deadline);
      await f.registry.connect(f.alice).setAgentWallet(second, f.fresh.address, deadline, signature);
      await expect(f.rewards.connect(f.reviewer).submitReview(second, KIND.Hash, ethers.id("4"), 1n, ""))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsAgentCapExceeded")
        .withArgs(second, epoch, 200n * CIV, CIV, 200n * CIV);
      // A score of 0 still records (it pays nothing).
      await f.rewards.connect(f.reviewer).submitReview(aliceId, KIND.Hash, ethers.id("5"), 0n, "");
      // The next epoch opens a fresh cap.
      await time.increaseTo(await f.resourceMarket.epochEnd(epoch));
      await f.rewards.connect(f.reviewer).submitReview(aliceId, KIND.Hash, ethers.id("3"), 100n, "");
    });

    it("caps each reviewer per epoch, exactly at the cap", async function () {
      const f = await loadFixture(rewardsFixture);
      await f.rewards.connect(f.asTimelock).setReviewerEpochCap(300n * CIV);
      const epoch = await f.rewards.currentEpoch();
      for (const name of ["alice", "bob", "carol"] as const) {
        await f.rewards
          .connect(f.reviewer)
          .submitReview(f.agentIds[name], KIND.Hash, ethers.id(name), 100n, "");
      }
      await expect(
        f.rewards.connect(f.reviewer).submitReview(f.agentIds.dave, KIND.Hash, ethers.id("d"), 1n, ""),
      )
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsReviewerCapExceeded")
        .withArgs(f.reviewer.address, epoch, 300n * CIV, CIV, 300n * CIV);
      // The other reviewer has its own cap.
      await f.rewards.connect(f.reviewer2).submitReview(f.agentIds.dave, KIND.Hash, ethers.id("d"), 1n, "");
    });

    it("an exhausted budget fails clearly and loses nothing; exactly the budget pays", async function () {
      const f = await loadFixture(rewardsFixture);
      await f.treasury.connect(f.asTimelock).setBudget(f.address, f.token, 30n * CIV);
      const before = await f.token.balanceOf(f.erin.address);
      await expect(
        f.rewards.connect(f.reviewer).submitReview(f.agentIds.erin, KIND.Hash, ethers.id("e"), 31n, ""),
      )
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsBudgetExhausted")
        .withArgs(31n * CIV, 30n * CIV);
      const epoch = await f.rewards.currentEpoch();
      expect(await f.rewards.reviewCount()).to.equal(0n);
      expect(await f.rewards.reviewOf(KIND.Hash, ethers.id("e"))).to.equal(0n);
      expect(await f.rewards.paidToAgent(f.agentIds.erin, epoch)).to.equal(0n);
      expect(await f.rewards.awardedByReviewer(f.reviewer.address, epoch)).to.equal(0n);
      expect(await f.token.balanceOf(f.erin.address)).to.equal(before);
      expect(await f.budget()).to.equal(30n * CIV);
      await f.rewards.connect(f.reviewer).submitReview(f.agentIds.erin, KIND.Hash, ethers.id("e"), 30n, "");
      expect(await f.budget()).to.equal(0n);
    });
  });

  describe("settings", function () {
    it("governance sets each bounded setting, with old and new values", async function () {
      const f = await loadFixture(rewardsFixture);
      const r = f.rewards.connect(f.asTimelock);
      await expect(r.setRewardPerPoint(100n * CIV))
        .to.emit(r, "RewardPerPointUpdated")
        .withArgs(CIV, 100n * CIV);
      await expect(r.setAgentEpochCap(10_000n * CIV))
        .to.emit(r, "AgentEpochCapUpdated")
        .withArgs(200n * CIV, 10_000n * CIV);
      await expect(r.setReviewerEpochCap(100_000n * CIV))
        .to.emit(r, "ReviewerEpochCapUpdated")
        .withArgs(1_000n * CIV, 100_000n * CIV);
      for (const [call, max] of [
        [() => r.setRewardPerPoint(100n * CIV + 1n), 100n * CIV],
        [() => r.setAgentEpochCap(10_000n * CIV + 1n), 10_000n * CIV],
        [() => r.setReviewerEpochCap(100_000n * CIV + 1n), 100_000n * CIV],
      ] as const) {
        await expect(call())
          .to.be.revertedWithCustomError(r, "ReviewRewardsSettingOutOfBounds")
          .withArgs(max + 1n, max);
      }
    });
  });

  describe("attention", function () {
    it("sells one unit per epoch; the winner is recorded and flagged in the next epoch's reviews", async function () {
      const f = await loadFixture(rewardsFixture);
      const market = f.resourceMarket;
      const epoch = await market.currentEpoch();
      const tx = f.rewards.connect(f.outsider).offerAttention(epoch);
      await expect(tx).to.emit(f.rewards, "AttentionDeskRegistered");
      await expect(tx).to.emit(f.rewards, "AttentionOffered").withArgs(epoch, 1n);
      const desk = await f.rewards.deskAgentId();
      expect(await f.registry.agentIdOf(f.address)).to.equal(desk);
      await expect(tx)
        .to.emit(market, "Offered")
        .withArgs(1n, ATTENTION, epoch, f.address, await f.treasury.getAddress(), 1n, 1n);
      await expect(f.rewards.offerAttention(epoch))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsAttentionAlreadyOffered")
        .withArgs(epoch, 1n);

      await market.connect(f.alice).bid(ATTENTION, epoch, 20n, 1n); // bid 1: 20 CIV
      await market.connect(f.bob).bid(ATTENTION, epoch, 15n, 1n); // bid 2: 15 CIV
      await expect(f.rewards.recordAttentionWinner(1n))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsNotAttentionWinner")
        .withArgs(1n);
      await time.increaseTo(await market.epochEnd(epoch));
      await market.claimBid(1n);
      await market.claimBid(2n);
      expect(await f.resourceLedger.balanceOf(f.alice.address, ATTENTION)).to.equal(1n);
      expect(await f.resourceLedger.balanceOf(f.bob.address, ATTENTION)).to.equal(0n);
      await expect(
        f.resourceLedger
          .connect(f.alice)
          .safeTransferFrom(f.alice.address, f.bob.address, ATTENTION, 1n, "0x"),
      )
        .to.be.revertedWithCustomError(f.resourceLedger, "LedgerNotTransferable")
        .withArgs(ATTENTION);
      // The sale is paid to the Treasury (fee and the rest, untaxed: a protocol account).
      const treasuryBefore = await f.token.balanceOf(await f.treasury.getAddress());
      await market.claimOffer(1n);
      expect(await f.token.balanceOf(await f.treasury.getAddress())).to.equal(treasuryBefore + 20n * CIV);

      await expect(f.rewards.recordAttentionWinner(2n))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsNotAttentionWinner")
        .withArgs(2n);
      await expect(f.rewards.recordAttentionWinner(1n))
        .to.emit(f.rewards, "AttentionWinnerRecorded")
        .withArgs(epoch, 1n, f.alice.address, f.agentIds.alice, 20n * CIV);
      await expect(f.rewards.recordAttentionWinner(1n))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsWinnerAlreadyRecorded")
        .withArgs(epoch, f.alice.address);
      expect(await f.rewards.attentionWinner(epoch)).to.deep.equal([f.alice.address, f.agentIds.alice]);

      // Next epoch: reviews of the winner's work are flagged.
      await expect(
        f.rewards.connect(f.reviewer).submitReview(f.agentIds.alice, KIND.Hash, ethers.id("a"), 1n, ""),
      )
        .to.emit(f.rewards, "ReviewSubmitted")
        .withArgs(
          1n,
          f.reviewer.address,
          f.agentIds.alice,
          KIND.Hash,
          ethers.id("a"),
          1n,
          CIV,
          epoch + 1n,
          true,
          "",
        );
      await expect(
        f.rewards.connect(f.reviewer).submitReview(f.agentIds.bob, KIND.Hash, ethers.id("b"), 1n, ""),
      )
        .to.emit(f.rewards, "ReviewSubmitted")
        .withArgs(
          2n,
          f.reviewer.address,
          f.agentIds.bob,
          KIND.Hash,
          ethers.id("b"),
          1n,
          CIV,
          epoch + 1n,
          false,
          "",
        );
    });

    it("an epoch without bids clears as cancelled and records no winner", async function () {
      const f = await loadFixture(rewardsFixture);
      const epoch = await f.resourceMarket.currentEpoch();
      await f.rewards.offerAttention(epoch);
      await time.increaseTo(await f.resourceMarket.epochEnd(epoch));
      await f.resourceMarket.claimOffer(1n);
      expect(await f.rewards.attentionWinner(epoch)).to.deep.equal([ZeroAddress, 0n]);
      // A gpu-second bid is not attention.
      const next = epoch + 1n;
      await f.resourceMarket.connect(f.alice).bid(1n, next, 20n, 1n);
      await f.resourceMarket.connect(f.bob).offer(1n, next, 1n, f.bob.address);
      await time.increaseTo(await f.resourceMarket.epochEnd(next));
      await f.resourceMarket.claimBid(1n);
      await expect(f.rewards.recordAttentionWinner(1n))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsNotAttentionWinner")
        .withArgs(1n);
    });

    it("pays the desk's upkeep from its balance, then from the budget, and settles a debt a griefer caused", async function () {
      const f = await loadFixture(rewardsFixture);
      const upkeep = await f.registry.upkeepPerDay();
      const start = await f.resourceMarket.currentEpoch();
      await f.rewards.offerAttention(start);
      const desk = await f.rewards.deskAgentId();
      const grant = await f.token.balanceOf(f.address);
      expect(grant).to.equal(await f.registry.birthGrant());
      // Three days later: the upkeep comes from the birth grant.
      await time.increase(3n * DAY);
      await expect(f.rewards.offerAttention(start + 3n))
        .to.emit(f.rewards, "AttentionUpkeepPaid")
        .withArgs(desk, 3n * upkeep, 0n);
      expect(await f.token.balanceOf(f.address)).to.equal(grant - 3n * upkeep);
      // A griefer collects upkeep the desk cannot pay: it starves with a debt.
      await time.increase(10n * DAY);
      await f.registry.connect(f.outsider)["collectUpkeep(uint256)"](desk);
      const debt = await f.registry.debtOf(desk);
      expect(debt).to.equal(10n * upkeep - (grant - 3n * upkeep));
      const budget = await f.budget();
      await expect(f.rewards.offerAttention(start + 13n))
        .to.emit(f.rewards, "AttentionUpkeepPaid")
        .withArgs(desk, debt, debt);
      expect(await f.budget()).to.equal(budget - debt);
      expect(await f.registry.isInGoodStanding(f.address)).to.equal(true);
    });

    it("an upkeep the budget cannot pay fails clearly; nothing is offered", async function () {
      const f = await loadFixture(rewardsFixture);
      const start = await f.resourceMarket.currentEpoch();
      await f.rewards.offerAttention(start);
      await f.treasury.connect(f.asTimelock).setBudget(f.address, f.token, 0n);
      const upkeep = await f.registry.upkeepPerDay();
      const balance = await f.token.balanceOf(f.address);
      await time.increase(20n * DAY);
      await expect(f.rewards.offerAttention(start + 20n))
        .to.be.revertedWithCustomError(f.rewards, "ReviewRewardsBudgetExhausted")
        .withArgs(20n * upkeep - balance, 0n);
      expect(await f.rewards.attentionOffer(start + 20n)).to.equal(0n);
    });
  });
});
