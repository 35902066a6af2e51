/**
 * Backfill rate of the indexer beside the node's own rate for the same logs over `eth_getLogs`, measured in
 * the same run on the same devnet (issue 19: backfill at least half of the raw rate, which is the physical
 * limit here).
 *
 * - raw: `eth_getLogs` for every contract the indexer follows (the deployment's addresses), from the
 *   deployment's start block to the head, in one request and again in ranges of `RANGE` blocks (default
 *   10); each is timed three times and the fastest kept (the node's best, a strict anchor). The logs
 *   counted are the events the indexer has to process.
 * - backfill: the indexer (indexer/run.ts, a fresh PGlite database or DATABASE_URL) started on the buried
 *   history, from the process start and from its HTTP server answering until `/status` reports the head.
 *
 * Usage: `npx node bench/indexer-backfill.ts [payments=3000]` (after `npm run build`). Starts its own
 * devnet (port from CIVITAS_BENCH_PORT, else a free one); `CIVITAS_RPC_LANES` is passed to the indexer.
 * `CIVITAS_BENCH_METRICS=<file>` keeps Ponder's whole `/metrics` text; `CIVITAS_BENCH_CPU_PROF=<dir>` runs
 * the indexer's processes with `--cpu-prof` into that directory (a profile per process, written at exit).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { startIndexer } from "../indexer/run.ts";
import { deployProtocol, startDevnet } from "../scripts/lib/devnet.ts";
import { blockNumber, chainClients, send } from "../test/indexer/helpers.ts";

/** 0.001 CIV: payments stay small so that birth grants pay for the whole history. */
const MILLI = 10n ** 15n;
const payments = Number(process.argv[2] ?? 3_000);
const range = Number(process.env.RANGE ?? 10);
const port = process.env.CIVITAS_BENCH_PORT ? Number(process.env.CIVITAS_BENCH_PORT) : undefined;

