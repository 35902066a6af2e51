/**
 * The agent model: what an agent knows of the world, and the behaviours that turn that knowledge into
 * intended actions (contract calls). Policies are plain objects, one function per phase of a day, built
 * from these behaviours by the archetype table (archetypes.ts); swap any of them to change how a
 * population behaves. Everything random goes through the agent's own seeded stream, so a run is
 * reproducible from its seed.
 */
import { type Abi, type Address, type Hex, parseEventLogs, type TransactionReceipt } from "viem";
import type { AgentWallet } from "../lib/clients.ts";
import type { CivitasContracts } from "../lib/contracts.ts";
import { descriptionHash, type ProposalSpec, taxProposal } from "../lib/governance.ts";
import {
  BPS,
  CONSTANTS,
  type EscrowStateName,
  type FeeStatus as FeeStatusEnum,
  SETTLED_ESCROW_STATES,
  SUPPORT,
} from "../lib/vocabulary.ts";
import type { Archetype } from "./archetypes.ts";
import type { Rng } from "./prng.ts";

/** A stake-secured validation fee's state (IValidationRegistry.FeeStatus). */
export type FeeStatus = (typeof FeeStatusEnum.names)[number];

/** The response tag validators use for job deliverables: the genesis reward policy's tag (Ignition). */
export const VALIDATION_TAG = "civitas.deliverable";

/**
 * A part an agent plays that others look for: clients post jobs, providers are hired for them, validators
 * run a validator and check deliverables, arbitrators accept jobs with a bond and rule disputes.
 */
export type Role = "client" | "provider" | "validator" | "arbitrator";

/**
 * What an archetype is, as others see it and as it habitually acts, apart from its policy (see
 * `ARCHETYPES` in archetypes.ts, the one table of archetypes).
 */
export interface Traits {
  /** The parts it plays. */
  readonly roles: readonly Role[];
  /** Chance it funds its escrows with an ERC-2612 permit instead of an allowance (default 0). */
  readonly permitChance?: number;
  /**
   * Its work is poor: clients hire it half as often and dispute it 20 points more often, validators fail
   * its deliverables (40), arbitrators give it 0–40% of a disputed amount (others 40–100%).
   */
  readonly poorWork?: boolean;
  /** It disputes in bad faith: arbitrators rule wholly for the provider. */
  readonly badFaith?: boolean;
  /** Its fixed vote on proposals (default: for 70%, against 15%, abstain 15%, drawn per proposal). */
  readonly vote?: keyof typeof SUPPORT;
}

/** Whether an agent plays a role. */
export const hasRole = (agent: Agent, role: Role): boolean => agent.traits.roles.includes(role);

/** One simulated agent. */
export interface Agent {
  /** Index in the population, from 0. */
  readonly index: number;
  /** Display name, e.g. `worker-07`. */
  readonly name: string;
  readonly archetype: Archetype;
  /** Its archetype's roles and habits. */
  readonly traits: Traits;
  readonly wallet: AgentWallet;
  readonly address: Address;
  /** The agent's own random stream. */
  readonly rng: Rng;
  /** Policy-private memory (evidence given, votes cast, unbonding requests, ...). */
  readonly memory: AgentMemory;
}

/** What an agent remembers between phases (its own actions; the world is re-read from the chain). */
export interface AgentMemory {
  /** Escrows it added evidence to. */
  evidenced: Set<bigint>;
  /** Escrows it rated. */
  rated: Set<bigint>;
  /** Proposals it voted on. */
  voted: Set<bigint>;
  /** Its unbonding requests not yet withdrawn: id and release time (seconds). */
  unbondings: { id: bigint; releaseTime: bigint }[];
  /** Whether it funds escrows with an ERC-2612 permit instead of an allowance. */
  usesPermit: boolean;
  [key: string]: unknown;
}

/** An escrow as agents see it (IEscrow.Escrow, with its id and state name). */
export interface EscrowView {
  id: bigint;
  client: Address;
  provider: Address;
  arbitrator: Address;
  state: EscrowStateName;
  amount: bigint;
  arbitratorFee: bigint;
  /** The arbitrator's bond (the escrow's `arbitratorBondBps` of the amount, set at creation), wei. */
  bond: bigint;
  deliveryDeadline: bigint;
  reviewDeadline: bigint;
  rulingDeadline: bigint;
  clientRating: number;
  providerRating: number;
}

