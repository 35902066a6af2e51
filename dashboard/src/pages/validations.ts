/** Validations (ERC-8004 ValidationRegistry): requests, responses, fees and attestation rewards. */
import { allRows, query } from "../api.ts";
import { chart, perDay as countPerDay } from "../charts.ts";
import { address, agentHref, civ, fill, figure, h, section, table, time, uriLink } from "../dom.ts";
import { formatCount, words } from "../format.ts";
import type { Page } from "./page.ts";

interface RequestRow {
  requestHash: string;
  agentId: string;
  validator: string;
  requestURI: string;
  response: number | null;
  tag: string | null;
  responseCount: number;
  respondedAt: string | null;
  staked: boolean;
  feeStatus: string;
  fee: string;
  rewardPaid: string;
  createdAt: string;
}

/** The Validations page. */
export function validationsPage(): Page {
  const figures = h("div", { class: "figures" });
  const perDay = chart(
    "Validation requests and responses per day",
    [
      { label: "Requests", bars: true, format: (v) => formatCount(v) },
      { label: "Responses", format: (v) => formatCount(v) },
    ],
    { integer: true, yFormat: (v) => formatCount(v) },
  );
  const requests = h("div", {});
  const element = h(
    "div",
    {},
    h("h1", {}, "Validations"),
    figures,
    section("Over time", h("div", { class: "charts" }, perDay.element)),
    section("Requests", requests),
  );
  return {
    title: "Validations",
    element,
    async update() {
      const { block } = await query<object>("");
      const rows = await allRows<RequestRow>(
        "validationRequests",
        "requestHash agentId validator requestURI response tag responseCount respondedAt staked feeStatus fee rewardPaid createdAt",
        `orderBy: "createdAt", orderDirection: "desc"`,
      );
      const responded = rows.filter((r) => r.response !== null);
      const average =
        responded.length === 0 ? null : responded.reduce((sum, r) => sum + r.response!, 0) / responded.length;
      const sum = (f: (r: RequestRow) => string) => rows.reduce((s, r) => s + BigInt(f(r)), 0n);
      fill(
        figures,
        figure("requests", "Requests", h("span", { "data-value": rows.length }, formatCount(rows.length))),
        figure("responded", "Responded", formatCount(responded.length)),
        figure("averageResponse", "Average response", average === null ? "—" : `${average.toFixed(1)} / 100`),
        figure("fees", "Fees (stake-secured)", civ(sum((r) => r.fee))),
        figure("rewards", "Attestation rewards paid", civ(sum((r) => r.rewardPaid))),
      );
      perDay.setData(...countPerDay([rows.map((r) => r.createdAt), rows.map((r) => r.respondedAt)]));
      fill(
        requests,
        table(
          "Validation requests, newest first",
          [
            {
              header: "Agent",
              cell: (r: RequestRow) => h("a", { href: agentHref(r.agentId) }, `#${r.agentId}`),
              numeric: true,
            },
            { header: "Validator", cell: (r) => address(r.validator) },
            { header: "Request", cell: (r) => uriLink(r.requestURI), wrap: true },
            {
              header: "Response",
              cell: (r) =>
                r.response === null ? h("span", { class: "muted" }, "pending") : `${r.response} / 100`,
              numeric: true,
            },
            { header: "Tag", cell: (r) => r.tag ?? "—" },
            { header: "Fee", cell: (r) => civ(r.fee), numeric: true },
            { header: "Fee status", cell: (r) => words(r.feeStatus) },
            { header: "Reward", cell: (r) => civ(r.rewardPaid), numeric: true },
            { header: "Requested", cell: (r) => time(r.createdAt) },
          ],
          rows.slice(0, 500),
          { empty: "No validation request yet.", rowKey: (r) => r.requestHash },
        ),
      );
      return block;
    },
  };
}
