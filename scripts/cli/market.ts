/**
 * `civitas market resources | show | offer | bid | clear | claim`, `civitas credits show | send | meter` and
 * `civitas pool create | show | distribute | claim`: resource markets (scripts/tools/market.ts, docs/market.md).
 */
import type { Command } from "commander";
import { formatBps, formatCiv } from "../lib/format.ts";
import { address, civOf, civText, runTool, txLine, uintText } from "./context.ts";

/** A price per unit of a result (`<name>Wei`), with enough digits for small ticks. */
const priceOf = (result: Record<string, unknown>, name: string): string =>
  formatCiv(BigInt(String(result[`${name}Wei`] ?? "0")), 18);

/** Registers the `market`, `credits` and `pool` command groups on `program`. */
export function registerMarketCommands(program: Command): void {
  const market = program
    .command("market")
    .description(
      "resource markets: offer capacity, bid for compute, clear epochs, claim credits and earnings",
    );

  market
    .command("resources")
    .description(
      "list resource types with their policy, reserve price and the current epoch's supply and demand",
    )
    .option("-a, --address <address>", "also show this account's credits and free allowance", address)
    .action(async (options: { address?: string }, command: Command) => {
      await runTool(command, "market_resources", { address: options.address }, (r) => {
        const rows = r.resources as Record<string, unknown>[];
        const lines = [`Epoch ${r.epoch}, ends ${r.epochEndsAtIso}.`];
        if (rows.length === 0) lines.push("No resource types yet: governance registers them.");
        for (const x of rows) {
          const state = !x.active ? "retired" : x.listed ? "listed" : "not listed";
          lines.push(
            `  #${x.resourceId} ${x.unit} (${state}): reserve ${priceOf(x, "reservePrice")} per unit, tick ${priceOf(x, "tickSize")}; ` +
              `free ${x.allowancePerDay}/day up to ${x.allowanceMax}; this epoch supply ${x.supply}, demand ${x.demand}` +
              (x.credits === undefined ? "" : `; credits ${x.credits}, allowance ${x.allowance}`),
          );
        }
        return lines.join("\n");
      });
    });

  market
    .command("show")
    .description("show a resource's auction (current epoch by default), or one bid or offer with its outcome")
    .argument("[resourceId]", "the resource", uintText)
    .option("-e, --epoch <epoch>", "the epoch (default: the current one)", uintText)
    .option("-b, --bid <bidId>", "show a bid instead", uintText)
    .option("-o, --offer <offerId>", "show an offer instead", uintText)
    .action(
      async (
        resourceId: string | undefined,
        options: { epoch?: string; bid?: string; offer?: string },
        command: Command,
      ) => {
        await runTool(
          command,
          "market_show",
          { resourceId, epoch: options.epoch, bidId: options.bid, offerId: options.offer },
          (r) => {
            if (r.bidId !== undefined)
              return (
                `Bid ${r.bidId} by ${r.bidder}: ${r.quantity} of resource ${r.resourceId} in epoch ${r.epoch} at up to ${priceOf(r, "maxPrice")} per unit.\n` +
                (r.cleared
                  ? `  filled ${r.filled}, cost ${civOf(r, "cost")}, refund ${civOf(r, "refund")}${r.claimed ? " (claimed)" : " (claim with `market claim --bid`)"}`
                  : "  not cleared yet")
              );
            if (r.offerId !== undefined)
              return (
                `Offer ${r.offerId} by ${r.provider} (paid to ${r.payee}): ${r.capacity} of resource ${r.resourceId} in epoch ${r.epoch}.\n` +
                (r.cleared
                  ? `  sold ${r.sold}, gross ${civOf(r, "gross")}, fee ${civOf(r, "fee")}${r.claimed ? " (claimed)" : " (claim with `market claim --offer`)"}`
                  : "  not cleared yet")
              );
            return (
              `Resource ${r.resourceId} (${r.unit}), epoch ${r.epoch} (ends ${r.endsAtIso}): supply ${r.supply}, demand ${r.demand}, reserve ${priceOf(r, "reservePrice")} per unit.\n` +
              (r.cleared
                ? r.cancelled
                  ? "  cleared as cancelled: every bid refunded in full"
                  : `  cleared at ${priceOf(r, "price")} per unit: ${r.sold} sold, utilisation ${formatBps(Number(r.utilisationBps))}`
                : "  not cleared yet")
            );
          },
        );
      },
    );

  market
    .command("offer")
    .description("offer capacity of a resource for an epoch, as a provider in good standing (final)")
    .argument("<resourceId>", "the resource", uintText)
    .argument("<capacity>", "base units offered", uintText)
    .option("-e, --epoch <epoch>", "the epoch (default: the current one; up to 30 ahead)", uintText)
    .option("-p, --payee <address>", "who is paid (default: you; or a compute pool)", address)
    .action(
      async (
        resourceId: string,
        capacity: string,
        options: { epoch?: string; payee?: string },
        command: Command,
      ) => {
        await runTool(
          command,
          "market_offer",
          { resourceId, capacity, epoch: options.epoch, payee: options.payee },
          (r) =>
            `Offer ${r.offerId}: ${r.capacity} of resource ${r.resourceId} in epoch ${r.epoch}, paid to ${r.payee} (epoch supply now ${r.supply}).\n${txLine(r)}`,
        );
      },
    );

  market
    .command("bid")
    .description(
      "bid for a resource at a maximum price per unit, escrowing CIV (approves the market if needed)",
    )
    .argument("<resourceId>", "the resource", uintText)
    .argument("<quantity>", "base units wanted", uintText)
    .argument(
      "<maxPrice>",
      "the most you pay per unit, in CIV (a multiple of the tick size), e.g. 0.02",
      civText,
    )
    .option("-e, --epoch <epoch>", "the epoch (default: the current one)", uintText)
    .action(
      async (
        resourceId: string,
        quantity: string,
        maxPrice: string,
        options: { epoch?: string },
        command: Command,
      ) => {
        await runTool(
          command,
          "market_bid",
          { resourceId, quantity, maxPrice, epoch: options.epoch },
          (r) =>
            `Bid ${r.bidId}: ${r.quantity} of resource ${r.resourceId} in epoch ${r.epoch} at up to ${priceOf(r, "maxPrice")} per unit; ${civOf(r, "escrow")} in escrow.\n` +
            `  Claim from ${r.claimableFromIso} with \`civitas market claim --bid ${r.bidId}\`.\n${txLine(r)}`,
        );
      },
    );

  market
    .command("clear")
    .description("clear a resource's auction of an ended epoch (anyone may)")
    .argument("<resourceId>", "the resource", uintText)
    .argument("<epoch>", "the ended epoch", uintText)
    .action(async (resourceId: string, epoch: string, _options, command: Command) => {
      await runTool(command, "market_clear", { resourceId, epoch }, (r) =>
        r.cancelled
          ? `Epoch ${r.epoch} of resource ${r.resourceId} cleared as cancelled: every bid is refunded in full.\n${txLine(r)}`
          : `Epoch ${r.epoch} of resource ${r.resourceId} cleared at ${priceOf(r, "price")} per unit: ${r.sold} of ${r.supply} sold (demand ${r.demand}); next reserve ${priceOf(r, "newReservePrice")}.\n${txLine(r)}`,
      );
    });

  market
    .command("claim")
    .description("settle a bid (credits and refund) or an offer (earnings) after its epoch ended")
    .option("-b, --bid <bidId>", "the bid", uintText)
    .option("-o, --offer <offerId>", "the offer", uintText)
    .action(async (options: { bid?: string; offer?: string }, command: Command) => {
      await runTool(command, "market_claim", { bidId: options.bid, offerId: options.offer }, (r) =>
        r.bidId !== undefined
          ? `Bid ${r.bidId}: ${r.filled} credited to ${r.bidder}, paid ${civOf(r, "cost")}, refunded ${civOf(r, "refund")}.\n${txLine(r)}`
          : `Offer ${r.offerId}: ${r.sold} sold, ${civOf(r, "gross")} gross (fee ${civOf(r, "fee")}) paid to ${r.payee} as earnings.\n${txLine(r)}`,
      );
    });

  const credits = program.command("credits").description("resource credits: balances, transfers, metering");

  credits
    .command("show")
    .description("credits, free allowance and quota use of a resource (yours by default)")
    .argument("<resourceId>", "the resource", uintText)
    .option("-a, --address <address>", "the account (default: yours)", address)
    .action(async (resourceId: string, options: { address?: string }, command: Command) => {
      await runTool(
        command,
        "credits_show",
        { resourceId, address: options.address },
        (r) =>
          `${r.address}: ${r.credits} ${r.unit} credits, ${r.allowance} free allowance; used ${r.usedInWindow} this window` +
          (r.quota === "0" ? " (no quota)." : ` of a ${r.quota} quota per ${r.quotaWindowSeconds} s.`),
      );
    });

  credits
    .command("send")
    .description("send credits of a transferable resource")
    .argument("<resourceId>", "the resource", uintText)
    .argument("<to>", "the recipient", address)
    .argument("<amount>", "base units", uintText)
    .action(async (resourceId: string, to: string, value: string, _options, command: Command) => {
      await runTool(
        command,
        "credits_transfer",
        { resourceId, to, amount: value },
        (r) => `Sent ${r.amount} credits of resource ${r.resourceId} to ${r.to}.\n${txLine(r)}`,
      );
    });

  credits
    .command("meter")
    .description("as an authorised meter, record an account's usage (a refusal is recorded as a denial)")
    .argument("<resourceId>", "the resource", uintText)
    .argument("<account>", "the account that used it", address)
    .argument("<amount>", "base units used", uintText)
    .requiredOption("-r, --ref <ref>", "your reference (a request or job id)")
    .action(
      async (
        resourceId: string,
        account: string,
        value: string,
        options: { ref: string },
        command: Command,
      ) => {
        await runTool(
          command,
          "credits_meter",
          { resourceId, account, amount: value, ref: options.ref },
          (r) =>
            r.recorded
              ? `Recorded ${r.amount} for ${r.account}: ${r.fromAllowance} from the free allowance, ${r.fromCredits} credits burned.\n${txLine(r)}`
              : `Denied ${r.amount} for ${r.account}: ${r.deniedReason} (recorded as a denial).\n${txLine(r)}`,
        );
      },
    );

  const pool = program.command("pool").description("compute pools: shares and dividends");

  pool
    .command("create")
    .description(
      "create a compute pool selling its shares as a share resource in one epoch (agents in good standing)",
    )
    .argument("<shareResourceId>", "the share resource (non-transferable, listed by governance)", uintText)
    .option("-e, --epoch <epoch>", "the epoch of the share sale (default: the current one)", uintText)
    .action(async (shareResourceId: string, options: { epoch?: string }, command: Command) => {
      await runTool(
        command,
        "pool_create",
        { shareResourceId, epoch: options.epoch },
        (r) =>
          `Pool ${r.pool} created: its shares are the bids on resource ${r.shareResourceId} in epoch ${r.shareEpoch}.` +
          (r.protocolAccount
            ? ""
            : "\n  Governance must mark it a protocol account (setProtocolAccount) before it can pay dividends.") +
          `\n${txLine(r)}`,
      );
    });

  pool
    .command("show")
    .description("a compute pool's share sale, dividends per share and balance")
    .argument("<pool>", "the pool", address)
    .option("-b, --bid <bidId>", "also a share bid's claimable dividends", uintText)
    .action(async (poolAddress: string, options: { bid?: string }, command: Command) => {
      await runTool(
        command,
        "pool_show",
        { pool: poolAddress, bidId: options.bid },
        (r) =>
          `Pool ${r.pool}: ${r.totalShares} shares (resource ${r.shareResourceId}, epoch ${r.shareEpoch}), holds ${civOf(r, "held")}.` +
          (r.bidId === undefined ? "" : `\n  share bid ${r.bidId} can claim ${civOf(r, "claimable")}.`),
      );
    });

  pool
    .command("distribute")
    .description("add a pool's new revenue to its dividends (anyone may)")
    .argument("<pool>", "the pool", address)
    .action(async (poolAddress: string, _options, command: Command) => {
      await runTool(
        command,
        "pool_distribute",
        { pool: poolAddress },
        (r) =>
          `Distributed ${civOf(r, "distributed")}` +
          (r.toTreasuryWei === "0" ? "" : `; ${civOf(r, "toTreasury")} to the Treasury (no shares sold)`) +
          `.\n${txLine(r)}`,
      );
    });

  pool
    .command("claim")
    .description("pay a share bid's dividends to its holder (taxed earnings)")
    .argument("<pool>", "the pool", address)
    .argument("<bidId>", "the share bid", uintText)
    .action(async (poolAddress: string, bidId: string, _options, command: Command) => {
      await runTool(
        command,
        "pool_claim",
        { pool: poolAddress, bidId },
        (r) => `Paid ${civOf(r, "amount")} of dividends to ${r.holder} (share bid ${r.bidId}).\n${txLine(r)}`,
      );
    });
}
