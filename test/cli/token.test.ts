import { expect } from "chai";
import { civitas, civitasOk, devnetAddress, devnetKey } from "./helpers.ts";

describe("civitas CLI: token (address, balance, send, votes delegate)", function () {
  // The first file to run starts and deploys the shared devnet in its hook: slow under load.
  this.timeout(900_000);
  const alice = devnetKey(1);
  const bob = devnetAddress(2);

  before(async function () {
    await civitasOk(["register", "ipfs://alice"], alice);
    await civitasOk(["register", "ipfs://bob"], devnetKey(2));
  });

  it("prints the signing account's address", async function () {
    expect((await civitasOk(["address"], alice)).trim()).to.equal(devnetAddress(1));
  });

  it("sends a taxed payment and prints the tax as the token charged it", async function () {
    const out = await civitasOk(["send", bob, "10"], alice);
    expect(out).to.match(/Sent 10 CIV to 0x[0-9a-fA-F]{40}: 9 CIV net, 1 CIV tax\./);
    expect(out).to.match(/tx 0x[0-9a-f]{64} \(block \d+, gas \d+\)/);
  });

  it("shows a balance with its holdings against the wealth cap", async function () {
    const out = await civitasOk(["balance", bob]);
    expect(out).to.contain(bob);
    expect(out).to.match(/balance\s+1,009 CIV/);
    expect(out).to.match(/wealth cap/);
  });

  it("exits 1 naming the gross amount (tax included) against the balance held when it is short", async function () {
    const result = await civitas(["send", bob, "5000"], alice);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      `civitas: cannot send 5,000 CIV (gross, of which 500 CIV tax and 4,500 CIV to ${bob}): ${devnetAddress(1)} holds 990 CIV\n`,
    );
  });

  it("exits 1 on a bad address, before sending anything", async function () {
    const result = await civitas(["send", "0x12", "1"], alice);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("not an address: 0x12");
  });

  it("exits 1 without a key for a command that signs", async function () {
    const result = await civitas(["send", bob, "1"]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("no key: set CIVITAS_PRIVATE_KEY");
  });

  it("delegates token votes with `votes delegate`", async function () {
    const out = await civitasOk(["votes", "delegate"], alice);
    expect(out).to.contain(`Token votes delegated to ${devnetAddress(1)}.`);
  });
});
