/**
 * Gas of a compute pool's dividend path with 1 and with 1,000 shareholders (two fresh in-process EDR
 * networks, the same measured steps in each; both columns from one run). The pool (created through the
 * ComputePoolFactory, marked a protocol account) sells its shares once through the market: the other
 * shareholders are distinct wallets that each bid for 10 shares; the measured holder bids for 50. Then a
 * provider offers gpu-seconds with the pool as payee, a buyer buys them, and the measured steps follow:
 * the offer's claim (the revenue arriving at the pool), `distribute`, the holder's `claimDividends`, then a
 * second round of revenue (distribute and claim again, a settled position). Shares never move: the share
 * resource is non-transferable (the factory refuses a transferable one), so there is no transfer to measure.
 * Gas is the receipt's `gasUsed` (including the 21,000 base).
 *
 * Usage: `npm run bench:pool` (prints a Markdown table; exits non-zero if a step differs by more than 5%).
 * Takes a few minutes: the 1,000 shareholders are real accounts that each approve and bid.
 */
import { network } from "hardhat";
import { DEFAULTS } from "../scripts/lib/vocabulary.ts";

const CIV = 10n ** 18n;
const DAY = 86_400;
const TICK = CIV / 1_000n;
const GPU = 1n;
const SHARES = 2n;

type Sent = Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>;

async function gasOf(tx: Sent): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}

/** Runs the scenario with `others` shareholders besides the measured one; returns the measured gas by step. */
async function measure(others: number): Promise<Record<string, bigint>> {
  const { ethers, networkHelpers } = await network.create();
  const [admin, provider, holder, buyer] = await ethers.getSigners();
  const treasury = await ethers.deployContract("Treasury", [admin.address]);
  const token = await ethers.deployContract("CivitasToken", [
    admin.address,
    await treasury.getAddress(),
    DEFAULTS.Foundation.taxBps,
    DEFAULTS.Foundation.capBps,
  ]);
  const registry = await ethers.deployContract("MockAgentRegistry");
  const ledger = await ethers.deployContract("ResourceLedger", [admin.address, registry, ""]);
  const market = await ethers.deployContract("ResourceMarket", [
    admin.address,
    token,
    ledger,
    registry,
    DAY,
    100n,
    5_000n,
    1_250n,
  ]);
  const factory = await ethers.deployContract("ComputePoolFactory", [market]);
  await token.setProtocolAccount(market, true);
  await ledger.grantRole(await ledger.MINTER_ROLE(), market);
  const policy = { decimals: 0, allowancePerDay: 0n, allowanceMax: 0n, quota: 0n, quotaWindow: 3_600 };
  await ledger.registerResource({ ...policy, unit: "gpu-second", transferable: true });
  await ledger.registerResource({ ...policy, unit: "pool-share", transferable: false });
  await market.list(GPU, TICK, 10n * TICK);
  await market.list(SHARES, TICK, TICK);
  await registry.setGoodStanding(provider.address, true);
  for (const account of [holder, buyer]) {
    await treasury.transfer(token, account.address, 10_000n * CIV);
    await token.connect(account).approve(market, ethers.MaxUint256);
  }

  const gas: Record<string, bigint> = {};
  const epoch = await market.currentEpoch();
  const poolAddress = await factory.poolFor(SHARES, epoch);
  await token.setProtocolAccount(poolAddress, true);
  gas["createPool (factory)"] = await gasOf(factory.connect(provider).createPool(SHARES, epoch));
  const pool = await ethers.getContractAt("ComputePool", poolAddress);

  // The share sale: every shareholder a distinct wallet with one bid of 10 shares at the reserve.
  for (let i = 0; i < others; i++) {
    const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
    await networkHelpers.setBalance(wallet.address, 10n ** 18n);
    await treasury.transfer(token, wallet.address, CIV);
    await token.connect(wallet).approve(market, ethers.MaxUint256);
    await market.connect(wallet).bid(SHARES, epoch, 1n, 10n);
  }
  gas["share bid (the measured holder)"] = await gasOf(market.connect(holder).bid(SHARES, epoch, 1n, 50n));
  const holderBid = await market.bidCount();
  const supply = BigInt(others) * 10n + 50n;
  await market.connect(provider).offer(SHARES, epoch, supply, provider.address);

  // Revenue: the provider sells 100 gpu-seconds with the pool as payee, in the same epoch.
  gas["offer (payee: the pool)"] = await gasOf(market.connect(provider).offer(GPU, epoch, 100n, poolAddress));
  const revenueOffer = await market.offerCount();
  await market.connect(buyer).bid(GPU, epoch, 20n, 100n);

  await networkHelpers.time.increaseTo(await market.epochEnd(epoch));
  gas["clear (share sale)"] = await gasOf(market.clear(SHARES, epoch));
  if ((await pool.totalShares()) !== supply) throw new Error("share sale not filled");
  gas["claimBid (the holder's shares)"] = await gasOf(market.claimBid(holderBid));
  gas["claimOffer (revenue arrives at the pool)"] = await gasOf(market.claimOffer(revenueOffer));
  gas["distribute"] = await gasOf(pool.distribute());
  const owed = await pool.claimable(holderBid);
  if (owed === 0n) throw new Error("nothing to claim");
  gas["claimDividends (first)"] = await gasOf(pool.claimDividends(holderBid));

  // A second round of revenue (a plain transfer to the pool stands for the next epoch's sale).
  await treasury.transfer(token, poolAddress, 7n * CIV);
  gas["distribute (second revenue)"] = await gasOf(pool.distribute());
  gas["claimDividends (second)"] = await gasOf(pool.claimDividends(holderBid));
  gas["claimDividends (nothing new)"] = await gasOf(pool.claimDividends(holderBid));
  return gas;
}

const small = await measure(0);
const large = await measure(999);

console.log("| step | 1 shareholder | 1,000 shareholders | difference |");
console.log("| --- | ---: | ---: | ---: |");
// The share bid's gas depends on whether its tick's tree nodes were already written (the first bid at a
// tick writes fresh slots), not on the number of shareholders; the dividend path is the target.
let worst = 0;
for (const step of Object.keys(small)) {
  const a = small[step];
  const b = large[step];
  const diff = (Number(b - a) / Number(a)) * 100;
  if (!step.startsWith("share bid")) worst = Math.max(worst, Math.abs(diff));
  console.log(
    `| ${step} | ${a.toLocaleString("en")} | ${b.toLocaleString("en")} | ${diff >= 0 ? "+" : ""}${diff.toFixed(2)}% |`,
  );
}
console.log(`\nLargest difference on the dividend path: ${worst.toFixed(2)}% (target: within 5%).`);
if (worst > 5) process.exitCode = 1;
