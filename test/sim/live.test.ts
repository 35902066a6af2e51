import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  AgentWallet,
  type CivitasPublicClient,
  createCivitasPublicClient,
} from "../../scripts/lib/clients.ts";
import { type CivitasContracts, civitasContracts } from "../../scripts/lib/contracts.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";
import { setEthBalance } from "../../scripts/lib/devchain.ts";
import { type Devnet, deployProtocol, QUIET_ENV, startDevnet } from "../../scripts/lib/devnet.ts";
import { EscrowState, TaskState } from "../../scripts/lib/vocabulary.ts";
import { runSimulation, type SimulationResult, type SimulationRun } from "../../scripts/sim/engine.ts";
import { freeDevAccounts, type LiveEconomy, startLiveEconomy } from "../../scripts/sim/live.ts";
import { MAX_OPEN_OUTSIDER_JOBS } from "../../scripts/sim/outsiders.ts";

/** Runs the CLI as a newcomer would after pasting the banner's exports: env vars only, no flags. */
function cli(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [join(REPO_ROOT, "scripts", "cli", "index.ts"), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...QUIET_ENV, ...env }, timeout: 180_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe("sim: live mode (the economy goes on living after the run and answers outsiders)", function () {
  this.timeout(900_000);
  const work = mkdtempSync(join(tmpdir(), "civitas-live-"));
  const deploymentsDir = join(work, "deployments");
  let devnet: Devnet;
  let deployment: Deployment;
  let client: CivitasPublicClient;
  let contracts: CivitasContracts;
  let result: SimulationResult;
  let run: SimulationRun | undefined;
  let live: LiveEconomy;
  let env: Record<string, string>;

  before(async function () {
    devnet = await startDevnet();
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
    contracts = civitasContracts(deployment);
    result = await runSimulation({
      rpcUrl: devnet.rpcUrl,
      deployment,
      agents: 8,
      days: 2,
      seed: "live",
      governanceDay: 99,
      onFinished: (finished) => (run = finished),
    });
    // Paused: the test lives each day with step(), exactly what the clock does, without timing assumptions.
    live = await startLiveEconomy(run!, {
      lastDay: 2,
      days: 2,
      governanceDay: 99,
      daySeconds: 1,
      paused: true,
    });
    env = { CIVITAS_RPC_URL: devnet.rpcUrl, CIVITAS_DEPLOYMENTS_DIR: deploymentsDir };
  });

  after(async function () {
    await live?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const stateOf = async (id: bigint) =>
    EscrowState.nameOf(
      (await client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [id] })).state,
    );

  const ok = async (key: Hex, args: string[]) => {
    const r = await cli({ ...env, CIVITAS_PRIVATE_KEY: key }, args);
    if (r.code !== 0) throw new Error(`civitas ${args.join(" ")} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  it("hands the run over to live mode", function () {
    expect(run, "runSimulation calls onFinished with its run").to.not.equal(undefined);
    expect(live.day).to.equal(2);
  });

  it("an outsider key hires a simulated worker and sees the job through with its own key alone", async function () {
    const key = generatePrivateKey();
    const me = privateKeyToAccount(key).address;
    const living = (archetype: string) =>
      result.agents.filter(
        (a) => a.archetype === archetype && a.agentId > 0n && !result.starved.includes(a.address),
      );
    const worker = living("worker")[0]!;
    const arbitrator = living("arbitrator")[0]!;
    expect(worker, "a living worker").to.not.equal(undefined);
    expect(arbitrator, "a living arbitrator").to.not.equal(undefined);

    await ok(key, ["faucet"]);
    expect(await ok(key, ["register"])).to.match(/birth grant 1,000 CIV \(Paid\)/);
    const created = await ok(key, [
      "job",
      "create",
      "--provider",
      worker.address,
      "--arbitrator",
      arbitrator.address,
      "--amount",
      "40",
      "--fee",
      "2",
      "--days",
      "5",
    ]);
    const id = BigInt(/Created job (\d+)/.exec(created)![1]!);
    expect(await stateOf(id)).to.equal("Created");

    // One simulated day: the worker agrees (phase `agree`), then the arbitrator posts its bond (`accept`).
    await live.step();
    expect(await stateOf(id)).to.equal("Accepted");
    await ok(key, ["job", "fund", String(id)]);
    expect(await stateOf(id)).to.equal("Funded");

    // The worker delivers on its next day (a worker misses a day with probability 0.03: allow three days).
    for (let day = 0; day < 3 && (await stateOf(id)) === "Funded"; day++) await live.step();
    expect(await stateOf(id)).to.equal("Submitted");

    const before = await client.readContract({
      ...contracts.token,
      functionName: "balanceOf",
      args: [worker.address],
    });
    await ok(key, ["job", "approve", String(id)]);
    expect(await stateOf(id)).to.equal("Completed");
    const after = await client.readContract({
      ...contracts.token,
      functionName: "balanceOf",
      args: [worker.address],
    });
    expect(after > before, "the worker was paid").to.equal(true);
    const escrow = await client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [id] });
    expect([escrow.client, escrow.provider] as Address[]).to.deep.equal([me, worker.address]);
  });

  it("keeps a city task open for an outsider, who takes and delivers it with the CLI and is paid by the clerk", async function () {
    const board = contracts.taskBoard!;
    const taskState = async (id: bigint) =>
      TaskState.nameOf((await client.readContract({ ...board, functionName: "task", args: [id] })).state);
    // One live day: the clerk posts at the live pace (LIVE_CITY_POLICY) and the agents leave one task open.
    await live.step();
    const count = await client.readContract({ ...board, functionName: "taskCount" });
    let open: bigint | undefined;
    for (let id = count; id >= 1n && open === undefined; id--)
      if ((await taskState(id)) === "Open") open = id;
    // Not `expect(open).to.not.equal(undefined)`: the bigint matcher cannot compare a bigint with undefined.
    expect(open !== undefined, "an open task after a live day").to.equal(true);
    const key = generatePrivateKey();
    const me = privateKeyToAccount(key).address;
    await ok(key, ["faucet"]);
    await ok(key, ["register"]);
    expect(await ok(key, ["task", "show", String(open)])).to.contain("7 days to deliver once taken");
    expect(await ok(key, ["task", "take", String(open)])).to.match(/state Taken; deliver by/);
    await ok(key, ["task", "deliver", String(open), "ipfs://outsider/work"]);
    const before = await client.readContract({ ...contracts.token, functionName: "balanceOf", args: [me] });
    await live.step(); // the clerk reviews its deliveries
    expect(await taskState(open!)).to.equal("Accepted");
    const after = await client.readContract({ ...contracts.token, functionName: "balanceOf", args: [me] });
    expect(after > before, "the outsider was paid").to.equal(true);
  });

  it("lists the funded dev accounts nobody uses: not the deployer, the guardian, a city reviewer or a registered agent", async function () {
    const free = await freeDevAccounts(client, contracts);
    const guardian = await client.readContract({ ...contracts.timelock, functionName: "guardian" });
    const board = contracts.taskBoard!;
    const reviewerRole = await client.readContract({ ...board, functionName: "REVIEWER_ROLE" });
    expect(free.length).to.be.greaterThan(10);
    expect(free.map((a) => a.index)).to.not.include(0);
    expect(free.map((a) => a.address)).to.not.include(guardian);
    for (const a of free) {
      expect(
        await client.readContract({
          ...board,
          functionName: "hasRole",
          args: [reviewerRole, a.address],
        }),
      ).to.equal(false);
    }
    for (const a of free) {
      expect(privateKeyToAccount(a.privateKey).address).to.equal(a.address);
      expect(
        await client.readContract({ ...contracts.registry, functionName: "agentIdOf", args: [a.address] }),
      ).to.equal(0n);
    }
    // Once one of them registers, it is no longer offered.
    await ok(free[0]!.privateKey, ["register"]);
    expect((await freeDevAccounts(client, contracts)).map((a) => a.index)).to.not.include(free[0]!.index);
  });

  it("bounds the jobs outsiders offer a simulated worker, however many wallets they use (spam attack)", async function () {
    const worker = result.agents.find(
      (a) => a.archetype === "worker" && a.agentId > 0n && !result.starved.includes(a.address),
    )!;
    const arbitrator = result.agents.find(
      (a) => a.archetype === "arbitrator" && a.agentId > 0n && !result.starved.includes(a.address),
    )!;
    // One person, two wallets: each offers the same worker jobs, together more than the bound.
    const wallets = [generatePrivateKey(), generatePrivateKey()].map(
      (key) => new AgentWallet({ client, account: privateKeyToAccount(key) }),
    );
    const { escrow, registry } = contracts;
    const ids: bigint[] = [];
    for (const wallet of wallets) {
      await setEthBalance(client, wallet.address, 10n ** 20n);
      await wallet.execute({ ...registry, functionName: "register", args: ["ipfs://spammer"] });
    }
    const now = (await client.getBlock()).timestamp;
    for (let i = 0; i < MAX_OPEN_OUTSIDER_JOBS + 2; i++) {
      const wallet = wallets[i % 2]!;
      await wallet.execute({
        ...escrow,
        functionName: "create",
        args: [
          {
            kind: 0,
            provider: worker.address,
            arbitrator: arbitrator.address,
            amount: 10n ** 18n,
            arbitratorFee: 0n,
            deliveryDeadline: now + 20n * 86_400n,
            reviewWindow: 86_400,
            rulingWindow: 172_800,
            termsHash: `0x${"00".repeat(32)}`,
            termsURI: "ipfs://spam",
          },
        ],
      });
      ids.push(await client.readContract({ ...escrow, functionName: "escrowCount" }));
    }
    // Two days: the worker agrees to the first MAX_OPEN_OUTSIDER_JOBS only, and declines the rest for good.
    // (A worker misses a day with probability 0.03: allow three days.)
    const accepted = async (some: bigint[]) =>
      (await Promise.all(some.map(stateOf))).every((state) => state === "Accepted");
    for (let day = 0; day < 3 && !(await accepted(ids.slice(0, MAX_OPEN_OUTSIDER_JOBS))); day++)
      await live.step();
    const states = await Promise.all(ids.map(stateOf));
    expect(states.slice(0, MAX_OPEN_OUTSIDER_JOBS)).to.deep.equal(
      Array(MAX_OPEN_OUTSIDER_JOBS).fill("Accepted"),
    );
    expect(states.slice(MAX_OPEN_OUTSIDER_JOBS)).to.deep.equal(["Created", "Created"]);
    // The declined jobs are never read again, and their client may cancel them (nothing is locked).
    for (const id of ids.slice(MAX_OPEN_OUTSIDER_JOBS)) expect(run!.finalEscrows.has(id)).to.equal(true);
    const last = ids.at(-1)!;
    await wallets[(ids.length - 1) % 2]!.execute({ ...escrow, functionName: "cancel", args: [last] });
    expect(await stateOf(last)).to.equal("Cancelled");
    // Once an outsider job ends (cancelled by its client), a new offer is taken again.
    await wallets[0]!.execute({ ...escrow, functionName: "cancel", args: [ids[0]!] });
    await wallets[0]!.execute({
      ...escrow,
      functionName: "create",
      args: [
        {
          kind: 0,
          provider: worker.address,
          arbitrator: arbitrator.address,
          amount: 10n ** 18n,
          arbitratorFee: 0n,
          deliveryDeadline: now + 20n * 86_400n,
          reviewWindow: 86_400,
          rulingWindow: 172_800,
          termsHash: `0x${"00".repeat(32)}`,
          termsURI: "ipfs://again",
        },
      ],
    });
    const again = await client.readContract({ ...escrow, functionName: "escrowCount" });
    for (let day = 0; day < 3 && !(await accepted([again])); day++) await live.step();
    expect(await stateOf(again)).to.equal("Accepted");
  });

  it("passes days on its own once resumed, and an outsider's transaction is mined meanwhile", async function () {
    const start = live.day;
    live.resume();
    const key = generatePrivateKey();
    await ok(key, ["faucet"]);
    expect(await ok(key, ["register"])).to.match(/Registered agent \d+/);
    // Wait (no time limit but the test's) for two more days to have passed on the clock.
    while (live.day < start + 2) await new Promise((resolve) => setTimeout(resolve, 200));
    live.pause();
    await live.stop();
    expect(live.day).to.be.greaterThanOrEqual(start + 2);
    // The loop leaves automine on and nothing waiting in the mempool.
    const pending = await client.getBlock({ blockTag: "pending" });
    expect(pending.transactions.length).to.equal(0);
  });
});
