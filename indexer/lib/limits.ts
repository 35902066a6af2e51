/**
 * Limits of the indexer's public API (GraphQL, SQL over HTTP, JSON endpoints): pure pieces, tested on
 * their own (test/indexer/limits.test.ts) and wired in src/api/index.ts.
 *
 * - {@link apiLimitsFromEnv}: every limit, from CIVITAS_API_* variables (docs/indexer.md, "Limits").
 * - {@link graphqlCost}: the rows a GraphQL operation may fetch, nested relations multiplied out.
 * - {@link countValues}: how many values a JSON value (GraphQL variables) holds.
 * - {@link RateLimiter}: a token bucket per client (429 when empty).
 * - {@link Gate}: at most N requests reading at once, a bounded queue, abandoned waiters dropped.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type SelectionSetNode,
  type ValueNode,
  parse,
} from "graphql";

/** Header in which the supervisor (indexer/lib/supervisor.ts) names the client it forwards for. */
export const CLIENT_HEADER = "x-civitas-client";
/** Header carrying the supervisor's secret (CIVITAS_PROXY_SECRET), proving {@link CLIENT_HEADER} is its own. */
export const PROXY_SECRET_HEADER = "x-civitas-proxy-secret";

/**
 * The last address of an `x-forwarded-for` value: the one the proxy directly in front saw. Earlier entries
 * are whatever the client claimed, so they never name it.
 */
export function lastForwarded(value: string | null | undefined): string | undefined {
  const last = value?.split(",").pop()?.trim();
  return last === "" ? undefined : last;
}

/**
 * Who a request comes from, for rate limits: the supervisor's {@link CLIENT_HEADER} when the request
 * carries the supervisor's secret; else, behind a trusted proxy, the last `x-forwarded-for` entry; else the
 * socket's address. A client cannot choose its bucket by sending headers.
 * @param headers The request's headers.
 * @param socketAddress The peer address of the connection.
 * @param trustProxy Whether a proxy that appends `x-forwarded-for` stands directly in front.
 * @param proxySecret The supervisor's secret (undefined: no supervisor).
 */
export function clientAddress(
  headers: { get(name: string): string | null },
  socketAddress: string | undefined,
  trustProxy: boolean,
  proxySecret: string | undefined,
): string {
  if (proxySecret !== undefined && proxySecret !== "" && headers.get(PROXY_SECRET_HEADER) === proxySecret) {
    const client = headers.get(CLIENT_HEADER);
    if (client) return client;
  }
  if (trustProxy) {
    const forwarded = lastForwarded(headers.get("x-forwarded-for"));
    if (forwarded !== undefined) return forwarded;
  }
  return socketAddress ?? "unknown";
}

/** Every limit of the public API. */
export interface ApiLimits {
  /** API keys accepted (`Authorization: Bearer <key>`, `x-api-key`, or `?key=`); empty = no key needed. */
  apiKeys: ReadonlySet<string>;
  /** Requests per second per client (token bucket refill); 0 = no rate limit. */
  ratePerSecond: number;
  /** Bucket size: requests a client may send at once after being idle. */
  burst: number;
  /** Whether the last `x-forwarded-for` entry names the client (only behind a trusted proxy). */
  trustProxy: boolean;
  /** Time limit of a request, queueing included, milliseconds. */
  timeoutMs: number;
  /** Requests reading the database at once; more wait in the queue. */
  concurrency: number;
  /** Requests allowed to wait; beyond that a request is answered 503 at once. */
  queue: number;
  /** Largest request body, bytes (GraphQL document plus variables). */
  maxBodyBytes: number;
  /** Largest response, bytes. */
  maxResponseBytes: number;
  /** Values GraphQL variables may hold (every array element and object field counts). */
  maxVariableValues: number;
  /** Rows a GraphQL operation may fetch, nested relations multiplied out (see {@link graphqlCost}). */
  maxGraphqlCost: number;
  /** Rows a SQL query may return. */
  maxSqlRows: number;
  /** Largest planner cost (EXPLAIN total cost) of a SQL query, in Postgres cost units. */
  maxSqlCost: number;
}

/** Ponder's page size when a plural field names no `limit`, and its largest. */
export const GRAPHQL_DEFAULT_LIMIT = 50;
export const GRAPHQL_MAX_LIMIT = 1000;
/**
 * Largest planner cost of a SQL query by default, the same on both databases so that a query is refused
 * (400, before it runs) or served alike. Embedded, a query runs on the indexer's own thread and cannot be
 * interrupted: measured here, cost 11,000 took 0.35 s and 30,000 took 1.8 s, so 5,000 keeps one query near
 * 0.2 s. On Postgres a query runs on its own connection, but on the same cores as the indexer: the limit was
 * 50,000, which let `count(*)` over three 90-row subqueries (cost 11,050, 729,000 joined rows) through to
 * run into the 5 s statement_timeout under load (504) instead of being refused.
 */
