/**
 * How a client finds the economy that `npm start` is running: `npm start` writes `.civitas/local.json`
 * (gitignored) in the repository root when the economy is up and removes it when it stops; the CLI, the
 * SDK and the MCP server read it for their defaults. Flags and environment variables still override it.
 * Importing this module has no side effects.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "./deployment.ts";

/** What `npm start` publishes about the economy it runs. */
export interface LocalEconomy {
  /** EIP-155 chain id of the devnet. */
  chainId: number;
  /** The devnet's JSON-RPC URL. */
  rpcUrl: string;
  /** The indexer's GraphQL endpoint (`…/graphql`). */
  graphqlUrl: string;
  /** The indexer's base URL (health, SQL over HTTP, metrics). */
  indexerUrl: string;
  /** Folder holding `<chainId>.json`, the deployment this economy runs. */
  deploymentsDir: string;
  /** Process id of the `npm start` that wrote the file: a file whose process is gone is stale. */
  pid: number;
  /** When the economy came up, Unix seconds. */
  startedAt: number;
}

/**
 * Path of the discovery file.
 * @param dir Folder holding it (default `<repo>/.civitas`, or CIVITAS_HOME).
 */
export function localEconomyPath(dir = process.env.CIVITAS_HOME): string {
  return join(dir ?? join(REPO_ROOT, ".civitas"), "local.json");
}

/** True while the process `pid` exists (signal 0 probes without signalling). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The running economy, or `undefined` when none is published or its `npm start` has exited.
 * @param path The discovery file (default {@link localEconomyPath}).
 */
export function readLocalEconomy(path = localEconomyPath()): LocalEconomy | undefined {
  if (!existsSync(path)) return undefined;
  const economy = JSON.parse(readFileSync(path, "utf8")) as LocalEconomy;
  return isAlive(economy.pid) ? economy : undefined;
}

/**
 * Publishes the running economy (creating the folder).
 * @param economy What to publish.
 * @param path The discovery file (default {@link localEconomyPath}).
 */
export function writeLocalEconomy(economy: LocalEconomy, path = localEconomyPath()): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(economy, null, 2)}\n`);
}

/**
 * Withdraws the publication, if it is still this process's.
 * @param path The discovery file (default {@link localEconomyPath}).
 */
export function removeLocalEconomy(path = localEconomyPath()): void {
  if (!existsSync(path)) return;
  const economy = JSON.parse(readFileSync(path, "utf8")) as LocalEconomy;
  if (economy.pid === process.pid) rmSync(path);
}
