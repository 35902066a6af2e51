/**
 * sybil-burst: many accounts acting for one address in a short window — `minAccounts` distinct accounts
 * delegating their votes to one delegate, or registering as agents after being funded (first CIV received
 * from an ordinary account) by one funder. One person with many wallets does exactly this; honest agents
 * delegate to themselves and receive their first CIV from the Treasury's birth grant.
 */
import { account } from "ponder:schema";
import type { Rule } from "../engine.ts";
import { covered, isOrdinary, type Item, within } from "./common.ts";

interface Group {
  items: Item[];
  flaggedAt?: number;
}

export const sybilBurst: Rule = {
  name: "sybil-burst",
  description: "Many accounts delegating to, or registering after being funded by, one address.",
  events: ["CivitasToken:DelegateChanged", "CivitasToken:Transfer", "AgentRegistry:AgentRegistered"],
  async evaluate({ db, name, event, config, now, load, save }) {
    const { windowSeconds, minAccounts, severity } = config["sybil-burst"];
    const tx = event.transaction.hash;
    if (name === "CivitasToken:Transfer") {
      // Remember each ordinary account's first funder (another ordinary account), for registrations. A
      // payment to a wallet that is already an agent's is trade, not funding: it is not remembered (else
      // an honest client's first payment to a worker would read as funding a sybil, see one-sided-job).
      const from = String(event.args.from).toLowerCase();
      const to = String(event.args.to).toLowerCase();
      if (from === to || !(await isOrdinary(db, from)) || !(await isOrdinary(db, to))) return undefined;
      const payee = await db.find(account, { address: to as `0x${string}` });
      if (payee?.agentId !== null && payee?.agentId !== undefined) return undefined;
      const key = `sybil-burst:funder:${to}`;
      if ((await load<Item | null>(key, null)) === null) await save(key, { a: from, t: now, tx });
      return undefined;
    }
    let subject: string;
    let member: string;
    let what: string;
    if (name === "CivitasToken:DelegateChanged") {
      member = String(event.args.delegator).toLowerCase();
      subject = String(event.args.toDelegate).toLowerCase();
      if (subject === member || /^0x0{40}$/.test(subject)) return undefined;
      what = "delegated to";
    } else {
      member = String(event.args.wallet).toLowerCase();
      const funder = await load<Item | null>(`sybil-burst:funder:${member}`, null);
      if (funder === null || now - funder.t >= windowSeconds) return undefined;
      subject = funder.a;
      what = "registered after being funded by";
    }
    const key = `sybil-burst:${what === "delegated to" ? "delegate" : "funded"}:${subject}`;
    const group = await load<Group>(key, { items: [] });
    group.items = [
      ...within(group.items, now, windowSeconds).filter((i) => i.a !== member),
      { a: member, t: now, tx },
    ];
    const raise = group.items.length >= minAccounts && !covered(group.flaggedAt, now, windowSeconds);
    if (raise) group.flaggedAt = now;
    await save(key, group);
    if (!raise) return undefined;
    return {
      severity,
      summary: `${group.items.length} accounts ${what} ${subject} within ${windowSeconds} s`,
      accounts: [subject, ...group.items.map((i) => i.a)],
      transactionHashes: group.items.map((i) => i.tx),
    };
  },
};