/** An agent's staking position. */
export interface StakeView {
  /** The validator it is bound to (zero when none). */
  bound: Address;
  bondedShares: bigint;
  /** Bonded stake, wei. */
  bonded: bigint;
  /** Rewards claimable, wei. */
  pendingRewards: bigint;
  /** Whether it registered as a validator. */
  validator: boolean;
}

/** A governance proposal agents know of. */
export interface ProposalView {
  id: bigint;
  proposer: Address;
  spec: ProposalSpec;
  /** OpenZeppelin ProposalState name. */
  state: string;
  /** When it may be executed (0 until queued), seconds. */
  eta: bigint;
}

/** What every agent can see at the start of a phase: read from the chain, never from other agents. */
export interface WorldView {
  /** Simulated day, from 1 (0 during setup). */
  readonly day: number;
  /** Total days of the run. */
  readonly days: number;
  /** The day the governance proposal is made. */
  readonly governanceDay: number;
  /** Block timestamp at the start of the phase, seconds. */
  readonly now: bigint;
  readonly contracts: CivitasContracts;
  readonly agents: readonly Agent[];
  /** Liquid CIV balance of every agent, wei. */
  readonly balances: ReadonlyMap<Address, bigint>;
  /** Agent id of every registered agent. */
  readonly agentIds: ReadonlyMap<Address, bigint>;
  /** Token tax rate, bps. */
  readonly taxBps: bigint;
  /** Wealth cap, wei. */
  readonly wealthCap: bigint;
  /** Agents that can no longer act (not in good standing: starved or suspended). */
  readonly starved: ReadonlySet<Address>;
  /** Escrows that are open, or settled and not rated by both parties yet. */
  readonly escrows: readonly EscrowView[];
  /** Staking positions. */
  readonly stakes: ReadonlyMap<Address, StakeView>;
  /** Governor voting power of each agent at `now - 1`, wei. */
  readonly votes: ReadonlyMap<Address, bigint>;
  /** The governor's proposal threshold, wei. */
  readonly proposalThreshold: bigint;
  /** Proposals made during the run. */
  readonly proposals: readonly ProposalView[];
  /** The staking contract's minimum self-stake, wei. */
  readonly minSelfStake: bigint;
  /** Stake-secured validations of open escrows' deliverables, by escrow id (absent: none requested). */
  readonly validations: ReadonlyMap<bigint, ValidationView>;
  /** The attestation reward policy of {@link VALIDATION_TAG} (`minFee` 0: none, or no registry). */
  readonly validationPolicy: { minFee: bigint; passThreshold: number };
}

/** A stake-secured validation of an escrow's deliverable (see {@link validationHashOf}). */
export interface ValidationView {
  /** IValidationRegistry.FeeStatus name. */
  status: FeeStatus;
  /** Until when the validator should respond, seconds. */
  deadline: bigint;
  rewardClaimed: boolean;
}

/** An action an agent wants to take: one contract call. */
export interface Intent {
  /** Short name for reports, e.g. `pay`, `job.create`. */
  readonly label: string;
  readonly call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] };
  /** Produces an ERC-2612 permit signature for the call right before it is sent (see `job.fund`). */
  readonly permit?: { spender: Address; value: bigint };
  /** Called with the receipt once mined successfully. */
  readonly onMined?: (receipt: TransactionReceipt) => void;
  /**
   * Gas limit: omitted, the engine's fixed {@link ACTION_GAS_LIMIT} (no estimate before sending); `"estimate"`
   * for calls whose cost grows with their input (the upkeep batch, governance), estimated before sending.
   */
  readonly gas?: bigint | "estimate";
}

/**
 * Gas limit of an agent's ordinary action on the devnet, sent without an estimate: about twice the
 * costliest one measured (`undelegate`, 384,594 gas; `register` 263,085; `rule` 199,413). An action that
 * would revert is then mined and reverted (paying gas in devnet ETH, no CIV) and reported with its decoded
 * error, replayed on its block.
 */
export const ACTION_GAS_LIMIT = 800_000n;

/**
 * The phases of a simulated day, in order. Each phase's transactions are mined before the next starts.
 * - `keep`: upkeep batch, escrow timeouts (reclaim / claim / no-show / cancel), queue and execute proposals;
 * - `market`: clients post jobs (escrow `create`), the governance proposal;
 * - `agree`: providers consent to the jobs naming them (escrow `agree`);
 * - `accept`: arbitrators accept by posting their bond;
 * - `fund`: clients fund (allowance or permit);
 * - `deliver`: providers submit, arbitrators rule open disputes;
 * - `review`: clients approve or dispute with evidence;
 * - `social`: evidence, ratings, staking, votes, small purchases.
 */
