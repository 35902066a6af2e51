import { expect } from "chai";
import { network } from "hardhat";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";

import { readFileSync } from "node:fs";

import {
  deployEscrowOnMockRegistry,
  ESCROW_TEST_MIN_DELIVERY_WINDOW,
  ESCROW_STATE,
  ESCROW_TEST_MIN_JOB_AMOUNT,
  stateBitmap,
} from "../helpers/escrow.ts";
import { CIV, deployFoundation, taxOf } from "../helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.connect();
const { time } = networkHelpers;

const BPS = 10_000n;
const DAY = 86_400n;
const HOUR = 3_600n;

const S = ESCROW_STATE;
const bits = stateBitmap;

const reason = (s: string) => ethers.encodeBytes32String(s);

/** Agent ids the mock registry assigns to client, provider and arbitrator (in the order they are set). */
const ID = { client: 1n, provider: 2n, arbitrator: 3n };

async function deployFixture() {
  const foundation = await deployFoundation(ethers);
  const { token, admin } = foundation;
  const [client, provider, arbitrator] = foundation.agents;
  const stranger = foundation.outsider;
  const treasury = await foundation.treasury.getAddress();
  const { registry, escrow, escrowAddr } = await deployEscrowOnMockRegistry(
    ethers,
    admin.address,
    await token.getAddress(),
    [client, provider, arbitrator].map((a) => a.address),
  );

  await token.setProtocolAccount(escrowAddr, true);
  await token.connect(client).approve(escrowAddr, ethers.MaxUint256);
  await token.connect(arbitrator).approve(escrowAddr, ethers.MaxUint256);

  const now = BigInt(await time.latest());
  const terms = {
    kind: 0,
    provider: provider.address,
    arbitrator: arbitrator.address,
    // The full-credit amount, so that positive reputation deltas are whole (see "reputation" below).
    amount: 2_500n * CIV,
    arbitratorFee: 20n * CIV,
    deliveryDeadline: now + 7n * DAY,
    reviewWindow: 3n * DAY,
    rulingWindow: 5n * DAY,
    termsHash: ethers.keccak256(ethers.toUtf8Bytes("terms")),
    termsURI: "ipfs://terms",
  };

  return {
    escrow,
    escrowAddr,
    token,
    treasury,
    registry,
    admin,
    client,
    provider,
    arbitrator,
    stranger,
    terms,
  };
}

type Fx = Awaited<ReturnType<typeof deployFixture>>;

function termsTuple(t: Fx["terms"]) {
  return [
    t.kind,
    t.provider,
    t.arbitrator,
    t.amount,
    t.arbitratorFee,
    t.deliveryDeadline,
    t.reviewWindow,
    t.rulingWindow,
    t.termsHash,
    t.termsURI,
  ];
}

// Steps, each from the previous state; every one returns the escrow id.
async function created(f: Fx, overrides: Partial<Fx["terms"]> = {}) {
  await f.escrow.connect(f.client).create({ ...f.terms, ...overrides });
  return await f.escrow.escrowCount();
}
async function agreed(f: Fx) {
  const id = await created(f);
  await f.escrow.connect(f.provider).agree(id);
  return id;
}
async function accepted(f: Fx) {
  const id = await agreed(f);
  await f.escrow.connect(f.arbitrator).accept(id);
  return id;
}
async function submittedWith(f: Fx, overrides: Partial<Fx["terms"]>) {
  const id = await created(f, overrides);
  await f.escrow.connect(f.provider).agree(id);
  await f.escrow.connect(f.arbitrator).accept(id);
  await f.escrow.connect(f.client).fund(id);
  await f.escrow.connect(f.provider).submit(id, "ipfs://work", ethers.ZeroHash);
  return id;
}
async function funded(f: Fx) {
  const id = await accepted(f);
  await f.escrow.connect(f.client).fund(id);
  return id;
}
async function submitted(f: Fx) {
  const id = await funded(f);
  await f.escrow.connect(f.provider).submit(id, "ipfs://work", ethers.keccak256(ethers.toUtf8Bytes("work")));
  return id;
}
async function disputed(f: Fx) {
  const id = await submitted(f);
  await f.escrow.connect(f.client).dispute(id, "ipfs://complaint");
  return id;
}

/** What the escrow must pay out for a provider share in bps, by the documented rules. */
function payout(
  f: Fx,
  providerBps: bigint,
  opts: { feeEarned?: boolean; bondForfeited?: boolean; feeBps?: bigint } = {},
) {
  const amount = f.terms.amount;
  const fee = f.terms.arbitratorFee;
  const bond = (amount * 1_000n + BPS - 1n) / BPS;
  const share = (amount * providerBps) / BPS;
  const protocolFee = (share * (opts.feeBps ?? 100n)) / BPS;
  const bondToProvider = opts.bondForfeited ? bond / 2n : 0n;
  return {
    providerGross: share - protocolFee,
    protocolFee,
    clientRefund: amount - share + (opts.feeEarned ? 0n : fee),
    arbitratorFeePaid: opts.feeEarned ? fee : 0n,
    bondToArbitrator: opts.bondForfeited ? 0n : bond,
    bondToClient: opts.bondForfeited ? bond - bondToProvider : 0n,
    bondToProvider,
  };
}

function payoutTuple(p: ReturnType<typeof payout>) {
  return [
    p.providerGross,
    p.protocolFee,
    p.clientRefund,
    p.arbitratorFeePaid,
    p.bondToArbitrator,
    p.bondToClient,
    p.bondToProvider,
  ];
}

async function taxAt(f: Fx, gross: bigint) {
  return taxOf(gross, await f.token.taxBps());
}

/** Asserts the balance changes a settlement makes and that the escrow ends holding nothing of it. */
async function expectSettlement(f: Fx, tx: Promise<unknown>, p: ReturnType<typeof payout>) {
  const providerTax = await taxAt(f, p.providerGross);
  const feeTax = await taxAt(f, p.arbitratorFeePaid);
  const held = p.providerGross + p.protocolFee + p.clientRefund + p.arbitratorFeePaid;
  const bonds = p.bondToArbitrator + p.bondToClient + p.bondToProvider;
  await expect(tx).to.changeTokenBalances(
    ethers,
    f.token,
    [f.escrow, f.client, f.provider, f.arbitrator, f.treasury],
    [
      -(held + bonds),
      p.clientRefund + p.bondToClient,
      p.providerGross - providerTax + p.bondToProvider,
      p.arbitratorFeePaid - feeTax + p.bondToArbitrator,
      p.protocolFee + providerTax + feeTax,
    ],
  );
}

