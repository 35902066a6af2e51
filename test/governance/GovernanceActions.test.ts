import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { CIV } from "../helpers/fixtures.js";
import {
  action,
  advancePastDeadline,
  advanceToVoting,
  castVotes,
  execute,
  propose,
  queueAndWait,
  toProposal,
} from "../helpers/governance.js";
import type { ProtocolFixture } from "../helpers/protocol.js";
import { deployProtocolFixture, ELDER_VOTES } from "../helpers/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const DAY = 86_400n;
const BPS = 10_000n;
const REWARD_PRECISION = 10n ** 27n;
/** IAgentRegistry.AgentStatus and GrantOutcome values used here. */
const AgentStatus = { Active: 1n, Starved: 2n, Suspended: 3n } as const;
const GrantOutcome = { Paid: 0n, BudgetExhausted: 2n } as const;

/** The Protocol Ignition module, eight agents with their 1,000 CIV birth grant (see test/helpers/protocol.ts). */
async function protocolFixture() {
  return deployProtocolFixture(connection);
}

/** Job terms from `f.alice` to bob (provider) and carol (arbitrator), delivery within a week. */
async function jobTerms(f: ProtocolFixture, amount: bigint) {
  return {
    kind: 0,
    provider: f.bob.address,
    arbitrator: f.carol.address,
    amount,
    arbitratorFee: 0n,
    deliveryDeadline: BigInt(await time.latest()) + 7n * DAY,
    reviewWindow: DAY,
    rulingWindow: DAY,
    termsHash: id("terms"),
    termsURI: "ipfs://terms",
  };
}

/** Leaves dave with `keep` CIV (the rest to grace), waits a day and collects his upkeep: he starves. */
async function starveDave(f: ProtocolFixture, keep: bigint) {
  const agentName = "dave";
  const agent = f[agentName];
  await f.token.connect(agent).transfer(f.grace.address, (await f.token.balanceOf(agent.address)) - keep);
  await time.increase(DAY);
  await f.registry["collectUpkeep(uint256)"](f.agentIds[agentName]);
  expect(await f.registry.statusOf(f.agentIds[agentName])).to.equal(AgentStatus.Starved);
}

