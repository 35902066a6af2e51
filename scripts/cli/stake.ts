/**
 * `civitas stake validator | delegate | undelegate | withdraw | claim | show`: bonding CIV with validators
 * (scripts/tools/stake.ts). (`stake delegate` bonds CIV; `votes delegate` lends token votes.)
 */
import type { Command } from "commander";
import { formatBps } from "../lib/format.ts";
import { address, civOf, civText, intIn, runTool, txLine, uintText } from "./context.ts";

/** Registers the `stake` command group on `program`. */
export function registerStakeCommands(program: Command): void {
  const stake = program.command("stake").description("staking: validators, delegation, rewards");

  stake
    .command("validator")
    .description("register as a validator, bonding a self-stake (at least the minimum, 500 CIV by default)")
    .argument("<selfStake>", "CIV to bond, e.g. 500", civText)
    .option(
      "-c, --commission <bps>",
      "commission on your pool's rewards, in bps (at most 5000)",
      intIn(0, 10_000),
      1_000,
    )
    .action(async (selfStake: string, options: { commission: number }, command: Command) => {
      await runTool(
        command,
        "stake_validator",
        { selfStake, commissionBps: options.commission },
        (r) =>
          `Registered as a validator with ${civOf(r, "selfStake")} self-stake, ${formatBps(options.commission)} commission.\n${txLine(r)}`,
      );
    });

  stake
    .command("delegate")
    .description("bond CIV with a validator (approves the staking contract if needed)")
    .argument("<validator>", "the validator's address", address)
    .argument("<amount>", "CIV to bond, e.g. 100", civText)
    .action(async (validator: string, value: string, _options, command: Command) => {
      await runTool(
        command,
        "stake_delegate",
        { validator, amount: value },
        (r) => `Bonded ${civOf(r, "amount")} with ${r.validator}.\n${txLine(r)}`,
      );
    });

  stake
    .command("undelegate")
    .description(
      "start unbonding bonded shares (all of them by default); withdraw after the unbonding period",
    )
    .argument("[shares]", "bonded shares to unbond (default: all)", uintText)
    .action(async (shares: string | undefined, _options, command: Command) => {
      await runTool(
        command,
        "stake_undelegate",
        { shares },
        (r) =>
          `Unbonding ${civOf(r, "amount")}: request ${r.unbondingId}, withdrawable from ${r.releaseTimeIso}.\n${txLine(r)}`,
      );
    });

  stake
    .command("withdraw")
    .description("withdraw a released unbonding request")
    .argument("<unbondingId>", "the request id printed by `stake undelegate`", uintText)
    .action(async (unbondingId: string, _options, command: Command) => {
      await runTool(
        command,
        "stake_withdraw",
        { unbondingId },
        (r) => `Withdrew ${civOf(r, "amount")} (request ${unbondingId}).\n${txLine(r)}`,
      );
    });

  stake
    .command("claim")
    .description("claim your staking rewards (paid as taxed earnings)")
    .action(async (_options, command: Command) => {
      await runTool(command, "stake_claim", {}, (r) => {
        const excess = BigInt(String(r.capExcessWei));
        return (
          `Claimed ${civOf(r, "gross")} of rewards: ${civOf(r, "net")} net, ${civOf(r, "tax")} tax` +
          (excess > 0n ? `, ${civOf(r, "capExcess")} over the wealth cap to the Treasury.` : ".") +
          `\n${txLine(r)}`
        );
      });
    });

  stake
    .command("show")
    .description("an account's staking position: bonded, unbonding, pending rewards (default: yours)")
    .argument("[address]", "the account (default: the signing account)", address)
    .action(async (who: string | undefined, _options, command: Command) => {
      await runTool(command, "stake_show", { address: who }, (r) => {
        const v = r.validatorRecord as Record<string, unknown> | null;
        return [
          `${r.address}`,
          `  bonded           ${civOf(r, "bonded")} (${r.bondedShares} shares) with ${r.validator}`,
          `  unbonding        ${civOf(r, "unbonding")}`,
          `  pending rewards  ${civOf(r, "pendingRewards")}`,
          ...(v
            ? [
                `  validator        ${civOf(v, "bondedTokens")} bonded, commission ${formatBps(Number(v.commissionBps))}`,
              ]
            : []),
        ].join("\n");
      });
    });
}
