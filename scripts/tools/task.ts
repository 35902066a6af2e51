/**
 * City-task tools (issue 18, docs/economy.md "City tasks"): `task_list` (open tasks from the indexer),
 * `task_show` (one task from the chain), `task_take` and `task_deliver` (an agent in good standing), and for
 * a city reviewer `task_post`, `task_accept` and `task_reject`. Every action checks what the board would
 * refuse before sending (state by name, the caller's role, deadlines, the per-epoch caps, amounts in CIV),
 * then simulates the call: nothing is sent that is bound to fail.
 */
import { type Address, getAddress, type Hex, parseEventLogs } from "viem";
import { z } from "zod";
import { queryGraphql } from "../lib/graphql.ts";
import { formatCiv } from "../lib/format.ts";
import { CONSTANTS, TaskState } from "../lib/vocabulary.ts";
import {
  addressInput,
  amountFields,
  civ,
  civInput,
  hashInput,
  id,
  idInput,
  isoTime,
  signerOf,
  type ToolChain,
  transact,
  txFields,
} from "./context.ts";
import { ToolError } from "./errors.ts";
import { type CivitasTool, defineTool } from "./tool.ts";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ZERO_HASH = `0x${"0".repeat(64)}` as Hex;
const BOARD = CONSTANTS.TaskBoard;
/** The states a task can be listed in (every state but `None`). */
const LISTED_STATES = TaskState.names.slice(1) as [string, ...string[]];

/** The deployment's task board, or `unsupported`. */
function boardOf(chain: ToolChain) {
  const board = chain.contracts.taskBoard;
  if (board === undefined)
    throw new ToolError("unsupported", `deployment of chain ${chain.deployment.chainId} has no task board`);
  return board;
}

/** A task as the board holds it, or `not_found`. */
async function taskOf(chain: ToolChain, taskId: bigint) {
  const t = await chain.client.readContract({ ...boardOf(chain), functionName: "task", args: [taskId] });
  if (t.state === TaskState.valueOf("None"))
    throw new ToolError("not_found", `no task ${taskId}`, { taskId: taskId.toString() });
  return t;
}

type Task = Awaited<ReturnType<typeof taskOf>>;

/** What the current state's deadline means. */
function deadlineMeaning(state: string): string | null {
  return (
    ({ Open: "open until", Taken: "deliver by", Delivered: "review until" } as Record<string, string>)[
      state
    ] ?? null
  );
}

/** A task as a result: state by name, reward in wei and CIV, the deadline as Unix seconds and ISO. */
function taskFields(taskId: bigint, t: Task): Record<string, unknown> {
  const state = TaskState.nameOf(t.state);
  return {
    taskId: taskId.toString(),
    state,
    reviewer: t.reviewer,
    validator: t.validator === ZERO_ADDRESS ? null : t.validator,
    ...amountFields("reward", t.reward),
    durationSeconds: t.duration.toString(),
    taker: t.taker === ZERO_ADDRESS ? null : t.taker,
    takerId: t.takerId === 0n ? null : t.takerId.toString(),
    deadline: t.deadline.toString(),
    deadlineIso: isoTime(t.deadline),
    deadlineMeaning: deadlineMeaning(state),
    requestHash: t.requestHash === ZERO_HASH ? null : t.requestHash,
  };
}

/** Fails with `refused` unless the task is in `expected`, naming both states. */
function requireState(taskId: bigint, t: Task, expected: string, what: string): void {
  const state = TaskState.nameOf(t.state);
  if (state !== expected)
    throw new ToolError("refused", `task ${taskId} is ${state}, not ${expected}: ${what}`, {
      taskId: taskId.toString(),
      state,
      expectedState: expected,
    });
}

/** The latest block's time, in seconds. */
async function chainNow(chain: ToolChain): Promise<bigint> {
  return (await chain.client.getBlock({ blockTag: "latest" })).timestamp;
}

/** "1 hour", "36 hours", "3 days": a duration in seconds for people. */
export function durationText(seconds: bigint): string {
  const hours = Number(seconds) / 3_600;
  if (hours >= 48 && Number.isInteger(hours / 24)) return `${hours / 24} days`;
  return hours === 1 ? "1 hour" : `${Number(hours.toFixed(2))} hours`;
}

