/**
 * End to end: reorgs under a running indexer. A devnet (chain 31337, the indexer started with Ponder's
 * default live finality depth of 30 blocks so that its finalized block moves in 30-block jumps) is reorganised with evm_snapshot/evm_revert at several positions relative to
 * Ponder's finalized block F: well above it, at it, just above it, just below it, a revert with no new
 * block; each time the orphaned branch held payments and the new branch different ones, and afterwards
 * every balance, transfer, total and day row equals the chain's. Below F, Ponder cannot revert: the
 * supervisor re-indexes by itself on the devnet; with auto-recovery off the data is flagged stale
 * (/health, /ready, GraphQL, metric, log) until a restart, which checks the stored blocks against the
 * chain and re-indexes, as it does a database whose last run was never current (no record to check).
 * Also: the test kit's snapshot-per-test fixture with the indexer following, and
 * (with the devnet's default depth, run.ts DEVNET_FINALITY_BLOCKS) a revert more than 100 blocks deep that
 * Ponder reverts in place, without a re-index or a restart.
 */
import { expect } from "chai";
import { allRows, assertMatchesChain, send } from "./helpers.ts";
import { type IndexedDevnet, indexedDevnet, snapshotEachTest } from "./kit.ts";

const CIV = 10n ** 18n;

/** Registers agents 1..4 (each gets the birth grant). */
async function registerAgents(env: IndexedDevnet): Promise<void> {
  const { registry, signers } = env.clients;
  for (const agent of signers.slice(1, 5)) {
    await send((registry!.connect(agent) as any)["register(string)"](`ipfs://agent/${agent.address}`));
  }
}

/** `count` payments between agents 1..4, one block each; `salt` makes each branch's payments differ. */
async function payments(env: IndexedDevnet, count: number, salt: bigint): Promise<void> {
  const { token, signers } = env.clients;
  for (let i = 0; i < count; i++) {
    const from = signers[1 + (i % 4)]!;
    const to = signers[1 + ((i + 1 + Number(salt % 3n)) % 4)]!;
    await send((token.connect(from) as any).transfer(to.address, CIV + salt * 1_000n + BigInt(i)));
  }
}

/** Mines `count` empty blocks, one `evm_mine` at a time. */
async function mine(env: IndexedDevnet, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await env.rpc("evm_mine");
}

const head = async (env: IndexedDevnet) => BigInt(await env.rpc<string>("eth_blockNumber"));

/** Ponder's finalized block, per the supervisor, once the indexer is synced. */
async function finalized(env: IndexedDevnet): Promise<bigint> {
  await env.synced();
  const value = env.indexer.status().finalizedBlock;
  expect(value, "finalized block known").to.not.equal(null);
  return BigInt(value!);
}

/**
 * Mines until the head is `target`, snapshots there, builds an orphaned branch (payments, then empty
 * blocks until Ponder's finalized block passes `untilFinalized`, if given), reverts, and builds a
 * different branch.
 */
