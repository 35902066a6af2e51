/**
 * The floor under the indexer's restart times (issue 19: "ready within 5 s after a SIGTERM and within 15 s
 * after a SIGKILL"): a minimal Ponder 0.16 app — one contract (the token's `Transfer`), one table, one
 * handler, GraphQL, PGlite, Ponder's defaults — started and restarted on the same devnet, in the same run
 * and the same way as `npm run indexer` (indexer/run.ts), alternating, so that both see the same machine.
 *
 * For each: the first start on an empty database, then `rounds` restarts after SIGTERM (the old process
 * has exited, its lock released) and after SIGKILL; each timed from the new process's spawn until `/health`
 * answers 200 (the HTTP server is up: Ponder has loaded, built the app and opened its database) and until
 * `/ready` answers 200 (historical indexing done; ours also requires the indexer within 3 blocks of the
 * head). The chain is idle (a deployment and 20 payments), so what is measured is starting, not indexing.
 *
 * Usage: `npx node bench/ponder-floor.ts [rounds=3]` after `npm run build`. Ports: CIVITAS_BENCH_PORT and
 * the next two (else free ones). Prints each measure as it is taken (with the 1-minute load average) and
 * a Markdown table of medians.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../scripts/lib/deployment.ts";
import { QUIET_ENV, deployProtocol, freePort, startDevnet } from "../scripts/lib/devnet.ts";
import { chainClients, send } from "../test/indexer/helpers.ts";

const rounds = Number(process.argv[2] ?? 3);
const basePort = process.env.CIVITAS_BENCH_PORT ? Number(process.env.CIVITAS_BENCH_PORT) : undefined;
const PONDER_BIN = join(REPO_ROOT, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const say = (line: string) =>
  console.log(`[${new Date().toISOString()} load ${loadavg()[0]!.toFixed(1)}] ${line}`);

/** The minimal app's files (under indexer/.ponder, so that `ponder` and `hono` resolve from the repo). */
function writeMinimalApp(dir: string): void {
  mkdirSync(join(dir, "src", "api"), { recursive: true });
  writeFileSync(
    join(dir, "ponder.config.ts"),
    `import { createConfig } from "ponder";
const Transfer = { type: "event", name: "Transfer", anonymous: false, inputs: [
  { name: "from", type: "address", indexed: true },
  { name: "to", type: "address", indexed: true },
  { name: "value", type: "uint256", indexed: false },
] } as const;
export default createConfig({
  database: { kind: "pglite", directory: process.env.FLOOR_PGLITE_DIR! },
  chains: { devnet: { id: 31337, rpc: process.env.FLOOR_RPC_URL!, disableCache: true } },
  contracts: {
    Token: {
      chain: "devnet",
      abi: [Transfer],
      address: process.env.FLOOR_TOKEN as \`0x\${string}\`,
      startBlock: Number(process.env.FLOOR_START_BLOCK),
    },
  },
});
`,
  );
  writeFileSync(
    join(dir, "ponder.schema.ts"),
    `import { onchainTable } from "ponder";
export const transfer = onchainTable("transfer", (t) => ({
  id: t.text().primaryKey(),
  from: t.hex().notNull(),
  to: t.hex().notNull(),
  value: t.bigint().notNull(),
}));
`,
  );
  writeFileSync(
    join(dir, "src", "index.ts"),
    `import { ponder } from "ponder:registry";
import { transfer } from "ponder:schema";
ponder.on("Token:Transfer", async ({ event, context }) => {
  await context.db.insert(transfer).values({ id: event.id, ...event.args });
});
`,
  );
  writeFileSync(
    join(dir, "src", "api", "index.ts"),
    `import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { graphql } from "ponder";
const app = new Hono();
app.use("/graphql", graphql({ db, schema }));
export default app;
`,
  );
}

/**
 * Milliseconds from `since` until `url` answers 200 (polled every 25 ms). Throws if `child` exits first or
 * after 10 minutes.
 */
