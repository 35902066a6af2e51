/**
 * The resource market in the simulation (issue 14, docs/market.md): compute providers (the `compute`
 * archetype) sell capacity of the deployment's genesis resource (resource 1, "gpu-second", registered and
 * listed by ignition/modules/Market.ts) and the other agents buy the compute they need beyond the free
 * commons tier. Each day, after the agents' phases and the city's:
 * 1. one agent clears every ended epoch that had trade (anyone may; a claim would clear it too);
 * 2. bidders claim their settled bids (credits and refunds), providers their offers (earnings, fee to the
 *    Treasury);
 * 3. each compute provider in good standing offers {@link MarketPolicy.capacity} for the open epoch; each
 *    other agent in good standing with money to spare bids, with chance {@link MarketPolicy.bidChance}, for
 *    a quantity drawn from {@link MarketPolicy.need} at its own valuation (a fixed number of ticks drawn
 *    once from {@link MarketPolicy.valuationTicks}).
 * Prices then follow utilisation as the contract moves the reserve. No meter is authorised at genesis, so
 * credits bought are held, not burned: metering is governance's to authorise (test/market/devnet.ts does).
 * Everything goes through {@link executeIntents}, so failures are recorded like any other action's.
 * Importing this module has no side effects.
 */
import { type Address, parseEventLogs, type TransactionReceipt } from "viem";
import * as abis from "../../generated/abis.ts";
import { readMany, type ReadCall } from "../lib/clients.ts";
import { formatCiv } from "../lib/format.ts";
import { executeIntents, type SimulationRun } from "./engine.ts";
import type { Agent, Intent } from "./model.ts";

/** The archetype that sells capacity (its entry in archetypes.ts). */
export const COMPUTE_ARCHETYPE = "compute";

/** The resource the simulation trades: the deployment's genesis resource. */
export const GENESIS_RESOURCE_ID = 1n;

const MAX_UINT256 = 2n ** 256n - 1n;
const CIV = 10n ** 18n;

/** How the simulated agents trade (docs/market.md "In the simulation"). */
export interface MarketPolicy {
  /** Base units each compute provider offers per epoch. */
  capacity: bigint;
  /** Chance an agent bids on a given day. */
  bidChance: number;
  /** Quantity an agent bids for, drawn uniformly from [min, max] base units. */
  need: readonly [number, number];
  /** An agent's valuation in ticks (price = ticks x tick size), drawn once from [min, max]. */
  valuationTicks: readonly [number, number];
  /** An agent bids only when its liquid balance is above this, in wei (a bid never starves it). */
  bidAbove: bigint;
}

/** The default calibration: one provider per twenty agents roughly meets the demand at the reserve. */
export const DEFAULT_MARKET_POLICY: MarketPolicy = {
  capacity: 400n,
  bidChance: 0.6,
  need: [10, 60],
  valuationTicks: [8, 40],
  bidAbove: 200n * CIV,
};

/** One cleared epoch, as the clearing's event reported it. Prices in wei per base unit. */
export interface MarketEpochLine {
  day: number;
  epoch: bigint;
  supply: bigint;
  demand: bigint;
  sold: bigint;
  price: bigint;
  utilisationBps: bigint;
  reservePrice: bigint;
}

/** What the market did over a run (the `market` field of the simulation's result). Amounts in wei. */
export interface MarketSummary {
  resourceId: bigint;
  providers: string[];
  offers: number;
  bids: number;
  /** Credits credited to bidders (base units) and what they paid for them. */
  creditsBought: bigint;
  spent: bigint;
  /** Providers' gross revenue and the protocol fee taken from it. */
  providerRevenue: bigint;
  protocolFees: bigint;
  epochs: MarketEpochLine[];
}

/** The market's memory across days. */
export interface MarketState {
  policy: MarketPolicy;
  market: NonNullable<SimulationRun["contracts"]["resourceMarket"]>;
  resourceId: bigint;
  genesis: bigint;
  duration: bigint;
  tickSize: bigint;
  approved: Set<Address>;
  /** Unclaimed bids and offers: id, epoch, owner. */
  bids: Map<bigint, { epoch: bigint; agent: Agent }>;
  offers: Map<bigint, { epoch: bigint; agent: Agent }>;
  /** Epochs with trade not cleared yet. */
  pending: Set<bigint>;
  summary: MarketSummary;
}

