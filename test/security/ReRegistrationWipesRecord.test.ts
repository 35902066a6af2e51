/**
 * Security issue 20, attack 3: a suspended or starved agent wipes its record by re-registering.
 * Before: `unsetAgentWallet` then `register()` from the same wallet gave a fresh Active agent with score 0.
 * After: a wallet's flags, debt and negative reputation follow it to its next agent; only the flag's own
 * lifting action (unsuspend, revive, settleDebt) restores good standing. Run on the real Protocol deployment.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { deployProtocolFixture } from "../helpers/protocol.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time, impersonateAccount, setBalance } = networkHelpers;

const CIV = 10n ** 18n;
const DAY = 86_400n;
const Status = { Active: 1n, Starved: 2n, Suspended: 3n };

async function fixture() {
  const f = await deployProtocolFixture(connection);
  // The timelock is the registry's admin: act as it directly (governance itself is tested elsewhere).
  const timelockAddress = await f.timelock.getAddress();
  await impersonateAccount(timelockAddress);
  await setBalance(timelockAddress, 10n ** 20n);
  const governance = await ethers.getSigner(timelockAddress);
  // A reporter standing in for escrow: the timelock grants REPORTER_ROLE to the deployer.
  await f.registry.connect(governance).grantRole(await f.registry.REPORTER_ROLE(), f.deployer);
  return { ...f, governance };
}

describe("Security 3: re-registration cannot wipe a wallet's record", function () {
  it("a suspended agent's wallet brings the suspension to every agent it registers", async function () {
    const { registry, governance, alice, agentIds } = await loadFixture(fixture);
    const id = agentIds.alice;
    await registry.connect(governance).suspend(id, "validator misbehaved");
    expect(await registry.isInGoodStanding(alice)).to.equal(false);

    // The recipe: unbind the wallet, register again from it.
    await registry.connect(alice).unsetAgentWallet(id);
    expect(await registry.agentIdOf(alice)).to.equal(0n);
    expect(await registry.lastAgentOf(alice)).to.equal(id);
    const fresh = (await registry.totalAgents()) + 1n;
    const tx = registry.connect(alice)["register()"]();
    await expect(tx)
      .to.emit(registry, "WalletRecordInherited")
      .withArgs(fresh, alice.address, id, true, false, 0n, 0n);
    await expect(tx).to.emit(registry, "WalletAgentChanged").withArgs(alice.address, 0n, fresh);
    expect(await registry.agentIdOf(alice)).to.equal(fresh);
    expect(await registry.statusOf(fresh)).to.equal(Status.Suspended);
    expect(await registry.isInGoodStanding(alice)).to.equal(false);

    // A second agent while the first still holds the wallet changes nothing: the wallet acts for its first.
    await registry.connect(alice)["register()"]();
    expect(await registry.agentIdOf(alice)).to.equal(fresh);
    expect(await registry.isInGoodStanding(alice)).to.equal(false);

    // Only the flag's own lifting action restores good standing.
    await registry.connect(governance).unsuspend(fresh, "served the suspension");
    expect(await registry.isInGoodStanding(alice)).to.equal(true);
  });

  it("a starved agent's debt follows its wallet, and paying it is the way back", async function () {
    const { registry, token, treasury, bob, carol, agentIds } = await loadFixture(fixture);
    const id = agentIds.bob;
    // Bob keeps nothing liquid (as if it were all staked) and starves owing 3 days of upkeep minus 1 CIV.
    await token.connect(bob).transfer(treasury, (await token.balanceOf(bob)) - 1n * CIV);
    const upkeep = await registry.upkeepPerDay();
    await time.increase(3n * DAY);
    await registry["collectUpkeep(uint256)"](id);
    expect(await registry.statusOf(id)).to.equal(Status.Starved);
    const debt = 3n * upkeep - 1n * CIV;
    expect(await registry.debtOf(id)).to.equal(debt);

    await registry.connect(bob).unsetAgentWallet(id);
    const fresh = (await registry.totalAgents()) + 1n;
    await expect(registry.connect(bob)["register()"]())
      .to.emit(registry, "WalletRecordInherited")
      .withArgs(fresh, bob.address, id, false, true, debt, 0n);
    expect(await registry.statusOf(fresh)).to.equal(Status.Starved);
    expect(await registry.isInGoodStanding(bob)).to.equal(false);

    // Paying the debt is refused while the wallet cannot, then revives the agent once it can.
    await expect(registry.connect(bob).settleDebt(fresh))
      .to.be.revertedWithCustomError(registry, "AgentRegistryDebtUnpaid")
      .withArgs(fresh, bob.address, debt, 0n);
    // A friend sends bob enough (a taxed transfer: twice the debt leaves bob more than the debt).
    await token.connect(carol).transfer(bob, debt * 2n);
    await expect(registry.connect(bob).settleDebt(fresh)).to.emit(registry, "DebtSettled");
    expect(await registry.debtOf(fresh)).to.equal(0n);
    expect(await registry.statusOf(fresh)).to.equal(Status.Active);
    expect(await registry.isInGoodStanding(bob)).to.equal(true);
  });

  it("negative reputation follows the wallet; positive reputation stays with the agent that earned it", async function () {
    const { registry, deployer, carol, dave, agentIds } = await loadFixture(fixture);
    const reason = ethers.encodeBytes32String("escrow.deliveryMissed");
    await registry.connect(deployer).reportAgentReputation(agentIds.carol, -300n, reason, 1n);
    await registry.connect(carol).unsetAgentWallet(agentIds.carol);
    const carolNew = (await registry.totalAgents()) + 1n;
    await registry.connect(carol)["register()"]();
    expect(await registry.scoreOf(carolNew)).to.equal(-300n);
    expect(await registry.scoreOfWallet(carol)).to.equal(-300n);

    await registry.connect(deployer).reportAgentReputation(agentIds.dave, 300n, reason, 2n);
    await registry.connect(dave).unsetAgentWallet(agentIds.dave);
    const daveNew = (await registry.totalAgents()) + 1n;
    await registry.connect(dave)["register()"]();
    expect(await registry.scoreOf(daveNew)).to.equal(0n);
  });

  it("moving the identity NFT away or rebinding elsewhere does not clean the wallet either", async function () {
    const { registry, governance, erin, frank, agentIds, outsider } = await loadFixture(fixture);
    await registry.connect(governance).suspend(agentIds.erin, "fraud");
    // Transfer the identity to a friend: the wallet is cleared, the record stays with the wallet.
    await registry.connect(erin).transferFrom(erin, outsider, agentIds.erin);
    expect(await registry.agentIdOf(erin)).to.equal(0n);
    const fresh = (await registry.totalAgents()) + 1n;
    await registry.connect(erin)["register()"]();
    expect(await registry.statusOf(fresh)).to.equal(Status.Suspended);
    // Binding the tainted wallet to a clean agent of a friend taints that agent: the record follows.
    await registry.connect(erin).unsetAgentWallet(fresh);
    const { chainId } = await ethers.provider.getNetwork();
    const deadline = BigInt(await time.latest()) + 120n;
    const signature = await erin.signTypedData(
      {
        name: "ERC8004IdentityRegistry",
        version: "1",
        chainId,
        verifyingContract: await registry.getAddress(),
      },
      {
        AgentWalletSet: [
          { name: "agentId", type: "uint256" },
          { name: "newWallet", type: "address" },
          { name: "owner", type: "address" },
          { name: "deadline", type: "uint256" },
        ],
      },
      { agentId: agentIds.frank, newWallet: erin.address, owner: frank.address, deadline },
    );
    await registry.connect(frank).setAgentWallet(agentIds.frank, erin, deadline, signature);
    expect(await registry.agentIdOf(erin)).to.equal(agentIds.frank);
    expect(await registry.statusOf(agentIds.frank)).to.equal(Status.Suspended);
    expect(await registry.isInGoodStanding(erin)).to.equal(false);
  });
});
