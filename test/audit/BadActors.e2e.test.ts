/**
 * The auditor against the simulation's bad actors (issue 15), end to end: a devnet with the Protocol
 * deployment, the indexer following it, and a short simulation of honest agents with the bad actors of
 * scripts/sim/bad-actors.ts beside them. Each attack raises its rule's flag against exactly its actor's
 * wallets, evasions included (a one-way ring, an arbitrator of the owner's own), and no flag of these rules
 * names an honest agent.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { Contract, JsonRpcProvider, JsonRpcSigner, parseEther } from "ethers";
import { chromium } from "playwright-core";
import { civitasGovernorAbi, civitasTokenAbi } from "../../generated/abis.ts";
import { formatCount } from "../../dashboard/src/format.ts";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { AUDIT_CONFIG } from "../../indexer/audit/config.ts";
import { createCivitasPublicClient } from "../../scripts/lib/clients.ts";
import { type Deployment, REPO_ROOT } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { BAD_ACTORS, type BadActorKind } from "../../scripts/sim/archetypes.ts";
import { type BadActors, createBadActors } from "../../scripts/sim/bad-actors.ts";
import { runSimulation, type SimulationResult } from "../../scripts/sim/engine.ts";

// On a loaded machine Ponder may take minutes to serve HTTP (as the test kit in kit/serve.ts allows).
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";

interface FlagRow {
  id: string;
  verdict: string;
  rule: string;
  severity: string;
  accounts: string[];
  transactionHashes: string[];
  summary: string;
}

/** Every flag the indexer's auditor raised. */
async function auditFlags(graphqlUrl: string): Promise<FlagRow[]> {
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query:
        "{ flags(limit: 1000) { items { id rule severity accounts transactionHashes summary verdict } } }",
    }),
  });
  const body = (await response.json()) as { data: { flags: { items: FlagRow[] } } };
  return body.data.flags.items;
}

/** An account governance pays more than the quorum (not an agent, not a bad actor of the simulation). */
const WHALE = "0x000000000000000000000000000000000000b0b1";

/** Debian's chromium (`.ci/run` installs it with apt); CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SEVERITIES = ["critical", "high", "medium", "low"];

/** The rules the bad actors are meant to trip. */
const ATTACK_RULES: string[] = [...new Set(Object.values(BAD_ACTORS).map((spec) => spec.flaggedBy))];

