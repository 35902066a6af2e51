/**
 * proposal-spam: one proposer creating `maxProposals` or more proposals within the window. The Governor
 * already allows one live proposal per proposer (issue 20, attack 2); a burst of proposals in a row still
 * floods voters' attention and the token's snapshot queue.
 */
import type { Rule } from "../engine.ts";
import { covered, type Item, within } from "./common.ts";

export const proposalSpam: Rule = {
  name: "proposal-spam",
  description: "One proposer creating many proposals in a short window.",
  events: ["CivitasGovernor:ProposalCreated"],
  async evaluate({ event, config, now, load, save }) {
    const { windowSeconds, maxProposals, severity } = config["proposal-spam"];
    const proposer = String(event.args.proposer).toLowerCase();
    const key = `proposal-spam:${proposer}`;
    const group = await load<{ items: Item[]; flaggedAt?: number }>(key, { items: [] });
    group.items = [
      ...within(group.items, now, windowSeconds),
      { a: proposer, t: now, tx: event.transaction.hash },
    ];
    const raise = group.items.length >= maxProposals && !covered(group.flaggedAt, now, windowSeconds);
    if (raise) group.flaggedAt = now;
    await save(key, group);
    if (!raise) return undefined;
    return {
      severity,
      summary: `${proposer} created ${group.items.length} proposals within ${windowSeconds} s`,
      accounts: [proposer],
      transactionHashes: group.items.map((i) => i.tx),
    };
  },
};
