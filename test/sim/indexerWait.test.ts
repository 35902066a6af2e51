/**
 * `npm start`'s wait for the indexer (scripts/lib/indexerWait.ts) against scripted verdicts: it waits as long
 * as the indexer progresses, however long that takes, and gives up, naming where the indexer stands, only
 * when its data is stale or its indexed block stops changing.
 */
import { expect } from "chai";
import { type IndexerVerdict, waitForIndexer } from "../../scripts/lib/indexerWait.ts";

/** An indexer whose verdicts are read in order, the last one repeated; counts the reads. */
function scripted(verdicts: IndexerVerdict[]) {
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    status: () => verdicts[Math.min(reads++, verdicts.length - 1)]!,
  };
}

const at = (indexedBlock: string | null, status: IndexerVerdict["status"] = "starting"): IndexerVerdict => ({
  status,
  reason:
    status === "current" ? "indexed up to the chain's head" : "the indexer is catching up with the chain",
  indexedBlock,
});

/** The error `promise` rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail("resolved"),
    (error: Error) => error,
  );
}

describe("waitForIndexer (npm start)", function () {
  it("returns once the indexer is current at the block, after every step of progress", async function () {
    const indexer = scripted([at("10"), at("11"), at("12"), at("13"), at("14", "current")]);
    await waitForIndexer(indexer, 14n, 2_000);
    expect(indexer.reads).to.equal(5);
  });

  it("does not return at the block while the indexer is not current there", async function () {
    const indexer = scripted([at("10"), at("14"), at("15"), at("15", "current")]);
    await waitForIndexer(indexer, 14n, 2_000);
    expect(indexer.reads).to.equal(4);
  });

  it("waits on through a re-index (the indexed block goes back, then up)", async function () {
    const indexer = scripted([at("10"), at("12"), at("1", "recovering"), at("5"), at("14", "current")]);
    await waitForIndexer(indexer, 14n, 2_000);
    expect(indexer.reads).to.equal(5);
  });

  it("gives up when the indexer's data is stale, naming the block and the reason", async function () {
    const stale: IndexerVerdict = {
      status: "stale",
      reason: "a reorg below the finalized block",
      indexedBlock: "12",
    };
    const error = await rejection(waitForIndexer(scripted([at("10"), stale]), 14n, 2_000));
    expect(error.message).to.equal(
      "the indexer's data is stale, at block 12 of 14 (stale: a reorg below the finalized block)",
    );
  });

  it("gives up when the indexed block has not changed for the idle limit", async function () {
    const indexer = scripted([at("10"), at("11")]);
    const error = await rejection(waitForIndexer(indexer, 14n, 600));
    expect(error.message).to.equal(
      "the indexer indexed no new block for 0.6 s, at block 11 of 14 (starting: the indexer is catching up with the chain)",
    );
  });
});
