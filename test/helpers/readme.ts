/**
 * Helpers for tests that run README sections as written: its fenced code blocks, and a newcomer's shell
 * (the machine's own Node, no npm variables).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";

/** The fenced code blocks of a README section, by language. */
export function readmeSection(heading: string): { sh: string[]; js: string[] } {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const end = readme.indexOf("\n## ", start + 4);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = { sh: [] as string[], js: [] as string[] };
  for (const m of section.matchAll(/```(sh|js)\n([\s\S]*?)```/g)) blocks[m[1] as "sh" | "js"].push(m[2]!);
  return blocks;
}

/**
 * The environment of a newcomer's shell: this project's node_modules/.bin (Node 22), npm's variables and
 * the test runner's (Hardhat's, NODE_ENV) removed, so that `node` is the machine's own (Node 20) and npm and
 * Hardhat run as typed in a terminal.
 */
export function plainShellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Hardhat's test runner exports its own settings (HARDHAT_CONFIG names this checkout's config, which a
  // packed kit's Hardhat would then load instead of its own), HH_TEST and NODE_ENV=test: none is a newcomer's.
  for (const [k, v] of Object.entries(process.env))
    if (!/^(npm_|HARDHAT_|HH_)/i.test(k) && k !== "NODE_ENV" && k !== "INIT_CWD") env[k] = v;
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => !dir.includes("node_modules"))
    .join(delimiter);
  return { ...env, HARDHAT_DISABLE_TELEMETRY: "true", PONDER_TELEMETRY_DISABLED: "true", CI: "true" };
}

/**
 * Runs a bash script in a process group of its own; resolves with its exit code and its output, stdout and
 * stderr interleaved in the order they arrived (so the tail of a failure is where it failed). Past
 * `timeoutMs` the whole group is killed (bash and whatever it started) and the code is 124.
 */
export function bash(
  script: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString();
      resolve({ code: timedOut ? 124 : (code ?? 1), output: timedOut ? `${output}\n[timed out]` : output });
    });
  });
}
