/** Information tools: `information_buy` (an x402 resource paid in CIV over EIP-3009). */
import { formatEther } from "viem";
import { z } from "zod";
import { describeError } from "../lib/errors.ts";
import { buyWithX402 } from "../lib/x402.ts";
import { civ, civInput, signerOf } from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** Most characters of a bought resource returned in the result (the rest is cut, and says so). */
export const INFORMATION_MAX_CHARS = 4_000;

/** `information_buy`: fetches an x402 resource, paying its price in CIV when it answers 402. */
export const informationBuyTool = defineTool({
  name: "information_buy",
  description:
    "Buy information another agent sells over HTTP (x402 `exact` scheme): fetches the URL; when it answers " +
    "402 Payment Required, signs an EIP-3009 transfer of its price in CIV to the seller (taxed like any " +
    "payment) and fetches it again with the payment. Refuses a price above maxPrice. With a paymentId, a " +
    "retried purchase never pays twice. Returns the content and the settlement transaction.",
  input: z.object({
    url: z
      .string()
      .regex(/^https?:\/\/\S+$/, "an http(s) URL")
      .describe("the resource's URL (http or https)"),
    maxPrice: civInput("the most you will pay"),
    paymentId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("your id for this purchase: retrying with the same id never pays twice"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const { client, contracts, wallet } = await signerOf(ctx);
    let purchase;
    try {
      purchase = await buyWithX402(input.url, {
        client,
        account: wallet.account,
        token: contracts.token.address,
        maxPriceWei: civ(input.maxPrice),
        paymentId: input.paymentId,
      });
    } catch (error) {
      if (error instanceof TypeError)
        throw new ToolError("network", `cannot reach ${input.url}: ${describeError(error)}`, {
          url: input.url,
        });
      throw new ToolError("refused", describeError(error), { url: input.url });
    }
    if (purchase.status !== 200)
      throw new ToolError(
        "failed",
        `${input.url} answered ${purchase.status}: ${purchase.body.slice(0, 300)}`,
        { url: input.url, status: purchase.status },
      );
    const price = purchase.requirements ? BigInt(purchase.requirements.maxAmountRequired) : 0n;
    return {
      url: input.url,
      paid: purchase.settlement !== undefined,
      priceWei: price.toString(),
      priceCiv: formatEther(price),
      ...(purchase.settlement
        ? { txHash: purchase.settlement.transaction, seller: purchase.requirements?.payTo }
        : {}),
      content: purchase.body.slice(0, INFORMATION_MAX_CHARS),
      truncated: purchase.body.length > INFORMATION_MAX_CHARS,
    };
  },
});

/** Every information tool. */
export const INFORMATION_TOOLS = [informationBuyTool] as const;
