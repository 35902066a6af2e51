/**
 * The block lottery in the simulation (issue 17, docs/lottery.md): the `player` archetype plays every epoch
 * and some players pool their stakes through PoolAgreements (agreement kind 5). Each day, after the market's:
 * 1. withdraw, reveal, draw, settle, claim: each player withdraws the stakes of ended epochs, reveals its
 *    secrets of epochs whose reveal window is open, claims a reward it won; one player draws every epoch
 *    the players entered once its window closed (a pool's epoch is settled by the pool instead, which draws
 *    it), and pool members claim their principal and share of settled pools;
 * 2. enter: each player mines {@link LotteryPolicy.mineUnits} gpu-seconds (its free allowance first, then
 *    compute credits bought in the market; mine is the clock: without a mine entry stakes and burns count for
 *    nothing), stakes or burns with a chance, and commits to a secret (locking the reveal bond);
 * 3. pools: one player plays the pool of the current epoch (the pool stakes its total), and players
 *    contribute, with a chance, to the pool of the next epoch (open until that epoch starts).
 * The reveal window of the devnet's deployment is two epochs (ignition/parameters/localhost.json): agents
 * act once a simulated day, at a time of day that drifts with the run's wall time, so a window shorter than a
 * day would close before the next action (docs/lottery.md "In the simulation").
 * Everything goes through {@link executeIntents}, so failures are recorded like any other action's.
 * Importing this module has no side effects.
 */
import { type Address, encodeAbiParameters, keccak256, parseEventLogs, type TransactionReceipt } from "viem";
import * as abis from "../../generated/abis.ts";
import { readMany, type ReadCall } from "../lib/clients.ts";
import { formatCiv } from "../lib/format.ts";
import { DrawOutcome, EntryKind, PoolState } from "../lib/vocabulary.ts";
import { executeIntents, type SimulationRun } from "./engine.ts";
import type { Agent, Intent } from "./model.ts";

/** The archetype that plays the lottery (its entry in archetypes.ts). */
export const PLAYER_ARCHETYPE = "player";

const CIV = 10n ** 18n;
const MAX_UINT256 = 2n ** 256n - 1n;

/** How the simulated players play (docs/lottery.md "In the simulation"). */
export interface LotteryPolicy {
  /** Gpu-seconds mined per epoch by each player (the free allowance is 100 a day). */
  mineUnits: bigint;
  /** Chance a player also stakes in an epoch, and how much (wei). */
  stakeChance: number;
  stakeAmount: bigint;
  /** Chance a player also burns in an epoch, and how much (wei). */
  burnChance: number;
  burnAmount: bigint;
  /** Chance a player contributes to the next epoch's pool, and how much (wei). */
  poolChance: number;
  poolAmount: bigint;
  /** A player spends on the lottery only while its liquid balance is above this (wei). */
  playAbove: bigint;
}

/** The default calibration: small stakes, one reveal bond a day, a pool most days. */
export const DEFAULT_LOTTERY_POLICY: LotteryPolicy = {
  mineUnits: 10n,
  stakeChance: 0.5,
  stakeAmount: 20n * CIV,
  burnChance: 0.2,
  burnAmount: 2n * CIV,
  poolChance: 0.5,
  poolAmount: 10n * CIV,
  playAbove: 300n * CIV,
};

/** One draw the simulation saw (by `draw` or by a pool's `settle`). */
export interface DrawLine {
  epoch: bigint;
  outcome: string;
  /** The winner's name (an agent, `pool`, or the address). */
  winner: string;
  reward: bigint;
}

/** What the lottery's players did over a run (the `lottery` field of the simulation's result). Wei. */
export interface LotterySummary {
  players: string[];
  /** Entries by kind (players' own; a pool's stake is counted in `pools.played`). */
  entries: { mine: number; stake: number; burn: number };
  /** Gpu-seconds mined, CIV staked and burned by the players. */
  mined: bigint;
  staked: bigint;
  burned: bigint;
  commits: number;
  reveals: number;
  draws: DrawLine[];
  /** Rewards claimed by winners (gross) and the tax on them. */
  claims: number;
  rewardsClaimed: bigint;
  rewardTax: bigint;
  stakesWithdrawn: bigint;
  pools: {
    /** Pools made (first contributions), contributions and their total. */
    formed: number;
    contributions: number;
    contributed: bigint;
    played: number;
    settled: number;
    /** Rewards pools won. */
    proceeds: bigint;
    /** Member claims: principal back and shares of the proceeds (gross). */
    payouts: number;
    principalPaid: bigint;
    sharesPaid: bigint;
  };
}

