/**
 * Staking: validators and their share pools, delegations (with each holder's stake now, exact after
 * every pool change), unbonding requests, reward epochs and claims, slashes, and the accounts' `staked`
 * and `unbonding`. Every pool event carries the pool's new totals, so nothing is read from the chain.
 */
import {
  account,
  delegation,
  rewardClaim,
  rewardEpoch,
  slash,
  stakeEvent,
  stakingState,
  unbonding,
  validator,
} from "ponder:schema";
import { on, onParameter } from "../lib/handler.ts";
import { and, eq, or, gt } from "ponder";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, lc, reasonText, updateAccount, upsert } from "../lib/store.ts";

type StakingStateRow = typeof stakingState.$inferSelect;
type DelegationRow = typeof delegation.$inferSelect;

/** `shares * tokens / totalShares`, rounded down (the contract's Math.mulDiv). */
const valueOf = (shares: bigint, tokens: bigint, totalShares: bigint) =>
  shares === 0n || totalShares === 0n ? 0n : (shares * tokens) / totalShares;

/** Applies `change` to the staking state row (created at the first staking event). */
async function updateStakingState(
  db: Db,
  event: EventInfo,
  change: (row: StakingStateRow) => Partial<StakingStateRow>,
): Promise<void> {
  const fresh: StakingStateRow = {
    id: "staking",
    totalBonded: 0n,
    totalUnbonding: 0n,
    validators: 0,
    unbondingPeriod: null,
    minSelfStake: null,
    rewardRate: 0n,
    periodFinish: 0n,
    carriedRewards: 0n,
    epochs: 0,
    totalRewardsFunded: 0n,
    totalRewardsClaimed: 0n,
    totalSlashed: 0n,
    updatedAt: event.block.timestamp,
  };
  await upsert(db, stakingState, fresh, (row) => {
    const { id: _id, ...rest } = { ...change(row), updatedAt: event.block.timestamp } as StakingStateRow;
    return rest;
  });
}

/** A holder's delegation row with one validator (created empty when new). */
async function getDelegation(db: Db, event: EventInfo, holder: string, v: string): Promise<DelegationRow> {
  const key = { holder: lc(holder), validator: lc(v) };
  const existing = await db.find(delegation, key);
  if (existing !== null) return existing;
  const row: DelegationRow = {
    ...key,
    bondedShares: 0n,
    unbondingShares: 0n,
    staked: 0n,
    unbonding: 0n,
    totalDelegated: 0n,
    totalUndelegated: 0n,
    totalWithdrawn: 0n,
    createdAt: event.block.timestamp,
    updatedAt: event.block.timestamp,
  };
  await db.insert(delegation).values(row);
  return row;
}

/**
 * Writes a validator's pools and re-values every stake in them: each delegation with shares, its holder's
 * account (`staked`, `unbonding`), the validator's self-stake, and each pending unbonding request's amount.
 * A pool change moves the share price (slashes; rounding of minted and burned shares), so every holder of
 * the validator is re-valued; the actor's own row was already updated by the caller.
 */
async function setPools(
  db: Db,
  event: EventInfo,
  v: `0x${string}`,
  pools: { bondedTokens: bigint; bondedShares: bigint; unbondingTokens: bigint; unbondingShares: bigint },
): Promise<void> {
  const found = await db.find(validator, { address: v });
  if (found === null) throw new Error(`validator ${v} is not indexed`);
  const before = { ...found };
  const rows = await db.sql
    .select()
    .from(delegation)
    .where(
      and(
        eq(delegation.validator, v),
        or(gt(delegation.bondedShares, 0n), gt(delegation.unbondingShares, 0n)),
      ),
    );
  let selfStake = 0n;
  for (const row of rows) {
    const staked = valueOf(row.bondedShares, pools.bondedTokens, pools.bondedShares);
    const unbondingNow = valueOf(row.unbondingShares, pools.unbondingTokens, pools.unbondingShares);
    if (row.holder === v) selfStake = staked;
    if (staked === row.staked && unbondingNow === row.unbonding) continue;
    await db
      .update(delegation, { holder: row.holder, validator: v })
      .set({ staked, unbonding: unbondingNow, updatedAt: event.block.timestamp });
    await db.update(account, { address: row.holder }).set({ staked, unbonding: unbondingNow });
  }
  if (pools.unbondingTokens !== before.unbondingTokens || pools.unbondingShares !== before.unbondingShares) {
    const pending = await db.sql
      .select()
      .from(unbonding)
      .where(and(eq(unbonding.validator, v), eq(unbonding.status, "unbonding")));
    for (const request of pending) {
      const amount = valueOf(request.shares, pools.unbondingTokens, pools.unbondingShares);
      if (amount !== request.amount) await db.update(unbonding, { id: request.id }).set({ amount });
    }
  }
  await db.update(validator, { address: v }).set({ ...pools, selfStake, updatedAt: event.block.timestamp });
}

