/**
 * Resource markets (issue 14) over HTTP, from indexed rows only:
 * - /metrics/market: Prometheus text with ICN RFC 0013's three series by resource,
 *   `resource_usage_total{resource,unit}` (base units recorded), `resource_denied_total{resource,unit,reason}`
 *   (usage records refused) and `economics_ledger_balance{resource,unit}` (credits outstanding: minted minus
 *   burned), plus the market's own: clearing price, reserve, utilisation, units sold and buyers' spend.
 * - /market: the same figures as JSON, one entry per resource.
 */
import { db } from "ponder:api";
import { resource, resourceUsage } from "ponder:schema";
import type { Hono } from "hono";
import { and, asc, count, eq, sum } from "ponder";
import { DenialReason } from "../../../scripts/lib/vocabulary.ts";

/** Every resource with its usage, denials by reason and market figures. */
export async function marketFigures() {
  const resources = await db.select().from(resource).orderBy(asc(resource.id));
  const denied = await db
    .select({
      resourceId: resourceUsage.resourceId,
      reason: resourceUsage.reason,
      records: count(),
      amount: sum(resourceUsage.amount),
    })
    .from(resourceUsage)
    .where(and(eq(resourceUsage.denied, true)))
    .groupBy(resourceUsage.resourceId, resourceUsage.reason);
  return resources.map((r) => ({
    resourceId: r.id,
    unit: r.unit,
    listed: r.listed,
    retired: r.retired,
    used: r.totalUsed,
    usedFromAllowance: r.usedFromAllowance,
    ledgerBalance: r.totalMinted - r.totalBurned,
    denied: Object.fromEntries(
      DenialReason.keys.map((reason) => [
        reason,
        Number(denied.find((d) => d.resourceId === r.id && d.reason === reason)?.records ?? 0),
      ]),
    ) as Record<(typeof DenialReason.keys)[number], number>,
    reservePrice: r.reservePrice,
    lastPrice: r.lastPrice,
    lastEpoch: r.lastEpoch,
    lastUtilisationBps: r.lastUtilisationBps,
    epochsCleared: r.epochsCleared,
    sold: r.totalSold,
    revenue: r.totalRevenue,
  }));
}

/** A Prometheus label value, escaped. */
const label = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Prometheus text of {@link marketFigures}. */
export function marketMetrics(figures: Awaited<ReturnType<typeof marketFigures>>): string {
  const lines: string[] = [];
  const series = (
    name: string,
    type: "counter" | "gauge",
    help: string,
    rows: [Record<string, string>, bigint | number | null][],
  ) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of rows) {
      if (value === null) continue;
      const text = Object.entries(labels)
        .map(([k, v]) => `${k}="${label(v)}"`)
        .join(",");
      lines.push(`${name}{${text}} ${value.toString()}`);
    }
  };
  const by = (f: (typeof figures)[number]) => ({ resource: f.resourceId.toString(), unit: f.unit });
  series(
    "resource_usage_total",
    "counter",
    "Usage recorded by meters, in the resource's base units (RFC 0013).",
    figures.map((f) => [by(f), f.used]),
  );
  series(
    "resource_denied_total",
    "counter",
    "Usage records refused by the resource's policy, by reason (RFC 0013).",
    figures.flatMap((f) =>
      DenialReason.keys.map(
        (reason) => [{ ...by(f), reason }, f.denied[reason]] as [Record<string, string>, number],
      ),
    ),
  );
  series(
    "economics_ledger_balance",
    "gauge",
    "Credits outstanding (minted by the market minus burned by metering), base units (RFC 0013).",
    figures.map((f) => [by(f), f.ledgerBalance]),
  );
  series(
    "market_clearing_price_wei",
    "gauge",
    "Clearing price of the resource's last cleared epoch, wei per base unit (0: cancelled).",
    figures.map((f) => [by(f), f.lastPrice]),
  );
  series(
    "market_reserve_price_wei",
    "gauge",
    "The resource's reserve price for its next clearing, wei per base unit.",
    figures.map((f) => [by(f), f.reservePrice]),
  );
  series(
    "market_utilisation_bps",
    "gauge",
    "Share of the supply sold at the resource's last clearing, bps.",
    figures.map((f) => [by(f), f.lastUtilisationBps]),
  );
  series(
    "market_sold_total",
    "counter",
    "Base units sold in cleared epochs.",
    figures.map((f) => [by(f), f.sold]),
  );
  series(
    "market_revenue_wei_total",
    "counter",
    "CIV paid by buyers in cleared epochs (price x sold), wei.",
    figures.map((f) => [by(f), f.revenue]),
  );
  return `${lines.join("\n")}\n`;
}

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);

/** Registers /metrics/market and /market on the indexer's HTTP app. */
export function serveMarket(app: Hono): void {
  app.get("/metrics/market", async (c) =>
    c.text(marketMetrics(await marketFigures()), 200, { "content-type": "text/plain; version=0.0.4" }),
  );
  app.get("/market", async (c) =>
    c.body(json(await marketFigures()), 200, { "content-type": "application/json" }),
  );
}
