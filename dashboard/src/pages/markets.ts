/**
 * Markets (resource markets, issue 14; docs/market.md): resource types with their policy, each epoch's
 * clearing price and utilisation, the open epoch's offers and bids, providers' revenue, compute pools and
 * their dividends, usage and denials.
 */
import { allRows, query } from "../api.ts";
import { chart, civAxis, civLegend, perDay } from "../charts.ts";
import { address, civ, fill, figure, h, section, table, time } from "../dom.ts";
import { civNumber, formatCount } from "../format.ts";
import type { Page } from "./page.ts";

interface ResourceRow {
  id: string;
  unit: string;
  transferable: boolean;
  allowancePerDay: string;
  allowanceMax: string;
  quota: string;
  quotaWindow: string;
  retired: boolean;
  listed: boolean;
  reservePrice: string | null;
  totalUsed: string;
  usedFromAllowance: string;
  denials: number;
  deniedAmount: string;
  epochsCleared: number;
  totalSold: string;
  totalRevenue: string;
  lastPrice: string | null;
}

interface EpochRow {
  resourceId: string;
  epoch: string;
  supply: string;
  demand: string;
  offers: number;
  bids: number;
  cleared: boolean;
  cancelled: boolean;
  price: string | null;
  sold: string | null;
  utilisationBps: string | null;
  clearedAt: string | null;
}

interface OfferRow {
  id: string;
  resourceId: string;
  epoch: string;
  provider: string;
  payee: string;
  capacity: string;
}

interface BidRow {
  id: string;
  resourceId: string;
  epoch: string;
  bidder: string;
  maxPrice: string;
  quantity: string;
  escrow: string;
}

interface ProviderRow {
  address: string;
  offers: number;
  capacityOffered: string;
  sold: string;
  gross: string;
  fees: string;
}

interface PoolRow {
  address: string;
  creator: string;
  shareResourceId: string;
  shareEpoch: string;
  distributed: string;
  toTreasury: string;
  claimed: string;
  claims: number;
  createdAt: string;
}

interface UsageRow {
  id: string;
  resourceId: string;
  account: string;
  amount: string;
  fromAllowance: string;
  fromCredits: string;
  denied: boolean;
  reason: string | null;
  timestamp: string;
}

/** A count with its test hook (`data-value`). */
const count = (n: number | string) => h("span", { "data-value": String(n) }, formatCount(n));

