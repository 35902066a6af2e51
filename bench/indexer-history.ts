/**
 * Account history at 20 clients over GraphQL beside the same question over SQL, on one indexer and one
 * history, without the abuse windows of bench/api-load.ts (issue 19: GraphQL p99 within 1.5x of SQL's).
 * A lighter, diagnostic companion of `npm run bench:api`'s last phase: the same two requests, plus the SQL
 * statement Ponder's GraphQL resolver itself sends for that query (every column, `limit 51`, ordered by
 * timestamp then the primary key), so that the database's share of the GraphQL path is measured apart
 * from the GraphQL layer's. The three run in turn, twice (A B C A B C), `seconds` each, so that a drift of
 * the machine's load falls on all of them.
 *
 * Usage: `npx node bench/indexer-history.ts [payments=600] [seconds=10]` (after `npm run build`); a fresh
 * PGlite database, or Postgres with DATABASE_URL (`test/indexer/postgres.sh npx node bench/indexer-history.ts`).
 * Devnet port from CIVITAS_BENCH_PORT, else a free one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import superjson from "superjson";
import { startIndexer } from "../indexer/run.ts";
import { deployProtocol, startDevnet } from "../scripts/lib/devnet.ts";
import { blockNumber, chainClients, send } from "../test/indexer/helpers.ts";

const MILLI = 10n ** 15n;
const payments = Number(process.argv[2] ?? 600);
const seconds = Number(process.argv[3] ?? 10);
const CLIENTS = 20;
const port = process.env.CIVITAS_BENCH_PORT ? Number(process.env.CIVITAS_BENCH_PORT) : undefined;

const work = mkdtempSync(join(tmpdir(), "civitas-history-bench-"));
const devnet = await startDevnet({ port });
try {
  const deploymentsDir = join(work, "deployments");
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
  const { provider, signers, token, registry } = await chainClients(devnet.rpcUrl, deployment);
  const payers = signers.slice(1, 9);
  for (const payer of payers)
    await send((registry!.connect(payer) as any)["register(string)"]("ipfs://bench"));
  await provider.send("evm_setAutomine", [false]);
  for (let i = 0; i < payments; i += 200) {
    const sends = [];
    for (let j = i; j < Math.min(payments, i + 200); j++) {
      const payer = payers[j % payers.length]!;
      const payee = payers[(j + 1) % payers.length]!;
      sends.push((token.connect(payer) as any).transfer(payee.address, BigInt(1 + (j % 97)) * MILLI));
    }
    await Promise.all(sends);
    await provider.send("evm_mine", []);
  }
  for (let i = 0; i < 40; i++) await provider.send("evm_mine", []);
  await provider.send("evm_setAutomine", [true]);

  const indexer = await startIndexer({
    rpcUrl: devnet.rpcUrl,
    deploymentsDir,
    databaseDir: join(work, "pglite"),
    env: { CIVITAS_API_TRUST_PROXY: "1" },
  });
  await indexer.waitForIndexedBlock(await blockNumber(provider), 1_200_000);
  const url = indexer.url;
  const agent = payers[0]!.address.toLowerCase();
  const sqlUrl = (sql: string, params: unknown[]) =>
    `${url}/sql/db?sql=${encodeURIComponent(superjson.stringify({ sql, params }))}`;
  const history = `query ($a: String!) { transfers(where: { from: $a }, orderBy: "timestamp",
    orderDirection: "desc", limit: 50) { items { to amount tax timestamp } } }`;
  const asks: Record<string, () => readonly [string, RequestInit]> = {
    "GraphQL (as bench:api)": () => [
      `${url}/graphql`,
      { method: "POST", body: JSON.stringify({ query: history, variables: { a: agent } }) },
    ],
    "SQL, 4 columns (as bench:api)": () => [
      sqlUrl(
        'select "to", "amount", "tax", "timestamp" from "transfer" where "from" = $1 order by "timestamp" desc limit 50',
        [agent],
      ),
      { method: "GET" },
    ],
    "SQL, GraphQL's own statement": () => [
      sqlUrl('select * from "transfer" where "from" = $1 order by "timestamp" desc, "id" desc limit 51', [
        agent,
      ]),
      { method: "GET" },
    ],
  };

  const times = new Map<string, number[]>(Object.keys(asks).map((name) => [name, []]));
  const loads: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const [name, ask] of Object.entries(asks)) {
      loads.push(loadavg()[0]!);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, i) => {
          while (performance.now() - started < seconds * 1000) {
            const [target, init] = ask();
            const t = performance.now();
            const response = await fetch(target, {
              ...init,
              headers: { "content-type": "application/json", "x-forwarded-for": `10.201.${i}.1` },
            });
            const body = await response.text();
            if (response.status !== 200) throw new Error(`${name}: ${response.status} ${body.slice(0, 200)}`);
            times.get(name)!.push(performance.now() - t);
          }
        }),
      );
    }
  }
  await indexer.stop();

  const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  };
  const sqlP99 = percentile(times.get("SQL, 4 columns (as bench:api)")!, 99);
  console.log(
    `| ${CLIENTS} clients, ${database()}, ${payments} payments, 2 × ${seconds} s each, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} | requests | p50 | p99 | p99 / SQL's |`,
  );
  console.log(`| --- | ---: | ---: | ---: | ---: |`);
  for (const [name, values] of times) {
    const p99 = percentile(values, 99);
    console.log(
      `| ${name} | ${values.length} | ${percentile(values, 50).toFixed(0)} ms | ${p99.toFixed(0)} ms | ${(p99 / sqlP99).toFixed(2)}x |`,
    );
  }
} finally {
  await devnet.stop();
  rmSync(work, { recursive: true, force: true });
}

function database(): string {
  return process.env.DATABASE_URL ? "Postgres" : "PGlite";
}