/**
 * Reads the market's fixed settings (genesis, epoch length, the resource's tick size).
 * @returns null when the deployment has no market or the genesis resource is not listed.
 */
export async function createMarket(
  run: SimulationRun,
  policy = DEFAULT_MARKET_POLICY,
): Promise<MarketState | null> {
  const market = run.contracts.resourceMarket;
  if (market === undefined) return null;
  const [genesis, duration, listing] = await Promise.all([
    run.client.readContract({ ...market, functionName: "genesis" }),
    run.client.readContract({ ...market, functionName: "epochDuration" }),
    run.client.readContract({ ...market, functionName: "listingOf", args: [GENESIS_RESOURCE_ID] }),
  ]);
  if (!listing.listed) return null;
  const providers = run.agents.filter((a) => a.archetype === COMPUTE_ARCHETYPE).map((a) => a.name);
  return {
    policy,
    market,
    resourceId: GENESIS_RESOURCE_ID,
    genesis,
    duration,
    tickSize: listing.tickSize,
    approved: new Set(),
    bids: new Map(),
    offers: new Map(),
    pending: new Set(),
    summary: {
      resourceId: GENESIS_RESOURCE_ID,
      providers,
      offers: 0,
      bids: 0,
      creditsBought: 0n,
      spent: 0n,
      providerRevenue: 0n,
      protocolFees: 0n,
      epochs: [],
    },
  };
}

/** The market's events in a receipt. */
const events = (receipt: TransactionReceipt) =>
  parseEventLogs({ abi: abis.resourceMarketAbi, logs: receipt.logs });

