/**
 * Test kit for code that reads the indexer: a devnet with Civitas deployed and the indexer following it,
 * and a mocha fixture that takes an `evm_snapshot` before each test and reverts to it after, waiting until
 * the indexer has followed the revert (a reorg to the indexer) before the next test starts. Each test thus
 * starts from the same chain and the same indexed rows, like Hardhat's `loadFixture`.
 *
 *     const env = indexedDevnet();          // before: devnet, deploy, indexer; after: stops them
 *     snapshotEachTest(env);                // beforeEach: snapshot; afterEach: revert + wait
 *     it("…", async () => { …; await env.synced(); … });
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Indexer, type IndexerOptions, startIndexer } from "../../indexer/run.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { chainClients } from "./helpers.ts";

/** What {@link indexedDevnet} provides once its `before` hook ran. */
export interface IndexedDevnet {
  devnet: Devnet;
  deployment: Deployment;
  indexer: Indexer;
  clients: Awaited<ReturnType<typeof chainClients>>;
  /** Every line the indexer logged (Ponder's and its supervisor's). */
  logs: string[];
  /** The folder holding the deployment file and the database (removed after). */
  work: string;
  /** Calls a devnet JSON-RPC method. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /**
   * Mines `count` empty blocks with `evm_mine`, sent in JSON-RPC batches of 50 (fast, and each block the
   * parent of the next). Not `hardhat_mine`: Hardhat 3 leaves the blocks between the first and the last of
   * a `hardhat_mine` as reserved blocks whose `parentHash` is zero, which Ponder (and the supervisor's
   * watch) cannot link to the chain, so the indexer stops following it.
   */
  mine(count: number): Promise<void>;
  /** Resolves once the indexer is current at the chain's head (after any reorg). */
  synced(timeoutMs?: number): Promise<void>;
  /** Stops the indexer and starts it again on the same database (with extra options, if any). */
  restartIndexer(options?: Partial<IndexerOptions>): Promise<void>;
}

/**
 * Registers mocha hooks: `before` starts a devnet on a free port, deploys Civitas into a temp folder and
 * starts the indexer on a throwaway PGlite folder (or DATABASE_URL); `afterEach` prints the indexer's last
 * 120 log lines when the test failed; `after` stops both and removes it.
 * @param defaults Options of every start of the indexer (e.g. `finalityBlocks`).
 * @returns An object filled in by the `before` hook.
 */
export function indexedDevnet(defaults: Partial<IndexerOptions> = {}): IndexedDevnet {
  const env = { logs: [] as string[] } as IndexedDevnet;
  const log = (line: string) => void env.logs.push(line);
  let databaseDir = "";
  let deploymentsDir = "";
  const launch = (options: Partial<IndexerOptions> = {}) =>
    startIndexer({ rpcUrl: env.devnet.rpcUrl, deploymentsDir, databaseDir, log, ...defaults, ...options });
  before(async function () {
    // A devnet, a deploy and Ponder's start-up: minutes on a loaded 2-core machine.
    this.timeout(900_000);
    env.work = mkdtempSync(join(tmpdir(), "civitas-kit-"));
    deploymentsDir = join(env.work, "deployments");
    databaseDir = join(env.work, "pglite");
    env.devnet = await startDevnet();
    env.deployment = await deployProtocol(env.devnet.rpcUrl, { deploymentsDir });
    env.clients = await chainClients(env.devnet.rpcUrl, env.deployment);
    env.rpc = async <T>(method: string, params: unknown[] = []) =>
      (await env.clients.provider.send(method, params)) as T;
    env.mine = async (count) => {
      for (let done = 0; done < count; done += 50) {
        const batch = Array.from({ length: Math.min(50, count - done) }, (_, i) => ({
          jsonrpc: "2.0",
          id: i,
          method: "evm_mine",
          params: [],
        }));
        const response = await fetch(env.devnet.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(batch),
        });
        const answers = (await response.json()) as { error?: { message: string } }[];
        const failed = answers.find((answer) => answer.error !== undefined);
        if (failed) throw new Error(`evm_mine: ${failed.error!.message}`);
      }
    };
    env.synced = async (timeoutMs = 300_000) => {
      const head = BigInt(await env.rpc<string>("eth_blockNumber"));
      await env.indexer.waitForIndexedBlock(head, timeoutMs);
      // The head may have been replaced meanwhile (a revert): wait until the indexer is at this head.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = env.indexer.status();
        const now = BigInt(await env.rpc<string>("eth_blockNumber"));
        if (
          status.status === "current" &&
          status.indexedBlock === now.toString() &&
          status.chainHead === now.toString()
        )
          return;
        if (Date.now() > deadline) throw new Error(`indexer not synced: ${JSON.stringify(status)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    env.restartIndexer = async (options) => {
      await env.indexer.stop();
      env.indexer = await launch(options);
    };
    env.indexer = await launch();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(env.logs.slice(-120).join(""));
  });
  after(async function () {
    this.timeout(60_000);
    await env.indexer?.stop();
    await env.devnet?.stop();
    if (env.work) rmSync(env.work, { recursive: true, force: true });
  });
  return env;
}

/**
 * Registers `beforeEach`/`afterEach` hooks: snapshot the devnet before each test, revert after it and
 * wait until the indexer has followed (its rows are the reverted chain's again).
 */
export function snapshotEachTest(env: IndexedDevnet): void {
  let snapshot: string | undefined;
  beforeEach(async function () {
    await env.synced();
    snapshot = await env.rpc<string>("evm_snapshot");
  });
  afterEach(async function () {
    this.timeout(400_000);
    if (snapshot === undefined) return;
    const reverted = await env.rpc<boolean>("evm_revert", [snapshot]);
    snapshot = undefined;
    if (!reverted) throw new Error("evm_revert refused the snapshot");
    await env.synced();
  });
}
