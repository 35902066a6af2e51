/**
 * The economy's summary after a run, in one shape whether read from the chain or from the indexer's
 * GraphQL API, so the two can be compared (the end-to-end test does) and printed the same way.
 */
import type { Address } from "viem";
import type { CivitasPublicClient } from "../lib/clients.ts";
import type { CivitasContracts } from "../lib/contracts.ts";
import { readInPages } from "../lib/events.ts";
import { findProposal } from "../lib/governance.ts";
import { AgentStatus, EscrowState, ProposalState, RewardOutcome } from "../lib/vocabulary.ts";
import { gini } from "../../indexer/lib/gini.ts";

/** One agent's line in the summary. */
export interface AgentLine {
  address: Address;
  name: string;
  archetype: string;
  /** Liquid CIV, wei. */
  balance: bigint;
  /** Agent id in the registry (0 when not registered). */
  agentId: bigint;
  /** Reputation score, from the registry. */
  reputation: bigint;
  /** Registry status: `Active`, `Starved`, `Suspended`, ... */
  status: string;
  starved: boolean;
  /** Bonded stake, wei. */
  staked: bigint;
}

/** One escrow's outcome. */
export interface EscrowLine {
  id: bigint;
  state: string;
  amount: bigint;
  client: Address;
  provider: Address;
}

/** One governance proposal. */
export interface ProposalLine {
  id: bigint;
  description: string;
  state: string;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
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
  /** Total bonded stake, wei. */
  totalBonded: bigint;
  agents: AgentLine[];
  /** Every escrow, by id. */
  escrows: EscrowLine[];
  /** Every proposal made. */
  proposals: ProposalLine[];
  /** Gini coefficient of agents' balances at each day's end (index = day). */
  giniByDay: { day: number; gini: number }[];
  /** Attestation rewards of the validation registry: claims paid, their total (wei), claims unpaid. */
  attestationRewards: { paid: number; amount: bigint; unpaid: number };
}

/** Tallies attestation reward claims (`AttestationRewardDrawn`): paid ones and their sum, unpaid ones. */
export function tallyRewards(
  claims: readonly { amount: bigint; paid: boolean }[],
): EconomySummary["attestationRewards"] {
  const paid = claims.filter((c) => c.paid);
  return {
    paid: paid.length,
    amount: paid.reduce((sum, c) => sum + c.amount, 0n),
    unpaid: claims.length - paid.length,
  };
}

/** Whether a registry status means the agent is starved (`Starved` or `SuspendedAndStarved`). */
function isStarved(status: number): boolean {
  const name = AgentStatus.nameOf(status);
  return name === "Starved" || name === "SuspendedAndStarved";
}

export { gini };

/** Counts escrows by state name. */
export function escrowOutcomes(escrows: readonly EscrowLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of escrows) counts[e.state] = (counts[e.state] ?? 0) + 1;
  return counts;
}

/**
 * Reads the summary from the chain (RPC), at its latest block.
 * @param agents The population (name, archetype, address, agent id).
 * @param dayEndBlocks The last block of each day, for the Gini series.
 * @param fromBlock First block to scan for tax events (the deployment's start block).
 * @param proposalIds The proposals made (their ids).
 */
