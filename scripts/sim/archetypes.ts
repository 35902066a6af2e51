/**
 * The one table of the simulation's archetypes: each entry is an archetype's share of the population, the
 * roles it plays (what other agents look for when they hire, pick an arbitrator or a validator), its habits
 * (see {@link Traits}) and its policy (what it does in each phase of a day, built from the behaviours of
 * model.ts). A new archetype is one new entry here; nothing else lists archetypes.
 */
import {
  acceptJobs,
  agreeJobs,
  deliver,
  fundJobs,
  type Policies,
  type Policy,
  postJob,
  review,
  rule,
  social,
  timeouts,
  type Traits,
  validate,
} from "./model.ts";

const CIV = 10n ** 18n;

/** A worker's day: take jobs and deliver (a few misses), stake and vote (the compute archetype's too). */
function provider(): Policy {
  return {
    keep: timeouts,
    agree: agreeJobs,
    deliver: (a, w) => deliver(a, w, 0.03, 0.5),
    social: social(0.5, 0.3),
  };
}

/** One archetype: its share of the population, its roles and habits, and its policy. */
export interface ArchetypeSpec extends Traits {
  /** Share of the population, rounded per archetype in table order; `"rest"`: whoever is left. */
  readonly share: number | "rest";
  /** What it does in each phase (civic duties are added by the engine). */
  readonly policy: Policy;
}

/**
 * The default population, in order of assignment (see {@link assignArchetypes}):
 * - clients post jobs, fund them (half of them with permits), approve good work and sometimes dispute;
 * - validators run a validator, take jobs and deliver, pass good work and fail poor work, and draw the
 *   agent's attestation reward for a pass;
 * - arbitrators accept jobs with a bond and rule disputes (now and then they do not show up), and abstain;
 * - slackers take jobs and often miss deadlines (poor work);
 * - trolls post jobs, dispute unfairly (even late) and stay silent, never settle timeouts, vote against;
 * - compute providers work as workers do and sell compute capacity on the resource market each epoch
 *   (scripts/sim/market.ts; everyone else buys the compute it needs there);
 * - lenders lend to agents short of working capital against collateral (scripts/sim/agreements.ts);
 * - insurers sell clients cover against a job ending in dispute, an arbitrator attesting the claim;
 * - informants (information sellers) commit a hash, are paid, reveal, and now and then reveal the wrong data;
 * - players play the block lottery (mine, stake, burn, commit and reveal) and pool stakes
 *   (scripts/sim/lottery.ts); these four also work as workers do;
 * - workers, the rest, take jobs and deliver, and sometimes ask a validator to check the deliverable.
 * Everyone rates after settlement, stakes spare CIV, votes, buys small services and settles the timeouts
 * it is party to.
 */
export const ARCHETYPES = {
  client: {
    share: 0.25,
    roles: ["client"],
    permitChance: 0.5,
    policy: {
      keep: timeouts,
      market: (agent, world) => postJob(agent, world, 250n * CIV, 2),
      fund: fundJobs,
      review: (agent, world) => review(agent, world, 0.08, 0.05),
      social: social(0.3, 0.2),
    },
  },
  validator: {
    share: 0.1,
    roles: ["provider", "validator"],
    policy: {
      keep: timeouts,
      agree: agreeJobs,
      deliver: (a, w) => [...validate(a, w), ...deliver(a, w, 0.05, 0.5)],
      social: social(0, 0.2),
    },
  },
  arbitrator: {
    share: 0.1,
    roles: ["arbitrator"],
    vote: "abstain",
    policy: {
      keep: timeouts,
      accept: acceptJobs,
      deliver: (a, w) => rule(a, w, 0.15),
      social: social(0.4, 0.1),
    },
  },
  slacker: {
    share: 0.1,
    roles: ["provider"],
    poorWork: true,
    policy: {
      keep: timeouts,
      agree: agreeJobs,
      deliver: (a, w) => deliver(a, w, 0.6, 0.3),
      social: social(0.1, 0.5),
    },
  },
  troll: {
    share: 0.05,
    roles: ["client"],
    permitChance: 0.5,
    badFaith: true,
    vote: "against",
    policy: {
      keep: () => [],
      market: (agent, world) => postJob(agent, world, 100n * CIV, 1),
      fund: fundJobs,
      review: (agent, world) => review(agent, world, 0.8, 0.3, true),
      social: social(0, 0.6, true),
    },
  },
  // Resource markets (issue 14): behaviour in scripts/sim/market.ts, keyed by this archetype's name.
  compute: {
    share: 0.05,
    roles: ["provider"],
    policy: {
      keep: timeouts,
      agree: agreeJobs,
      deliver: (a, w) => deliver(a, w, 0.03, 0.5),
      social: social(0.5, 0.3),
    },
  },
  // Agreements and the block lottery (issue 17): behaviour in scripts/sim/agreements.ts and scripts/sim/lottery.ts,
  // keyed by these archetypes' names; they also work as workers do, so that their trades are paid from earnings.
  lender: { share: 0.04, roles: ["provider"], policy: provider() },
  insurer: { share: 0.04, roles: ["provider"], policy: provider() },
  informant: { share: 0.04, roles: ["provider"], policy: provider() },
  player: { share: 0.04, roles: ["provider"], policy: provider() },
  worker: {
    share: "rest",
    roles: ["provider"],
    policy: {
      keep: timeouts,
      agree: agreeJobs,
      deliver: (a, w) => deliver(a, w, 0.03, 0.5),
      social: social(0.5, 0.3),
    },
  },
} as const satisfies Record<string, ArchetypeSpec>;

