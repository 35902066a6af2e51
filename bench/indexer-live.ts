/**
 * Live indexing beside Ponder as shipped (issue 19): the default economy (`node scripts/economy.ts --once`,
 * 20 agents, `days` simulated days) indexed live by the indexer, once with the supervisor's rewrites of
 * Ponder (indexer/lib/supervisorChild.ts: no file watcher, realtime prefetch, commit of the written tables
 * only) and once without them — the anchor, Ponder 0.16 as shipped (CIVITAS_PONDER_WATCH=1,
 * CIVITAS_PONDER_REALTIME_PREFETCH=0, CIVITAS_PONDER_COMMIT_ALL_TABLES=1) — alternating, `rounds` times.
 *
 * Per run: the wall time of the whole run (devnet, deploy, indexer start, the simulation, the wait for the
 * indexer, the summary read from GraphQL), and from the indexer's log the blocks Ponder indexed live, their
 * events and the sum of its per-block indexing times ("Indexed block … (N ms)": handlers, cache, flush and
 * the block's commit). The simulation is seeded, so both arms index the same blocks.
 *
 * Usage: `npx node bench/indexer-live.ts [days=10] [rounds=2]` after `npm run build`. Prints each run as it
 * ends (with the 1-minute load average) and a Markdown table of medians.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve as resolvePath } from "node:path";
import { REPO_ROOT } from "../scripts/lib/deployment.ts";

const days = Number(process.argv[2] ?? 10);
const rounds = Number(process.argv[3] ?? 2);

/** The environment of each arm: the anchor turns the three rewrites off. */
const ARMS = {
  "Ponder as shipped (anchor)": {
    CIVITAS_PONDER_WATCH: "1",
    CIVITAS_PONDER_REALTIME_PREFETCH: "0",
    CIVITAS_PONDER_COMMIT_ALL_TABLES: "1",
  },
  "with the rewrites": {},
} satisfies Record<string, Record<string, string>>;
type Arm = keyof typeof ARMS;

/** One run's figures. */
interface Run {
  wallMs: number;
  blocks: number;
  events: number;
  indexingMs: number;
}

/** Sums Ponder's "Indexed block" lines of an indexer log (durations in ms or s). */
function liveIndexing(log: string): Omit<Run, "wallMs"> {
  let blocks = 0;
  let events = 0;
  let indexingMs = 0;
  for (const match of log.matchAll(
    /Indexed block chain=\S+ number=\d+ event_count=(\d+) \(([\d.]+)(ms|s)\)/g,
  )) {
    blocks++;
    events += Number(match[1]);
    indexingMs += Number(match[2]) * (match[3] === "s" ? 1000 : 1);
  }
  return { blocks, events, indexingMs };
}

/** Runs the economy once with the arm's environment; resolves with its figures. */
function runOnce(arm: Arm): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, ["scripts/economy.ts", "--once", "--days", String(days)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...ARMS[arm] },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("close", (code) => {
      const wallMs = Date.now() - started;
      const logFile = /log: (\S+?)\)/.exec(output)?.[1];
      if (code !== 0 || logFile === undefined) {
        reject(
          new Error(
            `the economy exited with ${code} (log ${logFile ?? "not printed"}):\n${output.slice(-2_000)}`,
          ),
        );
        return;
      }
      resolve({ wallMs, ...liveIndexing(readFileSync(resolvePath(REPO_ROOT, logFile), "utf8")) });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const results = new Map<Arm, Run[]>(Object.keys(ARMS).map((arm) => [arm as Arm, []]));
for (let round = 1; round <= rounds; round++) {
  for (const arm of Object.keys(ARMS) as Arm[]) {
    const run = await runOnce(arm);
    results.get(arm)!.push(run);
    console.log(
      `[round ${round}, load ${loadavg()[0]!.toFixed(1)}] ${arm}: wall ${seconds(run.wallMs)}; ${run.blocks} blocks ` +
        `(${run.events} events) indexed live in ${seconds(run.indexingMs)}, ${Math.round(run.indexingMs / run.blocks)} ms a block`,
    );
  }
}

const rows = [...results].map(([arm, runs]) => {
  const indexing = median(runs.map((r) => r.indexingMs));
  const blocks = median(runs.map((r) => r.blocks));
  return `| ${arm} | ${seconds(median(runs.map((r) => r.wallMs)))} | ${blocks} | ${seconds(indexing)} | ${Math.round(indexing / blocks)} ms |`;
});
console.log(
  [
    "",
    `Medians of ${rounds} run(s) each, ${days} simulated days:`,
    "",
    "| arm | wall time (`--once`) | blocks indexed live | Ponder's live indexing time | per block |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
  ].join("\n"),
);
