/**
 * The simulation driver: creates the population (one wallet per agent, keys from a mnemonic), registers
 * every agent in the AgentRegistry (each receives the protocol's birth grant; nobody else funds them),
 * then lives `days` days. Each day is a list of phases (see {@link PHASES}); in a phase every agent in
 * good standing proposes intents, all agents send concurrently (each with its own nonce), and the
 * phase's transactions are mined together (automine off, `evm_mine`). Then the clock moves one day
 * (`evm_increaseTime` + `evm_mine`). A revert is recorded with its decoded custom error and the run goes on.
 */
import {
  type Address,
  encodeFunctionData,
  type Hash,
  parseEventLogs,
  parseSignature,
  type TransactionReceipt,
} from "viem";
import {
  AgentWallet,
  agentAccount,
  type CivitasPublicClient,
  cachedFees,
  createCivitasPublicClient,
  DEVNET_MNEMONIC,
  type ReadCall,
  readMany,
  revertedTxError,
  type SentTx,
  TxError,
} from "../lib/clients.ts";
import { type CivitasContracts, civitasContracts } from "../lib/contracts.ts";
import type { Deployment } from "../lib/deployment.ts";
import {
  DAY,
  increaseTime,
  installMulticall3,
  mineBlock,
  setAutomine,
  setEthBalance,
} from "../lib/devchain.ts";
import { describeError } from "../lib/errors.ts";
import {
  AgentStatus,
  EscrowState,
  FeeStatus,
  ProposalState,
  SETTLED_ESCROW_STATES,
} from "../lib/vocabulary.ts";
import { assignArchetypes, DEFAULT_POLICIES, traitsOf } from "./archetypes.ts";
import { drivenByHook, hookSummaries, runDayHooks, type SimulationHook, startHooks } from "./hooks.ts";
import {
  ACTION_GAS_LIMIT,
  type Agent,
  type EscrowView,
  hasRole,
  type Intent,
  PHASES,
  type Policies,
  type ProposalView,
  type StakeView,
  VALIDATION_TAG,
  type ValidationView,
  validationHashOf,
  withCivicDuties,
  type WorldView,
} from "./model.ts";
import { boundOutsiderJobs } from "./outsiders.ts";
import { Rng } from "./prng.ts";
import { sendIntents } from "./sender.ts";
import { type CityState, cityDay, createCity } from "./city.ts";
import {
  computeBudgets,
  createMarket,
  type MarketState,
  type MarketSummary,
  marketDay,
  withholdShortOfCompute,
} from "./market.ts";
// Agreements and the block lottery (issue 17).
import {
  agreementsDay,
  type AgreementsState,
  type AgreementsSummary,
  createAgreements,
} from "./agreements.ts";
import { createLottery, type LotteryState, type LotterySummary, lotteryDay } from "./lottery.ts";

/** Hardhat's account 0 key (from {@link DEVNET_MNEMONIC}): the devnet deployer. Devnet only. */
export const DEVNET_DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

const CIV = 10n ** 18n;
const MAX_UINT256 = 2n ** 256n - 1n;

/** Options of {@link runSimulation}. */
export interface SimulationOptions {
  rpcUrl: string;
  deployment: Deployment;
  /** Number of agents (default 20). */
  agents?: number;
  /** Number of simulated days (default 30). */
  days?: number;
  /** PRNG seed (default "civitas"): the same seed, agents and days give the same run. */
  seed?: string;
  /** Mnemonic the agents' keys derive from (default: Hardhat's development mnemonic). */
  mnemonic?: string;
  /** Policies by archetype (default {@link DEFAULT_POLICIES}); civic duties are added to them. */
  policies?: Policies;
  /** The day the governance proposal is made (default 8). */
  governanceDay?: number;
  /** Called after each day with progress. */
  onDay?: (day: number, stats: SimulationStats) => void;
  /** Called with each recorded revert. */
  onRevert?: (record: RevertRecord) => void;
  /** Called once the last day is lived, with the run, so that live mode can go on (scripts/sim/live.ts). */
  onFinished?: (run: SimulationRun) => void;
  /** Extensions acting once a day after the phases (LLM agents, information trading; scripts/sim/hooks.ts). */
  hooks?: readonly SimulationHook[];
  /**
   * The resource market and metering (scripts/sim/market.ts, pools.ts; default true). False (`--no-market`):
   * no offers, bids, pools or metering, so no agent is ever short of compute (the comparison of
   * docs/market.md "Does the market help agents live?").
   */
  market?: boolean;
}

