/**
 * Gas of delegate, undelegate, withdraw and claim for one holder, in a validator pool that holds 1 other
 * delegator and in one that holds 1,000 (two fresh in-process EDR networks, the same steps in each).
 * Gas is the receipt's `gasUsed` (including the 21,000 base).
 *
 * Usage: `npx hardhat run bench/staking-gas.ts` (prints a Markdown table). Takes about a minute: the
 * 1,000 delegators are real accounts that each approve and delegate.
 */
import { network } from "hardhat";

import { STAKING_DEFAULTS } from "../ignition/modules/Staking.js";
import { DEFAULTS } from "../scripts/lib/vocabulary.ts";

const CIV = 10n ** 18n;
const DAY = 86_400;

type Sent = Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>;

async function gasOf(tx: Sent): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}

/** Runs the scenario with `others` delegators already in the pool; returns the measured holder's gas. */
async function measure(others: number): Promise<Record<string, bigint>> {
  const { ethers, networkHelpers } = await network.create();
  const [admin, validator, holder] = await ethers.getSigners();
  const treasury = await ethers.deployContract("Treasury", [admin.address]);
  const token = await ethers.deployContract("CivitasToken", [
    admin.address,
    await treasury.getAddress(),
    DEFAULTS.Foundation.taxBps,
    DEFAULTS.Foundation.capBps,
  ]);
  const registry = await ethers.deployContract("MockAgentRegistry");
  const staking = await ethers.deployContract("Staking", [
    admin.address,
    token,
    registry,
    STAKING_DEFAULTS.unbondingPeriod,
    STAKING_DEFAULTS.minSelfStake,
  ]);
  await token.setProtocolAccount(staking, true);
  await token.setStakeLedger(staking);
  await treasury.setBudget(staking, token, 1_000_000n * CIV);
  await registry.setGoodStanding(validator.address, true);
  for (const account of [validator, holder]) {
    await treasury.transfer(token, account.address, 10_000n * CIV);
    await token.connect(account).approve(staking, ethers.MaxUint256);
  }
  await staking.connect(validator).registerValidator(1_000n, 1_000n * CIV);
  await staking.fundEpoch(100_000n * CIV, 30 * DAY);

  for (let i = 0; i < others; i++) {
    const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
    await networkHelpers.setBalance(wallet.address, 10n ** 18n);
    await treasury.transfer(token, wallet.address, 100n * CIV);
    await token.connect(wallet).approve(staking, ethers.MaxUint256);
    await staking.connect(wallet).delegateStake(validator.address, 100n * CIV);
  }
  const info = await staking.validatorInfo(validator.address);
  if (info.bondedShares !== 1_000n * CIV + BigInt(others) * 100n * CIV) throw new Error("pool not built");

  const gas: Record<string, bigint> = {};
  await networkHelpers.time.increase(DAY);
  gas["delegateStake (new position)"] = await gasOf(
    staking.connect(holder).delegateStake(validator, 1_000n * CIV),
  );
  await networkHelpers.time.increase(DAY);
  gas["delegateStake (top-up, rewards settled)"] = await gasOf(
    staking.connect(holder).delegateStake(validator, 500n * CIV),
  );
  await networkHelpers.time.increase(DAY);
  gas["claimRewards"] = await gasOf(staking.connect(holder).claimRewards());
  await networkHelpers.time.increase(DAY);
  gas["undelegate"] = await gasOf(staking.connect(holder).undelegate(700n * CIV));
  await networkHelpers.time.increase(7 * DAY);
  gas["withdraw"] = await gasOf(staking.connect(holder).withdraw(1n));
  await networkHelpers.time.increase(DAY);
  gas["slash (bonded + unbonding)"] = await gasOf(staking.slash(validator, 100n, "0x" + "00".repeat(32)));
  return gas;
}

const small = await measure(1);
const large = await measure(1_000);

console.log("| operation | 1 delegator in the pool | 1,000 delegators in the pool | difference |");
console.log("| --- | ---: | ---: | ---: |");
let worst = 0;
for (const op of Object.keys(small)) {
  const a = small[op];
  const b = large[op];
  const diff = (Number(b - a) / Number(a)) * 100;
  worst = Math.max(worst, Math.abs(diff));
  console.log(`| ${op} | ${a} | ${b} | ${diff >= 0 ? "+" : ""}${diff.toFixed(2)}% |`);
}
console.log(`\nLargest difference: ${worst.toFixed(2)}% (target: within 5%).`);
if (worst > 5) process.exitCode = 1;
