/**
 * HTTP API (beside Ponder's own /health, /ready, /status and /metrics):
 * - /graphql: GraphQL over every table (filtering, ordering, cursor pagination); also at /.
 * - /sql/*: SQL over HTTP for @ponder/client (read-only transaction, cost and row limits).
 * - /economy: the economy now (JSON), with a live Gini and largest holder.
 * - /metrics/economy: the same as Prometheus gauges.
 * - /proposals/state and /proposals/:id/state: each proposal's state (pending, active, defeated, ...) at
 *   the latest indexed block time (or `?at=<unix seconds>`), with its quorum as the Governor recorded it
 *   (null before the first vote), from indexed rows only.
 * - /dashboard/: the web dashboard (./dashboard.ts).
 *
 * Every route goes through `guard`: optional API keys (401), a rate limit per client (429), a bounded
 * number of requests reading at once with a bounded queue (503), and a time limit (504); a request whose
 * client leaves starts no further query. GraphQL also has a body size limit, a limit on the values in its
 * variables and a cost limit (rows, nested relations multiplied out); SQL a planner-cost and a row limit.
 * Limits come from CIVITAS_API_* variables (indexer/lib/limits.ts, docs/indexer.md).
 */
import { db } from "ponder:api";
import schema, { account, economyDay, proposal, tokenState } from "ponder:schema";
import { type Context, Hono, type Next } from "hono";
import superjson from "superjson";
import { asc, client, desc, eq, graphql, isNotNull, or, sql } from "ponder";
import {
  ApiLimitError,
  Gate,
  RateLimiter,
  apiKeyOf,
  apiLimitsFromEnv,
  clientAddress,
  countValues,
  graphqlCost,
} from "../../lib/limits.ts";
import { PROPOSAL_STATES, proposalState } from "../../lib/proposalState.ts";
import {
  type ClientQuery,
  installQueryAbort,
  pgliteReadOnly,
  postgresReadOnly,
  readerStats,
  requestScope,
  runReadOnlySql,
  setReadTimeout,
} from "../../lib/readGuard.ts";
import { distributionOf } from "../../lib/store.ts";
import { serveDashboard } from "./dashboard.ts";
import { serveMarket } from "./market.ts";
import { serveAudit } from "./audit.ts";
import { wealthCapOf } from "../../../scripts/lib/vocabulary.ts";
import { monitorEventLoopDelay, performance as nodePerformance } from "node:perf_hooks";

/** Ponder's runtime globals (set before the API is loaded). */
const ponderGlobals = globalThis as unknown as {
  PONDER_DATABASE: { driver: unknown };
  PONDER_NAMESPACE_BUILD: { schema?: string };
};
const driver = ponderGlobals.PONDER_DATABASE.driver as
  | { dialect: "pglite"; instance: Parameters<typeof installQueryAbort>[0] }
  | {
      dialect: "postgres";
      readonly: Parameters<typeof installQueryAbort>[0] & Parameters<typeof setReadTimeout>[0];
    };
const embedded = driver.dialect === "pglite";
const appSchema = ponderGlobals.PONDER_NAMESPACE_BUILD.schema ?? "public";
const limits = apiLimitsFromEnv(process.env, embedded);
if (driver.dialect === "pglite") installQueryAbort(driver.instance, true);
else {
  installQueryAbort(driver.readonly);
  setReadTimeout(driver.readonly, limits.timeoutMs);
}
const rateLimiter = new RateLimiter(limits.ratePerSecond, limits.burst);
const gate = new Gate(limits.concurrency, limits.queue);

/** Who is asking: the API key when there is one, else the client's address (see {@link clientAddress}). */
function clientOf(c: Context, key: string | undefined): string {
  if (key !== undefined) return `key:${key}`;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const address = clientAddress(
    c.req.raw.headers,
    incoming?.socket?.remoteAddress,
    limits.trustProxy,
    process.env.CIVITAS_PROXY_SECRET,
  );
  return `ip:${address}`;
}

