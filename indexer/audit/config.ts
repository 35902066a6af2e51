/**
 * The auditor's thresholds: one entry per rule (docs/auditor.md). This file is part of the indexer's code,
 * so its content is in the indexer's fingerprint (indexer/run.ts): changing a threshold rebuilds the
 * database from the chain, and the flags are always those the chain and this configuration give. An
 * operator edits the values here (times in seconds, shares in bps, amounts in wei) and restarts the indexer.
 */
const CIV = 10n ** 18n;
const DAY = 86_400;

/** A flag's severity, lowest first. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
/** A flag's severity. */
export type Severity = (typeof SEVERITIES)[number];

export const AUDIT_CONFIG = {
  /** Many accounts delegating to one address, or registering after being funded by one address. */
  "sybil-burst": { severity: "high", windowSeconds: DAY, minAccounts: 5 },
  /**
   * A proposal that calls the Treasury or grants/revokes a role (`proposalSeverity`); a delegate whose
   * token votes reach `nearQuorumBps` of the quorum (`nearSeverity`) or the quorum itself (`atSeverity`).
   * Reaching the quorum is medium, not high: in a small economy an honest, busy delegate reaches the quorum
   * floor with earned votes alone (the default simulation's two largest delegates do); quorum is not a
   * majority, and a proposal still needs more votes for than against.
   */
  "governance-concentration": {
    proposalSeverity: "high",
    nearQuorumBps: 8_000,
    nearSeverity: "low",
    atSeverity: "medium",
  },
  /** One proposer creating `maxProposals` or more proposals within the window. */
  "proposal-spam": { severity: "medium", windowSeconds: 7 * DAY, maxProposals: 3 },
  /** Value sent by one account that comes back to it (2 or 3 hops), at least `returnBps` of it. */
  "wash-trading": { severity: "medium", windowSeconds: 2 * DAY, minAmount: 10n * CIV, returnBps: 8_000 },
  /**
   * A provider whose completed jobs come mostly (`shareBps`) from clients it hires in return, within a
   * group of at most `maxGroup` counterparties, with at least `minJobs` jobs in the window.
   */
  "reputation-ring": { severity: "high", windowSeconds: 30 * DAY, minJobs: 4, shareBps: 8_000, maxGroup: 4 },
  /** A job whose client and provider are one owner, or one funded the other (one-sided: no counterparty). */
  "one-sided-job": { severity: "high", fundingWindowSeconds: 7 * DAY },
  /** An account whose holdings reach `nearCapBps` of the wealth cap. */
  "wealth-near-cap": { severity: "medium", nearCapBps: 9_000 },
  /** `minStarved` or more agents starving within the window. */
  "starvation-wave": { severity: "medium", windowSeconds: DAY, minStarved: 3 },
  /** A slash (`highSlashBps` or more: `highSeverity`), or a commission raised by `jumpBps` or more. */
  "validator-risk": { severity: "medium", highSlashBps: 5_000, highSeverity: "high", jumpBps: 2_000 },
  /** Treasury CIV outflows reaching `nearLimitBps` of the outflow limit within the Treasury's window. */
  "treasury-outflow": { severity: "high", nearLimitBps: 8_000 },
} as const satisfies Record<string, { readonly [key: string]: number | bigint | Severity }>;

/** The auditor's configuration. */
export type AuditConfig = typeof AUDIT_CONFIG;
