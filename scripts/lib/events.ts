/**
 * Reading a long run's events without one oversized answer. A 100-agent economy emits a few hundred thousand
 * token events in 30 days; one `eth_getLogs` over the whole range answers more than viem accepts (10 MiB,
 * `ResponseBodyTooLargeError`), and the node builds the whole answer in memory first. The reads here go in
 * block pages, one at a time, and a page whose answer is still too large is split in two.
 */
import { BaseError, ResponseBodyTooLargeError } from "viem";

/** Blocks per page at first (a simulated day is a few to a few dozen blocks). */
export const EVENT_PAGE_BLOCKS = 256n;

/**
 * Reads `[fromBlock, toBlock]` page by page with `read` and concatenates the pages in block order.
 * @param fromBlock First block (inclusive).
 * @param toBlock Last block (inclusive); nothing is read when it is below `fromBlock`.
 * @param read Reads one page, e.g. `(range) => client.getContractEvents({ ...token, eventName, ...range })`.
 * @param pageBlocks Blocks per page at first; a page whose answer is over viem's size limit is halved.
 * @returns Every page's items, in order.
 * @throws The read's own errors; `ResponseBodyTooLargeError` only when one block alone is too large.
 */
export async function readInPages<T>(
  fromBlock: bigint,
  toBlock: bigint,
  read: (range: { fromBlock: bigint; toBlock: bigint }) => Promise<readonly T[]>,
  pageBlocks: bigint = EVENT_PAGE_BLOCKS,
): Promise<T[]> {
  const items: T[] = [];
  let step = pageBlocks > 0n ? pageBlocks : 1n;
  for (let from = fromBlock; from <= toBlock;) {
    const to = from + step - 1n < toBlock ? from + step - 1n : toBlock;
    try {
      items.push(...(await read({ fromBlock: from, toBlock: to })));
      from = to + 1n;
    } catch (error) {
      if (!tooLarge(error) || to === from) throw error;
      step = (to - from + 1n) / 2n;
    }
  }
  return items;
}

/** Whether `error` is (or wraps) viem's answer-over-the-size-limit error. */
const tooLarge = (error: unknown): boolean =>
  error instanceof ResponseBodyTooLargeError ||
  (error instanceof BaseError && error.walk((e) => e instanceof ResponseBodyTooLargeError) !== null);
