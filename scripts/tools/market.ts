/**
 * Resource-market tools (issue 14, docs/market.md): `market_resources`, `market_show`, `market_offer`,
 * `market_bid`, `market_clear`, `market_claim`, `credits_show`, `credits_transfer`, `credits_meter`,
 * `pool_create`, `pool_show`, `pool_distribute`, `pool_claim`. Prices are CIV per base unit of the resource; quantities
 * are base units. A bid that the market would refuse is refused here first, with the reason, and nothing
 * is sent.
 */
import { type Address, getAddress, keccak256, parseEventLogs, toHex } from "viem";
import { z } from "zod";
import * as abis from "../../generated/abis.ts";
import { formatCiv } from "../lib/format.ts";
import { CONSTANTS, DenialReason } from "../lib/vocabulary.ts";
import {
  addressInput,
  amountFields,
  civ,
  civInput,
  id,
  idInput,
  isoTime,
  signerOf,
  subject,
  type ToolChain,
  transact,
  txFields,
} from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** The ledger and market bindings, or `unsupported` when the deployment has no market. */
function marketOf(chain: ToolChain) {
  const { resourceLedger: ledger, resourceMarket: market } = chain.contracts;
  if (ledger === undefined || market === undefined)
    throw new ToolError(
      "unsupported",
      `deployment ${chain.deployment.deploymentId} has no resource market (resourceLedger, resourceMarket)`,
    );
  return { ledger, market };
}

/** A resource's policy and listing; `not_found` when it was never registered. */
async function resourceOf(chain: ToolChain, resourceId: bigint) {
  const { ledger, market } = marketOf(chain);
  const count = await chain.client.readContract({ ...ledger, functionName: "resourceCount" });
  if (resourceId === 0n || resourceId > count)
    throw new ToolError("not_found", `no resource ${resourceId} (resources: 1..${count})`, {
      resourceId: resourceId.toString(),
      resourceCount: count.toString(),
    });
  const [policy, listing, active] = await Promise.all([
    chain.client.readContract({ ...ledger, functionName: "policyOf", args: [resourceId] }),
    chain.client.readContract({ ...market, functionName: "listingOf", args: [resourceId] }),
    chain.client.readContract({ ...ledger, functionName: "isActive", args: [resourceId] }),
  ]);
  return { policy, listing, active };
}

/** Fails with `refused` unless the resource is listed and active: no offer or bid can be placed. */
function requireListed(resourceId: bigint, r: Awaited<ReturnType<typeof resourceOf>>): void {
  if (!r.active)
    throw new ToolError("refused", `resource ${resourceId} (${r.policy.unit}) was retired by governance`);
  if (!r.listing.listed)
    throw new ToolError("refused", `resource ${resourceId} (${r.policy.unit}) is not listed on the market`);
}

/** The epoch to act in: `given`, else the current one; `refused` when it no longer takes offers or bids. */
async function openEpoch(chain: ToolChain, given: string | number | undefined): Promise<bigint> {
  const { market } = marketOf(chain);
  const [current, ahead] = await Promise.all([
    chain.client.readContract({ ...market, functionName: "currentEpoch" }),
    chain.client.readContract({ ...market, functionName: "MAX_EPOCHS_AHEAD" }),
  ]);
  const epoch = given === undefined ? current : id(given);
  if (epoch < current || epoch > current + ahead)
    throw new ToolError(
      "refused",
      `epoch ${epoch} does not take offers or bids: the current epoch is ${current}, and at most ${ahead} ahead are open`,
      { epoch: epoch.toString(), currentEpoch: current.toString() },
    );
  return epoch;
}

/** A price per unit, as `…Wei` and `…Civ`. */
const priceFields = <N extends string>(name: N, wei: bigint) => amountFields(name, wei);

