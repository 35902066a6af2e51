/**
 * Economy: supply, Treasury, circulating, burned, tax and cap excess (totals and per day), the Gini
 * coefficient and the largest holding against the cap over time, agents alive/starved/suspended.
 */
import { query } from "../api.ts";
import { chart, civAxis, civLegend } from "../charts.ts";
import { address, civ, fill, figure, h, section } from "../dom.ts";
import { civNumber, formatBps, formatCiv, formatCount, formatRatio } from "../format.ts";
import type { Page } from "./page.ts";

interface TokenState {
  totalSupply: string;
  totalTax: string;
  totalCapExcess: string;
  totalMinted: string;
  totalBurned: string;
  totalUpkeepBurned: string;
  activeAgents: number;
  suspendedAgents: number;
  starvedAgents: number;
  treasury: string;
  taxBps: string;
  capBps: string;
}

interface EconomyDay {
  day: string;
  date: string;
  totalSupply: string;
  circulating: string;
  treasuryBalance: string;
  taxCollected: string;
  capExcessCollected: string;
  burned: string;
  upkeepBurned: string;
  transfers: number;
  activeAgents: number;
  suspendedAgents: number;
  starvedAgents: number;
  gini: number;
  largestHolder: string | null;
  largestHolding: string;
  largestHolderShareBps: string;
  cap: string;
}

/** The Economy page. */
export function economyPage(): Page {
  const figures = h("div", { class: "figures" });
  const supply = chart(
    "Total supply and the Treasury (CIV)",
    [
      { label: "Total supply", format: civLegend },
      { label: "Treasury", format: civLegend },
    ],
    { yFormat: civAxis },
  );
  const circulating = chart("Circulating supply (CIV)", [{ label: "Circulating", format: civLegend }], {
    yFormat: civAxis,
  });
  const flows = chart(
    "Collected and burned per day (CIV)",
    [
      { label: "Tax", format: civLegend, bars: true },
      { label: "Cap excess", format: civLegend },
      { label: "Burned", format: civLegend },
    ],
    { yFormat: civAxis },
  );
  const gini = chart(
    "Gini coefficient of agents' holdings",
    [{ label: "Gini", format: (v) => formatRatio(v) }],
    {
      yRange: [0, 1],
      yFormat: (v) => v.toFixed(1),
    },
  );
  const largest = chart(
    "Largest holding against the wealth cap (CIV)",
    [
      { label: "Largest holding", format: civLegend },
      { label: "Cap", format: civLegend, dash: true },
    ],
    { yFormat: civAxis },
  );
  const agents = chart(
    "Agents by standing",
    [
      { label: "Active", stepped: true, format: (v) => formatCount(v) },
      { label: "Starved", stepped: true, format: (v) => formatCount(v) },
      { label: "Suspended", stepped: true, format: (v) => formatCount(v) },
    ],
    { yFormat: (v) => formatCount(v), integer: true },
  );
  const element = h(
    "div",
    {},
    h("h1", {}, "Economy"),
    figures,
    section(
      "Over time",
      h(
        "div",
        { class: "charts" },
        supply.element,
        circulating.element,
        flows.element,
        gini.element,
        largest.element,
        agents.element,
      ),
    ),
  );

  return {
    title: "Economy",
    element,
    async update() {
      const { data, block } = await query<{
        tokenState: TokenState | null;
        economyDays: { items: EconomyDay[] };
      }>(`tokenState(id: "civ") { totalSupply totalTax totalCapExcess totalMinted totalBurned totalUpkeepBurned
            activeAgents suspendedAgents starvedAgents treasury taxBps capBps }
          economyDays(orderBy: "day", orderDirection: "asc", limit: 1000) { items { day date totalSupply circulating
            treasuryBalance taxCollected capExcessCollected burned upkeepBurned transfers activeAgents suspendedAgents
            starvedAgents gini largestHolder largestHolding largestHolderShareBps cap } }`);
      const state = data.tokenState;
      const days = data.economyDays.items;
      const today = days.at(-1);
      if (state === null || today === undefined) {
        fill(figures, h("p", { class: "muted" }, "Nothing indexed yet: the token has not moved."));
      } else {
        fill(
          figures,
          figure("totalSupply", "Total supply", civ(state.totalSupply)),
          figure("treasury", "Treasury", civ(today.treasuryBalance)),
          figure("circulating", "Circulating", civ(today.circulating), "total supply minus the Treasury"),
          figure(
            "burned",
            "Burned",
            civ(state.totalBurned),
            `of which upkeep ${formatCiv(state.totalUpkeepBurned)} CIV`,
          ),
          figure("taxCollected", "Tax collected", civ(state.totalTax), `tax rate ${formatBps(state.taxBps)}`),
          figure(
            "capExcess",
            "Cap excess collected",
            civ(state.totalCapExcess),
            `cap ${formatBps(state.capBps)} of supply`,
          ),
          figure(
            "gini",
            "Gini coefficient",
            h("span", { "data-value": String(today.gini) }, formatRatio(today.gini)),
            "agents' holdings, 0 = equal",
          ),
          figure(
            "largestHolding",
            "Largest holding",
            civ(today.largestHolding),
            `${formatBps(today.largestHolderShareBps)} of supply; cap ${formatCiv(today.cap)} CIV`,
          ),
          figure("largestHolder", "Largest holder", address(today.largestHolder)),
          figure(
            "activeAgents",
            "Agents active",
            h("span", { "data-value": String(state.activeAgents) }, formatCount(state.activeAgents)),
          ),
          figure(
            "starvedAgents",
            "Agents starved",
            h("span", { "data-value": String(state.starvedAgents) }, formatCount(state.starvedAgents)),
          ),
          figure(
            "suspendedAgents",
            "Agents suspended",
            h("span", { "data-value": String(state.suspendedAgents) }, formatCount(state.suspendedAgents)),
          ),
        );
      }
      const xs = days.map((d) => Number(d.date));
      supply.setData(xs, [
        days.map((d) => civNumber(d.totalSupply)),
        days.map((d) => civNumber(d.treasuryBalance)),
      ]);
      circulating.setData(xs, [days.map((d) => civNumber(d.circulating))]);
      flows.setData(xs, [
        days.map((d) => civNumber(d.taxCollected)),
        days.map((d) => civNumber(d.capExcessCollected)),
        days.map((d) => civNumber(d.burned)),
      ]);
      gini.setData(xs, [days.map((d) => d.gini)]);
      largest.setData(xs, [days.map((d) => civNumber(d.largestHolding)), days.map((d) => civNumber(d.cap))]);
      agents.setData(xs, [
        days.map((d) => d.activeAgents),
        days.map((d) => d.starvedAgents),
        days.map((d) => d.suspendedAgents),
      ]);
      return block;
    },
  };
}