/** An error answer: GraphQL-shaped on the GraphQL routes (clients read `errors`), plain JSON elsewhere. */
function refusal(c: Context, error: ApiLimitError): Response {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
  const graphqlRoute = c.req.path === "/" || c.req.path.startsWith("/graphql");
  const body = graphqlRoute ? { errors: [{ message: error.message }] } : { error: error.message };
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/**
 * Keys, rate limit, admission and time limit, for every route of this app. The handler runs in a
 * request scope whose signal aborts when the client leaves or the time is up.
 */
async function guard(c: Context, next: Next): Promise<Response | void> {
  const url = new URL(c.req.url);
  const key = apiKeyOf(c.req.raw.headers, url);
  // The dashboard's own files hold no data (its data comes from /graphql and /proposals with the key):
  // served without a key, so that the page can load and ask for one.
  const dashboardFile = c.req.path === "/dashboard" || c.req.path.startsWith("/dashboard/");
  if (limits.apiKeys.size > 0 && !dashboardFile && (key === undefined || !limits.apiKeys.has(key))) {
    return refusal(
      c,
      new ApiLimitError(401, "an API key is required (Authorization: Bearer <key>, x-api-key, or ?key=)"),
    );
  }
  const wait = rateLimiter.take(clientOf(c, key));
  if (wait > 0) {
    return refusal(
      c,
      new ApiLimitError(
        429,
        `rate limit: ${limits.ratePerSecond} requests/s per client; retry in ${wait} s`,
        wait,
      ),
    );
  }
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new ApiLimitError(504, `time limit: the request took over ${limits.timeoutMs} ms`)),
    limits.timeoutMs,
  );
  const signal = AbortSignal.any([c.req.raw.signal, timeout.signal]);
  let release: (() => void) | undefined;
  try {
    release = await gate.acquire(signal);
    const done = requestScope.run({ signal }, () => next());
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    await Promise.race([done, aborted]);
    if (c.error instanceof ApiLimitError) return refusal(c, c.error);
  } catch (error) {
    if (error instanceof ApiLimitError) return refusal(c, error);
    if (c.req.raw.signal.aborted) return new Response(null, { status: 499 });
    throw error;
  } finally {
    clearTimeout(timer);
    release?.();
  }
}

