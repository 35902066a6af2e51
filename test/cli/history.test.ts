import { expect } from "chai";
import { freePort } from "../../scripts/lib/devnet.ts";
import { civitas, devnetAddress } from "./helpers.ts";

describe("civitas CLI: history", function () {
  this.timeout(300_000);

  it("exits 1 with a readable message when the indexer cannot be reached", async function () {
    const port = await freePort();
    const result = await civitas([
      "--graphql",
      `http://127.0.0.1:${port}/graphql`,
      "history",
      devnetAddress(12),
    ]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^civitas: /);
    expect(result.stderr).to.contain(`cannot query the indexer at http://127.0.0.1:${port}/graphql`);
  });

  it("exits 1 on a bad address", async function () {
    const result = await civitas(["history", "nope"]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("not an address: nope");
  });
});
