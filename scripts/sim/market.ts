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
 * 4. the simulation's meter (devnet account {@link METER_ACCOUNT_INDEX}, authorised at genesis by the
 *    Ignition parameter `genesisMeter` of ignition/parameters/localhost.json) meters each agent's compute
 *    for the day: {@link MarketPolicy.gpuPerAction} gpu-seconds per transaction the agent sent since the
 *    last metering (its nonce's growth), once per agent per day (the ledger has no batch meter). What the
 *    free allowance (the commons tier) and the agent's credits cover is recorded; the shortfall, if any, is
 *    asked for too and recorded on chain as a denial (`UsageDenied`, InsufficientCredits), and the agent
 *    bids for it on top of its need the same day.
 * Prices then follow utilisation as the contract moves the reserve.
 * A denial has a consequence (docs/market.md "A denial's consequence"): the next day, before the phases,
 * {@link computeBudgets} gives each agent whose last metering was short a budget of actions — what its free
 * allowance and credits cover, less the actions its shortfall stood for — and the engine withholds the
 * agent's actions beyond it ({@link withholdShortOfCompute}), except the ones the rule leaves alone
 * ({@link isComputeExempt}: the chain's upkeep, delivering and collecting paid work, city tasks, and the
 * market's and pools' own steps). Withheld actions are counted per day and archetype in the summary.
 * Everything goes through {@link executeIntents}, so failures are recorded like any other action's.
 * Importing this module has no side effects.
 */
import { type Address, parseEventLogs, type TransactionReceipt } from "viem";
import * as abis from "../../generated/abis.ts";
import { mnemonicToAccount } from "viem/accounts";
import { AgentWallet, cachedFees, DEVNET_MNEMONIC, readMany, type ReadCall } from "../lib/clients.ts";
import { setEthBalance } from "../lib/devchain.ts";
import { formatCiv } from "../lib/format.ts";
import { DenialReason } from "../lib/vocabulary.ts";
import { executeIntents, type SimulationRun } from "./engine.ts";
import type { Agent, Intent } from "./model.ts";
import {
  createPools,
  type PoolLine,
  type PoolsState,
  poolsDay,
  recordPoolRevenue,
  renderPools,
} from "./pools.ts";

/** The archetype that sells capacity (its entry in archetypes.ts). */
export const COMPUTE_ARCHETYPE = "compute";

/**
 * The devnet account (HD index of the devnet mnemonic) that meters the simulation's compute: authorised as
 * resource 1's meter at deployment by ignition/parameters/localhost.json (`Market.genesisMeter`). Nothing
 * else uses it (tests take 1..70, the clerk 18, the guardian 19; simulated agents start at 100).
 */
export const METER_ACCOUNT_INDEX = 97;

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
  /** Gpu-seconds (base units of resource 1) each action (transaction sent) meters. */
  gpuPerAction: bigint;
}

