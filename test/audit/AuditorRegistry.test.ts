import { expect } from "chai";
import { AbiCoder, id, keccak256, ZeroHash } from "ethers";
import { network } from "hardhat";

import { action } from "../helpers/governance.ts";
import { deployProtocolFixture } from "../helpers/protocol.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const AUDITOR_ROLE = id("AUDITOR_ROLE");
/** IAuditorRegistry.Verdict. */
const Verdict = { None: 0n, Confirmed: 1n, Dismissed: 2n, Escalated: 3n } as const;
const FLAG = keccak256(
  AbiCoder.defaultAbiCoder().encode(["string", "bytes32", "uint256"], ["sybil-burst", id("tx"), 7n]),
);
const NOTE = "ipfs://bafy-note";

/** A registry administered by `governance` (standing in for the timelock), with `auditor` appointed. */
async function fixture() {
  const [governance, auditor, outsider, second] = await ethers.getSigners();
  const registry = await ethers.deployContract("AuditorRegistry", [governance.address]);
  await registry.connect(governance).grantRole(AUDITOR_ROLE, auditor.address);
  return { registry, governance, auditor, outsider, second };
}

/** The whole protocol, deployed by the real Ignition module. */
async function protocolFixture() {
  return deployProtocolFixture(connection);
}

describe("AuditorRegistry", function () {
  it("refuses a zero governance account", async function () {
    const { registry } = await loadFixture(fixture);
    await expect(
      ethers.deployContract("AuditorRegistry", [ethers.ZeroAddress]),
    ).to.be.revertedWithCustomError(registry, "AuditorRegistryZeroAddress");
  });

  it('names its role keccak256("AUDITOR_ROLE"), administered by governance', async function () {
    const { registry, governance } = await loadFixture(fixture);
    expect(await registry.AUDITOR_ROLE()).to.equal(AUDITOR_ROLE);
    expect(await registry.getRoleAdmin(AUDITOR_ROLE)).to.equal(ZeroHash);
    expect(await registry.hasRole(ZeroHash, governance.address)).to.equal(true);
  });

  describe("flag ids", function () {
    it("derives keccak256(abi.encode(rule, transactionHash, logIndex)), as the indexer does", async function () {
      const { registry } = await loadFixture(fixture);
      expect(await registry.flagIdOf("sybil-burst", id("tx"), 7n)).to.equal(FLAG);
      expect(await registry.flagIdOf("sybil-burst", id("tx"), 8n)).not.to.equal(FLAG);
      expect(await registry.flagIdOf("wash-trading", id("tx"), 7n)).not.to.equal(FLAG);
    });
  });

  describe("appointing and removing auditors", function () {
    it("lets governance appoint and remove an auditor", async function () {
      const { registry, governance, second } = await loadFixture(fixture);
      await expect(registry.connect(governance).grantRole(AUDITOR_ROLE, second.address))
        .to.emit(registry, "RoleGranted")
        .withArgs(AUDITOR_ROLE, second.address, governance.address);
      await expect(registry.connect(governance).revokeRole(AUDITOR_ROLE, second.address))
        .to.emit(registry, "RoleRevoked")
        .withArgs(AUDITOR_ROLE, second.address, governance.address);
      expect(await registry.hasRole(AUDITOR_ROLE, second.address)).to.equal(false);
    });

    it("refuses an appointment or removal by anyone else, an auditor included", async function () {
      const { registry, auditor, outsider, second } = await loadFixture(fixture);
      for (const caller of [outsider, auditor]) {
        await expect(registry.connect(caller).grantRole(AUDITOR_ROLE, second.address))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, ZeroHash);
        await expect(registry.connect(caller).revokeRole(AUDITOR_ROLE, auditor.address))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, ZeroHash);
      }
    });
  });

  describe("recordVerdict", function () {
    it("records each verdict with its note, superseding the previous one", async function () {
      const { registry, auditor, governance, second } = await loadFixture(fixture);
      expect(await registry.verdictOf(FLAG)).to.deep.equal([Verdict.None, ethers.ZeroAddress, 0n]);
      await expect(registry.connect(auditor).recordVerdict(FLAG, Verdict.Dismissed, NOTE))
        .to.emit(registry, "VerdictRecorded")
        .withArgs(FLAG, auditor.address, Verdict.Dismissed, Verdict.None, NOTE);
      const first = BigInt(await time.latest());
      expect(await registry.verdictOf(FLAG)).to.deep.equal([Verdict.Dismissed, auditor.address, first]);

      await registry.connect(governance).grantRole(AUDITOR_ROLE, second.address);
      await expect(registry.connect(second).recordVerdict(FLAG, Verdict.Escalated, "https://notes/2"))
        .to.emit(registry, "VerdictRecorded")
        .withArgs(FLAG, second.address, Verdict.Escalated, Verdict.Dismissed, "https://notes/2");
      expect(await registry.verdictOf(FLAG)).to.deep.equal([
        Verdict.Escalated,
        second.address,
        BigInt(await time.latest()),
      ]);
      await expect(registry.connect(auditor).recordVerdict(FLAG, Verdict.Confirmed, NOTE))
        .to.emit(registry, "VerdictRecorded")
        .withArgs(FLAG, auditor.address, Verdict.Confirmed, Verdict.Escalated, NOTE);
    });

    it("refuses a caller without the auditor role, a removed auditor and governance itself", async function () {
      const { registry, auditor, governance, outsider } = await loadFixture(fixture);
      for (const caller of [outsider, governance]) {
        await expect(registry.connect(caller).recordVerdict(FLAG, Verdict.Confirmed, NOTE))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, AUDITOR_ROLE);
      }
      await registry.connect(governance).revokeRole(AUDITOR_ROLE, auditor.address);
      await expect(registry.connect(auditor).recordVerdict(FLAG, Verdict.Confirmed, NOTE))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(auditor.address, AUDITOR_ROLE);
    });

    it("refuses the zero flag id", async function () {
      const { registry, auditor } = await loadFixture(fixture);
      await expect(
        registry.connect(auditor).recordVerdict(ZeroHash, Verdict.Confirmed, NOTE),
      ).to.be.revertedWithCustomError(registry, "AuditorRegistryZeroFlag");
    });

    it("refuses the verdict None", async function () {
      const { registry, auditor } = await loadFixture(fixture);
      await expect(registry.connect(auditor).recordVerdict(FLAG, Verdict.None, NOTE))
        .to.be.revertedWithCustomError(registry, "AuditorRegistryInvalidVerdict")
        .withArgs(Verdict.None);
    });

    it("refuses an empty note URI", async function () {
      const { registry, auditor } = await loadFixture(fixture);
      await expect(registry.connect(auditor).recordVerdict(FLAG, Verdict.Escalated, ""))
        .to.be.revertedWithCustomError(registry, "AuditorRegistryEmptyNote")
        .withArgs(FLAG);
    });
  });

  describe("in the Protocol deployment", function () {
    it("is administered by the timelock alone: an auditor appointed by proposal records a verdict", async function () {
      const f = await loadFixture(protocolFixture);
      const { auditorRegistry, timelock, deployer, alice, pass } = f;
      expect(await auditorRegistry.hasRole(ZeroHash, await timelock.getAddress())).to.equal(true);
      expect(await auditorRegistry.hasRole(ZeroHash, deployer.address)).to.equal(false);
      await expect(auditorRegistry.connect(deployer).grantRole(AUDITOR_ROLE, alice.address))
        .to.be.revertedWithCustomError(auditorRegistry, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, ZeroHash);

      await pass(
        [await action(auditorRegistry, "grantRole", [AUDITOR_ROLE, alice.address])],
        "Appoint alice auditor",
      );
      expect(await auditorRegistry.hasRole(AUDITOR_ROLE, alice.address)).to.equal(true);
      await expect(auditorRegistry.connect(alice).recordVerdict(FLAG, Verdict.Escalated, NOTE))
        .to.emit(auditorRegistry, "VerdictRecorded")
        .withArgs(FLAG, alice.address, Verdict.Escalated, Verdict.None, NOTE);

      await pass(
        [await action(auditorRegistry, "revokeRole", [AUDITOR_ROLE, alice.address])],
        "Remove alice",
      );
      await expect(auditorRegistry.connect(alice).recordVerdict(FLAG, Verdict.Confirmed, NOTE))
        .to.be.revertedWithCustomError(auditorRegistry, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, AUDITOR_ROLE);
    });
  });
});