/** The kinds of agents: the keys of {@link ARCHETYPES}. */
export type Archetype = keyof typeof ARCHETYPES;

/** Every archetype's spec, typed as the interface (the table's literal types are narrower). */
const SPECS: Readonly<Record<Archetype, ArchetypeSpec>> = ARCHETYPES;

/** Default population shares, in order of assignment (from {@link ARCHETYPES}). */
export const DEFAULT_MIX: ReadonlyArray<readonly [Archetype, number | "rest"]> = Object.entries(SPECS).map(
  ([archetype, spec]) => [archetype as Archetype, spec.share] as const,
);

/** The default policies by archetype (from {@link ARCHETYPES}). */
export const DEFAULT_POLICIES: Policies = Object.fromEntries(
  Object.entries(SPECS).map(([archetype, spec]) => [archetype, spec.policy]),
) as Policies;

/** An archetype's roles and habits. */
export function traitsOf(archetype: Archetype): Traits {
  const { share: _share, policy: _policy, ...traits } = SPECS[archetype];
  return traits;
}

/**
 * Assigns archetypes to `count` agents from a mix (deterministic: by share, in order; the `"rest"`
 * archetype, or the last one, takes whoever is left).
 */
export function assignArchetypes(count: number, mix = DEFAULT_MIX): Archetype[] {
  const result: Archetype[] = [];
  for (const [archetype, share] of mix) {
    const n = share === "rest" ? count - result.length : Math.round(count * share);
    for (let i = 0; i < n && result.length < count; i++) result.push(archetype);
  }
  const rest = (mix.find(([, share]) => share === "rest") ?? mix.at(-1))?.[0];
  while (rest !== undefined && result.length < count) result.push(rest);
  return result;
}

/** A bad-actor archetype: the wallets one person runs for an attack, and the auditor rule that should catch it. */
export interface BadActorSpec {
  /** The wallets of one actor, by role (their order is their creation order). */
  readonly wallets: readonly string[];
  /** The auditor rule (indexer/audit/config.ts) expected to flag the attack. */
  readonly flaggedBy: string;
  /** What the actor does, within the chain's rules. */
  readonly attack: string;
}

/**
 * Bad actors (issue 15): not part of the honest population ({@link ARCHETYPES}, {@link DEFAULT_MIX}); they
 * run only with `--bad-actors`, on wallets of their own, and their behaviour lives in scripts/sim/bad-actors.ts.
 * Every wallet an actor names takes the birth grant; none is hired by honest agents.
 */
export const BAD_ACTORS = {
  "reputation-ring": {
    wallets: ["a", "b", "c"],
    flaggedBy: "reputation-ring",
    attack:
      "three wallets hire each other (every ordered pair, the third arbitrating) for tiny jobs and rate +1",
  },
  "cycle-ring": {
    wallets: ["a", "b", "c"],
    flaggedBy: "reputation-ring",
    attack: "evasion: three wallets hire each other in one direction only (a→b→c→a), so no pair reciprocates",
  },
  "one-sided-owner": {
    wallets: ["owner", "provider", "arbitrator"],
    flaggedBy: "one-sided-job",
    attack: "funds two fresh wallets, which register, then hires one with the other as arbitrator",
  },
  "proposal-spammer": {
    wallets: ["proposer", "client", "arbitrator"],
    flaggedBy: "proposal-spam",
    attack:
      "earns the proposal threshold from a clone's job, then proposes and cancels, three times in a day",
  },
  "starvation-cloner": {
    wallets: ["sink", "clone-1", "clone-2", "clone-3", "clone-4"],
    flaggedBy: "starvation-wave",
    attack: "clones register, send their whole birth grant to the sink, and starve at their first upkeep",
  },
  "risky-validator": {
    wallets: ["validator"],
    flaggedBy: "validator-risk",
    attack: "registers a validator at 500 bps commission, then schedules the maximum commission",
  },
} as const satisfies Record<string, BadActorSpec>;

/** The kinds of bad actors: the keys of {@link BAD_ACTORS}. */
export type BadActorKind = keyof typeof BAD_ACTORS;
