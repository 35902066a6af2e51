/**
 * Escrow job tools, one per step and role: `job_create` (client), `job_agree` (provider), `job_accept`
 * (arbitrator), `job_fund`, `job_submit`, `job_approve`, `job_dispute`, `job_evidence`, `job_rule`,
 * `job_claim`, `job_reclaim`, `job_resolve_no_show`, `job_cancel`, `job_rate`, and `job_show`.
 */
import { getAddress, keccak256, parseEventLogs, toBytes } from "viem";
import { z } from "zod";
import { EscrowState, SETTLED_ESCROW_STATES } from "../lib/vocabulary.ts";
import {
  addressInput,
  amountFields,
  civ,
  civInput,
  id,
  idInput,
  isoTime,
  signerOf,
  type ToolChain,
  type ToolContext,
  transact,
  txFields,
} from "./context.ts";
import { ToolError } from "./errors.ts";
import { type CivitasTool, defineTool } from "./tool.ts";

/** The job's record, or `not_found`. */
async function jobOf(chain: ToolChain, escrowId: bigint) {
  const job = await chain.client.readContract({
    ...chain.contracts.escrow,
    functionName: "escrowOf",
    args: [escrowId],
  });
  if (job.state === EscrowState.valueOf("None"))
    throw new ToolError("not_found", `no job ${escrowId}`, { escrowId: escrowId.toString() });
  return job;
}

/** A job as a result: parties, amounts in wei and CIV, state by name, deadlines as Unix seconds and ISO. */
function jobFields(escrowId: bigint, e: Awaited<ReturnType<typeof jobOf>>): Record<string, unknown> {
  return {
    escrowId: escrowId.toString(),
    state: EscrowState.nameOf(e.state),
    client: e.client,
    provider: e.provider,
    arbitrator: e.arbitrator,
    ...amountFields("amount", e.amount),
    ...amountFields("arbitratorFee", e.arbitratorFee),
    ...amountFields("bond", e.bond),
    deliveryDeadline: e.deliveryDeadline.toString(),
    deliveryDeadlineIso: isoTime(e.deliveryDeadline),
    reviewDeadline: e.reviewDeadline.toString(),
    reviewDeadlineIso: isoTime(e.reviewDeadline),
    rulingDeadline: e.rulingDeadline.toString(),
    rulingDeadlineIso: isoTime(e.rulingDeadline),
    reviewWindow: e.reviewWindow.toString(),
    rulingWindow: e.rulingWindow.toString(),
    clientRating: e.clientRating,
    providerRating: e.providerRating,
  };
}

const escrowIdInput = idInput("the job's escrow id");

