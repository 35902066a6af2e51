/**
 * Lottery pool tools (issue 17, agreement kind 5; docs/agreements.md): `agreement_pool_show` and
 * `agreement_pool_act` (contribute, exit, play, settle, claim). Members share one BlockLottery stake entry
 * and its winnings pro rata (PoolAgreements). Every step is checked against the pool as the contract holds
 * it (state by name, the lock, the epoch's window, the caller's contribution, the minimum) before anything is
 * sent; whatever those checks miss is simulated and refused with the contract's decoded error.
 */
import { type Address, parseEventLogs } from "viem";
import { z } from "zod";
import { formatCiv } from "../lib/format.ts";
import { PoolState } from "../lib/vocabulary.ts";
import {
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

/** A pool state's Solidity name (`Open`). */
type PoolStateName = (typeof PoolState.names)[number];

/** The deployment's PoolAgreements and BlockLottery, or `unsupported`. */
function poolContracts(chain: ToolChain) {
  const pools = chain.contracts.poolAgreements;
  const lottery = chain.contracts.blockLottery;
  if (pools === undefined || lottery === undefined)
    throw new ToolError("unsupported", "this deployment has no lottery pools (PoolAgreements)");
  return { pools, lottery };
}

/**
 * A pool as the contract holds it, with its epoch's window: named by `poolId`, or by `epoch` (0 when the
 * epoch has no pool yet).
 * @throws ToolError `not_found` for a pool id that does not exist.
 */
async function poolOf(chain: ToolChain, ref: { poolId?: string | number; epoch?: string | number }) {
  const { pools, lottery } = poolContracts(chain);
  const { client } = chain;
  let poolId: bigint;
  if (ref.poolId !== undefined) {
    poolId = id(ref.poolId);
    const count = await client.readContract({ ...pools, functionName: "agreementCount" });
    if (poolId === 0n || poolId > count)
      throw new ToolError(
        "not_found",
        `no lottery pool ${poolId} (${count === 0n ? "none yet" : `ids 1..${count}`})`,
        { poolId: poolId.toString(), count: count.toString() },
      );
  } else {
    const epoch =
      ref.epoch === undefined
        ? (await client.readContract({ ...lottery, functionName: "currentEpoch" })) + 1n
        : id(ref.epoch);
    poolId = await client.readContract({ ...pools, functionName: "poolOfEpoch", args: [epoch] });
    if (poolId === 0n) return { poolId, epoch, p: undefined };
  }
  const p = await client.readContract({ ...pools, functionName: "poolOf", args: [poolId] });
  return { poolId, epoch: p.epoch, p };
}

/** The epoch's lock (its first second), end and draw time (end + the reveal window), in seconds. */
async function windowOf(chain: ToolChain, epoch: bigint) {
  const { lottery } = poolContracts(chain);
  const read = (functionName: string, args: unknown[] = []) =>
    chain.client.readContract({ ...lottery, functionName, args } as never) as Promise<bigint>;
  const [lockAt, endsAt, revealWindow] = await Promise.all([
    read("epochStart", [epoch]),
    read("epochStart", [epoch + 1n]),
    read("REVEAL_WINDOW"),
  ]);
  return { lockAt, endsAt, drawAt: endsAt + revealWindow };
}

/** A pool for people and models, with `member`'s contribution and what it may claim. */
async function describePool(chain: ToolChain, poolId: bigint, member: Address | undefined) {
  const { pools } = poolContracts(chain);
  const { p } = await poolOf(chain, { poolId: poolId.toString() });
  const w = await windowOf(chain, p!.epoch);
  const [contribution, claimable] =
    member === undefined
      ? [0n, [0n, 0n] as const]
      : await Promise.all([
          chain.client.readContract({ ...pools, functionName: "contributionOf", args: [poolId, member] }),
          chain.client.readContract({ ...pools, functionName: "claimable", args: [poolId, member] }),
        ]);
  return {
    poolId: poolId.toString(),
    contract: pools.address,
    state: PoolState.nameOf(p!.state) as PoolStateName,
    epoch: p!.epoch.toString(),
    ...amountFields("contributed", p!.contributed),
    ...amountFields("proceeds", p!.proceeds),
    ...amountFields("sharesLeft", p!.sharesLeft),
    ...amountFields("proceedsLeft", p!.proceedsLeft),
    lockAt: w.lockAt.toString(),
    lockAtIso: isoTime(w.lockAt),
    endsAt: w.endsAt.toString(),
    endsAtIso: isoTime(w.endsAt),
    drawAt: w.drawAt.toString(),
    drawAtIso: isoTime(w.drawAt),
    member: member ?? null,
    ...amountFields("contribution", contribution),
    ...amountFields("claimablePrincipal", claimable[0]),
    ...amountFields("claimableShare", claimable[1]),
  };
}

/** `agreement_pool_show`: one lottery pool, by id or by epoch. */
export const agreementPoolShowTool = defineTool({
  name: "agreement_pool_show",
  description:
    "Show a lottery pool (agreement kind 5): members pool CIV into one stake entry of a BlockLottery epoch " +
    "and share the winnings pro rata. Named by poolId or by epoch (default: the next epoch, the one open to " +
    "contributions). Gives its state (Open, Playing, Settled), total contributed, proceeds, the lock (first " +
    "second of the epoch: contributions and exits close), the epoch's end and draw time, and your (or an " +
    "address's) contribution and what it may claim. Read only.",
  input: z.object({
    poolId: idInput("the pool's id").optional(),
    epoch: idInput("the lottery epoch whose pool to show (default: the next)").optional(),
    address: z.string().optional().describe("whose contribution to show (default: you)"),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const { poolId, epoch } = await poolOf(chain, input);
    const member = (input.address ?? ctx.address) as Address | undefined;
    if (poolId === 0n) {
      const w = await windowOf(chain, epoch);
      return {
        poolId: null,
        epoch: epoch.toString(),
        state: "None",
        lockAt: w.lockAt.toString(),
        lockAtIso: isoTime(w.lockAt),
        member: member ?? null,
      };
    }
    return describePool(chain, poolId, member);
  },
});

const POOL_ACTIONS = ["contribute", "exit", "play", "settle", "claim"] as const;

/** `agreement_pool_act`: contribute, exit, play, settle, claim. */
export const agreementPoolActTool = defineTool({
  name: "agreement_pool_act",
  description:
    "Take a step in a lottery pool (agreement kind 5). contribute: add `amount` CIV (at least the minimum) " +
    "to the pool of `epoch` (default: the next lottery epoch; the first contribution creates it) before its " +
    "lock. exit: take your contribution back before the lock. play: once the epoch has started (and before " +
    "it ends), anyone stakes the whole pool in the lottery. settle: once the epoch is over (a played pool: " +
    "once the lottery can draw, after the reveal window), anyone settles it: the stake comes back with any " +
    "reward won. claim: a member takes its contribution back (untaxed) and its pro rata share of the " +
    "proceeds (taxed earnings). Name the pool by poolId (or epoch for contribute). Each step is checked " +
    "first and refused with the reason; nothing is sent that would fail.",
  input: z.object({
    action: z.enum(POOL_ACTIONS).describe("the step: " + POOL_ACTIONS.join(", ")),
    poolId: idInput("the pool's id").optional(),
    epoch: idInput("contribute: the lottery epoch (default: the next)").optional(),
    amount: civInput("contribute: CIV to add").optional(),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { pools, lottery } = poolContracts(chain);
    const me = chain.wallet.address;
    const { client } = chain;
    // The next block is at least one second after the latest.
    const next = (await client.getBlock({ blockTag: "latest" })).timestamp + 1n;
    if (input.action !== "contribute" && input.poolId === undefined)
      throw new ToolError("invalid_input", `${input.action} needs the pool's id`, {
        issues: [{ path: "poolId", message: "required" }],
      });
    const { poolId, epoch, p } = await poolOf(
      chain,
      input.action === "contribute" ? input : { poolId: input.poolId },
    );
    const state: PoolStateName = p === undefined ? "None" : (PoolState.nameOf(p.state) as PoolStateName);
    const w = await windowOf(chain, epoch);
    const label = `${input.action} lottery pool ${poolId === 0n ? `of epoch ${epoch}` : poolId}`;
    const needState = (...states: PoolStateName[]) => {
      if (!states.includes(state))
        throw new ToolError(
          "refused",
          `${label}: the pool is ${state}; ${input.action} needs ${states.join(" or ")}`,
          {
            state,
          },
        );
    };
    const beforeLock = () => {
      if (next >= w.lockAt)
        throw new ToolError(
          "refused",
          `${label}: the pool locked at ${isoTime(w.lockAt)} (epoch ${epoch} started); ${input.action} is no longer possible`,
          { lockAt: w.lockAt.toString() },
        );
    };
    const contribution = await client.readContract({
      ...pools,
      functionName: "contributionOf",
      args: [poolId, me],
    });
    let pay = 0n;
    let call: { functionName: string; args: unknown[] };
    if (input.action === "contribute") {
      if (input.amount === undefined)
        throw new ToolError("invalid_input", "contribute needs an amount", {
          issues: [{ path: "amount", message: "required" }],
        });
      pay = civ(input.amount);
      const min = await client.readContract({ ...pools, functionName: "minContribution" });
      if (pay < min)
        throw new ToolError(
          "refused",
          `${label}: a contribution is at least ${formatCiv(min)}, not ${formatCiv(pay)}`,
          amountFields("minContribution", min),
        );
      if (p === undefined) {
        const current = await client.readContract({ ...lottery, functionName: "currentEpoch" });
        if (epoch <= current)
          throw new ToolError(
            "refused",
            `${label}: a pool is formed for a future lottery epoch; ${epoch} is not after the current epoch ${current}`,
          );
      } else needState("Open");
      beforeLock();
      call = { functionName: "contribute", args: [epoch, pay] };
    } else if (input.action === "exit") {
      needState("Open");
      beforeLock();
      if (contribution === 0n) throw new ToolError("refused", `${label}: ${me} has no contribution in it`);
      call = { functionName: "exit", args: [poolId] };
    } else if (input.action === "play") {
      needState("Open");
      if (next < w.lockAt || next >= w.endsAt)
        throw new ToolError(
          "refused",
          `${label}: a pool plays during its epoch ${epoch}, from ${isoTime(w.lockAt)} to ${isoTime(w.endsAt)}`,
          { lockAt: w.lockAt.toString(), endsAt: w.endsAt.toString() },
        );
      if (p!.contributed === 0n) throw new ToolError("refused", `${label}: the pool holds nothing to play`);
      call = { functionName: "play", args: [poolId] };
    } else if (input.action === "settle") {
      needState("Open", "Playing");
      const drawn =
        state === "Playing" &&
        (await client.readContract({ ...lottery, functionName: "epochInfo", args: [epoch] })).drawn;
      const from = state === "Playing" && !drawn ? w.drawAt : w.endsAt;
      if (next < from)
        throw new ToolError(
          "refused",
          `${label}: it can be settled from ${isoTime(from)}` +
            (from === w.drawAt
              ? " (when the lottery can draw its epoch, after the reveal window)"
              : " (its epoch's end)"),
          { settlesFrom: from.toString() },
        );
      call = { functionName: "settle", args: [poolId] };
    } else {
      needState("Settled");
      if (contribution === 0n)
        throw new ToolError("refused", `${label}: ${me} has nothing to claim (no contribution, or claimed)`);
      call = { functionName: "claim", args: [poolId] };
    }
    const receipt = await transact(
      chain,
      { ...pools, ...call } as never,
      { label, ...(pay > 0n ? { pay: { spender: pools.address, amount: pay, what: label } } : {}) },
      ctx.onProgress,
    );
    const logs = parseEventLogs({ abi: pools.abi, logs: receipt.logs });
    const joined = logs.find((l) => l.eventName === "PoolJoined");
    const settled = logs.find((l) => l.eventName === "PoolSettled");
    const claimed = logs.find((l) => l.eventName === "PoolClaimed");
    const resultId = joined === undefined ? poolId : (joined.args as { poolId: bigint }).poolId;
    return {
      action: input.action,
      ...(await describePool(chain, resultId, me)),
      ...amountFields("paid", pay),
      ...(input.action === "exit" ? amountFields("returned", contribution) : {}),
      ...(settled === undefined
        ? {}
        : {
            ...amountFields("stakeReturned", (settled.args as { stakeReturned: bigint }).stakeReturned),
            ...amountFields("won", (settled.args as { proceeds: bigint }).proceeds),
          }),
      ...(claimed === undefined
        ? {}
        : {
            ...amountFields("claimedPrincipal", (claimed.args as { principal: bigint }).principal),
            ...amountFields("claimedShare", (claimed.args as { share: bigint }).share),
          }),
      ...txFields(receipt),
    };
  },
});

/** Every lottery pool tool. */
export const AGREEMENT_POOL_TOOLS = [agreementPoolShowTool, agreementPoolActTool] as const;
