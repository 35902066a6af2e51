/**
 * The economy's feedback is stored compact (a 32-bit entry in the (agent, client) log, see
 * ReputationRegistry `_log`), the open feedback in full: every ERC-8004 read answers exactly what was
 * given whichever form it took, across the log's word boundaries (indexes 6/7 and 14/15), with a client
 * that both reports and gives open feedback, and for every input the compact form cannot hold.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { CIV, deployFoundation } from "../helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

const ZERO_HASH = ethers.ZeroHash;
const b32 = (text: string) => ethers.encodeBytes32String(text);

async function fixture() {
  const base = await deployFoundation(ethers);
  const { token, treasury, admin } = base;
  const signers = await ethers.getSigners();
  const [reporter, other] = signers.slice(6, 8);
  const registry = await ethers.deployContract("AgentRegistry", [
    admin.address,
    token,
    treasury,
    0n,
    100n * CIV,
  ]);
  await token.grantRole(await token.UPKEEP_BURNER_ROLE(), registry);
  await registry.grantRole(await registry.REPORTER_ROLE(), reporter);
  await registry.connect(admin).setReporterTag(reporter, b32("civitas.escrow"));
  const reputation = await ethers.getContractAt("ReputationRegistry", await registry.reputationRegistry());
  const [owner] = base.agents;
  await registry.connect(owner)["register(string)"]("ipfs://agent");
  // The identity registry itself, to call recordEconomyFeedback with inputs the AgentRegistry never sends.
  const registryAddress = await registry.getAddress();
  await networkHelpers.impersonateAccount(registryAddress);
  await networkHelpers.setBalance(registryAddress, 10n ** 20n);
  const asRegistry = await ethers.getSigner(registryAddress);
  return { ...base, registry, reputation, reporter, other, asRegistry, agentId: 1n };
}

/** One expected feedback: [value, decimals, tag1, tag2, revoked], as readFeedback returns it. */
type Row = [bigint, bigint, string, string, boolean];

