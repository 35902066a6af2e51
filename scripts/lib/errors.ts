/**
 * Turns a failed call or transaction into a readable message: the custom error's name and its arguments,
 * decoded with the ABIs of every Civitas contract (so an error raised by the token inside an escrow call
 * is still named), amounts shown in CIV. Importing this module has no side effects.
 *
 * ```ts
 * try { await agent.send(...) } catch (error) { console.error(describeError(error)); }
 * // → "CivitasExceededWealthCap(account: 0x12…, holding: 520,000 CIV, cap: 500,000 CIV)"
 * ```
 */
import {
  type Abi,
  type AbiParameter,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  type Hex,
  RawContractError,
} from "viem";
import { ALL_ERRORS } from "./contracts.ts";
import { formatBps, formatCiv } from "./format.ts";

/** A decoded revert. */
export interface DecodedRevert {
  /** The custom error's name (e.g. `EscrowInvalidState`), `Error` for `require` strings, `Panic` for panics. */
  name: string;
  /** The error's arguments by parameter name (positional `argN` when unnamed). */
  args: Record<string, unknown>;
  /** The ABI parameters of the error, in order. */
  inputs: readonly AbiParameter[];
  /** The raw revert data (selector + encoded args), when the node returned it. */
  data?: Hex;
}

/** Parameter names whose uint values are token amounts in wei (shown in CIV). */
const AMOUNT_NAME =
  /amount|balance|holding|cap$|needed|requested|available|budget|stake|allowance|supply|fee|bond|gross|net|value|reward|paid|awarded/i;
/** Parameter names whose uint values are rates in basis points. */
const BPS_NAME = /bps$/i;
/** Parameter names whose uint values are times in seconds. */
const TIME_NAME = /deadline|time|now_|^now$|at$|timepoint/i;

/**
 * Finds and decodes the revert data inside any error viem (or a JSON-RPC node) throws.
 * @param error Anything caught from a viem call (`simulateContract`, `writeContract`, `estimateGas`, ...).
 * @param abis Extra ABIs to decode with (default: every Civitas ABI).
 * @returns The decoded revert, or `undefined` when the error carries no revert data (e.g. a network error)
 * or data that no known ABI decodes.
 */
export function decodeRevert(error: unknown, abis: readonly Abi[] = []): DecodedRevert | undefined {
  const errors = [
    ...ALL_ERRORS,
    ...abis.flatMap((abi) => abi.filter((item) => item.type === "error")),
  ] as Abi;
  let data: Hex | undefined;
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      if (reverted.data) {
        const item = reverted.data.abiItem as { inputs?: readonly AbiParameter[] } | undefined;
        return named(reverted.data.errorName, reverted.data.args ?? [], item?.inputs ?? [], reverted.raw);
      }
      data = reverted.raw;
    }
    if (data === undefined) {
      const raw = error.walk((e) => e instanceof RawContractError);
      if (raw instanceof RawContractError) data = typeof raw.data === "object" ? raw.data.data : raw.data;
    }
    if (data === undefined) {
      const withData = error.walk((e) => typeof (e as { data?: unknown }).data === "string");
      const candidate = (withData as { data?: unknown } | null)?.data;
      if (typeof candidate === "string" && candidate.startsWith("0x")) data = candidate as Hex;
    }
  } else if (typeof error === "string" && error.startsWith("0x")) {
    data = error as Hex;
  }
  if (data === undefined || data === "0x" || data.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: errors, data });
    const item = decoded.abiItem as { inputs?: readonly AbiParameter[] };
    return named(decoded.errorName, decoded.args ?? [], item.inputs ?? [], data);
  } catch {
    return undefined;
  }
}

function named(
  name: string,
  args: readonly unknown[],
  inputs: readonly AbiParameter[],
  data?: Hex,
): DecodedRevert {
  const byName: Record<string, unknown> = {};
  args.forEach((value, i) => (byName[inputs[i]?.name || `arg${i}`] = value));
  return { name, args: byName, inputs, data };
}

/**
 * Formats one decoded argument for people: amounts in CIV, rates in %, addresses and hashes as is.
 * @param name The parameter's name in the ABI (drives the unit chosen for integers).
 * @param value The decoded value.
 */
export function formatArg(name: string, value: unknown): string {
  if (typeof value === "bigint") {
    if (BPS_NAME.test(name)) return `${value} bps (${formatBps(value)})`;
    if (TIME_NAME.test(name) && value > 1_000_000_000n && value < 100_000_000_000n)
      return `${value} (${new Date(Number(value) * 1000).toISOString()})`;
    if (AMOUNT_NAME.test(name) && (value === 0n || value >= 10n ** 12n)) return formatCiv(value);
    return value.toString();
  }
  if (Array.isArray(value)) return `[${value.map((v) => formatArg(name, v)).join(", ")}]`;
  return String(value);
}

/**
 * One line naming the custom error and its arguments, e.g.
 * `EscrowInvalidState(escrowId: 7, state: 3)`.
 * @param revert A decoded revert.
 */
export function formatRevert(revert: DecodedRevert): string {
  const args = Object.entries(revert.args).map(([name, value]) => `${name}: ${formatArg(name, value)}`);
  return `${revert.name}(${args.join(", ")})`;
}

/**
 * A readable message for any error: the decoded custom error when there is one, else viem's short message
 * (e.g. "HTTP request failed", "nonce too low"), else the error's text.
 * @param error Anything caught.
 * @param abis Extra ABIs to decode with.
 */
export function describeError(error: unknown, abis: readonly Abi[] = []): string {
  const revert = decodeRevert(error, abis);
  if (revert) return formatRevert(revert);
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.reason)
      return `reverted: ${reverted.reason}`;
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}
