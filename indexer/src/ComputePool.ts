/**
 * ComputePool (resource markets, issue 14): each pool from its creation by the ComputePoolFactory (share
 * sale, creator; ponder.config.ts indexes every pool the factory announces), then its dividends
 * (distributed, sent to the Treasury when no share was sold, claimed by share bids). The shares themselves
 * are the pool's share bids in the market (`market_bid`); whether the pool may pay is its `account` row's
 * `isProtocol` (the token's ProtocolAccountSet).
 */
import { computePool, dividend } from "ponder:schema";
import { on } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, lc } from "../lib/store.ts";

type PoolRow = typeof computePool.$inferSelect;

/** Applies `change` to a pool's row (created by its ComputePoolCreated, which precedes its events). */
async function updatePool(
  db: Db,
  event: EventInfo,
  pool: string,
  change: (row: PoolRow) => Partial<PoolRow>,
): Promise<void> {
  await db
    .update(computePool, { address: lc(pool) })
    .set((row: PoolRow) => ({ ...change(row), updatedAt: event.block.timestamp }));
}

/** The append-only dividend record of an event. */
const record = (
  event: EventInfo & { log: { address: `0x${string}` } },
  kind: "distributed" | "to_treasury" | "claimed",
  amount: bigint,
  extra: { dividendPerShare?: bigint; bidId?: bigint; holder?: string } = {},
) => ({
  id: event.id,
  pool: lc(event.log.address),
  kind,
  amount,
  dividendPerShare: extra.dividendPerShare ?? null,
  bidId: extra.bidId ?? null,
  holder: extra.holder === undefined ? null : lc(extra.holder),
  blockNumber: event.block.number,
  transactionHash: event.transaction.hash,
  timestamp: event.block.timestamp,
});

if (isDeployed("computePoolFactory")) {
  on("ComputePoolFactory:ComputePoolCreated", async ({ event, context }) => {
    const { pool, creator, shareResourceId, shareEpoch, market } = event.args;
    await context.db.insert(computePool).values({
      address: lc(pool),
      creator: lc(creator),
      market: lc(market),
      shareResourceId,
      shareEpoch,
      createdBlock: event.block.number,
      transactionHash: event.transaction.hash,
      distributed: 0n,
      toTreasury: 0n,
      claimed: 0n,
      dividendPerShare: 0n,
      claims: 0,
      createdAt: event.block.timestamp,
      updatedAt: event.block.timestamp,
    });
  });

  on("ComputePool:DividendsDistributed", async ({ event, context }) => {
    const { amount, dividendPerShare } = event.args;
    await context.db.insert(dividend).values(record(event, "distributed", amount, { dividendPerShare }));
    await updatePool(context.db, event, event.log.address, (r) => ({
      distributed: r.distributed + amount,
      dividendPerShare,
    }));
  });

  on("ComputePool:RevenueToTreasury", async ({ event, context }) => {
    const { amount } = event.args;
    await context.db.insert(dividend).values(record(event, "to_treasury", amount));
    await updatePool(context.db, event, event.log.address, (r) => ({ toTreasury: r.toTreasury + amount }));
  });

  on("ComputePool:DividendsClaimed", async ({ event, context }) => {
    const { bidId, holder, amount } = event.args;
    await context.db.insert(dividend).values(record(event, "claimed", amount, { bidId, holder }));
    await updatePool(context.db, event, event.log.address, (r) => ({
      claimed: r.claimed + amount,
      claims: r.claims + 1,
    }));
  });
}
