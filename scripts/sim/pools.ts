/**
 * Compute pools in the simulation (issue 14, docs/market.md "Compute shares"): each compute provider forms a
 * pool whose revenue streams to its shareholders as dividends; the pool's shares are sold once through the
 * market; the provider's capacity is then sold with the pool as the payee. Each day, after the market's part
 * (scripts/sim/market.ts):
 * 1. on the first day, for each compute provider in good standing: governance registers and lists a share
 *    resource ({@link SHARE_POLICY}) and marks the pool's CREATE2 address a protocol account (on the devnet,
 *    the impersonated timelock stands in for the proposal; docs/market.md says why), then the provider
 *    creates the pool through the ComputePoolFactory and offers {@link PoolPolicy.shares} shares in the open
 *    epoch, payee itself; agents that trade on the market bid for shares with chance
 *    {@link PoolPolicy.bidChance};
 * 2. once the share epoch has ended: the provider clears it, bidders claim their shares (and refunds), the
 *    provider claims the sale's proceeds; from then on the market pays the provider's capacity sales to
 *    the pool (its offers name the pool as payee);
 * 3. every day after the sale: the provider calls `distribute` when new revenue arrived, and each
 *    shareholder with something claimable claims its dividends.
 * Everything goes through {@link executeIntents}; the summary counts what the chain's events said.
 * Importing this module has no side effects.
 */
import { type Address, encodeFunctionData, type Hex, parseEventLogs, type TransactionReceipt } from "viem";
import * as abis from "../../generated/abis.ts";
import { readMany, type ReadCall } from "../lib/clients.ts";
import { mineBlock, setEthBalance } from "../lib/devchain.ts";
import { formatCiv } from "../lib/format.ts";
import { executeIntents, type SimulationRun } from "./engine.ts";
import type { MarketState } from "./market.ts";
import type { Agent, Intent } from "./model.ts";

const CIV = 10n ** 18n;

/** A pool's share resource: non-transferable (dividends follow the share bid), no free allowance. */
export const SHARE_POLICY = {
  unit: "pool-share",
  decimals: 0,
  transferable: false,
  allowancePerDay: 0n,
  allowanceMax: 0n,
  quota: 0n,
  quotaWindow: 3_600,
} as const;

/** How the simulated pools are formed and bought (docs/market.md "In the simulation"). */
export interface PoolPolicy {
  /** Shares each provider sells, once. */
  shares: bigint;
  /** The share resource's tick size and reserve price, in wei per share. */
  tickSize: bigint;
  reservePrice: bigint;
  /** Chance that an agent trading on the market bids for a pool's shares. */
  bidChance: number;
  /** Shares an agent bids for, drawn uniformly from [min, max]. */
  quantity: readonly [number, number];
  /** An agent's valuation of a share, in ticks, drawn once from [min, max]. */
  valuationTicks: readonly [number, number];
}

/** The default: 100 shares a pool, 0.01 CIV a tick, valuations 0.05–0.5 CIV a share. */
export const DEFAULT_POOL_POLICY: PoolPolicy = {
  shares: 100n,
  tickSize: CIV / 100n,
  reservePrice: CIV / 100n,
  bidChance: 0.5,
  quantity: [5, 20],
  valuationTicks: [5, 50],
};

/** One pool's life in the run, from the chain's events. Amounts in wei. */
export interface PoolLine {
  pool: Address;
  creator: string;
  shareResourceId: bigint;
  shareEpoch: bigint;
  /** Share bids placed, and shares sold at the sale's clearing (0 until cleared). */
  shareBids: number;
  sharesSold: bigint;
  /** The sale's clearing price (wei per share) and the provider's gross proceeds from it. */
  sharePrice: bigint;
  shareProceeds: bigint;
  /** Revenue the market paid the pool (offers claimed with the pool as payee: gross less fee). */
  revenue: bigint;
  /** Revenue added to the dividends (`DividendsDistributed`), and dividends paid (`DividendsClaimed`). */
  distributed: bigint;
  dividendsPaid: bigint;
  claims: number;
  /** Distinct shareholders paid at least once. */
  paidHolders: number;
}

