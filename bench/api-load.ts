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
 * Where the time goes, for each window: the indexer process's own counters (`/metrics/api`: how long
 * indexing statements waited for readers' statements on PGlite, its thread's busy share, its largest
 * event-loop delay) and the CPU seconds of the Ponder process, of the Postgres server, of this process
 * (the 200 clients and the supervisor's proxy) and of the whole machine (/proc).
 *
 * On Postgres the load window runs twice in the same run: first straight at the indexing process's own
 * port (what the public port served before session 9: the indexing process answered every reader), then
 * at the public port, whose reads the supervisor's API replica (`ponder serve`, the default on Postgres)
 * serves while the indexing process only indexes (issue 23). `CIVITAS_BENCH_REPLICA=0` skips the first.
 *
 * Usage: `npm run bench:api -- [clients] [seconds]`; on Postgres
 * `test/indexer/postgres.sh npm run bench:api`. Needs `npm run build` first. Devnet port:
 * CIVITAS_BENCH_PORT (else a free one).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
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
const port = process.env.CIVITAS_BENCH_PORT ? Number(process.env.CIVITAS_BENCH_PORT) : undefined;
const devnet = await startDevnet({ port });
let indexer: Awaited<ReturnType<typeof startIndexer>> | undefined;

/** CPU seconds (user + system) of a process from /proc, 0 when it is gone. */
const cpuOf = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};
/** The Postgres server's processes (postmaster on DATABASE_URL's port and its children). */
const postgresPids = (): number[] => {
  const dbPort = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL).port : undefined;
  if (!dbPort) return [];
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null);
  const master = rows.find((m) => /postgres/.test(m[3]!) && m[3]!.includes(`-p ${dbPort}`));
  if (master === undefined) return [];
  return [Number(master[1]), ...rows.filter((m) => m[2] === master[1]).map((m) => Number(m[1]))];
};
/** Busy and total CPU seconds of the whole machine (/proc/stat). */
const machineCpu = (): { busy: number; total: number } => {
  const values = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0) / 100;
  const idle = (values[3]! + values[4]!) / 100;
  return { busy: total - idle, total };
};
/** The API's counters (`/metrics/api`) of the process at `base`, by name. */
const apiMetrics = async (base: string): Promise<Map<string, number>> => {
  const text = await (await fetch(`${base}/metrics/api`)).text();
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = line.match(/^(civitas_api_\w+) (\S+)$/);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
};
/** CPU and counters at one instant, to subtract. */
const snapshot = async (ponderPid: number | undefined, extraPid?: number) => {
  const pg = postgresPids();
  return {
    at: performance.now(),
    ponder: ponderPid === undefined ? 0 : cpuOf(ponderPid),
    extra: extraPid === undefined ? 0 : cpuOf(extraPid),
    postgres: pg.reduce((sum, pid) => sum + cpuOf(pid), 0),
    self: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    machine: machineCpu(),
    api: indexer ? await apiMetrics(indexer.url) : new Map<string, number>(),
  };
};
type Snapshot = Awaited<ReturnType<typeof snapshot>>;
/** Where the time went between two snapshots, as table rows. */
const breakdown = (label: string, a: Snapshot, b: Snapshot, extraName?: string): string[] => {
  const wall = (b.at - a.at) / 1000;
  const d = (name: string) => (b.api.get(name) ?? 0) - (a.api.get(name) ?? 0);
  const share = (cpu: number) => `${cpu.toFixed(1)} CPU-s (${((100 * cpu) / wall).toFixed(0)}% of one core)`;
  const busy = b.machine.busy - a.machine.busy;
  const total = b.machine.total - a.machine.total;
  const active = d("civitas_api_event_loop_active_ms_total");
  const idle = d("civitas_api_event_loop_idle_ms_total");
  const rows = [
    `| ${label}: wall time, load average | ${wall.toFixed(0)} s, ${loadavg()[0]!.toFixed(1)} |`,
    `| ${label}: machine CPU busy | ${((100 * busy) / total).toFixed(0)}% of all cores |`,
    `| ${label}: indexing process (Ponder) CPU | ${share(b.ponder - a.ponder)}; its thread busy ${((100 * active) / Math.max(1, active + idle)).toFixed(0)}%, largest event-loop delay (last 10 s) ${Math.round(b.api.get("civitas_api_event_loop_delay_max_10s_ms") ?? 0)} ms |`,
    `| ${label}: this process (clients + supervisor proxy) CPU | ${share(b.self - a.self)} |`,
  ];
  if (extraName !== undefined) rows.push(`| ${label}: ${extraName} CPU | ${share(b.extra - a.extra)} |`);
  if (process.env.DATABASE_URL)
    rows.push(`| ${label}: Postgres server CPU | ${share(b.postgres - a.postgres)} |`);
  else {
    rows.push(
      `| ${label}: indexing statements that waited for a reader's (PGlite) | ${d("civitas_api_indexing_behind_reader_total")} of ${d("civitas_api_indexing_statements_total")}, ${Math.round(d("civitas_api_indexing_wait_ms_total"))} ms in all, longest ${Math.round(b.api.get("civitas_api_indexing_wait_max_ms") ?? 0)} ms (since start); readers' statements at once ≤ ${b.api.get("civitas_api_readers_ahead_max")}, longest ${Math.round(b.api.get("civitas_api_reader_max_ms") ?? 0)} ms |`,
    );
  }
  return rows;
};
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
  const agent = payers[0]!.address.toLowerCase();
  const history = `query ($a: String!) { transfers(where: { from: $a }, orderBy: "timestamp",
    orderDirection: "desc", limit: 50) { items { to amount tax timestamp } } }`;
  const or = Array.from({ length: 33_000 }, (_, i) => ({ to: `0x${i.toString(16).padStart(40, "0")}` }));

  /** The requests of the benchmark, against the API at `url` (the indexer or a replica). */
  const requestsOf = (url: string) => {
    const sqlUrl = (sql: string, params: unknown[] = []) =>
      `${url}/sql/db?sql=${encodeURIComponent(superjson.stringify({ sql, params }))}`;
    const graphql = (query: string, variables: object = {}) =>
      ({ method: "POST", body: JSON.stringify({ query, variables }) }) as const;
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
    return { graphqlHistory, sqlHistory, legitimate, abuses };
  };

  /** One payment, timed from sending until indexed (per the supervisor). */
  const timedPayment = async () => {
    const sent = performance.now();
    await send((token.connect(payers[1]!) as any).transfer(payers[2]!.address, MILLI));
    await indexer!.waitForIndexedBlock(await blockNumber(provider), 120_000);
    const ms = performance.now() - sent;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - ms)));
    return ms;
  };
  const fmt = (ms: number) => `${Math.round(ms).toLocaleString("en-US")} ms`;
  const ponderPid = indexer.pid();

  const beforeIdle = await snapshot(ponderPid);
  const idle: number[] = [];
  for (let i = 0; i < 10; i++) idle.push(await timedPayment());
  const afterIdle = await snapshot(ponderPid);
  const p50Idle = percentile(idle, 50);
  const rows: string[] = [
    `| realtime (payment → indexed), no query load, ${idle.length} payments | p50 ${fmt(p50Idle)}, max ${fmt(Math.max(...idle))} |`,
    ...breakdown("no query load", beforeIdle, afterIdle),
  ];

  /**
   * `clients` clients against the API at `url` for `seconds` while one payment a second is timed until
   * the indexing process has indexed it. `label` names the window in the table.
   */
  const loadWindow = async (label: string, url: string, extra?: { pid: number; name: string }) => {
    const { legitimate, abuses } = requestsOf(url);
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let abusesServed = 0;
    let stop = false;
    const before = await snapshot(ponderPid, extra?.pid);
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
    const after = await snapshot(ponderPid, extra?.pid);
    stop = true;
    await Promise.all(workers);
    const elapsed = (performance.now() - t0) / 1000;
    const served = statuses.get(200) ?? 0;
    const statusText = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s === 0 ? "failed" : s}: ${n}`)
      .join(", ");
    const p50Load = percentile(realtime, 50);
    rows.push(
      `| ${label}: legitimate requests served (${Math.round(elapsed)} s incl. stragglers) | ${served} (${(served / elapsed).toFixed(0)}/s); statuses ${statusText} |`,
      `| ${label}: legitimate latency | p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))} |`,
      `| ${label}: abusive requests served | ${abusesServed} |`,
      `| ${label}: realtime under load, ${realtime.length} payments | p50 ${fmt(p50Load)} (**${(p50Load / p50Idle).toFixed(1)}x** no load), p95 ${fmt(percentile(realtime, 95))}, max ${fmt(Math.max(...realtime))} |`,
      ...breakdown(label, before, after, extra?.name),
    );
  };

  const replicaPid = indexer.status().replica?.pid ?? undefined;
  if (replicaPid === undefined) await loadWindow("load on the public port (indexing process)", indexer.url);
  else {
    if (process.env.CIVITAS_BENCH_REPLICA !== "0")
      await loadWindow("before: load on the indexing process's own port", indexer.ponderUrl());
    await loadWindow("after: load on the public port (API replica)", indexer.url, {
      pid: replicaPid,
      name: "API replica (ponder serve)",
    });
  }

  // Issue 19: account history at 20 clients, GraphQL then SQL over HTTP, same data, same run.
  const { graphqlHistory, sqlHistory } = requestsOf(indexer.url);
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
  const beforeGraphql = await apiMetrics(indexer.url);
  const viaGraphql = await historyP99(graphqlHistory);
  const afterGraphql = await apiMetrics(indexer.url);
  const viaSql = await historyP99(sqlHistory);
  const dg = (name: string) => (afterGraphql.get(name) ?? 0) - (beforeGraphql.get(name) ?? 0);
  const n = Math.max(1, dg("civitas_api_graphql_requests_total"));
  rows.push(
    `| account history, 20 clients, GraphQL | p99 ${fmt(viaGraphql.p99)}, ${viaGraphql.rate.toFixed(0)} q/s; per request: our checks ${(dg("civitas_api_graphql_checks_ms_total") / n).toFixed(2)} ms, Ponder's handler ${(dg("civitas_api_graphql_ponder_ms_total") / n).toFixed(1)} ms |`,
    `| same over SQL | p99 ${fmt(viaSql.p99)}, ${viaSql.rate.toFixed(0)} q/s |`,
    `| GraphQL / SQL p99 | ${(viaGraphql.p99 / viaSql.p99).toFixed(2)}x |`,
  );
  console.log(
    `| measure (${database}, ${clients} clients of which ${abusers} abusive, ${seconds} s windows) | value |`,
  );
  console.log("| --- | --- |");
  for (const row of rows) console.log(row);
} finally {
  await indexer?.stop();
  await devnet.stop();
  rmSync(work, { recursive: true, force: true });
}
