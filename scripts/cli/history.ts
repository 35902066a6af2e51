/**
 * `civitas history | economy`: an account's latest CIV movements (from the indexer's GraphQL API alone:
 * no node needed) and the economy's figures (scripts/tools/economy.ts).
 */
import type { Command } from "commander";
import { formatBps } from "../lib/format.ts";
import { address, civOf, intIn, runTool } from "./context.ts";

/** Registers the `history` and `economy` commands on `program`. */
export function registerHistoryCommands(program: Command): void {
  program
    .command("history")
    .description("your (or an address's) latest CIV movements, from the indexer's GraphQL API")
    .argument("[address]", "the account (default: the signing account)", address)
    .option("-n, --limit <n>", "how many", intIn(1, 1_000), 20)
    .action(async (who: string | undefined, options: { limit: number }, command: Command) => {
      await runTool(command, "history", { address: who, limit: options.limit }, (r) => {
        const rows = r.movements as Record<string, unknown>[];
        if (rows.length === 0) return `No movements for ${r.address}.`;
        return rows
          .map((row) => {
            const incoming = row.direction === "in";
            const when = String(row.timeIso).replace(".000Z", "Z");
            return `${when} ${String(row.kind).padEnd(10)} ${incoming ? "+" : "-"}${civOf(row, "amount").padEnd(16)} ${incoming ? "from" : "to  "} ${row.counterparty}`;
          })
          .join("\n");
      });
    });

  program
    .command("economy")
    .description("the economy now: supply, tax and cap, Treasury, agents, jobs, staking")
    .action(async (_options, command: Command) => {
      await runTool(
        command,
        "economy",
        {},
        (r) => `Civitas on chain ${r.chainId}, block ${r.blockNumber} (${r.timeIso})
  supply       ${civOf(r, "totalSupply")} (${civOf(r, "circulatingSupply")} circulating)
  tax          ${formatBps(Number(r.taxBps))} on earnings
  wealth cap   ${civOf(r, "wealthCap")} (${formatBps(Number(r.capBps))} of the supply)
  Treasury     ${civOf(r, "treasury")}
  agents       ${r.agents} (birth grant ${civOf(r, "birthGrant")}, upkeep ${civOf(r, "upkeepPerDay")} per day)
  jobs         ${r.jobs}
  staked       ${civOf(r, "totalBonded")}
  proposing    needs ${civOf(r, "proposalThreshold")} of votes`,
      );
    });
}
