import { expect } from "chai";
import { network } from "hardhat";
import { CIV, deployFoundation } from "../helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

async function fixture() {
  const base = await deployFoundation(ethers);
  const [, , , , , , spender] = await ethers.getSigners();
  return { ...base, spender };
}

describe("Treasury", function () {
  it("refuses a zero admin", async function () {
    const { treasury } = await loadFixture(fixture);
    await expect(ethers.deployContract("Treasury", [ethers.ZeroAddress])).to.be.revertedWithCustomError(
      treasury,
      "TreasuryZeroAddress",
    );
  });

  describe("transfer", function () {
    it("lets governance move funds, untaxed, with an event", async function () {
      const { token, treasury, outsider } = await loadFixture(fixture);
      const tx = treasury.transfer(token, outsider, 250n * CIV);
      await expect(tx).to.changeTokenBalances(ethers, token, [treasury, outsider], [-250n * CIV, 250n * CIV]);
      await expect(tx)
        .to.emit(treasury, "FundsTransferred")
        .withArgs(await token.getAddress(), outsider.address, 250n * CIV);
    });

    it("is reserved to the admin role", async function () {
      const { token, treasury, outsider } = await loadFixture(fixture);
      await expect(treasury.connect(outsider).transfer(token, outsider, 1n))
        .to.be.revertedWithCustomError(treasury, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ethers.ZeroHash);
    });

    it("refuses the zero recipient", async function () {
      const { token, treasury } = await loadFixture(fixture);
      await expect(treasury.transfer(token, ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(
        treasury,
        "TreasuryZeroAddress",
      );
    });
  });

  describe("budgets", function () {
    it("sets a budget with old and new values", async function () {
      const { token, treasury, spender } = await loadFixture(fixture);
      await expect(treasury.setBudget(spender, token, 1_000n * CIV))
        .to.emit(treasury, "BudgetSet")
        .withArgs(spender.address, await token.getAddress(), 0n, 1_000n * CIV);
      await expect(treasury.setBudget(spender, token, 10n))
        .to.emit(treasury, "BudgetSet")
        .withArgs(spender.address, await token.getAddress(), 1_000n * CIV, 10n);
      expect(await treasury.budgetOf(spender, token)).to.equal(10n);
    });

    it("lets a spender draw within its budget", async function () {
      const { token, treasury, spender, outsider } = await loadFixture(fixture);
      await treasury.setBudget(spender, token, 1_000n * CIV);
      const tx = treasury.connect(spender).draw(token, outsider, 400n * CIV);
      await expect(tx).to.changeTokenBalances(ethers, token, [treasury, outsider], [-400n * CIV, 400n * CIV]);
      await expect(tx)
        .to.emit(treasury, "BudgetDrawn")
        .withArgs(spender.address, await token.getAddress(), outsider.address, 400n * CIV, 600n * CIV);
      expect(await treasury.budgetOf(spender, token)).to.equal(600n * CIV);
    });

    it("refuses a draw beyond the budget with requested and available", async function () {
      const { token, treasury, spender, outsider } = await loadFixture(fixture);
      await treasury.setBudget(spender, token, 100n);
      await expect(treasury.connect(spender).draw(token, outsider, 101n))
        .to.be.revertedWithCustomError(treasury, "TreasuryBudgetExceeded")
        .withArgs(spender.address, await token.getAddress(), 101n, 100n);
    });

    it("gives nobody without a budget anything", async function () {
      const { token, treasury, outsider } = await loadFixture(fixture);
      await expect(treasury.connect(outsider).draw(token, outsider, 1n))
        .to.be.revertedWithCustomError(treasury, "TreasuryBudgetExceeded")
        .withArgs(outsider.address, await token.getAddress(), 1n, 0n);
    });

    it("refuses a zero spender, token or recipient", async function () {
      const { token, treasury, spender } = await loadFixture(fixture);
      await expect(treasury.setBudget(ethers.ZeroAddress, token, 1n)).to.be.revertedWithCustomError(
        treasury,
        "TreasuryZeroAddress",
      );
      await expect(treasury.setBudget(spender, ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(
        treasury,
        "TreasuryZeroAddress",
      );
      await treasury.setBudget(spender, token, 1n);
      await expect(
        treasury.connect(spender).draw(token, ethers.ZeroAddress, 1n),
      ).to.be.revertedWithCustomError(treasury, "TreasuryZeroAddress");
    });

    it("reserves budgets to the admin role", async function () {
      const { token, treasury, outsider } = await loadFixture(fixture);
      await expect(treasury.connect(outsider).setBudget(outsider, token, 1n))
        .to.be.revertedWithCustomError(treasury, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ethers.ZeroHash);
    });
  });
});
