/**
 * `civitas review …`: human rewards (issue 17, docs/rewards.md). `review submit` scores an agent's
 * delivered work as a reviewer appointed by governance; `review list` shows the settings, the budget, the
 * last attention winner and the latest reviews with their rewards (scripts/tools/review.ts); `review queue`
 * the work awaiting review, the attention winner's first (scripts/tools/review-queue.ts, from GraphQL).
 */
import type { Command } from "commander";
import { REVIEW_MAX_SCORE } from "../tools/review.ts";
import { civOf as civ, intIn, runTool, txLine, uintText } from "./context.ts";

/** Registers the `review` command group on `program`. */
export function registerReviewCommands(program: Command): void {
  const review = program
    .command("review")
    .description("human rewards: reviewers score agents' delivered work, paid in CIV from the Treasury");

  review
    .command("submit")
    .description("score an agent's delivered work as a reviewer (pays score × reward per point, taxed)")
    .argument("<agentId>", "the agent whose work you review", uintText)
    .argument("<score>", `the score, 0 to ${REVIEW_MAX_SCORE} points`, intIn(0, REVIEW_MAX_SCORE))
    .argument("<ref>", "the work: an escrow or task id (with --kind), or a URI / 32-byte hash")
    .option("--kind <kind>", "what <ref> names: hash, escrow_job or task", "hash")
    .option("--uri <uri>", "where your review notes are published", "")
    .action(
      async (
        agentId: string,
        score: number,
        ref: string,
        o: { kind: string; uri: string },
        command: Command,
      ) => {
        await runTool(
          command,
          "review_submit",
          { agentId, score, ref, kind: o.kind, uri: o.uri },
          (r) =>
            `Review ${r.reviewId}: agent ${r.agentId} scored ${r.score} (epoch ${r.epoch}` +
            `${r.attention ? ", attention winner" : ""}), reward ${civ(r, "reward")} (tax ${civ(r, "tax")})\n` +
            txLine(r),
        );
      },
    );

  review
    .command("list")
    .description("the reward per point, caps, budget, attention winner and the latest reviews")
    .option("--agent <agentId>", "only reviews of this agent", uintText)
    .option("--reviewer <address>", "only reviews by this reviewer")
    .option("--limit <n>", "at most this many reviews", intIn(1, 200), 20)
    .action(async (o: { agent?: string; reviewer?: string; limit: number }, command: Command) => {
      await runTool(
        command,
        "review_list",
        { agentId: o.agent, reviewer: o.reviewer, limit: o.limit },
        (r) => {
          const winner = r.attentionWinner as { epoch: string; winner: string; agentId: string } | null;
          const lines = [
            `Epoch ${r.epoch}: ${civ(r, "rewardPerPoint")} per point; caps ${civ(r, "agentEpochCap")} per agent, ` +
              `${civ(r, "reviewerEpochCap")} per reviewer; budget left ${civ(r, "budget")}`,
            winner
              ? `Attention winner of epoch ${winner.epoch}: agent ${winner.agentId} (${winner.winner})`
              : "No attention winner recorded for the previous epoch",
          ];
          const reviews = r.reviews as Record<string, unknown>[];
          if (reviews.length === 0) lines.push("No reviews.");
          for (const x of reviews)
            lines.push(
              `  #${x.reviewId} epoch ${x.epoch}: agent ${x.agentId} ${x.score} pts by ${x.reviewer}, ` +
                `${civ(x, "reward")} (${x.kind} ${x.ref})`,
            );
          return lines.join("\n");
        },
      );
    });

  review
    .command("queue")
    .description(
      "work awaiting review (completed escrow jobs, accepted tasks), the attention winner's first, then oldest first",
    )
    .option("--limit <n>", "at most this many", intIn(1, 1_000), 50)
    .action(async (o: { limit: number }, command: Command) => {
      await runTool(command, "review_queue", { limit: o.limit }, (r) => {
        const winner = r.attentionWinner as { epoch: string; winner: string; agentId: string } | null;
        const work = r.work as Record<string, unknown>[];
        const lines = [
          winner
            ? `Epoch ${r.epoch}: attention winner of epoch ${winner.epoch} is agent ${winner.agentId} (${winner.winner}); its work first.`
            : `Epoch ${r.epoch}: no attention winner for the previous epoch.`,
          `${r.waiting} awaiting review${work.length < Number(r.waiting) ? ` (showing ${work.length})` : ""}.`,
        ];
        for (const w of work)
          lines.push(
            `${w.attention ? "* " : "  "}${w.kind} ${w.ref}: agent ${w.agentId} (${w.agent}), ${civ(w, "amount")}, ` +
              `done ${w.completedAtIso}${w.deliverableURI ? `, ${w.deliverableURI}` : ""}`,
          );
        if (winner) lines.push("(* = the attention winner's work)");
        return lines.join("\n");
      });
    });
}
