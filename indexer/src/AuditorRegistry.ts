/**
 * AuditorRegistry (issue 15): auditors appointed and removed by governance (AUDITOR_ROLE), and their
 * verdicts, joined to the flags the rules of indexer/audit/ raised (docs/auditor.md).
 */
import { auditor, flag, review } from "ponder:schema";
import { on } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { lc } from "../lib/store.ts";
import { CONSTANTS, Verdict } from "../../scripts/lib/vocabulary.ts";

const AUDITOR_ROLE = CONSTANTS.AuditorRegistry.AUDITOR_ROLE.toLowerCase();

if (isDeployed("auditorRegistry")) {
  on("AuditorRegistry:RoleGranted", async ({ event, context }) => {
    if (event.args.role.toLowerCase() !== AUDITOR_ROLE) return;
    await context.db
      .insert(auditor)
      .values({ address: lc(event.args.account), active: true, appointedAt: event.block.timestamp })
      .onConflictDoUpdate({ active: true, appointedAt: event.block.timestamp, removedAt: null });
  });

  on("AuditorRegistry:RoleRevoked", async ({ event, context }) => {
    if (event.args.role.toLowerCase() !== AUDITOR_ROLE) return;
    await context.db
      .update(auditor, { address: lc(event.args.account) })
      .set({ active: false, removedAt: event.block.timestamp });
  });

  on("AuditorRegistry:VerdictRecorded", async ({ event, context }) => {
    const { flagId, verdict, previous, noteUri } = event.args;
    await context.db.insert(review).values({
      id: event.id,
      flagId,
      auditor: lc(event.args.auditor),
      verdict: Verdict.keyOf(verdict),
      previous: Verdict.keyOf(previous),
      noteUri,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    // A verdict may name a flag this indexer has not raised (another configuration): it stays in `review`.
    const row = await context.db.find(flag, { id: flagId });
    if (row !== null) {
      await context.db.update(flag, { id: flagId }).set({
        verdict: Verdict.keyOf(verdict),
        reviewedBy: lc(event.args.auditor),
        reviewedAt: event.block.timestamp,
        reviews: row.reviews + 1,
      });
    }
  });
}
