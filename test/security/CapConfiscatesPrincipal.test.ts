/**
 * Security issue 20, attack 7: the wealth cap took holders' own principal when it came back.
 *
 * The cap is a share of total supply, which upkeep burns shrink every day and governance may cut. Stake
 * already counts in holdings, so a withdrawal adds nothing a holder owns; an escrow refund or a returned
 * bond gives back exactly what was deposited. Before the fix, each of these went through the token's capped
 * path and lost everything above the (lower) cap to the Treasury: 500,000 CIV staked came back short after
 * a week of upkeep; after a cut from 5% to 1% during unbonding, 400,000 CIV were confiscated; an escrow
 * client's refund and an arbitrator's bond were cut the same way. These tests run on the real Protocol
 * deployment and fail on the old token, Staking and Escrow.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id } from "ethers";
import type { Signer } from "ethers";

import { deployProtocolFixture, type ProtocolFixture } from "../helpers/protocol.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const CIV = 10n ** 18n;
const DAY = 86_400n;
const BPS = 10_000n;

const protocolFixture = () => deployProtocolFixture(connection);

/** Tops `account` up to exactly `target` liquid CIV from the Treasury (a grant-like transfer, capped). */
async function fundTo(f: ProtocolFixture, account: Signer, target: bigint): Promise<void> {
  const treasury = await f.treasury.getAddress();
  await networkHelpers.impersonateAccount(treasury);
  await networkHelpers.setBalance(treasury, 10n ** 18n);
  const treasurySigner = await ethers.getSigner(treasury);
  const have = await f.token.balanceOf(await account.getAddress());
  await f.token.connect(treasurySigner).transfer(await account.getAddress(), target - have);
  await networkHelpers.stopImpersonatingAccount(treasury);
}

/** Cuts the wealth cap as governance would (the timelock holds the token's PARAMETER_ROLE). */
async function cutCap(f: ProtocolFixture, capBps: bigint): Promise<void> {
  const timelock = await f.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelock);
  await networkHelpers.setBalance(timelock, 10n ** 18n);
  await f.token.connect(await ethers.getSigner(timelock)).setCapBps(capBps);
  await networkHelpers.stopImpersonatingAccount(timelock);
}

/** Stakes `amount` of `holder` with alice (registered as a validator here) and unbonds it all (request 1). */
async function stakeAndUnbond(f: ProtocolFixture, holder: Signer, amount: bigint): Promise<void> {
  const { staking, token, alice } = f;
  await token.connect(alice).approve(staking, 500n * CIV);
  await staking.connect(alice).registerValidator(1_000n, 500n * CIV);
  await token.connect(holder).approve(staking, amount);
  await staking.connect(holder).delegateStake(alice.address, amount);
  const shares = await staking.bondedSharesOf(await holder.getAddress());
  await staking.connect(holder).undelegate(shares);
}