/** `market_resources`: every resource type with its policy, listing and current epoch. */
export const marketResourcesTool = defineTool({
  name: "market_resources",
  description:
    "List the resource types (compute and others) with their policy (unit, free daily allowance, quota), " +
    "market listing (tick size and reserve price in CIV per unit) and the current epoch's supply, demand " +
    "and end; with an address, also its credits and free allowance of each.",
  input: z.object({ address: addressInput("an account to show credits for (default: yours)").optional() }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const { ledger, market } = marketOf(chain);
    const { client } = chain;
    const who = (input.address ?? ctx.address) as Address | undefined;
    const [count, epoch] = await Promise.all([
      client.readContract({ ...ledger, functionName: "resourceCount" }),
      client.readContract({ ...market, functionName: "currentEpoch" }),
    ]);
    const endsAt = await client.readContract({ ...market, functionName: "epochEnd", args: [epoch] });
    const resources = [];
    for (let resourceId = 1n; resourceId <= count; resourceId++) {
      const { policy, listing, active } = await resourceOf(chain, resourceId);
      const auction = await client.readContract({
        ...market,
        functionName: "epochOf",
        args: [resourceId, epoch],
      });
      const holding =
        who === undefined
          ? undefined
          : {
              credits: (
                await client.readContract({ ...ledger, functionName: "balanceOf", args: [who, resourceId] })
              ).toString(),
              allowance: (
                await client.readContract({ ...ledger, functionName: "allowanceOf", args: [resourceId, who] })
              ).toString(),
            };
      resources.push({
        resourceId: resourceId.toString(),
        unit: policy.unit,
        decimals: policy.decimals,
        transferable: policy.transferable,
        active,
        listed: listing.listed,
        allowancePerDay: policy.allowancePerDay.toString(),
        allowanceMax: policy.allowanceMax.toString(),
        quota: policy.quota.toString(),
        quotaWindowSeconds: policy.quotaWindow.toString(),
        ...priceFields("tickSize", listing.tickSize),
        ...priceFields("reservePrice", listing.reservePrice),
        supply: auction.supply.toString(),
        demand: auction.demand.toString(),
        ...(holding === undefined ? {} : holding),
      });
    }
    return {
      epoch: epoch.toString(),
      epochEndsAt: endsAt.toString(),
      epochEndsAtIso: isoTime(endsAt),
      ...(who === undefined ? {} : { address: getAddress(who) }),
      resources,
    };
  },
});

