/**
 * Reads the economy's summary from the indexer's GraphQL API (the tables `account`, `tokenState`,
 * `economyDay`), in the same shape as {@link readChainSummary}, so `npm start` reports what the indexer
 * holds, never the driver's memory.
 */
import type { Address } from "viem";
import { fetchAll, queryGraphql } from "../lib/graphql.ts";
import type { SimulationResult } from "./engine.ts";
import type { EconomySummary } from "./summary.ts";

interface AccountRow {
  address: Address;
  balance: string;
}

/**
 * The summary from GraphQL.
 * @param graphqlUrl The indexer's GraphQL endpoint.
 * @param sim The run (for the agents' names and archetypes: the chain knows only addresses).
 */
export async function readIndexerSummary(graphqlUrl: string, sim: SimulationResult): Promise<EconomySummary> {
  const data = await queryGraphql<{
    tokenState: {
      totalSupply: string;
      totalTax: string;
      totalCapExcess: string;
      totalBurned: string;
      taxBps: string;
      capBps: string;
      treasury: Address;
    } | null;
    _meta: { status: Record<string, { block: { number: number } | null }> } | null;
  }>(
    graphqlUrl,
    `{ tokenState(id: "civ") { totalSupply totalTax totalCapExcess totalBurned taxBps capBps treasury }
       _meta { status } }`,
  );
  const state = data.tokenState;
  if (state === null) throw new Error("the indexer has no token state yet");
  const accounts = await fetchAll<AccountRow>(graphqlUrl, "accounts", "address balance");
  const byAddress = new Map(accounts.map((row) => [row.address.toLowerCase(), BigInt(row.balance)]));
  const days = await fetchAll<{ day: string; gini: number }>(
    graphqlUrl,
    "economyDays",
    "day gini",
    'orderBy: "day"',
  );
  const statuses = Object.values(data._meta?.status ?? {});
  const block = BigInt(statuses[0]?.block?.number ?? 0);
  const totalSupply = BigInt(state.totalSupply);
  const treasuryBalance = byAddress.get(state.treasury.toLowerCase()) ?? 0n;
  const firstDay = days.length ? Number(days[0]!.day) : 0;
  return {
    source: "indexer",
    block,
    totalSupply,
    treasuryBalance,
    circulating: totalSupply - treasuryBalance,
    wealthCap: (totalSupply * BigInt(state.capBps)) / 10_000n,
    taxBps: BigInt(state.taxBps),
    taxCollected: BigInt(state.totalTax),
    capExcess: BigInt(state.totalCapExcess),
    burned: BigInt(state.totalBurned),
    agents: sim.agents.map((agent) => ({
      ...agent,
      balance: byAddress.get(agent.address.toLowerCase()) ?? 0n,
      reputation: 0n,
      starved: sim.starved.includes(agent.address),
    })),
    giniByDay: days.map((d) => ({ day: Number(d.day) - firstDay, gini: d.gini })),
  };
}
