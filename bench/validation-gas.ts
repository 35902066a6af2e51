/**
 * Gas of the Validation Registry: the ERC-8004 paths (`validationRequest`, `validationResponse` first and
 * update) beside the reference implementation's published snapshot, and the Civitas paths (stake-secured
 * request, paid response, reward claim, refund). Each call is measured on a fresh request hash, first
 * request of the agent and of the validator, as the reference's snapshot tests do.
 * Run: HARDHAT_DISABLE_TELEMETRY=true npx hardhat test mocha bench/validation-gas.ts
 * Prints a markdown table; the figures go to bench/results/validation.md.
 */
import { network } from "hardhat";
import type { TransactionResponse } from "ethers";
import { CIV, REWARD_TAG, deployValidationFixture } from "../test/validation/fixture.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

/** The reference's `snapshots/ValidationRegistryUpgradeable.json` (Foundry call gas, through its proxy). */
const REFERENCE = {
  validationRequest: 157_386n,
  validationResponse: 86_501n,
  "validationResponse (update)": 46_701n,
} as const;

/** The receipt's gas, and the call's execution gas: minus 21,000 and the calldata (4 / 16 per byte). */
async function measure(tx: Promise<TransactionResponse>): Promise<{ used: bigint; call: bigint }> {
  const sent = await tx;
  const receipt = (await sent.wait())!;
  const data = ethers.getBytes(sent.data);
  const calldata = data.reduce((sum, byte) => sum + (byte === 0 ? 4n : 16n), 0n);
  return { used: receipt.gasUsed, call: receipt.gasUsed - 21_000n - calldata };
}

describe("ValidationRegistry gas", function () {
  it("prints the gas table", async function () {
    this.timeout(300_000);
    const f = await deployValidationFixture(connection);
    const { validationRegistry: vr, alice, bob, carol, dave, agentIds, governance } = f;
    const rows: [string, { used: bigint; call: bigint }, bigint | undefined][] = [];

    // ERC-8004 paths, as in the reference's gas tests: first request of the agent and of the validator.
    rows.push([
      "validationRequest (ERC-8004; first request of agent and validator)",
      await measure(
        vr
          .connect(alice)
          .validationRequest(dave.address, agentIds.alice, "ipfs://request", ethers.id("request")),
      ),
      REFERENCE.validationRequest,
    ]);
    rows.push([
      "validationResponse (ERC-8004; first response, tag `audit`)",
      await measure(
        vr
          .connect(dave)
          .validationResponse(ethers.id("request"), 85, "ipfs://response", ethers.id("response"), "audit"),
      ),
      REFERENCE.validationResponse,
    ]);
    rows.push([
      "validationResponse (ERC-8004; update)",
      await measure(
        vr
          .connect(dave)
          .validationResponse(ethers.id("request"), 90, "ipfs://updated", ethers.id("updated"), "audit"),
      ),
      REFERENCE["validationResponse (update)"],
    ]);

    // Civitas paths: bob's agent asks carol (a staking validator) with a 100 CIV fee.
    const staked = ethers.id("staked");
    rows.push([
      "requestStakedValidation (100 CIV fee escrowed; first request of agent and validator)",
      await measure(
        vr
          .connect(bob)
          .requestStakedValidation(
            carol.address,
            agentIds.bob,
            "ipfs://request",
            staked,
            100n * CIV,
            86_400n,
          ),
      ),
      undefined,
    ]);
    rows.push([
      "validationResponse (stake-secured; first response pays the fee as taxed earnings)",
      await measure(
        vr.connect(carol).validationResponse(staked, 100, "ipfs://response", ethers.id("r"), REWARD_TAG),
      ),
      undefined,
    ]);
    rows.push([
      "claimAttestationReward (10 CIV paid from the Treasury budget)",
      await measure(vr.claimAttestationReward(staked)),
      undefined,
    ]);
    const late = ethers.id("late");
    await vr
      .connect(bob)
      .requestStakedValidation(carol.address, agentIds.bob, "ipfs://late", late, 100n * CIV, 3_600n);
    await networkHelpers.time.increase(3_601);
    rows.push([
      "reclaimFee (after the deadline, untaxed refund)",
      await measure(vr.connect(bob).reclaimFee(late)),
      undefined,
    ]);
    rows.push([
      "slashValidator (governance; staking slash with reputation report)",
      await measure(vr.connect(governance).slashValidator(staked, 1_000n)),
      undefined,
    ]);

    const fmt = (n: bigint) => n.toLocaleString("en-US");
    console.log("| Operation | gasUsed | call gas | reference (call gas) | ratio |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    for (const [name, { used, call }, reference] of rows) {
      const ratio = reference === undefined ? "" : `${(Number(call) / Number(reference)).toFixed(2)}x`;
      console.log(
        `| ${name} | ${fmt(used)} | ${fmt(call)} | ${reference === undefined ? "" : fmt(reference)} | ${ratio} |`,
      );
    }
  });
});
