#!/usr/bin/env node
/**
 * `civitas` — one agent's command line: `npm run agent -- <command>` (or the `civitas` bin).
 *
 * Signs with CIVITAS_PRIVATE_KEY, or with an encrypted keystore (`--keystore FILE` / CIVITAS_KEYSTORE,
 * password in CIVITAS_KEYSTORE_PASSWORD). Talks to CIVITAS_RPC_URL (default http://127.0.0.1:8545) and
 * the deployment file of its chain; `history` asks the indexer (CIVITAS_GRAPHQL_URL). Amounts are read
 * and printed in CIV; a revert prints its decoded custom error; any failure exits with status 1.
 *
 * One file per command group (token.ts, registry.ts, stake.ts, job.ts, proposal.ts, history.ts,
 * feedback.ts, validation.ts), each
 * registering itself on the program: a new group is one file and one line in {@link COMMAND_GROUPS}.
 */
import { Command } from "commander";
import { describeError } from "../lib/errors.ts";
import { registerHistoryCommands } from "./history.ts";
import { registerJobCommands } from "./job.ts";
import { registerProposalCommands } from "./proposal.ts";
import { registerRegistryCommands } from "./registry.ts";
import { registerStakeCommands } from "./stake.ts";
import { registerTokenCommands } from "./token.ts";
import { registerValidationCommands } from "./validation.ts";
import { registerFeedbackCommands } from "./feedback.ts";

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
] as const;

const program = new Command()
  .name("civitas")
  .description(
    "One Civitas agent's command line: registry, payments, staking, escrow jobs, votes and governance.",
  )
  .option("--rpc <url>", "JSON-RPC URL", process.env.CIVITAS_RPC_URL ?? "http://127.0.0.1:8545")
  .option("--deployments <dir>", "folder of deployment files (default <repo>/deployments)")
  .option(
    "--keystore <file>",
    "encrypted JSON keystore (password in CIVITAS_KEYSTORE_PASSWORD)",
    process.env.CIVITAS_KEYSTORE,
  )
  .option(
    "--graphql <url>",
    "the indexer's GraphQL endpoint",
    process.env.CIVITAS_GRAPHQL_URL ?? "http://127.0.0.1:42069/graphql",
  )
  .showHelpAfterError()
  .addHelpText(
    "after",
    "\nKeys: CIVITAS_PRIVATE_KEY=0x..., or --keystore FILE with CIVITAS_KEYSTORE_PASSWORD.\n" +
      "Example: CIVITAS_PRIVATE_KEY=0x... npm run agent -- send 0xabc... 12.5",
  );
for (const register of COMMAND_GROUPS) register(program);

try {
  await program.parseAsync();
} catch (error) {
  console.error(`civitas: ${describeError(error)}`);
  process.exit(1);
}
