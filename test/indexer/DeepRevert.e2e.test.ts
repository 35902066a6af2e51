/**
 * End to end (issue 22): a devnet revert deeper than the devnet's former live finality depth (256 blocks)
 * is reverted in place by Ponder's own reorg path with the devnet's default depth (run.ts
 * DEVNET_FINALITY_BLOCKS): the same Ponder process, no wipe, no re-index, and afterwards every balance,
 * transfer, total and day row equals the chain's. With a 256-block depth the same revert would have
 * been below Ponder's finalized block (the head passed F + 512, so F would have moved to head - 256,
 * above the fork) and taken the re-index path (a new Ponder process, minutes on a loaded machine).
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { DEVNET_FINALITY_BLOCKS } from "../../indexer/run.ts";
import { assertMatchesChain, send } from "./helpers.ts";
import { type IndexedDevnet, indexedDevnet } from "./kit.ts";

const CIV = 10n ** 18n;
/** The devnet's live finality depth before this test's change (session 6 to 8). */
const FORMER_DEPTH = 256n;

/** `count` payments between agents 1..4, one block each; `salt` makes each branch's payments differ. */
async function payments(env: IndexedDevnet, count: number, salt: bigint): Promise<void> {
  const { token, signers } = env.clients;
  for (let i = 0; i < count; i++) {
    const from = signers[1 + (i % 4)]!;
    const to = signers[1 + ((i + 1 + Number(salt % 3n)) % 4)]!;
    await send((token.connect(from) as any).transfer(to.address, CIV + salt * 1_000n + BigInt(i)));
  }
}

const head = async (env: IndexedDevnet) => BigInt(await env.rpc<string>("eth_blockNumber"));

async function metric(env: IndexedDevnet, name: string): Promise<number> {
  const text = await (await fetch(`${env.indexer.url}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
}

/** Resident memory of a process, MiB (Linux). */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

// On a loaded machine Ponder may take minutes to serve HTTP (as the test kit in kit/serve.ts allows).
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";

describe("Indexer under a revert deeper than 256 blocks (end to end)", function () {
  this.timeout(1_800_000);
  const env = indexedDevnet();

  it("reverts it in place with the devnet's depth: same Ponder, no re-index, exact", async function () {
    expect(BigInt(DEVNET_FINALITY_BLOCKS) > 2n * FORMER_DEPTH).to.equal(true);
    const { registry, signers } = env.clients;
    for (const agent of signers.slice(1, 5)) {
      await send((registry!.connect(agent) as any)["register(string)"](`ipfs://agent/${agent.address}`));
    }
    await payments(env, 2, 90n);
    await env.synced();
    const f = BigInt(env.indexer.status().finalizedBlock!);
    const fork = await head(env);
    expect(fork > f, `fork ${fork} above the finalized block ${f}`).to.equal(true);
    const pid = env.indexer.pid()!;
    const rssBefore = rssMiB(pid);
    const reindexBefore = await metric(env, "civitas_indexer_reindex_total");
    const snapshot = await env.rpc<string>("evm_snapshot");
    await payments(env, 6, 91n);
    // Past the former depth: at least 300 blocks above the fork, and the head at least F + 512 (where a
    // 256-block depth moves F to head - 256, above the fork).
    const target = fork + 300n > f + 2n * FORMER_DEPTH + 8n ? fork + 300n : f + 2n * FORMER_DEPTH + 8n;
    await env.mine(Number(target - (await head(env))));
    await env.synced(1_200_000);
    const depth = (await head(env)) - fork;
    expect(depth > FORMER_DEPTH, `revert depth ${depth}`).to.equal(true);
    expect(
      (await head(env)) - FORMER_DEPTH > fork,
      "a 256-block depth would finalize above the fork",
    ).to.equal(true);
    // The devnet's depth kept the fork revertible.
    expect(BigInt(env.indexer.status().finalizedBlock!)).to.equal(f);
    const rssAtTip = rssMiB(pid);

    const reverted = Date.now();
    expect(await env.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    await payments(env, 4, 92n);
    await env.synced();
    const ms = Date.now() - reverted;
    console.log(
      `      ${depth}-block revert: current again ${ms} ms after the revert (4 new payments included); ` +
        `Ponder RSS ${rssBefore} MiB before, ${rssAtTip} MiB with ${depth} unfinalized blocks`,
    );
    await assertMatchesChain(env.indexer, env.clients, env.deployment);
    const status = env.indexer.status();
    expect(status.lastReorg?.forkBlock).to.equal(fork.toString());
    expect(status.lastReorg?.depth).to.equal(depth.toString());
    expect(status.lastReorg?.handledBy).to.equal("ponder");
    expect(env.indexer.pid()).to.equal(pid);
    expect(await metric(env, "civitas_indexer_reindex_total")).to.equal(reindexBefore);
    expect(await metric(env, "civitas_indexer_unrecoverable_reorgs_total")).to.equal(0);
  });
});
