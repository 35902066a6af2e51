/**
 * A policy experiment (issue 18): a grid of deployment parameters over several seeds, each cell on its own
 * devnet (its own port), at most `parallel` at a time (bounded by the machine's cores), with a progress bar
 * over every simulated day; the results are written as a table (CSV and JSON) and one SVG chart per measure
 * (scripts/experiment/charts.ts). The CLI is scripts/experiment/run.ts (`npm run experiment`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { SingleBar } from "cli-progress";
import { type CellResult, runCell } from "./cell.ts";
import { chartOption, MEASURES, renderSvg } from "./charts.ts";
import { type Axis, type Cell, gridCells } from "./grid.ts";

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  axes: Axis[];
  seeds: string[];
  agents: number;
  days: number;
  /** Cells run at once (at most the machine's cores, see {@link maxParallel}). */
  parallel: number;
  /** Where the files go (created). */
  outDir: string;
  /** The first devnet port: worker slot `i` uses `basePort + i` (free ports when absent). */
  basePort?: number;
  /** Every this many days, each cell appends survival and flows so far to its `checkpoints.jsonl`. */
  checkpointEvery?: number;
  /** Show the progress bar (default: when stderr is a terminal). */
  progress?: boolean;
  /** The resource market and metering in every cell (default true; `--no-market`: false). */
  market?: boolean;
}

/** A failed cell. */
export interface CellError {
  index: number;
  label: string;
  seed: string;
  error: string;
}

/** What {@link runExperiment} wrote and measured. */
export interface ExperimentResult {
  results: CellResult[];
  errors: CellError[];
  files: { csv: string; json: string; charts: string[] };
}

/** Cells the machine can run at once: one per core. */
export function maxParallel(): number {
  return Math.max(1, availableParallelism());
}

/** Columns of the CSV, in order (the grid's axes come first). */
const COLUMNS = [
  "seed",
  "agents",
  "days",
  "survival",
  "productiveSurvival",
  "gini",
  "treasury",
  "taxRevenue",
  "cityTasks",
  "meanJobPrice",
  "netOutflowPerMonth",
  "runwayMonths",
  "market",
  "computePrice",
  "computeDenials",
  "withheldActions",
  "seconds",
] as const;

/** Quotes a CSV field when it needs it (RFC 4180). */
function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The results as CSV: one row per cell, the axes' values first, then the measures, then survival by archetype. */
export function toCsv(axes: readonly Axis[], results: readonly CellResult[]): string {
  const archetypes = [...new Set(results.flatMap((r) => Object.keys(r.byArchetype)))];
  const header = [...axes.map((a) => a.key), ...COLUMNS, ...archetypes.map((a) => `alive:${a}`)];
  const rows = [...results]
    .sort((a, b) => a.index - b.index)
    .map((r) => [
      ...axes.map((a) => r.point[a.key]),
      ...COLUMNS.map((c) => r[c]),
      ...archetypes.map((a) => r.byArchetype[a] ?? ""),
    ]);
  return `${[header, ...rows].map((row) => row.map(csvField).join(",")).join("\n")}\n`;
}

/**
 * Runs every cell of the grid, `parallel` at a time, then writes the files.
 * @throws When `parallel` exceeds the machine's cores or the grid is malformed; a cell that fails is
 * recorded in `errors` (and in results.json) and the others go on.
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const cells = gridCells(options.axes, options.seeds);
  if (!Number.isInteger(options.parallel) || options.parallel < 1 || options.parallel > maxParallel())
    throw new Error(`parallel must be between 1 and ${maxParallel()} (the machine's cores)`);
  mkdirSync(options.outDir, { recursive: true });
  const workDir = join(options.outDir, "cells");
  mkdirSync(workDir, { recursive: true });

  const bar = new SingleBar({
    format:
      "Experiment {bar} {percentage}% | {value}/{total} days | cells {done}/{cells} done, {running} running, {failed} failed | {eta_formatted} left",
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  });
  const showBar = options.progress ?? process.stderr.isTTY === true;
  const state = { done: 0, running: 0, failed: 0, cells: cells.length };
  if (showBar) bar.start(cells.length * options.days, 0, state);
  let daysDone = 0;
  const tick = () => showBar && bar.update(daysDone, state);

  // One Ignition deploy at a time: deploys are the heaviest step and share the build's artifacts.
  let deployQueue: Promise<unknown> = Promise.resolve();
  const deployLock = <T>(task: () => Promise<T>): Promise<T> => {
    const next = deployQueue.then(task, task);
    deployQueue = next.catch(() => undefined);
    return next;
  };

  const results: CellResult[] = [];
  const errors: CellError[] = [];
  const queue: Cell[] = [...cells];
  const worker = async (slot: number) => {
    for (let cell = queue.shift(); cell !== undefined; cell = queue.shift()) {
      state.running++;
      tick();
      let lived = 0;
      try {
        results.push(
          await runCell(cell, {
            agents: options.agents,
            days: options.days,
            workDir,
            port: options.basePort === undefined ? undefined : options.basePort + slot,
            deployLock,
            checkpointEvery: options.checkpointEvery,
            market: options.market,
            onDay: (day) => {
              daysDone += day - lived;
              lived = day;
              tick();
            },
          }),
        );
        state.done++;
      } catch (error) {
        state.failed++;
        errors.push({
          index: cell.index,
          label: cell.label,
          seed: cell.seed,
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        daysDone += options.days - lived; // a failed cell's remaining days count as passed
        state.running--;
        tick();
      }
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(options.parallel, cells.length) }, (_, slot) => worker(slot)),
    );
  } finally {
    if (showBar) bar.stop();
  }

  results.sort((a, b) => a.index - b.index);
  const csv = join(options.outDir, "results.csv");
  writeFileSync(csv, toCsv(options.axes, results));
  const json = join(options.outDir, "results.json");
  writeFileSync(
    json,
    `${JSON.stringify(
      {
        grid: options.axes.map((a) => ({
          key: a.key,
          parameter: `${a.spec.module}.${a.spec.name}`,
          unit: a.spec.unit,
          values: a.labels,
        })),
        seeds: options.seeds,
        agents: options.agents,
        days: options.days,
        parallel: options.parallel,
        market: options.market ?? true,
        results,
        errors,
      },
      null,
      2,
    )}\n`,
  );
  const charts: string[] = [];
  if (results.length > 0) {
    const subtitle = `${options.agents} agents, ${options.days} days, ${options.seeds.length} seed(s) per point`;
    for (const measure of MEASURES) {
      const file = join(options.outDir, `${measure.key}.svg`);
      writeFileSync(file, renderSvg(chartOption(results, measure, subtitle)));
      charts.push(file);
    }
  }
  return { results, errors, files: { csv, json, charts } };
}
