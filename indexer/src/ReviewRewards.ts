/**
 * ReviewRewards (issue 17, human rewards and attention): every review with its reward, each epoch's
 * attention offer and winner, and the contract's governance settings (docs/rewards.md). Everything comes
 * from the events.
 */
import { attentionEpoch, workReview } from "ponder:schema";
import { on, onParameter } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { lc } from "../lib/store.ts";
import { WorkKind } from "../../scripts/lib/vocabulary.ts";

if (isDeployed("reviewRewards")) {
  on("ReviewRewards:ReviewSubmitted", async ({ event, context }) => {
    const { reviewId, reviewer, agentId, kind, ref, score, reward, epoch, attention, uri } = event.args;
    await context.db.insert(workReview).values({
      reviewId,
      reviewer: lc(reviewer),
      agentId,
      kind: WorkKind.keyOf(kind),
      ref,
      score: Number(score),
      reward,
      epoch,
      attention,
      uri,
      tax: 0n,
      capExcess: 0n,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
  });

  on("ReviewRewards:RewardPaid", async ({ event, context }) => {
    const { reviewId, wallet, tax, capExcess } = event.args;
    await context.db.update(workReview, { reviewId }).set({ wallet: lc(wallet), tax, capExcess });
  });

  on("ReviewRewards:AttentionOffered", async ({ event, context }) => {
    const { epoch, offerId } = event.args;
    await context.db.insert(attentionEpoch).values({ epoch, offerId }).onConflictDoUpdate({ offerId });
  });

  on("ReviewRewards:AttentionWinnerRecorded", async ({ event, context }) => {
    const { epoch, bidId, winner, agentId, price } = event.args;
    const won = { bidId, winner: lc(winner), winnerAgentId: agentId, price };
    await context.db
      .insert(attentionEpoch)
      .values({ epoch, ...won })
      .onConflictDoUpdate(won);
  });

  onParameter("ReviewRewards:RewardPerPointUpdated", "ReviewRewards", "rewardPerPoint", (a) => [
    a.oldValue,
    a.newValue,
  ]);
  onParameter("ReviewRewards:AgentEpochCapUpdated", "ReviewRewards", "agentEpochCap", (a) => [
    a.oldValue,
    a.newValue,
  ]);
  onParameter("ReviewRewards:ReviewerEpochCapUpdated", "ReviewRewards", "reviewerEpochCap", (a) => [
    a.oldValue,
    a.newValue,
  ]);
}
