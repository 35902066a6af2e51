/** `civitas history`: an account's latest CIV movements, from the indexer's GraphQL API. */
import type { Command } from "commander";
import type { Address } from "viem";
import { formatCiv } from "../lib/format.ts";
import { queryGraphql } from "../lib/graphql.ts";
import { address, globalOptions, signingAccount } from "./context.ts";

/** A transfer leg as the indexer serves it (bigints as decimal strings). */
interface Row {
  from: string;
  to: string;
  amount: string;
  gross: string;
  tax: string;
  kind: string;
  timestamp: string;
  transactionHash: string;
}

const query = `query($a: String!, $n: Int!) {
  out: transfers(where: { from: $a }, orderBy: "timestamp", orderDirection: "desc", limit: $n) {
    items { from to amount gross tax kind timestamp transactionHash } }
  in: transfers(where: { to: $a }, orderBy: "timestamp", orderDirection: "desc", limit: $n) {
    items { from to amount gross tax kind timestamp transactionHash } } }`;

/** Registers the `history` command on `program`. */
export function registerHistoryCommands(program: Command): void {
  program
    .command("history")
    .description("your (or an address's) latest CIV movements, from the indexer's GraphQL API")
    .argument("[address]", "the account (default: the signing account)", address)
    .option("-n, --limit <n>", "how many", (v) => Number(v), 20)
    .action(async (who: Address | undefined, options: { limit: number }, command: Command) => {
      const target = (who ?? (await signingAccount(command)).address).toLowerCase();
      const url = globalOptions(command).graphql;
      const data = await queryGraphql<{ out: { items: Row[] }; in: { items: Row[] } }>(url, query, {
        a: target,
        n: options.limit,
      }).catch((error: Error) => {
        throw new Error(
          `cannot query the indexer at ${url} (--graphql / CIVITAS_GRAPHQL_URL): ${error.message}`,
        );
      });
      const rows = [...data.out.items, ...data.in.items]
        .sort((a, b) => Number(BigInt(b.timestamp) - BigInt(a.timestamp)))
        .slice(0, options.limit);
      if (rows.length === 0) return void console.log(`No movements for ${target}.`);
      for (const row of rows) {
        const incoming = row.to.toLowerCase() === target;
        const when = new Date(Number(row.timestamp) * 1000).toISOString().replace(".000Z", "Z");
        console.log(
          `${when} ${row.kind.padEnd(10)} ${incoming ? "+" : "-"}${formatCiv(BigInt(row.amount)).padEnd(16)} ${incoming ? "from" : "to  "} ${incoming ? row.from : row.to}`,
        );
      }
    });
}
