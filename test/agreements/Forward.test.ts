import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import { AgreementKind, AgreementState } from "../../scripts/lib/vocabulary.ts";
import { CIV, taxOf } from "../helpers/fixtures.ts";
import { deployMarketFixture, GPU, GPU_POLICY } from "../market/fixture.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time, loadFixture } = networkHelpers;

const DAY = 86_400n;
/** IBilateralAgreement.State by name, as bigints (from the generated vocabulary). */
const S = Object.fromEntries(AgreementState.names.map((n, i) => [n, BigInt(i)])) as Record<
  (typeof AgreementState.names)[number],
  bigint
>;
const bit = (s: bigint) => ethers.toBeHex(1n << s, 32);

const PRICE = 100n * CIV;
const SELLER_COLLATERAL = 30n * CIV;
const BUYER_COLLATERAL = 20n * CIV;
const FEE = 5n * CIV;
const QUANTITY = 500n;

/**
 * The deployed protocol's ForwardAgreements (via Ignition, roles with the timelock). alice sells 500
 * gpu-seconds (resource 1, transferable) to bob for delivery in the market epoch after next; carol arbitrates.
 * alice holds 1,000 credits (minted by an impersonated timelock-appointed minter) and approves the forward.
 */
async function forwardFixture() {
  const f = await deployMarketFixture(connection);
  const fwd = f.forwardAgreements;
  const addr = await fwd.getAddress();
  const [minter] = await ethers.getSigners();
  await f.resourceLedger
    .connect(f.asTimelock)
    .grantRole(await f.resourceLedger.MINTER_ROLE(), minter.address);
  await f.resourceLedger.connect(minter).mint(f.alice.address, GPU, 1_000n, 0n);
  for (const a of [f.alice, f.bob, f.carol, f.dave]) {
    await f.token.connect(f.asTimelock).mint(a.address, 1_000n * CIV);
    await f.token.connect(a).approve(addr, ethers.MaxUint256);
  }
  await f.resourceLedger.connect(f.alice).setApprovalForAll(addr, true);
  const deliveryEpoch = (await f.resourceMarket.currentEpoch()) + 2n;
  const opensAt = await f.resourceMarket.epochEnd(deliveryEpoch - 1n);
  const deliveryEnd = await f.resourceMarket.epochEnd(deliveryEpoch);
  const now = BigInt(await time.latest());
  const terms = {
    counterparty: f.bob.address,
    arbitrator: f.carol.address,
    arbitratorFee: FEE,
    joinDeadline: now + DAY,
    dueDate: deliveryEnd + DAY,
    reviewWindow: 2n * DAY,
    rulingWindow: 3n * DAY,
    termsHash: ethers.keccak256(ethers.toUtf8Bytes("forward")),
    termsURI: "ipfs://forward",
  };
  const forward = { resourceId: GPU, quantity: QUANTITY, deliveryEpoch };
  const taxBps = await f.token.taxBps();
  const bond = (PRICE * (await fwd.arbitratorBondBps())) / 10_000n;
  return {
    ...f,
    fwd,
    addr,
    minter,
    terms,
    forward,
    deliveryEpoch,
    opensAt,
    deliveryEnd,
    taxBps,
    bond,
    treasuryAddress: await f.treasury.getAddress(),
  };
}
type Fx = Awaited<ReturnType<typeof forwardFixture>>;
const net = (f: Fx, gross: bigint) => gross - taxOf(gross, f.taxBps);

