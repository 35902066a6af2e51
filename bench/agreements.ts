/**
 * Gas per agreement kind (issue 17): each kind's lifecycle on the real deployment (the whole Protocol
 * Ignition module: real token, registry, ERC-8004 reputation registry, roles as `npm run deploy` leaves
 * them), beside two anchors measured in the same run with the same amounts:
 * - the escrow's happy path (create, agree, accept, fund, submit, approve) for a job of the same notional
 *   and arbitrator fee;
 * - plain ERC-20 transfers of the same value movements (each deposit in, each payout out): the floor an
 *   agreement contract pays on top of.
 * The settling steps include the reputation reports; the last rows isolate them: the same loan settled
 * with interest that reports whole points (two registry calls) and with interest too small to report any
 * (credit bookkeeping only).
 *
 * Amounts: notional 1,000 CIV (a loan's principal, a sale's or a forward's price, an insurance's cover),
 * arbitrator fee 10 CIV, collateral 200 CIV, interest / premium 250 CIV (one point at the 2,500 CIV full
 * credit). Each lifecycle runs twice between the same parties and the second run is reported (counters,
 * balances and reputation records already non-zero, as on a live chain).
 *
 * Usage: `npm run bench:agreements` (prints markdown tables; BENCHMARKS.md "Agreements: gas per kind").
 */
import { network } from "hardhat";

import ProtocolModule from "../ignition/modules/Protocol.ts";
import { CIV, gasOf, ratio } from "./lib/deployment.ts";

const connection = await network.create();
const { ethers, ignition, networkHelpers } = connection;
const { time } = networkHelpers;
const DAY = 86_400n;

const NOTIONAL = 1_000n * CIV;
const FEE = 10n * CIV;
const COLLATERAL = 200n * CIV;
const VALUE = 250n * CIV;

const signers = await ethers.getSigners();
const [, guardian, proposer, counterparty, arbitrator, minter, a1, b1, a2, b2] = signers;
const deployed = await ignition.deploy(ProtocolModule, {
  parameters: { Protocol: { guardian: guardian.address } },
});
const token = await ethers.getContractAt("CivitasToken", await deployed.token.getAddress());
const registry = await ethers.getContractAt("AgentRegistry", await deployed.registry.getAddress());
const escrow = await ethers.getContractAt("Escrow", await deployed.escrow.getAddress());
const loans = await ethers.getContractAt("LoanAgreements", await deployed.loanAgreements.getAddress());
const insurance = await ethers.getContractAt(
  "InsuranceAgreements",
  await deployed.insuranceAgreements.getAddress(),
);
const sales = await ethers.getContractAt("InformationSales", await deployed.informationSales.getAddress());
const forwards = await ethers.getContractAt(
  "ForwardAgreements",
  await deployed.forwardAgreements.getAddress(),
);
const ledger = await ethers.getContractAt("ResourceLedger", await deployed.resourceLedger.getAddress());
const market = await ethers.getContractAt("ResourceMarket", await deployed.resourceMarket.getAddress());
const timelockAddress = await deployed.timelock.getAddress();
await networkHelpers.impersonateAccount(timelockAddress);
await networkHelpers.setBalance(timelockAddress, 10n ** 20n);
const asTimelock = await ethers.getSigner(timelockAddress);

const parties = [proposer, counterparty, arbitrator, a1, b1, a2, b2];
const spenders = await Promise.all([escrow, loans, insurance, sales, forwards].map((c) => c.getAddress()));
for (const p of parties) {
  await (await registry.connect(p)["register()"]()).wait();
  // Earned CIV, as a passed proposal would mint it: enough for every run below.
  await (await token.connect(asTimelock).mint(p.address, 20_000n * CIV)).wait();
  for (const s of spenders) await (await token.connect(p).approve(s, ethers.MaxUint256)).wait();
}
// Forwards deliver gpu-seconds (genesis resource 1, transferable) minted by a timelock-appointed minter.
const GPU = 1n;
await (await ledger.connect(asTimelock).grantRole(await ledger.MINTER_ROLE(), minter.address)).wait();
await (await ledger.connect(minter).mint(proposer.address, GPU, 10_000n, 0n)).wait();
await (await ledger.connect(proposer).setApprovalForAll(spenders[4], true)).wait();

