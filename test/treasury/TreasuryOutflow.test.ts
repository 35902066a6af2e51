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
});
