/**
 * Starts the Civitas indexer (`ponder start --root indexer`) as a child process on 127.0.0.1, on a
 * database that never holds another chain's data: the deployment's `deploymentId` and `genesisHash`
 * (plus a fingerprint of the indexer's code, ABIs and deployment file) are recorded beside the
 * database, and the database is wiped whenever they differ. Restarting on the same chain resumes.
 *
 * Library: `startIndexer({ rpcUrl, ... })` (used by `npm start`, the tests and the benchmarks).
 * CLI: `node indexer/run.ts [--rpc URL] [--port N] [--chain-id N] [--database-dir DIR] [--schema S]
 * [--log-file FILE] [--reindex] [--finality-blocks N] [--start-finality-blocks N]` (DATABASE_URL selects Postgres); runs until SIGINT/SIGTERM.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT, deploymentPath, readDeployment } from "../scripts/lib/deployment.ts";
import { QUIET_ENV, freePort } from "../scripts/lib/devnet.ts";
import { apiLimitsFromEnv } from "./lib/limits.ts";
import { copyPgliteTemplate, ensurePgliteTemplate } from "./lib/pgliteTemplate.ts";
import { type BlockRecord, Supervisor, fileLog } from "./lib/supervisor.ts";
import { serveArgs } from "./replica.ts";

/** Options of {@link startIndexer}. */
export interface IndexerOptions {
  /** EIP-155 chain id of the deployment to index (default 31337). */
  chainId?: number;
  /** HTTP JSON-RPC URL of the chain (WebSocket is derived from it: same host and port). */
  rpcUrl: string;
  /** Port of the HTTP server (default: a free one). */
  port?: number;
  /** PGlite directory (default `indexer/.ponder/pglite-<chainId>`). Ignored when databaseUrl is set. */
  databaseDir?: string;
  /** Postgres connection string (default: DATABASE_URL; unset means PGlite). */
  databaseUrl?: string;
  /** Database schema of the app's tables (default "civitas"). */
  schema?: string;
  /** Folder of deployment files (default CIVITAS_DEPLOYMENTS_DIR or `<repo>/deployments`). */
  deploymentsDir?: string;
  /** Where Ponder's and the supervisor's output goes, line by line (default: discarded). */
  log?: (line: string) => void;
  /** A file the same lines are appended to (its folder is created). */
  logFile?: string;
  /**
   * After a reorg below Ponder's finalized block, wipe and re-index by itself (default: on chain 31337,
   * whose history is small); otherwise the data is flagged stale until a restart.
   */
  autoRecover?: boolean;
  /** Wipe the database first, whatever it holds. */
  reindex?: boolean;
  /** Indexing counts as stalled (`/health` 503) when behind the chain and still for this long (60 s). */
  stallMs?: number;
  /**
   * Ponder's live finality depth (blocks): while it follows the chain, every block above its finalized
   * block is revertible in place, and the finalized block moves to `head - depth` once the head is `depth`
   * past it. Default: {@link DEVNET_FINALITY_BLOCKS} on chain 31337 (CIVITAS_FINALITY_BLOCKS), otherwise
   * Ponder's own table. A reorg deeper than this is re-indexed (devnet) or flagged stale.
   */
  finalityBlocks?: number;
  /**
   * How far below the head Ponder's finalized block is put when Ponder starts (blocks up to there are read
   * in bulk, the rest one by one). Default: {@link DEVNET_START_FINALITY_BLOCKS} on chain 31337, otherwise
   * the live depth.
   */
  startFinalityBlocks?: number;
  /** Extra environment for the Ponder process (e.g. CIVITAS_RPC_LANES). */
  env?: Record<string, string>;
  /**
   * Serve public reads from an API-only replica (`ponder serve`, started and restarted by the supervisor)
   * so that the indexing process never serves a reader (issue 23). Default: on with Postgres unless
   * CIVITAS_API_REPLICA=0; PGlite has none (one process owns the database; readers take turns instead).
   */
  apiReplica?: boolean;
}

