import { expect } from "chai";
import { network } from "hardhat";
import { CIV, deployFoundation } from "../helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const WINDOW = 30n * 86_400n;

/**
 * The foundation (four agents paid 10,000 CIV each: 40,000 CIV already in the window), a spender, and the
 * outsider marked as a protocol account, so that the wealth cap sends nothing back to the Treasury.
 */
async function fixture() {
  const base = await deployFoundation(ethers);
  const [, , , , , , spender] = await ethers.getSigners();
  await base.token.setProtocolAccount(base.outsider, true);
  return { ...base, spender };
}

describe("Treasury outflow window", function () {
  it("has a 10% share per rolling 30 days, as constants", async function () {
    const { treasury } = await loadFixture(fixture);
    expect(await treasury.MAX_OUTFLOW_BPS()).to.equal(1_000n);
    expect(await treasury.OUTFLOW_WINDOW()).to.equal(WINDOW);
  });

  it("counts what was paid in the window and allows the rest of 10% of the balance it started from", async function () {
    const { token, treasury } = await loadFixture(fixture);
    const balance = await token.balanceOf(treasury);
    const paid = 40_000n * CIV;
    expect(await treasury.outflowInWindow(token)).to.equal(paid);
    expect(await treasury.outflowAvailable(token)).to.equal(((balance + paid) * 1_000n) / 10_000n - paid);
  });

  it("pays exactly what is available and refuses one wei more, with the amounts", async function () {
    const { token, treasury, outsider } = await loadFixture(fixture);
    const available = await treasury.outflowAvailable(token);
    await expect(treasury.transfer(token, outsider, available + 1n))
      .to.be.revertedWithCustomError(treasury, "TreasuryOutflowExceeded")
      .withArgs(await token.getAddress(), available + 1n, available);
    await treasury.transfer(token, outsider, available);
    expect(await treasury.outflowAvailable(token)).to.equal(0n);
    await expect(treasury.transfer(token, outsider, 1n))
      .to.be.revertedWithCustomError(treasury, "TreasuryOutflowExceeded")
      .withArgs(await token.getAddress(), 1n, 0n);
  });

  it("counts budget draws by protocol contracts like transfers", async function () {
    const { token, treasury, spender, outsider } = await loadFixture(fixture);
    const available = await treasury.outflowAvailable(token);
    await treasury.setBudget(spender, token, available + 1n);
    await expect(treasury.connect(spender).draw(token, outsider, available + 1n))
      .to.be.revertedWithCustomError(treasury, "TreasuryOutflowExceeded")
      .withArgs(await token.getAddress(), available + 1n, available);
    await treasury.connect(spender).draw(token, outsider, available);
    await expect(treasury.transfer(token, outsider, 1n))
      .to.be.revertedWithCustomError(treasury, "TreasuryOutflowExceeded")
      .withArgs(await token.getAddress(), 1n, 0n);
  });

  it("frees a payment's share exactly 30 days after it", async function () {
    const { token, treasury, outsider } = await loadFixture(fixture);
    const available = await treasury.outflowAvailable(token);
    await treasury.transfer(token, outsider, available);
    const paidAt = BigInt(await time.latest());
    // The fixture's four payments are a few seconds older: they have left the window, this one has not.
    await time.increaseTo(paidAt + WINDOW - 1n);
    expect(await treasury.outflowInWindow(token)).to.equal(available);
    // At paidAt + 30 days it has left too.
    await time.increaseTo(paidAt + WINDOW);
    expect(await treasury.outflowInWindow(token)).to.equal(0n);
    const balance = await token.balanceOf(treasury);
    expect(await treasury.outflowAvailable(token)).to.equal((balance * 1_000n) / 10_000n);
  });

  it("keeps each token's window separate", async function () {
    const { token, treasury, outsider } = await loadFixture(fixture);
    const other = await ethers.deployContract("PlainToken", [await treasury.getAddress(), 1_000n * CIV]);
    await treasury.transfer(token, outsider, await treasury.outflowAvailable(token));
    expect(await treasury.outflowAvailable(other)).to.equal(100n * CIV);
    await treasury.transfer(other, outsider, 100n * CIV);
  });

  describe("against many payments (a draw's gas must not grow with other people's draws)", function () {
    /** Draws `count` payments of 1 wei each, one per block, through the spender's budget. */
    async function drawMany(f: Awaited<ReturnType<typeof fixture>>, count: number) {
      for (let i = 0; i < count; i++) await f.treasury.connect(f.spender).draw(f.token, f.outsider, 1n);
    }

    it("costs the same gas to draw with 1 and with 200 payments in the window", async function () {
      const f = await loadFixture(fixture);
      const { token, treasury, spender, outsider } = f;
      await treasury.setBudget(spender, token, 1_000n * CIV);
      await treasury.connect(spender).draw(token, outsider, 1n);
      const first = await (await treasury.connect(spender).draw(token, outsider, CIV)).wait();
      await drawMany(f, 200);
      expect(await treasury.outflowInWindow(token)).to.equal(40_000n * CIV + CIV + 201n);
      const later = await (await treasury.connect(spender).draw(token, outsider, CIV)).wait();
      // Before the running sum, each payment in the window added a storage read (~2,100 gas): +420,000 here.
      expect(later!.gasUsed).to.equal(first!.gasUsed);
    });

    it("retires at most 64 payments a call, counting the rest until anyone retires them", async function () {
      const f = await loadFixture(fixture);
      const { token, treasury, spender, outsider } = f;
      await treasury.setBudget(spender, token, 1_000n * CIV);
      expect(await treasury.MAX_EXPIRIES_PER_CALL()).to.equal(64n);
      await drawMany(f, 100);
      await time.increaseTo(BigInt(await time.latest()) + WINDOW);
      // The fixture's 4 payments and 100 draws have all left the window: the first 64 are retired in the
      // count, the other 40 draws (1 wei each) are still counted, on the safe side.
      expect(await treasury.outflowInWindow(token)).to.equal(40n);
      // Anyone may retire them: an outsider, in two calls.
      const retire = treasury.connect(outsider);
      expect(await retire.expireOutflows.staticCall(token, 30n)).to.equal(30n);
      await retire.expireOutflows(token, 30n);
      expect(await treasury.outflowInWindow(token)).to.equal(10n);
      expect(await retire.expireOutflows.staticCall(token, 1_000n)).to.equal(74n);
      await retire.expireOutflows(token, 1_000n);
      expect(await treasury.outflowInWindow(token)).to.equal(0n);
      expect(await retire.expireOutflows.staticCall(token, 1_000n)).to.equal(0n);
      const balance = await token.balanceOf(treasury);
      expect(await treasury.outflowAvailable(token)).to.equal((balance * 1_000n) / 10_000n);
    });

    it("retires nothing that is still in the window", async function () {
      const { token, treasury, spender, outsider } = await loadFixture(fixture);
      await treasury.setBudget(spender, token, 1_000n * CIV);
      const paid = await treasury.outflowInWindow(token);
      await treasury.connect(spender).draw(token, outsider, 5n);
      const paidAt = BigInt(await time.latest());
      await time.increaseTo(paidAt + WINDOW - 2n);
      // The fixture's payments are older and leave; the draw stays (its exact boundary is tested above).
      await treasury.connect(outsider).expireOutflows(token, 1_000n);
      expect(await treasury.outflowInWindow(token)).to.equal(5n);
      expect(paid).to.equal(40_000n * CIV);
    });
  });
});
