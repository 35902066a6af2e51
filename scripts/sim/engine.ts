/**
 * The simulation driver: creates the population (one wallet per agent, keys from a mnemonic), funds it,
 * then lives `days` days. Each day is a list of phases; in a phase every living agent's policy proposes
 * intents, all agents send concurrently (each with its own nonce), and the phase's transactions are mined
 * together in one block (automine off, `evm_mine`). Then the clock moves one day (`evm_increaseTime` +
 * `evm_mine`). A revert is recorded with its decoded custom error and the run goes on.
 */
import type { Address, Hash, TransactionReceipt } from "viem";
import {
  AgentWallet,
  agentAccount,
  type CivitasPublicClient,
  cachedFees,
  createCivitasPublicClient,
  DEVNET_MNEMONIC,
  revertedTxError,
  type SentTx,
  TxError,
} from "../lib/clients.ts";
import { type CivitasContracts, civitasContracts } from "../lib/contracts.ts";
import type { Deployment } from "../lib/deployment.ts";
import { DAY, increaseTime, mineBlock, setAutomine, setEthBalance } from "../lib/devchain.ts";
import { describeError } from "../lib/errors.ts";
import {
  type Agent,
  assignArchetypes,
  DEFAULT_POLICIES,
  type Intent,
  PHASES,
  type Policies,
  type WorldView,
} from "./model.ts";
import { Rng } from "./prng.ts";

/** Hardhat's account 0 key (from {@link DEVNET_MNEMONIC}): the devnet deployer. Devnet only. */
export const DEVNET_DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

const CIV = 10n ** 18n;

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
  /** Policies by archetype (default {@link DEFAULT_POLICIES}). */
  policies?: Policies;
  /** Starting grant per archetype from the Treasury, wei (default: clients 2,000 CIV, others 300 CIV). */
  grant?: (archetype: Agent["archetype"]) => bigint;
  /** Called after each day with progress. */
  onDay?: (day: number, stats: SimulationStats) => void;
  /** Called with each recorded revert. */
  onRevert?: (record: RevertRecord) => void;
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
}

/** What a run did (the economy's state itself is read from the chain/indexer, not from here). */
export interface SimulationResult {
  seed: string;
  days: number;
  agents: { name: string; archetype: string; address: Address }[];
  stats: SimulationStats;
  /** The first few failures, for the report. */
  revertSamples: RevertRecord[];
  /** Last block of each day (index 0 = after setup). */
  dayEndBlocks: { day: number; block: bigint; timestamp: bigint }[];
  /** Wall time of the days loop, ms (setup excluded). */
  wallTimeMs: number;
  /** Agents starved at the end. */
  starved: Address[];
}

