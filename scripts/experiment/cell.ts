/**
 * One cell of a policy experiment: its own devnet (its own port), the protocol deployed with the cell's
 * parameters, the simulation lived for the cell's seed, and the measures read back from the chain — the
 * same summary (scripts/sim/summary.ts) and health (scripts/sim/health.ts) `npm start` prints.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createCivitasPublicClient } from "../lib/clients.ts";
import { civitasContracts } from "../lib/contracts.ts";
import { REPO_ROOT } from "../lib/deployment.ts";
import { deployProtocol, startDevnet } from "../lib/devnet.ts";
import { runSimulation } from "../sim/engine.ts";
import { type EconomyHealth, readEconomyHealth } from "../sim/health.ts";
import { readChainSummary } from "../sim/summary.ts";
import { checkpointHook } from "./checkpoint.ts";
import { type Cell, writeCellParameters } from "./grid.ts";

/** What an experiment measures in one cell (amounts in CIV as numbers, for tables and plots). */
export interface CellResult {
  index: number;
  label: string;
  seed: string;
  point: Record<string, string>;
  agents: number;
  days: number;
  /** Share of all agents alive at the end (0..1). */
  survival: number;
  /** Share of productive agents (workers, arbitrators, validators, providers) alive at the end (0..1). */
  productiveSurvival: number;
  /** Gini of agents' balances at the end of the last day. */
  gini: number;
  /** The Treasury's balance at the end, CIV. */
  treasury: number;
  /** Tax collected over the run, CIV. */
  taxRevenue: number;
  /** Paid to agents for city tasks over the run, CIV. */
  cityTasks: number;
  /** Mean amount of the jobs agreed in escrow (the price of work), CIV; 0 when there were none. */
  meanJobPrice: number;
  /** Net Treasury outflow per 30 days over the run's days, CIV. */
  netOutflowPerMonth: number;
  /** Months of runway at that rate (`null` when the Treasury grows). */
  runwayMonths: number | null;
  /** Survival by archetype, `alive/total`. */
  byArchetype: Record<string, string>;
  /** Whether the resource market and metering ran (false with `--no-market`). */
  market: boolean;
  /** Mean clearing price of the compute market's cleared epochs with trade, CIV per gpu-second (0: none). */
  computePrice: number;
  /** Compute usage denials on chain (the simulation's meter) over the run. */
  computeDenials: number;
  /** Agents' actions withheld for want of compute over the run (scripts/sim/market.ts). */
  withheldActions: number;
  /** Wall time of the cell, seconds. */
  seconds: number;
}

/** Options of one cell's run. */
export interface CellOptions {
  agents: number;
  days: number;
  /** Where the cell's parameters and deployment go. */
  workDir: string;
  /** The devnet's port (a free one when absent). */
  port?: number;
  /** Called after each simulated day. */
  onDay?: (day: number) => void;
  /** Every this many days, append survival and flows so far to `<cell dir>/checkpoints.jsonl`. */
  checkpointEvery?: number;
  /** Serialises deployments (one Ignition deploy at a time keeps the machine responsive). */
  deployLock?: <T>(task: () => Promise<T>) => Promise<T>;
  /** The resource market and metering (default true; `--no-market`: false). */
  market?: boolean;
}

/** Stops of the devnets running now, so that an interrupted experiment leaves none behind (run.ts). */
export const runningDevnets = new Set<() => Promise<void>>();

const civ = (wei: bigint) => Number(wei / 10n ** 14n) / 10_000;

/**
 * Runs one cell end to end and stops its devnet whatever happens.
 * @throws When the devnet, the deployment or the node fails (the runner records it as the cell's error).
 */
export async function runCell(cell: Cell, options: CellOptions): Promise<CellResult> {
  const started = Date.now();
  const dir = join(options.workDir, `cell-${cell.index}`);
  mkdirSync(dir, { recursive: true });
  const parameters = writeCellParameters(cell, dir);
  const devnet = await startDevnet({ port: options.port });
  runningDevnets.add(devnet.stop);
  try {
    // Its own Ignition journal (parallel devnets may share a genesis hash), removed once deployed.
    const deploymentId = `civitas-31337-experiment-${process.pid}-${cell.index}`;
    const deploy = () =>
      deployProtocol(devnet.rpcUrl, {
        deploymentsDir: dir,
        compile: false,
        parameters,
        deploymentId,
      }).finally(() =>
        rmSync(join(REPO_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true }),
      );
    const deployment = await (options.deployLock ? options.deployLock(deploy) : deploy());
    const sim = await runSimulation({
      rpcUrl: devnet.rpcUrl,
      deployment,
      agents: options.agents,
      days: options.days,
      seed: cell.seed,
      market: options.market,
      onDay: (day) => options.onDay?.(day),
      hooks: options.checkpointEvery
        ? [
            checkpointHook(
              join(dir, "checkpoints.jsonl"),
              options.checkpointEvery,
              BigInt(deployment.startBlock),
            ),
          ]
        : [],
    });
    const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
    const contracts = civitasContracts(deployment);
    const fromBlock = BigInt(deployment.startBlock);
    // The Gini series needs only the last day here.
    const lastDay = sim.dayEndBlocks.slice(-1);
    const summary = await readChainSummary(client, contracts, sim.agents, lastDay, fromBlock, sim.proposals);
    const health: EconomyHealth = await readEconomyHealth(
      client,
      contracts,
      summary.agents,
      fromBlock,
      sim.dayEndBlocks[0]?.block ?? 0n,
      sim.days,
    );
    const jobs = summary.escrows.filter((e) => e.state !== "Cancelled" && e.state !== "Created");
    const alive = summary.agents.filter((a) => !a.starved).length;
    const runway = health.flows.runwayMonths;
    const traded = (sim.market?.epochs ?? []).filter((e) => e.sold > 0n);
    return {
      index: cell.index,
      label: cell.label,
      seed: cell.seed,
      point: cell.point,
      agents: options.agents,
      days: options.days,
      survival: summary.agents.length === 0 ? 1 : alive / summary.agents.length,
      productiveSurvival: health.productiveAlive,
      gini: summary.giniByDay.at(-1)?.gini ?? 0,
      treasury: civ(summary.treasuryBalance),
      taxRevenue: civ(summary.taxCollected),
      cityTasks: civ(health.flows.outflows["city tasks"] ?? 0n),
      meanJobPrice:
        jobs.length === 0 ? 0 : civ(jobs.reduce((sum, e) => sum + e.amount, 0n) / BigInt(jobs.length)),
      netOutflowPerMonth: civ(health.flows.netOutflowPerMonth),
      runwayMonths: Number.isFinite(runway) ? runway : null,
      byArchetype: Object.fromEntries(health.survival.map((s) => [s.archetype, `${s.alive}/${s.total}`])),
      market: sim.market !== undefined,
      computePrice:
        traded.length === 0 ? 0 : civ(traded.reduce((n, e) => n + e.price, 0n) / BigInt(traded.length)),
      computeDenials: (sim.market?.metering ?? []).reduce((n, m) => n + m.denials, 0),
      withheldActions: (sim.market?.withheld ?? []).reduce((n, w) => n + w.actions, 0),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    runningDevnets.delete(devnet.stop);
    await devnet.stop();
  }
}