/** The lottery's memory across days. */
export interface LotteryState {
  policy: LotteryPolicy;
  lottery: NonNullable<SimulationRun["contracts"]["blockLottery"]>;
  pools: SimulationRun["contracts"]["poolAgreements"];
  revealWindow: bigint;
  /** Agents that approved the lottery (and the pools). */
  approved: Set<Address>;
  /** Secrets committed, not yet revealed: by epoch and player. */
  secrets: Map<bigint, Map<Agent, `0x${string}`>>;
  /** Epochs each player staked in, not yet withdrawn. */
  stakes: Map<Agent, Set<bigint>>;
  /** Epochs the players entered that are not drawn yet. */
  undrawn: Set<bigint>;
  /** Epochs drawn with a reward for one of the players, not claimed yet. */
  won: Map<bigint, Agent>;
  /** Pools the players contributed to: id, epoch and members not yet paid. */
  poolsJoined: Map<bigint, { epoch: bigint; members: Set<Agent> }>;
  summary: LotterySummary;
}

/**
 * Reads the lottery's fixed settings.
 * @returns null when the deployment has no lottery or no player.
 */
export async function createLottery(
  run: SimulationRun,
  policy = DEFAULT_LOTTERY_POLICY,
): Promise<LotteryState | null> {
  const lottery = run.contracts.blockLottery;
  const players = run.agents.filter((a) => a.archetype === PLAYER_ARCHETYPE);
  if (lottery === undefined || players.length === 0) return null;
  const revealWindow = await run.client.readContract({ ...lottery, functionName: "REVEAL_WINDOW" });
  return {
    policy,
    lottery,
    pools: run.contracts.poolAgreements,
    revealWindow,
    approved: new Set(),
    secrets: new Map(),
    stakes: new Map(),
    undrawn: new Set(),
    won: new Map(),
    poolsJoined: new Map(),
    summary: {
      players: players.map((a) => a.name),
      entries: { mine: 0, stake: 0, burn: 0 },
      mined: 0n,
      staked: 0n,
      burned: 0n,
      commits: 0,
      reveals: 0,
      draws: [],
      claims: 0,
      rewardsClaimed: 0n,
      rewardTax: 0n,
      stakesWithdrawn: 0n,
      pools: {
        formed: 0,
        contributions: 0,
        contributed: 0n,
        played: 0,
        settled: 0,
        proceeds: 0n,
        payouts: 0,
        principalPaid: 0n,
        sharesPaid: 0n,
      },
    },
  };
}

/** The secret of `agent` for `epoch`: a hash of the run's key material only the simulation knows. */
function secretOf(agent: Agent, lottery: Address, epoch: bigint): `0x${string}` {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "address" }, { type: "uint256" }, { type: "uint256" }],
      [`civitas-sim lottery secret ${agent.rng.fork("lottery-secret").int(0, 2 ** 30)}`, lottery, epoch, 0n],
    ),
  );
}

