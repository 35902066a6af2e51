/**
 * Printing and saving a run's summary: tables on the terminal (cli-table3) and a JSON report with the same
 * content (bigints as decimal strings).
 */
import type { EconomyHealth } from "./health.ts";
import type { AuditSummary } from "./audit-summary.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Table from "cli-table3";
import { renderExtensions } from "./agent-options.ts";
import { renderMarket } from "./market.ts";
import { renderAgreements } from "./agreements.ts";
import { renderLottery } from "./lottery.ts";
import { formatBps, formatCiv } from "../lib/format.ts";
import type { SimulationResult } from "./engine.ts";
import { type EconomySummary, escrowOutcomes } from "./summary.ts";

/** The JSON report written to `reports/`. */
export interface RunReport {
  startedAt: string;
  options: Record<string, unknown>;
  urls?: Record<string, string>;
  simulation: Omit<SimulationResult, "dayEndBlocks"> & { dayEndBlocks: { day: number; block: string }[] };
  /** Escrows by final state. */
  escrowOutcomes: Record<string, number>;
  summary: EconomySummary;
  /** Survival by archetype, Treasury flows and runway (scripts/sim/health.ts). */
  health?: EconomyHealth;
  /** What the auditor flagged, when an indexer ran (scripts/sim/audit-summary.ts). */
  audit?: AuditSummary;
}

/** JSON.stringify replacer: bigints as decimal strings. */
export function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * The path of a run's report (`extension` ".json") or of a file beside it: `<dir>/run-<timestamp>-seed-<seed><extension>`.
 * @param startedAt The run's start (ISO). @param seed Its seed.
 */
export function reportPath(dir: string, startedAt: string, seed: string, extension = ".json"): string {
  const stamp = startedAt.replace(/[:.]/g, "-");
  return join(dir, `run-${stamp}-seed-${String(seed).replace(/[^\w-]/g, "_")}${extension}`);
}

/**
 * Writes the report to `<dir>/run-<timestamp>-seed-<seed>.json`.
 * @returns The file path.
 */
export function writeReport(report: RunReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = reportPath(dir, report.startedAt, report.simulation.seed);
  writeFileSync(file, `${JSON.stringify(report, bigintReplacer, 2)}\n`);
  return file;
}

function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: ["cyan"], compact: true } });
}

/**
 * Renders the summary tables as text.
 * @param summary The economy (from the indexer, or the chain as a fallback).
 * @param sim The run's counters.
 */
export function renderSummary(summary: EconomySummary, sim: SimulationResult): string {
  const out: string[] = [];
  out.push(
    `Economy after ${sim.days} days, ${sim.agents.length} agents, seed "${sim.seed}" (read from the ${summary.source}, block ${summary.block})`,
  );

  const supply = table([
    "Total supply",
    "Treasury",
    "Circulating",
    "Burned",
    "Tax collected",
    "Cap excess",
    "Tax rate",
  ]);
  supply.push([
    formatCiv(summary.totalSupply, 2),
    formatCiv(summary.treasuryBalance, 2),
    formatCiv(summary.circulating, 2),
    formatCiv(summary.burned, 2),
    formatCiv(summary.taxCollected, 2),
    formatCiv(summary.capExcess, 2),
    formatBps(summary.taxBps),
  ]);
  out.push(supply.toString());

  const byBalance = [...summary.agents].sort((a, b) =>
    a.balance > b.balance ? -1 : a.balance < b.balance ? 1 : 0,
  );
  const rich = table(["Richest agents", "Archetype", "Address", "Balance", "% of wealth cap"]);
  for (const agent of byBalance.slice(0, 5)) {
    const pct = summary.wealthCap > 0n ? Number((agent.balance * 10_000n) / summary.wealthCap) / 100 : 0;
    rich.push([agent.name, agent.archetype, agent.address, formatCiv(agent.balance, 2), `${pct}%`]);
  }
  out.push(rich.toString(), `Wealth cap: ${formatCiv(summary.wealthCap, 2)}`);

  const byRep = [...summary.agents].sort((a, b) =>
    a.reputation > b.reputation ? -1 : a.reputation < b.reputation ? 1 : 0,
  );
  const rep = table(["Reputation", "Agent", "Archetype", "Score"]);
  for (const agent of byRep.slice(0, 3))
    rep.push(["top", agent.name, agent.archetype, agent.reputation.toString()]);
  for (const agent of byRep.slice(-3).reverse())
    rep.push(["bottom", agent.name, agent.archetype, agent.reputation.toString()]);
  out.push(rep.toString());

  const outcomes = escrowOutcomes(summary.escrows);
  const jobs = table(["Escrows", ...Object.keys(outcomes)]);
  jobs.push([String(summary.escrows.length), ...Object.values(outcomes).map(String)]);
  out.push(jobs.toString());

  const votes = table(["Proposal", "State", "For", "Against", "Abstain"]);
  for (const p of summary.proposals)
    votes.push([
      p.description.slice(0, 60),
      p.state,
      formatCiv(p.forVotes, 0),
      formatCiv(p.againstVotes, 0),
      formatCiv(p.abstainVotes, 0),
    ]);
  if (summary.proposals.length) out.push(votes.toString());
  else out.push("Governance: no proposal was made.");

  const rewards = summary.attestationRewards;
  out.push(
    `Attestation rewards: ${rewards.paid} paid, ${formatCiv(rewards.amount, 2)} in all` +
      `${rewards.unpaid ? `; ${rewards.unpaid} claims paid nothing (cap or budget)` : ""}.`,
  );

  const stakers = summary.agents.filter((a) => a.staked > 0n).length;
  out.push(`Staking: ${formatCiv(summary.totalBonded, 2)} bonded, ${stakers} agents with bonded stake.`);

  const starved = summary.agents.filter((a) => a.starved);
  out.push(`Starved agents (${starved.length}): ${starved.map((a) => a.name).join(", ") || "none"}`);

  const g = summary.giniByDay;
  const giniTable = table([
    "Day",
    ...g
      .filter((_, i) => i % Math.max(1, Math.ceil(g.length / 8)) === 0 || i === g.length - 1)
      .map((d) => String(d.day)),
  ]);
  giniTable.push([
    "Gini",
    ...g
      .filter((_, i) => i % Math.max(1, Math.ceil(g.length / 8)) === 0 || i === g.length - 1)
      .map((d) => d.gini.toFixed(3)),
  ]);
  out.push(giniTable.toString());

  const s = sim.stats;
  const activity = table([
    "Transactions",
    "Succeeded",
    "Reverted on chain",
    "Refused by simulation",
    "Blocks",
    "Wall time",
  ]);
  activity.push(
    [
      s.sent,
      s.succeeded,
      s.revertedOnChain,
      s.rejectedBeforeSending,
      s.blocks,
      `${(sim.wallTimeMs / 1000).toFixed(1)} s`,
    ].map(String),
  );
  out.push(activity.toString());
  const errors = Object.entries(s.errors).sort((a, b) => b[1] - a[1]);
  if (errors.length) out.push(`Failures by error: ${errors.map(([name, n]) => `${name} x${n}`).join(", ")}`);
  out.push(...renderExtensions(sim.extensions));
  out.push(...renderMarket(sim.market));
  out.push(...renderAgreements(sim.agreements), ...renderLottery(sim.lottery));
  return out.join("\n");
}
