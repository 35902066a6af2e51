/**
 * A local Hardhat devnet and the Civitas deploy, as child processes: used by `npm start`, the end-to-end
 * tests and the benchmarks. Every process is bound to 127.0.0.1 and killed by `stop()`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { type Deployment, REPO_ROOT, readDeployment } from "./deployment.ts";

/** A running devnet. */
export interface Devnet {
  /** HTTP JSON-RPC URL, e.g. `http://127.0.0.1:8545` (WebSocket on the same port: `ws://…`). */
  rpcUrl: string;
  /** The TCP port. */
  port: number;
  /** Stops the node and waits for its exit. */
  stop(): Promise<void>;
}

/** Environment for every child: no telemetry, no terminal UI. */
export const QUIET_ENV = {
  HARDHAT_DISABLE_TELEMETRY: "true",
  PONDER_TELEMETRY_DISABLED: "true",
  CI: "true",
} as const;

/**
 * Asks the OS for a free TCP port on 127.0.0.1.
 * @returns A port number that was free a moment ago.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * Polls a JSON-RPC endpoint until `eth_chainId` answers.
 * @param rpcUrl HTTP JSON-RPC URL.
 * @param timeoutMs Give up after this many milliseconds.
 * @throws When the endpoint does not answer in time.
 */
export async function waitForRpc(rpcUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`devnet at ${rpcUrl} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Resolves when the child exits (at once when it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts `hardhat node` on 127.0.0.1 (chain id 31337, automine).
 * @param options.port TCP port (default: a free one).
 * @param options.log Where the node's output goes (default: discarded).
 * @returns The running devnet.
 * @throws When the node does not answer within a minute.
 */
export async function startDevnet(
  options: { port?: number; log?: (line: string) => void } = {},
): Promise<Devnet> {
  const port = options.port ?? (await freePort());
  const child = spawn("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...QUIET_ENV },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log = options.log;
  child.stdout?.on("data", (chunk: Buffer) => log?.(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => log?.(chunk.toString()));
  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, "SIGTERM");
    }
    await exited(child);
  };
  try {
    await Promise.race([
      waitForRpc(rpcUrl),
      exited(child).then(() => {
        throw new Error(`hardhat node exited before serving ${rpcUrl}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { rpcUrl, port, stop };
}

/**
 * Deploys the protocol to `rpcUrl` with scripts/deploy.ts (Ignition) and reads the deployment file back.
 * @param rpcUrl HTTP JSON-RPC URL of a chain configured as Hardhat's `localhost` network.
 * @param options.deploymentsDir Where `<chainId>.json` is written (default `<repo>/deployments`).
 * @param options.chainId The chain id to read back (default 31337).
 * @param options.compile Compile first (default true); false deploys the artifacts as they are (the test kit).
 * @param options.parameters An Ignition parameters file to deploy with instead of the network's
 * (`ignition/parameters/localhost.json`): the experiment runner's cells (scripts/experiment/).
 * @param options.deploymentId Ignition's deployment id (its journal in `ignition/deployments/<id>`); default
 * `civitas-<chainId>-<genesis hash prefix>`, which devnets started in the same second share.
 * @returns The deployment written.
 * @throws With the deploy's output when it fails.
 */
export async function deployProtocol(
  rpcUrl: string,
  options: {
    deploymentsDir?: string;
    chainId?: number;
    compile?: boolean;
    parameters?: string;
    deploymentId?: string;
  } = {},
): Promise<Deployment> {
  const deploymentsDir = options.deploymentsDir ?? join(REPO_ROOT, "deployments");
  const noCompile = options.compile === false ? ["--no-compile"] : [];
  const child = spawn(
    "npx",
    ["hardhat", "run", ...noCompile, "--network", "localhost", "scripts/deploy.ts"],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...QUIET_ENV,
        CIVITAS_RPC_URL: rpcUrl,
        CIVITAS_DEPLOYMENTS_DIR: deploymentsDir,
        ...(options.parameters ? { CIVITAS_IGNITION_PARAMETERS: options.parameters } : {}),
        ...(options.deploymentId ? { CIVITAS_DEPLOYMENT_ID: options.deploymentId } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await exited(child);
  if (child.exitCode !== 0)
    throw new Error(`deploy to ${rpcUrl} failed (exit ${child.exitCode}):\n${output}`);
  const deployment = readDeployment(options.chainId ?? 31337, deploymentsDir);
  if (deployment === undefined) throw new Error(`deploy to ${rpcUrl} wrote no deployment file:\n${output}`);
  return deployment;
}
