/**
 * `civitas lottery show | enter | commit | reveal | draw | claim`: the block lottery (scripts/tools/lottery.ts,
 * docs/lottery.md). Enter an epoch by mining, staking or burning, commit, reveal after the epoch, draw, claim.
 */
import { Argument, type Command } from "commander";
import { civOf, address, runTool, txLine, uintText } from "./context.ts";

/** Registers the `lottery` command group on `program`. */
export function registerLotteryCommands(program: Command): void {
  const lottery = program
    .command("lottery")
    .description(
      "the block lottery: enter an epoch by mining, staking or burning; commit, reveal, draw, claim",
    );

  lottery
    .command("show")
    .description("show an epoch (default: the current one): times, entries, draw; and your ticket")
    .argument("[epoch]", "the epoch", uintText)
    .option("-a, --address <address>", "whose ticket (default: yours)", address)
    .action(async (epoch: string | undefined, o: { address?: string }, command: Command) => {
      await runTool(command, "lottery_show", { epoch, address: o.address }, (r) => {
        const lines = [
          `Epoch ${r.epoch} (current ${r.currentEpoch}): ${r.phase}; reveal from ${r.revealOpensAtIso}, draw from ${r.drawOpensAtIso}.`,
          `  ${r.entries} entries, weight ${r.totalWeight} (mine ${r.mineWeight}${r.mineWeight === "0" ? ": no mine entry, cannot be won" : ""}), ${r.commits} commits, ${r.reveals} reveals`,
        ];
        if (r.drawn)
          lines.push(
            `  drawn: ${r.outcome}` +
              (r.winner
                ? `, winner ${r.winner}, reward ${civOf(r, "reward")} until ${r.claimDeadlineIso}`
                : ""),
          );
        else
          lines.push(
            `  reward ${civOf(r, "epochReward")}; mining resource ${r.mineResourceId}; reveal bond ${civOf(r, "revealBond")}`,
          );
        const t = r.ticket as Record<string, unknown> | undefined;
        if (t !== undefined)
          lines.push(
            `  ticket of ${r.address}: weight ${t.weight}, staked ${civOf(t, "staked")}, ` +
              `${t.committed ? (t.revealed ? "committed and revealed" : "committed") : "not committed"}; burn score ${civOf(r, "burnScore")}`,
          );
        return lines.join("\n");
      });
    });

  lottery
    .command("enter")
    .description(
      "enter the current epoch: mine <units>, stake <CIV>, or burn [CIV] (no amount: your burn score)",
    )
    .addArgument(new Argument("<how>", "mine, stake or burn").choices(["mine", "stake", "burn"]))
    .argument("[amount]", "mine: units of the mining resource; stake/burn: CIV")
    .action(async (how: string, amount: string | undefined, _o: unknown, command: Command) => {
      await runTool(
        command,
        "lottery_enter",
        { how, amount },
        (r) =>
          `Entered epoch ${r.epoch} by ${r.kind}: weight ${r.weight} of ${r.totalWeight} (mine weight ${r.mineWeight})` +
          (r.paidWei !== "0" ? `; ${how === "stake" ? "staked" : "burned"} ${civOf(r, "paid")}` : "") +
          `.\n  next: civitas lottery commit\n${txLine(r)}`,
      );
    });

  lottery
    .command("commit")
    .description(
      "commit to your secret for the current epoch (derived from your key), locking the reveal bond",
    )
    .action(async (_o: unknown, command: Command) => {
      await runTool(
        command,
        "lottery_commit",
        {},
        (r) =>
          `Committed in epoch ${r.epoch} (bond ${civOf(r, "bond")}); reveal after the epoch ends: civitas lottery reveal ${r.epoch}\n${txLine(r)}`,
      );
    });

  for (const [name, tool, what] of [
    ["reveal", "lottery_reveal", "reveal your secret inside the epoch's reveal window (bond back)"],
    ["draw", "lottery_draw", "draw an epoch once its reveal window closed (anyone)"],
  ] as const) {
    lottery
      .command(name)
      .description(`${what}; default: the previous epoch`)
      .argument("[epoch]", "the epoch", uintText)
      .action(async (epoch: string | undefined, _o: unknown, command: Command) => {
        await runTool(command, tool, { epoch }, (r) =>
          name === "reveal"
            ? `Revealed in epoch ${r.epoch}; bond back ${civOf(r, "bondReturned")}.\n${txLine(r)}`
            : `Drew epoch ${r.epoch}: ${r.outcome}` +
              (r.winner
                ? `, winner ${r.winner}, reward ${civOf(r, "reward")} (claim by ${r.claimDeadlineIso})`
                : "") +
              `\n${txLine(r)}`,
        );
      });
  }

  lottery
    .command("claim")
    .description(
      "claim a won reward (taxed earnings), or with --stake your stake back; default: the previous epoch",
    )
    .argument("[epoch]", "the epoch", uintText)
    .option("--stake", "withdraw your stake instead of claiming a reward")
    .action(async (epoch: string | undefined, o: { stake?: boolean }, command: Command) => {
      await runTool(command, "lottery_claim", { epoch, what: o.stake ? "stake" : "reward" }, (r) =>
        r.what === "stake"
          ? `Withdrew ${civOf(r, "amount")} staked in epoch ${r.epoch}.\n${txLine(r)}`
          : `Claimed epoch ${r.epoch}'s reward ${civOf(r, "reward")}: received ${civOf(r, "received")} after ${civOf(r, "tax")} tax.\n${txLine(r)}`,
      );
    });
}