/** Applies a change of the actor's shares and keeps the validator's delegator count in step. */
async function changeShares(
  db: Db,
  event: EventInfo,
  holder: string,
  v: string,
  change: (row: DelegationRow) => Partial<DelegationRow>,
): Promise<DelegationRow> {
  // Values read before the update: Ponder's store cache may change the row object it handed out in place.
  const row = { ...(await getDelegation(db, event, holder, v)) };
  const next = { ...row, ...change(row), updatedAt: event.block.timestamp };
  if (next.bondedShares === 0n) next.staked = 0n;
  if (next.unbondingShares === 0n) next.unbonding = 0n;
  const joined = row.bondedShares === 0n && next.bondedShares > 0n ? 1 : 0;
  const left = row.bondedShares > 0n && next.bondedShares === 0n ? 1 : 0;
  const { holder: _h, validator: _v, ...rest } = next;
  await db.update(delegation, { holder: row.holder, validator: row.validator }).set(rest);
  if (joined !== left) {
    await db
      .update(validator, { address: row.validator })
      .set((x) => ({ delegators: x.delegators + joined - left }));
  }
  // Stamps the holder's activity; its staked/unbonding are set here when its shares ran out, else by setPools.
  await updateAccount(db, holder, event, () => ({ staked: next.staked, unbonding: next.unbonding }));
  return next;
}

async function logStake(
  db: Db,
  event: EventInfo,
  kind: string,
  args: { holder: string; validator: string; amount: bigint; shares: bigint; unbondingId?: bigint },
): Promise<void> {
  await db.insert(stakeEvent).values({
    id: event.id,
    kind,
    holder: lc(args.holder),
    validator: lc(args.validator),
    amount: args.amount,
    shares: args.shares,
    unbondingId: args.unbondingId ?? null,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    timestamp: event.block.timestamp,
  });
}

