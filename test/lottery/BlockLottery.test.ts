import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { AbiCoder, keccak256, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import { CIV, taxOf } from "../helpers/fixtures.js";
import { deployMarketFixture, GPU } from "../market/fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time, loadFixture } = networkHelpers;

const HOUR = 3_600n;
const DAY = 86_400n;
const PARAMETER_ROLE = ethers.id("PARAMETER_ROLE");
/** `IBlockLottery.EntryKind` and `DrawOutcome`, by name. */
const KIND = { Mine: 0n, Stake: 1n, Burn: 2n };
const OUTCOME = { Won: 0n, NoEntries: 1n, NoMineEntry: 2n, NoReveal: 3n };
const coder = AbiCoder.defaultAbiCoder();

/** `commitmentOf(secret, entrant, epoch)`, computed here to check the contract's. */
function commitmentOf(secret: string, entrant: string, epoch: bigint): string {
  return keccak256(coder.encode(["bytes32", "address", "uint256"], [secret, entrant, epoch]));
}

/** A distinct secret per label. */
function secretOf(label: string): string {
  return ethers.id(`secret:${label}`);
}

/**
 * The default deployment, untouched: resource 1 ("gpu-second", 100 free units a day per agent) is the
 * lottery's mining resource and the lottery its meter from the Ignition module (ignition/modules/
 * BlockLottery.ts), so every test below mines, stakes, burns and wins on the deployment as it ships.
 * Every agent approves the lottery. Starts at the beginning of a fresh lottery epoch.
 */
async function lotteryFixture() {
  const f = await deployMarketFixture(connection);
  const lottery = f.blockLottery;
  const address = await lottery.getAddress();
  for (const agent of [...f.agents, f.outsider]) {
    await f.token.connect(agent).approve(address, ethers.MaxUint256);
  }
  const epoch = (await lottery.currentEpoch()) + 1n;
  await time.increaseTo(await lottery.epochStart(epoch));
  const duration = await lottery.EPOCH_DURATION();
  const revealWindow = await lottery.REVEAL_WINDOW();
  const claimPeriod = await lottery.CLAIM_PERIOD();
  /** Commits `label`'s secret for the current epoch as `signer`. */
  async function commit(signer: HardhatEthersSigner, label = signer.address) {
    const e = await lottery.currentEpoch();
    await lottery.connect(signer).commit(commitmentOf(secretOf(label), signer.address, e));
  }
  /** Moves to the first second of `e`'s reveal window. */
  async function toReveal(e: bigint) {
    await time.increaseTo(await lottery.epochStart(e + 1n));
  }
  /** Moves to the first second `e` may be drawn. */
  async function toDraw(e: bigint) {
    await time.increaseTo((await lottery.epochStart(e + 1n)) + revealWindow);
  }
  /** The lottery's CIV: stake not withdrawn + bonds held + rewards held, summed from its views. */
  async function owed(epochs: bigint[], accounts: HardhatEthersSigner[]) {
    let sum = 0n;
    for (const e of epochs) {
      const info = await lottery.epochInfo(e);
      sum += info.bondsHeld + info.reward;
      for (const a of accounts) sum += (await lottery.ticketOf(e, a.address)).staked;
    }
    return sum;
  }
  return {
    ...f,
    lottery,
    address,
    epoch,
    duration,
    revealWindow,
    claimPeriod,
    commit,
    toReveal,
    toDraw,
    owed,
  };
}

/**
 * Moves the chain so that the next transaction is mined exactly at `timestamp`, however long the test takes
 * to send it (a block at `timestamp - 1` for calls and gas estimation, then the next block's time pinned).
 */
async function at(timestamp: bigint) {
  await time.increaseTo(timestamp - 1n);
  await time.setNextBlockTimestamp(timestamp);
}

type Fixture = Awaited<ReturnType<typeof lotteryFixture>>;

/** The seed the contract derives from `reveals` (label, revealer) for `epoch`, and its draw point. */
function seedOf(f: Fixture, epoch: bigint, reveals: [string, string][]): bigint {
  let mix = 0n;
  for (const [label, account] of reveals) {
    mix ^= BigInt(keccak256(coder.encode(["bytes32", "address"], [secretOf(label), account])));
  }
  const mixHex = "0x" + mix.toString(16).padStart(64, "0");
  return BigInt(keccak256(coder.encode(["bytes32", "uint256", "address"], [mixHex, epoch, f.address])));
}

describe("BlockLottery", function () {
  // The first fixture deploys the whole protocol with Ignition: slow on a loaded machine.
  this.timeout(600_000);

  describe("deployment and governance settings", function () {
    it("is deployed with the Ignition defaults, its roles with the timelock and its budget set", async function () {
      const f = await loadFixture(lotteryFixture);
      expect(await f.lottery.EPOCH_DURATION()).to.equal(DAY);
      expect(await f.lottery.REVEAL_WINDOW()).to.equal(HOUR);
      expect(await f.lottery.CLAIM_PERIOD()).to.equal(7n * DAY);
      expect(await f.lottery.epochReward()).to.equal(100n * CIV);
      expect(await f.lottery.mineWeightPerUnit()).to.equal(CIV / 1_000n);
      expect(await f.lottery.burnDecayBps()).to.equal(9_000n);
      expect(await f.lottery.revealBond()).to.equal(CIV);
      expect(await f.lottery.minEntryWeight()).to.equal(CIV / 1_000n);
      expect(await f.lottery.hasRole(PARAMETER_ROLE, await f.timelock.getAddress())).to.equal(true);
      expect(await f.treasury.budgetOf(f.address, f.token)).to.equal(36_500n * CIV);
      expect(await f.token.isProtocolAccount(f.address)).to.equal(true);
      // Mining is on by default: the genesis resource, metered by the lottery (so an epoch can be won).
      expect(await f.lottery.mineResourceId()).to.equal(GPU);
      expect(await f.resourceLedger.isMeter(GPU, f.address)).to.equal(true);
      expect(await f.resourceLedger.isActive(GPU)).to.equal(true);
    });

    it("refuses construction settings outside their bounds, naming them", async function () {
      const f = await loadFixture(lotteryFixture);
      const args = (epoch: bigint, reveal: bigint, claim: bigint) =>
        [
          f.deployer.address,
          f.token,
          f.treasury,
          f.resourceLedger,
          epoch,
          reveal,
          claim,
          [0n, 0n, 1n, 0n, CIV, 1n] as bigint[],
        ] as const;
      const Factory = await ethers.getContractFactory("BlockLottery");
      await expect(Factory.deploy(...args(HOUR - 1n, HOUR, DAY)))
        .to.be.revertedWithCustomError(f.lottery, "LotteryConfigOutOfBounds")
        .withArgs(HOUR - 1n, HOUR, 30n * DAY);
      await expect(Factory.deploy(...args(DAY, 7n * DAY + 1n, DAY)))
        .to.be.revertedWithCustomError(f.lottery, "LotteryConfigOutOfBounds")
        .withArgs(7n * DAY + 1n, 600n, 7n * DAY);
      await expect(Factory.deploy(...args(DAY, HOUR, 90n * DAY + 1n)))
        .to.be.revertedWithCustomError(f.lottery, "LotteryConfigOutOfBounds")
        .withArgs(90n * DAY + 1n, DAY, 90n * DAY);
      await expect(
        Factory.deploy(ZeroAddress, f.token, f.treasury, f.resourceLedger, DAY, HOUR, DAY, [
          0n,
          0n,
          1n,
          0n,
          CIV,
          1n,
        ]),
      ).to.be.revertedWithCustomError(f.lottery, "LotteryZeroAddress");
      // At the bounds it deploys.
      await Factory.deploy(...args(30n * DAY, 600n, 90n * DAY));
    });

    const settings = [
      {
        setter: "setEpochReward",
        getter: "epochReward",
        event: "EpochRewardUpdated",
        min: 0n,
        max: 100_000n * CIV,
      },
      {
        setter: "setMineWeightPerUnit",
        getter: "mineWeightPerUnit",
        event: "MineWeightPerUnitUpdated",
        min: 1n,
        max: 1_000n * CIV,
      },
      {
        setter: "setBurnDecayBps",
        getter: "burnDecayBps",
        event: "BurnDecayBpsUpdated",
        min: 0n,
        max: 9_900n,
      },
      {
        setter: "setRevealBond",
        getter: "revealBond",
        event: "RevealBondUpdated",
        min: CIV / 1_000n,
        max: 10_000n * CIV,
      },
      {
        setter: "setMinEntryWeight",
        getter: "minEntryWeight",
        event: "MinEntryWeightUpdated",
        min: 1n,
        max: 1_000n * CIV,
      },
    ] as const;
    for (const s of settings) {
      it(`${s.setter}: governance only, within [min, max] exactly, emitting old and new`, async function () {
        const f = await loadFixture(lotteryFixture);
        const asGov = f.lottery.connect(f.asTimelock) as unknown as Record<
          string,
          (v: bigint) => Promise<unknown>
        >;
        const asAlice = f.lottery.connect(f.alice) as unknown as Record<
          string,
          (v: bigint) => Promise<unknown>
        >;
        const read = f.lottery as unknown as Record<string, () => Promise<bigint>>;
        await expect(asAlice[s.setter](s.max))
          .to.be.revertedWithCustomError(f.lottery, "AccessControlUnauthorizedAccount")
          .withArgs(f.alice.address, PARAMETER_ROLE);
        await expect(asGov[s.setter](s.max + 1n))
          .to.be.revertedWithCustomError(f.lottery, "LotterySettingOutOfBounds")
          .withArgs(s.max + 1n, s.min, s.max);
        if (s.min > 0n) {
          await expect(asGov[s.setter](s.min - 1n))
            .to.be.revertedWithCustomError(f.lottery, "LotterySettingOutOfBounds")
            .withArgs(s.min - 1n, s.min, s.max);
        }
        const old = await read[s.getter]();
        await expect(asGov[s.setter](s.max)).to.emit(f.lottery, s.event).withArgs(old, s.max);
        await expect(asGov[s.setter](s.min)).to.emit(f.lottery, s.event).withArgs(s.max, s.min);
        expect(await read[s.getter]()).to.equal(s.min);
      });
    }

    it("setMineResource: governance only, an active resource or 0", async function () {
      const f = await loadFixture(lotteryFixture);
      await expect(f.lottery.connect(f.alice).setMineResource(0n))
        .to.be.revertedWithCustomError(f.lottery, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, PARAMETER_ROLE);
      const unknown = (await f.resourceLedger.resourceCount()) + 1n;
      await expect(f.lottery.connect(f.asTimelock).setMineResource(unknown))
        .to.be.revertedWithCustomError(f.lottery, "LotteryMiningUnavailable")
        .withArgs(unknown);
      await expect(f.lottery.connect(f.asTimelock).setMineResource(0n))
        .to.emit(f.lottery, "MineResourceUpdated")
        .withArgs(GPU, 0n);
      await expect(f.lottery.connect(f.alice).mine(1n))
        .to.be.revertedWithCustomError(f.lottery, "LotteryMiningUnavailable")
        .withArgs(0n);
    });
  });

  describe("entries", function () {
    it("mine meters the resource and weighs units * mineWeightPerUnit", async function () {
      const f = await loadFixture(lotteryFixture);
      const weight = 50n * (CIV / 1_000n);
      const allowance = await f.resourceLedger.allowanceOf(GPU, f.alice.address);
      await expect(f.lottery.connect(f.alice).mine(50n))
        .to.emit(f.lottery, "Entered")
        .withArgs(f.epoch, f.alice.address, KIND.Mine, 50n, weight, weight, weight)
        .and.to.emit(f.resourceLedger, "UsageRecorded");
      expect(await f.resourceLedger.allowanceOf(GPU, f.alice.address)).to.equal(allowance - 50n);
      const info = await f.lottery.epochInfo(f.epoch);
      expect([info.totalWeight, info.mineWeight, info.entryCount]).to.deep.equal([weight, weight, 1n]);
    });

    it("mine refuses zero units, and usage the ledger refuses (no allowance, no credits)", async function () {
      const f = await loadFixture(lotteryFixture);
      await expect(f.lottery.connect(f.alice).mine(0n)).to.be.revertedWithCustomError(
        f.lottery,
        "LotteryZeroAmount",
      );
      // The outsider has no agent: no free allowance and no credits.
      await expect(f.lottery.connect(f.outsider).mine(1n))
        .to.be.revertedWithCustomError(f.lottery, "LotteryMineRefused")
        .withArgs(GPU, f.outsider.address, 1n);
      // One unit beyond alice's free allowance (she holds no credits) is refused.
      const over = (await f.resourceLedger.allowanceOf(GPU, f.alice.address)) + 1n;
      await expect(f.lottery.connect(f.alice).mine(over))
        .to.be.revertedWithCustomError(f.lottery, "LotteryMineRefused")
        .withArgs(GPU, f.alice.address, over);
    });

    it("stake weighs the part of the epoch still ahead, exactly at the first and last second", async function () {
      const f = await loadFixture(lotteryFixture);
      const start = await f.lottery.epochStart(f.epoch);
      await at(start + 2n);
      const amount = 100n * CIV;
      const first = (amount * (f.duration - 2n)) / f.duration;
      await expect(f.lottery.connect(f.alice).stake(amount))
        .to.emit(f.lottery, "Entered")
        .withArgs(f.epoch, f.alice.address, KIND.Stake, amount, first, first, 0n);
      await at(start + f.duration - 1n);
      const last = amount / f.duration;
      await expect(f.lottery.connect(f.bob).stake(amount))
        .to.emit(f.lottery, "Entered")
        .withArgs(f.epoch, f.bob.address, KIND.Stake, amount, last, first + last, 0n);
      expect(await f.token.balanceOf(f.address)).to.equal(2n * amount);
    });

    it("refuses a stake whose weight rounds below minEntryWeight (dust), and zero", async function () {
      const f = await loadFixture(lotteryFixture);
      const start = await f.lottery.epochStart(f.epoch);
      await expect(f.lottery.connect(f.alice).stake(0n)).to.be.revertedWithCustomError(
        f.lottery,
        "LotteryZeroAmount",
      );
      // In the last second a stake weighs amount / EPOCH_DURATION: 86.4 CIV weighs exactly 0.001 CIV.
      const minWeight = CIV / 1_000n;
      await at(start + f.duration - 1n);
      await expect(f.lottery.connect(f.alice).stake(minWeight * f.duration - 1n))
        .to.be.revertedWithCustomError(f.lottery, "LotteryWeightTooSmall")
        .withArgs(minWeight - 1n, minWeight);
      await expect(f.lottery.connect(f.alice).stake(minWeight * f.duration))
        .to.emit(f.lottery, "Entered")
        .withArgs(f.epoch, f.alice.address, KIND.Stake, minWeight * f.duration, minWeight, minWeight, 0n);
    });

    it("stake is locked until the epoch ends, then withdrawn once, untaxed", async function () {
      const f = await loadFixture(lotteryFixture);
      await f.lottery.connect(f.alice).stake(100n * CIV);
      const end = await f.lottery.epochStart(f.epoch + 1n);
      await at(end - 1n);
      await expect(f.lottery.connect(f.alice).withdrawStake(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryOutsideWindow")
        .withArgs(f.epoch, end - 1n, end, ethers.MaxUint256);
      await at(end);
      {
        const tx = f.lottery.connect(f.alice).withdrawStake(f.epoch);
        await expect(tx)
          .to.emit(f.lottery, "StakeWithdrawn")
          .withArgs(f.epoch, f.alice.address, 100n * CIV);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.alice, f.lottery],
          [100n * CIV, -100n * CIV],
        );
      }
      await expect(f.lottery.connect(f.alice).withdrawStake(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNothingToWithdraw")
        .withArgs(f.epoch, f.alice.address);
    });

    it("burn destroys CIV into a score that keeps burnDecayBps per epoch, entered once per epoch", async function () {
      const f = await loadFixture(lotteryFixture);
      const supply = await f.token.totalSupply();
      await expect(f.lottery.connect(f.alice).burn(10n * CIV))
        .to.emit(f.lottery, "Burned")
        .withArgs(f.alice.address, f.epoch, 10n * CIV, 10n * CIV)
        .and.to.emit(f.lottery, "Entered")
        .withArgs(f.epoch, f.alice.address, KIND.Burn, 10n * CIV, 10n * CIV, 10n * CIV, 0n);
      expect(await f.token.totalSupply()).to.equal(supply - 10n * CIV);
      expect(await f.token.balanceOf(f.address)).to.equal(0n);
      // A second burn in the same epoch enters with the amount only (the score was entered already).
      await expect(f.lottery.connect(f.alice).burn(CIV))
        .to.emit(f.lottery, "Entered")
        .withArgs(f.epoch, f.alice.address, KIND.Burn, CIV, CIV, 11n * CIV, 0n);
      await expect(f.lottery.connect(f.alice).enterBurn())
        .to.be.revertedWithCustomError(f.lottery, "LotteryBurnAlreadyEntered")
        .withArgs(f.epoch, f.alice.address);
      // Two epochs later the score is 11 CIV * 0.9^2 = 8.91 CIV.
      await time.increaseTo(await f.lottery.epochStart(f.epoch + 2n));
      expect(await f.lottery.burnScoreOf(f.alice.address)).to.equal((11n * CIV * 81n) / 100n);
      await expect(f.lottery.connect(f.alice).enterBurn())
        .to.emit(f.lottery, "Entered")
        .withArgs(
          f.epoch + 2n,
          f.alice.address,
          KIND.Burn,
          (11n * CIV * 81n) / 100n,
          (11n * CIV * 81n) / 100n,
          (11n * CIV * 81n) / 100n,
          0n,
        );
    });

    it("a burn score fades to nothing and can no longer enter (weights never round to a free entry)", async function () {
      const f = await loadFixture(lotteryFixture);
      await f.lottery.connect(f.asTimelock).setBurnDecayBps(0n);
      await f.lottery.connect(f.alice).burn(CIV);
      await time.increaseTo(await f.lottery.epochStart(f.epoch + 1n));
      expect(await f.lottery.burnScoreOf(f.alice.address)).to.equal(0n);
      await expect(f.lottery.connect(f.alice).enterBurn())
        .to.be.revertedWithCustomError(f.lottery, "LotteryWeightTooSmall")
        .withArgs(0n, CIV / 1_000n);
      await expect(f.lottery.connect(f.bob).enterBurn())
        .to.be.revertedWithCustomError(f.lottery, "LotteryWeightTooSmall")
        .withArgs(0n, CIV / 1_000n);
    });
  });

  describe("commit and reveal", function () {
    it("commit needs an entry, a non-zero commitment, once per epoch, and locks the bond", async function () {
      const f = await loadFixture(lotteryFixture);
      const c = commitmentOf(secretOf("a"), f.alice.address, f.epoch);
      expect(await f.lottery.commitmentOf(secretOf("a"), f.alice.address, f.epoch)).to.equal(c);
      await expect(f.lottery.connect(f.alice).commit(c))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNotEntered")
        .withArgs(f.epoch, f.alice.address);
      await f.lottery.connect(f.alice).mine(10n);
      await expect(f.lottery.connect(f.alice).commit(ZeroHash)).to.be.revertedWithCustomError(
        f.lottery,
        "LotteryZeroCommitment",
      );
      {
        const tx = f.lottery.connect(f.alice).commit(c);
        await expect(tx).to.emit(f.lottery, "Committed").withArgs(f.epoch, f.alice.address, c, CIV);
        await expect(tx).to.changeTokenBalances(ethers, f.token, [f.alice, f.lottery], [-CIV, CIV]);
      }
      await expect(f.lottery.connect(f.alice).commit(c))
        .to.be.revertedWithCustomError(f.lottery, "LotteryAlreadyCommitted")
        .withArgs(f.epoch, f.alice.address);
    });

    it("reveal only inside the reveal window, exactly at both ends, with the committed secret", async function () {
      const f = await loadFixture(lotteryFixture);
      await f.lottery.connect(f.alice).mine(10n);
      await f.lottery.connect(f.bob).mine(10n);
      await f.commit(f.alice, "a");
      await f.commit(f.bob, "b");
      const opensAt = await f.lottery.epochStart(f.epoch + 1n);
      const closesAt = opensAt + f.revealWindow - 1n;
      await at(opensAt - 1n);
      await expect(f.lottery.connect(f.alice).reveal(f.epoch, secretOf("a")))
        .to.be.revertedWithCustomError(f.lottery, "LotteryOutsideWindow")
        .withArgs(f.epoch, opensAt - 1n, opensAt, closesAt);
      await at(opensAt);
      const wrong = commitmentOf(secretOf("x"), f.alice.address, f.epoch);
      const right = commitmentOf(secretOf("a"), f.alice.address, f.epoch);
      await expect(f.lottery.connect(f.alice).reveal(f.epoch, secretOf("x")))
        .to.be.revertedWithCustomError(f.lottery, "LotteryBadReveal")
        .withArgs(f.epoch, f.alice.address, right, wrong);
      const revealed = f.lottery.connect(f.alice).reveal(f.epoch, secretOf("a"));
      await expect(revealed).to.emit(f.lottery, "Revealed");
      await expect(revealed).to.changeTokenBalances(ethers, f.token, [f.alice, f.lottery], [CIV, -CIV]);
      await expect(f.lottery.connect(f.alice).reveal(f.epoch, secretOf("a")))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNothingToReveal")
        .withArgs(f.epoch, f.alice.address);
      await expect(f.lottery.connect(f.carol).reveal(f.epoch, secretOf("a")))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNothingToReveal")
        .withArgs(f.epoch, f.carol.address);
      await at(closesAt + 1n);
      await expect(f.lottery.connect(f.bob).reveal(f.epoch, secretOf("b")))
        .to.be.revertedWithCustomError(f.lottery, "LotteryOutsideWindow")
        .withArgs(f.epoch, closesAt + 1n, opensAt, closesAt);
    });

    it("the last second of the window still reveals", async function () {
      const f = await loadFixture(lotteryFixture);
      await f.lottery.connect(f.alice).mine(10n);
      await f.commit(f.alice, "a");
      await at((await f.lottery.epochStart(f.epoch + 1n)) + f.revealWindow - 1n);
      await expect(f.lottery.connect(f.alice).reveal(f.epoch, secretOf("a"))).to.emit(f.lottery, "Revealed");
    });
  });

  describe("draw, claim and unclaimed rewards", function () {
    it("picks the entry holding seed % totalWeight, draws the reward from the Treasury budget", async function () {
      const f = await loadFixture(lotteryFixture);
      await f.lottery.connect(f.alice).mine(100n);
      await f.lottery.connect(f.bob).stake(200n * CIV);
      await f.lottery.connect(f.carol).burn(50n * CIV);
      for (const [s, l] of [
        [f.alice, "a"],
        [f.bob, "b"],
        [f.carol, "c"],
      ] as const)
        await f.commit(s, l);
      await f.toReveal(f.epoch);
      // Reveal order does not matter (XOR).
      await f.lottery.connect(f.carol).reveal(f.epoch, secretOf("c"));
      await f.lottery.connect(f.alice).reveal(f.epoch, secretOf("a"));
      await f.lottery.connect(f.bob).reveal(f.epoch, secretOf("b"));
      const info = await f.lottery.epochInfo(f.epoch);
      const seed = seedOf(f, f.epoch, [
        ["a", f.alice.address],
        ["b", f.bob.address],
        ["c", f.carol.address],
      ]);
      const winner = await f.lottery.entrantAt(f.epoch, seed % info.totalWeight);
      expect([f.alice.address, f.bob.address, f.carol.address]).to.include(winner);
      const openAt = (await f.lottery.epochStart(f.epoch + 1n)) + f.revealWindow;
      await at(openAt - 1n);
      await expect(f.lottery.draw(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryOutsideWindow")
        .withArgs(f.epoch, openAt - 1n, openAt, ethers.MaxUint256);
      await at(openAt);
      const budget = await f.treasury.budgetOf(f.address, f.token);
      const seedHex = "0x" + seed.toString(16).padStart(64, "0");
      const drawn = f.lottery.connect(f.dave).draw(f.epoch);
      await expect(drawn)
        .to.emit(f.lottery, "Drawn")
        .withArgs(
          f.epoch,
          OUTCOME.Won,
          winner,
          100n * CIV,
          seedHex,
          info.totalWeight,
          0n,
          openAt + f.claimPeriod,
        );
      await expect(drawn).to.changeTokenBalances(
        ethers,
        f.token,
        [f.treasury, f.lottery],
        [-100n * CIV, 100n * CIV],
      );
      expect(await f.treasury.budgetOf(f.address, f.token)).to.equal(budget - 100n * CIV);
      await expect(f.lottery.draw(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryAlreadyDrawn")
        .withArgs(f.epoch);
      // The winner claims as earnings (taxed); nobody else can.
      const loser = [f.alice, f.bob, f.carol].find((s) => s.address !== winner)!;
      await expect(f.lottery.connect(loser).claim(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNotWinner")
        .withArgs(f.epoch, loser.address, winner);
      const tax = taxOf(100n * CIV, await f.token.taxBps());
      const winnerSigner = await ethers.getSigner(winner);
      await at(openAt + f.claimPeriod);
      {
        const tx = f.lottery.connect(winnerSigner).claim(f.epoch);
        await expect(tx)
          .to.emit(f.lottery, "RewardClaimed")
          .withArgs(f.epoch, winner, 100n * CIV, tax, 0n);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [winnerSigner, f.lottery],
          [100n * CIV - tax, -100n * CIV],
        );
      }
      await expect(f.lottery.connect(winnerSigner).claim(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNoReward")
        .withArgs(f.epoch);
      // Only bob's stake remains.
      expect(await f.token.balanceOf(f.address)).to.equal(200n * CIV);
      expect(await f.owed([f.epoch], [f.alice, f.bob, f.carol])).to.equal(200n * CIV);
    });

    it("an unclaimed reward returns to the Treasury after the deadline, not before; no late claim", async function () {
      const f = await loadFixture(lotteryFixture);
      await f.lottery.connect(f.alice).mine(100n);
      await f.commit(f.alice, "a");
      await f.toReveal(f.epoch);
      await f.lottery.connect(f.alice).reveal(f.epoch, secretOf("a"));
      await f.toDraw(f.epoch);
      await f.lottery.draw(f.epoch);
      const { claimDeadline, winner } = await f.lottery.epochInfo(f.epoch);
      expect(winner).to.equal(f.alice.address);
      await expect(f.lottery.returnUnclaimed(f.epoch - 1n))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNotDrawn")
        .withArgs(f.epoch - 1n);
      await at(claimDeadline);
      await expect(f.lottery.connect(f.bob).returnUnclaimed(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryOutsideWindow")
        .withArgs(f.epoch, claimDeadline, claimDeadline + 1n, ethers.MaxUint256);
      await at(claimDeadline + 1n);
      await expect(f.lottery.connect(f.alice).claim(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryOutsideWindow")
        .withArgs(f.epoch, claimDeadline + 1n, 0n, claimDeadline);
      {
        const tx = f.lottery.connect(f.bob).returnUnclaimed(f.epoch);
        await expect(tx)
          .to.emit(f.lottery, "RewardReturned")
          .withArgs(f.epoch, 100n * CIV);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.token,
          [f.treasury, f.lottery],
          [100n * CIV, -100n * CIV],
        );
      }
      await expect(f.lottery.returnUnclaimed(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNoReward")
        .withArgs(f.epoch);
      expect(await f.token.balanceOf(f.address)).to.equal(0n);
    });

    it("void epochs: no entries, no mine entry (Slimcoin's rule), no reveal; unrevealed bonds go to the Treasury", async function () {
      const f = await loadFixture(lotteryFixture);
      const e0 = f.epoch;
      // e0: nobody. e1: stake and burn, revealed, but nobody mined. e2: mined, committed, not revealed.
      await time.increaseTo(await f.lottery.epochStart(e0 + 1n));
      await f.lottery.connect(f.alice).stake(100n * CIV);
      await f.lottery.connect(f.bob).burn(CIV);
      await f.commit(f.alice, "a");
      await f.toReveal(e0 + 1n);
      await f.lottery.connect(f.alice).reveal(e0 + 1n, secretOf("a"));
      await f.lottery.connect(f.carol).mine(10n);
      await f.commit(f.carol, "c");
      await f.toDraw(e0 + 2n);
      await expect(f.lottery.draw(e0))
        .to.emit(f.lottery, "Drawn")
        .withArgs(e0, OUTCOME.NoEntries, ZeroAddress, 0n, ZeroHash, 0n, 0n, 0n);
      const stakeAndBurn = (await f.lottery.epochInfo(e0 + 1n)).totalWeight;
      await expect(f.lottery.draw(e0 + 1n))
        .to.emit(f.lottery, "Drawn")
        .withArgs(e0 + 1n, OUTCOME.NoMineEntry, ZeroAddress, 0n, ZeroHash, stakeAndBurn, 0n, 0n);
      const weight = 10n * (CIV / 1_000n);
      {
        const tx = f.lottery.draw(e0 + 2n);
        await expect(tx)
          .to.emit(f.lottery, "Drawn")
          .withArgs(e0 + 2n, OUTCOME.NoReveal, ZeroAddress, 0n, ZeroHash, weight, CIV, 0n);
        await expect(tx).to.changeTokenBalances(ethers, f.token, [f.treasury, f.lottery], [CIV, -CIV]);
      }
      // The stake of the void epoch is still the staker's.
      await f.lottery.connect(f.alice).withdrawStake(e0 + 1n);
      expect(await f.token.balanceOf(f.address)).to.equal(0n);
    });

    it("the reward is limited to the lottery's Treasury budget, and zero with none", async function () {
      const f = await loadFixture(lotteryFixture);
      await f.treasury.connect(f.asTimelock).setBudget(f.address, f.token, 7n * CIV);
      await f.lottery.connect(f.alice).mine(100n);
      await f.commit(f.alice, "a");
      await f.toReveal(f.epoch);
      await f.lottery.connect(f.alice).reveal(f.epoch, secretOf("a"));
      await f.toDraw(f.epoch);
      await f.lottery.draw(f.epoch);
      expect((await f.lottery.epochInfo(f.epoch)).reward).to.equal(7n * CIV);
      // The next epoch finds the budget empty: won, but no reward to claim.
      const e = await f.lottery.currentEpoch();
      await f.lottery.connect(f.bob).mine(10n);
      await f.commit(f.bob, "b");
      await f.toReveal(e);
      await f.lottery.connect(f.bob).reveal(e, secretOf("b"));
      await f.toDraw(e);
      await f.lottery.draw(e);
      const info = await f.lottery.epochInfo(e);
      expect([info.outcome, info.winner, info.reward]).to.deep.equal([OUTCOME.Won, f.bob.address, 0n]);
      await expect(f.lottery.connect(f.bob).claim(e))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNoReward")
        .withArgs(e);
    });

    it("claim before the draw is refused", async function () {
      const f = await loadFixture(lotteryFixture);
      await expect(f.lottery.connect(f.alice).claim(f.epoch))
        .to.be.revertedWithCustomError(f.lottery, "LotteryNotDrawn")
        .withArgs(f.epoch);
    });
  });

  describe("attacks: one person with many wallets", function () {
    it("splitting a stake over many wallets buys no weight (it only loses rounding)", async function () {
      const f = await loadFixture(lotteryFixture);
      const wallets = (await ethers.getSigners()).slice(43, 47); // LOTTERY's accounts (SEAMS.md)
      const total = 400n * CIV + 3n;
      const start = await f.lottery.epochStart(f.epoch);
      for (const w of wallets) {
        await networkHelpers.setBalance(w.address, 10n ** 20n);
        await f.token.connect(f.asTimelock).mint(w.address, total);
        await f.token.connect(w).approve(f.address, ethers.MaxUint256);
      }
      let split = 0n;
      for (const [i, w] of wallets.entries()) {
        await at(start + 1_000n + BigInt(i));
        await f.lottery.connect(w).stake(total / 4n + (i === 0 ? total % 4n : 0n));
        split += (await f.lottery.ticketOf(f.epoch, w.address)).weight;
      }
      // One wallet staking the whole amount at the first of those seconds weighs at least as much.
      const whole = (total * (f.duration - 1_000n)) / f.duration;
      expect(split <= whole).to.equal(true);
    });

    it("a thousand-wallet adversary pays one minEntryWeight and one bond per wallet; dust entries are refused", async function () {
      const f = await loadFixture(lotteryFixture);
      const wallets = (await ethers.getSigners()).slice(43, 47);
      await f.lottery.connect(f.asTimelock).setMinEntryWeight(CIV);
      for (const w of wallets) {
        await networkHelpers.setBalance(w.address, 10n ** 20n);
        await f.token.connect(f.asTimelock).mint(w.address, 10n * CIV);
        await f.token.connect(w).approve(f.address, ethers.MaxUint256);
        await expect(f.lottery.connect(w).burn(CIV - 1n))
          .to.be.revertedWithCustomError(f.lottery, "LotteryWeightTooSmall")
          .withArgs(CIV - 1n, CIV);
        await expect(f.lottery.connect(w).commit(commitmentOf(secretOf(w.address), w.address, f.epoch)))
          .to.be.revertedWithCustomError(f.lottery, "LotteryNotEntered")
          .withArgs(f.epoch, w.address);
      }
    });

    it("withholding a reveal costs the bond, which goes to the Treasury at the draw", async function () {
      const f = await loadFixture(lotteryFixture);
      await f.lottery.connect(f.alice).mine(100n);
      await f.lottery.connect(f.bob).mine(100n);
      await f.commit(f.alice, "a");
      await f.commit(f.bob, "b");
      await f.toReveal(f.epoch);
      await f.lottery.connect(f.alice).reveal(f.epoch, secretOf("a"));
      // Bob sees alice's secret and withholds his: the seed is alice's alone, and bob's bond is lost.
      const seed = seedOf(f, f.epoch, [["a", f.alice.address]]);
      const openAt = (await f.lottery.epochStart(f.epoch + 1n)) + f.revealWindow;
      const info = await f.lottery.epochInfo(f.epoch);
      const winner = await f.lottery.entrantAt(f.epoch, seed % info.totalWeight);
      await at(openAt);
      await expect(f.lottery.draw(f.epoch))
        .to.emit(f.lottery, "Drawn")
        .withArgs(
          f.epoch,
          OUTCOME.Won,
          winner,
          100n * CIV,
          "0x" + seed.toString(16).padStart(64, "0"),
          info.totalWeight,
          CIV,
          openAt + f.claimPeriod,
        );
      expect((await f.lottery.ticketOf(f.epoch, f.bob.address)).bond).to.equal(CIV);
      expect((await f.lottery.epochInfo(f.epoch)).bondsHeld).to.equal(0n);
    });

    it("copying another entrant's commitment does not let the copier reveal it", async function () {
      const f = await loadFixture(lotteryFixture);
      await f.lottery.connect(f.alice).mine(10n);
      await f.lottery.connect(f.bob).mine(10n);
      const aliceCommitment = commitmentOf(secretOf("a"), f.alice.address, f.epoch);
      await f.lottery.connect(f.alice).commit(aliceCommitment);
      await f.lottery.connect(f.bob).commit(aliceCommitment);
      await f.toReveal(f.epoch);
      await f.lottery.connect(f.alice).reveal(f.epoch, secretOf("a"));
      await expect(f.lottery.connect(f.bob).reveal(f.epoch, secretOf("a")))
        .to.be.revertedWithCustomError(f.lottery, "LotteryBadReveal")
        .withArgs(
          f.epoch,
          f.bob.address,
          aliceCommitment,
          commitmentOf(secretOf("a"), f.bob.address, f.epoch),
        );
    });

    it("many entries: the winner's search is exact at every boundary", async function () {
      const f = await loadFixture(lotteryFixture);
      const entrants = [f.alice, f.bob, f.carol, f.dave, f.erin, f.frank, f.grace, f.heidi];
      const ends: bigint[] = [];
      for (let round = 0; round < 3; round++) {
        for (const [i, a] of entrants.entries()) {
          await f.lottery.connect(a).mine(BigInt(i + 1 + round));
          ends.push((await f.lottery.epochInfo(f.epoch)).totalWeight);
        }
      }
      let begin = 0n;
      for (const [i, end] of ends.entries()) {
        const who = entrants[i % entrants.length].address;
        expect(await f.lottery.entrantAt(f.epoch, begin)).to.equal(who);
        expect(await f.lottery.entrantAt(f.epoch, end - 1n)).to.equal(who);
        begin = end;
      }
      expect(await f.lottery.entrantAt(f.epoch, begin)).to.equal(ZeroAddress);
      expect(await f.lottery.entrantAt(f.epoch + 1n, 0n)).to.equal(ZeroAddress);
    });
  });
});
