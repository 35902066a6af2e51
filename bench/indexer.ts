/**
 * Indexer benchmarks: backfill events/s on a long devnet history, realtime latency (tx sent -> row visible
 * in GraphQL) p50/p95, and GraphQL account-history latency p50/p99 at 50 concurrent clients.
 *
 * Usage: `npx node bench/indexer.ts [payments]` (default 7,000 taxed payments = 21,000 token events:
 * tax leg, net leg, TaxCharged). Prints a Markdown table. Needs `npm run build` first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployProtocol, startDevnet } from "../scripts/lib/devnet.ts";
import { startIndexer } from "../indexer/run.ts";
import { blockNumber, chainClients, gql, send } from "../test/indexer/helpers.ts";

/** 0.001 CIV: payments stay small so that birth grants pay for the whole history. */
const MILLI = 10n ** 15n;
const payments = Number(process.argv[2] ?? 7_000);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

const work = mkdtempSync(join(tmpdir(), "civitas-indexer-bench-"));
let devnetLog = "";
const devnet = await startDevnet({ log: (line) => (devnetLog = (devnetLog + line).slice(-3000)) });
process.on("exit", () => process.exitCode && console.error(devnetLog));
try {
  const deploymentsDir = join(work, "deployments");
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
  const { provider, signers, token, registry } = await chainClients(devnet.rpcUrl, deployment);
  const payers = signers.slice(1, 9);
  // The deployer holds nothing: payers register as agents and live on their 1,000 CIV birth grant.
  for (const payer of payers)
    await send((registry!.connect(payer) as any)["register(string)"]("ipfs://bench"));

  // History: many taxed payments per block (automine off, one evm_mine per batch).
  const history0 = Date.now();
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
    if ((i / batch) % 5 === 0)
      console.error(`history: ${i + batch} payments, ${(Date.now() - history0) / 1000} s`);
  }
  // Bury the history below the devnet's finality depth (30 blocks) so that it is backfilled, not
  // processed block by block as realtime (evm_mine one at a time: hardhat_mine with a count looks like a reorg).
  for (let i = 0; i < 40; i++) await provider.send("evm_mine", []);
  await provider.send("evm_setAutomine", [true]);
  const head = await blockNumber(provider);
  const events = payments * 3; // plus the deployment's and registrations' few dozen
  const historySeconds = (Date.now() - history0) / 1000;

  // Backfill.
  const t0 = Date.now();
  const indexer = await startIndexer({
    rpcUrl: devnet.rpcUrl,
    deploymentsDir,
    databaseDir: join(work, "pglite"),
  });
  const up = Date.now();
  await indexer.waitForIndexedBlock(head, 600_000);
  const done = Date.now();
  const backfillSeconds = (done - up) / 1000;

  // Realtime: one payment at a time, sent -> visible in GraphQL.
  const latencies: number[] = [];
  for (let i = 0; i < 60; i++) {
    const payer = payers[i % payers.length]!;
    const sent = Date.now();
    const tx = await (token.connect(payer) as any).transfer(payers[(i + 3) % payers.length]!.address, MILLI);
    for (;;) {
      const { transfers } = await gql(
        indexer.graphqlUrl,
        `{ transfers(where: { transactionHash: "${tx.hash}", kind: "payment" }) { items { id } } }`,
      );
      if (transfers.items.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    latencies.push(Date.now() - sent);
  }

  // GraphQL: an account's latest 50 payments sent (index transfer(from, timestamp)), 50 concurrent clients, 40 queries each.
  const query = (address: string) =>
    `{ transfers(where: { from: "${address}" }, orderBy: "timestamp",
       orderDirection: "desc", limit: 50) { items { id from to amount gross tax net kind timestamp } pageInfo { endCursor } } }`;
  const gqlTimes: number[] = [];
  const g0 = Date.now();
  await Promise.all(
    Array.from({ length: 50 }, async (_, c) => {
      for (let q = 0; q < 40; q++) {
        const address = payers[(c + q) % payers.length]!.address.toLowerCase();
        const s = performance.now();
        const { transfers } = await gql(indexer.graphqlUrl, query(address));
        if (transfers.items.length === 0) throw new Error("empty history");
        gqlTimes.push(performance.now() - s);
      }
    }),
  );
  const gqlSeconds = (Date.now() - g0) / 1000;
  await indexer.stop();

  console.log(`| Measure | Result |`);
  console.log(`| --- | --- |`);
  console.log(
    `| History | ${payments} taxed payments, ~${events} token events, ${head} blocks (built in ${historySeconds.toFixed(1)} s) |`,
  );
  console.log(`| Indexer start (process -> HTTP up) | ${((up - t0) / 1000).toFixed(1)} s |`);
  console.log(
    `| Backfill (HTTP up -> head indexed) | ${backfillSeconds.toFixed(1)} s = ${Math.round(events / backfillSeconds)} events/s |`,
  );
  console.log(
    `| Realtime tx -> GraphQL (60 txs) | p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${Math.max(...latencies)} ms |`,
  );
  console.log(
    `| GraphQL account history, 50 clients x 40 | p50 ${percentile(gqlTimes, 50).toFixed(1)} ms, p99 ${percentile(gqlTimes, 99).toFixed(1)} ms, ${Math.round(gqlTimes.length / gqlSeconds)} queries/s |`,
  );
} finally {
  await devnet.stop();
  rmSync(work, { recursive: true, force: true });
}
