import { expect } from "chai";
import { civitas, civitasOk, devnetKey } from "./helpers.ts";

describe("civitas CLI: proposal (tax, vote, show)", function () {
  this.timeout(300_000);
  const agent = devnetKey(11);

  before(async function () {
    await civitasOk(["register", "ipfs://voter"], agent);
  });

  it("exits 1 with the Governor's decoded error when the proposer lacks votes", async function () {
    const result = await civitas(["proposal", "tax", "800", "-m", "Lower the tax"], agent);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/GovernorInsufficientProposerVotes\(proposer: 0x[0-9a-fA-F]{40}, votes: /);
  });

  it("refuses a support value other than for, against or abstain before sending", async function () {
    const result = await civitas(["proposal", "vote", "1", "maybe"], agent);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('support must be for, against or abstain (got "maybe")');
  });

  it("exits 1 for a proposal that does not exist", async function () {
    const result = await civitas(["proposal", "show", "12345"]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("no proposal 12345 on this deployment");
  });
});