async function terms(withArbitrator: boolean, dueIn = 10n * DAY) {
  const now = BigInt(await time.latest());
  return {
    counterparty: counterparty.address,
    arbitrator: withArbitrator ? arbitrator.address : ethers.ZeroAddress,
    arbitratorFee: withArbitrator ? FEE : 0n,
    joinDeadline: now + DAY,
    dueDate: now + dueIn,
    reviewWindow: 2n * DAY,
    rulingWindow: 3n * DAY,
    termsHash: ethers.keccak256(ethers.toUtf8Bytes("terms")),
    termsURI: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/terms.json",
  };
}

type Rows = [string, bigint][];
/** Runs `path` twice and returns the second run's rows (step, gas). */
async function twice(path: () => Promise<Rows>): Promise<Rows> {
  await path();
  return path();
}

async function escrowHappy(): Promise<Rows> {
  const now = BigInt(await time.latest());
  const rows: Rows = [];
  const t = {
    kind: 0,
    provider: counterparty.address,
    arbitrator: arbitrator.address,
    amount: NOTIONAL,
    arbitratorFee: FEE,
    deliveryDeadline: now + 7n * DAY,
    reviewWindow: 3n * DAY,
    rulingWindow: 5n * DAY,
    termsHash: ethers.keccak256(ethers.toUtf8Bytes("terms")),
    termsURI: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/terms.json",
  };
  rows.push(["create", await gasOf(escrow.connect(proposer).create(t))]);
  const id = await escrow.escrowCount();
  rows.push(["agree", await gasOf(escrow.connect(counterparty).agree(id))]);
  rows.push(["accept (bond)", await gasOf(escrow.connect(arbitrator).accept(id))]);
  rows.push(["fund", await gasOf(escrow.connect(proposer).fund(id))]);
  rows.push(["submit", await gasOf(escrow.connect(counterparty).submit(id, "ipfs://work", ethers.ZeroHash))]);
  rows.push(["approve (settle, 2 reports)", await gasOf(escrow.connect(proposer).approve(id))]);
  return rows;
}

async function loanPath(interest: bigint, borrower = proposer, lender = counterparty): Promise<Rows> {
  const rows: Rows = [];
  const t = { ...(await terms(false)), counterparty: lender.address };
  rows.push(["propose", await gasOf(loans.connect(borrower).propose(t, NOTIONAL, interest, NOTIONAL))]);
  const id = await loans.agreementCount();
  rows.push(["join (principal to the borrower)", await gasOf(loans.connect(lender).join(id))]);
  rows.push(["repay (settle, reports)", await gasOf(loans.connect(borrower).repay(id))]);
  return rows;
}

async function insurancePath(): Promise<Rows> {
  const rows: Rows = [];
  rows.push([
    "propose",
    await gasOf(insurance.connect(proposer).propose(await terms(true), VALUE, NOTIONAL)),
  ]);
  const id = await insurance.agreementCount();
  rows.push(["accept (bond)", await gasOf(insurance.connect(arbitrator).accept(id))]);
  rows.push(["join (cover)", await gasOf(insurance.connect(counterparty).join(id))]);
  rows.push(["claim", await gasOf(insurance.connect(proposer).claim(id, "ipfs://evidence"))]);
  rows.push(["payClaim (settle, reports)", await gasOf(insurance.connect(counterparty).payClaim(id))]);
  return rows;
}

const DATA = ethers.toUtf8Bytes("the information sold: 32 bytes..");
async function salePath(): Promise<Rows> {
  const rows: Rows = [];
  const commitment = ethers.keccak256(DATA);
  rows.push([
    "propose (commit)",
    await gasOf(sales.connect(proposer).propose(await terms(true), NOTIONAL, COLLATERAL, commitment)),
  ]);
  const id = await sales.agreementCount();
  rows.push(["accept (bond)", await gasOf(sales.connect(arbitrator).accept(id))]);
  rows.push(["join (price)", await gasOf(sales.connect(counterparty).join(id))]);
  rows.push(["reveal (32 bytes)", await gasOf(sales.connect(proposer).reveal(id, DATA))]);
  rows.push(["confirm (settle, reports)", await gasOf(sales.connect(counterparty).confirm(id))]);
  return rows;
}

