import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";
import { bash, plainShellEnv, readmeSection } from "../../test/helpers/readme.ts";

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
      .replaceAll(" /tmp", ` ${work}`)
      .replaceAll("path/to/civitas", REPO_ROOT)
      .replaceAll("path/to/your-project", project);
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
