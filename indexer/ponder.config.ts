/**
 * Ponder configuration: one chain (CIVITAS_CHAIN_ID, default 31337) at CIVITAS_RPC_URL, and every Civitas
 * contract present in `deployments/<chainId>.json`, from the deployment's start block. No address is
 * hard-coded; ABIs come from generated/abis.ts (`npm run build`).
 *
 * Environment:
 * - CIVITAS_RPC_URL (default http://127.0.0.1:8545); CIVITAS_WS_URL (default none: poll every 100 ms on
 *   the devnet, 1 s elsewhere); CIVITAS_RPC_LANES (default 8): the RPC is listed that many times with
 *   distinct query strings, because Ponder rate-limits each URL on its own (see docs/indexer.md).
 * - DATABASE_URL: Postgres; otherwise PGlite in CIVITAS_PGLITE_DIR (default indexer/.ponder/pglite).
 */
import { createConfig, factory } from "ponder";
import { getAbiItem } from "viem";
import * as abis from "../generated/abis.ts";
import { CONTRACT_NAMES, type DeploymentKey, chainId, deployment } from "./lib/deployment.ts";

const rpcUrl = process.env.CIVITAS_RPC_URL ?? "http://127.0.0.1:8545";
// Polling by default: Ponder's WebSocket subscription only catches up on the next new head, so an idle
// automining devnet would leave its last blocks unindexed.
const wsUrl = process.env.CIVITAS_WS_URL ?? "";
const lanes = Math.max(1, Number(process.env.CIVITAS_RPC_LANES ?? 8));
const separator = rpcUrl.includes("?") ? "&" : "?";
const rpc = lanes === 1 ? rpcUrl : Array.from({ length: lanes }, (_, i) => `${rpcUrl}${separator}lane=${i}`);
const local = chainId === 31337;
/**
 * Ponder's sync cache (`ponder_sync`: the logs, blocks and intervals it fetched, finalized data only) is
 * kept on the devnet with PGlite, so that a restart does not fetch the whole history again (5–6 s of a
 * 17–19 s restart, issue 19): the cache lives in the database folder and goes with it whenever the launcher
 * wipes it (another chain, deployment or build; a reorg below the finalized block found at start or while
 * running), exactly like the indexed rows it was fetched for. On Postgres every schema on the server shares
 * one `ponder_sync`, and every devnet is chain 31337: there, devnets keep the cache off (Ponder's advice for
 * chains that reset). Live chains always keep it.
 */
const disableCache = local && Boolean(process.env.DATABASE_URL);

/** ABI constant for each deployment key, from generated/abis.ts (absent until its contract is built). */
const ABI_EXPORTS: Record<DeploymentKey, string> = {
  token: "civitasTokenAbi",
  treasury: "treasuryAbi",
  registry: "agentRegistryAbi",
  staking: "stakingAbi",
  escrow: "escrowAbi",
  governor: "civitasGovernorAbi",
  // ERC-8004 Reputation Registry
  reputationRegistry: "reputationRegistryAbi",
  // Validation Registry
  validationRegistry: "validationRegistryAbi",
  // Governance security (issue 20): the timelock, for the guardian's vetoes.
  timelock: "civitasTimelockAbi",
  // Resource markets (issue 14)
  resourceLedger: "resourceLedgerAbi",
  resourceMarket: "resourceMarketAbi",
  // The auditor (issue 15)
  auditorRegistry: "auditorRegistryAbi",
  // The public speech log (issue 13)
  speechLog: "speechLogAbi",
  // Block lottery (issue 17)
  blockLottery: "blockLotteryAbi",
  // Agreement kinds (issue 17)
  loanAgreements: "loanAgreementsAbi",
  insuranceAgreements: "insuranceAgreementsAbi",
  informationSales: "informationSalesAbi",
  // City tasks (issue 18)
  taskBoard: "taskBoardAbi",
  // Resource markets (issue 14): compute pools' creations.
  computePoolFactory: "computePoolFactoryAbi",
  // Human rewards and attention (issue 17)
  reviewRewards: "reviewRewardsAbi",
  // Forwards and lottery pools (issue 17): the agreement tables (indexer/src/ForwardAgreements.ts, PoolAgreements.ts)
  forwardAgreements: "forwardAgreementsAbi",
  poolAgreements: "poolAgreementsAbi",
};

function contract<const abi>(key: DeploymentKey, abi: abi) {
  return {
    chain: "civitas" as const,
    abi,
    address: deployment.contracts[key] as `0x${string}`,
    startBlock: deployment.startBlock,
  };
}

