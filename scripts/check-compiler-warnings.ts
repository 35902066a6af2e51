/**
 * Compiles every contract from scratch and fails when the compiler warns about any of our own sources.
 * Warnings inside node_modules (OpenZeppelin's) are reported but do not fail the check.
 *
 * Usage: `npm run lint:warnings` (exit 0 when clean, 1 when a warning points at contracts/ or test/).
 */
import { spawnSync } from "node:child_process";

const result = spawnSync("npx", ["hardhat", "build", "--force", "--build-profile", "production"], {
  encoding: "utf8",
  env: { ...process.env, HARDHAT_DISABLE_TELEMETRY: "true" },
});
const output = `${result.stdout}\n${result.stderr}`;
if (result.status !== 0) {
  process.stderr.write(output);
  process.exit(result.status ?? 1);
}

const locations = [...output.matchAll(/-->\s+(\S+)/g)].map((match) => match[1]);
const ours = locations.filter((location) => !location.includes("node_modules/"));
if (ours.length > 0) {
  process.stderr.write(output);
  process.stderr.write(`\nCompiler warnings in our sources (treated as errors):\n  ${ours.join("\n  ")}\n`);
  process.exit(1);
}
console.log(`No compiler warnings in our sources (${locations.length} in dependencies).`);
