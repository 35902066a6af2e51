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
 * one line in {@link COMMAND_GROUPS}.
 */
import { Command, CommanderError } from "commander";
import { describeError } from "../lib/errors.ts";
import { endpointDefaults, fail } from "./context.ts";
import { registerFeedbackCommands } from "./feedback.ts";
import { registerHistoryCommands } from "./history.ts";
import { registerJobCommands } from "./job.ts";
import { registerMcpCommands } from "./mcp.ts";
import { registerProposalCommands } from "./proposal.ts";
import { registerRegistryCommands } from "./registry.ts";
import { registerStakeCommands } from "./stake.ts";
import { registerTokenCommands } from "./token.ts";
import { registerValidationCommands } from "./validation.ts";

/** The command groups, in the order `--help` lists them. */
export const COMMAND_GROUPS = [
  registerTokenCommands,
  registerRegistryCommands,
  registerStakeCommands,
  registerJobCommands,
  registerProposalCommands,
  registerHistoryCommands,
  registerFeedbackCommands,
  registerValidationCommands,
  registerMcpCommands,
] as const;

const defaults = endpointDefaults();
const json = process.argv.includes("--json");

const program = new Command()
  .name("civitas")
  .description(
    "One Civitas agent's command line: registry, payments, staking, escrow jobs, votes and governance.",
  )
  .option("--rpc <url>", "JSON-RPC URL (env CIVITAS_RPC_URL; default: the running economy's)", defaults.rpc)
  .option(
    "--deployments <dir>",
    "folder of deployment files (env CIVITAS_DEPLOYMENTS_DIR; default: the running economy's, else <repo>/deployments)",
    defaults.deployments,
  )
  .option(
    "--keystore <file>",
    "encrypted JSON keystore (password in CIVITAS_KEYSTORE_PASSWORD)",
    process.env.CIVITAS_KEYSTORE,
  )
  .option(
    "--graphql <url>",
    "the indexer's GraphQL endpoint (env CIVITAS_GRAPHQL_URL; default: the running economy's)",
    defaults.graphql,
  )
  .option("--json", 'print the result as JSON ({ "error": ... } and exit status 1 on failure)')
  .showHelpAfterError()
  .addHelpText(
    "after",
    "\nKeys: CIVITAS_PRIVATE_KEY=0x..., or --keystore FILE with CIVITAS_KEYSTORE_PASSWORD.\n" +
      "Example: CIVITAS_PRIVATE_KEY=0x... npm run agent -- send 0xabc... 12.5",
  );
for (const register of COMMAND_GROUPS) register(program);

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
