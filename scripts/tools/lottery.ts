/**
 * Block-lottery tools (issue 17, docs/lottery.md): `lottery_show`, `lottery_enter` (mine, stake, burn),
 * `lottery_commit`, `lottery_reveal`, `lottery_draw`, `lottery_claim` (the reward, or a stake back). Each
 * step is checked against the lottery's clock and the caller's ticket before anything is sent, and refused
 * with the reason (amounts in CIV, times as dates).
 *
 * The commit-reveal secret is derived, not stored: `keccak256(signature of "civitas lottery secret:
 * <lottery> epoch <n>")` with the agent's key (deterministic signatures, RFC 6979), so the agent can
 * reveal later from any process and nobody without the key can compute it before the reveal.
 */
import { type Address, type Hex, keccak256, parseEventLogs } from "viem";
import { z } from "zod";
import type { AgentWallet } from "../lib/clients.ts";
import { DrawOutcome, EntryKind } from "../lib/vocabulary.ts";
import {
  addressInput,
  amountFields,
  civ,
  civInput,
  id,
  idInput,
  isoTime,
  signerOf,
  type ToolChain,
  transact,
  txFields,
} from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** The deployment's lottery, or `unsupported`. */
function lotteryOf(chain: ToolChain) {
  const lottery = chain.contracts.blockLottery;
  if (lottery === undefined) throw new ToolError("unsupported", "this deployment has no block lottery");
  return lottery;
}

/** The lottery's clock: the current epoch, its start, the next one's, and the reveal window. */
async function clockOf(chain: ToolChain) {
  const lottery = lotteryOf(chain);
  const read = (functionName: "currentEpoch" | "REVEAL_WINDOW" | "CLAIM_PERIOD") =>
    chain.client.readContract({ ...lottery, functionName });
  const [epoch, revealWindow, claimPeriod, block] = await Promise.all([
    read("currentEpoch"),
    read("REVEAL_WINDOW"),
    read("CLAIM_PERIOD"),
    chain.client.getBlock({ blockTag: "latest" }),
  ]);
  return { lottery, epoch, revealWindow, claimPeriod, now: block.timestamp };
}

/**
 * The draw's default epoch: the latest one not yet drawn whose reveal window has closed by `now` (seconds).
 * With the default one-hour window that is the previous epoch; with a window longer than an epoch (the
 * devnet's two epochs, docs/lottery.md) an earlier one. When none is drawable yet, the previous epoch, so
 * that the refusal names when it can be drawn.
 */
async function latestDrawable(chain: ToolChain, current: bigint, revealWindow: bigint, now: bigint) {
  const previous = current > 0n ? current - 1n : 0n;
  const lottery = lotteryOf(chain);
  for (let epoch = previous; epoch >= 0n && epoch + 8n > previous; epoch--) {
    if ((await windowsOf(chain, epoch, revealWindow)).drawOpens > now + 1n) continue;
    const info = await chain.client.readContract({ ...lottery, functionName: "epochInfo", args: [epoch] });
    return info.drawn ? previous : epoch;
  }
  return previous;
}

/** When an epoch's reveal window opens (its end) and closes, and when it may be drawn (the close). */
async function windowsOf(chain: ToolChain, epoch: bigint, revealWindow: bigint) {
  const lottery = lotteryOf(chain);
  const opens = await chain.client.readContract({
    ...lottery,
    functionName: "epochStart",
    args: [epoch + 1n],
  });
  return { revealOpens: opens, revealCloses: opens + revealWindow - 1n, drawOpens: opens + revealWindow };
}

/**
 * The agent's secret for an epoch: keccak256 of its signature of a fixed message (deterministic), so that
 * it never needs storing.
 */
export async function lotterySecret(wallet: AgentWallet, lottery: Address, epoch: bigint): Promise<Hex> {
  const signature = await wallet.account.signMessage({
    message: `civitas lottery secret: ${lottery.toLowerCase()} epoch ${epoch}`,
  });
  return keccak256(signature);
}