export const PHASES = ["keep", "market", "agree", "accept", "fund", "deliver", "review", "social"] as const;
export type Phase = (typeof PHASES)[number];

/** What an agent of one archetype does in each phase. Missing phases do nothing. */
export type Policy = { readonly [P in Phase]?: (agent: Agent, world: WorldView) => Intent[] };

/** Policies by archetype. */
export type Policies = Readonly<Record<Archetype, Policy>>;

const CIV = 10n ** 18n;
const DAY = 86_400n;
const ZERO: Address = "0x0000000000000000000000000000000000000000";

/** Others in good standing (playing `role`, when given). */
export function livingOthers(agent: Agent, world: WorldView, role?: Role): Agent[] {
  return world.agents.filter(
    (other) =>
      other !== agent &&
      world.agentIds.has(other.address) &&
      !world.starved.has(other.address) &&
      (role === undefined || hasRole(other, role)),
  );
}

const balanceOf = (agent: Agent, world: WorldView) => world.balances.get(agent.address) ?? 0n;
const hashOf = (text: string): Hex =>
  `0x${Buffer.from(text.padEnd(32, "\0").slice(0, 32), "latin1").toString("hex")}` as Hex;

/** A taxed payment from the agent to `to` (an ordinary transfer). */
export function payIntent(world: WorldView, to: Agent, amount: bigint, label = "pay"): Intent {
  return { label, call: { ...world.contracts.token, functionName: "transfer", args: [to.address, amount] } };
}

/** An escrow call. */
function escrowCall(world: WorldView, label: string, functionName: string, args: readonly unknown[]): Intent {
  return { label, call: { ...world.contracts.escrow, functionName, args } };
}

/** The request hash of the validation of escrow `escrowId`'s deliverable. */
export const validationHashOf = (escrowId: bigint): Hex => hashOf(`validation:${escrowId}`);

/** The validator asked to check escrow `e`'s deliverable: a validator agent other than its provider, by id. */
function validatorFor(world: WorldView, e: EscrowView): Address | undefined {
  const candidates = world.agents
    .filter((a) => hasRole(a, "validator") && a.address !== e.provider && !world.starved.has(a.address))
    .map((a) => a.address)
    .sort();
  return candidates.length ? candidates[Number(e.id % BigInt(candidates.length))] : undefined;
}

/** A validation registry call. */
function validationCall(
  world: WorldView,
  label: string,
  functionName: string,
  args: readonly unknown[],
): Intent {
  return { label, call: { ...world.contracts.validationRegistry!, functionName, args } };
}

/**
 * A provider that just delivered asks, with probability `rate`, a staking validator to validate the
 * deliverable (a stake-secured request with the reward policy's minimum fee), keeping 300 CIV in reserve.
 */
function requestValidation(agent: Agent, world: WorldView, e: EscrowView, rate: number): Intent[] {
  const fee = world.validationPolicy.minFee;
  const validator = validatorFor(world, e);
  const agentId = world.agentIds.get(agent.address);
  if (fee === 0n || validator === undefined || agentId === undefined) return [];
  if (balanceOf(agent, world) < fee + 300n * CIV || !agent.rng.chance(rate)) return [];
  const vr = world.contracts.validationRegistry!;
  return [
    {
      label: "validation.approve",
      call: { ...world.contracts.token, functionName: "approve", args: [vr.address, fee] },
    },
    validationCall(world, "validation.request", "requestStakedValidation", [
      validator,
      agentId,
      `ipfs://civitas-sim/deliverable/${e.id}`,
      validationHashOf(e.id),
      fee,
      2n * DAY,
    ]),
  ];
}

/**
 * Validators answer the requests addressed to them: they pass a worker's deliverable (95) and fail a
 * slacker's (40), then draw the agent's attestation reward for a pass (paid to the agent).
 */