export async function readChainSummary(
  client: CivitasPublicClient,
  contracts: CivitasContracts,
  agents: readonly { name: string; archetype: string; address: Address; agentId: bigint }[],
  dayEndBlocks: readonly { day: number; block: bigint }[],
  fromBlock: bigint,
  proposalIds: readonly bigint[] = [],
): Promise<EconomySummary> {
  const block = await client.getBlockNumber({ cacheTime: 0 });
  const read = <T>(functionName: string, args: readonly unknown[] = [], blockNumber = block) =>
    client.readContract({ ...contracts.token, functionName, args, blockNumber } as never) as Promise<T>;
  const at = { blockNumber: block } as const;
  const [totalSupply, treasuryBalance, wealthCap, taxBps, taxLogs, earningsLogs, capLogs, burnLogs] =
    await Promise.all([
      read<bigint>("totalSupply"),
      read<bigint>("balanceOf", [contracts.treasury.address]),
      read<bigint>("wealthCap"),
      read<bigint>("taxBps"),
      // In block pages: a long run's answers are over viem's response size limit (scripts/lib/events.ts).
      readInPages(fromBlock, block, (r) =>
        client.getContractEvents({ ...contracts.token, eventName: "TaxCharged", ...r }),
      ),
      readInPages(fromBlock, block, (r) =>
        client.getContractEvents({ ...contracts.token, eventName: "EarningsPaid", ...r }),
      ),
      readInPages(fromBlock, block, (r) =>
        client.getContractEvents({ ...contracts.token, eventName: "CapExcessRedirected", ...r }),
      ),
      readInPages(fromBlock, block, (r) =>
        client.getContractEvents({
          ...contracts.token,
          eventName: "Transfer",
          args: { to: "0x0000000000000000000000000000000000000000" },
          ...r,
        }),
      ),
    ]);
  const [balances, scores, statuses, staked, totalBonded, escrowCount] = await Promise.all([
    Promise.all(agents.map((a) => read<bigint>("balanceOf", [a.address]))),
    Promise.all(
      agents.map((a) =>
        client.readContract({ ...contracts.registry, functionName: "scoreOf", args: [a.agentId], ...at }),
      ),
    ),
    Promise.all(
      agents.map((a) =>
        client.readContract({ ...contracts.registry, functionName: "statusOf", args: [a.agentId], ...at }),
      ),
    ),
    Promise.all(
      agents.map((a) =>
        client.readContract({
          ...contracts.staking,
          functionName: "bondedBalanceOf",
          args: [a.address],
          ...at,
        }),
      ),
    ),
    client.readContract({ ...contracts.staking, functionName: "totalBonded", ...at }),
    client.readContract({ ...contracts.escrow, functionName: "escrowCount", ...at }),
  ]);
  const escrowRows = await Promise.all(
    Array.from({ length: Number(escrowCount) }, (_, i) =>
      client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [BigInt(i + 1)], ...at }),
    ),
  );
  const proposals = await Promise.all(
    proposalIds.map(async (id) => {
      const [state, [againstVotes, forVotes, abstainVotes], spec] = await Promise.all([
        client.readContract({ ...contracts.governor, functionName: "state", args: [id], ...at }),
        client.readContract({ ...contracts.governor, functionName: "proposalVotes", args: [id], ...at }),
        findProposal(client, contracts.governor, id, fromBlock),
      ]);
      return {
        id,
        description: spec?.description ?? "",
        state: ProposalState.nameOf(state),
        forVotes,
        againstVotes,
        abstainVotes,
      };
    }),
  );
  const giniByDay = await Promise.all(
    dayEndBlocks.map(async ({ day, block: at }) => ({
      day,
      gini: gini(await Promise.all(agents.map((a) => read<bigint>("balanceOf", [a.address], at)))),
    })),
  );
  const rewardLogs = contracts.validationRegistry
    ? await client.getContractEvents({
        ...contracts.validationRegistry,
        eventName: "AttestationRewardDrawn",
        fromBlock,
        toBlock: block,
      })
    : [];
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
    totalBonded,
    agents: agents.map((a, i) => ({
      ...a,
      balance: balances[i]!,
      reputation: scores[i]!,
      status: AgentStatus.nameOf(statuses[i]!),
      starved: isStarved(statuses[i]!),
      staked: staked[i]!,
    })),
    escrows: escrowRows.map((e, i) => ({
      id: BigInt(i + 1),
      state: EscrowState.nameOf(e.state),
      amount: e.amount,
      client: e.client,
      provider: e.provider,
    })),
    proposals,
    giniByDay,
    attestationRewards: tallyRewards(
      rewardLogs.map((log) => ({
        amount: log.args.amount ?? 0n,
        paid: RewardOutcome.nameOf(log.args.outcome ?? 0) === "Paid",
      })),
    ),
  };
}