/** A failed action. */
export interface RevertRecord {
  day: number;
  phase: string;
  agent: string;
  label: string;
  /** `simulate` (caught before sending, nothing paid), `send`, or `receipt` (mined and reverted). */
  stage: string;
  /** The decoded custom error name, or `unknown`. */
  error: string;
  /** Readable message with the error's arguments. */
  message: string;
  hash?: Hash;
}

/** Running counters of a simulation. */
export interface SimulationStats {
  /** Transactions accepted by the node. */
  sent: number;
  /** Transactions mined successfully. */
  succeeded: number;
  /** Transactions mined but reverted. */
  revertedOnChain: number;
  /** Actions whose simulation reverted (never sent, nothing paid). */
  rejectedBeforeSending: number;
  /** Count of failures by custom error name. */
  errors: Record<string, number>;
  /** Count of successful actions by label. */
  actions: Record<string, number>;
  /** Blocks mined by the driver. */
  blocks: number;
  /** Where the days loop's wall time went, ms: reading the world, signing and sending, mining and receipts. */
  timings: { readMs: number; sendMs: number; mineMs: number };
}

/** What a run did (the economy's state itself is read from the chain/indexer, not from here). */
export interface SimulationResult {
  seed: string;
  days: number;
  agents: { name: string; archetype: string; address: Address; agentId: bigint }[];
  stats: SimulationStats;
  /** The first few failures, for the report. */
  revertSamples: RevertRecord[];
  /** Last block of each day (index 0 = after setup). */
  dayEndBlocks: { day: number; block: bigint; timestamp: bigint }[];
  /** Wall time of the days loop, ms (setup excluded). */
  wallTimeMs: number;
  /** Transactions sent during the days loop (setup excluded): with `wallTimeMs`, the driver's tx/s. */
  sentInDays: number;
  /** Agents not in good standing at the end (starved), by the registry. */
  starved: Address[];
  /** Ids of the governance proposals made. */
  proposals: bigint[];
  /** What each extension did, by name (see {@link SimulationOptions.hooks}). */
  extensions?: Record<string, Record<string, unknown>>;
  /** The resource market's activity (scripts/sim/market.ts), when the deployment lists the genesis resource. */
  market?: MarketSummary;
  /** Loans, insurance and information sales (scripts/sim/agreements.ts), when the population makes them. */
  agreements?: AgreementsSummary;
  /** The block lottery's players and pools (scripts/sim/lottery.ts), when the population has players. */
  lottery?: LotterySummary;
}

/** The population and the clients of a run (live mode goes on with it: {@link simulateDay}). */
export type SimulationRun = Run;

/** The population and the clients of a run. */
interface Run {
  client: CivitasPublicClient;
  contracts: CivitasContracts;
  agents: Agent[];
  policies: Policies;
  stats: SimulationStats;
  reverts: RevertRecord[];
  onRevert?: (record: RevertRecord) => void;
  agentIds: Map<Address, bigint>;
  /** Escrows that need no more reading (cancelled, or settled and rated by both). */
  finalEscrows: Set<bigint>;
  proposals: Map<bigint, Omit<ProposalView, "state" | "eta">>;
  permitDomain?: { name: string; version: string; chainId: number; verifyingContract: Address };
  /** City tasks (scripts/sim/city.ts): the clerk and the live tasks. */
  city?: CityState;
  /** The resource market (scripts/sim/market.ts): null when the deployment lists no genesis resource. */
  market?: MarketState | null;
  /** False when the run has no market and no metering ({@link SimulationOptions.market}). */
  marketOn: boolean;
  /** Agreements and the block lottery (scripts/sim/agreements.ts, lottery.ts): null when not in play. */
  agreements?: AgreementsState | null;
  lottery?: LotteryState | null;
  hooks: readonly SimulationHook[];
}

