import { expect } from "chai";
import { network } from "hardhat";
import { type Address, createPublicClient, custom, type EIP1193Provider } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import {
  AgentWallet,
  civitasChain,
  type CivitasPublicClient,
  DEVNET_MNEMONIC,
} from "../../scripts/lib/clients.ts";
import {
  buyWithX402,
  decodeHeader,
  encodeHeader,
  type PaymentPayload,
  type PaymentRequirements,
  startX402Seller,
  type X402Seller,
} from "../../scripts/lib/x402.ts";
import { CIV, deployFoundation, taxOf } from "../helpers/fixtures.ts";

const connection = await network.create();
const { ethers } = connection;

describe("x402: selling information for CIV (exact scheme over ERC-3009)", function () {
  this.timeout(120_000);
  let seller: X402Seller;
  let client: CivitasPublicClient;
  let token: Address;
  let base: Awaited<ReturnType<typeof deployFoundation>>;
  const buyer = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: 1 }); // alice
  const price = 3n * CIV;

  before(async function () {
    base = await deployFoundation(ethers);
    token = (await base.token.getAddress()) as Address;
    client = createPublicClient({
      chain: civitasChain("http://in-process", Number((await ethers.provider.getNetwork()).chainId)),
      transport: custom(connection.provider as unknown as EIP1193Provider),
      pollingInterval: 10,
    }) as unknown as CivitasPublicClient;
    const wallet = new AgentWallet({
      client,
      account: mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: 2 }),
    }); // bob
    seller = await startX402Seller({
      client,
      wallet,
      token,
      resources: [
        { path: "/forecast", priceWei: price, description: "tomorrow's job prices", content: () => "up 3%" },
      ],
    });
  });

  after(async function () {
    await seller?.close();
  });

  it("answers 402 with the exact scheme's PaymentRequirements until paid", async function () {
    const response = await fetch(`${seller.url}/forecast`);
    expect(response.status).to.equal(402);
    const body = (await response.json()) as {
      x402Version: number;
      error: string;
      accepts: PaymentRequirements[];
    };
    expect(body.x402Version).to.equal(1);
    expect(body.error).to.equal("X-PAYMENT header is required");
    expect(body.accepts).to.deep.equal([
      {
        scheme: "exact",
        network: `eip155:${(await ethers.provider.getNetwork()).chainId}`,
        maxAmountRequired: price.toString(),
        resource: `${seller.url}/forecast`,
        description: "tomorrow's job prices",
        mimeType: "text/plain",
        payTo: base.agents[1]!.address,
        maxTimeoutSeconds: 300,
        asset: token,
        extra: { name: "Civitas", version: "1" },
      },
    ]);
  });

  it("delivers once paid, settling a taxed CIV payment, and says so in X-PAYMENT-RESPONSE", async function () {
    const [alice, bob] = base.agents;
    const before = [await base.token.balanceOf(alice), await base.token.balanceOf(bob)];
    const purchase = await buyWithX402(`${seller.url}/forecast`, {
      client,
      account: buyer,
      token,
      maxPriceWei: price,
    });
    expect(purchase.status).to.equal(200);
    expect(purchase.body).to.equal("up 3%");
    expect(purchase.settlement).to.deep.include({ success: true, payer: alice!.address });
    expect(await base.token.balanceOf(alice)).to.equal(before[0]! - price);
    expect(await base.token.balanceOf(bob)).to.equal(before[1]! + price - taxOf(price, 1_000n));
    expect(seller.sales.at(-1)).to.deep.include({ path: "/forecast", payer: alice!.address, amount: price });
    const receipt = await ethers.provider.getTransactionReceipt(purchase.settlement!.transaction);
    expect(receipt?.status).to.equal(1);
  });

  it("refuses a replayed X-PAYMENT (nonce used), an underpayment, a wrong payee and garbage, delivering nothing", async function () {
    const offer = (await (await fetch(`${seller.url}/forecast`)).json()) as {
      accepts: PaymentRequirements[];
    };
    const requirements = offer.accepts[0]!;
    const last = seller.sales.length;
    // Capture a valid payment by paying once through a recording fetch.
    const paid = await buyWithX402(`${seller.url}/forecast`, {
      client,
      account: buyer,
      token,
      maxPriceWei: price,
    });
    expect(paid.status).to.equal(200);
    const sale = seller.sales.at(-1)!;
    const header = await signedHeader(requirements, sale.nonce);
    const attempts: [string, string][] = [
      [header, "invalid_exact_evm_payload_authorization_nonce_used"],
      [
        await signedHeader({ ...requirements, maxAmountRequired: (price - 1n).toString() }),
        "invalid_exact_evm_payload_authorization_value",
      ],
      [
        await signedHeader({ ...requirements, payTo: buyer.address }),
        "invalid_exact_evm_payload_recipient_mismatch",
      ],
      [tamper(await signedHeader(requirements)), "invalid_exact_evm_payload_signature"],
      ["not base64 json", "invalid_payload: X-PAYMENT is not base64 JSON"],
    ];
    for (const [value, error] of attempts) {
      const response = await fetch(`${seller.url}/forecast`, { headers: { "X-PAYMENT": value } });
      expect(response.status, error).to.equal(402);
      expect(((await response.json()) as { error: string }).error).to.equal(error);
    }
    expect(seller.sales.length).to.equal(last + 1);
  });

  it("refuses to pay above the buyer's limit, sending nothing", async function () {
    const error = await buyWithX402(`${seller.url}/forecast`, {
      client,
      account: buyer,
      token,
      maxPriceWei: price - 1n,
    }).catch((e: unknown) => e);
    expect(String(error)).to.match(/above the limit/);
  });

  /** A signed X-PAYMENT for `requirements` (optionally reusing a nonce). */
  async function signedHeader(requirements: PaymentRequirements, nonce?: `0x${string}`) {
    const { readTokenDomain, signTransferAuthorization, randomNonce } =
      await import("../../scripts/lib/payments.ts");
    const domain = await readTokenDomain(client, token);
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const authorization = {
      from: buyer.address,
      to: requirements.payTo,
      value: BigInt(requirements.maxAmountRequired),
      validAfter: 0n,
      validBefore: now + 300n,
      nonce: nonce ?? randomNonce(),
    };
    const signature = await signTransferAuthorization(buyer, domain, authorization);
    const payload: PaymentPayload = {
      x402Version: 1,
      scheme: "exact",
      network: requirements.network,
      payload: {
        signature,
        authorization: {
          ...authorization,
          value: authorization.value.toString(),
          validAfter: "0",
          validBefore: authorization.validBefore.toString(),
        },
      },
    };
    return encodeHeader(payload);
  }

  /** The same header with the amount raised after signing. */
  function tamper(header: string) {
    const payment = decodeHeader<PaymentPayload>(header);
    payment.payload.authorization.value = (BigInt(payment.payload.authorization.value) + 1n).toString();
    return encodeHeader(payment);
  }
});
