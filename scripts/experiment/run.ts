/**
 * `npm run experiment`: policy experiments (issue 18). Runs the simulation over a grid of deployment
 * parameters and several seeds, on parallel devnets, and writes results.csv, results.json and one SVG chart
 * per measure into `--out` (default `reports/experiment-<time>/`).
 *
 * Usage: `npm run experiment -- [--grid tax=500,1000,2000] [--grid upkeep=50,100] [--seeds 2]
 * [--agents 20] [--days 30] [--parallel N] [--base-port P] [--checkpoint DAYS] [--no-market] [--out DIR]`. Grid names: tax, cap (bps), upkeep,
 * grant, taskBudget, taskCap, stakingReward (CIV), or any Ignition parameter as `<Module>.<name>` (raw).
 * Needs the build's generated ABIs (`npm run build`).
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { REPO_ROOT } from "../lib/deployment.ts";
import { type Axis, parseAxis } from "./grid.ts";

/** The grid when none is given: the tax against the upkeep. */
export const DEFAULT_GRID = ["tax=500,1000,2000", "upkeep=50,100"];

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};

const axis = (value: string, previous: Axis[] = []) => {
  try {
    return [...previous, parseAxis(value)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

async function main(): Promise<void> {
  if (!existsSync(join(REPO_ROOT, "generated", "abis.ts"))) {
    console.error("npm run experiment: run `npm run build` first (it generates the typed ABIs).");
    process.exit(1);
  }
  const { maxParallel, runExperiment } = await import("./experiment.ts");
  const { runningDevnets } = await import("./cell.ts");
  // Ctrl-C: stop every cell's devnet (they run in their own process groups), then exit.
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      console.error(`\n${signal}: stopping ${runningDevnets.size} devnet(s)...`);
      void Promise.allSettled([...runningDevnets].map((stop) => stop())).then(() => process.exit(130));
    });
  const cores = maxParallel();
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const program = new Command()
    .name("npm run experiment --")
    .description(
      "Run the simulation over a grid of deployment parameters and seeds; write a table and charts.",
    )
    .option(
      "-g, --grid <name=v1,v2>",
      `an axis of the grid, repeatable (default ${DEFAULT_GRID.join(" ")})`,
      axis,
    )
    .option("--seeds <n>", "seeds per grid point (seed-1, seed-2, ...)", positiveInt("seeds"), 2)
    .option("-a, --agents <n>", "agents per run", positiveInt("agents"), 20)
    .option("-d, --days <n>", "simulated days per run", positiveInt("days"), 30)
    .option(
      "-p, --parallel <n>",
      `cells at once (at most ${cores}, the cores)`,
      positiveInt("parallel"),
      cores,
    )
    .option(
      "--checkpoint <days>",
      "every N days, append each cell's survival and flows so far to cells/cell-<i>/checkpoints.jsonl",
      positiveInt("checkpoint"),
    )
    .option("--base-port <port>", "first devnet port (default: free ports)", positiveInt("base-port"))
    .option("--no-market", "every cell without the resource market and metering (a comparison run)")
    .option("-o, --out <dir>", "where the files go", join(REPO_ROOT, "reports", `experiment-${stamp}`))
    .showHelpAfterError();
  const options = program.parse().opts<{
    grid?: Axis[];
    seeds: number;
    agents: number;
    days: number;
    parallel: number;
    basePort?: number;
    checkpoint?: number;
    market: boolean;
    out: string;
  }>();
  if (options.parallel > cores)
    program.error(`--parallel ${options.parallel}: this machine has ${cores} cores`);
  const axes = options.grid ?? DEFAULT_GRID.map((a) => parseAxis(a));
  const seeds = Array.from({ length: options.seeds }, (_, i) => `seed-${i + 1}`);
  const cells = axes.reduce((n, a) => n * a.labels.length, 1) * seeds.length;
  console.log(
    `Experiment: ${cells} runs (${axes.map((a) => `${a.key} × ${a.labels.length}`).join(", ") || "default"}, ` +
      `${seeds.length} seeds) of ${options.agents} agents × ${options.days} days, ${options.parallel} at a time` +
      `${options.market ? "" : ", without the resource market"}.`,
  );
  const { results, errors, files } = await runExperiment({
    axes,
    seeds,
    agents: options.agents,
    days: options.days,
    parallel: options.parallel,
    basePort: options.basePort,
    checkpointEvery: options.checkpoint,
    market: options.market,
    outDir: options.out,
  });
  for (const r of results)
    console.log(
      `  ${r.label} ${r.seed}: productive alive ${(r.productiveSurvival * 100).toFixed(0)}%, ` +
        `all ${(r.survival * 100).toFixed(0)}%, Gini ${r.gini.toFixed(3)}, runway ` +
        `${r.runwayMonths === null ? "unlimited" : `${r.runwayMonths.toFixed(1)} months`} (${r.seconds} s)`,
    );
  for (const e of errors) console.error(`  ${e.label} ${e.seed}: FAILED: ${e.error.split("\n")[0]}`);
  const rel = (file: string) =>
    relative(process.cwd(), file).startsWith("..") ? file : relative(process.cwd(), file);
  console.log(`Table: ${rel(files.csv)}, ${rel(files.json)}`);
  if (files.charts.length > 0) console.log(`Charts: ${files.charts.map(rel).join(", ")}`);
  process.exit(errors.length > 0 ? 1 : 0);
}

await main();