/** Creates the agents: keys, wallets, random streams. */
export function createAgents(
  client: CivitasPublicClient,
  count: number,
  seed: string,
  mnemonic = DEVNET_MNEMONIC,
): Agent[] {
  const fees = cachedFees(client);
  const root = new Rng(seed);
  const archetypes = root.fork("archetypes").shuffle(assignArchetypes(count));
  return archetypes.map((archetype, index) => {
    const account = agentAccount(mnemonic, index);
    const wallet = new AgentWallet({ client, account, fees });
    const rng = root.fork(`agent-${index}`);
    const traits = traitsOf(archetype);
    const permitChance = traits.permitChance ?? 0;
    return {
      index,
      name: `${archetype}-${String(index).padStart(2, "0")}`,
      archetype,
      traits,
      wallet,
      address: account.address,
      rng,
      memory: {
        evidenced: new Set(),
        rated: new Set(),
        voted: new Set(),
        unbondings: [],
        usesPermit: permitChance > 0 && rng.fork("permit").chance(permitChance),
      },
    };
  });
}

/**
 * Mines until every sent transaction has a receipt (a block may not hold them all), one `evm_mine` at a time.
 * @returns Receipts by hash.
 */
export async function mineUntilIncluded(
  client: CivitasPublicClient,
  hashes: readonly Hash[],
  maxBlocks = 50,
): Promise<{ receipts: Map<Hash, TransactionReceipt>; blocks: number }> {
  const receipts = new Map<Hash, TransactionReceipt>();
  let blocks = 0;
  while (receipts.size < hashes.length) {
    if (blocks >= maxBlocks)
      throw new Error(`${hashes.length - receipts.size} transactions not mined in ${maxBlocks} blocks`);
    await mineBlock(client);
    blocks++;
    const missing = hashes.filter((hash) => !receipts.has(hash));
    const found = await Promise.all(
      missing.map((hash) => client.getTransactionReceipt({ hash }).catch(() => undefined)),
    );
    found.forEach((receipt, i) => receipt && receipts.set(missing[i]!, receipt));
  }
  return { receipts, blocks };
}

/** Signs an ERC-2612 permit and returns the call with `(permitDeadline, v, r, s)` appended to its args. */
async function withPermit(run: Run, agent: Agent, intent: Intent, now: bigint): Promise<Intent["call"]> {
  const { token } = run.contracts;
  if (run.permitDomain === undefined) {
    const [, name, version, chainId, verifyingContract] = await run.client.readContract({
      ...token,
      functionName: "eip712Domain",
    });
    run.permitDomain = { name, version, chainId: Number(chainId), verifyingContract };
  }
  const nonce = await run.client.readContract({ ...token, functionName: "nonces", args: [agent.address] });
  const deadline = now + 3_600n;
  const signature = await agent.wallet.account.signTypedData({
    domain: run.permitDomain,
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message: {
      owner: agent.address,
      spender: intent.permit!.spender,
      value: intent.permit!.value,
      nonce,
      deadline,
    },
  });
  const { r, s, v, yParity } = parseSignature(signature);
  return { ...intent.call, args: [...intent.call.args, deadline, Number(v ?? BigInt(yParity + 27)), r, s] };
}

/**
 * Sends every agent's intents concurrently (one agent's in order), then mines them.
 * @returns How many transactions were mined successfully.
 */
export async function executeIntents(
  run: Run,
  day: number,
  phase: string,
  plans: ReadonlyArray<{ agent: Agent; intents: readonly Intent[] }>,
  now = 0n,
): Promise<number> {
  // Agents short of compute act less (scripts/sim/market.ts, docs/market.md "A denial's consequence").
  plans = withholdShortOfCompute(run.market, day, phase, plans);
  const sent: { agent: Agent; intent: Intent; call: Intent["call"]; tx: SentTx }[] = [];
  const sendStart = Date.now();
  // Each agent's fixed-gas intents signed at once and sent together (scripts/sim/sender.ts, issue 19).
  await sendIntents(plans, {
    prepareCall: (agent, intent) =>
      intent.permit ? withPermit(run, agent, intent, now) : Promise.resolve(intent.call),
    onSent: (agent, intent, call, tx) => sent.push({ agent, intent, call, tx }),
    onError: (agent, intent, error) => record(run, day, phase, agent, intent.label, error),
  });
  const mineStart = Date.now();
  run.stats.timings.sendMs += mineStart - sendStart;
  if (sent.length === 0) return 0;
  const { receipts, blocks } = await mineUntilIncluded(
    run.client,
    sent.map((s) => s.tx.hash),
  );
  run.stats.blocks += blocks;
  run.stats.sent += sent.length;
  run.stats.timings.mineMs += Date.now() - mineStart;
  let succeeded = 0;
  for (const { agent, intent, call, tx } of sent) {
    const receipt = receipts.get(tx.hash)!;
    if (receipt.status === "success") {
      succeeded++;
      run.stats.succeeded++;
      run.stats.actions[intent.label] = (run.stats.actions[intent.label] ?? 0) + 1;
      noteProposals(run, receipt);
      intent.onMined?.(receipt);
    } else {
      run.stats.revertedOnChain++;
      const { address, abi, functionName, args } = call;
      const data = encodeFunctionData({ abi, functionName, args } as never);
      const error = await revertedTxError(
        run.client,
        receipt,
        agent.address,
        { to: address, data, value: 0n },
        intent.label,
        abi,
      );
      record(run, day, phase, agent, intent.label, error);
    }
  }
  return succeeded;
}