/** The default calibration: one provider per twenty agents roughly meets the demand at the reserve. */
export const DEFAULT_MARKET_POLICY: MarketPolicy = {
  capacity: 400n,
  bidChance: 0.6,
  need: [10, 60],
  valuationTicks: [8, 40],
  bidAbove: 200n * CIV,
  gpuPerAction: 20n,
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

/** One day's metering: usage recorded (of it, covered by the free allowance) and denied, in base units. */
export interface MeteringLine {
  day: number;
  used: bigint;
  fromAllowance: bigint;
  denied: bigint;
  denials: number;
  /** Agents metered that day. */
  agents: number;
}

/**
 * One day's actions withheld for want of compute: how many agents started the day short (under a budget),
 * how many actions were withheld, and by archetype.
 */
export interface WithheldLine {
  day: number;
  /** Agents under a budget that day (their last metering was short). */
  agents: number;
  /** Actions withheld (never sent). */
  actions: number;
  byArchetype: Record<string, number>;
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
  /** Metering per day (empty when the meter is not authorised). */
  metering: MeteringLine[];
  /** The compute pools formed (scripts/sim/pools.ts): shares sold, revenue, dividends. */
  pools: PoolLine[];
  /** Actions withheld for want of compute, per day with agents short (empty when nobody was). */
  withheld: WithheldLine[];
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
  /** The simulation's meter, when authorised for the resource (otherwise nothing is metered). */
  meter: Agent | null;
  /** Each agent's nonce at its last metering (transactions sent since then are metered). */
  metered: Map<Address, number>;
  /** Each agent's shortfall at its last metering, bid for on top of its need. */
  shortfall: Map<Address, bigint>;
  /** Today's remaining actions of each agent short of compute ({@link computeBudgets}); others are unbounded. */
  budgets: Map<Address, number>;
  /** Where a provider's capacity sales are paid, when not to itself (its compute pool, scripts/sim/pools.ts). */
  payees: Map<Address, Address>;
  /** The compute pools (scripts/sim/pools.ts). */
  pools: PoolsState;
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
  const account = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: METER_ACCOUNT_INDEX });
  const ledger = run.contracts.resourceLedger;
  const authorised =
    ledger !== undefined &&
    (await run.client.readContract({
      ...ledger,
      functionName: "isMeter",
      args: [GENESIS_RESOURCE_ID, account.address],
    }));
  let meter: Agent | null = null;
  if (authorised) {
    await setEthBalance(run.client, account.address, 10n ** 21n); // gas money (devnet)
    const wallet = new AgentWallet({ client: run.client, account, fees: cachedFees(run.client) });
    meter = { name: "compute-meter", address: account.address, wallet } as unknown as Agent;
  }
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
    meter,
    metered: new Map(),
    shortfall: new Map(),
    budgets: new Map(),
    payees: new Map(),
    pools: createPools(),
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
      metering: [],
      pools: [],
      withheld: [],
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
            recordPoolRevenue(state.pools, log.args.payee, log.args.gross - log.args.fee);
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

  // The day's compute, metered now that the day's credits are claimed.
  await meterDay(run, state, day, good, now);

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
            args: [resourceId, epoch, policy.capacity, state.payees.get(agent.address) ?? agent.address],
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
        const need = BigInt(agent.rng.fork(`market-need-${day}`).int(policy.need[0], policy.need[1]));
        // What the meter could not record yesterday is bought on top (at most the need's maximum again).
        const short = state.shortfall.get(agent.address) ?? 0n;
        const quantity = need + (short < BigInt(policy.need[1]) ? short : BigInt(policy.need[1]));
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

  // 4. Compute pools: formed on the first day, then shares sold, revenue distributed, dividends claimed.
  await poolsDay(run, state.pools, state, day);
}

/** The ledger's events in a receipt. */
const ledgerEvents = (receipt: TransactionReceipt) =>
  parseEventLogs({ abi: abis.resourceLedgerAbi, logs: receipt.logs });

/**
 * Meters the day's compute of the agents in good standing (module comment, step 4): per agent, its
 * transactions since the last metering times {@link MarketPolicy.gpuPerAction}; what its free allowance and
 * credits cover is recorded, the rest asked for and denied on chain. An agent's first metering only notes
 * its nonce.
 */
async function meterDay(run: SimulationRun, state: MarketState, day: number, good: Agent[], now: bigint) {
  const ledger = run.contracts.resourceLedger;
  if (state.meter === null || ledger === undefined) return;
  const { client } = run;
  const { resourceId, policy } = state;
  const nonces = await Promise.all(good.map((a) => client.getTransactionCount({ address: a.address })));
  const reads = await readMany(
    client,
    good.flatMap((a) => [
      { ...ledger, functionName: "allowanceOf", args: [resourceId, a.address] } as ReadCall,
      { ...ledger, functionName: "balanceOf", args: [a.address, resourceId] } as ReadCall,
    ]),
  );
  const line: MeteringLine = { day, used: 0n, fromAllowance: 0n, denied: 0n, denials: 0, agents: 0 };
  const intents: Intent[] = [];
  // Only today's metering decides who is short (an agent not metered today, e.g. starved, is not).
  state.shortfall.clear();
  good.forEach((agent, i) => {
    const last = state.metered.get(agent.address);
    state.metered.set(agent.address, nonces[i]!);
    if (last === undefined || nonces[i]! <= last) return;
    const usage = BigInt(nonces[i]! - last) * policy.gpuPerAction;
    const available = (reads[2 * i] as bigint) + (reads[2 * i + 1] as bigint);
    const covered = usage < available ? usage : available;
    const short = usage - covered;
    line.agents++;
    // The reference: the day (4 bytes) and the agent's address, padded to 32 bytes.
    const ref =
      `0x${(BigInt(day).toString(16).padStart(8, "0") + agent.address.slice(2)).padEnd(64, "0")}` as const;
    const meterCall = (amount: bigint) =>
      ({
        label: "ledger.meter",
        call: { ...ledger, functionName: "meter", args: [resourceId, agent.address, amount, ref] },
        onMined: (receipt: TransactionReceipt) => {
          for (const log of ledgerEvents(receipt)) {
            if (log.eventName === "UsageRecorded") {
              line.used += log.args.amount;
              line.fromAllowance += log.args.fromAllowance;
            } else if (log.eventName === "UsageDenied") {
              line.denied += log.args.amount;
              line.denials++;
              if (log.args.reason === DenialReason.value.InsufficientCredits)
                state.shortfall.set(agent.address, log.args.amount);
            }
          }
        },
      }) satisfies Intent;
    if (covered > 0n) intents.push(meterCall(covered));
    if (short > 0n) intents.push(meterCall(short));
  });
  if (intents.length > 0)
    await executeIntents(run, day, "market.meter", [{ agent: state.meter, intents }], now);
  if (line.agents > 0) state.summary.metering.push(line);
}

