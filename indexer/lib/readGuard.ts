/**
 * The database side of the API's limits (used by src/api/index.ts; needs Ponder's runtime):
 * - {@link requestScope} / {@link installQueryAbort}: every read query started for an HTTP request
 *   checks the request's signal first, so a request whose client left or whose time ran out issues no
 *   further queries (GraphQL stops between its queries).
 * - {@link setReadTimeout}: on Postgres, a statement_timeout on the API's read-only connections.
 * - {@link runReadOnlySql}: SQL over HTTP in a READ ONLY transaction (the database refuses writes, e.g.
 *   `COMMENT ON`), against the app's tables only (`search_path` = schema, then pg_temp: Ponder's
 *   same-named temp tables on PGlite's single session no longer shadow them), refused beforehand when
 *   the planner's cost estimate is above the limit, with at most `maxSqlRows` rows; on Postgres also
 *   under a statement_timeout and cancelled when the client leaves.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "ponder";
// Ponder's own SQL allow-list (SELECT only, allowed functions, no system tables or other schemas). It is
// not exported from "ponder"; the file is imported by path (ponder is pinned to 0.16.10).
// @ts-expect-error: no declaration file is published for this path.
import { validateAllowableSQLQuery as ponderValidate } from "../../node_modules/ponder/dist/esm/utils/sql-parse.js";
import { ApiLimitError, type ApiLimits } from "./limits.ts";

const validateAllowableSQLQuery = ponderValidate as (query: string) => Promise<void>;
type SQL = ReturnType<typeof sql>;

/** The signal of the HTTP request being served, seen by every query it starts. */
export const requestScope = new AsyncLocalStorage<{ signal: AbortSignal }>();

/** Throws the scope's abort reason when the current request is aborted. */
function checkScope(): void {
  requestScope.getStore()?.signal.throwIfAborted();
}

type Queryable = { query: (...args: any[]) => any; exec?: (...args: any[]) => any };

/** Statements of the indexing side (outside any request) running or queued on the embedded database. */
let indexingPending = 0;
let indexingIdleSince = 0;
/** Quiet time after an indexing statement before a reader may queue (the indexer's next one goes first). */
export const INDEXING_GRACE_MS = 3;

/**
 * What the indexing side waited for on the embedded database (PGlite is one session, first come first
 * served: an indexing statement issued while a reader's statement runs waits for it). Served at
 * `/metrics/api`; {@link readerStats} resets nothing, read it twice and subtract.
 */
export interface ReaderStats {
  /** Indexing statements (and transactions) issued. */
  indexingStatements: number;
  /** Of those, issued while a reader's statement was running (they waited for it). */
  indexingBehindReader: number;
  /** Total time those waited for the reader's statement to end, milliseconds. */
  indexingWaitMs: number;
  /** The longest such wait, milliseconds. */
  indexingWaitMaxMs: number;
  /** Most reader statements ever running or queued on the database at once (1 with the reader lock). */
  readersAheadMax: number;
  /** Reader statements run. */
  readerStatements: number;
  /** Total time of reader statements on the database, milliseconds. */
  readerMs: number;
  /** The longest reader statement, milliseconds. */
  readerMaxMs: number;
}

const stats: ReaderStats = {
  indexingStatements: 0,
  indexingBehindReader: 0,
  indexingWaitMs: 0,
  indexingWaitMaxMs: 0,
  readersAheadMax: 0,
  readerStatements: 0,
  readerMs: 0,
  readerMaxMs: 0,
};
/** Reader statements handed to the database and not yet answered. */
let readersInFlight = 0;
/** When each indexing statement now waiting behind a reader's statement was issued (performance.now()). */
const indexersWaiting: number[] = [];

/** A copy of the counters of the indexing side's waits on readers (see {@link ReaderStats}). */
export function readerStats(): ReaderStats {
  return { ...stats };
}

/**
 * Resolves once the indexing side has no statement running or queued and has been quiet for
 * {@link INDEXING_GRACE_MS}: on PGlite (one session, first come first served) readers then queue behind
 * the indexer rather than ahead of it. Rejects when `signal` aborts first.
 */
