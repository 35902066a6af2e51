/** Reading tools: `economy` (the economy's summary), `history` (from the indexer), `job_list`. */
import { type Address, getAddress } from "viem";
import { z } from "zod";
import { queryGraphql } from "../lib/graphql.ts";
import { EscrowState } from "../lib/vocabulary.ts";
import { addressInput, amountFields, isoTime, subject } from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** `economy`: the economy's figures as the contracts hold them now. */
export const economyTool = defineTool({
  name: "economy",
  description:
    "The economy now: CIV supply and circulating supply, tax and wealth-cap rates and the cap in CIV, what " +
    "the Treasury holds, registered agents, birth grant and daily upkeep, jobs created, CIV bonded in " +
    "staking, and the governor's proposal threshold. Amounts in CIV, rates in bps.",
  input: z.object({}),
  needsSigner: false,
  async run(ctx) {
    const { client, contracts, deployment } = await ctx.chain();
    const { token, registry, escrow, staking, treasury, governor } = contracts;
    const block = await client.getBlock({ blockTag: "latest" });
    const [supply, circulating, taxBps, capBps, cap, mintable, treasuryBalance] = await Promise.all([
      client.readContract({ ...token, functionName: "totalSupply" }),
      client.readContract({ ...token, functionName: "circulatingSupply" }),
      client.readContract({ ...token, functionName: "taxBps" }),
      client.readContract({ ...token, functionName: "capBps" }),
      client.readContract({ ...token, functionName: "wealthCap" }),
      client.readContract({ ...token, functionName: "mintableNow" }),
      client.readContract({ ...token, functionName: "balanceOf", args: [treasury.address] }),
    ]);
    const [agents, grant, upkeep, jobs, bonded, threshold] = await Promise.all([
      client.readContract({ ...registry, functionName: "totalAgents" }),
      client.readContract({ ...registry, functionName: "birthGrant" }),
      client.readContract({ ...registry, functionName: "upkeepPerDay" }),
      client.readContract({ ...escrow, functionName: "escrowCount" }),
      client.readContract({ ...staking, functionName: "totalBonded" }),
      client.readContract({ ...governor, functionName: "proposalThreshold" }),
    ]);
    return {
      chainId: deployment.chainId,
      blockNumber: block.number.toString(),
      time: block.timestamp.toString(),
      timeIso: isoTime(block.timestamp),
      ...amountFields("totalSupply", supply),
      ...amountFields("circulatingSupply", circulating),
      taxBps: taxBps.toString(),
      capBps: capBps.toString(),
      ...amountFields("wealthCap", cap),
      ...amountFields("mintableNow", mintable),
      ...amountFields("treasury", treasuryBalance),
      agents: agents.toString(),
      ...amountFields("birthGrant", grant),
      ...amountFields("upkeepPerDay", upkeep),
      jobs: jobs.toString(),
      ...amountFields("totalBonded", bonded),
      ...amountFields("proposalThreshold", threshold),
      contracts: deployment.contracts,
    };
  },
});

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

const HISTORY_QUERY = `query($a: String!, $n: Int!) {
  out: transfers(where: { from: $a }, orderBy: "timestamp", orderDirection: "desc", limit: $n) {
    items { from to amount gross tax kind timestamp transactionHash } }
  in: transfers(where: { to: $a }, orderBy: "timestamp", orderDirection: "desc", limit: $n) {
    items { from to amount gross tax kind timestamp transactionHash } } }`;

/** `history`: an account's latest CIV movements, from the indexer only (no node needed). */
export const historyTool = defineTool({
  name: "history",
  description:
    "An account's latest CIV movements (default: yours), newest first, from the indexer: kind (payment, " +
    "tax, grant, escrow, ...), direction, counterparty and amount in CIV.",
  input: z.object({
    address: addressInput("the account (default: yours)").optional(),
    limit: z.number().int().positive().max(1_000).optional().describe("how many (default 20)"),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const target = getAddress(subject(ctx, input.address)).toLowerCase();
    const limit = input.limit ?? 20;
    const url = ctx.graphqlUrl;
    if (!url)
      throw new ToolError(
        "unsupported",
        "no indexer GraphQL URL configured (--graphql / CIVITAS_GRAPHQL_URL)",
      );
    const data = await queryGraphql<{ out: { items: Row[] }; in: { items: Row[] } }>(url, HISTORY_QUERY, {
      a: target,
      n: limit,
    }).catch((error: Error) => {
      throw new ToolError(
        "network",
        `cannot query the indexer at ${url} (--graphql / CIVITAS_GRAPHQL_URL): ${error.message}` +
          (error.cause ? ` (${(error.cause as Error).message ?? error.cause})` : ""),
        { url },
      );
    });
    const rows = [...data.out.items, ...data.in.items]
      .sort((a, b) => Number(BigInt(b.timestamp) - BigInt(a.timestamp)))
      .slice(0, limit);
    return {
      address: getAddress(target),
      movements: rows.map((row) => {
        const incoming = row.to.toLowerCase() === target;
        return {
          time: row.timestamp,
          timeIso: isoTime(BigInt(row.timestamp)),
          kind: row.kind,
          direction: incoming ? "in" : "out",
          counterparty: getAddress(incoming ? row.from : row.to),
          ...amountFields("amount", BigInt(row.amount)),
          ...amountFields("gross", BigInt(row.gross)),
          ...amountFields("tax", BigInt(row.tax)),
          txHash: row.transactionHash,
        };
      }),
    };
  },
});

/** `job_list`: recent jobs an address is party to, read from the chain. */
export const jobListTool = defineTool({
  name: "job_list",
  description:
    "Recent jobs you (or an address) are party to, newest first, read from the chain: id, your role " +
    "(client, provider, arbitrator), state by name, amount in CIV. Use it to find jobs offered to you " +
    "(state Created, role provider) or awaiting your acceptance as arbitrator (state Agreed).",
  input: z.object({
    address: addressInput("the party (default: you)").optional(),
    state: z
      .enum(EscrowState.names.slice(1) as [string, ...string[]])
      .optional()
      .describe("only jobs in this state"),
    scan: z
      .number()
      .int()
      .positive()
      .max(5_000)
      .optional()
      .describe("how many of the latest jobs to look at (default 500)"),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const who = getAddress(subject(ctx, input.address)) as Address;
    const { client, contracts } = await ctx.chain();
    const count = await client.readContract({ ...contracts.escrow, functionName: "escrowCount" });
    const first = count > BigInt(input.scan ?? 500) ? count - BigInt(input.scan ?? 500) + 1n : 1n;
    const ids: bigint[] = [];
    for (let i = count; i >= first; i--) ids.push(i);
    const jobs = await Promise.all(
      ids.map((escrowId) =>
        client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [escrowId] }),
      ),
    );
    const list = jobs.flatMap((e, i) => {
      const role =
        e.client === who
          ? "client"
          : e.provider === who
            ? "provider"
            : e.arbitrator === who
              ? "arbitrator"
              : undefined;
      const state = EscrowState.nameOf(e.state);
      if (role === undefined || (input.state !== undefined && state !== input.state)) return [];
      return [
        {
          escrowId: ids[i]!.toString(),
          role,
          state,
          client: e.client,
          provider: e.provider,
          arbitrator: e.arbitrator,
          ...amountFields("amount", e.amount),
          ...amountFields("arbitratorFee", e.arbitratorFee),
          ...amountFields("bond", e.bond),
          deliveryDeadlineIso: isoTime(e.deliveryDeadline),
        },
      ];
    });
    return { address: who, jobCount: count.toString(), jobs: list };
  },
});
