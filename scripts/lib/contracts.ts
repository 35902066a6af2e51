/**
 * Typed contract bindings: `{ address, abi } as const` for every Civitas contract of a deployment, built
 * from the ABIs generated at build time (`generated/abis.ts`, written by `npm run build`) and the deploy
 * output (`deployments/<chainId>.json`). Importing this module has no side effects.
 *
 * ```ts
 * const civitas = civitasContracts(loadDeployment(31337));
 * const balance = await publicClient.readContract({ ...civitas.token, functionName: "balanceOf", args: [me] });
 * ```
 */
import type { Abi, Address } from "viem";
import * as abis from "../../generated/abis.ts";
import { type Deployment, deploymentPath, readDeployment } from "./deployment.ts";

/** The ABI of each contract, by its key in the deployment file. */
export const CONTRACT_ABIS = {
  token: abis.civitasTokenAbi,
  treasury: abis.treasuryAbi,
  registry: abis.agentRegistryAbi,
  reputationRegistry: abis.reputationRegistryAbi,
  staking: abis.stakingAbi,
  escrow: abis.escrowAbi,
  governor: abis.civitasGovernorAbi,
  timelock: abis.civitasTimelockAbi,
  validationRegistry: abis.validationRegistryAbi,
  // Resource markets (issue 14); compute pools are not deployment contracts (abis.computePoolAbi): their
  // factory is (computePoolFactory, below).
  resourceLedger: abis.resourceLedgerAbi,
  resourceMarket: abis.resourceMarketAbi,
  taskBoard: abis.taskBoardAbi,
  // The public speech log (issue 13).
  speechLog: abis.speechLogAbi,
  // Agreement kinds (issue 17).
  loanAgreements: abis.loanAgreementsAbi,
  insuranceAgreements: abis.insuranceAgreementsAbi,
  informationSales: abis.informationSalesAbi,
  // Block lottery (issue 17)
  blockLottery: abis.blockLotteryAbi,
  // Resource markets (issue 14): creates compute pools.
  computePoolFactory: abis.computePoolFactoryAbi,
  // Human rewards and attention (issue 17)
  reviewRewards: abis.reviewRewardsAbi,
  // Forwards and lottery pools (issue 17): agreement kinds 1 and 5.
  forwardAgreements: abis.forwardAgreementsAbi,
  poolAgreements: abis.poolAgreementsAbi,
} as const;

/** Contracts every deployment has (the whole protocol, `ignition/modules/Protocol.ts`). */
export const REQUIRED_CONTRACTS = [
  "token",
  "treasury",
  "registry",
  "staking",
  "escrow",
  "governor",
  "timelock",
] as const satisfies readonly ContractName[];

/** The key of a contract in the deployment file (`token`, `treasury`, ...). */
export type ContractName = keyof typeof CONTRACT_ABIS;

/** A typed binding for viem's `readContract` / `simulateContract` / `writeContract` / `watchContractEvent`. */
export type Binding<N extends ContractName> = {
  readonly address: Address;
  readonly abi: (typeof CONTRACT_ABIS)[N];
};

type Required = (typeof REQUIRED_CONTRACTS)[number];

/** Every contract of a deployment, typed. */
export type CivitasContracts = { readonly [N in Required]: Binding<N> } & {
  readonly [N in Exclude<ContractName, Required>]?: Binding<N>;
};

/**
 * Builds the typed bindings of a deployment.
 * @param deployment The deploy output (see {@link loadDeployment}).
 * @returns `{ token, treasury, registry, staking, escrow, governor, timelock }`, each `{ address, abi }`.
 * @throws Error naming the contract when the deployment lacks one of them.
 */
export function civitasContracts(deployment: Deployment): CivitasContracts {
  const bindings: Record<string, { address: Address; abi: Abi }> = {};
  for (const [name, abi] of Object.entries(CONTRACT_ABIS)) {
    const address = deployment.contracts[name];
    if (address === undefined && !(REQUIRED_CONTRACTS as readonly string[]).includes(name)) continue;
    if (address === undefined)
      throw new Error(`deployment ${deployment.deploymentId} (chain ${deployment.chainId}) has no "${name}"`);
    bindings[name] = { address, abi: abi as Abi };
  }
  return bindings as unknown as CivitasContracts;
}

/**
 * Reads `deployments/<chainId>.json` and fails clearly when it is missing.
 * @param chainId EIP-155 chain id (31337 for the devnet).
 * @param dir Folder of deployment files (default `<repo>/deployments`, or CIVITAS_DEPLOYMENTS_DIR).
 * @throws Error telling how to deploy when the file does not exist.
 */
export function loadDeployment(chainId: number, dir?: string): Deployment {
  const deployment = readDeployment(chainId, dir);
  if (deployment === undefined)
    throw new Error(
      `no deployment for chain ${chainId} at ${deploymentPath(chainId, dir)}: run \`npm run deploy\``,
    );
  return deployment;
}

/** Every ABI generated from the build (including contracts this SDK version has no binding for). */
export function allAbis(): Abi[] {
  return Object.values(abis as Record<string, unknown>).filter((value): value is Abi => Array.isArray(value));
}

/** An `error` item of an ABI. */
export type AbiError = Extract<Abi[number], { type: "error" }>;
/** An `event` item of an ABI. */
export type AbiEvent = Extract<Abi[number], { type: "event" }>;

/** Every custom error of every Civitas contract (and OpenZeppelin's), once each: for decoding reverts. */
export const ALL_ERRORS: readonly AbiError[] = dedupe(
  allAbis().flatMap((abi) => abi.filter((item): item is AbiError => item.type === "error")),
);

/** Every event of every Civitas contract, once each: for decoding logs of any of them. */
export const ALL_EVENTS: readonly AbiEvent[] = dedupe(
  allAbis().flatMap((abi) => abi.filter((item): item is AbiEvent => item.type === "event")),
);

function dedupe<T extends AbiError | AbiEvent>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const key = `${item.name}(${item.inputs.map((input: { type: string }) => input.type).join(",")})`;
    if (!seen.has(key)) seen.set(key, item);
  }
  return [...seen.values()];
}
