/**
 * Gas of the ERC-8004 ReputationRegistry's `giveFeedback`, in the cases the reference implementation's
 * published gas snapshot measures (erc-8004/erc-8004-contracts `snapshots/ReputationRegistryUpgradeable.json`):
 * a first feedback with tags, endpoint, URI and hash, and a client's second feedback with empty strings.
 * Also the economy's path: a reputation report that lands in the AgentRegistry and becomes feedback.
 * The snapshot measures the call frame only (`vm.snapshotGasLastCall`), so beside the receipt's `gasUsed`
 * this prints the execution gas: `gasUsed` minus the intrinsic cost (21,000 plus 4 per zero and 16 per
 * non-zero calldata byte).
 * Run: HARDHAT_DISABLE_TELEMETRY=true npx hardhat test mocha bench/reputation-gas.ts
 */
import { network } from "hardhat";
import { CIV, deployFoundation } from "../test/helpers/fixtures.ts";

const { ethers } = await network.create();

/** The receipt's gas and the gas of its execution (without the intrinsic cost). */
async function gasOf(tx: Promise<{ data: string; wait: () => Promise<{ gasUsed: bigint } | null> }>) {
  const sent = await tx;
  const gasUsed = (await sent.wait())!.gasUsed;
  const bytes = ethers.getBytes(sent.data);
  const calldata = bytes.reduce((sum, byte) => sum + (byte === 0 ? 4n : 16n), 0n);
  return { gasUsed, execution: gasUsed - 21_000n - calldata };
}

describe("ReputationRegistry gas", function () {
  it("prints the gas table", async function () {
    this.timeout(300_000);
    const { token, treasury, admin, agents } = await deployFoundation(ethers);
    const [owner, bob, carol] = agents;
    const registry = await ethers.deployContract("AgentRegistry", [
      admin.address,
      token,
      treasury,
      0n,
      100n * CIV,
    ]);
    await token.grantRole(await token.UPKEEP_BURNER_ROLE(), registry);
    const reputation = await ethers.getContractAt("ReputationRegistry", await registry.reputationRegistry());
    await registry.grantRole(await registry.REPORTER_ROLE(), admin);
    await registry.setReporterTag(admin, ethers.encodeBytes32String("civitas.escrow"));
    await registry.connect(owner)["register()"]();
    const zero = ethers.ZeroHash;

    const first = await gasOf(
      reputation
        .connect(bob)
        .giveFeedback(
          1n,
          80n,
          0,
          "tag1",
          "tag2",
          "https://endpoint",
          "ipfs://feedback",
          ethers.toBeHex(1n, 32),
        ),
    );
    await reputation.connect(carol).giveFeedback(1n, 80n, 0, "", "", "", "", zero);
    const second = await gasOf(reputation.connect(carol).giveFeedback(1n, 90n, 0, "", "", "", "", zero));
    const reason = ethers.encodeBytes32String("escrow.completed");
    const reportFirst = await gasOf(registry.reportAgentReputation(1n, 10n, reason, 1n));
    const reportNext = await gasOf(registry.reportAgentReputation(1n, 10n, reason, 2n));

    const rows: [string, { gasUsed: bigint; execution: bigint }, string][] = [
      ["giveFeedback, first by a client (tags, endpoint, URI, hash)", first, "203,089"],
      ["giveFeedback, the client's second (empty strings)", second, "61,651"],
      ["reportAgentReputation with feedback, first by the reporter", reportFirst, "—"],
      ["reportAgentReputation with feedback, later", reportNext, "—"],
    ];
    console.log("| operation | gasUsed | execution | reference (published snapshot, execution) |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const [name, g, ref] of rows) console.log(`| ${name} | ${g.gasUsed} | ${g.execution} | ${ref} |`);
  });
});
