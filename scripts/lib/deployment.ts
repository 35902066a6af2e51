/**
 * The deploy output: `deployments/<chainId>.json`, written by scripts/deploy.ts and read by the indexer
 * and every script. Nothing else may hard-code an address.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository root, or the installed package's: this file lives in scripts/lib/, or compiled (the
 * package's JavaScript, `npm run build:kit`) in dist/scripts/lib/.
 */
export const REPO_ROOT = ((root) => (basename(root) === "dist" ? dirname(root) : root))(
  resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."),
);

/** Contents of `deployments/<chainId>.json`. */
export interface Deployment {
  /** EIP-155 chain id. */
  chainId: number;
  /** The Hardhat network name deployed to (e.g. "localhost"). */
  network: string;
  /** Ignition deployment id: `civitas-<chainId>-<first 8 hex digits of the genesis hash>`. */
  deploymentId: string;
  /** Hash of block 0: tells a restarted devnet (same chain id, new chain) from the old one. */
  genesisHash: `0x${string}`;
  /** The first block that can hold a Civitas event: the indexer starts here. */
  startBlock: number;
  /** When the deployment was first made, Unix seconds (wall clock of the deploying machine). */
  deployedAt: number;
  /** Contract name (as in the Ignition protocol module's results) to address. */
  contracts: Record<string, `0x${string}`>;
}

/**
 * Path of the deployment file for a chain.
 * @param chainId EIP-155 chain id.
 * @param dir Folder of deployment files (default `<repo>/deployments`, or CIVITAS_DEPLOYMENTS_DIR).
 */
export function deploymentPath(chainId: number, dir = process.env.CIVITAS_DEPLOYMENTS_DIR): string {
  return join(dir ?? join(REPO_ROOT, "deployments"), `${chainId}.json`);
}

/**
 * Reads `deployments/<chainId>.json`.
 * @returns The deployment, or `undefined` when the file does not exist.
 * @throws When the file exists but is not valid JSON.
 */
export function readDeployment(chainId: number, dir?: string): Deployment | undefined {
  const file = deploymentPath(chainId, dir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as Deployment;
}

/**
 * Writes `deployments/<chainId>.json` (creating the folder).
 * @returns The path written.
 */
export function writeDeployment(deployment: Deployment, dir?: string): string {
  const file = deploymentPath(deployment.chainId, dir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(deployment, null, 2)}\n`);
  return file;
}