/** The population and the clients of a run. */
interface Run {
  client: CivitasPublicClient;
  contracts: CivitasContracts;
  agents: Agent[];
  policies: Policies;
  stats: SimulationStats;
  reverts: RevertRecord[];
  onRevert?: (record: RevertRecord) => void;
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
    return {
      index,
      name: `${archetype}-${String(index).padStart(2, "0")}`,
      archetype,
      wallet,
      address: account.address,
      rng: root.fork(`agent-${index}`),
      memory: {},
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

/**
 * Sends every agent's intents concurrently (one agent's in order), then mines them.
 * @returns How many transactions were mined successfully.
 */
export async function executeIntents(
  run: Run,
  day: number,
  phase: string,
  plans: ReadonlyArray<{ agent: Agent; intents: readonly Intent[] }>,
): Promise<number> {
  const sent: { agent: Agent; intent: Intent; tx: SentTx }[] = [];
  await Promise.all(
    plans.map(async ({ agent, intents }) => {
      for (const intent of intents) {
        try {
          const tx = await agent.wallet.send(intent.call as never, { label: intent.label });
          sent.push({ agent, intent, tx });
        } catch (error) {
          record(run, day, phase, agent, intent.label, error);
        }
      }
    }),
  );
  if (sent.length === 0) return 0;
  const { receipts, blocks } = await mineUntilIncluded(
    run.client,
    sent.map((s) => s.tx.hash),
  );
  run.stats.blocks += blocks;
  run.stats.sent += sent.length;
  let succeeded = 0;
  for (const { agent, intent, tx } of sent) {
    const receipt = receipts.get(tx.hash)!;
    if (receipt.status === "success") {
      succeeded++;
      run.stats.succeeded++;
      run.stats.actions[intent.label] = (run.stats.actions[intent.label] ?? 0) + 1;
      intent.onMined?.(receipt);
    } else {
      run.stats.revertedOnChain++;
      const { address, abi, functionName, args } = intent.call;
      const { encodeFunctionData } = await import("viem");
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

/** Reads what agents see at the start of a phase. */
async function readWorld(run: Run, day: number, days: number, starved: Set<Address>): Promise<WorldView> {
  const { client, contracts, agents } = run;
  const [block, taxBps, wealthCap, ...balances] = await Promise.all([
    client.getBlock({ blockTag: "latest" }),
    client.readContract({ ...contracts.token, functionName: "taxBps" }),
    client.readContract({ ...contracts.token, functionName: "wealthCap" }),
    ...agents.map((agent) =>
      client.readContract({ ...contracts.token, functionName: "balanceOf", args: [agent.address] }),
    ),
  ]);
  const balanceMap = new Map<Address, bigint>();
  agents.forEach((agent, i) => balanceMap.set(agent.address, balances[i] as bigint));
  // Without a registry, an agent that cannot pay for anything any more has starved.
  for (const agent of agents)
    if ((balanceMap.get(agent.address) ?? 0n) < CIV / 2n) starved.add(agent.address);
  return {
    day,
    days,
    now: block.timestamp,
    contracts,
    agents,
    balances: balanceMap,
    taxBps: taxBps as bigint,
    wealthCap: wealthCap as bigint,
    starved,
  };
}

/** Default starting grants: clients are the economy's money, others start small. */
export function defaultGrant(archetype: Agent["archetype"]): bigint {
  return (archetype === "client" ? 2_000n : 300n) * CIV;
}

/**
 * Funds the agents: ETH for gas (`hardhat_setBalance`) and a CIV grant from the Treasury, sent by the
 * deployer while it still holds the Treasury's admin role (before governance takes over).
 */
async function fundAgents(run: Run, grant: (archetype: Agent["archetype"]) => bigint): Promise<void> {
  const { client, contracts, agents } = run;
  await Promise.all(agents.map((agent) => setEthBalance(client, agent.address, 1_000n * CIV)));
  const { privateKeyToAccount } = await import("viem/accounts");
  const deployer = new AgentWallet({ client, account: privateKeyToAccount(DEVNET_DEPLOYER_KEY) });
  const sent: Hash[] = [];
  for (const agent of agents) {
    const tx = await deployer.send(
      {
        ...contracts.treasury,
        functionName: "transfer",
        args: [contracts.token.address, agent.address, grant(agent.archetype)],
      },
      { label: "treasury.grant" },
    );
    sent.push(tx.hash);
  }
  const { receipts, blocks } = await mineUntilIncluded(client, sent);
  run.stats.blocks += blocks;
  for (const receipt of receipts.values())
    if (receipt.status !== "success") throw new Error(`grant ${receipt.transactionHash} reverted`);
}

/**
 * Runs a simulation against a deployed Civitas.
 * @returns Counters, failures and the day boundaries; the economy itself is read from the chain/indexer.
 * @throws When setup fails (funding, automine); individual actions never throw (they are recorded).
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const seed = options.seed ?? "civitas";
  const days = options.days ?? 30;
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
  };
  const run: Run = {
    client,
    contracts,
    agents,
    policies: options.policies ?? DEFAULT_POLICIES,
    stats,
    reverts: [],
    onRevert: options.onRevert,
  };
  const dayEndBlocks: SimulationResult["dayEndBlocks"] = [];
  const starved = new Set<Address>();

  await setAutomine(client, false);
  try {
    await fundAgents(run, options.grant ?? defaultGrant);
    const setupEnd = await client.getBlock({ blockTag: "latest" });
    dayEndBlocks.push({ day: 0, block: setupEnd.number, timestamp: setupEnd.timestamp });
    const started = Date.now();
    for (let day = 1; day <= days; day++) {
      for (const phase of PHASES) {
        const world = await readWorld(run, day, days, starved);
        const plans = agents
          .filter((agent) => !starved.has(agent.address))
          .map((agent) => ({ agent, intents: run.policies[agent.archetype][phase]?.(agent, world) ?? [] }));
        await executeIntents(run, day, phase, plans);
      }
      await increaseTime(client, DAY);
      await mineBlock(client);
      stats.blocks++;
      const end = await client.getBlock({ blockTag: "latest" });
      dayEndBlocks.push({ day, block: end.number, timestamp: end.timestamp });
      options.onDay?.(day, stats);
    }
    await readWorld(run, days, days, starved);
    return {
      seed,
      days,
      agents: agents.map((a) => ({ name: a.name, archetype: a.archetype, address: a.address })),
      stats,
      revertSamples: run.reverts.slice(0, 50),
      dayEndBlocks,
      wallTimeMs: Date.now() - started,
      starved: [...starved],
    };
  } finally {
    await setAutomine(client, true).catch(() => undefined);
  }
}