/** A running indexer. */
export interface Indexer {
  /** Base URL, e.g. `http://127.0.0.1:42069` (/health, /ready, /status, /metrics, /sql/*, /economy). */
  url: string;
  /** GraphQL endpoint. */
  graphqlUrl: string;
  /** Stops Ponder (SIGTERM, then SIGKILL after 10 s; its schema lock is released) and the proxy. */
  stop(): Promise<void>;
  /** The supervisor's verdict (as `/indexer/status` serves it). */
  status(): ReturnType<Supervisor["verdict"]>;
  /** The Ponder process's id (undefined while it restarts). */
  pid(): number | undefined;
  /**
   * The indexing process's own HTTP server (no supervisor in front; for diagnostics and benchmarks only:
   * public clients use `url`).
   */
  ponderUrl(): string;
  /**
   * The database's block record, which the next start checks against the chain (`<pglite dir>.blocks.json`,
   * or the schema's row in `public.civitas_indexer_blocks`); usable after `stop()`.
   */
  records: RecordStore;
  /** Resolves once every event up to block `n` is indexed (per /status). */
  waitForIndexedBlock(n: bigint, timeoutMs?: number): Promise<void>;
}

/**
 * Ponder's live finality depth on the devnet (chain 31337), instead of Ponder's 30: a devnet's reorgs are
 * `evm_revert`s (test fixtures), often hundreds of blocks deep; within this depth Ponder reverts them in
 * place, in seconds, where a revert below its finalized block means a wipe and a new Ponder process
 * (minutes under load). 2,048 (was 256). Bounded because Ponder keeps every block above its finalized
 * block, with its events, in memory (up to twice the depth; measured in BENCHMARKS.md).
 */
export const DEVNET_FINALITY_BLOCKS = 2048;
/**
 * Ponder's finality depth when it starts on the devnet: the blocks below `head - this` are read in bulk
 * (`eth_getLogs` over ranges) rather than one block at a time, so a start or restart does not replay the
 * last 30–60 blocks one by one. Not 0: a revert to the snapshot taken at the head right after a start would
 * then land exactly on the finalized block, which Ponder 0.16 cannot reconcile.
 */
export const DEVNET_START_FINALITY_BLOCKS = 4;

const INDEXER_DIR = join(REPO_ROOT, "indexer");
const PONDER_BIN = join(REPO_ROOT, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
const CHILD_PRELOAD = join(INDEXER_DIR, "lib", "supervisorChild.ts");

/** The Ponder process last started on a database, recorded beside it (see {@link previousPonder}). */
interface PonderRecord {
  pid: number;
  supervisorPid: number;
  host: string;
}

/** Whether process `pid` is alive and is a Ponder process (not a reused pid). */
function isPonder(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("ponder");
  } catch {
    return true; // no /proc: trust the signal check
  }
}

/**
 * Settles the Ponder process that last ran on this database, before a new one starts. A Ponder whose
 * supervisor died (e.g. SIGKILL) gets SIGTERM from its closed stdin (lib/supervisorChild.ts) and releases
 * its lock; it is given 8 s, then killed. Either way it is then gone, so its lock is not waited for.
 * @returns Whether a previous Ponder is known to be gone (its lock, if any, is stale).
 * @throws When a live supervisor still runs a Ponder on this database (another indexer).
 */
