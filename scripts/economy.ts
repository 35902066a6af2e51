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
 * 5. keeps the devnet and the indexer running and prints their URLs until Ctrl-C (`--once`: exits).
 *
 * Usage: `npm start -- [--agents N] [--days N] [--seed S] [--rpc-port P] [--indexer-port P] [--once]`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, InvalidArgumentError } from "commander";
import { createCivitasPublicClient } from "./lib/clients.ts";
import { civitasContracts } from "./lib/contracts.ts";
import { deploymentPath, REPO_ROOT } from "./lib/deployment.ts";
import { deployProtocol, startDevnet } from "./lib/devnet.ts";
import { runSimulation, type SimulationResult } from "./sim/engine.ts";
import { type RunReport, renderSummary, writeReport } from "./sim/report.ts";
import { type EconomySummary, escrowOutcomes, readChainSummary } from "./sim/summary.ts";

/** A running indexer, as `indexer/run.ts` exports it. */
interface Indexer {
  url: string;
  graphqlUrl: string;
  stop(): Promise<void>;
  waitForIndexedBlock(block: number | bigint): Promise<void>;
}

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
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
  .option("-v, --verbose", "print every failed action as it happens")
  .showHelpAfterError();

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
  const options = program.parse().opts<{
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
  }>();
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

  try {
    const t0 = Date.now();
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
      });
    } finally {
      bar.stop();
    }

    const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
    const lastBlock = await client.getBlockNumber({ cacheTime: 0 });
    let summary: EconomySummary;
    if (indexer) {
      process.stdout.write(`Waiting for the indexer to reach block ${lastBlock}... `);
      await indexer.waitForIndexedBlock(lastBlock);
      console.log("done.");
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
    const urls: Record<string, string> = {
      rpc: devnet.rpcUrl,
      deployment: deploymentPath(deployment.chainId),
    };
    if (indexer) {
      Object.assign(urls, {
        graphql: indexer.graphqlUrl,
        indexer: indexer.url,
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
      },
      urls,
      simulation: {
        ...sim,
        dayEndBlocks: sim.dayEndBlocks.map((d) => ({ day: d.day, block: d.block.toString() })),
      },
      escrowOutcomes: escrowOutcomes(summary.escrows),
      summary,
    };
    console.log(
      `Report: ${writeReport(report, options.reportsDir)} (total ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );

    if (options.once) return void (await shutdown(0));
    console.log("\nCivitas is running. Ctrl-C stops everything.");
    for (const [name, url] of Object.entries(urls)) console.log(`  ${name.padEnd(11)} ${url}`);
    await new Promise(() => undefined);
  } catch (error) {
    console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

await main();
