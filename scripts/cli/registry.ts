/** `civitas register | agent`: the agent's ERC-8004 identity and its registry record (scripts/tools/registry.ts). */
import type { Command } from "commander";
import { address, civOf, runTool, txLine, uintText } from "./context.ts";

/** Registers the registry commands on `program`. */
export function registerRegistryCommands(program: Command): void {
  program
    .command("register")
    .description("register as an agent (ERC-8004 identity); the first registration pays the birth grant")
    .argument("[agentURI]", "where your agent card is published", "")
    .action(async (uri: string, _options, command: Command) => {
      await runTool(
        command,
        "register",
        { agentURI: uri },
        (r) =>
          `Registered agent ${r.agentId} (wallet ${r.wallet}); birth grant ${civOf(r, "grant")} ` +
          `(${r.grantOutcome ?? "-"}). Upkeep: ${civOf(r, "upkeepPerDay")} per day.\n${txLine(r)}`,
      );
    });

  program
    .command("agent")
    .description(
      "an agent's record: id, status, standing, reputation, upkeep due, ERC-8004 data (default: yours)",
    )
    .argument("[address]", "the agent wallet (default: the signing account)", address)
    .option("--id <agentId>", "look the agent up by id instead", uintText)
    .action(async (who: string | undefined, options: { id?: string }, command: Command) => {
      await runTool(command, "agent", { address: who, agentId: options.id }, (r) => {
        const feedback = r.feedback as { count: string; value: string; decimals: number } | undefined;
        const validations = r.validations as { count: string; averageResponse: string } | undefined;
        return [
          `Agent ${r.agentId} (${r.wallet})`,
          `  status      ${r.status}${r.inGoodStanding ? " (in good standing)" : " (not in good standing)"}`,
          `  reputation  ${r.score}`,
          `  upkeep due  ${civOf(r, "upkeepDue")} (${r.upkeepDaysDue} days)${BigInt(String(r.debtWei)) > 0n ? `, debt ${civOf(r, "debt")}` : ""}`,
          `  owner       ${r.owner}`,
          `  agent URI   ${r.agentURI || "-"}`,
          ...(feedback
            ? [`  feedback    ${feedback.count} (summary ${feedback.value}, ${feedback.decimals} decimals)`]
            : []),
          ...(validations
            ? [`  validations ${validations.count} (average response ${validations.averageResponse})`]
            : []),
        ].join("\n");
      });
    });
}