/** Lives the lottery's part of one day (see the module's comment). */
export async function lotteryDay(run: SimulationRun, state: LotteryState | null, day: number): Promise<void> {
  if (state === null) return;
  const { client, agents, agentIds, contracts } = run;
  const { lottery, pools, policy, summary } = state;
  const names = new Map(agents.map((a) => [a.address.toLowerCase(), a.name]));
  const nameOf = (address: Address) =>
    address.toLowerCase() === pools?.address.toLowerCase()
      ? "pool"
      : (names.get(address.toLowerCase()) ?? address);
  const block = await client.getBlock({ blockTag: "latest" });
  const now = block.timestamp;
  const players = agents.filter((a) => a.archetype === PLAYER_ARCHETYPE && agentIds.has(a.address));
  const undrawn = [...state.undrawn].sort((a, b) => Number(a - b));
  const poolList = [...state.poolsJoined];
  const reads = await readMany(
    client,
    [
      { ...lottery, functionName: "currentEpoch" },
      ...players.flatMap((a) => [
        { ...contracts.registry, functionName: "isInGoodStanding", args: [a.address] } as ReadCall,
        { ...contracts.token, functionName: "balanceOf", args: [a.address] } as ReadCall,
      ]),
      ...undrawn.flatMap((e) => [
        { ...lottery, functionName: "epochInfo", args: [e] } as ReadCall,
        { ...lottery, functionName: "epochStart", args: [e + 1n] } as ReadCall,
        ...(pools ? [{ ...pools, functionName: "poolOfEpoch", args: [e] } as ReadCall] : []),
      ]),
      ...(pools
        ? poolList.map(([id]) => ({ ...pools, functionName: "poolOf", args: [id] }) as ReadCall)
        : []),
    ],
    { blockNumber: block.number },
  );
  const current = reads[0] as bigint;
  let at = 1;
  const good: Agent[] = [];
  const balance = new Map<Agent, bigint>();
  for (const agent of players) {
    if (reads[at] as boolean) good.push(agent);
    balance.set(agent, reads[at + 1] as bigint);
    at += 2;
  }
  const epochs = undrawn.map((epoch) => {
    const info = reads[at] as { drawn: boolean };
    const ends = reads[at + 1] as bigint;
    const poolId = pools ? (reads[at + 2] as bigint) : 0n;
    at += pools ? 3 : 2;
    return { epoch, drawn: info.drawn, ends, poolId };
  });
  const poolViews = new Map(
    poolList.map(([id], i) => [id, reads[at + i] as { epoch: bigint; state: number; contributed: bigint }]),
  );

  const events = (receipt: TransactionReceipt) =>
    parseEventLogs({ abi: abis.blockLotteryAbi, logs: receipt.logs }).filter(
      (log) => log.address.toLowerCase() === lottery.address.toLowerCase(),
    );
  const poolEvents = (receipt: TransactionReceipt) =>
    pools
      ? parseEventLogs({ abi: abis.poolAgreementsAbi, logs: receipt.logs }).filter(
          (log) => log.address.toLowerCase() === pools.address.toLowerCase(),
        )
      : [];
  /** Records the draws, pool events and the lottery's payouts of a receipt. */
  const note = (receipt: TransactionReceipt) => {
    for (const log of events(receipt)) {
      const a = log.args as Record<string, unknown>;
      if (log.eventName === "Drawn") {
        const epoch = a.epoch as bigint;
        state.undrawn.delete(epoch);
        const winner = a.winner as Address;
        const reward = a.reward as bigint;
        summary.draws.push({
          epoch,
          outcome: DrawOutcome.nameOf(a.outcome as number),
          winner: nameOf(winner),
          reward,
        });
        const agent = agents.find((x) => x.address.toLowerCase() === winner.toLowerCase());
        if (agent !== undefined && reward > 0n) state.won.set(epoch, agent);
      } else if (log.eventName === "RewardClaimed") {
        summary.claims++;
        summary.rewardsClaimed += a.reward as bigint;
        summary.rewardTax += a.tax as bigint;
        state.won.delete(a.epoch as bigint);
      } else if (log.eventName === "StakeWithdrawn") {
        if ((a.account as Address).toLowerCase() !== pools?.address.toLowerCase())
          summary.stakesWithdrawn += a.amount as bigint;
      } else if (log.eventName === "Entered") {
        if ((a.entrant as Address).toLowerCase() === pools?.address.toLowerCase()) continue;
        const kind = EntryKind.nameOf(a.kind as number);
        if (kind === "Mine") {
          summary.entries.mine++;
          summary.mined += a.amount as bigint;
        } else if (kind === "Stake") {
          summary.entries.stake++;
          summary.staked += a.amount as bigint;
        } else summary.entries.burn++;
        state.undrawn.add(a.epoch as bigint);
      } else if (log.eventName === "Burned") summary.burned += a.amount as bigint;
      else if (log.eventName === "Committed") summary.commits++;
      else if (log.eventName === "Revealed") summary.reveals++;
    }
    for (const log of poolEvents(receipt)) {
      const a = log.args as Record<string, unknown>;
      const p = summary.pools;
      if (log.eventName === "PoolCreated") p.formed++;
      else if (log.eventName === "PoolJoined") {
        p.contributions++;
        p.contributed += a.amount as bigint;
      } else if (log.eventName === "PoolPlayed") {
        p.played++;
        state.undrawn.add(a.epoch as bigint);
      } else if (log.eventName === "PoolSettled") {
        p.settled++;
        p.proceeds += a.proceeds as bigint;
      } else if (log.eventName === "PoolClaimed") {
        p.payouts++;
        p.principalPaid += a.principal as bigint;
        p.sharesPaid += a.share as bigint;
      }
    }
  };
  const plans = new Map<Agent, Intent[]>();
  const plan = (agent: Agent, label: string, call: Intent["call"], onMined?: Intent["onMined"]) =>
    plans.set(agent, [
      ...(plans.get(agent) ?? []),
      { label, call, onMined: (receipt) => (note(receipt), onMined?.(receipt)) },
    ]);
  const send = async (phase: string) => {
    if (plans.size === 0) return;
    const list = [...plans].map(([agent, intents]) => ({ agent, intents }));
    plans.clear();
    await executeIntents(run, day, phase, list, now);
  };

  // 1. Withdraw ended stakes, reveal open windows, claim rewards won; draw or settle; pool claims.
  for (const agent of good) {
    for (const epoch of state.stakes.get(agent) ?? [])
      if (epoch < current)
        plan(
          agent,
          "lottery.withdrawStake",
          { ...lottery, functionName: "withdrawStake", args: [epoch] },
          () => state.stakes.get(agent)?.delete(epoch),
        );
  }
  for (const [epoch, secrets] of state.secrets) {
    const info = epochs.find((e) => e.epoch === epoch);
    const opens = info?.ends;
    if (opens === undefined || now < opens) continue;
    for (const [agent, secret] of secrets) {
      if (now < opens + state.revealWindow && good.includes(agent))
        plan(agent, "lottery.reveal", { ...lottery, functionName: "reveal", args: [epoch, secret] });
      secrets.delete(agent); // revealed now, or the window is missed (the bond goes to the Treasury)
    }
    if (secrets.size === 0) state.secrets.delete(epoch);
  }
  for (const [epoch, agent] of state.won)
    if (good.includes(agent))
      plan(agent, "lottery.claim", { ...lottery, functionName: "claim", args: [epoch] }, () =>
        state.won.delete(epoch),
      );
  await send("lottery.reveal");

  const drawer = good[0];
  if (drawer !== undefined) {
    for (const e of epochs) {
      if (e.drawn) {
        state.undrawn.delete(e.epoch);
        continue;
      }
      if (now < e.ends + state.revealWindow) continue;
      const pool = e.poolId !== 0n ? poolViews.get(e.poolId) : undefined;
      if (pools && pool !== undefined && PoolState.nameOf(pool.state) !== "Settled")
        plan(drawer, "pool.settle", { ...pools, functionName: "settle", args: [e.poolId] });
      else plan(drawer, "lottery.draw", { ...lottery, functionName: "draw", args: [e.epoch] });
    }
  }
  // Pools of ended epochs that nobody played (their epoch has no draw of ours to wait for) settle too.
  if (pools && drawer !== undefined)
    for (const [id, view] of poolViews)
      if (
        PoolState.nameOf(view.state) === "Open" &&
        view.epoch < current &&
        !epochs.some((e) => e.poolId === id)
      )
        plan(drawer, "pool.settle", { ...pools, functionName: "settle", args: [id] });
  await send("lottery.draw");

  if (pools) {
    const settled = await readMany(
      client,
      poolList.map(([id]) => ({ ...pools, functionName: "poolOf", args: [id] }) as ReadCall),
    );
    poolList.forEach(([id, { members }], i) => {
      if (PoolState.nameOf((settled[i] as { state: number }).state) !== "Settled") return;
      for (const agent of members)
        if (good.includes(agent))
          plan(agent, "pool.claim", { ...pools, functionName: "claim", args: [id] }, () => {
            members.delete(agent);
            if (members.size === 0) state.poolsJoined.delete(id);
          });
    });
    await send("pool.claim");
  }

  // 2. Entries for the current epoch, each followed by a commitment.
  const players_ = good.filter((a) => (balance.get(a) ?? 0n) > policy.playAbove);
  const newcomers = players_.filter((a) => !state.approved.has(a.address));
  for (const agent of newcomers) {
    const approve = (spender: Address) =>
      plan(agent, "token.approve", {
        ...contracts.token,
        functionName: "approve",
        args: [spender, MAX_UINT256],
      });
    approve(lottery.address);
    if (pools) approve(pools.address);
  }
  if (newcomers.length > 0) {
    const list = [...plans].map(([agent, intents]) => ({ agent, intents }));
    plans.clear();
    await executeIntents(run, day, "lottery.approve", list, now);
    newcomers.forEach((a) => state.approved.add(a.address));
  }
  for (const agent of players_) {
    const rng = agent.rng.fork(`lottery-${day}`);
    plan(agent, "lottery.mine", { ...lottery, functionName: "mine", args: [policy.mineUnits] });
    if (rng.chance(policy.stakeChance))
      plan(agent, "lottery.stake", { ...lottery, functionName: "stake", args: [policy.stakeAmount] }, () => {
        const set = state.stakes.get(agent) ?? new Set();
        state.stakes.set(agent, set.add(current));
      });
    if (rng.chance(policy.burnChance))
      plan(agent, "lottery.burn", { ...lottery, functionName: "burn", args: [policy.burnAmount] });
    const secret = secretOf(agent, lottery.address, current);
    const commitment = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "address" }, { type: "uint256" }],
        [secret, agent.address, current],
      ),
    );
    plan(agent, "lottery.commit", { ...lottery, functionName: "commit", args: [commitment] }, () => {
      const secrets = state.secrets.get(current) ?? new Map<Agent, `0x${string}`>();
      state.secrets.set(current, secrets.set(agent, secret));
    });
  }
  await send("lottery.enter");

  // 3. Pools: play the current epoch's pool; contribute to the next epoch's.
  if (pools && drawer !== undefined) {
    for (const [id, view] of poolViews)
      if (view.epoch === current && PoolState.nameOf(view.state) === "Open")
        plan(drawer, "pool.play", { ...pools, functionName: "play", args: [id] });
    for (const agent of players_)
      if (agent.rng.fork(`pool-${day}`).chance(policy.poolChance))
        plan(
          agent,
          "pool.contribute",
          { ...pools, functionName: "contribute", args: [current + 1n, policy.poolAmount] },
          (receipt) => {
            for (const log of poolEvents(receipt))
              if (log.eventName === "PoolJoined") {
                const id = log.args.poolId as bigint;
                const entry = state.poolsJoined.get(id) ?? { epoch: current + 1n, members: new Set<Agent>() };
                entry.members.add(agent);
                state.poolsJoined.set(id, entry);
              }
          },
        );
    await send("pool.enter");
  }
}

