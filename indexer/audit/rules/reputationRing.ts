/**
 * reputation-ring: a closed group trading jobs among themselves to pump their reputation. Raised on a
 * completed job when its provider has at least `minJobs` completed jobs in the window, at least `shareBps`
 * of them from clients it has itself worked for in return (the group), and the group has at most
 * `maxGroup` members: few distinct counterparties, all reciprocal. "In return" is direct (the provider hired
 * the client) or through one other (the provider hired X, who hired the client: a one-way cycle of three).
 * Honest providers are hired by clients they do not hire back.
 */
import { escrow } from "ponder:schema";
import { EscrowState } from "../../../scripts/lib/vocabulary.ts";
import type { Rule } from "../engine.ts";
import { covered, type Item, within } from "./common.ts";

interface Jobs {
  /** Completed jobs as provider: `a` is the client. */
  items: Item[];
  flaggedAt?: number;
}

export const reputationRing: Rule = {
  name: "reputation-ring",
  description: "A provider whose completed jobs come mostly from a small group it also works for.",
  events: ["Escrow:EscrowSettled"],
  async evaluate({ db, event, config, now, load, save }) {
    const { windowSeconds, minJobs, shareBps, maxGroup, severity } = config["reputation-ring"];
    if (EscrowState.keyOf(Number(event.args.outcome)) !== "completed") return undefined;
    const job = await db.find(escrow, { id: event.args.escrowId as bigint });
    if (job === null) return undefined;
    const client = job.client.toLowerCase();
    const provider = job.provider.toLowerCase();
    const key = `reputation-ring:${provider}`;
    const jobs = await load<Jobs>(key, { items: [] });
    jobs.items = [
      ...within(jobs.items, now, windowSeconds),
      { a: client, t: now, tx: event.transaction.hash },
    ];
    const clients = [...new Set(jobs.items.map((i) => i.a))];
    const hirersOf = async (who: string) =>
      new Set(
        within((await load<Jobs>(`reputation-ring:${who}`, { items: [] })).items, now, windowSeconds).map(
          (i) => i.a,
        ),
      );
    // A client is in the group when the provider hired it back (A ⇄ B), or hired someone who hired it
    // (a one-way cycle A → B → C → A: no pair reciprocates, yet the money and ratings go round).
    const group: string[] = [];
    const members = new Set<string>();
    for (const c of clients) {
      const hirers = await hirersOf(c);
      if (hirers.has(provider)) {
        group.push(c);
        members.add(c);
        continue;
      }
      for (const x of hirers) {
        if (x !== provider && (await hirersOf(x)).has(provider)) {
          group.push(c);
          members.add(c).add(x);
          break;
        }
      }
    }
    const inGroup = jobs.items.filter((i) => group.includes(i.a));
    const raise =
      jobs.items.length >= minJobs &&
      clients.length <= maxGroup &&
      inGroup.length * 10_000 >= jobs.items.length * shareBps &&
      !covered(jobs.flaggedAt, now, windowSeconds);
    if (raise) jobs.flaggedAt = now;
    await save(key, jobs);
    if (!raise) return undefined;
    return {
      severity,
      summary: `${provider} completed ${inGroup.length} of its ${jobs.items.length} jobs for ${group.length} clients it works for in return, directly or through one other`,
      accounts: [provider, ...members],
      transactionHashes: inGroup.map((i) => i.tx),
    };
  },
};
