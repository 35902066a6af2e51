/**
 * Checkpoints of a long run (issue 18: the 100-agent, 90-day run): every `every` simulated days, the
 * survival by archetype and the Treasury's flows and runway so far (scripts/sim/health.ts), appended as one
 * JSON line to a file, so that a run stopped before its end still leaves its measurements. A simulation
 * hook (scripts/sim/hooks.ts): it reads, it sends nothing.
 */
import { appendFileSync } from "node:fs";
import type { SimulationHook } from "../sim/hooks.ts";
import { productiveShare, readTreasuryFlows, survivalByArchetype } from "../sim/health.ts";

/**
 * A hook appending a checkpoint line to `file` every `every` days.
 * @param fromBlock The deployment's start block (the flows' totals count from it).
 */
export function checkpointHook(file: string, every: number, fromBlock: bigint): SimulationHook {
  let daysFrom = 0n;
  let written = 0;
  return {
    name: "checkpoints",
    async start(run) {
      daysFrom = await run.client.getBlockNumber({ cacheTime: 0 });
    },
    async day(run, world) {
      if (world.day % every !== 0) return;
      const survival = survivalByArchetype(
        world.agents
          .filter((a) => world.agentIds.has(a.address))
          .map((a) => ({ archetype: a.archetype, starved: world.starved.has(a.address) })),
      );
      const flows = await readTreasuryFlows(run.client, run.contracts, fromBlock, daysFrom, world.day);
      const line = {
        day: world.day,
        at: new Date().toISOString(),
        productiveAlive: productiveShare(survival),
        survival,
        flows: { ...flows, runwayMonths: Number.isFinite(flows.runwayMonths) ? flows.runwayMonths : null },
      };
      appendFileSync(file, `${JSON.stringify(line, (_, v) => (typeof v === "bigint" ? v.toString() : v))}\n`);
      written++;
    },
    summary: () => ({ file, every, written }),
  };
}
