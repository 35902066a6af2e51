/**
 * Reads the economy's summary from the indexer, in the same shape as {@link readChainSummary}, so
 * `npm start` reports what the indexer holds, never the driver's memory nor the chain:
 *
 * | Section                                 | Indexer source                                           |
 * | --------------------------------------- | -------------------------------------------------------- |
 * | supply, tax, cap excess, burned, rates  | `tokenState`                                             |
 * | Treasury and agents' balances, stakes   | `accounts` (`balance`, `staked`)                          |
 * | agents, reputation, status, starvation  | `agents`                                                 |
 * | total bonded stake                      | `stakingState`                                           |
 * | escrows (state, amount, parties)        | `escrows`                                                |
 * | proposals and tallies                   | `proposals`; their state from `/proposals/state`         |
 * | Gini over time                          | `economyDays` (Gini of agents' holdings at each day)     |
 * | block                                   | `_meta.status` (the latest indexed block)                |
 *
 * The population (names and archetypes) only labels the indexer's agents: the chain knows addresses.
 */
import { type Address, getAddress } from "viem";
import { fetchAll, queryGraphql } from "../lib/graphql.ts";
import { AgentStatus, EscrowState, ProposalState, wealthCapOf } from "../lib/vocabulary.ts";
import { type AgentLine, type EconomySummary, tallyRewards } from "./summary.ts";

/** How the population labels agents: name and archetype by wallet. */
export interface AgentLabel {
  address: Address;
  name: string;
  archetype: string;
}

/** The indexer's base URL (`/proposals/state`, `/economy`) from its GraphQL endpoint. */
function baseUrlOf(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/(graphql)?\/?$/, "");
}

/** Fetches JSON from the indexer's HTTP API. */
async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/**
 * The summary from the indexer.
 * @param graphqlUrl The indexer's GraphQL endpoint (`<url>/graphql`).
 * @param population Names and archetypes of the agents, by wallet (labels only; agents absent from it are
 *   listed as `agent-<id>`).
 * @returns The summary, every figure as the indexer holds it.
 */
export async function readIndexerSummary(
  graphqlUrl: string,
  population: readonly AgentLabel[] = [],
): Promise<EconomySummary> {
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
    stakingState: { totalBonded: string } | null;
    _meta: { status: Record<string, { block: { number: number } | null }> } | null;
  }>(
    graphqlUrl,
    `{ tokenState(id: "civ") { totalSupply totalTax totalCapExcess totalBurned taxBps capBps treasury }
       stakingState(id: "staking") { totalBonded }
       _meta { status } }`,
  );
  const state = data.tokenState;
  if (state === null) throw new Error("the indexer has no token state yet");
  const [accounts, agentRows, escrowRows, proposalRows, days, proposalStates, rewardRows] = await Promise.all(
    [
      fetchAll<{ address: Address; balance: string; staked: string }>(
        graphqlUrl,
        "accounts",
        "address balance staked",
      ),
      fetchAll<{
        id: string;
        wallet: Address | null;
        owner: Address;
        reputation: string;
        status: string;
        starved: boolean;
      }>(graphqlUrl, "agents", "id wallet owner reputation status starved", 'orderBy: "id"'),
      fetchAll<{ id: string; state: string; amount: string; client: Address; provider: Address }>(
        graphqlUrl,
        "escrows",
        "id state amount client provider",
        'orderBy: "id"',
      ),
      fetchAll<{
        id: string;
        description: string;
        forVotes: string;
        againstVotes: string;
        abstainVotes: string;
        createdAt: string;
      }>(
        graphqlUrl,
        "proposals",
        "id description forVotes againstVotes abstainVotes createdAt",
        'orderBy: "createdAt"',
      ),
      fetchAll<{ day: string; gini: number }>(graphqlUrl, "economyDays", "day gini", 'orderBy: "day"'),
      getJson<{ id: string; state: string }[]>(`${baseUrlOf(graphqlUrl)}/proposals/state`).catch(
        (error: unknown) => {
          // 503: nothing indexed yet, hence no proposal either.
          if (/ 503:/.test(String((error as Error).message))) return [];
          throw error;
        },
      ),
      fetchAll<{ id: string; amount: string; outcome: string }>(
        graphqlUrl,
        "attestationRewards",
        "id amount outcome",
      ),
    ],
  );
  const byAddress = new Map(accounts.map((row) => [row.address.toLowerCase(), row]));
  const labels = new Map(population.map((label) => [label.address.toLowerCase(), label]));
  const stateById = new Map(proposalStates.map((p) => [p.id, p.state]));

  const statuses = Object.values(data._meta?.status ?? {});
  const block = BigInt(statuses[0]?.block?.number ?? 0);
  const totalSupply = BigInt(state.totalSupply);
  const treasuryBalance = BigInt(byAddress.get(state.treasury.toLowerCase())?.balance ?? 0);
  const firstDay = days.length ? Number(days[0]!.day) : 0;
  const agents: AgentLine[] = agentRows.map((row) => {
    const address = getAddress(row.wallet ?? row.owner);
    const account = byAddress.get(address.toLowerCase());
    const label = labels.get(address.toLowerCase());
    return {
      address,
      name: label?.name ?? `agent-${row.id}`,
      archetype: label?.archetype ?? "unknown",
      agentId: BigInt(row.id),
      balance: BigInt(account?.balance ?? 0),
      reputation: BigInt(row.reputation),
      status: AgentStatus.nameOfKey(row.status),
      starved: row.starved,
      staked: BigInt(account?.staked ?? 0),
    };
  });
  return {
    source: "indexer",
    block,
    totalSupply,
    treasuryBalance,
    circulating: totalSupply - treasuryBalance,
    wealthCap: wealthCapOf(totalSupply, BigInt(state.capBps)),
    taxBps: BigInt(state.taxBps),
    taxCollected: BigInt(state.totalTax),
    capExcess: BigInt(state.totalCapExcess),
    burned: BigInt(state.totalBurned),
    totalBonded: BigInt(data.stakingState?.totalBonded ?? 0),
    agents,
    escrows: escrowRows.map((e) => ({
      id: BigInt(e.id),
      state: EscrowState.nameOfKey(e.state),
      amount: BigInt(e.amount),
      client: getAddress(e.client),
      provider: getAddress(e.provider),
    })),
    proposals: proposalRows.map((p) => ({
      id: BigInt(p.id),
      description: p.description,
      state: stateById.has(p.id) ? ProposalState.nameOfKey(stateById.get(p.id)!) : "Unknown",
      forVotes: BigInt(p.forVotes),
      againstVotes: BigInt(p.againstVotes),
      abstainVotes: BigInt(p.abstainVotes),
    })),
    giniByDay: days.map((d) => ({ day: Number(d.day) - firstDay, gini: d.gini })),
    attestationRewards: tallyRewards(
      rewardRows.map((r) => ({ amount: BigInt(r.amount), paid: r.outcome === "paid" })),
    ),
  };
}
