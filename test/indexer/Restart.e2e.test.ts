/**
 * End to end: `/ready` is honest about lag (issue 19). With the indexer current on a devnet, 200 blocks
 * are mined at once (`evm_mine` in JSON-RPC batches: see the kit's `mine`), faster than Ponder fetches and
 * indexes them one by one: while the indexer is more than READY_MAX_LAG_BLOCKS behind the head its own RPC
 * reports, `/ready` answers 503 with the lag as its reason (and `/health` stays 200: lagging is not a
 * fault); once it has caught up, `/ready` answers 200 again.
 */
import { expect } from "chai";
import { READY_MAX_LAG_BLOCKS } from "../../indexer/lib/supervisor.ts";
import { indexedDevnet } from "./kit.ts";

// On a loaded machine Ponder may take minutes to serve HTTP (as the test kit in kit/serve.ts allows).
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";

describe("Indexer readiness (end to end)", function () {
  this.timeout(900_000);
  const env = indexedDevnet();

  it("answers /ready 503 with the lag while more than a few blocks behind the head, 200 once caught up", async function () {
    await env.synced();
    expect((await fetch(`${env.indexer.url}/ready`)).status).to.equal(200);
    const before = BigInt(await env.rpc<string>("eth_blockNumber"));
    const mined = 200n;
    await env.mine(Number(mined));
    const head = before + mined;

    // Until the supervisor has seen the new head (its watch polls every 100 ms), then while lagging.
    let ready: Response;
    for (;;) {
      const status = env.indexer.status();
      if (status.chainHead === head.toString()) {
        ready = await fetch(`${env.indexer.url}/ready`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const indexed = BigInt(env.indexer.status().indexedBlock!);
    expect(
      head - indexed > BigInt(READY_MAX_LAG_BLOCKS),
      `indexed block ${indexed} already within ${READY_MAX_LAG_BLOCKS} of ${head} when the head was first seen`,
    ).to.equal(true);
    expect(ready.status).to.equal(503);
    const body = (await ready.json()) as { status: string; reason: string };
    expect(body.reason).to.match(
      new RegExp(
        `^indexed block \\d+ is \\d+ blocks behind the chain's head ${head} \\(ready within ${READY_MAX_LAG_BLOCKS}\\)$`,
      ),
    );
    const lag = Number(/is (\d+) blocks behind/.exec(body.reason)![1]);
    expect(lag).to.be.greaterThan(READY_MAX_LAG_BLOCKS);
    expect(lag).to.be.at.most(Number(mined));
    expect((await fetch(`${env.indexer.url}/health`)).status).to.equal(200);
    expect(env.indexer.status().current).to.equal(false);

    await env.synced();
    const after = await fetch(`${env.indexer.url}/ready`);
    expect(after.status).to.equal(200);
    expect(env.indexer.status().lagBlocks).to.be.at.most(READY_MAX_LAG_BLOCKS);
  });
});
