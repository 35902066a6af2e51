import { expect } from "chai";
import { civitas, civitasOk, devnetAddress, devnetKey } from "./helpers.ts";

describe("civitas CLI: job (create, agree, accept, fund, submit, approve, show)", function () {
  this.timeout(300_000);
  const [client, provider, arbitrator] = [devnetKey(8), devnetKey(9), devnetKey(10)];
  let id = "";

  before(async function () {
    for (const [key, uri] of [
      [client, "ipfs://client"],
      [provider, "ipfs://provider"],
      [arbitrator, "ipfs://arbitrator"],
    ] as const)
      await civitasOk(["register", uri], key);
  });

  it("creates a job and prints the bond the escrow set", async function () {
    const out = await civitasOk(
      [
        "job",
        "create",
        "--provider",
        devnetAddress(9),
        "--arbitrator",
        devnetAddress(10),
        "--amount",
        "50",
        "--fee",
        "2.5",
      ],
      client,
    );
    const match =
      /Created job (\d+): 50 CIV to 0x[0-9a-fA-F]{40}; arbitrator bond 5 CIV; the provider must run "job agree" first\./.exec(
        out,
      );
    expect(match, out).to.not.equal(null);
    id = match![1];
  });

  it("runs the job to completion, each step printing the state by name", async function () {
    expect(await civitasOk(["job", "agree", id], provider)).to.contain(
      `Job ${id}: agree done; state Agreed.`,
    );
    expect(await civitasOk(["job", "accept", id], arbitrator)).to.contain(
      `Job ${id}: accept done; state Accepted.`,
    );
    expect(await civitasOk(["job", "fund", id], client)).to.contain(`Job ${id}: fund done; state Funded.`);
    expect(await civitasOk(["job", "submit", id, "ipfs://work"], provider)).to.contain(
      `Job ${id}: deliverable submitted (ipfs://work); state Submitted.`,
    );
    expect(await civitasOk(["job", "approve", id], client)).to.contain(
      `Job ${id}: approve done; state Completed.`,
    );
    expect(await civitasOk(["job", "show", id])).to.match(new RegExp(`^Job ${id}: Completed`, "m"));
  });

  it("exits 1 with the decoded error when the wrong party acts", async function () {
    const result = await civitas(["job", "rate", id, "up"], arbitrator);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(
      new RegExp(`EscrowUnauthorized\\(escrowId: ${id}, caller: 0x[0-9a-fA-F]{40}\\)`),
    );
  });

  it("exits 1 for a job that does not exist, and for a bad rating", async function () {
    const missing = await civitas(["job", "show", "999"]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain("no job 999");
    const bad = await civitas(["job", "rate", id, "sideways"], client);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain('rating must be up or down (got "sideways")');
  });
});
