/**
 * What the auditor flagged during a run (issue 15: "the summary reports what was flagged"), read from the
 * indexer's `flags` table (the rules in indexer/audit/ run as events arrive, so once the indexer has reached
 * the run's last block every flag of the run is there): flags by rule and severity, which honest agents any
 * flag names, and, when bad actors ran (`--bad-actors`), which of their wallets the rule meant for their
 * attack named.
 */
import { type Address, getAddress } from "viem";
import { fetchAll } from "../lib/graphql.ts";
import type { BadActorsSummary } from "./bad-actors.ts";

/** One flag as the indexer holds it: the rule that raised it, its severity and the accounts it names. */
export interface FlagLine {
  rule: string;
  severity: "low" | "medium" | "high" | "critical";
  accounts: Address[];
}

/** The run's flags by rule and severity, and whom they name. */
export interface AuditSummary {
  /** Flags raised, by `"<rule> <severity>"`. */
  byRuleAndSeverity: Record<string, number>;
  /** Simulated (honest) agents named by a flag: name, rule and severity. */
  honestNamed: { name: string; rule: string; severity: string }[];
  /** With bad actors: each bad wallet and whether the rule meant for its attack named it. */
  badActors?: { name: string; kind: string; flaggedBy: string; flagged: boolean }[];
}

/**
 * Reads every flag from the indexer.
 * @param graphqlUrl The indexer's GraphQL endpoint.
 * @returns The flags, in the indexer's order. Throws when the indexer does not answer.
 */
export async function readFlags(graphqlUrl: string): Promise<FlagLine[]> {
  const rows = await fetchAll<FlagLine>(graphqlUrl, "flags", "rule severity accounts");
  return rows.map((f) => ({ ...f, accounts: f.accounts.map((a) => getAddress(a)) }));
}

/**
 * Sums up the run's flags.
 * @param flags The flags ({@link readFlags}).
 * @param agents The simulated agents: name by wallet.
 * @param bad The bad actors' summary, when they ran.
 */
export function summarizeFlags(
  flags: readonly FlagLine[],
  agents: readonly { address: Address; name: string }[],
  bad?: BadActorsSummary,
): AuditSummary {
  const byRuleAndSeverity: Record<string, number> = {};
  for (const f of flags) {
    const key = `${f.rule} ${f.severity}`;
    byRuleAndSeverity[key] = (byRuleAndSeverity[key] ?? 0) + 1;
  }
  const nameOf = new Map(agents.map((a) => [getAddress(a.address), a.name]));
  const honestNamed = flags.flatMap((f) =>
    f.accounts.flatMap((account) => {
      const name = nameOf.get(account);
      return name === undefined ? [] : [{ name, rule: f.rule, severity: f.severity }];
    }),
  );
  const summary: AuditSummary = { byRuleAndSeverity, honestNamed };
  if (bad)
    summary.badActors = bad.wallets.map((w) => ({
      name: w.name,
      kind: w.kind,
      flaggedBy: w.flaggedBy,
      flagged: flags.some((f) => f.rule === w.flaggedBy && f.accounts.includes(getAddress(w.address))),
    }));
  return summary;
}

/** The summary's lines about the auditor's flags. */
export function renderAudit(audit: AuditSummary): string[] {
  const counts = Object.entries(audit.byRuleAndSeverity)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, n]) => `${key} x${n}`);
  const total = Object.values(audit.byRuleAndSeverity).reduce((a, b) => a + b, 0);
  const serious = audit.honestNamed.filter((n) => n.severity === "high" || n.severity === "critical");
  const out = [
    `Auditor (indexer/audit/): ${total} flags${counts.length ? `: ${counts.join(", ")}` : ""}.`,
    `  Honest agents named: ${audit.honestNamed.length} times` +
      (serious.length
        ? `, high or critical: ${serious.map((n) => `${n.name} (${n.rule} ${n.severity})`).join(", ")}.`
        : ", none high or critical."),
  ];
  if (audit.badActors) {
    const missed = audit.badActors.filter((w) => !w.flagged);
    out.push(
      `  Bad actors named by their attack's rule: ${audit.badActors.length - missed.length} of ${audit.badActors.length} wallets` +
        (missed.length ? `; not named: ${missed.map((w) => `${w.name} (${w.flaggedBy})`).join(", ")}.` : "."),
    );
  }
  return out;
}
