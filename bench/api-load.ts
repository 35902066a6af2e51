/**
 * Indexer API under load (issue 23): 200 concurrent clients for 30 s against a running economy (a devnet,
 * 8 agents, 600 taxed payments = ~1,800 transfer legs), while one payment a second is sent and timed until
 * indexed (realtime latency). 180 clients ask legitimate questions (GraphQL account history, the same over
 * SQL, the economy); 20 send the abuses of issue 23 (nested relations, the 33,000-value OR, a three-way
 * SQL join, 800k-row SQL, COMMENT ON). Each client has its own address (x-forwarded-for, trusted here) and
 * the default limits apply. Prints a Markdown table.
 *
 * Realtime latency is first measured with no load (10 payments), in the same run, so the table gives the
 * ratio under load. Then (issue 19) 20 clients ask only the account history over GraphQL for `seconds`/2,
 * then 20 clients ask the same over SQL, and the GraphQL/SQL p99 ratio is printed.
 *
 * Usage: `npm run bench:api -- [clients] [seconds]`; on Postgres
 * `test/indexer/postgres.sh npm run bench:api`. Needs `npm run build` first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import superjson from "superjson";
import { deployProtocol, startDevnet } from "../scripts/lib/devnet.ts";
import { startIndexer } from "../indexer/run.ts";
import { blockNumber, chainClients, send } from "../test/indexer/helpers.ts";

const MILLI = 10n ** 15n;
// On a loaded machine Ponder may take minutes to serve HTTP (as the test kit allows).
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";
const clients = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 30);
const abusers = Math.round(clients / 10);
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

const work = mkdtempSync(join(tmpdir(), "civitas-api-bench-"));
const devnet = await startDevnet();
let indexer: Awaited<ReturnType<typeof startIndexer>> | undefined;
try {
  const deploymentsDir = join(work, "deployments");
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
  const { provider, signers, token, registry } = await chainClients(devnet.rpcUrl, deployment);
  const payers = signers.slice(1, 9);
  for (const payer of payers)
    await send((registry!.connect(payer) as any)["register(string)"]("ipfs://bench"));
  await provider.send("evm_setAutomine", [false]);
  for (let block = 0; block < 6; block++) {
    const sends = [];
    for (let j = 0; j < 100; j++) {
      const payer = payers[j % payers.length]!;
      sends.push((token.connect(payer) as any).transfer(payers[(j + 1) % payers.length]!.address, MILLI));
    }
    await Promise.all(sends);
    await provider.send("evm_mine", []);
  }
  for (let i = 0; i < 40; i++) await provider.send("evm_mine", []);
  await provider.send("evm_setAutomine", [true]);
  const database = process.env.DATABASE_URL ? "Postgres" : "PGlite";
  indexer = await startIndexer({
    rpcUrl: devnet.rpcUrl,
    deploymentsDir,
    databaseDir: join(work, "pglite"),
    schema: "bench_api",
    env: { CIVITAS_API_TRUST_PROXY: "1" },
  });
  await indexer.waitForIndexedBlock(await blockNumber(provider));
  const url = indexer.url;
  const agent = payers[0]!.address.toLowerCase();

  const sqlUrl = (sql: string, params: unknown[] = []) =>
    `${url}/sql/db?sql=${encodeURIComponent(superjson.stringify({ sql, params }))}`;
  const graphql = (query: string, variables: object = {}) =>
    ({ method: "POST", body: JSON.stringify({ query, variables }) }) as const;
  const history = `query ($a: String!) { transfers(where: { from: $a }, orderBy: "timestamp",
    orderDirection: "desc", limit: 50) { items { to amount tax timestamp } } }`;
  const graphqlHistory = () => [`${url}/graphql`, graphql(history, { a: agent })] as const;
  const sqlHistory = () =>
    [
      sqlUrl(
        'select "to", "amount", "tax", "timestamp" from "transfer" where "from" = $1 order by "timestamp" desc limit 50',
        [agent],
      ),
      { method: "GET" },
    ] as const;
  const legitimate = [graphqlHistory, sqlHistory, () => [`${url}/economy`, { method: "GET" }] as const];
  const or = Array.from({ length: 33_000 }, (_, i) => ({ to: `0x${i.toString(16).padStart(40, "0")}` }));
  const abuses = [
    () =>
      [
        `${url}/graphql`,
        graphql(
          "{ accounts(limit: 1000) { items { sent(limit: 1000) { items { fromAccount { sent(limit: 1000) { items { id } } } } } } } }",
        ),
      ] as const,
    () =>
      [
        `${url}/graphql`,
        graphql("query ($w: transferFilter) { transfers(where: $w) { items { id } } }", { w: { OR: or } }),
      ] as const,
    () =>
      [
        sqlUrl(
          "select count(*) from (select * from transfer limit 90) a, (select * from transfer limit 90) b, (select * from transfer limit 90) c",
        ),
        { method: "GET" },
      ] as const,
    () => [sqlUrl("select a.id from transfer a, transfer b, transfer c"), { method: "GET" }] as const,
    () => [sqlUrl("COMMENT ON TABLE account IS 'x'"), { method: "GET" }] as const,
  ];

  /** One payment, timed from sending until indexed (per the supervisor). */
  const timedPayment = async () => {
    const sent = performance.now();
    await send((token.connect(payers[1]!) as any).transfer(payers[2]!.address, MILLI));
    await indexer!.waitForIndexedBlock(await blockNumber(provider), 120_000);
    const ms = performance.now() - sent;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - ms)));
    return ms;
  };
  const idle: number[] = [];
  for (let i = 0; i < 10; i++) idle.push(await timedPayment());

  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let abusesServed = 0;
  let stop = false;
  const t0 = performance.now();
  const workers = Array.from({ length: clients }, async (_, i) => {
    const abusive = i < abusers;
    const ip = `10.${Math.floor(i / 250)}.${i % 250}.1`;
    let n = 0;
    while (!stop) {
      const pick = abusive ? abuses[n % abuses.length]! : legitimate[(n + i) % legitimate.length]!;
      n++;
      const [target, init] = pick();
      const started = performance.now();
      try {
        const response = await fetch(target, {
          ...init,
          headers: { "content-type": "application/json", "x-forwarded-for": ip },
        });
        await response.arrayBuffer();
        if (abusive) {
          if (response.status === 200) abusesServed++;
        } else {
          latencies.push(performance.now() - started);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      } catch {
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
      }
    }
  });

  // Realtime: one payment a second, timed from sending to indexed.
  const realtime: number[] = [];
  while (performance.now() - t0 < seconds * 1000) realtime.push(await timedPayment());
  stop = true;
  await Promise.all(workers);
  const elapsed = (performance.now() - t0) / 1000;
  const served = statuses.get(200) ?? 0;

  const fmt = (ms: number) => `${Math.round(ms).toLocaleString("en-US")} ms`;
  const statusText = [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s === 0 ? "failed" : s}: ${n}`)
    .join(", ");
  console.log(
    `| measure (${database}, ${clients} clients of which ${abusers} abusive, ${Math.round(elapsed)} s) | value |`,
  );
  console.log("| --- | --- |");
  console.log(
    `| legitimate requests served | ${served} (${(served / elapsed).toFixed(0)}/s); statuses ${statusText} |`,
  );
  console.log(
    `| legitimate latency | p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))} |`,
  );
  console.log(`| abusive requests served | ${abusesServed} |`);
  const p50Idle = percentile(idle, 50);
  const p50Load = percentile(realtime, 50);
  console.log(
    `| realtime (payment → indexed), idle, ${idle.length} payments | p50 ${fmt(p50Idle)}, max ${fmt(Math.max(...idle))} |`,
  );
  console.log(
    `| realtime under load, ${realtime.length} payments | p50 ${fmt(p50Load)} (${(p50Load / p50Idle).toFixed(1)}x idle), p95 ${fmt(percentile(realtime, 95))}, max ${fmt(Math.max(...realtime))} |`,
  );

  // Issue 19: account history at 20 clients, GraphQL then SQL over HTTP, same data, same run.
  const historyP99 = async (ask: () => readonly [string, RequestInit]) => {
    const times: number[] = [];
    let done = false;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        while (!done) {
          const [target, init] = ask();
          const t = performance.now();
          const response = await fetch(target, {
            ...init,
            headers: { "content-type": "application/json", "x-forwarded-for": `10.200.${i}.1` },
          });
          await response.arrayBuffer();
          if (response.status === 200) times.push(performance.now() - t);
          if (performance.now() - started > (seconds * 1000) / 2) done = true;
        }
      }),
    );
    return { p99: percentile(times, 99), rate: times.length / ((performance.now() - started) / 1000) };
  };
  const viaGraphql = await historyP99(graphqlHistory);
  const viaSql = await historyP99(sqlHistory);
  console.log(
    `| account history, 20 clients, GraphQL | p99 ${fmt(viaGraphql.p99)}, ${viaGraphql.rate.toFixed(0)} q/s |`,
  );
  console.log(`| same over SQL | p99 ${fmt(viaSql.p99)}, ${viaSql.rate.toFixed(0)} q/s |`);
  console.log(`| GraphQL / SQL p99 | ${(viaGraphql.p99 / viaSql.p99).toFixed(2)}x |`);
} finally {
  await indexer?.stop();
  await devnet.stop();
  rmSync(work, { recursive: true, force: true });
}
