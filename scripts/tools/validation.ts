/**
 * ERC-8004 Validation Registry tools: `validation_request`, `validation_respond`, `validation_reclaim`,
 * `validation_reward`, `validation_show`, `validation_summary`.
 */
import { getAddress, type Hex, keccak256, parseEventLogs, toBytes, zeroHash } from "viem";
import { z } from "zod";
import type { CivitasContracts } from "../lib/contracts.ts";
import { FeeStatus, RewardOutcome } from "../lib/vocabulary.ts";
import {
  addressInput,
  amountFields,
  civ,
  civInput,
  hashInput,
  id,
  idInput,
  isoTime,
  signerOf,
  transact,
  txFields,
} from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** The deployment's validation registry, or `unsupported`. */
function registryOf(contracts: CivitasContracts) {
  if (!contracts.validationRegistry)
    throw new ToolError("unsupported", "this deployment has no validation registry");
  return contracts.validationRegistry;
}

/** `validation_request`. */
export const validationRequestTool = defineTool({
  name: "validation_request",
  description:
    "Ask a validator to validate your agent's work (ERC-8004). With a fee in CIV it is stake-secured: the " +
    "fee is escrowed, paid on the validator's response, and refundable (validation_reclaim) if it does not " +
    "answer within responseHours. Returns the request hash.",
  input: z.object({
    validator: addressInput("the validator's address"),
    agentId: idInput("your agent's id"),
    requestURI: z.string().min(1).describe("where the work and the request are published"),
    requestHash: hashInput("the request hash (default: keccak256 of the URI)").optional(),
    fee: civInput("fee for a staking validator (stake-secured request)").optional(),
    responseHours: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("hours the validator has to respond (default 24)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const vr = registryOf(chain.contracts);
    const validator = getAddress(input.validator);
    const agentId = id(input.agentId);
    const requestHash = (input.requestHash ?? keccak256(toBytes(input.requestURI))) as Hex;
    const fee = input.fee === undefined ? undefined : civ(input.fee);
    const receipt =
      fee === undefined
        ? await transact(
            chain,
            {
              ...vr,
              functionName: "validationRequest",
              args: [validator, agentId, input.requestURI, requestHash],
            },
            { label: "validation request" },
            ctx.onProgress,
          )
        : await transact(
            chain,
            {
              ...vr,
              functionName: "requestStakedValidation",
              args: [
                validator,
                agentId,
                input.requestURI,
                requestHash,
                fee,
                BigInt(input.responseHours ?? 24) * 3_600n,
              ],
            },
            {
              label: "validation request",
              pay: { spender: vr.address, amount: fee, what: "the validation fee" },
            },
            ctx.onProgress,
          );
    return {
      requestHash,
      validator,
      agentId: agentId.toString(),
      ...amountFields("fee", fee ?? 0n),
      staked: fee !== undefined,
      ...txFields(receipt),
    };
  },
});

/** `validation_respond`. */
export const validationRespondTool = defineTool({
  name: "validation_respond",
  description:
    "Validator: answer a validation request with a response from 0 (failed) to 100 (passed); again to update. " +
    "A stake-secured request pays you its fee (taxed).",
  input: z.object({
    requestHash: hashInput("the request"),
    response: z.number().int().min(0).max(100).describe("0 to 100"),
    responseURI: z.string().optional().describe("where your evidence is published"),
    tag: z.string().optional().describe("a label, e.g. civitas.deliverable (reward policies are per tag)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const vr = registryOf(chain.contracts);
    const uri = input.responseURI ?? "";
    const receipt = await transact(
      chain,
      {
        ...vr,
        functionName: "validationResponse",
        args: [
          input.requestHash as Hex,
          input.response,
          uri,
          uri === "" ? zeroHash : keccak256(toBytes(uri)),
          input.tag ?? "",
        ],
      },
      { label: "validation respond" },
      ctx.onProgress,
    );
    const [paid] = parseEventLogs({ abi: vr.abi, logs: receipt.logs, eventName: "ValidationFeePaid" });
    return {
      requestHash: input.requestHash,
      response: input.response,
      ...amountFields("feePaid", paid?.args.gross ?? 0n),
      ...amountFields("feeTax", paid?.args.tax ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** `validation_reclaim`. */
export const validationReclaimTool = defineTool({
  name: "validation_reclaim",
  description:
    "Payer: take back the fee of a stake-secured request its validator did not answer by the deadline.",
  input: z.object({ requestHash: hashInput("the request") }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const vr = registryOf(chain.contracts);
    const receipt = await transact(
      chain,
      { ...vr, functionName: "reclaimFee", args: [input.requestHash as Hex] },
      { label: "validation reclaim" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: vr.abi, logs: receipt.logs, eventName: "ValidationFeeRefunded" });
    return {
      requestHash: input.requestHash,
      ...amountFields("refund", log?.args.amount ?? 0n),
      ...txFields(receipt),
    };
  },
});

/** `validation_reward`. */
export const validationRewardTool = defineTool({
  name: "validation_reward",
  description:
    "Draw the attestation reward of a passed stake-secured request (paid to the agent's wallet); the outcome " +
    `is one of ${RewardOutcome.names.join(", ")}.`,
  input: z.object({ requestHash: hashInput("the request") }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const vr = registryOf(chain.contracts);
    const receipt = await transact(
      chain,
      { ...vr, functionName: "claimAttestationReward", args: [input.requestHash as Hex] },
      { label: "validation reward" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: vr.abi, logs: receipt.logs, eventName: "AttestationRewardDrawn" });
    return {
      requestHash: input.requestHash,
      outcome: log ? RewardOutcome.nameOf(log.args.outcome) : null,
      ...amountFields("reward", log?.args.amount ?? 0n),
      recipient: log?.args.recipient ?? null,
      ...txFields(receipt),
    };
  },
});

/** `validation_show`. */
export const validationShowTool = defineTool({
  name: "validation_show",
  description: "A validation request: validator, agent, latest response, tag, and its fee's status by name.",
  input: z.object({ requestHash: hashInput("the request") }),
  needsSigner: false,
  async run(ctx, input) {
    const { client, contracts } = await ctx.chain();
    const vr = registryOf(contracts);
    const hash = input.requestHash as Hex;
    const [validator, agentId, response, responseHash, tag, lastUpdate] = await client.readContract({
      ...vr,
      functionName: "getValidationStatus",
      args: [hash],
    });
    const terms = await client.readContract({ ...vr, functionName: "stakedTerms", args: [hash] });
    return {
      requestHash: hash,
      validator,
      agentId: agentId.toString(),
      response,
      responseHash,
      tag,
      lastUpdate: lastUpdate.toString(),
      lastUpdateIso: isoTime(lastUpdate),
      feeStatus: FeeStatus.nameOf(terms.status),
      ...amountFields("fee", terms.fee),
      payer: terms.payer,
      deadline: terms.deadline.toString(),
      deadlineIso: isoTime(terms.deadline),
      rewardClaimed: terms.rewardClaimed,
      slashed: terms.slashed,
    };
  },
});

/** `validation_summary`. */
export const validationSummaryTool = defineTool({
  name: "validation_summary",
  description:
    "An agent's validations: count, average response and stake-weighted average (over the validators' stake " +
    "in CIV), optionally only from some validators or with one tag.",
  input: z.object({
    agentId: idInput("the agent"),
    validators: z
      .array(addressInput("a validator"))
      .optional()
      .describe("only these validators (default: all)"),
    tag: z.string().optional().describe("only responses with this tag"),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const { client, contracts } = await ctx.chain();
    const vr = registryOf(contracts);
    const agentId = id(input.agentId);
    const [count, average, weighted, stake] = await client.readContract({
      ...vr,
      functionName: "getStakeWeightedSummary",
      args: [agentId, (input.validators ?? []).map((a) => getAddress(a)), input.tag ?? ""],
    });
    return {
      agentId: agentId.toString(),
      count: count.toString(),
      averageResponse: average.toString(),
      stakeWeightedResponse: weighted.toString(),
      ...amountFields("validatorStake", stake),
    };
  },
});

/** The validation tools. */
export const VALIDATION_TOOLS = [
  validationRequestTool,
  validationRespondTool,
  validationReclaimTool,
  validationRewardTool,
  validationShowTool,
  validationSummaryTool,
] as const;
