/**
 * The economy's health after a run (issue 18, docs/economy.md): survival by archetype, the Treasury's
 * inflows and outflows by kind, its outflow against the contract's own limit, and the months of runway
 * left at the rate of the run's days. Read from the chain's events (the devnet is still up whatever the
 * summary's source), printed after the summary and written into the JSON report.
 */
import type { Address } from "viem";
import Table from "cli-table3";
import type { CivitasPublicClient } from "../lib/clients.ts";
import type { CivitasContracts } from "../lib/contracts.ts";
import { readInPages } from "../lib/events.ts";
import { formatCiv } from "../lib/format.ts";

/** Archetypes whose survival the economy is judged by (issue 18): the ones that do the work. */
export const PRODUCTIVE_ARCHETYPES: readonly string[] = ["worker", "arbitrator", "validator", "provider"];

/** The share of productive agents that must be alive at the end of a run for the economy to live (issue 18). */
export const PRODUCTIVE_SURVIVAL_TARGET = 0.8;

/** The months the Treasury must last at a run's net outflow (issue 18: "does not run out of money for a year"). */
export const RUNWAY_TARGET_MONTHS = 12;

/** Survival of one archetype at the end of a run. */
export interface SurvivalLine {
  archetype: string;
  alive: number;
  total: number;
}

/** The Treasury's flows by kind over a run, in wei, and what they leave. */
export interface TreasuryFlows {
  /** Inflows by kind: `tax`, `cap excess`, `fees and returns` (escrow fees, slashes, returned rewards), `minted`. */
  inflows: Record<string, bigint>;
  /** Outflows by kind: `birth grants`, `staking rewards`, `attestation rewards`, `city tasks`, `governance`. */
  outflows: Record<string, bigint>;
  /** The Treasury's balance at the end, wei. */
  balance: bigint;
  /** Net outflow (outflows minus inflows) per 30 days over the run's days (setup excluded), wei. */
  netOutflowPerMonth: bigint;
  /** Months the balance lasts at that rate (`Infinity` when the Treasury grows). */
  runwayMonths: number;
  /** What left in the last 30 days, and the contract's limit for it (10% of the balance), wei. */
  outflowInWindow: bigint;
  outflowLimit: bigint;
}

/** The health section of a run's report. */
export interface EconomyHealth {
  survival: SurvivalLine[];
  /** Share of productive agents alive at the end (1 when there are none). */
  productiveAlive: number;
  flows: TreasuryFlows;
}

/** Counts agents alive (not starved) by archetype, in first-seen order. */
export function survivalByArchetype(
  agents: readonly { archetype: string; starved: boolean }[],
): SurvivalLine[] {
  const lines = new Map<string, SurvivalLine>();
  for (const a of agents) {
    const line = lines.get(a.archetype) ?? { archetype: a.archetype, alive: 0, total: 0 };
    line.total++;
    if (!a.starved) line.alive++;
    lines.set(a.archetype, line);
  }
  return [...lines.values()];
}

/** Share of productive agents ({@link PRODUCTIVE_ARCHETYPES}) alive; 1 when there are none. */
export function productiveShare(survival: readonly SurvivalLine[]): number {
  const productive = survival.filter((s) => PRODUCTIVE_ARCHETYPES.includes(s.archetype));
  const total = productive.reduce((n, s) => n + s.total, 0);
  return total === 0 ? 1 : productive.reduce((n, s) => n + s.alive, 0) / total;
}

/** Months a balance lasts at a net outflow per month (`Infinity` when nothing net leaves). */
export function runwayMonths(balance: bigint, netPerMonth: bigint): number {
  if (netPerMonth <= 0n) return Number.POSITIVE_INFINITY;
  return Number((balance * 1000n) / netPerMonth) / 1000;
}

/** Names the outflow of a budget spender. */
const SPENDER_KINDS: Partial<Record<string, string>> = {
  registry: "birth grants",
  staking: "staking rewards",
  validationRegistry: "attestation rewards",
  taskBoard: "city tasks",
};

/**
 * Reads the Treasury's flows from the token's and the Treasury's events.
 * @param fromBlock The deployment's start block (totals count from here).
 * @param daysFromBlock The first block of the run's days (the rate counts from here: setup's birth grants
 * and the genesis staking epoch are one-off).
 * @param days The number of simulated days after `daysFromBlock`.
 */
