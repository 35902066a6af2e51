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

/**
 * Makes the database client's query functions refuse to start a query for an aborted request. Queries
 * outside a request (indexing) are untouched.
 */
export function installQueryAbort(client: Queryable): void {
  const marked = client as Queryable & { __civitasAbort?: true };
  if (marked.__civitasAbort) return;
  marked.__civitasAbort = true;
  for (const name of ["query", "exec"] as const) {
    const original = client[name];
    if (typeof original !== "function") continue;
    client[name] = function (this: unknown, ...args: unknown[]) {
      try {
        checkScope();
      } catch (error) {
        return Promise.reject(error);
      }
      return original.apply(client, args);
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

type Session = {
  prepareQuery(
    query: unknown,
    fields: unknown,
    name: unknown,
    arrayMode: boolean,
  ): { execute(): Promise<any> };
};
type Tx = { execute(query: SQL): Promise<any>; _: { session: Session } };
type ReadDb = {
  transaction<T>(fn: (tx: Tx) => Promise<T>, config?: { accessMode: "read only" }): Promise<T>;
  execute(query: SQL): Promise<unknown>;
};

const rowsOf = (result: any): any[] => (Array.isArray(result) ? result : (result?.rows ?? []));

/** The planner's total cost of `query` (EXPLAIN, not run). */
async function plannedCost(session: Session, query: ClientQuery): Promise<number> {
  const result = await session
    .prepareQuery(
      { sql: `EXPLAIN (FORMAT JSON) ${query.sql}`, params: query.params },
      undefined,
      undefined,
      false,
    )
    .execute()
    .catch((error: Error) => {
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
  db: ReadDb,
  dialect: "pglite" | "postgres",
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
    if (backendPid !== undefined) db.execute(sql`SELECT pg_cancel_backend(${backendPid})`).catch(() => {});
  };
  signal.addEventListener("abort", cancel, { once: true });
  try {
    return await db.transaction(
      async (tx) => {
        await tx.execute(sql.raw(`SET LOCAL search_path = ${quoted}, pg_temp`));
        if (dialect === "postgres") {
          await tx.execute(
            sql.raw(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(limits.timeoutMs))}`),
          );
          backendPid = Number(rowsOf(await tx.execute(sql`SELECT pg_backend_pid() AS pid`))[0]?.pid);
        } else {
          // PGlite ships with sequential scans disabled, which inflates every estimate by 1e10.
          await tx.execute(sql.raw("SET LOCAL enable_seqscan = on"));
        }
        const cost = await plannedCost(tx._.session, wrapped);
        if (cost > limits.maxSqlCost) {
          throw new ApiLimitError(
            400,
            `query refused: estimated cost ${Math.round(cost)} is above the limit ${limits.maxSqlCost} (filter on keys, join less, or page with LIMIT)`,
          );
        }
        signal.throwIfAborted();
        const result = await tx._.session
          .prepareQuery(wrapped, undefined, undefined, false)
          .execute()
          .catch((error: Error) => {
            throw signal.aborted ? signal.reason : new ApiLimitError(400, `query failed: ${error.message}`);
          });
        if (rowsOf(result).length > limits.maxSqlRows) {
          throw new ApiLimitError(
            400,
            `query refused: more than ${limits.maxSqlRows} rows; page with LIMIT and OFFSET or a key range`,
          );
        }
        return result;
      },
      { accessMode: "read only" },
    );
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}
