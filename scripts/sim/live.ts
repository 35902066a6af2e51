/**
 * Live mode: after `npm start`'s summary the simulated agents go on living, one simulated day every
 * `daySeconds` of wall time (or not at all while paused), and answer outsiders as their archetype does
 * with each other. Nothing here is special-cased for outsiders: the agents read every open escrow from the
 * chain each phase, so a job an outside key offers to a simulated worker is agreed to and delivered by it,
 * an arbitrator named by an outsider accepts (posting its bond) and rules a dispute, and anyone may
 * delegate stake to a simulated validator (delegation is permissionless).
 *
 * Between days the devnet automines, so an outsider's transaction is mined at once, as on any devnet.
 * During a day automine is off (the engine mines each phase with `evm_mine`); an outsider's transaction
 * sent meanwhile waits in the mempool for the next phase's block, and one more block after the day flushes
 * anything sent while automine was being switched back on.
 */
import { type Address, bytesToHex, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { type CivitasPublicClient, DEVNET_MNEMONIC } from "../lib/clients.ts";
import type { CivitasContracts } from "../lib/contracts.ts";
import { mineBlock, setAutomine } from "../lib/devchain.ts";
import { type SimulationRun, simulateDay } from "./engine.ts";
import { createCity, LIVE_CITY_POLICY } from "./city.ts";

/** Default wall-clock seconds per simulated day in live mode. */
export const DEFAULT_DAY_SECONDS = 5;

/** Options of {@link startLiveEconomy}. */
export interface LiveOptions {
  /** The day lived last by the run (live days follow it). */
  lastDay: number;
  /** The run's planned days (the agents' policies see it). */
  days: number;
  /** The day the run's governance proposal was due. */
  governanceDay: number;
  /** Wall-clock seconds between the starts of two simulated days (default {@link DEFAULT_DAY_SECONDS}). */
  daySeconds?: number;
  /** Start paused: no days pass until {@link LiveEconomy.resume}. */
  paused?: boolean;
  /** Called after each live day with its number and last block. */
  onDay?: (day: number, block: bigint) => void;
  /** Called when a live day fails (the loop goes on with the next day). */
  onError?: (error: unknown) => void;
}

/** A running live economy. */
export interface LiveEconomy {
  /** The last day lived so far. */
  readonly day: number;
  /** Stops passing days (the devnet keeps automining). */
  pause(): void;
  /** Resumes passing days. */
  resume(): void;
  /** Lives one day now (while paused too) and resolves with its last block. */
  step(): Promise<bigint>;
  /** Stops the loop and waits for a day in progress to end; automine stays on. */
  stop(): Promise<void>;
}

/**
 * Keeps a finished simulation run living in real time.
 * @param run The run, as `runSimulation`'s `onFinished` hands it over.
 * @param options Pace and callbacks.
 * @returns Controls of the loop; call `stop()` before stopping the devnet.
 */
export async function startLiveEconomy(run: SimulationRun, options: LiveOptions): Promise<LiveEconomy> {
  const daySeconds = options.daySeconds ?? DEFAULT_DAY_SECONDS;
  if (!(daySeconds > 0)) throw new Error(`live mode: daySeconds must be positive, got ${daySeconds}`);
  let day = options.lastDay;
  let paused = options.paused ?? false;
  let stopped = false;
  let current: Promise<bigint> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;

  await setAutomine(run.client, true);
  // City tasks an outsider can take and deliver at this pace (scripts/sim/city.ts, docs/economy.md).
  (run.city ??= createCity(run)).policy = LIVE_CITY_POLICY;

  /** One day with automine off, then automine back on and a block that mines anything left pending. */
  const liveDay = async (): Promise<bigint> => {
    await setAutomine(run.client, false);
    try {
      const end = await simulateDay(run, day + 1, options.days, options.governanceDay);
      day = end.day;
      return end.block;
    } finally {
      await setAutomine(run.client, true);
      await mineBlock(run.client);
    }
  };
  const step = (): Promise<bigint> => {
    // One day at a time: a step asked for during a day waits for it, then lives the next.
    const next = (current ?? Promise.resolve(0n)).catch(() => 0n).then(liveDay);
    current = next;
    return next;
  };
  /** Lives a day after `delayMs`, then schedules the next so that days start `daySeconds` apart. */
  const schedule = (delayMs: number) => {
    if (stopped || paused) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(async () => {
      const started = Date.now();
      ticking = true;
      try {
        const block = await step();
        options.onDay?.(day, block);
      } catch (error) {
        if (!stopped) options.onError?.(error);
      }
      ticking = false;
      schedule(Math.max(0, daySeconds * 1000 - (Date.now() - started)));
    }, delayMs);
  };
  schedule(daySeconds * 1000);

  return {
    get day() {
      return day;
    },
    pause() {
      paused = true;
      if (timer) clearTimeout(timer);
    },
    resume() {
      if (!paused || stopped) return;
      paused = false;
      if (!ticking) schedule(0); // else the day in progress schedules the next
    },
    step,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current?.catch(() => undefined);
    },
  };
}

/** Hardhat's node funds the first 20 accounts of {@link DEVNET_MNEMONIC}; account 0 deployed Civitas. */
export const DEVNET_FUNDED_ACCOUNTS = 20;

/** A funded devnet account a newcomer may use. */
export interface FreeAccount {
  /** HD index in {@link DEVNET_MNEMONIC}. */
  index: number;
  address: Address;
  privateKey: Hex;
  /** ETH balance, wei. */
  balance: bigint;
}

/**
 * The devnet's funded accounts nobody in the economy uses: not the deployer (index 0), not the timelock's
 * guardian, not a city-task reviewer (the simulation's clerk, scripts/sim/city.ts), not registered as an agent (simulated agents derive from index 100 on, see `agentAccount`),
 * and holding ETH. Read from the chain, so it stays true whoever registered meanwhile.
 * @returns The free accounts, by index.
 */
export async function freeDevAccounts(
  client: CivitasPublicClient,
  contracts: CivitasContracts,
): Promise<FreeAccount[]> {
  const guardian = await client.readContract({ ...contracts.timelock, functionName: "guardian" });
  const board = contracts.taskBoard;
  const reviewerRole =
    board === undefined ? undefined : await client.readContract({ ...board, functionName: "REVIEWER_ROLE" });
  const accounts = Array.from({ length: DEVNET_FUNDED_ACCOUNTS - 1 }, (_, i) => {
    const account = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: i + 1 });
    return { index: i + 1, address: account.address, privateKey: bytesToHex(account.getHdKey().privateKey!) };
  });
  const checked = await Promise.all(
    accounts.map(async (a) => {
      const [agentId, balance, reviewer] = await Promise.all([
        client.readContract({ ...contracts.registry, functionName: "agentIdOf", args: [a.address] }),
        client.getBalance({ address: a.address }),
        board === undefined || reviewerRole === undefined
          ? false
          : client.readContract({ ...board, functionName: "hasRole", args: [reviewerRole, a.address] }),
      ]);
      return { ...a, agentId, balance, reviewer };
    }),
  );
  return checked
    .filter(
      (a) =>
        a.agentId === 0n &&
        a.balance > 0n &&
        !a.reviewer &&
        a.address.toLowerCase() !== guardian.toLowerCase(),
    )
    .map(({ index, address, privateKey, balance }) => ({ index, address, privateKey, balance }));
}
