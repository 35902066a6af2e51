/**
 * Jobs: escrow outcomes as a funnel (created → funded → submitted → completed / disputed → ruled, and the
 * other ends: cancelled, refunded, no-show), jobs per day, every escrow by state, disputes with their
 * evidence links.
 */
import { allRows, query } from "../api.ts";
import { chart, perDay as countPerDay } from "../charts.ts";
import { address, agentHref, civ, fill, figure, h, section, table, time, uriLink } from "../dom.ts";
import { formatBps, formatCount, words } from "../format.ts";
import { EscrowState } from "../../../scripts/lib/vocabulary.ts";
import { escrowState } from "./agents.ts";
import type { Page } from "./page.ts";

interface EscrowRow {
  id: string;
  state: string;
  clientId: string;
  providerId: string;
  arbitratorId: string;
  arbitrator: string;
  amount: string;
  providerBps: string | null;
  evidenceCount: number;
  createdAt: string;
  fundedAt: string | null;
  submittedAt: string | null;
  disputedAt: string | null;
  closedAt: string | null;
}

interface EvidenceRow {
  id: string;
  escrowId: string;
  kind: string;
  actor: string | null;
  uri: string | null;
  timestamp: string;
}

/** A stage of the funnel: how many jobs reached it, and where it sits (depth) under its parent. */
interface Stage {
  key: string;
  label: string;
  count: number;
  depth: number;
  tone: "" | "good" | "bad" | "neutral";
}

/** The funnel's stages, from the escrows' states and timestamps. */
export function funnelStages(
  escrows: {
    state: string;
    fundedAt: string | null;
    submittedAt: string | null;
    disputedAt: string | null;
  }[],
): Stage[] {
  const inState = (key: string) => escrows.filter((e) => e.state === key).length;
  const open = ["created", "agreed", "accepted", "funded", "submitted", "disputed"] as const;
  return [
    { key: "created", label: "Created", count: escrows.length, depth: 0, tone: "" },
    {
      key: "cancelled",
      label: "Cancelled before funding",
      count: inState("cancelled"),
      depth: 1,
      tone: "neutral",
    },
    {
      key: "funded",
      label: "Funded",
      count: escrows.filter((e) => e.fundedAt !== null).length,
      depth: 1,
      tone: "",
    },
    { key: "refunded", label: "Refunded (not delivered)", count: inState("refunded"), depth: 2, tone: "bad" },
    {
      key: "submitted",
      label: "Submitted",
      count: escrows.filter((e) => e.submittedAt !== null).length,
      depth: 2,
      tone: "",
    },
    { key: "completed", label: "Completed", count: inState("completed"), depth: 3, tone: "good" },
    {
      key: "disputed",
      label: "Disputed",
      count: escrows.filter((e) => e.disputedAt !== null).length,
      depth: 3,
      tone: "bad",
    },
    { key: "ruled", label: "Ruled", count: inState("ruled"), depth: 4, tone: "" },
    {
      key: "no_show_resolved",
      label: "No-show resolved",
      count: inState("no_show_resolved"),
      depth: 4,
      tone: "bad",
    },
    {
      key: "open",
      label: "Still open",
      count: escrows.filter((e) => (open as readonly string[]).includes(e.state)).length,
      depth: 0,
      tone: "neutral",
    },
  ];
}

