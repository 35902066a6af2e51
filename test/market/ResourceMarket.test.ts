import { expect } from "chai";
import { network } from "hardhat";

import { CIV, taxOf } from "../helpers/fixtures.js";
import type { MarketFixture } from "./fixture.js";
import { deployMarketFixture, GPU, GPU_RESERVE, GPU_TICK } from "./fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const BPS = 10_000n;
const PARAMETER_ROLE = ethers.id("PARAMETER_ROLE");
const MAX_UINT96 = 2n ** 96n - 1n;

async function marketFixture() {
  return deployMarketFixture(connection);
}

/** Moves the chain so that the next transaction runs exactly at `timestamp`. */
async function atNextBlock(timestamp: bigint) {
  await time.setNextBlockTimestamp(timestamp);
}

/** Offers and bids of the worked example (docs/market.md) in the fixture's current epoch. */
async function workedExample(f: MarketFixture) {
  const m = f.resourceMarket;
  await m.connect(f.bob).offer(GPU, f.epoch, 60n, f.bob.address); // offer 1
  await m.connect(f.carol).offer(GPU, f.epoch, 40n, f.carol.address); // offer 2
  await m.connect(f.alice).bid(GPU, f.epoch, 30n, 50n); // bid 1: 50 at 0.030 CIV
  await m.connect(f.dave).bid(GPU, f.epoch, 20n, 40n); // bid 2: 40 at 0.020 CIV
  await m.connect(f.erin).bid(GPU, f.epoch, 20n, 30n); // bid 3: 30 at 0.020 CIV
  await m.connect(f.frank).bid(GPU, f.epoch, 5n, 20n); // bid 4: 20 at 0.005 CIV (below the reserve)
  await time.increaseTo(await f.endOf(f.epoch));
}

