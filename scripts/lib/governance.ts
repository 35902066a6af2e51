/**
 * Governance helpers: proposal building and lookup for the CivitasGovernor (OpenZeppelin Governor).
 * Importing this module has no side effects.
 */
import { type Address, encodeFunctionData, type Hex, keccak256, toBytes } from "viem";
import type { CivitasPublicClient } from "./clients.ts";
import type { Binding, CivitasContracts } from "./contracts.ts";

/** A proposal's actions and description: what `propose`, `queue` and `execute` take. */
export interface ProposalSpec {
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
}

/**
 * A proposal that sets the token's tax rate (executed by the timelock, which must hold PARAMETER_ROLE).
 * @param contracts The deployment's bindings.
 * @param taxBps The new rate, in bps.
 * @param description Text of the proposal (default names the change).
 */
export function taxProposal(contracts: CivitasContracts, taxBps: bigint, description?: string): ProposalSpec {
  return {
    targets: [contracts.token.address],
    values: [0n],
    calldatas: [encodeFunctionData({ abi: contracts.token.abi, functionName: "setTaxBps", args: [taxBps] })],
    description: description ?? `Set the tax on earnings to ${taxBps} bps`,
  };
}

/** keccak-256 of the description: the `descriptionHash` argument of `queue` and `execute`. */
export function descriptionHash(description: string): Hex {
  return keccak256(toBytes(description));
}

/**
 * Finds a proposal's actions from its `ProposalCreated` event (the id is not indexed: logs are scanned).
 * @param fromBlock First block to scan (the deployment's start block).
 * @returns The proposal, or `undefined` when no such proposal was created.
 */
export async function findProposal(
  client: CivitasPublicClient,
  governor: Binding<"governor">,
  proposalId: bigint,
  fromBlock: bigint,
): Promise<(ProposalSpec & { proposer: Address }) | undefined> {
  const logs = await client.getContractEvents({ ...governor, eventName: "ProposalCreated", fromBlock });
  const log = logs.find((l) => l.args.proposalId === proposalId);
  if (log === undefined) return undefined;
  const args = log.args;
  return {
    proposer: args.proposer!,
    targets: [...args.targets!],
    values: [...args.values!],
    calldatas: [...args.calldatas!],
    description: args.description!,
  };
}
