/**
 * Follows a chain's head independently of Ponder and reports every reorg it sees: which block is the
 * common ancestor (the fork point), how many blocks of the old branch were replaced, and the old tip.
 * Used by the indexer's supervisor (indexer/run.ts) to notice reorgs Ponder cannot handle (below its
 * finalized block) and to keep the hashes it checks at the next start.
 *
 * Pure logic around one injected block reader, so that it is unit-tested without a chain.
 */

/** The few fields of a block the watch needs. */
export interface BlockHeader {
  number: bigint;
  hash: string;
  parentHash: string;
}

/** A reorg the watch saw: the old branch above `forkBlock` was replaced. */
export interface Reorg {
  /** Highest block both branches share (the common ancestor). */
  forkBlock: bigint;
  /** The old branch's tip. */
  oldTip: bigint;
  /** The new branch's tip. */
  newTip: bigint;
  /** Blocks of the old branch that are no longer the chain's (oldTip - forkBlock). */
  depth: bigint;
}

/** Reads a block by number (`"latest"` for the head) or by hash; `null` when the chain has none. */
export interface BlockReader {
  byNumber(number: bigint | "latest"): Promise<BlockHeader | null>;
  byHash(hash: string): Promise<BlockHeader | null>;
}

/** How many recent hashes the watch keeps (older ones cannot be part of a reorg it reports exactly). */
export const WATCH_HISTORY = 100_000;

/**
 * Remembers the hash of every block it has seen on the current branch and compares each new head with
 * it. One `poll()` at a time.
 */
export class ChainWatch {
  private readonly seen = new Map<bigint, string>();
  private tipNumber: bigint | undefined;
  private headNumber: bigint | undefined;
  /** The lowest block whose hash is kept. */
  private lowest = 0n;

  private readonly reader: BlockReader;

  constructor(reader: BlockReader) {
    this.reader = reader;
  }

  /** The head seen last, if any. */
  get tip(): bigint | undefined {
    return this.tipNumber;
  }

  /**
   * The head's number read last, even when its branch could not be followed back to the blocks seen (a node
   * that answers `latest` but not its parents by hash, as after `hardhat_mine`): what the chain claims.
   */
  get head(): bigint | undefined {
    return this.headNumber;
  }

  /** The hash the watch saw at block `n` on the current branch, if it saw one. */
  hashAt(n: bigint): string | undefined {
    return this.seen.get(n);
  }

  /**
   * Reads the head and follows it back until it meets a block already seen.
   * @returns The reorg found, or undefined when the new head extends the branch seen so far (or nothing
   * changed).
   * @throws When the chain cannot be read (the caller retries on its next poll).
   */
  async poll(): Promise<Reorg | undefined> {
    const head = await this.reader.byNumber("latest");
    if (head === null) throw new Error("the chain returned no latest block");
    this.headNumber = head.number;
    const oldTip = this.tipNumber;
    if (this.seen.get(head.number) === head.hash) {
      if (oldTip === undefined || head.number >= oldTip) return undefined;
      // The chain got shorter (e.g. evm_revert with no block mined since): the blocks above are gone.
      this.forget(head.number);
      this.tipNumber = head.number;
      return { forkBlock: head.number, oldTip, newTip: head.number, depth: oldTip - head.number };
    }
    // Walk the new branch down by parent hash until it joins the blocks seen (or leaves their range).
    const fresh: BlockHeader[] = [head];
    let cursor = head;
    while (oldTip !== undefined && cursor.number > this.lowest) {
      if (this.seen.get(cursor.number - 1n) === cursor.parentHash) break;
      const parent = await this.reader.byHash(cursor.parentHash);
      if (parent === null)
        throw new Error(`the chain has no block ${cursor.parentHash} (parent of ${cursor.number})`);
      fresh.push(parent);
      cursor = parent;
    }
    const ancestor = cursor.number - 1n;
    const reorg: Reorg | undefined =
      oldTip !== undefined && ancestor < oldTip
        ? { forkBlock: ancestor, oldTip, newTip: head.number, depth: oldTip - ancestor }
        : undefined;
    this.forget(ancestor);
    for (const block of fresh) this.seen.set(block.number, block.hash);
    if (oldTip === undefined) this.lowest = head.number;
    this.tipNumber = head.number;
    if (this.seen.size > WATCH_HISTORY) {
      this.lowest = head.number - BigInt(WATCH_HISTORY);
      for (const n of [...this.seen.keys()]) if (n < this.lowest) this.seen.delete(n);
    }
    return reorg;
  }

  /** Drops every hash above block `n`. */
  private forget(n: bigint): void {
    for (const key of [...this.seen.keys()]) if (key > n) this.seen.delete(key);
  }
}

/** A {@link BlockReader} over HTTP JSON-RPC. */
export function rpcBlockReader(rpcUrl: string, timeoutMs = 5_000): BlockReader {
  const call = async (method: string, params: unknown[]): Promise<BlockHeader | null> => {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as {
      result?: { number: string; hash: string; parentHash: string } | null;
      error?: { message: string };
    };
    if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
    const block = body.result;
    if (block === null || block === undefined) return null;
    return { number: BigInt(block.number), hash: block.hash, parentHash: block.parentHash };
  };
  return {
    byNumber: (number) =>
      call("eth_getBlockByNumber", [number === "latest" ? "latest" : `0x${number.toString(16)}`, false]),
    byHash: (hash) => call("eth_getBlockByHash", [hash, false]),
  };
}
