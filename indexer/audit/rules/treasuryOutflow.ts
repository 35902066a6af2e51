/**
 * treasury-outflow: CIV leaving the Treasury (governance transfers and budget draws) reaching `nearLimitBps`
 * of the Treasury's outflow limit within its rolling window (`Treasury.MAX_OUTFLOW_BPS` of the balance plus
 * what was paid in the window, over `Treasury.OUTFLOW_WINDOW`). A captured governance drains at this pace.
 */
import { account } from "ponder:schema";
import { CONSTANTS } from "../../../scripts/lib/vocabulary.ts";
import type { Rule } from "../engine.ts";
import { civ, covered, type Item, tokenRow, within } from "./common.ts";

const WINDOW = Number(CONSTANTS.Treasury.OUTFLOW_WINDOW);

export const treasuryOutflow: Rule = {
  name: "treasury-outflow",
  description: "Treasury outflows near the outflow limit of its rolling window.",
  events: ["Treasury:FundsTransferred", "Treasury:BudgetDrawn"],
  async evaluate({ db, event, config, now, load, save }) {
    const { nearLimitBps, severity } = config["treasury-outflow"];
    const state = await tokenRow(db);
    if (state === undefined || String(event.args.token).toLowerCase() !== state.address) return undefined;
    const to = String(event.args.to).toLowerCase();
    const key = "treasury-outflow";
    const flows = await load<{ items: Item[]; flaggedAt?: number }>(key, { items: [] });
    flows.items = [
      ...within(flows.items, now, WINDOW),
      { a: to, t: now, tx: event.transaction.hash, v: (event.args.amount as bigint).toString() },
    ];
    const paid = flows.items.reduce((sum, i) => sum + BigInt(i.v!), 0n);
    const balance = (await db.find(account, { address: state.treasury }))?.balance ?? 0n;
    const limit = ((balance + paid) * CONSTANTS.Treasury.MAX_OUTFLOW_BPS) / CONSTANTS.Treasury.BPS;
    const raise = paid * 10_000n >= limit * BigInt(nearLimitBps) && !covered(flows.flaggedAt, now, WINDOW);
    if (raise) flows.flaggedAt = now;
    await save(key, flows);
    if (!raise) return undefined;
    const largest = [...flows.items].sort((x, y) => (BigInt(y.v!) > BigInt(x.v!) ? 1 : -1)).slice(0, 5);
    return {
      severity,
      summary: `${civ(paid)} left the Treasury within its window, ${(paid * 10_000n) / (limit === 0n ? 1n : limit)} bps of the outflow limit (${civ(limit)})`,
      accounts: [...new Set(largest.map((i) => i.a))],
      transactionHashes: largest.map((i) => i.tx),
    };
  },
};
