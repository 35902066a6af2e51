/**
 * Reads the economy's summary from the indexer's GraphQL API (tables `account`, `tokenState`,
 * `economyDay`, `agent`, `proposal`), in the same shape as {@link readChainSummary}, so `npm start`
 * reports what the indexer holds, never the driver's memory. Sections the indexer does not serve (yet)
 * are taken from `chain` and listed in `fromChain`.
 */
import type { Address } from "viem";
import { fetchAll, queryGraphql } from "../lib/graphql.ts";
import type { SimulationResult } from "./engine.ts";
import type { EconomySummary } from "./summary.ts";

interface AccountRow {
  address: Address;
  balance: string;
}

/** Registry status names as the indexer writes them, to the chain's enum names. */
const STATUS: Record<string, string> = {
  active: "Active",
  starved: "Starved",
  suspended: "Suspended",
  suspended_starved: "SuspendedAndStarved",
};

/** Runs `read`; `undefined` when the indexer's schema has no such table or field. */
async function optional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (/Cannot query field|Unknown (type|argument)/i.test(String((error as Error).message)))
      return undefined;
    throw error;
  }
}

/**
 * The summary from GraphQL.
 * @param graphqlUrl The indexer's GraphQL endpoint.
 * @param sim The run (for the agents' names and archetypes: the chain knows only addresses).
 * @param chain The chain's summary, for sections the indexer does not serve.
 * @returns The summary, and the names of the sections read from the chain.
 */
export async function readIndexerSummary(
  graphqlUrl: string,
  sim: SimulationResult,
  chain: EconomySummary,
): Promise<EconomySummary & { fromChain: string[] }> {
  const fromChain: string[] = [];
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
  const agentRows = await optional(() =>
    fetchAll<{ id: string; reputation: string; status: string; starved: boolean }>(
      graphqlUrl,
      "agents",
      "id reputation status starved",
    ),
  );
  const byId = new Map((agentRows ?? []).map((row) => [BigInt(row.id), row]));
  if (agentRows === undefined) fromChain.push("reputation", "status");
  const proposalRows = await optional(() =>
    fetchAll<{
      id: string;
      description: string;
      status: string;
      forVotes: string;
      againstVotes: string;
      abstainVotes: string;
    }>(graphqlUrl, "proposals", "id description status forVotes againstVotes abstainVotes"),
  );
  if (proposalRows === undefined) fromChain.push("proposals");
  // Escrows and stakes: not indexed yet (the indexer's escrow and staking tables are still to come).
  fromChain.push("escrows", "staking");

  const statuses = Object.values(data._meta?.status ?? {});
  const block = BigInt(statuses[0]?.block?.number ?? 0);
  const totalSupply = BigInt(state.totalSupply);
  const treasuryBalance = byAddress.get(state.treasury.toLowerCase()) ?? 0n;
  const firstDay = days.length ? Number(days[0]!.day) : 0;
  const chainAgents = new Map(chain.agents.map((a) => [a.address, a]));
  return {
    source: "indexer",
    fromChain,
    block,
    totalSupply,
    treasuryBalance,
    circulating: totalSupply - treasuryBalance,
    wealthCap: (totalSupply * BigInt(state.capBps)) / 10_000n,
    taxBps: BigInt(state.taxBps),
    taxCollected: BigInt(state.totalTax),
    capExcess: BigInt(state.totalCapExcess),
    burned: BigInt(state.totalBurned),
    totalBonded: chain.totalBonded,
    agents: sim.agents.map((agent) => {
      const row = byId.get(agent.agentId);
      const onChain = chainAgents.get(agent.address);
      return {
        ...agent,
        balance: byAddress.get(agent.address.toLowerCase()) ?? 0n,
        reputation: row ? BigInt(row.reputation) : (onChain?.reputation ?? 0n),
        status: row ? (STATUS[row.status] ?? row.status) : (onChain?.status ?? "None"),
        starved: row ? row.starved : (onChain?.starved ?? false),
        staked: onChain?.staked ?? 0n,
      };
    }),
    escrows: chain.escrows,
    proposals: proposalRows
      ? proposalRows.map((p) => ({
          id: BigInt(p.id),
          description: p.description,
          state: p.status.charAt(0).toUpperCase() + p.status.slice(1),
          forVotes: BigInt(p.forVotes),
          againstVotes: BigInt(p.againstVotes),
          abstainVotes: BigInt(p.abstainVotes),
        }))
      : chain.proposals,
    giniByDay: days.map((d) => ({ day: Number(d.day) - firstDay, gini: d.gini })),
  };
}
