/**
 * TaskBoard (city tasks, issue 18): every task with its state as the board holds it, every task event, and
 * what each agent took per cap epoch; the board's settings in `parameter_change`. Everything comes from the
 * events (docs/economy.md "City tasks"). The reward's CIV movements are indexed by the token's handlers
 * (a draw from the Treasury's budget by src/Treasury.ts).
 */
import { task, taskAgentEpoch, taskEvent } from "ponder:schema";
import { on, onParameter } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, lc, upsert } from "../lib/store.ts";
import { type TaskState } from "../../scripts/lib/vocabulary.ts";

type TaskRow = typeof task.$inferSelect;
type TaskStateKey = (typeof TaskState.keys)[number];
type AgentEpochRow = typeof taskAgentEpoch.$inferSelect;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ZERO_HASH = `0x${"0".repeat(64)}`;

const json = (value: object) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));

/** Appends one row to `task_event`. */
async function logTaskEvent(
  db: Db,
  event: EventInfo & { transaction: { from: `0x${string}` } },
  taskId: bigint,
  kind: string,
  extra: { uri?: string; value?: bigint; data?: object } = {},
): Promise<void> {
  await db.insert(taskEvent).values({
    id: event.id,
    taskId,
    kind,
    actor: lc(event.transaction.from),
    uri: extra.uri ?? null,
    value: extra.value ?? null,
    data: extra.data === undefined ? null : json(extra.data),
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
  });
}

/** Moves a task to `state`, applying `change`, and returns the row as it was before. */
async function updateTask(
  db: Db,
  event: EventInfo,
  id: bigint,
  state: TaskStateKey,
  change: Partial<TaskRow> = {},
): Promise<TaskRow> {
  const before = await db.find(task, { id });
  if (before === null) throw new Error(`TaskBoard: event for task ${id}, which was never posted`);
  await db.update(task, { id }).set({ ...change, state, updatedAt: event.block.timestamp });
  return before;
}

/** Adds to the taker's row of the task's epoch (the row exists since the task was taken). */
async function addToAgentEpoch(
  db: Db,
  row: TaskRow,
  change: (current: AgentEpochRow) => Partial<AgentEpochRow>,
): Promise<void> {
  if (row.takerId === null || row.epoch === null) return;
  await db.update(taskAgentEpoch, { agentId: row.takerId, epoch: row.epoch }).set(change);
}

if (isDeployed("taskBoard")) {
  on("TaskBoard:TaskPosted", async ({ event, context }) => {
    const { taskId, reviewer, validator, reward, duration, openUntil, drawn, termsURI } = event.args;
    await context.db.insert(task).values({
      id: taskId,
      state: "open",
      reviewer: lc(reviewer),
      validator: validator === ZERO_ADDRESS ? null : lc(validator),
      reward,
      duration,
      openUntil,
      deadline: openUntil,
      drawn,
      termsURI,
      createdAt: event.block.timestamp,
      updatedAt: event.block.timestamp,
    });
    await logTaskEvent(context.db, event, taskId, "posted", {
      uri: termsURI,
      value: reward,
      data: { duration, openUntil, drawn, validator },
    });
  });

  on("TaskBoard:TaskTaken", async ({ event, context }) => {
    const { taskId, taker, takerId, deadline, epoch } = event.args;
    const before = await updateTask(context.db, event, taskId, "taken", {
      taker: lc(taker),
      takerId,
      epoch,
      deadline,
      takenAt: event.block.timestamp,
    });
    await upsert(
      context.db,
      taskAgentEpoch,
      { agentId: takerId, epoch, taken: 0n, tasks: 0, paid: 0n, tax: 0n, lost: 0n },
      (row) => ({ taken: row.taken + before.reward, tasks: row.tasks + 1 }),
    );
    await logTaskEvent(context.db, event, taskId, "taken", { data: { taker, takerId, deadline, epoch } });
  });

  on("TaskBoard:TaskDelivered", async ({ event, context }) => {
    const { taskId, deliverableURI, requestHash, reviewDeadline } = event.args;
    await updateTask(context.db, event, taskId, "delivered", {
      deliverableURI,
      requestHash: requestHash === ZERO_HASH ? null : requestHash,
      deadline: reviewDeadline,
      deliveredAt: event.block.timestamp,
    });
    await logTaskEvent(context.db, event, taskId, "delivered", {
      uri: deliverableURI,
      data: { requestHash, reviewDeadline },
    });
  });

  on("TaskBoard:TaskAccepted", async ({ event, context }) => {
    const { taskId, taker, by, gross, tax, capExcess } = event.args;
    const before = await updateTask(context.db, event, taskId, "accepted", {
      acceptedBy: lc(by),
      tax,
      capExcess,
      closedAt: event.block.timestamp,
    });
    await addToAgentEpoch(context.db, before, (row) => ({ paid: row.paid + gross, tax: row.tax + tax }));
    await logTaskEvent(context.db, event, taskId, "accepted", {
      value: gross,
      data: { taker, by, tax, capExcess },
    });
  });

  on("TaskBoard:TaskRejected", async ({ event, context }) => {
    const { taskId, reason } = event.args;
    const before = await updateTask(context.db, event, taskId, "rejected", {
      rejectReason: reason,
      closedAt: event.block.timestamp,
    });
    await addToAgentEpoch(context.db, before, (row) => ({ lost: row.lost + before.reward }));
    await logTaskEvent(context.db, event, taskId, "rejected", { uri: reason });
  });

  on("TaskBoard:TaskCancelled", async ({ event, context }) => {
    const { taskId } = event.args;
    await updateTask(context.db, event, taskId, "cancelled", { closedAt: event.block.timestamp });
    await logTaskEvent(context.db, event, taskId, "cancelled");
  });

  on("TaskBoard:TaskExpired", async ({ event, context }) => {
    const { taskId, wasTaken } = event.args;
    const before = await updateTask(context.db, event, taskId, "expired", {
      missed: wasTaken,
      closedAt: event.block.timestamp,
    });
    if (wasTaken) await addToAgentEpoch(context.db, before, (row) => ({ lost: row.lost + before.reward }));
    await logTaskEvent(context.db, event, taskId, "expired", { data: { wasTaken } });
  });

  on("TaskBoard:ReputationReportFailed", async ({ event, context }) => {
    const { taskId, agentId, delta, errorData } = event.args;
    await logTaskEvent(context.db, event, taskId, "reputation_report_failed", {
      value: delta,
      data: { agentId, errorData },
    });
  });

  onParameter("TaskBoard:MaxTaskRewardUpdated", "TaskBoard", "maxTaskReward", (a) => [
    a.oldValue,
    a.newValue,
  ]);
  onParameter("TaskBoard:AgentEpochCapUpdated", "TaskBoard", "agentEpochCap", (a) => [
    a.oldValue,
    a.newValue,
  ]);
  onParameter("TaskBoard:ReviewerEpochBudgetUpdated", "TaskBoard", "reviewerEpochBudget", (a) => [
    a.oldValue,
    a.newValue,
  ]);
}