describe("auditor: the simulation's bad actors raise their flags, honest agents none (e2e)", function () {
  this.timeout(3_000_000);
  let devnet: Devnet;
  let deployment: Deployment;
  let indexer: Indexer;
  let result: SimulationResult;
  let bad: BadActors;
  let flags: FlagRow[];
  let quorum: bigint;
  const work = mkdtempSync(join(tmpdir(), "civitas-bad-actors-"));
  const deploymentsDir = join(work, "deployments");
  const indexerLog: string[] = [];

  /** The lower-cased addresses of one actor's wallets. */
  const walletsOf = (kind: BadActorKind) =>
    bad
      .wallets()
      .filter((w) => w.kind === kind)
      .map((w) => w.address.toLowerCase());
  const honest = () => new Set(result.agents.map((a) => a.address.toLowerCase()));

  before(async function () {
    devnet = await startDevnet();
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      chainId: deployment.chainId,
      deploymentsDir,
      databaseDir: join(work, "pglite"),
      log: (line) => void indexerLog.push(line),
    });
    bad = createBadActors();
    // 6 honest agents x 3 days (no governance proposal: the governance day is past the run) and every bad
    // actor: the attacks take days 1 and 2; day 3 lets upkeep and the rings' last jobs settle.
    result = await runSimulation({
      rpcUrl: devnet.rpcUrl,
      deployment,
      agents: 6,
      days: 3,
      seed: "bad-actors",
      governanceDay: 99,
      hooks: [bad],
    });
    // governance-concentration with the Governor's recorded quorum: an account minted (by governance,
    // impersonated here) more than the quorum proposes and votes alone; its one vote meets the quorum.
    const provider = new JsonRpcProvider(devnet.rpcUrl);
    const as = async (address: string) => {
      await provider.send("hardhat_impersonateAccount", [address]);
      await provider.send("hardhat_setBalance", [address, "0xde0b6b3a7640000"]);
      return new JsonRpcSigner(provider, address);
    };
    const timelock = await as(deployment.contracts.timelock!);
    const whaleSigner = await as(WHALE);
    const token = new Contract(deployment.contracts.token!, civitasTokenAbi as never, timelock);
    const governor = new Contract(deployment.contracts.governor!, civitasGovernorAbi as never, whaleSigner);
    await (await token.getFunction("mint")(WHALE, parseEther("10000"))).wait();
    await (await (token.connect(whaleSigner) as Contract).getFunction("delegate")(WHALE)).wait();
    await provider.send("evm_mine", []);
    const propose = governor.getFunction("propose");
    const args = [
      [deployment.contracts.token!],
      [0n],
      [token.interface.encodeFunctionData("taxBps")],
      "Alone",
    ];
    const proposalId = (await propose.staticCall(...args)) as bigint;
    await (await propose(...args)).wait();
    await provider.send("evm_increaseTime", [86_401]);
    await provider.send("evm_mine", []);
    await (await governor.getFunction("castVote")(proposalId, 1)).wait();
    quorum = (await governor.getFunction("quorum")(
      (await governor.getFunction("proposalSnapshot")(proposalId)) as bigint,
    )) as bigint;
    const client = createCivitasPublicClient(devnet.rpcUrl);
    await indexer.waitForIndexedBlock(await client.getBlockNumber({ cacheTime: 0 }), 1_200_000);
    flags = await auditFlags(indexer.graphqlUrl);
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") {
      console.error(JSON.stringify(bad?.summary(), null, 1).slice(0, 4000));
      console.error(JSON.stringify(flags, null, 1).slice(0, 6000));
      console.error(indexerLog.slice(-20).join("\n"));
    }
  });

  after(async function () {
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("runs every attack to its end (no bad actor's step failed)", function () {
    expect(bad.summary().failures).to.deep.equal([]);
    expect(bad.wallets().map((w) => w.kind)).to.include.members(Object.keys(BAD_ACTORS));
    for (const w of bad.wallets()) expect(honest().has(w.address.toLowerCase()), w.name).to.equal(false);
  });

  it("reputation-ring: the reciprocal ring is flagged, naming its three wallets and no one else", function () {
    const ring = walletsOf("reputation-ring");
    const raised = flags.filter(
      (f) => f.rule === "reputation-ring" && f.accounts.some((a) => ring.includes(a)),
    );
    expect(raised.length).to.be.greaterThan(0);
    for (const f of raised) {
      expect(f.severity).to.equal(AUDIT_CONFIG["reputation-ring"].severity);
      expect(ring).to.include.members(f.accounts);
      expect(f.transactionHashes.length).to.be.at.least(AUDIT_CONFIG["reputation-ring"].minJobs);
    }
    expect(raised.some((f) => new Set(f.accounts).size === 3)).to.equal(true);
  });

  it("reputation-ring: the one-way cycle (a→b→c→a, no pair reciprocates) is flagged too", function () {
    const cycle = walletsOf("cycle-ring");
    const raised = flags.filter(
      (f) => f.rule === "reputation-ring" && f.accounts.some((a) => cycle.includes(a)),
    );
    expect(raised.length).to.be.greaterThan(0);
    for (const f of raised) expect(cycle).to.include.members(f.accounts);
    expect(raised.some((f) => new Set(f.accounts).size === 3)).to.equal(true);
  });

  it("one-sided-job: the owner hiring the wallet it funded, with its other funded wallet arbitrating", function () {
    const [owner, provider, arbitrator] = walletsOf("one-sided-owner");
    const raised = flags.filter((f) => f.rule === "one-sided-job");
    expect(raised).to.have.length(1);
    expect(raised[0]!.severity).to.equal(AUDIT_CONFIG["one-sided-job"].severity);
    expect(raised[0]!.accounts).to.have.members([owner, provider, arbitrator]);
    // The two funding transfers and the job's creation.
    expect(raised[0]!.transactionHashes).to.have.length(3);
  });

  it("proposal-spam: three proposals (two cancelled) by the spammer in a day, naming it alone", function () {
    const [proposer] = walletsOf("proposal-spammer");
    const raised = flags.filter((f) => f.rule === "proposal-spam");
    expect(raised).to.have.length(1);
    expect(raised[0]!.accounts).to.deep.equal([proposer]);
    expect(raised[0]!.transactionHashes).to.have.length(AUDIT_CONFIG["proposal-spam"].maxProposals);
  });

  it("starvation-wave: the clones that drained their grants starve together, and only they are named", function () {
    const clones = walletsOf("starvation-cloner").slice(1);
    const raised = flags.filter((f) => f.rule === "starvation-wave");
    expect(raised).to.have.length(1);
    expect(raised[0]!.accounts).to.have.length(AUDIT_CONFIG["starvation-wave"].minStarved);
    expect(clones).to.include.members(raised[0]!.accounts);
  });

  it("validator-risk: the validator scheduling the maximum commission, naming it alone", function () {
    const [validator] = walletsOf("risky-validator");
    const raised = flags.filter((f) => f.rule === "validator-risk");
    expect(raised).to.have.length(1);
    expect(raised[0]!.accounts).to.deep.equal([validator]);
  });

  it("governance-concentration: one vote meeting the proposal's recorded quorum alone, naming the voter", function () {
    const raised = flags.filter(
      (f) => f.rule === "governance-concentration" && f.summary.includes("alone cast"),
    );
    expect(raised).to.have.length(1);
    expect(raised[0]!.accounts).to.deep.equal([WHALE]);
    expect(raised[0]!.severity).to.equal(AUDIT_CONFIG["governance-concentration"].atSeverity);
    expect(raised[0]!.summary).to.include(`(${quorum} wei)`);
    expect(raised[0]!.transactionHashes).to.have.length(1);
  });

  it("names no honest agent in any flag of the attacks' rules, nor in any high or critical flag", function () {
    const people = honest();
    const against = flags.filter(
      (f) =>
        f.accounts.some((a) => people.has(a)) &&
        (ATTACK_RULES.includes(f.rule) || f.severity === "high" || f.severity === "critical"),
    );
    expect(against).to.deep.equal([]);
  });

  // The dashboard's Open flags page (dashboard/src/pages/flags.ts) over this run's flags, in a real browser.
  it("shows every open flag on the dashboard's flags page, most severe first, counts equal to the indexer's", async function () {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "en-US" });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => void errors.push(error.message));
      page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
      await page.goto(`${indexer.url}/dashboard/#/flags`);
      await page.waitForSelector("main[data-block]", { timeout: 120_000 });
      const open = flags.filter((f) => f.verdict === "none" || f.verdict === "escalated");
      expect(open.length).to.be.greaterThan(0);
      expect(
        await page.getAttribute('[data-figure="openFlags"] [data-value]', "data-value"),
        "open flags",
      ).to.equal(String(open.length));
      for (const severity of SEVERITIES)
        expect(await page.innerText(`[data-figure="open-${severity}"] .value`), severity).to.equal(
          formatCount(open.filter((f) => f.severity === severity).length),
        );
      const rows = page.locator("table tbody tr");
      expect(await rows.count()).to.equal(open.length);
      const shown = await rows.evaluateAll((trs) =>
        trs.map((tr) => ({
          severity: (tr.querySelector("strong")?.className ?? "").replace("severity-", ""),
          rule: tr.children[1]?.textContent ?? "",
          accounts: [...tr.children[3]!.querySelectorAll("[title]")].map((e) => e.getAttribute("title")!),
        })),
      );
      // Most severe first; each attack's rule appears, naming its bad actor's wallets.
      const ranks = shown.map((r) => SEVERITIES.indexOf(r.severity));
      expect(ranks).to.deep.equal([...ranks].sort((a, b) => a - b));
      for (const rule of ATTACK_RULES) expect(shown.map((r) => r.rule)).to.include(rule);
      const oneSided = shown.find((r) => r.rule === "one-sided-job")!;
      expect(oneSided.accounts.map((a) => a.toLowerCase())).to.have.members(walletsOf("one-sided-owner"));
      const shots = join(REPO_ROOT, "reports", "dashboard");
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, "flags-bad-actors.png"), fullPage: true });
      expect(errors).to.deep.equal([]);
    } finally {
      await browser.close();
    }
  });
});
