/**
 * Governance tools: `proposal_tax` (propose), `proposal_vote`, `proposal_queue`, `proposal_execute`,
 * `proposal_show`, `proposal_list`.
 */
import { z } from "zod";
import type { CivitasPublicClient } from "../lib/clients.ts";
import type { CivitasContracts } from "../lib/contracts.ts";
import { descriptionHash, findProposal, type ProposalSpec, taxProposal } from "../lib/governance.ts";
import { CONSTANTS, ProposalState, SUPPORT } from "../lib/vocabulary.ts";
import {
  amountFields,
  id,
  idInput,
  isoTime,
  signerOf,
  type ToolChain,
  transact,
  txFields,
} from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** The deployment's governor. */
function governorOf(contracts: CivitasContracts) {
  if (!contracts.governor) throw new ToolError("unsupported", "this deployment has no governor");
  return contracts.governor;
}

/** The proposal's actions, or `not_found`. */
async function proposalOf(chain: ToolChain, proposalId: bigint) {
  const spec = await findProposal(
    chain.client,
    governorOf(chain.contracts),
    proposalId,
    BigInt(chain.deployment.startBlock),
  );
  if (!spec)
    throw new ToolError("not_found", `no proposal ${proposalId} on this deployment`, {
      proposalId: proposalId.toString(),
    });
  return spec;
}

/** A proposal's state, votes and timeline as a result. */
async function proposalFields(
  client: CivitasPublicClient,
  contracts: CivitasContracts,
  proposalId: bigint,
  spec: ProposalSpec & { proposer: string },
): Promise<Record<string, unknown>> {
  const governor = governorOf(contracts);
  const [state, [against, inFavor, abstain], snapshot, deadline, eta] = await Promise.all([
    client.readContract({ ...governor, functionName: "state", args: [proposalId] }),
    client.readContract({ ...governor, functionName: "proposalVotes", args: [proposalId] }),
    client.readContract({ ...governor, functionName: "proposalSnapshot", args: [proposalId] }),
    client.readContract({ ...governor, functionName: "proposalDeadline", args: [proposalId] }),
    client.readContract({ ...governor, functionName: "proposalEta", args: [proposalId] }),
  ]);
  // The quorum is defined only once the snapshot is in the past.
  const quorum = await client
    .readContract({ ...governor, functionName: "quorum", args: [snapshot] })
    .catch(() => undefined);
  return {
    proposalId: proposalId.toString(),
    state: ProposalState.nameOf(state),
    description: spec.description,
    proposer: spec.proposer,
    targets: spec.targets,
    values: spec.values.map(String),
    calldatas: spec.calldatas,
    descriptionHash: descriptionHash(spec.description),
    ...amountFields("votesFor", inFavor),
    ...amountFields("votesAgainst", against),
    ...amountFields("votesAbstain", abstain),
    ...(quorum === undefined ? { quorumWei: null, quorumCiv: null } : amountFields("quorum", quorum)),
    snapshot: snapshot.toString(),
    snapshotIso: isoTime(snapshot),
    deadline: deadline.toString(),
    deadlineIso: isoTime(deadline),
    eta: eta.toString(),
    etaIso: isoTime(eta),
  };
}

