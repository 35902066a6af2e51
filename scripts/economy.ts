/**
 * The run behind `npm start` (scripts/start.ts builds quietly, then imports this module): a living Civitas
 * economy on a local devnet, end to end. Also runnable directly once built: `node scripts/economy.ts`.
 *
 * 1. starts a Hardhat devnet on 127.0.0.1 and deploys Civitas (`deployments/<chainId>.json`);
 * 2. starts the indexer (Ponder, under its supervisor) on its embedded database (PGlite), its log kept in
 *    `reports/indexer-<start time>.log` (path in the banner);
 * 3. runs the agent simulation (default 20 agents x 30 days) with a progress bar;
 * 4. prints summary tables read from the indexer's GraphQL API and writes them as a JSON report to
 *    `reports/`;
 * 5. keeps the devnet and the indexer running until Ctrl-C (`--once`: exits): publishes the economy in
 *    `.civitas/local.json` (scripts/lib/discovery.ts; removed on exit) for the CLI, SDK and MCP server,
 *    prints what to paste to use it from another shell and which funded dev accounts are free, and keeps
 *    the simulated agents living, a simulated day every `--day-seconds` (scripts/sim/live.ts; `--pause`:
 *    they wait).
 *
 * Usage: `npm start -- [--agents N] [--days N] [--seed S] [--rpc-port P] [--indexer-port P] [--once]
 * [--day-seconds N] [--pause] [--policy llm --llm-url URL --model NAME [--llm-share F]] [--information]
 * [--no-market]`.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, InvalidArgumentError } from "commander";
import { formatEther } from "viem";
import { createCivitasPublicClient } from "./lib/clients.ts";
import { type IndexerVerdict, waitForIndexer } from "./lib/indexerWait.ts";
import { civitasContracts } from "./lib/contracts.ts";
import { deploymentPath, REPO_ROOT } from "./lib/deployment.ts";
import { deployProtocol, startDevnet } from "./lib/devnet.ts";
import { type LocalEconomy, removeLocalEconomy, writeLocalEconomy } from "./lib/discovery.ts";
import { formatCiv } from "./lib/format.ts";
import { runSimulation, type SimulationResult, type SimulationRun } from "./sim/engine.ts";
import { agentHooks, type AgentHookOptions, addAgentHookOptions } from "./sim/agent-options.ts";
import { DEFAULT_DAY_SECONDS, type FreeAccount, freeDevAccounts, startLiveEconomy } from "./sim/live.ts";
import { type RunReport, renderSummary, writeReport } from "./sim/report.ts";
import { type EconomySummary, escrowOutcomes, readChainSummary } from "./sim/summary.ts";
import { readEconomyHealth, renderHealth } from "./sim/health.ts";
import { readFlags, renderAudit, summarizeFlags } from "./sim/audit-summary.ts";
import type { BadActorsSummary } from "./sim/bad-actors.ts";

/** A running indexer, as `indexer/run.ts` exports it. */
interface Indexer {
  url: string;
  graphqlUrl: string;
  stop(): Promise<void>;
  status(): IndexerVerdict;
}

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};

const positiveNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};

const program = new Command()
  .name("npm start --")
  .description("Run a living Civitas agent economy on a local devnet, then keep it up for exploration.")
  .option("-a, --agents <n>", "number of agents", positiveInt("agents"), 20)
  .option("-d, --days <n>", "simulated days (one block-time day each)", positiveInt("days"), 30)
  .option("-s, --seed <seed>", "random seed: the same seed gives the same run", "civitas")
  .option("--rpc-port <port>", "devnet JSON-RPC port (default: a free port)", positiveInt("rpc-port"))
  .option(
    "--indexer-port <port>",
    "indexer HTTP/GraphQL port (default: a free port)",
    positiveInt("indexer-port"),
  )
  .option(
    "-g, --governance-day <n>",
    "the day an agent proposes to lower the tax",
    positiveInt("governance-day"),
    8,
  )
  .option("--no-indexer", "skip the indexer (summary read from the chain instead)")
  .option("--reports-dir <dir>", "where the JSON report goes", join(REPO_ROOT, "reports"))
  .option("--once", "exit after the summary instead of keeping the devnet and indexer running")
  .option(
    "--day-seconds <n>",
    "after the summary, wall-clock seconds per simulated day while the agents go on living",
    positiveNumber("day-seconds"),
    DEFAULT_DAY_SECONDS,
  )
  .option("--pause", "after the summary, keep the economy up but let no simulated day pass")
  .option("-v, --verbose", "print every failed action as it happens")
  .showHelpAfterError();