async function forwardPath(): Promise<Rows> {
  const rows: Rows = [];
  const deliveryEpoch = (await market.currentEpoch()) + 1n;
  const deliveryEnd = await market.epochEnd(deliveryEpoch);
  const t = { ...(await terms(true)), dueDate: deliveryEnd + DAY };
  const forward = { resourceId: GPU, quantity: 500n, deliveryEpoch };
  rows.push([
    "propose",
    await gasOf(forwards.connect(proposer).propose(t, forward, NOTIONAL, COLLATERAL, COLLATERAL)),
  ]);
  const id = await forwards.agreementCount();
  rows.push(["accept (bond)", await gasOf(forwards.connect(arbitrator).accept(id))]);
  rows.push(["join (price + collateral)", await gasOf(forwards.connect(counterparty).join(id))]);
  await time.increaseTo(await forwards.deliveryOpensAt(id));
  rows.push(["deliver (credits move, settle, reports)", await gasOf(forwards.connect(proposer).deliver(id))]);
  return rows;
}

/** Plain ERC-20 transfers of `n` value movements (deposits in and payouts out), each 1 CIV between the parties. */
async function transfers(n: number): Promise<bigint> {
  let total = 0n;
  for (let i = 0; i < n; i++) {
    const [from, to] = i % 2 === 0 ? [proposer, counterparty] : [counterparty, proposer];
    total += await gasOf(token.connect(from).transfer(to.address, CIV));
  }
  return total;
}

const sum = (rows: Rows) => rows.reduce((s, [, g]) => s + g, 0n);
const fmt = (g: bigint) => g.toLocaleString("en-US");

const escrowRows = await twice(escrowHappy);
const kinds: [string, Rows, number][] = [
  // Value movements: deposits in plus payouts out (each a token transfer at least).
  ["Loan (propose, join, repay)", await twice(() => loanPath(VALUE)), 7],
  ["Insurance (propose, accept, join, claim, payClaim)", await twice(insurancePath), 7],
  ["Information sale (propose, accept, join, reveal, confirm)", await twice(salePath), 6],
  ["Forward on the ledger (propose, accept, join, deliver)", await twice(forwardPath), 7],
];
const escrowTotal = sum(escrowRows);
// Escrow: amount and fee in, bond in; protocol fee, earnings, fee refund, bond back out.
const escrowMoves = 6;
const anchorTransfers = await transfers(escrowMoves);

console.log(
  "| Kind / step | gas | × escrow happy path | ERC-20 transfers of the same movements | × transfers |",
);
console.log("| --- | ---: | ---: | ---: | ---: |");
console.log(
  `| **Escrow happy path (anchor)** | **${fmt(escrowTotal)}** | 1.00 | ${fmt(anchorTransfers)} (${escrowMoves}) | ${ratio(escrowTotal, anchorTransfers)} |`,
);
for (const [step, g] of escrowRows) console.log(`| ↳ ${step} | ${fmt(g)} | | | |`);
for (const [name, rows, moves] of kinds) {
  const total = sum(rows);
  const floor = await transfers(moves);
  console.log(
    `| **${name}** | **${fmt(total)}** | ${ratio(total, escrowTotal)} | ${fmt(floor)} (${moves}) | ${ratio(total, floor)} |`,
  );
  for (const [step, g] of rows) console.log(`| ↳ ${step} | ${fmt(g)} | | | |`);
}

// The reports' cost: the same repay between a fresh pair each (streak 0, cold credit records in both),
// once with interest of the full-credit amount (two registry calls: +10 and +2, each writing the agent's
// score and an ERC-8004 feedback entry) and once with 1 wei of interest (credit bookkeeping only).
const withReports = (await loanPath(2_500n * CIV, a1, b1))[2][1];
const withoutReports = (await loanPath(1n, a2, b2))[2][1];
console.log("");
console.log("| Loan repay, fresh pair | gas |");
console.log("| --- | ---: |");
console.log(`| interest 2,500 CIV: +10 and +2 reported to the registry | ${fmt(withReports)} |`);
console.log(`| interest 1 wei: no point, credit carried (no registry call) | ${fmt(withoutReports)} |`);
console.log(`| the two registry calls | ${fmt(withReports - withoutReports)} |`);
