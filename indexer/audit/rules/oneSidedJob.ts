/**
 * one-sided-job: a job with no real counterparty — two of its parties (client, provider, arbitrator) have
 * agents of one owner, or one party's wallet received its first CIV from another party within
 * `fundingWindowSeconds` (the funding the sybil-burst rule remembers). An arbitrator of the client's or the
 * provider's own makes the job's dispute path one-sided too. Such jobs launder unearned CIV into earned CIV and farm reputation.
 * (Jobs forced on an unwilling provider are refused by the escrow itself: a provider must agree.)
 */
import { agent } from "ponder:schema";
import type { Rule } from "../engine.ts";
import type { Item } from "./common.ts";

export const oneSidedJob: Rule = {
  name: "one-sided-job",
  description: "A job whose client and provider are one owner, or one funded the other.",
  events: ["Escrow:EscrowCreated"],
  async evaluate({ db, event, config, now, load }) {
    const { severity, fundingWindowSeconds } = config["one-sided-job"];
    const terms = event.args.terms as { arbitrator: string };
    const parties = [
      { role: "client", address: String(event.args.client).toLowerCase(), id: event.args.clientId as bigint },
      {
        role: "provider",
        address: String(event.args.provider).toLowerCase(),
        id: event.args.providerId as bigint,
      },
      { role: "arbitrator", address: terms.arbitrator.toLowerCase(), id: event.args.arbitratorId as bigint },
    ];
    const owners = await Promise.all(
      parties.map(async (p) => (await db.find(agent, { id: p.id }))?.owner.toLowerCase()),
    );
    const reasons: string[] = [];
    const involved = new Set<string>();
    const txs: `0x${string}`[] = [];
    for (const [i, payee] of parties.entries()) {
      for (const [j, payer] of parties.entries()) {
        if (i === j) continue;
        if (j > i && owners[i] !== undefined && owners[i] === owners[j]) {
          reasons.push(`the ${payee.role}'s and the ${payer.role}'s agents are owned by ${owners[i]}`);
          involved.add(payee.address).add(payer.address);
        }
        const funder = await load<Item | null>(`sybil-burst:funder:${payee.address}`, null);
        if (funder !== null && funder.a === payer.address && now - funder.t < fundingWindowSeconds) {
          reasons.push(`the ${payee.role} ${payee.address} was funded by the ${payer.role} ${payer.address}`);
          involved.add(payee.address).add(payer.address);
          txs.push(funder.tx);
        }
      }
    }
    if (reasons.length === 0) return undefined;
    return {
      severity,
      summary: `job ${String(event.args.escrowId)}: ${reasons.join("; ")}`,
      accounts: parties.map((p) => p.address).filter((a) => involved.has(a)),
      transactionHashes: txs,
    };
  },
};
