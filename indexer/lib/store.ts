/**
 * Shared read-modify-write helpers for the handler files: accounts, the token's running totals, and the
 * per-day economy rows. Everything goes through `context.db` (Ponder's cached store); the one raw SQL
 * query (holdings of every account, for the Gini and the largest holder) runs once per closed day.
 */
import type { Context } from "ponder:registry";
import { account, economyDay, parameterChange, tokenState } from "ponder:schema";
import { eq, isNotNull, or } from "ponder";
import { hexToString } from "viem";
import { wealthCapOf } from "../../scripts/lib/vocabulary.ts";
import { addressOf } from "./deployment.ts";
import { ZERO_ADDRESS } from "./classify.ts";
import { giniPpm, largestHolder, PPM } from "./gini.ts";

export type Db = Context["db"];
export type AccountRow = typeof account.$inferSelect;
export type TokenStateRow = typeof tokenState.$inferSelect;

/** Seconds in a day of block time. */
export const DAY = 86_400n;

/** What every handler knows about its event. */
export interface EventInfo {
  id: string;
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}` };
  log: { logIndex: number };
}

/** Lower-cases an address (Ponder hands out checksummed addresses). */
export const lc = (address: string) => address.toLowerCase() as `0x${string}`;

/** The ASCII text of a left-aligned bytes32 reason code ("" when it is not text). */
export function reasonText(reason: `0x${string}`): string {
  try {
    return hexToString(reason, { size: 32 }).replace(/\0+$/, "");
  } catch {
    return "";
  }
}

/** An account row with everything at zero. */
function emptyAccount(address: `0x${string}`, timestamp: bigint, block: bigint): AccountRow {
  return {
    address,
    balance: 0n,
    staked: 0n,
    unbonding: 0n,
    totalEarned: 0n,
    totalSpent: 0n,
    taxPaid: 0n,
    burned: 0n,
    votes: 0n,
    delegate: null,
    agentId: null,
    isProtocol: false,
    firstSeenAt: timestamp,
    lastActivityAt: timestamp,
    lastActivityBlock: block,
  };
}

/** Reads an account (undefined when never seen). */
export async function findAccount(db: Db, address: string): Promise<AccountRow | undefined> {
  return (await db.find(account, { address: lc(address) })) ?? undefined;
}

/**
 * Applies `change` to an account, creating it when new, and stamps its last activity.
 * The zero address (mint and burn counterpart) has no row: returns undefined for it.
 */
export async function updateAccount(
  db: Db,
  address: string,
  event: EventInfo,
  change: (row: AccountRow) => Partial<AccountRow>,
): Promise<AccountRow | undefined> {
  const key = lc(address);
  if (key === ZERO_ADDRESS) return undefined;
  const stamp = { lastActivityAt: event.block.timestamp, lastActivityBlock: event.block.number };
  return upsert(db, account, emptyAccount(key, event.block.timestamp, event.block.number), (row) => {
    const { address: _key, ...rest } = { ...change(row), ...stamp } as AccountRow;
    return rest;
  });
}

/**
 * Writes a state row in one `insert().values().onConflictDoUpdate()`: `fresh` with `change` applied when
 * the row is new, `change` applied to the stored row otherwise (never find-then-write). `change` must be
 * pure (it may be called on `fresh` even when the row exists) and must not change the primary key.
 * @returns The row as written.
 */
export async function upsert<Row extends object>(
  db: Db,
  table: { $inferSelect: Row },
  fresh: Row,
  change: (row: Row) => Partial<Row>,
): Promise<Row> {
  const insert = db.insert(table as never) as unknown as {
    values(row: Row): { onConflictDoUpdate(set: (row: Row) => Partial<Row>): Promise<Row> };
  };
  return insert.values({ ...fresh, ...change(fresh) }).onConflictDoUpdate(change);
}

/**
 * The token state as the current event left it so far: read from the store once per event, then kept in
 * step by the writers below (every write of `token_state` goes through this file). A backfill reads it
 * 3–4 times per event (the day roll, the handler, `updateTokenState`, the auditor's rules), and each read
 * through Ponder's store costs a locked lookup and a copy-on-write proxy; this keeps one plain row instead.
 * {@link beginEvent} (called by `on`, handler.ts, before anything else) forgets it, so that an event that
 * Ponder runs again (a retried batch, a reorg) starts from the store.
 */
let current: TokenStateRow | undefined;

/** Forgets the per-event token state; `on` (handler.ts) calls it before each event. */
export function beginEvent(): void {
  current = undefined;
}

/** The token's state row as it stands (undefined before the token's first event); no write. */
export async function peekTokenState(db: Db): Promise<TokenStateRow | undefined> {
  if (current !== undefined) return current;
  const row = await db.find(tokenState, { id: "civ" });
  if (row !== null) current = { ...row };
  return current;
}

/** The token's state row, created at its first event. Read-only: write it through `updateTokenState`. */
export async function getTokenState(db: Db, event: EventInfo): Promise<TokenStateRow> {
  const existing = await peekTokenState(db);
  if (existing !== undefined) return existing;
  const row: TokenStateRow = {
    id: "civ",
    address: addressOf("token"),
    treasury: addressOf("treasury"),
    taxBps: 0n,
    capBps: 0n,
    stakeLedger: null,
    totalSupply: 0n,
    totalTax: 0n,
    totalCapExcess: 0n,
    totalMinted: 0n,
    totalBurned: 0n,
    totalUpkeepBurned: 0n,
    activeAgents: 0,
    suspendedAgents: 0,
    starvedAgents: 0,
    currentDay: -1n,
    updatedAt: event.block.timestamp,
  };
  await db.insert(tokenState).values(row);
  current = row;
  return row;
}

/**
 * Applies `change` to the token state, then refreshes the current economy day from it.
 * Handlers registered through `on` (handler.ts) have rolled the day already.
 */
export async function updateTokenState(
  db: Db,
  event: EventInfo,
  change: (row: TokenStateRow) => Partial<TokenStateRow>,
  dayChange: { transfers?: number } = {},
): Promise<TokenStateRow> {
  const state = await getTokenState(db, event);
  const next = { ...state, ...change(state), updatedAt: event.block.timestamp };
  const { id: _id, ...rest } = next;
  await db.update(tokenState, { id: "civ" }).set(rest);
  current = next;
  await refreshDay(db, next, dayChange.transfers ?? 0);
  return next;
}

/** Liquid balance of the Treasury (0 before its first transfer). */
async function treasuryBalance(db: Db, treasury: `0x${string}`): Promise<bigint> {
  return (await db.find(account, { address: treasury }))?.balance ?? 0n;
}

/** Writes the running figures of the current day from the token state. */
async function refreshDay(db: Db, state: TokenStateRow, transfers: number): Promise<void> {
  if (state.currentDay < 0n) return;
  const treasury = await treasuryBalance(db, state.treasury);
  await db.update(economyDay, { day: state.currentDay }).set((day) => ({
    totalSupply: state.totalSupply,
    treasuryBalance: treasury,
    circulating: state.totalSupply - treasury,
    taxCollected: state.totalTax - day.startTotalTax,
    capExcessCollected: state.totalCapExcess - day.startTotalCapExcess,
    minted: state.totalMinted - day.startTotalMinted,
    burned: state.totalBurned - day.startTotalBurned,
    upkeepBurned: state.totalUpkeepBurned - day.startTotalUpkeepBurned,
    transfers: day.transfers + transfers,
    activeAgents: state.activeAgents,
    suspendedAgents: state.suspendedAgents,
    starvedAgents: state.starvedAgents,
    capBps: state.capBps,
    cap: wealthCapOf(state.totalSupply, state.capBps),
  }));
}

/** Distribution figures of the economy at one moment. */
export interface Distribution {
  gini: number;
  giniPpm: bigint;
  largestHolder: `0x${string}` | null;
  largestHolding: bigint;
  largestHolderShareBps: bigint;
}

/**
 * Gini of agents' holdings and the largest ordinary holder, from account rows.
 * @param rows Accounts that are agents or ordinary (non-protocol) holders.
 */
export function distributionOf(
  rows: readonly Pick<
    AccountRow,
    "address" | "balance" | "staked" | "unbonding" | "agentId" | "isProtocol"
  >[],
  totalSupply: bigint,
): Distribution {
  const holding = (r: (typeof rows)[number]) => r.balance + r.staked + r.unbonding;
  const ppm = giniPpm(rows.filter((r) => r.agentId !== null).map(holding));
  const largest = largestHolder(
    rows.filter((r) => !r.isProtocol).map((r) => [r.address, holding(r)] as [string, bigint]),
    totalSupply,
  );
  return {
    gini: Number(ppm) / Number(PPM),
    giniPpm: ppm,
    largestHolder: (largest.holder ?? null) as `0x${string}` | null,
    largestHolding: largest.holding,
    largestHolderShareBps: largest.shareBps,
  };
}

/** Reads every agent or ordinary account (one SQL query) and computes the distribution. */
async function currentDistribution(db: Db, totalSupply: bigint): Promise<Distribution> {
  const rows = await db.sql
    .select({
      address: account.address,
      balance: account.balance,
      staked: account.staked,
      unbonding: account.unbonding,
      agentId: account.agentId,
      isProtocol: account.isProtocol,
    })
    .from(account)
    .where(or(isNotNull(account.agentId), eq(account.isProtocol, false)));
  return distributionOf(rows, totalSupply);
}

/**
 * Opens the economy row of the event's day when it is a new day: closes the previous day with the
 * distribution as it stood at the end of it, and starts the new one from the same figures. `on`
 * (handler.ts) calls it before every handler, before the event changes anything.
 */
export async function rollDay(db: Db, event: EventInfo): Promise<void> {
  const state = await getTokenState(db, event);
  const today = event.block.timestamp / DAY;
  if (state.currentDay === today) return;
  const distribution =
    state.currentDay < 0n
      ? distributionOf([], state.totalSupply)
      : await currentDistribution(db, state.totalSupply);
  if (state.currentDay >= 0n) {
    await db.update(economyDay, { day: state.currentDay }).set({ closed: true, ...distribution });
  }
  const treasury = await treasuryBalance(db, state.treasury);
  await db.insert(economyDay).values({
    day: today,
    date: today * DAY,
    closed: false,
    totalSupply: state.totalSupply,
    circulating: state.totalSupply - treasury,
    treasuryBalance: treasury,
    taxCollected: 0n,
    capExcessCollected: 0n,
    minted: 0n,
    burned: 0n,
    upkeepBurned: 0n,
    transfers: 0,
    activeAgents: state.activeAgents,
    suspendedAgents: state.suspendedAgents,
    starvedAgents: state.starvedAgents,
    ...distribution,
    capBps: state.capBps,
    cap: wealthCapOf(state.totalSupply, state.capBps),
    startTotalTax: state.totalTax,
    startTotalCapExcess: state.totalCapExcess,
    startTotalMinted: state.totalMinted,
    startTotalBurned: state.totalBurned,
    startTotalUpkeepBurned: state.totalUpkeepBurned,
  });
  await db.update(tokenState, { id: "civ" }).set({ currentDay: today });
  current = { ...state, currentDay: today };
}

/** Records a parameter change (append-only). */
export async function recordParameter(
  db: Db,
  event: EventInfo,
  contract: string,
  name: string,
  oldValue: unknown,
  newValue: unknown,
): Promise<void> {
  await db.insert(parameterChange).values({
    id: event.id,
    contract,
    name,
    oldValue: oldValue === undefined ? null : String(oldValue),
    newValue: String(newValue),
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    timestamp: event.block.timestamp,
  });
}
