import { expect } from "chai";
import { Contract, JsonRpcProvider } from "ethers";
import * as abis from "../../generated/abis.ts";
import { type Deployment, readDeployment } from "../../scripts/lib/deployment.ts";
import { civitas, civitasOk, cliDevnet, devnetAddress, devnetKey } from "./helpers.ts";

/**
 * `civitas agreement …` (issue 17): a loan, an insurance and an information sale through their steps, the
 * refusals each step makes before sending anything (state by name, the wrong party, amounts in CIV), and
 * `--json`. Devnet accounts 47 (alice: borrower, insured, seller), 48 (bob: lender, insurer, buyer) and 49
 * (carol: arbitrator), funded here.
 */
describe("civitas CLI: agreement (loans, insurance, information sales)", function () {
  this.timeout(300_000);
  const alice = devnetKey(47);
  const bob = devnetKey(48);
  const carol = devnetKey(49);
  let deployment: Deployment;
  let loans: Contract;
  let insurance: Contract;
  let sales: Contract;

  before(async function () {
    // The first CLI test file to run starts the shared devnet and deploys: minutes under load.
    this.timeout(900_000);
    const { devnet, deploymentsDir } = await cliDevnet();
    deployment = readDeployment(31337, deploymentsDir)!;
    const rpc = new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true });
    for (const index of [47, 48, 49])
      await rpc.send("hardhat_setBalance", [devnetAddress(index), "0x56bc75e2d63100000"]); // 100 ETH
    loans = new Contract(deployment.contracts.loanAgreements!, abis.loanAgreementsAbi as never, rpc);
    insurance = new Contract(
      deployment.contracts.insuranceAgreements!,
      abis.insuranceAgreementsAbi as never,
      rpc,
    );
    sales = new Contract(deployment.contracts.informationSales!, abis.informationSalesAbi as never, rpc);
    for (const [key, name] of [
      [alice, "alice"],
      [bob, "bob"],
      [carol, "carol"],
    ] as const)
      await civitasOk(["register", `ipfs://${name}`], key);
  });

  it("has --help for the group and each step", async function () {
    const help = await civitasOk(["agreement", "--help"]);
    for (const step of [
      "propose",
      "accept",
      "join",
      "cancel",
      "repay",
      "default",
      "claim",
      "rule",
      "show",
      "list",
    ])
      expect(help).to.match(new RegExp(`^  ${step}\\b`, "m"));
    expect(await civitasOk(["agreement", "repay", "--help"])).to.contain(
      "the borrower repays principal + interest and gets the collateral back (loan)",
    );
  });

  it("a loan: proposed, refused to the wrong party and in the wrong state, joined, repaid", async function () {
    const undercollateralised = await civitas(
      [
        "agreement",
        "propose",
        "loan",
        "--counterparty",
        devnetAddress(48),
        "--principal",
        "100",
        "--collateral",
        "50",
      ],
      alice,
    );
    expect(undercollateralised.code).to.equal(1);
    expect(undercollateralised.stderr).to.equal(
      "civitas: a loan's collateral (50 CIV) must be at least its principal (100 CIV)\n",
    );
    const before = await loans.agreementCount();
    const proposed = await civitasOk(
      [
        "agreement",
        "propose",
        "loan",
        "--counterparty",
        devnetAddress(48),
        "--principal",
        "100",
        "--interest",
        "5",
        "--collateral",
        "120",
      ],
      alice,
    );
    const id = (before + 1n).toString();
    expect(proposed).to.match(/^Approved 0x[0-9a-fA-F]{40} for 120 CIV\./m);
    expect(proposed).to.contain(
      `Proposed loan ${id} to ${devnetAddress(48)}: principal 100 CIV, interest 5 CIV, collateral 120 CIV; deposited 120 CIV.`,
    );
    // Repaying before the lender joined: the state by name, nothing sent.
    const early = await civitas(["agreement", "repay", "loan", id], alice);
    expect(early.code).to.equal(1);
    expect(early.stderr).to.equal(`civitas: repay loan ${id} is Proposed: repay needs Active\n`);
    // Only the counterparty joins.
    const wrong = await civitas(["agreement", "join", "loan", id], carol);
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr).to.equal(
      `civitas: join loan ${id} is for the counterparty (${devnetAddress(48)}), not ${devnetAddress(49)}\n`,
    );
    const joined = await civitasOk(["agreement", "join", "loan", id], bob);
    expect(joined).to.contain(`loan ${id}: join done, now Active; paid 100 CIV`);
    const repaid = await civitasOk(["agreement", "repay", "loan", id], alice);
    expect(repaid).to.contain(`loan ${id}: repay done, now Settled; paid 105 CIV.`);
    expect(repaid).to.contain(
      "paid out: proposer 120 CIV, counterparty 105 CIV, arbitrator 0 CIV (before tax)",
    );
    expect(await loans.heldFor(BigInt(id))).to.equal(0n);
    const shown = await civitasOk(["agreement", "show", "loan", id]);
    expect(shown).to.match(
      new RegExp(
        `^loan ${id}: Settled\\n  proposer ${devnetAddress(47)}, counterparty ${devnetAddress(48)}\\n  principal 100 CIV, interest 5 CIV, collateral 120 CIV; held now 0 CIV`,
      ),
    );
    // A second repay: refused by name.
    const again = await civitas(["--json", "agreement", "repay", "loan", id], alice);
    expect(again.code).to.equal(1);
    expect(JSON.parse(again.stdout).error).to.deep.include({
      code: "refused",
      message: `repay loan ${id} is Settled: repay needs Active`,
      state: "Settled",
    });
  });

  it("an insurance: the arbitrator accepts, the insurer joins, the insured claims, the arbitrator rules", async function () {
    const id = ((await insurance.agreementCount()) + 1n).toString();
    await civitasOk(
      [
        "agreement",
        "propose",
        "insurance",
        "--counterparty",
        devnetAddress(48),
        "--arbitrator",
        devnetAddress(49),
        "--fee",
        "1",
        "--premium",
        "3",
        "--cover",
        "50",
        "--terms",
        "service X is down on 1 Dec",
      ],
      alice,
    );
    // The insurer cannot join before the arbitrator accepted.
    const early = await civitas(["agreement", "join", "insurance", id], bob);
    expect(early.stderr).to.equal(
      `civitas: join insurance ${id} is Proposed: join needs Accepted (the arbitrator has not accepted yet)\n`,
    );
    expect(await civitasOk(["agreement", "accept", "insurance", id], carol)).to.contain(
      `insurance ${id}: accept done, now Accepted; paid 5 CIV`,
    );
    await civitasOk(["agreement", "join", "insurance", id], bob);
    // A step of another kind is refused by name.
    const notAStep = await civitas(["agreement", "repay", "insurance", id], alice);
    expect(notAStep.stderr).to.equal(
      "civitas: repay is not a step of insurance agreements (it applies to: loan)\n",
    );
    const claimed = await civitasOk(
      ["agreement", "claim", "insurance", id, "--evidence", "ipfs://outage"],
      alice,
    );
    expect(claimed).to.contain(`insurance ${id}: claim done, now Disputed`);
    const ruled = await civitasOk(
      ["--json", "agreement", "rule", "insurance", id, "--winner", "proposer"],
      carol,
    );
    expect(JSON.parse(ruled)).to.deep.include({
      state: "Ruled",
      proposerReceivedCiv: "50",
      counterpartyReceivedCiv: "3",
      arbitratorReceivedCiv: "6",
    });
  });

  it("an information sale: accepted, joined, revealed and confirmed; a reveal without --data is refused", async function () {
    const id = ((await sales.agreementCount()) + 1n).toString();
    await civitasOk(
      [
        "agreement",
        "propose",
        "information-sale",
        "--counterparty",
        devnetAddress(48),
        "--arbitrator",
        devnetAddress(49),
        "--price",
        "20",
        "--collateral",
        "10",
        "--data",
        "the answer is 42",
      ],
      alice,
    );
    await civitasOk(["agreement", "accept", "information-sale", id], carol);
    await civitasOk(["agreement", "join", "information-sale", id], bob);
    const missing = await civitas(["agreement", "reveal", "information-sale", id], alice);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain("required option '--data <text>' not specified");
    expect(
      await civitasOk(["agreement", "reveal", "information-sale", id, "--data", "the answer is 42"], alice),
    ).to.contain(`information-sale ${id}: reveal done, now Delivered`);
    expect(await civitasOk(["agreement", "confirm", "information-sale", id], bob)).to.contain("now Settled");
    const listed = await civitasOk(["agreement", "list", "--kind", "information-sale"], bob);
    expect(listed).to.contain(`information-sale ${id}: Settled, you are the counterparty`);
  });

  it("refuses an unknown kind and an unknown id, naming them", async function () {
    const kind = await civitas(["agreement", "show", "swap", "1"]);
    expect(kind.code).to.equal(1);
    expect(kind.stderr).to.contain("unknown agreement kind swap: forward, loan, insurance, information-sale");
    const missing = await civitas(["agreement", "show", "loan", "999"]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.match(/^civitas: no loan 999 \(ids 1\.\.\d+\)/);
  });
});
