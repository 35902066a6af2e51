import { expect } from "chai";
import { encodeErrorResult, RawContractError, BaseError } from "viem";
import { civitasTokenAbi, treasuryAbi } from "../../generated/abis.ts";
import { decodeRevert, describeError, formatRevert } from "../../scripts/lib/errors.ts";
import { formatBps, formatCiv, parseCiv, WEI_PER_CIV } from "../../scripts/lib/format.ts";
import { ARCHETYPES, assignArchetypes, DEFAULT_MIX, traitsOf } from "../../scripts/sim/archetypes.ts";
import { Rng } from "../../scripts/sim/prng.ts";
import { gini } from "../../scripts/sim/summary.ts";

describe("sim: seeded PRNG", function () {
  it("gives the same stream for the same seed and a different one for another seed", function () {
    const a = new Rng("seed-1");
    const b = new Rng("seed-1");
    const c = new Rng("seed-2");
    const first = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).to.deep.equal(first);
    expect(Array.from({ length: 20 }, () => c.next())).to.not.deep.equal(first);
  });

  it("keeps integers, amounts and picks within their bounds", function () {
    const rng = new Rng(7);
    for (let i = 0; i < 500; i++) {
      const n = rng.int(3, 9);
      expect(n).to.be.within(3, 9);
      const amount = rng.amount(WEI_PER_CIV, 5n * WEI_PER_CIV);
      expect(amount >= WEI_PER_CIV && amount <= 5n * WEI_PER_CIV).to.equal(true);
      expect(["x", "y"]).to.include(rng.pick(["x", "y"]));
    }
    expect(() => rng.pick([])).to.throw("empty");
  });

  it("forks independent streams that do not advance the parent", function () {
    const parent = new Rng("p");
    const before = new Rng("p").next();
    const child = parent.fork("agent-1");
    child.next();
    expect(parent.next()).to.equal(before);
    expect(new Rng("p").fork("agent-1").next()).to.equal(new Rng("p").fork("agent-1").next());
  });

  it("shuffles to a permutation of the input", function () {
    const items = Array.from({ length: 30 }, (_, i) => i);
    const shuffled = new Rng("s").shuffle(items);
    expect([...shuffled].sort((x, y) => x - y)).to.deep.equal(items);
    expect(shuffled).to.not.deep.equal(items);
  });
});

describe("sim: population", function () {
  it("assigns every archetype of the default mix to a population of 20, workers taking the rest", function () {
    const archetypes = assignArchetypes(20);
    expect(archetypes).to.have.length(20);
    for (const [archetype] of DEFAULT_MIX) expect(archetypes).to.include(archetype);
    expect(archetypes.filter((a) => a === "client")).to.have.length(5);
    expect(archetypes.filter((a) => a === "compute")).to.have.length(1);
    // The four 4% archetypes (lender, insurer, informant, player) take one each: 20 - 17 others = 3 workers.
    for (const archetype of ["lender", "insurer", "informant", "player"])
      expect(archetypes.filter((a) => a === archetype)).to.have.length(1);
    expect(archetypes.filter((a) => a === "worker")).to.have.length(3);
  });

  it("takes the mix and the roles from the one archetype table, every role played by someone", function () {
    expect(DEFAULT_MIX.map(([archetype]) => archetype)).to.deep.equal(Object.keys(ARCHETYPES));
    const roles = new Set(
      Object.keys(ARCHETYPES).flatMap((a) => traitsOf(a as keyof typeof ARCHETYPES).roles),
    );
    expect([...roles].sort()).to.deep.equal(["arbitrator", "client", "provider", "validator"]);
    expect(traitsOf("validator").roles).to.deep.equal(["provider", "validator"]);
    expect(traitsOf("troll")).to.include({ badFaith: true, vote: "against", permitChance: 0.5 });
  });

  it("gives the rest of a custom mix to its `rest` archetype", function () {
    const mix = [
      ["troll", 0.5],
      ["worker", "rest"],
    ] as const;
    expect(assignArchetypes(5, mix)).to.deep.equal(["troll", "troll", "troll", "worker", "worker"]);
  });

  it("still assigns exactly `count` agents for tiny populations", function () {
    expect(assignArchetypes(1)).to.have.length(1);
    expect(assignArchetypes(3)).to.have.length(3);
  });
});

