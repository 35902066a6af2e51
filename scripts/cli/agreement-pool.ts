/**
 * `civitas agreement pool show | contribute | exit | play | settle | claim`: lottery pools (agreement kind 5,
 * scripts/tools/agreement-pool.ts, docs/agreements.md). Members pool CIV into one BlockLottery stake entry
 * and share the winnings pro rata.
 */
import type { Command } from "commander";
import { civOf, civText, runTool, txLine, uintText } from "./context.ts";

/** A pool result for people: state, totals, the epoch's times and the member's part. */
function poolText(r: Record<string, unknown>): string {
  if (r.poolId === null)
    return `Epoch ${r.epoch} has no pool yet: the first contribution creates it (contributions close ${r.lockAtIso}).`;
  const lines = [
    `Pool ${r.poolId} (lottery epoch ${r.epoch}): ${r.state}; contributed ${civOf(r, "contributed")}` +
      (r.state === "Settled"
        ? `, won ${civOf(r, "proceeds")}; left to claim ${civOf(r, "sharesLeft")} + ${civOf(r, "proceedsLeft")}`
        : ""),
    `  locks ${r.lockAtIso}, epoch ends ${r.endsAtIso}, draw from ${r.drawAtIso}`,
  ];
  if (r.member !== null)
    lines.push(
      `  ${r.member}: contribution ${civOf(r, "contribution")}` +
        (r.state === "Settled"
          ? `; may claim ${civOf(r, "claimablePrincipal")} + share ${civOf(r, "claimableShare")}`
          : ""),
    );
  return lines.join("\n");
}

/** Registers `agreement pool …` on the `agreement` command group. */
export function registerPoolCommands(agreement: Command): void {
  const pool = agreement
    .command("pool")
    .description("lottery pools: members share one lottery stake entry and its winnings pro rata");

  pool
    .command("show")
    .description("show a pool by id, or the pool of an epoch (default: the next epoch)")
    .argument("[poolId]", "the pool's id", uintText)
    .option("--epoch <n>", "the lottery epoch whose pool to show", uintText)
    .option("--address <address>", "whose contribution to show (default: you)")
    .action(async (poolId: string | undefined, o: { epoch?: string; address?: string }, command: Command) => {
      await runTool(command, "agreement_pool_show", { poolId, epoch: o.epoch, address: o.address }, poolText);
    });

  const act = (name: string, description: string, withAmount = false) => {
    const cmd = pool.command(name).description(description);
    if (withAmount)
      cmd
        .argument("<CIV>", "the amount to contribute", civText)
        .option("--epoch <n>", "the lottery epoch (default: the next)", uintText);
    else cmd.argument("<poolId>", "the pool's id", uintText);
    cmd.action(async (value: string, o: { epoch?: string }, command: Command) => {
      await runTool(
        command,
        "agreement_pool_act",
        withAmount ? { action: name, amount: value, epoch: o.epoch } : { action: name, poolId: value },
        (r) =>
          `${name} done: ` +
          (name === "contribute" ? `paid ${civOf(r, "paid")}. ` : "") +
          (name === "exit" ? `returned ${civOf(r, "returned")}. ` : "") +
          (name === "settle" ? `stake returned ${civOf(r, "stakeReturned")}, won ${civOf(r, "won")}. ` : "") +
          (name === "claim"
            ? `received ${civOf(r, "claimedPrincipal")} back and a share of ${civOf(r, "claimedShare")} (before tax). `
            : "") +
          `\n${poolText(r)}\n${txLine(r)}`,
      );
    });
  };
  act(
    "contribute",
    "add CIV to the pool of an epoch before its lock (the first contribution creates it)",
    true,
  );
  act("exit", "take your contribution back before the pool locks");
  act("play", "stake the whole pool in the lottery during its epoch (anyone)");
  act("settle", "after the epoch (a played pool: once the lottery can draw), settle the pool (anyone)");
  act("claim", "take your contribution back and your share of the winnings");
}
