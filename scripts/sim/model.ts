/**
 * The agent model: archetypes, what an agent knows of the world, and policies that turn that knowledge
 * into intended actions (contract calls). Policies are plain objects, one function per phase of a day;
 * swap any of them to change how a population behaves. Everything random goes through the agent's own
 * seeded stream, so a run is reproducible from its seed.
 */
import type { Abi, Address, TransactionReceipt } from "viem";
import type { AgentWallet } from "../lib/clients.ts";
import type { CivitasContracts } from "../lib/contracts.ts";
import type { Rng } from "./prng.ts";

/** The kinds of agents in the default population. */
export type Archetype = "worker" | "client" | "validator" | "arbitrator" | "slacker" | "troll";

/** Default population shares, in order of assignment (the remainder goes to workers). */
export const DEFAULT_MIX: ReadonlyArray<readonly [Archetype, number]> = [
  ["client", 0.25],
  ["validator", 0.1],
  ["arbitrator", 0.1],
  ["slacker", 0.1],
  ["troll", 0.05],
  ["worker", 0.4],
];

/** One simulated agent. */
export interface Agent {
  /** Index in the population, from 0. */
  readonly index: number;
  /** Display name, e.g. `worker-07`. */
  readonly name: string;
  readonly archetype: Archetype;
  readonly wallet: AgentWallet;
  readonly address: Address;
  /** The agent's own random stream. */
  readonly rng: Rng;
  /** Policy-private memory (open jobs, stakes, ...). */
  readonly memory: Record<string, unknown>;
}

/** What every agent can see at the start of a phase: read from the chain, never from other agents. */
export interface WorldView {
  /** Simulated day, from 1. */
  readonly day: number;
  /** Total days of the run. */
  readonly days: number;
  /** Block timestamp at the start of the phase, seconds. */
  readonly now: bigint;
  readonly contracts: CivitasContracts;
  readonly agents: readonly Agent[];
  /** Liquid CIV balance of every agent, wei. */
  readonly balances: ReadonlyMap<Address, bigint>;
  /** Token tax rate, bps. */
  readonly taxBps: bigint;
  /** Wealth cap, wei. */
  readonly wealthCap: bigint;
  /** Agents that can no longer act (starved). */
  readonly starved: ReadonlySet<Address>;
}

/** An action an agent wants to take: one contract call. */
export interface Intent {
  /** Short name for reports, e.g. `pay`, `job.create`. */
  readonly label: string;
  readonly call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] };
  /** Called with the receipt once mined successfully. */
  readonly onMined?: (receipt: TransactionReceipt) => void;
}

/** The phases of a simulated day, in order. Each phase's transactions are mined before the next starts. */
export const PHASES = ["market", "spend"] as const;
export type Phase = (typeof PHASES)[number];

/** What an agent of one archetype does in each phase. Missing phases do nothing. */
export type Policy = { readonly [P in Phase]?: (agent: Agent, world: WorldView) => Intent[] };

/** Policies by archetype. */
export type Policies = Readonly<Record<Archetype, Policy>>;

/** Assigns archetypes to `count` agents from a mix (deterministic: by share, in order). */
export function assignArchetypes(count: number, mix = DEFAULT_MIX): Archetype[] {
  const result: Archetype[] = [];
  for (const [archetype, share] of mix) {
    const n = archetype === "worker" ? count - result.length : Math.round(count * share);
    for (let i = 0; i < n && result.length < count; i++) result.push(archetype);
  }
  while (result.length < count) result.push("worker");
  return result;
}

const CIV = 10n ** 18n;

/** Others that can still act. */
function livingOthers(agent: Agent, world: WorldView, archetypes?: readonly Archetype[]): Agent[] {
  return world.agents.filter(
    (other) =>
      other !== agent &&
      !world.starved.has(other.address) &&
      (archetypes === undefined || archetypes.includes(other.archetype)),
  );
}

/** A taxed payment from the agent to `to` (an ordinary transfer). */
export function payIntent(world: WorldView, to: Agent, amount: bigint, label = "pay"): Intent {
  return { label, call: { ...world.contracts.token, functionName: "transfer", args: [to.address, amount] } };
}

/** Pays a random worker-type agent for a gig, keeping a reserve. */
function hireForGig(agent: Agent, world: WorldView, reserve: bigint, maxGig: bigint): Intent[] {
  const balance = world.balances.get(agent.address) ?? 0n;
  const providers = livingOthers(agent, world, ["worker", "slacker", "validator"]);
  if (providers.length === 0 || balance <= reserve) return [];
  const budget = balance - reserve < maxGig ? balance - reserve : maxGig;
  if (budget < CIV) return [];
  const provider = agent.rng.pick(providers);
  // Slackers get paid less often (they miss deadlines; clients learn).
  if (provider.archetype === "slacker" && agent.rng.chance(0.5)) return [];
  return [payIntent(world, provider, agent.rng.amount(CIV, budget), "gig.pay")];
}

/** Day-to-day purchases from other agents (food for thought, compute, data): small taxed payments. */
function consume(agent: Agent, world: WorldView, p: number, max: bigint): Intent[] {
  const balance = world.balances.get(agent.address) ?? 0n;
  if (!agent.rng.chance(p) || balance < 2n * CIV) return [];
  const sellers = livingOthers(agent, world);
  if (sellers.length === 0) return [];
  const cap = balance / 4n < max ? balance / 4n : max;
  return [
    payIntent(
      world,
      agent.rng.pick(sellers),
      agent.rng.amount(CIV / 10n, cap < CIV / 10n ? CIV / 10n : cap),
      "buy",
    ),
  ];
}

/**
 * The default rule-based policies.
 * - clients post work and pay for it; workers and validators earn and spend a little;
 * - slackers are paid less often; trolls overspend (and are the first to starve);
 * - arbitrators mostly hold.
 */
export const DEFAULT_POLICIES: Policies = {
  client: {
    market: (agent, world) => hireForGig(agent, world, 20n * CIV, 150n * CIV),
    spend: (agent, world) => consume(agent, world, 0.3, 5n * CIV),
  },
  worker: { spend: (agent, world) => consume(agent, world, 0.5, 10n * CIV) },
  validator: { spend: (agent, world) => consume(agent, world, 0.3, 5n * CIV) },
  arbitrator: { spend: (agent, world) => consume(agent, world, 0.2, 5n * CIV) },
  slacker: { spend: (agent, world) => consume(agent, world, 0.7, 20n * CIV) },
  troll: {
    market: (agent, world) => hireForGig(agent, world, 0n, 60n * CIV),
    spend: (agent, world) => consume(agent, world, 0.9, 40n * CIV),
  },
};