async function reorgAt(
  env: IndexedDevnet,
  target: bigint,
  options: { orphaned: number; untilFinalized?: bigint; replacement: number; salt: bigint },
): Promise<{ fork: bigint; finalizedAtRevert: bigint }> {
  await env.synced();
  const now = await head(env);
  expect(now <= target, `head ${now} already past ${target}`).to.equal(true);
  await mine(env, Number(target - now));
  const snapshot = await env.rpc<string>("evm_snapshot");
  await payments(env, options.orphaned, options.salt);
  if (options.untilFinalized !== undefined) {
    while ((await finalized(env)) < options.untilFinalized) await mine(env, 5);
  }
  const finalizedAtRevert = await finalized(env);
  expect(await env.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
  await payments(env, options.replacement, options.salt + 1n);
  await env.synced();
  return { fork: target, finalizedAtRevert };
}

/**
 * Snapshots the chain just below Ponder's next finalized block (a multiple of 30 above the current one),
 * then builds a branch of 6 payments (`salt`) and empty blocks until Ponder has finalized past the
 * snapshot, and waits until the indexer is current.
 * @returns The snapshot: reverting to it replaces finalized blocks.
 */
async function finalizedBranch(env: IndexedDevnet, salt: bigint): Promise<string> {
  const f = await finalized(env);
  let next = f + 30n;
  while (next < (await head(env)) + 2n) next += 30n;
  await mine(env, Number(next - 1n - (await head(env))));
  const snapshot = await env.rpc<string>("evm_snapshot");
  await payments(env, 6, salt);
  while ((await finalized(env)) < next) await mine(env, 5);
  await env.synced();
  return snapshot;
}

async function metric(env: IndexedDevnet, name: string): Promise<number> {
  const text = await (await fetch(`${env.indexer.url}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
}

// On a loaded machine Ponder may take minutes to serve HTTP (as the test kit in kit/serve.ts allows).
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";

describe("Indexer under reorgs (end to end)", function () {
  this.timeout(900_000);
  // Ponder's depth for chains it does not know: its finalized block moves in 30-block jumps.
  const env = indexedDevnet({ finalityBlocks: 30 });

  it("reverts a shallow reorg well above the finalized block exactly", async function () {
    await registerAgents(env);
    await payments(env, 3, 1n);
    const f = await finalized(env);
    const target = (await head(env)) > f + 20n ? await head(env) : f + 20n;
    const { fork, finalizedAtRevert } = await reorgAt(env, target, {
      orphaned: 5,
      replacement: 7,
      salt: 10n,
    });
    expect(fork > finalizedAtRevert).to.equal(true);
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
    const status = env.indexer.status();
    expect(status.lastReorg?.forkBlock).to.equal(fork.toString());
    expect(status.lastReorg?.handledBy).to.equal("ponder");
    expect(await metric(env, "civitas_indexer_reorgs_total")).to.be.greaterThanOrEqual(1);
  });

  it("follows a revert with no block mined since (the chain gets shorter)", async function () {
    await env.synced();
    const snapshot = await env.rpc<string>("evm_snapshot");
    const before = await head(env);
    await payments(env, 4, 20n);
    await env.synced();
    expect(await env.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    expect(await head(env)).to.equal(before);
    await env.synced();
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
    expect(env.indexer.status().lastReorg?.forkBlock).to.equal(before.toString());
  });

  it("reverts a reorg whose fork is exactly at, or just above, the finalized block", async function () {
    for (const offset of [0n, 1n]) {
      // F moves to head - 30 once the head is F + 60: the next finalized blocks are F + 30k.
      const f = await finalized(env);
      let next = f + 30n;
      while (next < (await head(env)) + 1n) next += 30n;
      const target = next + offset;
      const result = await reorgAt(env, target, {
        orphaned: 6,
        untilFinalized: next,
        replacement: 9,
        salt: 30n + offset,
      });
      expect(result.finalizedAtRevert).to.equal(next);
      await assertMatchesChain(env.indexer, env.clients, env.deployment);
      // A revert whose head is F itself, seen by Ponder before a new block lands, is one Ponder 0.16 cannot
      // reconcile (it looks for the head's parent above F): the supervisor then re-indexes. Either way, exact.
      expect(env.indexer.status().lastReorg?.handledBy, `fork F+${offset}`).to.be.oneOf(
        offset === 0n ? ["ponder", "reindex"] : ["ponder"],
      );
    }
  });

  it("re-indexes by itself after a reorg below the finalized block (devnet)", async function () {
    const f = await finalized(env);
    let next = f + 30n;
    while (next < (await head(env)) + 2n) next += 30n;
    const reindexBefore = await metric(env, "civitas_indexer_reindex_total");
    const t0 = Date.now();
    const { fork, finalizedAtRevert } = await reorgAt(env, next - 1n, {
      orphaned: 8,
      untilFinalized: next,
      replacement: 5,
      salt: 40n,
    });
    const recoveredMs = Date.now() - t0;
    expect(fork < finalizedAtRevert).to.equal(true);
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
    expect(env.indexer.status().lastReorg?.handledBy).to.equal("reindex");
    expect(await metric(env, "civitas_indexer_reindex_total")).to.equal(reindexBefore + 1);
    expect(env.logs.join("")).to.include("re-indexing from the deployment's start block");
    console.log(`      deep reorg: orphaned branch built, reverted and re-indexed in ${recoveredMs} ms`);
  });

  it("without auto-recovery, says the data is stale, then a restart re-indexes what changed", async function () {
    await env.restartIndexer({ autoRecover: false });
    const snapshot = await finalizedBranch(env, 50n);
    expect(await env.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    await payments(env, 3, 51n);

    // Stale: every check a client can make says so.
    const deadline = Date.now() + 60_000;
    while (env.indexer.status().status !== "stale") {
      if (Date.now() > deadline) throw new Error(`not stale: ${JSON.stringify(env.indexer.status())}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const health = await fetch(`${env.indexer.url}/health`);
    expect(health.status).to.equal(503);
    expect(((await health.json()) as { reason: string }).reason).to.include("below");
    expect((await fetch(`${env.indexer.url}/ready`)).status).to.equal(503);
    const answer = await fetch(env.indexer.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ accounts { items { address balance } } }" }),
    });
    expect(answer.status).to.equal(503);
    expect(answer.headers.get("x-civitas-indexer-status")).to.equal("stale");
    const body = (await answer.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).to.equal("INDEXER_STALE");
    expect((await fetch(`${env.indexer.url}/economy`)).status).to.equal(503);
    expect(await metric(env, "civitas_indexer_stale ")).to.equal(1);
    expect(env.logs.join("")).to.include("Restart the indexer");

    // A restart finds the finalized block it recorded replaced, wipes and re-indexes.
    env.logs.length = 0;
    await env.restartIndexer();
    expect(env.logs.join("")).to.include("is no longer the chain's");
    await env.synced();
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
  });

  it("re-indexes at a restart when the last run left no block record and the chain was reverted below its finalized block meanwhile", async function () {
    const snapshot = await finalizedBranch(env, 55n);
    await env.indexer.stop();
    // What a run killed during its backfill leaves: rows of finalized blocks, no record of them.
    await env.indexer.records.clear();
    expect(await env.indexer.records.load()).to.equal(undefined);
    expect(await env.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    await payments(env, 3, 56n);

    env.logs.length = 0;
    await env.restartIndexer();
    expect(env.logs.join("")).to.include(
      "the last run left no block record (it was never current), so its rows cannot be checked against the chain",
    );
    await env.synced();
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
    expect(await env.indexer.records.load()).to.not.equal(undefined);
  });

  it("records the finalized block while catching up, so a restart after a revert below it re-indexes", async function () {
    await env.synced();
    const fork = await head(env);
    const snapshot = await env.rpc<string>("evm_snapshot");
    await payments(env, 2, 57n);
    // Ponder follows mined blocks one at a time and finalizes in 30-block jumps as it goes: stop it while it
    // is still far behind (no record can be saved as current in between), once it has finalized above the
    // fork; mine more if it caught up first.
    let stopped = false;
    for (let round = 0; round < 5 && !stopped; round++) {
      await env.mine(600);
      const mined = (await head(env)).toString();
      const deadline = Date.now() + 300_000;
      while (!stopped) {
        const status = env.indexer.status();
        if (status.chainHead === mined && status.current) break;
        const lag = BigInt(status.chainHead ?? "0") - BigInt(status.indexedBlock ?? "0");
        if (
          status.chainHead === mined &&
          status.finalizedBlock !== null &&
          BigInt(status.finalizedBlock) > fork + 30n &&
          lag > 100n
        ) {
          await env.indexer.stop();
          stopped = true;
        }
        if (Date.now() > deadline) throw new Error(`no progress: ${JSON.stringify(status)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    expect(stopped, "stopped while catching up").to.equal(true);
    const record = await env.indexer.records.load();
    expect(BigInt(record!.finalized!.number) > fork + 30n, JSON.stringify(record)).to.equal(true);

    expect(await env.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    await payments(env, 2, 58n);
    env.logs.length = 0;
    await env.restartIndexer();
    expect(env.logs.join("")).to.include(
      `block ${record!.finalized!.number}, finalized when the indexer last ran, is no longer the chain's`,
    );
    await env.synced();
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
  });

  it("labels every GraphQL answer with the indexer's status", async function () {
    await env.synced();
    const answer = await fetch(env.indexer.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: '{ tokenState(id: "civ") { totalSupply } }' }),
    });
    expect(answer.status).to.equal(200);
    const body = (await answer.json()) as {
      data: unknown;
      extensions: { indexer: { status: string; current: boolean } };
    };
    expect(body.extensions.indexer.status).to.equal("current");
    expect(body.extensions.indexer.current).to.equal(true);
    expect(body.data).to.not.equal(undefined);
    const status = (await (await fetch(`${env.indexer.url}/indexer/status`)).json()) as {
      indexedBlock: string;
    };
    expect(status.indexedBlock).to.equal((await head(env)).toString());
  });

  describe("test kit: snapshot before each test, revert after, indexer following", function () {
    snapshotEachTest(env);
    let baseline = 0;

    it("sees its own payments", async function () {
      baseline = (await allRows(env.indexer.graphqlUrl, "transfers", "id")).length;
      await payments(env, 3, 60n);
      await env.synced();
      expect((await allRows(env.indexer.graphqlUrl, "transfers", "id")).length).to.be.greaterThan(baseline);
      await assertMatchesChain(env.indexer, env.clients, env.deployment);
    });

    it("starts from the same rows: the previous test's payments are gone", async function () {
      expect((await allRows(env.indexer.graphqlUrl, "transfers", "id")).length).to.equal(baseline);
      await assertMatchesChain(env.indexer, env.clients, env.deployment);
    });
  });
});

