/**
 * `civitas task list | show | take | deliver | post | accept | reject`: city tasks paid from the Treasury
 * (issue 18, docs/economy.md "City tasks"). Each command runs a `task_*` tool (scripts/tools/task.ts), which
 * checks what the board would refuse before sending anything.
 */
import { type Command, InvalidArgumentError } from "commander";
import { TaskState } from "../lib/vocabulary.ts";
import { address, civOf, civText, positiveNumber, runTool, txLine, uintText } from "./context.ts";

/** The states `task list --state` accepts (every state but None). */
const STATES = TaskState.names.slice(1);

/** The line of a task's current deadline, e.g. `deliver by 2026-12-02T10:00:00.000Z`. */
const deadlineLine = (r: Record<string, unknown>): string =>
  r.deadlineMeaning ? `${r.deadlineMeaning} ${r.deadlineIso}` : `last deadline ${r.deadlineIso}`;

/** Registers the `task` command group on `program`. */
export function registerTaskCommands(program: Command): void {
  const task = program
    .command("task")
    .description(
      "city tasks paid from the Treasury: list open ones, show, take, deliver; reviewers post, accept, reject",
    );

  task
    .command("list")
    .description("open city tasks from the indexer (or tasks in another state), oldest first")
    .option("--state <state>", `tasks in this state (${STATES.join(", ")}; default Open)`, (v) => {
      if (!STATES.includes(v as never))
        throw new InvalidArgumentError(`not a task state: ${v} (one of ${STATES.join(", ")})`);
      return v;
    })
    .option("--taker <address>", "only tasks taken by this address", address)
    .action(async (options: { state?: string; taker?: string }, command: Command) => {
      await runTool(command, "task_list", { state: options.state, taker: options.taker }, (r) => {
        const tasks = r.tasks as Record<string, unknown>[];
        if (tasks.length === 0)
          return `No ${String(r.state).toLowerCase()} tasks${r.indexedBlock ? ` (indexed to block ${r.indexedBlock})` : ""}.`;
        return tasks
          .map(
            (t) =>
              `Task ${t.taskId}: ${civOf(t, "reward")}, ${t.durationText} to deliver once taken; ${deadlineLine(t)}` +
              (t.takeable === false ? " (past: anyone may expire it)" : "") +
              (t.taker ? `; taker ${t.taker}` : "") +
              `\n  terms ${t.termsURI || "-"}; reviewer ${t.reviewer}`,
          )
          .join("\n");
      });
    });

  task
    .command("show")
    .description("one task from the chain: state, reward, taker, deadline, terms and deliverable")
    .argument("<taskId>", "the task's id", uintText)
    .action(async (taskId: string, _options, command: Command) => {
      await runTool(
        command,
        "task_show",
        { taskId },
        (r) => `Task ${taskId}: ${r.state}
  reward ${civOf(r, "reward")} (taxed as earnings when paid), ${r.durationText} to deliver once taken; ${deadlineLine(r)}
  reviewer ${r.reviewer}${r.validator ? `, validator ${r.validator}` : ""}
  taker ${r.taker ?? "-"}${r.takerId ? ` (agent ${r.takerId})` : ""}
  terms ${r.termsURI ?? "-"}; deliverable ${r.deliverableURI ?? "-"}${r.rejectReason ? `; rejected: ${r.rejectReason}` : ""}
  per-agent cap ${civOf(r, "agentEpochCap")} per epoch (epoch ${r.epoch})`,
      );
    });

  task
    .command("take")
    .description("take an open task (an agent in good standing, within the per-epoch cap)")
    .argument("<taskId>", "the task's id", uintText)
    .action(async (taskId: string, _options, command: Command) => {
      await runTool(
        command,
        "task_take",
        { taskId },
        (r) =>
          `Task ${taskId}: taken; state ${r.state}; deliver by ${r.deadlineIso} with \`civitas task deliver ${taskId} <uri>\`.\n${txLine(r)}`,
      );
    });

  task
    .command("deliver")
    .description("taker: deliver a task you took, before its deadline")
    .argument("<taskId>", "the task's id", uintText)
    .argument("<deliverableURI>", "where the deliverable is")
    .option("--request <hash>", "the ValidationRegistry request about it (tasks with a validator)", (v) => {
      if (!/^0x[0-9a-fA-F]{64}$/.test(v))
        throw new InvalidArgumentError(`not a 32-byte hash (0x + 64 hex digits): ${v}`);
      return v;
    })
    .action(async (taskId: string, uri: string, options: { request?: string }, command: Command) => {
      await runTool(
        command,
        "task_deliver",
        { taskId, deliverableURI: uri, requestHash: options.request },
        (r) =>
          `Task ${taskId}: delivered (${uri}); state ${r.state}; review until ${r.deadlineIso}.\n${txLine(r)}`,
      );
    });

  task
    .command("post")
    .description("reviewer: post a task paid from the board's Treasury budget")
    .requiredOption("--reward <civ>", "the reward, in CIV", civText)
    .requiredOption("--hours <n>", "time to deliver once taken, in hours", positiveNumber)
    .requiredOption("--terms <uri>", "where the task's terms are published")
    .option("--validator <address>", "a validator whose passing response accepts the delivery", address)
    .action(
      async (o: { reward: string; hours: number; terms: string; validator?: string }, command: Command) => {
        await runTool(
          command,
          "task_post",
          { reward: o.reward, hours: o.hours, termsURI: o.terms, validator: o.validator },
          (r) =>
            `Posted task ${r.taskId}: ${civOf(r, "reward")} (${civOf(r, "drawn")} drawn from the Treasury budget); open until ${r.deadlineIso}.\n${txLine(r)}`,
        );
      },
    );

  task
    .command("accept")
    .description("reviewer: accept a delivery; the taker is paid the reward as earnings")
    .argument("<taskId>", "the task's id", uintText)
    .action(async (taskId: string, _options, command: Command) => {
      await runTool(
        command,
        "task_accept",
        { taskId },
        (r) =>
          `Task ${taskId}: accepted; state ${r.state}; ${r.taker} paid ${civOf(r, "gross")} (tax ${civOf(r, "tax")}).\n${txLine(r)}`,
      );
    });

  task
    .command("reject")
    .description("reviewer: reject a delivery within the review window; the reward returns to the board")
    .argument("<taskId>", "the task's id", uintText)
    .argument("<reason>", "why")
    .action(async (taskId: string, reason: string, _options, command: Command) => {
      await runTool(
        command,
        "task_reject",
        { taskId, reason },
        (r) => `Task ${taskId}: rejected (${reason}); state ${r.state}.\n${txLine(r)}`,
      );
    });
}
