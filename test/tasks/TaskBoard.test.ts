import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { encodeBytes32String, id, keccak256, toUtf8Bytes, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import { CIV, taxOf } from "../helpers/fixtures.js";
import type { ProtocolFixture } from "../helpers/protocol.js";
import { deployProtocolFixture } from "../helpers/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time, loadFixture } = networkHelpers;

const HOUR = 3_600n;
const DAY = 86_400n;
const REVIEWER_ROLE = id("REVIEWER_ROLE");
const PARAMETER_ROLE = id("PARAMETER_ROLE");
/** `ITaskBoard.TaskState`, by name. */
const STATE = {
  None: 0n,
  Open: 1n,
  Taken: 2n,
  Delivered: 3n,
  Accepted: 4n,
  Rejected: 5n,
  Expired: 6n,
  Cancelled: 7n,
};
const REWARD = 200n * CIV;
const TERMS = "ipfs://terms";

/** Signs the registry's EIP-712 `AgentWalletSet` as `signer` (the new wallet). */
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
 * The protocol as deployed by Ignition, with `reviewer` (signer 16) appointed by governance (the timelock,
 * impersonated as a passed proposal would act) and `validator` (signer 17) an unregistered address.
 */
async function boardFixture() {
  const f = await deployProtocolFixture(connection);
  const signers = await ethers.getSigners();
  const [reviewer, validator, sybil, sybil2] = signers.slice(16, 20);
  const timelock = await f.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelock);
  await networkHelpers.setBalance(timelock, 10n ** 18n);
  const asTimelock = await ethers.getSigner(timelock);
  await f.taskBoard.connect(asTimelock).grantRole(REVIEWER_ROLE, reviewer.address);
  // One task may fill an agent's whole epoch allowance (the cap tests need it).
  await f.taskBoard.connect(asTimelock).setMaxTaskReward(await f.taskBoard.agentEpochCap());
  await networkHelpers.stopImpersonatingAccount(timelock);
  const board = f.taskBoard.connect(reviewer);
  /** Posts a task as the reviewer and returns its id. */
  async function post(reward = REWARD, duration = DAY, validatorAddress = ZeroAddress): Promise<bigint> {
    await board.postTask(reward, duration, validatorAddress, TERMS);
    return f.taskBoard.taskCount();
  }
  /** Binds `wallet` as agent `agentId`'s wallet (signed by `wallet`, sent by `owner`). */
  async function bindWallet(owner: HardhatEthersSigner, agentId: bigint, wallet: HardhatEthersSigner) {
    const deadline = BigInt(await time.latest()) + 60n;
    const signature = await signWalletSet(f, wallet, agentId, owner.address, deadline);
    await f.registry.connect(owner).setAgentWallet(agentId, wallet.address, deadline, signature);
  }
  return {
    ...f,
    reviewer,
    validator,
    sybil,
    sybil2,
    asTimelock,
    timelockAddress: timelock,
    board,
    post,
    bindWallet,
  };
}

/** Registers an agent from `owner` and returns its id. */
async function register(f: Pick<ProtocolFixture, "registry">, owner: HardhatEthersSigner): Promise<bigint> {
  await f.registry.connect(owner)["register()"]();
  return f.registry.totalAgents();
}