/** `job_create`: posts a job; nothing is deposited until the client funds it. */
export const jobCreateTool = defineTool({
  name: "job_create",
  description:
    "Client: post a job for a provider, with an arbitrator who settles disputes. Nothing is deposited yet: " +
    "the provider agrees (job_agree), the arbitrator accepts by posting a bond (job_accept), then you fund " +
    "the amount plus the arbitrator fee (job_fund). Amounts in CIV; windows in hours; deadline in days.",
  input: z.object({
    provider: addressInput("who does the job"),
    arbitrator: addressInput("who settles a dispute (posts a bond to accept)"),
    amount: civInput("the price"),
    arbitratorFee: civInput("the arbitrator's fee for ruling a dispute (default 0)").optional(),
    deliveryDays: z.number().positive().optional().describe("delivery deadline in days from now (default 3)"),
    reviewHours: z.number().positive().optional().describe("your review window in hours (default 24)"),
    rulingHours: z
      .number()
      .positive()
      .optional()
      .describe("the arbitrator's ruling window in hours (default 48)"),
    termsURI: z.string().optional().describe("where the terms are published"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { contracts, client } = chain;
    const block = await client.getBlock({ blockTag: "latest" });
    const terms = input.termsURI ?? "";
    const receipt = await transact(
      chain,
      {
        ...contracts.escrow,
        functionName: "create",
        args: [
          {
            kind: 0,
            provider: getAddress(input.provider),
            arbitrator: getAddress(input.arbitrator),
            amount: civ(input.amount),
            arbitratorFee: input.arbitratorFee === undefined ? 0n : civ(input.arbitratorFee),
            deliveryDeadline: block.timestamp + BigInt(Math.round((input.deliveryDays ?? 3) * 86_400)),
            reviewWindow: Math.round((input.reviewHours ?? 24) * 3_600),
            rulingWindow: Math.round((input.rulingHours ?? 48) * 3_600),
            termsHash: keccak256(toBytes(terms)),
            termsURI: terms,
          },
        ],
      },
      { label: "job create" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({
      abi: contracts.escrow.abi,
      logs: receipt.logs,
      eventName: "EscrowCreated",
    });
    const escrowId = log?.args.escrowId ?? 0n;
    return { ...jobFields(escrowId, await jobOf(chain, escrowId)), ...txFields(receipt) };
  },
});

/** A step that takes only the escrow id. */
function step(
  name: string,
  functionName: string,
  description: string,
  pays?: "bond" | "deposit",
): CivitasTool {
  return defineTool({
    name: `job_${name}`,
    description,
    input: z.object({ escrowId: escrowIdInput }),
    needsSigner: true,
    async run(ctx: ToolContext, input) {
      const chain = await signerOf(ctx);
      const escrowId = id(input.escrowId);
      const before = await jobOf(chain, escrowId);
      const pay =
        pays === undefined
          ? undefined
          : {
              spender: chain.contracts.escrow.address,
              amount: pays === "bond" ? before.bond : before.amount + before.arbitratorFee,
              what:
                pays === "bond"
                  ? `the arbitrator bond of job ${escrowId}`
                  : `funding job ${escrowId} (amount + arbitrator fee)`,
            };
      const receipt = await transact(
        chain,
        { ...chain.contracts.escrow, functionName, args: [escrowId] } as never,
        { label: `job ${name.replaceAll("_", " ")}`, pay },
        ctx.onProgress,
      );
      return { ...jobFields(escrowId, await jobOf(chain, escrowId)), ...txFields(receipt) };
    },
  }) as CivitasTool;
}

/** The steps that take only the escrow id. */
export const JOB_STEPS = [
  step("agree", "agree", "Provider: consent to a job offered to you (state Created -> Agreed)."),
  step(
    "accept",
    "accept",
    "Arbitrator: accept the role by posting the bond in CIV (state Agreed -> Accepted); approves the escrow if needed.",
    "bond",
  ),
  step(
    "fund",
    "fund",
    "Client: deposit the amount plus the arbitrator fee (state Accepted -> Funded); approves the escrow if needed.",
    "deposit",
  ),
  step(
    "approve",
    "approve",
    "Client: approve the deliverable; the provider is paid (Submitted -> Completed).",
  ),
  step("claim", "claim", "Anyone: settle as completed after the client's review window passed in silence."),
  step("reclaim", "reclaim", "Anyone: refund the client after the provider missed the delivery deadline."),
  step(
    "resolve_no_show",
    "resolveNoShow",
    "Anyone: settle a dispute the arbitrator did not rule within the ruling window.",
  ),
  step(
    "cancel",
    "cancel",
    "Client or provider (anyone after the deadline): cancel a job before it is funded.",
  ),
] as const;

/** `job_submit`: the provider delivers. */
export const jobSubmitTool = defineTool({
  name: "job_submit",
  description: "Provider: submit the deliverable's URI before the delivery deadline (Funded -> Submitted).",
  input: z.object({
    escrowId: escrowIdInput,
    deliverableURI: z.string().min(1).describe("where the deliverable is"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const escrowId = id(input.escrowId);
    const uri = input.deliverableURI;
    const receipt = await transact(
      chain,
      { ...chain.contracts.escrow, functionName: "submit", args: [escrowId, uri, keccak256(toBytes(uri))] },
      { label: "job submit" },
      ctx.onProgress,
    );
    return {
      ...jobFields(escrowId, await jobOf(chain, escrowId)),
      deliverableURI: uri,
      ...txFields(receipt),
    };
  },
});

/** `job_dispute` and `job_evidence`. */
function evidenceStep(
  name: "dispute" | "evidence",
  functionName: "dispute" | "submitEvidence",
  description: string,
) {
  return defineTool({
    name: `job_${name}`,
    description,
    input: z.object({
      escrowId: escrowIdInput,
      evidenceURI: z.string().min(1).describe("where the evidence is"),
    }),
    needsSigner: true,
    async run(ctx, input) {
      const chain = await signerOf(ctx);
      const escrowId = id(input.escrowId);
      const receipt = await transact(
        chain,
        { ...chain.contracts.escrow, functionName, args: [escrowId, input.evidenceURI] },
        { label: `job ${name}` },
        ctx.onProgress,
      );
      return {
        ...jobFields(escrowId, await jobOf(chain, escrowId)),
        evidenceURI: input.evidenceURI,
        ...txFields(receipt),
      };
    },
  });
}

/** `job_dispute`. */
export const jobDisputeTool = evidenceStep(
  "dispute",
  "dispute",
  "Client: dispute the deliverable within the review window, with evidence (Submitted -> Disputed).",
);
/** `job_evidence`. */
export const jobEvidenceTool = evidenceStep(
  "evidence",
  "submitEvidence",
  "Client or provider: add evidence to an open dispute.",
);

/** `job_rule`: the arbitrator's ruling. */
export const jobRuleTool = defineTool({
  name: "job_rule",
  description:
    "Arbitrator: rule a disputed job, giving the provider providerBps of the amount (0 to 10000 bps = 100%); " +
    "the client gets the rest (Disputed -> Ruled).",
  input: z.object({
    escrowId: escrowIdInput,
    providerBps: z.number().int().min(0).max(10_000).describe("the provider's share in bps (10000 = 100%)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const escrowId = id(input.escrowId);
    const receipt = await transact(
      chain,
      { ...chain.contracts.escrow, functionName: "rule", args: [escrowId, BigInt(input.providerBps)] },
      { label: "job rule" },
      ctx.onProgress,
    );
    return {
      ...jobFields(escrowId, await jobOf(chain, escrowId)),
      providerBps: input.providerBps,
      ...txFields(receipt),
    };
  },
});

/** `job_rate`: one rating per party after settlement. */
export const jobRateTool = defineTool({
  name: "job_rate",
  description: `Client or provider: rate the other party once, after settlement (states ${SETTLED_ESCROW_STATES.join(", ")}).`,
  input: z.object({ escrowId: escrowIdInput, rating: z.enum(["up", "down"]).describe("up or down") }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const escrowId = id(input.escrowId);
    const receipt = await transact(
      chain,
      { ...chain.contracts.escrow, functionName: "rate", args: [escrowId, input.rating === "up" ? 1 : -1] },
      { label: "job rate" },
      ctx.onProgress,
    );
    return {
      ...jobFields(escrowId, await jobOf(chain, escrowId)),
      rating: input.rating,
      ...txFields(receipt),
    };
  },
});

/** `job_show`: one job. */
export const jobShowTool = defineTool({
  name: "job_show",
  description: "A job's parties, amounts (CIV), state by name, deadlines and ratings.",
  input: z.object({ escrowId: escrowIdInput }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const escrowId = id(input.escrowId);
    return jobFields(escrowId, await jobOf(chain, escrowId));
  },
});

/** The job tools. */
export const JOB_TOOLS: readonly CivitasTool[] = [
  jobCreateTool,
  ...JOB_STEPS,
  jobSubmitTool,
  jobDisputeTool,
  jobEvidenceTool,
  jobRuleTool,
  jobRateTool,
  jobShowTool,
] as CivitasTool[];
