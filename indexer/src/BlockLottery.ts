/**
 * BlockLottery (issue 17): epochs with their running totals and draw, every entry, every commitment and
 * reveal, and the lottery's governance settings (docs/lottery.md). Everything comes from the events.
 */
import { lotteryCommitment, lotteryEntry, lotteryEpoch } from "ponder:schema";
import { on, onParameter } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { lc } from "../lib/store.ts";
import { DrawOutcome, EntryKind } from "../../scripts/lib/vocabulary.ts";

/** An epoch row before any event changed it. */
function emptyEpoch(epoch: bigint) {
  return {
    epoch,
    totalWeight: 0n,
    mineWeight: 0n,
    entries: 0,
    commits: 0,
    reveals: 0,
    drawn: false,
    reward: 0n,
    forfeitedBonds: 0n,
    claimed: 0n,
    returned: 0n,
  };
}

if (isDeployed("blockLottery")) {
  on("BlockLottery:Entered", async ({ event, context }) => {
    const { epoch, entrant, kind, amount, weight, totalWeight, mineWeight } = event.args;
    await context.db.insert(lotteryEntry).values({
      id: event.id,
      epoch,
      entrant: lc(entrant),
      kind: EntryKind.keyOf(kind),
      amount,
      weight,
      totalWeight,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await context.db
      .insert(lotteryEpoch)
      .values({ ...emptyEpoch(epoch), totalWeight, mineWeight, entries: 1 })
      .onConflictDoUpdate((row) => ({ totalWeight, mineWeight, entries: row.entries + 1 }));
  });

  on("BlockLottery:Committed", async ({ event, context }) => {
    const { epoch, entrant, commitment, bond } = event.args;
    await context.db.insert(lotteryCommitment).values({ epoch, entrant: lc(entrant), commitment, bond });
    await context.db
      .insert(lotteryEpoch)
      .values({ ...emptyEpoch(epoch), commits: 1 })
      .onConflictDoUpdate((row) => ({ commits: row.commits + 1 }));
  });

  on("BlockLottery:Revealed", async ({ event, context }) => {
    const { epoch, entrant, secret } = event.args;
    await context.db
      .update(lotteryCommitment, { epoch, entrant: lc(entrant) })
      .set({ secret, revealedAt: event.block.timestamp });
    await context.db
      .insert(lotteryEpoch)
      .values({ ...emptyEpoch(epoch), reveals: 1 })
      .onConflictDoUpdate((row) => ({ reveals: row.reveals + 1 }));
  });

  on("BlockLottery:Drawn", async ({ event, context }) => {
    const { epoch, outcome, winner, reward, seed, totalWeight, forfeitedBonds, claimDeadline } = event.args;
    const won = DrawOutcome.keyOf(outcome) === "won";
    const drawn = {
      drawn: true,
      outcome: DrawOutcome.keyOf(outcome),
      winner: won ? lc(winner) : null,
      reward,
      seed: won ? seed : null,
      totalWeight,
      forfeitedBonds,
      claimDeadline: won ? claimDeadline : null,
      drawnAt: event.block.timestamp,
    };
    await context.db
      .insert(lotteryEpoch)
      .values({ ...emptyEpoch(epoch), ...drawn })
      .onConflictDoUpdate(drawn);
  });

  on("BlockLottery:RewardClaimed", async ({ event, context }) => {
    await context.db.update(lotteryEpoch, { epoch: event.args.epoch }).set({ claimed: event.args.reward });
  });

  on("BlockLottery:RewardReturned", async ({ event, context }) => {
    await context.db.update(lotteryEpoch, { epoch: event.args.epoch }).set({ returned: event.args.amount });
  });

  onParameter("BlockLottery:EpochRewardUpdated", "BlockLottery", "epochReward", (a) => [
    a.oldValue,
    a.newValue,
  ]);
  onParameter("BlockLottery:MineResourceUpdated", "BlockLottery", "mineResourceId", (a) => [
    a.oldValue,
    a.newValue,
  ]);
  onParameter("BlockLottery:MineWeightPerUnitUpdated", "BlockLottery", "mineWeightPerUnit", (a) => [
    a.oldValue,
    a.newValue,
  ]);
  onParameter("BlockLottery:BurnDecayBpsUpdated", "BlockLottery", "burnDecayBps", (a) => [
    a.oldValue,
    a.newValue,
  ]);
  onParameter("BlockLottery:RevealBondUpdated", "BlockLottery", "revealBond", (a) => [
    a.oldValue,
    a.newValue,
  ]);
  onParameter("BlockLottery:MinEntryWeightUpdated", "BlockLottery", "minEntryWeight", (a) => [
    a.oldValue,
    a.newValue,
  ]);
}
