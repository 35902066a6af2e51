/** Unit tests of the inequality figures (indexer/lib/gini.ts). */
import { expect } from "chai";
import { gini, giniPpm, largestHolder } from "../../indexer/lib/gini.ts";

describe("giniPpm", function () {
  it("is 0 for no holders, one holder, all-zero holdings and perfect equality", function () {
    expect(giniPpm([])).to.equal(0n);
    expect(giniPpm([7n])).to.equal(0n);
    expect(giniPpm([0n, 0n, 0n])).to.equal(0n);
    expect(giniPpm([5n, 5n, 5n, 5n])).to.equal(0n);
  });

  it("is (n - 1) / n when one of n holds everything", function () {
    expect(giniPpm([0n, 0n, 0n, 100n])).to.equal(750_000n);
    expect(giniPpm([10n ** 24n, 0n])).to.equal(500_000n);
  });

  it("matches the mean-absolute-difference definition and ignores order", function () {
    const values = [1n, 2n, 3n, 10n, 40n];
    // G = sum_i sum_j |x_i - x_j| / (2 n^2 mean) = sum |diffs| / (2 n sum)
    let diffs = 0n;
    for (const a of values) for (const b of values) diffs += a > b ? a - b : b - a;
    const sum = values.reduce((s, x) => s + x, 0n);
    const expected = (diffs * 1_000_000n) / (2n * BigInt(values.length) * sum);
    expect(giniPpm(values)).to.equal(expected);
    expect(giniPpm([...values].reverse())).to.equal(expected);
    expect(gini(values)).to.equal(Number(expected) / 1e6);
  });

  it("stays exact for wei-sized amounts", function () {
    expect(giniPpm([10n ** 30n, 3n * 10n ** 30n])).to.equal(250_000n);
  });

  it("throws on a negative amount", function () {
    expect(() => giniPpm([-1n, 2n])).to.throw("negative");
  });
});

describe("largestHolder", function () {
  it("finds the largest holding and its share of supply in bps, rounded down", function () {
    const result = largestHolder(
      new Map([
        ["0xb", 300n],
        ["0xa", 100n],
      ]),
      7_000n,
    );
    expect(result).to.deep.equal({ holder: "0xb", holding: 300n, shareBps: 428n });
  });

  it("breaks ties by the lowest address and reports nobody when all hold nothing", function () {
    expect(
      largestHolder(
        [
          ["0xc", 5n],
          ["0xa", 5n],
          ["0xb", 5n],
        ],
        100n,
      ).holder,
    ).to.equal("0xa");
    expect(largestHolder([["0xa", 0n]], 100n)).to.deep.equal({
      holder: undefined,
      holding: 0n,
      shareBps: 0n,
    });
    expect(largestHolder([["0xa", 1n]], 0n).shareBps).to.equal(0n);
  });
});
