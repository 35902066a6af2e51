import { expect } from "chai";
import { Contract, JsonRpcProvider } from "ethers";
import * as abis from "../../generated/abis.ts";
import { type Deployment, readDeployment } from "../../scripts/lib/deployment.ts";
import { advanceTo } from "../market/devnet.ts";
import { civitas, civitasOk, cliDevnet, devnetAddress, devnetKey } from "./helpers.ts";

/**
 * `civitas agreement … forward` and `civitas agreement pool …` (issue 17, kinds 1 and 5): an attested forward
 * (attention, resource 2) delivered and confirmed, a gpu-second forward the seller cannot deliver (refused
 * before sending) that defaults, and a lottery pool contributed to, played, settled and claimed; each early,
 * wrong-party or wrong-amount step refused with its reason and nothing sent. Devnet accounts 75 (seller,
 * member), 76 (buyer, member) and 77 (arbitrator, player), funded here.
 */
describe("civitas CLI: agreement forwards and lottery pools", function () {
  this.timeout(1_200_000);
  const seller = devnetKey(75);
  const buyer = devnetKey(76);
  const arbitrator = devnetKey(77);
  let deployment: Deployment;
  let rpc: JsonRpcProvider;
  let forwards: Contract;
  let pools: Contract;
  let lottery: Contract;

  before(async function () {
    this.timeout(900_000);
    const { devnet, deploymentsDir } = await cliDevnet();
    deployment = readDeployment(31337, deploymentsDir)!;
    rpc = new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true });
    for (const index of [75, 76, 77])
      await rpc.send("hardhat_setBalance", [devnetAddress(index), "0x56bc75e2d63100000"]); // 100 ETH
    forwards = new Contract(deployment.contracts.forwardAgreements!, abis.forwardAgreementsAbi as never, rpc);
    pools = new Contract(deployment.contracts.poolAgreements!, abis.poolAgreementsAbi as never, rpc);
    lottery = new Contract(deployment.contracts.blockLottery!, abis.blockLotteryAbi as never, rpc);
    const registry = new Contract(deployment.contracts.registry!, abis.agentRegistryAbi as never, rpc);
    for (const [key, index] of [
      [seller, 75],
      [buyer, 76],
      [arbitrator, 77],
    ] as const)
      if ((await registry.agentIdOf(devnetAddress(index))) === 0n)
        await civitasOk(["register", `ipfs://agops-${index}`], key);
  });

  it("has --help for forwards' steps and every pool command", async function () {
    expect(await civitasOk(["agreement", "deliver", "--help"])).to.contain("the seller delivers");
    expect(await civitasOk(["agreement", "propose", "--help"])).to.contain("--buyer-collateral");
    const help = await civitasOk(["agreement", "pool", "--help"]);
    for (const command of ["show", "contribute", "exit", "play", "settle", "claim"])
      expect(help).to.match(new RegExp(`^  ${command}\\b`, "m"));
  });

  const propose = (resource: string, quantity: string, dueHours: string) =>
    civitas(
      [
        "agreement",
        "propose",
        "forward",
        "--counterparty",
        devnetAddress(76),
        "--arbitrator",
        devnetAddress(77),
        "--fee",
        "1",
        "--resource",
        resource,
        "--quantity",
        quantity,
        "--price",
        "5",
        "--collateral",
        "2",
        "--buyer-collateral",
        "1",
        "--due-hours",
        dueHours,
      ],
      seller,
    );

  it("an attested forward: refused too short, proposed, accepted, joined, delivered when open, confirmed", async function () {
    const tooShort = await propose("2", "1", "1");
    expect(tooShort.code).to.equal(1);
    expect(tooShort.stderr).to.match(
      /^civitas: a forward's due date .* must not fall before the end of delivery epoch/,
    );
    const before = await forwards.agreementCount();
    const proposed = await propose("2", "1", "72");
    expect(proposed.code, proposed.stderr).to.equal(0);
    const id = (before + 1n).toString();
    expect(proposed.stdout).to.contain(
      `Proposed forward ${id} to ${devnetAddress(76)}: 1 credits of resource 2`,
    );
    expect(proposed.stdout).to.contain(
      "collateral 2 CIV, price 5 CIV, buyerCollateral 1 CIV; deposited 3 CIV.",
    );
    // The buyer cannot join before the arbitrator accepted; the arbitrator accepts.
    const early = await civitas(["agreement", "join", "forward", id], buyer);
    expect(early.code).to.equal(1);
    expect(early.stderr).to.contain("(the arbitrator has not accepted yet)");
    expect(await civitasOk(["agreement", "accept", "forward", id], arbitrator)).to.contain(
      `forward ${id}: accept done, now Accepted`,
    );
    expect(await civitasOk(["agreement", "join", "forward", id], buyer)).to.contain(
      `forward ${id}: join done, now Active; paid 6 CIV`,
    );
    const notOpen = await civitas(["agreement", "deliver", "forward", id], seller);
    expect(notOpen.code).to.equal(1);
    expect(notOpen.stderr).to.match(/delivery opens with market epoch \d+ at /);
    const wrong = await civitas(["agreement", "deliver", "forward", id], buyer);
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr).to.contain(`is for the proposer (${devnetAddress(75)})`);
    await advanceTo(rpc, await forwards.deliveryOpensAt(BigInt(id)));
    expect(await civitasOk(["agreement", "deliver", "forward", id], seller)).to.contain(
      `forward ${id}: deliver done, now Delivered`,
    );
    const confirmed = await civitasOk(["agreement", "confirm", "forward", id], buyer);
    expect(confirmed).to.contain(`forward ${id}: confirm done, now Settled`);
    expect(confirmed).to.contain("paid out: proposer 8 CIV, counterparty 1 CIV");
    expect(await civitasOk(["agreement", "show", "forward", id])).to.match(
      new RegExp(`^forward ${id}: Settled\\n`),
    );
  });

  it("a gpu-second forward the seller cannot deliver: refused before sending, then defaulted", async function () {
    const proposed = await propose("1", "100", "72");
    expect(proposed.code, proposed.stderr).to.equal(0);
    const id = ((await forwards.agreementCount()) as bigint).toString();
    await civitasOk(["agreement", "accept", "forward", id], arbitrator);
    await civitasOk(["agreement", "join", "forward", id], buyer);
    const a = await forwards.agreementOf(BigInt(id));
    await advanceTo(rpc, await forwards.deliveryOpensAt(BigInt(id)));
    const block = await rpc.send("eth_blockNumber", []); // the node itself (getBlockNumber caches 250 ms)
    const cannot = await civitas(["agreement", "deliver", "forward", id], seller);
    expect(cannot.code).to.equal(1);
    expect(cannot.stderr).to.equal(
      `civitas: deliver forward ${id}: you hold 0 of the 100 credits of resource 1 to deliver\n`,
    );
    expect(await rpc.send("eth_blockNumber", [])).to.equal(block); // nothing sent
    const early = await civitas(["agreement", "default", "forward", id], buyer);
    expect(early.code).to.equal(1);
    expect(early.stderr).to.contain("default is possible only after the dueDate");
    await advanceTo(rpc, a.dueDate + 1n);
    const defaulted = await civitasOk(["agreement", "default", "forward", id], buyer);
    expect(defaulted).to.contain(`forward ${id}: default done, now Defaulted`);
    expect(defaulted).to.contain("paid out: proposer 1 CIV, counterparty 8 CIV");
  });

  it("a lottery pool: contributions checked, played in its epoch, settled, claimed once", async function () {
    const epoch = ((await lottery.currentEpoch()) as bigint) + 1n;
    const low = await civitas(["agreement", "pool", "contribute", "0.5"], seller);
    expect(low.code).to.equal(1);
    expect(low.stderr).to.contain("a contribution is at least 1 CIV, not 0.5 CIV");
    const first = await civitasOk(["agreement", "pool", "contribute", "2"], seller);
    const poolId = ((await pools.poolOfEpoch(epoch)) as bigint).toString();
    expect(first).to.contain("contribute done: paid 2 CIV.");
    expect(first).to.contain(`Pool ${poolId} (lottery epoch ${epoch}): Open; contributed 2 CIV`);
    await civitasOk(["agreement", "pool", "contribute", "3", "--epoch", epoch.toString()], buyer);
    const notMember = await civitas(["agreement", "pool", "exit", poolId], arbitrator);
    expect(notMember.code).to.equal(1);
    expect(notMember.stderr).to.contain(`${devnetAddress(77)} has no contribution in it`);
    const early = await civitas(["agreement", "pool", "play", poolId], arbitrator);
    expect(early.code).to.equal(1);
    expect(early.stderr).to.contain(`a pool plays during its epoch ${epoch}`);

    await advanceTo(rpc, await lottery.epochStart(epoch));
    const locked = await civitas(
      ["agreement", "pool", "contribute", "1", "--epoch", epoch.toString()],
      arbitrator,
    );
    expect(locked.code).to.equal(1);
    expect(locked.stderr).to.contain("the pool locked at");
    expect(await civitasOk(["agreement", "pool", "play", poolId], arbitrator)).to.contain(
      `Pool ${poolId} (lottery epoch ${epoch}): Playing; contributed 5 CIV`,
    );
    const notYet = await civitas(["agreement", "pool", "settle", poolId], arbitrator);
    expect(notYet.code).to.equal(1);
    expect(notYet.stderr).to.contain("when the lottery can draw its epoch");

    const drawAt =
      ((await lottery.epochStart(epoch + 1n)) as bigint) + ((await lottery.REVEAL_WINDOW()) as bigint);
    await advanceTo(rpc, drawAt);
    const settled = await civitasOk(["agreement", "pool", "settle", poolId], arbitrator);
    expect(settled).to.contain("settle done: stake returned 5 CIV");
    expect(settled).to.contain(`Pool ${poolId} (lottery epoch ${epoch}): Settled`);
    const claimed = await civitasOk(["agreement", "pool", "claim", poolId], seller);
    expect(claimed).to.contain("claim done: received 2 CIV back");
    const twice = await civitas(["agreement", "pool", "claim", poolId], seller);
    expect(twice.code).to.equal(1);
    expect(twice.stderr).to.contain("has nothing to claim");
    const shown = JSON.parse(
      await civitasOk(["--json", "agreement", "pool", "show", poolId, "--address", devnetAddress(76)]),
    );
    expect(shown).to.deep.include({ state: "Settled", contributionWei: (3n * 10n ** 18n).toString() });
  });
});
