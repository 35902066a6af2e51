/**
 * Payments an agent can retry safely, over CIV's ERC-3009 (`transferWithAuthorization`): the payer signs an
 * EIP-712 authorization whose nonce derives from its address and a payment id the caller chooses, so the
 * same payment id can be sent any number of times (after a timeout, a crash, a lost receipt) and CIV moves
 * once; a retry reports the payment that already happened. Also the typed-data definitions that tests, the
 * x402 scheme and the SDK share. Importing this module has no side effects.
 *
 * ```ts
 * const receipt = await pay({ client, wallet: alice, token: civitas.token }, { to: bob, amount: parseCiv("5"), paymentId: "invoice-42" });
 * // retried after a timeout: same paymentId → { status: "already-paid", transactionHash: <the first one> }
 * ```
 */
import {
  type Address,
  decodeEventLog,
  encodeAbiParameters,
  type Hash,
  type Hex,
  keccak256,
  type LocalAccount,
  parseSignature,
  toHex,
  type TransactionReceipt,
} from "viem";
import { civitasTokenAbi } from "../../generated/abis.ts";
import type { AgentWallet, CivitasPublicClient } from "./clients.ts";
import { TxError } from "./clients.ts";

/**
 * The ERC-3009 typed-data structs, field for field as the standard (and the token's typehashes) define
 * them. Usable with viem's `signTypedData` and ethers' `signTypedData` alike.
 */
export const ERC3009_TYPES = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
  ReceiveWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
  CancelAuthorization: [
    { name: "authorizer", type: "address" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** The token's EIP-712 domain: name "Civitas", version "1" (ERC20Permit), this chain, this token. */
export interface TokenDomain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
}

/** One transfer authorization, as signed (amounts in wei, times in seconds). */
export interface TransferAuthorization {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
}

/** Reads the token's EIP-712 domain from its ERC-5267 `eip712Domain()`. */
export async function readTokenDomain(client: CivitasPublicClient, token: Address): Promise<TokenDomain> {
  const [, name, version, chainId, verifyingContract] = await client.readContract({
    address: token,
    abi: civitasTokenAbi,
    functionName: "eip712Domain",
  });
  return { name, version, chainId: Number(chainId), verifyingContract };
}

/**
 * The ERC-3009 nonce of a payment: `keccak256(abi.encode("civitas.payment", payer, paymentId))`. The same
 * payer and payment id always give the same nonce, which the token spends once; different ids (or payers)
 * give unrelated, uniformly distributed 32-byte nonces, as the standard asks.
 * @param payer The paying account.
 * @param paymentId The caller's id for this payment (any non-empty string: an invoice, a job id, a UUID).
 */
export function paymentNonce(payer: Address, paymentId: string): Hex {
  if (paymentId.length === 0) throw new Error("payment id must not be empty");
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "address" }, { type: "string" }],
      ["civitas.payment", payer, paymentId],
    ),
  );
}

