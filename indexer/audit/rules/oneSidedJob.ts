/**
 * one-sided-job: a job with no real counterparty — the client's and the provider's agents have one owner,
 * or one party's wallet received its first CIV from the other within `fundingWindowSeconds` (the funding
 * the sybil-burst rule remembers). Such jobs launder unearned CIV into earned CIV and farm reputation.
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
    const client = String(event.args.client).toLowerCase();
    const provider = String(event.args.provider).toLowerCase();
    const clientAgent = await db.find(agent, { id: event.args.clientId as bigint });
    const providerAgent = await db.find(agent, { id: event.args.providerId as bigint });
    const reasons: string[] = [];
    const txs: `0x${string}`[] = [];
    if (
      clientAgent !== null &&
      providerAgent !== null &&
      clientAgent.owner.toLowerCase() === providerAgent.owner.toLowerCase()
    )
      reasons.push(`both agents are owned by ${clientAgent.owner.toLowerCase()}`);
    for (const [payee, payer] of [
      [provider, client],
      [client, provider],
    ] as const) {
      const funder = await load<Item | null>(`sybil-burst:funder:${payee}`, null);
      if (funder !== null && funder.a === payer && now - funder.t < fundingWindowSeconds) {
        reasons.push(`${payee} was funded by ${payer}`);
        txs.push(funder.tx);
      }
    }
    if (reasons.length === 0) return undefined;
    return {
      severity,
      summary: `job ${String(event.args.escrowId)}: ${reasons.join("; ")}`,
      accounts: [client, provider],
      transactionHashes: txs,
    };
  },
};