/** The pools' memory across days. */
export interface PoolsState {
  policy: PoolPolicy;
  /** By provider address. */
  pools: Map<
    Address,
    {
      line: PoolLine;
      provider: Agent;
      /** Share bids not yet claimed, and every filled share bid (its dividends' key) with its holder. */
      unclaimedBids: Map<bigint, Agent>;
      holders: Map<bigint, Agent>;
      offerId: bigint | null;
      cleared: boolean;
      paidTo: Set<Address>;
    }
  >;
  /** Whether pools were formed (once per run). */
  formed: boolean;
}

/** A fresh state (nothing formed yet). */
export function createPools(policy = DEFAULT_POOL_POLICY): PoolsState {
  return { policy, pools: new Map(), formed: false };
}

/** The pools' lines for the summary. */
export function poolLines(state: PoolsState | undefined): PoolLine[] {
  return state === undefined ? [] : [...state.pools.values()].map((p) => p.line);
}

/**
 * Sends one call as the timelock, impersonated (devnet only: `hardhat_impersonateAccount`), and mines it.
 * Stands in for an executed governance proposal with the same call.
 * @throws When the call reverts.
 */
async function asTimelock(run: SimulationRun, to: Address, data: Hex): Promise<TransactionReceipt> {
  const from = run.contracts.timelock.address;
  const request = run.client.request as unknown as (args: {
    method: string;
    params: unknown[];
  }) => Promise<Hex>;
  await request({ method: "hardhat_impersonateAccount", params: [from] });
  await setEthBalance(run.client, from, 10n ** 20n);
  const hash = await request({ method: "eth_sendTransaction", params: [{ from, to, data, gas: "0x7a120" }] });
  await mineBlock(run.client);
  const receipt = await run.client.getTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`governance call to ${to} reverted`);
  return receipt;
}

/**
 * Governance's part of a pool: registers and lists a share resource and marks the pool's address (fixed by
 * CREATE2) a protocol account before it exists.
 * @returns The share resource's id and the pool's address.
 */
async function governPool(run: SimulationRun, epoch: bigint, policy: PoolPolicy) {
  const {
    resourceLedger: ledger,
    resourceMarket: market,
    computePoolFactory: factory,
    token,
  } = run.contracts;
  const registered = await asTimelock(
    run,
    ledger!.address,
    encodeFunctionData({ abi: ledger!.abi, functionName: "registerResource", args: [SHARE_POLICY] }),
  );
  const [log] = parseEventLogs({
    abi: abis.resourceLedgerAbi,
    logs: registered.logs,
    eventName: "ResourceRegistered",
  });
  const shareResourceId = log!.args.resourceId;
  await asTimelock(
    run,
    market!.address,
    encodeFunctionData({
      abi: market!.abi,
      functionName: "list",
      args: [shareResourceId, policy.tickSize, policy.reservePrice],
    }),
  );
  const pool = await run.client.readContract({
    ...factory!,
    functionName: "poolFor",
    args: [shareResourceId, epoch],
  });
  await asTimelock(
    run,
    token.address,
    encodeFunctionData({ abi: token.abi, functionName: "setProtocolAccount", args: [pool, true] }),
  );
  return { shareResourceId, pool };
}

const marketEvents = (receipt: TransactionReceipt) =>
  parseEventLogs({ abi: abis.resourceMarketAbi, logs: receipt.logs });
const poolEvents = (receipt: TransactionReceipt) =>
  parseEventLogs({ abi: abis.computePoolAbi, logs: receipt.logs });

/**
 * Lives the pools' part of one day (see the module's comment). Needs the market's state (its approvals,
 * clock and payees: a pool's provider offers with the pool as payee once the pool exists).
 */