/** A fresh random 32-byte nonce (for a one-off authorization with no payment id). */
export function randomNonce(): Hex {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Signs a `TransferWithAuthorization` (or, with `primaryType`, a `ReceiveWithAuthorization`).
 * @param account The payer's signing account (`authorization.from`).
 * @param domain The token's domain ({@link readTokenDomain}).
 * @param authorization What is authorised.
 * @returns The 65-byte signature.
 */
export async function signTransferAuthorization(
  account: LocalAccount,
  domain: TokenDomain,
  authorization: TransferAuthorization,
  primaryType: "TransferWithAuthorization" | "ReceiveWithAuthorization" = "TransferWithAuthorization",
): Promise<Hex> {
  return account.signTypedData({ domain, types: ERC3009_TYPES, primaryType, message: authorization });
}

/** Splits a 65-byte signature into the `(v, r, s)` the token's first overload takes. */
export function splitSignature(signature: Hex): { v: number; r: Hex; s: Hex } {
  const { r, s, v, yParity } = parseSignature(signature);
  return { v: Number(v ?? BigInt(27 + (yParity ?? 0))), r, s };
}

/** What {@link pay} did. */
export interface PaymentResult {
  /** `paid` when this call moved the CIV; `already-paid` when an earlier call with this id had. */
  status: "paid" | "already-paid";
  /** The payment id, and the ERC-3009 nonce derived from it. */
  paymentId: string;
  nonce: Hex;
  from: Address;
  to: Address;
  /** The gross amount, in wei (the payee receives it net of the token's tax). */
  amount: bigint;
  /** The tax the token charged, in wei (0 for a protocol-account payee). */
  tax: bigint;
  /** The transaction that moved the CIV (the earlier one for `already-paid`). */
  transactionHash: Hash;
  blockNumber: bigint;
}

/** Everything {@link pay} needs. */
export interface PayContext {
  client: CivitasPublicClient;
  /** The payer's wallet: it signs the authorization and submits it. */
  wallet: AgentWallet;
  /** The token's address. */
  token: Address;
}

/** Error thrown when a payment id was already spent on a different payment (other payee or amount). */
export class PaymentIdConflictError extends Error {
  /** The payment id that was reused. */
  readonly paymentId: string;
  /** The payment made earlier with it (`undefined` when it was canceled). */
  readonly existing: PaymentResult | undefined;
  constructor(paymentId: string, existing: PaymentResult | undefined) {
    super(
      existing
        ? `payment id "${paymentId}" was already used for ${existing.amount} wei to ${existing.to} in ${existing.transactionHash}`
        : `payment id "${paymentId}" was canceled (its authorization nonce is spent with no payment)`,
    );
    this.name = "PaymentIdConflictError";
    this.paymentId = paymentId;
    this.existing = existing;
  }
}

/**
 * Pays `amount` wei of CIV to `to`, at most once per `(payer, paymentId)`: a signed ERC-3009 authorization
 * whose nonce is {@link paymentNonce}, submitted by the payer. Before signing, and again when the
 * submission is refused because the nonce is spent (a racing retry), it looks the earlier payment up in the
 * token's `AuthorizationUsed` events and returns it as `already-paid`. The payment is an ordinary transfer
 * for the token: taxed, and refused when the payee would exceed the wealth cap (the nonce then stays unused).
 * @param ctx Public client, the payer's wallet, the token.
 * @param payment.to The payee.
 * @param payment.amount Gross amount, in wei.
 * @param payment.paymentId The caller's id for this payment (default: a random one, so no retry safety).
 * @param payment.validForSeconds How long the signed authorization stays usable, from the latest block's
 * time (default 3,600 s).
 * @throws PaymentIdConflictError when the id was used for a different payee or amount, or canceled;
 * TxError when the token refuses the payment for another reason (balance, cap, ...).
 */
export async function pay(
  ctx: PayContext,
  payment: { to: Address; amount: bigint; paymentId?: string; validForSeconds?: number },
): Promise<PaymentResult> {
  const paymentId = payment.paymentId ?? randomNonce();
  const from = ctx.wallet.address;
  const nonce = paymentNonce(from, paymentId);
  const expect = { paymentId, nonce, from, to: payment.to, amount: payment.amount };
  const existing = await findPayment(ctx, expect);
  if (existing) return existing;
  const [domain, block] = await Promise.all([
    readTokenDomain(ctx.client, ctx.token),
    ctx.client.getBlock({ blockTag: "latest" }),
  ]);
  const authorization: TransferAuthorization = {
    from,
    to: payment.to,
    value: payment.amount,
    validAfter: 0n,
    validBefore: block.timestamp + BigInt(payment.validForSeconds ?? 3_600),
    nonce,
  };
  const signature = await signTransferAuthorization(ctx.wallet.account, domain, authorization);
  const { v, r, s } = splitSignature(signature);
  let receipt: TransactionReceipt;
  try {
    receipt = await ctx.wallet.execute(
      {
        address: ctx.token,
        abi: civitasTokenAbi,
        functionName: "transferWithAuthorization",
        args: [from, payment.to, payment.amount, 0n, authorization.validBefore, nonce, v, r, s],
      },
      { label: `pay ${paymentId}` },
    );
  } catch (error) {
    // A retry racing the original: the nonce was spent between the look-up and this submission.
    if (error instanceof TxError && error.revert?.name === "ERC3009AuthorizationUsedOrCanceled") {
      const raced = await findPayment(ctx, expect);
      if (raced) return raced;
    }
    throw error;
  }
  return { ...readPayment(receipt, expect), status: "paid" };
}

/**
 * The earlier payment with this nonce, `undefined` when the nonce is unused.
 * @throws PaymentIdConflictError when the nonce was canceled or paid someone else or another amount.
 */
async function findPayment(
  ctx: PayContext,
  expect: { paymentId: string; nonce: Hex; from: Address; to: Address; amount: bigint },
): Promise<PaymentResult | undefined> {
  const spent = await ctx.client.readContract({
    address: ctx.token,
    abi: civitasTokenAbi,
    functionName: "authorizationState",
    args: [expect.from, expect.nonce],
  });
  if (!spent) return undefined;
  const [used] = await ctx.client.getContractEvents({
    address: ctx.token,
    abi: civitasTokenAbi,
    eventName: "AuthorizationUsed",
    args: { authorizer: expect.from, nonce: expect.nonce },
    fromBlock: 0n,
    strict: true,
  });
  if (!used) throw new PaymentIdConflictError(expect.paymentId, undefined);
  const receipt = await ctx.client.getTransactionReceipt({ hash: used.transactionHash });
  const found = { ...readPayment(receipt, expect), status: "already-paid" as const };
  if (found.to.toLowerCase() !== expect.to.toLowerCase() || found.amount !== expect.amount) {
    throw new PaymentIdConflictError(expect.paymentId, found);
  }
  return found;
}

/**
 * Reads the payment made by an authorized transfer from its receipt: among the token's events after the
 * `AuthorizationUsed` of `nonce`, its `TaxCharged` (ordinary payee: gross and tax), or else its first
 * `Transfer` leg (protocol-account payee: untaxed).
 */
function readPayment(
  receipt: TransactionReceipt,
  expect: { paymentId: string; nonce: Hex; from: Address },
): Omit<PaymentResult, "status"> {
  const events = [];
  for (const log of receipt.logs) {
    try {
      events.push(decodeEventLog({ abi: civitasTokenAbi, data: log.data, topics: log.topics }));
    } catch {
      // Another contract's event, or one the token's ABI does not know.
    }
  }
  const start = events.findIndex(
    (e) =>
      e.eventName === "AuthorizationUsed" &&
      e.args.nonce === expect.nonce &&
      e.args.authorizer.toLowerCase() === expect.from.toLowerCase(),
  );
  if (start < 0)
    throw new Error(`transaction ${receipt.transactionHash} used no authorization ${expect.nonce}`);
  const next = events.slice(start + 1);
  const end = next.findIndex((e) => e.eventName === "AuthorizationUsed");
  const own = end < 0 ? next : next.slice(0, end);
  const base = {
    paymentId: expect.paymentId,
    nonce: expect.nonce,
    transactionHash: receipt.transactionHash,
    blockNumber: receipt.blockNumber,
  };
  for (const e of own) {
    if (e.eventName === "TaxCharged")
      return { ...base, from: e.args.from, to: e.args.to, amount: e.args.gross, tax: e.args.tax };
  }
  for (const e of own) {
    if (e.eventName === "Transfer")
      return { ...base, from: e.args.from, to: e.args.to, amount: e.args.value, tax: 0n };
  }
  throw new Error(`transaction ${receipt.transactionHash} holds no payment for nonce ${expect.nonce}`);
}
