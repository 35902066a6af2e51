import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import { CIV, deployFoundation } from "../helpers/fixtures.ts";
import { deployProtocolFixture } from "../helpers/protocol.ts";

/**
 * Reputation on outcome (issue 17, docs/agreements.md "Reputation"): the bilateral agreement kinds write the
 * escrow's reputation, farming-resistant the escrow's way (issue 20): positive deltas scaled by the
 * earnings paid and divided by the streak with the same counterparty, whole points only. The attacks of one
 * person with many wallets come first.
 */
const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time, loadFixture } = networkHelpers;

const DAY = 86_400n;
const MIN_AMOUNT = 10n ** 15n;
/** The value at which a deal earns its full delta (ReputationCredit.FULL_CREDIT_AMOUNT). */
const FULL = 2_500n * CIV;
const reason = (r: string) => ethers.encodeBytes32String(r);

async function mockFixture() {
  const foundation = await deployFoundation(ethers);
  const { token, admin } = foundation;
  const [alice, bob, carol, dave] = foundation.agents;
  const wallets = [alice, bob, carol, dave];
  const registry = await ethers.deployContract("MockAgentRegistry");
  for (const w of wallets) await registry.setGoodStanding(w.address, true);
  const args = [admin.address, await token.getAddress(), await registry.getAddress(), 1_000n, MIN_AMOUNT];
  const loans = await ethers.deployContract("LoanAgreements", args);
  const insurance = await ethers.deployContract("InsuranceAgreements", args);
  const sales = await ethers.deployContract("InformationSales", args);
  for (const c of [loans, insurance, sales]) {
    await token.setProtocolAccount(await c.getAddress(), true);
    for (const w of wallets) await token.connect(w).approve(await c.getAddress(), ethers.MaxUint256);
  }
  const ids = new Map<string, bigint>();
  for (const w of wallets) ids.set(w.address, await registry.assignedIdOf(w.address));
  return { ...foundation, registry, loans, insurance, sales, alice, bob, carol, dave, wallets, ids };
}
type Fx = Awaited<ReturnType<typeof mockFixture>>;

async function terms(f: Fx, counterparty: HardhatEthersSigner, arbitrator?: HardhatEthersSigner) {
  const now = BigInt(await time.latest());
  return {
    counterparty: counterparty.address,
    arbitrator: arbitrator?.address ?? ethers.ZeroAddress,
    arbitratorFee: arbitrator ? 10n * CIV : 0n,
    joinDeadline: now + DAY,
    dueDate: now + 10n * DAY,
    reviewWindow: 2n * DAY,
    rulingWindow: 3n * DAY,
    termsHash: ethers.ZeroHash,
    termsURI: "",
  };
}

/** `borrower` borrows `principal` from `lender` for `interest` and repays at once; returns the receipt. */
async function loanRepaid(
  f: Fx,
  borrower: HardhatEthersSigner,
  lender: HardhatEthersSigner,
  principal: bigint,
  interest: bigint,
) {
  await f.loans.connect(borrower).propose(await terms(f, lender), principal, interest, principal);
  const id = await f.loans.agreementCount();
  await f.loans.connect(lender).join(id);
  return (await f.loans.connect(borrower).repay(id)).wait();
}

/** Every reputation report the mock registry recorded in `receipt`, as [agentId, delta, reason]. */
function reports(f: Fx, receipt: Awaited<ReturnType<typeof loanRepaid>>) {
  const out: [bigint, bigint, string][] = [];
  for (const log of receipt!.logs) {
    const parsed = f.registry.interface.parseLog(log);
    if (parsed?.name === "AgentReputationReported")
      out.push([parsed.args.agentId, parsed.args.delta, ethers.decodeBytes32String(parsed.args.reason)]);
  }
  return out;
}

/** The deployed protocol (Ignition), for the wiring and the escrow's numbers. */
async function protocolFixture() {
  return deployProtocolFixture(connection);
}

const score = (f: Fx, w: HardhatEthersSigner) => f.registry.scoreOf(w.address);

