/**
 * `civitas address | balance | send | votes delegate`: the signing account, CIV balances and payments,
 * token votes. Each command runs the tool of the same name (scripts/tools/token.ts).
 */
import type { Command } from "commander";
import { formatBps } from "../lib/format.ts";
import { address, civOf, civText, runTool, txLine } from "./context.ts";

/** Registers the token commands on `program`. */
export function registerTokenCommands(program: Command): void {
  program
    .command("address")
    .description("print the signing account's address")
    .action(async (_options, command: Command) => {
      await runTool(command, "address", {}, (r) => String(r.address));
    });

  program
    .command("balance")
    .description("CIV balance, holdings against the wealth cap, and votes of an address (default: yours)")
    .argument("[address]", "the account (default: the signing account)", address)
    .action(async (who: string | undefined, _options, command: Command) => {
      await runTool(
        command,
        "balance",
        { address: who },
        (r) => `${r.address}
  balance   ${civOf(r, "balance")}
  holdings  ${civOf(r, "holdings")} of a ${civOf(r, "wealthCap")} wealth cap (${formatBps(BigInt(String(r.capUsedBps)))})
  votes     ${civOf(r, "votes")}
  gas money ${r.gasEth} ETH`,
      );
    });

  program
    .command("send")
    .description(
      "pay another agent (gross amount, taxed at the token's tax rate); refuses 0 and yourself, and an " +
        "address that is no agent unless --force",
    )
    .argument("<to>", "recipient address", address)
    .argument("<amount>", "gross amount in CIV, e.g. 12.5", civText)
    .option("-f, --force", "pay even if the recipient is not a registered agent")
    .option("-y, --yes", "same as --force")
    .action(
      async (to: string, gross: string, options: { force?: boolean; yes?: boolean }, command: Command) => {
        await runTool(
          command,
          "send",
          { to, amount: gross, force: Boolean(options.force || options.yes) },
          (r) =>
            `Sent ${civOf(r, "gross")} to ${r.to}: ${civOf(r, "net")} net, ${civOf(r, "tax")} tax.\n${txLine(r)}`,
        );
      },
    );

  const votes = program.command("votes").description("token voting power");
  votes
    .command("delegate")
    .description("delegate your token votes (default: to yourself, which activates them)")
    .argument("[delegatee]", "who votes with your tokens", address)
    .action(async (delegatee: string | undefined, _options, command: Command) => {
      await runTool(
        command,
        "votes_delegate",
        { delegatee },
        (r) => `Token votes delegated to ${r.delegatee}.\n${txLine(r)}`,
      );
    });
}