/** The request body as text, refused past `max` bytes. */
async function boundedBody(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > max)
    throw new ApiLimitError(413, `request body of ${declared} bytes is above the limit of ${max}`);
  const reader = request.body?.getReader();
  if (reader === undefined) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new ApiLimitError(413, `request body is above the limit of ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const ponderGraphql = new Hono().use("*", graphql({ db, schema }));

/** Where GraphQL requests spend their time: our checks (body, variables, cost) and Ponder's handler. */
const graphqlTimes = { requests: 0, checksMs: 0, ponderMs: 0 };

/**
 * GraphQL under the limits: body size, values in variables, cost (rows, nested relations multiplied
 * out), response size; then Ponder's own handler (which keeps its token, depth and alias limits).
 */
async function limitedGraphql(c: Context): Promise<Response> {
  if (c.req.method !== "POST") return ponderGraphql.fetch(c.req.raw, c.env);
  const checksStarted = performance.now();
  const text = await boundedBody(c.req.raw, limits.maxBodyBytes);
  let body: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiLimitError(400, "the request body must be JSON: { query, variables?, operationName? }");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new ApiLimitError(
      400,
      "the request body must be one JSON object: { query, variables?, operationName? }",
    );
  if (typeof body.query !== "string") throw new ApiLimitError(400, "the request has no GraphQL query");
  const variables = body.variables ?? {};
  if (typeof variables !== "object" || variables === null || Array.isArray(variables))
    throw new ApiLimitError(400, "GraphQL variables must be an object");
  const values = countValues(variables, limits.maxVariableValues + 1) - 1; // the object itself is not a value
  if (values > limits.maxVariableValues) {
    throw new ApiLimitError(
      400,
      `GraphQL variables hold more than ${limits.maxVariableValues} values; split the request`,
    );
  }
  let cost: number;
  try {
    cost = graphqlCost(
      body.query,
      variables as Record<string, unknown>,
      typeof body.operationName === "string" ? body.operationName : undefined,
    );
  } catch (error) {
    throw new ApiLimitError(400, `GraphQL syntax error: ${(error as Error).message}`);
  }
  if (cost > limits.maxGraphqlCost) {
    throw new ApiLimitError(
      400,
      `GraphQL query too costly: it may fetch ${cost} rows (nested relations multiplied out), the limit is ${limits.maxGraphqlCost}; lower the limits or nest less`,
    );
  }
  const ponderStarted = performance.now();
  graphqlTimes.checksMs += ponderStarted - checksStarted;
  const response = await ponderGraphql.fetch(
    new Request(c.req.url, {
      method: "POST",
      headers: c.req.raw.headers,
      body: text,
      signal: c.req.raw.signal,
    }),
    c.env,
  );
  const answer = await response.text();
  graphqlTimes.ponderMs += performance.now() - ponderStarted;
  graphqlTimes.requests++;
  if (Buffer.byteLength(answer) > limits.maxResponseBytes) {
    throw new ApiLimitError(
      413,
      `response above the limit of ${limits.maxResponseBytes} bytes; page with limit`,
    );
  }
  return new Response(answer, { status: response.status, headers: response.headers });
}

/** Ponder's `@ponder/client` middleware: serves /sql/live (each query checked first by our own runner). */
const ponderClient = new Hono().use("/sql/*", client({ db, schema }));

/** The `sql` parameter of a `@ponder/client` request, decoded. */
function clientQueryOf(c: Context): ClientQuery {
  const raw = c.req.query("sql");
  if (raw === undefined) throw new ApiLimitError(400, 'missing "sql" query parameter');
  if (raw.length > limits.maxBodyBytes)
    throw new ApiLimitError(413, `the "sql" parameter is above the limit of ${limits.maxBodyBytes} bytes`);
  try {
    return superjson.parse(raw) as ClientQuery;
  } catch {
    throw new ApiLimitError(400, 'the "sql" parameter must be superjson: { json: { sql, params } }');
  }
}

const readOnly =
  driver.dialect === "pglite"
    ? pgliteReadOnly(driver.instance as unknown as Parameters<typeof pgliteReadOnly>[0])
    : postgresReadOnly(db as unknown as Parameters<typeof postgresReadOnly>[0]);

/** The signal of the request being served (client gone or time up), from `guard`. */
const requestSignal = (c: Context): AbortSignal => requestScope.getStore()?.signal ?? c.req.raw.signal;

const app = new Hono();

app.onError((error, c) => {
  if (error instanceof ApiLimitError) return refusal(c, error);
  throw error;
});

/**
 * Event-loop delay of this process (the indexer's and the API's one thread): high when readers' work (or
 * anything else) keeps the indexing loop from running.
 */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
/** The largest event-loop delay of each of the last 10 seconds, ms. */
const delayMaxima: number[] = [];
setInterval(() => {
  delayMaxima.push(loopDelay.max / 1e6);
  if (delayMaxima.length > 10) delayMaxima.shift();
  loopDelay.reset();
}, 1_000).unref();

// The API's own counters (no data, no database): served before the guard, so that they answer under load.
app.get("/metrics/api", (c) => {
  const lines: string[] = [];
  const metric = (name: string, type: "counter" | "gauge", help: string, value: number) => {
    lines.push(
      `# HELP ${name} ${help}`,
      `# TYPE ${name} ${type}`,
      `${name} ${Math.round(value * 1000) / 1000}`,
    );
  };
  const reads = readerStats();
  metric("civitas_api_requests_active", "gauge", "Requests reading the database now.", gate.active);
  metric("civitas_api_requests_queued", "gauge", "Requests waiting for a reading slot.", gate.waiting);
  metric(
    "civitas_api_indexing_statements_total",
    "counter",
    "Indexing statements issued on the embedded database (0 on Postgres).",
    reads.indexingStatements,
  );
  metric(
    "civitas_api_indexing_behind_reader_total",
    "counter",
    "Indexing statements issued while a reader's statement ran (they waited for it).",
    reads.indexingBehindReader,
  );
  metric(
    "civitas_api_indexing_wait_ms_total",
    "counter",
    "Time indexing statements waited for readers' statements, ms.",
    reads.indexingWaitMs,
  );
  metric(
    "civitas_api_indexing_wait_max_ms",
    "gauge",
    "Longest wait of one indexing statement for a reader's statement, ms.",
    reads.indexingWaitMaxMs,
  );
  metric(
    "civitas_api_readers_ahead_max",
    "gauge",
    "Most reader statements ever on the embedded database at once.",
    reads.readersAheadMax,
  );
  metric(
    "civitas_api_reader_statements_total",
    "counter",
    "Reader statements run (embedded).",
    reads.readerStatements,
  );
  metric(
    "civitas_api_reader_ms_total",
    "counter",
    "Time of reader statements, ms (embedded).",
    reads.readerMs,
  );
  metric("civitas_api_reader_max_ms", "gauge", "Longest reader statement, ms (embedded).", reads.readerMaxMs);
  metric(
    "civitas_api_graphql_requests_total",
    "counter",
    "GraphQL POST requests answered.",
    graphqlTimes.requests,
  );
  metric(
    "civitas_api_graphql_checks_ms_total",
    "counter",
    "Time in the API's own GraphQL checks (body, variables, cost), ms.",
    graphqlTimes.checksMs,
  );
  metric(
    "civitas_api_graphql_ponder_ms_total",
    "counter",
    "Time in Ponder's GraphQL handler (parse, resolve, database, JSON), ms.",
    graphqlTimes.ponderMs,
  );
  metric(
    "civitas_api_event_loop_delay_max_10s_ms",
    "gauge",
    "Largest event-loop delay of this process in the last 10 s, ms.",
    Math.max(loopDelay.max / 1e6, ...delayMaxima),
  );
  const { active, idle } = nodePerformance.eventLoopUtilization();
  metric(
    "civitas_api_event_loop_active_ms_total",
    "counter",
    "Time this process's thread was busy, ms.",
    active,
  );
  metric("civitas_api_event_loop_idle_ms_total", "counter", "Time this process's thread was idle, ms.", idle);
  return c.body(`${lines.join("\n")}\n`, 200, { "content-type": "text/plain; version=0.0.4" });
});