/** The Markets page. */
export function marketsPage(): Page {
  const figures = h("div", { class: "figures" });
  const prices = chart("Clearing price per epoch (CIV per unit)", [{ label: "Price", format: civLegend }], {
    timeAxis: false,
    integer: false,
    yFormat: civAxis,
  });
  const utilisation = chart("Utilisation per epoch (%)", [{ label: "Utilisation", bars: true }], {
    timeAxis: false,
    yRange: [0, 100],
  });
  const usage = chart(
    "Usage records and denials per day",
    [{ label: "Recorded", bars: true }, { label: "Denied" }],
    { integer: true },
  );
  const resources = h("div", {});
  const book = h("div", {});
  const providers = h("div", {});
  const pools = h("div", {});
  const usageTable = h("div", {});
  const element = h(
    "div",
    {},
    h("h1", {}, "Markets"),
    figures,
    section("Prices", h("div", { class: "charts" }, prices.element, utilisation.element)),
    section("Resources", resources),
    section("Open epoch", book),
    section("Providers", providers),
    section("Compute pools", pools),
    section("Usage", h("div", { class: "charts" }, usage.element), usageTable),
  );
  return {
    title: "Markets",
    element,
    async update() {
      const { block } = await query<object>("");
      const [resourceRows, epochRows, offerRows, bidRows, providerRows, poolRows, usageRows] =
        await Promise.all([
          allRows<ResourceRow>(
            "resources",
            "id unit transferable allowancePerDay allowanceMax quota quotaWindow retired listed reservePrice totalUsed usedFromAllowance denials deniedAmount epochsCleared totalSold totalRevenue lastPrice",
            `orderBy: "id"`,
          ),
          allRows<EpochRow>(
            "marketEpochs",
            "resourceId epoch supply demand offers bids cleared cancelled price sold utilisationBps clearedAt",
            `orderBy: "epoch"`,
          ),
          allRows<OfferRow>(
            "marketOffers",
            "id resourceId epoch provider payee capacity",
            `where: { claimed: false }`,
          ),
          allRows<BidRow>(
            "marketBids",
            "id resourceId epoch bidder maxPrice quantity escrow",
            `where: { claimed: false }, orderBy: "maxPrice", orderDirection: "desc"`,
          ),
          allRows<ProviderRow>(
            "marketProviders",
            "address offers capacityOffered sold gross fees",
            `orderBy: "gross", orderDirection: "desc"`,
          ),
          allRows<PoolRow>(
            "computePools",
            "address creator shareResourceId shareEpoch distributed toTreasury claimed claims createdAt",
            `orderBy: "createdAt", orderDirection: "desc"`,
          ),
          allRows<UsageRow>(
            "resourceUsages",
            "id resourceId account amount fromAllowance fromCredits denied reason timestamp",
            `orderBy: "timestamp", orderDirection: "desc"`,
          ),
        ]);
      const sum = (rows: { [k: string]: unknown }[], key: string) =>
        rows.reduce((n, r) => n + BigInt((r[key] as string | null) ?? "0"), 0n);
      const used = sum(resourceRows as never, "totalUsed");
      const denials = resourceRows.reduce((n, r) => n + r.denials, 0);
      const dividends = sum(poolRows as never, "distributed");
      fill(
        figures,
        figure("resources", "Resource types", count(resourceRows.length)),
        figure(
          "epochsCleared",
          "Epochs cleared",
          count(resourceRows.reduce((n, r) => n + r.epochsCleared, 0)),
          `${formatCount(sum(resourceRows as never, "totalSold"))} units sold`,
        ),
        figure("marketRevenue", "Paid by buyers", civ(sum(resourceRows as never, "totalRevenue"))),
        figure("providerRevenue", "Providers' gross", civ(sum(providerRows as never, "gross"))),
        figure("used", "Usage recorded", count(used.toString()), "base units"),
        figure("denials", "Denials", count(denials)),
        figure("dividends", "Pool dividends", civ(dividends), `${formatCount(poolRows.length)} pools`),
      );

      // Prices: the first resource with cleared epochs (the genesis compute), one point per epoch.
      const traded = epochRows.filter((e) => e.cleared && !e.cancelled && e.supply !== "0");
      const main = traded.find((e) => e.resourceId === "1")?.resourceId ?? traded[0]?.resourceId;
      const series = traded.filter((e) => e.resourceId === main);
      const xs = series.map((e) => Number(e.epoch));
      prices.setData(xs, [series.map((e) => civNumber(e.price ?? "0"))]);
      utilisation.setData(xs, [series.map((e) => Number(e.utilisationBps ?? "0") / 100)]);
      const [days, perDayCounts] = perDay([
        usageRows.filter((u) => !u.denied).map((u) => u.timestamp),
        usageRows.filter((u) => u.denied).map((u) => u.timestamp),
      ]);
      usage.setData(days, perDayCounts);

      const unitOf = new Map(resourceRows.map((r) => [r.id, r.unit]));
      fill(
        resources,
        table(
          "Resource types and their policy",
          [
            { header: "Id", cell: (r: ResourceRow) => r.id, numeric: true },
            { header: "Unit", cell: (r) => r.unit },
            {
              header: "Status",
              cell: (r) =>
                r.retired
                  ? h("span", { class: "badge warn" }, "retired")
                  : r.listed
                    ? h("span", { class: "badge" }, "listed")
                    : "not listed",
            },
            { header: "Transferable", cell: (r) => (r.transferable ? "yes" : "no") },
            {
              header: "Free per day (max)",
              cell: (r) => `${r.allowancePerDay} (${r.allowanceMax})`,
              numeric: true,
            },
            {
              header: "Quota",
              cell: (r) => (r.quota === "0" ? "none" : `${r.quota} per ${Number(r.quotaWindow) / 3600} h`),
              numeric: true,
            },
            { header: "Reserve", cell: (r) => civ(r.reservePrice), numeric: true },
            { header: "Last price", cell: (r) => civ(r.lastPrice), numeric: true },
            { header: "Sold", cell: (r) => formatCount(r.totalSold), numeric: true },
            { header: "Used", cell: (r) => formatCount(r.totalUsed), numeric: true },
            { header: "Denied", cell: (r) => `${formatCount(r.deniedAmount)} (${r.denials})`, numeric: true },
          ],
          resourceRows,
          { empty: "No resource type yet.", rowKey: (r) => r.id },
        ),
      );
      fill(
        book,
        table(
          "Offers not yet settled",
          [
            { header: "Offer", cell: (o: OfferRow) => o.id, numeric: true },
            { header: "Resource", cell: (o) => unitOf.get(o.resourceId) ?? o.resourceId },
            { header: "Epoch", cell: (o) => o.epoch, numeric: true },
            { header: "Provider", cell: (o) => address(o.provider) },
            { header: "Paid to", cell: (o) => address(o.payee) },
            { header: "Capacity", cell: (o) => formatCount(o.capacity), numeric: true },
          ],
          offerRows,
          { empty: "No open offer.", rowKey: (o) => o.id },
        ),
        table(
          "Bids not yet settled, highest price first",
          [
            { header: "Bid", cell: (b: BidRow) => b.id, numeric: true },
            { header: "Resource", cell: (b) => unitOf.get(b.resourceId) ?? b.resourceId },
            { header: "Epoch", cell: (b) => b.epoch, numeric: true },
            { header: "Bidder", cell: (b) => address(b.bidder) },
            { header: "Max price", cell: (b) => civ(b.maxPrice), numeric: true },
            { header: "Quantity", cell: (b) => formatCount(b.quantity), numeric: true },
            { header: "Escrow", cell: (b) => civ(b.escrow), numeric: true },
          ],
          bidRows,
          { empty: "No open bid.", rowKey: (b) => b.id },
        ),
      );
      fill(
        providers,
        table(
          "Providers (payees) by gross revenue",
          [
            { header: "Payee", cell: (p: ProviderRow) => address(p.address) },
            { header: "Offers", cell: (p) => formatCount(p.offers), numeric: true },
            { header: "Offered", cell: (p) => formatCount(p.capacityOffered), numeric: true },
            { header: "Sold", cell: (p) => formatCount(p.sold), numeric: true },
            { header: "Gross", cell: (p) => civ(p.gross), numeric: true },
            { header: "Fees", cell: (p) => civ(p.fees), numeric: true },
          ],
          providerRows,
          { empty: "No provider yet.", rowKey: (p) => p.address },
        ),
      );
      fill(
        pools,
        table(
          "Compute pools and their dividends",
          [
            { header: "Pool", cell: (p: PoolRow) => address(p.address) },
            { header: "Creator", cell: (p) => address(p.creator) },
            { header: "Share sale", cell: (p) => `resource ${p.shareResourceId}, epoch ${p.shareEpoch}` },
            { header: "Distributed", cell: (p) => civ(p.distributed), numeric: true },
            { header: "Claimed", cell: (p) => civ(p.claimed), numeric: true },
            { header: "Claims", cell: (p) => formatCount(p.claims), numeric: true },
            { header: "To Treasury", cell: (p) => civ(p.toTreasury), numeric: true },
            { header: "Created", cell: (p) => time(p.createdAt) },
          ],
          poolRows,
          { empty: "No compute pool yet.", rowKey: (p) => p.address },
        ),
      );
      fill(
        usageTable,
        table(
          "Latest usage records and denials",
          [
            { header: "When", cell: (u: UsageRow) => time(u.timestamp) },
            { header: "Resource", cell: (u) => unitOf.get(u.resourceId) ?? u.resourceId },
            { header: "Account", cell: (u) => address(u.account) },
            { header: "Amount", cell: (u) => formatCount(u.amount), numeric: true },
            {
              header: "Outcome",
              cell: (u) =>
                u.denied
                  ? h("span", { class: "badge warn" }, `denied: ${u.reason ?? "?"}`)
                  : `${formatCount(u.fromAllowance)} free, ${formatCount(u.fromCredits)} credits`,
            },
          ],
          usageRows.slice(0, 50),
          { empty: "No usage recorded yet.", rowKey: (u) => u.id },
        ),
      );
      return block;
    },
  };
}