describe("Governance actions (end to end, on the Protocol deployment)", function () {
  describe("token rules", function () {
    it("changes the tax within bounds, against a minority", async function () {
      const { alice, bob, carol, dave, erin, frank, token, pass } =
        await networkHelpers.loadFixture(protocolFixture);
      const { executeTx } = await pass([await action(token, "setTaxBps", [500n])], "Halve the tax to 5%", {
        votes: { for: [alice, bob, carol, dave, erin], against: [frank] },
      });
      await expect(executeTx).to.emit(token, "TaxBpsUpdated").withArgs(1_000n, 500n);
      expect(await token.taxBps()).to.equal(500n);
    });

    it("fails to execute a tax above the maximum, with the token's error", async function () {
      const { governor, token, pass } = await networkHelpers.loadFixture(protocolFixture);
      const max = await token.MAX_TAX_BPS();
      const { proposal } = await pass([await action(token, "setTaxBps", [max + 1n])], "A tax above the max", {
        until: "queue",
      });
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(token, "CivitasTaxTooHigh")
        .withArgs(max + 1n, max);
      expect(await token.taxBps()).to.equal(1_000n);
    });

    it("changes the wealth cap within bounds", async function () {
      const { token, pass } = await networkHelpers.loadFixture(protocolFixture);
      const { executeTx } = await pass([await action(token, "setCapBps", [300n])], "Lower the cap to 3%");
      await expect(executeTx).to.emit(token, "CapBpsUpdated").withArgs(500n, 300n);
      expect(await token.capBps()).to.equal(300n);
    });

    it("fails to execute a wealth cap outside its bounds, with the token's error", async function () {
      const { governor, token, pass } = await networkHelpers.loadFixture(protocolFixture);
      const [min, max] = [await token.MIN_CAP_BPS(), await token.MAX_CAP_BPS()];
      const { proposal } = await pass([await action(token, "setCapBps", [max + 1n])], "A cap above the max", {
        until: "queue",
      });
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(token, "CivitasCapOutOfBounds")
        .withArgs(max + 1n, min, max);
    });

    it("mints within the 30-day window and fails above it", async function () {
      const { alice, bob, voters, elders, governor, token, treasury } =
        await networkHelpers.loadFixture(protocolFixture);
      const first = 600_000n * CIV;
      const second = 500_000n * CIV;
      const proposals = [
        toProposal([await action(token, "mint", [await treasury.getAddress(), first])], "Mint 600,000 CIV"),
        toProposal([await action(token, "mint", [await treasury.getAddress(), second])], "Mint 500,000 CIV"),
      ];
      const ids = [
        await propose(governor, alice, proposals[0]),
        // One live proposal per proposer: the second comes from another agent.
        await propose(governor, bob, proposals[1]),
      ];
      await advanceToVoting(governor, networkHelpers, ids[1]);
      for (const proposalId of ids) await castVotes(governor, proposalId, { for: voters });
      await advancePastDeadline(governor, networkHelpers, ids[1]);
      await queueAndWait(governor, networkHelpers, proposals[0], ids[0]);
      await queueAndWait(governor, networkHelpers, proposals[1], ids[1]);

      expect(first).to.be.lessThanOrEqual(await token.mintableNow());
      const supplyBefore = await token.totalSupply();
      await expect(execute(governor, proposals[0]))
        .to.emit(token, "Transfer")
        .withArgs(ethers.ZeroAddress, await treasury.getAddress(), first);
      expect(await token.totalSupply()).to.equal(supplyBefore + first);

      const available = await token.mintableNow();
      // The fixture minted the elders' earned CIV in the same window.
      const eldersMinted = BigInt(elders.length) * ELDER_VOTES;
      expect(available).to.equal(((supplyBefore + first) * 1_000n) / 10_000n - first - eldersMinted);
      await expect(execute(governor, proposals[1]))
        .to.be.revertedWithCustomError(token, "CivitasExceededMintWindow")
        .withArgs(second, available);
    });
  });

  describe("treasury and staking rewards", function () {
    it("raises the staking budget and funds a reward epoch from it, carrying the unpaid genesis rewards", async function () {
      const { staking, token, treasury, pass } = await networkHelpers.loadFixture(protocolFixture);
      const genesisReward = 100_000n * CIV; // Protocol module default, never claimed: nobody staked
      const oldBudget = await treasury.budgetOf(staking, token);
      const newBudget = 2_000_000n * CIV;
      const amount = 250_000n * CIV;
      const duration = 60n * DAY;
      const reserveBefore = await staking.rewardReserve();
      const { executeTx } = await pass(
        [
          await action(treasury, "setBudget", [
            await staking.getAddress(),
            await token.getAddress(),
            newBudget,
          ]),
          await action(staking, "fundEpoch", [amount, duration]),
        ],
        "Raise the staking budget and fund a 60-day epoch",
      );
      const receipt = await executeTx!.wait();
      const fundedAt = BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
      const funded = receipt!.logs
        .map((log) => {
          try {
            return staking.interface.parseLog(log);
          } catch {
            return null;
          }
        })
        .find((parsed) => parsed?.name === "EpochFunded")!;
      const carried = funded.args.carried as bigint;
      const rate = funded.args.rewardRate as bigint;
      // The event's carry is rounded down to the wei; the contract divides the exact (1e27-scaled) total by
      // the duration, so the epoch streams `amount + carried` wei, less under `duration` (scaled) of rounding,
      // plus under one wei of carry; the new carry (the remainder) is far below a wei.
      const streamed = rate * duration;
      expect(streamed + duration > (amount + carried) * REWARD_PRECISION).to.equal(true);
      expect(streamed < (amount + carried + 1n) * REWARD_PRECISION).to.equal(true);
      const newCarry = 0n;

      await expect(executeTx)
        .to.emit(treasury, "BudgetSet")
        .withArgs(await staking.getAddress(), await token.getAddress(), oldBudget, newBudget)
        .and.to.emit(treasury, "BudgetDrawn")
        .withArgs(
          await staking.getAddress(),
          await token.getAddress(),
          await staking.getAddress(),
          amount,
          newBudget - amount,
        )
        .and.to.emit(staking, "EpochFunded")
        .withArgs(amount, carried, duration, rate, fundedAt + duration, newCarry);
      // Nothing was ever bonded: every genesis wei is carried (less at most a wei of rounding per update).
      expect(carried <= genesisReward && genesisReward - carried <= 2n).to.equal(true);
      expect(await staking.rewardReserve()).to.equal(reserveBefore + amount);
      expect(await staking.rewardRate()).to.equal(rate);
      expect(await staking.periodFinish()).to.equal(fundedAt + duration);
      expect(await treasury.budgetOf(staking, token)).to.equal(newBudget - amount);
    });

    it("fails to fund an epoch above the staking budget, with the Treasury's error", async function () {
      const { governor, staking, token, treasury, pass } = await networkHelpers.loadFixture(protocolFixture);
      const budget = await treasury.budgetOf(staking, token);
      const { proposal } = await pass(
        [await action(staking, "fundEpoch", [budget + 1n, 30n * DAY])],
        "An epoch above the budget",
        { until: "queue" },
      );
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(treasury, "TreasuryBudgetExceeded")
        .withArgs(await staking.getAddress(), await token.getAddress(), budget + 1n, budget);
    });

    it("sets the registry's budget to zero and pays an outsider: its registration then carries no grant", async function () {
      const { outsider, registry, token, treasury, timelock, pass } =
        await networkHelpers.loadFixture(protocolFixture);
      const payment = 1_500n * CIV;
      const oldBudget = await treasury.budgetOf(registry, token);
      const { executeTx } = await pass(
        [
          await action(treasury, "setBudget", [await registry.getAddress(), await token.getAddress(), 0n]),
          await action(treasury, "transfer", [await token.getAddress(), outsider.address, payment]),
        ],
        "Stop birth grants; pay the outsider",
      );
      await expect(executeTx)
        .to.emit(treasury, "BudgetSet")
        .withArgs(await registry.getAddress(), await token.getAddress(), oldBudget, 0n)
        .and.to.emit(treasury, "FundsTransferred")
        .withArgs(await token.getAddress(), outsider.address, payment);
      expect(await token.balanceOf(timelock)).to.equal(0n);

      await expect(registry.connect(outsider)["register()"]())
        .to.emit(registry, "AgentRegistered")
        .withArgs(
          anyValue,
          outsider.address,
          outsider.address,
          "",
          0n,
          GrantOutcome.BudgetExhausted,
          anyValue,
        );
      expect(await token.balanceOf(outsider.address)).to.equal(payment);
    });
  });

  describe("agent registry", function () {
    it("changes the birth grant and the upkeep: a new agent gets the new grant and owes the new upkeep", async function () {
      const { outsider, registry, token, pass } = await networkHelpers.loadFixture(protocolFixture);
      const grant = 2_000n * CIV;
      const upkeep = 50n * CIV;
      const { executeTx } = await pass(
        [
          await action(registry, "setBirthGrant", [grant]),
          await action(registry, "setUpkeepPerDay", [upkeep]),
        ],
        "Double the birth grant, halve the upkeep",
      );
      await expect(executeTx)
        .to.emit(registry, "BirthGrantUpdated")
        .withArgs(1_000n * CIV, grant)
        .and.to.emit(registry, "UpkeepPerDayUpdated")
        .withArgs(100n * CIV, upkeep);

      await expect(registry.connect(outsider)["register()"]())
        .to.emit(registry, "AgentRegistered")
        .withArgs(anyValue, outsider.address, outsider.address, "", grant, GrantOutcome.Paid, anyValue);
      expect(await token.balanceOf(outsider.address)).to.equal(grant);
      await time.increase(3n * DAY);
      expect([...(await registry.upkeepDue(await registry.agentIdOf(outsider.address)))]).to.deep.equal([
        3n,
        3n * upkeep,
      ]);
    });

    it("fails to execute a birth grant above the maximum, with the registry's error", async function () {
      const { governor, registry, pass } = await networkHelpers.loadFixture(protocolFixture);
      const max = await registry.MAX_BIRTH_GRANT();
      const { proposal } = await pass([await action(registry, "setBirthGrant", [max + 1n])], "Too generous", {
        until: "queue",
      });
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(registry, "AgentRegistryBirthGrantTooHigh")
        .withArgs(max + 1n, max);
    });

    it("suspends an agent, which the escrow then refuses, and lifts the suspension", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const { alice, heidi, registry, escrow, timelock, agentIds, pass } = f;
      const { executeTx } = await pass(
        [await action(registry, "suspend", [agentIds.heidi, "spam"])],
        "Suspend heidi",
      );
      await expect(executeTx)
        .to.emit(registry, "AgentSuspended")
        .withArgs(agentIds.heidi, await timelock.getAddress(), "spam");
      expect(await registry.statusOf(agentIds.heidi)).to.equal(AgentStatus.Suspended);
      const terms = { ...(await jobTerms(f, 10n * CIV)), provider: heidi.address };
      await expect(escrow.connect(alice).create(terms))
        .to.be.revertedWithCustomError(escrow, "EscrowNotInGoodStanding")
        .withArgs(heidi.address);

      const lifted = await pass(
        [await action(registry, "unsuspend", [agentIds.heidi, "appeal granted"])],
        "Unsuspend heidi",
      );
      const liftedAt = BigInt(await time.latest());
      await expect(lifted.executeTx)
        .to.emit(registry, "AgentUnsuspended")
        .withArgs(agentIds.heidi, await timelock.getAddress(), "appeal granted", liftedAt);
      expect(await registry.isInGoodStanding(heidi.address)).to.equal(true);
      await expect(escrow.connect(alice).create({ ...terms, deliveryDeadline: liftedAt + 2n * DAY })).to.emit(
        escrow,
        "EscrowCreated",
      );
    });

    it("appoints a guardian who may then suspend agents without a proposal", async function () {
      const { carol, heidi, registry, agentIds, pass } = await networkHelpers.loadFixture(protocolFixture);
      const GUARDIAN_ROLE = await registry.GUARDIAN_ROLE();
      await expect(registry.connect(carol).suspend(agentIds.heidi, "spam"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(carol.address, GUARDIAN_ROLE);
      await pass([await action(registry, "grantRole", [GUARDIAN_ROLE, carol.address])], "Carol guards");
      await expect(registry.connect(carol).suspend(agentIds.heidi, "spam"))
        .to.emit(registry, "AgentSuspended")
        .withArgs(agentIds.heidi, carol.address, "spam");
      expect(await registry.isInGoodStanding(heidi.address)).to.equal(false);
    });

    it("revives a starved agent, restarting its upkeep clock", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const { alice, bob, carol, erin, frank, registry, staking, token, timelock, agentIds, pass } = f;
      await starveDave(f, 50n * CIV);
      const { executeTx } = await pass(
        [await action(registry, "revive", [agentIds.dave, "second chance"])],
        "Revive dave",
        { votes: { for: [alice, bob, carol, erin, frank] } },
      );
      const revivedAt = BigInt(await time.latest());
      await expect(executeTx)
        .to.emit(registry, "AgentRevived")
        .withArgs(agentIds.dave, await timelock.getAddress(), "second chance", revivedAt);
      expect(await registry.statusOf(agentIds.dave)).to.equal(AgentStatus.Active);
      expect((await registry.agent(agentIds.dave)).lastCollectedAt).to.equal(revivedAt);
      // Back in good standing once it holds its upkeep: a friend sends it CIV and it registers as validator.
      await token.connect(alice).transfer(f.dave.address, 700n * CIV);
      await token.connect(f.dave).approve(staking, 500n * CIV);
      await expect(staking.connect(f.dave).registerValidator(0n, 500n * CIV)).to.emit(
        staking,
        "ValidatorRegistered",
      );
    });
  });

  describe("escrow", function () {
    it("changes the protocol fee and the arbitrator bond for new escrows; existing ones keep theirs", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const { alice, escrow, pass } = f;
      const amount = 100n * CIV;
      await escrow.connect(alice).create(await jobTerms(f, amount));
      const before = await escrow.escrowCount();
      const { executeTx } = await pass(
        [
          await action(escrow, "setProtocolFeeBps", [250n]),
          await action(escrow, "setArbitratorBondBps", [2_000n]),
        ],
        "Raise escrow fees",
      );
      await expect(executeTx)
        .to.emit(escrow, "ProtocolFeeBpsUpdated")
        .withArgs(100n, 250n)
        .and.to.emit(escrow, "ArbitratorBondBpsUpdated")
        .withArgs(1_000n, 2_000n);

      await escrow.connect(alice).create(await jobTerms(f, amount));
      const [old, fresh] = [await escrow.escrowOf(before), await escrow.escrowOf(before + 1n)];
      expect([old.protocolFeeBps, old.bond]).to.deep.equal([100n, (amount * 1_000n) / BPS]);
      expect([fresh.protocolFeeBps, fresh.bond]).to.deep.equal([250n, (amount * 2_000n) / BPS]);
    });

    it("fails to execute a protocol fee above the maximum, with the escrow's error", async function () {
      const { governor, escrow, pass } = await networkHelpers.loadFixture(protocolFixture);
      const max = await escrow.MAX_PROTOCOL_FEE_BPS();
      const { proposal } = await pass(
        [await action(escrow, "setProtocolFeeBps", [max + 1n])],
        "Fee too high",
        {
          until: "queue",
        },
      );
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(escrow, "EscrowProtocolFeeTooHigh")
        .withArgs(max + 1n, max);
    });
  });

  describe("slashing", function () {
    it("slashes a validator's pool: slashed CIV to the Treasury, reputation down in the registry", async function () {
      const { erin, frank, registry, staking, token, treasury, timelock, agentIds, pass } =
        await networkHelpers.loadFixture(protocolFixture);
      await token.connect(erin).approve(staking, 600n * CIV);
      await staking.connect(erin).registerValidator(500n, 600n * CIV);
      await token.connect(frank).approve(staking, 400n * CIV);
      await staking.connect(frank).delegateStake(erin.address, 400n * CIV);
      await staking.connect(frank).undelegate(await staking.bondedSharesOf(frank.address));

      const slashBps = await staking.MAX_SLASH_BPS();
      const reason = id("downtime");
      const treasuryBefore = await token.balanceOf(treasury);
      // Erin votes with her bonded stake: staking did not take her vote away.
      const { executeTx } = await pass(
        [await action(staking, "slash", [erin.address, slashBps, reason])],
        "Slash erin",
      );
      const [bondedSlashed, unbondingSlashed] = [
        (600n * CIV * slashBps) / BPS,
        (400n * CIV * slashBps) / BPS,
      ];
      await expect(executeTx)
        .to.emit(staking, "Slashed")
        .withArgs(
          1n,
          erin.address,
          slashBps,
          bondedSlashed,
          unbondingSlashed,
          reason,
          600n * CIV - bondedSlashed,
          400n * CIV - unbondingSlashed,
          600n * CIV - bondedSlashed,
          400n * CIV - unbondingSlashed,
        )
        .and.to.emit(registry, "ReputationChanged")
        .withArgs(agentIds.erin, erin.address, await staking.getAddress(), -500n, -500n, -500n, reason, 1n);
      expect(await token.balanceOf(treasury)).to.equal(treasuryBefore + bondedSlashed + unbondingSlashed);
      expect(await staking.unbondingBalanceOf(frank.address)).to.equal(400n * CIV - unbondingSlashed);
      expect(await token.balanceOf(timelock)).to.equal(0n);
    });

    it("fails to execute a slash above the maximum, with the staking contract's error", async function () {
      const { erin, governor, staking, token, pass } = await networkHelpers.loadFixture(protocolFixture);
      await token.connect(erin).approve(staking, 600n * CIV);
      await staking.connect(erin).registerValidator(0n, 600n * CIV);
      const max = await staking.MAX_SLASH_BPS();
      const { proposal } = await pass(
        [await action(staking, "slash", [erin.address, max + 1n, id("x")])],
        "Slash too hard",
        { until: "queue" },
      );
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(staking, "StakingSlashOutOfBounds")
        .withArgs(max + 1n, max);
    });
  });
});