describe("sim: CIV formatting", function () {
  it("formats wei as CIV with separators, trimmed fractions and the unit", function () {
    expect(formatCiv(1_500_000_000_000_000_000n)).to.equal("1.5 CIV");
    expect(formatCiv(1_234_567n * WEI_PER_CIV)).to.equal("1,234,567 CIV");
    expect(formatCiv(-2n * WEI_PER_CIV - WEI_PER_CIV / 4n)).to.equal("-2.25 CIV");
    expect(formatCiv(1n)).to.equal("0 CIV");
    expect(formatCiv(123_456_789n * 10n ** 12n, 2, "")).to.equal("123.45");
  });

  it("parses decimal CIV into wei and back", function () {
    expect(parseCiv("12.5")).to.equal(12n * WEI_PER_CIV + WEI_PER_CIV / 2n);
    expect(parseCiv("1,000 CIV")).to.equal(1_000n * WEI_PER_CIV);
    expect(parseCiv("0.000000000000000001")).to.equal(1n);
    for (const text of ["7", "0.25", "1,234.5678"])
      expect(parseCiv(formatCiv(parseCiv(text), 18, ""))).to.equal(parseCiv(text));
  });

  it("refuses malformed amounts", function () {
    for (const bad of ["", "-1", "1.2.3", "abc", "1.0000000000000000001"])
      expect(() => parseCiv(bad), bad).to.throw("not a CIV amount");
  });

  it("formats basis points as percentages", function () {
    expect(formatBps(1000n)).to.equal("10%");
    expect(formatBps(125)).to.equal("1.25%");
  });
});

describe("sim: custom error decoding", function () {
  it("decodes a token error with its arguments from raw revert data, amounts in CIV", function () {
    const data = encodeErrorResult({
      abi: civitasTokenAbi,
      errorName: "CivitasExceededWealthCap",
      args: ["0x00000000000000000000000000000000000000aa", 520_000n * WEI_PER_CIV, 500_000n * WEI_PER_CIV],
    });
    const error = new BaseError("call failed", { cause: new RawContractError({ data }) });
    const revert = decodeRevert(error);
    expect(revert?.name).to.equal("CivitasExceededWealthCap");
    expect(revert?.args.holding).to.equal(520_000n * WEI_PER_CIV);
    expect(formatRevert(revert!)).to.equal(
      "CivitasExceededWealthCap(account: 0x00000000000000000000000000000000000000AA, holding: 520,000 CIV, cap: 500,000 CIV)",
    );
  });

  it("decodes an error of another contract than the one called (every Civitas ABI is tried)", function () {
    const data = encodeErrorResult({
      abi: treasuryAbi,
      errorName: "TreasuryBudgetExceeded",
      args: [
        "0x00000000000000000000000000000000000000bb",
        "0x00000000000000000000000000000000000000cc",
        5n * WEI_PER_CIV,
        0n,
      ],
    });
    expect(describeError(new BaseError("x", { cause: new RawContractError({ data }) }))).to.equal(
      "TreasuryBudgetExceeded(spender: 0x00000000000000000000000000000000000000bb, token: 0x00000000000000000000000000000000000000cc, requested: 5 CIV, available: 0 CIV)",
    );
  });

  it("returns undefined for errors without revert data and describes them by message", function () {
    expect(decodeRevert(new Error("socket hang up"))).to.equal(undefined);
    expect(describeError(new Error("socket hang up"))).to.equal("socket hang up");
    expect(decodeRevert("0xdeadbeef00")).to.equal(undefined);
  });
});

describe("sim: Gini coefficient", function () {
  it("is 0 for equal holdings and for nobody", function () {
    expect(gini([5n, 5n, 5n])).to.equal(0);
    expect(gini([])).to.equal(0);
    expect(gini([0n, 0n])).to.equal(0);
  });

  it("approaches (n-1)/n when one agent holds everything", function () {
    const g = gini([0n, 0n, 0n, 100n]);
    expect(Math.abs(g - 0.75) < 1e-6, `gini ${g}`).to.equal(true);
  });

  it("matches the textbook value for 1, 2, 3, 4", function () {
    const g = gini([1n, 2n, 3n, 4n]);
    expect(Math.abs(g - 0.25) < 1e-6, `gini ${g}`).to.equal(true);
  });
});
