import { expect } from "chai";
import { network } from "hardhat";
import { CIV, deployFoundation, taxOf } from "../helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const GENESIS = 10_000_000n * CIV;
const DAY = 86_400n;

/** The smallest gross taxed payment whose net is exactly `net` wei at the token's current tax. */
async function grossFor(token: { taxBps(): Promise<bigint> }, net: bigint): Promise<bigint> {
  const taxBps = await token.taxBps();
  const netOf = (g: bigint) => g - (g * taxBps) / 10_000n;
  let gross = (net * 10_000n) / (10_000n - taxBps);
  while (netOf(gross) < net) gross += 1n;
  while (gross > 0n && netOf(gross - 1n) >= net) gross -= 1n;
  if (netOf(gross) !== net) throw new Error(`no gross pays exactly ${net} net`);
  return gross;
}

async function fixture() {
  const base = await deployFoundation(ethers);
  const ledger = await ethers.deployContract("MockStakeLedger");
  const [, , , , , , protocol] = await ethers.getSigners();
  return { ...base, ledger, protocol };
}

describe("CivitasToken", function () {
  describe("deployment", function () {
    it("mints 10,000,000 CIV to the Treasury with 18 decimals", async function () {
      const { token, treasury, agents } = await loadFixture(fixture);
      expect(await token.name()).to.equal("Civitas");
      expect(await token.symbol()).to.equal("CIV");
      expect(await token.decimals()).to.equal(18n);
      expect(await token.totalSupply()).to.equal(GENESIS);
      expect(await token.balanceOf(treasury)).to.equal(GENESIS - BigInt(agents.length) * 10_000n * CIV);
      expect(await token.treasury()).to.equal(await treasury.getAddress());
      expect(await token.isProtocolAccount(treasury)).to.equal(true);
    });

    it("uses a timestamp clock (ERC-6372)", async function () {
      const { token } = await loadFixture(fixture);
      expect(await token.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await token.clock()).to.equal(BigInt(await time.latest()));
    });

    it("starts with a 10% tax and a 5% cap", async function () {
      const { token } = await loadFixture(fixture);
      expect(await token.taxBps()).to.equal(1_000n);
      expect(await token.capBps()).to.equal(500n);
      expect(await token.wealthCap()).to.equal((GENESIS * 500n) / 10_000n);
    });

    it("refuses a zero admin or treasury", async function () {
      const { token, admin } = await loadFixture(fixture);
      await expect(ethers.deployContract("CivitasToken", [ethers.ZeroAddress, admin.address, 1_000n, 500n]))
        .to.be.revertedWithCustomError(token, "CivitasInvalidAccount")
        .withArgs(ethers.ZeroAddress);
      await expect(ethers.deployContract("CivitasToken", [admin.address, ethers.ZeroAddress, 1_000n, 500n]))
        .to.be.revertedWithCustomError(token, "CivitasInvalidAccount")
        .withArgs(ethers.ZeroAddress);
    });

    it("takes its tax and cap from the constructor, within the same bounds as the setters", async function () {
      const { token, admin, treasury } = await loadFixture(fixture);
      const deploy = (taxBps: bigint, capBps: bigint) =>
        ethers.deployContract("CivitasToken", [admin.address, treasury.target, taxBps, capBps]);
      await expect(deploy(2_001n, 500n))
        .to.be.revertedWithCustomError(token, "CivitasTaxTooHigh")
        .withArgs(2_001n, 2_000n);
      await expect(deploy(1_000n, 9n))
        .to.be.revertedWithCustomError(token, "CivitasCapOutOfBounds")
        .withArgs(9n, 10n, 5_000n);
      await expect(deploy(1_000n, 5_001n))
        .to.be.revertedWithCustomError(token, "CivitasCapOutOfBounds")
        .withArgs(5_001n, 10n, 5_000n);
      const edge = await deploy(2_000n, 10n);
      expect([await edge.taxBps(), await edge.capBps()]).to.deep.equal([2_000n, 10n]);
      const other = await deploy(0n, 5_000n);
      expect([await other.taxBps(), await other.capBps()]).to.deep.equal([0n, 5_000n]);
      const tx = other.deploymentTransaction()!;
      await expect(tx).to.emit(other, "TaxBpsUpdated").withArgs(0n, 0n);
      await expect(tx).to.emit(other, "CapBpsUpdated").withArgs(0n, 5_000n);
    });
  });

  describe("tax on agent-to-agent payments", function () {
    it("sends the tax to the Treasury and the net to the payee", async function () {
      const { token, treasury, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const gross = 1_000n * CIV;
      const tax = taxOf(gross, 1_000n);
      await expect(token.connect(alice).transfer(bob, gross)).to.changeTokenBalances(
        ethers,
        token,
        [alice, bob, treasury],
        [-gross, gross - tax, tax],
      );
    });

    it("emits the two legs and TaxCharged with gross and tax", async function () {
      const { token, treasury, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const gross = 1_234n * CIV;
      const tax = taxOf(gross, 1_000n);
      const tx = token.connect(alice).transfer(bob, gross);
      await expect(tx)
        .to.emit(token, "Transfer")
        .withArgs(alice.address, await treasury.getAddress(), tax);
      await expect(tx)
        .to.emit(token, "Transfer")
        .withArgs(alice.address, bob.address, gross - tax);
      await expect(tx).to.emit(token, "TaxCharged").withArgs(alice.address, bob.address, gross, tax);
    });

    it("rounds the tax down and conserves the amount", async function () {
      const { token, treasury, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const gross = 19n; // 10% of 19 wei is 1.9 wei: the tax is 1 wei, the payee gets 18.
      await expect(token.connect(alice).transfer(bob, gross)).to.changeTokenBalances(
        ethers,
        token,
        [alice, bob, treasury],
        [-19n, 18n, 1n],
      );
    });

    it("taxes transferFrom like transfer", async function () {
      const { token, treasury, agents } = await loadFixture(fixture);
      const [alice, bob, carol] = agents;
      await token.connect(alice).approve(carol, 100n * CIV);
      await expect(token.connect(carol).transferFrom(alice, bob, 100n * CIV)).to.changeTokenBalances(
        ethers,
        token,
        [alice, bob, treasury],
        [-100n * CIV, 90n * CIV, 10n * CIV],
      );
    });

    it("charges nothing when the tax is set to zero", async function () {
      const { token, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await token.setTaxBps(0n);
      await expect(token.connect(alice).transfer(bob, 5n * CIV))
        .to.emit(token, "TaxCharged")
        .withArgs(alice.address, bob.address, 5n * CIV, 0n);
    });
  });

  describe("protocol accounts", function () {
    it("takes deposits untaxed", async function () {
      const { token, agents, protocol } = await loadFixture(fixture);
      const [alice] = agents;
      await token.setProtocolAccount(protocol, true);
      const tx = token.connect(alice).transfer(protocol, 500n * CIV);
      await expect(tx).to.changeTokenBalances(ethers, token, [alice, protocol], [-500n * CIV, 500n * CIV]);
      await expect(tx).not.to.emit(token, "TaxCharged");
    });

    it("pays refunds untaxed", async function () {
      const { token, agents, protocol } = await loadFixture(fixture);
      const [alice] = agents;
      await token.setProtocolAccount(protocol, true);
      await token.connect(alice).transfer(protocol, 500n * CIV);
      await expect(token.connect(protocol).transfer(alice, 500n * CIV)).to.changeTokenBalances(
        ethers,
        token,
        [protocol, alice],
        [-500n * CIV, 500n * CIV],
      );
    });

    it("emits ProtocolAccountSet and can be unmarked", async function () {
      const { token, protocol } = await loadFixture(fixture);
      await expect(token.setProtocolAccount(protocol, true))
        .to.emit(token, "ProtocolAccountSet")
        .withArgs(protocol.address, true);
      await expect(token.setProtocolAccount(protocol, false))
        .to.emit(token, "ProtocolAccountSet")
        .withArgs(protocol.address, false);
      expect(await token.isProtocolAccount(protocol)).to.equal(false);
    });

    it("refuses to mark the zero address or unmark the Treasury", async function () {
      const { token, treasury } = await loadFixture(fixture);
      await expect(token.setProtocolAccount(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(token, "CivitasInvalidAccount")
        .withArgs(ethers.ZeroAddress);
      await expect(token.setProtocolAccount(treasury, false))
        .to.be.revertedWithCustomError(token, "CivitasInvalidAccount")
        .withArgs(await treasury.getAddress());
    });
  });

  describe("earnings payouts", function () {
    it("taxes earnings paid by a protocol contract", async function () {
      const { token, treasury, agents, protocol } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await token.setProtocolAccount(protocol, true);
      await token.connect(alice).transfer(protocol, 1_000n * CIV);
      const tx = token.connect(protocol).payEarnings(bob, 1_000n * CIV);
      await expect(tx).to.changeTokenBalances(
        ethers,
        token,
        [protocol, bob, treasury],
        [-1_000n * CIV, 900n * CIV, 100n * CIV],
      );
      await expect(tx)
        .to.emit(token, "EarningsPaid")
        .withArgs(protocol.address, bob.address, 1_000n * CIV, 100n * CIV, 0n);
    });

    it("returns net, tax and cap excess", async function () {
      const { token, agents, protocol } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await token.setProtocolAccount(protocol, true);
      await token.connect(alice).transfer(protocol, 1_000n * CIV);
      const [net, tax, capExcess] = await token.connect(protocol).payEarnings.staticCall(bob, 1_000n * CIV);
      expect([net, tax, capExcess]).to.deep.equal([900n * CIV, 100n * CIV, 0n]);
    });

    it("sends the part above the payee's cap to the Treasury", async function () {
      const { token, treasury, agents, protocol } = await loadFixture(fixture);
      const [, bob] = agents;
      await token.setProtocolAccount(protocol, true);
      const cap = await token.wealthCap();
      // The Treasury pays out at most 10% of its balance per 30 days: two windows.
      await treasury.transfer(token, protocol, cap);
      await time.increase(30n * 86_400n);
      await treasury.transfer(token, protocol, cap);
      const bobBefore = await token.balanceOf(bob);
      const gross = cap * 2n;
      const tax = taxOf(gross, 1_000n);
      const room = cap - bobBefore;
      const excess = gross - tax - room;
      await expect(token.connect(protocol).payEarnings(bob, gross))
        .to.emit(token, "EarningsPaid")
        .withArgs(protocol.address, bob.address, gross, tax, excess);
      expect(await token.balanceOf(bob)).to.equal(cap);
      expect(await token.balanceOf(protocol)).to.equal(0n);
    });

    it("pays another protocol account untaxed", async function () {
      const { token, treasury, protocol } = await loadFixture(fixture);
      await token.setProtocolAccount(protocol, true);
      await treasury.transfer(token, protocol, 100n * CIV);
      await expect(token.connect(protocol).payEarnings(treasury, 100n * CIV))
        .to.emit(token, "EarningsPaid")
        .withArgs(protocol.address, await treasury.getAddress(), 100n * CIV, 0n, 0n);
    });

    it("refuses a caller that is not a protocol account", async function () {
      const { token, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await expect(token.connect(alice).payEarnings(bob, 1n))
        .to.be.revertedWithCustomError(token, "CivitasNotProtocolAccount")
        .withArgs(alice.address);
    });

    it("refuses the zero payee", async function () {
      const { token, protocol } = await loadFixture(fixture);
      await token.setProtocolAccount(protocol, true);
      await expect(token.connect(protocol).payEarnings(ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });

    it("refuses to pay more than the payer holds", async function () {
      const { token, agents, protocol } = await loadFixture(fixture);
      const [, bob] = agents;
      await token.setProtocolAccount(protocol, true);
      await expect(token.connect(protocol).payEarnings(bob, 10n * CIV))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(protocol.address, 0n, 1n * CIV);
    });
  });

  describe("wealth cap", function () {
    it("reverts a payment that would put the payee above the cap", async function () {
      const { token, treasury, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const cap = await token.wealthCap();
      await token.setCapBps(10n); // 0.1% of 10M = 10,000 CIV; bob holds exactly that already.
      const smallCap = await token.wealthCap();
      expect(smallCap).to.equal(10_000n * CIV);
      expect(cap).to.be.greaterThan(smallCap);
      await expect(token.connect(alice).transfer(bob, 10n * CIV))
        .to.be.revertedWithCustomError(token, "CivitasExceededWealthCap")
        .withArgs(bob.address, 10_009n * CIV, smallCap);
      expect(await token.balanceOf(treasury)).to.be.greaterThan(0n);
    });

    it("counts stake reported by the stake ledger", async function () {
      const { token, agents, ledger } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await token.setCapBps(20n); // 20,000 CIV
      await expect(token.setStakeLedger(ledger))
        .to.emit(token, "StakeLedgerUpdated")
        .withArgs(ethers.ZeroAddress, await ledger.getAddress());
      // Stake only ever comes from the holder's own deposit into the ledger (ICivitasStakeLedger).
      await token.connect(bob).transfer(ledger, 0n);
      await ledger.setStake(bob, 9_995n * CIV);
      expect(await token.holdingsOf(bob)).to.equal(19_995n * CIV);
      await expect(token.connect(alice).transfer(bob, 10n * CIV))
        .to.be.revertedWithCustomError(token, "CivitasExceededWealthCap")
        .withArgs(bob.address, 20_004n * CIV, 20_000n * CIV);
      await token.connect(alice).transfer(bob, 5n * CIV); // net 4.5 CIV fits
      expect(await token.holdingsOf(bob)).to.equal(19_999n * CIV + CIV / 2n);
    });

    it("asks the stake ledger only about accounts that have moved CIV into it", async function () {
      const { token, agents, ledger } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await token.setCapBps(20n); // 20,000 CIV
      await token.setStakeLedger(ledger);
      // A ledger reporting stake nobody deposited breaks its contract: the cap does not see it.
      await ledger.setStake(bob, 9_995n * CIV);
      await token.connect(alice).transfer(bob, 10n * CIV);
      // Once bob has moved CIV into the ledger (here 1 CIV, taxed: the mock is no protocol account), it is.
      await token.connect(bob).transfer(ledger, CIV);
      await expect(token.connect(alice).transfer(bob, 10n * CIV))
        .to.be.revertedWithCustomError(token, "CivitasExceededWealthCap")
        .withArgs(bob.address, 20_012n * CIV, 20_000n * CIV);
    });

    it("applies the cap exactly at its power-of-two floor, at the cap and above it", async function () {
      const { token, agents } = await loadFixture(fixture);
      const [alice, bob, carol] = agents;
      await token.setCapBps(20n); // 20,000 CIV = 2e22 wei; the floor is 2^74 wei (~18,889 CIV)
      const cap = await token.wealthCap();
      const floor = 1n << 74n;
      expect(floor <= cap && cap < 2n * floor).to.equal(true);
      await token.connect(alice).transfer(bob, await grossFor(token, floor - (await token.balanceOf(bob))));
      expect(await token.balanceOf(bob)).to.equal(floor);
      await token.connect(carol).transfer(bob, await grossFor(token, cap - floor));
      expect(await token.balanceOf(bob)).to.equal(cap);
      await expect(token.connect(carol).transfer(bob, 10n))
        .to.be.revertedWithCustomError(token, "CivitasExceededWealthCap")
        .withArgs(bob.address, cap + 9n, cap);
    });

    it("lowers the cap's floor when a burn lowers the cap below it", async function () {
      const { token, treasury, agents, admin } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await token.setCapBps(20n); // cap 2e22 wei, floor 2^74 wei
      const floor = 1n << 74n;
      await token.grantRole(await token.UPKEEP_BURNER_ROLE(), admin);
      await token.burnUpkeep(treasury, 600_000n * CIV); // supply 9.4M CIV: cap 18,800 CIV < 2^74 wei
      const cap = await token.wealthCap();
      expect(cap < floor).to.equal(true);
      // Bob would hold more than the cap but no more than the old floor: refused.
      const gross = await grossFor(token, cap + 1n - (await token.balanceOf(bob)));
      await expect(token.connect(alice).transfer(bob, gross))
        .to.be.revertedWithCustomError(token, "CivitasExceededWealthCap")
        .withArgs(bob.address, cap + 1n, cap);
    });

    it("redirects the part of a refund above the cap to the Treasury", async function () {
      const { token, treasury, agents, protocol } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await token.setProtocolAccount(protocol, true);
      await token.connect(alice).transfer(protocol, 100n * CIV);
      await token.setCapBps(10n); // bob sits at the 10,000 CIV cap
      const tx = token.connect(protocol).transfer(bob, 100n * CIV);
      await expect(tx).to.changeTokenBalances(ethers, token, [bob, treasury], [0n, 100n * CIV]);
      await expect(tx)
        .to.emit(token, "CapExcessRedirected")
        .withArgs(protocol.address, bob.address, 100n * CIV, 100n * CIV);
    });

    it("pays a Treasury grant up to the cap and keeps the rest", async function () {
      const { token, treasury, agents } = await loadFixture(fixture);
      const [alice] = agents;
      await token.setCapBps(11n); // 11,000 CIV; alice holds 10,000
      await expect(treasury.transfer(token, alice, 5_000n * CIV))
        .to.emit(token, "CapExcessRedirected")
        .withArgs(await treasury.getAddress(), alice.address, 5_000n * CIV, 4_000n * CIV);
      expect(await token.balanceOf(alice)).to.equal(11_000n * CIV);
    });

    it("does not cap protocol accounts", async function () {
      const { token, treasury, protocol } = await loadFixture(fixture);
      await token.setProtocolAccount(protocol, true);
      const cap = await token.wealthCap();
      // The Treasury pays out at most 10% of its balance per 30 days: two windows.
      await treasury.transfer(token, protocol, cap);
      await time.increase(30n * 86_400n);
      await treasury.transfer(token, protocol, cap);
      expect(await token.balanceOf(protocol)).to.equal(cap * 2n);
    });
  });

  describe("minting", function () {
    it("mints up to 10% of supply in a 30-day window", async function () {
      const { token, treasury } = await loadFixture(fixture);
      expect(await token.mintableNow()).to.equal(GENESIS / 10n);
      await token.mint(treasury, 600_000n * CIV);
      expect(await token.mintableNow()).to.equal((GENESIS + 600_000n * CIV) / 10n - 600_000n * CIV);
    });

    it("reverts above the window with requested and available", async function () {
      const { token, treasury } = await loadFixture(fixture);
      await token.mint(treasury, 600_000n * CIV);
      const available = await token.mintableNow();
      await expect(token.mint(treasury, available + 1n))
        .to.be.revertedWithCustomError(token, "CivitasExceededMintWindow")
        .withArgs(available + 1n, available);
    });

    it("frees the window 30 days after a mint", async function () {
      const { token, treasury } = await loadFixture(fixture);
      await token.mint(treasury, GENESIS / 10n);
      expect(await token.mintableNow()).to.equal((GENESIS + GENESIS / 10n) / 10n - GENESIS / 10n);
      await time.increase(30n * DAY);
      expect(await token.mintableNow()).to.equal((GENESIS + GENESIS / 10n) / 10n);
      await token.mint(treasury, (GENESIS + GENESIS / 10n) / 10n);
    });

    it("keeps mints inside the window counted as it rolls", async function () {
      const { token, treasury } = await loadFixture(fixture);
      await token.mint(treasury, 500_000n * CIV);
      await time.increase(20n * DAY);
      await token.mint(treasury, 400_000n * CIV);
      await time.increase(11n * DAY); // the first mint has left the window, the second has not
      const supply = GENESIS + 900_000n * CIV;
      expect(await token.mintableNow()).to.equal(supply / 10n - 400_000n * CIV);
      await expect(token.mint(treasury, supply / 10n - 400_000n * CIV + 1n))
        .to.be.revertedWithCustomError(token, "CivitasExceededMintWindow")
        .withArgs(supply / 10n - 400_000n * CIV + 1n, supply / 10n - 400_000n * CIV);
    });

    it("caps a mint to an ordinary account", async function () {
      const { token, agents } = await loadFixture(fixture);
      const [alice] = agents;
      const amount = await token.mintableNow();
      await expect(token.mint(alice, amount))
        .to.be.revertedWithCustomError(token, "CivitasExceededWealthCap")
        .withArgs(alice.address, amount + 10_000n * CIV, ((GENESIS + amount) * 500n) / 10_000n);
    });

    it("is reserved to the minter role", async function () {
      const { token, outsider } = await loadFixture(fixture);
      await expect(token.connect(outsider).mint(outsider, 1n))
        .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, await token.MINTER_ROLE());
    });
  });

  describe("burning", function () {
    it("lets a holder burn its own tokens", async function () {
      const { token, agents } = await loadFixture(fixture);
      const [alice] = agents;
      await expect(token.connect(alice).burn(CIV)).to.changeTokenBalance(ethers, token, alice, -CIV);
      expect(await token.totalSupply()).to.equal(GENESIS - CIV);
    });

    it("lets the upkeep burner burn an agent's upkeep", async function () {
      const { token, agents, outsider } = await loadFixture(fixture);
      const [alice] = agents;
      await token.grantRole(await token.UPKEEP_BURNER_ROLE(), outsider);
      await expect(token.connect(outsider).burnUpkeep(alice, 100n * CIV))
        .to.emit(token, "UpkeepBurned")
        .withArgs(alice.address, 100n * CIV);
      expect(await token.balanceOf(alice)).to.equal(9_900n * CIV);
    });

    it("reserves the upkeep burn to its role", async function () {
      const { token, agents, outsider } = await loadFixture(fixture);
      await expect(token.connect(outsider).burnUpkeep(agents[0], 1n))
        .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, await token.UPKEEP_BURNER_ROLE());
    });

    it("cannot burn more than the balance", async function () {
      const { token, agents } = await loadFixture(fixture);
      const [alice] = agents;
      await expect(token.connect(alice).burn(10_001n * CIV))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(alice.address, 10_000n * CIV, 10_001n * CIV);
    });
  });

  describe("parameters", function () {
    it("sets the tax within its bound and emits old and new", async function () {
      const { token } = await loadFixture(fixture);
      await expect(token.setTaxBps(2_000n)).to.emit(token, "TaxBpsUpdated").withArgs(1_000n, 2_000n);
      await expect(token.setTaxBps(2_001n))
        .to.be.revertedWithCustomError(token, "CivitasTaxTooHigh")
        .withArgs(2_001n, 2_000n);
    });

    it("sets the cap within its bounds and emits old and new", async function () {
      const { token } = await loadFixture(fixture);
      await expect(token.setCapBps(1_000n)).to.emit(token, "CapBpsUpdated").withArgs(500n, 1_000n);
      await expect(token.setCapBps(9n))
        .to.be.revertedWithCustomError(token, "CivitasCapOutOfBounds")
        .withArgs(9n, 10n, 5_000n);
      await expect(token.setCapBps(5_001n))
        .to.be.revertedWithCustomError(token, "CivitasCapOutOfBounds")
        .withArgs(5_001n, 10n, 5_000n);
    });

    it("refuses the Treasury as stake ledger", async function () {
      const { token, treasury } = await loadFixture(fixture);
      await expect(token.setStakeLedger(treasury))
        .to.be.revertedWithCustomError(token, "CivitasInvalidAccount")
        .withArgs(await treasury.getAddress());
    });

    for (const [name, call] of [
      ["setTaxBps", (t: any) => t.setTaxBps(1n)],
      ["setCapBps", (t: any) => t.setCapBps(100n)],
      ["setProtocolAccount", (t: any) => t.setProtocolAccount(ethers.ZeroAddress, true)],
      ["setStakeLedger", (t: any) => t.setStakeLedger(ethers.ZeroAddress)],
    ] as const) {
      it(`reserves ${name} to the parameter role`, async function () {
        const { token, outsider } = await loadFixture(fixture);
        await expect(call(token.connect(outsider)))
          .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
          .withArgs(outsider.address, await token.PARAMETER_ROLE());
      });
    }
  });

  describe("circulating supply snapshots", function () {
    async function scheduled() {
      const base = await fixture();
      await base.token.grantRole(await base.token.SNAPSHOT_ROLE(), base.admin);
      return base;
    }

    it("records total supply minus the Treasury at each scheduled timepoint", async function () {
      const { token, treasury, agents } = await loadFixture(scheduled);
      const [alice, bob] = agents;
      expect(await token.circulatingSupply()).to.equal(40_000n * CIV);
      const t0 = BigInt(await time.latest()) + 100n;
      const t1 = t0 + 100n;
      await expect(token.scheduleCirculatingSnapshot(t1))
        .to.emit(token, "CirculatingSnapshotScheduled")
        .withArgs(t1);
      await token.scheduleCirculatingSnapshot(t0);
      expect(await token.pendingSnapshots()).to.deep.equal([t0, t1]);
      await time.setNextBlockTimestamp(t0);
      await token.connect(alice).transfer(bob, 1_000n * CIV); // at t0: 100 CIV of tax leaves circulation
      await time.setNextBlockTimestamp(t0 + 50n);
      await expect(treasury.transfer(token, alice, 500n * CIV))
        .to.emit(token, "CirculatingSnapshotRecorded")
        .withArgs(t0, 39_900n * CIV);
      expect(await token.getPastCirculatingSupply(t0)).to.equal(39_900n * CIV);
      // t1 is not recorded yet: nothing has moved since it, so the current value is its value.
      await time.increaseTo(t1 + 10n);
      expect(await token.pendingSnapshots()).to.deep.equal([t1]);
      expect(await token.getPastCirculatingSupply(t1)).to.equal(40_400n * CIV);
      await token.connect(bob).burn(CIV);
      expect(await token.pendingSnapshots()).to.deep.equal([]);
      expect(await token.getPastCirculatingSupply(t1)).to.equal(40_400n * CIV);
      expect(await token.circulatingSupply()).to.equal(40_399n * CIV);
    });

    it("ignores a timepoint scheduled twice", async function () {
      const { token } = await loadFixture(scheduled);
      const t = BigInt(await time.latest()) + 100n;
      await token.scheduleCirculatingSnapshot(t);
      await expect(token.scheduleCirculatingSnapshot(t)).not.to.emit(token, "CirculatingSnapshotScheduled");
      expect(await token.pendingSnapshots()).to.deep.equal([t]);
    });

    it("refuses a timepoint in the past", async function () {
      const { token } = await loadFixture(scheduled);
      const now = BigInt(await time.latest());
      await expect(token.scheduleCirculatingSnapshot(now - 1n))
        .to.be.revertedWithCustomError(token, "CivitasSnapshotInPast")
        .withArgs(now - 1n, now + 1n);
    });

    it("is reserved to the snapshot role", async function () {
      const { token, outsider } = await loadFixture(fixture);
      await expect(token.connect(outsider).scheduleCirculatingSnapshot(0n))
        .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, await token.SNAPSHOT_ROLE());
    });

    it("refuses a timepoint that is not yet past", async function () {
      const { token } = await loadFixture(fixture);
      const now = BigInt(await time.latest());
      await expect(token.getPastCirculatingSupply(now + 100n))
        .to.be.revertedWithCustomError(token, "ERC5805FutureLookup")
        .withArgs(now + 100n, now);
    });
  });

  describe("votes and permit", function () {
    it("keeps the Treasury's votes undelegated", async function () {
      const { token, treasury } = await loadFixture(fixture);
      const treasuryAddress = await treasury.getAddress();
      await networkHelpers.impersonateAccount(treasuryAddress);
      await networkHelpers.setBalance(treasuryAddress, 10n ** 18n);
      const asTreasury = await ethers.getSigner(treasuryAddress);
      await expect(token.connect(asTreasury).delegate(treasuryAddress))
        .to.be.revertedWithCustomError(token, "CivitasInvalidAccount")
        .withArgs(treasuryAddress);
    });

    it("moves voting power with taxed transfers, unearned CIV first and without votes", async function () {
      const { token, agents } = await loadFixture(fixture);
      const [alice, bob] = agents; // each holds 10,000 CIV paid by the Treasury: unearned
      await token.mint(alice, 10_000n * CIV); // minted: earned
      await token.mint(bob, 10_000n * CIV);
      await token.connect(alice).delegate(alice);
      await token.connect(bob).delegate(bob);
      expect(await token.getVotes(alice)).to.equal(10_000n * CIV);
      // 12,000 sent: the 10,000 unearned leave first and reach bob unearned (10,800 net), 1,200 is tax.
      await token.connect(alice).transfer(bob, 12_000n * CIV);
      expect(await token.getVotes(alice)).to.equal(8_000n * CIV);
      expect(await token.getVotes(bob)).to.equal(10_800n * CIV);
      expect(await token.unearnedOf(alice)).to.deep.equal([0n, 0n, 0n]);
      expect(await token.unearnedOf(bob)).to.deep.equal([20_000n * CIV, 0n, 0n]);
    });

    it("keeps unearned deposits exact when they all come back and are deposited again", async function () {
      const { token, agents, protocol } = await loadFixture(fixture);
      const [alice] = agents; // 10,000 CIV paid by the Treasury: unearned
      await token.setProtocolAccount(protocol, true);
      await token.mint(alice, 1_000n * CIV); // earned
      await token.connect(alice).delegate(alice);
      for (const round of [1n, 2n, 3n]) {
        // 10,500 deposited: the 10,000 unearned first, then 500 earned (votes leave with them only).
        await token.connect(alice).transfer(protocol, 10_500n * CIV);
        expect(await token.unearnedOf(alice), `round ${round}`).to.deep.equal([0n, 10_000n * CIV, 0n]);
        expect(await token.getVotes(alice)).to.equal(500n * CIV);
        // Returned in two parts: the unearned comes back first, to the last wei; then the earned part.
        await token.connect(protocol).returnPrincipal(alice, 10_000n * CIV - 1n);
        expect(await token.unearnedOf(alice)).to.deep.equal([10_000n * CIV - 1n, 1n, 0n]);
        await token.connect(protocol).returnPrincipal(alice, 500n * CIV + 1n);
        expect(await token.unearnedOf(alice)).to.deep.equal([10_000n * CIV, 0n, 0n]);
        expect(await token.getVotes(alice)).to.equal(1_000n * CIV);
        expect(await token.balanceOf(alice)).to.equal(11_000n * CIV);
      }
    });

    it("approves through an ERC-2612 permit", async function () {
      const { token, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const deadline = BigInt(await time.latest()) + 3_600n;
      const domain = {
        name: "Civitas",
        version: "1",
        chainId: (await ethers.provider.getNetwork()).chainId,
        verifyingContract: await token.getAddress(),
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
      const value = 42n * CIV;
      const message = { owner: alice.address, spender: bob.address, value, nonce: 0n, deadline };
      const { v, r, s } = ethers.Signature.from(await alice.signTypedData(domain, types, message));
      await token.permit(alice, bob, value, deadline, v, r, s);
      expect(await token.allowance(alice, bob)).to.equal(value);
      expect(await token.nonces(alice)).to.equal(1n);
    });
  });
});