describe("Agreements: reputation on outcome", function () {
  describe("attacks (one person, many wallets)", function () {
    it("a ring of wallets lending 1 wei of interest back and forth farms nothing", async function () {
      const f = await loadFixture(mockFixture);
      const ring = f.wallets;
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < ring.length; i++) {
          const receipt = await loanRepaid(f, ring[i], ring[(i + 1) % ring.length], MIN_AMOUNT, 1n);
          expect(reports(f, receipt)).to.deep.equal([]);
        }
      }
      for (const w of ring) expect(await score(f, w)).to.equal(0n);
      // Each wallet alternates between borrowing from its successor and lending to its predecessor, so its
      // streak stays 0 and the ring collects all it can: (10 + 2) x 1 wei per round, three rounds.
      const [remainder, , streak] = await f.loans.reputationCreditOf(f.ids.get(ring[0].address)!);
      expect([remainder, streak]).to.deep.equal([36n, 0n]);
    });

    it("a ring moving large principal with no interest farms nothing: principal is not value paid", async function () {
      const f = await loadFixture(mockFixture);
      const ring = f.wallets;
      for (let i = 0; i < ring.length; i++) {
        const receipt = await loanRepaid(f, ring[i], ring[(i + 1) % ring.length], 5_000n * CIV, 0n);
        expect(reports(f, receipt)).to.deep.equal([]);
      }
      for (const w of ring) expect(await score(f, w)).to.equal(0n);
    });

    it("the same pair repeating earns less each time: the credit is divided by 1 + the streak", async function () {
      const f = await loadFixture(mockFixture);
      await f.token.connect(f.admin).mint(f.alice.address, 10_000n * CIV);
      const aliceId = f.ids.get(f.alice.address)!;
      const bobId = f.ids.get(f.bob.address)!;
      // Full value each time: 10/1, 10/2, 10/3 (3, 1/3 carried), 10/4 + 1/3 (2, 5/6 carried).
      const expected = [
        [10n, 2n],
        [5n, 1n],
        [3n, 0n],
        [2n, 1n],
      ];
      for (const [borrower, lender] of expected) {
        const receipt = await loanRepaid(f, f.alice, f.bob, MIN_AMOUNT, FULL);
        const want: [bigint, bigint, string][] = [];
        if (borrower !== 0n) want.push([aliceId, borrower, "agreement.performed"]);
        if (lender !== 0n) want.push([bobId, lender, "agreement.paid"]);
        expect(reports(f, receipt)).to.deep.equal(want);
      }
      expect(await score(f, f.alice)).to.equal(20n);
      const [remainder, last, streak] = await f.loans.reputationCreditOf(aliceId);
      expect([remainder, last, streak]).to.deep.equal([(FULL * 5n) / 6n, bobId, 3n]);
      // A new counterparty resets the streak: full credit again.
      const receipt = await loanRepaid(f, f.alice, f.carol, MIN_AMOUNT, FULL);
      expect(reports(f, receipt)[0]).to.deep.equal([aliceId, 10n, "agreement.performed"]);
    });

    it("credit is scaled by the value paid: a tenth of the full value earns a point, the rest is carried", async function () {
      const f = await loadFixture(mockFixture);
      const receipt = await loanRepaid(f, f.alice, f.bob, MIN_AMOUNT, FULL / 10n);
      expect(reports(f, receipt)).to.deep.equal([[f.ids.get(f.alice.address)!, 1n, "agreement.performed"]]);
      // The lender's +2 x 1/10 stays a fraction of a point.
      const [remainder] = await f.loans.reputationCreditOf(f.ids.get(f.bob.address)!);
      expect(remainder).to.equal((2n * FULL) / 10n);
    });
  });

  describe("rules", function () {
    it("a borrower in default loses 15 at the id recorded at proposal, even after unbinding its wallet", async function () {
      const f = await loadFixture(mockFixture);
      const aliceId = f.ids.get(f.alice.address)!;
      await f.loans.connect(f.alice).propose(await terms(f, f.bob), CIV, CIV, 2n * CIV);
      await f.loans.connect(f.bob).join(1n);
      await f.registry.unbind(f.alice.address);
      const { dueDate } = await f.loans.agreementOf(1n);
      await time.increaseTo(dueDate + 1n);
      await expect(f.loans.connect(f.carol).claimDefault(1n))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(aliceId, -15n, reason("agreement.defaulted"), 1n, -15n);
      expect(await score(f, f.bob)).to.equal(0n);
    });

    it("an information sale: confirmed pays credit, silence costs the buyer 2, no reveal costs the seller 15", async function () {
      const f = await loadFixture(mockFixture);
      const [aliceId, bobId] = [f.alice, f.bob].map((w) => f.ids.get(w.address)!);
      const data = ethers.toUtf8Bytes("the data");
      const sale = async () => {
        await f.sales
          .connect(f.alice)
          .propose(await terms(f, f.bob, f.carol), FULL, CIV, ethers.keccak256(data));
        const id = await f.sales.agreementCount();
        await f.sales.connect(f.carol).accept(id);
        await f.sales.connect(f.bob).join(id);
        return id;
      };
      await f.token.connect(f.admin).mint(f.bob.address, 10_000n * CIV);
      let id = await sale();
      await f.sales.connect(f.alice).reveal(id, data);
      const confirmed = await (await f.sales.connect(f.bob).confirm(id)).wait();
      expect(reports(f, confirmed)).to.deep.equal([
        [aliceId, 10n, "agreement.performed"],
        [bobId, 2n, "agreement.paid"],
      ]);

      id = await sale();
      await f.sales.connect(f.alice).reveal(id, data);
      await time.increaseTo((await f.sales.agreementOf(id)).reviewDeadline + 1n);
      const finalized = await (await f.sales.connect(f.dave).finalize(id)).wait();
      // Second deal in a row with bob: 10 / 2.
      expect(reports(f, finalized)).to.deep.equal([
        [aliceId, 5n, "agreement.performed"],
        [bobId, -2n, "agreement.silent"],
      ]);

      id = await sale();
      await time.increaseTo((await f.sales.agreementOf(id)).dueDate + 1n);
      await expect(f.sales.connect(f.dave).claimDefault(id))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(aliceId, -15n, reason("agreement.defaulted"), id, anyValue);
    });

    it("a ruling credits the arbitrator and the winner (scaled) and costs the loser 5; a missed ruling costs the arbitrator 20", async function () {
      const f = await loadFixture(mockFixture);
      const [aliceId, bobId, carolId] = [f.alice, f.bob, f.carol].map((w) => f.ids.get(w.address)!);
      const data = ethers.toUtf8Bytes("the data");
      const sale = async () => {
        await f.sales
          .connect(f.alice)
          .propose(await terms(f, f.bob, f.carol), FULL, FULL, ethers.keccak256(data));
        const id = await f.sales.agreementCount();
        await f.sales.connect(f.carol).accept(id);
        await f.sales.connect(f.bob).join(id);
        await f.sales.connect(f.alice).reveal(id, ethers.toUtf8Bytes("garbage"));
        return id;
      };
      let id = await sale();
      // The buyer wins: it earns the seller's collateral (2,500 CIV) and the arbitrator its fee.
      const ruled = await (await f.sales.connect(f.carol).rule(id, false)).wait();
      expect(reports(f, ruled)).to.deep.equal([
        [carolId, 5n, "agreement.ruled"],
        [bobId, 5n, "agreement.disputeWon"],
        [aliceId, -5n, "agreement.disputeLost"],
      ]);
      id = await sale();
      await time.increaseTo((await f.sales.agreementOf(id)).rulingDeadline + 1n);
      const noShow = await (await f.sales.connect(f.dave).resolveNoShow(id)).wait();
      expect(reports(f, noShow)).to.deep.equal([[carolId, -20n, "agreement.arbitratorNoShow"]]);
    });

    it("insurance: the insurer performs by paying a claim (premium and cover) or by holding the cover to the end", async function () {
      const f = await loadFixture(mockFixture);
      const [aliceId, bobId] = [f.alice, f.bob].map((w) => f.ids.get(w.address)!);
      const policy = async (premium: bigint, cover: bigint) => {
        await f.insurance.connect(f.alice).propose(await terms(f, f.bob, f.carol), premium, cover);
        const id = await f.insurance.agreementCount();
        await f.insurance.connect(f.carol).accept(id);
        await f.insurance.connect(f.bob).join(id);
        return id;
      };
      let id = await policy(FULL / 10n, (FULL * 9n) / 10n);
      await f.insurance.connect(f.alice).claim(id, "ipfs://it-happened");
      const paid = await (await f.insurance.connect(f.bob).payClaim(id)).wait();
      expect(reports(f, paid)).to.deep.equal([
        [bobId, 10n, "agreement.performed"],
        [aliceId, 2n, "agreement.paid"],
      ]);
      id = await policy(FULL, CIV);
      await time.increaseTo((await f.insurance.agreementOf(id)).dueDate + 1n);
      const expired = await (await f.insurance.connect(f.dave).expire(id)).wait();
      expect(reports(f, expired)).to.deep.equal([
        [bobId, 5n, "agreement.performed"],
        [aliceId, 1n, "agreement.paid"],
      ]);
    });

    it("a registry that refuses a report never blocks settlement: the refusal is an event", async function () {
      const f = await loadFixture(mockFixture);
      await f.registry.setRefuseReports(true);
      await f.loans.connect(f.alice).propose(await terms(f, f.bob), MIN_AMOUNT, FULL, MIN_AMOUNT);
      await f.loans.connect(f.bob).join(1n);
      const refused = f.registry.interface.encodeErrorResult("MockRegistryRefused", [ethers.ZeroAddress]);
      await expect(f.loans.connect(f.alice).repay(1n))
        .to.emit(f.loans, "AgreementReputationReportFailed")
        .withArgs(1n, f.ids.get(f.alice.address)!, 10n, reason("agreement.performed"), refused)
        .and.to.emit(f.loans, "AgreementSettled");
    });

    it("a party with no agent id is skipped: no report and no failure", async function () {
      const f = await loadFixture(mockFixture);
      // In good standing but bound to no agent id (the real registry never allows this at proposal).
      await f.registry.unbind(f.alice.address);
      await f.registry.setGoodStanding(f.alice.address, true);
      expect(await f.registry.agentIdOf(f.alice.address)).to.equal(0n);
      await f.loans.connect(f.alice).propose(await terms(f, f.bob), MIN_AMOUNT, FULL, MIN_AMOUNT);
      await f.loans.connect(f.bob).join(1n);
      const receipt = await (await f.loans.connect(f.alice).repay(1n)).wait();
      // The lender is still credited. Its empty record's last counterparty is 0 too, so an id-0 counterparty
      // counts as a repeat (streak 1: 2 / 2): never more credit than a registered one, as the escrow's record.
      expect(reports(f, receipt)).to.deep.equal([[f.ids.get(f.bob.address)!, 1n, "agreement.paid"]]);
      const failed = receipt!.logs.filter(
        (l) => f.loans.interface.parseLog(l)?.name === "AgreementReputationReportFailed",
      );
      expect(failed).to.deep.equal([]);
    });
  });

  describe("on the deployed protocol", function () {
    it("each kind reports through the registry (REPORTER_ROLE and its tag from the Ignition module)", async function () {
      const f = await loadFixture(protocolFixture);
      const loans = f.loanAgreements;
      for (const [c, tag] of [
        [f.loanAgreements, "civitas.loan"],
        [f.insuranceAgreements, "civitas.insurance"],
        [f.informationSales, "civitas.infoSale"],
        [f.forwardAgreements, "civitas.forward"],
      ] as const) {
        expect(await f.registry.hasRole(await f.registry.REPORTER_ROLE(), await c.getAddress())).to.equal(
          true,
        );
        expect(await f.registry.reporterTag(await c.getAddress())).to.equal(reason(tag));
      }
      const { alice, bob } = f;
      // Minting as the timelock stands for a passed proposal.
      const timelock = await f.timelock.getAddress();
      await networkHelpers.impersonateAccount(timelock);
      const asTimelock = await ethers.getSigner(timelock);
      await f.token.connect(asTimelock).mint(alice.address, 3_000n * CIV);
      await f.token.connect(alice).approve(await loans.getAddress(), ethers.MaxUint256);
      await f.token.connect(bob).approve(await loans.getAddress(), ethers.MaxUint256);
      const now = BigInt(await time.latest());
      const t = { ...(await terms({} as Fx, bob)), joinDeadline: now + DAY, dueDate: now + 10n * DAY };
      void t.arbitrator;
      await loans.connect(alice).propose(t, CIV, FULL, CIV);
      await loans.connect(bob).join(1n);
      const before = [await f.registry.scoreOf(f.agentIds.alice), await f.registry.scoreOf(f.agentIds.bob)];
      await expect(loans.connect(alice).repay(1n)).to.not.emit(loans, "AgreementReputationReportFailed");
      expect(await f.registry.scoreOf(f.agentIds.alice)).to.equal(before[0] + 10n);
      expect(await f.registry.scoreOf(f.agentIds.bob)).to.equal(before[1] + 2n);
    });

    it("uses the escrow's numbers: full-credit amount and every delta", async function () {
      const f = await loadFixture(protocolFixture);
      const [e, a] = [f.escrow, f.loanAgreements];
      expect(await a.REPUTATION_FULL_CREDIT_AMOUNT()).to.equal(await e.REPUTATION_FULL_CREDIT_AMOUNT());
      expect(await a.DELTA_PERFORMED()).to.equal(await e.DELTA_COMPLETED());
      expect(await a.DELTA_PAID()).to.equal(await e.DELTA_PAID());
      expect(await a.DELTA_SILENT()).to.equal(await e.DELTA_CLIENT_SILENT());
      expect(await a.DELTA_DEFAULTED()).to.equal(await e.DELTA_DELIVERY_MISSED());
      expect(await a.DELTA_DISPUTE_WON()).to.equal(await e.DELTA_DISPUTE_WON());
      expect(await a.DELTA_DISPUTE_LOST()).to.equal(await e.DELTA_DISPUTE_LOST());
      expect(await a.DELTA_RULED()).to.equal(await e.DELTA_RULED());
      expect(await a.DELTA_ARBITRATOR_NO_SHOW()).to.equal(await e.DELTA_ARBITRATOR_NO_SHOW());
    });
  });
});