describe("ResourceMarket", function () {
  // The first load deploys the whole protocol: slow on a loaded machine.
  before(async function () {
    this.timeout(600_000);
    await networkHelpers.loadFixture(marketFixture);
  });

  describe("offer", function () {
    it("records an offer from an agent in good standing, with the epoch's supply", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      await expect(f.resourceMarket.connect(f.bob).offer(GPU, f.epoch, 60n, f.bob.address))
        .to.emit(f.resourceMarket, "Offered")
        .withArgs(1n, GPU, f.epoch, f.bob.address, f.bob.address, 60n, 60n);
      await expect(f.resourceMarket.connect(f.carol).offer(GPU, f.epoch, 40n, f.alice.address))
        .to.emit(f.resourceMarket, "Offered")
        .withArgs(2n, GPU, f.epoch, f.carol.address, f.alice.address, 40n, 100n);
      const offer = await f.resourceMarket.offerOf(2n);
      expect(offer.cumBefore).to.equal(60n);
      expect(offer.payee).to.equal(f.alice.address);
      expect((await f.resourceMarket.epochOf(GPU, f.epoch)).tickSize).to.equal(GPU_TICK);
    });

    it("refuses a wallet that is not an agent in good standing", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      await expect(f.resourceMarket.connect(f.outsider).offer(GPU, f.epoch, 1n, f.outsider.address))
        .to.be.revertedWithCustomError(f.resourceMarket, "MarketNotInGoodStanding")
        .withArgs(f.outsider.address);
    });

    it("refuses a zero or oversized capacity, and a zero payee", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket.connect(f.bob);
      await expect(m.offer(GPU, f.epoch, 0n, f.bob.address))
        .to.be.revertedWithCustomError(m, "MarketInvalidQuantity")
        .withArgs(0n);
      await expect(m.offer(GPU, f.epoch, MAX_UINT96 + 1n, f.bob.address))
        .to.be.revertedWithCustomError(m, "MarketInvalidQuantity")
        .withArgs(MAX_UINT96 + 1n);
      await expect(m.offer(GPU, f.epoch, MAX_UINT96, f.bob.address)).to.emit(m, "Offered");
      await expect(m.offer(GPU, f.epoch, 1n, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        m,
        "MarketZeroAddress",
      );
    });

    it("accepts epochs from the current one to MAX_EPOCHS_AHEAD ahead, and no other", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket.connect(f.bob);
      const ahead = await m.MAX_EPOCHS_AHEAD();
      await expect(m.offer(GPU, f.epoch + ahead, 1n, f.bob.address)).to.emit(m, "Offered");
      await expect(m.offer(GPU, f.epoch + ahead + 1n, 1n, f.bob.address))
        .to.be.revertedWithCustomError(m, "MarketEpochNotOpen")
        .withArgs(f.epoch + ahead + 1n, f.epoch);
      // The last second of the epoch is still open; its end is not.
      const end = await f.endOf(f.epoch);
      await atNextBlock(end - 1n);
      await expect(m.offer(GPU, f.epoch, 1n, f.bob.address)).to.emit(m, "Offered");
      await atNextBlock(end);
      await expect(m.offer(GPU, f.epoch, 1n, f.bob.address))
        .to.be.revertedWithCustomError(m, "MarketEpochNotOpen")
        .withArgs(f.epoch, f.epoch + 1n);
    });

    it("refuses an unlisted, a delisted and a retired resource", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket.connect(f.bob);
      // Resource 2 is the genesis "attention" resource (issue 17): 3 is unknown.
      await expect(m.offer(3n, f.epoch, 1n, f.bob.address))
        .to.be.revertedWithCustomError(m, "MarketResourceNotListed")
        .withArgs(3n);
      await f.resourceMarket.connect(f.asTimelock).delist(GPU);
      await expect(m.offer(GPU, f.epoch, 1n, f.bob.address))
        .to.be.revertedWithCustomError(m, "MarketResourceNotListed")
        .withArgs(GPU);
      await f.resourceMarket.connect(f.asTimelock).list(GPU, GPU_TICK, GPU_RESERVE);
      await f.resourceLedger.connect(f.asTimelock).retire(GPU);
      await expect(m.offer(GPU, f.epoch, 1n, f.bob.address))
        .to.be.revertedWithCustomError(m, "MarketResourceNotListed")
        .withArgs(GPU);
    });
  });

  describe("bid", function () {
    it("escrows quantity x tick x tickSize and records the bid's place at its tick", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      const tx = m.connect(f.alice).bid(GPU, f.epoch, 20n, 40n);
      await expect(tx)
        .to.emit(m, "BidPlaced")
        .withArgs(1n, GPU, f.epoch, f.alice.address, 20n, 20n * GPU_TICK, 40n, 800n * GPU_TICK);
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.token,
        [f.alice, m],
        [-800n * GPU_TICK, 800n * GPU_TICK],
      );
      await m.connect(f.bob).bid(GPU, f.epoch, 20n, 30n);
      expect((await m.bidOf(2n)).cumBefore).to.equal(40n);
      expect(await m.demandAtOrAbove(GPU, f.epoch, 20n)).to.equal(70n);
      expect(await m.demandAtOrAbove(GPU, f.epoch, 21n)).to.equal(0n);
      expect((await m.epochOf(GPU, f.epoch)).demand).to.equal(70n);
    });

    it("takes ticks 1 to MAX_TICK and refuses 0 and MAX_TICK + 1", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket.connect(f.alice);
      const maxTick = await m.MAX_TICK();
      expect(maxTick).to.equal(4_095n);
      expect(await m.TICKS()).to.equal(maxTick + 1n);
      await expect(m.bid(GPU, f.epoch, 0n, 1n))
        .to.be.revertedWithCustomError(m, "MarketTickOutOfRange")
        .withArgs(0n, maxTick);
      await expect(m.bid(GPU, f.epoch, maxTick + 1n, 1n))
        .to.be.revertedWithCustomError(m, "MarketTickOutOfRange")
        .withArgs(maxTick + 1n, maxTick);
      await expect(m.bid(GPU, f.epoch, 1n, 1n)).to.emit(m, "BidPlaced");
      await expect(m.bid(GPU, f.epoch, maxTick, 1n)).to.emit(m, "BidPlaced");
      expect(await m.demandAtOrAbove(GPU, f.epoch, 1n)).to.equal(2n);
      expect(await m.demandAtOrAbove(GPU, f.epoch, maxTick)).to.equal(1n);
    });

    it("refuses a zero quantity, a closed epoch, and a bid without allowance or balance", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await expect(m.connect(f.alice).bid(GPU, f.epoch, 10n, 0n))
        .to.be.revertedWithCustomError(m, "MarketInvalidQuantity")
        .withArgs(0n);
      await f.token.connect(f.alice).approve(await m.getAddress(), 0n);
      await expect(m.connect(f.alice).bid(GPU, f.epoch, 10n, 1n))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance")
        .withArgs(await m.getAddress(), 0n, 10n * GPU_TICK);
      await expect(m.connect(f.outsider).bid(GPU, f.epoch, 10n, 1n))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientBalance")
        .withArgs(f.outsider.address, 0n, 10n * GPU_TICK);
      await time.increaseTo(await f.endOf(f.epoch));
      await expect(m.connect(f.bob).bid(GPU, f.epoch, 10n, 1n))
        .to.be.revertedWithCustomError(m, "MarketEpochNotOpen")
        .withArgs(f.epoch, f.epoch + 1n);
    });

    it("accepts an ERC-2612 permit for the escrow", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await f.token.connect(f.alice).approve(await m.getAddress(), 0n);
      const escrow = 5n * 12n * GPU_TICK;
      const deadline = BigInt(await time.latest()) + 3_600n;
      const { chainId } = await ethers.provider.getNetwork();
      const sig = ethers.Signature.from(
        await f.alice.signTypedData(
          {
            name: await f.token.name(),
            version: "1",
            chainId,
            verifyingContract: await f.token.getAddress(),
          },
          {
            Permit: [
              { name: "owner", type: "address" },
              { name: "spender", type: "address" },
              { name: "value", type: "uint256" },
              { name: "nonce", type: "uint256" },
              { name: "deadline", type: "uint256" },
            ],
          },
          {
            owner: f.alice.address,
            spender: await m.getAddress(),
            value: escrow,
            nonce: await f.token.nonces(f.alice.address),
            deadline,
          },
        ),
      );
      await expect(m.connect(f.alice).bidWithPermit(GPU, f.epoch, 12n, 5n, deadline, sig.v, sig.r, sig.s))
        .to.emit(m, "BidPlaced")
        .withArgs(1n, GPU, f.epoch, f.alice.address, 12n, 12n * GPU_TICK, 5n, escrow);
    });
  });

  describe("clear", function () {
    it("refuses before the epoch's end and clears exactly at it, once", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      const end = await f.endOf(f.epoch);
      await atNextBlock(end - 1n);
      await expect(m.clear(GPU, f.epoch))
        .to.be.revertedWithCustomError(m, "MarketEpochNotEnded")
        .withArgs(f.epoch, end);
      await atNextBlock(end);
      await expect(m.clear(GPU, f.epoch)).to.emit(m, "EpochCleared");
      await expect(m.clear(GPU, f.epoch))
        .to.be.revertedWithCustomError(m, "MarketEpochAlreadyCleared")
        .withArgs(GPU, f.epoch);
    });

    it("runs the worked example: highest first, one price, pro rata at the margin, reserve up 12.5%", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      await workedExample(f);
      const m = f.resourceMarket;
      const price = 20n * GPU_TICK;
      const newReserve = GPU_RESERVE + GPU_RESERVE / 8n;
      const tx = m.clear(GPU, f.epoch);
      await expect(tx)
        .to.emit(m, "EpochCleared")
        .withArgs(GPU, f.epoch, 20n, price, 100n, 140n, 100n, BPS, false, newReserve);
      await expect(tx).to.emit(m, "ReservePriceUpdated").withArgs(GPU, GPU_RESERVE, newReserve);
      const epoch = await m.epochOf(GPU, f.epoch);
      expect([epoch.marginalDemand, epoch.marginalFill, epoch.feeBps]).to.deep.equal([70n, 50n, 100n]);
      expect((await m.listingOf(GPU)).reservePrice).to.equal(newReserve);

      // Bids: filled in full above the clearing tick; 50 of 70 shared at it by position; none below.
      const expected: [bigint, bigint][] = [
        [50n, 30n],
        [28n, 20n],
        [22n, 20n],
        [0n, 5n],
      ];
      const bidders = [f.alice, f.dave, f.erin, f.frank];
      const quantities = [50n, 40n, 30n, 20n];
      for (const [i, [filled, tick]] of expected.entries()) {
        const escrow = quantities[i] * tick * GPU_TICK;
        const cost = filled * price;
        expect(await m.bidOutcome(BigInt(i + 1))).to.deep.equal([filled, cost, escrow - cost]);
        // Anyone may claim; credits and refund go to the bidder.
        const tx = m.connect(f.grace).claimBid(BigInt(i + 1));
        await expect(tx)
          .to.emit(m, "BidClaimed")
          .withArgs(BigInt(i + 1), bidders[i].address, filled, cost, escrow - cost);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [bidders[i], m],
          [escrow - cost, cost - escrow],
        );
        expect(await f.resourceLedger.balanceOf(bidders[i].address, GPU)).to.equal(filled);
      }

      // Offers: paid their share of the sold capacity, less the 1% fee, as taxed earnings.
      const treasury = await f.treasury.getAddress();
      for (const [i, [provider, sold]] of (
        [
          [f.bob, 60n],
          [f.carol, 40n],
        ] as const
      ).entries()) {
        const gross = sold * price;
        const fee = (gross * 100n) / BPS;
        const net = gross - fee - taxOf(gross - fee, 1_000n);
        const tx = m.connect(f.grace).claimOffer(BigInt(i + 1));
        await expect(tx)
          .to.emit(m, "OfferClaimed")
          .withArgs(BigInt(i + 1), provider.address, sold, gross, fee);
        await expect(tx).to.changeTokenBalances(ethers, f.token, [provider, treasury], [net, gross - net]);
      }
      expect(await f.token.balanceOf(await m.getAddress())).to.equal(0n);
      expect(await f.resourceLedger.totalMinted(GPU)).to.equal(100n);
    });

    it("sells at the reserve when demand above it does not cover the supply, and lowers the reserve", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await m.connect(f.bob).offer(GPU, f.epoch, 100n, f.bob.address);
      await m.connect(f.alice).bid(GPU, f.epoch, 40n, 20n);
      await m.connect(f.dave).bid(GPU, f.epoch, 10n, 10n); // exactly at the reserve tick
      await m.connect(f.erin).bid(GPU, f.epoch, 9n, 50n); // one tick below the reserve
      await time.increaseTo(await f.endOf(f.epoch));
      // utilisation 30%: the reserve falls by 12.5% x (5,000 - 3,000) / 5,000 = 5%.
      const newReserve = GPU_RESERVE - GPU_RESERVE / 20n;
      await expect(m.clear(GPU, f.epoch))
        .to.emit(m, "EpochCleared")
        .withArgs(GPU, f.epoch, 10n, 10n * GPU_TICK, 100n, 80n, 30n, 3_000n, false, newReserve);
      expect((await m.bidOutcome(1n))[0]).to.equal(20n);
      expect((await m.bidOutcome(2n))[0]).to.equal(10n);
      expect((await m.bidOutcome(3n))[0]).to.equal(0n);
      expect((await m.offerOutcome(1n))[0]).to.equal(30n);
    });

    it("leaves the reserve where it is at the target utilisation, and keeps it within the ticks", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await m.connect(f.bob).offer(GPU, f.epoch, 100n, f.bob.address);
      await m.connect(f.alice).bid(GPU, f.epoch, 10n, 50n);
      await time.increaseTo(await f.endOf(f.epoch));
      await expect(m.clear(GPU, f.epoch)).not.to.emit(m, "ReservePriceUpdated");
      // An empty epoch with supply: utilisation 0 lowers the reserve by the full step, never below one tick.
      await f.resourceMarket.connect(f.asTimelock).list(GPU, GPU_TICK, GPU_TICK);
      const next = f.epoch + 1n;
      await m.connect(f.bob).offer(GPU, next, 100n, f.bob.address);
      await time.increaseTo(await f.endOf(next));
      await expect(m.clear(GPU, next))
        .to.emit(m, "EpochCleared")
        .withArgs(GPU, next, 1n, GPU_TICK, 100n, 0n, 0n, 0n, false, GPU_TICK);
    });

    it("cancels an epoch with no supply and refunds every bid in full", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await m.connect(f.alice).bid(GPU, f.epoch, 30n, 10n);
      await time.increaseTo(await f.endOf(f.epoch));
      await expect(m.clear(GPU, f.epoch))
        .to.emit(m, "EpochCleared")
        .withArgs(GPU, f.epoch, 0n, 0n, 0n, 10n, 0n, 0n, true, GPU_RESERVE);
      await expect(m.claimBid(1n)).to.changeTokenBalances(ethers, f.token, [f.alice], [300n * GPU_TICK]);
    });

    it("cancels the open epochs of a resource governance retires or delists: bids refunded, offers paid nothing", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      const next = f.epoch + 1n;
      for (const e of [f.epoch, next]) {
        await m.connect(f.bob).offer(GPU, e, 10n, f.bob.address);
        await m.connect(f.alice).bid(GPU, e, 30n, 10n);
      }
      await f.resourceMarket.connect(f.asTimelock).delist(GPU);
      await time.increaseTo(await f.endOf(f.epoch));
      await expect(m.claimBid(1n)).to.changeTokenBalances(ethers, f.token, [f.alice], [300n * GPU_TICK]);
      expect((await m.epochOf(GPU, f.epoch)).cancelled).to.equal(true);
      await expect(m.claimOffer(1n)).to.emit(m, "OfferClaimed").withArgs(1n, f.bob.address, 0n, 0n, 0n);
      await f.resourceMarket.connect(f.asTimelock).list(GPU, GPU_TICK, GPU_RESERVE);
      await f.resourceLedger.connect(f.asTimelock).retire(GPU);
      await time.increaseTo(await f.endOf(next));
      await expect(m.claimBid(2n)).to.changeTokenBalances(ethers, f.token, [f.alice], [300n * GPU_TICK]);
      expect(await f.token.balanceOf(await m.getAddress())).to.equal(0n);
    });
  });

  describe("claims", function () {
    it("clear the epoch first when nobody has, and settle only once", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      await workedExample(f);
      const m = f.resourceMarket;
      const tx = m.claimOffer(1n);
      await expect(tx).to.emit(m, "EpochCleared");
      await expect(tx).to.emit(m, "OfferClaimed");
      await expect(m.claimOffer(1n)).to.be.revertedWithCustomError(m, "MarketAlreadyClaimed").withArgs(1n);
      await expect(m.claimBid(1n)).not.to.emit(m, "EpochCleared");
      await expect(m.claimBid(1n)).to.be.revertedWithCustomError(m, "MarketAlreadyClaimed").withArgs(1n);
    });

    it("refuse an unknown id and an epoch not ended", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await expect(m.claimBid(1n)).to.be.revertedWithCustomError(m, "MarketUnknownId").withArgs(1n);
      await expect(m.claimOffer(1n)).to.be.revertedWithCustomError(m, "MarketUnknownId").withArgs(1n);
      await expect(m.bidOf(9n)).to.be.revertedWithCustomError(m, "MarketUnknownId").withArgs(9n);
      await m.connect(f.alice).bid(GPU, f.epoch, 30n, 10n);
      await expect(m.claimBid(1n))
        .to.be.revertedWithCustomError(m, "MarketEpochNotEnded")
        .withArgs(f.epoch, await f.endOf(f.epoch));
      expect(await m.bidOutcome(1n)).to.deep.equal([0n, 0n, 0n]);
    });

    it("pay a provider that vanished: anyone settles its offer, the money goes to its payee", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      await workedExample(f);
      const gross = 60n * 20n * GPU_TICK;
      const fee = gross / 100n;
      await expect(f.resourceMarket.connect(f.outsider).claimOffer(1n)).to.changeTokenBalances(
        ethers,
        f.token,
        [f.bob, f.outsider],
        [gross - fee - taxOf(gross - fee, 1_000n), 0n],
      );
    });

    it("use the fee fixed at clearing, not one governance set afterwards", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      await workedExample(f);
      await f.resourceMarket.clear(GPU, f.epoch);
      await f.resourceMarket.connect(f.asTimelock).setProtocolFeeBps(1_000n);
      const gross = 60n * 20n * GPU_TICK;
      expect(await f.resourceMarket.offerOutcome(1n)).to.deep.equal([60n, gross, gross / 100n]);
    });
  });

  describe("governance settings", function () {
    const cases = [
      {
        name: "protocol fee",
        setter: "setProtocolFeeBps",
        event: "ProtocolFeeBpsUpdated",
        current: 100n,
        min: 0n,
        max: 1_000n,
        error: "MarketFeeTooHigh",
        below: null,
        args: (v: bigint) => [v, 1_000n],
      },
      {
        name: "target utilisation",
        setter: "setTargetUtilisationBps",
        event: "TargetUtilisationBpsUpdated",
        current: 5_000n,
        min: 1_000n,
        max: 9_000n,
        error: "MarketTargetOutOfBounds",
        below: 999n,
        args: (v: bigint) => [v, 1_000n, 9_000n],
      },
      {
        name: "reserve step",
        setter: "setMaxReserveStepBps",
        event: "MaxReserveStepBpsUpdated",
        current: 1_250n,
        min: 1n,
        max: 2_500n,
        error: "MarketStepOutOfBounds",
        below: 0n,
        args: (v: bigint) => [v, 2_500n],
      },
    ] as const;
    for (const c of cases) {
      it(`sets the ${c.name} within its bounds, by the timelock only, with old and new value`, async function () {
        const f = await networkHelpers.loadFixture(marketFixture);
        const m = f.resourceMarket;
        type Setter = (v: bigint) => Promise<unknown>;
        const asAlice = m.connect(f.alice)[c.setter] as unknown as Setter;
        await expect(asAlice(c.max))
          .to.be.revertedWithCustomError(m, "AccessControlUnauthorizedAccount")
          .withArgs(f.alice.address, PARAMETER_ROLE);
        const asTimelock = m.connect(f.asTimelock)[c.setter] as unknown as Setter;
        await expect(asTimelock(c.max + 1n))
          .to.be.revertedWithCustomError(m, c.error)
          .withArgs(...c.args(c.max + 1n));
        if (c.below !== null) {
          await expect(asTimelock(c.below))
            .to.be.revertedWithCustomError(m, c.error)
            .withArgs(...c.args(c.below));
        }
        await expect(asTimelock(c.max)).to.emit(m, c.event).withArgs(c.current, c.max);
        await expect(asTimelock(c.min)).to.emit(m, c.event).withArgs(c.max, c.min);
      });
    }

    it("lists within [tickSize, MAX_TICK x tickSize] only, by the timelock only", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await expect(m.connect(f.alice).list(GPU, GPU_TICK, GPU_RESERVE))
        .to.be.revertedWithCustomError(m, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, PARAMETER_ROLE);
      const t = m.connect(f.asTimelock);
      await expect(t.list(GPU, 0n, 1n))
        .to.be.revertedWithCustomError(m, "MarketInvalidListing")
        .withArgs(0n, 1n);
      await expect(t.list(GPU, 10n, 9n))
        .to.be.revertedWithCustomError(m, "MarketInvalidListing")
        .withArgs(10n, 9n);
      await expect(t.list(GPU, 10n, 40_951n))
        .to.be.revertedWithCustomError(m, "MarketInvalidListing")
        .withArgs(10n, 40_951n);
      await expect(t.list(GPU, 10n, 40_950n))
        .to.emit(m, "ResourceListed")
        .withArgs(GPU, 10n, GPU_RESERVE, 40_950n);
      await expect(t.list(GPU, 10n, 10n))
        .to.emit(m, "ResourceListed")
        .withArgs(GPU, 10n, 40_950n, 10n);
      await expect(t.list(7n, 10n, 10n))
        .to.be.revertedWithCustomError(m, "MarketResourceNotListed")
        .withArgs(7n);
      await expect(m.connect(f.alice).delist(GPU))
        .to.be.revertedWithCustomError(m, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, PARAMETER_ROLE);
      await expect(t.delist(GPU)).to.emit(m, "ResourceDelisted").withArgs(GPU);
      await expect(t.delist(GPU)).to.be.revertedWithCustomError(m, "MarketResourceNotListed").withArgs(GPU);
    });

    it("keeps an epoch's tick size when governance changes the listing mid-epoch", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await m.connect(f.bob).offer(GPU, f.epoch, 10n, f.bob.address);
      await m.connect(f.alice).bid(GPU, f.epoch, 30n, 10n);
      await m.connect(f.asTimelock).list(GPU, GPU_TICK * 2n, GPU_RESERVE);
      await m.connect(f.dave).bid(GPU, f.epoch, 30n, 1n);
      expect((await m.bidOf(2n)).tick).to.equal(30n);
      await expect(m.connect(f.erin).bid(GPU, f.epoch + 1n, 30n, 1n))
        .to.emit(m, "BidPlaced")
        .withArgs(3n, GPU, f.epoch + 1n, f.erin.address, 30n, 60n * GPU_TICK, 1n, 60n * GPU_TICK);
      await time.increaseTo(await f.endOf(f.epoch));
      await m.clear(GPU, f.epoch);
      expect((await m.epochOf(GPU, f.epoch)).price).to.equal(30n * GPU_TICK);
    });

    it("refuses a bid while the market is not a protocol account (the deposit would be taxed)", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await f.token.connect(f.asTimelock).setProtocolAccount(await m.getAddress(), false);
      await expect(m.connect(f.alice).bid(GPU, f.epoch, 10n, 1n))
        .to.be.revertedWithCustomError(m, "MarketNotProtocolAccount")
        .withArgs(await m.getAddress());
    });
  });

  describe("attacks", function () {
    it("bid spam: 200 one-unit bids at the margin change nothing for the winners and all get refunded", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      await m.connect(f.bob).offer(GPU, f.epoch, 100n, f.bob.address);
      await m.connect(f.alice).bid(GPU, f.epoch, 50n, 100n);
      for (let i = 0; i < 200; i++) await m.connect(f.frank).bid(GPU, f.epoch, 49n, 1n);
      await time.increaseTo(await f.endOf(f.epoch));
      await m.clear(GPU, f.epoch);
      expect((await m.epochOf(GPU, f.epoch)).price).to.equal(50n * GPU_TICK);
      expect((await m.bidOutcome(1n))[0]).to.equal(100n);
      const before = await f.token.balanceOf(f.frank.address);
      for (let i = 2n; i <= 201n; i++) await m.claimBid(i);
      expect(await f.token.balanceOf(f.frank.address)).to.equal(before + 200n * 49n * GPU_TICK);
      expect(await f.token.balanceOf(await m.getAddress())).to.equal((await m.offerOutcome(1n))[1]);
    });

    it("self-dealing: a provider bidding high on its own capacity pays only the reserve, loses fee and tax, moves the reserve one step", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      const m = f.resourceMarket;
      const start = await f.token.balanceOf(f.bob.address);
      await m.connect(f.bob).offer(GPU, f.epoch, 100n, f.bob.address);
      await m.connect(f.bob).bid(GPU, f.epoch, 100n, 100n);
      await time.increaseTo(await f.endOf(f.epoch));
      await m.claimBid(1n);
      await m.claimOffer(1n);
      // Demand does not exceed supply: everyone pays the reserve (tick 10), not the bid.
      const gross = 100n * 10n * GPU_TICK;
      const fee = gross / 100n;
      const lost = fee + taxOf(gross - fee, 1_000n);
      expect(await f.token.balanceOf(f.bob.address)).to.equal(start - lost);
      // The reserve moved by one bounded step only (12.5%), whatever was paid.
      expect((await m.listingOf(GPU)).reservePrice).to.equal(GPU_RESERVE + GPU_RESERVE / 8n);
    });

    it("griefing the clearing: nobody can clear early, and whoever clears gets the same outcome", async function () {
      const f = await networkHelpers.loadFixture(marketFixture);
      await workedExample(f);
      await expect(f.resourceMarket.connect(f.outsider).clear(GPU, f.epoch)).to.emit(
        f.resourceMarket,
        "EpochCleared",
      );
      expect((await f.resourceMarket.bidOutcome(2n))[0]).to.equal(28n);
    });
  });
});
