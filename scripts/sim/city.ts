/**
 * City tasks in the simulation (issue 18, docs/economy.md): the city clerk — the reviewer appointed at
 * deployment (`TaskBoard.reviewers` in ignition/parameters/localhost.json, Hardhat's account
 * {@link CLERK_ACCOUNT_INDEX}) — keeps tasks on the board, paid from the Treasury budget; agents short of
 * money take them, deliver, and are paid as taxed earnings. Each day, after the agents' phases:
 * 1. the clerk accepts the deliveries it received (rejects the poor work of `poorWork` archetypes) and
 *    expires tasks whose takers missed their deadline, then posts tasks up to its daily target;
 * 2. agents whose balance is below {@link CityPolicy.takeBelow}, who hold no live task and whose takings this
 *    epoch leave room under the board's per-agent cap take one each, the poorest first; trolls take none;
 * 3. takers deliver (slackers often do not, and are expired and lose reputation).
 * The contract's caps (per agent per epoch, per reviewer per epoch, the Treasury's outflow limit) bound it
 * all; nothing here relaxes them.
 */
import type { Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { AgentWallet, cachedFees, DEVNET_MNEMONIC, readMany, type ReadCall } from "../lib/clients.ts";
import type { Agent, Intent } from "./model.ts";
import { executeIntents, type SimulationRun } from "./engine.ts";
import { TaskState } from "../lib/vocabulary.ts";

/** Hardhat's account the deployment appoints as the city's reviewer on the devnet (localhost parameters). */
export const CLERK_ACCOUNT_INDEX = 18;

/** The clerk's and the agents' calibrated behaviour (docs/economy.md "Calibration"). */
export interface CityPolicy {
  /** Reward of one task, in wei. */
  reward: bigint;
  /** Time to deliver, in seconds. */
  duration: bigint;
  /** Tasks the clerk keeps open per agent in good standing (a share: 0.2 = one for five agents). */
  openPerAgent: number;
  /** An agent takes a task when its liquid balance is below this, in wei. */
  takeBelow: bigint;
  /**
   * Open tasks the simulated agents leave on the board for outsiders (live mode: `civitas task take`); the
   * clerk keeps at least this many open.
   */
  keepOpen?: number;
}

const CIV = 10n ** 18n;
const DAY = 86_400n;

/** The default calibration: see docs/economy.md for the arithmetic. */
export const DEFAULT_CITY_POLICY: CityPolicy = {
  reward: 250n * CIV,
  duration: DAY,
  openPerAgent: 0.5,
  takeBelow: 1_500n * CIV,
};

/**
 * Live mode (scripts/sim/live.ts): a simulated day passes every few seconds of wall time, so a task gives a
 * week to deliver (7 simulated days: 35 s at the default pace; `npm start -- --day-seconds N` or `--pause`
 * for more), and one open task always waits for an outsider to take it.
 */
export const LIVE_CITY_POLICY: CityPolicy = { ...DEFAULT_CITY_POLICY, duration: 7n * DAY, keepOpen: 1 };

/** `ITaskBoard.TaskState` by value: the generated vocabulary's names. */
const TASK_STATES = TaskState.names;

type TaskRow = { reviewer: Address; state: number; taker: Address; deadline: bigint };

/** The city's memory across days: tasks still live, by id. */
export interface CityState {
  clerk: Agent;
  live: Set<bigint>;
  policy: CityPolicy;
}

/** Creates the clerk (the appointed reviewer's key from the devnet mnemonic). */
export function createCity(
  run: SimulationRun,
  policy = DEFAULT_CITY_POLICY,
  mnemonic = DEVNET_MNEMONIC,
): CityState {
  const account = mnemonicToAccount(mnemonic, { addressIndex: CLERK_ACCOUNT_INDEX });
  const wallet = new AgentWallet({ client: run.client, account, fees: cachedFees(run.client) });
  const clerk = { name: "city-clerk", address: account.address, wallet } as unknown as Agent;
  return { clerk, live: new Set(), policy };
}

/**
 * Lives the city's part of one day (see the module's comment). Does nothing when the deployment has no
 * task board or the clerk is not a reviewer.
 */
export async function cityDay(run: SimulationRun, city: CityState, day: number): Promise<void> {
  const board = run.contracts.taskBoard;
  if (board === undefined) return;
  const { client, agents, agentIds } = run;
  const [count, isReviewer, block, epoch, agentCap] = await Promise.all([
    client.readContract({ ...board, functionName: "taskCount" }),
    client.readContract({
      ...board,
      functionName: "hasRole",
      args: [await client.readContract({ ...board, functionName: "REVIEWER_ROLE" }), city.clerk.address],
    }),
    client.getBlock({ blockTag: "latest" }),
    client.readContract({ ...board, functionName: "currentEpoch" }),
    client.readContract({ ...board, functionName: "agentEpochCap" }),
  ]);
  if (!isReviewer) return;
  const ids = [...city.live];
  const registered = agents.filter((a) => agentIds.has(a.address));
  const calls: ReadCall[] = [
    ...ids.map((id) => ({ ...board, functionName: "task", args: [id] }) as ReadCall),
    ...registered.map(
      (a) => ({ ...run.contracts.token, functionName: "balanceOf", args: [a.address] }) as ReadCall,
    ),
    ...registered.map(
      (a) => ({ ...run.contracts.registry, functionName: "isInGoodStanding", args: [a.address] }) as ReadCall,
    ),
    ...registered.map(
      (a) =>
        ({ ...board, functionName: "takenByAgent", args: [agentIds.get(a.address)!, epoch] }) as ReadCall,
    ),
  ];
  const results = await readMany(client, calls, { blockNumber: block.number });
  const rows = new Map<bigint, TaskRow>();
  ids.forEach((id, i) => rows.set(id, results[i] as TaskRow));
  const balance = new Map<Address, bigint>();
  const standing = new Map<Address, boolean>();
  const taken = new Map<Address, bigint>();
  registered.forEach((a, i) => {
    balance.set(a.address, results[ids.length + i] as bigint);
    standing.set(a.address, results[ids.length + registered.length + i] as boolean);
    taken.set(a.address, results[ids.length + 2 * registered.length + i] as bigint);
  });
  const byAddress = new Map(agents.map((a) => [a.address, a]));
  const now = block.timestamp;

  // 1. The clerk reviews, expires, and posts.
  const clerkIntents: Intent[] = [];
  const holding = new Set<Address>();
  let open = 0;
  for (const [id, row] of rows) {
    const state = TASK_STATES[row.state];
    if (state === "Delivered") {
      const poor = byAddress.get(row.taker)?.traits.poorWork === true;
      clerkIntents.push(
        poor
          ? { label: "task.reject", call: { ...board, functionName: "reject", args: [id, "poor work"] } }
          : { label: "task.accept", call: { ...board, functionName: "accept", args: [id] } },
      );
      city.live.delete(id);
    } else if ((state === "Taken" || state === "Open") && now > row.deadline) {
      clerkIntents.push({ label: "task.expire", call: { ...board, functionName: "expire", args: [id] } });
      city.live.delete(id);
    } else if (state === "Taken") {
      holding.add(row.taker);
    } else if (state === "Open") {
      open++;
    } else {
      city.live.delete(id);
    }
  }
  const alive = registered.filter((a) => standing.get(a.address)).length;
  const target = Math.max(Math.ceil(alive * city.policy.openPerAgent), city.policy.keepOpen ?? 0);
  for (let i = open; i < target; i++)
    clerkIntents.push({
      label: "task.post",
      // Estimated: a post that would revert (a budget or the Treasury's limit reached) is refused before
      // sending, with its decoded error.
      gas: "estimate",
      call: {
        ...board,
        functionName: "postTask",
        args: [
          city.policy.reward,
          city.policy.duration,
          "0x0000000000000000000000000000000000000000",
          `ipfs://civitas-sim/tasks/day-${day}-${i}.json`,
        ],
      },
    });
  await executeIntents(run, day, "city", [{ agent: city.clerk, intents: clerkIntents }], now);
  const posted = await client.readContract({ ...board, functionName: "taskCount" });
  for (let id = count + 1n; id <= posted; id++) city.live.add(id);

  // 2. Agents short of money take the open tasks, one each, the poorest first; an agent whose takings this
  // epoch leave no room under the board's cap for one more reward does not try (it reads the cap).
  const openIds: bigint[] = [];
  const fresh = await readMany(
    client,
    [...city.live].map((id) => ({ ...board, functionName: "task", args: [id] }) as ReadCall),
  );
  [...city.live].forEach((id, i) => TASK_STATES[(fresh[i] as TaskRow).state] === "Open" && openIds.push(id));
  const takers = registered.filter(
    (a) =>
      standing.get(a.address) &&
      !a.traits.badFaith &&
      !holding.has(a.address) &&
      (taken.get(a.address) ?? 0n) + city.policy.reward <= agentCap &&
      (balance.get(a.address) ?? 0n) < city.policy.takeBelow,
  );
  takers.sort((a, b) => {
    const d = (balance.get(a.address) ?? 0n) - (balance.get(b.address) ?? 0n);
    return d < 0n ? -1 : d > 0n ? 1 : a.index - b.index;
  });
  const took = new Set<Agent>();
  const takes = takers
    .slice(0, Math.max(0, openIds.length - (city.policy.keepOpen ?? 0)))
    .map((agent, i) => ({
      agent,
      intents: [
        {
          label: "task.take",
          call: { ...board, functionName: "takeTask", args: [openIds[i]!] },
          onMined: () => void took.add(agent),
        },
      ] as Intent[],
    }));
  await executeIntents(run, day, "city", takes, now);

  // 3. Takers whose take was mined deliver (poor workers often miss the deadline).
  const delivers = takes
    .filter(({ agent }) => took.has(agent))
    .filter(({ agent }) => !(agent.traits.poorWork === true && agent.rng.chance(0.5)))
    .map(({ agent, intents }) => ({
      agent,
      intents: [
        {
          label: "task.deliver",
          call: {
            ...board,
            functionName: "deliver",
            args: [
              intents[0]!.call.args[0],
              `ipfs://civitas-sim/deliverables/${agent.name}-${day}.json`,
              `0x${"0".repeat(64)}`,
            ],
          },
        },
      ] as Intent[],
    }));
  await executeIntents(run, day, "city", delivers, now);
}