/**
 * What the compute rule leaves alone (docs/market.md "A denial's consequence"): actions outside the
 * agents' own discretion or needed to live and to be covered again. The steps of the city (taking and
 * delivering a task: the needy's income), of the market and of the pools (bidding for compute, claiming
 * credits, refunds, earnings and dividends), by phase; and by label the upkeep collection (the chain's
 * housekeeping: one agent sends it for everyone), delivering a job already agreed (`job.submit`) and
 * collecting a job's payment (`job.claim`).
 */
export function isComputeExempt(phase: string, label: string): boolean {
  return isExemptPhase(phase) || COMPUTE_EXEMPT_LABELS.has(label);
}

/** The phases {@link isComputeExempt} leaves alone whole: the city's, the market's and the pools'. */
function isExemptPhase(phase: string): boolean {
  return phase === "city" || phase.startsWith("market.") || phase.startsWith("pool.");
}

/** The labels {@link isComputeExempt} leaves alone in any phase. */
export const COMPUTE_EXEMPT_LABELS: ReadonlySet<string> = new Set([
  "upkeep.collect",
  "job.submit",
  "job.claim",
]);

/**
 * Sets the day's budgets before the agents act: each agent in good standing whose last metering was short
 * (a denial, {@link MarketState.shortfall}) may send at most as many actions as its free allowance and
 * credits now cover, less the actions its shortfall stood for: `max(0, floor((allowance + credits) /
 * gpuPerAction) − ceil(shortfall / gpuPerAction))`. An agent covered at its last metering has no budget.
 */
export async function computeBudgets(
  run: SimulationRun,
  state: MarketState | null,
  day: number,
): Promise<void> {
  const ledger = run.contracts.resourceLedger;
  if (state === null || ledger === undefined) return;
  state.budgets.clear();
  const short = run.agents.filter(
    (a) => run.agentIds.has(a.address) && (state.shortfall.get(a.address) ?? 0n) > 0n,
  );
  if (short.length === 0) return;
  const { resourceId, policy } = state;
  const reads = await readMany(
    run.client,
    short.flatMap((a) => [
      { ...ledger, functionName: "allowanceOf", args: [resourceId, a.address] } as ReadCall,
      { ...ledger, functionName: "balanceOf", args: [a.address, resourceId] } as ReadCall,
    ]),
  );
  const per = policy.gpuPerAction;
  short.forEach((agent, i) => {
    const covered = ((reads[2 * i] as bigint) + (reads[2 * i + 1] as bigint)) / per;
    const owed = (state.shortfall.get(agent.address)! + per - 1n) / per;
    state.budgets.set(agent.address, covered > owed ? Number(covered - owed) : 0);
  });
  state.summary.withheld.push({ day, agents: short.length, actions: 0, byArchetype: {} });
}

/**
 * Withholds the actions of agents short of compute beyond their day's budget ({@link computeBudgets}), in
 * the order the agents would send them (phase by phase, each agent's in order); exempt actions
 * ({@link isComputeExempt}) pass and cost no budget. Withheld actions are never sent and are counted in the
 * day's {@link WithheldLine}.
 * @returns The plans with the withheld intents left out.
 */
