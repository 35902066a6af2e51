/**
 * Unit tests of the safeguards added for issue 20 (attacks 1 and 2), on the real Protocol deployment: the
 * timelock's guardian, the Governor's quorum floor, and the token's unearned CIV and bounded snapshots.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { CIV } from "../helpers/fixtures.js";
import { action, execute, ProposalState, propose, toProposal } from "../helpers/governance.js";
import { deployProtocolFixture, type ProtocolFixture } from "../helpers/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const DAY = 86_400n;
const GRANT = 1_000n * CIV;

async function protocolFixture() {
  return deployProtocolFixture(connection);
}

/** Runs `fn` as the timelock (what an executed proposal does). */
async function asTimelock<T>(
  f: ProtocolFixture,
  fn: (signer: Awaited<ReturnType<typeof ethers.getSigner>>) => Promise<T>,
) {
  const address = await f.timelock.getAddress();
  await networkHelpers.impersonateAccount(address);
  await networkHelpers.setBalance(address, 10n ** 18n);
  try {
    return await fn(await ethers.getSigner(address));
  } finally {
    await networkHelpers.stopImpersonatingAccount(address);
  }
}

describe("governance safeguards", function () {
  describe("timelock guardian", function () {
    it("is the deploy's named account, holding the canceller role only", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      expect(await f.timelock.guardian()).to.equal(f.guardian.address);
      expect(await f.timelock.hasRole(await f.timelock.CANCELLER_ROLE(), f.guardian.address)).to.equal(true);
      for (const role of ["PROPOSER_ROLE", "EXECUTOR_ROLE", "DEFAULT_ADMIN_ROLE"] as const) {
        expect(await f.timelock.hasRole(await f.timelock[role](), f.guardian.address), role).to.equal(false);
      }
    });

    it("is replaced by governance only, moving the canceller role, with an event", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      await expect(f.timelock.connect(f.guardian).setGuardian(f.outsider.address))
        .to.be.revertedWithCustomError(f.timelock, "TimelockUnauthorizedCaller")
        .withArgs(f.guardian.address);
      const { executeTx } = await f.pass(
        [await action(f.timelock, "setGuardian", [f.outsider.address])],
        "Replace the guardian",
      );
      await expect(executeTx)
        .to.emit(f.timelock, "GuardianChanged")
        .withArgs(f.guardian.address, f.outsider.address);
      const CANCELLER_ROLE = await f.timelock.CANCELLER_ROLE();
      expect(await f.timelock.guardian()).to.equal(f.outsider.address);
      expect(await f.timelock.hasRole(CANCELLER_ROLE, f.outsider.address)).to.equal(true);
      expect(await f.timelock.hasRole(CANCELLER_ROLE, f.guardian.address)).to.equal(false);
    });

    it("refuses a guardian that holds another timelock role, and allows none", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const governor = await f.governor.getAddress();
      await asTimelock(f, async (timelock) => {
        await expect(f.timelock.connect(timelock).setGuardian(governor))
          .to.be.revertedWithCustomError(f.timelock, "CivitasTimelockInvalidGuardian")
          .withArgs(governor);
        await expect(f.timelock.connect(timelock).setGuardian(ethers.ZeroAddress))
          .to.emit(f.timelock, "GuardianChanged")
          .withArgs(f.guardian.address, ethers.ZeroAddress);
      });
      expect(await f.timelock.hasRole(await f.timelock.CANCELLER_ROLE(), f.guardian.address)).to.equal(false);
    });

    it("cannot cancel once the operation is done, nor can an outsider cancel", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const { proposal } = await f.pass([await action(f.token, "setTaxBps", [900n])], "Tax 900", {
        until: "queue",
      });
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
      await expect(f.timelock.connect(f.outsider).cancel(operationId))
        .to.be.revertedWithCustomError(f.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(f.outsider.address, await f.timelock.CANCELLER_ROLE());
      await execute(f.governor, proposal);
      await expect(f.timelock.connect(f.guardian).cancel(operationId)).to.be.revertedWithCustomError(
        f.timelock,
        "TimelockUnexpectedOperationState",
      );
    });
  });

  describe("quorum floor", function () {
    it("starts at the deploy's 4,000 CIV, and quorum is the larger of floor and fraction", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const now = BigInt(await time.latest());
      expect(await f.governor.quorumFloor(now)).to.equal(4_000n * CIV);
      expect(await f.governor.MIN_QUORUM_FLOOR()).to.equal(1_000n * CIV);
      expect(await f.governor.MAX_QUORUM_FLOOR()).to.equal(1_000_000n * CIV);
      const id = await propose(
        f.governor,
        f.alice,
        toProposal([await action(f.token, "setTaxBps", [900n])], "q"),
      );
      const snapshot = await f.governor.proposalSnapshot(id);
      await time.increaseTo(snapshot + 1n);
      const fraction = ((await f.token.getPastCirculatingSupply(snapshot)) * 4n) / 100n;
      expect(await f.governor.quorum(snapshot)).to.equal(fraction > 4_000n * CIV ? fraction : 4_000n * CIV);
    });

    it("is set by governance within its bounds, inclusive, and applies to later snapshots only", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      await expect(f.governor.connect(f.alice).setQuorumFloor(5_000n * CIV))
        .to.be.revertedWithCustomError(f.governor, "GovernorOnlyExecutor")
        .withArgs(f.alice.address);
      const before = BigInt(await time.latest());
      const { executeTx } = await f.pass(
        [await action(f.governor, "setQuorumFloor", [1_000_000n * CIV])],
        "The highest floor",
      );
      await expect(executeTx)
        .to.emit(f.governor, "QuorumFloorUpdated")
        .withArgs(4_000n * CIV, 1_000_000n * CIV);
      expect(await f.governor.quorumFloor(before)).to.equal(4_000n * CIV);
      expect(await f.governor.quorumFloor(BigInt(await time.latest()))).to.equal(1_000_000n * CIV);
    });

    it("refuses a floor outside its bounds by one wei, with the bounds", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      for (const floor of [1_000n * CIV - 1n, 1_000_000n * CIV + 1n]) {
        const { proposal } = await f.pass(
          [await action(f.governor, "setQuorumFloor", [floor])],
          `Floor ${floor}`,
          {
            until: "queue",
          },
        );
        await expect(execute(f.governor, proposal))
          .to.be.revertedWithCustomError(f.governor, "CivitasGovernorQuorumFloorOutOfBounds")
          .withArgs(floor, 1_000n * CIV, 1_000_000n * CIV);
      }
    });
  });

  describe("unearned CIV", function () {
    it("marks a birth grant unearned: a balance without votes", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      expect(await f.token.balanceOf(f.alice.address)).to.equal(GRANT);
      expect(await f.token.unearnedOf(f.alice.address)).to.deep.equal([GRANT, 0n, 0n]);
      // Alice's votes are the elder's delegation only.
      expect(await f.token.getVotes(f.alice.address)).to.equal(2_000n * CIV);
      expect(await f.token.getVotes(f.heidi.address)).to.equal(0n);
    });

    it("burns unearned CIV first (upkeep)", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      await time.increase(DAY);
      await f.registry["collectUpkeep(uint256)"](f.agentIds.heidi);
      const upkeep = await f.registry.upkeepPerDay();
      expect(await f.token.unearnedOf(f.heidi.address)).to.deep.equal([GRANT - upkeep, 0n, 0n]);
      expect(await f.token.getVotes(f.heidi.address)).to.equal(0n);
    });

    it("passes unearned CIV on to a payee, unearned, and destroys what is paid to the Treasury", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      // Heidi (grant only) pays grace 100 CIV: 90 reach grace unearned, 10 of tax go to the Treasury.
      await f.token.connect(f.heidi).transfer(f.grace.address, 100n * CIV);
      expect(await f.token.unearnedOf(f.heidi.address)).to.deep.equal([GRANT - 100n * CIV, 0n, 0n]);
      expect(await f.token.unearnedOf(f.grace.address)).to.deep.equal([GRANT + 90n * CIV, 0n, 0n]);
      expect(await f.token.getVotes(f.grace.address)).to.equal(0n);
      await f.token.connect(f.heidi).transfer(await f.treasury.getAddress(), 100n * CIV);
      expect(await f.token.unearnedOf(f.heidi.address)).to.deep.equal([GRANT - 200n * CIV, 0n, 0n]);
    });

    it("records staked grants as unearned stake and returns them unearned on withdrawal", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const staking = await f.staking.getAddress();
      await f.token.connect(f.heidi).approve(staking, GRANT);
      await f.staking.connect(f.heidi).registerValidator(0n, GRANT);
      expect(await f.token.unearnedOf(f.heidi.address)).to.deep.equal([0n, 0n, GRANT]);
      await networkHelpers.mine();
      const now = BigInt(await time.latest());
      expect(await f.staking.getPastVotes(f.heidi.address, now - 1n)).to.equal(GRANT);
      expect(await f.governor.getVotes(f.heidi.address, now - 1n)).to.equal(0n);
      const tx = await f.staking.connect(f.heidi).undelegate(await f.staking.bondedSharesOf(f.heidi.address));
      const receipt = await tx.wait();
      const unbondingId = receipt!.logs
        .map((log) => f.staking.interface.parseLog(log))
        .find((parsed) => parsed?.name === "Undelegated")!.args.unbondingId as bigint;
      await time.increase(await f.staking.unbondingPeriod());
      await f.staking.connect(f.heidi).withdraw(unbondingId);
      expect(await f.token.unearnedOf(f.heidi.address)).to.deep.equal([GRANT, 0n, 0n]);
      expect(await f.token.getVotes(f.heidi.address)).to.equal(0n);
    });
  });

  describe("bounded snapshot recording", function () {
    it("pops at most MAX_SNAPSHOTS_PER_MOVEMENT per movement; anyone records the rest", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      expect(await f.token.MAX_SNAPSHOTS_PER_MOVEMENT()).to.equal(4n);
      const ids = [];
      for (const [i, agent] of f.voters.entries()) {
        ids.push(
          await propose(f.governor, agent, toProposal([await action(f.token, "setTaxBps", [900n])], `p${i}`)),
        );
      }
      expect((await f.token.pendingSnapshots()).length).to.equal(5);
      await time.increaseTo((await f.governor.proposalSnapshot(ids[4])) + 1n);
      await expect(f.token.connect(f.alice).transfer(f.bob.address, CIV)).to.emit(
        f.token,
        "CirculatingSnapshotRecorded",
      );
      expect((await f.token.pendingSnapshots()).length).to.equal(1);
      const last = (await f.token.pendingSnapshots())[0];
      await expect(f.token.connect(f.outsider).recordDueSnapshots(10n))
        .to.emit(f.token, "CirculatingSnapshotRecorded")
        .withArgs(last, await f.token.getPastCirculatingSupply(last));
      expect(await f.token.pendingSnapshots()).to.deep.equal([]);
      // Nothing due: records nothing.
      expect(await f.token.recordDueSnapshots.staticCall(10n)).to.equal(0n);
      for (const id of ids) expect(await f.governor.state(id)).to.equal(ProposalState.Active);
    });
  });
});