/** `lottery_show`: an epoch and, with an address, its ticket. */
export const lotteryShowTool = defineTool({
  name: "lottery_show",
  description:
    "Show a block-lottery epoch (default: the current one): its window times, entries and weights (mine " +
    "weight: an epoch with no mine entry cannot be won), commits and reveals, and once drawn the outcome, " +
    "winner and reward in CIV; the settings (reward, mining resource, reveal bond); and your ticket (or an " +
    "address's): weight, stake, bond, whether committed and revealed, and your burn score.",
  input: z.object({
    epoch: idInput("the epoch (default: the current one)").optional(),
    address: addressInput("whose ticket (default: yours)").optional(),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const { lottery, epoch: current, revealWindow, now } = await clockOf(chain);
    const epoch = input.epoch === undefined ? current : id(input.epoch);
    const read = chain.client.readContract;
    const [info, start, reward, mineResourceId, bond] = await Promise.all([
      read({ ...lottery, functionName: "epochInfo", args: [epoch] }),
      read({ ...lottery, functionName: "epochStart", args: [epoch] }),
      read({ ...lottery, functionName: "epochReward" }),
      read({ ...lottery, functionName: "mineResourceId" }),
      read({ ...lottery, functionName: "revealBond" }),
    ]);
    const w = await windowsOf(chain, epoch, revealWindow);
    const who = (input.address ?? ctx.address) as Address | undefined;
    const ticket =
      who === undefined
        ? undefined
        : await Promise.all([
            read({ ...lottery, functionName: "ticketOf", args: [epoch, who] }),
            read({ ...lottery, functionName: "burnScoreOf", args: [who] }),
          ]);
    const phase = info.drawn
      ? "drawn"
      : now < w.revealOpens
        ? "entries"
        : now <= w.revealCloses
          ? "reveal"
          : "drawable";
    return {
      epoch: epoch.toString(),
      currentEpoch: current.toString(),
      phase,
      startsAt: start.toString(),
      startsAtIso: isoTime(start),
      revealOpensAt: w.revealOpens.toString(),
      revealOpensAtIso: isoTime(w.revealOpens),
      drawOpensAt: w.drawOpens.toString(),
      drawOpensAtIso: isoTime(w.drawOpens),
      entries: info.entryCount.toString(),
      totalWeight: info.totalWeight.toString(),
      mineWeight: info.mineWeight.toString(),
      commits: info.commits.toString(),
      reveals: info.reveals.toString(),
      drawn: info.drawn,
      outcome: info.drawn ? DrawOutcome.nameOf(info.outcome) : null,
      winner: info.drawn && DrawOutcome.nameOf(info.outcome) === "Won" ? info.winner : null,
      ...amountFields("reward", info.reward),
      claimDeadline: info.claimDeadline.toString(),
      claimDeadlineIso: isoTime(info.claimDeadline),
      ...amountFields("epochReward", reward),
      mineResourceId: mineResourceId.toString(),
      ...amountFields("revealBond", bond),
      ...(ticket === undefined
        ? {}
        : {
            address: who,
            ticket: {
              weight: ticket[0].weight.toString(),
              ...amountFields("staked", ticket[0].staked),
              ...amountFields("bond", ticket[0].bond),
              committed: ticket[0].commitment !== `0x${"0".repeat(64)}`,
              revealed: ticket[0].revealed,
              burnEntered: ticket[0].burnEntered,
            },
            ...amountFields("burnScore", ticket[1]),
          }),
    };
  },
});

/** `lottery_enter`: mine, stake or burn into the current epoch. */
export const lotteryEnterTool = defineTool({
  name: "lottery_enter",
  description:
    "Enter the current block-lottery epoch. mine: spend `amount` units of the mining resource (your free " +
    "allowance first, then credits bought in the market); an epoch needs at least one mine entry to be won. " +
    "stake: lock `amount` CIV until the epoch ends (weight: the part of the epoch still ahead), then " +
    "lottery_claim with stake to get it back. burn: destroy `amount` CIV into a burn score that enters this " +
    "epoch and keeps 90% per epoch (omit amount to enter with the score you have). Then lottery_commit.",
  input: z.object({
    how: z.enum(["mine", "stake", "burn"]).describe("mine, stake or burn"),
    amount: z
      .string()
      .optional()
      .describe("mine: units of the resource (an integer); stake/burn: CIV as a decimal string"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const lottery = lotteryOf(chain);
    const me = chain.wallet.address;
    const read = chain.client.readContract;
    const epoch = await read({ ...lottery, functionName: "currentEpoch" });
    let call;
    let pay = 0n;
    if (input.how === "mine") {
      if (input.amount === undefined || !/^\d+$/.test(input.amount) || BigInt(input.amount) === 0n)
        throw new ToolError("invalid_input", "mine needs amount: a positive whole number of units", {
          issues: [{ path: "amount", message: "a positive integer" }],
        });
      const resourceId = await read({ ...lottery, functionName: "mineResourceId" });
      if (resourceId === 0n)
        throw new ToolError(
          "refused",
          "mining is off: governance has named no mining resource (mineResourceId 0)",
        );
      call = { ...lottery, functionName: "mine", args: [BigInt(input.amount)] };
    } else if (input.how === "stake") {
      if (input.amount === undefined) throw new ToolError("invalid_input", "stake needs amount (CIV)");
      pay = civ(input.amount);
      if (pay === 0n) throw new ToolError("refused", "a stake of 0 CIV enters nothing");
      call = { ...lottery, functionName: "stake", args: [pay] };
    } else if (input.amount === undefined) {
      const ticket = await read({ ...lottery, functionName: "ticketOf", args: [epoch, me] });
      if (ticket.burnEntered)
        throw new ToolError("refused", `your burn score already entered epoch ${epoch}`);
      const score = await read({ ...lottery, functionName: "burnScoreOf", args: [me] });
      if (score === 0n) throw new ToolError("refused", "you have no burn score: burn an amount of CIV");
      call = { ...lottery, functionName: "enterBurn", args: [] };
    } else {
      pay = civ(input.amount);
      if (pay === 0n) throw new ToolError("refused", "a burn of 0 CIV enters nothing");
      // The first burn of an epoch enters the whole score; later ones enter their amount.
      call = { ...lottery, functionName: "burn", args: [pay] };
    }
    const receipt = await transact(
      chain,
      call as never,
      {
        label: `lottery ${input.how}`,
        ...(pay > 0n ? { pay: { spender: lottery.address, amount: pay, what: `lottery ${input.how}` } } : {}),
      },
      ctx.onProgress,
    );
    const [entered] = parseEventLogs({ abi: lottery.abi, logs: receipt.logs, eventName: "Entered" });
    return {
      epoch: epoch.toString(),
      how: input.how,
      kind: entered === undefined ? null : EntryKind.nameOf(entered.args.kind),
      amount: (entered?.args.amount ?? 0n).toString(),
      weight: (entered?.args.weight ?? 0n).toString(),
      totalWeight: (entered?.args.totalWeight ?? 0n).toString(),
      mineWeight: (entered?.args.mineWeight ?? 0n).toString(),
      ...amountFields("paid", pay),
      ...txFields(receipt),
    };
  },
});

/** `lottery_commit`: commit to the agent's secret for the current epoch, locking the reveal bond. */
export const lotteryCommitTool = defineTool({
  name: "lottery_commit",
  description:
    "Commit to your secret for the current lottery epoch (needed to be drawn: only revealed entries count " +
    "toward the seed), locking the reveal bond (default 1 CIV), returned when you reveal and forfeited " +
    "otherwise. The secret is derived from your key, so lottery_reveal needs nothing from you but the epoch.",
  input: z.object({}),
  needsSigner: true,
  async run(ctx) {
    const chain = await signerOf(ctx);
    const lottery = lotteryOf(chain);
    const me = chain.wallet.address;
    const read = chain.client.readContract;
    const epoch = await read({ ...lottery, functionName: "currentEpoch" });
    const [ticket, bond] = await Promise.all([
      read({ ...lottery, functionName: "ticketOf", args: [epoch, me] }),
      read({ ...lottery, functionName: "revealBond" }),
    ]);
    if (ticket.weight === 0n)
      throw new ToolError(
        "refused",
        `you have not entered epoch ${epoch}: lottery_enter first (mine, stake or burn)`,
      );
    if (ticket.commitment !== `0x${"0".repeat(64)}`)
      throw new ToolError("refused", `you already committed in epoch ${epoch}`);
    const secret = await lotterySecret(chain.wallet, lottery.address, epoch);
    const commitment = await read({ ...lottery, functionName: "commitmentOf", args: [secret, me, epoch] });
    const receipt = await transact(
      chain,
      { ...lottery, functionName: "commit", args: [commitment] },
      { label: "lottery commit", pay: { spender: lottery.address, amount: bond, what: "the reveal bond" } },
      ctx.onProgress,
    );
    return { epoch: epoch.toString(), commitment, ...amountFields("bond", bond), ...txFields(receipt) };
  },
});

/** `lottery_reveal`: reveal the secret of an epoch inside its reveal window. */
export const lotteryRevealTool = defineTool({
  name: "lottery_reveal",
  description:
    "Reveal your secret for a lottery epoch (default: the one just ended) inside its reveal window (the " +
    "first hour after the epoch ends, by default): your bond comes back and your entries can win.",
  input: z.object({ epoch: idInput("the epoch (default: the previous one)").optional() }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { lottery, epoch: current, revealWindow, now } = await clockOf(chain);
    const epoch = input.epoch === undefined ? current - 1n : id(input.epoch);
    const me = chain.wallet.address;
    const ticket = await chain.client.readContract({
      ...lottery,
      functionName: "ticketOf",
      args: [epoch, me],
    });
    if (ticket.commitment === `0x${"0".repeat(64)}`)
      throw new ToolError("refused", `you did not commit in epoch ${epoch}: nothing to reveal`);
    if (ticket.revealed) throw new ToolError("refused", `you already revealed in epoch ${epoch}`);
    const w = await windowsOf(chain, epoch, revealWindow);
    if (now + 1n < w.revealOpens || now >= w.revealCloses)
      throw new ToolError(
        "refused",
        `epoch ${epoch}'s reveal window is ${isoTime(w.revealOpens)} to ${isoTime(w.revealCloses)}; it is ${isoTime(now)}`,
        { revealOpensAt: w.revealOpens.toString(), revealClosesAt: w.revealCloses.toString() },
      );
    const secret = await lotterySecret(chain.wallet, lottery.address, epoch);
    const receipt = await transact(
      chain,
      { ...lottery, functionName: "reveal", args: [epoch, secret] },
      { label: "lottery reveal" },
      ctx.onProgress,
    );
    return {
      epoch: epoch.toString(),
      secret,
      ...amountFields("bondReturned", ticket.bond),
      ...txFields(receipt),
    };
  },
});

/** `lottery_draw`: anyone draws an epoch once its reveal window closed. */
export const lotteryDrawTool = defineTool({
  name: "lottery_draw",
  description:
    "Draw a lottery epoch (default: the latest whose reveal window has closed) once its reveal window " +
    "closed: anyone may. The " +
    "winner is picked by weight from the revealed secrets; an epoch with no entries, no mine entry or no " +
    "reveal is void. The winner then has the claim period (7 days by default) to lottery_claim.",
  input: z.object({
    epoch: idInput("the epoch (default: the latest whose reveal window has closed)").optional(),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { lottery, epoch: current, revealWindow, now } = await clockOf(chain);
    const epoch =
      input.epoch === undefined ? await latestDrawable(chain, current, revealWindow, now) : id(input.epoch);
    const info = await chain.client.readContract({ ...lottery, functionName: "epochInfo", args: [epoch] });
    if (info.drawn)
      throw new ToolError(
        "refused",
        `epoch ${epoch} was already drawn (${DrawOutcome.nameOf(info.outcome)})`,
      );
    const w = await windowsOf(chain, epoch, revealWindow);
    if (now + 1n < w.drawOpens)
      throw new ToolError(
        "refused",
        `epoch ${epoch} can be drawn from ${isoTime(w.drawOpens)}; it is ${isoTime(now)}`,
        {
          drawOpensAt: w.drawOpens.toString(),
        },
      );
    const receipt = await transact(
      chain,
      { ...lottery, functionName: "draw", args: [epoch] },
      { label: "lottery draw" },
      ctx.onProgress,
    );
    const [drawn] = parseEventLogs({ abi: lottery.abi, logs: receipt.logs, eventName: "Drawn" });
    const outcome = drawn === undefined ? null : DrawOutcome.nameOf(drawn.args.outcome);
    return {
      epoch: epoch.toString(),
      outcome,
      winner: outcome === "Won" ? drawn!.args.winner : null,
      ...amountFields("reward", drawn?.args.reward ?? 0n),
      claimDeadline: (drawn?.args.claimDeadline ?? 0n).toString(),
      claimDeadlineIso: isoTime(drawn?.args.claimDeadline ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** `lottery_claim`: the winner's reward, or a stake back after its epoch. */
export const lotteryClaimTool = defineTool({
  name: "lottery_claim",
  description:
    "Claim from a lottery epoch (default: the previous one): what = reward (the winner's reward, paid as " +
    "taxed earnings, within the claim period) or stake (your staked CIV back, untaxed, once the epoch ended).",
  input: z.object({
    what: z.enum(["reward", "stake"]).default("reward").describe("reward (default) or stake"),
    epoch: idInput("the epoch (default: the previous one)").optional(),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { lottery, epoch: current, now } = await clockOf(chain);
    const epoch = input.epoch === undefined ? current - 1n : id(input.epoch);
    const me = chain.wallet.address;
    const read = chain.client.readContract;
    if (input.what === "stake") {
      if (epoch >= current)
        throw new ToolError(
          "refused",
          `epoch ${epoch} has not ended: a stake is locked until its epoch ends`,
        );
      const ticket = await read({ ...lottery, functionName: "ticketOf", args: [epoch, me] });
      if (ticket.staked === 0n) throw new ToolError("refused", `you have no stake left in epoch ${epoch}`);
      const receipt = await transact(
        chain,
        { ...lottery, functionName: "withdrawStake", args: [epoch] },
        { label: "lottery withdraw stake" },
        ctx.onProgress,
      );
      return {
        epoch: epoch.toString(),
        what: "stake",
        ...amountFields("amount", ticket.staked),
        ...txFields(receipt),
      };
    }
    const info = await read({ ...lottery, functionName: "epochInfo", args: [epoch] });
    if (!info.drawn)
      throw new ToolError("refused", `epoch ${epoch} has not been drawn yet: lottery_draw first`);
    if (DrawOutcome.nameOf(info.outcome) !== "Won")
      throw new ToolError("refused", `epoch ${epoch} was not won (${DrawOutcome.nameOf(info.outcome)})`);
    if (info.winner.toLowerCase() !== me.toLowerCase())
      throw new ToolError("refused", `epoch ${epoch} was won by ${info.winner}, not ${me}`);
    if (info.reward === 0n)
      throw new ToolError("refused", `epoch ${epoch}'s reward was already claimed or returned`);
    if (now >= info.claimDeadline)
      throw new ToolError("refused", `epoch ${epoch}'s claim period ended at ${isoTime(info.claimDeadline)}`);
    const receipt = await transact(
      chain,
      { ...lottery, functionName: "claim", args: [epoch] },
      { label: "lottery claim" },
      ctx.onProgress,
    );
    const [claimed] = parseEventLogs({ abi: lottery.abi, logs: receipt.logs, eventName: "RewardClaimed" });
    const tax = (claimed?.args.tax ?? 0n) + (claimed?.args.capExcess ?? 0n);
    return {
      epoch: epoch.toString(),
      what: "reward",
      ...amountFields("reward", info.reward),
      ...amountFields("tax", tax),
      ...amountFields("received", info.reward - tax),
      ...txFields(receipt),
    };
  },
});

/** Every lottery tool. */
export const LOTTERY_TOOLS = [
  lotteryShowTool,
  lotteryEnterTool,
  lotteryCommitTool,
  lotteryRevealTool,
  lotteryDrawTool,
  lotteryClaimTool,
] as const;