export async function yieldToIndexing(signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    const quietFor = performance.now() - indexingIdleSince;
    if (indexingPending === 0 && quietFor >= INDEXING_GRACE_MS) return;
    await new Promise((resolve) =>
      setTimeout(resolve, indexingPending === 0 ? INDEXING_GRACE_MS - quietFor : 2),
    );
  }
}

/** The reader lock: its holders' async context (a statement issued inside a held turn does not wait again). */
const readerTurnScope = new AsyncLocalStorage<true>();
let readerTail: Promise<void> = Promise.resolve();

/**
 * The readers' turn on the embedded database: one reader statement at a time, and only once the indexer
 * is quiet ({@link yieldToIndexing}), so that an indexing statement waits for at most one reader statement
 * (whose size the API's limits bound), never for a queue of them.
 * @returns The function that ends the turn (call it once, after the statement is answered).
 */
async function readerTurn(signal: AbortSignal): Promise<() => void> {
  let end!: () => void;
  const previous = readerTail;
  readerTail = new Promise<void>((resolve) => (end = resolve));
  try {
    await Promise.race([
      previous,
      new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
    ]);
    await yieldToIndexing(signal);
  } catch (error) {
    // Leave the line without holding it up: the next waiter goes once the previous turn ends.
    void previous.then(end);
    throw error;
  }
  return end;
}

/** Runs a reader statement in its turn, counting it (see {@link ReaderStats}). */
async function readerStatement<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  if (readerTurnScope.getStore()) return run();
  const end = await readerTurn(signal);
  const started = performance.now();
  readersInFlight++;
  stats.readersAheadMax = Math.max(stats.readersAheadMax, readersInFlight);
  try {
    return await readerTurnScope.run(true, run);
  } finally {
    readersInFlight--;
    const now = performance.now();
    const ms = now - started;
    stats.readerStatements++;
    stats.readerMs += ms;
    stats.readerMaxMs = Math.max(stats.readerMaxMs, ms);
    for (const issued of indexersWaiting.splice(0)) {
      stats.indexingWaitMs += now - issued;
      stats.indexingWaitMaxMs = Math.max(stats.indexingWaitMaxMs, now - issued);
    }
    end();
  }
}

/**
 * Wraps a database client's `query`, `exec` (and `transaction`, with `yieldTo`) so that a statement
 * started for an HTTP request (inside {@link requestScope}) is refused once the request is aborted (client
 * gone, time up). With `yieldTo` (PGlite) statements outside requests are counted as the indexer's, and a
 * request's statement waits for its turn: one reader statement at a time, once the indexer is quiet
 * ({@link yieldToIndexing}).
 */
export function installQueryAbort(client: Queryable, yieldTo = false): void {
  const marked = client as Queryable & { __civitasAbort?: true; transaction?: (...args: any[]) => any };
  if (marked.__civitasAbort) return;
  marked.__civitasAbort = true;
  const names = yieldTo ? (["query", "exec", "transaction"] as const) : (["query", "exec"] as const);
  for (const name of names) {
    const original = (marked as Record<string, unknown>)[name];
    if (typeof original !== "function") continue;
    (marked as Record<string, unknown>)[name] = async function (...args: unknown[]) {
      const scope = requestScope.getStore();
      if (scope !== undefined) {
        scope.signal.throwIfAborted();
        if (!yieldTo) return original.apply(client, args);
        return readerStatement(scope.signal, () => original.apply(client, args));
      }
      if (!yieldTo) return original.apply(client, args);
      stats.indexingStatements++;
      if (readersInFlight > 0) {
        stats.indexingBehindReader++;
        indexersWaiting.push(performance.now());
      }
      indexingPending++;
      try {
        return await original.apply(client, args);
      } finally {
        indexingPending--;
        indexingIdleSince = performance.now();
      }
    };
  }
}

/** A pg Pool, as far as used here. */
type PgPool = {
  on(event: "connect", listener: (client: { query(text: string): Promise<unknown> }) => void): void;
  query(text: string, params?: unknown[]): Promise<unknown>;
};

