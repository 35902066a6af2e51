/**
 * End to end: `/health` tells a stalled indexer from a lagging one even when the chain's new head cannot be
 * followed back by hash. Hardhat 3's `hardhat_mine` leaves the blocks between its first and last as reserved
 * blocks whose parents cannot be linked (see the kit's `mine`): Ponder stops following the chain there, and
 * the supervisor's watch cannot walk the new branch either. The head the node claims is still the chain's
 * head: once indexing has made no progress towards it for `stallMs`, `/health` and `/ready` answer 503 with
 * the stalled block and that head as the reason (before, `/health` stayed 200 because the watch's tip
 * never moved).
 */
import { expect } from "chai";
import { indexedDevnet } from "./kit.ts";

// On a loaded machine Ponder may take minutes to serve HTTP (as the test kit in kit/serve.ts allows).
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";

describe("Indexer stall on a head it cannot follow (end to end)", function () {
  this.timeout(900_000);
  const stallMs = 5_000;
  const env = indexedDevnet({ stallMs, autoRecover: false });

  it("answers /health and /ready 503 with the stalled block and the chain's head", async function () {
    await env.synced();
    expect((await fetch(`${env.indexer.url}/health`)).status).to.equal(200);
    const before = BigInt(await env.rpc<string>("eth_blockNumber"));
    await env.rpc("hardhat_mine", ["0x10"]);
    const head = before + 16n;
    expect(BigInt(await env.rpc<string>("eth_blockNumber"))).to.equal(head);

    // The watch reads the head every 100 ms; the stall is declared stallMs after the last progress.
    const deadline = Date.now() + 300_000;
    let health: Response;
    for (;;) {
      health = await fetch(`${env.indexer.url}/health`);
      if (health.status !== 200) break;
      expect(
        Date.now(),
        `/health still 200 after 300 s: ${JSON.stringify(env.indexer.status())}`,
      ).to.be.below(deadline);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(health.status).to.equal(503);
    const status = env.indexer.status();
    expect(status.healthy).to.equal(false);
    expect(status.current).to.equal(false);
    expect(status.chainHead).to.equal(head.toString());
    const body = (await health.json()) as { reason: string };
    const match = new RegExp(`^indexing stalled at block (\\d+) \\(chain at ${head}\\) for (\\d+) s$`).exec(
      body.reason,
    );
    expect(match, body.reason).to.not.equal(null);
    expect(BigInt(match![1]!) < head).to.equal(true);
    const seconds = Number(match![2]);
    expect(seconds).to.be.at.least(Math.floor(stallMs / 1000));
    expect((await fetch(`${env.indexer.url}/ready`)).status).to.equal(503);
  });
});