const work = mkdtempSync(join(tmpdir(), "civitas-backfill-bench-"));
const devnet = await startDevnet({ port });
try {
  const deploymentsDir = join(work, "deployments");
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
  const { provider, signers, token, registry } = await chainClients(devnet.rpcUrl, deployment);
  const payers = signers.slice(1, 9);
  for (const payer of payers)
    await send((registry!.connect(payer) as any)["register(string)"]("ipfs://bench"));

  // History: taxed payments, 200 per block (automine off), then buried below the devnet's finality depth
  // (30 blocks) so that the indexer backfills it rather than following it block by block.
  await provider.send("evm_setAutomine", [false]);
  const batch = 200;
  for (let i = 0; i < payments; i += batch) {
    const sends = [];
    for (let j = i; j < Math.min(payments, i + batch); j++) {
      const payer = payers[j % payers.length]!;
      const payee = payers[(j + 1) % payers.length]!;
      sends.push((token.connect(payer) as any).transfer(payee.address, BigInt(1 + (j % 97)) * MILLI));
    }
    await Promise.all(sends);
    await provider.send("evm_mine", []);
  }
  for (let i = 0; i < 40; i++) await provider.send("evm_mine", []);
  await provider.send("evm_setAutomine", [true]);
  const head = await blockNumber(provider);

  // Raw: the same logs straight from the node.
  const addresses = Object.values(deployment.contracts).filter((a): a is Address => a !== undefined);
  const getLogs = async (from: bigint, to: bigint, retried = false): Promise<number> => {
    // A kept-alive socket the node closed meanwhile fails once ("other side closed"): ask again.
    const response = await fetch(devnet.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "eth_getLogs",
        params: [{ address: addresses, fromBlock: toHex(from), toBlock: toHex(to) }],
      }),
    }).catch((error: unknown) => {
      if (retried) throw error;
      return undefined;
    });
    if (response === undefined) return getLogs(from, to, true);
    const body = (await response.json()) as { result?: unknown[]; error?: { message: string } };
    if (body.result === undefined) throw new Error(`eth_getLogs: ${body.error?.message}`);
    return body.result.length;
  };
  const start = BigInt(deployment.startBlock);
  const best = async (read: () => Promise<number>) => {
    let fastest = Infinity;
    let logs = 0;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      logs = await read();
      fastest = Math.min(fastest, performance.now() - t);
    }
    return { logs, seconds: fastest / 1000 };
  };
  const whole = await best(() => getLogs(start, head));
  const ranged = await best(async () => {
    let logs = 0;
    for (let from = start; from <= head; from += BigInt(range)) {
      const to = from + BigInt(range) - 1n;
      logs += await getLogs(from, to > head ? head : to);
    }
    return logs;
  });
  const events = whole.logs;

  // Backfill.
  const loadBefore = loadavg()[0]!;
  const profileDir = process.env.CIVITAS_BENCH_CPU_PROF;
  const t0 = Date.now();
  const indexer = await startIndexer({
    rpcUrl: devnet.rpcUrl,
    deploymentsDir,
    databaseDir: join(work, "pglite"),
    env: {
      ...(process.env.CIVITAS_RPC_LANES ? { CIVITAS_RPC_LANES: process.env.CIVITAS_RPC_LANES } : {}),
      ...(profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {}),
    },
  });
  const up = Date.now();
  await indexer.waitForIndexedBlock(head, 1_200_000);
  const done = Date.now();
  // Where the backfill's time went, from Ponder's Prometheus metrics: the handlers' own time (summed per
  // event) and the RPC requests' (summed per method).
  const loadAfter = loadavg()[0]!;
  const metrics = await (await fetch(`${indexer.url}/metrics`)).text();
  if (process.env.CIVITAS_BENCH_METRICS) writeFileSync(process.env.CIVITAS_BENCH_METRICS, metrics);
  const sum = (prefix: string) => {
    const by = new Map<string, number>();
    for (const line of metrics.split("\n")) {
      if (!line.startsWith(prefix)) continue;
      const label = /(event|method|type)="([^"]+)"/.exec(line)?.[2] ?? "";
      by.set(label, (by.get(label) ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1)));
    }
    return by;
  };
  const handlers = sum("ponder_indexing_function_duration_sum");
  const requests = sum("ponder_rpc_request_duration_sum");
  const requestCounts = sum("ponder_rpc_request_duration_count");
  // The indexing cache: lookups answered from memory or read from the database, and its database time.
  const cacheRequests = sum("ponder_indexing_cache_requests_total");
  const cacheQueries = sum("ponder_indexing_cache_query_duration_sum");
  const rawSql = sum("ponder_indexing_store_raw_sql_duration_sum");
  await indexer.stop();

  const rate = (seconds: number) => Math.round(events / seconds);
  const fromUp = (done - up) / 1000;
  const fromStart = (done - t0) / 1000;
  console.log(`| Measure | Result |`);
  console.log(`| --- | --- |`);
  console.log(
    `| 1-minute load average | ${loadBefore.toFixed(1)} at the indexer's start, ${loadAfter.toFixed(1)} at the head |`,
  );
  console.log(
    `| History | ${payments} taxed payments, ${events} logs of the indexed contracts, ${head} blocks |`,
  );
  console.log(
    `| Raw eth_getLogs, one request | ${whole.seconds.toFixed(2)} s = ${rate(whole.seconds)} events/s |`,
  );
  console.log(
    `| Raw eth_getLogs, ${range}-block ranges | ${ranged.seconds.toFixed(2)} s = ${rate(ranged.seconds)} events/s |`,
  );
  console.log(`| Indexer start (process -> HTTP up) | ${((up - t0) / 1000).toFixed(1)} s |`);
  console.log(
    `| Backfill (HTTP up -> head indexed) | ${fromUp.toFixed(1)} s = ${rate(fromUp)} events/s = ${((whole.seconds / fromUp) * 100).toFixed(1)}% of the one-request raw rate |`,
  );
  console.log(
    `| Backfill (process start -> head indexed) | ${fromStart.toFixed(1)} s = ${rate(fromStart)} events/s = ${((whole.seconds / fromStart) * 100).toFixed(1)}% of the one-request raw rate |`,
  );
  const total = (by: Map<string, number>) => [...by.values()].reduce((a, b) => a + b, 0);
  console.log(
    `| Handlers' own time (ponder_indexing_function_duration) | ${(total(handlers) / 1000).toFixed(1)} s: ${[
      ...handlers,
    ]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([event, ms]) => `${event} ${(ms / 1000).toFixed(1)} s`)
      .join(", ")} |`,
  );
  console.log(
    `| RPC requests (ponder_rpc_request_duration) | ${total(requestCounts)} requests, ${(total(requests) / 1000).toFixed(1)} s summed: ${[
      ...requestCounts,
    ]
      .map(([method, n]) => `${method} ${n}`)
      .join(", ")} |`,
  );
  const list = (by: Map<string, number>, unit = 1, digits = 0) =>
    [...by].map(([label, v]) => `${label} ${(v / unit).toFixed(digits)}`).join(", ") || "none";
  console.log(`| Indexing cache lookups (ponder_indexing_cache_requests_total) | ${list(cacheRequests)} |`);
  console.log(
    `| Indexing cache database time (ponder_indexing_cache_query_duration) | ${list(cacheQueries, 1000, 1)} s |`,
  );
  console.log(
    `| Raw SQL in handlers (ponder_indexing_store_raw_sql_duration) | ${list(rawSql, 1000, 1)} s |`,
  );
} finally {
  await devnet.stop();
  rmSync(work, { recursive: true, force: true });
}

function toHex(n: bigint): Hex {
  return `0x${n.toString(16)}`;
}
