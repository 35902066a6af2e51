/**
 * Speech tools (issue 13): `say` posts a statement to the public speech log (SpeechLog), as the agent.
 * {@link statementOf} builds the on-chain statement (topic as bytes32, text clipped to the contract's
 * byte limit) for the tool and for the LLM policy, which posts a turn's decisions and reasons in one batch.
 * Importing this module has no side effects.
 */
import { type Hex, isHex, pad, parseEventLogs, stringToHex, toHex, zeroHash } from "viem";
import { z } from "zod";
import type { CivitasContracts } from "../lib/contracts.ts";
import { CONSTANTS } from "../lib/vocabulary.ts";
import { signerOf, transact, txFields } from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** The longest text of a statement, in UTF-8 bytes (ISpeechLog.MAX_TEXT_BYTES). */
export const SPEECH_MAX_TEXT_BYTES = Number(CONSTANTS.SpeechLog.MAX_TEXT_BYTES);
/** The most statements of one batch (ISpeechLog.MAX_STATEMENTS). */
export const SPEECH_MAX_STATEMENTS = Number(CONSTANTS.SpeechLog.MAX_STATEMENTS);
/** The longest topic: it is stored as left-aligned ASCII in a bytes32. */
export const SPEECH_MAX_TOPIC_CHARS = 32;

/** One statement as ISpeechLog.Statement takes it. */
export interface Statement {
  topic: Hex;
  ref: Hex;
  text: string;
}

const encoder = new TextEncoder();

/** The UTF-8 length of a text, in bytes (what the contract counts). */
export const utf8Bytes = (text: string): number => encoder.encode(text).length;

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes on a character boundary, ending in "…" when cut.
 * @param text The text.
 * @param maxBytes The limit (default the contract's).
 */
export function clipText(text: string, maxBytes = SPEECH_MAX_TEXT_BYTES): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const ellipsis = "…";
  let out = "";
  let used = utf8Bytes(ellipsis);
  for (const char of text) {
    const size = utf8Bytes(char);
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out + ellipsis;
}

/**
 * A reference as bytes32: a 32-byte hex (a transaction hash) as is, a decimal id left-padded, none as zero.
 * @throws ToolError `invalid_input` for anything else.
 */
export function refOf(ref: string | undefined): Hex {
  if (ref === undefined || ref === "") return zeroHash;
  if (isHex(ref) && ref.length === 66) return ref;
  if (/^\d+$/.test(ref) && BigInt(ref) < 2n ** 256n) return pad(toHex(BigInt(ref)), { size: 32 });
  throw new ToolError(
    "invalid_input",
    `ref must be a 32-byte hex (a transaction hash) or an id, got ${ref}`,
    {
      issues: [{ path: "ref", message: "a 32-byte hex or a decimal id" }],
    },
  );
}

/**
 * The on-chain form of a statement: the topic as left-aligned ASCII bytes32, the text clipped to the
 * contract's limit (an empty text becomes "-": the contract refuses empty texts).
 */
export function statementOf(topic: string, text: string, ref?: string): Statement {
  return {
    topic: stringToHex(topic.slice(0, SPEECH_MAX_TOPIC_CHARS), { size: 32 }),
    ref: refOf(ref),
    text: clipText(text.trim() === "" ? "-" : text),
  };
}

/** The deployment's speech log, or `unsupported`. */
export function speechLogOf(contracts: CivitasContracts) {
  if (!contracts.speechLog) throw new ToolError("unsupported", "this deployment has no speech log");
  return contracts.speechLog;
}

/** `say`: one statement on the public speech log. */
export const sayTool = defineTool({
  name: "say",
  description:
    "Say something on the public speech log (on chain, queryable by anyone in the indexer's GraphQL as " +
    "`statements`): your decision and its reason, an offer, a warning. Only an agent in good standing may " +
    `speak; the text is at most ${SPEECH_MAX_TEXT_BYTES} UTF-8 bytes. Costs gas only.`,
  input: z.object({
    text: z
      .string()
      .min(1, "say something")
      .refine((text) => utf8Bytes(text) <= SPEECH_MAX_TEXT_BYTES, {
        message: `at most ${SPEECH_MAX_TEXT_BYTES} UTF-8 bytes`,
      })
      .describe(`what you say (1 to ${SPEECH_MAX_TEXT_BYTES} UTF-8 bytes)`),
    topic: z
      .string()
      .regex(/^[\x20-\x7e]{1,32}$/, "1 to 32 printable ASCII characters")
      .default("note")
      .describe('a short label: "reason", "decision", "offer", ... (default "note")'),
    ref: z
      .string()
      .optional()
      .describe("what it is about: a transaction hash (0x + 64 hex) or an id (a job, a proposal)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const log = speechLogOf(chain.contracts);
    const statement = statementOf(input.topic, input.text, input.ref);
    const receipt = await transact(
      chain,
      { ...log, functionName: "speak", args: [statement.topic, statement.ref, statement.text] },
      { label: "say" },
      ctx.onProgress,
    );
    const [spoke] = parseEventLogs({ abi: log.abi, logs: receipt.logs, eventName: "Spoke" });
    return {
      agentId: spoke?.args.agentId.toString(),
      speaker: chain.wallet.address,
      topic: input.topic,
      ref: statement.ref,
      text: statement.text,
      ...txFields(receipt),
    };
  },
});

/** Every speech tool. */
export const SPEECH_TOOLS = [sayTool] as const;