describe("ReputationRegistry: compact economy feedback", function () {
  it("answers every read exactly across the log's words, mixed with open feedback from the same client", async function () {
    const { reputation, registry, reporter, agentId } = await loadFixture(fixture);
    const expected: Row[] = [];
    for (let i = 1; i <= 17; i++) {
      if (i % 5 === 0) {
        // The reporter also gives open feedback (stored in full) in the same index space.
        await reputation
          .connect(reporter)
          .giveFeedback(agentId, BigInt(i) * 1000n, 3, "open", `t${i}`, "", "", ZERO_HASH);
        expected.push([BigInt(i) * 1000n, 3n, "open", `t${i}`, false]);
      } else {
        const delta = i % 2 === 0 ? BigInt(i) : -BigInt(i);
        const reason = i % 3 === 0 ? "escrow.paid" : "escrow.completed";
        await registry.connect(reporter).reportAgentReputation(agentId, delta, b32(reason), BigInt(i));
        expected.push([delta, 0n, "civitas.escrow", reason, false]);
      }
    }
    expect(await reputation.getLastIndex(agentId, reporter)).to.equal(17n);
    expect(await reputation.getClients(agentId)).to.deep.equal([reporter.address]);
    for (let i = 1; i <= 17; i++) {
      const [value, decimals, tag1, tag2, revoked] = expected[i - 1]!;
      expect(await reputation.readFeedback(agentId, reporter, BigInt(i))).to.deep.equal([
        value,
        decimals,
        tag1,
        tag2,
        revoked,
      ]);
    }

    // Revoking a compact entry on each side of a word boundary touches that entry only.
    for (const index of [6n, 7n, 15n]) {
      await expect(reputation.connect(reporter).revokeFeedback(agentId, index))
        .to.emit(reputation, "FeedbackRevoked")
        .withArgs(agentId, reporter.address, index);
      expected[Number(index) - 1]![4] = true;
      await expect(reputation.connect(reporter).revokeFeedback(agentId, index))
        .to.be.revertedWithCustomError(reputation, "ReputationRegistryAlreadyRevoked")
        .withArgs(agentId, reporter.address, index);
    }
    await reputation.connect(reporter).revokeFeedback(agentId, 10n); // open feedback, stored in full
    expected[9]![4] = true;

    const all = await reputation.readAllFeedback(agentId, [], "", "", true);
    expect(all[1]).to.deep.equal(expected.map((_, i) => BigInt(i + 1)));
    expect(all[2]).to.deep.equal(expected.map((r) => r[0]));
    expect(all[3]).to.deep.equal(expected.map((r) => r[1]));
    expect(all[4]).to.deep.equal(expected.map((r) => r[2]));
    expect(all[5]).to.deep.equal(expected.map((r) => r[3]));
    expect(all[6]).to.deep.equal(expected.map((r) => r[4]));

    // The summary of the live escrow feedback, filtered by the reason tag, as the standard defines it.
    const live = expected.filter((r) => !r[4] && r[2] === "civitas.escrow" && r[3] === "escrow.completed");
    const sum = live.reduce((s, r) => s + r[0], 0n);
    expect(
      await reputation.getSummary(agentId, [reporter], "civitas.escrow", "escrow.completed"),
    ).to.deep.equal([BigInt(live.length), sum / BigInt(live.length), 0n]);

    // Responses attach to compact feedback like to any other.
    await reputation.connect(reporter).appendResponse(agentId, reporter, 7n, "ipfs://answer", ZERO_HASH);
    expect(await reputation.getResponseCount(agentId, reporter, 7n, [])).to.equal(1n);
  });

  it("keeps what the compact form cannot hold in full: values beyond int16, tags that are not words", async function () {
    const { reputation, asRegistry, reporter, agentId } = await loadFixture(fixture);
    const thirtyTwo = "abcdefghijklmnopqrstuvwxyz012345";
    const cases: [bigint, string, string][] = [
      [32_767n, "civitas.escrow", "max"], // int16 bounds: compact
      [-32_768n, "civitas.escrow", "min"],
      [32_768n, "civitas.escrow", "above"], // one past: in full
      [-32_769n, "civitas.escrow", "below"],
      [10n ** 38n, "a", "b"],
      [5n, thirtyTwo, thirtyTwo], // 32-byte tags: still words
      [6n, `${thirtyTwo}6`, "x"], // 33 bytes: in full
      [7n, "ends\u0000", "x"], // a trailing zero byte would be lost in a word: in full
      [8n, "", ""], // empty tags
      [9n, "mid\u0000dle", "x"], // an inner zero byte survives in a word
    ];
    for (const [value, tag1, tag2] of cases) {
      await expect(
        reputation.connect(asRegistry).recordEconomyFeedback(agentId, reporter, value, tag1, tag2, ZERO_HASH),
      ).to.emit(reputation, "NewFeedback");
    }
    for (let i = 0; i < cases.length; i++) {
      const [value, tag1, tag2] = cases[i]!;
      expect(await reputation.readFeedback(agentId, reporter, BigInt(i + 1))).to.deep.equal([
        value,
        0n,
        tag1,
        tag2,
        false,
      ]);
    }
    const all = await reputation.readAllFeedback(agentId, [reporter], "", "", false);
    expect(all[2]).to.deep.equal(cases.map((c) => c[0]));
    expect(all[4]).to.deep.equal(cases.map((c) => c[1]));
  });

  it("lets nobody but the client revoke, and no other client's log is touched", async function () {
    const { reputation, registry, reporter, other, agentId } = await loadFixture(fixture);
    await registry.connect(reporter).reportAgentReputation(agentId, 3n, b32("escrow.completed"), 1n);
    await reputation.connect(other).giveFeedback(agentId, 1n, 0, "", "", "", "", ZERO_HASH);
    await expect(reputation.connect(other).revokeFeedback(agentId, 2n))
      .to.be.revertedWithCustomError(reputation, "ReputationRegistryIndexOutOfBounds")
      .withArgs(agentId, other.address, 2n, 1n);
    await reputation.connect(other).revokeFeedback(agentId, 1n);
    expect(await reputation.readFeedback(agentId, reporter, 1n)).to.deep.equal([
      3n,
      0n,
      "civitas.escrow",
      "escrow.completed",
      false,
    ]);
    expect(await reputation.getClients(agentId)).to.deep.equal([reporter.address, other.address]);
  });
});