/** Lives the market's part of one day (see the module's comment). */
export async function marketDay(run: SimulationRun, state: MarketState | null, day: number): Promise<void> {
  if (state === null) return;
  const { client, agents, agentIds, contracts } = run;
  const { market, resourceId, summary } = state;
  const block = await client.getBlock({ blockTag: "latest" });
  const now = block.timestamp;
  const current = (now - state.genesis) / state.duration;
  const live = agents.filter((a) => agentIds.has(a.address));
  const reads = await readMany(
    client,
    live.flatMap((a) => [
      { ...contracts.registry, functionName: "isInGoodStanding", args: [a.address] } as ReadCall,
      { ...contracts.token, functionName: "balanceOf", args: [a.address] } as ReadCall,
    ]),
    { blockNumber: block.number },
  );
  const standing = new Map(live.map((a, i) => [a.address, reads[2 * i] as boolean]));
  const balance = new Map(live.map((a, i) => [a.address, reads[2 * i + 1] as bigint]));
  const good = live.filter((a) => standing.get(a.address));

  // 1. Clear every ended epoch that had trade (one clearer: the first agent in good standing).
  const clearer = good[0];
  const ended = [...state.pending].filter((e) => e < current).sort((a, b) => Number(a - b));
  if (clearer !== undefined && ended.length > 0) {
    const intents: Intent[] = ended.map((epoch) => ({
      label: "market.clear",
      call: { ...market, functionName: "clear", args: [resourceId, epoch] },
      onMined: (receipt) => {
        state.pending.delete(epoch);
        for (const log of events(receipt)) {
          if (log.eventName !== "EpochCleared") continue;
          const a = log.args;
          summary.epochs.push({
            day,
            epoch: a.epoch,
            supply: a.supply,
            demand: a.demand,
            sold: a.sold,
            price: a.price,
            utilisationBps: a.utilisationBps,
            reservePrice: a.newReservePrice,
          });
        }
      },
    }));
    await executeIntents(run, day, "market.clear", [{ agent: clearer, intents }], now);
  }

  // 2. Claims of settled bids and offers (a claim clears its epoch if nobody has).
  const claims = new Map<Agent, Intent[]>();
  const claim = (agent: Agent, intent: Intent) => claims.set(agent, [...(claims.get(agent) ?? []), intent]);
  for (const [bidId, { epoch, agent }] of state.bids) {
    if (epoch >= current) continue;
    claim(agent, {
      label: "market.claimBid",
      call: { ...market, functionName: "claimBid", args: [bidId] },
      onMined: (receipt) => {
        state.bids.delete(bidId);
        for (const log of events(receipt))
          if (log.eventName === "BidClaimed") {
            summary.creditsBought += log.args.filled;
            summary.spent += log.args.cost;
          }
      },
    });
  }
  for (const [offerId, { epoch, agent }] of state.offers) {
    if (epoch >= current) continue;
    claim(agent, {
      label: "market.claimOffer",
      call: { ...market, functionName: "claimOffer", args: [offerId] },
      onMined: (receipt) => {
        state.offers.delete(offerId);
        for (const log of events(receipt))
          if (log.eventName === "OfferClaimed") {
            summary.providerRevenue += log.args.gross;
            summary.protocolFees += log.args.fee;
          }
      },
    });
  }
  if (claims.size > 0)
    await executeIntents(
      run,
      day,
      "market.claim",
      [...claims].map(([agent, intents]) => ({ agent, intents })),
      now,
    );

  // 3. Offers and bids for the open epoch (the next one when this one ends within ten minutes).
  const epoch = state.genesis + (current + 1n) * state.duration - now > 600n ? current : current + 1n;
  const { policy } = state;
  const providers = good.filter((a) => a.archetype === COMPUTE_ARCHETYPE);
  const buyers = good
    .filter((a) => a.archetype !== COMPUTE_ARCHETYPE && (balance.get(a.address) ?? 0n) > policy.bidAbove)
    .filter((a) => a.rng.fork(`market-bid-${day}`).chance(policy.bidChance));
  const newcomers = buyers.filter((a) => !state.approved.has(a.address));
  if (newcomers.length > 0)
    await executeIntents(
      run,
      day,
      "market.approve",
      newcomers.map((agent) => ({
        agent,
        intents: [
          {
            label: "token.approve",
            call: { ...contracts.token, functionName: "approve", args: [market.address, MAX_UINT256] },
            onMined: () => state.approved.add(agent.address),
          },
        ],
      })),
      now,
    );
  const plans = [
    ...providers.map((agent) => ({
      agent,
      intents: [
        {
          label: "market.offer",
          call: {
            ...market,
            functionName: "offer",
            args: [resourceId, epoch, policy.capacity, agent.address],
          },
          onMined: (receipt: TransactionReceipt) => {
            for (const log of events(receipt))
              if (log.eventName === "Offered") state.offers.set(log.args.offerId, { epoch, agent });
            state.pending.add(epoch);
            summary.offers++;
          },
        } satisfies Intent,
      ],
    })),
    ...buyers
      .filter((a) => state.approved.has(a.address))
      .map((agent) => {
        const [minTicks, maxTicks] = policy.valuationTicks;
        const ticks = BigInt(agent.rng.fork("market-valuation").int(minTicks, maxTicks));
        const quantity = BigInt(agent.rng.fork(`market-need-${day}`).int(policy.need[0], policy.need[1]));
        return {
          agent,
          intents: [
            {
              label: "market.bid",
              call: { ...market, functionName: "bid", args: [resourceId, epoch, ticks, quantity] },
              onMined: (receipt: TransactionReceipt) => {
                for (const log of events(receipt))
                  if (log.eventName === "BidPlaced") state.bids.set(log.args.bidId, { epoch, agent });
                state.pending.add(epoch);
                summary.bids++;
              },
            } satisfies Intent,
          ],
        };
      }),
  ];
  await executeIntents(run, day, "market.trade", plans, now);
}

/** The report's lines about the market (nothing when the run had none). */
export function renderMarket(summary: MarketSummary | undefined): string[] {
  if (summary === undefined) return [];
  const cleared = summary.epochs.filter((e) => e.supply > 0n || e.demand > 0n);
  const days = cleared
    .filter((_, i) => i % Math.max(1, Math.ceil(cleared.length / 8)) === 0 || i === cleared.length - 1)
    .map((e) => `day ${e.day}: ${formatCiv(e.price)} at ${(Number(e.utilisationBps) / 100).toFixed(0)}%`);
  return [
    `Compute market (resource ${summary.resourceId}, providers ${summary.providers.join(", ") || "none"}): ` +
      `${summary.offers} offers, ${summary.bids} bids, ${cleared.length} epochs cleared; ` +
      `${summary.creditsBought} credits bought for ${formatCiv(summary.spent, 2)}; provider revenue ` +
      `${formatCiv(summary.providerRevenue, 2)} (fees ${formatCiv(summary.protocolFees, 2)}).`,
    ...(days.length ? [`  Clearing price and utilisation: ${days.join("; ")}.`] : []),
  ];
}
