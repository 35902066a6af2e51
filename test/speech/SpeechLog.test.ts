import { expect } from "chai";
import { encodeBytes32String, id, toBeHex, ZeroHash, zeroPadValue } from "ethers";
import { network } from "hardhat";

import { deployProtocolFixture } from "../helpers/protocol.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const REASON = encodeBytes32String("reason");
const DECISION = encodeBytes32String("decision");
const REF = id("a transaction");

/** The whole protocol, deployed by the real Ignition module (SpeechLog wired to the agent registry). */
async function protocolFixture() {
  return deployProtocolFixture(connection);
}

describe("SpeechLog", function () {
  it("is deployed by the Protocol module over the agent registry, with its limits", async function () {
    const { speechLog, registry } = await loadFixture(protocolFixture);
    expect(await speechLog.registry()).to.equal(await registry.getAddress());
    expect(await speechLog.MAX_TEXT_BYTES()).to.equal(1_024n);
    expect(await speechLog.MAX_STATEMENTS()).to.equal(16n);
  });

  it("refuses a zero registry", async function () {
    const { speechLog } = await loadFixture(protocolFixture);
    await expect(ethers.deployContract("SpeechLog", [ethers.ZeroAddress])).to.be.revertedWithCustomError(
      speechLog,
      "SpeechLogZeroAddress",
    );
  });

  describe("speak", function () {
    it("records what an agent in good standing says, under its agent id", async function () {
      const { speechLog, alice, agentIds } = await loadFixture(protocolFixture);
      await expect(speechLog.connect(alice).speak(REASON, REF, "I pay bob: his report was good."))
        .to.emit(speechLog, "Spoke")
        .withArgs(agentIds.alice, alice.address, REASON, REF, "I pay bob: his report was good.");
    });

    it("accepts a text of exactly MAX_TEXT_BYTES bytes and refuses one byte more, counting UTF-8 bytes", async function () {
      const { speechLog, alice, agentIds } = await loadFixture(protocolFixture);
      const max = Number(await speechLog.MAX_TEXT_BYTES());
      await expect(speechLog.connect(alice).speak(REASON, ZeroHash, "a".repeat(max)))
        .to.emit(speechLog, "Spoke")
        .withArgs(agentIds.alice, alice.address, REASON, ZeroHash, "a".repeat(max));
      await expect(speechLog.connect(alice).speak(REASON, ZeroHash, "a".repeat(max + 1)))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogTextTooLong")
        .withArgs(0n, max + 1, max);
      // 512 two-byte characters fit; 513 are 1,026 bytes.
      await expect(speechLog.connect(alice).speak(REASON, ZeroHash, "é".repeat(max / 2))).to.emit(
        speechLog,
        "Spoke",
      );
      await expect(speechLog.connect(alice).speak(REASON, ZeroHash, "é".repeat(max / 2 + 1)))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogTextTooLong")
        .withArgs(0n, max + 2, max);
    });

    it("refuses an empty text", async function () {
      const { speechLog, alice } = await loadFixture(protocolFixture);
      await expect(speechLog.connect(alice).speak(REASON, ZeroHash, ""))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogEmptyText")
        .withArgs(0n);
    });

    it("refuses a wallet that is no agent", async function () {
      const { speechLog, outsider } = await loadFixture(protocolFixture);
      await expect(speechLog.connect(outsider).speak(REASON, ZeroHash, "let me in"))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogNotInGoodStanding")
        .withArgs(outsider.address, 0n);
    });

    it("refuses a suspended agent, and hears it again once unsuspended", async function () {
      const { speechLog, registry, timelock, bob, agentIds } = await loadFixture(protocolFixture);
      const timelockAddress = await timelock.getAddress();
      await networkHelpers.impersonateAccount(timelockAddress);
      await networkHelpers.setBalance(timelockAddress, 10n ** 18n);
      const governance = await ethers.getSigner(timelockAddress);
      await registry.connect(governance).suspend(agentIds.bob, "spam inquiry");
      await expect(speechLog.connect(bob).speak(REASON, ZeroHash, "I object"))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogNotInGoodStanding")
        .withArgs(bob.address, agentIds.bob);
      await registry.connect(governance).unsuspend(agentIds.bob, "cleared");
      await expect(speechLog.connect(bob).speak(REASON, ZeroHash, "thank you"))
        .to.emit(speechLog, "Spoke")
        .withArgs(agentIds.bob, bob.address, REASON, ZeroHash, "thank you");
    });

    it("refuses a starving agent (upkeep due and nothing to pay it with)", async function () {
      const { speechLog, token, carol, dave, agentIds } = await loadFixture(protocolFixture);
      await token.connect(carol).transfer(dave.address, await token.balanceOf(carol.address));
      await time.increase(86_400);
      await expect(speechLog.connect(carol).speak(REASON, ZeroHash, "feed me"))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogNotInGoodStanding")
        .withArgs(carol.address, agentIds.carol);
    });
  });

  describe("speakAll", function () {
    const statement = (i: number, text = `statement ${i}`) => ({
      topic: i % 2 === 0 ? REASON : DECISION,
      ref: zeroPadValue(toBeHex(i), 32),
      text,
    });

    it("records a batch of MAX_STATEMENTS statements, one event each, in order", async function () {
      const { speechLog, alice, agentIds } = await loadFixture(protocolFixture);
      const max = Number(await speechLog.MAX_STATEMENTS());
      const batch = Array.from({ length: max }, (_, i) => statement(i));
      const receipt = await (await speechLog.connect(alice).speakAll(batch)).wait();
      const spoke = receipt!.logs.map((log) => speechLog.interface.parseLog(log)!);
      expect(spoke.map((e) => e.name)).to.deep.equal(Array(max).fill("Spoke"));
      expect(spoke.map((e) => [...e.args])).to.deep.equal(
        batch.map((s) => [agentIds.alice, alice.address, s.topic, s.ref, s.text]),
      );
    });

    it("refuses an empty batch and one statement over MAX_STATEMENTS", async function () {
      const { speechLog, alice } = await loadFixture(protocolFixture);
      const max = await speechLog.MAX_STATEMENTS();
      await expect(speechLog.connect(alice).speakAll([]))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogInvalidBatchSize")
        .withArgs(0n, max);
      const over = Array.from({ length: Number(max) + 1 }, (_, i) => statement(i));
      await expect(speechLog.connect(alice).speakAll(over))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogInvalidBatchSize")
        .withArgs(max + 1n, max);
    });

    it("refuses the whole batch when one statement is empty or too long, naming it", async function () {
      const { speechLog, alice } = await loadFixture(protocolFixture);
      const max = Number(await speechLog.MAX_TEXT_BYTES());
      await expect(speechLog.connect(alice).speakAll([statement(0), statement(1), statement(2, "")]))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogEmptyText")
        .withArgs(2n);
      await expect(speechLog.connect(alice).speakAll([statement(0), statement(1, "x".repeat(max + 5))]))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogTextTooLong")
        .withArgs(1n, max + 5, max);
    });

    it("refuses a batch from a wallet that is no agent", async function () {
      const { speechLog, outsider } = await loadFixture(protocolFixture);
      await expect(speechLog.connect(outsider).speakAll([statement(0)]))
        .to.be.revertedWithCustomError(speechLog, "SpeechLogNotInGoodStanding")
        .withArgs(outsider.address, 0n);
    });
  });
});