export async function readTreasuryFlows(
  client: CivitasPublicClient,
  contracts: CivitasContracts,
  fromBlock: bigint,
  daysFromBlock: bigint,
  days: number,
): Promise<TreasuryFlows> {
  const { token, treasury } = contracts;
  const toBlock = await client.getBlockNumber({ cacheTime: 0 });
  const names = new Map<string, string>(
    Object.entries(contracts)
      .filter(([, c]) => c !== undefined)
      .map(([name, c]) => [(c as { address: Address }).address.toLowerCase(), name]),
  );
  // In block pages: a long run's answers are over viem's response size limit (scripts/lib/events.ts).
  const paged = <T>(read: (range: { fromBlock: bigint; toBlock: bigint }) => Promise<readonly T[]>) =>
    readInPages(fromBlock, toBlock, read);
  const [incoming, outgoing, earnings, taxes, capped, draws, balance, inWindow] = await Promise.all([
    paged((r) =>
      client.getContractEvents({ ...token, eventName: "Transfer", args: { to: treasury.address }, ...r }),
    ),
    paged((r) =>
      client.getContractEvents({ ...token, eventName: "Transfer", args: { from: treasury.address }, ...r }),
    ),
    paged((r) => client.getContractEvents({ ...token, eventName: "EarningsPaid", ...r })),
    paged((r) => client.getContractEvents({ ...token, eventName: "TaxCharged", ...r })),
    paged((r) => client.getContractEvents({ ...token, eventName: "CapExcessRedirected", ...r })),
    paged((r) => client.getContractEvents({ ...treasury, eventName: "BudgetDrawn", ...r })),
    client.readContract({ ...token, functionName: "balanceOf", args: [treasury.address] }),
    client.readContract({ ...treasury, functionName: "outflowInWindow", args: [token.address] }),
  ]);
  const inflows: Record<string, bigint> = {};
  const outflows: Record<string, bigint> = {};
  const add = (into: Record<string, bigint>, kind: string, amount: bigint) => {
    if (amount !== 0n) into[kind] = (into[kind] ?? 0n) + amount;
  };
  let outDays = 0n;
  // Tax and cap excess by their own events; the rest of what came in (escrow fees, slashes, unspent task
  // rewards returned) as `fees and returns`; mints (the genesis supply) apart.
  let taxAndCap = 0n;
  for (const log of [...earnings, ...taxes, ...capped]) {
    const a = log.args as { tax?: bigint; capExcess?: bigint; excess?: bigint };
    add(inflows, "tax", a.tax ?? 0n);
    add(inflows, "cap excess", (a.capExcess ?? 0n) + (a.excess ?? 0n));
    const amount = (a.tax ?? 0n) + (a.capExcess ?? 0n) + (a.excess ?? 0n);
    taxAndCap += amount;
  }
  let received = 0n;
  let receivedInDays = 0n;
  for (const log of incoming) {
    const value = log.args.value ?? 0n;
    if (BigInt(log.args.from ?? "0x0") === 0n) {
      add(inflows, "minted", value);
      continue;
    }
    received += value;
    if (log.blockNumber > daysFromBlock) receivedInDays += value;
  }
  add(inflows, "fees and returns", received - taxAndCap);
  const inDays = receivedInDays;
  const drawn = new Set(draws.map((d) => `${d.transactionHash}:${(d.args.to ?? "").toLowerCase()}`));
  const spenderOf = new Map(draws.map((d) => [d.transactionHash, (d.args.spender ?? "").toLowerCase()]));
  for (const log of outgoing) {
    const key = `${log.transactionHash}:${(log.args.to ?? "").toLowerCase()}`;
    const spender = drawn.has(key) ? names.get(spenderOf.get(log.transactionHash)!) : undefined;
    add(
      outflows,
      spender === undefined ? "governance" : (SPENDER_KINDS[spender] ?? spender),
      log.args.value ?? 0n,
    );
    if (log.blockNumber > daysFromBlock) outDays += log.args.value ?? 0n;
  }
  const net = outDays - inDays;
  const netOutflowPerMonth = days > 0 ? (net * 30n) / BigInt(days) : 0n;
  return {
    inflows,
    outflows,
    balance,
    netOutflowPerMonth,
    runwayMonths: runwayMonths(balance, netOutflowPerMonth),
    outflowInWindow: inWindow,
    outflowLimit: ((balance + inWindow) * 1_000n) / 10_000n,
  };
}

/** Reads the health section: survival from the summary's agents, flows from the chain. */
export async function readEconomyHealth(
  client: CivitasPublicClient,
  contracts: CivitasContracts,
  agents: readonly { archetype: string; starved: boolean }[],
  fromBlock: bigint,
  daysFromBlock: bigint,
  days: number,
): Promise<EconomyHealth> {
  const survival = survivalByArchetype(agents);
  const flows = await readTreasuryFlows(client, contracts, fromBlock, daysFromBlock, days);
  return { survival, productiveAlive: productiveShare(survival), flows };
}

/** Renders the health section as tables. */
export function renderHealth(health: EconomyHealth): string {
  const out: string[] = [];
  const survival = new Table({ head: ["Survival", ...health.survival.map((s) => s.archetype)] });
  survival.push(["alive / total", ...health.survival.map((s) => `${s.alive} / ${s.total}`)]);
  out.push(survival.toString());
  out.push(
    `Productive agents alive: ${(health.productiveAlive * 100).toFixed(0)}% ` +
      `(target ${PRODUCTIVE_SURVIVAL_TARGET * 100}%).`,
  );
  const f = health.flows;
  const flows = new Table({ head: ["Treasury flow", "Kind", "CIV"] });
  for (const [kind, amount] of Object.entries(f.inflows)) flows.push(["in", kind, formatCiv(amount, 0)]);
  for (const [kind, amount] of Object.entries(f.outflows)) flows.push(["out", kind, formatCiv(amount, 0)]);
  out.push(flows.toString());
  const runway = Number.isFinite(f.runwayMonths)
    ? `${f.runwayMonths.toFixed(1)} months`
    : "unlimited (it grows)";
  out.push(
    `Treasury: ${formatCiv(f.balance, 0)}; net outflow ${formatCiv(f.netOutflowPerMonth, 0)} per 30 days; ` +
      `runway ${runway}; last 30 days' outflow ${formatCiv(f.outflowInWindow, 0)} of the ` +
      `${formatCiv(f.outflowLimit, 0)} limit.`,
  );
  return out.join("\n");
}
