/**
 * PoolAgreements (issue 17, kind 5): lottery pools in the `agreement` / `agreement_event` tables, and each
 * member's contribution and claim in `pool_member` (docs/agreements.md). A pool emits no
 * `AgreementProposed`: `PoolCreated` creates its row ({@link createAgreement}, `agreementId` = the pool id),
 * with the first member (its `PoolJoined` in the same transaction) as proposer and the BlockLottery as
 * counterparty. `state` is IPoolAgreements.PoolState in snake case (open, playing, settled); `details`
 * holds epoch, lockAt, contributed (the pool's total now), members (with a contribution now), stake
 * returned, proceeds, sharesLeft, proceedsLeft. Amounts are decimal strings in `details`, wei.
 */
import { agreement, poolMember } from "ponder:schema";
import { addressOf, isDeployed } from "../lib/deployment.ts";
import {
  type AgreementRow,
  agreementRowId,
  createAgreement,
  onAgreementEvent,
  updateAgreement,
} from "../lib/agreements.ts";
import { type Db, lc } from "../lib/store.ts";
import { AgreementKind, PoolState } from "../../scripts/lib/vocabulary.ts";

const ZERO = "0x0000000000000000000000000000000000000000";

/** A pool's `details` as stored (decimal strings). */
interface PoolDetails {
  epoch: string;
  lockAt: string;
  contributed: string;
  members: number;
  stakeReturned: string | null;
  proceeds: string | null;
  sharesLeft: string | null;
  proceedsLeft: string | null;
}

type PoolEvent = Parameters<typeof updateAgreement>[1];

/** The pool event as an agreement event (its `poolId` as `agreementId`). */
function asAgreementEvent(event: { args: Record<string, unknown> }): PoolEvent {
  const args = event.args as { poolId: bigint };
  return { ...event, args: { ...event.args, agreementId: args.poolId } } as unknown as PoolEvent;
}

async function poolRow(db: Db, event: PoolEvent): Promise<AgreementRow> {
  const row = await db.find(agreement, { id: agreementRowId(event.log.address, event.args.agreementId) });
  if (row === null) throw new Error(`PoolAgreements: no row for pool ${event.args.agreementId}`);
  return row;
}

const memberId = (event: PoolEvent, member: string) =>
  `${agreementRowId(event.log.address, event.args.agreementId)}-${lc(member)}`;

if (isDeployed("poolAgreements")) {
  onAgreementEvent("PoolAgreements:PoolCreated", async ({ event: raw, context }) => {
    const event = asAgreementEvent(raw);
    const { epoch, lockAt } = event.args as unknown as { epoch: bigint; lockAt: bigint };
    const details: PoolDetails = {
      epoch: epoch.toString(),
      lockAt: lockAt.toString(),
      contributed: "0",
      members: 0,
      stakeReturned: null,
      proceeds: null,
      sharesLeft: null,
      proceedsLeft: null,
    };
    await createAgreement(context.db, event, "PoolCreated", {
      kind: Number(AgreementKind.POOL),
      // The first member is set by its PoolJoined (same transaction).
      proposer: ZERO,
      counterparty: addressOf("blockLottery"),
      state: PoolState.keyOf(PoolState.value.Open),
      joinDeadline: lockAt,
      dueDate: lockAt,
      details,
    });
  });

  onAgreementEvent("PoolAgreements:PoolJoined", async ({ event: raw, context }) => {
    const event = asAgreementEvent(raw);
    const { member, amount, memberTotal, poolTotal } = event.args as unknown as {
      member: string;
      amount: bigint;
      memberTotal: bigint;
      poolTotal: bigint;
    };
    const row = await poolRow(context.db, event);
    const details = row.details as PoolDetails;
    const id = memberId(event, member);
    const existing = await context.db.find(poolMember, { id });
    const joined = existing === null || existing.contribution === 0n;
    if (existing === null) {
      await context.db.insert(poolMember).values({
        id,
        agreement: row.id,
        poolId: row.agreementId,
        member: lc(member),
        contribution: memberTotal,
        contributed: amount,
        exited: 0n,
        claimedPrincipal: null,
        claimedShare: null,
        joinedAt: event.block.timestamp,
        updatedAt: event.block.timestamp,
      });
    } else {
      await context.db.update(poolMember, { id }).set({
        contribution: memberTotal,
        contributed: existing.contributed + amount,
        updatedAt: event.block.timestamp,
      });
    }
    await updateAgreement(
      context.db,
      event,
      "PoolJoined",
      {
        ...(row.proposer === ZERO ? { proposer: lc(member) } : {}),
        details: {
          ...details,
          contributed: poolTotal.toString(),
          members: details.members + (joined ? 1 : 0),
        },
      },
      { actor: member, amount },
    );
  });

  onAgreementEvent("PoolAgreements:PoolExited", async ({ event: raw, context }) => {
    const event = asAgreementEvent(raw);
    const { member, amount, poolTotal } = event.args as unknown as {
      member: string;
      amount: bigint;
      poolTotal: bigint;
    };
    const row = await poolRow(context.db, event);
    const details = row.details as PoolDetails;
    await context.db
      .update(poolMember, { id: memberId(event, member) })
      .set((m) => ({ contribution: 0n, exited: m.exited + amount, updatedAt: event.block.timestamp }));
    await updateAgreement(
      context.db,
      event,
      "PoolExited",
      { details: { ...details, contributed: poolTotal.toString(), members: details.members - 1 } },
      { actor: member, amount },
    );
  });

  onAgreementEvent("PoolAgreements:PoolPlayed", async ({ event: raw, context }) => {
    const event = asAgreementEvent(raw);
    const { by, amount } = event.args as unknown as { by: string; amount: bigint };
    await updateAgreement(
      context.db,
      event,
      "PoolPlayed",
      { state: PoolState.keyOf(PoolState.value.Playing) },
      { actor: by, amount },
    );
  });

  onAgreementEvent("PoolAgreements:PoolSettled", async ({ event: raw, context }) => {
    const event = asAgreementEvent(raw);
    const { stakeReturned, proceeds } = event.args as unknown as { stakeReturned: bigint; proceeds: bigint };
    const row = await poolRow(context.db, event);
    const details = row.details as PoolDetails;
    await updateAgreement(
      context.db,
      event,
      "PoolSettled",
      {
        state: PoolState.keyOf(PoolState.value.Settled),
        details: {
          ...details,
          stakeReturned: stakeReturned.toString(),
          proceeds: proceeds.toString(),
          sharesLeft: details.contributed,
          proceedsLeft: proceeds.toString(),
        },
      },
      { amount: proceeds },
    );
  });

  onAgreementEvent("PoolAgreements:PoolClaimed", async ({ event: raw, context }) => {
    const event = asAgreementEvent(raw);
    const { member, principal, share } = event.args as unknown as {
      member: string;
      principal: bigint;
      share: bigint;
    };
    const row = await poolRow(context.db, event);
    const details = row.details as PoolDetails;
    await context.db.update(poolMember, { id: memberId(event, member) }).set({
      contribution: 0n,
      claimedPrincipal: principal,
      claimedShare: share,
      updatedAt: event.block.timestamp,
    });
    await updateAgreement(
      context.db,
      event,
      "PoolClaimed",
      {
        details: {
          ...details,
          members: details.members - 1,
          sharesLeft: (BigInt(details.sharesLeft ?? "0") - principal).toString(),
          proceedsLeft: (BigInt(details.proceedsLeft ?? "0") - share).toString(),
        },
      },
      { actor: member, amount: principal + share },
    );
  });
}