/** `market_show`: one auction (resource and epoch), bid or offer. */
export const marketShowTool = defineTool({
  name: "market_show",
  description:
    "Show a resource's auction in an epoch (supply, demand, and once cleared the clearing price, sold and " +
    "utilisation), or one bid or offer with what it fills, pays, refunds or earns. Give exactly one of " +
    "resourceId (with an optional epoch, default the current one), bidId or offerId.",
  input: z.object({
    resourceId: idInput("the resource").optional(),
    epoch: idInput("the epoch (default: the current one)").optional(),
    bidId: idInput("a bid").optional(),
    offerId: idInput("an offer").optional(),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const given = [input.resourceId, input.bidId, input.offerId].filter((v) => v !== undefined).length;
    if (given !== 1)
      throw new ToolError("invalid_input", "give exactly one of resourceId, bidId or offerId", {
        issues: [{ path: "", message: "exactly one of resourceId, bidId, offerId" }],
      });
    const chain = await ctx.chain();
    const { market } = marketOf(chain);
    const { client } = chain;
    if (input.bidId !== undefined) {
      const bidId = id(input.bidId);
      const bid = await client.readContract({ ...market, functionName: "bidOf", args: [bidId] });
      const [filled, cost, refund] = await client.readContract({
        ...market,
        functionName: "bidOutcome",
        args: [bidId],
      });
      const auction = await client.readContract({
        ...market,
        functionName: "epochOf",
        args: [bid.resourceId, BigInt(bid.epoch)],
      });
      return {
        bidId: bidId.toString(),
        bidder: bid.bidder,
        resourceId: bid.resourceId.toString(),
        epoch: bid.epoch.toString(),
        tick: bid.tick.toString(),
        ...priceFields("maxPrice", BigInt(bid.tick) * auction.tickSize),
        quantity: bid.quantity.toString(),
        cleared: auction.cleared,
        claimed: bid.claimed,
        filled: filled.toString(),
        ...amountFields("cost", cost),
        ...amountFields("refund", refund),
      };
    }
    if (input.offerId !== undefined) {
      const offerId = id(input.offerId);
      const offer = await client.readContract({ ...market, functionName: "offerOf", args: [offerId] });
      const [sold, gross, fee] = await client.readContract({
        ...market,
        functionName: "offerOutcome",
        args: [offerId],
      });
      const auction = await client.readContract({
        ...market,
        functionName: "epochOf",
        args: [offer.resourceId, BigInt(offer.epoch)],
      });
      return {
        offerId: offerId.toString(),
        provider: offer.provider,
        payee: offer.payee,
        resourceId: offer.resourceId.toString(),
        epoch: offer.epoch.toString(),
        capacity: offer.capacity.toString(),
        cleared: auction.cleared,
        claimed: offer.claimed,
        sold: sold.toString(),
        ...amountFields("gross", gross),
        ...amountFields("fee", fee),
      };
    }
    const resourceId = id(input.resourceId!);
    const { policy, listing } = await resourceOf(chain, resourceId);
    const epoch =
      input.epoch === undefined
        ? await client.readContract({ ...market, functionName: "currentEpoch" })
        : id(input.epoch);
    const [auction, endsAt] = await Promise.all([
      client.readContract({ ...market, functionName: "epochOf", args: [resourceId, epoch] }),
      client.readContract({ ...market, functionName: "epochEnd", args: [epoch] }),
    ]);
    return {
      resourceId: resourceId.toString(),
      unit: policy.unit,
      epoch: epoch.toString(),
      endsAt: endsAt.toString(),
      endsAtIso: isoTime(endsAt),
      supply: auction.supply.toString(),
      demand: auction.demand.toString(),
      ...priceFields("reservePrice", listing.reservePrice),
      cleared: auction.cleared,
      cancelled: auction.cancelled,
      ...priceFields("price", auction.price),
      sold: auction.sold.toString(),
      utilisationBps: auction.supply === 0n ? "0" : ((auction.sold * 10_000n) / auction.supply).toString(),
    };
  },
});

/** `market_offer`: a provider offers capacity. */
export const marketOfferTool = defineTool({
  name: "market_offer",
  description:
    "Offer capacity of a resource for an epoch (default: the current one; up to 30 ahead) as a provider " +
    "(an agent in good standing). Final: an offer cannot be withdrawn. You are paid, as taxed earnings less " +
    "the protocol fee, for your share of what sells at the clearing price; the payee may be a compute pool.",
  input: z.object({
    resourceId: idInput("the resource"),
    capacity: idInput("base units offered"),
    epoch: idInput("the epoch (default: the current one)").optional(),
    payee: addressInput("who is paid (default: you; or a compute pool)").optional(),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { market } = marketOf(chain);
    const resourceId = id(input.resourceId);
    const capacity = id(input.capacity);
    if (capacity === 0n) throw new ToolError("refused", "an offer of 0 units sells nothing");
    requireListed(resourceId, await resourceOf(chain, resourceId));
    const epoch = await openEpoch(chain, input.epoch);
    const payee = getAddress(input.payee ?? chain.wallet.address);
    const receipt = await transact(
      chain,
      { ...market, functionName: "offer", args: [resourceId, epoch, capacity, payee] },
      { label: "market offer" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: market.abi, logs: receipt.logs, eventName: "Offered" });
    return {
      offerId: (log?.args.offerId ?? 0n).toString(),
      resourceId: resourceId.toString(),
      epoch: epoch.toString(),
      capacity: capacity.toString(),
      payee,
      supply: (log?.args.supply ?? 0n).toString(),
      ...txFields(receipt),
    };
  },
});

/** `market_bid`: a buyer bids, escrowing CIV. */
export const marketBidTool = defineTool({
  name: "market_bid",
  description:
    "Bid for a quantity of a resource in an epoch (default: the current one) at a maximum price in CIV per " +
    "unit (a multiple of the resource's tick size), escrowing quantity x price in CIV (approves the market " +
    "if needed). At the clearing you pay the uniform clearing price for what you win and get the rest back; " +
    "claim with market_claim after the epoch ends.",
  input: z.object({
    resourceId: idInput("the resource"),
    quantity: idInput("base units wanted"),
    maxPrice: civInput("the most you pay per unit"),
    epoch: idInput("the epoch (default: the current one)").optional(),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { market } = marketOf(chain);
    const resourceId = id(input.resourceId);
    const quantity = id(input.quantity);
    const price = civ(input.maxPrice);
    if (quantity === 0n) throw new ToolError("refused", "a bid for 0 units buys nothing");
    const r = await resourceOf(chain, resourceId);
    requireListed(resourceId, r);
    const epoch = await openEpoch(chain, input.epoch);
    const auction = await chain.client.readContract({
      ...market,
      functionName: "epochOf",
      args: [resourceId, epoch],
    });
    // An epoch keeps the tick size it started with.
    const tickSize = auction.tickSize === 0n ? r.listing.tickSize : auction.tickSize;
    const maxTick = CONSTANTS.ResourceMarket.MAX_TICK;
    const facts = {
      ...priceFields("price", price),
      ...priceFields("tickSize", tickSize),
      ...priceFields("reservePrice", r.listing.reservePrice),
    };
    if (price % tickSize !== 0n || price === 0n)
      throw new ToolError(
        "refused",
        `a price of ${formatCiv(price, 18)} per unit is not a positive multiple of resource ${resourceId}'s tick size ${formatCiv(tickSize, 18)}`,
        facts,
      );
    const tick = price / tickSize;
    if (tick > maxTick)
      throw new ToolError(
        "refused",
        `a price of ${formatCiv(price, 18)} per unit is above the highest price ${formatCiv(maxTick * tickSize, 18)} (tick ${maxTick})`,
        facts,
      );
    if (price < r.listing.reservePrice)
      throw new ToolError(
        "refused",
        `a price of ${formatCiv(price, 18)} per unit is below resource ${resourceId}'s reserve ${formatCiv(r.listing.reservePrice, 18)}: such a bid cannot fill`,
        facts,
      );
    const escrow = quantity * price;
    const receipt = await transact(
      chain,
      { ...market, functionName: "bid", args: [resourceId, epoch, tick, quantity] },
      { label: "market bid", pay: { spender: market.address, amount: escrow, what: "the bid's escrow" } },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: market.abi, logs: receipt.logs, eventName: "BidPlaced" });
    const endsAt = await chain.client.readContract({ ...market, functionName: "epochEnd", args: [epoch] });
    return {
      bidId: (log?.args.bidId ?? 0n).toString(),
      resourceId: resourceId.toString(),
      epoch: epoch.toString(),
      quantity: quantity.toString(),
      tick: tick.toString(),
      ...priceFields("maxPrice", price),
      ...amountFields("escrow", escrow),
      claimableFrom: endsAt.toString(),
      claimableFromIso: isoTime(endsAt),
      ...txFields(receipt),
    };
  },
});

/** Refuses a clear or claim before the epoch's end, saying when it ends. */
async function requireEnded(chain: ToolChain, epoch: bigint): Promise<void> {
  const { market } = marketOf(chain);
  const [endsAt, block] = await Promise.all([
    chain.client.readContract({ ...market, functionName: "epochEnd", args: [epoch] }),
    chain.client.getBlock({ blockTag: "latest" }),
  ]);
  if (block.timestamp < endsAt)
    throw new ToolError("refused", `epoch ${epoch} has not ended: it ends at ${isoTime(endsAt)}`, {
      epoch: epoch.toString(),
      endsAt: endsAt.toString(),
    });
}

/** `market_clear`: clears an ended auction. */
export const marketClearTool = defineTool({
  name: "market_clear",
  description:
    "Clear a resource's auction of an ended epoch (anyone may; claims also clear it first). Returns the " +
    "clearing price, sold and utilisation.",
  input: z.object({ resourceId: idInput("the resource"), epoch: idInput("the ended epoch") }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { market } = marketOf(chain);
    const resourceId = id(input.resourceId);
    const epoch = id(input.epoch);
    await resourceOf(chain, resourceId);
    await requireEnded(chain, epoch);
    const auction = await chain.client.readContract({
      ...market,
      functionName: "epochOf",
      args: [resourceId, epoch],
    });
    if (auction.cleared)
      throw new ToolError("refused", `resource ${resourceId}'s epoch ${epoch} is already cleared`);
    const receipt = await transact(
      chain,
      { ...market, functionName: "clear", args: [resourceId, epoch] },
      { label: "market clear" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: market.abi, logs: receipt.logs, eventName: "EpochCleared" });
    const a = log?.args;
    return {
      resourceId: resourceId.toString(),
      epoch: epoch.toString(),
      cancelled: a?.cancelled ?? false,
      ...priceFields("price", a?.price ?? 0n),
      supply: (a?.supply ?? 0n).toString(),
      demand: (a?.demand ?? 0n).toString(),
      sold: (a?.sold ?? 0n).toString(),
      utilisationBps: (a?.utilisationBps ?? 0n).toString(),
      ...priceFields("newReservePrice", a?.newReservePrice ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** `market_claim`: settles a bid or an offer. */
export const marketClaimTool = defineTool({
  name: "market_claim",
  description:
    "Settle a bid (credits to the bidder, the rest of the escrow refunded) or an offer (the payee paid as " +
    "earnings less the protocol fee) once its epoch has ended. Anyone may; everything goes to the bidder or " +
    "payee. Give exactly one of bidId or offerId.",
  input: z.object({ bidId: idInput("a bid").optional(), offerId: idInput("an offer").optional() }),
  needsSigner: true,
  async run(ctx, input) {
    if ((input.bidId === undefined) === (input.offerId === undefined))
      throw new ToolError("invalid_input", "give exactly one of bidId or offerId", {
        issues: [{ path: "", message: "exactly one of bidId, offerId" }],
      });
    const chain = await signerOf(ctx);
    const { market } = marketOf(chain);
    const { client } = chain;
    const isBid = input.bidId !== undefined;
    const claimId = id((input.bidId ?? input.offerId)!);
    const count = await client.readContract({ ...market, functionName: isBid ? "bidCount" : "offerCount" });
    if (claimId === 0n || claimId > count)
      throw new ToolError("not_found", `no ${isBid ? "bid" : "offer"} ${claimId} (there are ${count})`);
    const item = isBid
      ? await client.readContract({ ...market, functionName: "bidOf", args: [claimId] })
      : await client.readContract({ ...market, functionName: "offerOf", args: [claimId] });
    if (item.claimed)
      throw new ToolError("refused", `${isBid ? "bid" : "offer"} ${claimId} is already claimed`);
    await requireEnded(chain, BigInt(item.epoch));
    const receipt = await transact(
      chain,
      { ...market, functionName: isBid ? "claimBid" : "claimOffer", args: [claimId] },
      { label: isBid ? "market claim bid" : "market claim offer" },
      ctx.onProgress,
    );
    if (isBid) {
      const [log] = parseEventLogs({ abi: market.abi, logs: receipt.logs, eventName: "BidClaimed" });
      return {
        bidId: claimId.toString(),
        bidder: log?.args.bidder,
        filled: (log?.args.filled ?? 0n).toString(),
        ...amountFields("cost", log?.args.cost ?? 0n),
        ...amountFields("refund", log?.args.refund ?? 0n),
        ...txFields(receipt),
      };
    }
    const [log] = parseEventLogs({ abi: market.abi, logs: receipt.logs, eventName: "OfferClaimed" });
    return {
      offerId: claimId.toString(),
      payee: log?.args.payee,
      sold: (log?.args.sold ?? 0n).toString(),
      ...amountFields("gross", log?.args.gross ?? 0n),
      ...amountFields("fee", log?.args.fee ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** `credits_show`: an account's credits, free allowance and quota use of one resource. */
export const creditsShowTool = defineTool({
  name: "credits_show",
  description:
    "An account's credits of a resource (default: yours), the free allowance it can use now (the commons " +
    "tier, regenerating daily) and its usage in the current quota window.",
  input: z.object({
    resourceId: idInput("the resource"),
    address: addressInput("the account (default: yours)").optional(),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const who = getAddress(subject(ctx, input.address));
    const chain = await ctx.chain();
    const { ledger } = marketOf(chain);
    const resourceId = id(input.resourceId);
    const { policy } = await resourceOf(chain, resourceId);
    const [credits, allowance, used] = await Promise.all([
      chain.client.readContract({ ...ledger, functionName: "balanceOf", args: [who, resourceId] }),
      chain.client.readContract({ ...ledger, functionName: "allowanceOf", args: [resourceId, who] }),
      chain.client.readContract({ ...ledger, functionName: "usedInWindow", args: [resourceId, who] }),
    ]);
    return {
      address: who,
      resourceId: resourceId.toString(),
      unit: policy.unit,
      credits: credits.toString(),
      allowance: allowance.toString(),
      usedInWindow: used.toString(),
      quota: policy.quota.toString(),
      quotaWindowSeconds: policy.quotaWindow.toString(),
    };
  },
});

/** `credits_transfer`: sends credits of a transferable resource. */
export const creditsTransferTool = defineTool({
  name: "credits_transfer",
  description: "Send credits of a transferable resource to another account (ERC-1155 transfer).",
  input: z.object({
    resourceId: idInput("the resource"),
    to: addressInput("the recipient"),
    amount: idInput("base units to send"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { ledger } = marketOf(chain);
    const resourceId = id(input.resourceId);
    const amount = id(input.amount);
    const to = getAddress(input.to);
    const { policy } = await resourceOf(chain, resourceId);
    if (!policy.transferable)
      throw new ToolError(
        "refused",
        `credits of resource ${resourceId} (${policy.unit}) are not transferable`,
      );
    if (amount === 0n) throw new ToolError("refused", "sending 0 credits moves nothing");
    if (to === chain.wallet.address)
      throw new ToolError("refused", "sending credits to yourself moves nothing");
    const held = await chain.client.readContract({
      ...ledger,
      functionName: "balanceOf",
      args: [chain.wallet.address, resourceId],
    });
    if (held < amount)
      throw new ToolError(
        "insufficient_balance",
        `sending ${amount} ${policy.unit} needs ${amount} credits, and ${chain.wallet.address} holds ${held}`,
        { credits: held.toString(), needed: amount.toString() },
      );
    const receipt = await transact(
      chain,
      {
        ...ledger,
        functionName: "safeTransferFrom",
        args: [chain.wallet.address, to, resourceId, amount, "0x"],
      },
      { label: "credits transfer" },
      ctx.onProgress,
    );
    return { resourceId: resourceId.toString(), to, amount: amount.toString(), ...txFields(receipt) };
  },
});

/** `credits_meter`: a meter records an account's usage. */
export const creditsMeterTool = defineTool({
  name: "credits_meter",
  description:
    "As an authorised meter (a provider), record an account's usage of a resource: drawn from its free " +
    "allowance, then burned from its credits. Usage the policy refuses (quota exceeded, credits short) is " +
    "recorded as a denial with its reason, not a failure: the result says which.",
  input: z.object({
    resourceId: idInput("the resource"),
    account: addressInput("the account that used the resource"),
    amount: idInput("base units used"),
    ref: z.string().min(1).max(200).describe("your reference for this usage (a request or job id)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { ledger } = marketOf(chain);
    const resourceId = id(input.resourceId);
    const amount = id(input.amount);
    const account = getAddress(input.account);
    await resourceOf(chain, resourceId);
    if (amount === 0n) throw new ToolError("refused", "metering 0 units records nothing");
    const authorised = await chain.client.readContract({
      ...ledger,
      functionName: "isMeter",
      args: [resourceId, chain.wallet.address],
    });
    if (!authorised)
      throw new ToolError(
        "refused",
        `${chain.wallet.address} is not an authorised meter of resource ${resourceId} (governance authorises meters)`,
      );
    const ref = /^0x[0-9a-fA-F]{64}$/.test(input.ref)
      ? (input.ref as `0x${string}`)
      : keccak256(toHex(input.ref));
    const receipt = await transact(
      chain,
      { ...ledger, functionName: "meter", args: [resourceId, account, amount, ref] },
      { label: "credits meter" },
      ctx.onProgress,
    );
    const [recorded] = parseEventLogs({ abi: ledger.abi, logs: receipt.logs, eventName: "UsageRecorded" });
    const [denied] = parseEventLogs({ abi: ledger.abi, logs: receipt.logs, eventName: "UsageDenied" });
    return {
      resourceId: resourceId.toString(),
      account,
      amount: amount.toString(),
      ref,
      recorded: recorded !== undefined,
      fromAllowance: (recorded?.args.fromAllowance ?? 0n).toString(),
      fromCredits: (recorded?.args.fromCredits ?? 0n).toString(),
      deniedReason: denied === undefined ? null : DenialReason.keyOf(denied.args.reason),
      ...txFields(receipt),
    };
  },
});

/** A compute pool's binding. */
const poolAt = (address: string) => ({ address: getAddress(address), abi: abis.computePoolAbi }) as const;

/** `pool_create`: deploys a compute pool through the factory. */
export const poolCreateTool = defineTool({
  name: "pool_create",
  description:
    "Create a compute pool (an agent in good standing) through the ComputePoolFactory: its shares are the " +
    "fills of the bids on a share resource (registered non-transferable and listed by governance) in one " +
    "epoch (default: the current one; up to 30 ahead). Offer capacity with the pool as payee to pay its " +
    "shareholders; governance must mark the pool a protocol account before it can pay dividends.",
  input: z.object({
    shareResourceId: idInput("the share resource"),
    epoch: idInput("the epoch of the share sale (default: the current one)").optional(),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const factory = chain.contracts.computePoolFactory;
    if (factory === undefined)
      throw new ToolError(
        "unsupported",
        `deployment ${chain.deployment.deploymentId} has no compute pool factory (computePoolFactory)`,
      );
    const resourceId = id(input.shareResourceId);
    const shares = await resourceOf(chain, resourceId);
    requireListed(resourceId, shares);
    if (shares.policy.transferable)
      throw new ToolError(
        "refused",
        `resource ${resourceId} (${shares.policy.unit}) is transferable: a pool's shares must be a non-transferable resource`,
      );
    const epoch = await openEpoch(chain, input.epoch);
    const { client, contracts, wallet } = chain;
    const [standing, pool] = await Promise.all([
      client.readContract({
        ...contracts.registry,
        functionName: "isInGoodStanding",
        args: [wallet.address],
      }),
      client.readContract({ ...factory, functionName: "poolFor", args: [resourceId, epoch] }),
    ]);
    if (!standing)
      throw new ToolError(
        "refused",
        `${wallet.address} is not an agent in good standing: only agents create pools`,
      );
    if (await client.readContract({ ...factory, functionName: "isPool", args: [pool] }))
      throw new ToolError(
        "refused",
        `the pool of resource ${resourceId}'s epoch ${epoch} exists already: ${pool}`,
        {
          pool,
        },
      );
    const receipt = await transact(
      chain,
      { ...factory, functionName: "createPool", args: [resourceId, epoch] },
      { label: "pool create" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: factory.abi, logs: receipt.logs, eventName: "ComputePoolCreated" });
    const protocolAccount = await client.readContract({
      ...contracts.token,
      functionName: "isProtocolAccount",
      args: [pool],
    });
    return {
      pool: log?.args.pool ?? pool,
      shareResourceId: resourceId.toString(),
      shareEpoch: epoch.toString(),
      protocolAccount,
      ...txFields(receipt),
    };
  },
});

/** `pool_show`: a compute pool, and a share bid's claimable dividends. */
export const poolShowTool = defineTool({
  name: "pool_show",
  description:
    "Show a compute pool: its share sale (resource and epoch), shares sold, dividends per share, CIV held " +
    "and not yet distributed; with a share bid id, that shareholder's claimable dividends.",
  input: z.object({
    pool: addressInput("the compute pool"),
    bidId: idInput("a share bid (optional)").optional(),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const pool = poolAt(input.pool);
    const { client, contracts } = chain;
    if ((await client.getCode({ address: pool.address })) === undefined)
      throw new ToolError("not_found", `no contract at ${pool.address}`);
    const [[resourceId, epoch], shares, perShare, held] = await Promise.all([
      client.readContract({ ...pool, functionName: "shareSale" }),
      client.readContract({ ...pool, functionName: "totalShares" }),
      client.readContract({ ...pool, functionName: "dividendPerShare" }),
      client.readContract({ ...contracts.token, functionName: "balanceOf", args: [pool.address] }),
    ]);
    const claimable =
      input.bidId === undefined
        ? undefined
        : await client.readContract({ ...pool, functionName: "claimable", args: [id(input.bidId)] });
    return {
      pool: pool.address,
      shareResourceId: resourceId.toString(),
      shareEpoch: epoch.toString(),
      totalShares: shares.toString(),
      dividendPerShare: perShare.toString(),
      ...amountFields("held", held),
      ...(claimable === undefined
        ? {}
        : { bidId: String(input.bidId), ...amountFields("claimable", claimable) }),
    };
  },
});

/** `pool_distribute`: adds a pool's new revenue to its dividends. */
export const poolDistributeTool = defineTool({
  name: "pool_distribute",
  description:
    "Add the CIV a compute pool received since the last distribution to its dividends (anyone may; after " +
    "its share sale has cleared).",
  input: z.object({ pool: addressInput("the compute pool") }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const pool = poolAt(input.pool);
    const receipt = await transact(
      chain,
      { ...pool, functionName: "distribute", args: [] },
      { label: "pool distribute" },
      ctx.onProgress,
    );
    const [distributed] = parseEventLogs({
      abi: pool.abi,
      logs: receipt.logs,
      eventName: "DividendsDistributed",
    });
    const [toTreasury] = parseEventLogs({
      abi: pool.abi,
      logs: receipt.logs,
      eventName: "RevenueToTreasury",
    });
    return {
      pool: pool.address,
      ...amountFields("distributed", distributed?.args.amount ?? 0n),
      ...amountFields("toTreasury", toTreasury?.args.amount ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** `pool_claim`: pays a share bid's dividends. */
export const poolClaimTool = defineTool({
  name: "pool_claim",
  description:
    "Pay a shareholder's dividends from a compute pool (by its share bid id) as taxed earnings to the " +
    "bidder; anyone may call. Run pool_distribute first to include the latest revenue.",
  input: z.object({ pool: addressInput("the compute pool"), bidId: idInput("the share bid") }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const pool = poolAt(input.pool);
    const bidId = id(input.bidId);
    const claimable = await chain.client.readContract({ ...pool, functionName: "claimable", args: [bidId] });
    if (claimable === 0n)
      throw new ToolError("refused", `share bid ${bidId} has no dividends to claim from ${pool.address}`, {
        ...amountFields("claimable", 0n),
      });
    const receipt = await transact(
      chain,
      { ...pool, functionName: "claimDividends", args: [bidId] },
      { label: "pool claim" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: pool.abi, logs: receipt.logs, eventName: "DividendsClaimed" });
    return {
      pool: pool.address,
      bidId: bidId.toString(),
      holder: log?.args.holder,
      ...amountFields("amount", log?.args.amount ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** The resource-market tools. */
export const MARKET_TOOLS = [
  marketResourcesTool,
  marketShowTool,
  marketOfferTool,
  marketBidTool,
  marketClearTool,
  marketClaimTool,
  creditsShowTool,
  creditsTransferTool,
  creditsMeterTool,
  poolCreateTool,
  poolShowTool,
  poolDistributeTool,
  poolClaimTool,
] as const;