describe("Escrow", function () {
  describe("deployment", function () {
    it("stores the token, the registry and the default parameters, and gives the admin both roles", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      expect(await f.escrow.token()).to.equal(await f.token.getAddress());
      expect(await f.escrow.registry()).to.equal(await f.registry.getAddress());
      expect(await f.escrow.arbitratorBondBps()).to.equal(1_000n);
      expect(await f.escrow.protocolFeeBps()).to.equal(100n);
      expect(await f.escrow.minDeliveryWindow()).to.equal(ESCROW_TEST_MIN_DELIVERY_WINDOW);
      expect(await f.escrow.minJobAmount()).to.equal(ESCROW_TEST_MIN_JOB_AMOUNT);
      expect(await f.escrow.escrowCount()).to.equal(0n);
      expect(await f.escrow.hasRole(await f.escrow.DEFAULT_ADMIN_ROLE(), f.admin.address)).to.equal(true);
      expect(await f.escrow.hasRole(await f.escrow.PARAMETER_ROLE(), f.admin.address)).to.equal(true);
    });

    it("reverts on a zero admin, token or registry", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const t = await f.token.getAddress();
      const r = await f.registry.getAddress();
      const factory = await ethers.getContractFactory("Escrow");
      for (const args of [
        [ethers.ZeroAddress, t, r],
        [f.admin.address, ethers.ZeroAddress, r],
        [f.admin.address, t, ethers.ZeroAddress],
      ]) {
        await expect(
          factory.deploy(args[0], args[1], args[2], 1_000n, 100n, HOUR, CIV),
        ).to.be.revertedWithCustomError(f.escrow, "EscrowZeroAddress");
      }
    });

    it("reverts on initial parameters out of bounds", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const t = await f.token.getAddress();
      const r = await f.registry.getAddress();
      const factory = await ethers.getContractFactory("Escrow");
      await expect(factory.deploy(f.admin.address, t, r, 99n, 100n, HOUR, CIV))
        .to.be.revertedWithCustomError(f.escrow, "EscrowBondBpsOutOfBounds")
        .withArgs(99n, 100n, 5_000n);
      await expect(factory.deploy(f.admin.address, t, r, 1_000n, 1_001n, HOUR, CIV))
        .to.be.revertedWithCustomError(f.escrow, "EscrowProtocolFeeTooHigh")
        .withArgs(1_001n, 1_000n);
      await expect(factory.deploy(f.admin.address, t, r, 1_000n, 100n, HOUR - 1n, CIV))
        .to.be.revertedWithCustomError(f.escrow, "EscrowMinDeliveryWindowOutOfBounds")
        .withArgs(HOUR - 1n, HOUR, 7n * DAY);
      await expect(factory.deploy(f.admin.address, t, r, 1_000n, 100n, HOUR, 10n ** 15n - 1n))
        .to.be.revertedWithCustomError(f.escrow, "EscrowMinJobAmountOutOfBounds")
        .withArgs(10n ** 15n - 1n, 10n ** 15n, 10_000n * CIV);
    });
  });

  describe("create", function () {
    it("stores the terms, fixes the bond and fee, and emits every term", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const bond = (f.terms.amount * 1_000n) / BPS;
      await expect(f.escrow.connect(f.client).create(f.terms))
        .to.emit(f.escrow, "EscrowCreated")
        .withArgs(
          1n,
          f.client.address,
          f.provider.address,
          termsTuple(f.terms),
          bond,
          100n,
          ID.client,
          ID.provider,
          ID.arbitrator,
        )
        .and.to.emit(f.escrow, "MetaEvidence")
        .withArgs(1n, f.terms.termsURI);
      const e = await f.escrow.escrowOf(1n);
      expect(e.client).to.equal(f.client.address);
      expect(e.provider).to.equal(f.provider.address);
      expect(e.arbitrator).to.equal(f.arbitrator.address);
      expect(e.state).to.equal(S.Created);
      expect(e.amount).to.equal(f.terms.amount);
      expect(e.arbitratorFee).to.equal(f.terms.arbitratorFee);
      expect(e.bond).to.equal(bond);
      expect(e.protocolFeeBps).to.equal(100n);
      expect(e.deliveryDeadline).to.equal(f.terms.deliveryDeadline);
      expect([e.clientId, e.providerId, e.arbitratorId]).to.deep.equal([
        ID.client,
        ID.provider,
        ID.arbitrator,
      ]);
      expect(await f.escrow.escrowCount()).to.equal(1n);
    });

    it("rounds the bond up so that a tiny job still has a bond", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const amount = ESCROW_TEST_MIN_JOB_AMOUNT + 1n;
      await f.escrow.connect(f.client).create({ ...f.terms, amount });
      expect((await f.escrow.escrowOf(1n)).bond).to.equal(amount / 10n + 1n);
    });

    it("reverts for a kind other than a job", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      await expect(f.escrow.connect(f.client).create({ ...f.terms, kind: 1 }))
        .to.be.revertedWithCustomError(f.escrow, "EscrowUnsupportedKind")
        .withArgs(1);
    });

    it("reverts unless client, provider and arbitrator are three distinct non-zero addresses", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const c = f.client.address;
      const cases = [
        { provider: c, arbitrator: f.arbitrator.address },
        { provider: f.provider.address, arbitrator: c },
        { provider: f.provider.address, arbitrator: f.provider.address },
        { provider: ethers.ZeroAddress, arbitrator: f.arbitrator.address },
        { provider: f.provider.address, arbitrator: ethers.ZeroAddress },
      ];
      for (const x of cases) {
        await expect(f.escrow.connect(f.client).create({ ...f.terms, ...x }))
          .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidParties")
          .withArgs(c, x.provider, x.arbitrator);
      }
    });

    it("reverts when any of the three parties is not in good standing", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      for (const who of [f.client, f.provider, f.arbitrator]) {
        await f.registry.setGoodStanding(who.address, false);
        await expect(f.escrow.connect(f.client).create(f.terms))
          .to.be.revertedWithCustomError(f.escrow, "EscrowNotInGoodStanding")
          .withArgs(who.address);
        await f.registry.setGoodStanding(who.address, true);
      }
    });

    it("reverts for an amount below the minimum job amount, and accepts one exactly at it", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const min = ESCROW_TEST_MIN_JOB_AMOUNT;
      for (const amount of [0n, 1n, min - 1n]) {
        await expect(f.escrow.connect(f.client).create({ ...f.terms, amount }))
          .to.be.revertedWithCustomError(f.escrow, "EscrowAmountTooLow")
          .withArgs(amount, min);
      }
      await expect(f.escrow.connect(f.client).create({ ...f.terms, amount: min })).to.emit(
        f.escrow,
        "EscrowCreated",
      );
    });

    it("reverts for an amount or fee that does not fit in 96 bits (the stored job's bound)", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const big = 2n ** 96n;
      await expect(f.escrow.connect(f.client).create({ ...f.terms, amount: big }))
        .to.be.revertedWithCustomError(f.escrow, "SafeCastOverflowedUintDowncast")
        .withArgs(96, big);
      await expect(f.escrow.connect(f.client).create({ ...f.terms, arbitratorFee: big }))
        .to.be.revertedWithCustomError(f.escrow, "SafeCastOverflowedUintDowncast")
        .withArgs(96, big);
    });

    it("reverts for a delivery deadline closer than the minimum delivery window or beyond the horizon", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const at = BigInt(await time.latest()) + 10n;
      const earliest = at + ESCROW_TEST_MIN_DELIVERY_WINDOW;
      const latest = at + 365n * DAY;
      for (const d of [at - 1n, at, earliest - 1n, latest + 1n]) {
        await time.setNextBlockTimestamp(at);
        await expect(f.escrow.connect(f.client).create({ ...f.terms, deliveryDeadline: d }))
          .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidDeadline")
          .withArgs(d, earliest, latest);
      }
    });

    it("accepts a delivery deadline exactly at the minimum delivery window and exactly at the horizon", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const at = BigInt(await time.latest()) + 10n;
      for (const d of [at + ESCROW_TEST_MIN_DELIVERY_WINDOW, at + 1n + 365n * DAY]) {
        await time.setNextBlockTimestamp(d === at + ESCROW_TEST_MIN_DELIVERY_WINDOW ? at : at + 1n);
        await expect(f.escrow.connect(f.client).create({ ...f.terms, deliveryDeadline: d })).to.emit(
          f.escrow,
          "EscrowCreated",
        );
      }
    });

    it("reverts for review or ruling windows outside one hour to thirty days", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      for (const w of [HOUR - 1n, 30n * DAY + 1n]) {
        await expect(f.escrow.connect(f.client).create({ ...f.terms, reviewWindow: w }))
          .to.be.revertedWithCustomError(f.escrow, "EscrowWindowOutOfBounds")
          .withArgs(w, HOUR, 30n * DAY);
        await expect(f.escrow.connect(f.client).create({ ...f.terms, rulingWindow: w }))
          .to.be.revertedWithCustomError(f.escrow, "EscrowWindowOutOfBounds")
          .withArgs(w, HOUR, 30n * DAY);
      }
    });

    it("stores windows exactly at one hour and at thirty days, and runs each deadline from them", async function () {
      // Windows are stored as uint24 (issue 19): the largest allowed must come back and count in full.
      const f = await networkHelpers.loadFixture(deployFixture);
      for (const [review, ruling] of [
        [30n * DAY, HOUR],
        [HOUR, 30n * DAY],
      ]) {
        const id = await submittedWith(f, { reviewWindow: review, rulingWindow: ruling });
        const job = await f.escrow.escrowOf(id);
        expect([job.reviewWindow, job.rulingWindow]).to.deep.equal([review, ruling]);
        const submittedAt = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
        expect(job.reviewDeadline).to.equal(submittedAt + review);
        await f.escrow.connect(f.client).dispute(id, "ipfs://complaint");
        const disputedAt = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
        expect((await f.escrow.escrowOf(id)).rulingDeadline).to.equal(disputedAt + ruling);
      }
    });
  });

  describe("agree (the provider's consent)", function () {
    it("records the provider's consent and emits it", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await created(f);
      await expect(f.escrow.connect(f.provider).agree(id))
        .to.emit(f.escrow, "ProviderAgreed")
        .withArgs(id, f.provider.address);
      expect((await f.escrow.escrowOf(id)).state).to.equal(S.Agreed);
    });

    it("reverts for anyone but the provider", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await created(f);
      for (const who of [f.client, f.arbitrator, f.stranger]) {
        await expect(f.escrow.connect(who).agree(id))
          .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
          .withArgs(id, who.address);
      }
    });

    it("reverts for an unknown escrow, once agreed, and once cancelled", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      await expect(f.escrow.connect(f.provider).agree(9n))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(9n, S.None, bits(S.Created));
      const id = await agreed(f);
      await expect(f.escrow.connect(f.provider).agree(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Agreed, bits(S.Created));
      const id2 = await created(f);
      await f.escrow.connect(f.client).cancel(id2);
      await expect(f.escrow.connect(f.provider).agree(id2))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id2, S.Cancelled, bits(S.Created));
    });

    it("is allowed exactly at the delivery deadline and reverts after it", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await created(f);
      const id2 = await created(f);
      await time.setNextBlockTimestamp(f.terms.deliveryDeadline);
      await expect(f.escrow.connect(f.provider).agree(id)).to.emit(f.escrow, "ProviderAgreed");
      await expect(f.escrow.connect(f.provider).agree(id2))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeadlinePassed")
        .withArgs(id2, f.terms.deliveryDeadline);
    });

    it("lets the provider withdraw its consent by cancelling before funding", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await agreed(f);
      await expect(f.escrow.connect(f.provider).cancel(id))
        .to.emit(f.escrow, "EscrowCancelled")
        .withArgs(id, f.provider.address, 0n);
    });
  });

  describe("accept", function () {
    it("takes the bond from the arbitrator and emits it", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await agreed(f);
      const bond = (f.terms.amount * 1_000n) / BPS;
      const tx = f.escrow.connect(f.arbitrator).accept(id);
      await expect(tx).to.emit(f.escrow, "ArbitratorAccepted").withArgs(id, f.arbitrator.address, bond);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.arbitrator, f.escrow], [-bond, bond]);
      expect((await f.escrow.escrowOf(id)).state).to.equal(S.Accepted);
    });

    it("reverts before the provider agreed: nothing binds a provider who did not consent", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await created(f);
      await expect(f.escrow.connect(f.arbitrator).accept(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Created, bits(S.Agreed));
    });

    it("reverts for anyone but the arbitrator", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await agreed(f);
      await expect(f.escrow.connect(f.client).accept(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
        .withArgs(id, f.client.address);
    });

    it("reverts for an unknown escrow and for one already accepted", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      await expect(f.escrow.connect(f.arbitrator).accept(7n))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(7n, S.None, bits(S.Agreed));
      const id = await accepted(f);
      await expect(f.escrow.connect(f.arbitrator).accept(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Accepted, bits(S.Agreed));
    });

    it("reverts after the delivery deadline", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await agreed(f);
      await time.increaseTo(f.terms.deliveryDeadline + 1n);
      await expect(f.escrow.connect(f.arbitrator).accept(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeadlinePassed")
        .withArgs(id, f.terms.deliveryDeadline);
    });

    it("reverts while the escrow is not a protocol account, so that a deposit is never taxed", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await agreed(f);
      await f.token.setProtocolAccount(f.escrowAddr, false);
      await expect(f.escrow.connect(f.arbitrator).accept(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowNotProtocolAccount")
        .withArgs(f.escrowAddr);
    });

    it("reverts when the arbitrator has lost good standing", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await agreed(f);
      await f.registry.setGoodStanding(f.arbitrator.address, false);
      await expect(f.escrow.connect(f.arbitrator).accept(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowNotInGoodStanding")
        .withArgs(f.arbitrator.address);
    });
  });

  describe("fund", function () {
    it("takes amount plus arbitrator fee from the client and emits both", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      const total = f.terms.amount + f.terms.arbitratorFee;
      const tx = f.escrow.connect(f.client).fund(id);
      await expect(tx)
        .to.emit(f.escrow, "EscrowFunded")
        .withArgs(id, f.client.address, f.terms.amount, f.terms.arbitratorFee);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.client, f.escrow], [-total, total]);
      expect((await f.escrow.escrowOf(id)).state).to.equal(S.Funded);
    });

    it("reverts before the arbitrator accepted, and once funded", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await created(f);
      await expect(f.escrow.connect(f.client).fund(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Created, bits(S.Accepted));
      await f.escrow.connect(f.provider).agree(id);
      await expect(f.escrow.connect(f.client).fund(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Agreed, bits(S.Accepted));
      await f.escrow.connect(f.arbitrator).accept(id);
      await f.escrow.connect(f.client).fund(id);
      await expect(f.escrow.connect(f.client).fund(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Funded, bits(S.Accepted));
    });

    it("reverts for anyone but the client", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      await expect(f.escrow.connect(f.stranger).fund(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
        .withArgs(id, f.stranger.address);
    });

    it("reverts when less than the minimum delivery window is left, and funds exactly at the boundary", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      const id2 = await accepted(f);
      const d = f.terms.deliveryDeadline;
      const boundary = d - ESCROW_TEST_MIN_DELIVERY_WINDOW;
      await time.setNextBlockTimestamp(boundary);
      await expect(f.escrow.connect(f.client).fund(id)).to.emit(f.escrow, "EscrowFunded");
      // One second later the window left is one second short.
      await expect(f.escrow.connect(f.client).fund(id2))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeliveryWindowTooShort")
        .withArgs(id2, d, d + 1n);
      await time.setNextBlockTimestamp(d + 1n);
      await expect(f.escrow.connect(f.client).fund(id2))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeliveryWindowTooShort")
        .withArgs(id2, d, d + 1n + ESCROW_TEST_MIN_DELIVERY_WINDOW);
    });

    it("reverts when the client or the provider has lost good standing", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      for (const who of [f.client, f.provider]) {
        await f.registry.setGoodStanding(who.address, false);
        await expect(f.escrow.connect(f.client).fund(id))
          .to.be.revertedWithCustomError(f.escrow, "EscrowNotInGoodStanding")
          .withArgs(who.address);
        await f.registry.setGoodStanding(who.address, true);
      }
    });

    it("reverts while the escrow is not a protocol account", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      await f.token.setProtocolAccount(f.escrowAddr, false);
      await expect(f.escrow.connect(f.client).fund(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowNotProtocolAccount")
        .withArgs(f.escrowAddr);
    });

    it("reverts without allowance", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      await f.token.connect(f.client).approve(f.escrowAddr, 0n);
      await expect(f.escrow.connect(f.client).fund(id))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance")
        .withArgs(f.escrowAddr, 0n, f.terms.amount + f.terms.arbitratorFee);
    });
  });

  describe("fundWithPermit", function () {
    async function signPermit(f: Fx, value: bigint, deadline: bigint) {
      const d = await f.token.eip712Domain();
      const domain = {
        name: d.name,
        version: d.version,
        chainId: d.chainId,
        verifyingContract: d.verifyingContract,
      };
      const types = {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      };
      const nonce = await f.token.nonces(f.client.address);
      const sig = await f.client.signTypedData(domain, types, {
        owner: f.client.address,
        spender: f.escrowAddr,
        value,
        nonce,
        deadline,
      });
      return ethers.Signature.from(sig);
    }

    it("funds in one transaction without a prior approval", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      await f.token.connect(f.client).approve(f.escrowAddr, 0n);
      const total = f.terms.amount + f.terms.arbitratorFee;
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signPermit(f, total, deadline);
      const tx = f.escrow.connect(f.client).fundWithPermit(id, deadline, sig.v, sig.r, sig.s);
      await expect(tx)
        .to.emit(f.escrow, "EscrowFunded")
        .withArgs(id, f.client.address, f.terms.amount, f.terms.arbitratorFee);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.client, f.escrow], [-total, total]);
      expect(await f.token.allowance(f.client.address, f.escrowAddr)).to.equal(0n);
    });

    it("still funds when a front-runner already used the permit", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      await f.token.connect(f.client).approve(f.escrowAddr, 0n);
      const total = f.terms.amount + f.terms.arbitratorFee;
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signPermit(f, total, deadline);
      await f.token
        .connect(f.stranger)
        .permit(f.client.address, f.escrowAddr, total, deadline, sig.v, sig.r, sig.s);
      await expect(f.escrow.connect(f.client).fundWithPermit(id, deadline, sig.v, sig.r, sig.s)).to.emit(
        f.escrow,
        "EscrowFunded",
      );
    });

    it("reverts for lack of allowance when the permit is invalid", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      await f.token.connect(f.client).approve(f.escrowAddr, 0n);
      const total = f.terms.amount + f.terms.arbitratorFee;
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signPermit(f, total - 1n, deadline);
      await expect(f.escrow.connect(f.client).fundWithPermit(id, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance")
        .withArgs(f.escrowAddr, 0n, total);
    });

    it("reverts for the wrong state like fund", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await created(f);
      await expect(f.escrow.connect(f.client).fundWithPermit(id, 0n, 27, ethers.ZeroHash, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Created, bits(S.Accepted));
    });
  });

  describe("cancel", function () {
    it("lets the client cancel before acceptance, with no bond to return", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await created(f);
      await expect(f.escrow.connect(f.client).cancel(id))
        .to.emit(f.escrow, "EscrowCancelled")
        .withArgs(id, f.client.address, 0n);
      expect((await f.escrow.escrowOf(id)).state).to.equal(S.Cancelled);
    });

    it("lets the provider cancel after acceptance and returns the bond", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      const bond = (await f.escrow.escrowOf(id)).bond;
      const tx = f.escrow.connect(f.provider).cancel(id);
      await expect(tx).to.emit(f.escrow, "EscrowCancelled").withArgs(id, f.provider.address, bond);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.escrow, f.arbitrator], [-bond, bond]);
    });

    it("reverts for others before the delivery deadline, and lets anyone cancel after it", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      for (const who of [f.arbitrator, f.stranger]) {
        await expect(f.escrow.connect(who).cancel(id))
          .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
          .withArgs(id, who.address);
      }
      await time.increaseTo(f.terms.deliveryDeadline + 1n);
      const bond = (await f.escrow.escrowOf(id)).bond;
      await expect(f.escrow.connect(f.arbitrator).cancel(id))
        .to.emit(f.escrow, "EscrowCancelled")
        .withArgs(id, f.arbitrator.address, bond);
    });

    it("reverts once funded and once cancelled", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await funded(f);
      await expect(f.escrow.connect(f.client).cancel(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Funded, bits(S.Created, S.Agreed, S.Accepted));
      const id2 = await created(f);
      await f.escrow.connect(f.client).cancel(id2);
      await expect(f.escrow.connect(f.client).cancel(id2))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id2, S.Cancelled, bits(S.Created, S.Agreed, S.Accepted));
    });
  });

  describe("submit", function () {
    it("records the deliverable and opens the review window", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await funded(f);
      const hash = ethers.keccak256(ethers.toUtf8Bytes("work"));
      const tx = await f.escrow.connect(f.provider).submit(id, "ipfs://work", hash);
      const at = BigInt((await tx.getBlock())!.timestamp);
      await expect(tx)
        .to.emit(f.escrow, "DeliverableSubmitted")
        .withArgs(id, f.provider.address, "ipfs://work", hash, at + f.terms.reviewWindow);
      const e = await f.escrow.escrowOf(id);
      expect(e.state).to.equal(S.Submitted);
      expect(e.reviewDeadline).to.equal(at + f.terms.reviewWindow);
    });

    it("is allowed exactly at the delivery deadline", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await funded(f);
      await time.setNextBlockTimestamp(f.terms.deliveryDeadline);
      await expect(f.escrow.connect(f.provider).submit(id, "u", ethers.ZeroHash)).to.emit(
        f.escrow,
        "DeliverableSubmitted",
      );
    });

    it("reverts for anyone but the provider, before funding, and after the deadline", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id0 = await accepted(f);
      await expect(f.escrow.connect(f.provider).submit(id0, "u", ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id0, S.Accepted, bits(S.Funded));
      const id = await funded(f);
      await expect(f.escrow.connect(f.client).submit(id, "u", ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
        .withArgs(id, f.client.address);
      await time.increaseTo(f.terms.deliveryDeadline + 1n);
      await expect(f.escrow.connect(f.provider).submit(id, "u", ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeadlinePassed")
        .withArgs(id, f.terms.deliveryDeadline);
    });
  });

  describe("approve", function () {
    it("pays the provider as earnings, the protocol fee to the treasury, and returns fee and bond", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      const p = payout(f, BPS);
      const tx = f.escrow.connect(f.client).approve(id);
      await expect(tx)
        .to.emit(f.escrow, "EscrowSettled")
        .withArgs(id, S.Completed, f.client.address, payoutTuple(p));
      await expectSettlement(f, tx, p);
      expect((await f.escrow.escrowOf(id)).state).to.equal(S.Completed);
    });

    it("writes reputation: provider completed, client paid", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await expect(f.escrow.connect(f.client).approve(id))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, 10n, reason("escrow.completed"), id, 10n)
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.client, 2n, reason("escrow.paid"), id, 2n);
    });

    it("is still allowed after the review window until someone claims", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await time.increase(f.terms.reviewWindow + DAY);
      await expect(f.escrow.connect(f.client).approve(id)).to.emit(f.escrow, "EscrowSettled");
    });

    it("reverts for anyone but the client and before submission", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id0 = await funded(f);
      await expect(f.escrow.connect(f.client).approve(id0))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id0, S.Funded, bits(S.Submitted));
      const id = await submitted(f);
      await expect(f.escrow.connect(f.provider).approve(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
        .withArgs(id, f.provider.address);
    });

    it("settles anyway and reports the failure when the registry refuses reputation", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await f.registry.setRefuseReports(true);
      const refused = f.registry.interface.encodeErrorResult("MockRegistryRefused", [ethers.ZeroAddress]);
      const tx = f.escrow.connect(f.client).approve(id);
      await expect(tx)
        .to.emit(f.escrow, "ReputationReportFailed")
        .withArgs(id, ID.provider, 10n, reason("escrow.completed"), refused)
        .and.to.emit(f.escrow, "ReputationReportFailed")
        .withArgs(id, ID.client, 2n, reason("escrow.paid"), refused);
      await expectSettlement(f, tx, payout(f, BPS));
    });
  });

  describe("two reports in one registry call (issue 19)", function () {
    it("approve: when the registry refuses the pair, each report is made on its own and lands", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await f.registry.setRefusePairs(true);
      await expect(f.escrow.connect(f.client).approve(id))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, 10n, reason("escrow.completed"), id, 10n)
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.client, 2n, reason("escrow.paid"), id, 2n)
        .and.not.to.emit(f.escrow, "ReputationReportFailed");
      expect(await f.registry.scoreOfAgent(ID.provider)).to.equal(10n);
      expect(await f.registry.scoreOfAgent(ID.client)).to.equal(2n);
    });

    it("claim: when the registry refuses the pair, each report is made on its own and lands", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await time.increaseTo((await f.escrow.escrowOf(id)).reviewDeadline + 1n);
      await f.registry.setRefusePairs(true);
      await expect(f.escrow.connect(f.stranger).claim(id))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, 10n, reason("escrow.completed"), id, 10n)
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.client, -2n, reason("escrow.clientSilent"), id, -2n)
        .and.not.to.emit(f.escrow, "ReputationReportFailed");
    });
  });

  describe("claim (silent client)", function () {
    it("reverts until the review window has passed", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      const reviewDeadline = (await f.escrow.escrowOf(id)).reviewDeadline;
      await time.setNextBlockTimestamp(reviewDeadline);
      await expect(f.escrow.connect(f.provider).claim(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeadlineNotPassed")
        .withArgs(id, reviewDeadline);
    });

    it("lets anyone settle as completed after the window, and marks the client silent", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await time.increaseTo((await f.escrow.escrowOf(id)).reviewDeadline + 1n);
      const p = payout(f, BPS);
      const tx = f.escrow.connect(f.stranger).claim(id);
      await expect(tx)
        .to.emit(f.escrow, "EscrowSettled")
        .withArgs(id, S.Completed, f.stranger.address, payoutTuple(p))
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, 10n, reason("escrow.completed"), id, 10n)
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.client, -2n, reason("escrow.clientSilent"), id, -2n);
      await expectSettlement(f, tx, p);
    });

    it("reverts in any state but Submitted", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      await expect(f.escrow.claim(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Disputed, bits(S.Submitted));
    });
  });

  describe("reclaim (missed delivery)", function () {
    it("reverts until the delivery deadline has passed", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await funded(f);
      await time.setNextBlockTimestamp(f.terms.deliveryDeadline);
      await expect(f.escrow.connect(f.client).reclaim(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeadlineNotPassed")
        .withArgs(id, f.terms.deliveryDeadline);
    });

    it("refunds the client in full, returns the bond and marks the delivery missed", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await funded(f);
      await time.increaseTo(f.terms.deliveryDeadline + 1n);
      const p = payout(f, 0n);
      expect(p.clientRefund).to.equal(f.terms.amount + f.terms.arbitratorFee);
      const tx = f.escrow.connect(f.client).reclaim(id);
      await expect(tx)
        .to.emit(f.escrow, "EscrowSettled")
        .withArgs(id, S.Refunded, f.client.address, payoutTuple(p))
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, -15n, reason("escrow.deliveryMissed"), id, -15n);
      await expectSettlement(f, tx, p);
    });

    it("reverts once submitted", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await time.increaseTo(f.terms.deliveryDeadline + 1n);
      await expect(f.escrow.reclaim(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Submitted, bits(S.Funded));
    });
  });

  describe("dispute and evidence", function () {
    it("opens a dispute with ERC-1497 Dispute and Evidence events and a ruling deadline", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      const tx = await f.escrow.connect(f.client).dispute(id, "ipfs://complaint");
      const at = BigInt((await tx.getBlock())!.timestamp);
      await expect(tx)
        .to.emit(f.escrow, "EscrowDisputed")
        .withArgs(id, f.client.address, at + f.terms.rulingWindow)
        .and.to.emit(f.escrow, "Dispute")
        .withArgs(f.arbitrator.address, id, id, id)
        .and.to.emit(f.escrow, "Evidence")
        .withArgs(f.arbitrator.address, id, f.client.address, "ipfs://complaint");
      const e = await f.escrow.escrowOf(id);
      expect(e.state).to.equal(S.Disputed);
      expect(e.rulingDeadline).to.equal(at + f.terms.rulingWindow);
    });

    it("reverts for anyone but the client, and after the review window", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await expect(f.escrow.connect(f.provider).dispute(id, "x"))
        .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
        .withArgs(id, f.provider.address);
      const reviewDeadline = (await f.escrow.escrowOf(id)).reviewDeadline;
      await time.increaseTo(reviewDeadline + 1n);
      await expect(f.escrow.connect(f.client).dispute(id, "x"))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeadlinePassed")
        .withArgs(id, reviewDeadline);
    });

    it("reverts before submission", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await funded(f);
      await expect(f.escrow.connect(f.client).dispute(id, "x"))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Funded, bits(S.Submitted));
    });

    it("lets both parties add evidence while disputed", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      for (const who of [f.client, f.provider]) {
        await expect(f.escrow.connect(who).submitEvidence(id, "ipfs://more"))
          .to.emit(f.escrow, "Evidence")
          .withArgs(f.arbitrator.address, id, who.address, "ipfs://more");
      }
    });

    it("refuses evidence from others and outside a dispute", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      for (const who of [f.arbitrator, f.stranger]) {
        await expect(f.escrow.connect(who).submitEvidence(id, "x"))
          .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
          .withArgs(id, who.address);
      }
      const id2 = await submitted(f);
      await expect(f.escrow.connect(f.client).submitEvidence(id2, "x"))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id2, S.Submitted, bits(S.Disputed));
    });
  });

  describe("rule", function () {
    it("splits the amount, pays the arbitrator its fee as earnings and returns its bond", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      const p = payout(f, 7_000n, { feeEarned: true });
      const tx = f.escrow.connect(f.arbitrator).rule(id, 7_000n);
      await expect(tx)
        .to.emit(f.escrow, "EscrowRuled")
        .withArgs(id, f.arbitrator.address, 7_000n)
        .and.to.emit(f.escrow, "Ruling")
        .withArgs(f.arbitrator.address, id, 7_000n)
        .and.to.emit(f.escrow, "EscrowSettled")
        .withArgs(id, S.Ruled, f.arbitrator.address, payoutTuple(p));
      await expectSettlement(f, tx, p);
    });

    it("writes reputation: arbitrator ruled and provider won (scaled by the value paid), client lost", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      // Paid: 70% of 2,500 CIV plus the 20 CIV fee = 1,770 CIV, of 2,500 for full credit: 5 x 0.708 = 3.54.
      await expect(f.escrow.connect(f.arbitrator).rule(id, 7_000n))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.arbitrator, 3n, reason("escrow.ruled"), id, 3n)
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, 3n, reason("escrow.disputeWon"), id, 3n)
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.client, -5n, reason("escrow.disputeLost"), id, -5n);
      expect((await f.escrow.reputationCreditOf(ID.arbitrator))[0]).to.equal(
        5n * 1_770n * CIV - 3n * 2_500n * CIV,
      );
    });

    it("refunds the client all of the amount on a zero ruling; the client wins little, having paid only the fee", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      const p = payout(f, 0n, { feeEarned: true });
      const tx = f.escrow.connect(f.arbitrator).rule(id, 0n);
      await expect(tx)
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, -5n, reason("escrow.disputeLost"), id, -5n);
      await expectSettlement(f, tx, p);
      // 5 x 20 / 2,500 of a point: carried, not reported.
      expect(await f.registry.scoreOfAgent(ID.client)).to.equal(0n);
      expect((await f.escrow.reputationCreditOf(ID.client))[0]).to.equal(5n * 20n * CIV);
    });

    it("writes no win or loss on an even split", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      const tx = await f.escrow.connect(f.arbitrator).rule(id, 5_000n);
      const receipt = await tx.wait();
      const reports = receipt!.logs
        .map((l) => {
          try {
            return f.registry.interface.parseLog(l);
          } catch {
            return null;
          }
        })
        .filter((l) => l?.name === "AgentReputationReported");
      expect(reports.map((r) => r!.args.agentId)).to.deep.equal([ID.arbitrator]);
    });

    it("reverts for anyone but the arbitrator, a share above 100%, and after the ruling deadline", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      await expect(f.escrow.connect(f.client).rule(id, 0n))
        .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
        .withArgs(id, f.client.address);
      await expect(f.escrow.connect(f.arbitrator).rule(id, 10_001n))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidRuling")
        .withArgs(10_001n);
      const rulingDeadline = (await f.escrow.escrowOf(id)).rulingDeadline;
      await time.increaseTo(rulingDeadline + 1n);
      await expect(f.escrow.connect(f.arbitrator).rule(id, 0n))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeadlinePassed")
        .withArgs(id, rulingDeadline);
    });

    it("reverts without a dispute", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await expect(f.escrow.connect(f.arbitrator).rule(id, 0n))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Submitted, bits(S.Disputed));
    });
  });

  describe("resolveNoShow (arbitrator missed the ruling deadline)", function () {
    it("reverts until the ruling deadline has passed", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      const rulingDeadline = (await f.escrow.escrowOf(id)).rulingDeadline;
      await time.setNextBlockTimestamp(rulingDeadline);
      await expect(f.escrow.resolveNoShow(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeadlineNotPassed")
        .withArgs(id, rulingDeadline);
    });

    it("splits the amount in half, shares the bond, refunds the fee and marks the arbitrator", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      await time.increaseTo((await f.escrow.escrowOf(id)).rulingDeadline + 1n);
      const p = payout(f, 5_000n, { bondForfeited: true });
      expect(p.clientRefund).to.be.lessThan(f.terms.amount + f.terms.arbitratorFee);
      const tx = f.escrow.connect(f.stranger).resolveNoShow(id);
      await expect(tx)
        .to.emit(f.escrow, "EscrowSettled")
        .withArgs(id, S.NoShowResolved, f.stranger.address, payoutTuple(p))
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.arbitrator, -20n, reason("escrow.arbitratorNoShow"), id, -20n);
      await expectSettlement(f, tx, p);
    });

    it("reverts without a dispute", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await expect(f.escrow.resolveNoShow(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Submitted, bits(S.Disputed));
    });
  });

  describe("rate", function () {
    it("lets each party rate the other once after settlement, stored, emitted and reported", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await f.escrow.connect(f.client).approve(id);
      await expect(f.escrow.connect(f.client).rate(id, 1))
        .to.emit(f.escrow, "EscrowRated")
        .withArgs(id, f.client.address, f.provider.address, 1)
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, 1n, reason("escrow.rating"), id, 11n);
      await expect(f.escrow.connect(f.provider).rate(id, -1))
        .to.emit(f.escrow, "EscrowRated")
        .withArgs(id, f.provider.address, f.client.address, -1)
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.client, -1n, reason("escrow.rating"), id, 1n);
      const e = await f.escrow.escrowOf(id);
      expect(e.clientRating).to.equal(1n);
      expect(e.providerRating).to.equal(-1n);
    });

    it("reverts a second rating by the same party", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await funded(f);
      await time.increaseTo(f.terms.deliveryDeadline + 1n);
      await f.escrow.reclaim(id);
      await f.escrow.connect(f.client).rate(id, -1);
      await expect(f.escrow.connect(f.client).rate(id, 1))
        .to.be.revertedWithCustomError(f.escrow, "EscrowAlreadyRated")
        .withArgs(id, f.client.address);
      await f.escrow.connect(f.provider).rate(id, 1);
      await expect(f.escrow.connect(f.provider).rate(id, 1))
        .to.be.revertedWithCustomError(f.escrow, "EscrowAlreadyRated")
        .withArgs(id, f.provider.address);
    });

    it("reverts for scores other than +1 and -1 and for non-parties", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      await f.escrow.connect(f.arbitrator).rule(id, 2_500n);
      for (const s of [0, 2, -2]) {
        await expect(f.escrow.connect(f.client).rate(id, s))
          .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidRating")
          .withArgs(s);
      }
      for (const who of [f.arbitrator, f.stranger]) {
        await expect(f.escrow.connect(who).rate(id, 1))
          .to.be.revertedWithCustomError(f.escrow, "EscrowUnauthorized")
          .withArgs(id, who.address);
      }
    });

    it("reverts for escrows not settled, including cancelled ones that were never paid for", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await expect(f.escrow.connect(f.client).rate(id, 1))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id, S.Submitted, bits(S.Refunded, S.Completed, S.Ruled, S.NoShowResolved));
      const id2 = await created(f);
      await f.escrow.connect(f.client).cancel(id2);
      await expect(f.escrow.connect(f.client).rate(id2, 1))
        .to.be.revertedWithCustomError(f.escrow, "EscrowInvalidState")
        .withArgs(id2, S.Cancelled, bits(S.Refunded, S.Completed, S.Ruled, S.NoShowResolved));
    });

    it("allows rating after a no-show resolution", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      await time.increaseTo((await f.escrow.escrowOf(id)).rulingDeadline + 1n);
      await f.escrow.resolveNoShow(id);
      await expect(f.escrow.connect(f.provider).rate(id, 1)).to.emit(f.escrow, "EscrowRated");
    });
  });

  describe("reputation by agent id (security issue 20 #4)", function () {
    it("lands a missed delivery on the provider's agent id although it unbound its wallet", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await funded(f);
      await f.registry.unbind(f.provider.address);
      await time.increaseTo(f.terms.deliveryDeadline + 1n);
      await expect(f.escrow.connect(f.client).reclaim(id))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, -15n, reason("escrow.deliveryMissed"), id, -15n);
      await f.registry.rebind(f.provider.address);
      expect(await f.registry.scoreOf(f.provider.address)).to.equal(-15n);
    });

    it("lands a missed ruling on the arbitrator's agent id although it unbound its wallet", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await disputed(f);
      await f.registry.unbind(f.arbitrator.address);
      await time.increaseTo((await f.escrow.escrowOf(id)).rulingDeadline + 1n);
      await expect(f.escrow.resolveNoShow(id))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.arbitrator, -20n, reason("escrow.arbitratorNoShow"), id, -20n);
      expect(await f.registry.scoreOfAgent(ID.arbitrator)).to.equal(-20n);
    });
  });

  describe("reputation scaled by value paid and counterparty streak (security issue 20 #6)", function () {
    it("publishes the deltas and the full-credit amount as constants", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      expect(await f.escrow.REPUTATION_FULL_CREDIT_AMOUNT()).to.equal(2_500n * CIV);
      expect([
        await f.escrow.DELTA_COMPLETED(),
        await f.escrow.DELTA_PAID(),
        await f.escrow.DELTA_CLIENT_SILENT(),
        await f.escrow.DELTA_DELIVERY_MISSED(),
        await f.escrow.DELTA_DISPUTE_WON(),
        await f.escrow.DELTA_DISPUTE_LOST(),
        await f.escrow.DELTA_RULED(),
        await f.escrow.DELTA_ARBITRATOR_NO_SHOW(),
        await f.escrow.DELTA_RATING(),
      ]).to.deep.equal([10n, 2n, -2n, -15n, 5n, -5n, 5n, -20n, 1n]);
    });

    it("matches the reputation table of docs/escrow.md, row by row", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const doc = readFileSync("docs/escrow.md", "utf8");
      const table = doc.slice(
        doc.indexOf("<!-- reputation-table -->"),
        doc.indexOf("<!-- /reputation-table -->"),
      );
      const rows = [...table.matchAll(/^\| *`(DELTA_\w+)` *\| *([^|]+?) *\|/gm)];
      expect(rows.length).to.equal(9);
      for (const [, name, value] of rows) {
        const documented = BigInt(value.replace("−", "-").replace("+", ""));
        expect(await (f.escrow as unknown as Record<string, () => Promise<bigint>>)[name]!(), name).to.equal(
          documented,
        );
      }
    });

    it("gives a job below the full-credit amount that fraction of the delta and carries the rest", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submittedWith(f, { amount: 1_000n * CIV });
      // Provider: 10 x 1,000 / 2,500 = 4 points exactly. Client: 2 x 1,000 / 2,500 = 0.8: carried.
      await expect(f.escrow.connect(f.client).approve(id))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, 4n, reason("escrow.completed"), id, 4n);
      expect(await f.registry.scoreOfAgent(ID.client)).to.equal(0n);
      expect(await f.escrow.reputationCreditOf(ID.client)).to.deep.equal([
        2n * 1_000n * CIV,
        ID.provider,
        0n,
      ]);
      expect(await f.escrow.reputationCreditOf(ID.provider)).to.deep.equal([0n, ID.client, 0n]);
    });

    it("divides a repeat job with the same counterparty by 1 + streak, adding carried credit", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      await f.escrow.connect(f.client).approve(await submittedWith(f, { amount: 1_000n * CIV }));
      const id = await submittedWith(f, { amount: 1_000n * CIV });
      // Provider: 10 x 1,000 / 2 = 5,000 CIV-units = 2 points. Client: 2,000 + 2 x 1,000 / 2 = 3,000: 1 point.
      await expect(f.escrow.connect(f.client).approve(id))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, 2n, reason("escrow.completed"), id, 6n)
        .and.to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.client, 1n, reason("escrow.paid"), id, 1n);
      expect(await f.escrow.reputationCreditOf(ID.client)).to.deep.equal([500n * CIV, ID.provider, 1n]);
      expect(await f.escrow.reputationCreditOf(ID.provider)).to.deep.equal([0n, ID.client, 1n]);
    });

    it("caps the credit of one job at the full-credit amount", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      await f.token.connect(f.client).approve(f.escrowAddr, ethers.MaxUint256);
      const id = await submittedWith(f, { amount: 5_000n * CIV });
      await expect(f.escrow.connect(f.client).approve(id))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, 10n, reason("escrow.completed"), id, 10n);
    });

    it("reports a +1 rating only after a completed job, and a -1 in full after any outcome", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await funded(f);
      await time.increaseTo(f.terms.deliveryDeadline + 1n);
      await f.escrow.reclaim(id);
      const tx = await f.escrow.connect(f.provider).rate(id, 1);
      await expect(tx).to.emit(f.escrow, "EscrowRated").withArgs(id, f.provider.address, f.client.address, 1);
      await expect(tx).not.to.emit(f.registry, "AgentReputationReported");
      await expect(f.escrow.connect(f.client).rate(id, -1))
        .to.emit(f.registry, "AgentReputationReported")
        .withArgs(ID.provider, -1n, reason("escrow.rating"), id, -16n);
    });
  });

  describe("parameters", function () {
    it("lets the parameter role set the minimum delivery window and job amount at their bounds", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      await expect(f.escrow.setMinDeliveryWindow(7n * DAY))
        .to.emit(f.escrow, "MinDeliveryWindowUpdated")
        .withArgs(HOUR, 7n * DAY);
      await expect(f.escrow.setMinDeliveryWindow(HOUR))
        .to.emit(f.escrow, "MinDeliveryWindowUpdated")
        .withArgs(7n * DAY, HOUR);
      await expect(f.escrow.setMinJobAmount(10_000n * CIV))
        .to.emit(f.escrow, "MinJobAmountUpdated")
        .withArgs(ESCROW_TEST_MIN_JOB_AMOUNT, 10_000n * CIV);
      await expect(f.escrow.setMinJobAmount(10n ** 15n))
        .to.emit(f.escrow, "MinJobAmountUpdated")
        .withArgs(10_000n * CIV, 10n ** 15n);
    });

    it("reverts a minimum delivery window or job amount out of bounds", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      for (const w of [HOUR - 1n, 7n * DAY + 1n]) {
        await expect(f.escrow.setMinDeliveryWindow(w))
          .to.be.revertedWithCustomError(f.escrow, "EscrowMinDeliveryWindowOutOfBounds")
          .withArgs(w, HOUR, 7n * DAY);
      }
      for (const a of [10n ** 15n - 1n, 10_000n * CIV + 1n]) {
        await expect(f.escrow.setMinJobAmount(a))
          .to.be.revertedWithCustomError(f.escrow, "EscrowMinJobAmountOutOfBounds")
          .withArgs(a, 10n ** 15n, 10_000n * CIV);
      }
    });

    it("refuses the new settings to callers without the parameter role", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const role = await f.escrow.PARAMETER_ROLE();
      await expect(f.escrow.connect(f.stranger).setMinDeliveryWindow(DAY))
        .to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, role);
      await expect(f.escrow.connect(f.stranger).setMinJobAmount(CIV))
        .to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, role);
    });

    it("applies a longer minimum delivery window to escrows already accepted when they are funded", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await accepted(f);
      await f.escrow.setMinDeliveryWindow(7n * DAY);
      const at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      await expect(f.escrow.connect(f.client).fund(id))
        .to.be.revertedWithCustomError(f.escrow, "EscrowDeliveryWindowTooShort")
        .withArgs(id, f.terms.deliveryDeadline, at + 7n * DAY);
    });

    it("lets the parameter role set both rates within bounds, emitting old and new", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      await expect(f.escrow.setArbitratorBondBps(5_000n))
        .to.emit(f.escrow, "ArbitratorBondBpsUpdated")
        .withArgs(1_000n, 5_000n);
      await expect(f.escrow.setArbitratorBondBps(100n))
        .to.emit(f.escrow, "ArbitratorBondBpsUpdated")
        .withArgs(5_000n, 100n);
      await expect(f.escrow.setProtocolFeeBps(1_000n))
        .to.emit(f.escrow, "ProtocolFeeBpsUpdated")
        .withArgs(100n, 1_000n);
      await expect(f.escrow.setProtocolFeeBps(0n))
        .to.emit(f.escrow, "ProtocolFeeBpsUpdated")
        .withArgs(1_000n, 0n);
    });

    it("reverts out of bounds", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      for (const b of [99n, 5_001n]) {
        await expect(f.escrow.setArbitratorBondBps(b))
          .to.be.revertedWithCustomError(f.escrow, "EscrowBondBpsOutOfBounds")
          .withArgs(b, 100n, 5_000n);
      }
      await expect(f.escrow.setProtocolFeeBps(1_001n))
        .to.be.revertedWithCustomError(f.escrow, "EscrowProtocolFeeTooHigh")
        .withArgs(1_001n, 1_000n);
    });

    it("reverts for callers without the parameter role", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const role = await f.escrow.PARAMETER_ROLE();
      await expect(f.escrow.connect(f.stranger).setArbitratorBondBps(2_000n))
        .to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, role);
      await expect(f.escrow.connect(f.stranger).setProtocolFeeBps(50n))
        .to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, role);
    });

    it("applies new rates only to escrows created afterwards", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const id = await submitted(f);
      await f.escrow.setArbitratorBondBps(2_000n);
      await f.escrow.setProtocolFeeBps(500n);
      await expectSettlement(f, f.escrow.connect(f.client).approve(id), payout(f, BPS));
      await expect(f.escrow.connect(f.client).create(f.terms))
        .to.emit(f.escrow, "EscrowCreated")
        .withArgs(
          anyValue,
          anyValue,
          anyValue,
          anyValue,
          (f.terms.amount * 2_000n) / BPS,
          500n,
          ID.client,
          ID.provider,
          ID.arbitrator,
        );
    });
  });

  describe("accounting across escrows", function () {
    it("holds exactly the open amounts, fees and bonds of several escrows and nothing after they close", async function () {
      const f = await networkHelpers.loadFixture(deployFixture);
      const a = await submitted(f);
      const b = await disputed(f);
      const c = await accepted(f);
      const bond = (f.terms.amount * 1_000n) / BPS;
      const perFunded = f.terms.amount + f.terms.arbitratorFee + bond;
      expect(await f.token.balanceOf(f.escrowAddr)).to.equal(2n * perFunded + bond);
      await f.escrow.connect(f.client).approve(a);
      await f.escrow.connect(f.arbitrator).rule(b, 3_333n);
      await f.escrow.connect(f.provider).cancel(c);
      expect(await f.token.balanceOf(f.escrowAddr)).to.equal(0n);
    });
  });
});