export function validate(agent: Agent, world: WorldView): Intent[] {
  const intents: Intent[] = [];
  for (const e of world.escrows) {
    if (world.validations.get(e.id)?.status !== "Escrowed" || validatorFor(world, e) !== agent.address)
      continue;
    const provider = world.agents.find((a) => a.address === e.provider);
    const response = provider?.traits.poorWork ? 40 : 95;
    const requestHash = validationHashOf(e.id);
    intents.push(
      validationCall(world, "validation.respond", "validationResponse", [
        requestHash,
        response,
        `ipfs://civitas-sim/validation/${e.id}`,
        hashOf(`validation-report:${e.id}`),
        VALIDATION_TAG,
      ]),
    );
    if (response >= world.validationPolicy.passThreshold)
      intents.push(validationCall(world, "validation.reward", "claimAttestationReward", [requestHash]));
  }
  return intents;
}

/** Posts a job: escrow `create` with a provider and an arbitrator, keeping a reserve for upkeep. */
export function postJob(agent: Agent, world: WorldView, reserve: bigint, maxJobs: number): Intent[] {
  const providers = livingOthers(agent, world, "provider");
  const arbitrators = livingOthers(agent, world, "arbitrator");
  const open = world.escrows.filter(
    (e) => e.client === agent.address && ["Created", "Agreed", "Accepted", "Funded"].includes(e.state),
  ).length;
  let budget = balanceOf(agent, world) - reserve;
  const intents: Intent[] = [];
  for (let i = open; i < maxJobs && providers.length && arbitrators.length; i++) {
    const provider = agent.rng.pick(providers);
    // Clients learn: poor workers are hired less often.
    if (provider.traits.poorWork && agent.rng.chance(0.5)) continue;
    const amount = agent.rng.amount(20n * CIV, 120n * CIV, CIV);
    const fee = amount / 20n;
    if (budget < amount + fee) break;
    budget -= amount + fee;
    const terms = `job:${agent.name}:${world.day}:${i}`;
    intents.push(
      escrowCall(world, "job.create", "create", [
        {
          kind: Number(CONSTANTS.Escrow.KIND_JOB),
          provider: provider.address,
          arbitrator: agent.rng.pick(arbitrators).address,
          amount,
          arbitratorFee: fee,
          deliveryDeadline: world.now + 3n * DAY,
          reviewWindow: Number(DAY),
          rulingWindow: Number(2n * DAY),
          termsHash: hashOf(terms),
          termsURI: `ipfs://civitas-sim/${terms}`,
        },
      ]),
    );
  }
  return intents;
}

/** Funds the agent's accepted escrows (with a permit, at most one per phase: one permit nonce). */
export function fundJobs(agent: Agent, world: WorldView): Intent[] {
  const accepted = world.escrows.filter((e) => e.client === agent.address && e.state === "Accepted");
  let budget = balanceOf(agent, world);
  const intents: Intent[] = [];
  for (const e of accepted) {
    const deposit = e.amount + e.arbitratorFee;
    if (budget < deposit) break;
    budget -= deposit;
    if (agent.memory.usesPermit) {
      intents.push({
        label: "job.fundWithPermit",
        call: { ...world.contracts.escrow, functionName: "fundWithPermit", args: [e.id] },
        permit: { spender: world.contracts.escrow.address, value: deposit },
      });
      break;
    }
    intents.push(escrowCall(world, "job.fund", "fund", [e.id]));
  }
  return intents;
}

/**
 * Providers deliver funded jobs; a slacker often misses the deadline. With probability `validationRate`
 * a provider also asks a validator to validate the deliverable (see {@link requestValidation}).
 */
export function deliver(agent: Agent, world: WorldView, missRate: number, validationRate = 0): Intent[] {
  return world.escrows
    .filter((e) => e.provider === agent.address && e.state === "Funded")
    .filter(() => !agent.rng.chance(missRate))
    .flatMap((e) => [
      escrowCall(world, "job.submit", "submit", [
        e.id,
        `ipfs://civitas-sim/deliverable/${e.id}`,
        hashOf(`deliverable:${e.id}`),
      ]),
      ...requestValidation(agent, world, e, validationRate),
    ]);
}

/**
 * Clients review submissions: approve, or dispute with evidence (`disputeRate`), or stay silent
 * (`silentRate`); with `disputesLate`, it disputes after the review window too (a bad actor).
 */
