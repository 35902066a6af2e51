/**
 * `npm start`: builds Civitas quietly, then runs the economy (scripts/economy.ts).
 *
 * The build (`npm run build`: compile the contracts, generate the typed ABIs) runs as a child process whose
 * output is kept and printed only when it fails, so a user's first screen is the run itself, not the
 * compiler's warnings about OpenZeppelin sources. The economy is imported only after the build, because it
 * needs the ABIs the build generates (`generated/abis.ts`).
 *
 * Usage: `npm start -- [options]` (options: see scripts/economy.ts or `npm start -- --help`).
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Runs `npm run build` with its output captured; resolves with the exit code and the output. */
function buildQuietly(): Promise<{ code: number; output: string }> {
  // Under `npm start`, npm_execpath is npm's own CLI: run it with this Node, with no shell in between.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli
    ? [process.execPath, [npmCli, "run", "build", "--silent"]]
    : ["npm", ["run", "build", "--silent"]];
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY: "true", CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
      shell: !npmCli && process.platform === "win32",
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", (error) => resolve({ code: 1, output: `cannot run npm: ${error.message}\n` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString() }));
  });
}

const started = Date.now();
process.stdout.write("Building the contracts and typed ABIs (a fresh clone compiles for about a minute)... ");
const build = await buildQuietly();
if (build.code !== 0) {
  console.log("failed.\n");
  process.stderr.write(build.output);
  console.error(`\nnpm start: the build failed (exit code ${build.code}); its output is above.`);
  process.exit(build.code);
}
console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s).`);
await import("./economy.ts");
