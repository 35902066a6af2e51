/**
 * The `civitas` program: global options with their defaults and every command group. Building it has no
 * side effects; scripts/cli/index.ts parses the command line with it.
 */
import { Command } from "commander";
import { endpointDefaults } from "./context.ts";
import { registerFeedbackCommands } from "./feedback.ts";
import { registerHistoryCommands } from "./history.ts";
import { registerJobCommands } from "./job.ts";
import { registerMarketCommands } from "./market.ts";
import { registerFaucetCommands } from "./faucet.ts";
import { registerMcpCommands } from "./mcp.ts";
import { registerProposalCommands } from "./proposal.ts";
import { registerRegistryCommands } from "./registry.ts";
import { registerSpeechCommands } from "./speech.ts";
import { registerAgreementCommands } from "./agreement.ts";
import { registerLotteryCommands } from "./lottery.ts";
// Human rewards and attention (issue 17).
import { registerReviewCommands } from "./review.ts";
import { registerStakeCommands } from "./stake.ts";
import { registerTaskCommands } from "./task.ts";
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
  registerMarketCommands,
  registerMcpCommands,
  registerFaucetCommands,
  registerSpeechCommands,
  registerTaskCommands,
  registerAgreementCommands,
  registerLotteryCommands,
  registerReviewCommands,
] as const;

/**
 * The program with its global options (defaults: environment, then the running economy, then built-in)
 * and every command group.
 */
export function buildProgram(): Command {
  const defaults = endpointDefaults();
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
  return program;
}
