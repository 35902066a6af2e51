/**
 * The economy's summary after a run, in one shape whether read from the chain or from the indexer's
 * GraphQL API, so the two can be compared (the end-to-end test does) and printed the same way.
 */
import type { Address } from "viem";
import type { CivitasPublicClient } from "../lib/clients.ts";
import type { CivitasContracts } from "../lib/contracts.ts";

/** One agent's line in the summary. */
export interface AgentLine {
  address: Address;
  name: string;
  archetype: string;
  /** Liquid CIV, wei. */
  balance: bigint;
  /** Reputation score (0 until the registry exists). */
  reputation: bigint;
  starved: boolean;
}

/** The economy at the end of a run. Amounts in wei. */
export interface EconomySummary {
  /** Where it was read: `indexer` (GraphQL) or `chain` (RPC). */
  source: "indexer" | "chain";
  block: bigint;
  totalSupply: bigint;
  treasuryBalance: bigint;
  /** Total supply minus the Treasury's balance. */
  circulating: bigint;
  wealthCap: bigint;
  taxBps: bigint;
  /** Cumulative tax paid to the Treasury. */
  taxCollected: bigint;
  /** Cumulative cap excess redirected to the Treasury. */
  capExcess: bigint;
  /** Cumulative burned (upkeep and burns). */
  burned: bigint;
  agents: AgentLine[];
  /** Gini coefficient of agents' balances at each day's end (index = day). */
  giniByDay: { day: number; gini: number }[];
}

/**
 * Gini coefficient of a set of non-negative amounts: 0 = all equal, 1 = one holds everything.
 * @param values Amounts (wei).
 * @returns A number in [0, 1]; 0 for an empty or all-zero set.
 */
export function gini(values: readonly bigint[]): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let total = 0n;
  let weighted = 0n;
  sorted.forEach((v, i) => {
    total += v;
    weighted += BigInt(i + 1) * v;
  });
  if (total === 0n) return 0;
  // G = (2 * Σ i·x_i) / (n * Σ x_i) - (n + 1) / n, with i from 1 over ascending x.
  const scale = 1_000_000n;
  const ratio = Number((2n * weighted * scale) / (BigInt(n) * total)) / Number(scale);
  return Math.max(0, ratio - (n + 1) / n);
}

/**
 * Reads the summary from the chain (RPC), at `block`.
 * @param agents The population (name, archetype, address).
 * @param dayEndBlocks The last block of each day, for the Gini series.
 * @param fromBlock First block to scan for tax events (the deployment's start block).
 */
export async function readChainSummary(
  client: CivitasPublicClient,
  contracts: CivitasContracts,
  agents: readonly { name: string; archetype: string; address: Address }[],
  dayEndBlocks: readonly { day: number; block: bigint }[],
  fromBlock: bigint,
  starved: ReadonlySet<Address>,
): Promise<EconomySummary> {
  const block = await client.getBlockNumber({ cacheTime: 0 });
  const read = <T>(functionName: string, args: readonly unknown[] = [], blockNumber = block) =>
    client.readContract({ ...contracts.token, functionName, args, blockNumber } as never) as Promise<T>;
  const [totalSupply, treasuryBalance, wealthCap, taxBps, taxLogs, earningsLogs, capLogs, burnLogs] =
    await Promise.all([
      read<bigint>("totalSupply"),
      read<bigint>("balanceOf", [contracts.treasury.address]),
      read<bigint>("wealthCap"),
      read<bigint>("taxBps"),
      client.getContractEvents({ ...contracts.token, eventName: "TaxCharged", fromBlock, toBlock: block }),
      client.getContractEvents({ ...contracts.token, eventName: "EarningsPaid", fromBlock, toBlock: block }),
      client.getContractEvents({
        ...contracts.token,
        eventName: "CapExcessRedirected",
        fromBlock,
        toBlock: block,
      }),
      client.getContractEvents({
        ...contracts.token,
        eventName: "Transfer",
        args: { to: "0x0000000000000000000000000000000000000000" },
        fromBlock,
        toBlock: block,
      }),
    ]);
  const balances = await Promise.all(agents.map((a) => read<bigint>("balanceOf", [a.address])));
  const giniByDay = await Promise.all(
    dayEndBlocks.map(async ({ day, block: at }) => ({
      day,
      gini: gini(await Promise.all(agents.map((a) => read<bigint>("balanceOf", [a.address], at)))),
    })),
  );
  const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
  return {
    source: "chain",
    block,
    totalSupply,
    treasuryBalance,
    circulating: totalSupply - treasuryBalance,
    wealthCap,
    taxBps,
    taxCollected:
      sum(taxLogs.map((log) => (log.args as { tax: bigint }).tax)) +
      sum(earningsLogs.map((log) => (log.args as { tax: bigint }).tax)),
    capExcess:
      sum(capLogs.map((log) => (log.args as { excess: bigint }).excess)) +
      sum(earningsLogs.map((log) => (log.args as { capExcess: bigint }).capExcess)),
    burned: sum(burnLogs.map((log) => (log.args as { value: bigint }).value)),
    agents: agents.map((a, i) => ({
      ...a,
      balance: balances[i]!,
      reputation: 0n,
      starved: starved.has(a.address),
    })),
    giniByDay,
  };
}