const available = abis as Record<string, unknown>;
const contracts: Record<string, ReturnType<typeof contract>> = {};
for (const key of Object.keys(CONTRACT_NAMES) as DeploymentKey[]) {
  if (deployment.contracts[key] === undefined) continue;
  const abi = available[ABI_EXPORTS[key]];
  if (abi === undefined) throw new Error(`generated/abis.ts has no ${ABI_EXPORTS[key]}: run npm run build`);
  contracts[CONTRACT_NAMES[key]] = contract(key, abi);
}

// Resource markets (issue 14): compute pools are the contracts the ComputePoolFactory creates
// (ComputePoolCreated), indexed from the block of their creation, whether or not governance has marked
// them protocol accounts yet. A pool deployed by hand, outside the factory, is not indexed.
if (deployment.contracts.computePoolFactory !== undefined) {
  contracts.ComputePool = {
    chain: "civitas",
    abi: abis.computePoolAbi,
    address: factory({
      address: deployment.contracts.computePoolFactory as `0x${string}`,
      event: getAbiItem({ abi: abis.computePoolFactoryAbi, name: "ComputePoolCreated" }),
      parameter: "pool",
    }),
    startBlock: deployment.startBlock,
  } as unknown as ReturnType<typeof contract>;
}

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.CIVITAS_PGLITE_DIR ?? ".ponder/pglite" },
  chains: {
    civitas: {
      id: chainId,
      rpc,
      ws: wsUrl === "" ? undefined : wsUrl,
      pollingInterval: local ? 100 : 1_000,
      disableCache,
      ethGetLogsBlockRange: local ? 10_000 : undefined,
    },
  },
  contracts: contracts as unknown as {
    CivitasToken: ReturnType<typeof contract<typeof abis.civitasTokenAbi>>;
    Treasury: ReturnType<typeof contract<typeof abis.treasuryAbi>>;
    AgentRegistry: ReturnType<typeof contract<typeof abis.agentRegistryAbi>>;
    CivitasGovernor: ReturnType<typeof contract<typeof abis.civitasGovernorAbi>>;
    Staking: ReturnType<typeof contract<typeof abis.stakingAbi>>;
    Escrow: ReturnType<typeof contract<typeof abis.escrowAbi>>;
    // ERC-8004 Reputation Registry
    ReputationRegistry: ReturnType<typeof contract<typeof abis.reputationRegistryAbi>>;
    // Validation Registry
    ValidationRegistry: ReturnType<typeof contract<typeof abis.validationRegistryAbi>>;
    // Governance security (issue 20)
    CivitasTimelock: ReturnType<typeof contract<typeof abis.civitasTimelockAbi>>;
    // Resource markets (issue 14)
    ResourceLedger: ReturnType<typeof contract<typeof abis.resourceLedgerAbi>>;
    ResourceMarket: ReturnType<typeof contract<typeof abis.resourceMarketAbi>>;
    ComputePool: {
      chain: "civitas";
      abi: typeof abis.computePoolAbi;
      address: ReturnType<typeof factory>;
      startBlock: number;
    };
    // The auditor (issue 15)
    AuditorRegistry: ReturnType<typeof contract<typeof abis.auditorRegistryAbi>>;
    // The public speech log (issue 13)
    SpeechLog: ReturnType<typeof contract<typeof abis.speechLogAbi>>;
    // Block lottery (issue 17)
    BlockLottery: ReturnType<typeof contract<typeof abis.blockLotteryAbi>>;
    // Agreement kinds (issue 17): the agreement tables (indexer/lib/agreements.ts)
    LoanAgreements: ReturnType<typeof contract<typeof abis.loanAgreementsAbi>>;
    InsuranceAgreements: ReturnType<typeof contract<typeof abis.insuranceAgreementsAbi>>;
    InformationSales: ReturnType<typeof contract<typeof abis.informationSalesAbi>>;
    // City tasks (issue 18)
    TaskBoard: ReturnType<typeof contract<typeof abis.taskBoardAbi>>;
    // Resource markets (issue 14): compute pools' creations.
    ComputePoolFactory: ReturnType<typeof contract<typeof abis.computePoolFactoryAbi>>;
    // Human rewards and attention (issue 17)
    ReviewRewards: ReturnType<typeof contract<typeof abis.reviewRewardsAbi>>;
    // Forwards and lottery pools (issue 17): the agreement tables
    ForwardAgreements: ReturnType<typeof contract<typeof abis.forwardAgreementsAbi>>;
    PoolAgreements: ReturnType<typeof contract<typeof abis.poolAgreementsAbi>>;
  },
});