addAgentHookOptions(program);

/** Loads the indexer's launcher when the indexer exists in this checkout. */
async function loadIndexer(): Promise<((options: Record<string, unknown>) => Promise<Indexer>) | undefined> {
  const file = join(REPO_ROOT, "indexer", "run.ts");
  if (!existsSync(file)) return undefined;
  const module = (await import(file)) as {
    startIndexer?: (options: Record<string, unknown>) => Promise<Indexer>;
  };
  return module.startIndexer;
}

async function main(): Promise<void> {
  const options = program.parse().opts<
    {
      agents: number;
      days: number;
      governanceDay: number;
      seed: string;
      rpcPort?: number;
      indexerPort?: number;
      indexer: boolean;
      reportsDir: string;
      once?: boolean;
      verbose?: boolean;
      daySeconds: number;
      pause?: boolean;
    } & AgentHookOptions
  >();
  const startedAt = new Date().toISOString();
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(`shutdown: ${error}`));
    process.exit(code);
  };
  process.on("SIGINT", () => {
    console.log("\nStopping the indexer and the devnet...");
    void shutdown(0);
  });
  process.on("SIGTERM", () => void shutdown(0));
  // Whatever ends the process, the discovery file does not outlive it (a no-op when it is not ours).
  process.on("exit", () => removeLocalEconomy());

  try {
    const t0 = Date.now();
    const extensions = await agentHooks(options, { reportsDir: options.reportsDir, startedAt });
    stops.push(extensions.close);
    console.log("Starting the devnet...");
    const devnet = await startDevnet({ port: options.rpcPort });
    stops.push(devnet.stop);
    console.log(`Devnet at ${devnet.rpcUrl}. Deploying Civitas...`);
    const deployment = await deployProtocol(devnet.rpcUrl);
    console.log(
      `Deployed (${Object.keys(deployment.contracts).join(", ")}) from block ${deployment.startBlock}.`,
    );

    let indexer: Indexer | undefined;
    const startIndexer = options.indexer ? await loadIndexer() : undefined;
    const indexerLog = join(options.reportsDir, `indexer-${startedAt.replace(/[:.]/g, "-")}.log`);
    if (startIndexer) {
      console.log(`Starting the indexer (embedded PGlite; log: ${indexerLog})...`);
      indexer = await startIndexer({
        rpcUrl: devnet.rpcUrl,
        port: options.indexerPort,
        chainId: deployment.chainId,
        logFile: indexerLog,
        // The supervisor's alarms also reach the terminal: a restart, a reorg, stale data.
        log: (line: string) => {
          if (/supervisor: (status (stale|restarting|recovering)|reorg|restart)/.test(line))
            process.stderr.write(`\nindexer: ${line.replace(/^\S+ supervisor: /, "")}`);
        },
      });
      stops.push(indexer.stop);
      console.log(`Indexer at ${indexer.url}.`);
    } else if (options.indexer) {
      console.log("No indexer in this checkout (indexer/run.ts): the summary will be read from the chain.");
    }

    const bar = new SingleBar({
      format: "Simulating {bar} day {value}/{total} | {sent} tx, {failed} failed | {eta_formatted} left",
      hideCursor: true,
      clearOnComplete: false,
    });
    bar.start(options.days, 0, { sent: 0, failed: 0 });
    let sim: SimulationResult;
    let run: SimulationRun | undefined;
    try {
      sim = await runSimulation({
        rpcUrl: devnet.rpcUrl,
        deployment,
        agents: options.agents,
        days: options.days,
        seed: options.seed,
        governanceDay: options.governanceDay,
        onDay: (day, stats) =>
          bar.update(day, { sent: stats.sent, failed: stats.revertedOnChain + stats.rejectedBeforeSending }),
        onRevert: options.verbose
          ? (r) => process.stderr.write(`\nday ${r.day} ${r.agent} ${r.message}\n`)
          : undefined,
        onFinished: (finished) => (run = finished),
        hooks: extensions.hooks(deployment, indexer?.graphqlUrl),
        market: options.market,
      });
    } finally {
      bar.stop();
    }

    const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
    const lastBlock = await client.getBlockNumber({ cacheTime: 0 });
    let summary: EconomySummary;
    if (indexer) {
      console.log(`Waiting for the indexer to reach block ${lastBlock} (a few blocks a second)...`);
      await waitForIndexer(indexer, lastBlock);
      const { readIndexerSummary } = await import("./sim/indexer-summary.ts");
      summary = await readIndexerSummary(indexer.graphqlUrl, sim.agents);
    } else {
      summary = await readChainSummary(
        client,
        civitasContracts(deployment),
        sim.agents,
        sim.dayEndBlocks,
        BigInt(deployment.startBlock),
        sim.proposals,
      );
    }
    console.log(renderSummary(summary, sim));
    // Issue 18: survival by archetype, the Treasury's flows by kind and its runway (scripts/sim/health.ts).
    const health = await readEconomyHealth(
      client,
      civitasContracts(deployment),
      summary.agents,
      BigInt(deployment.startBlock),
      sim.dayEndBlocks[0]?.block ?? 0n,
      sim.days,
    );
    console.log(renderHealth(health));
    // Issue 15: what the auditor flagged, from the indexer's flags (scripts/sim/audit-summary.ts).
    const audit = indexer
      ? summarizeFlags(
          await readFlags(indexer.graphqlUrl),
          sim.agents,
          sim.extensions?.badActors as BadActorsSummary | undefined,
        )
      : undefined;
    if (audit) console.log(renderAudit(audit).join("\n"));
    const urls: Record<string, string> = {
      rpc: devnet.rpcUrl,
      deployment: deploymentPath(deployment.chainId),
    };
    if (indexer) {
      Object.assign(urls, {
        graphql: indexer.graphqlUrl,
        indexer: indexer.url,
        dashboard: `${indexer.url}/dashboard/`, // the web dashboard (dashboard/)
        status: `${indexer.url}/indexer/status`,
        "indexer log": indexerLog,
      });
    }
    const report: RunReport = {
      startedAt,
      options: {
        agents: options.agents,
        days: options.days,
        seed: options.seed,
        governanceDay: options.governanceDay,
        ...extensions.options,
      },
      urls,
      simulation: {
        ...sim,
        dayEndBlocks: sim.dayEndBlocks.map((d) => ({ day: d.day, block: d.block.toString() })),
      },
      escrowOutcomes: escrowOutcomes(summary.escrows),
      summary,
      health,
      ...(audit ? { audit } : {}),
    };
    console.log(
      `Report: ${writeReport(report, options.reportsDir)} (total ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );

    if (options.once) return void (await shutdown(0));
    const economy: LocalEconomy = {
      chainId: deployment.chainId,
      rpcUrl: devnet.rpcUrl,
      graphqlUrl: indexer?.graphqlUrl ?? "",
      indexerUrl: indexer?.url ?? "",
      deploymentsDir: dirname(deploymentPath(deployment.chainId)),
      pid: process.pid,
      startedAt: Math.floor(Date.now() / 1000),
    };
    writeLocalEconomy(economy);
    stops.push(async () => removeLocalEconomy());
    const contracts = civitasContracts(deployment);
    const live = await startLiveEconomy(run!, {
      lastDay: options.days,
      days: options.days,
      governanceDay: options.governanceDay,
      daySeconds: options.daySeconds,
      paused: options.pause,
      onError: (error) => console.error(`live day failed: ${error instanceof Error ? error.message : error}`),
    });
    stops.push(() => live.stop());
    console.log(
      joinBanner({
        economy,
        urls,
        free: await freeDevAccounts(client, contracts),
        sim,
        birthGrant: await client.readContract({ ...contracts.registry, functionName: "birthGrant" }),
        pace: options.pause ? "paused" : `a simulated day every ${options.daySeconds} s`,
      }),
    );
    await new Promise(() => undefined);
  } catch (error) {
    console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

await main();

/**
 * The banner printed once the economy is up: where it runs, what to paste in another shell to use it, the
 * free funded dev accounts, and simulated agents that answer an outsider.
 */
function joinBanner(input: {
  economy: LocalEconomy;
  urls: Record<string, string>;
  free: FreeAccount[];
  sim: SimulationResult;
  birthGrant: bigint;
  pace: string;
}): string {
  const { economy, urls, free, sim, birthGrant, pace } = input;
  const living = (archetype: string) =>
    sim.agents.find((a) => a.archetype === archetype && a.agentId > 0n && !sim.starved.includes(a.address));
  const worker = living("worker");
  const arbitrator = living("arbitrator");
  const validator = living("validator");
  const first = free[0];
  const lines = [
    "",
    `Civitas is running; the agents go on living (${pace}). Ctrl-C stops everything.`,
    ...Object.entries(urls).map(([name, url]) => `  ${name.padEnd(11)} ${url}`),
    `  discovery   ${relativeToCwd(join(REPO_ROOT, ".civitas", "local.json"))} (read by the CLI, SDK and MCP server)`,
    "",
    "Take part from another shell in this folder (paste):",
    `  export CIVITAS_RPC_URL=${economy.rpcUrl}`,
    ...(economy.graphqlUrl ? [`  export CIVITAS_GRAPHQL_URL=${economy.graphqlUrl}`] : []),
    ...(first
      ? [`  export CIVITAS_PRIVATE_KEY=${first.privateKey}   # free dev account #${first.index}`]
      : ["  export CIVITAS_PRIVATE_KEY=0x...   # your key; `npm run agent -- faucet` gives it gas money"]),
    `  npm run agent -- register            # the birth grant: ${formatCiv(birthGrant)}`,
  ];
  if (worker && arbitrator)
    lines.push(
      `  npm run agent -- job create --provider ${worker.address} --arbitrator ${arbitrator.address} --amount 50 --days 5`,
      "  npm run agent -- job show 1   # use the id printed above: Agreed and Accepted within a simulated day;",
      "                                # then `job fund <id>`, the worker delivers, `job approve <id>`",
    );
  lines.push(
    "",
    `Free funded dev accounts (${free.length}: not the deployer, the guardian or a city reviewer, not registered):`,
    ...free
      .slice(0, 3)
      .map((a) => `  #${a.index} ${a.address} ${formatEther(a.balance)} ETH  key ${a.privateKey}`),
    ...(free.length > 3
      ? [
          `  ... and #${free
            .slice(3)
            .map((a) => a.index)
            .join(", #")} (Hardhat's mnemonic)`,
        ]
      : []),
    "A fresh key of your own: `npm run agent -- faucet` gives it gas money (devnet ETH), then `register`.",
    "",
    "Simulated agents that answer outsiders:",
    ...(worker
      ? [`  ${worker.name.padEnd(14)} ${worker.address}  agrees to and delivers jobs offered to it`]
      : []),
    ...(arbitrator
      ? [
          `  ${arbitrator.name.padEnd(14)} ${arbitrator.address}  accepts jobs naming it (bond) and rules disputes`,
        ]
      : []),
    ...(validator
      ? [`  ${validator.name.padEnd(14)} ${validator.address}  a validator: \`stake delegate\` to it`]
      : []),
  );
  return lines.join("\n");
}

/** A path relative to the working directory when inside it. */
function relativeToCwd(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}
