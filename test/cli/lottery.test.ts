import { expect } from "chai";
import { Contract, JsonRpcProvider } from "ethers";
import * as abis from "../../generated/abis.ts";
import { readDeployment } from "../../scripts/lib/deployment.ts";
import { advanceTo } from "../market/devnet.ts";
import { civitas, civitasOk, cliDevnet, devnetAddress, devnetKey } from "./helpers.ts";

/**
 * `civitas lottery …` (issue 17) on the default deployment: an epoch entered by mining (resource 1, the
 * lottery its meter from deployment), staking and burning, committed, revealed, drawn and won; the reward
 * claimed, the stake withdrawn; each early or wrong step refused with its reason and nothing sent. Devnet
 * accounts 50 (miner, burner) and 47 (staker; registered by test/cli/agreement.test.ts or here).
 */
describe("civitas CLI: lottery (block lottery)", function () {
  // About twenty CLI runs in one test: generous under load (no wall-clock assertion depends on it).
  this.timeout(1_200_000);
  const miner = devnetKey(50);
  const staker = devnetKey(47);
  let rpc: JsonRpcProvider;
  let lottery: Contract;
  let epoch: bigint;

  before(async function () {
    this.timeout(900_000);
    const { devnet, deploymentsDir } = await cliDevnet();
    const deployment = readDeployment(31337, deploymentsDir)!;
    rpc = new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true });
    for (const index of [47, 50])
      await rpc.send("hardhat_setBalance", [devnetAddress(index), "0x56bc75e2d63100000"]); // 100 ETH
    lottery = new Contract(deployment.contracts.blockLottery!, abis.blockLotteryAbi as never, rpc);
    const registry = new Contract(deployment.contracts.registry!, abis.agentRegistryAbi as never, rpc);
    for (const [key, index] of [
      [miner, 50],
      [staker, 47],
    ] as const)
      if ((await registry.agentIdOf(devnetAddress(index))) === 0n)
        await civitasOk(["register", `ipfs://lottery-${index}`], key);
    // A fresh epoch: everything below happens inside it, whatever time other files moved the devnet to.
    epoch = (await lottery.currentEpoch()) + 1n;
    await advanceTo(rpc, await lottery.epochStart(epoch));
  });

  it("has --help for the group and each command", async function () {
    const help = await civitasOk(["lottery", "--help"]);
    for (const command of ["show", "enter", "commit", "reveal", "draw", "claim"])
      expect(help).to.match(new RegExp(`^  ${command}\\b`, "m"));
    expect(await civitasOk(["lottery", "enter", "--help"])).to.contain("mine, stake or burn");
  });

  it("an epoch entered by mine, stake and burn, committed, revealed, drawn, won and claimed", async function () {
    const shown = await civitasOk(["lottery", "show"]);
    expect(shown).to.match(new RegExp(`^Epoch ${epoch} \\(current ${epoch}\\): entries;`));
    expect(shown).to.contain("0 entries, weight 0 (mine 0: no mine entry, cannot be won)");
    expect(shown).to.contain("mining resource 1");

    // Committing before entering is refused; so is a reveal or a draw before the epoch ends.
    const noEntry = await civitas(["lottery", "commit"], miner);
    expect(noEntry.code).to.equal(1);
    expect(noEntry.stderr).to.equal(
      `civitas: you have not entered epoch ${epoch}: lottery_enter first (mine, stake or burn)\n`,
    );

    expect(await civitasOk(["lottery", "enter", "mine", "50"], miner)).to.contain(
      `Entered epoch ${epoch} by Mine: weight 50000000000000000 of 50000000000000000 (mine weight 50000000000000000)`,
    );
    const staked = await civitasOk(["lottery", "enter", "stake", "10"], staker);
    expect(staked).to.match(/^Approved 0x[0-9a-fA-F]{40} for 10 CIV\./m);
    expect(staked).to.contain(`Entered epoch ${epoch} by Stake`);
    expect(staked).to.contain("staked 10 CIV");
    expect(await civitasOk(["lottery", "enter", "burn", "5"], miner)).to.contain("burned 5 CIV");
    // The score entered with that burn: entering it again is refused, by name.
    const twice = await civitas(["lottery", "enter", "burn"], miner);
    expect(twice.code).to.equal(1);
    expect(twice.stderr).to.equal(`civitas: your burn score already entered epoch ${epoch}\n`);

    for (const key of [miner, staker])
      expect(await civitasOk(["lottery", "commit"], key)).to.contain(
        `Committed in epoch ${epoch} (bond 1 CIV)`,
      );
    const early = await civitas(["lottery", "reveal", epoch.toString()], miner);
    expect(early.code).to.equal(1);
    expect(early.stderr).to.match(
      new RegExp(`^civitas: epoch ${epoch}'s reveal window is \\d{4}-.* to \\d{4}-.*; it is \\d{4}-`),
    );
    const earlyDraw = await civitas(["--json", "lottery", "draw", epoch.toString()], miner);
    expect(earlyDraw.code).to.equal(1);
    expect(JSON.parse(earlyDraw.stdout).error.code).to.equal("refused");

    // After the epoch: both reveal (bonds back), then anyone draws after the window.
    await advanceTo(rpc, await lottery.epochStart(epoch + 1n));
    for (const key of [miner, staker])
      expect(await civitasOk(["lottery", "reveal"], key)).to.contain(
        `Revealed in epoch ${epoch}; bond back 1 CIV.`,
      );
    await advanceTo(rpc, (await lottery.epochStart(epoch + 1n)) + (await lottery.REVEAL_WINDOW()));
    const drawn = JSON.parse(await civitasOk(["--json", "lottery", "draw"], miner));
    expect(drawn).to.deep.include({ epoch: epoch.toString(), outcome: "Won", rewardCiv: "100" });
    expect([devnetAddress(50), devnetAddress(47)]).to.include(drawn.winner);
    const [winner, loser] = drawn.winner === devnetAddress(50) ? [miner, staker] : [staker, miner];
    const loserAddress = drawn.winner === devnetAddress(50) ? devnetAddress(47) : devnetAddress(50);

    const notWinner = await civitas(["lottery", "claim", epoch.toString()], loser);
    expect(notWinner.stderr).to.equal(
      `civitas: epoch ${epoch} was won by ${drawn.winner}, not ${loserAddress}\n`,
    );
    const claimed = await civitasOk(["lottery", "claim", epoch.toString()], winner);
    expect(claimed).to.match(
      new RegExp(
        `^Claimed epoch ${epoch}'s reward 100 CIV: received [\\d.]+ CIV after [\\d.]+ CIV tax\\.`,
        "m",
      ),
    );
    const again = await civitas(["lottery", "claim", epoch.toString()], winner);
    expect(again.stderr).to.equal(`civitas: epoch ${epoch}'s reward was already claimed or returned\n`);

    expect(await civitasOk(["lottery", "claim", epoch.toString(), "--stake"], staker)).to.contain(
      `Withdrew 10 CIV staked in epoch ${epoch}.`,
    );
    const after = await civitasOk(["lottery", "show", epoch.toString(), "-a", devnetAddress(47)]);
    expect(after).to.contain(`drawn: Won, winner ${drawn.winner}`);
    expect(after).to.contain("staked 0 CIV, committed and revealed");
  });
});
