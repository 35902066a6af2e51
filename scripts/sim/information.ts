/**
 * Information trading in the simulation (sim-economy's `sell_information`, over x402): a few agents serve a
 * daily market report over HTTP that answers 402 until paid in CIV (x402's `exact` scheme on EIP-3009,
 * scripts/lib/x402.ts); once a day, after the phases, rule-based agents that can afford it buy one now and
 * then, each purchase with a payment id so that a retry never pays twice. LLM agents see the offers in
 * their state and buy with the `information_buy` tool. The payments are ordinary taxed CIV transfers; the
 * indexer tags them (`payment_authorization`). Importing this module has no side effects.
 */
import { formatEther } from "viem";
import { describeError } from "../lib/errors.ts";
import { buyWithX402, startX402Seller, type X402Seller } from "../lib/x402.ts";
import type { SimulationRun } from "./engine.ts";
import type { SimulationHook } from "./hooks.ts";
import type { Agent, WorldView } from "./model.ts";
import { Rng } from "./prng.ts";

const CIV = 10n ** 18n;

/** Defaults of {@link InformationOptions}. */
export const INFORMATION_DEFAULTS = { sellers: 2, priceWei: CIV / 2n, buyChance: 0.25 } as const;

/** Options of {@link createInformationMarket}. */
export interface InformationOptions {
  /** How many agents sell (default 2). */
  sellers?: number;
  /** Price of a report, gross wei (default 0.5 CIV). */
  priceWei?: bigint;
  /** Chance a rule-based agent buys a report on a given day (default 0.25). */
  buyChance?: number;
  /** Seed of the choice of sellers and buyers (default "civitas"). */
  seed?: string;
  /** Agents left alone (e.g. LLM-driven ones, which buy through their tool). */
  skip?: (agent: Agent) => boolean;
}

/** An offer as buyers (and LLM agents' prompts) see it. */
export interface InformationOffer {
  seller: string;
  sellerAddress: string;
  url: string;
  priceCiv: string;
  description: string;
}

/** What the information market did. */
export interface InformationSummary {
  sellers: string[];
  /** Purchases by rule-based agents attempted and paid. */
  attempts: number;
  /** Sales settled on chain, by seller name (rule-based and LLM buyers). */
  salesBySeller: Record<string, number>;
  sales: number;
  /** CIV paid for information, gross wei. */
  volumeWei: bigint;
  /** Failed purchases, by reason. */
  failures: Record<string, number>;
}

/** The information market: a {@link SimulationHook}, its offers, and `close()` for its HTTP servers. */
export interface InformationMarket extends SimulationHook {
  offers(): InformationOffer[];
  summary(): InformationSummary & Record<string, unknown>;
  /** Stops the sellers' HTTP servers. */
  close(): Promise<void>;
}

/** The report a seller serves: the market as it stood at the last day's end (JSON). */
function marketReport(world: WorldView | undefined): string {
  if (world === undefined) return JSON.stringify({ note: "no day has passed yet" });
  const amounts = world.escrows.map((e) => e.amount);
  const total = amounts.reduce((a, b) => a + b, 0n);
  const richest = [...world.balances.entries()].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0))[0];
  return JSON.stringify({
    day: world.day,
    openJobs: world.escrows.length,
    averageJobCiv: amounts.length ? formatEther(total / BigInt(amounts.length)) : "0",
    jobsByState: world.escrows.reduce<Record<string, number>>((acc, e) => {
      acc[e.state] = (acc[e.state] ?? 0) + 1;
      return acc;
    }, {}),
    taxBps: world.taxBps.toString(),
    starving: world.starved.size,
    richest: richest ? { address: richest[0], balanceCiv: formatEther(richest[1]) } : null,
    proposals: world.proposals.map((p) => ({ id: p.id.toString(), state: p.state })),
  });
}

/**
 * Creates the information market.
 * @param options Sellers, price, buying habits.
 */
export function createInformationMarket(options: InformationOptions = {}): InformationMarket {
  const priceWei = options.priceWei ?? INFORMATION_DEFAULTS.priceWei;
  const buyChance = options.buyChance ?? INFORMATION_DEFAULTS.buyChance;
  const rng = new Rng(`${options.seed ?? "civitas"}:information`);
  const sellers: { agent: Agent; server: X402Seller }[] = [];
  let latest: WorldView | undefined;
  const summary: InformationSummary = {
    sellers: [],
    attempts: 0,
    salesBySeller: {},
    sales: 0,
    volumeWei: 0n,
    failures: {},
  };
  const offers = (): InformationOffer[] =>
    sellers.map(({ agent, server }) => ({
      seller: agent.name,
      sellerAddress: agent.address,
      url: `${server.url}/report`,
      priceCiv: formatEther(priceWei),
      description: "today's market report: open jobs by state, average job amount, tax, richest agent",
    }));
  const fail = (reason: string) => (summary.failures[reason] = (summary.failures[reason] ?? 0) + 1);

  return {
    name: "information",
    offers,
    async start(run: SimulationRun) {
      const candidates = run.agents.filter((a) => run.agentIds.has(a.address));
      const chosen = rng
        .fork("sellers")
        .shuffle(candidates)
        .slice(0, options.sellers ?? INFORMATION_DEFAULTS.sellers);
      for (const agent of chosen) {
        const server = await startX402Seller({
          client: run.client,
          wallet: agent.wallet,
          token: run.contracts.token.address,
          resources: [
            {
              path: "/report",
              priceWei,
              description: `${agent.name}'s market report`,
              mimeType: "application/json",
              content: () => marketReport(latest),
            },
          ],
        });
        server.server.unref();
        sellers.push({ agent, server });
      }
      summary.sellers = sellers.map((s) => s.agent.name);
    },
    async day(run, world) {
      latest = world;
      const buyers = run.agents.filter(
        (a) =>
          run.agentIds.has(a.address) &&
          !world.starved.has(a.address) &&
          !(options.skip?.(a) ?? false) &&
          (world.balances.get(a.address) ?? 0n) > 10n * priceWei,
      );
      const daily = rng.fork(`day-${world.day}`);
      for (const buyer of buyers) {
        if (!daily.chance(buyChance)) continue;
        const from = sellers.filter((s) => s.agent !== buyer);
        if (from.length === 0) continue;
        const seller = from[daily.int(0, from.length - 1)]!;
        summary.attempts++;
        try {
          const purchase = await buyWithX402(`${seller.server.url}/report`, {
            client: run.client,
            account: buyer.wallet.account,
            token: run.contracts.token.address,
            maxPriceWei: priceWei,
            paymentId: `information:${world.day}:${buyer.address}`,
          });
          if (purchase.status !== 200) fail(`http ${purchase.status}`);
        } catch (error) {
          fail(describeError(error).slice(0, 80));
        }
      }
      // Every settled sale, whoever bought (rule-based agents here, LLM agents through their tool).
      summary.sales = 0;
      summary.volumeWei = 0n;
      for (const { agent, server } of sellers) {
        summary.salesBySeller[agent.name] = server.sales.length;
        summary.sales += server.sales.length;
        summary.volumeWei += server.sales.reduce((sum, s) => sum + s.amount, 0n);
      }
      run.stats.actions["information.sale"] = summary.sales;
    },
    summary: () => ({ ...summary }),
    close: async () => {
      await Promise.all(sellers.map((s) => s.server.close()));
    },
  };
}

/** The `worldExtras` of the LLM policy: the information for sale. */
export const informationForSale = (market: InformationMarket) => (): Record<string, unknown> => ({
  informationForSale: market.offers(),
});