describe("Indexer supervision (end to end)", function () {
  this.timeout(600_000);
  const env = indexedDevnet();

  it("reverts a revert 110 blocks deep in place with the devnet's finality depth (no re-index, no restart)", async function () {
    await registerAgents(env);
    await payments(env, 2, 80n);
    const f = await finalized(env);
    const fork = await head(env);
    expect(fork > f, `fork ${fork} above the finalized block ${f}`).to.equal(true);
    const pid = env.indexer.pid();
    const reindexBefore = await metric(env, "civitas_indexer_reindex_total");
    const snapshot = await env.rpc<string>("evm_snapshot");
    await payments(env, 6, 81n);
    await mine(env, 104);
    await env.synced();
    // Ponder's default depth (30) would have finalized blocks above the fork by now.
    expect(BigInt(env.indexer.status().finalizedBlock!)).to.equal(f);
    expect((await head(env)) - fork).to.equal(110n);
    const reverted = Date.now();
    expect(await env.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    await payments(env, 4, 82n);
    await env.synced();
    console.log(`      110-block revert: current again ${Date.now() - reverted} ms after the revert`);
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
    const status = env.indexer.status();
    expect(status.lastReorg?.forkBlock).to.equal(fork.toString());
    expect(status.lastReorg?.depth).to.equal("110");
    expect(status.lastReorg?.handledBy).to.equal("ponder");
    expect(env.indexer.pid()).to.equal(pid);
    expect(await metric(env, "civitas_indexer_reindex_total")).to.equal(reindexBefore);
    expect(await metric(env, "civitas_indexer_unrecoverable_reorgs_total")).to.equal(0);
  });

  it("restarts a crashed indexer, says so in the log and a metric, and stays exact", async function () {
    await env.synced();
    const pid = env.indexer.pid();
    expect(pid).to.be.a("number");
    const killedAt = Date.now();
    process.kill(-pid!, "SIGKILL");
    const deadline = Date.now() + 30_000;
    while (env.indexer.status().status !== "restarting") {
      if (Date.now() > deadline) throw new Error(`no restart: ${JSON.stringify(env.indexer.status())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const health = await fetch(`${env.indexer.url}/health`);
    expect(health.status).to.equal(503);
    expect(((await health.json()) as { reason: string }).reason).to.include("exited");
    await payments(env, 3, 70n);
    await env.synced(180_000);
    console.log(`      SIGKILL of Ponder: current again after ${Date.now() - killedAt} ms`);
    expect(env.indexer.pid()).to.not.equal(pid);
    expect(env.logs.join("")).to.include("restarting it in");
    // The supervisor knows its Ponder is gone: the lock it left is not waited for (issue 19).
    expect(env.logs.join("")).to.include("its schema lock is not waited for");
    expect(env.logs.join("")).to.not.include("Schema is locked");
    expect(await metric(env, 'civitas_indexer_restarts_total{reason="exited"}')).to.equal(1);
    expect(await metric(env, "civitas_indexer_schema_lock_waits_total")).to.equal(0);
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
  });

  it("restarts after SIGTERM without waiting for a schema lock (Ponder shut down cleanly)", async function () {
    await env.synced();
    env.logs.length = 0;
    const stoppedAt = Date.now();
    await env.restartIndexer();
    await env.synced(180_000);
    console.log(`      SIGTERM and a new indexer: current again after ${Date.now() - stoppedAt} ms`);
    const log = env.logs.join("");
    expect(log).to.include("Received SIGTERM");
    expect(log).to.not.include("Failed to shutdown");
    expect(log).to.not.include("Schema is locked");
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
  });
});
