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
import { createCivitasPublicClient } from "../../scripts/lib/clients.ts";
import { civitasContracts, loadDeployment } from "../../scripts/lib/contracts.ts";
import { queryGraphql } from "../../scripts/lib/graphql.ts";
import { EscrowState } from "../../scripts/lib/vocabulary.ts";
import { bash, plainShellEnv, readmeSection } from "../../test/helpers/readme.ts";

describe("README: Take part (join the running economy in five commands)", function () {
  this.timeout(3_600_000);
  const home = mkdtempSync(join(tmpdir(), "civitas-take-part-"));
  let economy: ChildProcess;
  let banner = "";
  // Ponder's first start compiles the app and opens PGlite: minutes on a loaded machine (as the kit allows).
  const env = { ...plainShellEnv(), CIVITAS_HOME: home, CIVITAS_INDEXER_START_TIMEOUT_MS: "600000" };

  before(async function () {
    economy = spawn("npm", ["start", "--", "--agents", "8", "--days", "2", "--day-seconds", "60"], {
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
    const run = await bash(script, { cwd: REPO_ROOT, env, timeoutMs: 1_200_000 });
    if (run.code !== 0) throw new Error(`exited ${run.code}:\n${script}\n${run.output}`);
    return run.output;
  };

  it("publishes the economy and prints what to paste, free accounts and agents to hire", function () {
    const published = JSON.parse(readFileSync(join(home, "local.json"), "utf8")) as LocalEconomy;
    expect(banner).to.contain(`export CIVITAS_RPC_URL=${published.rpcUrl}`);
    expect(banner).to.contain(`export CIVITAS_GRAPHQL_URL=${published.graphqlUrl}`);
    expect(banner).to.match(/export CIVITAS_PRIVATE_KEY=0x[0-9a-f]{64} {3}# free dev account #1/);
    expect(banner).to.match(
      /Free funded dev accounts \(17: not the deployer, the guardian or a city reviewer, not registered\)/,
    );
    // The summary names the richest agents by their full address (one can pay or hire them).
    expect(banner).to.match(/Richest agents[\s\S]*│ 0x[0-9a-fA-F]{40} │/);
    expect(published.chainId).to.equal(31337);
    expect(published.deploymentsDir).to.equal(join(REPO_ROOT, "deployments"));
  });

  it("runs the SQL-over-HTTP example (@ponder/client): its count of transfers is GraphQL's", async function () {
    const published = JSON.parse(readFileSync(join(home, "local.json"), "utf8")) as LocalEconomy;
    const example = join(REPO_ROOT, "docs", "examples", "sql-over-http.mjs");
    expect(readFileSync(join(REPO_ROOT, "README.md"), "utf8")).to.contain(readFileSync(example, "utf8"));
    const sqlCount = async () => {
      const out = await shell(`CIVITAS_INDEXER_URL=${published.indexerUrl} node ${example}`);
      expect(out).to.match(/^0x[0-9a-f]{40} [\d]+ CIV$/m);
      return Number(/^transfers: (\d+)$/m.exec(out)![1]);
    };
    const graphqlCount = async () => {
      const { transfers } = await queryGraphql<{ transfers: { totalCount: number } }>(
        published.graphqlUrl,
        "{ transfers { totalCount } }",
      );
      return transfers.totalCount;
    };
    // The economy lives on: compare in a window where nothing was indexed between the two SQL reads.
    for (;;) {
      const [before, graphql, after] = [await sqlCount(), await graphqlCount(), await sqlCount()];
      expect(before, "SQL over HTTP sees the indexed transfers").to.be.greaterThan(0);
      if (before !== after) continue;
      expect(graphql).to.equal(before);
      break;
    }
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
    // The clock runs (a simulated day a minute): the job's state is polled from the chain in this process, so
    // that a loaded machine (each CLI call starts Node) reacts within the job's deadlines; the newcomer's
    // own steps, and the state they see, go through the CLI as the section says.
    const client = createCivitasPublicClient(published.rpcUrl);
    const { escrow } = civitasContracts(loadDeployment(published.chainId, published.deploymentsDir));
    const state = async () =>
      EscrowState.nameOf(
        (await client.readContract({ ...escrow, functionName: "escrowOf", args: [BigInt(id)] })).state,
      );
    const pause = () => new Promise((resolve) => setTimeout(resolve, 500));
    const shown = async () =>
      /Job \d+: (\w+)/.exec(await shell(`${exports}npm run agent -- job show ${id}`))?.[1];

    // No time limit but the test's: wait until the worker agreed and the arbitrator accepted.
    let now = await state();
    while (now === "Created" || now === "Agreed") {
      await pause();
      now = await state();
    }
    expect(now).to.equal("Accepted");
    await shell(`${exports}npm run agent -- job fund ${id}`);
    while (now === "Accepted" || now === "Funded" || now === "Submitted") {
      await pause();
      now = await state();
      // Approve if the review window is still open; the worker claims otherwise (both complete the job).
      if (now === "Submitted")
        await bash(`${exports}npm run agent -- job approve ${id}`, {
          cwd: REPO_ROOT,
          env,
          timeoutMs: 1_200_000,
        });
    }
    expect(now).to.equal("Completed");
    expect(await shown()).to.equal("Completed");
  });
});
