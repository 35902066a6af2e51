/**
 * Open flags (the auditor, issue 15): flags the indexer's rules raised that no auditor has confirmed or
 * dismissed yet (unreviewed or escalated), most severe first, with counts by rule and severity.
 */
import { allRows, query } from "../api.ts";
import { address, fill, figure, h, section, table, time } from "../dom.ts";
import { formatCount, words } from "../format.ts";
import type { Page } from "./page.ts";

interface FlagRow {
  id: string;
  rule: string;
  severity: string;
  summary: string;
  accounts: string[];
  transactionHash: string;
  verdict: string;
  timestamp: string;
}

const SEVERITY_ORDER = ["critical", "high", "medium", "low"];

/** The Open flags page. */
export function flagsPage(): Page {
  const figures = h("div", { class: "figures" });
  const open = h("div", {});
  const element = h(
    "div",
    {},
    h("h1", {}, "Open flags"),
    figures,
    section("Open flags, most severe first", open),
  );
  return {
    title: "Open flags",
    element,
    async update() {
      const { block } = await query<object>("");
      const rows = await allRows<FlagRow>(
        "flags",
        "id rule severity summary accounts transactionHash verdict timestamp",
        `where: { verdict_in: [none, escalated] }, orderBy: "timestamp", orderDirection: "desc"`,
      );
      rows.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
      const count = (severity: string) => rows.filter((r) => r.severity === severity).length;
      fill(
        figures,
        figure("openFlags", "Open flags", h("span", { "data-value": rows.length }, formatCount(rows.length))),
        ...SEVERITY_ORDER.map((s) => figure(`open-${s}`, words(s), formatCount(count(s)))),
        figure("escalated", "Escalated", formatCount(rows.filter((r) => r.verdict === "escalated").length)),
      );
      fill(
        open,
        table(
          "Open flags",
          [
            {
              header: "Severity",
              cell: (r: FlagRow) => h("strong", { class: `severity-${r.severity}` }, words(r.severity)),
            },
            { header: "Rule", cell: (r) => r.rule },
            { header: "What", cell: (r) => r.summary, wrap: true },
            {
              header: "Accounts",
              cell: (r) => h("span", {}, ...r.accounts.slice(0, 6).map((a) => address(a))),
              wrap: true,
            },
            {
              header: "Review",
              cell: (r) =>
                r.verdict === "none" ? h("span", { class: "muted" }, "unreviewed") : words(r.verdict),
            },
            { header: "Raised", cell: (r) => time(r.timestamp) },
          ],
          rows.slice(0, 500),
          { empty: "No open flag.", rowKey: (r) => r.id },
        ),
      );
      return block;
    },
  };
}
