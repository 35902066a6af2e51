/**
 * Gas snapshot of the hot paths (bench/lib/hot-paths.ts) against the checked-in bench/gas-snapshot.json.
 * Fails (exit 1) when any path costs more than 2% above its snapshot, and says which; a path that got
 * cheaper by more than 2% is reported so the snapshot can be lowered. Deterministic: gas does not depend on
 * load or timing, so this runs in CI (.ci/run) after the tests.
 *
 * Usage: `npm run gas:check`; after an intended change, `npm run gas:update` rewrites the snapshot (commit
 * it with the change and say why in BENCHMARKS.md).
 */
import { readFileSync, writeFileSync } from "node:fs";

import { measureHotPaths } from "./lib/hot-paths.ts";

const SNAPSHOT = new URL("./gas-snapshot.json", import.meta.url);
/** Largest tolerated increase over the snapshot, in bps (2%). */
const TOLERANCE_BPS = 200n;

const measured = await measureHotPaths();
if (process.env.GAS_SNAPSHOT_UPDATE === "1") {
  const json = Object.fromEntries([...measured].map(([k, v]) => [k, Number(v)]));
  writeFileSync(SNAPSHOT, JSON.stringify(json, null, 2) + "\n");
  console.log(`gas snapshot written: ${measured.size} paths`);
} else {
  const snapshot = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as Record<string, number>;
  const failures: string[] = [];
  for (const [name, expected] of Object.entries(snapshot)) {
    const gas = measured.get(name);
    if (gas === undefined) {
      failures.push(`${name}: in the snapshot but no longer measured`);
      continue;
    }
    const base = BigInt(expected);
    const deltaBps = ((gas - base) * 10_000n) / base;
    const line = `${name}: ${gas} (snapshot ${base}, ${deltaBps >= 0n ? "+" : ""}${Number(deltaBps) / 100}%)`;
    if (deltaBps > TOLERANCE_BPS) failures.push(line);
    else if (deltaBps < -TOLERANCE_BPS)
      console.log(`cheaper, lower the snapshot (npm run gas:update): ${line}`);
    else console.log(`ok ${line}`);
  }
  for (const name of measured.keys())
    if (!(name in snapshot)) failures.push(`${name}: measured but not in the snapshot`);
  if (failures.length > 0) {
    console.error(`gas regression above ${Number(TOLERANCE_BPS) / 100}% (or snapshot out of date):`);
    for (const f of failures) console.error(`  ${f}`);
    console.error("If the increase is intended, run `npm run gas:update` and explain it in BENCHMARKS.md.");
    process.exit(1);
  }
}
