/**
 * The hot paths, measured on the deployed system (the Protocol Ignition module) in one fresh in-process
 * network: a CIV transfer, the escrow happy path with self-delegated agents beside the ERC-8183 anchor
 * (contracts/mocks/AgenticCommerce.sol, paid in CIV with a 1% fee), staking (register a validator,
 * delegate, claim) and agent registration. Receipt `gasUsed`, including the 21,000 base. Used by
 * bench/escrow-gas.ts (the comparison table) and bench/gas-snapshot.ts (the CI regression check).
 */
import { network } from "hardhat";

import { CIV, deployProtocol, gasOf } from "./deployment.ts";
import { anchorJob, civitasJob } from "./jobs.ts";

const DAY = 86_400n;

/** Gas of each measured step, by name, in measurement order. */
export type Measured = Map<string, bigint>;

/** The escrow steps of the Civitas happy path, in order (the keys of {@link measureHotPaths}'s map). */
export const CIVITAS_HAPPY_PATH = [
  "escrow create",
  "escrow agree",
  "escrow accept (bond)",
  "escrow fund",
  "escrow submit",
  "escrow approve (settle, 2 reports)",
] as const;

/** The ERC-8183 anchor's happy path, in order. */
export const ANCHOR_HAPPY_PATH = [
  "8183 createJob",
  "8183 setBudget",
  "8183 fund",
  "8183 submit",
  "8183 complete (1% fee)",
] as const;

/** Sum of the named steps. */
export function total(gas: Measured, steps: readonly string[]): bigint {
  return steps.reduce((sum, step) => sum + (gas.get(step) ?? 0n), 0n);
}

/**
 * Deploys the protocol and the anchors and measures every hot path once, in a state like a live economy's
 * (every party already holds CIV, ids and counters already non-zero: each path runs once before it is
 * measured).
 */
export async function measureHotPaths(): Promise<Measured> {
  const connection = await network.create();
  const { ethers, networkHelpers } = connection;
  const signers = await ethers.getSigners();
  const [client, provider, arbitrator, payer, payee, validator, staker, newcomer] = signers.slice(2);
  const { token, treasury, registry, staking, escrow, timelock, mintEarned } =
    await deployProtocol(connection);
  const gas: Measured = new Map();

  // Token: an earned payer paying a holder, neither delegated.
  await mintEarned(payer.address, 10_000n * CIV);
  await (await token.connect(payer).transfer(payee, CIV)).wait();
  gas.set("token transfer, no delegation", await gasOf(token.connect(payer).transfer(payee, 10n * CIV)));
  for (const who of [payer, payee]) await (await token.connect(who).delegate(who)).wait();
  gas.set(
    "token transfer, both self-delegated",
    await gasOf(token.connect(payer).transfer(payee, 10n * CIV)),
  );

  // Agents: registered, self-delegated, holding earned CIV, escrow approved.
  for (const who of [client, provider, arbitrator, validator, staker]) {
    await (await registry.connect(who)["register()"]()).wait();
    await mintEarned(who.address, 20_000n * CIV);
    await (await token.connect(who).delegate(who)).wait();
    await (await token.connect(who).approve(escrow, ethers.MaxUint256)).wait();
    await (await token.connect(who).approve(staking, ethers.MaxUint256)).wait();
  }
  gas.set("registry register() with grant", await gasOf(registry.connect(newcomer)["register()"]()));

  // Escrow: 1,000 CIV job, 20 CIV arbitrator fee; the first run warms counters and balances.
  const anchor = await ethers.deployContract("AgenticCommerce", [token, treasury, 100n]);
  await (await token.connect(timelock).setProtocolAccount(anchor, true)).wait();
  for (const measured of [false, true]) {
    const now = BigInt(await networkHelpers.time.latest());
    const { steps } = await civitasJob(escrow, { client, provider, arbitrator }, now);
    // The anchor: the client is the evaluator (Civitas's client approves), budget 1,000 CIV.
    await (await token.connect(client).approve(anchor, ethers.MaxUint256)).wait();
    const a = await anchorJob(anchor, { client, provider, arbitrator }, now);
    if (measured) {
      CIVITAS_HAPPY_PATH.forEach((step, i) => gas.set(step, steps[i]));
      ANCHOR_HAPPY_PATH.forEach((step, i) => gas.set(step, a[i]));
    }
  }

  // Staking: a validator, a new delegator's position, a claim a day later.
  gas.set(
    "staking registerValidator",
    await gasOf(staking.connect(validator).registerValidator(1_000n, 1_000n * CIV)),
  );
  gas.set(
    "staking delegateStake (new position)",
    await gasOf(staking.connect(staker).delegateStake(validator, 1_000n * CIV)),
  );
  await networkHelpers.time.increase(DAY);
  gas.set(
    "staking delegateStake (top-up)",
    await gasOf(staking.connect(staker).delegateStake(validator, 500n * CIV)),
  );
  await networkHelpers.time.increase(DAY);
  gas.set("staking claimRewards", await gasOf(staking.connect(staker).claimRewards()));
  return gas;
}