if (isDeployed("staking")) {
  on("Staking:ValidatorRegistered", async ({ event, context }) => {
    const db = context.db;
    await db.insert(validator).values({
      address: lc(event.args.validator),
      commissionBps: event.args.commissionBps,
      pendingCommissionBps: null,
      pendingCommissionAt: null,
      bondedTokens: 0n,
      bondedShares: 0n,
      unbondingTokens: 0n,
      unbondingShares: 0n,
      selfStake: 0n,
      commissionSuspended: false,
      delegators: 0,
      totalSlashed: 0n,
      slashes: 0,
      registeredAt: event.block.timestamp,
      registeredAtBlock: event.block.number,
      updatedAt: event.block.timestamp,
    });
    await updateStakingState(db, event, (s) => ({ validators: s.validators + 1 }));
  });

  on("Staking:Delegated", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    const v = lc(a.validator);
    await changeShares(db, event, a.holder, v, (row) => ({
      bondedShares: row.bondedShares + a.shares,
      totalDelegated: row.totalDelegated + a.amount,
    }));
    const before = (await db.find(validator, { address: v }))!;
    await setPools(db, event, v, {
      bondedTokens: a.validatorBondedTokens,
      bondedShares: a.validatorBondedShares,
      unbondingTokens: before.unbondingTokens,
      unbondingShares: before.unbondingShares,
    });
    await updateStakingState(db, event, () => ({ totalBonded: a.totalBonded }));
    await logStake(db, event, "delegated", { ...a, shares: a.shares });
  });

  on("Staking:Undelegated", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    await changeShares(db, event, a.holder, a.validator, (row) => ({
      bondedShares: row.bondedShares - a.bondedShares,
      unbondingShares: row.unbondingShares + a.unbondingShares,
      totalUndelegated: row.totalUndelegated + a.amount,
    }));
    await db.insert(unbonding).values({
      id: a.unbondingId,
      holder: lc(a.holder),
      validator: lc(a.validator),
      shares: a.unbondingShares,
      initialAmount: a.amount,
      amount: a.amount,
      releaseTime: a.releaseTime,
      status: "unbonding",
      withdrawnAmount: null,
      withdrawnAt: null,
      createdAt: event.block.timestamp,
    });
    await logStake(db, event, "undelegated", { ...a, shares: a.bondedShares });
    // ValidatorPoolsUpdated follows with the pools and the totals.
  });

  on("Staking:Withdrawn", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    await changeShares(db, event, a.holder, a.validator, (row) => ({
      unbondingShares: row.unbondingShares - a.unbondingShares,
      totalWithdrawn: row.totalWithdrawn + a.amount,
    }));
    await db.update(unbonding, { id: a.unbondingId }).set({
      status: "withdrawn",
      amount: 0n,
      withdrawnAmount: a.amount,
      withdrawnAt: event.block.timestamp,
    });
    await logStake(db, event, "withdrawn", { ...a, shares: a.unbondingShares });
  });

  on("Staking:ValidatorPoolsUpdated", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    await setPools(db, event, lc(a.validator), {
      bondedTokens: a.bondedTokens,
      bondedShares: a.bondedShares,
      unbondingTokens: a.unbondingTokens,
      unbondingShares: a.unbondingShares,
    });
    await updateStakingState(db, event, () => ({
      totalBonded: a.totalBonded,
      totalUnbonding: a.totalUnbonding,
    }));
  });

  on("Staking:Slashed", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    const v = lc(a.validator);
    const before = { ...(await db.find(validator, { address: v }))! };
    const slashed = a.bondedSlashed + a.unbondingSlashed;
    await db.insert(slash).values({
      id: a.slashId,
      validator: v,
      slashBps: a.slashBps,
      bondedSlashed: a.bondedSlashed,
      unbondingSlashed: a.unbondingSlashed,
      reason: a.reason,
      reasonText: reasonText(a.reason),
      bondedTokens: a.bondedTokens,
      unbondingTokens: a.unbondingTokens,
      totalBonded: a.totalBonded,
      reputationReportFailure: null,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await db
      .update(validator, { address: v })
      .set({ totalSlashed: before.totalSlashed + slashed, slashes: before.slashes + 1 });
    await setPools(db, event, v, {
      bondedTokens: a.bondedTokens,
      bondedShares: before.bondedShares,
      unbondingTokens: a.unbondingTokens,
      unbondingShares: before.unbondingShares,
    });
    await updateStakingState(db, event, (s) => ({
      totalBonded: a.totalBonded,
      totalUnbonding: a.totalUnbonding,
      totalSlashed: s.totalSlashed + slashed,
    }));
  });

  on("Staking:SlashReputationReportFailed", async ({ event, context }) => {
    await context.db
      .update(slash, { id: event.args.slashId })
      .set({ reputationReportFailure: event.args.lowLevelData });
  });

  on("Staking:EpochFunded", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    let number = 0;
    await updateStakingState(db, event, (s) => {
      number = s.epochs + 1;
      return {
        epochs: number,
        rewardRate: a.rewardRate,
        periodFinish: a.periodFinish,
        carriedRewards: a.newCarry,
        totalRewardsFunded: s.totalRewardsFunded + a.amount,
      };
    });
    await db.insert(rewardEpoch).values({
      id: event.id,
      number,
      amount: a.amount,
      carried: a.carried,
      duration: a.duration,
      rewardRate: a.rewardRate,
      startedAt: event.block.timestamp,
      periodFinish: a.periodFinish,
      newCarry: a.newCarry,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
    });
  });

  on("Staking:RewardClaimed", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    await db.insert(rewardClaim).values({
      id: event.id,
      holder: lc(a.holder),
      gross: a.gross,
      tax: a.tax,
      capExcess: a.capExcess,
      net: a.gross - a.tax - a.capExcess,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await updateStakingState(db, event, (s) => ({ totalRewardsClaimed: s.totalRewardsClaimed + a.gross }));
  });

  on("Staking:CommissionScheduled", async ({ event, context }) => {
    const a = event.args;
    await context.db.update(validator, { address: lc(a.validator) }).set({
      pendingCommissionBps: a.newCommissionBps,
      pendingCommissionAt: a.effectiveAt,
      updatedAt: event.block.timestamp,
    });
  });

  on("Staking:CommissionApplied", async ({ event, context }) => {
    const a = event.args;
    await context.db.update(validator, { address: lc(a.validator) }).set({
      commissionBps: a.newCommissionBps,
      pendingCommissionBps: null,
      pendingCommissionAt: null,
      updatedAt: event.block.timestamp,
    });
  });

  for (const [name, suspended] of [
    ["CommissionSuspended", true],
    ["CommissionResumed", false],
  ] as const) {
    on(`Staking:${name}`, async ({ event, context }) => {
      await context.db
        .update(validator, { address: lc(event.args.validator) })
        .set({ commissionSuspended: suspended, updatedAt: event.block.timestamp });
    });
  }

  onParameter(
    "Staking:UnbondingPeriodUpdated",
    "Staking",
    "unbondingPeriod",
    (a) => [a.oldPeriod, a.newPeriod],
    (db, event) => updateStakingState(db, event, () => ({ unbondingPeriod: event.args.newPeriod })),
  );

  onParameter(
    "Staking:MinSelfStakeUpdated",
    "Staking",
    "minSelfStake",
    (a) => [a.oldMinSelfStake, a.newMinSelfStake],
    (db, event) => updateStakingState(db, event, () => ({ minSelfStake: event.args.newMinSelfStake })),
  );
}