async function okAfter(url: string, since: number, child: ChildProcess): Promise<number> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `${url}: the process exited (${child.exitCode ?? child.signalCode}) before answering 200`,
      );
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return performance.now() - since;
    } catch {
      // not serving yet
    }
    if (performance.now() - since > 600_000) throw new Error(`${url} not 200 within 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** An app that can be started and stopped as a process: the minimal Ponder app or `npm run indexer`. */
interface Subject {
  label: string;
  url: string;
  spawn(): ChildProcess;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

const work = mkdtempSync(join(tmpdir(), "civitas-floor-bench-"));
mkdirSync(join(REPO_ROOT, "indexer", ".ponder"), { recursive: true });
const appDir = mkdtempSync(join(REPO_ROOT, "indexer", ".ponder", "floor-app-"));
const children = new Set<ChildProcess>();
const devnet = await startDevnet();
try {
  const deploymentsDir = join(work, "deployments");
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
  const { signers, token, registry } = await chainClients(devnet.rpcUrl, deployment);
  // Four registered agents (each holds its birth grant) pay a fifth account 20 times.
  for (const agent of signers.slice(1, 5))
    await send((registry!.connect(agent) as any)["register(string)"]("ipfs://bench"));
  for (let i = 0; i < 20; i++)
    await send((token.connect(signers[1 + (i % 4)]!) as any).transfer(signers[5]!.address, BigInt(i + 1)));
  writeMinimalApp(appDir);
  const ports = basePort !== undefined ? [basePort + 1, basePort + 2] : [await freePort(), await freePort()];
  const quiet = { ...process.env, ...QUIET_ENV };
  const subjects: Subject[] = [
    {
      label: "minimal Ponder app (anchor)",
      url: `http://127.0.0.1:${ports[0]}`,
      spawn: () =>
        spawn(
          process.execPath,
          [PONDER_BIN, "--root", appDir, "start", "--schema", "floor", "--port", String(ports[0])],
          {
            cwd: appDir,
            env: {
              ...quiet,
              FLOOR_PGLITE_DIR: join(work, "floor-pglite"),
              FLOOR_RPC_URL: devnet.rpcUrl,
              FLOOR_TOKEN: deployment.contracts.token,
              FLOOR_START_BLOCK: String(deployment.startBlock),
            },
            stdio: "ignore",
          },
        ),
    },
    {
      label: "npm run indexer (Civitas)",
      url: `http://127.0.0.1:${ports[1]}`,
      spawn: () =>
        spawn(
          process.execPath,
          [
            join(REPO_ROOT, "indexer", "run.ts"),
            ...["--rpc", devnet.rpcUrl, "--port", String(ports[1]), "--database-dir", join(work, "pglite")],
          ],
          { cwd: REPO_ROOT, env: { ...quiet, CIVITAS_DEPLOYMENTS_DIR: deploymentsDir }, stdio: "ignore" },
        ),
    },
  ];
  const running = new Map<Subject, ChildProcess>();
  const results = new Map<string, number[]>();
  const start = async (subject: Subject, how: string) => {
    const since = performance.now();
    const child = subject.spawn();
    children.add(child);
    running.set(subject, child);
    const health = await okAfter(`${subject.url}/health`, since, child);
    const ready = await okAfter(`${subject.url}/ready`, since, child);
    for (const [what, ms] of [
      [`${how}, until /health`, health],
      [`${how}, until /ready`, ready],
    ] as const) {
      const key = `${subject.label}\t${what}`;
      results.set(key, [...(results.get(key) ?? []), ms]);
      say(`${subject.label}: ${what}: ${seconds(ms)}`);
    }
  };
  const stop = async (subject: Subject, signal: NodeJS.Signals) => {
    const child = running.get(subject)!;
    child.kill(signal);
    await exited(child);
    children.delete(child);
  };

  for (const subject of subjects) {
    await start(subject, "first start, empty database");
    await stop(subject, "SIGTERM");
  }
  for (let round = 0; round < rounds; round++)
    for (const signal of ["SIGTERM", "SIGKILL"] as const)
      for (const subject of subjects) {
        await start(subject, `restart after ${signal}`);
        await stop(subject, signal);
      }

  console.log(`\nPGlite, ${rounds} round(s), median of each; load average now ${loadavg()[0]!.toFixed(1)}`);
  console.log(`| measure | ${subjects.map((s) => s.label).join(" | ")} | ratio |`);
  console.log(`| --- | ${subjects.map(() => "---:").join(" | ")} | ---: |`);
  const rows = [...new Set([...results.keys()].map((key) => key.split("\t")[1]!))];
  for (const row of rows) {
    const [anchor, ours] = subjects.map((s) => median(results.get(`${s.label}\t${row}`)!));
    console.log(`| ${row} | ${seconds(anchor!)} | ${seconds(ours!)} | ${(ours! / anchor!).toFixed(2)}x |`);
  }
} finally {
  for (const child of children) child.kill("SIGKILL");
  await devnet.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(appDir, { recursive: true, force: true });
}