describe("Security 7: the wealth cap never takes a holder's own principal", function () {
  it("returns a withdrawal in full after upkeep burns shrank the cap below the staker's holdings", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { token, staking, registry, outsider, agentIds } = f;
    const cap = await token.wealthCap();
    await fundTo(f, outsider, cap);
    await stakeAndUnbond(f, outsider, cap);
    expect(await token.holdingsOf(outsider.address)).to.equal(cap);

    // A week of upkeep from the eight agents: every burn shrinks total supply, hence the cap.
    await time.increase(7n * DAY);
    await registry["collectUpkeep(uint256[])"](Object.values(agentIds));
    const lowerCap = await token.wealthCap();
    expect(lowerCap).to.be.lessThan(cap);

    const withdrawn = staking.connect(outsider).withdraw(1n);
    await expect(withdrawn)
      .to.emit(staking, "Withdrawn")
      .withArgs(outsider.address, f.alice.address, 1n, cap, cap);
    await expect(withdrawn).to.not.emit(token, "CapExcessRedirected");
    expect(await token.balanceOf(outsider.address)).to.equal(cap);
    expect(await token.holdingsOf(outsider.address)).to.equal(cap);

    // Growth is still capped: the next grant-like payment to the (now above-cap) holder all goes back.
    const treasury = await f.treasury.getAddress();
    await networkHelpers.impersonateAccount(treasury);
    await networkHelpers.setBalance(treasury, 10n ** 18n);
    await expect(token.connect(await ethers.getSigner(treasury)).transfer(outsider.address, 10n * CIV))
      .to.emit(token, "CapExcessRedirected")
      .withArgs(treasury, outsider.address, 10n * CIV, 10n * CIV);
    expect(await token.balanceOf(outsider.address)).to.equal(cap);
  });

  it("returns a withdrawal in full after governance cut the cap from 5% to 1% during unbonding", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { token, staking, outsider } = f;
    const cap = await token.wealthCap();
    expect(cap).to.equal(((await token.totalSupply()) * 500n) / BPS);
    await fundTo(f, outsider, cap);
    await stakeAndUnbond(f, outsider, cap);

    await cutCap(f, 100n);
    const newCap = await token.wealthCap();
    expect(newCap).to.equal(((await token.totalSupply()) * 100n) / BPS);
    // Before the fix, cap - newCap (400,000 CIV at genesis supply) went to the Treasury here.
    expect(cap - newCap).to.be.greaterThan(399_000n * CIV);

    await time.increase(7n * DAY);
    const treasuryBefore = await token.balanceOf(f.treasury);
    const withdrawn = staking.connect(outsider).withdraw(1n);
    await expect(withdrawn).to.changeTokenBalances(ethers, token, [outsider, staking], [cap, -cap]);
    await expect(withdrawn).to.not.emit(token, "CapExcessRedirected");
    expect(await token.balanceOf(f.treasury)).to.equal(treasuryBefore);
    expect(await token.holdingsOf(outsider.address)).to.equal(cap);
  });

  it("refunds an escrow client's deposit and returns the arbitrator's bond in full after a cap cut", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { token, escrow, bob: client, carol: provider, dave: arbitrator } = f;
    const cap = await token.wealthCap();
    // Client and arbitrator both sit exactly at the cap.
    await fundTo(f, client, cap);
    await fundTo(f, arbitrator, cap);

    const amount = 100_000n * CIV;
    const arbitratorFee = 1_000n * CIV;
    const now = BigInt(await time.latest());
    await escrow.connect(client).create({
      kind: 0,
      provider: provider.address,
      arbitrator: arbitrator.address,
      amount,
      arbitratorFee,
      deliveryDeadline: now + 7n * DAY,
      reviewWindow: 3n * DAY,
      rulingWindow: 3n * DAY,
      termsHash: id("terms"),
      termsURI: "ipfs://terms",
    });
    const escrowId = await escrow.escrowCount();
    const { bond } = await escrow.escrowOf(escrowId);
    expect(bond).to.be.greaterThan(0n);
    await escrow.connect(provider).agree(escrowId);
    await token.connect(arbitrator).approve(escrow, bond);
    await escrow.connect(arbitrator).accept(escrowId);
    await token.connect(client).approve(escrow, amount + arbitratorFee);
    await escrow.connect(client).fund(escrowId);

    // Governance cuts the cap to 4% while the job runs: 500,000 -> 400,000 CIV at genesis supply.
    await cutCap(f, 400n);
    const newCap = await token.wealthCap();
    const clientHeld = await token.holdingsOf(client.address);
    const arbitratorHeld = await token.holdingsOf(arbitrator.address);
    expect(clientHeld + amount + arbitratorFee).to.be.greaterThan(newCap);
    expect(arbitratorHeld + bond).to.be.greaterThan(newCap);

    // The provider never delivers: after the deadline anyone refunds the client and returns the bond.
    await time.increase(8n * DAY);
    const reclaimed = escrow.reclaim(escrowId);
    await expect(reclaimed).to.changeTokenBalances(
      ethers,
      token,
      [client, arbitrator, f.treasury],
      [amount + arbitratorFee, bond, 0n],
    );
    await expect(reclaimed).to.not.emit(token, "CapExcessRedirected");
    expect(await token.holdingsOf(client.address)).to.equal(clientHeld + amount + arbitratorFee);
    expect(await token.holdingsOf(arbitrator.address)).to.equal(arbitratorHeld + bond);
  });

  it("lets only protocol accounts return principal", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { token, alice, bob } = f;
    await expect(token.connect(alice).returnPrincipal(bob.address, 1n))
      .to.be.revertedWithCustomError(token, "CivitasNotProtocolAccount")
      .withArgs(alice.address);
  });

  it("returns principal when no circulating-supply snapshot is pending (regression: it panicked)", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { token, staking, bob } = f;
    const stakingAddress = await staking.getAddress();
    expect(await token.pendingSnapshots()).to.deep.equal([]);
    await token.connect(bob).transfer(stakingAddress, 10n ** 18n);
    await networkHelpers.impersonateAccount(stakingAddress);
    await networkHelpers.setBalance(stakingAddress, 10n ** 18n);
    const returned = token
      .connect(await ethers.getSigner(stakingAddress))
      .returnPrincipal(bob.address, 10n ** 18n);
    await expect(returned).to.changeTokenBalances(ethers, token, [staking, bob], [-(10n ** 18n), 10n ** 18n]);
  });

  it("refuses to return principal to the zero address", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { token, staking } = f;
    const stakingAddress = await staking.getAddress();
    await networkHelpers.impersonateAccount(stakingAddress);
    await networkHelpers.setBalance(stakingAddress, 10n ** 18n);
    await expect(
      token.connect(await ethers.getSigner(stakingAddress)).returnPrincipal(ethers.ZeroAddress, 1n),
    )
      .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
      .withArgs(ethers.ZeroAddress);
  });

  it("returns two principals in one call exactly as two returns, only from protocol accounts", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const { token, staking, alice, bob, carol } = f;
    const stakingAddress = await staking.getAddress();
    await token.connect(bob).transfer(stakingAddress, 3n * CIV);
    await token.connect(carol).transfer(stakingAddress, 2n * CIV);
    await expect(token.connect(alice).returnPrincipals(bob.address, 1n, carol.address, 1n))
      .to.be.revertedWithCustomError(token, "CivitasNotProtocolAccount")
      .withArgs(alice.address);
    await networkHelpers.impersonateAccount(stakingAddress);
    await networkHelpers.setBalance(stakingAddress, 10n ** 18n);
    const asStaking = token.connect(await ethers.getSigner(stakingAddress));
    await expect(asStaking.returnPrincipals(bob.address, 1n, ethers.ZeroAddress, 1n))
      .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
      .withArgs(ethers.ZeroAddress);
    const returned = asStaking.returnPrincipals(bob.address, 3n * CIV, carol.address, 2n * CIV);
    await expect(returned).to.changeTokenBalances(
      ethers,
      token,
      [staking, bob, carol],
      [-5n * CIV, 3n * CIV, 2n * CIV],
    );
    const receipt = (await (await returned).wait())!;
    const transfers = receipt.logs
      .map((log) => token.interface.parseLog(log))
      .filter((e) => e?.name === "Transfer")
      .map((e) => [e!.args[1], e!.args[2]]);
    expect(transfers).to.deep.equal([
      [bob.address, 3n * CIV],
      [carol.address, 2n * CIV],
    ]);
  });
});