async function propose(f: Fx, terms = f.terms, forward = f.forward) {
  await f.fwd.connect(f.alice).propose(terms, forward, PRICE, SELLER_COLLATERAL, BUYER_COLLATERAL);
  return f.fwd.agreementCount();
}
async function active(f: Fx, terms = f.terms, forward = f.forward) {
  const id = await propose(f, terms, forward);
  await f.fwd.connect(f.carol).accept(id);
  await f.fwd.connect(f.bob).join(id);
  return id;
}
/** A second resource, "human-review-minute", that cannot move on the ledger: its forwards are attested. */
async function attested(f: Fx) {
  await f.resourceLedger
    .connect(f.asTimelock)
    .registerResource({ ...GPU_POLICY, unit: "human-review-minute", transferable: false });
  const resourceId = await f.resourceLedger.resourceCount();
  return active(f, f.terms, { ...f.forward, resourceId });
}
/** Every CIV the contract holds is owed to a live forward; it never holds credits. */
async function expectNothingStuck(f: Fx) {
  let held = 0n;
  const n = await f.fwd.agreementCount();
  for (let id = 1n; id <= n; id++) held += await f.fwd.heldFor(id);
  expect(await f.token.balanceOf(f.addr)).to.equal(held);
  expect(await f.resourceLedger.balanceOf(f.addr, GPU)).to.equal(0n);
}

