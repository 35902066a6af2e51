/**
 * Issue 20, attack 10 (low): any agent can hijack and cancel someone else's proposal; votes delegated to
 * the Treasury are stranded.
 *
 * Recipe (on main before the fix): a griefer holding the proposal threshold front-runs an identical
 * `propose`, becomes its proposer and cancels it while Pending; the honest `propose` then reverts and that
 * proposal id is Canceled for good. OpenZeppelin's protection, the `#proposer=0x…` description suffix, was
 * used by none of our clients. Here, on the real Protocol deployment: the SDK (`taxProposal`,
 * `withProposerSuffix`), which the CLI and the simulation build their proposals with, appends the suffix, so
 * the griefer's copy reverts and the honest proposal goes through; delegating to the Treasury reverts.
 * See docs/security.md, section 10.
 */
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";
import type { Address } from "viem";

import { civitasContracts } from "../../scripts/lib/contracts.ts";
import { taxProposal, withProposerSuffix } from "../../scripts/lib/governance.ts";
import { action, ProposalState, propose, toProposal } from "../helpers/governance.js";
import { deployProtocolFixture, type ProtocolFixture } from "../helpers/protocol.js";

const connection = await network.create();
const { networkHelpers } = connection;

async function protocolFixture() {
  return deployProtocolFixture(connection);
}

/** The SDK's bindings for the fixture's deployment. */
async function sdkContracts(f: ProtocolFixture) {
  const names = ["token", "treasury", "registry", "staking", "escrow", "governor", "timelock"] as const;
  const addresses = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, (await f[name].getAddress()) as Address])),
  );
  return civitasContracts({
    chainId: 31337,
    network: "hardhat",
    deploymentId: "test",
    genesisHash: "0x00",
    startBlock: 0,
    deployedAt: 0,
    contracts: addresses,
  });
}

describe("security 10: proposal hijack and stranded votes", function () {
  it("without the suffix, a griefer front-runs and cancels an honest proposal (why clients append it)", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const proposal = toProposal([await action(f.token, "setTaxBps", [800n])], "Lower the tax to 800 bps");
    const griefId = await propose(f.governor, f.bob, proposal); // the griefer's copy lands first
    await f.governor
      .connect(f.bob)
      .cancel(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
    expect(await f.governor.state(griefId)).to.equal(ProposalState.Canceled);
    await expect(propose(f.governor, f.alice, proposal))
      .to.be.revertedWithCustomError(f.governor, "GovernorUnexpectedProposalState")
      .withArgs(griefId, ProposalState.Canceled, 0n);
  });

  it("with the SDK's suffix, the griefer's copy reverts and the honest proposal goes through", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const spec = taxProposal(await sdkContracts(f), 800n, f.alice.address as Address);
    expect(spec.description).to.equal(`Set the tax on earnings to 800 bps#proposer=${f.alice.address}`);
    await expect(
      f.governor.connect(f.bob).propose(spec.targets, spec.values, spec.calldatas, spec.description),
    )
      .to.be.revertedWithCustomError(f.governor, "GovernorRestrictedProposer")
      .withArgs(f.bob.address);
    await f.governor.connect(f.alice).propose(spec.targets, spec.values, spec.calldatas, spec.description);
    const proposalId = await f.governor.getProposalId(
      spec.targets,
      spec.values,
      spec.calldatas,
      id(spec.description),
    );
    expect(await f.governor.proposalProposer(proposalId)).to.equal(f.alice.address);
    expect(await f.governor.state(proposalId)).to.equal(ProposalState.Pending);
  });

  it("appends the suffix once, whatever the description, and keeps a custom text", function () {
    const alice = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
    expect(withProposerSuffix("Text", alice)).to.equal(`Text#proposer=${alice}`);
    expect(withProposerSuffix(`Text#proposer=${alice}`, alice)).to.equal(`Text#proposer=${alice}`);
    expect(withProposerSuffix(`Text#proposer=${alice.toLowerCase()}`, alice)).to.equal(
      `Text#proposer=${alice.toLowerCase()}`,
    );
  });

  it("refuses to delegate votes to the Treasury, where they could never be cast", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const treasury = await f.treasury.getAddress();
    await expect(f.token.connect(f.alice).delegate(treasury))
      .to.be.revertedWithCustomError(f.token, "CivitasInvalidAccount")
      .withArgs(treasury);
    expect(await f.token.delegates(f.alice.address)).to.equal(f.alice.address);
  });
});
