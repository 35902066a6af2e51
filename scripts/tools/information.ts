/**
 * Information tools: `information_buy` (an x402 resource paid in CIV over EIP-3009).
 *
 * What it may fetch (issue 13: agents sell information to agents): only hosts on an allowlist — loopback
 * (`localhost`, 127.0.0.0/8, `::1`, where the simulation's sellers serve) unless `CIVITAS_INFORMATION_HOSTS`
 * names others (`host` or `host:port`, comma-separated; `*` allows any) — never following a redirect, and
 * so a URL given by a model or a stranger cannot make the agent's process fetch arbitrary hosts (an internal
 * service, a cloud metadata endpoint).
 */
import { formatEther } from "viem";
import { z } from "zod";
import { describeError } from "../lib/errors.ts";
import { buyWithX402 } from "../lib/x402.ts";
import { civ, civInput, signerOf } from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** The environment variable naming the hosts `information_buy` may fetch besides loopback. */
export const INFORMATION_HOSTS_ENV = "CIVITAS_INFORMATION_HOSTS";

const LOOPBACK = ["localhost", "127.0.0.0/8", "::1"];

/** Whether a URL's host is allowed: loopback, or an entry (`host`, `host:port`, `*`) of `allowed`. */
export function informationHostAllowed(url: URL, allowed: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  if (host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host)) return true;
  return allowed.some((entry) => {
    const e = entry.trim().toLowerCase();
    if (e === "*") return true;
    const [h, p] = e.startsWith("[") ? [e.slice(1, e.indexOf("]")), e.split("]:")[1]] : e.split(":");
    return h === host && (p === undefined || p === port);
  });
}

/** The configured extra hosts ({@link INFORMATION_HOSTS_ENV}). */
export const informationHosts = (): string[] =>
  (process.env[INFORMATION_HOSTS_ENV] ?? "").split(",").filter((h) => h.trim() !== "");

/** Most characters of a bought resource returned in the result (the rest is cut, and says so). */
export const INFORMATION_MAX_CHARS = 4_000;

/** `information_buy`: fetches an x402 resource, paying its price in CIV when it answers 402. */
export const informationBuyTool = defineTool({
  name: "information_buy",
  description:
    "Buy information another agent sells over HTTP (x402 `exact` scheme): fetches the URL; when it answers " +
    "402 Payment Required, signs an EIP-3009 transfer of its price in CIV to the seller (taxed like any " +
    "payment) and fetches it again with the payment. Refuses a price above maxPrice, and hosts that are " +
    "not allowed (loopback, or CIVITAS_INFORMATION_HOSTS). With a " +
    "paymentId, a retried purchase never pays twice. Returns the content and the settlement transaction.",
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
    const allowed = informationHosts();
    const url = new URL(input.url);
    if (!informationHostAllowed(url, allowed))
      throw new ToolError(
        "refused",
        `information_buy fetches only allowed hosts, and ${url.host} is not one (allowed: ${[...LOOPBACK, ...allowed].join(", ")}; ` +
          `set ${INFORMATION_HOSTS_ENV}=host[:port],... to allow more)`,
        { url: input.url, host: url.host },
      );
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