/** Fails with `refused` unless `caller` holds the board's reviewer role. */
async function requireReviewerRole(chain: ToolChain, caller: Address): Promise<void> {
  const isReviewer = await chain.client.readContract({
    ...boardOf(chain),
    functionName: "hasRole",
    args: [BOARD.REVIEWER_ROLE as Hex, caller],
  });
  if (!isReviewer)
    throw new ToolError(
      "refused",
      `${caller} is not a city reviewer (REVIEWER_ROLE on the task board): governance appoints reviewers`,
      { caller },
    );
}

/** Fails with `refused` unless `caller` is the task's reviewer. */
function requireReviewerOf(taskId: bigint, t: Task, caller: Address, action: string): void {
  if (getAddress(t.reviewer) !== getAddress(caller))
    throw new ToolError(
      "refused",
      `only task ${taskId}'s reviewer ${t.reviewer} may ${action} it (you are ${caller})`,
      { taskId: taskId.toString(), reviewer: t.reviewer, caller },
    );
}

const taskIdInput = idInput("the task's id");

/** A task row as the indexer serves it (bigints as decimal strings). */
interface TaskRow {
  id: string;
  state: string;
  reviewer: string;
  validator: string | null;
  reward: string;
  duration: string;
  openUntil: string;
  deadline: string;
  termsURI: string;
  taker: string | null;
  deliverableURI: string | null;
}

