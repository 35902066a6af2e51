/**
 * How fast the indexer is serving current data again (issues 19 and 22), measured on `npm run indexer`
 * (indexer/run.ts) running as its own process on a devnet, each time until `/ready` answers 200 (the
 * indexer current at the chain's head, its last indexed block the chain's head). Two configurations in the same run, each on its own devnet and
 * database:
 *
 * - anchor: Ponder's own finality depths (30 blocks at start and while following: main before the devnet
 *   depths; `--finality-blocks 30 --start-finality-blocks 30`);
 * - devnet defaults (run.ts DEVNET_FINALITY_BLOCKS live, DEVNET_START_FINALITY_BLOCKS at start).
 *
 * For each: the first start; `rounds` times a restart after SIGTERM, after SIGKILL of the whole indexer
 * (Ponder ends with its supervisor) and after SIGKILL of Ponder alone (the supervisor restarts it); a
 * revert 110 blocks deep (payments, then empty blocks, evm_revert, new payments), revert until /ready, and
 * who handled it; then a reorg below Ponder's finalized block with a 30-block live depth (the re-index
 * path: detection, stop, wipe, start, re-sync, as the supervisor times them).
 *
 * Usage: `npm run bench:recovery -- [rounds]`; on Postgres `test/indexer/postgres.sh npm run bench:recovery`.
 * Prints a Markdown table. Ports: free ones (or CIVITAS_BENCH_PORT and the next). CIVITAS_BENCH_LOG=<file>
 * writes the indexers' whole log (Ponder's and the supervisor's lines, timed).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../scripts/lib/deployment.ts";
import { QUIET_ENV, deployProtocol, freePort, startDevnet } from "../scripts/lib/devnet.ts";
import { chainClients, send } from "../test/indexer/helpers.ts";

const rounds = Number(process.argv[2] ?? 2);
const basePort = process.env.CIVITAS_BENCH_PORT ? Number(process.env.CIVITAS_BENCH_PORT) : undefined;
const log: string[] = [];
const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const spread = (values: number[]) =>
  values.length === 1 ? fmt(values[0]!) : `${values.map(fmt).join(", ")} (median ${fmt(median(values))})`;
const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

/** One configuration's measures, by row label; each is also printed as soon as it is measured. */
class Results extends Map<string, string> {
  private readonly label: string;
  constructor(label: string) {
    super();
    this.label = label;
  }
  override set(row: string, value: string): this {
    console.log(
      `[${new Date().toISOString()} load ${loadavg()[0]!.toFixed(1)}] ${this.label}: ${row}: ${value}`,
    );
    if (process.env.CIVITAS_BENCH_LOG) writeFileSync(process.env.CIVITAS_BENCH_LOG, log.join(""));
    return super.set(row, value);
  }
}

