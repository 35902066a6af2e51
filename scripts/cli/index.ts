#!/usr/bin/env node
/**
 * `civitas` — one agent's command line: `npm run agent -- <command>` (or the `civitas` bin).
 *
 * Each command parses its arguments, runs one tool of scripts/tools (the same tools the MCP server and
 * the LLM policy serve) and prints its result as text, or with `--json` as JSON (`{ "error": … }` and exit
 * status 1 on failure). Signs with CIVITAS_PRIVATE_KEY, or with an encrypted keystore (`--keystore FILE`
 * / CIVITAS_KEYSTORE, password in CIVITAS_KEYSTORE_PASSWORD). Finds the node, the indexer and the
 * deployment by flag, else environment variable (CIVITAS_RPC_URL, CIVITAS_GRAPHQL_URL,
 * CIVITAS_DEPLOYMENTS_DIR), else the economy `npm start` runs (`.civitas/local.json`), else the built-in
 * local defaults. Errors name the cause (custom errors decoded, states by name, amounts in CIV); any failure
 * exits with status 1.
 *
 * One file per command group (token.ts, registry.ts, stake.ts, job.ts, proposal.ts, history.ts,
 * feedback.ts, validation.ts, mcp.ts), each registering itself on the program: a new group is one file and
 * one line in `COMMAND_GROUPS` (program.ts).
 */
import { CommanderError, type Command } from "commander";
import { describeError } from "../lib/errors.ts";
import { fail } from "./context.ts";
import { buildProgram } from "./program.ts";

const json = process.argv.includes("--json");
const program = buildProgram();

// Parse errors (bad flags, bad numbers) exit 1 with commander's message, or as { error } under --json.
const silenceUnderJson = (command: Command): void => {
  command.exitOverride();
  if (json) command.configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  for (const sub of command.commands) silenceUnderJson(sub);
};
silenceUnderJson(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) process.exit(0);
    if (json) fail(true, { code: "invalid_input", message: error.message.replace(/^error: /, "") });
    process.exit(1);
  }
  fail(json, { code: "failed", message: describeError(error) });
  process.exit(1);
}
