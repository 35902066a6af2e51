/**
 * ResourceMarket (resource markets, issue 14): listings and reserves, each resource's epochs (running supply
 * and demand, then the clearing with its price, sold and utilisation), offers and bids with their
 * settlements, payees' revenue, and the market's settings. Events carry every figure: nothing is read from
 * the chain.
 */
import { marketBid, marketEpoch, marketOffer, marketProvider, marketState } from "ponder:schema";
import { on, onParameter } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, lc, upsert } from "../lib/store.ts";
import { updateResource } from "./ResourceLedger.ts";

type EpochRow = typeof marketEpoch.$inferSelect;
type ProviderRow = typeof marketProvider.$inferSelect;
type MarketStateRow = typeof marketState.$inferSelect;

/** Applies `change` to a resource's epoch row, creating it at its first offer, bid or clearing. */
async function updateEpoch(
  db: Db,
  event: EventInfo,
  resourceId: bigint,
  epoch: bigint,
  change: (row: EpochRow) => Partial<EpochRow>,
): Promise<void> {
  const fresh: EpochRow = {
    resourceId,
    epoch,
    supply: 0n,
    demand: 0n,
    offers: 0,
    bids: 0,
    escrowed: 0n,
    cleared: false,
    cancelled: false,
    clearingTick: null,
    price: null,
    sold: null,
    utilisationBps: null,
    revenue: null,
    reservePriceAfter: null,
    clearedAt: null,
    clearedInTransaction: null,
    createdAt: event.block.timestamp,
  };
  await upsert(db, marketEpoch, fresh, (row) => {
    const { resourceId: _r, epoch: _e, ...rest } = change(row) as EpochRow;
    return rest;
  });
}

/** Applies `change` to a payee's revenue row, creating it when new. */
async function updateProvider(
  db: Db,
  event: EventInfo,
  address: string,
  change: (row: ProviderRow) => Partial<ProviderRow>,
): Promise<void> {
  const fresh: ProviderRow = {
    address: lc(address),
    offers: 0,
    capacityOffered: 0n,
    sold: 0n,
    gross: 0n,
    fees: 0n,
    updatedAt: event.block.timestamp,
  };
  await upsert(db, marketProvider, fresh, (row) => {
    const { address: _a, ...rest } = { ...change(row), updatedAt: event.block.timestamp } as ProviderRow;
    return rest;
  });
}

/** Writes one of the market's settings to its state row. */
async function setMarketSetting(
  db: Db,
  event: EventInfo,
  column: "protocolFeeBps" | "targetUtilisationBps" | "maxReserveStepBps",
  value: bigint,
): Promise<void> {
  const fresh: MarketStateRow = {
    id: "market",
    protocolFeeBps: null,
    targetUtilisationBps: null,
    maxReserveStepBps: null,
    updatedAt: event.block.timestamp,
  };
  await upsert(db, marketState, fresh, () => ({ [column]: value, updatedAt: event.block.timestamp }));
}

