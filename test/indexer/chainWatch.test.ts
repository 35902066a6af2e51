/**
 * ChainWatch (indexer/lib/chainWatch.ts) against a scripted chain: it reports each reorg with its exact
 * fork point and depth, and nothing when the chain only grows.
 */
import { expect } from "chai";
import { type BlockHeader, type BlockReader, ChainWatch } from "../../indexer/lib/chainWatch.ts";

/** A chain whose branch can be replaced from any height; `tag` makes the new branch's hashes differ. */
class FakeChain implements BlockReader {
  blocks: BlockHeader[] = [];
  private readonly all = new Map<string, BlockHeader>();
  reads = 0;

  constructor(length: number) {
    this.grow(length, "a");
  }

  grow(count: number, tag: string): void {
    for (let i = 0; i < count; i++) {
      const number = BigInt(this.blocks.length);
      const parentHash = this.blocks.at(-1)?.hash ?? "0x";
      const block = { number, hash: `0x${tag}${number}`, parentHash };
      this.blocks.push(block);
      this.all.set(block.hash, block);
    }
  }

  /** Keeps blocks 0..fork, then grows `count` new ones. */
  reorg(fork: number, count: number, tag: string): void {
    this.blocks = this.blocks.slice(0, fork + 1);
    this.grow(count, tag);
  }

  async byNumber(number: bigint | "latest"): Promise<BlockHeader | null> {
    this.reads++;
    return number === "latest" ? this.blocks.at(-1)! : (this.blocks[Number(number)] ?? null);
  }

  async byHash(hash: string): Promise<BlockHeader | null> {
    this.reads++;
    return this.all.get(hash) ?? null;
  }
}

describe("ChainWatch", function () {
  it("reports nothing while the chain grows, even by several blocks between polls", async function () {
    const chain = new FakeChain(10);
    const watch = new ChainWatch(chain);
    expect(await watch.poll()).to.equal(undefined);
    chain.grow(1, "a");
    expect(await watch.poll()).to.equal(undefined);
    chain.grow(5, "a");
    expect(await watch.poll()).to.equal(undefined);
    expect(await watch.poll()).to.equal(undefined);
    expect(watch.tip).to.equal(15n);
    for (let n = 10n; n <= 15n; n++) expect(watch.hashAt(n)).to.equal(`0xa${n}`);
  });

  it("reports a one-block reorg at the tip", async function () {
    const chain = new FakeChain(10);
    const watch = new ChainWatch(chain);
    await watch.poll();
    chain.grow(3, "a");
    await watch.poll();
    chain.reorg(11, 1, "b");
    expect(await watch.poll()).to.deep.equal({ forkBlock: 11n, oldTip: 12n, newTip: 12n, depth: 1n });
    expect(watch.hashAt(12n)).to.equal("0xb12");
  });

  it("reports a deep reorg to a longer branch with its exact fork point", async function () {
    const chain = new FakeChain(5);
    const watch = new ChainWatch(chain);
    await watch.poll();
    chain.grow(45, "a"); // tip 49
    await watch.poll();
    chain.reorg(20, 50, "c"); // new tip 70
    expect(await watch.poll()).to.deep.equal({ forkBlock: 20n, oldTip: 49n, newTip: 70n, depth: 29n });
    expect(watch.hashAt(20n)).to.equal("0xa20");
    expect(watch.hashAt(21n)).to.equal("0xc21");
    expect(watch.hashAt(70n)).to.equal("0xc70");
    chain.grow(1, "c");
    expect(await watch.poll()).to.equal(undefined);
  });

  it("reports a chain that got shorter with no new block (evm_revert)", async function () {
    const chain = new FakeChain(5);
    const watch = new ChainWatch(chain);
    await watch.poll();
    chain.grow(10, "a"); // tip 14
    await watch.poll();
    chain.reorg(9, 0, "x");
    expect(await watch.poll()).to.deep.equal({ forkBlock: 9n, oldTip: 14n, newTip: 9n, depth: 5n });
    expect(watch.hashAt(10n)).to.equal(undefined);
    chain.grow(1, "d");
    expect(await watch.poll()).to.equal(undefined);
    expect(watch.hashAt(10n)).to.equal("0xd10");
  });

  it("reports a reorg below the first block it saw with the lowest fork it can vouch for", async function () {
    const chain = new FakeChain(10); // tip 9, first seen
    const watch = new ChainWatch(chain);
    await watch.poll();
    chain.grow(2, "a");
    await watch.poll();
    chain.reorg(5, 8, "e"); // tip 13, fork 5 (below block 9)
    const reorg = await watch.poll();
    expect(reorg?.oldTip).to.equal(11n);
    expect(reorg!.forkBlock <= 8n).to.equal(true);
    expect(reorg!.depth).to.equal(11n - reorg!.forkBlock);
  });

  it("keeps the head the node claims when its branch cannot be followed back (tip stays the last linked)", async function () {
    const chain = new FakeChain(10);
    const watch = new ChainWatch(chain);
    expect(watch.head).to.equal(undefined);
    await watch.poll();
    expect(watch.head).to.equal(9n);
    // As after hardhat_mine: a new head whose parent the node does not return by hash.
    const orphan: BlockReader = {
      byNumber: async () => ({ number: 14n, hash: "0xm14", parentHash: "0xunknown" }),
      byHash: async () => null,
    };
    Object.assign(chain, { byNumber: orphan.byNumber, byHash: orphan.byHash });
    const error = await watch.poll().then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error?.message).to.equal("the chain has no block 0xunknown (parent of 14)");
    expect(watch.tip).to.equal(9n);
    expect(watch.head).to.equal(14n);
  });
});
