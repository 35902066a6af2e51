/**
 * The structured errors every Civitas tool returns: a `code` a program can branch on, a `message` naming
 * the real cause (custom errors decoded with states by name and amounts in CIV), and the facts behind it.
 * Importing this module has no side effects.
 */
import { type AbiParameter, BaseError, HttpRequestError } from "viem";
import { TxError } from "../lib/clients.ts";
import { type DecodedRevert, decodeRevert, describeError, formatArg } from "../lib/errors.ts";
import {
  AgentStatus,
  AgreementState,
  DrawOutcome,
  EscrowState,
  FeeStatus,
  ProposalState,
  type ProtocolEnum,
  TaskState,
} from "../lib/vocabulary.ts";

/** Why a tool call failed. */
export type ToolErrorCode =
  /** The arguments do not match the tool's schema (`issues` lists them). */
  | "invalid_input"
  /** No tool of that name. */
  | "unknown_tool"
  /** The tool signs, and the context has no key. */
  | "no_signer"
  /** The call would revert: nothing was sent (`error`, `args` name the custom error). */
  | "would_revert"
  /** The transaction was mined and reverted (`txHash`). */
  | "reverted"
  /** The account holds less CIV than the action moves (`balanceCiv`, `neededCiv`). */
  | "insufficient_balance"
  /** The account has no (or too little) ETH to pay for gas (`balanceEth`). */
  | "insufficient_gas"
  /** A node or the indexer could not be reached (`url`). */
  | "network"
  /** The tool refused an action it knows to be a mistake (zero amount, paying oneself, a non-agent). */
  | "refused"
  /** What was asked for does not exist (a job, a proposal, an agent). */
  | "not_found"
  /** The deployment lacks the contract the tool needs. */
  | "unsupported"
  /** Anything else (the message says what). */
  | "failed";

/** A failure a tool reports on purpose: its code, a message for people and models, and the facts. */
export class ToolError extends Error {
  /** What kind of failure. */
  readonly code: ToolErrorCode;
  /** The facts behind the message (amounts as `…Wei`/`…Civ` strings, states by name). */
  readonly details: Record<string, unknown>;
  /**
   * @param code What kind of failure.
   * @param message One sentence naming the cause.
   * @param details Facts behind it (JSON-able).
   */
  constructor(code: ToolErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "ToolError";
    this.code = code;
    this.details = details;
  }
}

/** The structured error of a failed tool call (the `error` of a `ToolOutcome`). */
export interface ToolFailure {
  code: string;
  message: string;
  [key: string]: unknown;
}

/** Protocol enums by the `internalType` the ABI gives their parameters. */
const ENUMS: Record<string, ProtocolEnum<string, string>> = {
  "enum IEscrow.State": EscrowState,
  "enum IAgentRegistry.AgentStatus": AgentStatus,
  "enum IValidationRegistry.FeeStatus": FeeStatus,
  "enum IGovernor.ProposalState": ProposalState,
  "enum ITaskBoard.TaskState": TaskState,
  "enum IBilateralAgreement.State": AgreementState,
  "enum IBlockLottery.DrawOutcome": DrawOutcome,
};

/** The enum a state bitmap (`expectedStates`) of an error ranges over, by the error's name. */
function bitmapEnum(errorName: string): ProtocolEnum<string, string> | undefined {
  if (errorName.startsWith("Escrow")) return EscrowState;
  if (errorName.startsWith("Governor")) return ProposalState;
  if (errorName.startsWith("Agreement")) return AgreementState;
  return undefined;
}

/**
 * One decoded error argument for people: enum values by name, state bitmaps as the names they contain,
 * amounts in CIV (see `formatArg`).
 * @param errorName The custom error's name (picks the enum of a bitmap).
 * @param input The ABI parameter.
 * @param value The decoded value.
 */
export function formatRevertArg(errorName: string, input: AbiParameter | undefined, value: unknown): string {
  const protocolEnum = input?.internalType ? ENUMS[input.internalType] : undefined;
  if (protocolEnum && (typeof value === "number" || typeof value === "bigint")) {
    try {
      return protocolEnum.nameOf(value);
    } catch {
      return String(value);
    }
  }
  const bitmap = bitmapEnum(errorName);
  if (bitmap && input?.type === "bytes32" && /states/i.test(input.name ?? "") && typeof value === "string") {
    const bits = BigInt(value);
    const names = bitmap.names.filter((_, i) => (bits >> BigInt(i)) & 1n);
    return names.length > 0 ? names.join(" or ") : "none";
  }
  return formatArg(input?.name ?? "", value);
}

/**
 * A decoded revert as one line and as named, readable arguments, e.g.
 * `EscrowInvalidState(escrowId: 3, current: Created, expectedStates: Accepted)`.
 * @param revert The decoded revert.
 */
export function describeRevert(revert: DecodedRevert): { text: string; args: Record<string, string> } {
  const args: Record<string, string> = {};
  Object.entries(revert.args).forEach(([name, value], i) => {
    const input = revert.inputs.find((p) => p.name === name) ?? revert.inputs[i];
    args[name] = formatRevertArg(revert.name, input, value);
  });
  const text = `${revert.name}(${Object.entries(args)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ")})`;
  return { text, args };
}

/** The URL of a failed HTTP request inside any viem error (or `undefined`). */
function failedUrl(error: unknown): string | undefined {
  if (error instanceof BaseError) {
    const http = error.walk((e) => e instanceof HttpRequestError);
    if (http instanceof HttpRequestError) return http.url;
  }
  return undefined;
}

/**
 * Turns anything a tool threw into its structured error: a {@link ToolError} as is; a failed transaction
 * as `would_revert` (nothing sent) or `reverted` with the custom error decoded; an unreachable node as
 * `network` with its URL.
 * @param error Anything caught.
 */
export function toToolFailure(error: unknown): ToolFailure {
  if (error instanceof ToolError) return { code: error.code, message: error.message, ...error.details };
  const url = failedUrl(error);
  if (url !== undefined)
    return { code: "network", message: `cannot reach ${url}: ${describeError(error)}`, url };
  if (error instanceof TxError) {
    const label = error.message.split(":")[0] ?? "transaction";
    const revert = error.revert ?? decodeRevert(error.cause);
    if (revert) {
      const { text, args } = describeRevert(revert);
      const sent = error.stage !== "simulate";
      return {
        code: sent ? "reverted" : "would_revert",
        message: `${label} ${sent ? "reverted" : "would revert, nothing was sent"}: ${text}`,
        error: revert.name,
        args,
        ...(error.hash ? { txHash: error.hash } : {}),
      };
    }
    return {
      code: "failed",
      message: `${label} failed (${error.stage}): ${describeError(error.cause)}`,
      stage: error.stage,
      ...(error.hash ? { txHash: error.hash } : {}),
    };
  }
  const revert = decodeRevert(error);
  if (revert) {
    const { text, args } = describeRevert(revert);
    return { code: "would_revert", message: `would revert: ${text}`, error: revert.name, args };
  }
  return { code: "failed", message: describeError(error) };
}
