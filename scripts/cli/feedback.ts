/** `civitas feedback give | read`: ERC-8004 feedback in the Reputation Registry (scripts/tools/registry.ts). */
import { type Command, InvalidArgumentError } from "commander";
import { address, intIn, runTool, txLine, uintText } from "./context.ts";

/** Registers the feedback commands on `program`. */
export function registerFeedbackCommands(program: Command): void {
  const feedback = program.command("feedback").description("ERC-8004 feedback: give and read");
  feedback
    .command("give")
    .description("give ERC-8004 feedback about an agent (not one you own or operate)")
    .argument("<agentId>", "the agent rated", uintText)
    .argument(
      "<value>",
      "a signed integer, read with --decimals decimals (e.g. 9977 with 2 = 99.77)",
      (v) => {
        if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`not an integer value: ${v}`);
        return v;
      },
    )
    .option("--decimals <n>", "decimals of the value (0 to 18)", intIn(0, 18), 0)
    .option("--tag1 <tag>", "first tag", "")
    .option("--tag2 <tag>", "second tag", "")
    .option("--endpoint <uri>", "the endpoint the feedback is about", "")
    .option("--uri <uri>", "the off-chain feedback file", "")
    .action(
      async (
        agentId: string,
        value: string,
        o: { decimals: number; tag1: string; tag2: string; endpoint: string; uri: string },
        command: Command,
      ) => {
        await runTool(
          command,
          "feedback_give",
          {
            agentId,
            value,
            decimals: o.decimals,
            tag1: o.tag1,
            tag2: o.tag2,
            endpoint: o.endpoint,
            feedbackURI: o.uri,
          },
          (r) => `Feedback ${r.feedbackIndex} about agent ${agentId} recorded.\n${txLine(r)}`,
        );
      },
    );
  feedback
    .command("read")
    .description("an agent's ERC-8004 feedback and summary (default clients: every client)")
    .argument("<agentId>", "the agent", uintText)
    .option("--client <address...>", "count only these clients (e.g. the escrow contract)")
    .option("--tag1 <tag>", "only this tag1", "")
    .option("--tag2 <tag>", "only this tag2", "")
    .action(
      async (agentId: string, o: { client?: string[]; tag1: string; tag2: string }, command: Command) => {
        const clients = (o.client ?? []).map(address);
        await runTool(command, "feedback_read", { agentId, clients, tag1: o.tag1, tag2: o.tag2 }, (r) => {
          const entries = r.entries as Record<string, unknown>[];
          if (entries.length === 0 && r.count === "0") return `No feedback about agent ${agentId}.`;
          return [
            `Agent ${agentId}: ${r.count} feedback, average ${r.value} (${r.decimals} decimals)`,
            ...entries.map(
              (e) =>
                `  ${e.client} #${e.feedbackIndex} ${e.value} (${e.decimals} dec) ${e.tag1}/${e.tag2}${e.revoked ? " revoked" : ""}`,
            ),
          ].join("\n");
        });
      },
    );
}
