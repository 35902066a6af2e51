/**
 * Staking tools: `stake_validator`, `stake_delegate`, `stake_undelegate`, `stake_withdraw`, `stake_claim`,
 * `stake_show`. (`stake_delegate` bonds CIV with a validator; `votes_delegate` lends token votes.)
 */
import { getAddress, parseEventLogs } from "viem";
import { z } from "zod";
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
  transact,
  txFields,
} from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** `stake_validator`: registers the signer as a validator with a self-stake. */
export const stakeValidatorTool = defineTool({
  name: "stake_validator",
  description:
    "Register as a validator, bonding a self-stake in CIV (at least the minimum self-stake), with a " +
    "commission on your pool's rewards in bps (at most 5000). Approves the staking contract if needed.",
  input: z.object({
    selfStake: civInput("CIV to bond"),
    commissionBps: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .optional()
      .describe("commission in bps (default 1000 = 10%)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { contracts } = chain;
    const selfStake = civ(input.selfStake);
    const commission = BigInt(input.commissionBps ?? 1_000);
    const receipt = await transact(
      chain,
      { ...contracts.staking, functionName: "registerValidator", args: [commission, selfStake] },
      {
        label: "stake validator",
        pay: { spender: contracts.staking.address, amount: selfStake, what: "the self-stake" },
      },
      ctx.onProgress,
    );
    return {
      validator: chain.wallet.address,
      ...amountFields("selfStake", selfStake),
      commissionBps: commission.toString(),
      ...txFields(receipt),
    };
  },
});

/** `stake_delegate`: bonds CIV with a validator. */
export const stakeDelegateTool = defineTool({
  name: "stake_delegate",
  description:
    "Bond CIV with a validator to earn staking rewards (one validator per account). Approves the staking " +
    "contract if needed. Bonded CIV counts in your holdings against the wealth cap.",
  input: z.object({ validator: addressInput("the validator's address"), amount: civInput("CIV to bond") }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { contracts } = chain;
    const validator = getAddress(input.validator);
    const value = civ(input.amount);
    const receipt = await transact(
      chain,
      { ...contracts.staking, functionName: "delegateStake", args: [validator, value] },
      {
        label: "stake delegate",
        pay: { spender: contracts.staking.address, amount: value, what: "bonding" },
      },
      ctx.onProgress,
    );
    return { validator, ...amountFields("amount", value), ...txFields(receipt) };
  },
});

/** `stake_undelegate`: starts unbonding. */
export const stakeUndelegateTool = defineTool({
  name: "stake_undelegate",
  description:
    "Start unbonding bonded shares (default: all of them); withdraw the CIV with stake_withdraw after the " +
    "unbonding period. Returns the unbonding request id and its release time.",
  input: z.object({ shares: idInput("bonded shares to unbond (default: all)").optional() }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { contracts, client, wallet } = chain;
    const shares =
      input.shares === undefined
        ? await client.readContract({
            ...contracts.staking,
            functionName: "bondedSharesOf",
            args: [wallet.address],
          })
        : id(input.shares);
    if (shares === 0n) throw new ToolError("refused", `${wallet.address} has no bonded shares to unbond`);
    const receipt = await transact(
      chain,
      { ...contracts.staking, functionName: "undelegate", args: [shares] },
      { label: "stake undelegate" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({
      abi: contracts.staking.abi,
      logs: receipt.logs,
      eventName: "Undelegated",
    });
    return {
      unbondingId: (log?.args.unbondingId ?? 0n).toString(),
      shares: shares.toString(),
      ...amountFields("amount", log?.args.amount ?? 0n),
      releaseTime: (log?.args.releaseTime ?? 0n).toString(),
      releaseTimeIso: isoTime(log?.args.releaseTime ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** `stake_withdraw`: collects a released unbonding request. */
export const stakeWithdrawTool = defineTool({
  name: "stake_withdraw",
  description: "Withdraw the CIV of a released unbonding request (its id comes from stake_undelegate).",
  input: z.object({ unbondingId: idInput("the unbonding request id") }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const unbondingId = id(input.unbondingId);
    const receipt = await transact(
      chain,
      { ...chain.contracts.staking, functionName: "withdraw", args: [unbondingId] },
      { label: "stake withdraw" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({
      abi: chain.contracts.staking.abi,
      logs: receipt.logs,
      eventName: "Withdrawn",
    });
    return {
      unbondingId: unbondingId.toString(),
      ...amountFields("amount", log?.args.amount ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** `stake_claim`: claims staking rewards. */
export const stakeClaimTool = defineTool({
  name: "stake_claim",
  description:
    "Claim your staking rewards (paid as taxed earnings; any part above the wealth cap goes to the Treasury).",
  input: z.object({}),
  needsSigner: true,
  async run(ctx) {
    const chain = await signerOf(ctx);
    const receipt = await transact(
      chain,
      { ...chain.contracts.staking, functionName: "claimRewards", args: [] },
      { label: "stake claim" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({
      abi: chain.contracts.staking.abi,
      logs: receipt.logs,
      eventName: "RewardClaimed",
    });
    const { gross = 0n, tax = 0n, capExcess = 0n } = log?.args ?? {};
    return {
      ...amountFields("gross", gross),
      ...amountFields("net", gross - tax - capExcess),
      ...amountFields("tax", tax),
      ...amountFields("capExcess", capExcess),
      ...txFields(receipt),
    };
  },
});

/** `stake_show`: an account's staking position. */
export const stakeShowTool = defineTool({
  name: "stake_show",
  description:
    "An account's staking position (default: yours): bonded and unbonding CIV, pending rewards, its " +
    "validator, and its validator record if it is one; plus the minimum self-stake and unbonding period.",
  input: z.object({ address: addressInput("the account (default: yours)").optional() }),
  needsSigner: false,
  async run(ctx, input) {
    const who = getAddress(subject(ctx, input.address));
    const { client, contracts } = await ctx.chain();
    const s = contracts.staking;
    const [shares, bonded, unbonding, pending, bound, info, minSelfStake, period] = await Promise.all([
      client.readContract({ ...s, functionName: "bondedSharesOf", args: [who] }),
      client.readContract({ ...s, functionName: "bondedBalanceOf", args: [who] }),
      client.readContract({ ...s, functionName: "unbondingBalanceOf", args: [who] }),
      client.readContract({ ...s, functionName: "pendingRewards", args: [who] }),
      client.readContract({ ...s, functionName: "boundValidatorOf", args: [who] }),
      client.readContract({ ...s, functionName: "validatorInfo", args: [who] }),
      client.readContract({ ...s, functionName: "minSelfStake" }),
      client.readContract({ ...s, functionName: "unbondingPeriod" }),
    ]);
    return {
      address: who,
      bondedShares: shares.toString(),
      ...amountFields("bonded", bonded),
      ...amountFields("unbonding", unbonding),
      ...amountFields("pendingRewards", pending),
      validator: bound,
      validatorRecord: info.registered
        ? {
            commissionBps: info.commissionBps,
            ...amountFields("bondedTokens", info.bondedTokens),
            ...amountFields("unbondingTokens", info.unbondingTokens),
          }
        : null,
      ...amountFields("minSelfStake", minSelfStake),
      unbondingPeriodSeconds: period.toString(),
    };
  },
});

/** The staking tools. */
export const STAKE_TOOLS = [
  stakeValidatorTool,
  stakeDelegateTool,
  stakeUndelegateTool,
  stakeWithdrawTool,
  stakeClaimTool,
  stakeShowTool,
] as const;