export async function poolsDay(
  run: SimulationRun,
  state: PoolsState,
  market: MarketState | null,
  day: number,
): Promise<void> {
  const factory = run.contracts.computePoolFactory;
  if (market === null || factory === undefined || run.contracts.resourceLedger === undefined) return;
  const { client, contracts } = run;
  const { policy } = state;
  const block = await client.getBlock({ blockTag: "latest" });
  const now = block.timestamp;
  const current = (now - market.genesis) / market.duration;
  const live = run.agents.filter((a) => run.agentIds.has(a.address));
  const standing = (await readMany(
    client,
    live.map(
      (a) => ({ ...contracts.registry, functionName: "isInGoodStanding", args: [a.address] }) as ReadCall,
    ),
  )) as boolean[];
  const good = live.filter((_, i) => standing[i]);
  const m = market.market;

  // 1. Form the pools (once): governance, then the provider creates the pool and offers its shares.
  if (!state.formed) {
    state.formed = true;
    const providers = good.filter((a) => market.summary.providers.includes(a.name));
    const epoch = market.genesis + (current + 1n) * market.duration - now > 600n ? current : current + 1n;
    for (const provider of providers) {
      const { shareResourceId, pool } = await governPool(run, epoch, policy);
      const line: PoolLine = {
        pool,
        creator: provider.name,
        shareResourceId,
        shareEpoch: epoch,
        shareBids: 0,
        sharesSold: 0n,
        sharePrice: 0n,
        shareProceeds: 0n,
        revenue: 0n,
        distributed: 0n,
        dividendsPaid: 0n,
        claims: 0,
        paidHolders: 0,
      };
      const entry = {
        line,
        provider,
        unclaimedBids: new Map<bigint, Agent>(),
        holders: new Map<bigint, Agent>(),
        offerId: null as bigint | null,
        cleared: false,
        paidTo: new Set<Address>(),
      };
      const intents: Intent[] = [
        {
          label: "pool.create",
          gas: "estimate",
          call: { ...factory, functionName: "createPool", args: [shareResourceId, epoch] },
          onMined: () => {
            state.pools.set(provider.address, entry);
            market.payees.set(provider.address, pool);
            market.summary.pools.push(line);
          },
        },
        {
          label: "pool.offerShares",
          call: {
            ...m,
            functionName: "offer",
            args: [shareResourceId, epoch, policy.shares, provider.address],
          },
          onMined: (receipt) => {
            for (const log of marketEvents(receipt))
              if (log.eventName === "Offered") entry.offerId = log.args.offerId;
          },
        },
      ];
      await executeIntents(run, day, "pool.create", [{ agent: provider, intents }], now);
      if (!state.pools.has(provider.address)) continue;
      const buyers = good.filter(
        (a) =>
          a !== provider &&
          market.approved.has(a.address) &&
          a.rng.fork(`pool-bid-${shareResourceId}`).chance(policy.bidChance),
      );
      await executeIntents(
        run,
        day,
        "pool.bidShares",
        buyers.map((agent) => {
          const rng = agent.rng.fork(`pool-shares-${shareResourceId}`);
          const ticks = BigInt(rng.int(policy.valuationTicks[0], policy.valuationTicks[1]));
          const quantity = BigInt(rng.int(policy.quantity[0], policy.quantity[1]));
          return {
            agent,
            intents: [
              {
                label: "pool.bidShares",
                call: { ...m, functionName: "bid", args: [shareResourceId, epoch, ticks, quantity] },
                onMined: (receipt: TransactionReceipt) => {
                  for (const log of marketEvents(receipt))
                    if (log.eventName === "BidPlaced") entry.unclaimedBids.set(log.args.bidId, agent);
                  line.shareBids++;
                },
              } satisfies Intent,
            ],
          };
        }),
        now,
      );
    }
    return;
  }

  for (const entry of state.pools.values()) {
    const { line, provider } = entry;
    const pool = { address: line.pool, abi: abis.computePoolAbi };
    // 2. The share sale: cleared by the provider once its epoch ended, then every bid and the offer claimed.
    if (!entry.cleared) {
      if (line.shareEpoch >= current) continue;
      const claims: { agent: Agent; intents: Intent[] }[] = [];
      claims.push({
        agent: provider,
        intents: [
          {
            label: "pool.clearShares",
            call: { ...m, functionName: "clear", args: [line.shareResourceId, line.shareEpoch] },
            onMined: (receipt) => {
              entry.cleared = true;
              for (const log of marketEvents(receipt))
                if (log.eventName === "EpochCleared") {
                  line.sharesSold = log.args.sold;
                  line.sharePrice = log.args.price;
                }
            },
          },
          ...(entry.offerId === null
            ? []
            : [
                {
                  label: "pool.claimShareSale",
                  call: { ...m, functionName: "claimOffer", args: [entry.offerId] },
                  onMined: (receipt: TransactionReceipt) => {
                    for (const log of marketEvents(receipt))
                      if (log.eventName === "OfferClaimed") line.shareProceeds += log.args.gross;
                  },
                } satisfies Intent,
              ]),
        ],
      });
      for (const [bidId, agent] of entry.unclaimedBids)
        claims.push({
          agent,
          intents: [
            {
              label: "pool.claimShares",
              call: { ...m, functionName: "claimBid", args: [bidId] },
              onMined: (receipt) => {
                entry.unclaimedBids.delete(bidId);
                for (const log of marketEvents(receipt))
                  if (log.eventName === "BidClaimed" && log.args.filled > 0n) entry.holders.set(bidId, agent);
              },
            },
          ],
        });
      // The clearing first (a claim would clear it too, but the provider is the one who does).
      await executeIntents(run, day, "pool.clearShares", claims.slice(0, 1), now);
      await executeIntents(run, day, "pool.claimShares", claims.slice(1), now);
      if (!entry.cleared) continue;
    }

    // 3. Distribute what arrived, then every holder with dividends claims them.
    await executeIntents(
      run,
      day,
      "pool.distribute",
      [
        {
          agent: provider,
          intents: [
            {
              label: "pool.distribute",
              call: { ...pool, functionName: "distribute", args: [] },
              onMined: (receipt) => {
                for (const log of poolEvents(receipt))
                  if (log.eventName === "DividendsDistributed") line.distributed += log.args.amount;
              },
            },
          ],
        },
      ],
      now,
    );
    const holders = [...entry.holders];
    const owed = (await readMany(
      client,
      holders.map(([bidId]) => ({ ...pool, functionName: "claimable", args: [bidId] }) as ReadCall),
    )) as bigint[];
    await executeIntents(
      run,
      day,
      "pool.claimDividends",
      holders
        .filter((_, i) => owed[i]! > 0n)
        .map(([bidId, agent]) => ({
          agent,
          intents: [
            {
              label: "pool.claimDividends",
              call: { ...pool, functionName: "claimDividends", args: [bidId] },
              onMined: (receipt: TransactionReceipt) => {
                for (const log of poolEvents(receipt))
                  if (log.eventName === "DividendsClaimed") {
                    line.dividendsPaid += log.args.amount;
                    line.claims++;
                    entry.paidTo.add(log.args.holder);
                    line.paidHolders = entry.paidTo.size;
                  }
              },
            } satisfies Intent,
          ],
        })),
      now,
    );
  }
}

/** The market's offers paid to a pool: adds the net revenue to the pool's line (called by the market). */
export function recordPoolRevenue(state: PoolsState | undefined, payee: Address, net: bigint): void {
  for (const entry of state?.pools.values() ?? []) if (entry.line.pool === payee) entry.line.revenue += net;
}

/** The report's lines about compute pools (nothing when none was formed). */
export function renderPools(pools: readonly PoolLine[] | undefined): string[] {
  return (pools ?? []).map(
    (p) =>
      `  Compute pool ${p.pool} (${p.creator}, share resource ${p.shareResourceId}): ${p.sharesSold} shares sold ` +
      `at ${formatCiv(p.sharePrice)} to ${p.shareBids} bids (proceeds ${formatCiv(p.shareProceeds, 2)}); revenue ` +
      `${formatCiv(p.revenue, 2)}, dividends distributed ${formatCiv(p.distributed, 2)}, paid ` +
      `${formatCiv(p.dividendsPaid, 2)} in ${p.claims} claims to ${p.paidHolders} shareholders.`,
  );
}