async function previousPonder(file: string, say: (text: string) => void): Promise<boolean> {
  if (!existsSync(file)) return false;
  let record: PonderRecord;
  try {
    record = JSON.parse(readFileSync(file, "utf8")) as PonderRecord;
  } catch {
    return false;
  }
  if (record.host !== hostname()) return false;
  if (!isPonder(record.pid)) return true;
  let supervisorAlive = record.supervisorPid !== process.pid;
  try {
    process.kill(record.supervisorPid, 0);
  } catch {
    supervisorAlive = false;
  }
  if (supervisorAlive)
    throw new Error(
      `another indexer (process ${record.supervisorPid}, Ponder ${record.pid}) runs on this database: stop it first`,
    );
  say(`Ponder process ${record.pid} of a previous indexer is still running: waiting for it to end`);
  const deadline = Date.now() + 8_000;
  while (isPonder(record.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isPonder(record.pid)) {
    say(`Ponder process ${record.pid} did not end: killing it`);
    try {
      process.kill(-record.pid, "SIGKILL");
    } catch {
      process.kill(record.pid, "SIGKILL");
    }
    while (isPonder(record.pid)) await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Calls a JSON-RPC method. */
async function rpc<T>(rpcUrl: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Every file of the indexer's code (not its databases), sorted. */
function codeFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".") || name === "node_modules" || name === "generated") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...codeFiles(path));
    else if (name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

/**
 * What the database was built from: the chain (deployment id, genesis hash) and a fingerprint of the code
 * and inputs (Ponder refuses to reuse a schema built by different code, so any change means a rebuild).
 */
export function chainMarker(chainId: number, deploymentsDir?: string): Record<string, string> {
  const deployment = readDeployment(chainId, deploymentsDir);
  if (deployment === undefined)
    throw new Error(`no deployment file ${deploymentPath(chainId, deploymentsDir)}`);
  const hash = createHash("sha256");
  const inputs = [
    join(REPO_ROOT, "generated", "abis.ts"),
    join(REPO_ROOT, "generated", "vocabulary.ts"),
    join(REPO_ROOT, "scripts", "lib", "vocabulary.ts"),
  ];
  for (const file of [...codeFiles(INDEXER_DIR), ...inputs]) {
    hash.update(relative(REPO_ROOT, file)).update("\0");
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  hash.update(JSON.stringify(deployment));
  hash.update(readFileSync(join(REPO_ROOT, "node_modules", "ponder", "package.json")));
  return {
    deploymentId: deployment.deploymentId,
    genesisHash: deployment.genesisHash,
    fingerprint: hash.digest("hex"),
  };
}

const sameMarker = (a: Record<string, string> | undefined, b: Record<string, string>) =>
  a !== undefined && Object.keys(b).every((key) => a[key] === b[key]);

/**
 * Wipes a PGlite directory that holds another chain's (or another build's) data, or any data when `force`.
 * @returns Whether it was wiped.
 */
export function preparePglite(directory: string, marker: Record<string, string>, force = false): boolean {
  templated = false;
  const base = directory.replace(/\/+$/, "");
  const markerFile = `${base}.chain.json`;
  const previous = existsSync(markerFile)
    ? (JSON.parse(readFileSync(markerFile, "utf8")) as Record<string, string>)
    : undefined;
  const wipe = force || !sameMarker(previous, marker);
  if (wipe) {
    rmSync(directory, { recursive: true, force: true });
    rmSync(pgliteRecordFile(directory), { force: true });
    templated = copyPgliteTemplate(directory);
  }
  mkdirSync(dirname(markerFile), { recursive: true });
  writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
  return wipe;
}

/** Whether the last wipe of a PGlite folder copied the empty template (see lib/pgliteTemplate.ts). */
let templated = false;

/** The little of `pg` used here (it comes with Ponder, without types). */
type PgClient = {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
};

/** Runs `work` on a fresh Postgres connection. */
async function withPostgres<T>(connectionString: string, work: (client: PgClient) => Promise<T>): Promise<T> {
  const pg = (await import("pg" as string)).default as {
    Client: new (config: { connectionString: string }) => PgClient;
  };
  const pgClient = new pg.Client({ connectionString });
  await pgClient.connect();
  try {
    return await work(pgClient);
  } finally {
    await pgClient.end();
  }
}

/**
 * Drops the app's schema and Ponder's sync cache (`ponder_sync`) in Postgres when they hold another
 * chain's (or another build's) data, or always when `force`. The marker lives in
 * `public.civitas_indexer_chain`, the block record in `public.civitas_indexer_blocks`.
 * @returns Whether it was wiped.
 */
export async function preparePostgres(
  connectionString: string,
  schema: string,
  marker: Record<string, string>,
  force = false,
): Promise<boolean> {
  return withPostgres(connectionString, async (pgClient) => {
    await pgClient.query(
      "CREATE TABLE IF NOT EXISTS public.civitas_indexer_chain (schema_name text PRIMARY KEY, marker jsonb NOT NULL)",
    );
    const { rows } = await pgClient.query(
      "SELECT marker FROM public.civitas_indexer_chain WHERE schema_name = $1",
      [schema],
    );
    const wipe = force || !sameMarker(rows[0]?.marker as Record<string, string> | undefined, marker);
    if (wipe) {
      const quoted = `"${schema.replaceAll('"', '""')}"`;
      await pgClient.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`);
      await pgClient.query("DROP SCHEMA IF EXISTS ponder_sync CASCADE");
      await pgClient.query("DROP TABLE IF EXISTS public.civitas_indexer_blocks");
    }
    await pgClient.query(
      `INSERT INTO public.civitas_indexer_chain (schema_name, marker) VALUES ($1, $2)
       ON CONFLICT (schema_name) DO UPDATE SET marker = EXCLUDED.marker`,
      [schema, JSON.stringify(marker)],
    );
    return wipe;
  });
}

/** Where the supervisor keeps the blocks it saw indexed: a file beside PGlite, or a Postgres table. */
export interface RecordStore {
  /** The blocks the last run recorded (undefined: none, or the record was cleared). */
  load(): Promise<BlockRecord | undefined>;
  save(record: BlockRecord): Promise<void>;
  /** Forgets the record (as a run stopped during its backfill leaves it). */
  clear(): Promise<void>;
}

/** The PGlite folder's block record: `<directory>.blocks.json` beside it. */
function pgliteRecordFile(directory: string): string {
  return `${directory.replace(/\/+$/, "")}.blocks.json`;
}

function pgliteRecords(directory: string): RecordStore {
  const file = pgliteRecordFile(directory);
  return {
    load: async () =>
      existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as BlockRecord) : undefined,
    save: async (record) => writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`),
    clear: async () => rmSync(file, { force: true }),
  };
}

function postgresRecords(connectionString: string, schema: string): RecordStore {
  const ensure = (c: PgClient) =>
    c.query(
      "CREATE TABLE IF NOT EXISTS public.civitas_indexer_blocks (schema_name text PRIMARY KEY, record jsonb NOT NULL)",
    );
  return {
    load: () =>
      withPostgres(connectionString, async (c) => {
        await ensure(c);
        const { rows } = await c.query(
          "SELECT record FROM public.civitas_indexer_blocks WHERE schema_name = $1",
          [schema],
        );
        return rows[0]?.record as BlockRecord | undefined;
      }),
    save: (record) =>
      withPostgres(connectionString, async (c) => {
        await ensure(c);
        await c.query(
          `INSERT INTO public.civitas_indexer_blocks (schema_name, record) VALUES ($1, $2)
           ON CONFLICT (schema_name) DO UPDATE SET record = EXCLUDED.record`,
          [schema, JSON.stringify(record)],
        );
      }),
    clear: () =>
      withPostgres(connectionString, async (c) => {
        await ensure(c);
        await c.query("DELETE FROM public.civitas_indexer_blocks WHERE schema_name = $1", [schema]);
      }),
  };
}

/**
 * Compares the blocks recorded at the last run with the chain now.
 * @param revertible The chain's finalized blocks can be replaced (a devnet: `evm_revert`). The supervisor
 * writes a record once Ponder is current or moves its finalized block, so a database without one was left
 * by a run stopped before that (during its backfill) and may hold rows of finalized blocks that nothing can
 * check: on such a chain it is re-indexed; elsewhere it resumes (finalized blocks are final there).
 * @returns Why the database must be re-indexed from the deployment's start block (undefined: it may
 * resume; `note` says when blocks above the finalized one changed, which Ponder reverts itself).
 */
export async function checkStoredBlocks(
  rpcUrl: string,
  record: BlockRecord | undefined,
  finalityBlocks: number,
  revertible = false,
): Promise<{ reindex?: string; note?: string }> {
  if (record === undefined) {
    return revertible
      ? {
          reindex:
            "the last run left no block record (it was never current), so its rows cannot be checked against the chain",
        }
      : {};
  }
  const hashAt = async (n: string) =>
    (
      await rpc<{ hash: string } | null>(rpcUrl, "eth_getBlockByNumber", [
        `0x${BigInt(n).toString(16)}`,
        false,
      ])
    )?.hash;
  const head = BigInt(await rpc<string>(rpcUrl, "eth_blockNumber", []));
  if (record.finalized !== undefined) {
    const now = await hashAt(record.finalized.number);
    if (now !== record.finalized.hash) {
      return {
        reindex: `block ${record.finalized.number}, finalized when the indexer last ran, is no longer the chain's (stored ${record.finalized.hash}, chain ${now ?? "none"})`,
      };
    }
    // Ponder refuses a finalized block that moves backwards: the chain must still be past it.
    if (BigInt(record.finalized.number) > head - BigInt(finalityBlocks)) {
      return {
        reindex: `the chain (head ${head}) fell back below the finalized block ${record.finalized.number} of the last run`,
      };
    }
  }
  if (record.indexed !== undefined) {
    const now = await hashAt(record.indexed.number);
    if (now !== record.indexed.hash) {
      if (record.finalized === undefined) {
        return {
          reindex: `block ${record.indexed.number}, the last one indexed, is no longer the chain's (stored ${record.indexed.hash}, chain ${now ?? "none"})`,
        };
      }
      return {
        note: `blocks above ${record.finalized.number} changed since the last run (block ${record.indexed.number} was ${record.indexed.hash}, now ${now ?? "none"}): Ponder reverts them to the finalized block and re-indexes`,
      };
    }
  }
  return {};
}

/** Ponder's finality depth for a chain id (its own table, so the supervisor agrees with it). */
async function finalityBlocksOf(chainId: number): Promise<number> {
  const file = join(REPO_ROOT, "node_modules", "ponder", "dist", "esm", "utils", "finality.js");
  const { getFinalityBlockCount } = (await import(file)) as {
    getFinalityBlockCount(args: { chain: { id: number } }): number;
  };
  return getFinalityBlockCount({ chain: { id: chainId } });
}

/**
 * Starts the indexer on a database that holds only this chain's data, behind its supervisor.
 * @throws When no deployment file exists, when the chain at `rpcUrl` is not the deployment's (its genesis
 * hash differs: redeploy first), or when Ponder does not come up.
 */
export async function startIndexer(options: IndexerOptions): Promise<Indexer> {
  const chainId = options.chainId ?? 31337;
  const schema = options.schema ?? "civitas";
  const marker = chainMarker(chainId, options.deploymentsDir);
  const genesis = await rpc<{ hash: string } | null>(options.rpcUrl, "eth_getBlockByNumber", ["0x0", false]);
  if (genesis?.hash?.toLowerCase() !== marker.genesisHash.toLowerCase()) {
    throw new Error(
      `the chain at ${options.rpcUrl} (genesis ${genesis?.hash}) is not the deployed one (${marker.genesisHash}): deploy first`,
    );
  }
  const log = options.logFile ? fileLog(options.logFile, options.log) : (options.log ?? (() => undefined));
  const say = (text: string) => log(`${new Date().toISOString()} supervisor: ${text}\n`);
  const devnet = chainId === 31337;
  const envDepth = process.env.CIVITAS_FINALITY_BLOCKS
    ? Number(process.env.CIVITAS_FINALITY_BLOCKS)
    : undefined;
  const liveDepth =
    options.finalityBlocks ?? envDepth ?? (devnet ? DEVNET_FINALITY_BLOCKS : await finalityBlocksOf(chainId));
  const finalityBlocks = options.startFinalityBlocks ?? (devnet ? DEVNET_START_FINALITY_BLOCKS : liveDepth);
  for (const [name, value] of [
    ["finality depth", liveDepth],
    ["start finality depth", finalityBlocks],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < (name === "finality depth" ? 1 : 0))
      throw new Error(
        `${name} must be a whole number of blocks${name === "finality depth" ? " above 0" : ""}, got ${value}`,
      );
  }

  say(
    `Ponder's finality depth on chain ${chainId}: ${liveDepth} blocks while following the chain (reorgs up to that ` +
      `deep are reverted in place), ${finalityBlocks} when it starts`,
  );
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const databaseDir = options.databaseDir ?? join(INDEXER_DIR, ".ponder", `pglite-${chainId}`);
  const records = databaseUrl ? postgresRecords(databaseUrl, schema) : pgliteRecords(databaseDir);
  const prepare = (force: boolean) =>
    databaseUrl
      ? preparePostgres(databaseUrl, schema, marker, force)
      : Promise.resolve(preparePglite(databaseDir, marker, force));
  const where = databaseUrl ? `schema ${schema}` : databaseDir;
  const ponderFile = databaseUrl
    ? join(
        INDEXER_DIR,
        ".ponder",
        `postgres-${createHash("sha256").update(`${databaseUrl}\0${schema}`).digest("hex").slice(0, 16)}.ponder.json`,
      )
    : `${databaseDir.replace(/\/+$/, "")}.ponder.json`;
  const staleLockAtStart = await previousPonder(ponderFile, say);
  if (await prepare(options.reindex === true)) {
    say(`${options.reindex ? "re-index requested" : "new chain or build"}: ${where} reset`);
  } else {
    const check = await checkStoredBlocks(options.rpcUrl, await records.load(), finalityBlocks, devnet);
    if (check.reindex !== undefined) {
      await prepare(true);
      say(`${check.reindex}: ${where} reset, re-indexing from the deployment's start block`);
    } else if (check.note !== undefined) say(check.note);
  }

  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...QUIET_ENV,
    NO_COLOR: "1",
    CIVITAS_CHAIN_ID: String(chainId),
    CIVITAS_RPC_URL: options.rpcUrl,
    ...(options.deploymentsDir ? { CIVITAS_DEPLOYMENTS_DIR: options.deploymentsDir } : {}),
    // Ponder's finality depths, applied by the preload (lib/supervisorChild.ts).
    CIVITAS_PONDER_FINALITY_BLOCKS: String(liveDepth),
    CIVITAS_PONDER_START_FINALITY_BLOCKS: String(finalityBlocks),
    ...(options.env ?? {}),
  };
  // The API trusts the client address the supervisor forwards only with this secret (lib/limits.ts).
  const proxySecret = randomBytes(24).toString("hex");
  env.CIVITAS_PROXY_SECRET = proxySecret;
  const trustProxy = ["1", "true"].includes(env.CIVITAS_API_TRUST_PROXY ?? "");
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else {
    delete env.DATABASE_URL;
    delete env.DATABASE_PRIVATE_URL;
    env.CIVITAS_PGLITE_DIR = databaseDir;
  }
  const port = options.port ?? (await freePort());
  const apiReplica = Boolean(databaseUrl) && (options.apiReplica ?? process.env.CIVITAS_API_REPLICA !== "0");
  if (options.apiReplica && !databaseUrl) throw new Error("an API replica needs Postgres (DATABASE_URL)");
  // The replica: the same app and limits, none of the indexing process's finality rewrites.
  const replicaEnv: Record<string, string> = { ...env, CIVITAS_SUPERVISED: "1" };
  delete replicaEnv.CIVITAS_PONDER_FINALITY_BLOCKS;
  delete replicaEnv.CIVITAS_PONDER_START_FINALITY_BLOCKS;
  const supervisor = new Supervisor({
    rpcUrl: options.rpcUrl,
    port,
    freePort,
    autoRecover: options.autoRecover ?? chainId === 31337,
    finalityBlocks,
    stallMs: options.stallMs,
    proxySecret,
    trustProxy,
    maxBodyBytes: apiLimitsFromEnv(env, !databaseUrl).maxBodyBytes,
    log,
    staleLockAtStart,
    onSpawn: (pid) => {
      mkdirSync(dirname(ponderFile), { recursive: true });
      const record: PonderRecord = { pid, supervisorPid: process.pid, host: hostname() };
      writeFileSync(ponderFile, `${JSON.stringify(record)}\n`);
    },
    spawnPonder: (internalPort, launch) =>
      spawn(
        process.execPath,
        [
          "--import",
          CHILD_PRELOAD,
          PONDER_BIN,
          "--root",
          INDEXER_DIR,
          "--log-level",
          "debug",
          "start",
          "--schema",
          schema,
          "--port",
          String(internalPort),
          "--hostname",
          "127.0.0.1",
        ],
        {
          cwd: REPO_ROOT,
          env: {
            ...env,
            CIVITAS_SUPERVISED: "1",
            ...(launch.staleLock ? { CIVITAS_PONDER_LOCK_TIMEOUT_MS: "0" } : {}),
          },
          stdio: ["pipe", "pipe", "pipe"],
          detached: true,
        },
      ),
    spawnReplica: apiReplica
      ? (replicaPort) =>
          spawn(process.execPath, ["--import", CHILD_PRELOAD, ...serveArgs(schema, replicaPort)], {
            cwd: REPO_ROOT,
            env: replicaEnv,
            stdio: ["pipe", "pipe", "pipe"],
            detached: true,
          })
      : undefined,
    wipe: async () => {
      await prepare(true);
      if (templated) say("the wiped database is a copy of the empty PGlite template");
    },
    saveRecord: records.save,
    // CIVITAS_INDEXER_START_TIMEOUT_MS: more time on a loaded machine (the test kit sets it).
    startTimeoutMs: Number(process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ?? 120_000),
  });
  const url = `http://127.0.0.1:${port}`;
  // The next wipe of the embedded database copies an empty one instead of initialising it (see the module).
  if (!databaseUrl) void ensurePgliteTemplate();
  try {
    await supervisor.start();
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  const recent = options.logFile ? ` (log: ${options.logFile})` : "";

  const waitForIndexedBlock = async (n: bigint, timeoutMs = 180_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const verdict = supervisor.verdict();
      if (verdict.status === "current" && verdict.indexedBlock !== null && BigInt(verdict.indexedBlock) >= n)
        return;
      if (verdict.status === "stale") throw new Error(`indexer stale: ${verdict.reason}${recent}`);
      if (Date.now() > deadline)
        throw new Error(
          `block ${n} not indexed within ${timeoutMs} ms (${verdict.status}: ${verdict.reason})${recent}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    stop: () => supervisor.stop(),
    records,
    waitForIndexedBlock,
    status: () => supervisor.verdict(),
    pid: () => supervisor.pid,
    ponderUrl: () => supervisor.ponderUrl,
  };
}

/** `node indexer/run.ts`: runs the indexer until interrupted. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const port = option("port");
  const chainId = option("chain-id");
  const indexer = await startIndexer({
    rpcUrl: option("rpc") ?? process.env.CIVITAS_RPC_URL ?? "http://127.0.0.1:8545",
    port: port ? Number(port) : 42069,
    chainId: chainId ? Number(chainId) : Number(process.env.CIVITAS_CHAIN_ID ?? 31337),
    databaseDir: option("database-dir"),
    schema: option("schema"),
    logFile: option("log-file"),
    reindex: argv.includes("--reindex"),
    finalityBlocks: option("finality-blocks") ? Number(option("finality-blocks")) : undefined,
    startFinalityBlocks: option("start-finality-blocks")
      ? Number(option("start-finality-blocks"))
      : undefined,
    log: (line) => process.stdout.write(line),
  });
  console.log(`indexer: GraphQL ${indexer.graphqlUrl}, status ${indexer.url}/indexer/status`);
  const shutdown = () => void indexer.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
