import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import type { BaseContract, Signer } from "ethers";
import { encodeBytes32String, id, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import { CIV, taxOf } from "../helpers/fixtures.js";
import { action } from "../helpers/governance.js";
import type { ProtocolFixture } from "../helpers/protocol.js";
import { deployProtocolFixture } from "../helpers/protocol.js";
import { ESCROW_STATE } from "../helpers/escrow.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const DAY = 86_400n;
const BPS = 10_000n;
const ROLE = {
  DEFAULT_ADMIN: ZeroHash,
  MINTER: id("MINTER_ROLE"),
  PARAMETER: id("PARAMETER_ROLE"),
  SNAPSHOT: id("SNAPSHOT_ROLE"),
  UPKEEP_BURNER: id("UPKEEP_BURNER_ROLE"),
  REPORTER: id("REPORTER_ROLE"),
  GUARDIAN: id("GUARDIAN_ROLE"),
  SLASHER: id("SLASHER_ROLE"),
  FUNDER: id("FUNDER_ROLE"),
  PROPOSER: id("PROPOSER_ROLE"),
  CANCELLER: id("CANCELLER_ROLE"),
  EXECUTOR: id("EXECUTOR_ROLE"),
  AUDITOR: id("AUDITOR_ROLE"),
} as const;
/** IEscrow.State values used here. */
const EscrowState = ESCROW_STATE;
/** IAgentRegistry.AgentStatus values used here. */
const AgentStatus = { Active: 1n, Starved: 2n } as const;

async function protocolFixture() {
  return deployProtocolFixture(connection);
}

/** Replays every RoleGranted/RoleRevoked event of `contract` into role -> holders (non-empty sets only). */
async function roleHoldersFromEvents(contract: BaseContract): Promise<Map<string, Set<string>>> {
  const holders = new Map<string, Set<string>>();
  const logs = await ethers.provider.getLogs({ address: await contract.getAddress(), fromBlock: 0 });
  for (const log of logs) {
    const parsed = contract.interface.parseLog(log);
    if (parsed === null || (parsed.name !== "RoleGranted" && parsed.name !== "RoleRevoked")) continue;
    const [role, account] = [parsed.args[0] as string, parsed.args[1] as string];
    const set = holders.get(role) ?? new Set<string>();
    if (parsed.name === "RoleGranted") set.add(account);
    else set.delete(account);
    holders.set(role, set);
  }
  for (const [role, set] of holders) if (set.size === 0) holders.delete(role);
  return holders;
}

/** Creates a job escrow (client -> provider, arbitrator), has the arbitrator accept and the client fund it. */
async function openJob(
  f: ProtocolFixture,
  parties: { client: Signer; provider: Signer; arbitrator: Signer },
  amount: bigint,
  arbitratorFee: bigint,
) {
  const { escrow, token } = f;
  const { client, provider, arbitrator } = parties;
  const now = BigInt(await time.latest());
  await escrow.connect(client).create({
    kind: 0,
    provider: await provider.getAddress(),
    arbitrator: await arbitrator.getAddress(),
    amount,
    arbitratorFee,
    deliveryDeadline: now + 7n * DAY,
    reviewWindow: 3n * DAY,
    rulingWindow: 3n * DAY,
    termsHash: id("terms"),
    termsURI: "ipfs://terms",
  });
  const escrowId = await escrow.escrowCount();
  const { bond } = await escrow.escrowOf(escrowId);
  await escrow.connect(provider).agree(escrowId);
  await token.connect(arbitrator).approve(escrow, bond);
  await escrow.connect(arbitrator).accept(escrowId);
  await token.connect(client).approve(escrow, amount + arbitratorFee);
  await escrow.connect(client).fund(escrowId);
  return { escrowId, bond };
}

/** Every privileged call of the resource ledger and market, from the deployer (who holds no role). */
function marketCalls(f: ProtocolFixture): [string, () => Promise<unknown>, BaseContract, string][] {
  const ledger = f.resourceLedger.connect(f.deployer);
  const market = f.resourceMarket.connect(f.deployer);
  const me = f.deployer.address;
  const policy = {
    unit: "gpu-second",
    decimals: 0,
    transferable: true,
    allowancePerDay: 0n,
    allowanceMax: 0n,
    quota: 0n,
    quotaWindow: 3_600,
  };
  return [
    ["ledger.registerResource", () => ledger.registerResource(policy), ledger, ROLE.PARAMETER],
    ["ledger.setPolicy", () => ledger.setPolicy(1n, policy), ledger, ROLE.PARAMETER],
    ["ledger.setMeter", () => ledger.setMeter(1n, me, true), ledger, ROLE.PARAMETER],
    ["ledger.retire", () => ledger.retire(1n), ledger, ROLE.PARAMETER],
    ["ledger.mint", () => ledger.mint(me, 1n, 1n, 0n), ledger, ROLE.MINTER],
    ["ledger.grantRole", () => ledger.grantRole(ROLE.MINTER, me), ledger, ROLE.DEFAULT_ADMIN],
    ["market.list", () => market.list(1n, 1n, 1n), market, ROLE.PARAMETER],
    ["market.delist", () => market.delist(1n), market, ROLE.PARAMETER],
    ["market.setProtocolFeeBps", () => market.setProtocolFeeBps(0n), market, ROLE.PARAMETER],
    ["market.setTargetUtilisationBps", () => market.setTargetUtilisationBps(5_000n), market, ROLE.PARAMETER],
    ["market.setMaxReserveStepBps", () => market.setMaxReserveStepBps(1n), market, ROLE.PARAMETER],
    ["market.grantRole", () => market.grantRole(ROLE.PARAMETER, me), market, ROLE.DEFAULT_ADMIN],
  ];
}

/** Every privileged call of ReviewRewards (issue 17), from the deployer (who holds no role). */
function reviewRewardsCalls(f: ProtocolFixture): [string, () => Promise<unknown>, BaseContract, string][] {
  const rewards = f.reviewRewards.connect(f.deployer);
  const REVIEWER = id("REVIEWER_ROLE");
  return [
    [
      "reviewRewards.submitReview",
      () => rewards.submitReview(1n, 0n, id("work"), 1n, "r"),
      rewards,
      REVIEWER,
    ],
    ["reviewRewards.setRewardPerPoint", () => rewards.setRewardPerPoint(CIV), rewards, ROLE.PARAMETER],
    ["reviewRewards.setAgentEpochCap", () => rewards.setAgentEpochCap(CIV), rewards, ROLE.PARAMETER],
    ["reviewRewards.setReviewerEpochCap", () => rewards.setReviewerEpochCap(CIV), rewards, ROLE.PARAMETER],
    [
      "reviewRewards.grantRole",
      () => rewards.grantRole(REVIEWER, f.deployer.address),
      rewards,
      ROLE.DEFAULT_ADMIN,
    ],
  ];
}

/** Every privileged call of the task board, from the deployer (who holds no role). */
function taskBoardCalls(f: ProtocolFixture): [string, () => Promise<unknown>, BaseContract, string][] {
  const board = f.taskBoard.connect(f.deployer);
  const me = f.deployer.address;
  return [
    ["taskBoard.postTask", () => board.postTask(CIV, DAY, ZeroAddress, "t"), board, id("REVIEWER_ROLE")],
    ["taskBoard.setMaxTaskReward", () => board.setMaxTaskReward(CIV), board, ROLE.PARAMETER],
    ["taskBoard.setAgentEpochCap", () => board.setAgentEpochCap(CIV), board, ROLE.PARAMETER],
    ["taskBoard.setReviewerEpochBudget", () => board.setReviewerEpochBudget(CIV), board, ROLE.PARAMETER],
    ["taskBoard.returnToTreasury", () => board.returnToTreasury(0n), board, ROLE.DEFAULT_ADMIN],
    ["taskBoard.grantRole", () => board.grantRole(id("REVIEWER_ROLE"), me), board, ROLE.DEFAULT_ADMIN],
  ];
}

describe("Protocol (integration, the Ignition Protocol module)", function () {
  describe("after deploy", function () {
    it("leaves each role only with its intended holder, as replayed from every role event", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const [timelock, governor, registry, staking, escrow, validation, market, taskBoard] =
        await Promise.all(
          [
            f.timelock,
            f.governor,
            f.registry,
            f.staking,
            f.escrow,
            f.validationRegistry,
            f.resourceMarket,
            f.taskBoard,
          ].map((c) => c.getAddress()),
        );
      const agreementKinds = await Promise.all(
        [f.loanAgreements, f.insuranceAgreements, f.informationSales, f.forwardAgreements].map((c) =>
          c.getAddress(),
        ),
      );
      const expected: [string, BaseContract, Record<string, string[]>][] = [
        [
          "CivitasToken",
          f.token,
          {
            [ROLE.DEFAULT_ADMIN]: [timelock],
            [ROLE.MINTER]: [timelock],
            [ROLE.PARAMETER]: [timelock],
            [ROLE.SNAPSHOT]: [governor],
            [ROLE.UPKEEP_BURNER]: [registry],
          },
        ],
        ["Treasury", f.treasury, { [ROLE.DEFAULT_ADMIN]: [timelock] }],
        [
          "AgentRegistry",
          f.registry,
          {
            [ROLE.DEFAULT_ADMIN]: [timelock],
            [ROLE.PARAMETER]: [timelock],
            // Agreement kinds (issue 17): the four bilateral kinds report outcomes (Agreements.ts).
            [ROLE.REPORTER]: [escrow, staking, taskBoard, ...agreementKinds],
          },
        ],
        [
          "Staking",
          f.staking,
          {
            [ROLE.DEFAULT_ADMIN]: [timelock],
            [ROLE.PARAMETER]: [timelock],
            [ROLE.SLASHER]: [timelock, validation],
            [ROLE.FUNDER]: [timelock],
          },
        ],
        ["Escrow", f.escrow, { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock] }],
        [
          "ValidationRegistry",
          f.validationRegistry,
          {
            [ROLE.DEFAULT_ADMIN]: [timelock],
            [ROLE.PARAMETER]: [timelock],
            [ROLE.SLASHER]: [timelock],
          },
        ],
        [
          "ResourceLedger",
          f.resourceLedger,
          { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock], [ROLE.MINTER]: [market] },
        ],
        [
          "ResourceMarket",
          f.resourceMarket,
          { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock] },
        ],
        // City tasks: no reviewer is appointed by default (the `reviewers` parameter or governance appoints them).
        ["TaskBoard", f.taskBoard, { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock] }],
        // The auditor (issue 15): governance appoints auditors; none at deploy.
        ["AuditorRegistry", f.auditorRegistry, { [ROLE.DEFAULT_ADMIN]: [timelock] }],
        // Agreement kinds (issue 17): governance sets the bond rate and the minimum notional.
        [
          "LoanAgreements",
          f.loanAgreements,
          { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock] },
        ],
        [
          "InsuranceAgreements",
          f.insuranceAgreements,
          { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock] },
        ],
        [
          "InformationSales",
          f.informationSales,
          { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock] },
        ],
        [
          "ForwardAgreements",
          f.forwardAgreements,
          { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock] },
        ],
        // Block lottery (issue 17): settings by governance only.
        ["BlockLottery", f.blockLottery, { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock] }],
        // Human rewards and attention (issue 17): no reviewer by default; governance appoints them.
        [
          "ReviewRewards",
          f.reviewRewards,
          { [ROLE.DEFAULT_ADMIN]: [timelock], [ROLE.PARAMETER]: [timelock] },
        ],
        [
          "CivitasTimelock",
          f.timelock,
          {
            [ROLE.DEFAULT_ADMIN]: [timelock],
            [ROLE.PROPOSER]: [governor],
            // The guardian (security council) may only cancel queued operations.
            [ROLE.CANCELLER]: [governor, f.guardian.address],
            [ROLE.EXECUTOR]: [ZeroAddress],
          },
        ],
      ];
      for (const [name, contract, roles] of expected) {
        const holders = await roleHoldersFromEvents(contract);
        const actual = Object.fromEntries([...holders].map(([role, set]) => [role, [...set].sort()]));
        const wanted = Object.fromEntries(
          Object.entries(roles).map(([role, list]) => [role, [...list].sort()]),
        );
        expect(actual, `${name} role holders`).to.deep.equal(wanted);
        const withRoles = contract as BaseContract & { hasRole(r: string, a: string): Promise<boolean> };
        for (const [role, list] of Object.entries(roles)) {
          for (const account of list) expect(await withRoles.hasRole(role, account)).to.equal(true);
          expect(await withRoles.hasRole(role, f.deployer.address), `${name} ${role} deployer`).to.equal(
            false,
          );
        }
      }
    });

    it("refuses every privileged call from the deployer, naming the missing role", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const { deployer, alice, token, treasury, registry, staking, escrow, timelock, governor } = f;
      const me = deployer.address;
      const [tok, tre, reg, stk, esc, tlk] = [token, treasury, registry, staking, escrow, timelock].map((c) =>
        c.connect(deployer),
      ) as [typeof token, typeof treasury, typeof registry, typeof staking, typeof escrow, typeof timelock];
      const aliceId = f.agentIds.alice;
      const calls: [string, () => Promise<unknown>, BaseContract, string][] = [
        ["token.mint", () => tok.mint(me, CIV), token, ROLE.MINTER],
        ["token.setTaxBps", () => tok.setTaxBps(0n), token, ROLE.PARAMETER],
        ["token.setCapBps", () => tok.setCapBps(5_000n), token, ROLE.PARAMETER],
        ["token.setProtocolAccount", () => tok.setProtocolAccount(me, true), token, ROLE.PARAMETER],
        ["token.setStakeLedger", () => tok.setStakeLedger(me), token, ROLE.PARAMETER],
        [
          "token.scheduleCirculatingSnapshot",
          () => tok.scheduleCirculatingSnapshot(2n ** 40n),
          token,
          ROLE.SNAPSHOT,
        ],
        ["token.burnUpkeep", () => tok.burnUpkeep(alice.address, CIV), token, ROLE.UPKEEP_BURNER],
        ["token.grantRole", () => tok.grantRole(ROLE.MINTER, me), token, ROLE.DEFAULT_ADMIN],
        ["treasury.transfer", () => tre.transfer(token, me, CIV), treasury, ROLE.DEFAULT_ADMIN],
        ["treasury.setBudget", () => tre.setBudget(me, token, CIV), treasury, ROLE.DEFAULT_ADMIN],
        ["treasury.grantRole", () => tre.grantRole(ROLE.DEFAULT_ADMIN, me), treasury, ROLE.DEFAULT_ADMIN],
        ["registry.setBirthGrant", () => reg.setBirthGrant(0n), registry, ROLE.PARAMETER],
        ["registry.setUpkeepPerDay", () => reg.setUpkeepPerDay(0n), registry, ROLE.PARAMETER],
        ["registry.revive", () => reg.revive(aliceId, "no"), registry, ROLE.DEFAULT_ADMIN],
        ["registry.suspend", () => reg.suspend(aliceId, "no"), registry, ROLE.GUARDIAN],
        ["registry.unsuspend", () => reg.unsuspend(aliceId, "no"), registry, ROLE.GUARDIAN],
        [
          "registry.reportReputation",
          () => reg.reportReputation(alice.address, 1n, ZeroHash, 0n),
          registry,
          ROLE.REPORTER,
        ],
        [
          "registry.reportAgentReputation",
          () => reg.reportAgentReputation(1n, 1n, ZeroHash, 0n),
          registry,
          ROLE.REPORTER,
        ],
        ["registry.grantRole", () => reg.grantRole(ROLE.REPORTER, me), registry, ROLE.DEFAULT_ADMIN],
        ["staking.fundEpoch", () => stk.fundEpoch(CIV, 30n * DAY), staking, ROLE.FUNDER],
        ["staking.slash", () => stk.slash(alice.address, 1n, ZeroHash), staking, ROLE.SLASHER],
        ["staking.setUnbondingPeriod", () => stk.setUnbondingPeriod(DAY), staking, ROLE.PARAMETER],
        ["staking.setMinSelfStake", () => stk.setMinSelfStake(CIV), staking, ROLE.PARAMETER],
        ["staking.grantRole", () => stk.grantRole(ROLE.SLASHER, me), staking, ROLE.DEFAULT_ADMIN],
        ["escrow.setArbitratorBondBps", () => esc.setArbitratorBondBps(100n), escrow, ROLE.PARAMETER],
        ["escrow.setProtocolFeeBps", () => esc.setProtocolFeeBps(0n), escrow, ROLE.PARAMETER],
        ["escrow.setMinDeliveryWindow", () => esc.setMinDeliveryWindow(DAY), escrow, ROLE.PARAMETER],
        ["escrow.setMinJobAmount", () => esc.setMinJobAmount(CIV), escrow, ROLE.PARAMETER],
        ["escrow.grantRole", () => esc.grantRole(ROLE.PARAMETER, me), escrow, ROLE.DEFAULT_ADMIN],
        ["timelock.grantRole", () => tlk.grantRole(ROLE.PROPOSER, me), timelock, ROLE.DEFAULT_ADMIN],
        [
          "timelock.schedule",
          () => tlk.schedule(token, 0n, "0x", ZeroHash, ZeroHash, 2n * DAY),
          timelock,
          ROLE.PROPOSER,
        ],
        ["timelock.cancel", () => tlk.cancel(ZeroHash), timelock, ROLE.CANCELLER],
        [
          "auditorRegistry.grantRole",
          () => f.auditorRegistry.connect(deployer).grantRole(ROLE.AUDITOR, me),
          f.auditorRegistry,
          ROLE.DEFAULT_ADMIN,
        ],
        [
          "auditorRegistry.recordVerdict",
          () => f.auditorRegistry.connect(deployer).recordVerdict(id("flag"), 1n, "ipfs://note"),
          f.auditorRegistry,
          ROLE.AUDITOR,
        ],
        ...marketCalls(f),
        ...taskBoardCalls(f),
        // Human rewards and attention (issue 17).
        ...reviewRewardsCalls(f),
        // Agreement kinds (issue 17).
        ...[f.loanAgreements, f.insuranceAgreements, f.informationSales, f.forwardAgreements].flatMap(
          (c): [string, () => Promise<unknown>, BaseContract, string][] => [
            [
              "agreements.setArbitratorBondBps",
              () => c.connect(deployer).setArbitratorBondBps(1_000n),
              c,
              ROLE.PARAMETER,
            ],
            ["agreements.setMinAmount", () => c.connect(deployer).setMinAmount(CIV), c, ROLE.PARAMETER],
            [
              "agreements.grantRole",
              () => c.connect(deployer).grantRole(ROLE.PARAMETER, me),
              c,
              ROLE.DEFAULT_ADMIN,
            ],
          ],
        ),
      ];
      for (const [name, call, contract, role] of calls) {
        await expect(call(), name)
          .to.be.revertedWithCustomError(contract, "AccessControlUnauthorizedAccount")
          .withArgs(me, role);
      }
      // The Treasury's budgeted draw and the timelock's self-administered delay are not role checks.
      await expect(tre.draw(token, me, CIV))
        .to.be.revertedWithCustomError(treasury, "TreasuryBudgetExceeded")
        .withArgs(me, await token.getAddress(), CIV, 0n);
      await expect(tlk.updateDelay(DAY))
        .to.be.revertedWithCustomError(timelock, "TimelockUnauthorizedCaller")
        .withArgs(me);
      const asDeployer = governor.connect(deployer);
      for (const call of [
        () => asDeployer.setProposalThreshold(0n),
        () => asDeployer.setVotingDelay(0n),
        () => asDeployer.setVotingPeriod(DAY),
        () => asDeployer.updateQuorumNumerator(1n),
        () => asDeployer.updateTimelock(me),
        () => asDeployer.relay(token, 0n, "0x"),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor").withArgs(me);
      }
    });

    it("gave each registered agent the birth grant from the registry's budget", async function () {
      const { agents, token, treasury, registry } = await networkHelpers.loadFixture(protocolFixture);
      const grant = await registry.birthGrant();
      expect(grant).to.equal(1_000n * CIV);
      for (const agent of agents) expect(await token.balanceOf(agent.address)).to.equal(grant);
      expect(await treasury.budgetOf(registry, token)).to.equal(
        1_000_000n * CIV - BigInt(agents.length) * grant,
      );
    });
  });

  describe("a job in the escrow", function () {
    it("runs from creation to approval with tax and protocol fee exactly accounted and reputation written", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const { alice: client, bob: provider, carol: arbitrator, escrow, token, treasury, registry } = f;
      const amount = 500n * CIV;
      const fee = 20n * CIV;
      const { escrowId, bond } = await openJob(f, { client, provider, arbitrator }, amount, fee);
      expect(bond).to.equal((amount * (await escrow.arbitratorBondBps()) + BPS - 1n) / BPS);
      await escrow.connect(provider).submit(escrowId, "ipfs://work", id("work"));

      const protocolFee = (amount * (await escrow.protocolFeeBps())) / BPS;
      const providerGross = amount - protocolFee;
      const tax = taxOf(providerGross, await token.taxBps());
      const approved = escrow.connect(client).approve(escrowId);
      await expect(approved)
        .to.emit(escrow, "EscrowSettled")
        .withArgs(escrowId, EscrowState.Completed, client.address, [
          providerGross,
          protocolFee,
          fee,
          0n,
          bond,
          0n,
          0n,
        ])
        .and.to.emit(token, "EarningsPaid")
        .withArgs(await escrow.getAddress(), provider.address, providerGross, tax, 0n);
      await expect(approved).to.changeTokenBalances(
        ethers,
        token,
        [client, provider, arbitrator, treasury, escrow],
        [fee, providerGross - tax, bond, protocolFee + tax, -(amount + fee + bond)],
      );
      // Reputation scaled by the value paid: 500 of the 2,500 CIV full credit.
      const full = await escrow.REPUTATION_FULL_CREDIT_AMOUNT();
      const points = ((await escrow.DELTA_COMPLETED()) * amount) / full;
      expect(points).to.equal(2n);
      await expect(approved)
        .to.emit(registry, "ReputationChanged")
        .withArgs(
          f.agentIds.bob,
          provider.address,
          await escrow.getAddress(),
          points,
          points,
          points,
          encodeBytes32String("escrow.completed"),
          escrowId,
        );
      expect(await registry.scoreOf(f.agentIds.bob)).to.equal(points);
      // The client's 2 x 500 / 2,500 = 0.4 point is carried as credit.
      expect(await registry.scoreOf(f.agentIds.alice)).to.equal(0n);
      expect((await escrow.reputationCreditOf(f.agentIds.alice))[0]).to.equal(2n * amount);
      expect(await registry.scoreOf(f.agentIds.carol)).to.equal(0n);
      expect(await token.balanceOf(escrow)).to.equal(0n);
    });

    it("settles a dispute by the arbitrator's ruling, paying its fee taxed and writing every party's reputation", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const { alice: client, bob: provider, carol: arbitrator, escrow, token, treasury, registry } = f;
      const amount = 400n * CIV;
      const fee = 30n * CIV;
      const { escrowId, bond } = await openJob(f, { client, provider, arbitrator }, amount, fee);
      await escrow.connect(provider).submit(escrowId, "ipfs://work", id("work"));
      await escrow.connect(client).dispute(escrowId, "ipfs://complaint");
      await escrow.connect(provider).submitEvidence(escrowId, "ipfs://defence");

      const providerBps = 3_000n;
      const share = (amount * providerBps) / BPS;
      const protocolFee = (share * (await escrow.protocolFeeBps())) / BPS;
      const providerGross = share - protocolFee;
      const taxBps = await token.taxBps();
      const [providerTax, feeTax] = [taxOf(providerGross, taxBps), taxOf(fee, taxBps)];
      const ruled = escrow.connect(arbitrator).rule(escrowId, providerBps);
      await expect(ruled)
        .to.emit(escrow, "EscrowSettled")
        .withArgs(escrowId, EscrowState.Ruled, arbitrator.address, [
          providerGross,
          protocolFee,
          amount - share,
          fee,
          bond,
          0n,
          0n,
        ]);
      await expect(ruled).to.changeTokenBalances(
        ethers,
        token,
        [client, provider, arbitrator, treasury, escrow],
        [
          amount - share,
          providerGross - providerTax,
          fee - feeTax + bond,
          protocolFee + providerTax + feeTax,
          -(amount + fee + bond),
        ],
      );
      // Paid 120 + 30 = 150 CIV of the 2,500 full credit: ruled and won are carried (0.3 point each).
      expect(await registry.scoreOf(f.agentIds.carol)).to.equal(0n); // ruled, carried
      expect((await escrow.reputationCreditOf(f.agentIds.carol))[0]).to.equal(5n * (share + fee));
      expect(await registry.scoreOf(f.agentIds.alice)).to.equal(0n); // dispute won, carried
      expect((await escrow.reputationCreditOf(f.agentIds.alice))[0]).to.equal(5n * (share + fee));
      expect(await registry.scoreOf(f.agentIds.bob)).to.equal(-5n); // dispute lost, in full
    });
  });

  describe("good standing", function () {
    it("has escrow and staking refuse a starved agent and a starved validator", async function () {
      const f = await networkHelpers.loadFixture(protocolFixture);
      const { alice, carol, dave, escrow, staking, registry, token } = f;
      // Dave gives away all but 50 CIV, then a day of upkeep (100 CIV) starves him.
      await token.connect(dave).transfer(carol.address, (await token.balanceOf(dave.address)) - 50n * CIV);
      await time.increase(DAY);
      await expect(registry["collectUpkeep(uint256)"](f.agentIds.dave))
        .to.emit(registry, "UpkeepCollected")
        .withArgs(f.agentIds.dave, dave.address, 1n, 100n * CIV, 50n * CIV, anyValue, true);
      expect(await registry.statusOf(f.agentIds.dave)).to.equal(AgentStatus.Starved);
      expect(await registry.isInGoodStanding(dave.address)).to.equal(false);

      const now = BigInt(await time.latest());
      const terms = {
        kind: 0,
        provider: dave.address,
        arbitrator: carol.address,
        amount: 10n * CIV,
        arbitratorFee: 0n,
        deliveryDeadline: now + 7n * DAY,
        reviewWindow: DAY,
        rulingWindow: DAY,
        termsHash: id("terms"),
        termsURI: "ipfs://terms",
      };
      await expect(escrow.connect(alice).create(terms))
        .to.be.revertedWithCustomError(escrow, "EscrowNotInGoodStanding")
        .withArgs(dave.address);
      await expect(escrow.connect(dave).create({ ...terms, provider: alice.address }))
        .to.be.revertedWithCustomError(escrow, "EscrowNotInGoodStanding")
        .withArgs(dave.address);
      await expect(staking.connect(dave).registerValidator(0n, 10n * CIV))
        .to.be.revertedWithCustomError(staking, "StakingNotInGoodStanding")
        .withArgs(dave.address);

      // A validator that starves stops taking delegations.
      await token.connect(carol).approve(staking, 1_000n * CIV);
      await staking.connect(carol).registerValidator(0n, 1_000n * CIV);
      await token.connect(carol).transfer(alice.address, await token.balanceOf(carol.address));
      await time.increase(DAY);
      expect(await registry.isInGoodStanding(carol.address)).to.equal(false);
      await expect(staking.connect(alice).delegateStake(carol.address, CIV))
        .to.be.revertedWithCustomError(staking, "StakingNotInGoodStanding")
        .withArgs(carol.address);
    });
  });

  describe("staking", function () {
    it("pays claimed rewards as taxed earnings, the tax going to the Treasury", async function () {
      const { erin, frank, staking, token, treasury } = await networkHelpers.loadFixture(protocolFixture);
      await token.connect(erin).approve(staking, 600n * CIV);
      await staking.connect(erin).registerValidator(1_000n, 600n * CIV);
      await token.connect(frank).approve(staking, 300n * CIV);
      await staking.connect(frank).delegateStake(erin.address, 300n * CIV);
      await time.increase(DAY);

      const pendingBefore = await staking.pendingRewards(frank.address);
      expect(pendingBefore).to.be.greaterThan(0n);
      const claimed = staking.connect(frank).claimRewards();
      const receipt = await (await claimed).wait();
      const event = receipt!.logs
        .map((log) => staking.interface.parseLog(log))
        .find((parsed) => parsed?.name === "RewardClaimed");
      const gross = event!.args.gross as bigint;
      // One more second of rewards accrued in the claim's block: frank's part of it is below the epoch rate.
      expect(gross >= pendingBefore).to.equal(true);
      expect(gross - pendingBefore <= (await staking.rewardRate()) / 10n ** 27n + 1n).to.equal(true);
      const tax = taxOf(gross, await token.taxBps());
      await expect(claimed).to.emit(staking, "RewardClaimed").withArgs(frank.address, gross, tax, 0n);
      await expect(claimed).to.changeTokenBalances(
        ethers,
        token,
        [frank, treasury, staking],
        [gross - tax, tax, -gross],
      );
      expect(await staking.pendingRewards(frank.address)).to.equal(0n);
    });

    it("counts stake toward the wealth cap: a transfer that fits liquid holdings but not liquid + stake reverts", async function () {
      const { alice, erin, token, treasury, staking, pass } =
        await networkHelpers.loadFixture(protocolFixture);
      const cap = await token.wealthCap();
      // Governance brings erin exactly to the cap (birth grant + a Treasury payment).
      const payment = cap - (await token.balanceOf(erin.address));
      await pass(
        [await action(treasury, "transfer", [await token.getAddress(), erin.address, payment])],
        "Pay erin",
      );
      expect(await token.holdingsOf(erin.address)).to.equal(cap);

      const stake = 400_000n * CIV;
      await token.connect(erin).approve(staking, stake);
      await staking.connect(erin).registerValidator(0n, stake);
      expect(await staking.stakedBalanceOf(erin.address)).to.equal(stake);
      expect(await token.holdingsOf(erin.address)).to.equal((await token.balanceOf(erin.address)) + stake);
      expect((await token.balanceOf(erin.address)) + 100n * CIV < cap).to.equal(true);

      const amount = 100n * CIV;
      const net = amount - taxOf(amount, await token.taxBps());
      await expect(token.connect(alice).transfer(erin.address, amount))
        .to.be.revertedWithCustomError(token, "CivitasExceededWealthCap")
        .withArgs(erin.address, cap + net, cap);
    });

    it("lets a holder at the cap withdraw its stake in full: stake turning liquid leaves holdings unchanged", async function () {
      const { erin, frank, token, treasury, staking, pass } =
        await networkHelpers.loadFixture(protocolFixture);
      await token.connect(frank).approve(staking, 500n * CIV);
      await staking.connect(frank).registerValidator(0n, 500n * CIV);
      const cap = await token.wealthCap();
      await pass(
        [await action(treasury, "transfer", [await token.getAddress(), erin.address, cap - 1_000n * CIV])],
        "Pay erin up to the cap",
      );
      const stake = 400_000n * CIV;
      await token.connect(erin).approve(staking, stake);
      await staking.connect(erin).delegateStake(frank.address, stake);
      await staking.connect(erin).undelegate(await staking.bondedSharesOf(erin.address));
      const unbondingId = (await staking.queryFilter(staking.filters.Undelegated(erin.address)))[0].args
        .unbondingId;
      await time.increase(await staking.unbondingPeriod());
      expect(await token.holdingsOf(erin.address)).to.equal(cap);

      const withdrawn = staking.connect(erin).withdraw(unbondingId);
      await expect(withdrawn).to.changeTokenBalances(ethers, token, [erin, treasury], [stake, 0n]);
      await expect(withdrawn).not.to.emit(token, "CapExcessRedirected");
      expect(await token.holdingsOf(erin.address)).to.equal(cap);
    });
  });

  describe("slashing", function () {
    it("lets a slasher appointed by governance slash a validator: reputation drops, slashed CIV goes to the Treasury", async function () {
      const { bob, erin, frank, staking, token, treasury, registry, agentIds, pass } =
        await networkHelpers.loadFixture(protocolFixture);
      await token.connect(erin).approve(staking, 600n * CIV);
      await staking.connect(erin).registerValidator(500n, 600n * CIV);
      await token.connect(frank).approve(staking, 400n * CIV);
      await staking.connect(frank).delegateStake(erin.address, 400n * CIV);
      await pass([await action(staking, "grantRole", [ROLE.SLASHER, bob.address])], "Appoint bob slasher");
      expect(await staking.hasRole(ROLE.SLASHER, bob.address)).to.equal(true);

      const slashBps = 2_000n;
      const bonded = (await staking.validatorInfo(erin.address)).bondedTokens;
      const slashed = (bonded * slashBps) / BPS;
      const reason = id("double-signing");
      const tx = staking.connect(bob).slash(erin.address, slashBps, reason);
      await expect(tx).to.changeTokenBalances(ethers, token, [treasury, staking], [slashed, -slashed]);
      await expect(tx)
        .to.emit(staking, "Slashed")
        .withArgs(1n, erin.address, slashBps, slashed, 0n, reason, bonded - slashed, 0n, bonded - slashed, 0n)
        .and.to.emit(registry, "ReputationChanged")
        .withArgs(agentIds.erin, erin.address, await staking.getAddress(), -200n, -200n, -200n, reason, 1n);
      expect(await registry.scoreOf(agentIds.erin)).to.equal(-200n);
      expect(await staking.bondedBalanceOf(frank.address)).to.equal((400n * CIV * (BPS - slashBps)) / BPS);
    });
  });
});
