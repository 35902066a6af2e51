/**
 * Deploys the Civitas protocol with Hardhat Ignition and writes `deployments/<chainId>.json`: every
 * contract address and the block the deployment started at (the indexer's and every script's input).
 *
 * Usage: `npm run deploy` (the local devnet at CIVITAS_RPC_URL, default http://127.0.0.1:8545), or
 * `npx hardhat run --network <name> scripts/deploy.ts` for any network in hardhat.config.ts.
 * Parameters come from `ignition/parameters/<network>.json` when it exists, or from the file named by
 * CIVITAS_IGNITION_PARAMETERS (the experiment runner's cells, scripts/experiment/).
 *
 * A deployment is identified by the chain's genesis block hash, so a restarted devnet (a new chain with
 * the same chain id) gets a fresh Ignition deployment instead of the old chain's journal. Re-running on
 * the same chain is idempotent and keeps the original start block.
 */
import { existsSync } from "node:fs";
import { network } from "hardhat";
import Protocol from "../ignition/modules/Protocol.ts";
import { type Deployment, readDeployment, writeDeployment } from "./lib/deployment.ts";

const connection = await network.create();
const { ethers, ignition, networkName } = connection;

const chainId = Number((await ethers.provider.getNetwork()).chainId);
const genesis = await ethers.provider.getBlock(0);
if (genesis === null) throw new Error(`chain ${chainId} returned no genesis block`);
// CIVITAS_DEPLOYMENT_ID: devnets started in the same second share a genesis hash (the experiment runner's
// parallel cells name their own).
const deploymentId = process.env.CIVITAS_DEPLOYMENT_ID ?? `civitas-${chainId}-${genesis.hash!.slice(2, 10)}`;
const previous = readDeployment(chainId);
const startBlock =
  previous?.deploymentId === deploymentId
    ? previous.startBlock
    : (await ethers.provider.getBlockNumber()) + 1;

const parametersFile = process.env.CIVITAS_IGNITION_PARAMETERS ?? `ignition/parameters/${networkName}.json`;
const deployed = await ignition.deploy(Protocol, {
  deploymentId,
  displayUi: false,
  parameters: existsSync(parametersFile) ? parametersFile : undefined,
});

const contracts: Record<string, `0x${string}`> = {};
for (const [name, contract] of Object.entries(deployed)) {
  contracts[name] = (await contract.getAddress()) as `0x${string}`;
}
const deployment: Deployment = {
  chainId,
  network: networkName,
  deploymentId,
  genesisHash: genesis.hash as `0x${string}`,
  startBlock,
  deployedAt: previous?.deploymentId === deploymentId ? previous.deployedAt : Math.floor(Date.now() / 1000),
  contracts,
};
const file = writeDeployment(deployment);
console.log(`Civitas deployed on chain ${chainId} from block ${startBlock}: ${file}`);
for (const [name, address] of Object.entries(contracts)) console.log(`  ${name.padEnd(18)} ${address}`);
