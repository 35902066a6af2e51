/** Token tools: `address`, `balance`, `send`, `votes_delegate`. */
import { type Address, formatEther, getAddress, parseEventLogs } from "viem";
import { z } from "zod";
import { formatCiv } from "../lib/format.ts";
import { PaymentIdConflictError, pay } from "../lib/payments.ts";
import { taxOf } from "../lib/vocabulary.ts";
import {
  addressInput,
  amountFields,
  civ,
  civInput,
  signerOf,
  subject,
  transact,
  txFields,
} from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** `address`: the signing agent's address and agent id. */
export const addressTool = defineTool({
  name: "address",
  description:
    "Your own wallet address (the key this session signs with) and your agent id (0: not registered).",
  input: z.object({}),
  needsSigner: true,
  async run(ctx) {
    const me = subject(ctx, undefined);
    const { client, contracts } = await ctx.chain();
    const agentId = await client.readContract({
      ...contracts.registry,
      functionName: "agentIdOf",
      args: [me],
    });
    return { address: me, agentId: agentId.toString() };
  },
});

/** `balance`: CIV balance, holdings against the wealth cap, votes and gas money. */
export const balanceTool = defineTool({
  name: "balance",
  description:
    "CIV balance of an address (default: yours), its holdings (balance + staked + escrowed) against the " +
    "wealth cap, the headroom left under the cap, its voting power, and its ETH for gas. Amounts in CIV.",
  input: z.object({ address: addressInput("the account (default: yours)").optional() }),
  needsSigner: false,
  async run(ctx, input) {
    const who = getAddress(subject(ctx, input.address));
    const { client, contracts } = await ctx.chain();
    const read = (functionName: string, args: readonly unknown[] = []) =>
      client.readContract({ ...contracts.token, functionName, args } as never) as Promise<bigint>;
    const [balance, holdings, cap, votes, taxBps, gas] = await Promise.all([
      read("balanceOf", [who]),
      read("holdingsOf", [who]),
      read("wealthCap"),
      read("getVotes", [who]),
      read("taxBps"),
      client.getBalance({ address: who }),
    ]);
    return {
      address: who,
      ...amountFields("balance", balance),
      ...amountFields("holdings", holdings),
      ...amountFields("wealthCap", cap),
      ...amountFields("headroom", cap > holdings ? cap - holdings : 0n),
      capUsedBps: cap > 0n ? ((holdings * 10_000n) / cap).toString() : "0",
      ...amountFields("votes", votes),
      taxBps: taxBps.toString(),
      gasWei: gas.toString(),
      gasEth: formatEther(gas),
    };
  },
});

/** `send`: a taxed CIV payment, refusing 0, oneself and (unless forced) an address that is no agent. */
export const sendTool = defineTool({
  name: "send",
  description:
    "Pay CIV to another agent. The amount is gross: the recipient gets it minus the tax on earnings. " +
    "Refuses 0, paying yourself, and paying an address that is not a registered agent unless force is true.",
  input: z.object({
    to: addressInput("the recipient's address"),
    amount: civInput("the gross amount to pay"),
    force: z.boolean().optional().describe("pay even if the recipient is not a registered agent"),
    paymentId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        "your id for this payment (e.g. an invoice): retrying with the same id never pays twice, it reports the earlier payment",
      ),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { client, contracts, wallet } = chain;
    const to = getAddress(input.to) as Address;
    const gross = civ(input.amount);
    if (gross === 0n) throw new ToolError("refused", "refusing to send 0 CIV", { to });
    if (to === wallet.address)
      throw new ToolError("refused", `refusing to pay yourself (${to}): it would only pay tax`, { to });
    const [agentId, isProtocol, taxBps, held] = await Promise.all([
      client.readContract({ ...contracts.registry, functionName: "agentIdOf", args: [to] }),
      client.readContract({ ...contracts.token, functionName: "isProtocolAccount", args: [to] }),
      client.readContract({ ...contracts.token, functionName: "taxBps" }),
      client.readContract({ ...contracts.token, functionName: "balanceOf", args: [wallet.address] }),
    ]);
    if (agentId === 0n && !isProtocol && !input.force)
      throw new ToolError(
        "refused",
        `${to} is not a registered agent: CIV sent there may be lost (pass force / --force to pay anyway)`,
        { to, notAnAgent: true },
      );
    // With a payment id: an ERC-3009 payment whose nonce derives from the id (PAY, issue 13), checked
    // before the balance, since a retry of a payment already made needs no balance.
    if (input.paymentId !== undefined) return sendOnce(chain, to, gross, input.paymentId);
    const tax = taxOf(gross, taxBps);
    if (held < gross)
      throw new ToolError(
        "insufficient_balance",
        `cannot send ${formatCiv(gross)} (gross, of which ${formatCiv(tax)} tax and ${formatCiv(gross - tax)} ` +
          `to ${to}): ${wallet.address} holds ${formatCiv(held)}`,
        {
          address: wallet.address,
          ...amountFields("balance", held),
          ...amountFields("needed", gross),
          ...amountFields("tax", tax),
        },
      );
    const receipt = await transact(
      chain,
      { ...contracts.token, functionName: "transfer", args: [to, gross] },
      { label: "send" },
      ctx.onProgress,
    );
    // The tax as charged (the token's TaxCharged event; none when the transfer is untaxed).
    const charged = parseEventLogs({
      abi: contracts.token.abi,
      logs: receipt.logs,
      eventName: "TaxCharged",
    }).reduce((sum, log) => sum + log.args.tax, 0n);
    return {
      from: wallet.address,
      to,
      ...amountFields("gross", gross),
      ...amountFields("net", gross - charged),
      ...amountFields("tax", charged),
      ...txFields(receipt),
    };
  },
});

/** `send` with a payment id: at most one payment per (payer, id), see `pay` in scripts/lib/payments.ts. */
async function sendOnce(
  chain: Awaited<ReturnType<typeof signerOf>>,
  to: Address,
  gross: bigint,
  paymentId: string,
): Promise<Record<string, unknown>> {
  let payment;
  try {
    payment = await pay(
      { client: chain.client, wallet: chain.wallet, token: chain.contracts.token.address },
      {
        to,
        amount: gross,
        paymentId,
      },
    );
  } catch (error) {
    if (error instanceof PaymentIdConflictError)
      throw new ToolError("refused", error.message, {
        paymentId,
        existingTxHash: error.existing?.transactionHash ?? null,
      });
    throw error;
  }
  return {
    from: payment.from,
    to: payment.to,
    paymentId,
    status: payment.status,
    ...amountFields("gross", payment.amount),
    ...amountFields("net", payment.amount - payment.tax),
    ...amountFields("tax", payment.tax),
    txHash: payment.transactionHash,
    blockNumber: payment.blockNumber.toString(),
  };
}

/** `votes_delegate`: lends the token's voting power. */
export const votesDelegateTool = defineTool({
  name: "votes_delegate",
  description:
    "Delegate your token votes (default: to yourself, which activates them; needed before voting).",
  input: z.object({ delegatee: addressInput("who votes with your tokens (default: you)").optional() }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const to = getAddress(input.delegatee ?? chain.wallet.address);
    const receipt = await transact(
      chain,
      { ...chain.contracts.token, functionName: "delegate", args: [to] },
      { label: "votes delegate" },
      ctx.onProgress,
    );
    return { delegatee: to, ...txFields(receipt) };
  },
});

/** The token tools. */
export const TOKEN_TOOLS = [addressTool, balanceTool, sendTool, votesDelegateTool] as const;
