/**
 * starvation-wave: `minStarved` or more agents starving within the window. One starvation is an agent
 * that could not pay its upkeep; a wave points at a shock (a price, a griefer draining counterparties, a
 * market cornered) that the economy's operators should look at.
 */
import type { Rule } from "../engine.ts";
import { covered, type Item, within } from "./common.ts";

export const starvationWave: Rule = {
  name: "starvation-wave",
  description: "Many agents starving within a short window.",
  events: ["AgentRegistry:UpkeepCollected"],
  async evaluate({ event, config, now, load, save }) {
    const { windowSeconds, minStarved, severity } = config["starvation-wave"];
    if (event.args.starved !== true) return undefined;
    const key = "starvation-wave";
    const wave = await load<{ items: Item[]; flaggedAt?: number }>(key, { items: [] });
    const wallet = String(event.args.wallet).toLowerCase();
    wave.items = [
      ...within(wave.items, now, windowSeconds),
      { a: wallet, t: now, tx: event.transaction.hash },
    ];
    const raise = wave.items.length >= minStarved && !covered(wave.flaggedAt, now, windowSeconds);
    if (raise) wave.flaggedAt = now;
    await save(key, wave);
    if (!raise) return undefined;
    return {
      severity,
      summary: `${wave.items.length} agents starved within ${windowSeconds} s`,
      accounts: wave.items.map((i) => i.a),
      transactionHashes: wave.items.map((i) => i.tx),
    };
  },
};