app.use("*", guard);

app.get("/sql/db", async (c) => {
  const result = await runReadOnlySql(readOnly, appSchema, clientQueryOf(c), limits, requestSignal(c));
  const text = JSON.stringify(result);
  if (Buffer.byteLength(text) > limits.maxResponseBytes)
    throw new ApiLimitError(
      413,
      `response above the limit of ${limits.maxResponseBytes} bytes; page with LIMIT`,
    );
  return c.body(text, 200, { "content-type": "application/json" });
});
app.get("/sql/live", async (c) => {
  await runReadOnlySql(readOnly, appSchema, clientQueryOf(c), limits, requestSignal(c));
  return ponderClient.fetch(c.req.raw, c.env);
});
app.all("/sql/*", (c) => ponderClient.fetch(c.req.raw, c.env));
app.all("/graphql", limitedGraphql);
app.all("/", limitedGraphql);
serveDashboard(app);
serveMarket(app); // resource markets: /metrics/market, /market
serveAudit(app);

/** The economy now, computed from the current rows. */
async function economyNow() {
  const [state] = await db.select().from(tokenState).where(eq(tokenState.id, "civ"));
  if (state === undefined) return undefined;
  const rows = await db
    .select({
      address: account.address,
      balance: account.balance,
      staked: account.staked,
      unbonding: account.unbonding,
      agentId: account.agentId,
      isProtocol: account.isProtocol,
    })
    .from(account)
    .where(or(isNotNull(account.agentId), eq(account.isProtocol, false)));
  const [treasury] = await db.select().from(account).where(eq(account.address, state.treasury));
  const [today] = await db.select().from(economyDay).orderBy(desc(economyDay.day)).limit(1);
  const treasuryBalance = treasury?.balance ?? 0n;
  return {
    state,
    treasuryBalance,
    circulating: state.totalSupply - treasuryBalance,
    cap: wealthCapOf(state.totalSupply, state.capBps),
    holders: rows.filter((r) => r.balance + r.staked + r.unbonding > 0n).length,
    distribution: distributionOf(rows, state.totalSupply),
    today,
  };
}

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);

app.get("/economy", async (c) => {
  const economy = await economyNow();
  if (economy === undefined) return c.json({ error: "nothing indexed yet" }, 503);
  return c.body(json(economy), 200, { "content-type": "application/json" });
});

