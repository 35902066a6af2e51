/** `civitas feedback give | read`: ERC-8004 feedback in the Reputation Registry. */
import type { Command } from "commander";
import { parseEventLogs, zeroHash } from "viem";
import type { CivitasContracts } from "../lib/contracts.ts";
import { address, connect, done, signer, uint } from "./context.ts";

/** The deployment's ERC-8004 Reputation Registry (fails clearly when it has none). */
function reputationOf(contracts: CivitasContracts) {
  if (!contracts.reputationRegistry) throw new Error("this deployment has no ERC-8004 Reputation Registry");
  return contracts.reputationRegistry;
}

/** Registers the feedback commands on `program`. */
export function registerFeedbackCommands(program: Command): void {
  const feedback = program.command("feedback").description("ERC-8004 feedback: give and read");
  feedback
    .command("give")
    .description("give ERC-8004 feedback about an agent (not one you own or operate)")
    .argument("<agentId>", "the agent rated", uint)
    .argument("<value>", "a signed integer, read with --decimals decimals (e.g. 9977 with 2 = 99.77)")
    .option("--decimals <n>", "decimals of the value (0 to 18)", (v) => Number(uint(v)), 0)
    .option("--tag1 <tag>", "first tag", "")
    .option("--tag2 <tag>", "second tag", "")
    .option("--endpoint <uri>", "the endpoint the feedback is about", "")
    .option("--uri <uri>", "the off-chain feedback file", "")
    .action(async (agentId: bigint, raw: string, o: Record<string, string | number>, command: Command) => {
      if (!/^-?\d+$/.test(raw)) throw new Error(`not an integer value: ${raw}`);
      const { wallet, contracts } = await signer(command);
      const registry = reputationOf(contracts);
      const receipt = await wallet.execute(
        {
          ...registry,
          functionName: "giveFeedback",
          args: [
            agentId,
            BigInt(raw),
            Number(o.decimals),
            String(o.tag1),
            String(o.tag2),
            String(o.endpoint),
            String(o.uri),
            zeroHash,
          ],
        },
        { label: "giveFeedback" },
      );
      const [log] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "NewFeedback" });
      done(`Feedback ${log?.args.feedbackIndex} about agent ${agentId} recorded.`, receipt);
    });
  feedback
    .command("read")
    .description("an agent's ERC-8004 feedback and summary (default clients: every client)")
    .argument("<agentId>", "the agent", uint)
    .option("--client <address...>", "count only these clients (e.g. the escrow contract)")
    .option("--tag1 <tag>", "only this tag1", "")
    .option("--tag2 <tag>", "only this tag2", "")
    .action(
      async (agentId: bigint, o: { client?: string[]; tag1: string; tag2: string }, command: Command) => {
        const { client, contracts } = await connect(command);
        const registry = reputationOf(contracts);
        const listed = (o.client ?? []).map(address);
        const clients =
          listed.length > 0
            ? listed
            : await client.readContract({ ...registry, functionName: "getClients", args: [agentId] });
        if (clients.length === 0) return void console.log(`No feedback about agent ${agentId}.`);
        const [count, value, decimals] = await client.readContract({
          ...registry,
          functionName: "getSummary",
          args: [agentId, clients, o.tag1, o.tag2],
        });
        const [from, indexes, values, valueDecimals, tag1s, tag2s, revoked] = await client.readContract({
          ...registry,
          functionName: "readAllFeedback",
          args: [agentId, clients, o.tag1, o.tag2, true],
        });
        console.log(`Agent ${agentId}: ${count} feedback, average ${value} (${decimals} decimals)`);
        for (const [i, who] of from.entries()) {
          console.log(
            `  ${who} #${indexes[i]} ${values[i]} (${valueDecimals[i]} dec) ${tag1s[i]}/${tag2s[i]}${revoked[i] ? " revoked" : ""}`,
          );
        }
      },
    );
}
