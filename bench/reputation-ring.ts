/**
 * What it costs to farm escrow reputation through a ring of one's own wallets (security issue 20 #6).
 *
 * On the real Protocol deployment (Ignition module, default parameters: 10% tax, 1% protocol fee,
 * 10% arbitrator bond, minimum job 1 CIV, full credit at 2,500 CIV), one person registers a fresh target
 * agent, two client wallets and an arbitrator wallet, and runs the cheapest recipe the rules allow until
 * the target's score reaches +500: jobs of exactly the full-credit amount, alternating the two clients so
 * that no streak with one counterparty ever divides the credit, each approved and rated +1. The capital
 * (the clients' deposits) comes back to the person's wallets; what is lost is the protocol fee and the tax
 * on the provider's earnings, both paid to the Treasury. The script counts them from the `EscrowSettled`
 * and `EarningsPaid` events and checks the sum against the Treasury's balance.
 *
 * Usage: HARDHAT_DISABLE_TELEMETRY=true npx hardhat run bench/reputation-ring.ts
 * Prints a markdown table. Funding the ring (treasury -> client wallets) impersonates the timelock: that
 * transfer is the attacker's capital, not part of the cost.
 */
import { network } from "hardhat";

import ProtocolModule from "../ignition/modules/Protocol.js";
import { jobTerms } from "../test/helpers/escrow.ts";

const { ethers, ignition, networkHelpers } = await network.create();
const CIV = 10n ** 18n;
const DAY = 86_400n;
const TARGET_SCORE = 500n;

const deployed = await ignition.deploy(ProtocolModule);
const address = (c: { getAddress(): Promise<string> }) => c.getAddress();
const token = await ethers.getContractAt("CivitasToken", await address(deployed.token));
const treasury = await ethers.getContractAt("Treasury", await address(deployed.treasury));
const registry = await ethers.getContractAt("AgentRegistry", await address(deployed.registry));
const escrow = await ethers.getContractAt("Escrow", await address(deployed.escrow));
const timelock = await deployed.timelock.getAddress();
const escrowAddr = await escrow.getAddress();

const signers = await ethers.getSigners();
const [target, clientA, clientB, arbitrator] = signers.slice(1, 5);
const clients = [clientA, clientB];
for (const s of [target, clientA, clientB, arbitrator]) {
  await registry.connect(s)["register()"]();
  await token.connect(s).approve(escrowAddr, ethers.MaxUint256);
}
const targetId = await registry.agentIdOf(target.address);

// The attacker's capital: enough for every deposit (returned to its own wallets, so it is not a cost).
await networkHelpers.impersonateAccount(timelock);
await networkHelpers.setBalance(timelock, 10n ** 20n);
const governance = await ethers.getSigner(timelock);
for (const c of clients) {
  await treasury.connect(governance).transfer(await token.getAddress(), c.address, 80_000n * CIV);
}

const amount = await escrow.REPUTATION_FULL_CREDIT_AMOUNT();
const treasuryBefore = await token.balanceOf(await treasury.getAddress());
let fees = 0n;
let taxes = 0n;
let jobs = 0;
const started = await networkHelpers.time.latest();
while ((await registry.scoreOf(targetId)) < TARGET_SCORE) {
  const client = clients[jobs % clients.length];
  const deadline = BigInt(await networkHelpers.time.latest()) + 2n * DAY;
  await escrow.connect(client).create(jobTerms(target.address, arbitrator.address, amount, deadline));
  const id = await escrow.escrowCount();
  await escrow.connect(target).agree(id);
  await escrow.connect(arbitrator).accept(id);
  await escrow.connect(client).fund(id);
  await escrow.connect(target).submit(id, "ipfs://work", ethers.ZeroHash);
  const receipt = (await (await escrow.connect(client).approve(id)).wait())!;
  for (const log of receipt.logs) {
    const parsed = escrow.interface.parseLog(log) ?? token.interface.parseLog(log);
    if (parsed?.name === "EscrowSettled") fees += parsed.args.payout.protocolFee;
    if (parsed?.name === "EarningsPaid") taxes += parsed.args.tax;
  }
  await escrow.connect(client).rate(id, 1);
  jobs++;
}
const elapsed = BigInt((await networkHelpers.time.latest()) - started);
const treasuryGain = (await token.balanceOf(await treasury.getAddress())) - treasuryBefore;
if (treasuryGain !== fees + taxes)
  throw new Error(`treasury gained ${treasuryGain}, events say ${fees + taxes}`);
if (elapsed >= DAY) throw new Error("the ring took a day or more: upkeep would add to its cost");

const civ = (wei: bigint) => (Number(wei / 10n ** 14n) / 10_000).toLocaleString("en-US");
console.log("| ring 0 → +500 (provider route, 2 client wallets alternating) | value |");
console.log("| --- | ---: |");
console.log(`| jobs of ${civ(amount)} CIV (approved, rated +1) | ${jobs} |`);
console.log(`| final score of the target | ${await registry.scoreOf(targetId)} |`);
console.log(`| protocol fees paid (CIV) | ${civ(fees)} |`);
console.log(`| tax on earnings paid (CIV) | ${civ(taxes)} |`);
console.log(`| **total cost (CIV)** | **${civ(fees + taxes)}** |`);
console.log(`| cost per point (CIV) | ${civ((fees + taxes) / TARGET_SCORE)} |`);
