import { expect } from "chai";
import { id, parseEther, toBeHex, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import GovernanceModule from "../../ignition/modules/Governance.js";
import {
  action,
  advancePastDeadline,
  advanceToVoting,
  castVotes,
  execute,
  ProposalState,
  propose,
  queueAndWait,
  runProposal,
  toProposal,
  VoteType,
} from "../helpers/governance.js";

const { ethers, networkHelpers, ignition } = await network.connect();

const DAY = 86_400n;
const THRESHOLD = parseEther("500");
/** The fixture's quorum floor: the lowest allowed, below 4% of its circulating supply (13,400 CIV). */
const QUORUM_FLOOR = parseEther("1000");
const PROPOSER_ROLE = id("PROPOSER_ROLE");
const CANCELLER_ROLE = id("CANCELLER_ROLE");
const EXECUTOR_ROLE = id("EXECUTOR_ROLE");
const DEFAULT_ADMIN_ROLE = ZeroHash;
const stateBitmap = (...states: bigint[]) =>
  toBeHex(
    states.reduce((acc, s) => acc | (1n << s), 0n),
    32,
  );

/**
 * The governor and timelock deployed through the Governance Ignition module over the real CivitasToken and
 * Treasury (the deployer keeps their roles here: this file tests the governor, not the handover) and mock
 * stake votes. Agents, funded by mints (earned CIV, which votes): alice, bob, carol 1,000 CIV each, dave 400 (below
 * the proposal threshold), whale 10,000; all self-delegated; and a bystander holding 20,000 who never
 * delegates (4% of the 33,400 CIV in circulation, 1,336 CIV, is then above the 1,000 CIV quorum floor).
 */
async function deployGovernanceFixture() {
  return deployGovernance(QUORUM_FLOOR);
}

/** {deployGovernanceFixture} with the given quorum floor, in wei of votes. */
async function deployGovernance(quorumFloor: bigint) {
  const [deployer, alice, bob, carol, dave, whale, outsider, bystander] = await ethers.getSigners();
  const stake = await ethers.deployContract("MockStakeVotes");

  const deployed = await ignition.deploy(GovernanceModule, {
    parameters: { Governance: { stakeVotes: await stake.getAddress(), quorumFloor } },
  });
  const governor = await ethers.getContractAt("CivitasGovernor", await deployed.governor.getAddress());
  const timelock = await ethers.getContractAt("CivitasTimelock", await deployed.timelock.getAddress());
  const token = await ethers.getContractAt("CivitasToken", await deployed.token.getAddress());
  const treasury = await ethers.getContractAt("Treasury", await deployed.treasury.getAddress());

  const grants: [typeof alice, string][] = [
    [alice, "1000"],
    [bob, "1000"],
    [carol, "1000"],
    [dave, "400"],
    [whale, "10000"],
  ];
  for (const [agent, amount] of grants) {
    // Minted, not paid by the Treasury: CIV from the Treasury is unearned and carries no votes.
    await token.mint(agent.address, parseEther(amount));
    await token.connect(agent).delegate(agent.address);
  }
  // A holder who never votes, so that 4% of circulating supply (33,400 CIV) is above the quorum floor.
  await token.mint(bystander.address, parseEther("20000"));
  await networkHelpers.mine();

  // A harmless proposal: the timelock sets its own delay to 3 days.
  const sampleAction = await action(timelock, "updateDelay", [3n * DAY]);

  return {
    deployer,
    treasury,
    alice,
    bob,
    carol,
    dave,
    whale,
    outsider,
    token,
    stake,
    governor,
    timelock,
    sampleAction,
  };
}

/** The same, with a 2,000 CIV quorum floor: above 4% of circulating supply (1,336 CIV), so the floor binds. */
const bindingFloorFixture = () => deployGovernance(parseEther("2000"));

describe("CivitasGovernor", function () {
  describe("deployment", function () {
    it("uses the default settings from the Ignition module", async function () {
      const { governor, timelock, token, stake } = await networkHelpers.loadFixture(deployGovernanceFixture);
      expect(await governor.name()).to.equal("CivitasGovernor");
      expect(await governor.votingDelay()).to.equal(DAY);
      expect(await governor.votingPeriod()).to.equal(5n * DAY);
      expect(await governor.proposalThreshold()).to.equal(THRESHOLD);
      expect(await governor["quorumNumerator()"]()).to.equal(4n);
      expect(await governor.quorumDenominator()).to.equal(100n);
      expect(await timelock.getMinDelay()).to.equal(2n * DAY);
      expect(await governor.timelock()).to.equal(await timelock.getAddress());
      expect(await governor.token()).to.equal(await token.getAddress());
      expect(await governor.stakeVotes()).to.equal(await stake.getAddress());
    });

    it("makes the governor the timelock's only proposer and canceller and lets anyone execute", async function () {
      const { governor, timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const governorAddress = await governor.getAddress();
      expect(await timelock.hasRole(PROPOSER_ROLE, governorAddress)).to.equal(true);
      expect(await timelock.hasRole(CANCELLER_ROLE, governorAddress)).to.equal(true);
      expect(await timelock.hasRole(EXECUTOR_ROLE, ZeroAddress)).to.equal(true);
      expect(await timelock.hasRole(DEFAULT_ADMIN_ROLE, await timelock.getAddress())).to.equal(true);
    });

    it("leaves the deployer no role on the timelock and no power over the governor", async function () {
      const { deployer, governor, timelock, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      for (const role of [DEFAULT_ADMIN_ROLE, PROPOSER_ROLE, CANCELLER_ROLE, EXECUTOR_ROLE]) {
        expect(await timelock.hasRole(role, deployer.address)).to.equal(false);
      }
      await expect(timelock.connect(deployer).grantRole(PROPOSER_ROLE, deployer.address))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, DEFAULT_ADMIN_ROLE);
      await expect(
        timelock
          .connect(deployer)
          .schedule(sampleAction.target, 0n, sampleAction.calldata, ZeroHash, ZeroHash, 2n * DAY),
      )
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, PROPOSER_ROLE);
      await expect(timelock.connect(deployer).updateDelay(DAY))
        .to.be.revertedWithCustomError(timelock, "TimelockUnauthorizedCaller")
        .withArgs(deployer.address);
      await expect(governor.connect(deployer).setVotingDelay(0n))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(deployer.address);
      await expect(governor.connect(deployer).updateQuorumNumerator(1n))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(deployer.address);
    });

    it("refuses a votes source that is not on a timestamp clock", async function () {
      const { token, timelock, governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const blockClock = await ethers.deployContract("MockBlockClockVotes");
      const args = (tokenAddress: string, stakeAddress: string) => [
        tokenAddress,
        stakeAddress,
        timelock,
        DAY,
        5n * DAY,
        THRESHOLD,
        4n,
        QUORUM_FLOOR,
      ];
      await expect(
        ethers.deployContract(
          "CivitasGovernor",
          args(await token.getAddress(), await blockClock.getAddress()),
        ),
      )
        .to.be.revertedWithCustomError(governor, "CivitasGovernorInvalidClock")
        .withArgs(await blockClock.getAddress(), "mode=blocknumber&from=default");
      await expect(
        ethers.deployContract(
          "CivitasGovernor",
          args(await blockClock.getAddress(), await token.getAddress()),
        ),
      )
        .to.be.revertedWithCustomError(governor, "CivitasGovernorInvalidClock")
        .withArgs(await blockClock.getAddress(), "mode=blocknumber&from=default");
    });

    it("refuses settings outside their bounds at deploy", async function () {
      const { token, stake, timelock, governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const deploy = (delay: bigint, period: bigint, threshold: bigint, quorum: bigint) =>
        ethers.deployContract("CivitasGovernor", [
          token,
          stake,
          timelock,
          delay,
          period,
          threshold,
          quorum,
          QUORUM_FLOOR,
        ]);
      await expect(deploy(30n * DAY + 1n, 5n * DAY, THRESHOLD, 4n))
        .to.be.revertedWithCustomError(governor, "CivitasGovernorVotingDelayOutOfBounds")
        .withArgs(30n * DAY + 1n, 30n * DAY);
      await expect(deploy(DAY, DAY - 1n, THRESHOLD, 4n))
        .to.be.revertedWithCustomError(governor, "CivitasGovernorVotingPeriodOutOfBounds")
        .withArgs(DAY - 1n, DAY, 30n * DAY);
      await expect(deploy(DAY, 30n * DAY + 1n, THRESHOLD, 4n))
        .to.be.revertedWithCustomError(governor, "CivitasGovernorVotingPeriodOutOfBounds")
        .withArgs(30n * DAY + 1n, DAY, 30n * DAY);
      await expect(deploy(DAY, 5n * DAY, parseEther("100001"), 4n))
        .to.be.revertedWithCustomError(governor, "CivitasGovernorProposalThresholdTooHigh")
        .withArgs(parseEther("100001"), parseEther("100000"));
      await expect(deploy(DAY, 5n * DAY, THRESHOLD, 0n))
        .to.be.revertedWithCustomError(governor, "CivitasGovernorQuorumOutOfBounds")
        .withArgs(0n, 1n, 50n);
      await expect(deploy(DAY, 5n * DAY, THRESHOLD, 51n))
        .to.be.revertedWithCustomError(governor, "CivitasGovernorQuorumOutOfBounds")
        .withArgs(51n, 1n, 50n);
    });

    it("refuses a timelock delay outside its bounds at deploy", async function () {
      const { timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
      await expect(ethers.deployContract("CivitasTimelock", [DAY - 1n, [], [], ZeroAddress, ZeroAddress]))
        .to.be.revertedWithCustomError(timelock, "CivitasTimelockDelayOutOfBounds")
        .withArgs(DAY - 1n, DAY, 30n * DAY);
      await expect(
        ethers.deployContract("CivitasTimelock", [30n * DAY + 1n, [], [], ZeroAddress, ZeroAddress]),
      )
        .to.be.revertedWithCustomError(timelock, "CivitasTimelockDelayOutOfBounds")
        .withArgs(30n * DAY + 1n, DAY, 30n * DAY);
    });
  });

  describe("Tally interface", function () {
    it("reports IGovernor, ERC-165 and ERC-1155 receiver support through ERC-165", async function () {
      const { governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const ids = await ethers.deployContract("InterfaceIds");
      expect(await governor.supportsInterface(await ids.governor())).to.equal(true);
      expect(await governor.supportsInterface(await ids.erc165())).to.equal(true);
      expect(await governor.supportsInterface(await ids.erc1155Receiver())).to.equal(true);
      expect(await governor.supportsInterface("0xffffffff")).to.equal(false);
    });

    it("uses bravo counting with for and abstain toward quorum", async function () {
      const { governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
      expect(await governor.COUNTING_MODE()).to.equal("support=bravo&quorum=for,abstain");
    });

    it("runs on the token's timestamp clock", async function () {
      const { governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
      expect(await governor.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await governor.clock()).to.equal(BigInt(await networkHelpers.time.latest()));
    });
  });

  describe("proposal life cycle", function () {
    it("proposes, votes for, against and abstain, queues, waits and executes", async function () {
      const { alice, bob, carol, dave, governor, timelock, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const proposal = toProposal([sampleAction], "Set the timelock delay to 3 days");

      await expect(
        governor
          .connect(alice)
          .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
      ).to.emit(governor, "ProposalCreated");
      const proposalId = await governor.getProposalId(
        proposal.targets,
        proposal.values,
        proposal.calldatas,
        proposal.descriptionHash,
      );
      expect(await governor.state(proposalId)).to.equal(ProposalState.Pending);
      await expect(governor.connect(bob).castVote(proposalId, VoteType.For))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposalId, ProposalState.Pending, stateBitmap(ProposalState.Active));

      await advanceToVoting(governor, networkHelpers, proposalId);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Active);
      await expect(governor.connect(alice).castVote(proposalId, VoteType.For))
        .to.emit(governor, "VoteCast")
        .withArgs(alice.address, proposalId, VoteType.For, parseEther("1000"), "");
      await castVotes(governor, proposalId, {
        for: [carol],
        against: [bob],
        abstain: [dave],
      });
      expect(await governor.proposalVotes(proposalId)).to.deep.equal([
        parseEther("1000"),
        parseEther("2000"),
        parseEther("400"),
      ]);
      expect(await governor.hasVoted(proposalId, dave.address)).to.equal(true);

      await advancePastDeadline(governor, networkHelpers, proposalId);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Succeeded);

      await expect(
        governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash),
      ).to.emit(governor, "ProposalQueued");
      expect(await governor.state(proposalId)).to.equal(ProposalState.Queued);
      const eta = await governor.proposalEta(proposalId);
      await expect(execute(governor, proposal)).to.be.revertedWithCustomError(
        timelock,
        "TimelockUnexpectedOperationState",
      );

      await networkHelpers.time.increaseTo(eta);
      await expect(execute(governor, proposal))
        .to.emit(governor, "ProposalExecuted")
        .withArgs(proposalId)
        .and.to.emit(timelock, "MinDelayChange")
        .withArgs(2n * DAY, 3n * DAY);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Executed);
      expect(await timelock.getMinDelay()).to.equal(3n * DAY);
    });

    it("runs through the shared helper", async function () {
      const { alice, bob, governor, timelock, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const { proposalId, executeTx } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [sampleAction],
        description: "Set the timelock delay to 3 days",
        votes: { for: [alice, bob] },
      });
      expect(executeTx).to.not.equal(undefined);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Executed);
      expect(await timelock.getMinDelay()).to.equal(3n * DAY);
    });

    it("defeats a proposal with more votes against than for", async function () {
      const { alice, bob, carol, governor, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const { proposalId, proposal } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [sampleAction],
        description: "A proposal the agents reject",
        votes: { for: [alice], against: [bob, carol] },
        until: "vote",
      });
      expect(await governor.state(proposalId)).to.equal(ProposalState.Defeated);
      await expect(
        governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash),
      )
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposalId, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
    });

    it("defeats a proposal that misses quorum even with no vote against", async function () {
      const { alice, dave, governor, token, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const { proposalId } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [sampleAction],
        description: "A proposal too few agents care about",
        votes: { for: [dave] },
        until: "vote",
      });
      const quorum = await governor.quorum(await governor.proposalSnapshot(proposalId));
      expect(quorum).to.equal(((await token.circulatingSupply()) * 4n) / 100n);
      expect(parseEther("400")).to.be.lessThan(quorum);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Defeated);
    });

    it("expires a succeeded proposal not queued within the grace period", async function () {
      const { alice, bob, governor, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const { proposalId, proposal } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [sampleAction],
        description: "A proposal nobody queues",
        votes: { for: [alice, bob] },
        until: "vote",
      });
      const deadline = await governor.proposalDeadline(proposalId);
      const grace = await governor.QUEUE_GRACE_PERIOD();
      expect(grace).to.equal(14n * DAY);

      await networkHelpers.time.increaseTo(deadline + grace);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Succeeded);
      await networkHelpers.time.increaseTo(deadline + grace + 1n);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Expired);
      await expect(
        governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash),
      )
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposalId, ProposalState.Expired, stateBitmap(ProposalState.Succeeded));
    });

    it("reverts a proposal from an account below the threshold", async function () {
      const { dave, governor, sampleAction } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const proposal = toProposal([sampleAction], "A proposal from a small holder");
      await expect(
        governor
          .connect(dave)
          .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
      )
        .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
        .withArgs(dave.address, parseEther("400"), THRESHOLD);
    });

    it("lets bonded stake lift an account over the threshold", async function () {
      const { dave, stake, governor, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      await stake.bond(dave.address, parseEther("100"));
      await networkHelpers.mine();
      const proposalId = await propose(
        governor,
        dave,
        toProposal([sampleAction], "A proposal backed by stake"),
      );
      expect(await governor.proposalProposer(proposalId)).to.equal(dave.address);
    });

    it("lets governance change its own settings within bounds and refuses them outside", async function () {
      const { alice, bob, whale, governor, timelock } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [
          await action(governor, "setVotingPeriod", [7n * DAY]),
          await action(governor, "updateQuorumNumerator", [10n]),
        ],
        description: "Longer votes, higher quorum",
        votes: { for: [alice, bob] },
      });
      expect(await governor.votingPeriod()).to.equal(7n * DAY);
      expect(await governor["quorumNumerator()"]()).to.equal(10n);

      const { proposal } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [await action(governor, "setVotingDelay", [31n * DAY])],
        description: "A voting delay beyond the bound",
        votes: { for: [alice, bob, whale] },
        until: "queue",
      });
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(governor, "CivitasGovernorVotingDelayOutOfBounds")
        .withArgs(31n * DAY, 30n * DAY);

      const { proposal: zeroDelay } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [await action(timelock, "updateDelay", [0n])],
        description: "Remove the timelock delay",
        votes: { for: [alice, bob, whale] },
        until: "queue",
      });
      await expect(execute(governor, zeroDelay))
        .to.be.revertedWithCustomError(timelock, "CivitasTimelockDelayOutOfBounds")
        .withArgs(0n, DAY, 30n * DAY);
    });
  });

  describe("voting power", function () {
    it("follows delegation", async function () {
      const { alice, bob, governor, token } = await networkHelpers.loadFixture(deployGovernanceFixture);
      await token.connect(alice).delegate(bob.address);
      const t = BigInt(await networkHelpers.time.latest());
      await networkHelpers.mine();
      expect(await governor.getVotes(alice.address, t)).to.equal(0n);
      expect(await governor.getVotes(bob.address, t)).to.equal(parseEther("2000"));
    });

    it("follows taxed transfers, the tax going to the Treasury which does not vote", async function () {
      const { alice, carol, treasury, governor, token } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const amount = parseEther("100");
      const tax = (amount * (await token.taxBps())) / 10_000n;
      await expect(token.connect(alice).transfer(carol.address, amount)).to.changeTokenBalances(
        ethers,
        token,
        [alice, carol, treasury],
        [-amount, amount - tax, tax],
      );
      const t = BigInt(await networkHelpers.time.latest());
      await networkHelpers.mine();
      expect(await governor.getVotes(alice.address, t)).to.equal(parseEther("1000") - amount);
      expect(await governor.getVotes(carol.address, t)).to.equal(parseEther("1000") + amount - tax);
      expect(await governor.getVotes(await treasury.getAddress(), t)).to.equal(0n);
    });

    it("is read at the proposal snapshot, so later transfers do not change a vote", async function () {
      const { alice, bob, carol, governor, token, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const proposalId = await propose(governor, alice, toProposal([sampleAction], "Snapshot test"));
      await advanceToVoting(governor, networkHelpers, proposalId);
      await token.connect(bob).transfer(carol.address, parseEther("500"));
      await expect(governor.connect(bob).castVote(proposalId, VoteType.For))
        .to.emit(governor, "VoteCast")
        .withArgs(bob.address, proposalId, VoteType.For, parseEther("1000"), "");
      await expect(governor.connect(carol).castVote(proposalId, VoteType.Against))
        .to.emit(governor, "VoteCast")
        .withArgs(carol.address, proposalId, VoteType.Against, parseEther("1000"), "");
    });

    it("adds bonded-stake votes to token votes", async function () {
      const { dave, stake, governor, sampleAction, alice } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      await stake.bond(dave.address, parseEther("300"));
      await stake.bond(alice.address, parseEther("50"));
      await stake.unbond(alice.address, parseEther("20"));
      await networkHelpers.mine();
      const t = BigInt(await networkHelpers.time.latest()) - 1n;
      expect(await governor.getVotes(dave.address, t)).to.equal(parseEther("700"));
      expect(await governor.getVotes(alice.address, t)).to.equal(parseEther("1030"));

      const proposalId = await propose(governor, alice, toProposal([sampleAction], "Stake votes count"));
      await advanceToVoting(governor, networkHelpers, proposalId);
      await expect(governor.connect(dave).castVote(proposalId, VoteType.For))
        .to.emit(governor, "VoteCast")
        .withArgs(dave.address, proposalId, VoteType.For, parseEther("700"), "");
    });
  });

  describe("quorum", function () {
    it("is 4% of circulating supply (total minus the Treasury) at the snapshot", async function () {
      const { alice, bob, treasury, governor, token, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const proposalId = await propose(governor, alice, toProposal([sampleAction], "Quorum test"));
      const snapshot = await governor.proposalSnapshot(proposalId);
      await networkHelpers.time.increaseTo(snapshot - 2n);
      // The last movements before the snapshot: a taxed transfer (tax to the Treasury) and a mint.
      await token.connect(alice).transfer(bob.address, parseEther("100"));
      await token.mint(bob.address, parseEther("1000"));
      const circulatingAtSnapshot = (await token.totalSupply()) - (await token.balanceOf(treasury));
      // After the snapshot: the Treasury pays out, which must not change this proposal's quorum.
      await networkHelpers.time.increaseTo(snapshot + 1n);
      await treasury.transfer(token, alice.address, parseEther("50000"));
      await networkHelpers.mine();

      expect(await governor.quorum(snapshot)).to.equal((circulatingAtSnapshot * 4n) / 100n);
      expect(await governor.quorum(snapshot)).to.equal(
        ((await token.getPastCirculatingSupply(snapshot)) * 4n) / 100n,
      );
      expect(await governor.quorum(snapshot)).to.be.lessThan(
        ((await token.getPastTotalSupply(snapshot)) * 4n) / 100n,
      );
    });

    it("schedules the token's circulating-supply snapshot at the proposal's snapshot", async function () {
      const { alice, governor, token, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const proposal = toProposal([sampleAction], "Snapshot scheduling");
      const tx = await governor
        .connect(alice)
        .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description);
      const proposedAt = BigInt((await tx.getBlock())!.timestamp);
      const expectedSnapshot = proposedAt + DAY;
      await expect(tx).to.emit(token, "CirculatingSnapshotScheduled").withArgs(expectedSnapshot);
      expect(await token.pendingSnapshots()).to.deep.equal([expectedSnapshot]);
    });

    it("cannot propose while the governor lacks the token's snapshot role", async function () {
      const { deployer, alice, governor, token, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const role = await token.SNAPSHOT_ROLE();
      await token.connect(deployer).revokeRole(role, await governor.getAddress());
      const proposal = toProposal([sampleAction], "No snapshot role");
      await expect(
        governor
          .connect(alice)
          .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
      )
        .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
        .withArgs(await governor.getAddress(), role);
    });

    it("does not count stake votes in the quorum base", async function () {
      const { alice, dave, stake, governor, token, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const circulating = await token.circulatingSupply();
      const proposalId = await propose(governor, alice, toProposal([sampleAction], "Stake and quorum"));
      await stake.bond(dave.address, parseEther("5000"));
      await advanceToVoting(governor, networkHelpers, proposalId);
      await networkHelpers.mine();
      const snapshot = await governor.proposalSnapshot(proposalId);
      expect(await stake.getPastTotalSupply(snapshot)).to.equal(parseEther("5000"));
      expect(await governor.quorum(snapshot)).to.equal((circulating * 4n) / 100n);
    });

    it("is recorded with a proposal's first vote, final then, for the indexer", async function () {
      const { alice, bob, governor, token, sampleAction } =
        await networkHelpers.loadFixture(deployGovernanceFixture);
      const proposalId = await propose(governor, alice, toProposal([sampleAction], "Recorded quorum"));
      await advanceToVoting(governor, networkHelpers, proposalId);
      const snapshot = await governor.proposalSnapshot(proposalId);
      const fraction = ((await token.getPastCirculatingSupply(snapshot)) * 4n) / 100n;
      expect(fraction).to.be.greaterThan(QUORUM_FLOOR);
      await expect(governor.connect(alice).castVote(proposalId, VoteType.For))
        .to.emit(governor, "ProposalQuorumRecorded")
        .withArgs(proposalId, fraction);
      await expect(governor.connect(bob).castVote(proposalId, VoteType.Against)).not.to.emit(
        governor,
        "ProposalQuorumRecorded",
      );
      expect(await governor.quorum(snapshot)).to.equal(fraction);
    });

    it("records the floor when the floor binds", async function () {
      const { alice, bob, governor, token, sampleAction } =
        await networkHelpers.loadFixture(bindingFloorFixture);
      const floor = parseEther("2000");
      const proposalId = await propose(governor, alice, toProposal([sampleAction], "Floor binds"));
      await advanceToVoting(governor, networkHelpers, proposalId);
      const snapshot = await governor.proposalSnapshot(proposalId);
      expect(((await token.getPastCirculatingSupply(snapshot)) * 4n) / 100n).to.be.lessThan(floor);
      // A vote of no weight is still the first vote: the quorum is recorded with it, and not again.
      const [, , , , , , outsider] = await ethers.getSigners();
      await expect(governor.connect(outsider).castVote(proposalId, VoteType.Abstain))
        .to.emit(governor, "ProposalQuorumRecorded")
        .withArgs(proposalId, floor);
      await expect(governor.connect(bob).castVote(proposalId, VoteType.For)).not.to.emit(
        governor,
        "ProposalQuorumRecorded",
      );
      expect(await governor.quorum(snapshot)).to.equal(floor);
    });

    it("reverts for a timepoint not yet in the past", async function () {
      const { governor, token } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const now = BigInt(await networkHelpers.time.latest());
      await expect(governor.quorum(now + 10n))
        .to.be.revertedWithCustomError(token, "ERC5805FutureLookup")
        .withArgs(now + 10n, now);
    });
  });
});
