/**
 * Helpers shared by the rules: windows of recent items, "once per window" re-arming, and which accounts are
 * ordinary (neither the zero address, nor the Treasury, nor a protocol contract).
 */
import { account } from "ponder:schema";
import { type Db, peekTokenState } from "../../lib/store.ts";

/** A recent event in a rule's window: who, when (seconds), which transaction, optional amount (wei). */
export interface Item {
  a: string;
  t: number;
  tx: `0x${string}`;
  v?: string;
}

/** Items no older than `windowSeconds` before `now`. */
export function within<T extends { t: number }>(
  items: readonly T[],
  now: number,
  windowSeconds: number,
): T[] {
  return items.filter((item) => now - item.t < windowSeconds);
}

/** Whether a flag raised at `flaggedAt` still covers `now` (raise at most once per window). */
export function covered(flaggedAt: number | undefined, now: number, windowSeconds: number): boolean {
  return flaggedAt !== undefined && now - flaggedAt < windowSeconds;
}

/** The token's state row (Treasury address, supply, cap), if indexed. */
export async function tokenRow(db: Db) {
  return peekTokenState(db);
}

/** Whether `address` is an ordinary account: not zero, not the Treasury, not a protocol contract. */
export async function isOrdinary(db: Db, address: string): Promise<boolean> {
  const a = address.toLowerCase();
  if (/^0x0{40}$/.test(a)) return false;
  const state = await tokenRow(db);
  if (state !== undefined && (state.treasury === a || state.address === a)) return false;
  const row = await db.find(account, { address: a as `0x${string}` });
  return row === null || !row.isProtocol;
}

/** `n` CIV with two decimals, for summaries. */
export function civ(wei: bigint): string {
  return `${(Number(wei / 10n ** 16n) / 100).toLocaleString("en-US")} CIV`;
}
