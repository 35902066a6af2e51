import { expect } from "chai";
import { network } from "hardhat";
import { CIV, deployFoundation } from "../helpers/fixtures.ts";

/**
 * `AgentRegistry.reportAgentReputations` (issue 19): the two reports a settlement makes (the escrow's
 * `approve`: provider and client) in one call, and `ReputationRegistry.recordEconomyFeedbackPair` behind it.
 * Every event, score and ERC-8004 read must be exactly what two `reportAgentReputation` calls give; only
 * reporters may call the first, only the identity registry the second.
 */
const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

const b32 = (text: string) => ethers.encodeBytes32String(text);

async function fixture() {
  const base = await deployFoundation(ethers);
  const { token, treasury, admin } = base;
  const signers = await ethers.getSigners();
  const [reporter, otherReporter] = signers.slice(6, 8);
  const registry = await ethers.deployContract("AgentRegistry", [
    admin.address,
    token,
    treasury,
    0n,
    100n * CIV,
  ]);
  await token.grantRole(await token.UPKEEP_BURNER_ROLE(), registry);
  await registry.grantRole(await registry.REPORTER_ROLE(), reporter);
  await registry.grantRole(await registry.REPORTER_ROLE(), otherReporter);
  await registry.setReporterTag(reporter, b32("civitas.escrow"));
  const reputation = await ethers.getContractAt("ReputationRegistry", await registry.reputationRegistry());
  const [provider, client] = base.agents;
  await registry.connect(provider)["register(string)"]("ipfs://provider");
  await registry.connect(client)["register(string)"]("ipfs://client");
  return {
    ...base,
    registry,
    reputation,
    reporter,
    otherReporter,
    provider,
    client,
    providerId: 1n,
    clientId: 2n,
  };
}
type Fx = Awaited<ReturnType<typeof fixture>>;
type Report = { agentId: bigint; delta: bigint; reason: string };

/** The registry's and the Reputation Registry's events in a receipt, in order, as [name, args]. */
async function eventsOf(f: Fx, tx: Promise<any>) {
  const receipt = await (await tx).wait();
  const out: [string, unknown[]][] = [];
  for (const log of receipt!.logs) {
    const parsed = f.registry.interface.parseLog(log) ?? f.reputation.interface.parseLog(log);
    if (parsed !== null) out.push([parsed.name, [...parsed.args]]);
  }
  return out;
}

/** Every ERC-8004 read and score about both agents from both reporters. */
async function readsOf(f: Fx) {
  const clients = [f.reporter.address, f.otherReporter.address];
  const out: unknown[] = [];
  for (const id of [f.providerId, f.clientId]) {
    out.push(await f.registry.scoreOf(id));
    out.push(await f.reputation.getClients(id));
    for (const c of clients) out.push(await f.reputation.getLastIndex(id, c));
    out.push(await f.reputation.readAllFeedback(id, [], "", "", true));
    out.push(await f.reputation.getSummary(id, clients, "", ""));
    out.push(await f.reputation.getSummary(id, clients, "civitas.escrow", ""));
  }
  return out;
}

/** Runs `pairs` once as pairs and once (from the same state) as single reports; both must agree. */
async function expectSameAsSingles(load: () => Promise<Fx>, pairs: [Report, Report][], ref = 42n) {
  let f = await load();
  const pairEvents: [string, unknown[]][] = [];
  for (const [a, b] of pairs)
    pairEvents.push(...(await eventsOf(f, f.registry.connect(f.reporter).reportAgentReputations(a, b, ref))));
  const pairReads = await readsOf(f);
  f = await load();
  const singleEvents: [string, unknown[]][] = [];
  for (const pair of pairs) {
    const evs: [string, unknown[]][] = [];
    for (const r of pair) {
      evs.push(
        ...(await eventsOf(
          f,
          f.registry.connect(f.reporter).reportAgentReputation(r.agentId, r.delta, r.reason, ref),
        )),
      );
    }
    // A pair emits both ReputationChanged first, then both NewFeedback (one call to the Reputation Registry).
    singleEvents.push(
      ...evs.filter(([n]) => n === "ReputationChanged"),
      ...evs.filter(([n]) => n !== "ReputationChanged"),
    );
  }
  expect(pairEvents).to.deep.equal(singleEvents);
  expect(pairReads).to.deep.equal(await readsOf(f));
  return pairEvents;
}

