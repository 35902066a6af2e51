import { expect } from "chai";
import { Contract, JsonRpcProvider, id } from "ethers";
import * as abis from "../../generated/abis.ts";
import { readDeployment } from "../../scripts/lib/deployment.ts";
import { impersonateTimelock } from "../market/devnet.ts";
import { civitas, civitasOk, cliDevnet, devnetAddress, devnetKey } from "./helpers.ts";

/**
 * `civitas review` (human rewards, issue 17) on the shared devnet, which also runs the review tools
 * (`review_submit`, `review_list`; test/mcp exempts them and names this file). Accounts 55..57 are this
 * file's own (docs: /work SEAMS): 55 is a reviewer appointed by the impersonated timelock, 56 an agent, 57
 * an agent that is not a reviewer.
 */
describe("civitas CLI: review (human rewards)", function () {
  this.timeout(300_000);
  const reviewer = devnetKey(55);
  const agent = devnetKey(56);
  const other = devnetKey(57);
  let rewards: Contract;
  let asTimelock: Contract;
  let agentId: string;

  before(async function () {
    // The first CLI test file to run starts the shared devnet and deploys: minutes under load.
    this.timeout(900_000);
    const { devnet, deploymentsDir } = await cliDevnet();
    const deployment = readDeployment(31337, deploymentsDir)!;
    const rpc = new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true });
    for (const index of [55, 56, 57])
      await rpc.send("hardhat_setBalance", [devnetAddress(index), "0x56bc75e2d63100000"]); // 100 ETH
    rewards = new Contract(deployment.contracts.reviewRewards!, abis.reviewRewardsAbi as never, rpc);
    asTimelock = rewards.connect(await impersonateTimelock(rpc, deployment)) as Contract;
    await (await asTimelock.getFunction("grantRole")(id("REVIEWER_ROLE"), devnetAddress(55))).wait();
    await civitasOk(["register", "ipfs://reviewed"], agent);
    await civitasOk(["register", "ipfs://other"], other);
    const registry = new Contract(deployment.contracts.registry!, abis.agentRegistryAbi as never, rpc);
    agentId = (await registry.agentIdOf(devnetAddress(56))).toString();
  });

  it("submits a review that pays the score in CIV, then lists it", async function () {
    const out = await civitasOk(
      ["review", "submit", agentId, "40", "ipfs://work-1", "--uri", "ipfs://n"],
      reviewer,
    );
    expect(out).to.match(
      new RegExp(
        `^Review \\d+: agent ${agentId} scored 40 \\(epoch \\d+\\), reward 40 CIV \\(tax 4 CIV\\)`,
        "m",
      ),
    );
    const listed = JSON.parse(await civitasOk(["--json", "review", "list", "--agent", agentId]));
    expect(listed.rewardPerPointCiv).to.equal("1");
    expect(listed.reviews).to.have.length(1);
    expect(listed.reviews[0]).to.deep.include({ agentId, score: 40, kind: "hash", rewardCiv: "40" });
    const text = await civitasOk(["review", "list", "--agent", agentId]);
    expect(text).to.match(/^Epoch \d+: 1 CIV per point; caps 200 CIV per agent, 1,000 CIV per reviewer/m);
  });

  it("refuses a work reviewed twice, a non-reviewer and a score above 100, sending nothing", async function () {
    const before = await rewards.reviewCount();
    const twice = await civitas(["review", "submit", agentId, "10", "ipfs://work-1"], reviewer);
    expect(twice.code).to.equal(1);
    expect(twice.stderr).to.contain("ReviewRewardsAlreadyReviewed");
    const notReviewer = await civitas(["review", "submit", agentId, "10", "ipfs://work-2"], other);
    expect(notReviewer.code).to.equal(1);
    expect(notReviewer.stderr).to.contain("AccessControlUnauthorizedAccount");
    const high = await civitas(["review", "submit", agentId, "101", "ipfs://work-3"], reviewer);
    expect(high.code).to.not.equal(0);
    expect(high.stderr).to.contain("not an integer from 0 to 100: 101");
    expect(await rewards.reviewCount()).to.equal(before);
  });

  it("names the amounts of a cap in CIV", async function () {
    await (await asTimelock.getFunction("setAgentEpochCap")(41n * 10n ** 18n)).wait();
    try {
      // The agent received 40 CIV in this market epoch (the previous test, seconds ago).
      const result = await civitas(["review", "submit", agentId, "2", "ipfs://work-4"], reviewer);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(
        /ReviewRewardsAgentCapExceeded\(.*paid: 40 CIV, reward: 2 CIV, cap: 41 CIV\)/,
      );
    } finally {
      await (await asTimelock.getFunction("setAgentEpochCap")(200n * 10n ** 18n)).wait();
    }
  });

  it("answers --help for the group", async function () {
    const out = await civitasOk(["review", "--help"]);
    expect(out).to.contain("submit");
    expect(out).to.contain("list");
  });
});