/** `proposal_tax`: proposes a new tax rate. */
export const proposalTaxTool = defineTool({
  name: "proposal_tax",
  description:
    "Propose a new tax rate on earnings, in bps (1000 = 10%), executed by the timelock if it passes. Needs " +
    "votes at least the proposal threshold (get votes: hold earned CIV and votes_delegate to yourself). " +
    "Returns the proposal id.",
  input: z.object({
    taxBps: z
      .number()
      .int()
      .min(0)
      .max(Number(CONSTANTS.CivitasToken.MAX_TAX_BPS))
      .describe(`the new rate in bps (at most ${CONSTANTS.CivitasToken.MAX_TAX_BPS})`),
    description: z.string().optional().describe("the proposal's text (default names the change)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { client, contracts, wallet } = chain;
    const governor = governorOf(contracts);
    const spec = taxProposal(contracts, BigInt(input.taxBps), wallet.address, input.description);
    const receipt = await transact(
      chain,
      {
        ...governor,
        functionName: "propose",
        args: [spec.targets, spec.values, spec.calldatas, spec.description],
      },
      { label: "proposal tax" },
      ctx.onProgress,
    );
    const proposalId = await client.readContract({
      ...governor,
      functionName: "hashProposal",
      args: [spec.targets, spec.values, spec.calldatas, descriptionHash(spec.description)],
    });
    return { proposalId: proposalId.toString(), description: spec.description, ...txFields(receipt) };
  },
});

/** `proposal_vote`. */
export const proposalVoteTool = defineTool({
  name: "proposal_vote",
  description:
    "Vote for, against or abstain on an Active proposal, with an optional reason recorded on chain.",
  input: z.object({
    proposalId: idInput("the proposal id"),
    support: z.enum(["for", "against", "abstain"]),
    reason: z.string().optional(),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const proposalId = id(input.proposalId);
    const receipt = await transact(
      chain,
      {
        ...governorOf(chain.contracts),
        functionName: "castVoteWithReason",
        args: [proposalId, SUPPORT[input.support], input.reason ?? ""],
      },
      { label: "proposal vote" },
      ctx.onProgress,
    );
    return { proposalId: proposalId.toString(), support: input.support, ...txFields(receipt) };
  },
});

/** `proposal_queue` and `proposal_execute`. */
function lifecycle(step: "queue" | "execute", description: string) {
  return defineTool({
    name: `proposal_${step}`,
    description,
    input: z.object({ proposalId: idInput("the proposal id") }),
    needsSigner: true,
    async run(ctx, input) {
      const chain = await signerOf(ctx);
      const proposalId = id(input.proposalId);
      const spec = await proposalOf(chain, proposalId);
      const receipt = await transact(
        chain,
        {
          ...governorOf(chain.contracts),
          functionName: step,
          args: [spec.targets, spec.values, spec.calldatas, descriptionHash(spec.description)],
        },
        { label: `proposal ${step}` },
        ctx.onProgress,
      );
      return {
        ...(await proposalFields(chain.client, chain.contracts, proposalId, spec)),
        ...txFields(receipt),
      };
    },
  });
}

/** `proposal_queue`. */
export const proposalQueueTool = lifecycle("queue", "Anyone: queue a Succeeded proposal in the timelock.");
/** `proposal_execute`. */
export const proposalExecuteTool = lifecycle(
  "execute",
  "Anyone: execute a Queued proposal once the timelock's delay has passed.",
);

/** `proposal_show`. */
export const proposalShowTool = defineTool({
  name: "proposal_show",
  description: "A proposal's state by name, votes (CIV), quorum, actions and timeline.",
  input: z.object({ proposalId: idInput("the proposal id") }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const proposalId = id(input.proposalId);
    return proposalFields(chain.client, chain.contracts, proposalId, await proposalOf(chain, proposalId));
  },
});

/** `proposal_list`. */
export const proposalListTool = defineTool({
  name: "proposal_list",
  description:
    "The deployment's proposals, newest first: id, state by name, proposer, description and votes (CIV). " +
    `Optionally only those in one state (${ProposalState.names.join(", ")}).`,
  input: z.object({
    state: z
      .enum(ProposalState.names as [string, ...string[]])
      .optional()
      .describe("only proposals in this state"),
    limit: z.number().int().positive().max(1_000).optional().describe("at most this many (default 20)"),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const { client, contracts, deployment } = chain;
    const governor = governorOf(contracts);
    const logs = await client.getContractEvents({
      ...governor,
      eventName: "ProposalCreated",
      fromBlock: BigInt(deployment.startBlock),
    });
    const proposals: Record<string, unknown>[] = [];
    for (const log of [...logs].reverse()) {
      const a = log.args;
      const fields = await proposalFields(client, contracts, a.proposalId!, {
        proposer: a.proposer!,
        targets: [...a.targets!],
        values: [...a.values!],
        calldatas: [...a.calldatas!],
        description: a.description!,
      });
      if (input.state !== undefined && fields.state !== input.state) continue;
      proposals.push(fields);
      if (proposals.length >= (input.limit ?? 20)) break;
    }
    return { count: proposals.length, proposals };
  },
});

/** The governance tools. */
export const GOVERNANCE_TOOLS = [
  proposalTaxTool,
  proposalVoteTool,
  proposalQueueTool,
  proposalExecuteTool,
  proposalShowTool,
  proposalListTool,
] as const;