export function review(
  agent: Agent,
  world: WorldView,
  disputeRate: number,
  silentRate: number,
  disputesLate = false,
): Intent[] {
  const intents: Intent[] = [];
  for (const e of world.escrows.filter((x) => x.client === agent.address && x.state === "Submitted")) {
    // Too late: the provider will claim. A troll disputes anyway (and the escrow refuses it).
    if (e.reviewDeadline < world.now && !disputesLate) continue;
    const provider = world.agents.find((a) => a.address === e.provider);
    const rate = provider?.traits.poorWork ? disputeRate + 0.2 : disputeRate;
    if (agent.rng.chance(silentRate)) continue;
    if (agent.rng.chance(rate)) {
      agent.memory.evidenced.add(e.id);
      intents.push(
        escrowCall(world, "job.dispute", "dispute", [e.id, `ipfs://civitas-sim/evidence/${e.id}/client`]),
      );
    } else intents.push(escrowCall(world, "job.approve", "approve", [e.id]));
  }
  return intents;
}

/** Parties add evidence to open disputes, once each. */
function evidence(agent: Agent, world: WorldView): Intent[] {
  return world.escrows
    .filter(
      (e) =>
        e.state === "Disputed" &&
        (e.provider === agent.address || e.client === agent.address) &&
        !agent.memory.evidenced.has(e.id),
    )
    .map((e) => {
      agent.memory.evidenced.add(e.id);
      const side = e.provider === agent.address ? "provider" : "client";
      return escrowCall(world, "job.evidence", "submitEvidence", [
        e.id,
        `ipfs://civitas-sim/evidence/${e.id}/${side}`,
      ]);
    });
}

/** Arbitrators rule open disputes: bad-faith disputes are unfounded; otherwise the work is split. */
export function rule(agent: Agent, world: WorldView, noShowRate: number): Intent[] {
  return world.escrows
    .filter((e) => e.arbitrator === agent.address && e.state === "Disputed" && e.rulingDeadline >= world.now)
    .filter(() => !agent.rng.chance(noShowRate))
    .map((e) => {
      const client = world.agents.find((a) => a.address === e.client);
      const provider = world.agents.find((a) => a.address === e.provider);
      const bps = client?.traits.badFaith
        ? BPS
        : provider?.traits.poorWork
          ? BigInt(agent.rng.int(0, 4) * 1_000)
          : BigInt(agent.rng.int(4, 10) * 1_000);
      return escrowCall(world, "job.rule", "rule", [e.id, bps]);
    });
}

/** Rates the other party of each settled escrow once: +1 when it went well for the rater, -1 otherwise. */
function rate(agent: Agent, world: WorldView, grumpy: boolean): Intent[] {
  const intents: Intent[] = [];
  for (const e of world.escrows) {
    if (!SETTLED_ESCROW_STATES.includes(e.state) || agent.memory.rated.has(e.id)) continue;
    const isClient = e.client === agent.address;
    if (!isClient && e.provider !== agent.address) continue;
    if ((isClient ? e.clientRating : e.providerRating) !== 0) continue;
    agent.memory.rated.add(e.id);
    const good = grumpy
      ? agent.rng.chance(0.2)
      : e.state === "Completed" || (e.state === "Ruled" && agent.rng.chance(0.6));
    intents.push(escrowCall(world, "job.rate", "rate", [e.id, good ? 1 : -1]));
    intents.push(...feedback(world, isClient ? e.provider : e.client, good ? 100n : 0n, e.id));
  }
  return intents;
}

/** ERC-8004 feedback about the other party's agent (0 to 100, tagged as a Civitas job), when deployed. */
function feedback(world: WorldView, about: Address, value: bigint, escrowId: bigint): Intent[] {
  const registry = world.contracts.reputationRegistry;
  const agentId = world.agentIds.get(about);
  if (registry === undefined || agentId === undefined) return [];
  const args = [agentId, value, 0, "civitas.job", `escrow:${escrowId}`, "", "", `0x${"0".repeat(64)}`];
  return [{ label: "feedback.give", call: { ...registry, functionName: "giveFeedback", args } }];
}

/** Escrow timeouts this agent has an interest in settling (it is a party). */
export function timeouts(agent: Agent, world: WorldView): Intent[] {
  const intents: Intent[] = [];
  for (const e of world.escrows) {
    const party = [e.client, e.provider, e.arbitrator].includes(agent.address);
    if (!party) continue;
    if (e.state === "Funded" && e.client === agent.address && world.now > e.deliveryDeadline)
      intents.push(escrowCall(world, "job.reclaim", "reclaim", [e.id]));
    else if (e.state === "Submitted" && e.provider === agent.address && world.now > e.reviewDeadline)
      intents.push(escrowCall(world, "job.claim", "claim", [e.id]));
    else if (e.state === "Disputed" && e.provider === agent.address && world.now > e.rulingDeadline)
      intents.push(escrowCall(world, "job.resolveNoShow", "resolveNoShow", [e.id]));
    else if (
      (e.state === "Created" || e.state === "Agreed" || e.state === "Accepted") &&
      e.client === agent.address &&
      world.now > e.deliveryDeadline
    )
      intents.push(escrowCall(world, "job.cancel", "cancel", [e.id]));
  }
  return intents;
}

