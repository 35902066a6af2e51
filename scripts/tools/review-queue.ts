/**
 * `review_queue` (issue 17, attention; docs/rewards.md): the work awaiting a human review — escrow jobs
 * completed and city tasks accepted that no review names yet — read from the indexer's GraphQL, with the
 * work of the current attention winner first (and marked), then the rest oldest first. Attention is genesis
 * resource 2, one unit per market epoch sold through the resource market; ReviewRewards marks a review in
 * epoch E as the attention winner's when the agent won epoch E − 1's unit, so that winner's work is what
 * reviewers look at next.
 */
import { getAddress } from "viem";
import { z } from "zod";
import { queryGraphql } from "../lib/graphql.ts";
import { amountFields, isoTime } from "./context.ts";
import { ToolError } from "./errors.ts";
import { reviewRewardsOf } from "./review.ts";
import { defineTool } from "./tool.ts";

/** GraphQL pages read per table (the queue is bounded by what awaits review, not by history). */
const PAGE = 1_000;

interface QueueData {
  escrows: {
    items: {
      id: string;
      provider: string;
      providerId: string;
      amount: string;
      deliverableURI: string | null;
      closedAt: string | null;
      updatedAt: string;
    }[];
  };
  tasks: {
    items: {
      id: string;
      taker: string | null;
      takerId: string | null;
      reward: string;
      deliverableURI: string | null;
      closedAt: string | null;
      updatedAt: string;
    }[];
  };
  workReviews: { items: { kind: string; ref: string }[] };
}

/** One piece of work in the queue. */
export interface QueuedWork {
  kind: "escrow_job" | "task";
  ref: string;
  agentId: string;
  agent: string;
  amountWei: string;
  amountCiv: string;
  deliverableURI: string | null;
  completedAt: string;
  completedAtIso: string | null;
  attention: boolean;
}

/**
 * Orders the queue: the attention winner's work first, then oldest first (then by kind and id).
 * @param winnerAgentId The current attention winner's agent id (null: none).
 */
export function orderQueue(
  items: Omit<QueuedWork, "attention">[],
  winnerAgentId: string | null,
): QueuedWork[] {
  return items
    .map((w) => ({ ...w, attention: winnerAgentId !== null && w.agentId === winnerAgentId }))
    .sort(
      (a, b) =>
        Number(b.attention) - Number(a.attention) ||
        Number(BigInt(a.completedAt) - BigInt(b.completedAt)) ||
        a.kind.localeCompare(b.kind) ||
        Number(BigInt(a.ref) - BigInt(b.ref)),
    );
}

/** `review_queue`: work awaiting review, the attention winner's first. */
export const reviewQueueTool = defineTool({
  name: "review_queue",
  description:
    "For reviewers: the agents' delivered work nobody has reviewed yet — escrow jobs completed and city " +
    "tasks accepted — from the indexer, with the work of the current attention winner (the agent that won " +
    "the previous market epoch's unit of attention in the resource market) first and marked, then the rest " +
    "oldest first. Review one with review_submit (kind escrow_job or task, ref its id). Read only.",
  input: z.object({
    limit: z.number().int().positive().max(1_000).default(50).describe("at most this many (default 50)"),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const url = ctx.graphqlUrl;
    if (!url)
      throw new ToolError(
        "unsupported",
        "no indexer GraphQL URL configured (--graphql / CIVITAS_GRAPHQL_URL)",
      );
    const chain = await ctx.chain();
    const rewards = reviewRewardsOf(chain.contracts);
    const epoch = await chain.client.readContract({ ...rewards, functionName: "currentEpoch" });
    const query = `query($n: Int!, $winnerEpoch: BigInt!) {
      escrows(where: { state: completed }, orderBy: "id", orderDirection: "asc", limit: $n) {
        items { id provider providerId amount deliverableURI closedAt updatedAt } }
      tasks(where: { state: accepted }, orderBy: "id", orderDirection: "asc", limit: $n) {
        items { id taker takerId reward deliverableURI closedAt updatedAt } }
      workReviews(where: { kind_in: [escrow_job, task] }, limit: $n) { items { kind ref } }
      attentionEpoch(epoch: $winnerEpoch) { winner winnerAgentId }
    }`;
    const winnerEpoch = epoch > 0n ? epoch - 1n : 0n;
    const data = await queryGraphql<
      QueueData & { attentionEpoch: { winner: string | null; winnerAgentId: string | null } | null }
    >(url, query, { n: PAGE, winnerEpoch: winnerEpoch.toString() }).catch((error: Error) => {
      throw new ToolError(
        "network",
        `cannot query the indexer at ${url} (--graphql / CIVITAS_GRAPHQL_URL): ${error.message}`,
        { url },
      );
    });
    const reviewed = new Set(data.workReviews.items.map((r) => `${r.kind}:${BigInt(r.ref)}`));
    const items: Omit<QueuedWork, "attention">[] = [];
    for (const e of data.escrows.items) {
      if (reviewed.has(`escrow_job:${e.id}`)) continue;
      const at = e.closedAt ?? e.updatedAt;
      items.push({
        kind: "escrow_job",
        ref: e.id,
        agentId: e.providerId,
        agent: getAddress(e.provider),
        ...amountFields("amount", BigInt(e.amount)),
        deliverableURI: e.deliverableURI,
        completedAt: at,
        completedAtIso: isoTime(BigInt(at)),
      });
    }
    for (const t of data.tasks.items) {
      if (reviewed.has(`task:${t.id}`) || t.taker === null || t.takerId === null) continue;
      const at = t.closedAt ?? t.updatedAt;
      items.push({
        kind: "task",
        ref: t.id,
        agentId: t.takerId,
        agent: getAddress(t.taker),
        ...amountFields("amount", BigInt(t.reward)),
        deliverableURI: t.deliverableURI,
        completedAt: at,
        completedAtIso: isoTime(BigInt(at)),
      });
    }
    const w = epoch > 0n ? data.attentionEpoch : null;
    const winner =
      w?.winner && w.winnerAgentId !== null
        ? { epoch: winnerEpoch.toString(), winner: getAddress(w.winner), agentId: w.winnerAgentId }
        : null;
    const queue = orderQueue(items, winner?.agentId ?? null);
    return {
      epoch: epoch.toString(),
      attentionWinner: winner,
      waiting: queue.length,
      work: queue.slice(0, input.limit),
    };
  },
});

/** The review queue tool. */
export const REVIEW_QUEUE_TOOLS = [reviewQueueTool] as const;
