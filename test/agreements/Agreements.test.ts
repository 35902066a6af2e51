import { expect } from "chai";
import { network } from "hardhat";

import { AgreementKind, AgreementState } from "../../scripts/lib/vocabulary.ts";
import { stateBitmap as bits } from "../helpers/escrow.ts";
import { CIV, deployFoundation, taxOf } from "../helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.connect();
const { time, loadFixture } = networkHelpers;

const DAY = 86_400n;
const HOUR = 3_600n;
const BOND_BPS = 1_000n;
const MIN_AMOUNT = 10n ** 15n;
/** IBilateralAgreement.State by name, as bigints (from the generated vocabulary). */
const S = Object.fromEntries(AgreementState.names.map((n, i) => [n, BigInt(i)])) as Record<
  (typeof AgreementState.names)[number],
  bigint
>;

async function deployFixture() {
  const foundation = await deployFoundation(ethers);
  const { token, admin } = foundation;
  const [alice, bob, carol, dave] = foundation.agents;
  const stranger = foundation.outsider;
  const registry = await ethers.deployContract("MockAgentRegistry");
  for (const a of [alice, bob, carol, dave]) await registry.setGoodStanding(a.address, true);
  const args = [admin.address, await token.getAddress(), await registry.getAddress(), BOND_BPS, MIN_AMOUNT];
  const loans = await ethers.deployContract("LoanAgreements", args);
  const insurance = await ethers.deployContract("InsuranceAgreements", args);
  const sales = await ethers.deployContract("InformationSales", args);
  for (const c of [loans, insurance, sales]) {
    await token.setProtocolAccount(await c.getAddress(), true);
    for (const a of [alice, bob, carol, dave])
      await token.connect(a).approve(await c.getAddress(), ethers.MaxUint256);
  }
  const now = BigInt(await time.latest());
  const terms = {
    counterparty: bob.address,
    arbitrator: carol.address,
    arbitratorFee: 10n * CIV,
    joinDeadline: now + DAY,
    dueDate: now + 10n * DAY,
    reviewWindow: 2n * DAY,
    rulingWindow: 3n * DAY,
    termsHash: ethers.keccak256(ethers.toUtf8Bytes("terms")),
    termsURI: "ipfs://terms",
  };
  const taxBps = await token.taxBps();
  const treasury = await foundation.treasury.getAddress();
  return {
    token,
    treasury,
    registry,
    admin,
    alice,
    bob,
    carol,
    dave,
    stranger,
    loans,
    insurance,
    sales,
    terms,
    taxBps,
  };
}
type Fx = Awaited<ReturnType<typeof deployFixture>>;
const net = (f: Fx, gross: bigint) => gross - taxOf(gross, f.taxBps);

/** Every CIV the three contracts hold equals the sum of `heldFor` over their agreements (none stuck). */
async function expectNothingStuck(f: Fx) {
  for (const c of [f.loans, f.insurance, f.sales]) {
    let held = 0n;
    const n = await c.agreementCount();
    for (let id = 1n; id <= n; id++) held += await c.heldFor(id);
    expect(await f.token.balanceOf(await c.getAddress())).to.equal(held);
  }
}

// ------------------------------------------------------------------------------------------ loans
const PRINCIPAL = 1_000n * CIV;
const INTEREST = 50n * CIV;
const COLLATERAL = 1_200n * CIV;
const loanTerms = (f: Fx) => ({ ...f.terms, arbitrator: ethers.ZeroAddress, arbitratorFee: 0n });
async function loanActive(f: Fx) {
  await f.loans.connect(f.alice).propose(loanTerms(f), PRINCIPAL, INTEREST, COLLATERAL);
  const id = await f.loans.agreementCount();
  await f.loans.connect(f.bob).join(id);
  return id;
}

