import { expect } from "chai";
import { Contract, JsonRpcProvider } from "ethers";
import * as abis from "../../generated/abis.ts";
import { readDeployment } from "../../scripts/lib/deployment.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { advanceTo, governMarket, governPool } from "../market/devnet.ts";
import { civitas, civitasOk, cliDevnet, devnetAddress, devnetKey } from "./helpers.ts";

describe("civitas CLI: market, credits, pool (resource markets)", function () {
  this.timeout(300_000);
  const provider = devnetKey(20);
  const buyer = devnetKey(21);
  const meter = devnetKey(22);
  let market: Contract;
  let rpc: JsonRpcProvider;
  let deployment: Deployment;

  before(async function () {
    // The first CLI test file to run starts the shared devnet and deploys: minutes under load.
    this.timeout(900_000);
    const { devnet, deploymentsDir } = await cliDevnet();
    deployment = readDeployment(31337, deploymentsDir)!;
    rpc = new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true });
    // Accounts 20..22 are this file's own (the shared devnet funds 0..19, which other files use; 16..18 are
    // the MCP test's): give them gas money.
    for (const index of [20, 21, 22])
      await rpc.send("hardhat_setBalance", [devnetAddress(index), "0x56bc75e2d63100000"]); // 100 ETH
    await governMarket(rpc, deployment, devnetAddress(22));
    market = new Contract(deployment.contracts.resourceMarket!, abis.resourceMarketAbi as never, rpc);
    await civitasOk(["register", "ipfs://provider"], provider);
    await civitasOk(["register", "ipfs://buyer"], buyer);
  });

  it("lists the resource types with their reserve, allowance and the epoch's supply and demand", async function () {
    const out = await civitasOk(["market", "resources", "-a", devnetAddress(21)]);
    expect(out).to.match(/^Epoch \d+, ends \d{4}-/m);
    expect(out).to.contain(
      "#1 gpu-second (listed): reserve 0.01 CIV per unit, tick 0.001 CIV; free 100/day up to 200; this epoch supply 0, demand 0; credits 0, allowance 200",
    );
  });

  it("offers capacity and bids (approving the market first), then shows the auction", async function () {
    const offered = await civitasOk(["market", "offer", "1", "10"], provider);
    expect(offered).to.match(
      /^Offer \d+: 10 of resource 1 in epoch \d+, paid to 0x[0-9a-fA-F]{40} \(epoch supply now 10\)\./m,
    );
    const bid = await civitasOk(["market", "bid", "1", "10", "0.02"], buyer);
    expect(bid).to.match(/^Approved 0x[0-9a-fA-F]{40} for 0\.2 CIV\./m);
    expect(bid).to.match(
      /Bid \d+: 10 of resource 1 in epoch \d+ at up to 0\.02 CIV per unit; 0\.2 CIV in escrow\./,
    );
    expect(bid).to.match(/Claim from \d{4}-.* with `civitas market claim --bid \d+`/);
    const shown = await civitasOk(["market", "show", "1"]);
    expect(shown).to.match(/supply 10, demand 10, reserve 0\.01 CIV per unit\.\n {2}not cleared yet/);
  });

  it("refuses a claim before the epoch ends, saying when it ends, and sends nothing", async function () {
    const bids = await market.bidCount();
    const result = await civitas(["market", "claim", "--bid", bids.toString()], buyer);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^civitas: epoch \d+ has not ended: it ends at \d{4}-/);
    expect((await market.bidOf(bids)).claimed).to.equal(false);
  });

  // Each refused bid: its arguments, and the reason printed; nothing is sent (the bid count stays).
  const refusedBids: [string, string[], RegExp][] = [
    [
      "a price off the tick grid",
      ["1", "10", "0.0105"],
      /not a positive multiple of resource 1's tick size 0\.001 CIV/,
    ],
    [
      "a price below the reserve",
      ["1", "10", "0.005"],
      /below resource 1's reserve 0\.01 CIV: such a bid cannot fill/,
    ],
    [
      "a price above the highest tick",
      ["1", "1", "4.096"],
      /above the highest price 4\.095 CIV \(tick 4095\)/,
    ],
    ["a quantity of zero", ["1", "0", "0.02"], /a bid for 0 units buys nothing/],
    ["an unknown resource", ["9", "1", "0.02"], /no resource 9 \(resources: 1\.\.2\)/],
    [
      "an epoch beyond the open ones",
      ["1", "1", "0.02", "--epoch", "99999"],
      /epoch 99999 does not take offers or bids: the current epoch is \d+, and at most 30 ahead are open/,
    ],
  ];
  for (const [what, args, message] of refusedBids) {
    it(`refuses a bid with ${what}, explaining why (exit 1)`, async function () {
      const before = await market.bidCount();
      const result = await civitas(["market", "bid", ...args], buyer);
      expect(result.code, result.stderr).to.equal(1);
      expect(result.stderr).to.match(message);
      expect(await market.bidCount()).to.equal(before);
    });
  }

  it("rejects malformed arguments before connecting (exit 1)", async function () {
    for (const args of [
      ["market", "bid", "1", "ten", "0.02"],
      ["market", "bid", "1", "10", "cheap"],
      ["market", "offer", "x", "10"],
      ["credits", "send", "1", "not-an-address", "1"],
    ]) {
      const result = await civitas(args, buyer);
      expect(result.code, args.join(" ")).to.equal(1);
      expect(result.stderr).to.match(/error: command-argument value '.*' is invalid/);
    }
  });

  it("refuses an offer from a wallet that is not an agent, with the market's decoded error", async function () {
    const result = await civitas(["market", "offer", "1", "5"], devnetKey(12));
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/MarketNotInGoodStanding\(provider: 0x[0-9a-fA-F]{40}\)/);
  });

  it("asks for exactly one of --bid or --offer", async function () {
    const result = await civitas(["market", "claim"], buyer);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("civitas: give exactly one of bidId or offerId");
  });

  it("shows credits and the free allowance, and meters usage as the authorised meter", async function () {
    expect(await civitasOk(["credits", "show", "1", "-a", devnetAddress(21)])).to.contain(
      "0 gpu-second credits, 200 free allowance; used 0 this window of a 10000 quota per 3600 s.",
    );
    const recorded = await civitasOk(
      ["credits", "meter", "1", devnetAddress(21), "150", "--ref", "job-7"],
      meter,
    );
    expect(recorded).to.contain(
      `Recorded 150 for ${devnetAddress(21)}: 150 from the free allowance, 0 credits burned.`,
    );
    const denied = await civitasOk(
      ["credits", "meter", "1", devnetAddress(21), "500", "--ref", "job-8"],
      meter,
    );
    expect(denied).to.contain(
      `Denied 500 for ${devnetAddress(21)}: insufficient_credits (recorded as a denial).`,
    );
  });

  it("refuses metering by a wallet that is not a meter, and a transfer of credits it does not hold", async function () {
    const notMeter = await civitas(["credits", "meter", "1", devnetAddress(21), "1", "--ref", "x"], buyer);
    expect(notMeter.code).to.equal(1);
    expect(notMeter.stderr).to.match(/is not an authorised meter of resource 1/);
    const send = await civitas(["credits", "send", "1", devnetAddress(20), "5"], buyer);
    expect(send.code).to.equal(1);
    expect(send.stderr).to.match(/sending 5 gpu-second needs 5 credits, and 0x[0-9a-fA-F]{40} holds 0/);
  });

  it("clears the ended epoch, settles an offer paid to a compute pool, and pays the pool's dividends", async function () {
    // This epoch so far: the provider's 10 at the reserve, the buyer's 10 at 0.02 (the tests above).
    const epoch: bigint = await market.currentEpoch();
    const { pool, shares } = await governPool(rpc, deployment, epoch);
    // The provider creates the pool through the factory, at the address governance already marked.
    expect(await civitasOk(["pool", "create", shares.toString()], provider)).to.contain(
      `Pool ${pool} created: its shares are the bids on resource ${shares} in epoch ${epoch}.`,
    );
    const twice = await civitas(["pool", "create", shares.toString(), "--epoch", epoch.toString()], provider);
    expect(twice.code).to.equal(1);
    expect(twice.stderr).to.contain(
      `the pool of resource ${shares}'s epoch ${epoch} exists already: ${pool}`,
    );
    const transferable = await civitas(["pool", "create", "1"], provider);
    expect(transferable.code).to.equal(1);
    expect(transferable.stderr).to.contain("resource 1 (gpu-second) is transferable");
    await civitasOk(["market", "offer", shares.toString(), "100"], provider);
    const shareBid = /^Bid (\d+):/m.exec(
      await civitasOk(["market", "bid", shares.toString(), "100", "0.001"], buyer),
    )![1];
    const poolOffer = /^Offer (\d+):/m.exec(
      await civitasOk(["market", "offer", "1", "10", "--payee", pool], provider),
    )![1];
    const early = await civitas(["market", "clear", "1", epoch.toString()], buyer);
    expect(early.code).to.equal(1);
    expect(early.stderr).to.match(new RegExp(`^civitas: epoch ${epoch} has not ended: it ends at \\d{4}-`));

    await advanceTo(rpc, (await market.epochEnd(epoch)) + 1n);
    // Supply 20, demand 10: nobody is outbid, the price is the reserve; utilisation 50% leaves it put.
    expect(await civitasOk(["market", "clear", "1", epoch.toString()], buyer)).to.contain(
      `Epoch ${epoch} of resource 1 cleared at 0.01 CIV per unit: 10 of 20 sold (demand 10); next reserve 0.01 CIV.`,
    );
    const again = await civitas(["market", "clear", "1", epoch.toString()], buyer);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.contain(`resource 1's epoch ${epoch} is already cleared`);
    expect(await civitasOk(["market", "claim", "--offer", poolOffer], buyer)).to.contain(
      `Offer ${poolOffer}: 5 sold, 0.05 CIV gross (fee 0.0005 CIV) paid to ${pool} as earnings.`,
    );
    expect(await civitasOk(["market", "claim", "--bid", shareBid], buyer)).to.contain(
      `Bid ${shareBid}: 100 credited to ${devnetAddress(21)}`,
    );
    expect(await civitasOk(["pool", "distribute", pool], buyer)).to.contain("Distributed 0.0495 CIV.");
    expect(await civitasOk(["pool", "show", pool, "--bid", shareBid])).to.contain(
      `Pool ${pool}: 100 shares (resource ${shares}, epoch ${epoch}), holds 0.0495 CIV.\n  share bid ${shareBid} can claim 0.0495 CIV.`,
    );
    expect(await civitasOk(["pool", "claim", pool, shareBid], provider)).to.contain(
      `Paid 0.0495 CIV of dividends to ${devnetAddress(21)} (share bid ${shareBid}).`,
    );
    const claimTwice = await civitas(["pool", "claim", pool, shareBid], provider);
    expect(claimTwice.code).to.equal(1);
    expect(claimTwice.stderr).to.match(new RegExp(`share bid ${shareBid} has no dividends to claim`));
  });

  it("documents every market command under --help", async function () {
    const help = await civitasOk(["market", "--help"]);
    for (const command of ["resources", "show", "offer", "bid", "clear", "claim"])
      expect(help).to.contain(command);
    expect(await civitasOk(["pool", "--help"])).to.match(/create[\s\S]*show[\s\S]*distribute[\s\S]*claim/);
    expect(await civitasOk(["credits", "--help"])).to.match(/show[\s\S]*send[\s\S]*meter/);
  });
});