/** Remembers proposals created in a receipt (agents learn of them from the chain's events). */
function noteProposals(run: Run, receipt: TransactionReceipt): void {
  const governor = run.contracts.governor;
  const logs = parseEventLogs({ abi: governor.abi, logs: receipt.logs, eventName: "ProposalCreated" });
  for (const log of logs) {
    if (log.address.toLowerCase() !== governor.address.toLowerCase()) continue;
    const a = log.args;
    run.proposals.set(a.proposalId, {
      id: a.proposalId,
      proposer: a.proposer,
      spec: {
        targets: [...a.targets],
        values: [...a.values],
        calldatas: [...a.calldatas],
        description: a.description,
      },
    });
  }
}

function record(run: Run, day: number, phase: string, agent: Agent, label: string, error: unknown): void {
  const txError = error instanceof TxError ? error : undefined;
  if (txError?.stage === "simulate") run.stats.rejectedBeforeSending++;
  const name = txError?.revert?.name ?? "unknown";
  run.stats.errors[name] = (run.stats.errors[name] ?? 0) + 1;
  const entry: RevertRecord = {
    day,
    phase,
    agent: agent.name,
    label,
    stage: txError?.stage ?? "send",
    error: name,
    message: error instanceof TxError ? error.message : `${label}: ${describeError(error)}`,
    hash: txError?.hash,
  };
  if (run.reverts.length < 200) run.reverts.push(entry);
  run.onRevert?.(entry);
}

/** The escrow's view of one escrow, as `escrowOf` returns it. */
type EscrowRow = {
  client: Address;
  provider: Address;
  arbitrator: Address;
  state: number;
  amount: bigint;
  arbitratorFee: bigint;
  bond: bigint;
  deliveryDeadline: bigint;
  reviewDeadline: bigint;
  rulingDeadline: bigint;
  clientRating: number;
  providerRating: number;
};

/** Turns escrow rows into views, remembering the ones that need no more reading. */
function escrowViews(run: Run, ids: readonly bigint[], rows: readonly EscrowRow[]): EscrowView[] {
  const views: EscrowView[] = [];
  rows.forEach((e, i) => {
    const view: EscrowView = {
      id: ids[i]!,
      client: e.client,
      provider: e.provider,
      arbitrator: e.arbitrator,
      state: EscrowState.nameOf(e.state),
      amount: e.amount,
      arbitratorFee: e.arbitratorFee,
      bond: e.bond,
      deliveryDeadline: e.deliveryDeadline,
      reviewDeadline: e.reviewDeadline,
      rulingDeadline: e.rulingDeadline,
      clientRating: e.clientRating,
      providerRating: e.providerRating,
    };
    const rated = view.clientRating !== 0 && view.providerRating !== 0;
    if (view.state === "Cancelled" || (SETTLED_ESCROW_STATES.includes(view.state) && rated))
      run.finalEscrows.add(view.id);
    else views.push(view);
  });
  return views;
}

/**
 * Reads what agents see at the start of a phase, in two round trips: the latest block with the escrow
 * count, then one Multicall3 aggregate (deployless, see `readMany`) of every view the agents need —
 * parameters, balances, registry status, open escrows, and when the phase needs them stakes (5 views per
 * agent), votes and proposal states — all at that block.
 */
