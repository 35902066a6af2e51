/**
 * Security issue 20, attack 8: anyone could starve an agent right after its identity token was transferred.
 * Before: the transfer cleared the wallet but kept the partial day elapsed; at the next day boundary anyone
 * called `collectUpkeep`, the wallet-less agent held nothing and starved, and even the new owner's
 * `setAgentWallet` collected from the zero wallet first. After: an agent without a wallet is never charged
 * nor starved; its days accrue and are charged to the next wallet bound. Run on the real Protocol deployment.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { deployProtocolFixture } from "../helpers/protocol.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const DAY = 86_400n;
const Status = { Active: 1n, Starved: 2n };

/** Signs the ERC-8004 AgentWalletSet message for the registry. */
async function signWalletSet(
  registry: { getAddress(): Promise<string> },
  signer: { signTypedData: (...args: any[]) => Promise<string> },
  message: { agentId: bigint; newWallet: string; owner: string; deadline: bigint },
) {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = {
    name: "ERC8004IdentityRegistry",
    version: "1",
    chainId,
    verifyingContract: await registry.getAddress(),
  };
  const types = {
    AgentWalletSet: [
      { name: "agentId", type: "uint256" },
      { name: "newWallet", type: "address" },
      { name: "owner", type: "address" },
      { name: "deadline", type: "uint256" },
    ],
  };
  return signer.signTypedData(domain, types, message);
}

/** The Protocol with its eight agents. */
async function protocolFixture() {
  return deployProtocolFixture(connection);
}

/** Alice's identity sold to bob one second before its next upkeep day falls due. */
async function soldFixture() {
  const f = await protocolFixture();
  const { registry, alice, bob, agentIds } = f;
  const id = agentIds.alice;
  const dueAt = (await registry.agent(id)).lastCollectedAt + DAY;
  await time.setNextBlockTimestamp(dueAt - 1n);
  await registry.connect(alice).transferFrom(alice, bob, id);
  return { ...f, id, dueAt };
}

describe("Security 8: a transfer's timing cannot starve an agent", function () {
  it("the transfer clears the wallet without charging the partial day", async function () {
    const { registry, bob, id, dueAt } = await loadFixture(soldFixture);
    expect(await registry.ownerOf(id)).to.equal(bob.address);
    expect(await registry.getAgentWallet(id)).to.equal(ethers.ZeroAddress);
    expect((await registry.agent(id)).lastCollectedAt).to.equal(dueAt - DAY);
  });

  it("anyone collecting at the day boundary charges nothing and starves nothing", async function () {
    const { registry, outsider, id, dueAt } = await loadFixture(soldFixture);
    await time.setNextBlockTimestamp(dueAt);
    const tx = registry.connect(outsider)["collectUpkeep(uint256)"](id);
    await expect(tx).not.to.emit(registry, "UpkeepCollected");
    expect(await registry.statusOf(id)).to.equal(Status.Active);
    // The batch path too, days later.
    await time.increaseTo(dueAt + 5n * DAY);
    await expect(registry.connect(outsider)["collectUpkeep(uint256[])"]([id])).not.to.emit(
      registry,
      "UpkeepCollected",
    );
    expect(await registry.statusOf(id)).to.equal(Status.Active);
    expect(await registry.upkeepDue(id)).to.deep.equal([6n, 6n * (await registry.upkeepPerDay())]);
  });

  it("the new owner's funded wallet pays the days accrued and the agent stays active", async function () {
    const { registry, token, bob, id, dueAt } = await loadFixture(soldFixture);
    const wallet = (await ethers.getSigners())[15];
    const upkeep = await registry.upkeepPerDay();
    await token.connect(bob).transfer(wallet, 1_000n * 10n ** 18n);
    await time.setNextBlockTimestamp(dueAt + 1n);
    const deadline = dueAt + 100n;
    const signature = await signWalletSet(registry, wallet, {
      agentId: id,
      newWallet: wallet.address,
      owner: bob.address,
      deadline,
    });
    await time.setNextBlockTimestamp(dueAt + 2n);
    const tx = registry.connect(bob).setAgentWallet(id, wallet, deadline, signature);
    await expect(tx)
      .to.emit(registry, "UpkeepCollected")
      .withArgs(id, wallet.address, 1n, upkeep, upkeep, dueAt, false);
    expect(await registry.statusOf(id)).to.equal(Status.Active);
    expect(await registry.agentIdOf(wallet)).to.equal(id);
    expect(await registry.isInGoodStanding(wallet)).to.equal(true);
  });

  it("a transfer to the owner itself also clears the wallet (ERC-8004) without starving the agent", async function () {
    const { registry, carol, outsider, agentIds } = await loadFixture(protocolFixture);
    const id = agentIds.carol;
    const dueAt = (await registry.agent(id)).lastCollectedAt + DAY;
    await time.setNextBlockTimestamp(dueAt - 1n);
    await expect(registry.connect(carol).transferFrom(carol, carol, id))
      .to.emit(registry, "AgentWalletChanged")
      .withArgs(id, carol.address, ethers.ZeroAddress, carol.address);
    await time.setNextBlockTimestamp(dueAt);
    await registry.connect(outsider)["collectUpkeep(uint256)"](id);
    expect(await registry.statusOf(id)).to.equal(Status.Active);
  });
});