/** Gives every new connection of a Postgres pool a statement_timeout of `ms`. */
export function setReadTimeout(pool: PgPool, ms: number): void {
  pool.on("connect", (client) => {
    client.query(`SET statement_timeout = ${Math.floor(ms)}`).catch(() => {});
  });
}

/** A query from `@ponder/client`: SQL text, its parameters, and drizzle's type hints. */
export interface ClientQuery {
  sql: string;
  params: unknown[];
  typings?: unknown[];
}

/** A statement run inside a read-only transaction. */
export type ReadQuery = (text: string, params?: unknown[], typings?: unknown[]) => Promise<{ rows: any[] }>;

/**
 * Runs `fn` inside one READ ONLY transaction, with the connection's process id on Postgres (to cancel it).
 * Made by {@link pgliteReadOnly} or {@link postgresReadOnly}.
 */
export interface ReadOnlyRunner {
  dialect: "pglite" | "postgres";
  run<T>(fn: (query: ReadQuery) => Promise<T>): Promise<T>;
  /** Cancels the statement running on the connection `pid` (Postgres). */
  cancel?(pid: number): Promise<unknown>;
}

type PgliteLike = {
  transaction<T>(
    fn: (tx: {
      query(text: string, params?: unknown[], options?: object): Promise<{ rows: any[] }>;
    }) => Promise<T>,
  ): Promise<T>;
};

// As drizzle's PGlite session returns them (and so Ponder's own /sql/db): date and time types as text.
const PGLITE_PARSERS = Object.fromEntries(
  [1082, 1083, 1114, 1184, 1186, 1266].map((oid) => [oid, (value: string) => value]),
);

/**
 * PGlite's own transaction (Ponder's `db.transaction` on PGlite runs the callback outside any
 * transaction, so SET LOCAL and READ ONLY would be ignored).
 */
export function pgliteReadOnly(instance: PgliteLike): ReadOnlyRunner {
  return {
    dialect: "pglite",
    run: (fn) =>
      instance.transaction(async (tx) => {
        await tx.query("SET TRANSACTION READ ONLY");
        return fn((text, params) => tx.query(text, params ?? [], { parsers: PGLITE_PARSERS }));
      }),
  };
}

type Session = {
  prepareQuery(
    query: unknown,
    fields: unknown,
    name: unknown,
    arrayMode: boolean,
  ): { execute(): Promise<any> };
};
type DrizzleDb = {
  transaction<T>(
    fn: (tx: { _: { session: Session } }) => Promise<T>,
    config?: { accessMode: "read only" },
  ): Promise<T>;
  execute(query: SQL): Promise<unknown>;
};

/** A drizzle read-only transaction on Postgres (the API's read-only pool). */
export function postgresReadOnly(db: DrizzleDb): ReadOnlyRunner {
  return {
    dialect: "postgres",
    run: (fn) =>
      db.transaction(
        (tx) =>
          fn((text, params, typings) =>
            tx._.session
              .prepareQuery({ sql: text, params: params ?? [], typings }, undefined, undefined, false)
              .execute(),
          ),
        { accessMode: "read only" },
      ),
    cancel: (pid) => db.execute(sql`SELECT pg_cancel_backend(${pid})`),
  };
}

const rowsOf = (result: any): any[] => (Array.isArray(result) ? result : (result?.rows ?? []));

/** The planner's total cost of `query` (EXPLAIN, not run). */
async function plannedCost(query: ReadQuery, statement: ClientQuery): Promise<number> {
  const result = await query(
    `EXPLAIN (FORMAT JSON) ${statement.sql}`,
    statement.params,
    statement.typings,
  ).catch((error: Error) => {
    throw new ApiLimitError(400, `query refused: ${error.message}`);
  });
  const row = rowsOf(result)[0] as Record<string, unknown> | undefined;
  let plan = row === undefined ? undefined : Object.values(row)[0];
  if (typeof plan === "string") plan = JSON.parse(plan);
  const cost = (plan as { Plan?: { "Total Cost"?: number } }[] | undefined)?.[0]?.Plan?.["Total Cost"];
  if (typeof cost !== "number") throw new Error("could not estimate the query's cost");
  return cost;
}

