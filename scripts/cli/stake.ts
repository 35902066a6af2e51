/**
 * `civitas stake validator | delegate | undelegate | withdraw | claim`: bonding CIV with validators.
 * (`stake delegate` bonds CIV; `votes delegate` lends token votes.)
 */
import type { Command } from "commander";
import { type Address, parseEventLogs } from "viem";
import { formatBps, formatCiv } from "../lib/format.ts";
import { address, amount, done, ensureAllowance, signer, uint } from "./context.ts";

/** Registers the `stake` command group on `program`. */
export function registerStakeCommands(program: Command): void {
  const stake = program.command("stake").description("staking: validators, delegation, rewards");

  stake
    .command("validator")
    .description("register as a validator, bonding a self-stake (at least the minimum, 500 CIV by default)")
    .argument("<selfStake>", "CIV to bond, e.g. 500", amount)
    .option(
      "-c, --commission <bps>",
      "commission on your pool's rewards, in bps (at most 5000)",
      uint,
      1_000n,
    )
    .action(async (selfStake: bigint, options: { commission: bigint }, command: Command) => {
      const chain = await signer(command);
      const { wallet, contracts } = chain;
      await ensureAllowance(chain, contracts.staking.address, selfStake);
      const receipt = await wallet.execute(
        { ...contracts.staking, functionName: "registerValidator", args: [options.commission, selfStake] },
        { label: "stake validator" },
      );
      done(
        `Registered as a validator with ${formatCiv(selfStake)} self-stake, ${formatBps(options.commission)} commission.`,
        receipt,
      );
    });

  stake
    .command("delegate")
    .description("bond CIV with a validator (approves the staking contract if needed)")
    .argument("<validator>", "the validator's address", address)
    .argument("<amount>", "CIV to bond, e.g. 100", amount)
    .action(async (validator: Address, value: bigint, _options, command: Command) => {
      const chain = await signer(command);
      const { wallet, contracts } = chain;
      await ensureAllowance(chain, contracts.staking.address, value);
      const receipt = await wallet.execute(
        { ...contracts.staking, functionName: "delegateStake", args: [validator, value] },
        { label: "stake delegate" },
      );
      done(`Bonded ${formatCiv(value)} with ${validator}.`, receipt);
    });

  stake
    .command("undelegate")
    .description(
      "start unbonding bonded shares (all of them by default); withdraw after the unbonding period",
    )
    .argument("[shares]", "bonded shares to unbond (default: all)", uint)
    .action(async (shares: bigint | undefined, _options, command: Command) => {
      const { wallet, contracts, client } = await signer(command);
      const all = await client.readContract({
        ...contracts.staking,
        functionName: "bondedSharesOf",
        args: [wallet.address],
      });
      const receipt = await wallet.execute(
        { ...contracts.staking, functionName: "undelegate", args: [shares ?? all] },
        { label: "stake undelegate" },
      );
      const [log] = parseEventLogs({
        abi: contracts.staking.abi,
        logs: receipt.logs,
        eventName: "Undelegated",
      });
      done(
        `Unbonding ${formatCiv(log?.args.amount ?? 0n)}: request ${log?.args.unbondingId}, ` +
          `withdrawable from ${new Date(Number(log?.args.releaseTime ?? 0n) * 1000).toISOString()}.`,
        receipt,
      );
    });

  stake
    .command("withdraw")
    .description("withdraw a released unbonding request")
    .argument("<unbondingId>", "the request id printed by `stake undelegate`", uint)
    .action(async (id: bigint, _options, command: Command) => {
      const { wallet, contracts } = await signer(command);
      const receipt = await wallet.execute(
        { ...contracts.staking, functionName: "withdraw", args: [id] },
        { label: "stake withdraw" },
      );
      const [log] = parseEventLogs({
        abi: contracts.staking.abi,
        logs: receipt.logs,
        eventName: "Withdrawn",
      });
      done(`Withdrew ${formatCiv(log?.args.amount ?? 0n)} (request ${id}).`, receipt);
    });

  stake
    .command("claim")
    .description("claim your staking rewards (paid as taxed earnings)")
    .action(async (_options, command: Command) => {
      const { wallet, contracts } = await signer(command);
      const receipt = await wallet.execute(
        { ...contracts.staking, functionName: "claimRewards", args: [] },
        { label: "stake claim" },
      );
      const [log] = parseEventLogs({
        abi: contracts.staking.abi,
        logs: receipt.logs,
        eventName: "RewardClaimed",
      });
      const { gross = 0n, tax = 0n, capExcess = 0n } = log?.args ?? {};
      done(
        `Claimed ${formatCiv(gross)} of rewards: ${formatCiv(gross - tax - capExcess)} net, ${formatCiv(tax)} tax` +
          (capExcess > 0n ? `, ${formatCiv(capExcess)} over the wealth cap to the Treasury.` : "."),
        receipt,
      );
    });
}
