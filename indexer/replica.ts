/**
 * API-only replicas: `ponder serve` on the indexing process's Postgres schema, answering the same GraphQL,
 * SQL over HTTP and routes of `src/api/` while one `npm run indexer` process indexes. On Postgres
 * `npm run indexer` already runs one behind its public port (indexer/run.ts); add more (behind a load
 * balancer) when one machine cannot serve every reader; they never index and never write.
 *
 * Library: `startReplica({ databaseUrl, schema?, port?, chainId?, deploymentsDir? })`.
 * CLI: `DATABASE_URL=postgres://… node indexer/replica.ts [--port N] [--schema S] [--chain-id N]`
 * (`npm run indexer:replica`); runs until SIGINT/SIGTERM.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "../scripts/lib/deployment.ts";
import { QUIET_ENV, exited, freePort } from "../scripts/lib/devnet.ts";

/** Options of {@link startReplica}. */
export interface ReplicaOptions {
  /** The indexing process's Postgres (replicas need Postgres: PGlite is one process's file). */
  databaseUrl: string;
  /** The schema the indexer writes (default "civitas"). */
  schema?: string;
  /** HTTP port (default: a free one). */
  port?: number;
  /** Chain id of the deployment (default 31337). */
  chainId?: number;
  /** Folder of deployment files (default CIVITAS_DEPLOYMENTS_DIR or `<repo>/deployments`). */
  deploymentsDir?: string;
  /** Where the replica's output goes, line by line (default: discarded). */
  log?: (line: string) => void;
}

/** A running replica. */
export interface Replica {
  /** Base URL (GraphQL at `${url}/graphql`). */
  url: string;
  graphqlUrl: string;
  /** SIGTERM, then waits for its exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

const INDEXER_DIR = join(REPO_ROOT, "indexer");
const PONDER_BIN = join(REPO_ROOT, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");

/**
 * Node's arguments for `ponder serve` on `schema` at 127.0.0.1:`port` (after any `--import`), shared with
 * the supervisor's own replica (indexer/run.ts).
 */
export function serveArgs(schema: string, port: number): string[] {
  return [PONDER_BIN, "--root", INDEXER_DIR, "serve", "--schema", schema, "--port", String(port)].concat([
    "--hostname",
    "127.0.0.1",
  ]);
}

/**
 * Starts `ponder serve` on the indexer's schema and waits until it answers `/health`.
 * @throws When it exits first (e.g. the schema does not exist yet: start the indexer first) or does not
 * answer within 3 minutes.
 */
export async function startReplica(options: ReplicaOptions): Promise<Replica> {
  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...QUIET_ENV,
    NO_COLOR: "1",
    DATABASE_URL: options.databaseUrl,
    CIVITAS_CHAIN_ID: String(options.chainId ?? 31337),
    ...(options.deploymentsDir ? { CIVITAS_DEPLOYMENTS_DIR: options.deploymentsDir } : {}),
  };
  const child = spawn(process.execPath, serveArgs(options.schema ?? "civitas", port), {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (chunk: Buffer) => options.log?.(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => options.log?.(chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
      }, 10_000);
      await exited(child);
      clearTimeout(timer);
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error("ponder serve exited before serving (does the indexer's schema exist yet?)");
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error("ponder serve did not answer within 180 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, graphqlUrl: `${url}/graphql`, stop };
}

/** `node indexer/replica.ts`: runs one replica until interrupted. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error("indexer:replica: set DATABASE_URL to the indexing process's Postgres");
    process.exit(2);
  }
  const port = option("port");
  const chainId = option("chain-id") ?? process.env.CIVITAS_CHAIN_ID;
  const replica = await startReplica({
    databaseUrl,
    schema: option("schema"),
    port: port ? Number(port) : undefined,
    chainId: chainId ? Number(chainId) : undefined,
    log: (line) => process.stdout.write(line),
  });
  console.log(`replica: GraphQL ${replica.graphqlUrl}`);
  const shutdown = () => void replica.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
