/**
 * Gas of a CIV transfer AS DEPLOYED (the Protocol Ignition module: stake ledger wired, escrow and staking as
 * protocol accounts) beside its fair anchor, a stock OpenZeppelin ERC20 + ERC20Permit + ERC20Votes token
 * (contracts/mocks/VotesToken.sol), and a plain OpenZeppelin ERC-20 for reference, all in the same run on
 * Hardhat's in-process EDR network (receipt `gasUsed`, including the 21,000 base).
 *
 * The payer holds earned CIV (minted by the timelock, as a passed proposal would: it carries votes); a
 * last row shows a payer spending its unearned birth grant instead. Rows without delegation have no
 * delegate on either side; "both self-delegated" rows have payer and payee delegated to themselves on every
 * token. Targets (issue 19): at most 1.5x the anchor without delegation, 1.15x with both self-delegated.
 *
 * Usage: `npm run bench:token` (prints a Markdown table).
 */
import { network } from "hardhat";

import { CIV, deployProtocol, gasOf, ratio } from "./lib/deployment.ts";

const connection = await network.create();
const { ethers } = connection;
const signers = await ethers.getSigners();
const [holder, alice, bob, carol, dave, erin, frank] = signers.slice(2);

const { token, registry, mintEarned } = await deployProtocol(connection);
const anchor = await ethers.deployContract("VotesToken", [holder.address, 10_000_000n * CIV]);
const plain = await ethers.deployContract("PlainToken", [holder.address, 10_000_000n * CIV]);

// Payers alice (no delegation) and dave (self-delegated) hold earned CIV; payees bob and erin hold some.
for (const payer of [alice, dave]) {
  await mintEarned(payer.address, 10_000n * CIV);
  for (const t of [anchor, plain]) await (await t.connect(holder).transfer(payer, 10_000n * CIV)).wait();
}
for (const [payer, payee] of [
  [alice, bob],
  [dave, erin],
]) {
  for (const t of [token, anchor, plain]) await (await t.connect(payer).transfer(payee, CIV)).wait();
}
for (const who of [dave, erin]) {
  for (const t of [token, anchor]) await (await t.connect(who).delegate(who)).wait();
}
// A registered agent spends its unearned birth grant.
await (await registry.connect(frank)["register()"]()).wait();

type Row = { label: string; anchor: bigint; plain: bigint; civ: bigint; target?: number };
const rows: Row[] = [];
async function row(label: string, from: typeof alice, to: string, target?: number) {
  rows.push({
    label,
    anchor: await gasOf(anchor.connect(from).transfer(to, 10n * CIV)),
    plain: await gasOf(plain.connect(from).transfer(to, 10n * CIV)),
    civ: await gasOf(token.connect(from).transfer(to, 10n * CIV)),
    target,
  });
}
await row("to an existing holder, no delegation", alice, bob.address, 1.5);
await row("to an address holding nothing yet, no delegation", alice, carol.address);
await row("to an existing holder, both self-delegated", dave, erin.address, 1.15);
// The grant payer: anchor and plain columns repeat the no-delegation payment (same token state class).
rows.push({
  label: "payer spending its unearned grant, to an existing holder",
  anchor: await gasOf(anchor.connect(alice).transfer(bob, 10n * CIV)),
  plain: await gasOf(plain.connect(alice).transfer(bob, 10n * CIV)),
  civ: await gasOf(token.connect(frank).transfer(bob, 10n * CIV)),
});

console.log(
  "| transfer of 10 CIV | OZ ERC20+Permit+Votes | plain OZ ERC20 | CIV as deployed | vs anchor | target |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  const met = r.target === undefined ? "" : Number(r.civ) / Number(r.anchor) <= r.target ? " met" : " MISSED";
  const target = r.target === undefined ? "" : `≤ ${r.target}x${met}`;
  console.log(
    `| ${r.label} | ${r.anchor.toLocaleString("en-US")} | ${r.plain.toLocaleString("en-US")} | ${r.civ.toLocaleString("en-US")} | ${ratio(r.civ, r.anchor)} | ${target} |`,
  );
}
