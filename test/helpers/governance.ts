import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { BaseContract, ContractTransactionResponse, Signer } from "ethers";
import { id } from "ethers";

import type { CivitasGovernor } from "../../types/ethers-contracts/index.js";

/** Governor `ProposalState` values (OpenZeppelin IGovernor order). */
export const ProposalState = {
  Pending: 0n,
  Active: 1n,
  Canceled: 2n,
  Defeated: 3n,
  Succeeded: 4n,
  Queued: 5n,
  Expired: 6n,
  Executed: 7n,
} as const;

/** GovernorCountingSimple vote types. */
export const VoteType = { Against: 0n, For: 1n, Abstain: 2n } as const;

/** One call of a proposal. */
export interface Action {
  target: string;
  value?: bigint;
  calldata: string;
}

/** The whole proposal, in the shape `propose`, `queue` and `execute` take. */
export interface Proposal {
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
  descriptionHash: string;
}

/** Who votes how. Each signer casts all its votes. */
export interface Ballots {
  for?: Signer[];
  against?: Signer[];
  abstain?: Signer[];
}

/** How far {runProposal} goes: stop after the vote, after queueing, or execute. */
export type Stage = "vote" | "queue" | "execute";

export interface RunProposalOptions {
  governor: CivitasGovernor;
  networkHelpers: NetworkHelpers;
  proposer: Signer;
  actions: Action[];
  description: string;
  votes: Ballots;
  /** Default "execute". */
  until?: Stage;
}

export interface RunProposalResult {
  proposalId: bigint;
  proposal: Proposal;
  /** The execute transaction when `until` is "execute". */
  executeTx?: ContractTransactionResponse;
}

/** Builds an action calling `fn(args)` on `contract`. */
export async function action(
  contract: BaseContract,
  fn: string,
  args: readonly unknown[] = [],
  value = 0n,
): Promise<Action> {
  return {
    target: await contract.getAddress(),
    value,
    calldata: contract.interface.encodeFunctionData(fn, args),
  };
}

/** Turns actions and a description into the arrays the Governor takes. */
export function toProposal(actions: Action[], description: string): Proposal {
  return {
    targets: actions.map((a) => a.target),
    values: actions.map((a) => a.value ?? 0n),
    calldatas: actions.map((a) => a.calldata),
    description,
    descriptionHash: id(description),
  };
}

/** Proposes and returns the proposal id. */
export async function propose(
  governor: CivitasGovernor,
  proposer: Signer,
  proposal: Proposal,
): Promise<bigint> {
  const { targets, values, calldatas, description, descriptionHash } = proposal;
  await governor.connect(proposer).propose(targets, values, calldatas, description);
  return governor.getProposalId(targets, values, calldatas, descriptionHash);
}

/** Moves time to the first second at which the proposal is Active. */
export async function advanceToVoting(
  governor: CivitasGovernor,
  networkHelpers: NetworkHelpers,
  proposalId: bigint,
) {
  const snapshot = await governor.proposalSnapshot(proposalId);
  const now = BigInt(await networkHelpers.time.latest());
  if (now <= snapshot) await networkHelpers.time.increaseTo(snapshot + 1n);
}

/** Moves time past the proposal's voting deadline. */
export async function advancePastDeadline(
  governor: CivitasGovernor,
  networkHelpers: NetworkHelpers,
  proposalId: bigint,
) {
  const deadline = await governor.proposalDeadline(proposalId);
  const now = BigInt(await networkHelpers.time.latest());
  if (now <= deadline) await networkHelpers.time.increaseTo(deadline + 1n);
}

/** Casts every ballot (for, against, abstain). The proposal must be Active. */
export async function castVotes(governor: CivitasGovernor, proposalId: bigint, votes: Ballots) {
  for (const voter of votes.for ?? []) await governor.connect(voter).castVote(proposalId, VoteType.For);
  for (const voter of votes.against ?? [])
    await governor.connect(voter).castVote(proposalId, VoteType.Against);
  for (const voter of votes.abstain ?? [])
    await governor.connect(voter).castVote(proposalId, VoteType.Abstain);
}

/** Queues a succeeded proposal and waits until its timelock operation is ready. */
export async function queueAndWait(
  governor: CivitasGovernor,
  networkHelpers: NetworkHelpers,
  proposal: Proposal,
  proposalId: bigint,
) {
  await governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
  await networkHelpers.time.increaseTo(await governor.proposalEta(proposalId));
}

/** Executes a queued, ready proposal (anyone may). Returns the transaction (await it, or assert a revert). */
export function execute(governor: CivitasGovernor, proposal: Proposal): Promise<ContractTransactionResponse> {
  return governor.execute(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
}

/**
 * Runs a whole proposal life cycle on the devnet: propose, wait for the vote, cast the given ballots, wait
 * past the deadline, queue, wait for the timelock delay and execute. Stops early with `until`. Proposers need
 * votes at the block before proposing (delegate first); voters need votes at the snapshot.
 */
export async function runProposal(options: RunProposalOptions): Promise<RunProposalResult> {
  const { governor, networkHelpers, proposer, actions, description, votes } = options;
  const until = options.until ?? "execute";
  const proposal = toProposal(actions, description);

  const proposalId = await propose(governor, proposer, proposal);
  await advanceToVoting(governor, networkHelpers, proposalId);
  await castVotes(governor, proposalId, votes);
  await advancePastDeadline(governor, networkHelpers, proposalId);
  if (until === "vote") return { proposalId, proposal };

  await queueAndWait(governor, networkHelpers, proposal, proposalId);
  if (until === "queue") return { proposalId, proposal };

  const executeTx = await execute(governor, proposal);
  await executeTx.wait();
  return { proposalId, proposal, executeTx };
}
