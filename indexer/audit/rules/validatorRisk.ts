/**
 * validator-risk: a validator slashed (at least `highSlashBps` of its pools: `highSeverity`), or scheduling
 * a commission rise of `jumpBps` or more (delegators have until it takes effect to leave).
 */
import type { Rule } from "../engine.ts";

export const validatorRisk: Rule = {
  name: "validator-risk",
  description: "A validator slashed, or raising its commission sharply.",
  events: ["Staking:Slashed", "Staking:CommissionScheduled"],
  async evaluate({ name, event, config }) {
    const { severity, highSlashBps, highSeverity, jumpBps } = config["validator-risk"];
    const validator = String(event.args.validator);
    if (name === "Staking:Slashed") {
      const slashBps = event.args.slashBps as bigint;
      return {
        severity: slashBps >= BigInt(highSlashBps) ? highSeverity : severity,
        summary: `validator ${validator.toLowerCase()} slashed ${slashBps} bps`,
        accounts: [validator],
        transactionHashes: [],
      };
    }
    const current = event.args.currentCommissionBps as bigint;
    const next = event.args.newCommissionBps as bigint;
    if (next - current < BigInt(jumpBps)) return undefined;
    return {
      severity,
      summary: `validator ${validator.toLowerCase()} raises its commission from ${current} to ${next} bps`,
      accounts: [validator],
      transactionHashes: [],
    };
  },
};