if (isDeployed("resourceMarket")) {
  on("ResourceMarket:ResourceListed", async ({ event, context }) => {
    const { resourceId, tickSize, newReservePrice } = event.args;
    await updateResource(context.db, event, resourceId, () => ({
      listed: true,
      tickSize,
      reservePrice: newReservePrice,
    }));
  });

  on("ResourceMarket:ResourceDelisted", async ({ event, context }) => {
    await updateResource(context.db, event, event.args.resourceId, () => ({ listed: false }));
  });

  on("ResourceMarket:ReservePriceUpdated", async ({ event, context }) => {
    const { resourceId, newReservePrice } = event.args;
    await updateResource(context.db, event, resourceId, () => ({ reservePrice: newReservePrice }));
  });

  on("ResourceMarket:Offered", async ({ event, context }) => {
    const { offerId, resourceId, epoch, provider, payee, capacity, supply } = event.args;
    await context.db.insert(marketOffer).values({
      id: offerId,
      resourceId,
      epoch,
      provider: lc(provider),
      payee: lc(payee),
      capacity,
      supplyAfter: supply,
      claimed: false,
      sold: null,
      gross: null,
      fee: null,
      claimedAt: null,
      createdAt: event.block.timestamp,
      createdAtBlock: event.block.number,
      createdAtTransaction: event.transaction.hash,
    });
    await updateEpoch(context.db, event, resourceId, epoch, (r) => ({ supply, offers: r.offers + 1 }));
    await updateProvider(context.db, event, payee, (r) => ({
      offers: r.offers + 1,
      capacityOffered: r.capacityOffered + capacity,
    }));
  });

  on("ResourceMarket:BidPlaced", async ({ event, context }) => {
    const { bidId, resourceId, epoch, bidder, tick, maxPrice, quantity, escrow } = event.args;
    await context.db.insert(marketBid).values({
      id: bidId,
      resourceId,
      epoch,
      bidder: lc(bidder),
      tick,
      maxPrice,
      quantity,
      escrow,
      claimed: false,
      filled: null,
      cost: null,
      refund: null,
      claimedAt: null,
      createdAt: event.block.timestamp,
      createdAtBlock: event.block.number,
      createdAtTransaction: event.transaction.hash,
    });
    await updateEpoch(context.db, event, resourceId, epoch, (r) => ({
      demand: r.demand + quantity,
      bids: r.bids + 1,
      escrowed: r.escrowed + escrow,
    }));
  });

  on("ResourceMarket:EpochCleared", async ({ event, context }) => {
    const { resourceId, epoch, clearingTick, price, supply, demand, sold, utilisationBps, cancelled } =
      event.args;
    const revenue = price * sold;
    await updateEpoch(context.db, event, resourceId, epoch, () => ({
      supply,
      demand,
      cleared: true,
      cancelled,
      clearingTick,
      price,
      sold,
      utilisationBps,
      revenue,
      reservePriceAfter: event.args.newReservePrice,
      clearedAt: event.block.timestamp,
      clearedInTransaction: event.transaction.hash,
    }));
    await updateResource(context.db, event, resourceId, (r) => ({
      epochsCleared: r.epochsCleared + 1,
      totalSold: r.totalSold + sold,
      totalRevenue: r.totalRevenue + revenue,
      lastPrice: price,
      lastEpoch: epoch,
      lastUtilisationBps: utilisationBps,
      reservePrice: event.args.newReservePrice,
    }));
  });

  on("ResourceMarket:BidClaimed", async ({ event, context }) => {
    const { bidId, filled, cost, refund } = event.args;
    await context.db
      .update(marketBid, { id: bidId })
      .set({ claimed: true, filled, cost, refund, claimedAt: event.block.timestamp });
  });

  on("ResourceMarket:OfferClaimed", async ({ event, context }) => {
    const { offerId, payee, sold, gross, fee } = event.args;
    await context.db
      .update(marketOffer, { id: offerId })
      .set({ claimed: true, sold, gross, fee, claimedAt: event.block.timestamp });
    await updateProvider(context.db, event, payee, (r) => ({
      sold: r.sold + sold,
      gross: r.gross + gross,
      fees: r.fees + fee,
    }));
  });

  onParameter(
    "ResourceMarket:ProtocolFeeBpsUpdated",
    "ResourceMarket",
    "protocolFeeBps",
    (a) => [a.oldFeeBps, a.newFeeBps],
    (db, event, value) => setMarketSetting(db, event, "protocolFeeBps", value as bigint),
  );
  onParameter(
    "ResourceMarket:TargetUtilisationBpsUpdated",
    "ResourceMarket",
    "targetUtilisationBps",
    (a) => [a.oldTargetBps, a.newTargetBps],
    (db, event, value) => setMarketSetting(db, event, "targetUtilisationBps", value as bigint),
  );
  onParameter(
    "ResourceMarket:MaxReserveStepBpsUpdated",
    "ResourceMarket",
    "maxReserveStepBps",
    (a) => [a.oldStepBps, a.newStepBps],
    (db, event, value) => setMarketSetting(db, event, "maxReserveStepBps", value as bigint),
  );
}
