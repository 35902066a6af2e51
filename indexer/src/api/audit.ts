/**
 * The auditor's HTTP routes (issue 15, docs/auditor.md):
 * - /metrics/audit: Prometheus counters of flags by rule and severity (`civitas_audit_flags_total`) and of
 *   open flags (no verdict yet, or escalated: `civitas_audit_open_flags`).
 * - /flags/open: open flags as JSON, most severe first then newest (`?limit=`, default 100, at most 1,000).
 */
import { db } from "ponder:api";
import { flag } from "ponder:schema";
import type { Hono } from "hono";
import { count, desc, inArray, sql } from "ponder";

/** Verdicts that leave a flag open: not reviewed yet, or escalated to the guardian. */
const OPEN = ["none", "escalated"] as const;

/** Registers the auditor's routes on the API. */
export function serveAudit(app: Hono): void {
  app.get("/metrics/audit", async (c) => {
    const rows = await db
      .select({ rule: flag.rule, severity: flag.severity, verdict: flag.verdict, n: count() })
      .from(flag)
      .groupBy(flag.rule, flag.severity, flag.verdict);
    const total = new Map<string, number>();
    const open = new Map<string, number>();
    for (const row of rows) {
      const labels = `rule="${row.rule}",severity="${row.severity}"`;
      total.set(labels, (total.get(labels) ?? 0) + Number(row.n));
      if ((OPEN as readonly string[]).includes(row.verdict))
        open.set(labels, (open.get(labels) ?? 0) + Number(row.n));
    }
    const lines = [
      "# HELP civitas_audit_flags_total Flags raised by the auditor's rules, by rule and severity.",
      "# TYPE civitas_audit_flags_total counter",
      ...[...total].map(([labels, n]) => `civitas_audit_flags_total{${labels}} ${n}`),
      "# HELP civitas_audit_open_flags Flags without a verdict or escalated, by rule and severity.",
      "# TYPE civitas_audit_open_flags gauge",
      ...[...open].map(([labels, n]) => `civitas_audit_open_flags{${labels}} ${n}`),
    ];
    return c.text(`${lines.join("\n")}\n`, 200, { "content-type": "text/plain; version=0.0.4" });
  });

  app.get("/flags/open", async (c) => {
    const requested = Number(c.req.query("limit") ?? 100);
    const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 1_000) : 100;
    const rows = await db
      .select()
      .from(flag)
      .where(inArray(flag.verdict, [...OPEN]))
      .orderBy(
        sql`case ${flag.severity} when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`,
        desc(flag.timestamp),
      )
      .limit(limit);
    const body = JSON.stringify(rows, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);
    return c.body(body, 200, { "content-type": "application/json" });
  });
}
