/**
 * Selling information for CIV over HTTP with x402's `exact` scheme on EIP-3009 (x402 protocol version 1
 * wire format): a resource answers `402 Payment Required` with its `PaymentRequirements` until a request
 * carries an `X-PAYMENT` header (base64 JSON: a signed `TransferWithAuthorization` to the seller), then the
 * seller verifies it, settles it on chain with `transferWithAuthorization`, and answers 200 with the content
 * and an `X-PAYMENT-RESPONSE` header (base64 JSON: success, transaction, network, payer).
 *
 * Why not the official packages: `x402` 1.x only knows a fixed list of public networks (no local chain
 * 31337); `@x402/evm` 2.x accepts any `eip155:<id>` chain, but its facilitator checks the validity window
 * against the wall clock (a simulation's chain runs days ahead) and, after settling, requires a `Transfer`
 * log of exactly `value` from payer to payee, which a taxed CIV payment never emits (the payee's leg is
 * net of tax, the tax is a second leg to the Treasury). So the scheme's verification is implemented here with
 * viem, field for field: the seller acts as its own facilitator. `network` is the CAIP-2 id `eip155:<chainId>`.
 * Importing this module has no side effects.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Address, getAddress, type Hash, type Hex, type LocalAccount, verifyTypedData } from "viem";
import { civitasTokenAbi } from "../../generated/abis.ts";
import type { AgentWallet, CivitasPublicClient } from "./clients.ts";
import { describeError } from "./errors.ts";
import {
  ERC3009_TYPES,
  paymentNonce,
  randomNonce,
  readTokenDomain,
  signTransferAuthorization,
  splitSignature,
  type TokenDomain,
} from "./payments.ts";

/** The x402 protocol version spoken here. */
export const X402_VERSION = 1;

/** x402 `PaymentRequirements` for the `exact` scheme (amounts as decimal wei strings). */
export interface PaymentRequirements {
  scheme: "exact";
  network: string;
  maxAmountRequired: string;
  resource: string;
  description: string;
  mimeType: string;
  payTo: Address;
  maxTimeoutSeconds: number;
  asset: Address;
  extra: { name: string; version: string };
}

/** x402 `PaymentPayload` carried (base64 JSON) in the `X-PAYMENT` header. */
export interface PaymentPayload {
  x402Version: number;
  scheme: "exact";
  network: string;
  payload: {
    signature: Hex;
    authorization: {
      from: Address;
      to: Address;
      value: string;
      validAfter: string;
      validBefore: string;
      nonce: Hex;
    };
  };
}

/** x402 settlement response carried (base64 JSON) in the `X-PAYMENT-RESPONSE` header. */
export interface SettleResponse {
  success: boolean;
  transaction: Hash | "";
  network: string;
  payer: Address;
  errorReason?: string;
}

/** The CAIP-2 network id of a chain. */
export function networkOf(chainId: number): string {
  return `eip155:${chainId}`;
}

/** Base64 JSON, as x402 headers carry it. */
export function encodeHeader(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}

/** Decodes a base64 JSON header. @throws on malformed input. */
export function decodeHeader<T>(header: string): T {
  return JSON.parse(Buffer.from(header, "base64").toString("utf8")) as T;
}

/** One resource for sale. */
export interface PaidResource {
  /** Path it is served under, e.g. `/report`. */
  path: string;
  /** Price, gross in wei (the seller receives it net of tax). */
  priceWei: bigint;
  description: string;
  mimeType?: string;
  /** The content delivered once paid. */
  content: () => string | Promise<string>;
}

/** A sale that settled. */
export interface Sale {
  path: string;
  payer: Address;
  amount: bigint;
  nonce: Hex;
  transaction: Hash;
}

/** A running x402 seller. */
export interface X402Seller {
  url: string;
  server: Server;
  sales: Sale[];
  close(): Promise<void>;
}

/**
 * Serves `resources` over HTTP for CIV, settling each payment with the seller's own wallet (it pays the
 * gas). Verification follows x402's `exact` EVM scheme: scheme and network match; the authorization pays
 * `payTo` at least `maxAmountRequired`; `validAfter` is not in the future and `validBefore` is at least
 * 6 s ahead, both against the chain's latest block time; the EIP-712 signature is the payer's; the nonce is
 * unused; the payer holds the amount. Anything else answers 402 with `error` naming the reason.
 * @param options.client Public client; `options.wallet` the seller (payee and settler); `options.token` CIV.
 * @param options.port Port (default: a free one), bound to 127.0.0.1.
 */
