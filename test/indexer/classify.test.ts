/** Unit tests of the transfer classification (indexer/lib/classify.ts). */
import { expect } from "chai";
import { ZERO_ADDRESS, classifyLeg, matchLegs, summaryLegs } from "../../indexer/lib/classify.ts";

const treasury = "0x00000000000000000000000000000000000000aa";
const escrow = "0x00000000000000000000000000000000000000e5";
const alice = "0x00000000000000000000000000000000000000a1";
const bob = "0x00000000000000000000000000000000000000b0";
const isProtocol = (a: string) => a === treasury || a === escrow;

describe("classifyLeg", function () {
  const kind = (from: string, to: string) => classifyLeg({ from, to, treasury, isProtocol });

  it("labels mints, burns, grants, deposits, refunds and payments by their parties", function () {
    expect(kind(ZERO_ADDRESS, alice)).to.equal("mint");
    expect(kind(alice, ZERO_ADDRESS)).to.equal("burn");
    expect(kind(treasury, alice)).to.equal("grant");
    expect(kind(treasury, escrow)).to.equal("grant");
    expect(kind(alice, escrow)).to.equal("deposit");
    expect(kind(alice, treasury)).to.equal("deposit");
    expect(kind(escrow, alice)).to.equal("refund");
    expect(kind(alice, bob)).to.equal("payment");
  });

  it("compares addresses case-insensitively", function () {
    expect(
      kind(alice.toUpperCase().replace("0X", "0x"), treasury.toUpperCase().replace("0X", "0x")),
    ).to.equal("deposit");
  });
});

describe("summaryLegs", function () {
  it("splits a taxed payment into its tax leg and its net leg", function () {
    const { legs, operation } = summaryLegs(
      { type: "TaxCharged", from: alice, to: bob, gross: 1000n, tax: 100n },
      treasury,
      isProtocol,
    );
    expect(legs).to.deep.equal([
      { from: alice, to: treasury, amount: 100n, kind: "tax", main: false },
      { from: alice, to: bob, amount: 900n, kind: "payment", main: true },
    ]);
    expect(operation).to.deep.equal({ gross: 1000n, tax: 100n, net: 900n, kind: "payment" });
  });

  it("omits a zero tax leg but keeps a zero net leg of a taxed transfer", function () {
    expect(
      summaryLegs({ type: "TaxCharged", from: alice, to: bob, gross: 5n, tax: 0n }, treasury, isProtocol)
        .legs,
    ).to.deep.equal([{ from: alice, to: bob, amount: 5n, kind: "payment", main: true }]);
    expect(
      summaryLegs({ type: "TaxCharged", from: alice, to: bob, gross: 0n, tax: 0n }, treasury, isProtocol)
        .legs,
    ).to.have.length(1);
  });

  it("splits earnings into tax, cap excess and the payee's part", function () {
    const { legs, operation } = summaryLegs(
      { type: "EarningsPaid", payer: escrow, payee: bob, gross: 1000n, tax: 100n, capExcess: 300n },
      treasury,
      isProtocol,
    );
    expect(legs.map((l) => [l.to, l.amount, l.kind])).to.deep.equal([
      [treasury, 100n, "tax"],
      [treasury, 300n, "cap_excess"],
      [bob, 600n, "earnings"],
    ]);
    expect(operation).to.deep.equal({ gross: 1000n, tax: 100n, net: 900n, kind: "earnings" });
  });

  it("has no payee leg when the whole net is cap excess", function () {
    const { legs } = summaryLegs(
      { type: "EarningsPaid", payer: escrow, payee: bob, gross: 1000n, tax: 100n, capExcess: 900n },
      treasury,
      isProtocol,
    );
    expect(legs.map((l) => l.kind)).to.deep.equal(["tax", "cap_excess"]);
  });

  it("pays earnings to a protocol account in one untaxed leg", function () {
    const { legs } = summaryLegs(
      { type: "EarningsPaid", payer: escrow, payee: treasury, gross: 70n, tax: 0n, capExcess: 0n },
      treasury,
      isProtocol,
    );
    expect(legs).to.deep.equal([{ from: escrow, to: treasury, amount: 70n, kind: "earnings", main: true }]);
  });

  it("labels a capped refund's excess and the Treasury's own capped grant", function () {
    const refund = summaryLegs(
      { type: "CapExcessRedirected", from: escrow, account: bob, amount: 50n, excess: 20n },
      treasury,
      isProtocol,
    );
    expect(refund.legs.map((l) => [l.from, l.to, l.amount, l.kind])).to.deep.equal([
      [escrow, treasury, 20n, "cap_excess"],
      [escrow, bob, 30n, "refund"],
    ]);
    const grant = summaryLegs(
      { type: "CapExcessRedirected", from: treasury, account: bob, amount: 50n, excess: 50n },
      treasury,
      isProtocol,
    );
    expect(grant.legs).to.deep.equal([
      { from: treasury, to: treasury, amount: 50n, kind: "cap_excess", main: false },
    ]);
  });
});

describe("matchLegs", function () {
  const expected = summaryLegs(
    { type: "TaxCharged", from: alice, to: bob, gross: 1000n, tax: 100n },
    treasury,
    isProtocol,
  ).legs;

  it("finds the summary's legs at the end of the transaction's legs", function () {
    const seen = [
      { from: treasury, to: alice, amount: 5000n },
      { from: alice, to: treasury, amount: 100n },
      { from: alice, to: bob, amount: 900n },
    ];
    expect(matchLegs(seen, expected)).to.deep.equal([1, 2]);
  });

  it("throws when the last legs are not the summary's", function () {
    expect(() => matchLegs([{ from: alice, to: bob, amount: 900n }], expected)).to.throw("expects 2 legs");
    expect(() =>
      matchLegs(
        [
          { from: alice, to: treasury, amount: 100n },
          { from: alice, to: bob, amount: 901n },
        ],
        expected,
      ),
    ).to.throw("expected");
  });
});
