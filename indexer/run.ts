/**
 * Starts the Civitas indexer (`ponder start --root indexer`) as a child process on 127.0.0.1, on a
 * database that never holds another chain's data: the deployment's `deploymentId` and `genesisHash`
 * (plus a fingerprint of the indexer's code, ABIs and deployment file) are recorded beside the
 * database, and the database is wiped whenever they differ. Restarting on the same chain resumes.
 *
 * Library: `startIndexer({ rpcUrl, ... })` (used by `npm start`, the tests and the benchmarks).
 * CLI: `node indexer/run.ts [--rpc URL] [--port N] [--chain-id N] [--database-dir DIR] [--schema S]`
 * (DATABASE_URL selects Postgres); runs until SIGINT/SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT, deploymentPath, readDeployment } from "../scripts/lib/deployment.ts";
import { QUIET_ENV, exited, freePort } from "../scripts/lib/devnet.ts";

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
  /** Where Ponder's output goes, line by line (default: discarded). */
  log?: (line: string) => void;
  /** Extra environment for the Ponder process (e.g. CIVITAS_RPC_LANES). */
  env?: Record<string, string>;
}

/** A running indexer. */
export interface Indexer {
  /** Base URL, e.g. `http://127.0.0.1:42069` (/health, /ready, /status, /metrics, /sql/*, /economy). */
  url: string;
  /** GraphQL endpoint. */
  graphqlUrl: string;
  /** Stops Ponder (SIGTERM, then SIGKILL after 15 s) and waits for its exit. */
  stop(): Promise<void>;
  /** Resolves once every event up to block `n` is indexed (per /status). */
  waitForIndexedBlock(n: bigint, timeoutMs?: number): Promise<void>;
}

const INDEXER_DIR = join(REPO_ROOT, "indexer");
const PONDER_BIN = join(REPO_ROOT, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");

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
 * Wipes a PGlite directory that holds another chain's (or another build's) data.
 * @returns Whether it was wiped.
 */
export function preparePglite(directory: string, marker: Record<string, string>): boolean {
  const markerFile = `${directory.replace(/\/+$/, "")}.chain.json`;
  const previous = existsSync(markerFile)
    ? (JSON.parse(readFileSync(markerFile, "utf8")) as Record<string, string>)
    : undefined;
  const wipe = !sameMarker(previous, marker);
  if (wipe) rmSync(directory, { recursive: true, force: true });
  mkdirSync(dirname(markerFile), { recursive: true });
  writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
  return wipe;
}

/**
 * Drops the app's schema and Ponder's sync cache (`ponder_sync`) in Postgres when they hold another
 * chain's (or another build's) data. The marker lives in `public.civitas_indexer_chain`.
 * @returns Whether it was wiped.
 */
export async function preparePostgres(
  connectionString: string,
  schema: string,
  marker: Record<string, string>,
): Promise<boolean> {
  // pg comes with Ponder (no types installed): the little used here is typed by hand.
  const pg = (await import("pg" as string)).default as {
    Client: new (config: { connectionString: string }) => {
      connect(): Promise<void>;
      query(sql: string, params?: unknown[]): Promise<{ rows: { marker?: unknown }[] }>;
      end(): Promise<void>;
    };
  };
  const pgClient = new pg.Client({ connectionString });
  await pgClient.connect();
  try {
    await pgClient.query(
      "CREATE TABLE IF NOT EXISTS public.civitas_indexer_chain (schema_name text PRIMARY KEY, marker jsonb NOT NULL)",
    );
    const { rows } = await pgClient.query(
      "SELECT marker FROM public.civitas_indexer_chain WHERE schema_name = $1",
      [schema],
    );
    const wipe = !sameMarker(rows[0]?.marker as Record<string, string> | undefined, marker);
    if (wipe) {
      const quoted = `"${schema.replaceAll('"', '""')}"`;
      await pgClient.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`);
      await pgClient.query("DROP SCHEMA IF EXISTS ponder_sync CASCADE");
    }
    await pgClient.query(
      `INSERT INTO public.civitas_indexer_chain (schema_name, marker) VALUES ($1, $2)
       ON CONFLICT (schema_name) DO UPDATE SET marker = EXCLUDED.marker`,
      [schema, JSON.stringify(marker)],
    );
    return wipe;
  } finally {
    await pgClient.end();
  }
}

/** Polls `url` until it answers 200, the child exits, or the deadline passes. */
async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`ponder exited (${child.exitCode ?? child.signalCode}) before serving:\n${output()}`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`ponder did not serve ${url} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * Starts the indexer on a database that holds only this chain's data.
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

  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const databaseDir = options.databaseDir ?? join(INDEXER_DIR, ".ponder", `pglite-${chainId}`);
  const log = options.log;
  if (databaseUrl) {
    if (await preparePostgres(databaseUrl, schema, marker))
      log?.(`indexer: new chain or build, schema ${schema} reset\n`);
  } else if (preparePglite(databaseDir, marker)) {
    log?.(`indexer: new chain or build, ${databaseDir} reset\n`);
  }

  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...QUIET_ENV,
    NO_COLOR: "1",
    CIVITAS_CHAIN_ID: String(chainId),
    CIVITAS_RPC_URL: options.rpcUrl,
    ...(options.deploymentsDir ? { CIVITAS_DEPLOYMENTS_DIR: options.deploymentsDir } : {}),
    ...(options.env ?? {}),
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else {
    delete env.DATABASE_URL;
    delete env.DATABASE_PRIVATE_URL;
    env.CIVITAS_PGLITE_DIR = databaseDir;
  }
  const args = [PONDER_BIN, "--root", INDEXER_DIR, "start"];
  args.push("--schema", schema, "--port", String(port), "--hostname", "127.0.0.1");
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let recent = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    recent = (recent + text).slice(-20_000);
    log?.(text);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }, 15_000);
      await exited(child);
      clearTimeout(timer);
    }
  };
  try {
    // CIVITAS_INDEXER_START_TIMEOUT_MS: more time on a loaded machine (the test kit sets it).
    const startTimeoutMs = Number(process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ?? 120_000);
    await waitForHttp(`${url}/health`, child, startTimeoutMs, () => recent);
  } catch (error) {
    await stop();
    throw error;
  }

  const waitForIndexedBlock = async (n: bigint, timeoutMs = 180_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`ponder exited (${child.exitCode ?? child.signalCode}):\n${recent}`);
      }
      try {
        const status = (await (await fetch(`${url}/status`)).json()) as Record<
          string,
          { block: { number: number } }
        >;
        const block = Object.values(status)[0]?.block.number;
        if (block !== undefined && BigInt(block) >= n) return;
      } catch {
        // not ready yet
      }
      if (Date.now() > deadline)
        throw new Error(`block ${n} not indexed within ${timeoutMs} ms:\n${recent.slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return { url, graphqlUrl: `${url}/graphql`, stop, waitForIndexedBlock };
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
    log: (line) => process.stdout.write(line),
  });
  console.log(`indexer: GraphQL ${indexer.graphqlUrl}, status ${indexer.url}/status`);
  const shutdown = () => void indexer.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
