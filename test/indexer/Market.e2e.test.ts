/**
 * Resource markets end to end: a devnet, the protocol deployed (scripts/deploy.ts), one market epoch played
 * (test/market/devnet.ts: docs/market.md's worked example, a compute pool, metering with both denials, a
 * credit transfer), the indexer started on a throwaway PGlite folder; then every indexed resource, epoch,
 * bid, offer, credit balance, usage record, payee and pool equals what the contracts return, and
 * /metrics/market exports RFC 0013's series with the same figures.
 */
import { expect } from "chai";
import { Contract } from "ethers";
import * as abis from "../../generated/abis.ts";
import { DenialReason } from "../../scripts/lib/vocabulary.ts";
import { GPU, marketContracts, playMarketEpoch, governMarket } from "../market/devnet.ts";
import { allRows, chainClients, indexedProtocol } from "./helpers.ts";

const CIV = 10n ** 18n;
const lower = (a: string) => a.toLowerCase();
const str = (v: bigint | number | boolean) => (typeof v === "boolean" ? v : v.toString());

describe("Indexer: resource markets (end to end)", function () {
  this.timeout(900_000);
  const chain = indexedProtocol("market");

  it("indexes resources, epochs, bids, offers, credits, usage, denials, revenue and dividends exactly", async function () {
    const { provider, signers } = await chainClients(chain.devnet.rpcUrl, chain.deployment);
    const { deployment } = chain;
    const [, alice, bob, carol, dave, erin, frank, , , meter] = signers;
    await governMarket(provider, deployment, meter!.address);
    const { pool, epoch } = await playMarketEpoch(
      provider,
      deployment,
      [alice!, bob!, carol!, dave!, erin!, frank!],
      meter!,
    );
    const indexer = await chain.index();
    const url = indexer.graphqlUrl;
    const { ledger, market } = marketContracts(deployment, signers[0]!);

    // Resources: policy, listing and totals.
    const resources = await allRows(
      url,
      "resources",
      "id unit decimals transferable allowancePerDay allowanceMax quota quotaWindow retired listed tickSize reservePrice totalMinted totalBurned totalUsed usedFromAllowance usageCount denials deniedAmount epochsCleared totalSold totalRevenue lastPrice lastEpoch lastUtilisationBps",
    );
    // Resource 2 is the genesis "attention" resource (issue 17), not traded here.
    expect(resources.map((r) => r.id)).to.deep.equal(["1", "2", "3"]);
    for (const row of resources.filter((r) => r.unit !== "attention")) {
      const resourceId = BigInt(row.id);
      const policy = await ledger.policyOf(resourceId);
      const listing = await market.listingOf(resourceId);
      const cleared = await market.epochOf(resourceId, epoch);
      expect(row, `resource ${row.id}`).to.deep.include({
        unit: policy.unit,
        decimals: Number(policy.decimals),
        transferable: policy.transferable,
        allowancePerDay: str(policy.allowancePerDay),
        allowanceMax: str(policy.allowanceMax),
        quota: str(policy.quota),
        quotaWindow: str(policy.quotaWindow),
        retired: await ledger.isRetired(resourceId),
        listed: listing.listed,
        tickSize: str(listing.tickSize),
        reservePrice: str(listing.reservePrice),
        totalMinted: str(await ledger.totalMinted(resourceId)),
        totalBurned: str(await ledger.totalBurned(resourceId)),
        epochsCleared: 1,
        totalSold: str(cleared.sold),
        totalRevenue: str(cleared.sold * cleared.price),
        lastPrice: str(cleared.price),
        lastEpoch: str(epoch),
      });
    }
    // The worked example: clearing at 0.020 CIV, 100 sold of 100, reserve up 12.5%.
    expect(resources[0]).to.deep.include({
      lastPrice: str(20n * (CIV / 1_000n)),
      totalSold: "100",
      lastUtilisationBps: "10000",
      reservePrice: str(((CIV / 100n) * 1_125n) / 1_000n),
      totalUsed: "210",
      usedFromAllowance: "200",
      usageCount: 1,
      denials: 2,
      deniedAmount: "25000",
    });

    // Epochs: as the market holds them.
    const epochs = await allRows(
      url,
      "marketEpochs",
      "resourceId epoch supply demand offers bids cleared cancelled clearingTick price sold utilisationBps revenue reservePriceAfter",
    );
    expect(epochs).to.have.length(2);
    for (const row of epochs) {
      const onChain = await market.epochOf(BigInt(row.resourceId), BigInt(row.epoch));
      const listing = await market.listingOf(BigInt(row.resourceId));
      expect(row, `epoch ${row.resourceId}/${row.epoch}`).to.deep.include({
        supply: str(onChain.supply),
        demand: str(onChain.demand),
        cleared: onChain.cleared,
        cancelled: onChain.cancelled,
        clearingTick: str(onChain.clearingTick),
        price: str(onChain.price),
        sold: str(onChain.sold),
        utilisationBps: str((onChain.sold * 10_000n) / onChain.supply),
        revenue: str(onChain.sold * onChain.price),
        reservePriceAfter: str(listing.reservePrice),
      });
    }
    expect(epochs.map((e) => [e.offers, e.bids])).to.have.deep.members([
      [2, 4],
      [1, 2],
    ]);

    // Bids and offers, with their settlements.
    const bids = await allRows(
      url,
      "marketBids",
      "id resourceId epoch bidder tick maxPrice quantity escrow claimed filled cost refund",
    );
    expect(bids).to.have.length(Number(await market.bidCount()));
    for (const row of bids) {
      const bid = await market.bidOf(BigInt(row.id));
      const [filled, cost, refund] = await market.bidOutcome(BigInt(row.id));
      const tickSize = (await market.epochOf(bid.resourceId, bid.epoch)).tickSize;
      expect(row, `bid ${row.id}`).to.deep.equal({
        id: row.id,
        resourceId: str(bid.resourceId),
        epoch: str(bid.epoch),
        bidder: lower(bid.bidder),
        tick: str(bid.tick),
        maxPrice: str(bid.tick * tickSize),
        quantity: str(bid.quantity),
        escrow: str(bid.quantity * bid.tick * tickSize),
        claimed: bid.claimed,
        filled: str(filled),
        cost: str(cost),
        refund: str(refund),
      });
    }
    const offers = await allRows(
      url,
      "marketOffers",
      "id resourceId epoch provider payee capacity claimed sold gross fee",
    );
    expect(offers).to.have.length(Number(await market.offerCount()));
    for (const row of offers) {
      const offer = await market.offerOf(BigInt(row.id));
      const [sold, gross, fee] = await market.offerOutcome(BigInt(row.id));
      expect(row, `offer ${row.id}`).to.deep.equal({
        id: row.id,
        resourceId: str(offer.resourceId),
        epoch: str(offer.epoch),
        provider: lower(offer.provider),
        payee: lower(offer.payee),
        capacity: str(offer.capacity),
        claimed: offer.claimed,
        sold: str(sold),
        gross: str(gross),
        fee: str(fee),
      });
    }

    // Payees' revenue: the sum of their offers' settlements.
    const payees = await allRows(url, "marketProviders", "address offers capacityOffered sold gross fees");
    for (const row of payees) {
      const mine = offers.filter((o) => o.payee === row.address);
      const total = (k: string) => str(mine.reduce((s, o) => s + BigInt(o[k]), 0n));
      expect(row).to.deep.equal({
        address: row.address,
        offers: mine.length,
        capacityOffered: total("capacity"),
        sold: total("sold"),
        gross: total("gross"),
        fees: total("fee"),
      });
    }
    expect(payees.map((p) => p.address)).to.have.members([lower(bob!.address), lower(pool)]);

    // Credits: every holder's ERC-1155 balance, and its usage.
    const credits = await allRows(
      url,
      "creditBalances",
      "resourceId account balance minted used usedFromAllowance denials",
    );
    for (const row of credits) {
      expect(row.balance, `credits ${row.account}/${row.resourceId}`).to.equal(
        str(await ledger.balanceOf(row.account, BigInt(row.resourceId))),
      );
    }
    const creditOf = (who: string) => credits.find((c) => c.resourceId === "1" && c.account === lower(who));
    expect(creditOf(alice!.address)).to.deep.include({
      balance: "35",
      minted: "50",
      used: "210",
      usedFromAllowance: "200",
    });
    expect(creditOf(bob!.address)).to.deep.include({ balance: "5", minted: "0" });
    expect(creditOf(erin!.address)).to.deep.include({ balance: "22", denials: 2, used: "0" });

    // Usage records, denials with their reasons.
    const usage = await allRows(
      url,
      "resourceUsages",
      "account amount fromAllowance fromCredits denied reason",
    );
    expect(
      usage.map((u) => [u.account, u.amount, u.fromAllowance, u.fromCredits, u.denied, u.reason]),
    ).to.have.deep.members([
      [lower(alice!.address), "210", "200", "10", false, null],
      [lower(erin!.address), "20000", "0", "0", true, DenialReason.keys[DenialReason.value.QuotaExceeded]],
      [
        lower(erin!.address),
        "5000",
        "0",
        "0",
        true,
        DenialReason.keys[DenialReason.value.InsufficientCredits],
      ],
    ]);

    // The compute pool: its creation through the factory (creator, share sale, from the block it was
    // created in), then dividends distributed and claimed, as the pool holds them.
    const poolContract = new Contract(pool, abis.computePoolAbi as never, signers[0]);
    const [poolRow] = await allRows(
      url,
      "computePools",
      "address creator market shareResourceId shareEpoch distributed toTreasury claimed dividendPerShare claims",
    );
    const [shareResourceId, shareEpoch] = await poolContract.shareSale();
    const dividends = await allRows(url, "dividends", "pool kind amount bidId holder");
    const claimedAmount = dividends.find((d) => d.kind === "claimed")!.amount;
    expect(poolRow).to.deep.equal({
      address: lower(pool),
      creator: lower(bob!.address),
      market: lower(await poolContract.market()),
      shareResourceId: str(shareResourceId),
      shareEpoch: str(shareEpoch),
      distributed: str((40n * 20n * (CIV / 1_000n) * 99n) / 100n),
      toTreasury: "0",
      claimed: claimedAmount,
      dividendPerShare: str(await poolContract.dividendPerShare()),
      claims: 1,
    });
    const { token } = marketContracts(deployment, signers[0]!);
    expect(BigInt(poolRow.distributed) - BigInt(poolRow.claimed)).to.equal(await token.balanceOf(pool));
    expect(dividends.find((d) => d.kind === "claimed")).to.deep.include({
      bidId: "1",
      holder: lower(dave!.address),
    });

    // /metrics/market: RFC 0013's series by resource (and reason), equal to the rows.
    const metrics = await (await fetch(`${indexer.url}/metrics/market`)).text();
    const line = (name: string, labels: string) =>
      metrics
        .split("\n")
        .find((l) => l.startsWith(`${name}{${labels}} `))
        ?.split(" ")[1];
    const gpu = 'resource="1",unit="gpu-second"';
    expect(line("resource_usage_total", gpu)).to.equal("210");
    expect(line("resource_denied_total", `${gpu},reason="quota_exceeded"`)).to.equal("1");
    expect(line("resource_denied_total", `${gpu},reason="insufficient_credits"`)).to.equal("1");
    expect(line("economics_ledger_balance", gpu)).to.equal(
      str((await ledger.totalMinted(GPU)) - (await ledger.totalBurned(GPU))),
    );
    expect(line("market_clearing_price_wei", gpu)).to.equal(resources[0].lastPrice);
    expect(line("market_reserve_price_wei", gpu)).to.equal(resources[0].reservePrice);
    expect(line("market_sold_total", gpu)).to.equal("100");
  });
});
