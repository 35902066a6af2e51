/**
 * `civitas address | balance | send | votes delegate`: the signing account, CIV balances and payments,
 * token votes.
 */
import type { Command } from "commander";
import { type Address, parseEventLogs } from "viem";
import { formatCiv } from "../lib/format.ts";
import { address, amount, connect, done, signer, signingAccount } from "./context.ts";

/** Registers the token commands on `program`. */
export function registerTokenCommands(program: Command): void {
  program
    .command("address")
    .description("print the signing account's address")
    .action(async (_options, command: Command) => {
      console.log((await signingAccount(command)).address);
    });

  program
    .command("balance")
    .description("CIV balance, holdings against the wealth cap, and votes of an address (default: yours)")
    .argument("[address]", "the account (default: the signing account)", address)
    .action(async (who: Address | undefined, _options, command: Command) => {
      const { client, contracts } = await connect(command);
      const target = who ?? (await signingAccount(command)).address;
      const read = (functionName: string, args: readonly unknown[] = []) =>
        client.readContract({ ...contracts.token, functionName, args } as never) as Promise<bigint>;
      const [balance, holdings, cap, votes, eth] = await Promise.all([
        read("balanceOf", [target]),
        read("holdingsOf", [target]),
        read("wealthCap"),
        read("getVotes", [target]),
        client.getBalance({ address: target }),
      ]);
      console.log(`${target}
  balance   ${formatCiv(balance)}
  holdings  ${formatCiv(holdings)} of a ${formatCiv(cap)} wealth cap (${cap ? Number((holdings * 10_000n) / cap) / 100 : 0}%)
  votes     ${formatCiv(votes)}
  gas money ${formatCiv(eth, 4, "ETH")}`);
    });

  program
    .command("send")
    .description("pay another agent (taxed at the token's tax rate)")
    .argument("<to>", "recipient address", address)
    .argument("<amount>", "gross amount in CIV, e.g. 12.5", amount)
    .action(async (to: Address, gross: bigint, _options, command: Command) => {
      const { wallet, contracts } = await signer(command);
      const receipt = await wallet.execute(
        { ...contracts.token, functionName: "transfer", args: [to, gross] },
        { label: "send" },
      );
      // The tax as charged (the token's TaxCharged event; none when the transfer is untaxed).
      const tax = parseEventLogs({
        abi: contracts.token.abi,
        logs: receipt.logs,
        eventName: "TaxCharged",
      }).reduce((sum, log) => sum + log.args.tax, 0n);
      done(
        `Sent ${formatCiv(gross)} to ${to}: ${formatCiv(gross - tax)} net, ${formatCiv(tax)} tax.`,
        receipt,
      );
    });

  const votes = program.command("votes").description("token voting power");
  votes
    .command("delegate")
    .description("delegate your token votes (default: to yourself, which activates them)")
    .argument("[delegatee]", "who votes with your tokens", address)
    .action(async (delegatee: Address | undefined, _options, command: Command) => {
      const { wallet, contracts } = await signer(command);
      const to = delegatee ?? wallet.address;
      const receipt = await wallet.execute(
        { ...contracts.token, functionName: "delegate", args: [to] },
        { label: "votes delegate" },
      );
      done(`Token votes delegated to ${to}.`, receipt);
    });
}