describe("TaskBoard (city tasks)", function () {
  // The first fixture deploys the whole protocol with Ignition: slow on a loaded machine.
  this.timeout(600_000);
  describe("attacks: one person with many wallets", function () {
    it("refuses the reviewer taking its own task", async function () {
      const f = await loadFixture(boardFixture);
      await register(f, f.reviewer);
      const taskId = await f.post();
      await expect(f.taskBoard.connect(f.reviewer).takeTask(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardConflictOfInterest")
        .withArgs(taskId, f.reviewer.address, f.reviewer.address);
    });

    it("refuses another wallet of the reviewer's own agent", async function () {
      const f = await loadFixture(boardFixture);
      const reviewerAgent = await register(f, f.reviewer);
      await f.bindWallet(f.reviewer, reviewerAgent, f.sybil);
      // The sybil wallet now acts for the reviewer's agent (owned by the reviewer).
      expect(await f.registry.agentIdOf(f.sybil.address)).to.equal(reviewerAgent);
      const taskId = await f.post();
      await expect(f.taskBoard.connect(f.sybil).takeTask(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardConflictOfInterest")
        .withArgs(taskId, f.sybil.address, f.reviewer.address);
    });

    it("refuses an agent whose identity the reviewer owns", async function () {
      const f = await loadFixture(boardFixture);
      await register(f, f.reviewer);
      const second = await register(f, f.reviewer);
      await f.bindWallet(f.reviewer, second, f.sybil);
      expect(await f.registry.ownerOf(second)).to.equal(f.reviewer.address);
      const taskId = await f.post();
      await expect(f.taskBoard.connect(f.sybil).takeTask(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardConflictOfInterest")
        .withArgs(taskId, f.sybil.address, f.reviewer.address);
    });

    it("refuses an agent owned by the owner of the reviewer's agent", async function () {
      const f = await loadFixture(boardFixture);
      // `bob` owns two agents: one acts through the reviewer's wallet, the other through the sybil's.
      const first = await register(f, f.bob);
      await f.bindWallet(f.bob, first, f.reviewer);
      const second = await register(f, f.bob);
      await f.bindWallet(f.bob, second, f.sybil);
      const taskId = await f.post();
      await expect(f.taskBoard.connect(f.sybil).takeTask(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardConflictOfInterest")
        .withArgs(taskId, f.sybil.address, f.reviewer.address);
    });

    it("refuses the task's validator and its agent's wallets", async function () {
      const f = await loadFixture(boardFixture);
      const validatorAgent = await register(f, f.validator);
      await f.bindWallet(f.validator, validatorAgent, f.sybil);
      const taskId = await f.post(REWARD, DAY, f.validator.address);
      await expect(f.taskBoard.connect(f.sybil).takeTask(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardConflictOfInterest")
        .withArgs(taskId, f.sybil.address, f.validator.address);
    });

    it("caps what one agent takes per epoch, by agent id, exactly at the cap", async function () {
      const f = await loadFixture(boardFixture);
      const cap = await f.taskBoard.agentEpochCap();
      // Earned CIV from two elders, so that upkeep over two weeks keeps both wallets in good standing.
      await f.token.connect(f.elders[0]).transfer(f.alice.address, 1_500n * CIV);
      await f.token.connect(f.elders[1]).transfer(f.sybil.address, 1_500n * CIV);
      await time.increaseTo((BigInt(await time.latest()) / (7n * DAY) + 1n) * 7n * DAY);
      const first = await f.post(cap - 1n);
      const second = await f.post(1n);
      const third = await f.post(1n);
      await f.taskBoard.connect(f.alice).takeTask(first);
      await f.taskBoard.connect(f.alice).takeTask(second);
      const epoch = await f.taskBoard.currentEpoch();
      expect(await f.taskBoard.takenByAgent(f.agentIds.alice, epoch)).to.equal(cap);
      await expect(f.taskBoard.connect(f.alice).takeTask(third))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardAgentCapExceeded")
        .withArgs(f.agentIds.alice, epoch, cap, 1n, cap);
      // Another wallet of the same agent counts against the same cap.
      await f.bindWallet(f.alice, f.agentIds.alice, f.sybil);
      await expect(f.taskBoard.connect(f.sybil).takeTask(third))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardAgentCapExceeded")
        .withArgs(f.agentIds.alice, epoch, cap, 1n, cap);
      // The next epoch opens a new allowance.
      await time.increaseTo((epoch + 1n) * 7n * DAY);
      await expect(f.taskBoard.connect(f.sybil).takeTask(third)).to.emit(f.taskBoard, "TaskTaken");
    });

    it("caps what the agents of one identity owner take together per epoch", async function () {
      const f = await loadFixture(boardFixture);
      const cap = await f.taskBoard.agentEpochCap();
      await time.increaseTo((BigInt(await time.latest()) / (7n * DAY) + 1n) * 7n * DAY);
      const mine = await register(f, f.outsider);
      const second = await register(f, f.outsider);
      await f.bindWallet(f.outsider, second, f.sybil);
      const big = await f.post(cap);
      const small = await f.post(1n);
      await f.taskBoard.connect(f.outsider).takeTask(big);
      const epoch = await f.taskBoard.currentEpoch();
      expect(await f.taskBoard.takenByOwner(f.outsider.address, epoch)).to.equal(cap);
      expect(await f.taskBoard.takenByAgent(second, epoch)).to.equal(0n);
      await expect(f.taskBoard.connect(f.sybil).takeTask(small))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardAgentCapExceeded")
        .withArgs(second, epoch, cap, 1n, cap);
      expect(mine).to.not.equal(second);
    });

    it("caps what one reviewer posts per epoch, exactly at the budget", async function () {
      const f = await loadFixture(boardFixture);
      const timelockBoard = f.taskBoard.connect(f.asTimelock);
      await networkHelpers.impersonateAccount(f.timelockAddress);
      await timelockBoard.setReviewerEpochBudget(300n * CIV);
      await networkHelpers.stopImpersonatingAccount(f.timelockAddress);
      await time.increaseTo((BigInt(await time.latest()) / (7n * DAY) + 1n) * 7n * DAY);
      await f.post(200n * CIV);
      await f.post(100n * CIV);
      const epoch = await f.taskBoard.currentEpoch();
      await expect(f.board.postTask(1n, DAY, ZeroAddress, TERMS))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardReviewerBudgetExceeded")
        .withArgs(f.reviewer.address, epoch, 300n * CIV, 1n, 300n * CIV);
      await time.increaseTo((epoch + 1n) * 7n * DAY);
      await expect(f.board.postTask(1n, DAY, ZeroAddress, TERMS)).to.emit(f.taskBoard, "TaskPosted");
    });

    it("stops a revoked reviewer's tasks from paying, and lets anyone cancel them", async function () {
      const f = await loadFixture(boardFixture);
      const open = await f.post();
      const delivered = await f.post();
      await f.taskBoard.connect(f.alice).takeTask(delivered);
      await f.taskBoard.connect(f.alice).deliver(delivered, "ipfs://work", ZeroHash);
      await networkHelpers.impersonateAccount(f.timelockAddress);
      await f.taskBoard.connect(f.asTimelock).revokeRole(REVIEWER_ROLE, f.reviewer.address);
      await networkHelpers.stopImpersonatingAccount(f.timelockAddress);
      await expect(f.taskBoard.connect(f.bob).takeTask(open))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardReviewerRevoked")
        .withArgs(open, f.reviewer.address);
      await expect(f.board.accept(delivered))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardReviewerRevoked")
        .withArgs(delivered, f.reviewer.address);
      await time.increase(4n * DAY);
      await expect(f.taskBoard.connect(f.alice).finalize(delivered))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardReviewerRevoked")
        .withArgs(delivered, f.reviewer.address);
      await expect(f.taskBoard.connect(f.outsider).cancel(delivered))
        .to.emit(f.taskBoard, "TaskCancelled")
        .withArgs(delivered);
      await f.taskBoard.connect(f.outsider).cancel(open);
      expect(await f.taskBoard.reserved()).to.equal(0n);
      expect(await f.taskBoard.available()).to.equal(2n * REWARD);
    });

    it("refuses a taker that is not an agent in good standing", async function () {
      const f = await loadFixture(boardFixture);
      const taskId = await f.post();
      await expect(f.taskBoard.connect(f.outsider).takeTask(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardNotInGoodStanding")
        .withArgs(f.outsider.address);
      await networkHelpers.impersonateAccount(f.timelockAddress);
      await f.registry.connect(f.asTimelock).suspend(f.agentIds.bob, "test");
      await networkHelpers.stopImpersonatingAccount(f.timelockAddress);
      await expect(f.taskBoard.connect(f.bob).takeTask(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardNotInGoodStanding")
        .withArgs(f.bob.address);
    });

    it("lets one validation pass accept one task only", async function () {
      const f = await loadFixture(boardFixture);
      const first = await f.post(REWARD, DAY, f.validator.address);
      const second = await f.post(REWARD, DAY, f.validator.address);
      const requestHash = keccak256(toUtf8Bytes("work"));
      await f.validationRegistry
        .connect(f.alice)
        .validationRequest(f.validator.address, f.agentIds.alice, "ipfs://work", requestHash);
      await f.validationRegistry.connect(f.validator).validationResponse(requestHash, 90, "", ZeroHash, "");
      for (const taskId of [first, second]) {
        await f.taskBoard.connect(f.alice).takeTask(taskId);
        await f.taskBoard.connect(f.alice).deliver(taskId, "ipfs://work", requestHash);
      }
      await expect(f.taskBoard.connect(f.outsider).acceptByValidation(first)).to.emit(
        f.taskBoard,
        "TaskAccepted",
      );
      await expect(f.taskBoard.connect(f.outsider).acceptByValidation(second))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardValidationNotPassed")
        .withArgs(second, requestHash, 90n);
    });

    it("refuses a validation by another validator, about another agent, or below the pass mark", async function () {
      const f = await loadFixture(boardFixture);
      const taskId = await f.post(REWARD, DAY, f.validator.address);
      const hashes = ["other-validator", "other-agent", "low"].map((s) => keccak256(toUtf8Bytes(s)));
      await f.validationRegistry
        .connect(f.alice)
        .validationRequest(f.sybil.address, f.agentIds.alice, "u", hashes[0]);
      await f.validationRegistry.connect(f.sybil).validationResponse(hashes[0], 100, "", ZeroHash, "");
      await f.validationRegistry
        .connect(f.bob)
        .validationRequest(f.validator.address, f.agentIds.bob, "u", hashes[1]);
      await f.validationRegistry.connect(f.validator).validationResponse(hashes[1], 100, "", ZeroHash, "");
      await f.validationRegistry
        .connect(f.alice)
        .validationRequest(f.validator.address, f.agentIds.alice, "u", hashes[2]);
      await f.validationRegistry.connect(f.validator).validationResponse(hashes[2], 49, "", ZeroHash, "");
      await f.taskBoard.connect(f.alice).takeTask(taskId);
      await f.taskBoard.connect(f.alice).deliver(taskId, "ipfs://work", hashes[0]);
      await expect(f.taskBoard.acceptByValidation(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardValidationNotPassed")
        .withArgs(taskId, hashes[0], 100n);
      // A task without a validator cannot be accepted through validation at all.
      const plain = await f.post();
      await f.taskBoard.connect(f.bob).takeTask(plain);
      await f.taskBoard.connect(f.bob).deliver(plain, "ipfs://work", hashes[1]);
      await expect(f.taskBoard.acceptByValidation(plain))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardValidationNotPassed")
        .withArgs(plain, hashes[1], 0n);
      // Below the pass mark (49 < 50), about the right agent and validator.
      const low = await f.post(REWARD, DAY, f.validator.address);
      await f.taskBoard.connect(f.carol).takeTask(low);
      await f.taskBoard.connect(f.carol).deliver(low, "ipfs://work", hashes[2]);
      await expect(f.taskBoard.acceptByValidation(low))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardValidationNotPassed")
        .withArgs(low, hashes[2], 49n);
    });
  });

  describe("life cycle", function () {
    it("funds a task from the Treasury budget, pays the reward as taxed earnings and reports reputation", async function () {
      const f = await loadFixture(boardFixture);
      const board = await f.taskBoard.getAddress();
      const budget = await f.treasury.budgetOf(board, f.token);
      const postedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(postedAt);
      const tx = f.board.postTask(REWARD, DAY, ZeroAddress, TERMS);
      const openUntil = postedAt + 30n * DAY;
      await expect(tx)
        .to.emit(f.taskBoard, "TaskPosted")
        .withArgs(1n, f.reviewer.address, ZeroAddress, REWARD, DAY, openUntil, REWARD, TERMS);
      expect(await f.treasury.budgetOf(board, f.token)).to.equal(budget - REWARD);
      expect(await f.taskBoard.reserved()).to.equal(REWARD);

      const takenAt = postedAt + 10n;
      await time.setNextBlockTimestamp(takenAt);
      await expect(f.taskBoard.connect(f.alice).takeTask(1n))
        .to.emit(f.taskBoard, "TaskTaken")
        .withArgs(1n, f.alice.address, f.agentIds.alice, takenAt + DAY, takenAt / (7n * DAY));
      await expect(f.taskBoard.connect(f.bob).takeTask(1n))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardInvalidState")
        .withArgs(1n, STATE.Taken);
      await expect(f.taskBoard.connect(f.bob).deliver(1n, "ipfs://work", ZeroHash))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardUnauthorized")
        .withArgs(1n, f.bob.address, f.alice.address);
      await f.taskBoard.connect(f.alice).deliver(1n, "ipfs://work", ZeroHash);
      await expect(f.taskBoard.connect(f.alice).accept(1n))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardUnauthorized")
        .withArgs(1n, f.alice.address, f.reviewer.address);

      const before = await f.token.balanceOf(f.alice.address);
      const score = await f.registry.scoreOf(f.agentIds.alice);
      const tax = taxOf(REWARD, await f.token.taxBps());
      await expect(f.board.accept(1n))
        .to.emit(f.taskBoard, "TaskAccepted")
        .withArgs(1n, f.alice.address, f.reviewer.address, REWARD, tax, 0n);
      expect(await f.token.balanceOf(f.alice.address)).to.equal(before + REWARD - tax);
      expect(await f.registry.scoreOf(f.agentIds.alice)).to.equal(score + 2n);
      expect(await f.taskBoard.reserved()).to.equal(0n);
      expect((await f.taskBoard.task(1n)).state).to.equal(STATE.Accepted);
      expect(await f.registry.reporterTag(board)).to.equal(encodeBytes32String("civitas.tasks"));
    });

    it("delivers up to the deadline inclusive, then lets anyone expire it with a penalty", async function () {
      const f = await loadFixture(boardFixture);
      const late = await f.post(REWARD, HOUR);
      const onTime = await f.post(REWARD, 2n * HOUR);
      await f.taskBoard.connect(f.alice).takeTask(late);
      const deadline = (await f.taskBoard.task(late)).deadline;
      await f.taskBoard.connect(f.bob).takeTask(onTime);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.taskBoard.connect(f.alice).deliver(late, "w", ZeroHash))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardDeadline")
        .withArgs(late, deadline, deadline + 1n);
      await time.setNextBlockTimestamp((await f.taskBoard.task(onTime)).deadline);
      await expect(f.taskBoard.connect(f.bob).deliver(onTime, "w", ZeroHash)).to.emit(
        f.taskBoard,
        "TaskDelivered",
      );
      const score = await f.registry.scoreOf(f.agentIds.alice);
      await expect(f.taskBoard.connect(f.outsider).expire(late))
        .to.emit(f.taskBoard, "TaskExpired")
        .withArgs(late, true);
      expect(await f.registry.scoreOf(f.agentIds.alice)).to.equal(score - 5n);
      expect(await f.taskBoard.available()).to.equal(REWARD);
    });

    it("refuses expiring a taken task at its deadline", async function () {
      const f = await loadFixture(boardFixture);
      const taskId = await f.post(REWARD, HOUR);
      await f.taskBoard.connect(f.alice).takeTask(taskId);
      const deadline = (await f.taskBoard.task(taskId)).deadline;
      await time.setNextBlockTimestamp(deadline);
      await expect(f.taskBoard.expire(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardDeadline")
        .withArgs(taskId, deadline, deadline);
    });

    it("expires an open task nobody took after the open period, without a penalty", async function () {
      const f = await loadFixture(boardFixture);
      const taskId = await f.post();
      const openUntil = (await f.taskBoard.task(taskId)).deadline;
      await time.setNextBlockTimestamp(openUntil);
      await expect(f.taskBoard.expire(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardDeadline")
        .withArgs(taskId, openUntil, openUntil);
      await time.setNextBlockTimestamp(openUntil + 1n);
      await expect(f.taskBoard.connect(f.alice).takeTask(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardDeadline")
        .withArgs(taskId, openUntil, openUntil + 1n);
      await expect(f.taskBoard.expire(taskId)).to.emit(f.taskBoard, "TaskExpired").withArgs(taskId, false);
      await expect(f.taskBoard.expire(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardInvalidState")
        .withArgs(taskId, STATE.Expired);
    });

    it("rejects in the review window with a penalty; the next task reuses the returned reward", async function () {
      const f = await loadFixture(boardFixture);
      const taskId = await f.post();
      await f.taskBoard.connect(f.alice).takeTask(taskId);
      await f.taskBoard.connect(f.alice).deliver(taskId, "w", ZeroHash);
      const score = await f.registry.scoreOf(f.agentIds.alice);
      await expect(f.board.reject(taskId, "poor work"))
        .to.emit(f.taskBoard, "TaskRejected")
        .withArgs(taskId, "poor work");
      expect(await f.registry.scoreOf(f.agentIds.alice)).to.equal(score - 5n);
      expect(await f.taskBoard.available()).to.equal(REWARD);
      const postedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(postedAt);
      await expect(f.board.postTask(REWARD + 1n, DAY, ZeroAddress, TERMS))
        .to.emit(f.taskBoard, "TaskPosted")
        .withArgs(
          taskId + 1n,
          f.reviewer.address,
          ZeroAddress,
          REWARD + 1n,
          DAY,
          postedAt + 30n * DAY,
          1n,
          TERMS,
        );
    });

    it("pays a delivery nobody reviewed after the review window, not at its end", async function () {
      const f = await loadFixture(boardFixture);
      const taskId = await f.post();
      await f.taskBoard.connect(f.alice).takeTask(taskId);
      await f.taskBoard.connect(f.alice).deliver(taskId, "w", ZeroHash);
      const reviewDeadline = (await f.taskBoard.task(taskId)).deadline;
      await time.setNextBlockTimestamp(reviewDeadline);
      await expect(f.taskBoard.finalize(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardDeadline")
        .withArgs(taskId, reviewDeadline, reviewDeadline);
      await time.setNextBlockTimestamp(reviewDeadline + 1n);
      await expect(f.board.reject(taskId, "late"))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardDeadline")
        .withArgs(taskId, reviewDeadline, reviewDeadline + 1n);
      await expect(f.taskBoard.connect(f.outsider).finalize(taskId))
        .to.emit(f.taskBoard, "TaskAccepted")
        .withArgs(
          taskId,
          f.alice.address,
          f.outsider.address,
          REWARD,
          taxOf(REWARD, await f.token.taxBps()),
          0n,
        );
    });

    it("lets only the reviewer cancel an open task, and no taken one", async function () {
      const f = await loadFixture(boardFixture);
      const taskId = await f.post();
      await expect(f.taskBoard.connect(f.alice).cancel(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardUnauthorized")
        .withArgs(taskId, f.alice.address, f.reviewer.address);
      await f.taskBoard.connect(f.alice).takeTask(taskId);
      await expect(f.board.cancel(taskId))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardInvalidState")
        .withArgs(taskId, STATE.Taken);
      const other = await f.post();
      await expect(f.board.cancel(other)).to.emit(f.taskBoard, "TaskCancelled").withArgs(other);
      await expect(f.board.cancel(99n))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardInvalidState")
        .withArgs(99n, STATE.None);
    });

    it("checks the reward and the duration at their bounds", async function () {
      const f = await loadFixture(boardFixture);
      const max = await f.taskBoard.maxTaskReward();
      await expect(f.board.postTask(0n, DAY, ZeroAddress, TERMS))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardRewardOutOfBounds")
        .withArgs(0n, max);
      await expect(f.board.postTask(max + 1n, DAY, ZeroAddress, TERMS))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardRewardOutOfBounds")
        .withArgs(max + 1n, max);
      await expect(f.board.postTask(max, HOUR - 1n, ZeroAddress, TERMS))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardDurationOutOfBounds")
        .withArgs(HOUR - 1n, HOUR, 30n * DAY);
      await expect(f.board.postTask(max, 30n * DAY + 1n, ZeroAddress, TERMS))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardDurationOutOfBounds")
        .withArgs(30n * DAY + 1n, HOUR, 30n * DAY);
      await f.board.postTask(max, HOUR, ZeroAddress, TERMS);
      await f.board.postTask(max, 30n * DAY, ZeroAddress, TERMS);
      await expect(f.taskBoard.connect(f.alice).postTask(1n, DAY, ZeroAddress, TERMS))
        .to.be.revertedWithCustomError(f.taskBoard, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, REVIEWER_ROLE);
    });

    it("posts nothing beyond the Treasury budget", async function () {
      const f = await loadFixture(boardFixture);
      const board = await f.taskBoard.getAddress();
      await networkHelpers.impersonateAccount(f.timelockAddress);
      await f.treasury.connect(f.asTimelock).setBudget(board, f.token, REWARD - 1n);
      await networkHelpers.stopImpersonatingAccount(f.timelockAddress);
      await expect(f.board.postTask(REWARD, DAY, ZeroAddress, TERMS))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryBudgetExceeded")
        .withArgs(board, await f.token.getAddress(), REWARD, REWARD - 1n);
    });
  });

  describe("governance", function () {
    it("bounds every setting, emits old and new values, and lets only the timelock set them", async function () {
      const f = await loadFixture(boardFixture);
      const cases = [
        ["setMaxTaskReward", "maxTaskReward", "MAX_TASK_REWARD_BOUND", "MaxTaskRewardUpdated"],
        ["setAgentEpochCap", "agentEpochCap", "MAX_AGENT_EPOCH_CAP", "AgentEpochCapUpdated"],
        [
          "setReviewerEpochBudget",
          "reviewerEpochBudget",
          "MAX_REVIEWER_EPOCH_BUDGET",
          "ReviewerEpochBudgetUpdated",
        ],
      ] as const;
      await networkHelpers.impersonateAccount(f.timelockAddress);
      const asGov = f.taskBoard.connect(f.asTimelock);
      for (const [setter, getter, bound, event] of cases) {
        const max = await f.taskBoard[bound]();
        const old = await f.taskBoard[getter]();
        await expect(asGov[setter](max + 1n))
          .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardSettingOutOfBounds")
          .withArgs(max + 1n, max);
        await expect(asGov[setter](max)).to.emit(f.taskBoard, event).withArgs(old, max);
        expect(await f.taskBoard[getter]()).to.equal(max);
        await expect(f.taskBoard.connect(f.alice)[setter](1n))
          .to.be.revertedWithCustomError(f.taskBoard, "AccessControlUnauthorizedAccount")
          .withArgs(f.alice.address, PARAMETER_ROLE);
      }
      await networkHelpers.stopImpersonatingAccount(f.timelockAddress);
    });

    it("returns unreserved funds to the Treasury, never reserved ones", async function () {
      const f = await loadFixture(boardFixture);
      const cancelled = await f.post();
      await f.post();
      await f.board.cancel(cancelled);
      await networkHelpers.impersonateAccount(f.timelockAddress);
      const asGov = f.taskBoard.connect(f.asTimelock);
      await expect(asGov.returnToTreasury(REWARD + 1n))
        .to.be.revertedWithCustomError(f.taskBoard, "TaskBoardInsufficientFunds")
        .withArgs(REWARD + 1n, REWARD);
      const treasuryBefore = await f.token.balanceOf(f.treasury);
      await expect(asGov.returnToTreasury(REWARD)).to.emit(f.taskBoard, "FundsReturned").withArgs(REWARD);
      expect(await f.token.balanceOf(f.treasury)).to.equal(treasuryBefore + REWARD);
      expect(await f.token.balanceOf(f.taskBoard)).to.equal(REWARD);
      await networkHelpers.stopImpersonatingAccount(f.timelockAddress);
      await expect(f.taskBoard.connect(f.reviewer).returnToTreasury(1n))
        .to.be.revertedWithCustomError(f.taskBoard, "AccessControlUnauthorizedAccount")
        .withArgs(f.reviewer.address, ZeroHash);
    });

    it("refuses zero addresses at construction", async function () {
      const f = await loadFixture(boardFixture);
      const args = [
        f.timelockAddress,
        await f.token.getAddress(),
        await f.treasury.getAddress(),
        await f.registry.getAddress(),
        await f.validationRegistry.getAddress(),
      ];
      for (let i = 0; i < args.length; i++) {
        const bad = args.map((a, j) => (j === i ? ZeroAddress : a));
        await expect(
          ethers.deployContract("TaskBoard", [...bad, REWARD, REWARD, REWARD, []]),
        ).to.be.revertedWithCustomError(f.taskBoard, "TaskBoardZeroAddress");
      }
      await expect(
        ethers.deployContract("TaskBoard", [...args, REWARD, REWARD, REWARD, [ZeroAddress]]),
      ).to.be.revertedWithCustomError(f.taskBoard, "TaskBoardZeroAddress");
    });
  });
});
