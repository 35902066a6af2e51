/**
 * wash-trading: value that comes back to its sender. When B pays A and A pays B (or B pays C, C pays A and
 * A pays B) within the window, the last payment returning at least `returnBps` of the first, nothing
 * changed hands but the volume (and the counterparties' apparent activity). Only direct CIV transfers
 * between ordinary accounts of at least `minAmount` count (escrow payouts and Treasury flows do not).
 */
import type { Rule } from "../engine.ts";
import { civ, isOrdinary, type Item, within } from "./common.ts";

/** Cap on the inbound transfers remembered per account (the oldest drop first). */
const MAX_REMEMBERED = 64;

export const washTrading: Rule = {
  name: "wash-trading",
  description: "CIV sent by an account coming back to it within a short window (2 or 3 hops).",
  events: ["CivitasToken:Transfer"],
  async evaluate({ db, event, config, now, load, save }) {
    const { windowSeconds, minAmount, returnBps, severity } = config["wash-trading"];
    const from = String(event.args.from).toLowerCase();
    const to = String(event.args.to).toLowerCase();
    const value = event.args.value as bigint;
    if (from === to || value < minAmount) return undefined;
    if (!(await isOrdinary(db, from)) || !(await isOrdinary(db, to))) return undefined;
    const inboundOf = async (who: string) =>
      within(await load<Item[]>(`wash-trading:in:${who}`, []), now, windowSeconds);
    const returns = (original: Item) => value * 10_000n >= BigInt(original.v ?? "0") * BigInt(returnBps);
    const intoSender = await inboundOf(from);
    let cycle: { accounts: string[]; txs: `0x${string}`[]; original: bigint } | undefined;
    // 2 hops: `to` paid `from`, who now pays it back.
    const direct = intoSender.find((item) => item.a === to && returns(item));
    if (direct !== undefined) cycle = { accounts: [to, from], txs: [direct.tx], original: BigInt(direct.v!) };
    // 3 hops: `to` paid C, C paid `from`, who now pays `to`.
    for (const hop of cycle === undefined ? intoSender : []) {
      if (hop.a === to) continue;
      const first = (await inboundOf(hop.a)).find(
        (item) => item.a === to && item.t <= hop.t && returns(item),
      );
      if (first !== undefined) {
        cycle = { accounts: [to, hop.a, from], txs: [first.tx, hop.tx], original: BigInt(first.v!) };
        break;
      }
    }
    const intoRecipient = await inboundOf(to);
    await save(
      `wash-trading:in:${to}`,
      [...intoRecipient, { a: from, t: now, tx: event.transaction.hash, v: value.toString() }].slice(
        -MAX_REMEMBERED,
      ),
    );
    if (cycle === undefined) return undefined;
    return {
      severity,
      summary: `${civ(cycle.original)} sent by ${to} came back to it (${civ(value)}) through ${cycle.accounts.length} accounts`,
      accounts: cycle.accounts,
      transactionHashes: cycle.txs,
    };
  },
};
