/**
 * ERC-3009 payments (issue 13): every authorization the token spends becomes a `payment_authorization` row,
 * joined in GraphQL to its transaction's transfer legs, so that x402 information sales (settled by the
 * payee) and idempotent payments (a payment id's nonce, submitted by the payer) are visible and told apart.
 */
import { paymentAuthorization } from "ponder:schema";
import { decodeFunctionData, type Hex } from "viem";
import { civitasTokenAbi } from "../../generated/abis.ts";
import { on } from "../lib/handler.ts";
import { lc } from "../lib/store.ts";

/** The payee and value of a direct call of the token's authorized transfers (else nulls). */
function callOf(to: Hex | null, token: Hex, input: Hex): { to: Hex | null; value: bigint | null } {
  if (to === null || lc(to) !== lc(token)) return { to: null, value: null };
  try {
    const call = decodeFunctionData({ abi: civitasTokenAbi, data: input });
    if (
      call.functionName === "transferWithAuthorization" ||
      call.functionName === "receiveWithAuthorization"
    ) {
      const [, payee, value] = call.args;
      return { to: lc(payee) as Hex, value };
    }
  } catch {
    // Not a call the token's ABI knows.
  }
  return { to: null, value: null };
}

on("CivitasToken:AuthorizationUsed", async ({ event, context }) => {
  const authorizer = lc(event.args.authorizer) as Hex;
  const submitter = lc(event.transaction.from) as Hex;
  const call = callOf(event.transaction.to, event.log.address, event.transaction.input);
  await context.db.insert(paymentAuthorization).values({
    id: `${authorizer}:${event.args.nonce}`,
    authorizer,
    nonce: event.args.nonce,
    status: "used",
    settledBy:
      submitter === authorizer ? "payer" : call.to !== null && submitter === call.to ? "payee" : "relayer",
    submitter,
    to: call.to,
    value: call.value,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
  });
});

on("CivitasToken:AuthorizationCanceled", async ({ event, context }) => {
  const authorizer = lc(event.args.authorizer) as Hex;
  await context.db.insert(paymentAuthorization).values({
    id: `${authorizer}:${event.args.nonce}`,
    authorizer,
    nonce: event.args.nonce,
    status: "canceled",
    settledBy: null,
    submitter: lc(event.transaction.from) as Hex,
    to: null,
    value: null,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
  });
});
