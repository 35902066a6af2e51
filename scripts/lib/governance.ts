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
 * Appends OpenZeppelin's `#proposer=0x…` suffix to a proposal description (OpenZeppelin Governor's
 * `_isValidDescriptionForProposer`, since 4.9): the Governor then accepts the proposal only from that
 * address. Without it anyone holding the proposal threshold can front-run an identical `propose`, become its
 * proposer and cancel it while Pending, and the honest proposal id is Canceled for good (issue 20, attack
 * 10). Every Civitas tool that proposes (the CLI, the simulation) builds its description with this.
 * Idempotent: a description already ending with this proposer's suffix is returned unchanged.
 * @param description The proposal text.
 * @param proposer The address that will call `propose`.
 * @returns `description` followed by `#proposer=<proposer>`.
 */
export function withProposerSuffix(description: string, proposer: Address): string {
  const suffix = `#proposer=${proposer}`;
  return description.toLowerCase().endsWith(suffix.toLowerCase()) ? description : `${description}${suffix}`;
}

/**
 * A proposal that sets the token's tax rate (executed by the timelock, which must hold PARAMETER_ROLE),
 * bound to its proposer by the `#proposer=` suffix (see {@link withProposerSuffix}).
 * @param contracts The deployment's bindings.
 * @param taxBps The new rate, in bps.
 * @param proposer The address that will call `propose`.
 * @param description Text of the proposal (default names the change); the suffix is appended to it.
 */
export function taxProposal(
  contracts: CivitasContracts,
  taxBps: bigint,
  proposer: Address,
  description?: string,
): ProposalSpec {
  return {
    targets: [contracts.token.address],
    values: [0n],
    calldatas: [encodeFunctionData({ abi: contracts.token.abi, functionName: "setTaxBps", args: [taxBps] })],
    description: withProposerSuffix(description ?? `Set the tax on earnings to ${taxBps} bps`, proposer),
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
