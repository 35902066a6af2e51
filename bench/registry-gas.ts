/**
 * Gas of the AgentRegistry's hot paths: `register` (first registration, paying the birth grant) and upkeep
 * collection, single and in batches of 1, 10 and 50 agents (gas per agent = batch gas / size).
 * Run: HARDHAT_DISABLE_TELEMETRY=true npx hardhat test mocha bench/registry-gas.ts
 * Prints a markdown table; the figures go to bench/results/registry.md.
 */
import { network } from "hardhat";
import { CIV, deployFoundation } from "../test/helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.create();
const DAY = 86_400;

async function gasOf(tx: Promise<{ wait: () => Promise<{ gasUsed: bigint } | null> }>) {
  return (await (await tx).wait())!.gasUsed;
}

describe("AgentRegistry gas", function () {
  it("prints the gas table", async function () {
    this.timeout(300_000);
    const { token, treasury, admin } = await deployFoundation(ethers);
    const registry = await ethers.deployContract("AgentRegistry", [
      admin.address,
      token,
      treasury,
      1_000n * CIV,
      100n * CIV,
    ]);
    await token.grantRole(await token.UPKEEP_BURNER_ROLE(), registry);
    await treasury.setBudget(registry, token, 1_000_000n * CIV);

    const wallets = [];
    for (let i = 0; i < 62; i++) {
      const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
      await networkHelpers.setBalance(wallet.address, 10n ** 20n);
      wallets.push(wallet);
    }
    const rows: [string, bigint][] = [];
    const registerGas: bigint[] = [];
    for (const wallet of wallets) {
      registerGas.push(await gasOf(registry.connect(wallet)["register(string)"]("ipfs://bafy-agent-card")));
    }
    rows.push([
      "register(string) — first registration, grant paid (wallet with no CIV before)",
      registerGas[1],
    ]);
    rows.push(["register() — same, empty URI", await gasOf(registry.connect(admin)["register()"]())]);
    await treasury.setBudget(registry, token, 0n);
    rows.push([
      "register() — budget exhausted, no grant",
      await gasOf(registry.connect((await ethers.getSigners())[1])["register()"]()),
    ]);

    await networkHelpers.time.increase(3 * DAY);
    rows.push([
      "collectUpkeep(id) — 3 days due, paid in full",
      await gasOf(registry["collectUpkeep(uint256)"](1n)),
    ]);
    let next = 2n;
    for (const size of [1, 10, 50]) {
      const ids = Array.from({ length: size }, () => next++);
      const gas = await gasOf(registry["collectUpkeep(uint256[])"](ids));
      rows.push([`collectUpkeep(ids) — batch of ${size}, 3 days due each: per agent`, gas / BigInt(size)]);
    }
    rows.push([
      "collectUpkeep(ids) — batch of 50 with nothing due: per agent",
      (await gasOf(
        registry["collectUpkeep(uint256[])"](Array.from({ length: 50 }, (_, i) => BigInt(i + 12))),
      )) / 50n,
    ]);

    console.log("\n| Operation | Gas |\n| --- | ---: |");
    for (const [name, gas] of rows) console.log(`| ${name} | ${gas.toLocaleString("en-US")} |`);
  });
});
