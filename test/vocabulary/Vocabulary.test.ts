/**
 * The one vocabulary (scripts/lib/vocabulary.ts, generated from the compiler's output by `npm run build`)
 * against what the deployed contracts answer, what the indexer writes and what the docs say: any drift
 * of an enum, a constant or a default fails here.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { network } from "hardhat";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";
import {
  AgentStatus,
  CONSTANTS,
  DEFAULTS,
  DenialReason,
  DrawOutcome,
  WorkKind,
  EntryKind,
  EscrowState,
  FeeStatus,
  GrantOutcome,
  ProposalState,
  RewardOutcome,
  TaskState,
  taxOf,
  wealthCapOf,
} from "../../scripts/lib/vocabulary.ts";
import { deployProtocolFixture } from "../helpers/protocol.ts";

const connection = await network.create();
const { networkHelpers } = connection;
const fixture = () => deployProtocolFixture(connection);

const read = (file: string) => readFileSync(join(REPO_ROOT, file), "utf8");

/** The comma-separated list in parentheses after `label` on the line of a markdown table row. */
function listAfter(text: string, rowStart: string, label: string): string[] {
  const line = text.split("\n").find((l) => l.startsWith(rowStart));
  if (line === undefined) throw new Error(`no row ${rowStart}`);
  const match = new RegExp(`${label} \\(([^)]*)\\)`).exec(line);
  if (match === null) throw new Error(`no ${label} (...) in row ${rowStart}`);
  return match[1].split(",").map((s) => s.trim());
}