/** Providers consent to the jobs naming them (nothing binds a provider that did not agree). */
export function agreeJobs(agent: Agent, world: WorldView): Intent[] {
  return world.escrows
    .filter((e) => e.provider === agent.address && e.state === "Created" && e.deliveryDeadline >= world.now)
    .map((e) => escrowCall(world, "job.agree", "agree", [e.id]));
}

/** Arbitrators accept jobs naming them, once the provider agreed, when they can post the bond. */
export function acceptJobs(agent: Agent, world: WorldView): Intent[] {
  let budget = balanceOf(agent, world) - 150n * CIV;
  const intents: Intent[] = [];
  for (const e of world.escrows.filter((x) => x.arbitrator === agent.address && x.state === "Agreed")) {
    if (budget < e.bond) break;
    budget -= e.bond;
    intents.push(escrowCall(world, "job.accept", "accept", [e.id]));
  }
  return intents;
}

/**
 * Staking behaviour of a non-validator: delegate spare CIV to a validator, undelegate when short of cash,
 * withdraw released requests, claim rewards.
 */
function stake(agent: Agent, world: WorldView, appetite: number): Intent[] {
  const intents: Intent[] = [];
  const staking = world.contracts.staking;
  const position = world.stakes.get(agent.address);
  const balance = balanceOf(agent, world);
  for (const u of agent.memory.unbondings.filter((x) => x.releaseTime < world.now)) {
    agent.memory.unbondings = agent.memory.unbondings.filter((x) => x !== u);
    intents.push({ label: "stake.withdraw", call: { ...staking, functionName: "withdraw", args: [u.id] } });
  }
  if (position && position.pendingRewards > 2n * CIV)
    intents.push({ label: "stake.claim", call: { ...staking, functionName: "claimRewards", args: [] } });
  if (position?.validator) return intents;
  if (position && position.bondedShares > 0n && balance < 250n * CIV && agent.rng.chance(0.7)) {
    const shares = position.bondedShares / 2n || position.bondedShares;
    intents.push({
      label: "stake.undelegate",
      call: { ...staking, functionName: "undelegate", args: [shares] },
      onMined: (receipt) => {
        const logs = parseEventLogs({ abi: staking.abi, logs: receipt.logs, eventName: "Undelegated" });
        for (const log of logs)
          agent.memory.unbondings.push({ id: log.args.unbondingId, releaseTime: log.args.releaseTime });
      },
    });
    return intents;
  }
  if (balance > 600n * CIV && agent.rng.chance(appetite)) {
    const validators = livingOthers(agent, world, "validator").filter(
      (v) => world.stakes.get(v.address)?.validator,
    );
    const bound = position?.bound && position.bound !== ZERO ? position.bound : undefined;
    const target = bound ?? (validators.length ? agent.rng.pick(validators).address : undefined);
    if (target && !world.starved.has(target))
      intents.push({
        label: "stake.delegate",
        call: {
          ...staking,
          functionName: "delegateStake",
          args: [target, agent.rng.amount(100n * CIV, (balance - 400n * CIV) / 2n, CIV)],
        },
      });
  }
  return intents;
}

/** Votes on active proposals: lower tax pleases payers and earners; an archetype may always vote one way. */
function vote(agent: Agent, world: WorldView): Intent[] {
  const governor = world.contracts.governor;
  return world.proposals
    .filter((p) => p.state === "Active" && !agent.memory.voted.has(p.id))
    .filter(() => (world.votes.get(agent.address) ?? 0n) > 0n)
    .map((p) => {
      agent.memory.voted.add(p.id);
      const r = agent.rng.next();
      const stance = agent.traits.vote ?? (r < 0.7 ? "for" : r < 0.85 ? "against" : "abstain");
      return {
        label: "gov.vote",
        call: {
          ...governor,
          functionName: "castVoteWithReason",
          args: [p.id, SUPPORT[stance], stance],
        },
      };
    });
}