/** The report's lines about the lottery (nothing when the run had no player). */
export function renderLottery(summary: LotterySummary | undefined): string[] {
  if (summary === undefined) return [];
  const won = summary.draws.filter((d) => d.outcome === "Won");
  const outcomes: Record<string, number> = {};
  for (const d of summary.draws) outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
  const p = summary.pools;
  return [
    `Block lottery (players ${summary.players.join(", ")}): entries mine ${summary.entries.mine} ` +
      `(${summary.mined} gpu-seconds), stake ${summary.entries.stake} (${formatCiv(summary.staked, 0)}), ` +
      `burn ${summary.entries.burn} (${formatCiv(summary.burned, 0)} burned); ${summary.commits} commits, ` +
      `${summary.reveals} reveals.`,
    `  Draws: ${summary.draws.length} (${
      Object.entries(outcomes)
        .map(([o, n]) => `${o} ${n}`)
        .join(", ") || "none"
    }); winners: ${won.map((d) => `epoch ${d.epoch} ${d.winner} ${formatCiv(d.reward, 0)}`).join("; ") || "none"}; ` +
      `${summary.claims} rewards claimed, ${formatCiv(summary.rewardsClaimed, 0)} (tax ${formatCiv(summary.rewardTax, 2)}).`,
    `  Pools: ${p.formed} formed, ${p.contributions} contributions (${formatCiv(p.contributed, 0)}), ${p.played} played, ` +
      `${p.settled} settled, proceeds ${formatCiv(p.proceeds, 0)}; ${p.payouts} member payouts ` +
      `(principal ${formatCiv(p.principalPaid, 0)}, shares ${formatCiv(p.sharesPaid, 2)}).`,
  ];
}