/** Runs every measure on a fresh devnet and database with the indexer's extra arguments `depthArgs`. */
async function measure(label: string, depthArgs: string[], portIndex: number): Promise<Results> {
  const results = new Results(label);
  const work = mkdtempSync(join(tmpdir(), "civitas-recovery-bench-"));
  const deploymentsDir = join(work, "deployments");
  const databaseDir = join(work, "pglite");
  const port = basePort !== undefined ? basePort + portIndex : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const devnet = await startDevnet();
  let indexer: ChildProcess | undefined;
  log.push(`\n===== ${label} =====\n`);

  const startRunner = (extra: string[] = depthArgs): ChildProcess => {
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
        ...extra,
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
  };

  /** The devnet's head block number. */
  const chainHead = async (): Promise<string> => {
    const response = await fetch(devnet.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    });
    return BigInt(((await response.json()) as { result: string }).result).toString();
  };
  /**
   * Milliseconds from `since` until /ready answers 200 and the indexer's last indexed block and the head
   * it saw are the chain's head now (/ready alone may still answer 200 for the instant before the
   * supervisor's next look at the chain, or while Ponder follows a head that moved on).
   */
  const readyAfter = async (since: number, timeoutMs = 600_000): Promise<number> => {
    for (;;) {
      try {
        const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) {
          const verdict = (await (await fetch(`${url}/indexer/status`)).json()) as Record<string, unknown>;
          const now = await chainHead();
          if (verdict.indexedBlock === now && verdict.chainHead === now) return performance.now() - since;
        }
      } catch {
        // not serving yet
      }
      if (performance.now() - since > timeoutMs) {
        console.error(log.slice(-60).join(""));
        throw new Error(`not ready within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const status = async (): Promise<Record<string, any>> =>
    (await (await fetch(`${url}/indexer/status`)).json()) as Record<string, any>;

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
    results.set("first start, empty database, until /ready", fmt(await readyAfter(performance.now())));

    const sigterm: number[] = [];
    const sigkillAll: number[] = [];
    const sigkillPonder: number[] = [];
    const shutdown: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await pay(2, 100n + BigInt(round));
      await readyAfter(performance.now());
      // 1. SIGTERM, then a new indexer on the same database.
      let t0 = performance.now();
      indexer.kill("SIGTERM");
      await exited(indexer);
      shutdown.push(performance.now() - t0);
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
    results.set("restart after SIGTERM, until /ready", spread(sigterm));
    results.set("of which the old indexer's shutdown", spread(shutdown));
    results.set("restart after SIGKILL of the indexer, until /ready", spread(sigkillAll));
    results.set("SIGKILL of Ponder alone (supervisor restarts it), until /ready", spread(sigkillPonder));
    results.set(
      "waits on a schema lock in all of the above",
      String(log.join("").split(`===== ${label} =====`)[1]!.split("Schema is locked").length - 1),
    );

    // 4. A revert 110 blocks deep: a snapshot at the head, 6 payments and 104 empty blocks, the revert,
    //    4 new payments.
    const deep: number[] = [];
    const handledBy: string[] = [];
    for (let round = 0; round < rounds; round++) {
      await readyAfter(performance.now());
      const snapshot = await rpc<string>("evm_snapshot");
      await pay(6, 300n + BigInt(round));
      for (let i = 0; i < 104; i++) await rpc("evm_mine");
      await readyAfter(performance.now());
      const t0 = performance.now();
      await rpc("evm_revert", [snapshot]);
      await pay(4, 400n + BigInt(round));
      deep.push(await readyAfter(t0));
      handledBy.push((await status()).lastReorg?.handledBy ?? "?");
    }
    results.set(
      "revert 110 blocks deep (then 4 new blocks), revert until /ready",
      `${spread(deep)}; handled by ${handledBy.join(", ")}`,
    );

    // 5. Reorgs below Ponder's finalized block, with a 30-block live depth (the re-index path).
    indexer.kill("SIGTERM");
    await exited(indexer);
    const startArgs = depthArgs.filter(
      (_, i) => depthArgs[i - 1] !== "--finality-blocks" && depthArgs[i] !== "--finality-blocks",
    );
    indexer = startRunner([...startArgs, "--finality-blocks", "30"]);
    const phases: Record<string, number>[] = [];
    for (let round = 0; round < rounds; round++) {
      await readyAfter(performance.now());
      const f = BigInt((await status()).finalizedBlock);
      let next = f + 30n;
      while (next < (await head()) + 2n) next += 30n;
      while ((await head()) < next - 1n) await rpc("evm_mine");
      const snapshot = await rpc<string>("evm_snapshot");
      await pay(5, 500n + BigInt(round));
      while (BigInt((await status()).finalizedBlock ?? 0) < next) await rpc("evm_mine");
      await readyAfter(performance.now());
      const before = (await status()).lastRecovery?.detectedAt;
      const t0 = performance.now();
      const reverted = Date.now();
      await rpc("evm_revert", [snapshot]);
      await pay(3, 600n + BigInt(round));
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
    const m = (key: string) => median(phases.map((p) => p[key]!));
    results.set(
      "reorg below the finalized block (live depth 30: re-index), revert until /ready",
      `${spread(phases.map((p) => p.totalMs!))}; median: detect ${m("detectMs")} ms, stop ${m("stopMs")} ms, ` +
        `wipe ${m("wipeMs")} ms, Ponder start until it serves ${fmt(m("launchMs"))}, re-sync ${fmt(m("syncMs"))}`,
    );
    return results;
  } finally {
    if (indexer !== undefined && indexer.exitCode === null) {
      indexer.kill("SIGTERM");
      await exited(indexer);
    }
    await devnet.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const loads: string[] = [];
const sampleLoad = () => loads.push(loadavg()[0]!.toFixed(1));
const sampler = setInterval(sampleLoad, 10_000);
sampleLoad();
try {
  const started = new Date().toISOString();
  const devnet = await measure("devnet defaults", [], 1);
  const anchor = await measure(
    "anchor: Ponder's depths (30 live, 30 at start)",
    ["--finality-blocks", "30", "--start-finality-blocks", "30"],
    0,
  );
  sampleLoad();
  const database = process.env.DATABASE_URL ? "Postgres" : "PGlite";
  console.log(`${database}, ${rounds} round(s), ${started} to ${new Date().toISOString()}`);
  console.log(`load average (1 min, every 10 s): ${loads.join(" ")}`);
  console.log(`| measure | anchor: Ponder's depths (30 / 30) | devnet defaults |`);
  console.log("| --- | --- | --- |");
  for (const [row, value] of devnet) console.log(`| ${row} | ${anchor.get(row) ?? ""} | ${value} |`);
} finally {
  clearInterval(sampler);
  if (process.env.CIVITAS_BENCH_LOG) writeFileSync(process.env.CIVITAS_BENCH_LOG, log.join(""));
}