async function readWorld(
  run: Run,
  day: number,
  days: number,
  governanceDay: number,
  phase: string,
): Promise<WorldView> {
  const { client, contracts, agents, agentIds } = run;
  const { token, governor, staking, registry, escrow } = contracts;
  const registered = agents.filter((a) => agentIds.has(a.address));
  const needStakes = phase === "social";
  const needVotes = phase === "social" || (phase === "market" && day === governanceDay);
  const [block, escrowCount] = await Promise.all([
    client.getBlock({ blockTag: "latest" }),
    client.readContract({ ...escrow, functionName: "escrowCount" }),
  ]);
  const now = block.timestamp;
  const escrowIds: bigint[] = [];
  for (let id = 1n; id <= escrowCount; id++) if (!run.finalEscrows.has(id)) escrowIds.push(id);
  const proposalList = [...run.proposals.values()];

  // One list of calls; each section remembers where its results start.
  const calls: ReadCall[] = [
    { ...token, functionName: "taxBps" },
    { ...token, functionName: "wealthCap" },
    { ...governor, functionName: "proposalThreshold" },
    { ...staking, functionName: "minSelfStake" },
  ];
  const at = {
    balances: calls.length,
    statuses: 0,
    escrows: 0,
    stakes: 0,
    votes: 0,
    validations: 0,
    proposals: 0,
  };
  for (const a of agents) calls.push({ ...token, functionName: "balanceOf", args: [a.address] });
  at.statuses = calls.length;
  for (const a of registered)
    calls.push({ ...registry, functionName: "statusOf", args: [agentIds.get(a.address)!] });
  at.escrows = calls.length;
  for (const id of escrowIds) calls.push({ ...escrow, functionName: "escrowOf", args: [id] });
  at.stakes = calls.length;
  if (needStakes)
    for (const a of registered)
      for (const functionName of [
        "boundValidatorOf",
        "bondedSharesOf",
        "bondedBalanceOf",
        "pendingRewards",
        "validatorInfo",
      ])
        calls.push({ ...staking, functionName, args: [a.address] });
  at.votes = calls.length;
  if (needVotes)
    for (const a of registered)
      calls.push({ ...governor, functionName: "getVotes", args: [a.address, now - 1n] });
  // Validation Registry: the stake-secured validation of each open escrow's deliverable, and the policy.
  const vr = contracts.validationRegistry;
  at.validations = calls.length;
  if (vr) {
    calls.push({ ...vr, functionName: "rewardPolicy", args: [VALIDATION_TAG] });
    for (const id of escrowIds)
      calls.push({ ...vr, functionName: "stakedTerms", args: [validationHashOf(id)] });
  }
  at.proposals = calls.length;
  for (const p of proposalList) {
    calls.push({ ...governor, functionName: "state", args: [p.id] });
    calls.push({ ...governor, functionName: "proposalEta", args: [p.id] });
  }
  const results = await readMany(client, calls, { blockNumber: block.number });

  const [taxBps, wealthCap, threshold, minSelfStake] = results.slice(0, 4) as bigint[];
  const balances = new Map<Address, bigint>();
  agents.forEach((agent, i) => balances.set(agent.address, results[at.balances + i] as bigint));
  const starved = new Set<Address>();
  registered.forEach(
    (agent, i) => results[at.statuses + i] !== AgentStatus.valueOf("Active") && starved.add(agent.address),
  );
  const rows = results.slice(at.escrows, at.stakes) as EscrowRow[];
  // Outsiders' jobs are bounded per simulated agent (live mode: see outsiders.ts).
  const simulated = new Set(agents.map((a) => a.address));
  const escrows = boundOutsiderJobs(escrowViews(run, escrowIds, rows), simulated, now, run.finalEscrows);
  const stakes = new Map<Address, StakeView>();
  if (needStakes)
    registered.forEach((a, i) => {
      const [bound, bondedShares, bonded, pendingRewards, info] = results.slice(
        at.stakes + 5 * i,
        at.stakes + 5 * i + 5,
      ) as [Address, bigint, bigint, bigint, { registered: boolean }];
      stakes.set(a.address, { bound, bondedShares, bonded, pendingRewards, validator: info.registered });
    });
  const votes = new Map<Address, bigint>();
  if (needVotes) registered.forEach((a, i) => votes.set(a.address, results[at.votes + i] as bigint));
  const validations = new Map<bigint, ValidationView>();
  let validationPolicy = { minFee: 0n, passThreshold: 100 };
  if (vr) {
    const policy = results[at.validations] as { minFee: bigint; passThreshold: number };
    validationPolicy = { minFee: policy.minFee, passThreshold: policy.passThreshold };
    escrowIds.forEach((id, i) => {
      const terms = results[at.validations + 1 + i] as {
        status: number;
        deadline: number;
        rewardClaimed: boolean;
      };
      if (terms.status !== FeeStatus.valueOf("None"))
        validations.set(id, {
          status: FeeStatus.nameOf(terms.status),
          deadline: BigInt(terms.deadline),
          rewardClaimed: terms.rewardClaimed,
        });
    });
  }
  const proposals = proposalList.map((p, i) => {
    const state = results[at.proposals + 2 * i] as number;
    const eta = results[at.proposals + 2 * i + 1] as bigint;
    return { ...p, state: ProposalState.nameOf(state), eta };
  });
  return {
    day,
    days,
    governanceDay,
    now,
    contracts,
    agents,
    balances,
    agentIds,
    taxBps,
    wealthCap,
    starved,
    escrows,
    stakes,
    votes,
    proposalThreshold: threshold,
    proposals,
    minSelfStake,
    validations,
    validationPolicy,
  };
}

