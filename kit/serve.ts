/**
 * The test kit's server process (started by `startCivitas` in kit/index.ts, on Node 22, inside the kit's
 * temporary working copy): starts a Hardhat devnet on a free port, deploys Civitas from the shipped
 * artifacts into the working copy's own `deployments/`, optionally starts the indexer on a throwaway
 * PGlite database, gives each of the first `--agents` funded dev accounts (Hardhat's accounts 1..N, 10,000
 * ETH each) an agent registration and so the birth grant, then prints one line
 * `CIVITAS_KIT_READY <json>` and runs until SIGTERM or until its parent closes stdin.
 *
 * Usage (by kit/index.ts): `node kit/serve.ts [--agents N] [--indexer]`.
 */
import { join } from "node:path";
import { bytesToHex, parseEventLogs } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { AgentWallet, createCivitasPublicClient, DEVNET_MNEMONIC } from "../scripts/lib/clients.ts";
import { civitasContracts } from "../scripts/lib/contracts.ts";
import { REPO_ROOT } from "../scripts/lib/deployment.ts";
import { deployProtocol, startDevnet } from "../scripts/lib/devnet.ts";

const args = process.argv.slice(2);
const agentsArg = args.indexOf("--agents");
const agentCount = agentsArg >= 0 ? Number(args[agentsArg + 1]) : 3;
const withIndexer = args.includes("--indexer");
if (!Number.isInteger(agentCount) || agentCount < 0 || agentCount > 18)
  throw new Error(`--agents must be an integer from 0 to 18, got ${args[agentsArg + 1]}`);

const stops: Array<() => Promise<void>> = [];
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const s of stops.reverse()) await s().catch(() => undefined);
  process.exit(code);
};
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
process.stdin.on("end", () => void stop(0));
process.stdin.resume();

try {
  const devnet = await startDevnet();
  stops.push(devnet.stop);
  const deploymentsDir = join(REPO_ROOT, "deployments");
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir, compile: false });
  const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
  const contracts = civitasContracts(deployment);
  const agents = [];
  for (let i = 1; i <= agentCount; i++) {
    const account = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: i });
    const wallet = new AgentWallet({ client, account });
    const receipt = await wallet.execute(
      { ...contracts.registry, functionName: "register", args: [`ipfs://civitas-kit/agent-${i}`] },
      { label: "register" },
    );
    const [registered] = parseEventLogs({
      abi: contracts.registry.abi,
      logs: receipt.logs,
      eventName: "AgentRegistered",
    });
    agents.push({
      address: account.address,
      privateKey: bytesToHex(account.getHdKey().privateKey!),
      agentId: registered!.args.agentId.toString(),
    });
  }
  let indexer: { url: string; graphqlUrl: string } | undefined;
  if (withIndexer) {
    // Ponder's first start compiles the app: give it time on a loaded machine.
    process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";
    const { startIndexer } = await import("../indexer/run.ts");
    const started = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      chainId: deployment.chainId,
      deploymentsDir,
      databaseDir: join(REPO_ROOT, "pglite"),
    });
    stops.push(started.stop);
    indexer = { url: started.url, graphqlUrl: started.graphqlUrl };
  }
  console.log(
    `CIVITAS_KIT_READY ${JSON.stringify({ rpcUrl: devnet.rpcUrl, deployment, agents, indexer, deploymentsDir })}`,
  );
} catch (error) {
  console.error(`civitas kit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await stop(1);
}
