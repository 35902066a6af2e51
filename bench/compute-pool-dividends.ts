/**
 * Gas of a compute pool's dividend path with 2 and with 1,000 shareholders (two fresh in-process EDR
 * networks, the same measured steps in each; both columns from one run). The pool (created through the
 * ComputePoolFactory, marked a protocol account) sells its shares once through the market: the measured
 * holder bids for 50 shares and the others hold 9,990 between them — one wallet with 9,990 in the first
 * network, 999 distinct wallets with 10 each in the second — so both pools have the same 10,040 shares, the
 * same revenue per share and the same remainder carried by `distribute`: only the number of shareholders
 * differs. Then a provider offers gpu-seconds with the pool as payee, a buyer buys them, and the measured
 * steps follow: the offer's claim (the revenue arriving at the pool), `distribute`, the holder's
 * `claimDividends`, then a second round of revenue (distribute and claim again, a settled position). Shares
 * never move: the share resource is non-transferable (the factory refuses a transferable one), so there is
 * no transfer to measure. The other shareholders' setup (CIV from the admin, approval, bid) is sent in batches of
 * {@link BATCH} wallets mined together, one block per step, which only saves blocks: none of it is measured.
 * Gas is the receipt's `gasUsed` (including the 21,000 base).
 *
 * Usage: `npm run bench:pool` (prints a Markdown table; exits non-zero if a step of the dividend path differs
 * by more than 5%). Takes a few minutes: the 1,000 shareholders are real accounts that each approve and bid.
 * `BENCH_POOL_SMALL` and `BENCH_POOL_LARGE` set the two networks' other shareholders (default 1 and 999;
 * each must divide 9,990), e.g. 1 and 9 for a quick check.
 */
import { CIV, gasOf } from "./lib/deployment.ts";
import { deployMarket, gpuSecond, TICK } from "./lib/market.ts";

const GPU = 1n;
const SHARES = 2n;
/** Shares the other shareholders hold between them in both networks, and the measured holder's. */
const OTHERS_SHARES = 9_990n;
const HOLDER_SHARES = 50n;
/** Other shareholders set up per block (gas limits below keep a batch well within a block). */
const BATCH = 50;

/**
 * Runs the scenario with `others` shareholders besides the measured one, holding {@link OTHERS_SHARES}
 * between them (equal bids); returns the measured gas by step.
 */
async function measure(others: number): Promise<Record<string, bigint>> {
  if (OTHERS_SHARES % BigInt(others) !== 0n)
    throw new Error(`${others} shareholders cannot hold equal shares`);
  const each = OTHERS_SHARES / BigInt(others);
  const { ethers, networkHelpers, admin, treasury, token, registry, ledger, market, fund } =
    await deployMarket();
  const [, provider, holder, buyer] = await ethers.getSigners();
  const factory = await ethers.deployContract("ComputePoolFactory", [market]);
  await ledger.registerResource(gpuSecond);
  await ledger.registerResource({ ...gpuSecond, unit: "pool-share", transferable: false });
  await market.list(GPU, TICK, 10n * TICK);
  await market.list(SHARES, TICK, TICK);
  await registry.setGoodStanding(provider.address, true);
  await fund([holder, buyer]);

  const gas: Record<string, bigint> = {};
  const epoch = await market.currentEpoch();
  const poolAddress = await factory.poolFor(SHARES, epoch);
  await token.setProtocolAccount(poolAddress, true);
  gas["createPool (factory)"] = await gasOf(factory.connect(provider).createPool(SHARES, epoch));
  const pool = await ethers.getContractAt("ComputePool", poolAddress);

  // The share sale: every other shareholder a distinct wallet with one bid at the reserve, set up in
  // batches: CIV from the admin (funded once from the Treasury), the approval, the bid, each step of a
  // batch mined in one block.
  await treasury.transfer(token, admin.address, 2n * OTHERS_SHARES * TICK);
  await ethers.provider.send("evm_setAutomine", [false]);
  let adminNonce = await admin.getNonce();
  // Mines until every transaction of the step is in a block (a block may not hold them all); none reverts.
  const mined = async (sent: Promise<{ hash: string }>[]) => {
    const hashes = (await Promise.all(sent)).map((tx) => tx.hash);
    for (let blocks = 0; ; blocks++) {
      if (blocks === 20) throw new Error("a setup transaction was not mined in 20 blocks");
      await ethers.provider.send("evm_mine", []);
      const receipts = await Promise.all(hashes.map((hash) => ethers.provider.getTransactionReceipt(hash)));
      const failed = receipts.find((r) => r !== null && r.status !== 1);
      if (failed)
        throw new Error(
          `a setup transaction reverted (gas used ${failed.gasUsed}, block ${failed.blockNumber})`,
        );
      if (receipts.every((r) => r !== null)) return;
    }
  };
  for (let start = 0; start < others; start += BATCH) {
    const wallets = Array.from({ length: Math.min(BATCH, others - start) }, () =>
      ethers.Wallet.createRandom().connect(ethers.provider),
    );
    await Promise.all(wallets.map((w) => networkHelpers.setBalance(w.address, 10n ** 18n)));
    const cost = 2n * each * TICK; // more than the bid escrows (an exact amount left a bid short)
    await mined(
      wallets.map((w) => token.transfer(w.address, cost, { nonce: adminNonce++, gasLimit: 200_000n })),
    );
    await mined(
      wallets.map((w) =>
        token.connect(w).approve(market, ethers.MaxUint256, { nonce: 0, gasLimit: 100_000n }),
      ),
    );
    await mined(
      wallets.map((w) => market.connect(w).bid(SHARES, epoch, 1n, each, { nonce: 1, gasLimit: 400_000n })),
    );
  }
  await ethers.provider.send("evm_setAutomine", [true]);
  if ((await market.bidCount()) !== BigInt(others))
    throw new Error(`${await market.bidCount()} of ${others} shareholders bid: a bid did not land`);
  gas["share bid (the measured holder)"] = await gasOf(
    market.connect(holder).bid(SHARES, epoch, 1n, HOLDER_SHARES),
  );
  const holderBid = await market.bidCount();
  const supply = OTHERS_SHARES + HOLDER_SHARES;
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

const small = await measure(Number(process.env.BENCH_POOL_SMALL ?? 1));
const large = await measure(Number(process.env.BENCH_POOL_LARGE ?? 999));
const holders = (others: number) => (others + 1).toLocaleString("en");

console.log(
  `| step | ${holders(Number(process.env.BENCH_POOL_SMALL ?? 1))} shareholders | ` +
    `${holders(Number(process.env.BENCH_POOL_LARGE ?? 999))} shareholders | difference |`,
);
console.log("| --- | ---: | ---: | ---: |");
// The share bid is not on the dividend path: its gas depends on the tick's tree nodes (written by the
// others' bids before it in both networks) and on the bid count's slot, not on the number of shareholders.
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