describe("Agreements", function () {
  it("each contract carries its kind from AgreementKinds", async function () {
    const f = await loadFixture(deployFixture);
    expect(await f.loans.kind()).to.equal(AgreementKind.LOAN);
    expect(await f.insurance.kind()).to.equal(AgreementKind.INSURANCE);
    expect(await f.sales.kind()).to.equal(AgreementKind.INFORMATION_SALE);
    expect([AgreementKind.JOB, AgreementKind.FORWARD, AgreementKind.POOL]).to.deep.equal([0n, 1n, 5n]);
  });

  describe("loan", function () {
    it("propose takes the collateral, join pays the principal to the borrower, repay settles", async function () {
      const f = await loadFixture(deployFixture);
      const addr = await f.loans.getAddress();
      {
        const tx = f.loans.connect(f.alice).propose(loanTerms(f), PRINCIPAL, INTEREST, COLLATERAL);
        await expect(tx)
          .to.emit(f.loans, "LoanProposed")
          .withArgs(1n, PRINCIPAL, INTEREST, COLLATERAL)
          .and.to.emit(f.loans, "AgreementProposed");
        await expect(tx).to.changeTokenBalances(ethers, f.token, [f.alice, addr], [-COLLATERAL, COLLATERAL]);
      }
      expect((await f.loans.agreementOf(1n)).state).to.equal(S.Proposed);
      {
        const tx = f.loans.connect(f.bob).join(1n);
        await expect(tx).to.emit(f.loans, "AgreementJoined").withArgs(1n, f.bob.address, PRINCIPAL);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.bob, f.alice, addr],
          [-PRINCIPAL, PRINCIPAL, 0n],
        );
      }
      expect(await f.loans.heldFor(1n)).to.equal(COLLATERAL);
      {
        const tx = f.loans.connect(f.alice).repay(1n);
        await expect(tx)
          .to.emit(f.loans, "AgreementSettled")
          .withArgs(1n, S.Settled, f.alice.address, [COLLATERAL, 0n, PRINCIPAL, INTEREST, 0n, 0n]);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.alice, f.bob, f.treasury, addr],
          [
            COLLATERAL - PRINCIPAL - INTEREST,
            PRINCIPAL + net(f, INTEREST),
            taxOf(INTEREST, f.taxBps),
            -COLLATERAL,
          ],
        );
      }
      await expectNothingStuck(f);
    });

    it("repay is the borrower's, only while Active, until the due date inclusive", async function () {
      const f = await loadFixture(deployFixture);
      const id = await loanActive(f);
      const { dueDate } = await f.loans.agreementOf(id);
      await expect(f.loans.connect(f.bob).repay(id))
        .to.be.revertedWithCustomError(f.loans, "AgreementUnauthorized")
        .withArgs(id, f.bob.address);
      await expect(f.loans.connect(f.alice).claimDefault(id))
        .to.be.revertedWithCustomError(f.loans, "AgreementDeadlineNotPassed")
        .withArgs(id, dueDate);
      await time.setNextBlockTimestamp(dueDate);
      await expect(f.loans.connect(f.alice).repay(id)).to.emit(f.loans, "AgreementSettled");
      await expect(f.loans.connect(f.alice).repay(id))
        .to.be.revertedWithCustomError(f.loans, "AgreementInvalidState")
        .withArgs(id, S.Settled, bits(S.Active));
    });

    it("a default past the due date sends the collateral to the lender: principal untaxed, the rest taxed", async function () {
      const f = await loadFixture(deployFixture);
      const id = await loanActive(f);
      const { dueDate } = await f.loans.agreementOf(id);
      await time.setNextBlockTimestamp(dueDate + 1n);
      await expect(f.loans.connect(f.alice).repay(id))
        .to.be.revertedWithCustomError(f.loans, "AgreementDeadlinePassed")
        .withArgs(id, dueDate);
      const excess = COLLATERAL - PRINCIPAL;
      {
        const tx = f.loans.connect(f.stranger).claimDefault(id);
        await expect(tx)
          .to.emit(f.loans, "AgreementSettled")
          .withArgs(id, S.Defaulted, f.stranger.address, [0n, 0n, PRINCIPAL, excess, 0n, 0n]);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.alice, f.bob],
          [0n, PRINCIPAL + net(f, excess)],
        );
      }
      await expectNothingStuck(f);
    });

    it("refuses an undercollateralised loan (a free untaxed transfer through a default)", async function () {
      const f = await loadFixture(deployFixture);
      // Attack: wallets A (borrower) and B (lender) of one owner. B lends 1,000, A locks 1 and defaults:
      // A would keep 999 CIV that crossed untaxed. The contract refuses the loan.
      await expect(f.loans.connect(f.alice).propose(loanTerms(f), PRINCIPAL, 0n, PRINCIPAL - 1n))
        .to.be.revertedWithCustomError(f.loans, "LoanUndercollateralised")
        .withArgs(PRINCIPAL - 1n, PRINCIPAL);
      // At exactly the principal it is allowed, and a default then moves nothing untaxed.
      await f.loans.connect(f.alice).propose(loanTerms(f), PRINCIPAL, 0n, PRINCIPAL);
    });

    it("a loan names no arbitrator and no fee", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.loans.connect(f.alice).propose(f.terms, PRINCIPAL, INTEREST, COLLATERAL))
        .to.be.revertedWithCustomError(f.loans, "AgreementInvalidParties")
        .withArgs(f.alice.address, f.bob.address, f.carol.address);
      await expect(
        f.loans
          .connect(f.alice)
          .propose({ ...loanTerms(f), arbitratorFee: 1n }, PRINCIPAL, INTEREST, COLLATERAL),
      )
        .to.be.revertedWithCustomError(f.loans, "AgreementInvalidParties")
        .withArgs(f.alice.address, f.bob.address, ethers.ZeroAddress);
      const id = (await f.loans.connect(f.alice).propose(loanTerms(f), PRINCIPAL, INTEREST, COLLATERAL), 1n);
      await expect(f.loans.connect(f.carol).accept(id))
        .to.be.revertedWithCustomError(f.loans, "AgreementUnauthorized")
        .withArgs(id, f.carol.address);
    });

    it("interest can be zero; the lender then earns nothing and pays no tax", async function () {
      const f = await loadFixture(deployFixture);
      await f.loans.connect(f.alice).propose(loanTerms(f), PRINCIPAL, 0n, COLLATERAL);
      await f.loans.connect(f.bob).join(1n);
      await expect(f.loans.connect(f.alice).repay(1n)).to.changeTokenBalances(
        ethers,
        f.token,
        [f.bob, f.treasury],
        [PRINCIPAL, 0n],
      );
    });
  });

  // ------------------------------------------------------------------------------------------ common
  describe("common steps (on insurance)", function () {
    const PREMIUM = 30n * CIV;
    const COVER = 500n * CIV;
    const propose = (f: Fx, over: Partial<Fx["terms"]> = {}) =>
      f.insurance.connect(f.alice).propose({ ...f.terms, ...over }, PREMIUM, COVER);

    it("checks parties, standing, amount, deadlines and windows at proposal, with the offending values", async function () {
      const f = await loadFixture(deployFixture);
      const c = f.insurance;
      const now = BigInt(await time.latest()) + 1n;
      await expect(propose(f, { counterparty: f.alice.address }))
        .to.be.revertedWithCustomError(c, "AgreementInvalidParties")
        .withArgs(f.alice.address, f.alice.address, f.carol.address);
      await expect(propose(f, { arbitrator: f.bob.address }))
        .to.be.revertedWithCustomError(c, "AgreementInvalidParties")
        .withArgs(f.alice.address, f.bob.address, f.bob.address);
      await expect(propose(f, { arbitrator: ethers.ZeroAddress }))
        .to.be.revertedWithCustomError(c, "AgreementInvalidParties")
        .withArgs(f.alice.address, f.bob.address, ethers.ZeroAddress);
      await expect(propose(f, { counterparty: f.stranger.address }))
        .to.be.revertedWithCustomError(c, "AgreementNotInGoodStanding")
        .withArgs(f.stranger.address);
      await expect(propose(f, { arbitrator: f.stranger.address }))
        .to.be.revertedWithCustomError(c, "AgreementNotInGoodStanding")
        .withArgs(f.stranger.address);
      await expect(c.connect(f.alice).propose(f.terms, PREMIUM, MIN_AMOUNT - 1n))
        .to.be.revertedWithCustomError(c, "AgreementAmountTooLow")
        .withArgs(MIN_AMOUNT - 1n, MIN_AMOUNT);
      await time.setNextBlockTimestamp(now);
      await expect(propose(f, { joinDeadline: now }))
        .to.be.revertedWithCustomError(c, "AgreementInvalidDeadline")
        .withArgs(now, now + 1n, now + 365n * DAY);
      await time.setNextBlockTimestamp(now + 1n);
      await expect(propose(f, { dueDate: f.terms.joinDeadline + HOUR - 1n }))
        .to.be.revertedWithCustomError(c, "AgreementInvalidDeadline")
        .withArgs(f.terms.joinDeadline + HOUR - 1n, f.terms.joinDeadline + HOUR, now + 1n + 365n * DAY);
      await time.setNextBlockTimestamp(now + 2n);
      await expect(propose(f, { dueDate: now + 2n + 365n * DAY + 1n }))
        .to.be.revertedWithCustomError(c, "AgreementInvalidDeadline")
        .withArgs(now + 2n + 365n * DAY + 1n, f.terms.joinDeadline + HOUR, now + 2n + 365n * DAY);
      await expect(propose(f, { rulingWindow: HOUR - 1n }))
        .to.be.revertedWithCustomError(c, "AgreementWindowOutOfBounds")
        .withArgs(HOUR - 1n, HOUR, 30n * DAY);
      await expect(propose(f, { reviewWindow: 30n * DAY + 1n }))
        .to.be.revertedWithCustomError(c, "AgreementWindowOutOfBounds")
        .withArgs(30n * DAY + 1n, HOUR, 30n * DAY);
      // At the bounds exactly: accepted.
      await propose(f, { dueDate: f.terms.joinDeadline + HOUR, reviewWindow: HOUR, rulingWindow: 30n * DAY });
      await c.connect(f.alice).propose(f.terms, PREMIUM, MIN_AMOUNT);
    });

    it("refuses to take deposits while not a protocol account", async function () {
      const f = await loadFixture(deployFixture);
      const addr = await f.insurance.getAddress();
      await f.token.setProtocolAccount(addr, false);
      await expect(propose(f))
        .to.be.revertedWithCustomError(f.insurance, "AgreementNotProtocolAccount")
        .withArgs(addr);
    });

    it("accept is the arbitrator's, bonds ceil(cover x bondBps), until the join deadline inclusive", async function () {
      const f = await loadFixture(deployFixture);
      await propose(f);
      await expect(f.insurance.connect(f.bob).accept(1n))
        .to.be.revertedWithCustomError(f.insurance, "AgreementUnauthorized")
        .withArgs(1n, f.bob.address);
      await expect(f.insurance.connect(f.bob).join(1n))
        .to.be.revertedWithCustomError(f.insurance, "AgreementInvalidState")
        .withArgs(1n, S.Proposed, bits(S.Accepted));
      await f.registry.setGoodStanding(f.carol.address, false);
      await expect(f.insurance.connect(f.carol).accept(1n))
        .to.be.revertedWithCustomError(f.insurance, "AgreementNotInGoodStanding")
        .withArgs(f.carol.address);
      await f.registry.setGoodStanding(f.carol.address, true);
      const bond = (COVER * BOND_BPS + 9_999n) / 10_000n;
      await time.setNextBlockTimestamp(f.terms.joinDeadline);
      {
        const tx = f.insurance.connect(f.carol).accept(1n);
        await expect(tx).to.emit(f.insurance, "AgreementAccepted").withArgs(1n, f.carol.address, bond);
        await expect(tx).to.changeTokenBalance(ethers, f.token, f.carol, -bond);
      }
      await expect(f.insurance.connect(f.bob).join(1n))
        .to.be.revertedWithCustomError(f.insurance, "AgreementDeadlinePassed")
        .withArgs(1n, f.terms.joinDeadline);
    });

    it("accept after the join deadline reverts; then anyone cancels and every deposit goes back", async function () {
      const f = await loadFixture(deployFixture);
      await propose(f);
      await f.insurance.connect(f.carol).accept(1n);
      await expect(f.insurance.connect(f.stranger).cancel(1n))
        .to.be.revertedWithCustomError(f.insurance, "AgreementUnauthorized")
        .withArgs(1n, f.stranger.address);
      await time.setNextBlockTimestamp(f.terms.joinDeadline + 1n);
      const bond = COVER / 10n;
      {
        const tx = f.insurance.connect(f.stranger).cancel(1n);
        await expect(tx)
          .to.emit(f.insurance, "AgreementCancelled")
          .withArgs(1n, f.stranger.address, PREMIUM + f.terms.arbitratorFee, bond);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.alice, f.carol],
          [PREMIUM + f.terms.arbitratorFee, bond],
        );
      }
      await expect(f.insurance.connect(f.alice).cancel(1n))
        .to.be.revertedWithCustomError(f.insurance, "AgreementInvalidState")
        .withArgs(1n, S.Cancelled, bits(S.Proposed, S.Accepted));
      await expectNothingStuck(f);
    });

    it("the counterparty may decline (cancel) before joining; a stranger may not before the deadline", async function () {
      const f = await loadFixture(deployFixture);
      await propose(f);
      await expect(f.insurance.connect(f.stranger).cancel(1n))
        .to.be.revertedWithCustomError(f.insurance, "AgreementUnauthorized")
        .withArgs(1n, f.stranger.address);
      await time.setNextBlockTimestamp(f.terms.joinDeadline);
      await expect(f.insurance.connect(f.bob).cancel(1n)).to.emit(f.insurance, "AgreementCancelled");
    });

    it("join checks both parties' standing; the proposer suspended after proposing cannot bind anyone", async function () {
      const f = await loadFixture(deployFixture);
      await propose(f);
      await f.insurance.connect(f.carol).accept(1n);
      await f.registry.setGoodStanding(f.alice.address, false);
      await expect(f.insurance.connect(f.bob).join(1n))
        .to.be.revertedWithCustomError(f.insurance, "AgreementNotInGoodStanding")
        .withArgs(f.alice.address);
      await expect(f.insurance.connect(f.dave).join(1n))
        .to.be.revertedWithCustomError(f.insurance, "AgreementUnauthorized")
        .withArgs(1n, f.dave.address);
    });

    it("governance settings are bounded, role-gated and evented", async function () {
      const f = await loadFixture(deployFixture);
      const c = f.insurance;
      const role = await c.PARAMETER_ROLE();
      await expect(c.connect(f.alice).setArbitratorBondBps(200n))
        .to.be.revertedWithCustomError(c, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, role);
      await expect(c.connect(f.alice).setMinAmount(MIN_AMOUNT))
        .to.be.revertedWithCustomError(c, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, role);
      await expect(c.setArbitratorBondBps(99n))
        .to.be.revertedWithCustomError(c, "AgreementBondBpsOutOfBounds")
        .withArgs(99n, 100n, 5_000n);
      await expect(c.setArbitratorBondBps(5_001n))
        .to.be.revertedWithCustomError(c, "AgreementBondBpsOutOfBounds")
        .withArgs(5_001n, 100n, 5_000n);
      await expect(c.setArbitratorBondBps(5_000n))
        .to.emit(c, "ArbitratorBondBpsUpdated")
        .withArgs(BOND_BPS, 5_000n);
      await expect(c.setMinAmount(10n ** 15n - 1n))
        .to.be.revertedWithCustomError(c, "AgreementMinAmountOutOfBounds")
        .withArgs(10n ** 15n - 1n, 10n ** 15n, 10n ** 22n);
      await expect(c.setMinAmount(10n ** 22n + 1n))
        .to.be.revertedWithCustomError(c, "AgreementMinAmountOutOfBounds")
        .withArgs(10n ** 22n + 1n, 10n ** 15n, 10n ** 22n);
      await expect(c.setMinAmount(10n ** 22n))
        .to.emit(c, "MinAmountUpdated")
        .withArgs(MIN_AMOUNT, 10n ** 22n);
      await expect(
        ethers.deployContract("LoanAgreements", [
          ethers.ZeroAddress,
          await f.token.getAddress(),
          await f.registry.getAddress(),
          BOND_BPS,
          MIN_AMOUNT,
        ]),
      ).to.be.revertedWithCustomError(c, "AgreementZeroAddress");
    });
  });

  // ------------------------------------------------------------------------------------------ insurance
  describe("insurance", function () {
    const PREMIUM = 30n * CIV;
    const COVER = 500n * CIV;
    const BOND = COVER / 10n;
    async function active(f: Fx) {
      await f.insurance.connect(f.alice).propose(f.terms, PREMIUM, COVER);
      await f.insurance.connect(f.carol).accept(1n);
      await f.insurance.connect(f.bob).join(1n);
      return 1n;
    }

    it("no claim by the end of cover: the insurer keeps the cover and earns the premium (taxed)", async function () {
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await time.setNextBlockTimestamp(f.terms.dueDate);
      await expect(f.insurance.expire(id))
        .to.be.revertedWithCustomError(f.insurance, "AgreementDeadlineNotPassed")
        .withArgs(id, f.terms.dueDate);
      await time.setNextBlockTimestamp(f.terms.dueDate + 1n);
      {
        const tx = f.insurance.connect(f.stranger).expire(id);
        await expect(tx)
          .to.emit(f.insurance, "AgreementSettled")
          .withArgs(id, S.Settled, f.stranger.address, [f.terms.arbitratorFee, 0n, COVER, PREMIUM, BOND, 0n]);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.alice, f.bob, f.carol],
          [f.terms.arbitratorFee, COVER + net(f, PREMIUM), BOND],
        );
      }
      await expectNothingStuck(f);
    });

    it("a claim by the due date is attested by the arbitrator: happened pays the cover (taxed)", async function () {
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await expect(f.insurance.connect(f.bob).claim(id, "ipfs://e"))
        .to.be.revertedWithCustomError(f.insurance, "AgreementUnauthorized")
        .withArgs(id, f.bob.address);
      await time.setNextBlockTimestamp(f.terms.dueDate);
      await expect(f.insurance.connect(f.alice).claim(id, "ipfs://e"))
        .to.emit(f.insurance, "AgreementDisputed")
        .withArgs(id, f.alice.address, f.terms.dueDate + f.terms.rulingWindow)
        .and.to.emit(f.insurance, "AgreementEvidence")
        .withArgs(id, f.alice.address, "ipfs://e");
      await expect(f.insurance.connect(f.bob).rule(id, true))
        .to.be.revertedWithCustomError(f.insurance, "AgreementUnauthorized")
        .withArgs(id, f.bob.address);
      await expect(f.insurance.connect(f.bob).submitEvidence(id, "ipfs://b"))
        .to.emit(f.insurance, "AgreementEvidence")
        .withArgs(id, f.bob.address, "ipfs://b");
      await expect(f.insurance.connect(f.carol).submitEvidence(id, "ipfs://c"))
        .to.be.revertedWithCustomError(f.insurance, "AgreementUnauthorized")
        .withArgs(id, f.carol.address);
      await time.setNextBlockTimestamp(f.terms.dueDate + f.terms.rulingWindow);
      {
        const tx = f.insurance.connect(f.carol).rule(id, true);
        await expect(tx)
          .to.emit(f.insurance, "AgreementRuled")
          .withArgs(id, f.carol.address, true)
          .and.to.emit(f.insurance, "AgreementSettled")
          .withArgs(id, S.Ruled, f.carol.address, [0n, COVER, 0n, PREMIUM, BOND, f.terms.arbitratorFee]);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.alice, f.bob, f.carol],
          [net(f, COVER), net(f, PREMIUM), BOND + net(f, f.terms.arbitratorFee)],
        );
      }
      await expectNothingStuck(f);
    });

    it("a claim after the due date reverts; a ruling 'not happened' returns the cover, the fee is lost", async function () {
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await f.insurance.connect(f.alice).claim(id, "ipfs://e");
      await expect(f.insurance.connect(f.carol).rule(id, false))
        .to.emit(f.insurance, "AgreementSettled")
        .withArgs(id, S.Ruled, f.carol.address, [0n, 0n, COVER, PREMIUM, BOND, f.terms.arbitratorFee]);
      const g = await loadFixture(deployFixture);
      const id2 = await active(g);
      await time.setNextBlockTimestamp(g.terms.dueDate + 1n);
      await expect(g.insurance.connect(g.alice).claim(id2, "ipfs://e"))
        .to.be.revertedWithCustomError(g.insurance, "AgreementDeadlinePassed")
        .withArgs(id2, g.terms.dueDate);
    });

    it("the insurer may pay a claim itself (both confirm): no fee earned", async function () {
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await f.insurance.connect(f.alice).claim(id, "ipfs://e");
      await expect(f.insurance.connect(f.alice).payClaim(id))
        .to.be.revertedWithCustomError(f.insurance, "AgreementUnauthorized")
        .withArgs(id, f.alice.address);
      await expect(f.insurance.connect(f.bob).payClaim(id))
        .to.emit(f.insurance, "AgreementSettled")
        .withArgs(id, S.Settled, f.bob.address, [f.terms.arbitratorFee, COVER, 0n, PREMIUM, BOND, 0n]);
      await expectNothingStuck(f);
    });

    it("a missed ruling voids the policy: deposits back, the bond shared as earnings", async function () {
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await f.insurance.connect(f.alice).claim(id, "ipfs://e");
      const { rulingDeadline } = await f.insurance.agreementOf(id);
      await time.setNextBlockTimestamp(rulingDeadline);
      await expect(f.insurance.resolveNoShow(id))
        .to.be.revertedWithCustomError(f.insurance, "AgreementDeadlineNotPassed")
        .withArgs(id, rulingDeadline);
      await time.setNextBlockTimestamp(rulingDeadline + 1n);
      await expect(f.insurance.connect(f.carol).rule(id, true))
        .to.be.revertedWithCustomError(f.insurance, "AgreementDeadlinePassed")
        .withArgs(id, rulingDeadline);
      {
        const tx = f.insurance.connect(f.stranger).resolveNoShow(id);
        await expect(tx)
          .to.emit(f.insurance, "AgreementSettled")
          .withArgs(id, S.NoShowResolved, f.stranger.address, [
            PREMIUM + f.terms.arbitratorFee,
            BOND / 2n,
            COVER,
            BOND / 2n,
            0n,
            0n,
          ]);
        await expect(tx).to.changeTokenBalance(ethers, f.token, f.carol, 0n);
      }
      await expectNothingStuck(f);
    });

    it("attack: one owner as insured and insurer moves value only as taxed earnings", async function () {
      // Wallets alice (insured) and bob (insurer) of one owner, carol a bought arbitrator: a "claim paid"
      // moves COVER from bob to alice, and the premium from alice to bob, both through payEarnings.
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await f.insurance.connect(f.alice).claim(id, "ipfs://e");
      await expect(f.insurance.connect(f.bob).payClaim(id)).to.changeTokenBalance(
        ethers,
        f.token,
        f.treasury,
        taxOf(COVER, f.taxBps) + taxOf(PREMIUM, f.taxBps),
      );
    });
  });

  // ------------------------------------------------------------------------------------------ information sale
  describe("information sale", function () {
    const PRICE = 200n * CIV;
    const COLLAT = 100n * CIV;
    const BOND = PRICE / 10n;
    const DATA = ethers.toUtf8Bytes("the answer is 42");
    const COMMIT = ethers.keccak256(DATA);
    async function active(f: Fx) {
      await f.sales.connect(f.alice).propose(f.terms, PRICE, COLLAT, COMMIT);
      await f.sales.connect(f.carol).accept(1n);
      await f.sales.connect(f.bob).join(1n);
      return 1n;
    }

    it("a matching reveal, then silence past the review window, pays the seller (taxed)", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.sales.connect(f.alice).propose(f.terms, PRICE, COLLAT, COMMIT))
        .to.emit(f.sales, "InformationSaleProposed")
        .withArgs(1n, PRICE, COLLAT, COMMIT);
      expect(await f.sales.commitmentOf(1n)).to.equal(COMMIT);
      await f.sales.connect(f.carol).accept(1n);
      await f.sales.connect(f.bob).join(1n);
      const id = 1n;
      await expect(f.sales.connect(f.bob).reveal(id, DATA))
        .to.be.revertedWithCustomError(f.sales, "AgreementUnauthorized")
        .withArgs(id, f.bob.address);
      await time.setNextBlockTimestamp(f.terms.dueDate);
      await expect(f.sales.connect(f.alice).reveal(id, DATA))
        .to.emit(f.sales, "InformationRevealed")
        .withArgs(id, ethers.hexlify(DATA), true, f.terms.dueDate + f.terms.reviewWindow);
      const reviewDeadline = f.terms.dueDate + f.terms.reviewWindow;
      await time.setNextBlockTimestamp(reviewDeadline);
      await expect(f.sales.finalize(id))
        .to.be.revertedWithCustomError(f.sales, "AgreementDeadlineNotPassed")
        .withArgs(id, reviewDeadline);
      await time.setNextBlockTimestamp(reviewDeadline + 1n);
      {
        const tx = f.sales.connect(f.stranger).finalize(id);
        await expect(tx)
          .to.emit(f.sales, "AgreementSettled")
          .withArgs(id, S.Settled, f.stranger.address, [
            COLLAT + f.terms.arbitratorFee,
            PRICE,
            0n,
            0n,
            BOND,
            0n,
          ]);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.alice, f.bob, f.carol],
          [COLLAT + f.terms.arbitratorFee + net(f, PRICE), 0n, BOND],
        );
      }
      await expectNothingStuck(f);
    });

    it("the buyer confirms at once or disputes by the review deadline inclusive", async function () {
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await f.sales.connect(f.alice).reveal(id, DATA);
      const { reviewDeadline } = await f.sales.agreementOf(id);
      await expect(f.sales.connect(f.alice).confirm(id))
        .to.be.revertedWithCustomError(f.sales, "AgreementUnauthorized")
        .withArgs(id, f.alice.address);
      await expect(f.sales.connect(f.alice).dispute(id, "ipfs://x"))
        .to.be.revertedWithCustomError(f.sales, "AgreementUnauthorized")
        .withArgs(id, f.alice.address);
      await time.setNextBlockTimestamp(reviewDeadline + 1n);
      await expect(f.sales.connect(f.bob).dispute(id, "ipfs://x"))
        .to.be.revertedWithCustomError(f.sales, "AgreementDeadlinePassed")
        .withArgs(id, reviewDeadline);
      await expect(f.sales.connect(f.bob).confirm(id)).to.emit(f.sales, "AgreementSettled");

      const g = await loadFixture(deployFixture);
      const id2 = await active(g);
      await g.sales.connect(g.alice).reveal(id2, DATA);
      const rd = (await g.sales.agreementOf(id2)).reviewDeadline;
      await time.setNextBlockTimestamp(rd);
      await expect(g.sales.connect(g.bob).dispute(id2, "ipfs://x"))
        .to.emit(g.sales, "AgreementDisputed")
        .withArgs(id2, g.bob.address, rd + g.terms.rulingWindow);
      // The buyer wins: its price back and the seller's collateral (slashed, as taxed earnings).
      {
        const tx = g.sales.connect(g.carol).rule(id2, false);
        await expect(tx)
          .to.emit(g.sales, "AgreementSettled")
          .withArgs(id2, S.Ruled, g.carol.address, [0n, 0n, PRICE, COLLAT, BOND, g.terms.arbitratorFee]);
        await expect(tx).to.changeTokenBalances(
          ethers,
          g.token,
          [g.alice, g.bob],
          [0n, PRICE + net(g, COLLAT)],
        );
      }
      await expectNothingStuck(g);
    });

    it("a mismatching reveal is a dispute at once; the arbitrator rules from the revealed data", async function () {
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      const wrong = ethers.toUtf8Bytes("the answer is 41");
      const now = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(f.sales.connect(f.alice).reveal(id, wrong))
        .to.emit(f.sales, "InformationRevealed")
        .withArgs(id, ethers.hexlify(wrong), false, 0n)
        .and.to.emit(f.sales, "AgreementDisputed")
        .withArgs(id, f.alice.address, now + f.terms.rulingWindow);
      await expect(f.sales.connect(f.alice).reveal(id, DATA))
        .to.be.revertedWithCustomError(f.sales, "AgreementInvalidState")
        .withArgs(id, S.Disputed, bits(S.Active));
      await expect(f.sales.connect(f.carol).rule(id, true))
        .to.emit(f.sales, "AgreementSettled")
        .withArgs(id, S.Ruled, f.carol.address, [COLLAT, PRICE, 0n, 0n, BOND, f.terms.arbitratorFee]);
      await expectNothingStuck(f);
    });

    it("no reveal by the due date: anyone declares the default; the buyer gets the price and the collateral", async function () {
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await time.setNextBlockTimestamp(f.terms.dueDate);
      await expect(f.sales.claimDefault(id))
        .to.be.revertedWithCustomError(f.sales, "AgreementDeadlineNotPassed")
        .withArgs(id, f.terms.dueDate);
      await time.setNextBlockTimestamp(f.terms.dueDate + 1n);
      await expect(f.sales.connect(f.alice).reveal(id, DATA))
        .to.be.revertedWithCustomError(f.sales, "AgreementDeadlinePassed")
        .withArgs(id, f.terms.dueDate);
      {
        const tx = f.sales.connect(f.stranger).claimDefault(id);
        await expect(tx)
          .to.emit(f.sales, "AgreementSettled")
          .withArgs(id, S.Defaulted, f.stranger.address, [
            f.terms.arbitratorFee,
            0n,
            PRICE,
            COLLAT,
            BOND,
            0n,
          ]);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.bob, f.alice],
          [PRICE + net(f, COLLAT), f.terms.arbitratorFee],
        );
      }
      await expectNothingStuck(f);
    });

    it("a missed ruling splits the price as the escrow does and returns the collateral", async function () {
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await f.sales.connect(f.alice).reveal(id, DATA);
      await f.sales.connect(f.bob).dispute(id, "ipfs://x");
      const { rulingDeadline } = await f.sales.agreementOf(id);
      await time.setNextBlockTimestamp(rulingDeadline + 1n);
      await expect(f.sales.connect(f.stranger).resolveNoShow(id))
        .to.emit(f.sales, "AgreementSettled")
        .withArgs(id, S.NoShowResolved, f.stranger.address, [
          COLLAT + f.terms.arbitratorFee,
          PRICE / 2n + BOND / 2n,
          PRICE / 2n,
          BOND / 2n,
          0n,
          0n,
        ]);
      await expectNothingStuck(f);
    });

    it("attack: a seller who reveals garbage to a colluding arbitrator still pays only taxed value", async function () {
      // Seller alice and arbitrator carol collude: garbage revealed, carol rules for alice. The buyer named
      // carol when joining (consent), so it bears that risk; the value alice gains still crosses as taxed
      // earnings, and the arbitrator's fee too.
      const f = await loadFixture(deployFixture);
      const id = await active(f);
      await f.sales.connect(f.alice).reveal(id, ethers.toUtf8Bytes("garbage"));
      await expect(f.sales.connect(f.carol).rule(id, true)).to.changeTokenBalance(
        ethers,
        f.token,
        f.treasury,
        taxOf(PRICE, f.taxBps) + taxOf(f.terms.arbitratorFee, f.taxBps),
      );
    });
  });
});
