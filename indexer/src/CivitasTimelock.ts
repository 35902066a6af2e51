/**
 * CivitasTimelock (governance security, issue 20): the guardian's vetoes and guardian changes. A proposal's
 * timelock operation is recorded when the Governor queues it (src/CivitasGovernor.ts); a `Cancelled` event
 * then marks the operation and, when it came from a proposal, the proposal itself as canceled.
 */
import { guardianChange, proposal, timelockOperation } from "ponder:schema";
import { isDeployed } from "../lib/deployment.ts";
import { on } from "../lib/handler.ts";
import { lc, recordParameter } from "../lib/store.ts";

if (isDeployed("timelock")) {
  on("CivitasTimelock:Cancelled", async ({ event, context }) => {
    const cancelled = {
      cancelledAt: event.block.timestamp,
      cancelledBy: lc(event.transaction.from),
      cancelledInTransaction: event.transaction.hash,
    };
    const row = await context.db
      .insert(timelockOperation)
      .values({ id: event.args.id, proposalId: null, queuedAt: null, ...cancelled })
      .onConflictDoUpdate(cancelled);
    if (row.proposalId !== null) {
      await context.db
        .update(proposal, { id: row.proposalId })
        .set({ status: "canceled", canceledAt: event.block.timestamp });
    }
  });

  on("CivitasTimelock:GuardianChanged", async ({ event, context }) => {
    await context.db.insert(guardianChange).values({
      id: event.id,
      oldGuardian: lc(event.args.oldGuardian),
      newGuardian: lc(event.args.newGuardian),
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await recordParameter(
      context.db,
      event,
      "CivitasTimelock",
      "guardian",
      lc(event.args.oldGuardian),
      lc(event.args.newGuardian),
    );
  });
}
