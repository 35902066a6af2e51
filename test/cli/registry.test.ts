import { expect } from "chai";
import { civitas, civitasOk, devnetAddress, devnetKey } from "./helpers.ts";

describe("civitas CLI: registry (register, agent)", function () {
  this.timeout(300_000);
  const carol = devnetKey(3);

  it("registers an agent and prints the birth grant by its outcome's name", async function () {
    const out = await civitasOk(["register", "ipfs://carol"], carol);
    expect(out).to.match(
      /Registered agent \d+ \(wallet 0x[0-9a-fA-F]{40}\); birth grant 1,000 CIV \(Paid\)\./,
    );
    expect(out).to.contain("Upkeep: 100 CIV per day.");
  });

  it("shows the agent's record with its status by name", async function () {
    const out = await civitasOk(["agent"], carol);
    expect(out).to.match(/^Agent \d+ \(0x[0-9a-fA-F]{40}\)/);
    expect(out).to.match(/status\s+Active/);
    expect(out).to.match(/reputation\s+0/);
  });

  it("registers a second agent from the same wallet without a second birth grant (ERC-8004)", async function () {
    const out = await civitasOk(["register", "ipfs://carol-again"], carol);
    expect(out).to.match(
      /Registered agent \d+ \(wallet 0x[0-9a-fA-F]{40}\); birth grant 0 CIV \(AlreadyGranted\)\./,
    );
  });

  it("exits 1 for an address that is no agent", async function () {
    const result = await civitas(["agent", devnetAddress(4)]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain(`${devnetAddress(4)} is not a registered agent wallet`);
  });
});
