/**
 * The simulation at scale (issue 19): a 1,000-agent run with the indexer following it live, then what it
 * cost — wall time (setup and days loop), peak memory of each process (driver, devnet, indexer), the
 * indexer's database size per event it indexed, and GraphQL account-history latency at that size.
 *
 * Usage: `npx node bench/sim-scale.ts [agents=1000] [days=3] [seed=scale]`. The devnet listens on
 * CIVITAS_BENCH_PORT (else a free port), the indexer on the next port; the PGlite database is written under
 * CIVITAS_BENCH_DIR (else a temporary folder) and removed at the end. Needs `npm run build` first. Prints a
 * Markdown table. Meant to run at low priority beside other work: `nice -n 10 npx node bench/sim-scale.ts`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startIndexer } from "../indexer/run.ts";
import { deployProtocol, startDevnet } from "../scripts/lib/devnet.ts";
import { runSimulation } from "../scripts/sim/engine.ts";
import { gql } from "../test/indexer/helpers.ts";

const [agents = 1000, days = 3] = process.argv.slice(2, 4).map(Number);
const seed = process.argv[4] ?? "scale";
const basePort = process.env.CIVITAS_BENCH_PORT ? Number(process.env.CIVITAS_BENCH_PORT) : undefined;
const parent = process.env.CIVITAS_BENCH_DIR ?? tmpdir();
mkdirSync(parent, { recursive: true });
const work = mkdtempSync(join(parent, "civitas-scale-"));

/** p-th percentile of a list of numbers (nearest rank). */
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** Every descendant process of `pid` with its command line and peak resident memory (VmHWM, kB). */
function descendants(pid: number): { pid: number; command: string; peakKb: number }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const found: { pid: number; command: string; peakKb: number }[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      try {
        const status = readFileSync(`/proc/${child}/status`, "utf8");
        const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        const command = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").join(" ");
        found.push({ pid: child, command, peakKb });
      } catch {
        // the process ended meanwhile
      }
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** Total size of the files under `dir`, bytes. */
function directorySize(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directorySize(path) : statSync(path).size;
  }
  return total;
}

/** Calls a JSON-RPC method. */
async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

const t0 = Date.now();
let devnetLog = "";
const devnet = await startDevnet({
  port: basePort,
  log: (line) => (devnetLog = (devnetLog + line).slice(-3000)),
});
process.on("exit", () => process.exitCode && console.error(devnetLog));
try {
  const deploymentsDir = join(work, "deployments");
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
  const databaseDir = join(work, "pglite");
  const indexer = await startIndexer({
    rpcUrl: devnet.rpcUrl,
    deploymentsDir,
    databaseDir,
    port: basePort === undefined ? undefined : basePort + 1,
  });
  const started = Date.now();
  let lastDay = Date.now();
  const result = await runSimulation({
    rpcUrl: devnet.rpcUrl,
    deployment,
    agents,
    days,
    seed,
    onDay: (day, stats) => {
      console.error(`day ${day}: ${stats.sent} tx sent, ${((Date.now() - lastDay) / 1000).toFixed(1)} s`);
      lastDay = Date.now();
    },
  });
  const simulated = Date.now();
  const head = BigInt(await rpc<string>(devnet.rpcUrl, "eth_blockNumber", []));
  await indexer.waitForIndexedBlock(head, 3_600_000);
  const caughtUp = Date.now();

  // Events the indexer had to read: every log of the run (the deployment's contracts emit all of them).
  const addresses = Object.values(deployment.contracts as Record<string, string>);
  let events = 0;
  const step = 2_000n;
  for (let from = 0n; from <= head; from += step) {
    const to = from + step - 1n > head ? head : from + step - 1n;
    const logs = await rpc<unknown[]>(devnet.rpcUrl, "eth_getLogs", [
      { fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}`, address: addresses },
    ]);
    events += logs.length;
  }
  const databaseBytes = directorySize(databaseDir);

  // GraphQL at that size: an account's latest 50 payments sent, 20 concurrent clients, 40 queries each.
  const query = (address: string) =>
    `{ transfers(where: { from: "${address}" }, orderBy: "timestamp",
       orderDirection: "desc", limit: 50) { items { id from to amount gross tax net kind timestamp } } }`;
  const gqlTimes: number[] = [];
  const g0 = Date.now();
  await Promise.all(
    Array.from({ length: 20 }, async (_, c) => {
      for (let q = 0; q < 40; q++) {
        const agent = result.agents[(c * 40 + q) % result.agents.length]!;
        const s = performance.now();
        await gql(indexer.graphqlUrl, query(agent.address.toLowerCase()));
        gqlTimes.push(performance.now() - s);
      }
    }),
  );
  const gqlSeconds = (Date.now() - g0) / 1000;
  const processes = descendants(process.pid);
  const driverPeakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0);
  await indexer.stop();

  const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
  const peakOf = (pattern: RegExp) =>
    Math.max(0, ...processes.filter((p) => pattern.test(p.command)).map((p) => p.peakKb));
  const s = result.stats;
  console.log(`| Measure | Result |`);
  console.log(`| --- | --- |`);
  console.log(
    `| Run | ${agents} agents x ${days} days, seed ${seed}: ${s.sent} tx sent, ${s.succeeded} succeeded, ${s.revertedOnChain} reverted, ${s.blocks} blocks, ${events} events |`,
  );
  console.log(
    `| Wall time | ${((caughtUp - t0) / 1000).toFixed(0)} s in all: devnet + deploy + indexer start ${((started - t0) / 1000).toFixed(0)} s, setup + days ${((simulated - started) / 1000).toFixed(0)} s (days loop ${(result.wallTimeMs / 1000).toFixed(0)} s = ${(result.sentInDays / (result.wallTimeMs / 1000)).toFixed(1)} tx/s), indexer catch-up after the last block ${((caughtUp - simulated) / 1000).toFixed(1)} s |`,
  );
  console.log(
    `| Peak memory (VmHWM) | driver ${mb(driverPeakKb)}, devnet ${mb(peakOf(/hardhat.* node/))}, indexer ${mb(peakOf(/ponder/))} |`,
  );
  console.log(
    `| Indexer database (PGlite) | ${(databaseBytes / 2 ** 20).toFixed(1)} MiB = ${Math.round(databaseBytes / events)} bytes per event |`,
  );
  console.log(
    `| GraphQL account history, 20 clients x 40 | p50 ${percentile(gqlTimes, 50).toFixed(1)} ms, p99 ${percentile(gqlTimes, 99).toFixed(1)} ms, ${Math.round(gqlTimes.length / gqlSeconds)} queries/s |`,
  );
  console.log(`failures: ${JSON.stringify(s.errors)}`);
} finally {
  await devnet.stop();
  rmSync(work, { recursive: true, force: true });
}
