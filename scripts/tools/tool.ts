/**
 * The shape of a Civitas tool (one definition serves the CLI, the MCP server and the LLM policy) and
 * {@link defineTool}, which keeps each definition's input type. Importing this module has no side effects.
 */
import type { z } from "zod";
import type { ToolContext } from "./context.ts";

/** One action or reading an agent can take, with its input schema and a JSON-able result. */
export interface CivitasTool<I extends z.ZodObject = z.ZodObject> {
  /** snake_case name, e.g. "send", "job_create", "balance". */
  name: string;
  /** For a language model: what it does, who may call it, units (CIV as decimal strings). */
  description: string;
  /** zod 4 schema of the arguments (`z.toJSONSchema(tool.input)` gives the JSON schema). */
  input: I;
  /** Whether the tool signs transactions (needs the context's wallet). */
  needsSigner: boolean;
  /**
   * Runs the tool.
   * @returns A JSON-able result: amounts as `…Wei` and `…Civ` decimal strings, states by name.
   * @throws ToolError (or any error; `callTool` turns it into a structured error).
   */
  run(ctx: ToolContext, input: z.infer<I>): Promise<Record<string, unknown>>;
}

/** Declares a tool, keeping its input type for `run` (the identity at run time). */
export function defineTool<I extends z.ZodObject>(tool: CivitasTool<I>): CivitasTool<I> {
  return tool;
}
