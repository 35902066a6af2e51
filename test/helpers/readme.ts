/**
 * Helpers for tests that run README sections as written: its fenced code blocks, and a newcomer's shell
 * (the machine's own Node, no npm variables).
 */
import { execFile } from "node:child_process";
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
 * The environment of a newcomer's shell: this project's node_modules/.bin (Node 22) and npm's variables
 * removed, so that `node` is the machine's own (Node 20) and npm runs as typed in a terminal.
 */
export function plainShellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => !dir.includes("node_modules"))
    .join(delimiter);
  return { ...env, HARDHAT_DISABLE_TELEMETRY: "true", PONDER_TELEMETRY_DISABLED: "true", CI: "true" };
}

/** Runs a bash script; resolves with its exit code and output. */
export function bash(
  script: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) =>
    execFile(
      "bash",
      ["-euo", "pipefail", "-c", script],
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    ),
  );
}