describe("Vocabulary", function () {
  // The first load deploys the whole protocol: slow on a loaded machine.
  before(async function () {
    this.timeout(600_000);
    await networkHelpers.loadFixture(fixture);
  });

  describe("constants", function () {
    it("every generated constant equals the deployed contract's public constant", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const contracts: Record<string, unknown> = {
        AgentRegistry: f.registry,
        CivitasGovernor: f.governor,
        CivitasTimelock: f.timelock,
        CivitasToken: f.token,
        ERC3009: f.token,
        Escrow: f.escrow,
        ReputationRegistry: f.reputationRegistry,
        Staking: f.staking,
        StakingVotes: f.staking,
        Treasury: f.treasury,
        ValidationRegistry: f.validationRegistry,
        ResourceLedger: f.resourceLedger,
        ResourceMarket: f.resourceMarket,
        TaskBoard: f.taskBoard,
        AuditorRegistry: f.auditorRegistry,
        // Agreement kinds (issue 17): the kinds library (deployed here for its getters) and the kind contracts.
        AgreementKinds: await connection.ethers.deployContract("AgreementKinds"),
        AgreementBase: f.loanAgreements,
        LoanAgreements: f.loanAgreements,
        InsuranceAgreements: f.insuranceAgreements,
        InformationSales: f.informationSales,
        ForwardAgreements: f.forwardAgreements,
        PoolAgreements: f.poolAgreements,
        BlockLottery: f.blockLottery,
        // Human rewards and attention (issue 17).
        ReviewRewards: f.reviewRewards,
        // The public speech log (issue 13): its text and batch limits.
        SpeechLog: f.speechLog,
        // Compute pools' factory (issue 14).
        ComputePoolFactory: f.computePoolFactory,
        // Pools are deployed by providers, not by the Protocol module: one for its constants.
        ComputePool: await connection.ethers.deployContract("ComputePool", [f.resourceMarket, 1n, 0n]),
      };
      let checked = 0;
      for (const [name, values] of Object.entries(CONSTANTS)) {
        const contract = contracts[name] as Record<string, () => Promise<unknown>> | undefined;
        expect(contract, `a deployed ${name}`).to.not.equal(undefined);
        for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
          expect(await contract![key](), `${name}.${key}`).to.equal(value);
          checked++;
        }
      }
      expect(checked).to.be.greaterThan(40);
    });

    it("the deployment defaults are what the Protocol module deploys", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      expect(await f.token.taxBps()).to.equal(DEFAULTS.Foundation.taxBps);
      expect(await f.token.capBps()).to.equal(DEFAULTS.Foundation.capBps);
      expect(await f.escrow.arbitratorBondBps()).to.equal(DEFAULTS.Escrow.arbitratorBondBps);
      expect(await f.escrow.protocolFeeBps()).to.equal(DEFAULTS.Escrow.protocolFeeBps);
      expect(await f.registry.birthGrant()).to.equal(DEFAULTS.AgentRegistry.birthGrant);
      expect(await f.registry.upkeepPerDay()).to.equal(DEFAULTS.AgentRegistry.upkeepPerDay);
      expect(await f.staking.unbondingPeriod()).to.equal(DEFAULTS.Staking.unbondingPeriod);
      expect(await f.staking.minSelfStake()).to.equal(DEFAULTS.Staking.minSelfStake);
      expect(await f.governor["quorumNumerator()"]()).to.equal(DEFAULTS.Protocol.quorumNumerator);
      expect(await f.governor.proposalThreshold()).to.equal(DEFAULTS.Protocol.proposalThreshold);
    });

    it("taxOf and wealthCapOf compute what the token charges and caps", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const [alice, bob] = [f.agents[0]!, f.agents[1]!];
      const gross = 12_345_678_901_234_567_891n;
      const tx = f.token.connect(alice).transfer(bob.address, gross);
      await expect(tx)
        .to.emit(f.token, "TaxCharged")
        .withArgs(alice.address, bob.address, gross, taxOf(gross, await f.token.taxBps()));
      expect(await f.token.wealthCap()).to.equal(
        wealthCapOf(await f.token.totalSupply(), await f.token.capBps()),
      );
    });
  });

  describe("enums", function () {
    it("name and key of a value round-trip, and an unknown value is refused", function () {
      const last = EscrowState.names.length - 1;
      expect(EscrowState.nameOf(last)).to.equal("NoShowResolved");
      expect(EscrowState.keyOf(BigInt(last))).to.equal("no_show_resolved");
      expect(EscrowState.valueOf("no_show_resolved")).to.equal(last);
      expect(EscrowState.valueOf("NoShowResolved")).to.equal(last);
      expect(AgentStatus.nameOfKey("suspended_and_starved")).to.equal("SuspendedAndStarved");
      expect(() => EscrowState.nameOf(EscrowState.names.length)).to.throw(
        `IEscrow.State has no value ${EscrowState.names.length}`,
      );
      expect(() => AgentStatus.valueOf("zombie" as never)).to.throw("has no member zombie");
    });

    it("the registry reports statuses by the generated names", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = f.agentIds.alice;
      expect(AgentStatus.nameOf(await f.registry.statusOf(id))).to.equal("Active");
      expect(AgentStatus.nameOf(await f.registry.statusOf(999n))).to.equal("None");
    });

    it("the indexer's enum columns are Postgres/GraphQL enums of exactly the contracts' enums", async function () {
      this.timeout(300_000); // importing the schema transpiles it: slow on a loaded machine
      const schema = await import("../../indexer/ponder.schema.ts");
      const columns: [string, { enumValues?: readonly string[] }, { keys: readonly string[] }][] = [
        ["escrow.state", schema.escrow.state, EscrowState],
        ["escrow.outcome", schema.escrow.outcome, EscrowState],
        ["agent.status", schema.agent.status, AgentStatus],
        ["agent.grantOutcome", schema.agent.grantOutcome, GrantOutcome],
        ["proposal.status", schema.proposal.status, ProposalState],
        ["validationRequest.feeStatus", schema.validationRequest.feeStatus, FeeStatus],
        ["attestationReward.outcome", schema.attestationReward.outcome, RewardOutcome],
        ["resourceUsage.reason", schema.resourceUsage.reason, DenialReason],
        ["lotteryEntry.kind", schema.lotteryEntry.kind, EntryKind],
        ["lotteryEpoch.outcome", schema.lotteryEpoch.outcome, DrawOutcome],
        ["task.state", schema.task.state, TaskState],
        // Human rewards and attention (issue 17).
        ["workReview.kind", schema.workReview.kind, WorkKind],
      ];
      for (const [name, column, protocolEnum] of columns)
        expect(column.enumValues, name).to.deep.equal([...protocolEnum.keys]);
    });

    it("the indexer writes escrow states and proposal statuses that the contracts define", function () {
      const escrowHandlers = read("indexer/src/Escrow.ts");
      const written = [...escrowHandlers.matchAll(/\bstate: "(\w+)"/g)].map((m) => m[1]);
      expect(written.length).to.be.greaterThan(3);
      for (const key of written)
        expect(EscrowState.keys, `indexer/src/Escrow.ts state "${key}"`).to.include(key);
      const governorHandlers = read("indexer/src/CivitasGovernor.ts");
      for (const [, key] of governorHandlers.matchAll(/\bstatus: "(\w+)"/g))
        expect(ProposalState.keys, `indexer/src/CivitasGovernor.ts status "${key}"`).to.include(key);
    });

    it("docs/indexer.md lists the indexer's states, statuses and grant outcomes as generated", function () {
      const doc = read("docs/indexer.md");
      expect(listAfter(doc, "| `escrow`", "`state`")).to.deep.equal(EscrowState.keys.slice(1));
      expect(listAfter(doc, "| `agent`", "`status`")).to.deep.equal(AgentStatus.keys.slice(1));
      expect(listAfter(doc, "| `agent`", "`grantOutcome`")).to.deep.equal([...GrantOutcome.keys]);
    });

    it("the reputation table of docs/escrow.md (and deltas quoted in docs/security.md) are the contract's", function () {
      const signed = (text: string) => BigInt(text.replace("−", "-").replace("+", ""));
      const deltas = Object.entries(CONSTANTS.Escrow).filter(([name]) => name.startsWith("DELTA_"));
      expect(deltas.length).to.be.greaterThan(5);
      const table = [...read("docs/escrow.md").matchAll(/^\| `(DELTA_\w+)` +\| +([+−-]?\d+) \|/gm)];
      expect(Object.fromEntries(table.map((m) => [m[1], signed(m[2]!)]))).to.deep.equal(
        Object.fromEntries(deltas),
      );
      const quoted = [...read("docs/security.md").matchAll(/`(DELTA_\w+)` ([+−-]\d+)/g)];
      expect(quoted.length).to.be.greaterThan(3);
      for (const [, name, value] of quoted)
        expect(signed(value!), `docs/security.md ${name}`).to.equal(
          CONSTANTS.Escrow[name as keyof typeof CONSTANTS.Escrow],
        );
    });

    it("docs/registry.md lists the status and grant-outcome codes as generated", function () {
      const doc = read("docs/registry.md");
      const statusLine = doc.split("\n").find((l) => l.startsWith("Status codes (`statusOf`):"))!;
      const codes = [...statusLine.matchAll(/(\d+) `(\w+)`/g)].map((m) => [Number(m[1]), m[2]]);
      expect(codes).to.deep.equal(AgentStatus.names.map((n, i) => [i, n]));
      const outcomes = [...doc.matchAll(/^\| (\d+) +\| `(\w+)` +\|/gm)].map((m) => [Number(m[1]), m[2]]);
      expect(outcomes).to.deep.equal(GrantOutcome.names.map((n, i) => [i, n]));
    });
  });
});
