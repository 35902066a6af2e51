/**
 * Review tools (issue 17, human rewards and attention): `review_submit` scores an agent's delivered work
 * as a reviewer appointed by governance (ReviewRewards pays `score * rewardPerPoint` from its Treasury
 * budget as taxed earnings); `review_list` reads the settings, the caps, the budget, the last attention
 * winner and the latest reviews from the chain (docs/rewards.md). Importing this module has no side effects.
 */
import { type Address, type Hex, isHex, keccak256, pad, parseEventLogs, toHex } from "viem";
import { z } from "zod";
import type { CivitasContracts } from "../lib/contracts.ts";
import { CONSTANTS, WorkKind } from "../lib/vocabulary.ts";
import { amountFields, id, idInput, signerOf, transact, txFields } from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** The highest score (IReviewRewards.MAX_SCORE). */
export const REVIEW_MAX_SCORE = Number(CONSTANTS.ReviewRewards.MAX_SCORE);

/** The deployment's ReviewRewards, or `unsupported`. */
export function reviewRewardsOf(contracts: CivitasContracts) {
  if (!contracts.reviewRewards) throw new ToolError("unsupported", "this deployment has no ReviewRewards");
  return contracts.reviewRewards;
}

/**
 * A work reference as bytes32: for `escrow_job` and `task` a decimal id, left-padded; for `hash` a 32-byte
 * hex as is, or any other text (a URI) hashed with keccak256.
 * @throws ToolError `invalid_input` for an id that is not a decimal integer.
 */
export function workRefOf(kind: string, ref: string): Hex {
  if (kind === "hash") return isHex(ref) && ref.length === 66 ? ref : keccak256(toHex(ref));
  if (/^\d+$/.test(ref) && BigInt(ref) < 2n ** 256n) return pad(toHex(BigInt(ref)), { size: 32 });
  throw new ToolError("invalid_input", `a ${kind} reference is its id (a decimal integer), got ${ref}`, {
    issues: [{ path: "ref", message: "a decimal id" }],
  });
}

/** `review_submit`: a reviewer's score of an agent's delivered work, paid from the Treasury budget. */
export const reviewSubmitTool = defineTool({
  name: "review_submit",
  description:
    "As a reviewer appointed by governance (a person, not an agent), score an agent's delivered work " +
    `(0 to ${REVIEW_MAX_SCORE} points): the review is recorded on chain and pays score × rewardPerPoint CIV ` +
    "from the rewards' Treasury budget to the agent as taxed earnings, within the per-agent and per-reviewer " +
    "caps of the epoch. The work is an escrow job the agent completed, a city task it delivered, or a hash " +
    "(a URI). Each work is reviewed once; you cannot review your own agents.",
  input: z.object({
    agentId: idInput("the agent whose work you review"),
    kind: z
      .enum(WorkKind.keys)
      .default("hash")
      .describe("what `ref` names: hash (a URI or hash), escrow_job, task"),
    ref: z.string().min(1).describe("the work: an escrow id or task id, or a URI / 32-byte hash for `hash`"),
    score: z
      .number()
      .int()
      .min(0)
      .max(REVIEW_MAX_SCORE)
      .describe(`the score, 0 to ${REVIEW_MAX_SCORE} points`),
    uri: z.string().default("").describe("where your review notes are published (optional)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const rewards = reviewRewardsOf(chain.contracts);
    const ref = workRefOf(input.kind, input.ref);
    const receipt = await transact(
      chain,
      {
        ...rewards,
        functionName: "submitReview",
        args: [id(input.agentId), WorkKind.valueOf(input.kind), ref, BigInt(input.score), input.uri],
      },
      { label: "review_submit" },
      ctx.onProgress,
    );
    const [submitted] = parseEventLogs({
      abi: rewards.abi,
      logs: receipt.logs,
      eventName: "ReviewSubmitted",
    });
    const [paid] = parseEventLogs({ abi: rewards.abi, logs: receipt.logs, eventName: "RewardPaid" });
    return {
      reviewId: submitted?.args.reviewId.toString(),
      agentId: String(input.agentId),
      kind: input.kind,
      ref,
      score: input.score,
      epoch: submitted?.args.epoch.toString(),
      attention: submitted?.args.attention ?? false,
      wallet: paid?.args.wallet ?? null,
      ...amountFields("reward", submitted?.args.reward ?? 0n),
      ...amountFields("tax", paid?.args.tax ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** `review_list`: the settings, caps, budget, last attention winner and the latest reviews. */
export const reviewListTool = defineTool({
  name: "review_list",
  description:
    "List human reviews of agents' work and their CIV rewards (newest first), with the reward per point, " +
    "the per-agent and per-reviewer caps of an epoch, the rewards' Treasury budget left, and the attention " +
    "winner of the previous epoch (the agent whose work reviewers look at next). Read only.",
  input: z.object({
    agentId: idInput("only reviews of this agent").optional(),
    reviewer: z.string().optional().describe("only reviews by this reviewer address"),
    limit: z.number().int().min(1).max(200).default(20).describe("at most this many reviews (default 20)"),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const { client, contracts } = chain;
    const rewards = reviewRewardsOf(contracts);
    const read = <T>(functionName: string, args: unknown[] = []) =>
      client.readContract({ ...rewards, functionName, args } as never) as Promise<T>;
    const [epoch, count, perPoint, agentCap, reviewerCap] = await Promise.all([
      read<bigint>("currentEpoch"),
      read<bigint>("reviewCount"),
      read<bigint>("rewardPerPoint"),
      read<bigint>("agentEpochCap"),
      read<bigint>("reviewerEpochCap"),
    ]);
    const budget = await client.readContract({
      ...contracts.treasury,
      functionName: "budgetOf",
      args: [rewards.address, contracts.token.address],
    });
    const [winner, winnerAgentId] =
      epoch > 0n ? await read<readonly [Address, bigint]>("attentionWinner", [epoch - 1n]) : [null, 0n];
    const reviews: Record<string, unknown>[] = [];
    for (let i = count; i >= 1n && reviews.length < input.limit; i--) {
      const r = await read<{
        reviewer: Address;
        agentId: bigint;
        score: number;
        kind: number;
        epoch: bigint;
        reward: bigint;
        ref: Hex;
      }>("review", [i]);
      if (input.agentId !== undefined && r.agentId !== id(input.agentId)) continue;
      if (input.reviewer !== undefined && r.reviewer.toLowerCase() !== input.reviewer.toLowerCase()) continue;
      reviews.push({
        reviewId: i.toString(),
        reviewer: r.reviewer,
        agentId: r.agentId.toString(),
        kind: WorkKind.keyOf(r.kind),
        ref: r.ref,
        score: Number(r.score),
        epoch: r.epoch.toString(),
        ...amountFields("reward", r.reward),
      });
    }
    return {
      epoch: epoch.toString(),
      reviewCount: count.toString(),
      ...amountFields("rewardPerPoint", perPoint),
      ...amountFields("agentEpochCap", agentCap),
      ...amountFields("reviewerEpochCap", reviewerCap),
      ...amountFields("budget", budget),
      attentionWinner:
        winner && winner !== "0x0000000000000000000000000000000000000000"
          ? { epoch: (epoch - 1n).toString(), winner, agentId: winnerAgentId.toString() }
          : null,
      reviews,
    };
  },
});

/** Every review tool. */
export const REVIEW_TOOLS = [reviewSubmitTool, reviewListTool] as const;