export const MAX_SQL_COST = 5_000;
/** What `totalCount` costs: it counts the whole filtered table (counted as one full page). */
export const TOTAL_COUNT_COST = GRAPHQL_MAX_LIMIT;

const number = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return value;
};

/**
 * The API's limits from the environment (defaults in brackets): CIVITAS_API_KEYS (none: open),
 * CIVITAS_API_RATE [100 requests/s per client, 0 = off], CIVITAS_API_BURST [2 × rate],
 * CIVITAS_API_TRUST_PROXY [off], CIVITAS_API_TIMEOUT_MS [5000], CIVITAS_API_CONCURRENCY [2 embedded,
 * 8 Postgres], CIVITAS_API_QUEUE [256], CIVITAS_API_MAX_BODY_BYTES [65536],
 * CIVITAS_API_MAX_RESPONSE_BYTES [8 MiB], CIVITAS_API_MAX_VARIABLE_VALUES [1000],
 * CIVITAS_API_MAX_GRAPHQL_COST [10000 rows], CIVITAS_API_MAX_SQL_ROWS [1000],
 * CIVITAS_API_MAX_SQL_COST [5000].
 * @throws When a variable is not a non-negative number.
 */
export function apiLimitsFromEnv(env: NodeJS.ProcessEnv, embedded: boolean): ApiLimits {
  const ratePerSecond = number(env, "CIVITAS_API_RATE", 100);
  return {
    apiKeys: new Set(
      (env.CIVITAS_API_KEYS ?? "")
        .split(",")
        .map((key) => key.trim())
        .filter((key) => key !== ""),
    ),
    ratePerSecond,
    burst: number(env, "CIVITAS_API_BURST", Math.max(1, 2 * ratePerSecond)),
    trustProxy: env.CIVITAS_API_TRUST_PROXY === "1" || env.CIVITAS_API_TRUST_PROXY === "true",
    timeoutMs: number(env, "CIVITAS_API_TIMEOUT_MS", 5_000),
    concurrency: Math.max(1, number(env, "CIVITAS_API_CONCURRENCY", embedded ? 2 : 8)),
    queue: number(env, "CIVITAS_API_QUEUE", 256),
    maxBodyBytes: number(env, "CIVITAS_API_MAX_BODY_BYTES", 65_536),
    maxResponseBytes: number(env, "CIVITAS_API_MAX_RESPONSE_BYTES", 8 * 1024 * 1024),
    maxVariableValues: number(env, "CIVITAS_API_MAX_VARIABLE_VALUES", 1_000),
    maxGraphqlCost: number(env, "CIVITAS_API_MAX_GRAPHQL_COST", 10_000),
    maxSqlRows: number(env, "CIVITAS_API_MAX_SQL_ROWS", 1_000),
    maxSqlCost: number(env, "CIVITAS_API_MAX_SQL_COST", MAX_SQL_COST),
  };
}

/** A request the API refuses: HTTP status and a message for the client. */
export class ApiLimitError extends Error {
  /** HTTP status of the refusal. */
  readonly status: 400 | 401 | 413 | 429 | 503 | 504;
  /** Seconds the client should wait (429), sent as Retry-After. */
  readonly retryAfterSeconds?: number;

  // No parameter properties: Node's type stripping (the supervisor imports this file) cannot run them.
  constructor(status: 400 | 401 | 413 | 429 | 503 | 504, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = "ApiLimitError";
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Values held by a JSON value: 1 per scalar, plus every element of an array and every field of an
 * object, counted recursively. Stops counting past `max` (and returns a number above it).
 */
export function countValues(value: unknown, max = Number.POSITIVE_INFINITY): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= max) {
    const item = stack.pop();
    count++;
    if (Array.isArray(item)) stack.push(...item);
    else if (item !== null && typeof item === "object") stack.push(...Object.values(item));
  }
  return count;
}

/** The `limit` a plural field asks for: a literal, a variable, or Ponder's default. */
function limitOf(
  args: readonly { name: { value: string }; value: ValueNode }[] | undefined,
  variables: Record<string, unknown>,
): number {
  const arg = args?.find((a) => a.name.value === "limit");
  let value: unknown = GRAPHQL_DEFAULT_LIMIT;
  if (arg?.value.kind === Kind.INT) value = Number(arg.value.value);
  else if (arg?.value.kind === Kind.VARIABLE)
    value = variables[arg.value.name.value] ?? GRAPHQL_DEFAULT_LIMIT;
  const n = Number(value);
  // Ponder refuses a limit above its maximum itself; count anything odd as a full page.
  return Number.isInteger(n) && n >= 0 && n <= GRAPHQL_MAX_LIMIT ? n : GRAPHQL_MAX_LIMIT;
}

/**
 * Rows a GraphQL operation may fetch, nested relations multiplied out: a page (a field selecting `items`)
 * costs its `limit` (default 50) times the rows of the page it sits in; a single row (a field with a
 * selection and no `items`) costs one per row above it; `totalCount` costs {@link TOTAL_COUNT_COST} per
 * row above it. Fragments are expanded; a fragment that spreads itself counts as infinitely costly.
 * `accounts(limit: 1000) { items { sent(limit: 1000) { items { id } } } }` costs 1,001,000.
 * @throws {GraphQLError} When the document does not parse.
 */