describe("ForwardAgreements", function () {
  it("is deployed with kind FORWARD, the market and its ledger", async function () {
    const f = await loadFixture(forwardFixture);
    expect(await f.fwd.kind()).to.equal(AgreementKind.FORWARD);
    expect(await f.fwd.market()).to.equal(await f.resourceMarket.getAddress());
    expect(await f.fwd.ledger()).to.equal(await f.resourceLedger.getAddress());
    expect(await f.token.isProtocolAccount(f.addr)).to.equal(true);
  });

  describe("on the ledger (automatic settlement)", function () {
    it("propose, accept, join, then deliver at the epoch's first second moves credits and settles", async function () {
      const f = await loadFixture(forwardFixture);
      {
        const tx = f.fwd
          .connect(f.alice)
          .propose(f.terms, f.forward, PRICE, SELLER_COLLATERAL, BUYER_COLLATERAL);
        await expect(tx)
          .to.emit(f.fwd, "ForwardProposed")
          .withArgs(
            1n,
            GPU,
            QUANTITY,
            f.deliveryEpoch,
            f.opensAt,
            PRICE,
            SELLER_COLLATERAL,
            BUYER_COLLATERAL,
          );
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.alice, f.addr],
          [-(SELLER_COLLATERAL + FEE), SELLER_COLLATERAL + FEE],
        );
      }
      expect(await f.fwd.deliveryOpensAt(1n)).to.equal(f.opensAt);
      expect(await f.fwd.forwardOf(1n)).to.deep.equal([
        GPU,
        f.deliveryEpoch,
        QUANTITY,
        BUYER_COLLATERAL,
        false,
      ]);
      await f.fwd.connect(f.carol).accept(1n);
      await expect(f.fwd.connect(f.bob).join(1n))
        .to.emit(f.fwd, "AgreementJoined")
        .withArgs(1n, f.bob.address, PRICE + BUYER_COLLATERAL);
      expect(await f.fwd.heldFor(1n)).to.equal(SELLER_COLLATERAL + FEE + f.bond + PRICE + BUYER_COLLATERAL);

      await time.setNextBlockTimestamp(f.opensAt);
      const tx = f.fwd.connect(f.alice).deliver(1n);
      await expect(tx).to.emit(f.fwd, "ForwardDelivered").withArgs(1n, GPU, QUANTITY, true, 0n);
      await expect(tx)
        .to.emit(f.fwd, "AgreementSettled")
        .withArgs(1n, S.Settled, f.alice.address, [
          SELLER_COLLATERAL + FEE,
          PRICE,
          BUYER_COLLATERAL,
          0n,
          f.bond,
          0n,
        ]);
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.token,
        [f.alice, f.bob, f.carol, f.treasuryAddress],
        [SELLER_COLLATERAL + FEE + net(f, PRICE), BUYER_COLLATERAL, f.bond, taxOf(PRICE, f.taxBps)],
      );
      expect(await f.resourceLedger.balanceOf(f.bob.address, GPU)).to.equal(QUANTITY);
      expect(await f.resourceLedger.balanceOf(f.alice.address, GPU)).to.equal(1_000n - QUANTITY);
      expect((await f.fwd.agreementOf(1n)).state).to.equal(S.Settled);
      expect((await f.fwd.forwardOf(1n)).onLedger).to.equal(true);
      await expectNothingStuck(f);
    });

    it("deliver: only the seller, only Active, from the epoch's start to the due date inclusive", async function () {
      const f = await loadFixture(forwardFixture);
      const id = await propose(f);
      await expect(f.fwd.connect(f.alice).deliver(id))
        .to.be.revertedWithCustomError(f.fwd, "AgreementInvalidState")
        .withArgs(id, S.Proposed, bit(S.Active));
      await f.fwd.connect(f.carol).accept(id);
      await f.fwd.connect(f.bob).join(id);
      await time.setNextBlockTimestamp(f.opensAt - 1n);
      await expect(f.fwd.connect(f.alice).deliver(id))
        .to.be.revertedWithCustomError(f.fwd, "ForwardDeliveryNotOpen")
        .withArgs(id, f.opensAt - 1n, f.opensAt);
      await time.increaseTo(f.opensAt);
      for (const who of [f.bob, f.carol, f.dave]) {
        await expect(f.fwd.connect(who).deliver(id))
          .to.be.revertedWithCustomError(f.fwd, "AgreementUnauthorized")
          .withArgs(id, who.address);
      }
      await time.setNextBlockTimestamp(f.terms.dueDate);
      await expect(f.fwd.connect(f.alice).deliver(id)).to.emit(f.fwd, "ForwardDelivered");
    });

    it("deliver after the due date reverts; claimDefault only after it, by anyone: the seller's collateral is slashed", async function () {
      const f = await loadFixture(forwardFixture);
      const id = await active(f);
      await time.setNextBlockTimestamp(f.terms.dueDate);
      await expect(f.fwd.connect(f.dave).claimDefault(id))
        .to.be.revertedWithCustomError(f.fwd, "AgreementDeadlineNotPassed")
        .withArgs(id, f.terms.dueDate);
      await time.setNextBlockTimestamp(f.terms.dueDate + 1n);
      await expect(f.fwd.connect(f.alice).deliver(id))
        .to.be.revertedWithCustomError(f.fwd, "AgreementDeadlinePassed")
        .withArgs(id, f.terms.dueDate);
      const tx = f.fwd.connect(f.dave).claimDefault(id);
      await expect(tx)
        .to.emit(f.fwd, "AgreementSettled")
        .withArgs(id, S.Defaulted, f.dave.address, [
          FEE,
          0n,
          PRICE + BUYER_COLLATERAL,
          SELLER_COLLATERAL,
          f.bond,
          0n,
        ]);
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.token,
        [f.alice, f.bob, f.carol],
        [FEE, PRICE + BUYER_COLLATERAL + net(f, SELLER_COLLATERAL), f.bond],
      );
      await expect(f.fwd.claimDefault(id))
        .to.be.revertedWithCustomError(f.fwd, "AgreementInvalidState")
        .withArgs(id, S.Defaulted, bit(S.Active));
      await expectNothingStuck(f);
    });

    it("deliver reverts with the seller's balance and approval when it cannot deliver", async function () {
      const f = await loadFixture(forwardFixture);
      const id = await active(f);
      await time.increaseTo(f.opensAt);
      await f.resourceLedger.connect(f.alice).setApprovalForAll(f.addr, false);
      await expect(f.fwd.connect(f.alice).deliver(id))
        .to.be.revertedWithCustomError(f.fwd, "ForwardSellerNotReady")
        .withArgs(id, 1_000n, QUANTITY, false);
      await f.resourceLedger.connect(f.alice).setApprovalForAll(f.addr, true);
      await f.resourceLedger
        .connect(f.alice)
        .safeTransferFrom(f.alice.address, f.dave.address, GPU, 600n, "0x");
      await expect(f.fwd.connect(f.alice).deliver(id))
        .to.be.revertedWithCustomError(f.fwd, "ForwardSellerNotReady")
        .withArgs(id, 400n, QUANTITY, true);
    });
  });

  describe("propose", function () {
    it("reverts for a zero or oversized quantity, an inactive resource, a delivery epoch not ahead, a due date before the epoch's end", async function () {
      const f = await loadFixture(forwardFixture);
      const p = (forward: typeof f.forward, terms = f.terms) =>
        f.fwd.connect(f.alice).propose(terms, forward, PRICE, SELLER_COLLATERAL, BUYER_COLLATERAL);
      await expect(p({ ...f.forward, quantity: 0n }))
        .to.be.revertedWithCustomError(f.fwd, "ForwardInvalidQuantity")
        .withArgs(0n);
      await expect(p({ ...f.forward, quantity: 2n ** 128n }))
        .to.be.revertedWithCustomError(f.fwd, "ForwardInvalidQuantity")
        .withArgs(2n ** 128n);
      await expect(p({ ...f.forward, resourceId: 9n }))
        .to.be.revertedWithCustomError(f.fwd, "ForwardInactiveResource")
        .withArgs(9n);
      const current = await f.resourceMarket.currentEpoch();
      await expect(p({ ...f.forward, deliveryEpoch: current }))
        .to.be.revertedWithCustomError(f.fwd, "ForwardInvalidDeliveryEpoch")
        .withArgs(current, current);
      // The next epoch is allowed (delivery opens at the current epoch's end).
      await expect(
        p({ ...f.forward, deliveryEpoch: current + 1n }, { ...f.terms, dueDate: f.deliveryEnd }),
      ).to.emit(f.fwd, "ForwardProposed");
      const now = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(p(f.forward, { ...f.terms, dueDate: f.deliveryEnd - 1n }))
        .to.be.revertedWithCustomError(f.fwd, "AgreementInvalidDeadline")
        .withArgs(f.deliveryEnd - 1n, f.deliveryEnd, now + 365n * DAY);
      // Exactly the epoch's end is allowed.
      await expect(p(f.forward, { ...f.terms, dueDate: f.deliveryEnd })).to.emit(f.fwd, "ForwardProposed");
    });

    it("needs an arbitrator and a price of at least minAmount", async function () {
      const f = await loadFixture(forwardFixture);
      await expect(
        f.fwd
          .connect(f.alice)
          .propose(
            { ...f.terms, arbitrator: ethers.ZeroAddress },
            f.forward,
            PRICE,
            SELLER_COLLATERAL,
            BUYER_COLLATERAL,
          ),
      )
        .to.be.revertedWithCustomError(f.fwd, "AgreementInvalidParties")
        .withArgs(f.alice.address, f.bob.address, ethers.ZeroAddress);
      const min = await f.fwd.minAmount();
      await expect(
        f.fwd.connect(f.alice).propose(f.terms, f.forward, min - 1n, SELLER_COLLATERAL, BUYER_COLLATERAL),
      )
        .to.be.revertedWithCustomError(f.fwd, "AgreementAmountTooLow")
        .withArgs(min - 1n, min);
      await expect(
        f.fwd.connect(f.alice).propose(f.terms, f.forward, min, SELLER_COLLATERAL, BUYER_COLLATERAL),
      ).to.emit(f.fwd, "ForwardProposed");
    });
  });

  describe("attested (credits that cannot move on the ledger)", function () {
    it("deliver opens the review; the buyer confirms and the seller earns the price", async function () {
      const f = await loadFixture(forwardFixture);
      const id = await attested(f);
      const resourceId = (await f.fwd.forwardOf(id)).resourceId;
      await time.setNextBlockTimestamp(f.opensAt);
      await expect(f.fwd.connect(f.alice).deliver(id))
        .to.emit(f.fwd, "ForwardDelivered")
        .withArgs(id, resourceId, QUANTITY, false, f.opensAt + f.terms.reviewWindow);
      expect((await f.fwd.agreementOf(id)).state).to.equal(S.Delivered);
      for (const who of [f.alice, f.carol, f.dave]) {
        await expect(f.fwd.connect(who).confirm(id))
          .to.be.revertedWithCustomError(f.fwd, "AgreementUnauthorized")
          .withArgs(id, who.address);
        await expect(f.fwd.connect(who).dispute(id, "ipfs://x"))
          .to.be.revertedWithCustomError(f.fwd, "AgreementUnauthorized")
          .withArgs(id, who.address);
      }
      await expect(f.fwd.connect(f.bob).confirm(id))
        .to.emit(f.fwd, "AgreementSettled")
        .withArgs(id, S.Settled, f.bob.address, [
          SELLER_COLLATERAL + FEE,
          PRICE,
          BUYER_COLLATERAL,
          0n,
          f.bond,
          0n,
        ]);
      await expectNothingStuck(f);
    });

    it("silence settles for the seller after the review deadline, not at it", async function () {
      const f = await loadFixture(forwardFixture);
      const id = await attested(f);
      await time.setNextBlockTimestamp(f.opensAt);
      await f.fwd.connect(f.alice).deliver(id);
      const reviewDeadline = f.opensAt + f.terms.reviewWindow;
      await time.setNextBlockTimestamp(reviewDeadline);
      await expect(f.fwd.connect(f.dave).finalize(id))
        .to.be.revertedWithCustomError(f.fwd, "AgreementDeadlineNotPassed")
        .withArgs(id, reviewDeadline);
      await time.setNextBlockTimestamp(reviewDeadline + 1n);
      await expect(f.fwd.connect(f.bob).dispute(id, "ipfs://late"))
        .to.be.revertedWithCustomError(f.fwd, "AgreementDeadlinePassed")
        .withArgs(id, reviewDeadline);
      await expect(f.fwd.connect(f.dave).finalize(id))
        .to.emit(f.fwd, "AgreementSettled")
        .withArgs(id, S.Settled, f.dave.address, [
          SELLER_COLLATERAL + FEE,
          PRICE,
          BUYER_COLLATERAL,
          0n,
          f.bond,
          0n,
        ]);
    });

    it("a dispute at the review deadline: the arbitrator's ruling slashes the loser's collateral", async function () {
      for (const sellerWins of [true, false]) {
        const f = await loadFixture(forwardFixture);
        const id = await attested(f);
        await time.setNextBlockTimestamp(f.opensAt);
        await f.fwd.connect(f.alice).deliver(id);
        await time.setNextBlockTimestamp(f.opensAt + f.terms.reviewWindow);
        await expect(f.fwd.connect(f.bob).dispute(id, "ipfs://not-served")).to.emit(
          f.fwd,
          "AgreementDisputed",
        );
        await expect(f.fwd.connect(f.dave).rule(id, sellerWins))
          .to.be.revertedWithCustomError(f.fwd, "AgreementUnauthorized")
          .withArgs(id, f.dave.address);
        const payout = sellerWins
          ? [SELLER_COLLATERAL, PRICE + BUYER_COLLATERAL, 0n, 0n, f.bond, FEE]
          : [0n, 0n, PRICE + BUYER_COLLATERAL, SELLER_COLLATERAL, f.bond, FEE];
        await expect(f.fwd.connect(f.carol).rule(id, sellerWins))
          .to.emit(f.fwd, "AgreementSettled")
          .withArgs(id, S.Ruled, f.carol.address, payout);
        await expectNothingStuck(f);
      }
    });

    it("a missed ruling voids the forward: deposits back, the bond shared", async function () {
      const f = await loadFixture(forwardFixture);
      const id = await attested(f);
      await time.setNextBlockTimestamp(f.opensAt);
      await f.fwd.connect(f.alice).deliver(id);
      await f.fwd.connect(f.bob).dispute(id, "ipfs://x");
      const rulingDeadline = (await f.fwd.agreementOf(id)).rulingDeadline;
      await time.setNextBlockTimestamp(rulingDeadline);
      await expect(f.fwd.resolveNoShow(id))
        .to.be.revertedWithCustomError(f.fwd, "AgreementDeadlineNotPassed")
        .withArgs(id, rulingDeadline);
      await time.setNextBlockTimestamp(rulingDeadline + 1n);
      await expect(f.fwd.connect(f.dave).resolveNoShow(id))
        .to.emit(f.fwd, "AgreementSettled")
        .withArgs(id, S.NoShowResolved, f.dave.address, [
          SELLER_COLLATERAL + FEE,
          f.bond / 2n,
          PRICE + BUYER_COLLATERAL,
          f.bond - f.bond / 2n,
          0n,
          0n,
        ]);
      await expectNothingStuck(f);
    });
  });

  describe("attacks", function () {
    it("a buyer that refuses the credits is in default: the seller keeps them and earns the price and the buyer's collateral", async function () {
      const f = await loadFixture(forwardFixture);
      const refuser = await ethers.deployContract("MockCreditRefuser");
      const r = await refuser.getAddress();
      await refuser.exec(
        await f.registry.getAddress(),
        f.registry.interface.encodeFunctionData("register()"),
      );
      await f.token.connect(f.asTimelock).mint(r, 1_000n * CIV);
      await refuser.exec(
        await f.token.getAddress(),
        f.token.interface.encodeFunctionData("approve", [f.addr, ethers.MaxUint256]),
      );
      await f.fwd
        .connect(f.alice)
        .propose({ ...f.terms, counterparty: r }, f.forward, PRICE, SELLER_COLLATERAL, BUYER_COLLATERAL);
      const id = await f.fwd.agreementCount();
      await f.fwd.connect(f.carol).accept(id);
      await refuser.exec(f.addr, f.fwd.interface.encodeFunctionData("join", [id]));
      await time.increaseTo(f.opensAt);
      const tx = f.fwd.connect(f.alice).deliver(id);
      await expect(tx).to.emit(f.fwd, "ForwardRefused").withArgs(id, r);
      await expect(tx)
        .to.emit(f.fwd, "AgreementSettled")
        .withArgs(id, S.Defaulted, f.alice.address, [
          SELLER_COLLATERAL + FEE,
          PRICE + BUYER_COLLATERAL,
          0n,
          0n,
          f.bond,
          0n,
        ]);
      expect(await f.resourceLedger.balanceOf(f.alice.address, GPU)).to.equal(1_000n);
      await expectNothingStuck(f);
    });

    it("one owner on both sides moves CIV only as taxed earnings; an on-ledger forward leaves nothing to dispute", async function () {
      const f = await loadFixture(forwardFixture);
      // alice and bob are one owner: the price crosses from one wallet to the other, taxed.
      const before = (await f.token.balanceOf(f.alice.address)) + (await f.token.balanceOf(f.bob.address));
      const id = await active(f);
      await time.increaseTo(f.opensAt);
      await f.fwd.connect(f.alice).deliver(id);
      const after = (await f.token.balanceOf(f.alice.address)) + (await f.token.balanceOf(f.bob.address));
      expect(before - after).to.equal(taxOf(PRICE, f.taxBps));
      // A colluding arbitrator has nothing to rule on: the delivery settled atomically.
      await expect(f.fwd.connect(f.carol).rule(id, false))
        .to.be.revertedWithCustomError(f.fwd, "AgreementInvalidState")
        .withArgs(id, S.Settled, bit(S.Disputed));
    });

    it("credits cannot be parked in the contract", async function () {
      const f = await loadFixture(forwardFixture);
      await expect(f.resourceLedger.connect(f.alice).safeTransferFrom(f.alice.address, f.addr, GPU, 1n, "0x"))
        .to.be.revertedWithCustomError(f.fwd, "ForwardUnexpectedCredits")
        .withArgs(f.alice.address);
    });
  });
});