/** Day-to-day purchases from other agents (compute, data): small taxed payments. */
function consume(agent: Agent, world: WorldView, p: number, max: bigint): Intent[] {
  const balance = balanceOf(agent, world);
  if (!agent.rng.chance(p) || balance < 300n * CIV) return [];
  const sellers = livingOthers(agent, world);
  if (sellers.length === 0) return [];
  return [payIntent(world, agent.rng.pick(sellers), agent.rng.amount(CIV, max), "buy")];
}

/** The social phase of a policy: evidence, ratings, staking (`appetite`), votes, purchases (`buy`). */
export const social =
  (appetite: number, buy: number, grumpy = false) =>
  (agent: Agent, world: WorldView) => [
    ...evidence(agent, world),
    ...rate(agent, world, grumpy),
    ...stake(agent, world, appetite),
    ...vote(agent, world),
    ...consume(agent, world, buy, 10n * CIV),
  ];

/**
 * Civic duties every agent's policy gets on top of its archetype's (see {@link withCivicDuties}):
 * - `keep`: the first agent in good standing collects everyone's upkeep (one permissionless batch); the
 *   proposer queues its succeeded proposal and executes it once the timelock allows;
 * - `market`, on `governanceDay`: the agent with the most votes (at least the threshold) proposes to lower
 *   the tax by a fifth.
 */
export function civicDuties(agent: Agent, world: WorldView, phase: Phase): Intent[] {
  const intents: Intent[] = [];
  const living = world.agents.filter((a) => world.agentIds.has(a.address) && !world.starved.has(a.address));
  const governor = world.contracts.governor;
  if (phase === "keep") {
    for (const e of world.escrows.filter((x) => x.provider === agent.address)) {
      const v = world.validations.get(e.id);
      if (v?.status === "Escrowed" && world.now > v.deadline)
        intents.push(validationCall(world, "validation.reclaim", "reclaimFee", [validationHashOf(e.id)]));
    }
    if (living[0] === agent && world.day > 1) {
      const ids = living.map((a) => world.agentIds.get(a.address)!);
      intents.push({
        label: "upkeep.collect",
        gas: "estimate",
        call: { ...world.contracts.registry, functionName: "collectUpkeep", args: [ids] },
      });
    }
    for (const p of world.proposals.filter((x) => x.proposer === agent.address)) {
      const args = [p.spec.targets, p.spec.values, p.spec.calldatas, descriptionHash(p.spec.description)];
      if (p.state === "Succeeded")
        intents.push({
          label: "gov.queue",
          gas: "estimate",
          call: { ...governor, functionName: "queue", args },
        });
      else if (p.state === "Queued" && p.eta > 0n && world.now >= p.eta)
        intents.push({
          label: "gov.execute",
          gas: "estimate",
          call: { ...governor, functionName: "execute", args },
        });
    }
  }
  if (phase === "market" && world.day === world.governanceDay && world.proposals.length === 0) {
    const byVotes = [...living].sort((a, b) => {
      const va = world.votes.get(a.address) ?? 0n;
      const vb = world.votes.get(b.address) ?? 0n;
      return va > vb ? -1 : va < vb ? 1 : a.index - b.index;
    });
    const top = byVotes[0];
    if (top === agent && (world.votes.get(agent.address) ?? 0n) >= world.proposalThreshold) {
      const newTax = world.taxBps - world.taxBps / 5n;
      const spec = taxProposal(
        world.contracts,
        newTax,
        agent.address,
        `Lower the tax on earnings from ${world.taxBps} to ${newTax} bps (day ${world.day})`,
      );
      intents.push({
        label: "gov.propose",
        gas: "estimate",
        call: {
          ...governor,
          functionName: "propose",
          args: [spec.targets, spec.values, spec.calldatas, spec.description],
        },
      });
    }
  }
  return intents;
}

/** Adds {@link civicDuties} to every archetype's policy. */
export function withCivicDuties(policies: Policies): Policies {
  const wrap = (policy: Policy): Policy =>
    Object.fromEntries(
      PHASES.map((phase) => [
        phase,
        (agent: Agent, world: WorldView) => [
          ...civicDuties(agent, world, phase),
          ...(policy[phase]?.(agent, world) ?? []),
        ],
      ]),
    ) as Policy;
  return Object.fromEntries(Object.entries(policies).map(([k, p]) => [k, wrap(p)])) as unknown as Policies;
}