export function withholdShortOfCompute<P extends { agent: Agent; intents: readonly Intent[] }>(
  state: MarketState | null | undefined,
  day: number,
  phase: string,
  plans: readonly P[],
): readonly P[] {
  if (!state || state.budgets.size === 0 || isExemptPhase(phase)) return plans;
  const line = state.summary.withheld.at(-1);
  if (line === undefined || line.day !== day) return plans;
  return plans.map((plan) => {
    let budget = state.budgets.get(plan.agent.address);
    if (budget === undefined) return plan;
    const intents = plan.intents.filter((intent) => {
      if (isComputeExempt(phase, intent.label)) return true;
      if (budget! > 0) {
        budget!--;
        return true;
      }
      line.actions++;
      line.byArchetype[plan.agent.archetype] = (line.byArchetype[plan.agent.archetype] ?? 0) + 1;
      return false;
    });
    state.budgets.set(plan.agent.address, budget);
    return intents.length === plan.intents.length ? plan : { ...plan, intents };
  });
}

/** The report's lines about the market (nothing when the run had none). */
export function renderMarket(summary: MarketSummary | undefined): string[] {
  if (summary === undefined) return [];
  const cleared = summary.epochs.filter((e) => e.supply > 0n || e.demand > 0n);
  const days = cleared
    .filter((_, i) => i % Math.max(1, Math.ceil(cleared.length / 8)) === 0 || i === cleared.length - 1)
    .map((e) => `day ${e.day}: ${formatCiv(e.price)} at ${(Number(e.utilisationBps) / 100).toFixed(0)}%`);
  const metering = summary.metering;
  const total = (key: "used" | "fromAllowance" | "denied" | "denials") =>
    metering.reduce((n, m) => n + BigInt(m[key]), 0n);
  const meteredDays = metering
    .filter((_, i) => i % Math.max(1, Math.ceil(metering.length / 8)) === 0 || i === metering.length - 1)
    .map((m) => `day ${m.day}: ${m.used} used (${m.fromAllowance} free), ${m.denied} denied (${m.denials})`);
  return [
    `Compute market (resource ${summary.resourceId}, providers ${summary.providers.join(", ") || "none"}): ` +
      `${summary.offers} offers, ${summary.bids} bids, ${cleared.length} epochs cleared; ` +
      `${summary.creditsBought} credits bought for ${formatCiv(summary.spent, 2)}; provider revenue ` +
      `${formatCiv(summary.providerRevenue, 2)} (fees ${formatCiv(summary.protocolFees, 2)}).`,
    ...(days.length ? [`  Clearing price and utilisation: ${days.join("; ")}.`] : []),
    ...(metering.length
      ? [
          `  Compute metered: ${total("used")} gpu-seconds used (${total("fromAllowance")} from the free allowance, ` +
            `${total("used") - total("fromAllowance")} from credits), ${total("denied")} denied in ${total("denials")} denials.`,
          `  Usage by day: ${meteredDays.join("; ")}.`,
        ]
      : ["  Compute metered: none (no meter authorised for the resource)."]),
    ...renderWithheld(summary.withheld),
    ...renderPools(summary.pools),
  ];
}

/** The report's lines about actions withheld for want of compute. */
function renderWithheld(withheld: readonly WithheldLine[]): string[] {
  const total = withheld.reduce((n, w) => n + w.actions, 0);
  const byArchetype: Record<string, number> = {};
  for (const w of withheld)
    for (const [archetype, n] of Object.entries(w.byArchetype))
      byArchetype[archetype] = (byArchetype[archetype] ?? 0) + n;
  const archetypes = Object.entries(byArchetype)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([a, n]) => `${a} ${n}`);
  const days = withheld
    .filter((w) => w.actions > 0)
    .map(
      (w) =>
        `day ${w.day}: ${w.actions} (${Object.entries(w.byArchetype)
          .sort((a, b) => a[0].localeCompare(b[0]))
          .map(([a, n]) => `${a} ${n}`)
          .join(", ")}; ${w.agents} short)`,
    );
  if (withheld.length === 0) return ["  Actions withheld for want of compute: none (no agent was short)."];
  return [
    `  Actions withheld for want of compute: ${total} over ${withheld.length} days with agents short` +
      (archetypes.length ? ` (${archetypes.join(", ")}).` : "."),
    ...(days.length ? [`  Withheld by day: ${days.join("; ")}.`] : []),
  ];
}
