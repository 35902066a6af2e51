/**
 * Sustained transaction throughput of the simulation driver against a local devnet.
 *
 * Usage: `node bench/sim-throughput.ts [agents=100] [days=5] [seed=bench]` (through npx for Node 22:
 * `npx node bench/sim-throughput.ts`). Starts its own devnet on a free port and deploys to a temporary
 * folder; prints sent/succeeded transactions, blocks, wall time and tx/s of the days loop (setup excluded),
 * successful actions by label and failures by custom error (`VERBOSE=1` prints each failure;
 * `GOVERNANCE_DAY=n` moves the proposal).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployProtocol, startDevnet } from "../scripts/lib/devnet.ts";
import { runSimulation } from "../scripts/sim/engine.ts";

const [agents = 100, days = 5] = process.argv.slice(2, 4).map(Number);
const seed = process.argv[4] ?? "bench";
const dir = mkdtempSync(join(tmpdir(), "civitas-bench-"));
const devnet = await startDevnet();
try {
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir: dir });
  const governanceDay = Number(process.env.GOVERNANCE_DAY ?? 8);
  const result = await runSimulation({
    rpcUrl: devnet.rpcUrl,
    deployment,
    agents,
    days,
    seed,
    governanceDay,
  });
  const s = result.stats;
  const seconds = result.wallTimeMs / 1000;
  console.log(`agents ${agents}, days ${days}, seed ${seed}`);
  console.log(
    `sent ${s.sent}, succeeded ${s.succeeded}, reverted ${s.revertedOnChain}, refused ${s.rejectedBeforeSending}`,
  );
  console.log(
    `days loop: ${result.sentInDays} tx in ${seconds.toFixed(1)} s = ${(result.sentInDays / seconds).toFixed(1)} tx/s (setup excluded); blocks ${s.blocks} in all`,
  );
  const t = s.timings;
  console.log(
    `time: read world ${(t.readMs / 1000).toFixed(1)} s, sign+send ${(t.sendMs / 1000).toFixed(1)} s, mine+receipts ${(t.mineMs / 1000).toFixed(1)} s (setup included)`,
  );
  console.log(`actions: ${JSON.stringify(s.actions)}`);
  console.log(`failures: ${JSON.stringify(s.errors)}`);
  if (process.env.VERBOSE)
    for (const r of result.revertSamples) console.log(`  day ${r.day} ${r.phase} ${r.agent} ${r.message}`);
  console.log(`starved ${result.starved.length}, proposals ${result.proposals.length}`);
} finally {
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
}
