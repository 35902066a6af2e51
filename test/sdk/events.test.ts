import { expect } from "chai";
import { ResponseBodyTooLargeError } from "viem";
import { readInPages } from "../../scripts/lib/events.ts";

/** A fake node: one item per block, refusing (as viem does past its size limit) answers over `maxBlocks`. */
function fakeNode(maxBlocks: bigint) {
  const calls: [bigint, bigint][] = [];
  const read = async ({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) => {
    calls.push([fromBlock, toBlock]);
    if (toBlock - fromBlock + 1n > maxBlocks)
      throw new ResponseBodyTooLargeError({ maxSize: 10, size: Number(toBlock - fromBlock + 1n) });
    const blocks: bigint[] = [];
    for (let b = fromBlock; b <= toBlock; b++) blocks.push(b);
    return blocks;
  };
  return { calls, read };
}

describe("readInPages (a long run's events in block pages)", function () {
  it("reads every block once, in order, in pages of the given size", async function () {
    const node = fakeNode(1_000n);
    const items = await readInPages(5n, 24n, node.read, 8n);
    expect(items).to.deep.equal(Array.from({ length: 20 }, (_, i) => BigInt(5 + i)));
    expect(node.calls).to.deep.equal([
      [5n, 12n],
      [13n, 20n],
      [21n, 24n],
    ]);
  });

  it("halves a page whose answer is over the size limit, and keeps the smaller page size", async function () {
    const node = fakeNode(3n);
    const items = await readInPages(0n, 9n, node.read, 8n);
    expect(items).to.deep.equal(Array.from({ length: 10 }, (_, i) => BigInt(i)));
    expect(node.calls).to.deep.equal([
      [0n, 7n],
      [0n, 3n],
      [0n, 1n],
      [2n, 3n],
      [4n, 5n],
      [6n, 7n],
      [8n, 9n],
    ]);
  });

  it("reads nothing for an empty range, and rethrows when one block alone is too large", async function () {
    expect(await readInPages(10n, 9n, fakeNode(1n).read)).to.deep.equal([]);
    let thrown: unknown;
    await readInPages(0n, 3n, fakeNode(0n).read, 4n).catch((error: unknown) => (thrown = error));
    expect(thrown).to.be.instanceOf(ResponseBodyTooLargeError);
  });

  it("rethrows any other error at once", async function () {
    const boom = new Error("node down");
    let thrown: unknown;
    await readInPages(0n, 3n, async () => Promise.reject(boom)).catch((error: unknown) => (thrown = error));
    expect(thrown).to.equal(boom);
  });
});
