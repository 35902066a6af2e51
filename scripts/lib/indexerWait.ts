/**
 * Waiting for the indexer to catch up with a run (`npm start`), by its progress rather than a deadline.
 */
import { SingleBar } from "cli-progress";
import type { Supervisor } from "../../indexer/lib/supervisor.ts";

/** What the wait reads of the supervisor's verdict (`/indexer/status`): block numbers as decimal strings. */
export type IndexerVerdict = Pick<ReturnType<Supervisor["verdict"]>, "status" | "reason" | "indexedBlock">;

/** How long the indexer may index no new block before `npm start` gives up waiting for it, ms. */
export const INDEXER_IDLE_LIMIT_MS = 120_000;

/**
 * Waits until the indexer has indexed `block` and is current, showing its progress on a bar. There is no
 * overall deadline (a long run on a slow machine takes the indexer minutes to catch up, a few blocks a
 * second); it gives up only when the indexer stops progressing.
 * @param indexer The running indexer.
 * @param block The chain's last block of the run.
 * @param idleMs How long no new block may be indexed before giving up, ms.
 * @throws Error naming the block reached and the indexer's reason when its data is stale, or when its
 *   indexed block has not changed for `idleMs` (a stall; a restart or a re-index changes it, so it waits on).
 */
export async function waitForIndexer(
  indexer: { status(): IndexerVerdict },
  block: bigint,
  idleMs = INDEXER_IDLE_LIMIT_MS,
): Promise<void> {
  const first = indexer.status().indexedBlock;
  const start = first === null ? 0n : BigInt(first);
  const bar = new SingleBar({
    format: "Indexing {bar} block {block}/{last} | {eta_formatted} left",
    hideCursor: true,
    clearOnComplete: false,
  });
  const total = Number(block - start > 0n ? block - start : 1n);
  bar.start(total, 0, { block: start, last: block });
  let seen = start;
  let progressAt = Date.now();
  try {
    for (;;) {
      const verdict = indexer.status();
      const indexed = verdict.indexedBlock === null ? start : BigInt(verdict.indexedBlock);
      if (indexed !== seen) {
        seen = indexed;
        progressAt = Date.now();
        const done = indexed < start ? 0n : (indexed < block ? indexed : block) - start;
        bar.update(Number(done), { block: indexed });
      }
      if (verdict.status === "current" && indexed >= block) {
        bar.update(total);
        return;
      }
      const at = `at block ${indexed} of ${block} (${verdict.status}: ${verdict.reason})`;
      if (verdict.status === "stale") throw new Error(`the indexer's data is stale, ${at}`);
      if (Date.now() - progressAt > idleMs)
        throw new Error(`the indexer indexed no new block for ${idleMs / 1000} s, ${at}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    bar.stop();
  }
}