/** Sends one setup step for every agent and mines it; failures are recorded like any other. */
async function setupStep(run: Run, name: string, plan: (agent: Agent) => Intent[]): Promise<void> {
  await executeIntents(
    run,
    0,
    name,
    run.agents.map((agent) => ({ agent, intents: plan(agent) })),
  );
}

/**
 * Setup, as the deployed protocol allows it (the deployer holds no role, so nobody hands out CIV):
 * 1. gas money (`hardhat_setBalance`); 2. every agent registers (`register(agentURI)`) and receives the
 * birth grant; 3. allowances for escrow (agents funding with permits skip it) and staking, and token votes
 * delegated to oneself; 4. validators register with a self-stake of at least `minSelfStake`.
 */
async function setup(run: Run): Promise<void> {
  const { client, contracts, agents } = run;
  await Promise.all(agents.map((agent) => setEthBalance(client, agent.address, 1_000n * CIV)));
  await setupStep(run, "register", (agent) => [
    {
      label: "agent.register",
      call: {
        ...contracts.registry,
        functionName: "register",
        args: [`ipfs://civitas-sim/agents/${agent.name}.json`],
      },
    },
  ]);
  const ids = await Promise.all(
    agents.map((a) =>
      client.readContract({ ...contracts.registry, functionName: "agentIdOf", args: [a.address] }),
    ),
  );
  agents.forEach((a, i) => ids[i]! > 0n && run.agentIds.set(a.address, ids[i]!));
  await setupStep(run, "allowances", (agent) => [
    ...(agent.memory.usesPermit
      ? []
      : [
          {
            label: "token.approve",
            call: {
              ...contracts.token,
              functionName: "approve",
              args: [contracts.escrow.address, MAX_UINT256],
            },
          },
        ]),
    {
      label: "token.approve",
      call: { ...contracts.token, functionName: "approve", args: [contracts.staking.address, MAX_UINT256] },
    },
    {
      label: "votes.delegate",
      call: { ...contracts.token, functionName: "delegate", args: [agent.address] },
    },
  ]);
  const minSelfStake = await client.readContract({ ...contracts.staking, functionName: "minSelfStake" });
  await setupStep(run, "validators", (agent) =>
    hasRole(agent, "validator")
      ? [
          {
            label: "stake.registerValidator",
            call: {
              ...contracts.staking,
              functionName: "registerValidator",
              args: [
                BigInt(agent.rng.int(5, 15) * 100),
                minSelfStake + agent.rng.amount(0n, 100n * CIV, CIV),
              ],
            },
          },
        ]
      : [],
  );
}

/**
 * Lives one simulated day of a run: every phase (each read, planned, sent and mined), then the clock
 * moves one day (`evm_increaseTime` + one `evm_mine`). Transactions must not be automined meanwhile.
 * @param run The run ({@link runSimulation} hands it to `onFinished` for live mode, scripts/sim/live.ts).
 * @param day The day's number, from 1.
 * @param days The run's planned days. @param governanceDay The day the governance proposal is made.
 * @returns The day's last block and its timestamp (seconds).
 */
