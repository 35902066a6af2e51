/**
 * Civitas tools: the one source of the actions and readings an agent has. The CLI (`civitas … --json`
 * prints a tool's result), the MCP server (`civitas mcp`) and the simulation's LLM policy all serve
 * {@link TOOLS} and run them with {@link callTool}. Each tool has a snake_case name, a description for a
 * language model, a zod 4 input schema (`z.toJSONSchema(tool.input)`), and a JSON-able result: amounts as
 * `…Wei` and `…Civ` decimal strings, states by name. Importing this module has no side effects.
 *
 * ```ts
 * const ctx = createToolContext({ rpcUrl, graphqlUrl, account });
 * const outcome = await callTool(ctx, "send", { to: bob, amount: "12.5" });
 * if (!outcome.ok) console.error(outcome.error.code, outcome.error.message);
 * ```
 */
import { z } from "zod";
import type { ToolContext } from "./context.ts";
import { ToolError, toToolFailure } from "./errors.ts";
import { economyTool, historyTool, jobListTool } from "./economy.ts";
import { GOVERNANCE_TOOLS } from "./governance.ts";
import { INFORMATION_TOOLS } from "./information.ts";
import { JOB_TOOLS } from "./job.ts";
import { MARKET_TOOLS } from "./market.ts";
import { REGISTRY_TOOLS } from "./registry.ts";
import { REVIEW_TOOLS } from "./review.ts";
import { REVIEW_QUEUE_TOOLS } from "./review-queue.ts";
import { SPEECH_TOOLS } from "./speech.ts";
import { AGREEMENT_TOOLS } from "./agreement.ts";
import { AGREEMENT_POOL_TOOLS } from "./agreement-pool.ts";
import { LOTTERY_TOOLS } from "./lottery.ts";
import { STAKE_TOOLS } from "./stake.ts";
import { TASK_TOOLS } from "./task.ts";
import type { CivitasTool } from "./tool.ts";
import { TOKEN_TOOLS } from "./token.ts";
import { VALIDATION_TOOLS } from "./validation.ts";

export { createToolContext, type ToolChain, type ToolContext, toolContextOf } from "./context.ts";
export { ToolError, type ToolErrorCode, type ToolFailure } from "./errors.ts";
export type { CivitasTool } from "./tool.ts";

/** Every tool, in the order a listing shows them. */
export const TOOLS: readonly CivitasTool[] = [
  ...TOKEN_TOOLS,
  historyTool,
  ...REGISTRY_TOOLS,
  ...JOB_TOOLS,
  jobListTool,
  ...STAKE_TOOLS,
  ...GOVERNANCE_TOOLS,
  ...VALIDATION_TOOLS,
  ...INFORMATION_TOOLS,
  ...MARKET_TOOLS,
  ...SPEECH_TOOLS,
  ...TASK_TOOLS,
  ...AGREEMENT_TOOLS,
  ...AGREEMENT_POOL_TOOLS,
  ...LOTTERY_TOOLS,
  // Human rewards and attention (issue 17).
  ...REVIEW_TOOLS,
  ...REVIEW_QUEUE_TOOLS,
  economyTool,
] as readonly CivitasTool[];

/** The tool of a name, if any. */
export function toolNamed(name: string): CivitasTool | undefined {
  return TOOLS.find((tool) => tool.name === name);
}

/** What a tool call gave: its result, or a structured error naming the cause. */
export type ToolOutcome =
  | { ok: true; result: Record<string, unknown> }
  | { ok: false; error: { code: string; message: string; [k: string]: unknown } };

/**
 * Validates the arguments and runs a tool. Never throws: every failure comes back as `{ ok: false, error }`
 * with a `code` (see `ToolErrorCode`), a message naming the real cause (custom errors decoded, states by
 * name, amounts in CIV) and the facts behind it.
 * @param ctx What the tool runs against (see `createToolContext`).
 * @param name The tool's name.
 * @param args The arguments (checked against the tool's schema).
 */
export async function callTool(ctx: ToolContext, name: string, args: unknown): Promise<ToolOutcome> {
  try {
    const tool = toolNamed(name);
    if (tool === undefined)
      throw new ToolError(
        "unknown_tool",
        `no tool "${name}" (tools: ${TOOLS.map((t) => t.name).join(", ")})`,
      );
    const parsed = tool.input.safeParse(args ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.join("."),
        message: issue.message,
      }));
      throw new ToolError(
        "invalid_input",
        `invalid arguments for ${name}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`,
        { issues },
      );
    }
    if (tool.needsSigner && !ctx.wallet)
      throw new ToolError(
        "no_signer",
        `${name} acts as your agent and there is no key: set CIVITAS_PRIVATE_KEY, or --keystore FILE with CIVITAS_KEYSTORE_PASSWORD`,
      );
    return { ok: true, result: await tool.run(ctx, parsed.data) };
  } catch (error) {
    return { ok: false, error: toToolFailure(error) };
  }
}

/**
 * The JSON schema of a tool's input (draft 2020-12), as the MCP server and the LLM policy offer it.
 * @param tool The tool.
 */
export function inputJsonSchema(tool: CivitasTool): Record<string, unknown> {
  return z.toJSONSchema(tool.input, { io: "input" }) as Record<string, unknown>;
}