describe("AgentRegistry.reportAgentReputations (two reports, one call)", function () {
  describe("the same as two single reports", function () {
    it("writes both scores, both feedback records and every event as two reportAgentReputation calls", async function () {
      const f = await loadFixture(fixture);
      const events = await expectSameAsSingles(
        () => loadFixture(fixture),
        [
          [
            { agentId: f.providerId, delta: 10n, reason: b32("escrow.completed") },
            { agentId: f.clientId, delta: 2n, reason: b32("escrow.paid") },
          ],
          [
            { agentId: f.providerId, delta: 3n, reason: b32("escrow.completed") },
            { agentId: f.clientId, delta: -2n, reason: b32("escrow.clientSilent") },
          ],
        ],
      );
      expect(events.map(([n]) => n)).to.deep.equal([
        "ReputationChanged",
        "ReputationChanged",
        "NewFeedback",
        "NewFeedback",
        "ReputationChanged",
        "ReputationChanged",
        "NewFeedback",
        "NewFeedback",
      ]);
      expect(events[2][1]).to.deep.equal([
        f.providerId,
        f.reporter.address,
        1n,
        10n,
        0n,
        // The indexed tag1 is stored as its hash.
        (events[2][1] as any[])[5],
        "civitas.escrow",
        "escrow.completed",
        "",
        "",
        ethers.toBeHex(42n, 32),
      ]);
    });

    it("clamps each score, applies both changes in order to one agent named twice, past word boundaries", async function () {
      const f = await loadFixture(fixture);
      const pairs: [Report, Report][] = [
        [
          { agentId: f.providerId, delta: 1500n, reason: b32("escrow.completed") },
          { agentId: f.providerId, delta: -3000n, reason: b32("escrow.paid") },
        ],
      ];
      // Eight more pairs: the (provider, reporter) log crosses from word 0 into words 1 and 2.
      for (let i = 0; i < 8; i++) {
        pairs.push([
          { agentId: f.providerId, delta: 7n, reason: b32("escrow.completed") },
          { agentId: f.clientId, delta: -1n, reason: b32("escrow.rating") },
        ]);
      }
      await expectSameAsSingles(() => loadFixture(fixture), pairs);
    });

    it("keeps reasons as the single path spells them: empty, with a zero byte inside, all 32 bytes", async function () {
      const f = await loadFixture(fixture);
      const inner = ethers.zeroPadBytes(
        ethers.concat([ethers.toUtf8Bytes("a"), "0x00", ethers.toUtf8Bytes("b")]),
        32,
      );
      const full = ethers.hexlify(ethers.toUtf8Bytes("x".repeat(32)));
      await expectSameAsSingles(
        () => loadFixture(fixture),
        [
          [
            { agentId: f.providerId, delta: 1n, reason: ethers.ZeroHash },
            { agentId: f.clientId, delta: 1n, reason: inner },
          ],
          [
            { agentId: f.clientId, delta: 1n, reason: full },
            { agentId: f.providerId, delta: -1n, reason: full },
          ],
        ],
      );
    });

    it("tags an untagged reporter `civitas`, as a single report does", async function () {
      const f = await loadFixture(fixture);
      const r: Report = { agentId: f.providerId, delta: 4n, reason: b32("x") };
      await f.registry.connect(f.otherReporter).reportAgentReputations(r, { ...r, agentId: f.clientId }, 9n);
      expect(await f.reputation.readFeedback(f.clientId, f.otherReporter, 1n)).to.deep.equal([
        4n,
        0n,
        "civitas",
        "x",
        false,
      ]);
    });
  });

  describe("attacks and roles", function () {
    it("refuses anyone without REPORTER_ROLE: the agents themselves, their owners' operators, the admin", async function () {
      const f = await loadFixture(fixture);
      const a: Report = { agentId: f.providerId, delta: 500n, reason: b32("escrow.completed") };
      const b: Report = { agentId: f.clientId, delta: 500n, reason: b32("escrow.paid") };
      const role = await f.registry.REPORTER_ROLE();
      await f.registry.connect(f.provider).setApprovalForAll(f.client, true);
      for (const caller of [f.provider, f.client, f.admin, f.outsider]) {
        await expect(f.registry.connect(caller).reportAgentReputations(a, b, 1n))
          .to.be.revertedWithCustomError(f.registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, role);
      }
      // The same call from a reporter succeeds: the role is what refused it.
      await expect(f.registry.connect(f.reporter).reportAgentReputations(a, b, 1n)).to.emit(
        f.registry,
        "ReputationChanged",
      );
    });

    it("refuses an id never registered in either place (0 included), changing nothing", async function () {
      const f = await loadFixture(fixture);
      const good: Report = { agentId: f.providerId, delta: 10n, reason: b32("escrow.completed") };
      for (const unknown of [0n, 3n, 2n ** 64n]) {
        const bad: Report = { agentId: unknown, delta: 2n, reason: b32("escrow.paid") };
        await expect(f.registry.connect(f.reporter).reportAgentReputations(good, bad, 1n))
          .to.be.revertedWithCustomError(f.registry, "ERC721NonexistentToken")
          .withArgs(unknown);
        await expect(f.registry.connect(f.reporter).reportAgentReputations(bad, good, 1n))
          .to.be.revertedWithCustomError(f.registry, "ERC721NonexistentToken")
          .withArgs(unknown);
        await expect(f.registry.connect(f.reporter).reportAgentReputation(unknown, 1n, b32("x"), 1n))
          .to.be.revertedWithCustomError(f.registry, "ERC721NonexistentToken")
          .withArgs(unknown);
      }
      expect(await f.registry.scoreOf(f.providerId)).to.equal(0n);
      expect(await f.reputation.getLastIndex(f.providerId, f.reporter)).to.equal(0n);
    });

    it("reports about an agent whose wallet is gone or that is suspended, as a single report does", async function () {
      const f = await loadFixture(fixture);
      await f.registry.connect(f.provider).unsetAgentWallet(f.providerId);
      await f.registry.connect(f.admin).suspend(f.clientId, "test");
      await expect(
        f.registry
          .connect(f.reporter)
          .reportAgentReputations(
            { agentId: f.providerId, delta: -15n, reason: b32("escrow.deliveryMissed") },
            { agentId: f.clientId, delta: -2n, reason: b32("escrow.clientSilent") },
            7n,
          ),
      )
        .to.emit(f.registry, "ReputationChanged")
        .withArgs(
          f.providerId,
          ethers.ZeroAddress,
          f.reporter.address,
          -15n,
          -15n,
          -15n,
          b32("escrow.deliveryMissed"),
          7n,
        );
      expect(await f.registry.scoreOf(f.clientId)).to.equal(-2n);
    });

    it("only the identity registry records a feedback pair: not a reporter, an agent, the admin", async function () {
      const f = await loadFixture(fixture);
      const fb = { agentId: f.providerId, value: 100n, tag2: b32("escrow.completed") };
      for (const caller of [f.reporter, f.provider, f.admin, f.outsider]) {
        await expect(
          f.reputation
            .connect(caller)
            .recordEconomyFeedbackPair(caller.address, b32("civitas.escrow"), fb, fb, ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(f.reputation, "ReputationRegistryNotIdentityRegistry")
          .withArgs(caller.address);
      }
    });
  });
});
