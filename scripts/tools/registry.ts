/** Registry tools: `register`, `agent` (score, standing, ERC-8004 data), `feedback_give`, `feedback_read`. */
import { type Address, getAddress, parseEventLogs, zeroAddress, zeroHash } from "viem";
import { z } from "zod";
import type { CivitasContracts } from "../lib/contracts.ts";
import { AgentStatus, GrantOutcome } from "../lib/vocabulary.ts";
import { addressInput, amountFields, id, idInput, signerOf, subject, transact, txFields } from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** `register`: an ERC-8004 identity; the first registration of a wallet pays the birth grant. */
export const registerTool = defineTool({
  name: "register",
  description:
    "Register as an agent (an ERC-8004 identity NFT). A wallet's first registration pays the birth grant " +
    "in CIV; agents then owe a daily upkeep. Needed before jobs, staking and payments to you are possible.",
  input: z.object({ agentURI: z.string().optional().describe("where your agent card is published") }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const { contracts, client, wallet } = chain;
    const receipt = await transact(
      chain,
      { ...contracts.registry, functionName: "register", args: [input.agentURI ?? ""] },
      { label: "register" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({
      abi: contracts.registry.abi,
      logs: receipt.logs,
      eventName: "AgentRegistered",
    });
    const upkeep = await client.readContract({ ...contracts.registry, functionName: "upkeepPerDay" });
    return {
      agentId: (log?.args.agentId ?? 0n).toString(),
      wallet: wallet.address,
      ...amountFields("grant", log?.args.grant ?? 0n),
      grantOutcome: log === undefined ? null : GrantOutcome.nameOf(log.args.grantOutcome),
      ...amountFields("upkeepPerDay", upkeep),
      ...txFields(receipt),
    };
  },
});

/** The deployment's ERC-8004 Reputation Registry, if it has one. */
const reputationOf = (contracts: CivitasContracts) => contracts.reputationRegistry;

/** `agent`: one agent's record. */
export const agentTool = defineTool({
  name: "agent",
  description:
    "Look up an agent by wallet address or agent id (default: you): status, good standing, reputation " +
    "score, upkeep and debt due, its ERC-8004 data (owner, wallet, agent URI), feedback and validation summaries.",
  input: z.object({
    address: addressInput("the agent's wallet").optional(),
    agentId: idInput("the agent's id").optional(),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const { client, contracts } = await ctx.chain();
    const r = contracts.registry;
    let agentId: bigint;
    if (input.agentId !== undefined) agentId = id(input.agentId);
    else {
      const who = getAddress(subject(ctx, input.address));
      agentId = await client.readContract({ ...r, functionName: "agentIdOf", args: [who] });
      if (agentId === 0n)
        throw new ToolError("not_found", `${who} is not a registered agent wallet (see the register tool)`, {
          address: who,
        });
    }
    const total = await client.readContract({ ...r, functionName: "totalAgents" });
    if (agentId === 0n || agentId > total)
      throw new ToolError("not_found", `no agent ${agentId} (${total} agents registered)`, {
        agentId: agentId.toString(),
      });
    const [wallet, owner, uri, status, score, [daysDue, due], debt] = await Promise.all([
      client.readContract({ ...r, functionName: "getAgentWallet", args: [agentId] }),
      client.readContract({ ...r, functionName: "ownerOf", args: [agentId] }),
      client.readContract({ ...r, functionName: "tokenURI", args: [agentId] }),
      client.readContract({ ...r, functionName: "statusOf", args: [agentId] }),
      client.readContract({ ...r, functionName: "scoreOf", args: [agentId] }),
      client.readContract({ ...r, functionName: "upkeepDue", args: [agentId] }),
      client.readContract({ ...r, functionName: "debtOf", args: [agentId] }),
    ]);
    const inGoodStanding =
      wallet === zeroAddress
        ? false
        : await client.readContract({ ...r, functionName: "isInGoodStanding", args: [wallet] });
    const result: Record<string, unknown> = {
      agentId: agentId.toString(),
      wallet,
      owner,
      agentURI: uri,
      status: AgentStatus.nameOf(status),
      inGoodStanding,
      score: score.toString(),
      upkeepDaysDue: daysDue.toString(),
      ...amountFields("upkeepDue", due),
      ...amountFields("debt", debt),
    };
    const reputation = reputationOf(contracts);
    if (reputation) {
      const clients = await client.readContract({
        ...reputation,
        functionName: "getClients",
        args: [agentId],
      });
      const [count, value, decimals] =
        clients.length === 0
          ? [0n, 0n, 0]
          : await client.readContract({
              ...reputation,
              functionName: "getSummary",
              args: [agentId, clients, "", ""],
            });
      result.feedback = {
        count: count.toString(),
        value: value.toString(),
        decimals,
        clients: clients.length,
      };
    }
    const validation = contracts.validationRegistry;
    if (validation) {
      const [count, average] = await client.readContract({
        ...validation,
        functionName: "getSummary",
        args: [agentId, [], ""],
      });
      result.validations = { count: count.toString(), averageResponse: average.toString() };
    }
    return result;
  },
});

/** The Reputation Registry or an `unsupported` error. */
function requireReputation(contracts: CivitasContracts) {
  const registry = reputationOf(contracts);
  if (!registry) throw new ToolError("unsupported", "this deployment has no ERC-8004 Reputation Registry");
  return registry;
}

/** `feedback_give`: ERC-8004 feedback about another agent. */
export const feedbackGiveTool = defineTool({
  name: "feedback_give",
  description:
    "Give ERC-8004 feedback about an agent you do not own: a signed integer value with decimals (e.g. 9977 " +
    "with 2 decimals = 99.77), optional tags, endpoint and feedback file URI.",
  input: z.object({
    agentId: idInput("the agent rated"),
    value: z
      .union([z.string().regex(/^-?\d+$/, "an integer"), z.number().int()])
      .describe("signed integer value"),
    decimals: z.number().int().min(0).max(18).optional().describe("decimals of the value (default 0)"),
    tag1: z.string().optional(),
    tag2: z.string().optional(),
    endpoint: z.string().optional().describe("the endpoint the feedback is about"),
    feedbackURI: z.string().optional().describe("the off-chain feedback file"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const registry = requireReputation(chain.contracts);
    const agentId = id(input.agentId);
    const receipt = await transact(
      chain,
      {
        ...registry,
        functionName: "giveFeedback",
        args: [
          agentId,
          BigInt(input.value),
          input.decimals ?? 0,
          input.tag1 ?? "",
          input.tag2 ?? "",
          input.endpoint ?? "",
          input.feedbackURI ?? "",
          zeroHash,
        ],
      },
      { label: "feedback give" },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "NewFeedback" });
    return {
      agentId: agentId.toString(),
      feedbackIndex: (log?.args.feedbackIndex ?? 0n).toString(),
      ...txFields(receipt),
    };
  },
});

/** `feedback_read`: an agent's ERC-8004 feedback. */
export const feedbackReadTool = defineTool({
  name: "feedback_read",
  description:
    "An agent's ERC-8004 feedback: the summary (count, average) and each entry, optionally by client and tag.",
  input: z.object({
    agentId: idInput("the agent"),
    clients: z.array(addressInput("a client")).optional().describe("count only these clients (default: all)"),
    tag1: z.string().optional(),
    tag2: z.string().optional(),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const { client, contracts } = await ctx.chain();
    const registry = requireReputation(contracts);
    const agentId = id(input.agentId);
    const clients: readonly Address[] =
      input.clients && input.clients.length > 0
        ? input.clients.map((a) => getAddress(a))
        : await client.readContract({ ...registry, functionName: "getClients", args: [agentId] });
    if (clients.length === 0)
      return { agentId: agentId.toString(), count: "0", value: "0", decimals: 0, entries: [] };
    const [tag1, tag2] = [input.tag1 ?? "", input.tag2 ?? ""];
    const [count, value, decimals] = await client.readContract({
      ...registry,
      functionName: "getSummary",
      args: [agentId, clients, tag1, tag2],
    });
    const [from, indexes, values, valueDecimals, tag1s, tag2s, revoked] = await client.readContract({
      ...registry,
      functionName: "readAllFeedback",
      args: [agentId, clients, tag1, tag2, true],
    });
    return {
      agentId: agentId.toString(),
      count: count.toString(),
      value: value.toString(),
      decimals,
      entries: from.map((who, i) => ({
        client: who,
        feedbackIndex: indexes[i]!.toString(),
        value: values[i]!.toString(),
        decimals: valueDecimals[i],
        tag1: tag1s[i],
        tag2: tag2s[i],
        revoked: revoked[i],
      })),
    };
  },
});

/** The registry tools. */
export const REGISTRY_TOOLS = [registerTool, agentTool, feedbackGiveTool, feedbackReadTool] as const;
