/**
 * README "Take part: join the running economy", run as written: `npm start` (a small population, fast
 * days), then the section's five commands in a newcomer's shell, with the banner's URLs and agents in place
 * of PORT, WORKER and ARBITRATOR; then the job is seen through (`job show`, `job fund`) until the worker is
 * paid. Also checks the discovery file `npm start` publishes and removes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";
import type { LocalEconomy } from "../../scripts/lib/discovery.ts";
import { bash, plainShellEnv, readmeSection } from "../../test/helpers/readme.ts";

describe("README: Take part (join the running economy in five commands)", function () {
  this.timeout(1_800_000);
  const home = mkdtempSync(join(tmpdir(), "civitas-take-part-"));
  let economy: ChildProcess;
  let banner = "";
  const env = { ...plainShellEnv(), CIVITAS_HOME: home };

  before(async function () {
    economy = spawn("npm", ["start", "--", "--agents", "8", "--days", "2", "--day-seconds", "2"], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        banner += chunk.toString();
        if (/Simulated agents that answer outsiders:[\s\S]*arbitrator-\d+/.test(banner)) resolve();
      };
      economy.stdout!.on("data", onData);
      economy.stderr!.on("data", onData);
      economy.once("exit", (code) => reject(new Error(`npm start exited (${code}):\n${banner}`)));
    });
  });

  after(async function () {
    if (economy.exitCode === null && economy.pid !== undefined) {
      const exited = new Promise((resolve) => economy.once("exit", resolve));
      process.kill(-economy.pid, "SIGINT");
      await exited;
    }
    expect(existsSync(join(home, "local.json")), "npm start removes its discovery file on exit").to.equal(
      false,
    );
    rmSync(home, { recursive: true, force: true });
  });

  const shell = async (script: string) => {
    const run = await bash(script, { cwd: REPO_ROOT, env, timeoutMs: 300_000 });
    if (run.code !== 0) throw new Error(`exited ${run.code}:\n${script}\n${run.output}`);
    return run.output;
  };

  it("publishes the economy and prints what to paste, free accounts and agents to hire", function () {
    const published = JSON.parse(readFileSync(join(home, "local.json"), "utf8")) as LocalEconomy;
    expect(banner).to.contain(`export CIVITAS_RPC_URL=${published.rpcUrl}`);
    expect(banner).to.contain(`export CIVITAS_GRAPHQL_URL=${published.graphqlUrl}`);
    expect(banner).to.match(/export CIVITAS_PRIVATE_KEY=0x[0-9a-f]{64} {3}# free dev account #1/);
    expect(banner).to.match(
      /Free funded dev accounts \(18: not the deployer, not the guardian, not registered\)/,
    );
    expect(published.chainId).to.equal(31337);
    expect(published.deploymentsDir).to.equal(join(REPO_ROOT, "deployments"));
  });

  it("runs the section's five commands as written, and the hired worker delivers and is paid", async function () {
    const published = JSON.parse(readFileSync(join(home, "local.json"), "utf8")) as LocalEconomy;
    const worker = /worker-\d+\s+(0x[0-9a-fA-F]{40})\s+agrees to and delivers/.exec(banner)![1]!;
    const arbitrator = /arbitrator-\d+\s+(0x[0-9a-fA-F]{40})\s+accepts jobs/.exec(banner)![1]!;
    const { sh } = readmeSection("Take part: join the running economy");
    expect(sh).to.have.length(1);
    const commands = sh[0]!.trim().split("\n");
    expect(commands).to.have.length(5);
    const script = sh[0]!
      .replaceAll("http://127.0.0.1:PORT/graphql", published.graphqlUrl)
      .replaceAll("http://127.0.0.1:PORT", published.rpcUrl)
      .replaceAll("WORKER", worker)
      .replaceAll("ARBITRATOR", arbitrator);
    // The key stays the same for the follow-up commands: print it at the end of the five.
    const out = await shell(`${script}\necho "KEY=$CIVITAS_PRIVATE_KEY"`);
    expect(out).to.contain("Added 10 ETH (devnet gas money)");
    expect(out).to.match(/birth grant 1,000 CIV \(Paid\)/);
    const id = /Created job (\d+)/.exec(out)![1]!;
    const key = /KEY=(0x[0-9a-f]{64})/.exec(out)![1]!;
    const exports = `export CIVITAS_RPC_URL=${published.rpcUrl} CIVITAS_PRIVATE_KEY=${key}\n`;
    const show = async () =>
      /Job \d+: (\w+)/.exec(await shell(`${exports}npm run agent -- job show ${id}`))?.[1];

    // The clock runs: poll (no time limit but the test's) until the worker agreed and the arbitrator accepted.
    let state = await show();
    while (state === "Created" || state === "Agreed") state = await show();
    expect(state).to.equal("Accepted");
    await shell(`${exports}npm run agent -- job fund ${id}`);
    while (state !== "Completed" && (state === "Accepted" || state === "Funded" || state === "Submitted")) {
      state = await show();
      // Approve if the review window is still open; the worker claims otherwise (both complete the job).
      if (state === "Submitted")
        await bash(`${exports}npm run agent -- job approve ${id}`, {
          cwd: REPO_ROOT,
          env,
          timeoutMs: 300_000,
        });
    }
    expect(state).to.equal("Completed");
  });
});
