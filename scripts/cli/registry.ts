/** `civitas register | agent`: the agent's ERC-8004 identity and its registry record. */
import type { Command } from "commander";
import { type Address, parseEventLogs } from "viem";
import { formatCiv } from "../lib/format.ts";
import { AgentStatus, GrantOutcome } from "../lib/vocabulary.ts";
import { address, connect, done, signer, signingAccount } from "./context.ts";

/** Registers the registry commands on `program`. */
export function registerRegistryCommands(program: Command): void {
  program
    .command("register")
    .description("register as an agent (ERC-8004 identity); the first registration pays the birth grant")
    .argument("[agentURI]", "where your agent card is published", "")
    .action(async (uri: string, _options, command: Command) => {
      const { wallet, contracts, client } = await signer(command);
      const receipt = await wallet.execute(
        { ...contracts.registry, functionName: "register", args: [uri] },
        { label: "register" },
      );
      const [log] = parseEventLogs({
        abi: contracts.registry.abi,
        logs: receipt.logs,
        eventName: "AgentRegistered",
      });
      const upkeep = await client.readContract({ ...contracts.registry, functionName: "upkeepPerDay" });
      done(
        `Registered agent ${log?.args.agentId} (wallet ${wallet.address}); birth grant ${formatCiv(log?.args.grant ?? 0n)} ` +
          `(${log === undefined ? "-" : GrantOutcome.nameOf(log.args.grantOutcome)}). Upkeep: ${formatCiv(upkeep)} per day.`,
        receipt,
      );
    });

  program
    .command("agent")
    .description("an agent's registry record: id, status, reputation, upkeep due (default: yours)")
    .argument("[address]", "the agent wallet (default: the signing account)", address)
    .action(async (who: Address | undefined, _options, command: Command) => {
      const { client, contracts } = await connect(command);
      const target = who ?? (await signingAccount(command)).address;
      const id = await client.readContract({
        ...contracts.registry,
        functionName: "agentIdOf",
        args: [target],
      });
      if (id === 0n) throw new Error(`${target} is not a registered agent wallet (run \`register\`)`);
      const [status, score, [daysDue, due]] = await Promise.all([
        client.readContract({ ...contracts.registry, functionName: "statusOf", args: [id] }),
        client.readContract({ ...contracts.registry, functionName: "scoreOf", args: [id] }),
        client.readContract({ ...contracts.registry, functionName: "upkeepDue", args: [id] }),
      ]);
      console.log(`Agent ${id} (${target})
  status      ${AgentStatus.nameOf(status)}
  reputation  ${score}
  upkeep due  ${formatCiv(due)} (${daysDue} days)`);
    });
}