export async function simulateDay(
  run: SimulationRun,
  day: number,
  days: number,
  governanceDay: number,
): Promise<{ day: number; block: bigint; timestamp: bigint }> {
  // Who is short of compute today, and how many actions each may send (before anyone acts).
  if (run.marketOn && run.market) await computeBudgets(run, run.market, day);
  for (const phase of PHASES) {
    const readStart = Date.now();
    const world = await readWorld(run, day, days, governanceDay, phase);
    run.stats.timings.readMs += Date.now() - readStart;
    const plans = run.agents
      .filter((agent) => run.agentIds.has(agent.address) && !world.starved.has(agent.address))
      .filter((agent) => !drivenByHook(run.hooks, agent))
      .map((agent) => ({ agent, intents: run.policies[agent.archetype][phase]?.(agent, world) ?? [] }));
    await executeIntents(run, day, phase, plans, world.now);
  }
  await cityDay(run, (run.city ??= createCity(run)), day);
  // The lottery before the market's metering: players mine from their free daily allowance first.
  await lotteryDay(run, (run.lottery ??= await createLottery(run)), day);
  if (run.marketOn) await marketDay(run, (run.market ??= await createMarket(run)), day);
  await agreementsDay(run, (run.agreements ??= createAgreements(run)), day);
  await runDayHooks(run, run.hooks, () => readWorld(run, day, days, governanceDay, "social"));
  await increaseTime(run.client, DAY);
  await mineBlock(run.client);
  run.stats.blocks++;
  const end = await run.client.getBlock({ blockTag: "latest" });
  return { day, block: end.number, timestamp: end.timestamp };
}

/**
 * Runs a simulation against a deployed Civitas.
 * @returns Counters, failures and the day boundaries; the economy itself is read from the chain/indexer.
 * @throws When the node fails (automine, mining); individual actions never throw (they are recorded).
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const seed = options.seed ?? "civitas";
  const days = options.days ?? 30;
  const governanceDay = options.governanceDay ?? 8;
  const client = createCivitasPublicClient(options.rpcUrl, { chainId: options.deployment.chainId });
  const contracts = civitasContracts(options.deployment);
  const agents = createAgents(client, options.agents ?? 20, seed, options.mnemonic);
  const stats: SimulationStats = {
    sent: 0,
    succeeded: 0,
    revertedOnChain: 0,
    rejectedBeforeSending: 0,
    errors: {},
    actions: {},
    blocks: 0,
    timings: { readMs: 0, sendMs: 0, mineMs: 0 },
  };
  const run: Run = {
    client,
    contracts,
    agents,
    policies: withCivicDuties(options.policies ?? DEFAULT_POLICIES),
    stats,
    reverts: [],
    onRevert: options.onRevert,
    agentIds: new Map(),
    finalEscrows: new Set(),
    proposals: new Map(),
    hooks: options.hooks ?? [],
    marketOn: options.market ?? true,
  };
  const dayEndBlocks: SimulationResult["dayEndBlocks"] = [];

  await installMulticall3(client);
  await setAutomine(client, false);
  try {
    await setup(run);
    await startHooks(run, run.hooks);
    const setupEnd = await client.getBlock({ blockTag: "latest" });
    dayEndBlocks.push({ day: 0, block: setupEnd.number, timestamp: setupEnd.timestamp });
    const started = Date.now();
    const sentAtSetup = stats.sent;
    for (let day = 1; day <= days; day++) {
      dayEndBlocks.push(await simulateDay(run, day, days, governanceDay));
      options.onDay?.(day, stats);
    }
    const wallTimeMs = Date.now() - started;
    const final = await readWorld(run, days, days, governanceDay, "end");
    options.onFinished?.(run);
    return {
      seed,
      days,
      agents: agents.map((a) => ({
        name: a.name,
        archetype: a.archetype,
        address: a.address,
        agentId: run.agentIds.get(a.address) ?? 0n,
      })),
      stats,
      revertSamples: run.reverts.slice(0, 50),
      dayEndBlocks,
      wallTimeMs,
      sentInDays: stats.sent - sentAtSetup,
      starved: [...final.starved],
      proposals: [...run.proposals.keys()],
      ...(run.hooks.length > 0 ? { extensions: hookSummaries(run.hooks) } : {}),
      ...(run.market ? { market: run.market.summary } : {}),
      ...(run.agreements ? { agreements: run.agreements.summary } : {}),
      ...(run.lottery ? { lottery: run.lottery.summary } : {}),
    };
  } finally {
    await setAutomine(client, true).catch(() => undefined);
  }
}