export async function startX402Seller(options: {
  client: CivitasPublicClient;
  wallet: AgentWallet;
  token: Address;
  resources: readonly PaidResource[];
  port?: number;
  maxTimeoutSeconds?: number;
}): Promise<X402Seller> {
  const { client, wallet, token } = options;
  const domain = await readTokenDomain(client, token);
  const network = networkOf(domain.chainId);
  const sales: Sale[] = [];
  let baseUrl = "";
  const requirementsOf = (resource: PaidResource): PaymentRequirements => ({
    scheme: "exact",
    network,
    maxAmountRequired: resource.priceWei.toString(),
    resource: `${baseUrl}${resource.path}`,
    description: resource.description,
    mimeType: resource.mimeType ?? "text/plain",
    payTo: wallet.address,
    maxTimeoutSeconds: options.maxTimeoutSeconds ?? 300,
    asset: token,
    extra: { name: domain.name, version: domain.version },
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const resource = options.resources.find((r) => r.path === (req.url ?? "").split("?")[0]);
    if (!resource) return json(res, 404, { error: "no such resource" });
    const requirements = requirementsOf(resource);
    const refuse = (error: string) =>
      json(res, 402, { x402Version: X402_VERSION, error, accepts: [requirements] });
    const header = req.headers["x-payment"];
    if (typeof header !== "string") return refuse("X-PAYMENT header is required");
    let payment: PaymentPayload;
    try {
      payment = decodeHeader<PaymentPayload>(header);
    } catch {
      return refuse("invalid_payload: X-PAYMENT is not base64 JSON");
    }
    const reason = await verifyPayment(client, domain, requirements, payment);
    if (reason) return refuse(reason);
    const auth = payment.payload.authorization;
    const { v, r, s } = splitSignature(payment.payload.signature);
    let transaction: Hash;
    try {
      const receipt = await wallet.execute(
        {
          address: token,
          abi: civitasTokenAbi,
          functionName: "transferWithAuthorization",
          args: [
            auth.from,
            auth.to,
            BigInt(auth.value),
            BigInt(auth.validAfter),
            BigInt(auth.validBefore),
            auth.nonce,
            v,
            r,
            s,
          ],
        },
        { label: `x402 ${resource.path}` },
      );
      transaction = receipt.transactionHash;
    } catch (error) {
      return refuse(`settlement_failed: ${describeError(error)}`);
    }
    sales.push({
      path: resource.path,
      payer: auth.from,
      amount: BigInt(auth.value),
      nonce: auth.nonce,
      transaction,
    });
    const settled: SettleResponse = { success: true, transaction, network, payer: auth.from };
    res.writeHead(200, {
      "content-type": requirements.mimeType,
      "x-payment-response": encodeHeader(settled),
      "access-control-expose-headers": "X-PAYMENT-RESPONSE",
    });
    res.end(await resource.content());
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { error: describeError(error) }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    server,
    sales,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * Verifies an `X-PAYMENT` payload against requirements as x402's exact EVM scheme does (see
 * {@link startX402Seller}); the chain's latest block time stands for "now".
 * @returns `undefined` when valid, else the x402 reason (`invalid_exact_evm_payload_…`, `insufficient_funds`, …).
 */
export async function verifyPayment(
  client: CivitasPublicClient,
  domain: TokenDomain,
  requirements: PaymentRequirements,
  payment: PaymentPayload,
): Promise<string | undefined> {
  if (payment?.x402Version !== X402_VERSION) return "invalid_x402_version";
  if (payment.scheme !== "exact" || requirements.scheme !== "exact") return "unsupported_scheme";
  if (payment.network !== requirements.network) return "invalid_network";
  const auth = payment.payload?.authorization;
  if (!auth || typeof payment.payload.signature !== "string") return "invalid_payload";
  let value: bigint, validAfter: bigint, validBefore: bigint;
  try {
    [value, validAfter, validBefore] = [
      BigInt(auth.value),
      BigInt(auth.validAfter),
      BigInt(auth.validBefore),
    ];
  } catch {
    return "invalid_payload";
  }
  if (getAddress(auth.to) !== getAddress(requirements.payTo))
    return "invalid_exact_evm_payload_recipient_mismatch";
  if (value < BigInt(requirements.maxAmountRequired)) return "invalid_exact_evm_payload_authorization_value";
  const now = (await client.getBlock({ blockTag: "latest" })).timestamp;
  if (validBefore < now + 6n) return "invalid_exact_evm_payload_authorization_valid_before";
  if (validAfter > now) return "invalid_exact_evm_payload_authorization_valid_after";
  const valid = await verifyTypedData({
    address: auth.from,
    domain,
    types: ERC3009_TYPES,
    primaryType: "TransferWithAuthorization",
    message: { from: auth.from, to: auth.to, value, validAfter, validBefore, nonce: auth.nonce },
    signature: payment.payload.signature,
  }).catch(() => false);
  if (!valid) return "invalid_exact_evm_payload_signature";
  const [spent, balance] = await Promise.all([
    client.readContract({
      address: domain.verifyingContract,
      abi: civitasTokenAbi,
      functionName: "authorizationState",
      args: [auth.from, auth.nonce],
    }),
    client.readContract({
      address: domain.verifyingContract,
      abi: civitasTokenAbi,
      functionName: "balanceOf",
      args: [auth.from],
    }),
  ]);
  if (spent) return "invalid_exact_evm_payload_authorization_nonce_used";
  if (balance < value) return "insufficient_funds";
  return undefined;
}

/** What {@link buyWithX402} got. */
export interface Purchase {
  status: number;
  body: string;
  /** The seller's settlement, when it paid. */
  settlement?: SettleResponse;
  /** What was asked for (the 402's first `exact` requirement on this network), when it paid. */
  requirements?: PaymentRequirements;
}

/**
 * Fetches an x402 resource, paying in CIV when it answers 402: picks the `exact` requirement on this
 * chain, refuses one above `maxPriceWei` or for another asset, signs a `TransferWithAuthorization` of
 * `maxAmountRequired` to `payTo` (valid from now until the latest block time plus `maxTimeoutSeconds`) and
 * retries with `X-PAYMENT`. With a `paymentId`, the nonce derives from it ({@link paymentNonce}), so a
 * retried purchase can never pay twice.
 * @throws Error naming the reason when no acceptable requirement is offered.
 */
export async function buyWithX402(
  url: string,
  options: {
    client: CivitasPublicClient;
    account: LocalAccount;
    token: Address;
    maxPriceWei: bigint;
    paymentId?: string;
  },
): Promise<Purchase> {
  // A redirect could lead anywhere the caller did not choose: it is an answer, never followed.
  const first = await fetch(url, { redirect: "manual" });
  if (first.status !== 402) return { status: first.status, body: await first.text() };
  const offer = (await first.json()) as { accepts?: PaymentRequirements[] };
  const domain = await readTokenDomain(options.client, options.token);
  const requirements = offer.accepts?.find(
    (r) => r.scheme === "exact" && r.network === networkOf(domain.chainId),
  );
  if (!requirements) throw new Error(`${url} offers no exact payment on ${networkOf(domain.chainId)}`);
  if (getAddress(requirements.asset) !== getAddress(options.token))
    throw new Error(`${url} asks to be paid in ${requirements.asset}, not CIV (${options.token})`);
  const price = BigInt(requirements.maxAmountRequired);
  if (price > options.maxPriceWei)
    throw new Error(`${url} costs ${price} wei, above the limit ${options.maxPriceWei}`);
  const now = (await options.client.getBlock({ blockTag: "latest" })).timestamp;
  const authorization = {
    from: options.account.address,
    to: getAddress(requirements.payTo),
    value: price,
    validAfter: 0n,
    validBefore: now + BigInt(requirements.maxTimeoutSeconds),
    nonce: options.paymentId ? paymentNonce(options.account.address, options.paymentId) : randomNonce(),
  };
  const signature = await signTransferAuthorization(options.account, domain, authorization);
  const payment: PaymentPayload = {
    x402Version: X402_VERSION,
    scheme: "exact",
    network: requirements.network,
    payload: {
      signature,
      authorization: {
        ...authorization,
        value: authorization.value.toString(),
        validAfter: authorization.validAfter.toString(),
        validBefore: authorization.validBefore.toString(),
      },
    },
  };
  const paid = await fetch(url, { headers: { "X-PAYMENT": encodeHeader(payment) }, redirect: "manual" });
  const header = paid.headers.get("x-payment-response");
  return {
    status: paid.status,
    body: await paid.text(),
    requirements,
    ...(header ? { settlement: decodeHeader<SettleResponse>(header) } : {}),
  };
}
