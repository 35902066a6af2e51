/**
 * ERC-8004 Validation Registry conformance, written from the specification's text (ERC8004SPEC.md,
 * "Validation Registry") and, where it is silent, the reference implementation's behaviour: every
 * function, both events, the request and response paths, access control and the summary filters.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { deployValidationFixture } from "./fixture.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const ZERO_HASH = ethers.ZeroHash;
const hash = (text: string) => ethers.id(text);

async function fixture() {
  return deployValidationFixture(connection);
}

describe("ValidationRegistry: ERC-8004 conformance", function () {
  describe("getIdentityRegistry", function () {
    it("returns the identity registry the validation registry was deployed with", async function () {
      const { validationRegistry, registry } = await loadFixture(fixture);
      expect(await validationRegistry.getIdentityRegistry()).to.equal(await registry.getAddress());
    });
  });

  describe("validationRequest", function () {
    it("records a request by the agent's owner and emits ValidationRequest", async function () {
      const { validationRegistry, alice, dave, agentIds } = await loadFixture(fixture);
      const requestHash = hash("request");
      await expect(
        validationRegistry
          .connect(alice)
          .validationRequest(dave.address, agentIds.alice, "ipfs://req", requestHash),
      )
        .to.emit(validationRegistry, "ValidationRequest")
        .withArgs(dave.address, agentIds.alice, "ipfs://req", requestHash);
      const status = await validationRegistry.getValidationStatus(requestHash);
      expect(status.validatorAddress).to.equal(dave.address);
      expect(status.agentId).to.equal(agentIds.alice);
      expect(status.response).to.equal(0n);
      expect(status.responseHash).to.equal(ZERO_HASH);
      expect(status.tag).to.equal("");
      expect(status.lastUpdate).to.equal(BigInt(await time.latest()));
      expect(await validationRegistry.getAgentValidations(agentIds.alice)).to.deep.equal([requestHash]);
      expect(await validationRegistry.getValidatorRequests(dave.address)).to.deep.equal([requestHash]);
    });

    it("accepts a request by an operator approved for all of the owner's agents", async function () {
      const { validationRegistry, registry, alice, bob, dave, agentIds } = await loadFixture(fixture);
      await registry.connect(alice).setApprovalForAll(bob.address, true);
      await expect(
        validationRegistry.connect(bob).validationRequest(dave.address, agentIds.alice, "", hash("op")),
      )
        .to.emit(validationRegistry, "ValidationRequest")
        .withArgs(dave.address, agentIds.alice, "", hash("op"));
    });

    it("accepts a request by the address approved for this agent token", async function () {
      const { validationRegistry, registry, alice, bob, dave, agentIds } = await loadFixture(fixture);
      await registry.connect(alice).approve(bob.address, agentIds.alice);
      await expect(
        validationRegistry.connect(bob).validationRequest(dave.address, agentIds.alice, "", hash("approved")),
      )
        .to.emit(validationRegistry, "ValidationRequest")
        .withArgs(dave.address, agentIds.alice, "", hash("approved"));
    });

    it("refuses anyone else, with the agent and the caller", async function () {
      const { validationRegistry, bob, dave, agentIds } = await loadFixture(fixture);
      await expect(
        validationRegistry.connect(bob).validationRequest(dave.address, agentIds.alice, "", hash("x")),
      )
        .to.be.revertedWithCustomError(validationRegistry, "ValidationNotAuthorized")
        .withArgs(agentIds.alice, bob.address);
    });

    it("refuses the zero validator", async function () {
      const { validationRegistry, alice, agentIds } = await loadFixture(fixture);
      await expect(
        validationRegistry
          .connect(alice)
          .validationRequest(ethers.ZeroAddress, agentIds.alice, "", hash("x")),
      ).to.be.revertedWithCustomError(validationRegistry, "ValidationZeroValidator");
    });

    it("refuses a request hash already used, whoever asks and whichever validator", async function () {
      const { validationRegistry, alice, bob, carol, dave, agentIds } = await loadFixture(fixture);
      const requestHash = hash("dup");
      await validationRegistry
        .connect(alice)
        .validationRequest(dave.address, agentIds.alice, "", requestHash);
      await expect(
        validationRegistry.connect(bob).validationRequest(carol.address, agentIds.bob, "", requestHash),
      )
        .to.be.revertedWithCustomError(validationRegistry, "ValidationRequestExists")
        .withArgs(requestHash);
    });

    it("refuses an agent id that was never registered (the identity registry's error)", async function () {
      const { validationRegistry, registry, alice, dave } = await loadFixture(fixture);
      await expect(validationRegistry.connect(alice).validationRequest(dave.address, 999n, "", hash("x")))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(999n);
    });

    it("tracks several requests per agent and per validator in request order", async function () {
      const { validationRegistry, alice, bob, carol, dave, agentIds } = await loadFixture(fixture);
      const [h1, h2, h3, h4] = ["r1", "r2", "r3", "r4"].map(hash);
      await validationRegistry.connect(alice).validationRequest(dave.address, agentIds.alice, "u1", h1);
      await validationRegistry.connect(alice).validationRequest(carol.address, agentIds.alice, "u2", h2);
      await validationRegistry.connect(alice).validationRequest(dave.address, agentIds.alice, "u3", h3);
      await validationRegistry.connect(bob).validationRequest(dave.address, agentIds.bob, "u4", h4);
      expect(await validationRegistry.getAgentValidations(agentIds.alice)).to.deep.equal([h1, h2, h3]);
      expect(await validationRegistry.getAgentValidations(agentIds.bob)).to.deep.equal([h4]);
      expect(await validationRegistry.getValidatorRequests(dave.address)).to.deep.equal([h1, h3, h4]);
      expect(await validationRegistry.getValidatorRequests(carol.address)).to.deep.equal([h2]);
    });

    it("returns empty lists for an agent and a validator without requests", async function () {
      const { validationRegistry, dave, agentIds } = await loadFixture(fixture);
      expect(await validationRegistry.getAgentValidations(agentIds.alice)).to.deep.equal([]);
      expect(await validationRegistry.getValidatorRequests(dave.address)).to.deep.equal([]);
    });
  });

  describe("validationResponse", function () {
    async function requested() {
      const f = await loadFixture(fixture);
      const requestHash = hash("request");
      await f.validationRegistry
        .connect(f.alice)
        .validationRequest(f.dave.address, f.agentIds.alice, "", requestHash);
      return { ...f, requestHash };
    }

    it("records the validator's response and emits ValidationResponse", async function () {
      const { validationRegistry, dave, agentIds, requestHash } = await requested();
      await expect(
        validationRegistry
          .connect(dave)
          .validationResponse(requestHash, 85, "ipfs://resp", hash("ev"), "audit"),
      )
        .to.emit(validationRegistry, "ValidationResponse")
        .withArgs(dave.address, agentIds.alice, requestHash, 85, "ipfs://resp", hash("ev"), "audit");
      const status = await validationRegistry.getValidationStatus(requestHash);
      expect(status.validatorAddress).to.equal(dave.address);
      expect(status.agentId).to.equal(agentIds.alice);
      expect(status.response).to.equal(85n);
      expect(status.responseHash).to.equal(hash("ev"));
      expect(status.tag).to.equal("audit");
      expect(status.lastUpdate).to.equal(BigInt(await time.latest()));
    });

    it("accepts the bounds 0 (failed) and 100 (passed)", async function () {
      const { validationRegistry, dave, requestHash } = await requested();
      await validationRegistry.connect(dave).validationResponse(requestHash, 0, "", ZERO_HASH, "failed");
      expect((await validationRegistry.getValidationStatus(requestHash)).response).to.equal(0n);
      await validationRegistry.connect(dave).validationResponse(requestHash, 100, "", ZERO_HASH, "passed");
      expect((await validationRegistry.getValidationStatus(requestHash)).response).to.equal(100n);
    });

    it("refuses a response above 100", async function () {
      const { validationRegistry, dave, requestHash } = await requested();
      await expect(validationRegistry.connect(dave).validationResponse(requestHash, 101, "", ZERO_HASH, ""))
        .to.be.revertedWithCustomError(validationRegistry, "ValidationResponseOutOfRange")
        .withArgs(101, 100);
    });

    it("refuses anyone but the named validator, the agent's owner included", async function () {
      const { validationRegistry, alice, dave, requestHash } = await requested();
      await expect(validationRegistry.connect(alice).validationResponse(requestHash, 100, "", ZERO_HASH, ""))
        .to.be.revertedWithCustomError(validationRegistry, "ValidationNotValidator")
        .withArgs(requestHash, alice.address, dave.address);
    });

    it("refuses an unknown request hash", async function () {
      const { validationRegistry, dave } = await loadFixture(fixture);
      await expect(validationRegistry.connect(dave).validationResponse(hash("none"), 50, "", ZERO_HASH, ""))
        .to.be.revertedWithCustomError(validationRegistry, "ValidationUnknownRequest")
        .withArgs(hash("none"));
    });

    it("lets the validator respond again: the latest response, hash, tag and time replace the previous ones", async function () {
      const { validationRegistry, dave, agentIds, requestHash } = await requested();
      await validationRegistry
        .connect(dave)
        .validationResponse(requestHash, 80, "u1", hash("h1"), "soft_finality");
      const first = (await validationRegistry.getValidationStatus(requestHash)).lastUpdate;
      await time.increase(3_600);
      await expect(
        validationRegistry.connect(dave).validationResponse(requestHash, 100, "u2", hash("h2"), "hard"),
      )
        .to.emit(validationRegistry, "ValidationResponse")
        .withArgs(dave.address, agentIds.alice, requestHash, 100, "u2", hash("h2"), "hard");
      const status = await validationRegistry.getValidationStatus(requestHash);
      expect(status.response).to.equal(100n);
      expect(status.responseHash).to.equal(hash("h2"));
      expect(status.tag).to.equal("hard");
      expect(status.lastUpdate).to.equal(BigInt(await time.latest()));
      expect(status.lastUpdate).to.be.greaterThan(first);
    });
  });

  describe("getValidationStatus", function () {
    it("refuses an unknown request hash", async function () {
      const { validationRegistry } = await loadFixture(fixture);
      await expect(validationRegistry.getValidationStatus(hash("none")))
        .to.be.revertedWithCustomError(validationRegistry, "ValidationUnknownRequest")
        .withArgs(hash("none"));
    });
  });

  describe("getSummary", function () {
    /** alice's agent: r1 dave 80 "audit", r2 carol 90 "audit", r3 bob 70 "review", r4 dave 61 "review", r5 unanswered. */
    async function answered() {
      const f = await loadFixture(fixture);
      const { validationRegistry: vr, alice, bob, carol, dave, agentIds } = f;
      const rows = [
        [dave, 80, "audit"],
        [carol, 90, "audit"],
        [bob, 70, "review"],
        [dave, 61, "review"],
      ] as const;
      for (const [i, [validator, response, tag]] of rows.entries()) {
        await vr.connect(alice).validationRequest(validator.address, agentIds.alice, "", hash(`r${i + 1}`));
        await vr.connect(validator).validationResponse(hash(`r${i + 1}`), response, "", ZERO_HASH, tag);
      }
      await vr.connect(alice).validationRequest(carol.address, agentIds.alice, "", hash("r5"));
      return f;
    }

    it("without filters counts every answered request and averages them, rounded down", async function () {
      const { validationRegistry, agentIds } = await answered();
      // (80 + 90 + 70 + 61) / 4 = 75.25; the unanswered r5 is left out.
      expect(await validationRegistry.getSummary(agentIds.alice, [], "")).to.deep.equal([4n, 75n]);
    });

    it("filters by validators", async function () {
      const { validationRegistry, agentIds, dave, carol } = await answered();
      expect(await validationRegistry.getSummary(agentIds.alice, [dave.address], "")).to.deep.equal([
        2n,
        70n,
      ]);
      expect(
        await validationRegistry.getSummary(agentIds.alice, [dave.address, carol.address], ""),
      ).to.deep.equal([3n, 77n]);
    });

    it("filters by tag", async function () {
      const { validationRegistry, agentIds } = await answered();
      expect(await validationRegistry.getSummary(agentIds.alice, [], "audit")).to.deep.equal([2n, 85n]);
      expect(await validationRegistry.getSummary(agentIds.alice, [], "review")).to.deep.equal([2n, 65n]);
      expect(await validationRegistry.getSummary(agentIds.alice, [], "other")).to.deep.equal([0n, 0n]);
    });

    it("filters by validators and tag together", async function () {
      const { validationRegistry, agentIds, dave } = await answered();
      expect(await validationRegistry.getSummary(agentIds.alice, [dave.address], "review")).to.deep.equal([
        1n,
        61n,
      ]);
    });

    it("counts only the latest response of an updated request, under its latest tag", async function () {
      const { validationRegistry, agentIds, dave } = await answered();
      await validationRegistry.connect(dave).validationResponse(hash("r1"), 20, "", ZERO_HASH, "review");
      expect(await validationRegistry.getSummary(agentIds.alice, [], "audit")).to.deep.equal([1n, 90n]);
      expect(await validationRegistry.getSummary(agentIds.alice, [], "review")).to.deep.equal([3n, 50n]);
    });

    it("is zero for an agent with only unanswered requests, or none", async function () {
      const { validationRegistry, alice, dave, agentIds } = await loadFixture(fixture);
      expect(await validationRegistry.getSummary(agentIds.alice, [], "")).to.deep.equal([0n, 0n]);
      await validationRegistry.connect(alice).validationRequest(dave.address, agentIds.alice, "", hash("r"));
      expect(await validationRegistry.getSummary(agentIds.alice, [], "")).to.deep.equal([0n, 0n]);
    });
  });
});