/** The Jobs page. */
export function jobsPage(): Page {
  const figures = h("div", { class: "figures" });
  const funnel = h("ol", { class: "funnel", "aria-label": "Escrow outcomes funnel" });
  const perDay = chart(
    "Jobs per day",
    [
      { label: "Created", bars: true, format: (v) => formatCount(v) },
      { label: "Completed", format: (v) => formatCount(v) },
      { label: "Disputed", format: (v) => formatCount(v) },
    ],
    { integer: true, yFormat: (v) => formatCount(v) },
  );
  const byState = h("div", {});
  const disputes = h("div", {});
  const element = h(
    "div",
    {},
    h("h1", {}, "Jobs"),
    figures,
    section("Outcomes", funnel),
    section("Over time", h("div", { class: "charts" }, perDay.element)),
    section("By state", byState),
    section("Disputes", disputes),
  );
  return {
    title: "Jobs",
    element,
    async update() {
      const { block } = await query<object>("");
      const [escrows, evidence] = await Promise.all([
        allRows<EscrowRow>(
          "escrows",
          "id state clientId providerId arbitratorId arbitrator amount providerBps evidenceCount createdAt fundedAt submittedAt disputedAt closedAt",
          `orderBy: "id"`,
        ),
        allRows<EvidenceRow>(
          "escrowEvents",
          "id escrowId kind actor uri timestamp",
          `where: { kind_in: ["dispute", "evidence", "disputed"] }, orderBy: "id"`,
        ),
      ]);
      const stages = funnelStages(escrows);
      const total = Math.max(1, escrows.length);
      fill(
        funnel,
        ...stages.map((stage) =>
          h(
            "li",
            { "data-stage": stage.key, "data-count": stage.count },
            h(
              "span",
              { class: "stage", style: `padding-left:${stage.depth * 0.9}rem` },
              stage.depth > 0 ? "↳ " : "",
              stage.label,
            ),
            h(
              "span",
              { class: "track" },
              h("span", {
                class: `bar ${stage.tone}`,
                style: `display:block;width:${(100 * stage.count) / total}%`,
              }),
            ),
            h("span", { class: "count" }, formatCount(stage.count)),
          ),
        ),
      );
      const volume = escrows.reduce((sum, e) => sum + BigInt(e.amount), 0n);
      fill(
        figures,
        figure(
          "jobs",
          "Jobs created",
          h("span", { "data-value": escrows.length }, formatCount(escrows.length)),
        ),
        figure("volume", "Value escrowed", civ(volume), "sum of job amounts"),
        figure("completed", "Completed", formatCount(stages.find((s) => s.key === "completed")!.count)),
        figure("disputed", "Disputed", formatCount(stages.find((s) => s.key === "disputed")!.count)),
      );

      perDay.setData(
        ...countPerDay([
          escrows.map((e) => e.createdAt),
          escrows.filter((e) => e.state === "completed").map((e) => e.closedAt),
          escrows.map((e) => e.disputedAt),
        ]),
      );

      const counts = EscrowState.keys
        .filter((key) => key !== "none")
        .map((key) => ({ key, count: escrows.filter((e) => e.state === key).length }));
      fill(
        byState,
        table(
          "Jobs by state (the escrow contract's states)",
          [
            { header: "State", cell: (r: (typeof counts)[number]) => escrowState(r.key) },
            { header: "Jobs", cell: (r) => formatCount(r.count), numeric: true },
          ],
          counts,
          { rowKey: (r) => r.key },
        ),
      );

      const byEscrow = new Map<string, EvidenceRow[]>();
      for (const row of evidence) byEscrow.set(row.escrowId, [...(byEscrow.get(row.escrowId) ?? []), row]);
      const disputed = escrows.filter((e) => e.disputedAt !== null).reverse();
      fill(
        disputes,
        table(
          "Disputed jobs, newest first",
          [
            { header: "Job", cell: (e: EscrowRow) => `#${e.id}`, numeric: true },
            { header: "State", cell: (e) => escrowState(e.state) },
            { header: "Client", cell: (e) => h("a", { href: agentHref(e.clientId) }, `#${e.clientId}`) },
            {
              header: "Provider",
              cell: (e) => h("a", { href: agentHref(e.providerId) }, `#${e.providerId}`),
            },
            { header: "Arbitrator", cell: (e) => address(e.arbitrator, agentHref(e.arbitratorId)) },
            { header: "Amount", cell: (e) => civ(e.amount), numeric: true },
            {
              header: "Ruling (to provider)",
              cell: (e) => (e.providerBps === null ? "—" : formatBps(e.providerBps)),
              numeric: true,
            },
            { header: "Disputed", cell: (e) => time(e.disputedAt) },
            {
              header: "Evidence",
              wrap: true,
              cell: (e) => {
                const items = (byEscrow.get(e.id) ?? []).filter((row) => row.uri);
                return items.length === 0
                  ? h("span", { class: "muted" }, "none")
                  : h(
                      "ul",
                      { class: "evidence" },
                      ...items.map((row) =>
                        h(
                          "li",
                          {},
                          uriLink(row.uri),
                          " ",
                          h("span", { class: "muted" }, `(${words(row.kind)})`),
                        ),
                      ),
                    );
              },
            },
          ],
          disputed,
          { empty: "No dispute yet.", rowKey: (e) => e.id },
        ),
      );
      return block;
    },
  };
}