/**
 * Runs a `@ponder/client` query read-only under the API's limits. `validate` is Ponder's allow-list
 * (replaceable so that tests can show the database itself refusing writes).
 * @returns The driver's result (`{ rows, fields, ... }`), as Ponder's own middleware returns it.
 * @throws {ApiLimitError} 400 for a query outside the allow-list or above the cost or row limits.
 */
export async function runReadOnlySql(
  runner: ReadOnlyRunner,
  schema: string,
  query: ClientQuery,
  limits: ApiLimits,
  signal: AbortSignal,
  validate: (query: string) => Promise<void> = validateAllowableSQLQuery,
): Promise<unknown> {
  if (typeof query?.sql !== "string" || !Array.isArray(query.params))
    throw new ApiLimitError(400, 'the "sql" parameter must be a superjson { sql, params } object');
  // The first keyword, past comments and parentheses: only queries reach the database.
  const first = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()*([a-z]+)/i.exec(query.sql)?.[1]?.toLowerCase();
  if (first === undefined || !["select", "with", "values", "table"].includes(first))
    throw new ApiLimitError(
      400,
      `query refused: only SELECT queries are served, not ${first?.toUpperCase() ?? "this"}`,
    );
  try {
    await validate(query.sql);
  } catch (error) {
    throw new ApiLimitError(400, `query refused: ${(error as Error).message}`);
  }
  const body = query.sql.replace(/[\s;]+$/, "");
  const wrapped: ClientQuery = {
    sql: `SELECT * FROM (\n${body}\n) AS civitas_sql LIMIT ${limits.maxSqlRows + 1}`,
    params: query.params,
    typings: query.typings,
  };
  const quoted = `"${schema.replaceAll('"', '""')}"`;
  let backendPid: number | undefined;
  const cancel = () => {
    if (backendPid !== undefined) runner.cancel?.(backendPid).catch(() => {});
  };
  signal.addEventListener("abort", cancel, { once: true });
  try {
    // A refusal (or the request's abort) leaves the transaction as a value and is thrown outside it: Ponder's
    // Postgres `transaction` retries whatever its callback throws (up to 9 times, backing off to 8 s), which
    // turned every 400 into a 504 at the time limit and kept refused queries running (issue 23).
    const outcome = await runner.run(async (run): Promise<{ result: unknown } | { failed: unknown }> => {
      try {
        return { result: await readOnly(run) };
      } catch (error) {
        return { failed: error };
      }
    });
    if ("failed" in outcome) throw outcome.failed;
    return outcome.result;
  } finally {
    signal.removeEventListener("abort", cancel);
  }

  async function readOnly(run: ReadQuery): Promise<unknown> {
    await run(`SET LOCAL search_path = ${quoted}, pg_temp`);
    if (runner.dialect === "postgres") {
      await run(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(limits.timeoutMs))}`);
      backendPid = Number(rowsOf(await run("SELECT pg_backend_pid() AS pid"))[0]?.pid);
    } else {
      // PGlite ships with sequential scans disabled, which inflates every estimate by 1e10.
      await run("SET LOCAL enable_seqscan = on");
    }
    const cost = await plannedCost(run, wrapped);
    if (cost > limits.maxSqlCost) {
      throw new ApiLimitError(
        400,
        `query refused: estimated cost ${Math.round(cost)} is above the limit ${limits.maxSqlCost} (filter on keys, join less, or page with LIMIT)`,
      );
    }
    signal.throwIfAborted();
    const result = await run(wrapped.sql, wrapped.params, wrapped.typings).catch((error: Error) => {
      throw signal.aborted ? signal.reason : new ApiLimitError(400, `query failed: ${error.message}`);
    });
    if (rowsOf(result).length > limits.maxSqlRows) {
      throw new ApiLimitError(
        400,
        `query refused: more than ${limits.maxSqlRows} rows; page with LIMIT and OFFSET or a key range`,
      );
    }
    return result;
  }
}
