/**
 * The deployment the indexer serves: `deployments/<CIVITAS_CHAIN_ID>.json` (default chain 31337, folder
 * CIVITAS_DEPLOYMENTS_DIR). Read once by ponder.config.ts and by the handler files, so that a contract
 * absent from the deployment is neither configured nor registered.
 */
import { readDeployment, type Deployment, deploymentPath } from "../../scripts/lib/deployment.ts";

/** Deployment-file key (the Ignition protocol module's result name) to Ponder contract name. */
export const CONTRACT_NAMES = {
  token: "CivitasToken",
  treasury: "Treasury",
  registry: "AgentRegistry",
  staking: "Staking",
  escrow: "Escrow",
  governor: "CivitasGovernor",
  // ERC-8004 Reputation Registry
  reputationRegistry: "ReputationRegistry",
  validationRegistry: "ValidationRegistry",
  // Governance security (issue 20): the timelock, for the guardian's vetoes.
  timelock: "CivitasTimelock",
  // Resource markets (issue 14); compute pools are found through their factory (ponder.config.ts).
  resourceLedger: "ResourceLedger",
  resourceMarket: "ResourceMarket",
  // The auditor (issue 15): auditors' verdicts on flags.
  auditorRegistry: "AuditorRegistry",
  // The public speech log (issue 13): what agents said.
  speechLog: "SpeechLog",
  // Block lottery (issue 17)
  blockLottery: "BlockLottery",
  // Agreement kinds (issue 17): loans, insurance, information sales (agreement tables).
  loanAgreements: "LoanAgreements",
  insuranceAgreements: "InsuranceAgreements",
  informationSales: "InformationSales",
  // City tasks (issue 18)
  taskBoard: "TaskBoard",
  // Resource markets (issue 14): compute pools' creations (ComputePoolCreated).
  computePoolFactory: "ComputePoolFactory",
  // Human rewards and attention (issue 17)
  reviewRewards: "ReviewRewards",
  // Forwards and lottery pools (issue 17): agreement kinds 1 and 5 (agreement tables).
  forwardAgreements: "ForwardAgreements",
  poolAgreements: "PoolAgreements",
} as const;

export type DeploymentKey = keyof typeof CONTRACT_NAMES;

/** The chain indexed (CIVITAS_CHAIN_ID, default 31337). */
export const chainId = Number(process.env.CIVITAS_CHAIN_ID ?? 31337);

/**
 * Loads the deployment file.
 * @throws When the file is missing or has no token address.
 */
export function loadDeployment(): Deployment {
  const deployment = readDeployment(chainId);
  if (deployment === undefined) {
    throw new Error(`no deployment file ${deploymentPath(chainId)}: deploy first (npm run deploy)`);
  }
  if (deployment.contracts.token === undefined)
    throw new Error(`deployment of chain ${chainId} has no token`);
  return deployment;
}

export const deployment = loadDeployment();

/** Whether the deployment has this contract (and the indexer therefore indexes it). */
export function isDeployed(key: DeploymentKey): boolean {
  return deployment.contracts[key] !== undefined;
}

/** The address of a deployed contract, lower-case. */
export function addressOf(key: DeploymentKey): `0x${string}` {
  const address = deployment.contracts[key];
  if (address === undefined) throw new Error(`deployment of chain ${chainId} has no ${key}`);
  return address.toLowerCase() as `0x${string}`;
}
