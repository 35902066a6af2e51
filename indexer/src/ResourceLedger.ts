/**
 * ResourceLedger (resource markets, issue 14): resource types and their policies, meters, credits (the
 * ERC-1155 balances, from TransferSingle/TransferBatch), and every usage record, recorded or denied with its
 * reason. Each event carries what its rows need: nothing is read from the chain.
 */
import { creditBalance, resource, resourceMeter, resourceUsage } from "ponder:schema";
import { on } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, lc, recordParameter, upsert } from "../lib/store.ts";
import { DenialReason } from "../../scripts/lib/vocabulary.ts";

type ResourceRow = typeof resource.$inferSelect;
type CreditRow = typeof creditBalance.$inferSelect;
const ZERO = "0x0000000000000000000000000000000000000000";

/** IResourceLedger.Policy as its event carries it. */
interface Policy {
  unit: string;
  allowancePerDay: bigint;
  allowanceMax: bigint;
  quota: bigint;
  quotaWindow: number;
  decimals: number;
  transferable: boolean;
}

/** The policy's columns of a resource row. */
const policyColumns = (p: Policy) => ({
  unit: p.unit,
  decimals: Number(p.decimals),
  transferable: p.transferable,
  allowancePerDay: p.allowancePerDay,
  allowanceMax: p.allowanceMax,
  quota: p.quota,
  quotaWindow: BigInt(p.quotaWindow),
});

/** A policy as text for `parameter_change` (bigints as decimal strings). */
const policyText = (p: Policy) =>
  JSON.stringify(policyColumns(p), (_k, v) => (typeof v === "bigint" ? v.toString() : v));

/** Applies `change` to a resource row (which its ResourceRegistered event created). */
export async function updateResource(
  db: Db,
  event: EventInfo,
  resourceId: bigint,
  change: (row: ResourceRow) => Partial<ResourceRow>,
): Promise<void> {
  const row = await db.find(resource, { id: resourceId });
  if (row === null) throw new Error(`resource ${resourceId} is not indexed (no ResourceRegistered)`);
  await db.update(resource, { id: resourceId }).set({ ...change(row), updatedAt: event.block.timestamp });
}

/** Applies `change` to an account's credit row of a resource, creating it when new. */
async function updateCredit(
  db: Db,
  event: EventInfo,
  resourceId: bigint,
  account: string,
  change: (row: CreditRow) => Partial<CreditRow>,
): Promise<void> {
  const fresh: CreditRow = {
    resourceId,
    account: lc(account),
    balance: 0n,
    minted: 0n,
    used: 0n,
    usedFromAllowance: 0n,
    denials: 0,
    updatedAt: event.block.timestamp,
  };
  await upsert(db, creditBalance, fresh, (row) => {
    const {
      resourceId: _r,
      account: _a,
      ...rest
    } = {
      ...change(row),
      updatedAt: event.block.timestamp,
    } as CreditRow;
    return rest;
  });
}

/** Moves credits between holders (mints from and burns to the zero address have one side). */
async function moveCredits(
  db: Db,
  event: EventInfo,
  from: string,
  to: string,
  resourceId: bigint,
  value: bigint,
): Promise<void> {
  if (lc(from) !== ZERO)
    await updateCredit(db, event, resourceId, from, (r) => ({ balance: r.balance - value }));
  if (lc(to) !== ZERO) await updateCredit(db, event, resourceId, to, (r) => ({ balance: r.balance + value }));
}

if (isDeployed("resourceLedger")) {
  on("ResourceLedger:ResourceRegistered", async ({ event, context }) => {
    const t = event.block.timestamp;
    await context.db.insert(resource).values({
      id: event.args.resourceId,
      ...policyColumns(event.args.policy),
      retired: false,
      listed: false,
      tickSize: null,
      reservePrice: null,
      totalMinted: 0n,
      totalBurned: 0n,
      totalUsed: 0n,
      usedFromAllowance: 0n,
      usageCount: 0,
      denials: 0,
      deniedAmount: 0n,
      epochsCleared: 0,
      totalSold: 0n,
      totalRevenue: 0n,
      lastPrice: null,
      lastEpoch: null,
      lastUtilisationBps: null,
      createdAt: t,
      updatedAt: t,
    });
  });

  on("ResourceLedger:PolicyUpdated", async ({ event, context }) => {
    const { resourceId, oldPolicy, newPolicy } = event.args;
    await updateResource(context.db, event, resourceId, () => policyColumns(newPolicy));
    await recordParameter(
      context.db,
      event,
      "ResourceLedger",
      `policy:${resourceId}`,
      policyText(oldPolicy),
      policyText(newPolicy),
    );
  });

  on("ResourceLedger:ResourceRetired", async ({ event, context }) => {
    await updateResource(context.db, event, event.args.resourceId, () => ({ retired: true }));
  });

  on("ResourceLedger:MeterSet", async ({ event, context }) => {
    const { resourceId, meter, authorised } = event.args;
    await context.db
      .insert(resourceMeter)
      .values({ resourceId, meter: lc(meter), authorised, updatedAt: event.block.timestamp })
      .onConflictDoUpdate({ authorised, updatedAt: event.block.timestamp });
  });

  on("ResourceLedger:TransferSingle", async ({ event, context }) => {
    const { from, to, id, value } = event.args;
    await moveCredits(context.db, event, from, to, id, value);
  });

  on("ResourceLedger:TransferBatch", async ({ event, context }) => {
    const { from, to, ids, values } = event.args;
    for (let i = 0; i < ids.length; i++) await moveCredits(context.db, event, from, to, ids[i]!, values[i]!);
  });

  on("ResourceLedger:CreditsMinted", async ({ event, context }) => {
    const { resourceId, account, amount } = event.args;
    await updateResource(context.db, event, resourceId, (r) => ({ totalMinted: r.totalMinted + amount }));
    await updateCredit(context.db, event, resourceId, account, (r) => ({ minted: r.minted + amount }));
  });

  on("ResourceLedger:UsageRecorded", async ({ event, context }) => {
    const { resourceId, account, meter, amount, fromAllowance, fromCredits, ref } = event.args;
    await context.db.insert(resourceUsage).values({
      id: event.id,
      resourceId,
      account: lc(account),
      meter: lc(meter),
      amount,
      fromAllowance,
      fromCredits,
      denied: false,
      reason: null,
      ref,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await updateResource(context.db, event, resourceId, (r) => ({
      totalUsed: r.totalUsed + amount,
      usedFromAllowance: r.usedFromAllowance + fromAllowance,
      totalBurned: r.totalBurned + fromCredits,
      usageCount: r.usageCount + 1,
    }));
    await updateCredit(context.db, event, resourceId, account, (r) => ({
      used: r.used + amount,
      usedFromAllowance: r.usedFromAllowance + fromAllowance,
    }));
  });

  on("ResourceLedger:UsageDenied", async ({ event, context }) => {
    const { resourceId, account, meter, amount, reason, ref } = event.args;
    await context.db.insert(resourceUsage).values({
      id: event.id,
      resourceId,
      account: lc(account),
      meter: lc(meter),
      amount,
      fromAllowance: 0n,
      fromCredits: 0n,
      denied: true,
      reason: DenialReason.keyOf(reason),
      ref,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await updateResource(context.db, event, resourceId, (r) => ({
      denials: r.denials + 1,
      deniedAmount: r.deniedAmount + amount,
    }));
    await updateCredit(context.db, event, resourceId, account, (r) => ({ denials: r.denials + 1 }));
  });
}