export function graphqlCost(
  document: string | DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string,
): number {
  const doc = typeof document === "string" ? parse(document) : document;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of doc.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  /** The fields of a selection set with fragments expanded (items of a page are found through them). */
  const fields = (set: SelectionSetNode | undefined, seen: ReadonlySet<string>) => {
    const out: import("graphql").FieldNode[] = [];
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) out.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) out.push(...fields(selection.selectionSet, seen));
      else {
        const name = selection.name.value;
        if (seen.has(name)) throw new RangeError(`fragment ${name} spreads itself`);
        const fragment = fragments.get(name);
        if (fragment !== undefined) out.push(...fields(fragment.selectionSet, new Set([...seen, name])));
      }
    }
    return out;
  };

  const costOf = (set: SelectionSetNode | undefined, rows: number, seen: ReadonlySet<string>): number => {
    let cost = 0;
    for (const field of fields(set, seen)) {
      if (field.selectionSet === undefined) {
        if (field.name.value === "totalCount") cost += rows * TOTAL_COUNT_COST;
        continue;
      }
      const inner = fields(field.selectionSet, seen);
      const items = inner.filter((f) => f.name.value === "items");
      if (items.length > 0) {
        const pageRows = rows * limitOf(field.arguments, variables);
        cost += pageRows;
        for (const f of inner) {
          if (f.name.value === "items") cost += costOf(f.selectionSet, pageRows, seen);
          else if (f.name.value === "totalCount") cost += rows * TOTAL_COUNT_COST;
        }
      } else {
        cost += rows;
        cost += costOf(field.selectionSet, rows, seen);
      }
    }
    return cost;
  };

  const operations = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const chosen =
    operationName === undefined ? operations : operations.filter((op) => op.name?.value === operationName);
  let total = 0;
  try {
    for (const op of chosen) total += costOf(op.selectionSet, 1, new Set());
  } catch (error) {
    if (error instanceof RangeError) return Number.POSITIVE_INFINITY;
    throw error;
  }
  return total;
}

/** A token bucket per client: `ratePerSecond` tokens a second, at most `burst` saved up. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /** Tokens added per second (0: no limit). */
  readonly ratePerSecond: number;
  /** Tokens a client may save up. */
  readonly burst: number;
  /** The clock, in milliseconds. */
  readonly now: () => number;

  constructor(ratePerSecond: number, burst: number, now: () => number = () => performance.now()) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.now = now;
  }

  /**
   * Takes one token for `client`.
   * @returns 0 when the request may go on, else the seconds to wait before a token is there (≥ 1).
   */
  take(client: string): number {
    if (this.ratePerSecond <= 0) return 0;
    const now = this.now();
    const bucket = this.#buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    this.#buckets.set(client, bucket);
    if (this.#buckets.size > 100_000) this.#forgetFull(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
  }

  /** Drops the buckets that have refilled (their clients are as new), bounding memory. */
  #forgetFull(now: number) {
    for (const [client, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond >= this.burst)
        this.#buckets.delete(client);
    }
  }
}

/**
 * At most `concurrency` holders at once; up to `queue` more wait in order. A waiter whose signal aborts
 * (client gone, time limit) leaves the queue without ever running.
 */
export class Gate {
  #active = 0;
  readonly #waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  /** Holders at once. */
  readonly concurrency: number;
  /** Waiters at most. */
  readonly queue: number;

  constructor(concurrency: number, queue: number) {
    this.concurrency = concurrency;
    this.queue = queue;
  }

  /** Requests running now. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting now. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Waits for a free slot.
   * @returns The function that frees the slot (call it once).
   * @throws {ApiLimitError} 503 when the queue is full; the signal's reason when it aborts first.
   */
  async acquire(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    if (this.#active >= this.concurrency) {
      if (this.#waiting.length >= this.queue)
        throw new ApiLimitError(
          503,
          `the indexer is busy (${this.#waiting.length} requests queued); retry`,
          1,
        );
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          resolve: () => {
            signal.removeEventListener("abort", onAbort);
            resolve();
          },
          reject,
        };
        const onAbort = () => {
          const i = this.#waiting.indexOf(waiter);
          if (i >= 0) this.#waiting.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        this.#waiting.push(waiter);
      });
    } else {
      this.#active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next !== undefined) next.resolve();
      else this.#active--;
    };
  }
}

/**
 * The API key a request carries: `Authorization: Bearer <key>`, `x-api-key: <key>`, or the `key` query
 * parameter (so that `@ponder/client` can pass one in its base URL).
 */
export function apiKeyOf(headers: Headers, url: URL): string | undefined {
  const auth = headers.get("authorization");
  if (auth !== null && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim();
  return headers.get("x-api-key") ?? url.searchParams.get("key") ?? undefined;
}
