import { expect } from "chai";
import { civitas, civitasOk, devnetAddress, devnetKey } from "./helpers.ts";

describe("civitas CLI: stake (validator, delegate, undelegate, withdraw, claim)", function () {
  this.timeout(300_000);
  const validator = devnetKey(5);
  const delegator = devnetKey(6);

  before(async function () {
    await civitasOk(["register", "ipfs://validator"], validator);
    await civitasOk(["register", "ipfs://delegator"], delegator);
  });

  it("registers a validator, approving the staking contract first", async function () {
    const out = await civitasOk(["stake", "validator", "500", "-c", "1000"], validator);
    expect(out).to.match(/^Approved 0x[0-9a-fA-F]{40} for 500 CIV\./m);
    expect(out).to.contain("Registered as a validator with 500 CIV self-stake, 10% commission.");
  });

  it("bonds CIV with a validator under `stake delegate`", async function () {
    const out = await civitasOk(["stake", "delegate", devnetAddress(5), "100"], delegator);
    expect(out).to.contain(`Bonded 100 CIV with ${devnetAddress(5)}.`);
  });

  it("has no top-level `delegate`: staking and token votes are named apart", async function () {
    const result = await civitas(["delegate", devnetAddress(5), "1"], delegator);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("unknown command 'delegate'");
  });

  it("unbonds with `stake undelegate` and refuses an early `stake withdraw` with the decoded error", async function () {
    const out = await civitasOk(["stake", "undelegate"], delegator);
    const match = /Unbonding 100 CIV: request (\d+), withdrawable from/.exec(out);
    expect(match).to.not.equal(null);
    const result = await civitas(["stake", "withdraw", match![1]], delegator);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(
      new RegExp(`StakingStillUnbonding\\(unbondingId: ${match![1]}, releaseTime: \\d+`),
    );
  });

  it("exits 1 with the decoded error when there is nothing to claim", async function () {
    const result = await civitas(["stake", "claim"], devnetKey(7));
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/StakingNothingToClaim\(account: 0x[0-9a-fA-F]{40}\)/);
  });
});
