/**
 * Gas of a taxed agent-to-agent CIV transfer beside a plain OpenZeppelin ERC-20 transfer, measured in
 * the same run on Hardhat's in-process EDR network (receipt `gasUsed`, including the 21,000 base).
 *
 * Usage: `npm run bench:token` (prints a Markdown table). No votes are delegated unless a row says so.
 */
import { network } from "hardhat";
import { DEFAULTS } from "../scripts/lib/vocabulary.ts";

const { ethers } = await network.create();
const [admin, alice, bob, carol] = await ethers.getSigners();
const CIV = 10n ** 18n;

const treasury = await ethers.deployContract("Treasury", [admin.address]);
const civ = await ethers.deployContract("CivitasToken", [
  admin.address,
  await treasury.getAddress(),
  DEFAULTS.Foundation.taxBps,
  DEFAULTS.Foundation.capBps,
]);
const plain = await ethers.deployContract("PlainToken", [alice.address, 1_000_000n * CIV]);
await treasury.transfer(civ, alice, 100_000n * CIV);
await plain.connect(alice).transfer(bob, CIV);
await civ.connect(alice).transfer(bob, CIV);

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}

const rows: [string, bigint, bigint][] = [];
// A payee that already holds tokens (the usual agent-to-agent payment).
rows.push([
  "to a payee that already holds tokens",
  await gasOf(plain.connect(alice).transfer(bob, 10n * CIV)),
  await gasOf(civ.connect(alice).transfer(bob, 10n * CIV)),
]);
// A payee holding nothing yet (new balance slot).
rows.push([
  "to a payee that holds nothing yet",
  await gasOf(plain.connect(alice).transfer(carol, 10n * CIV)),
  await gasOf(civ.connect(alice).transfer(carol, 10n * CIV)),
]);
// A second payment in the same block is not measurable with automine; instead: both parties delegated.
await civ.connect(alice).delegate(alice);
await civ.connect(bob).delegate(bob);
rows.push([
  "both parties self-delegated (votes on)",
  await gasOf(plain.connect(alice).transfer(bob, 10n * CIV)),
  await gasOf(civ.connect(alice).transfer(bob, 10n * CIV)),
]);

console.log("| transfer | plain OZ ERC20 | CIV (taxed) | ratio |");
console.log("| --- | ---: | ---: | ---: |");
for (const [label, plainGas, civGas] of rows) {
  const ratio = Number((civGas * 1000n) / plainGas) / 1000;
  console.log(`| ${label} | ${plainGas} | ${civGas} | ${ratio.toFixed(2)}x |`);
}
