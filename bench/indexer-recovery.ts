/**
 * How fast the indexer is serving current data again (issues 19 and 22), measured on `npm run indexer`
 * (indexer/run.ts) running as its own process on a devnet, each time until `/ready` answers 200 (the
 * indexer current at the chain's head):
 *
 * 1. restart after SIGTERM: SIGTERM to the indexer, then a new one on the same database;
 * 2. restart after SIGKILL of the whole indexer (supervisor and Ponder: Ponder ends with its supervisor);
 * 3. SIGKILL of the Ponder process alone (a crash): the supervisor restarts it;
 * 4. a reorg below Ponder's finalized block (evm_revert): detection, stop, wipe, start, re-sync, as the
 *    supervisor times them (`lastRecovery` in /indexer/status), `rounds` times.
 *
 * Usage: `npm run bench:recovery -- [rounds]`; on Postgres `test/indexer/postgres.sh npm run bench:recovery`.
 * Prints a Markdown table. Ports: a free one (or CIVITAS_BENCH_PORT).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../scripts/lib/deployment.ts";
import { QUIET_ENV, deployProtocol, freePort, startDevnet } from "../scripts/lib/devnet.ts";
import { chainClients, send } from "../test/indexer/helpers.ts";

const rounds = Number(process.argv[2] ?? 3);
const work = mkdtempSync(join(tmpdir(), "civitas-recovery-bench-"));
const deploymentsDir = join(work, "deployments");
const databaseDir = join(work, "pglite");
const port = Number(process.env.CIVITAS_BENCH_PORT ?? (await freePort()));
const url = `http://127.0.0.1:${port}`;
const devnet = await startDevnet();
const log: string[] = [];
let indexer: ChildProcess | undefined;

/** Starts `node indexer/run.ts` on the devnet and the bench's database. */
function startRunner(): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, "indexer", "run.ts"),
      "--rpc",
      devnet.rpcUrl,
      "--port",
      String(port),
      "--database-dir",
      databaseDir,
      "--schema",
      "bench_recovery",
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...QUIET_ENV,
        CIVITAS_DEPLOYMENTS_DIR: deploymentsDir,
        // On a loaded machine Ponder may take minutes to serve HTTP (as the test kit allows).
        CIVITAS_INDEXER_START_TIMEOUT_MS: process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ?? "600000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

/** Milliseconds from `since` until /ready answers 200 at the chain's current head. */
async function readyAfter(since: number, timeoutMs = 600_000): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return performance.now() - since;
    } catch {
      // not serving yet
    }
    if (performance.now() - since > timeoutMs) {
      console.error(log.slice(-60).join(""));
      throw new Error(`not ready within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function status(): Promise<Record<string, any>> {
  return (await (await fetch(`${url}/indexer/status`)).json()) as Record<string, any>;
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
try {
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
  const { provider, signers, token, registry } = await chainClients(devnet.rpcUrl, deployment);
  const rpc = <T>(method: string, params: unknown[] = []) => provider.send(method, params) as Promise<T>;
  const head = async () => BigInt(await rpc<string>("eth_blockNumber"));
  for (const agent of signers.slice(1, 5))
    await send((registry!.connect(agent) as any)["register(string)"]("ipfs://bench"));
  const pay = async (n: number, salt: bigint) => {
    for (let i = 0; i < n; i++)
      await send(
        (token.connect(signers[1 + (i % 4)]!) as any).transfer(signers[5]!.address, salt + BigInt(i)),
      );
  };
  await pay(20, 1n);

  indexer = startRunner();
  const firstStart = await readyAfter(performance.now());
  const rows: [string, string][] = [["first start, empty database", fmt(firstStart)]];

  const sigterm: number[] = [];
  const sigkillAll: number[] = [];
  const sigkillPonder: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await pay(2, 100n + BigInt(round));
    await readyAfter(performance.now());
    // 1. SIGTERM, then a new indexer on the same database.
    let t0 = performance.now();
    indexer.kill("SIGTERM");
    await exited(indexer);
    indexer = startRunner();
    sigterm.push(await readyAfter(t0));
    // 2. SIGKILL of the indexer's process (Ponder ends with it), then a new one.
    await pay(2, 200n + BigInt(round));
    await readyAfter(performance.now());
    t0 = performance.now();
    indexer.kill("SIGKILL");
    await exited(indexer);
    indexer = startRunner();
    sigkillAll.push(await readyAfter(t0));
    // 3. SIGKILL of Ponder alone: the supervisor restarts it.
    const ponderPid = (await status()).pid as number;
    t0 = performance.now();
    process.kill(-ponderPid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 300)); // until the supervisor saw the exit
    sigkillPonder.push(await readyAfter(t0));
  }
  const spread = (values: number[]) =>
    `${values.map(fmt).join(", ")} (median ${fmt([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!)})`;
  rows.push(["restart after SIGTERM, until /ready", spread(sigterm)]);
  rows.push(["restart after SIGKILL of the indexer, until /ready", spread(sigkillAll)]);
  rows.push(["SIGKILL of Ponder alone (supervisor restarts it), until /ready", spread(sigkillPonder)]);
  const lockWaits = log.join("").split("Schema is locked").length - 1;
  rows.push(["waits on a schema lock in all of the above", String(lockWaits)]);

  // 4. Reorgs below Ponder's finalized block.
  const phases: Record<string, number>[] = [];
  for (let round = 0; round < rounds; round++) {
    await readyAfter(performance.now());
    const f = BigInt((await status()).finalizedBlock);
    let next = f + 30n;
    while (next < (await head()) + 2n) next += 30n;
    while ((await head()) < next - 1n) await rpc("evm_mine");
    const snapshot = await rpc<string>("evm_snapshot");
    await pay(5, 300n + BigInt(round));
    while (BigInt((await status()).finalizedBlock ?? 0) < next) await rpc("evm_mine");
    await readyAfter(performance.now());
    const before = (await status()).lastRecovery?.detectedAt;
    const t0 = performance.now();
    const reverted = Date.now();
    await rpc("evm_revert", [snapshot]);
    await pay(3, 400n + BigInt(round));
    const total = await readyAfter(t0);
    let recovery = (await status()).lastRecovery;
    while (recovery === null || recovery.detectedAt === before) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      recovery = (await status()).lastRecovery;
    }
    phases.push({
      detectMs: Date.parse(recovery.detectedAt) - reverted,
      stopMs: recovery.stopMs,
      wipeMs: recovery.wipeMs,
      launchMs: recovery.launchMs,
      syncMs: recovery.syncMs,
      totalMs: total,
    });
  }
  const median = (key: string) => {
    const values = phases.map((p) => p[key]!).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  };
  rows.push([
    `reorg below the finalized block, revert until /ready (${rounds} rounds)`,
    `${phases.map((p) => fmt(p.totalMs!)).join(", ")}; median: detect ${median("detectMs")} ms, stop ${median("stopMs")} ms, ` +
      `wipe ${median("wipeMs")} ms, Ponder start until it serves ${fmt(median("launchMs"))}, re-sync ${fmt(median("syncMs"))}`,
  ]);
  const database = process.env.DATABASE_URL ? "Postgres" : "PGlite";
  console.log(`| measure (${database}) | time |`);
  console.log("| --- | --- |");
  for (const [measure, value] of rows) console.log(`| ${measure} | ${value} |`);
} finally {
  if (indexer !== undefined && indexer.exitCode === null) {
    indexer.kill("SIGTERM");
    await exited(indexer);
  }
  await devnet.stop();
  rmSync(work, { recursive: true, force: true });
}