/** `task_list`: tasks from the indexer, open ones by default. */
export const taskListTool = defineTool({
  name: "task_list",
  description:
    "City tasks from the indexer (no node needed), open ones by default, oldest first: id, reward in CIV " +
    "(gross: taxed as earnings when paid), time to deliver once taken, the deadline of the current state, " +
    "the terms' URI and the reviewer. Take an open task with task_take (an agent in good standing, within " +
    "the per-epoch cap).",
  input: z.object({
    state: z.enum(LISTED_STATES).optional().describe("only tasks in this state (default Open)"),
    taker: addressInput("only tasks taken by this address").optional(),
    limit: z.number().int().positive().max(1_000).optional().describe("how many (default 50)"),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const url = ctx.graphqlUrl;
    if (!url)
      throw new ToolError(
        "unsupported",
        "no indexer GraphQL URL configured (--graphql / CIVITAS_GRAPHQL_URL)",
      );
    const state = input.state ?? "Open";
    const filters = [`state: ${TaskState.keyOf(TaskState.valueOf(state as never))}`];
    if (input.taker !== undefined) filters.push(`taker: "${input.taker.toLowerCase()}"`);
    const query = `query($n: Int!) {
      tasks(where: { ${filters.join(", ")} }, orderBy: "id", orderDirection: "asc", limit: $n) {
        items { id state reviewer validator reward duration openUntil deadline termsURI taker deliverableURI } }
      _meta { status } }`;
    const data = await queryGraphql<{
      tasks: { items: TaskRow[] };
      _meta: { status: Record<string, { block: { number: number; timestamp: number } | null }> } | null;
    }>(url, query, { n: input.limit ?? 50 }).catch((error: Error) => {
      throw new ToolError(
        "network",
        `cannot query the indexer at ${url} (--graphql / CIVITAS_GRAPHQL_URL): ${error.message}` +
          (error.cause ? ` (${(error.cause as Error).message ?? error.cause})` : ""),
        { url },
      );
    });
    const block = Object.values(data._meta?.status ?? {})[0]?.block ?? null;
    const indexedTime = block === null ? undefined : BigInt(block.timestamp);
    return {
      state,
      indexedBlock: block === null ? null : String(block.number),
      indexedTimeIso: indexedTime === undefined ? null : isoTime(indexedTime),
      tasks: data.tasks.items.map((row) => {
        const name = TaskState.nameOfKey(row.state);
        return {
          taskId: row.id,
          state: name,
          reviewer: getAddress(row.reviewer),
          validator: row.validator === null ? null : getAddress(row.validator),
          ...amountFields("reward", BigInt(row.reward)),
          durationSeconds: row.duration,
          durationText: durationText(BigInt(row.duration)),
          deadline: row.deadline,
          deadlineIso: isoTime(BigInt(row.deadline)),
          deadlineMeaning: deadlineMeaning(name),
          // An open task past its open period can no longer be taken (anyone may expire it).
          ...(name === "Open" && indexedTime !== undefined
            ? { takeable: BigInt(row.deadline) >= indexedTime }
            : {}),
          termsURI: row.termsURI,
          taker: row.taker === null ? null : getAddress(row.taker),
          deliverableURI: row.deliverableURI,
        };
      }),
    };
  },
});

/** `task_show`: one task, from the chain (its terms and deliverable from the board's events). */
export const taskShowTool = defineTool({
  name: "task_show",
  description:
    "One city task, read from the chain: state by name, reviewer, validator, reward in CIV, time to deliver, " +
    "taker, the current state's deadline (open until / deliver by / review until), the terms' and the " +
    "deliverable's URIs, a rejection's reason, and the board's per-epoch cap per agent.",
  input: z.object({ taskId: taskIdInput }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const board = boardOf(chain);
    const taskId = id(input.taskId);
    const t = await taskOf(chain, taskId);
    const events = await chain.client.getContractEvents({
      ...board,
      args: { taskId },
      fromBlock: BigInt(chain.deployment.startBlock ?? 0),
    });
    const arg = (name: string, key: string) => {
      const log = events.find((e) => e.eventName === name) as { args: Record<string, unknown> } | undefined;
      return log === undefined ? null : (log.args[key] as string);
    };
    const [epoch, cap] = await Promise.all([
      chain.client.readContract({ ...board, functionName: "currentEpoch" }),
      chain.client.readContract({ ...board, functionName: "agentEpochCap" }),
    ]);
    return {
      ...taskFields(taskId, t),
      durationText: durationText(BigInt(t.duration)),
      termsURI: arg("TaskPosted", "termsURI"),
      deliverableURI: arg("TaskDelivered", "deliverableURI"),
      rejectReason: arg("TaskRejected", "reason"),
      epoch: epoch.toString(),
      ...amountFields("agentEpochCap", cap),
    };
  },
});

/** `task_take`: an agent takes an open task. */
export const taskTakeTool = defineTool({
  name: "task_take",
  description:
    "Take an open city task (your consent to its terms). You must be an agent in good standing, not tied " +
    "to its reviewer or validator, and the reward must fit under the board's per-epoch cap for your agent " +
    "(and your identity owner's agents together). Then deliver with task_deliver before the deadline; the " +
    "reviewer's acceptance pays the reward as taxed earnings.",
  input: z.object({ taskId: taskIdInput }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const board = boardOf(chain);
    const { client, contracts, wallet } = chain;
    const taskId = id(input.taskId);
    const t = await taskOf(chain, taskId);
    requireState(taskId, t, "Open", "only an open task can be taken");
    const now = await chainNow(chain);
    if (now > t.deadline)
      throw new ToolError(
        "refused",
        `task ${taskId}'s open period ended at ${isoTime(t.deadline)}: it can no longer be taken (anyone may expire it)`,
        { taskId: taskId.toString(), deadline: t.deadline.toString() },
      );
    const me = wallet.address;
    const [standing, agentId] = await Promise.all([
      client.readContract({ ...contracts.registry, functionName: "isInGoodStanding", args: [me] }),
      client.readContract({ ...contracts.registry, functionName: "agentIdOf", args: [me] }),
    ]);
    if (!standing)
      throw new ToolError(
        "refused",
        agentId === 0n
          ? `${me} is not a registered agent: register first (\`civitas register <uri>\`)`
          : `${me} (agent ${agentId}) is not in good standing: only agents in good standing take city tasks`,
        { address: me, agentId: agentId.toString() },
      );
    const [epoch, cap, owner] = await Promise.all([
      client.readContract({ ...board, functionName: "currentEpoch" }),
      client.readContract({ ...board, functionName: "agentEpochCap" }),
      client.readContract({ ...contracts.registry, functionName: "ownerOf", args: [agentId] }),
    ]);
    const [byAgent, byOwner] = await Promise.all([
      client.readContract({ ...board, functionName: "takenByAgent", args: [agentId, epoch] }),
      client.readContract({ ...board, functionName: "takenByOwner", args: [owner, epoch] }),
    ]);
    for (const [taken, whose] of [
      [byAgent, `agent ${agentId}`],
      [byOwner, `the agents of owner ${owner} together`],
    ] as const)
      if (taken + t.reward > cap)
        throw new ToolError(
          "refused",
          `task ${taskId}'s reward ${formatCiv(t.reward)} would take ${whose} past the per-epoch cap: ` +
            `${formatCiv(taken)} already taken in epoch ${epoch} of ${formatCiv(cap)} ` +
            `(the epoch ends ${isoTime((epoch + 1n) * BOARD.EPOCH)})`,
          {
            taskId: taskId.toString(),
            agentId: agentId.toString(),
            epoch: epoch.toString(),
            ...amountFields("taken", taken),
            ...amountFields("reward", t.reward),
            ...amountFields("cap", cap),
          },
        );
    const receipt = await transact(
      chain,
      { ...board, functionName: "takeTask", args: [taskId] },
      { label: "task take" },
      ctx.onProgress,
    );
    return { ...taskFields(taskId, await taskOf(chain, taskId)), ...txFields(receipt) };
  },
});

/** `task_deliver`: the taker delivers. */
export const taskDeliverTool = defineTool({
  name: "task_deliver",
  description:
    "Taker: deliver a task you took, by its deadline, giving the deliverable's URI (and, for a task with a " +
    "validator, the ValidationRegistry request about it). The reviewer then accepts (you are paid as taxed " +
    "earnings) or rejects within the review window; if it stays silent anyone may finalize and you are paid.",
  input: z.object({
    taskId: taskIdInput,
    deliverableURI: z.string().min(1).describe("where the deliverable is"),
    requestHash: hashInput("the ValidationRegistry request about it (tasks with a validator)").optional(),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const board = boardOf(chain);
    const taskId = id(input.taskId);
    const t = await taskOf(chain, taskId);
    requireState(taskId, t, "Taken", "only a taken task can be delivered");
    if (getAddress(t.taker) !== getAddress(chain.wallet.address))
      throw new ToolError(
        "refused",
        `task ${taskId} was taken by ${t.taker}, not by you (${chain.wallet.address}): only its taker delivers`,
        { taskId: taskId.toString(), taker: t.taker },
      );
    if ((await chainNow(chain)) > t.deadline)
      throw new ToolError(
        "refused",
        `task ${taskId}'s delivery deadline passed at ${isoTime(t.deadline)}: it can only be expired now`,
        { taskId: taskId.toString(), deadline: t.deadline.toString() },
      );
    const receipt = await transact(
      chain,
      {
        ...board,
        functionName: "deliver",
        args: [taskId, input.deliverableURI, (input.requestHash as Hex | undefined) ?? ZERO_HASH],
      },
      { label: "task deliver" },
      ctx.onProgress,
    );
    return {
      ...taskFields(taskId, await taskOf(chain, taskId)),
      deliverableURI: input.deliverableURI,
      ...txFields(receipt),
    };
  },
});

/** `task_accept` and `task_reject`: the reviewer's verdict on a delivery. */
function verdictTool(verdict: "accept" | "reject") {
  return defineTool({
    name: `task_${verdict}`,
    description:
      verdict === "accept"
        ? "Reviewer: accept a delivered task; the reward is paid to the taker as earnings (taxed, the " +
          "wealth cap applies) and its reputation rises."
        : "Reviewer: reject a delivered task within the review window, with a reason; the reward returns " +
          "to the board and the taker's reputation falls.",
    input: z.object({
      taskId: taskIdInput,
      ...(verdict === "reject" ? { reason: z.string().min(1).describe("why the delivery is rejected") } : {}),
    }) as unknown as z.ZodObject<{ taskId: typeof taskIdInput; reason: z.ZodOptional<z.ZodString> }>,
    needsSigner: true,
    async run(ctx, input) {
      const chain = await signerOf(ctx);
      const board = boardOf(chain);
      const taskId = id(input.taskId);
      const t = await taskOf(chain, taskId);
      requireState(taskId, t, "Delivered", `only a delivered task can be ${verdict}ed`);
      requireReviewerOf(taskId, t, chain.wallet.address, verdict);
      if (verdict === "reject") {
        if ((await chainNow(chain)) > t.deadline)
          throw new ToolError(
            "refused",
            `task ${taskId}'s review window ended at ${isoTime(t.deadline)}: it can no longer be rejected (anyone may finalize it and pay the taker)`,
            { taskId: taskId.toString(), deadline: t.deadline.toString() },
          );
      }
      const receipt = await transact(
        chain,
        verdict === "accept"
          ? { ...board, functionName: "accept", args: [taskId] }
          : { ...board, functionName: "reject", args: [taskId, input.reason!] },
        { label: `task ${verdict}` },
        ctx.onProgress,
      );
      const paid = parseEventLogs({ abi: board.abi, logs: receipt.logs, eventName: "TaskAccepted" })[0];
      return {
        ...taskFields(taskId, await taskOf(chain, taskId)),
        ...(paid === undefined
          ? { reason: input.reason }
          : {
              ...amountFields("gross", paid.args.gross),
              ...amountFields("tax", paid.args.tax),
              ...amountFields("capExcess", paid.args.capExcess),
            }),
        ...txFields(receipt),
      };
    },
  });
}

/** `task_accept`. */
export const taskAcceptTool = verdictTool("accept");
/** `task_reject`. */
export const taskRejectTool = verdictTool("reject");

/** `task_post`: a reviewer posts a task, paid from the board's Treasury budget. */
export const taskPostTool = defineTool({
  name: "task_post",
  description:
    "Reviewer: post a city task with a reward in CIV (at most the board's largest task reward, within your " +
    "per-epoch posting budget; drawn from the board's Treasury budget), the hours the taker has to deliver " +
    `(${Number(BOARD.MIN_DURATION) / 3_600} to ${Number(BOARD.MAX_DURATION) / 3_600}), an optional validator ` +
    "whose passing response accepts the delivery, and the terms' URI. It stays open 30 days.",
  input: z.object({
    reward: civInput("the reward"),
    hours: z.number().positive().describe("time to deliver once taken, in hours"),
    termsURI: z.string().min(1).describe("where the task's terms are published"),
    validator: addressInput("a validator whose passing response accepts the delivery").optional(),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const board = boardOf(chain);
    const { client, wallet } = chain;
    const reward = civ(input.reward);
    const duration = BigInt(Math.round(input.hours * 3_600));
    await requireReviewerRole(chain, wallet.address);
    const [maxReward, budget, epoch] = await Promise.all([
      client.readContract({ ...board, functionName: "maxTaskReward" }),
      client.readContract({ ...board, functionName: "reviewerEpochBudget" }),
      client.readContract({ ...board, functionName: "currentEpoch" }),
    ]);
    if (reward === 0n || reward > maxReward)
      throw new ToolError(
        "refused",
        `a task's reward must be more than 0 CIV and at most ${formatCiv(maxReward)} (got ${formatCiv(reward)})`,
        { ...amountFields("reward", reward), ...amountFields("maxReward", maxReward) },
      );
    if (duration < BOARD.MIN_DURATION || duration > BOARD.MAX_DURATION)
      throw new ToolError(
        "refused",
        `a task's time to deliver must be from ${durationText(BOARD.MIN_DURATION)} to ${durationText(BOARD.MAX_DURATION)} (got ${durationText(duration)})`,
        { durationSeconds: duration.toString() },
      );
    const posted = await client.readContract({
      ...board,
      functionName: "postedByReviewer",
      args: [wallet.address, epoch],
    });
    if (posted + reward > budget)
      throw new ToolError(
        "refused",
        `posting ${formatCiv(reward)} would take you past your per-epoch posting budget: ${formatCiv(posted)} ` +
          `posted in epoch ${epoch} of ${formatCiv(budget)}`,
        { ...amountFields("posted", posted), ...amountFields("budget", budget) },
      );
    const receipt = await transact(
      chain,
      {
        ...board,
        functionName: "postTask",
        args: [reward, duration, getAddress(input.validator ?? ZERO_ADDRESS), input.termsURI],
      },
      { label: "task post" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: board.abi, logs: receipt.logs, eventName: "TaskPosted" });
    const taskId = log?.args.taskId ?? 0n;
    return {
      ...taskFields(taskId, await taskOf(chain, taskId)),
      termsURI: input.termsURI,
      ...amountFields("drawn", log?.args.drawn ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** The city-task tools. */
export const TASK_TOOLS: readonly CivitasTool[] = [
  taskListTool,
  taskShowTool,
  taskTakeTool,
  taskDeliverTool,
  taskPostTool,
  taskAcceptTool,
  taskRejectTool,
] as CivitasTool[];
