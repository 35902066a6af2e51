/**
 * ERC-8004 Reputation Registry conformance, written from the specification's text (and the reference
 * implementation where the text is silent), plus the Civitas path: every reputation report that lands in
 * the AgentRegistry becomes feedback from the reporting contract.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { CIV, deployFoundation } from "../helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

const ZERO_HASH = ethers.ZeroHash;
const MAX_ABS = 10n ** 38n;
const b32 = (text: string) => ethers.encodeBytes32String(text);

async function fixture() {
  const base = await deployFoundation(ethers);
  const { token, treasury, admin } = base;
  const signers = await ethers.getSigners();
  const [reporter, client1, client2, client3, operator] = signers.slice(6, 11);
  const registry = await ethers.deployContract("AgentRegistry", [
    admin.address,
    token,
    treasury,
    0n,
    100n * CIV,
  ]);
  await token.grantRole(await token.UPKEEP_BURNER_ROLE(), registry);
  await registry.grantRole(await registry.REPORTER_ROLE(), reporter);
  const reputation = await ethers.getContractAt("ReputationRegistry", await registry.reputationRegistry());
  const [owner] = base.agents;
  await registry.connect(owner)["register(string)"]("ipfs://agent");
  return { ...base, registry, reputation, owner, reporter, client1, client2, client3, operator, agentId: 1n };
}

/** giveFeedback with defaults for the fields a test does not care about. */
function give(
  reputation: any,
  from: any,
  agentId: bigint,
  value: bigint,
  opts: { decimals?: number; tag1?: string; tag2?: string } = {},
) {
  return reputation
    .connect(from)
    .giveFeedback(agentId, value, opts.decimals ?? 0, opts.tag1 ?? "", opts.tag2 ?? "", "", "", ZERO_HASH);
}

