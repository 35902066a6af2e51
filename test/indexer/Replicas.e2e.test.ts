/**
 * End to end: API-only replicas (`ponder serve`, indexer/replica.ts) beside one indexing process on
 * Postgres answer the same GraphQL as the indexer; the indexer's public port itself serves reads from the
 * supervisor's own replica (none reaches the indexing process), which is restarted when it crashes. Uses DATABASE_URL when set (test/indexer/postgres.sh),
 * otherwise starts a throwaway Postgres cluster itself (Debian's postgresql binaries, as postgres.sh does).
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { type Replica, startReplica } from "../../indexer/replica.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, freePort, startDevnet } from "../../scripts/lib/devnet.ts";
import { blockNumber, chainClients, gql, send } from "./helpers.ts";

/** A throwaway Postgres cluster in a temp folder (as the postgres user when running as root). */
async function throwawayPostgres(): Promise<{ url: string; stop(): void }> {
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort() : [];
  if (versions.length === 0) throw new Error("postgresql is not installed (apt-get install -y postgresql)");
  const bin = `/usr/lib/postgresql/${versions.at(-1)}/bin`;
  const dir = mkdtempSync(join(tmpdir(), "civitas-replicas-pg-"));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const run = (command: string) =>
    root
      ? execFileSync("su", ["postgres", "-c", command], { stdio: "ignore" })
      : execFileSync("bash", ["-c", command], { stdio: "ignore" });
  run(`${bin}/initdb -D ${dir}/data -U civitas --auth=trust`);
  run(`${bin}/pg_ctl -D ${dir}/data -o '-p ${port} -k ${dir} -h 127.0.0.1' -l ${dir}/log -w start`);
  return {
    url: `postgres://civitas@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run(`${bin}/pg_ctl -D ${dir}/data -m fast stop`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const QUERY = `{
  accounts(orderBy: "address", limit: 100) { totalCount items { address balance taxPaid totalEarned } }
  transfers(orderBy: "id", limit: 200) { totalCount items { id from to amount kind } }
  tokenState(id: "civ") { totalSupply }
}`;

// On a loaded machine Ponder may take minutes to serve HTTP (as the test kit in kit/serve.ts allows).
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";

describe("Indexer API-only replicas on Postgres (end to end)", function () {
  this.timeout(900_000);
  let devnet: Devnet;
  let deployment: Deployment;
  let indexer: Indexer;
  let postgres: { url: string; stop(): void } | undefined;
  const replicas: Replica[] = [];
  let work: string;
  const log: string[] = [];

  before(async function () {
    work = mkdtempSync(join(tmpdir(), "civitas-replicas-"));
    const databaseUrl = process.env.DATABASE_URL ?? (postgres = await throwawayPostgres()).url;
    devnet = await startDevnet();
    const deploymentsDir = join(work, "deployments");
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    const { provider, signers, token, registry } = await chainClients(devnet.rpcUrl, deployment);
    for (const agent of signers.slice(1, 4))
      await send((registry!.connect(agent) as any)["register(string)"]("ipfs://replica"));
    for (let i = 0; i < 6; i++)
      await send(
        (token.connect(signers[1 + (i % 3)]!) as any).transfer(signers[1 + ((i + 1) % 3)]!.address, 1n),
      );
    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      deploymentsDir,
      databaseUrl,
      schema: "replicated",
      log: (line) => log.push(line),
    });
    await indexer.waitForIndexedBlock(await blockNumber(provider), 600_000);
    replicas.push(
      ...(await Promise.all(
        [0, 1].map(() => startReplica({ databaseUrl, schema: "replicated", deploymentsDir })),
      )),
    );
  });

  after(async function () {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await indexer?.stop();
    await devnet?.stop();
    postgres?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("two replicas answer the same GraphQL as the indexer", async function () {
    const fromIndexer = await gql(indexer.graphqlUrl, QUERY);
    expect(fromIndexer.transfers.totalCount).to.be.greaterThan(6);
    for (const replica of replicas) expect(await gql(replica.graphqlUrl, QUERY)).to.deep.equal(fromIndexer);
  });

  /** The indexing process's API counters (`/metrics/api` is answered by it, not by the replica). */
  async function indexingProcessGraphqlRequests(): Promise<number> {
    const text = await (await fetch(`${indexer.url}/metrics/api`)).text();
    return Number(/^civitas_api_graphql_requests_total (\S+)$/m.exec(text)?.[1]);
  }

  it("the public port serves reads from the supervisor's replica, none from the indexing process", async function () {
    const replica = indexer.status().replica;
    expect(replica?.serving).to.equal(true);
    expect(replica?.pid).to.be.a("number");
    expect(replica?.pid).to.not.equal(indexer.pid());
    const before = await indexingProcessGraphqlRequests();
    expect(Number.isFinite(before)).to.equal(true);
    for (let i = 0; i < 5; i++)
      expect((await gql(indexer.graphqlUrl, QUERY)).transfers.totalCount).to.be.greaterThan(6);
    expect(await indexingProcessGraphqlRequests()).to.equal(before);
  });

  it("a crashed replica is restarted by the supervisor, with a log line and a metric", async function () {
    const fromIndexer = await gql(indexer.graphqlUrl, QUERY);
    const crashed = indexer.status().replica!.pid!;
    process.kill(-crashed, "SIGKILL");
    const deadline = Date.now() + 300_000;
    for (;;) {
      const replica = indexer.status().replica;
      if (replica?.serving && replica.pid !== crashed) break;
      expect(Date.now(), "replica not restarted within 300 s").to.be.below(deadline);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(log.join("")).to.match(
      /supervisor: the API replica exited \(SIGKILL\); reads answer 503 until it is restarted/,
    );
    const metrics = await (await fetch(`${indexer.url}/metrics`)).text();
    expect(metrics).to.match(/^civitas_indexer_replica_restarts_total 1$/m);
    expect(metrics).to.match(/^civitas_indexer_replica_up 1$/m);
    expect(await gql(indexer.graphqlUrl, QUERY)).to.deep.equal(fromIndexer);
  });

  it("replicas follow what the indexer indexes next", async function () {
    const { provider, signers, token } = await chainClients(devnet.rpcUrl, deployment);
    await send((token.connect(signers[1]!) as any).transfer(signers[2]!.address, 7n));
    await indexer.waitForIndexedBlock(await blockNumber(provider), 300_000);
    const fromIndexer = await gql(indexer.graphqlUrl, QUERY);
    for (const replica of replicas) expect(await gql(replica.graphqlUrl, QUERY)).to.deep.equal(fromIndexer);
  });
});