app.get("/metrics/economy", async (c) => {
  const economy = await economyNow();
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: bigint | number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value.toString()}`);
  };
  if (economy !== undefined) {
    const { state, distribution } = economy;
    gauge("civitas_total_supply_wei", "Total CIV supply, wei.", state.totalSupply);
    gauge(
      "civitas_circulating_supply_wei",
      "Total supply minus the Treasury's balance, wei.",
      economy.circulating,
    );
    gauge("civitas_treasury_balance_wei", "CIV held by the Treasury, wei.", economy.treasuryBalance);
    gauge("civitas_tax_collected_wei", "Cumulative tax paid to the Treasury, wei.", state.totalTax);
    gauge(
      "civitas_cap_excess_collected_wei",
      "Cumulative cap excess sent to the Treasury, wei.",
      state.totalCapExcess,
    );
    gauge("civitas_minted_wei", "Cumulative CIV minted, wei.", state.totalMinted);
    gauge("civitas_burned_wei", "Cumulative CIV burned, wei.", state.totalBurned);
    gauge("civitas_upkeep_burned_wei", "Cumulative upkeep burned, wei.", state.totalUpkeepBurned);
    gauge("civitas_tax_bps", "Tax on earnings, bps.", state.taxBps);
    gauge("civitas_cap_bps", "Wealth cap, bps of total supply.", state.capBps);
    gauge("civitas_agents_active", "Registered agents in good standing.", state.activeAgents);
    gauge("civitas_agents_suspended", "Suspended agents.", state.suspendedAgents);
    gauge("civitas_agents_starved", "Starved agents.", state.starvedAgents);
    gauge("civitas_holders", "Agents and ordinary accounts holding CIV.", economy.holders);
    gauge("civitas_gini", "Gini coefficient of agents' holdings (0..1).", distribution.gini);
    gauge(
      "civitas_largest_holder_share_bps",
      "Largest ordinary holder's holdings, bps of total supply.",
      distribution.largestHolderShareBps,
    );
    gauge(
      "civitas_indexed_timestamp_seconds",
      "Block time of the latest indexed token event.",
      state.updatedAt,
    );
  }
  return c.text(`${lines.join("\n")}\n`, 200, { "content-type": "text/plain; version=0.0.4" });
});

/** Block time of the latest indexed block (Ponder's checkpoint starts with it, 10 digits). */
async function indexedTime(): Promise<bigint | undefined> {
  const result = (await db.execute(sql`select * from _ponder_checkpoint`)) as unknown as
    { rows: Record<string, unknown>[] } | Record<string, unknown>[];
  const rows = Array.isArray(result) ? result : result.rows;
  const row = rows[0];
  if (row === undefined) return undefined;
  const key = Object.keys(row).find((k) => /latest/i.test(k));
  return key === undefined ? undefined : BigInt(String(row[key]).slice(0, 10));
}

async function stateOf(row: typeof proposal.$inferSelect, now: bigint) {
  // The quorum the Governor recorded with the first vote (ProposalQuorumRecorded); null before any vote.
  const quorum = row.quorum;
  const state = proposalState(row, quorum, now);
  return {
    id: row.id,
    state,
    stateCode: PROPOSAL_STATES.indexOf(state),
    quorum,
    forVotes: row.forVotes,
    againstVotes: row.againstVotes,
    abstainVotes: row.abstainVotes,
    voteStart: row.voteStart,
    voteEnd: row.voteEnd,
    eta: row.eta,
    at: now,
  };
}

async function evaluationTime(at: string | undefined): Promise<bigint | undefined> {
  return at !== undefined && /^\d+$/.test(at) ? BigInt(at) : await indexedTime();
}

app.get("/proposals/state", async (c) => {
  const now = await evaluationTime(c.req.query("at"));
  if (now === undefined) return c.json({ error: "nothing indexed yet" }, 503);
  const rows = await db.select().from(proposal).orderBy(asc(proposal.createdAt));
  const states = [];
  for (const row of rows) states.push(await stateOf(row, now));
  return c.body(json(states), 200, { "content-type": "application/json" });
});

app.get("/proposals/:id/state", async (c) => {
  const id = c.req.param("id");
  if (!/^\d+$/.test(id)) return c.json({ error: "proposal id must be a decimal integer" }, 400);
  const now = await evaluationTime(c.req.query("at"));
  if (now === undefined) return c.json({ error: "nothing indexed yet" }, 503);
  const [row] = await db
    .select()
    .from(proposal)
    .where(eq(proposal.id, BigInt(id)));
  if (row === undefined) return c.json({ error: "unknown proposal" }, 404);
  return c.body(json(await stateOf(row, now)), 200, { "content-type": "application/json" });
});

export default app;