describe("ReputationRegistry (ERC-8004)", function () {
  describe("deployment", function () {
    it("exposes its identity registry and the value bounds", async function () {
      const { reputation, registry } = await loadFixture(fixture);
      expect(await reputation.getIdentityRegistry()).to.equal(await registry.getAddress());
      expect(await reputation.MAX_ABS_VALUE()).to.equal(MAX_ABS);
      expect(await reputation.MAX_VALUE_DECIMALS()).to.equal(18n);
    });

    it("refuses a zero identity registry", async function () {
      const { reputation } = await loadFixture(fixture);
      await expect(
        ethers.deployContract("ReputationRegistry", [ethers.ZeroAddress]),
      ).to.be.revertedWithCustomError(reputation, "ReputationRegistryZeroAddress");
    });
  });

  describe("giveFeedback", function () {
    it("stores feedback at index 1, 2, … per client and emits NewFeedback with every field", async function () {
      const { reputation, client1, agentId } = await loadFixture(fixture);
      const hash = ethers.keccak256(ethers.toUtf8Bytes("feedback file"));
      await expect(
        reputation
          .connect(client1)
          .giveFeedback(agentId, -325n, 2, "quality", "speed", "https://agent.example", "ipfs://fb", hash),
      )
        .to.emit(reputation, "NewFeedback")
        .withArgs(
          agentId,
          client1.address,
          1n,
          -325n,
          2n,
          "quality",
          "quality",
          "speed",
          "https://agent.example",
          "ipfs://fb",
          hash,
        );
      await expect(give(reputation, client1, agentId, 7n))
        .to.emit(reputation, "NewFeedback")
        .withArgs(agentId, client1.address, 2n, 7n, 0n, "", "", "", "", "", ZERO_HASH);
      expect(await reputation.getLastIndex(agentId, client1)).to.equal(2n);
      expect(await reputation.readFeedback(agentId, client1, 1n)).to.deep.equal([
        -325n,
        2n,
        "quality",
        "speed",
        false,
      ]);
      expect(await reputation.getClients(agentId)).to.deep.equal([client1.address]);
    });

    it("accepts |value| and decimals exactly at the bounds and refuses one above", async function () {
      const { reputation, client1, agentId } = await loadFixture(fixture);
      await give(reputation, client1, agentId, MAX_ABS, { decimals: 18 });
      await give(reputation, client1, agentId, -MAX_ABS);
      await expect(give(reputation, client1, agentId, MAX_ABS + 1n))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryValueTooLarge")
        .withArgs(MAX_ABS + 1n, MAX_ABS);
      await expect(give(reputation, client1, agentId, -MAX_ABS - 1n))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryValueTooLarge")
        .withArgs(-MAX_ABS - 1n, MAX_ABS);
      await expect(give(reputation, client1, agentId, 1n, { decimals: 19 }))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryTooManyDecimals")
        .withArgs(19n, 18n);
    });

    it("refuses feedback about an agent that does not exist", async function () {
      const { reputation, registry, client1 } = await loadFixture(fixture);
      await expect(give(reputation, client1, 99n, 1n))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(99n);
    });

    it("refuses self-feedback from the owner, an operator for all and the approved address", async function () {
      const { reputation, registry, owner, operator, client1, agentId } = await loadFixture(fixture);
      await expect(give(reputation, owner, agentId, 1n))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistrySelfFeedback")
        .withArgs(agentId, owner.address);
      await registry.connect(owner).setApprovalForAll(operator, true);
      await expect(give(reputation, operator, agentId, 1n))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistrySelfFeedback")
        .withArgs(agentId, operator.address);
      await registry.connect(owner).approve(client1, agentId);
      await expect(give(reputation, client1, agentId, 1n))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistrySelfFeedback")
        .withArgs(agentId, client1.address);
      expect(await registry.isAuthorizedOrOwner(client1, agentId)).to.equal(true);
      expect(await registry.isAuthorizedOrOwner(operator, agentId)).to.equal(true);
    });
  });

  describe("revokeFeedback", function () {
    it("marks the caller's own feedback revoked, keeping it readable", async function () {
      const { reputation, client1, agentId } = await loadFixture(fixture);
      await give(reputation, client1, agentId, 80n, { tag1: "a", tag2: "b" });
      await give(reputation, client1, agentId, 90n);
      await expect(reputation.connect(client1).revokeFeedback(agentId, 1n))
        .to.emit(reputation, "FeedbackRevoked")
        .withArgs(agentId, client1.address, 1n);
      expect(await reputation.readFeedback(agentId, client1, 1n)).to.deep.equal([80n, 0n, "a", "b", true]);
      expect((await reputation.readFeedback(agentId, client1, 2n))[4]).to.equal(false);
      expect(await reputation.getLastIndex(agentId, client1)).to.equal(2n);
    });

    it("refuses index 0, an index past the client's last, another client's feedback and a second revocation", async function () {
      const { reputation, client1, client2, agentId } = await loadFixture(fixture);
      await give(reputation, client1, agentId, 80n);
      await expect(reputation.connect(client1).revokeFeedback(agentId, 0n)).to.be.revertedWithCustomError(
        reputation,
        "ReputationRegistryZeroIndex",
      );
      await expect(reputation.connect(client1).revokeFeedback(agentId, 2n))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryIndexOutOfBounds")
        .withArgs(agentId, client1.address, 2n, 1n);
      await expect(reputation.connect(client2).revokeFeedback(agentId, 1n))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryIndexOutOfBounds")
        .withArgs(agentId, client2.address, 1n, 0n);
      await reputation.connect(client1).revokeFeedback(agentId, 1n);
      await expect(reputation.connect(client1).revokeFeedback(agentId, 1n))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryAlreadyRevoked")
        .withArgs(agentId, client1.address, 1n);
    });
  });

  describe("appendResponse and getResponseCount", function () {
    it("lets anyone respond, any number of times, also to revoked feedback, and counts by scope", async function () {
      const { reputation, owner, client1, client2, client3, agentId } = await loadFixture(fixture);
      await give(reputation, client1, agentId, 80n);
      await give(reputation, client1, agentId, 70n);
      await give(reputation, client2, agentId, 60n);
      const hash = ethers.keccak256(ethers.toUtf8Bytes("refund"));
      await expect(reputation.connect(owner).appendResponse(agentId, client1, 1n, "ipfs://refund", hash))
        .to.emit(reputation, "ResponseAppended")
        .withArgs(agentId, client1.address, 1n, owner.address, "ipfs://refund", hash);
      await reputation.connect(owner).appendResponse(agentId, client1, 1n, "ipfs://again", ZERO_HASH);
      await reputation.connect(client3).appendResponse(agentId, client1, 2n, "ipfs://spam-tag", ZERO_HASH);
      await reputation.connect(client2).revokeFeedback(agentId, 1n);
      await reputation.connect(client3).appendResponse(agentId, client2, 1n, "ipfs://late", ZERO_HASH);

      expect(await reputation.getResponseCount(agentId, client1, 1n, [])).to.equal(2n);
      expect(await reputation.getResponseCount(agentId, client1, 1n, [owner.address])).to.equal(2n);
      expect(await reputation.getResponseCount(agentId, client1, 1n, [client3.address])).to.equal(0n);
      expect(await reputation.getResponseCount(agentId, client1, 0n, [])).to.equal(3n);
      expect(await reputation.getResponseCount(agentId, ethers.ZeroAddress, 0n, [])).to.equal(4n);
      expect(await reputation.getResponseCount(agentId, ethers.ZeroAddress, 0n, [client3.address])).to.equal(
        2n,
      );
    });

    it("refuses index 0, an empty URI and feedback that does not exist", async function () {
      const { reputation, client1, client2, agentId } = await loadFixture(fixture);
      await give(reputation, client1, agentId, 80n);
      await expect(
        reputation.connect(client2).appendResponse(agentId, client1, 0n, "ipfs://r", ZERO_HASH),
      ).to.be.revertedWithCustomError(reputation, "ReputationRegistryZeroIndex");
      await expect(
        reputation.connect(client2).appendResponse(agentId, client1, 1n, "", ZERO_HASH),
      ).to.be.revertedWithCustomError(reputation, "ReputationRegistryEmptyResponseURI");
      await expect(reputation.connect(client2).appendResponse(agentId, client1, 2n, "ipfs://r", ZERO_HASH))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryIndexOutOfBounds")
        .withArgs(agentId, client1.address, 2n, 1n);
    });
  });

  describe("getSummary and readAllFeedback", function () {
    it("requires the clients to count", async function () {
      const { reputation, agentId } = await loadFixture(fixture);
      await expect(reputation.getSummary(agentId, [], "", "")).to.be.revertedWithCustomError(
        reputation,
        "ReputationRegistryClientsRequired",
      );
    });

    it("averages non-revoked feedback of the listed clients, filtered by tag (empty matches all)", async function () {
      const { reputation, client1, client2, client3, agentId } = await loadFixture(fixture);
      await give(reputation, client1, agentId, 80n, { tag1: "service", tag2: "fast" });
      await give(reputation, client1, agentId, 90n, { tag1: "service", tag2: "slow" });
      await give(reputation, client2, agentId, 100n, { tag1: "quality", tag2: "fast" });
      await give(reputation, client3, agentId, -100n, { tag1: "service", tag2: "fast" });
      const both = [client1.address, client2.address];
      expect(await reputation.getSummary(agentId, both, "", "")).to.deep.equal([3n, 90n, 0n]);
      expect(await reputation.getSummary(agentId, both, "service", "")).to.deep.equal([2n, 85n, 0n]);
      expect(await reputation.getSummary(agentId, both, "", "fast")).to.deep.equal([2n, 90n, 0n]);
      expect(await reputation.getSummary(agentId, both, "service", "fast")).to.deep.equal([1n, 80n, 0n]);
      expect(await reputation.getSummary(agentId, both, "none", "")).to.deep.equal([0n, 0n, 0n]);
      expect(await reputation.getSummary(agentId, [client3.address], "", "")).to.deep.equal([1n, -100n, 0n]);
      await reputation.connect(client1).revokeFeedback(agentId, 2n);
      expect(await reputation.getSummary(agentId, both, "", "")).to.deep.equal([2n, 90n, 0n]);
    });

    it("averages at 18 decimals and answers in the decimals most feedback uses (the fewest on a tie)", async function () {
      const { reputation, client1, client2, agentId } = await loadFixture(fixture);
      await give(reputation, client1, agentId, 9977n, { decimals: 2 }); // 99.77
      await give(reputation, client1, agentId, 9823n, { decimals: 2 }); // 98.23
      await give(reputation, client2, agentId, 97n); // 97
      // (99.77 + 98.23 + 97) / 3 = 98.333… → 9833 with 2 decimals.
      expect(await reputation.getSummary(agentId, [client1.address, client2.address], "", "")).to.deep.equal([
        3n,
        9833n,
        2n,
      ]);
      // A tie between 0 and 2 decimals answers with 0: (99.77 + 97) / 2 = 98.385 → 98.
      await reputation.connect(client1).revokeFeedback(agentId, 2n);
      expect(await reputation.getSummary(agentId, [client1.address, client2.address], "", "")).to.deep.equal([
        2n,
        98n,
        0n,
      ]);
    });

    it("reads every feedback of every client when none are listed, with or without revoked ones", async function () {
      const { reputation, client1, client2, agentId } = await loadFixture(fixture);
      await give(reputation, client1, agentId, 80n, { tag1: "q" });
      await give(reputation, client2, agentId, -5n, { decimals: 1, tag1: "q", tag2: "x" });
      await give(reputation, client1, agentId, 70n, { tag1: "other" });
      await reputation.connect(client1).revokeFeedback(agentId, 1n);
      expect(await reputation.readAllFeedback(agentId, [], "q", "", true)).to.deep.equal([
        [client1.address, client2.address],
        [1n, 1n],
        [80n, -5n],
        [0n, 1n],
        ["q", "q"],
        ["", "x"],
        [true, false],
      ]);
      const live = await reputation.readAllFeedback(agentId, [], "", "", false);
      expect(live[0]).to.deep.equal([client1.address, client2.address]);
      expect(live[1]).to.deep.equal([2n, 1n]);
      expect((await reputation.readAllFeedback(agentId, [client2.address], "", "", false))[2]).to.deep.equal([
        -5n,
      ]);
    });

    it("reads a single feedback only at a valid index", async function () {
      const { reputation, client1, agentId } = await loadFixture(fixture);
      await give(reputation, client1, agentId, 80n);
      await expect(reputation.readFeedback(agentId, client1, 0n)).to.be.revertedWithCustomError(
        reputation,
        "ReputationRegistryZeroIndex",
      );
      await expect(reputation.readFeedback(agentId, client1, 2n))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryIndexOutOfBounds")
        .withArgs(agentId, client1.address, 2n, 1n);
      expect(await reputation.getLastIndex(agentId, ethers.ZeroAddress)).to.equal(0n);
      expect(await reputation.getClients(2n)).to.deep.equal([]);
    });
  });

  describe("economy feedback (Civitas)", function () {
    it("records every report that lands as feedback from the reporter, tagged by reporter kind and reason", async function () {
      const { reputation, registry, admin, reporter, owner, agentId } = await loadFixture(fixture);
      await expect(registry.connect(admin).setReporterTag(reporter, b32("civitas.escrow")))
        .to.emit(registry, "ReporterTagSet")
        .withArgs(reporter.address, ethers.ZeroHash, b32("civitas.escrow"));
      const tx = registry.connect(reporter).reportAgentReputation(agentId, 10n, b32("escrow.completed"), 42n);
      await expect(tx)
        .to.emit(reputation, "NewFeedback")
        .withArgs(
          agentId,
          reporter.address,
          1n,
          10n,
          0n,
          "civitas.escrow",
          "civitas.escrow",
          "escrow.completed",
          "",
          "",
          ethers.toBeHex(42n, 32),
        );
      await registry.connect(reporter).reportReputation(owner, -4n, b32("escrow.deliveryMissed"), 43n);
      expect(await reputation.getSummary(agentId, [reporter.address], "civitas.escrow", "")).to.deep.equal([
        2n,
        3n,
        0n,
      ]);
      expect(await reputation.readFeedback(agentId, reporter, 2n)).to.deep.equal([
        -4n,
        0n,
        "civitas.escrow",
        "escrow.deliveryMissed",
        false,
      ]);
    });

    it("keeps a reporter's tag and role in step: set before or after the grant, changed, revoked, renounced", async function () {
      const { reputation, registry, admin, reporter, client1, agentId } = await loadFixture(fixture);
      const role = await registry.REPORTER_ROLE();
      const tag1Of = async (tx: Promise<any>) => {
        const receipt = await (await tx).wait();
        const log = receipt.logs.find((l: any) => l.address === (reputation.target as string));
        return reputation.interface.parseLog(log)!.args.tag1 as string;
      };
      // Tagged before it is a reporter: refused until granted, then tagged so.
      await registry.connect(admin).setReporterTag(client1, b32("civitas.tasks"));
      await expect(registry.connect(client1).reportAgentReputation(agentId, 1n, b32("x"), 1n))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(client1.address, role);
      await registry.connect(admin).grantRole(role, client1);
      expect(
        await tag1Of(registry.connect(client1).reportAgentReputation(agentId, 1n, b32("x"), 2n)),
      ).to.equal("civitas.tasks");
      // Retagged while a reporter: the next report carries the new tag; cleared: the default.
      await registry.connect(admin).setReporterTag(client1, b32("civitas.loans"));
      expect(
        await tag1Of(registry.connect(client1).reportAgentReputation(agentId, 1n, b32("x"), 3n)),
      ).to.equal("civitas.loans");
      await registry.connect(admin).setReporterTag(client1, ethers.ZeroHash);
      expect(
        await tag1Of(registry.connect(client1).reportAgentReputation(agentId, 1n, b32("x"), 4n)),
      ).to.equal("civitas");
      // Revoked: every report path refuses, though the tag is still set.
      await registry.connect(admin).setReporterTag(client1, b32("civitas.loans"));
      await registry.connect(admin).revokeRole(role, client1);
      expect(await registry.reporterTag(client1)).to.equal(b32("civitas.loans"));
      const pair = [
        { agentId, delta: 1n, reason: b32("x") },
        { agentId, delta: 1n, reason: b32("y") },
      ] as const;
      for (const tx of [
        registry.connect(client1).reportAgentReputation(agentId, 1n, b32("x"), 5n),
        registry.connect(client1).reportReputation(await registry.getAgentWallet(agentId), 1n, b32("x"), 5n),
        registry.connect(client1).reportAgentReputations(pair[0], pair[1], 5n),
      ]) {
        await expect(tx)
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(client1.address, role);
      }
      // Granted again: the tag set while revoked applies. Renounced: refused again.
      await registry.connect(admin).grantRole(role, client1);
      expect(await tag1Of(registry.connect(client1).reportAgentReputations(pair[0], pair[1], 6n))).to.equal(
        "civitas.loans",
      );
      await registry.connect(client1).renounceRole(role, client1);
      await expect(registry.connect(client1).reportAgentReputation(agentId, 1n, b32("x"), 7n))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(client1.address, role);
      // The other reporter is untouched throughout.
      await registry.connect(reporter).reportAgentReputation(agentId, 1n, b32("x"), 8n);
    });

    it("records the applied change at the clamp, and tags an untagged reporter `civitas`", async function () {
      const { reputation, registry, reporter, agentId } = await loadFixture(fixture);
      await registry.connect(reporter).reportAgentReputation(agentId, 1500n, b32("x"), 1n);
      await registry.connect(reporter).reportAgentReputation(agentId, 1n, b32("x"), 2n);
      expect(
        await reputation.readAllFeedback(agentId, [reporter.address], "civitas", "x", false),
      ).to.deep.equal([
        [reporter.address, reporter.address],
        [1n, 2n],
        [1000n, 0n],
        [0n, 0n],
        ["civitas", "civitas"],
        ["x", "x"],
        [false, false],
      ]);
    });

    it("reports by agent id land whatever the wallet does, and refuse ids never registered", async function () {
      const { registry, reporter, owner, agentId } = await loadFixture(fixture);
      await registry.connect(owner).unsetAgentWallet(agentId);
      await expect(
        registry.connect(reporter).reportAgentReputation(agentId, -15n, b32("escrow.deliveryMissed"), 7n),
      )
        .to.emit(registry, "ReputationChanged")
        .withArgs(
          agentId,
          ethers.ZeroAddress,
          reporter.address,
          -15n,
          -15n,
          -15n,
          b32("escrow.deliveryMissed"),
          7n,
        );
      await expect(registry.connect(reporter).reportAgentReputation(5n, 1n, b32("x"), 1n))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(5n);
      await expect(registry.connect(owner).reportAgentReputation(agentId, 1n, b32("x"), 1n))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(owner.address, await registry.REPORTER_ROLE());
    });

    it("only the identity registry records economy feedback", async function () {
      const { reputation, reporter, agentId } = await loadFixture(fixture);
      await expect(
        reputation.connect(reporter).recordEconomyFeedback(agentId, reporter, 1n, "a", "b", ZERO_HASH),
      )
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryNotIdentityRegistry")
        .withArgs(reporter.address);
      await expect(
        reputation
          .connect(reporter)
          .recordEconomyFeedbackWords(
            reporter,
            ethers.encodeBytes32String("a"),
            { agentId, value: 1n, tag2: ethers.encodeBytes32String("b") },
            ZERO_HASH,
          ),
      )
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryNotIdentityRegistry")
        .withArgs(reporter.address);
    });

    it("is created by the registry's constructor and rates that registry's agents", async function () {
      const { registry, reputation, admin, token, treasury, reporter } = await loadFixture(fixture);
      const other = await ethers.deployContract("AgentRegistry", [admin.address, token, treasury, 0n, 0n]);
      const created = await ethers.getContractAt("ReputationRegistry", await other.reputationRegistry());
      expect(await created.getIdentityRegistry()).to.equal(await other.getAddress());
      // The registry's own creation (its first nonce), a new one per registry; the event is checked in
      // AgentRegistry.test.ts with the constructor's others.
      expect(await created.getAddress()).to.not.equal(await reputation.getAddress());
      expect(await created.getAddress()).to.equal(
        ethers.getCreateAddress({ from: await other.getAddress(), nonce: 1 }),
      );
      await expect(other.connect(reporter).setReporterTag(reporter, b32("t")))
        .to.be.revertedWithCustomError(other, "AccessControlUnauthorizedAccount")
        .withArgs(reporter.address, ethers.ZeroHash);
      expect(await registry.reputationRegistry()).to.equal(await reputation.getAddress());
    });
  });
});
