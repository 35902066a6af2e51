import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { expect } from "chai";
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

describe("test kit: packed, installed into another project on Node 20, its fixture runs a job", function () {
  this.timeout(1_800_000);
  const work = mkdtempSync(join(tmpdir(), "civitas-pack-"));
  after(() => rmSync(work, { recursive: true, force: true }));

  it("runs README's 'Test your agent against Civitas' commands and test file as written", async function () {
    const { sh, js } = readmeSection("Test your agent against Civitas");
    expect(sh).to.have.length(1);
    expect(js).to.have.length(1);
    const project = join(work, "your-project");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "your-project", private: true, type: "module" }, null, 2),
    );
    writeFileSync(join(project, "agent.test.mjs"), js[0]!);
    // The README's placeholders, and its /tmp, become this test's folders; nothing else changes.
    const script = sh[0]!
      .replaceAll("path/to/civitas", REPO_ROOT)
      .replaceAll("path/to/your-project", project)
      .replaceAll(" /tmp", ` ${work}`);
    const env = plainShellEnv();

    const version = await bash("node --version", { cwd: project, env, timeoutMs: 10_000 });
    expect(version.output.trim()).to.match(/^v20\./, "the project runs on the machine's Node 20");

    // Bounded: the install and the run get 15 minutes each at most (the registry is the only network).
    const run = await bash(script, { cwd: project, env, timeoutMs: 1_500_000 });
    if (run.code !== 0) throw new Error(`README commands exited ${run.code}:\n${run.output.slice(-8000)}`);
    expect(run.output).to.match(/# pass 1/);
    expect(run.output).to.match(/# fail 0/);
    const installed = JSON.parse(
      readFileSync(join(project, "node_modules", "civitas", "package.json"), "utf8"),
    ) as { exports: Record<string, unknown> };
    expect(installed.exports["."]).to.deep.equal({
      types: "./dist/kit/index.d.ts",
      default: "./dist/kit/index.js",
    });
  });
});
