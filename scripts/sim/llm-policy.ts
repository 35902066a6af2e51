/**
 * LLM-driven agents in the simulation (`--policy llm`): a share of the population (or all of it) is driven
 * by a language model behind any OpenAI-compatible chat endpoint with tool calling (Ollama's `/v1`, vLLM,
 * OpenAI), through the official `openai` client. Once a simulated day, after the rule-based phases, each
 * LLM agent gets its own state and the world's (prices, jobs it is party to, proposals, information for
 * sale) and answers with tool calls: the Civitas tools ({@link TOOLS}, offered as function definitions and
 * run with `callTool` as the agent itself), at most `maxToolCalls` a turn. A call that is malformed, names
 * an unknown tool or is refused by the chain comes back to the model as an error result naming the cause;
 * it never ends the run. What each agent said and did is recorded turn by turn: on chain, in the public
 * speech log (SpeechLog: each decision and stated reason of a turn as a `Spoke` event, one `speakAll`
 * transaction per turn, served by the indexer as GraphQL `statements`), in a JSONL file if asked, and in
 * {@link LlmPolicy.summary}. Importing this module has no side effects.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { formatEther } from "viem";
import type { Deployment } from "../lib/deployment.ts";
import { civitasContracts } from "../lib/contracts.ts";
import { describeError } from "../lib/errors.ts";
import {
  type CivitasTool,
  callTool,
  inputJsonSchema,
  TOOLS,
  type ToolContext,
  toolContextOf,
} from "../tools/index.ts";
import { SPEECH_MAX_STATEMENTS, type Statement, statementOf } from "../tools/speech.ts";
import type { SimulationRun } from "./engine.ts";
import type { SimulationHook } from "./hooks.ts";
import type { Agent, WorldView } from "./model.ts";
import { Rng } from "./prng.ts";

/** Tools an LLM agent is not offered: it is registered already, and knows its address from its state. */
export const LLM_EXCLUDED_TOOLS: readonly string[] = ["register", "address"];

/** Defaults of {@link LlmPolicyOptions}. */
export const LLM_DEFAULTS = { maxToolCalls: 6, timeoutMs: 60_000, share: 1 } as const;

/** How the LLM agents are driven. */
export interface LlmPolicyOptions {
  /** Base URL of the OpenAI-compatible API, e.g. `http://127.0.0.1:11434/v1` (Ollama). */
  url: string;
  /** Model name, e.g. `llama3.1`. */
  model: string;
  /** API key (local servers ignore it; default `OPENAI_API_KEY` or "none"). */
  apiKey?: string;
  /** Share of the agents driven by the model, in (0, 1] (default 1: all). */
  share?: number;
  /** Most tool calls an agent may make in one turn (default 6); further calls are refused. */
  maxToolCalls?: number;
  /** Timeout of one chat request, ms (default 60 s; a timed-out turn ends, the run goes on). */
  timeoutMs?: number;
  /** The speech log file (JSONL, one line per agent turn); none: kept in memory (and on chain) only. */
  speechLog?: string;
  /**
   * Post each turn's decisions and reasons on the deployment's SpeechLog (default: whenever the deployment
   * has one). The agent pays the gas; a refused post is recorded in the turn and the run goes on.
   */
  speakOnChain?: boolean;
  /** The deployment the agents' tools run against. */
  deployment: Deployment;
  /** The indexer's GraphQL URL (offers the `history` tool). */
  graphqlUrl?: string;
  /** Extra facts about the world for the agents' prompts (e.g. information for sale). */
  worldExtras?: (agent: Agent, world: WorldView) => Record<string, unknown>;
  /** Seed of the choice of LLM agents when `share` < 1 (default "civitas"). */
  seed?: string;
}

/** One tool call of a turn, as the speech log records it. */
export interface SpeechCall {
  tool: string;
  /** The arguments as the model sent them (parsed JSON, or the raw text when malformed). */
  arguments: unknown;
  ok: boolean;
  /** On failure: the structured error the model got back. */
  error?: { code: string; message: string };
  /** The transaction a successful write made. */
  txHash?: string;
}

/** One agent's turn: what it said (its stated reasons) and did. */
export interface SpeechEntry {
  day: number;
  agent: string;
  address: string;
  archetype: string;
  /** Everything the model said in the turn, in order. */
  said: string[];
  calls: SpeechCall[];
  /** Chat requests made. */
  requests: number;
  /** Why the turn ended early: a failed request, or the tool-call budget spent. */
  ended?: string;
  /** The turn on the public speech log: its statements and transactions, or why posting failed. */
  spoken?: { statements: number; txHashes: string[] } | { error: string };
}

/** What the LLM agents did over the run. */
export interface LlmSummary {
  model: string;
  url: string;
  agents: string[];
  turns: number;
  requests: number;
  /** Tool calls by tool name: made, succeeded. */
  calls: Record<string, { made: number; ok: number }>;
  /** Refused calls by error code (invalid_input, unknown_tool, would_revert, ...). */
  errors: Record<string, number>;
  /** Transactions the LLM agents' tool calls made. */
  transactions: number;
  /** Turns ended early (request failures, budget). */
  endedEarly: number;
  speechLog?: string;
  /** Statements posted on the public speech log (SpeechLog), and the transactions that posted them. */
  statements: number;
  speechTransactions: number;
  /** Turns whose posting was refused (the cause is in the turn's `spoken.error`). */
  speechFailures: number;
}

/** The endpoint could not be reached: the run stops (the CLI exits non-zero). */
export class LlmEndpointError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `cannot reach the LLM endpoint at ${url} (--llm-url): ${describeError(cause).replace(/\.$/, "")}. ` +
        "Start it first (e.g. `ollama serve`, then --llm-url http://127.0.0.1:11434/v1).",
    );
    this.name = "LlmEndpointError";
  }
}

/** The function definitions offered to the model: every Civitas tool an agent may use. */
export function llmTools(options: { graphqlUrl?: string } = {}): {
  tools: CivitasTool[];
  definitions: ChatCompletionFunctionTool[];
} {
  const tools = TOOLS.filter(
    (t) => !LLM_EXCLUDED_TOOLS.includes(t.name) && (t.name !== "history" || options.graphqlUrl),
  );
  const definitions = tools.map((tool): ChatCompletionFunctionTool => {
    const { $schema: _, ...parameters } = inputJsonSchema(tool);
    return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
  });
  return { tools, definitions };
}

/** The system prompt of an agent. */
export function systemPrompt(agent: Agent, maxToolCalls: number): string {
  return [
    `You are ${agent.name}, an autonomous agent in Civitas, an on-chain economy with its own token, CIV.`,
    `Your wallet is ${agent.address}. Your habits so far were those of a ${agent.archetype} ` +
      `(roles: ${agent.traits.roles.join(", ") || "none"}).`,
    "Every transfer is taxed, holdings are capped, and an agent whose balance runs out starves. Earn by " +
      "doing jobs (escrowed payments, rated afterwards), staking with validators, arbitrating, validating " +
      "and selling information; spend on jobs and information.",
    `Each simulated day you get your state and the world's. Act with tool calls (at most ${maxToolCalls} ` +
      "a day); amounts are CIV decimal strings. A refused call comes back with its reason: adapt. When " +
      "you are done for the day, answer in one or two sentences saying what you did and why.",
  ].join("\n");
}

/** The agent's state and the world's, as the turn's user message. */
export function statePrompt(
  agent: Agent,
  world: WorldView,
  extras: Record<string, unknown> = {},
): Record<string, unknown> {
  const civ = (wei: bigint) => formatEther(wei);
  const me = agent.address;
  const others = world.agents
    .filter((a) => a !== agent && world.agentIds.has(a.address) && !world.starved.has(a.address))
    .map((a) => ({ name: a.name, address: a.address, roles: a.traits.roles }));
  const jobs = world.escrows
    .filter((e) => e.client === me || e.provider === me || e.arbitrator === me)
    .map((e) => ({
      jobId: e.id.toString(),
      role: e.client === me ? "client" : e.provider === me ? "provider" : "arbitrator",
      state: e.state,
      amountCiv: civ(e.amount),
      client: e.client,
      provider: e.provider,
      arbitrator: e.arbitrator,
      deliveryDeadline: e.deliveryDeadline.toString(),
    }));
  const stake = world.stakes.get(me);
  return {
    day: world.day,
    of: world.days,
    now: world.now.toString(),
    you: {
      name: agent.name,
      address: me,
      agentId: world.agentIds.get(me)?.toString() ?? "0",
      balanceCiv: civ(world.balances.get(me) ?? 0n),
      ...(stake
        ? {
            stakedCiv: civ(stake.bonded),
            pendingRewardsCiv: civ(stake.pendingRewards),
            validator: stake.validator,
          }
        : {}),
    },
    prices: {
      taxBps: world.taxBps.toString(),
      wealthCapCiv: civ(world.wealthCap),
      minSelfStakeCiv: civ(world.minSelfStake),
      proposalThresholdCiv: civ(world.proposalThreshold),
    },
    jobs,
    proposals: world.proposals.map((p) => ({
      id: p.id.toString(),
      state: p.state,
      description: p.spec.description,
    })),
    agents: others,
    ...extras,
  };
}

/** The LLM policy: a {@link SimulationHook} driving the chosen agents. */
export interface LlmPolicy extends SimulationHook {
  /** Every turn recorded so far. */
  readonly speech: readonly SpeechEntry[];
  summary(): LlmSummary & Record<string, unknown>;
}

/**
 * A decision as the speech log states it: the tool, its arguments as sent, and the outcome
 * (`→ ok`, or `→ <code>: <message>`).
 */
export function decisionText(call: SpeechCall): string {
  const args = typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
  const outcome = call.ok ? "ok" : `${call.error?.code}: ${call.error?.message}`;
  return `${call.tool} ${args} → ${outcome}`;
}

/** Whether an error means the endpoint is not there at all (as opposed to answering with an error). */
const unreachable = (error: unknown): boolean =>
  error instanceof APIConnectionError && !(error instanceof APIConnectionTimeoutError);

/**
 * Creates the LLM policy. Call {@link checkLlmEndpoint} first to fail fast on an unreachable endpoint.
 * @param options Endpoint, model, bounds, speech log.
 */
export function createLlmPolicy(options: LlmPolicyOptions): LlmPolicy {
  const maxToolCalls = options.maxToolCalls ?? LLM_DEFAULTS.maxToolCalls;
  const share = options.share ?? LLM_DEFAULTS.share;
  if (!(share > 0 && share <= 1)) throw new Error(`the LLM share must be in (0, 1], got ${share}`);
  if (!(Number.isInteger(maxToolCalls) && maxToolCalls > 0))
    throw new Error(`the tool-call budget must be a positive integer, got ${maxToolCalls}`);
  const openai = new OpenAI({
    baseURL: options.url,
    apiKey: options.apiKey ?? process.env.OPENAI_API_KEY ?? "none",
    timeout: options.timeoutMs ?? LLM_DEFAULTS.timeoutMs,
    maxRetries: 1,
  });
  const { tools, definitions } = llmTools(options);
  const offered = new Set(tools.map((t) => t.name));
  const driven = new Set<string>();
  const contexts = new Map<string, ToolContext>();
  const speech: SpeechEntry[] = [];
  const summary: LlmSummary = {
    model: options.model,
    url: options.url,
    agents: [],
    turns: 0,
    requests: 0,
    calls: {},
    errors: {},
    transactions: 0,
    endedEarly: 0,
    speechLog: options.speechLog,
    statements: 0,
    speechTransactions: 0,
    speechFailures: 0,
  };
  const speakOnChain = options.speakOnChain ?? options.deployment.contracts?.speechLog !== undefined;
  if (options.speechLog) mkdirSync(dirname(options.speechLog), { recursive: true });

  const record = (entry: SpeechEntry) => {
    speech.push(entry);
    summary.turns++;
    summary.requests += entry.requests;
    if (entry.ended) summary.endedEarly++;
    if (options.speechLog) appendFileSync(options.speechLog, `${JSON.stringify(entry)}\n`);
  };

  /** Runs one tool call of the model as the agent; every failure becomes an error result. */
  const runCall = async (
    ctx: ToolContext,
    name: string,
    rawArguments: string,
  ): Promise<{ call: SpeechCall; content: string }> => {
    let args: unknown;
    let outcome;
    try {
      args = rawArguments.trim() === "" ? {} : JSON.parse(rawArguments);
    } catch (error) {
      args = rawArguments;
      outcome = {
        ok: false as const,
        error: {
          code: "invalid_input",
          message: `the arguments of ${name} are not valid JSON (${describeError(error)}): send a JSON object`,
        },
      };
    }
    if (outcome === undefined && !offered.has(name))
      outcome = {
        ok: false as const,
        error: {
          code: "unknown_tool",
          message: `no tool "${name}" is offered to you (tools: ${[...offered].join(", ")})`,
        },
      };
    outcome ??= await callTool(ctx, name, args);
    const entry = summary.calls[name] ?? { made: 0, ok: 0 };
    summary.calls[name] = entry;
    entry.made++;
    if (outcome.ok) {
      entry.ok++;
      const txHash = typeof outcome.result.txHash === "string" ? outcome.result.txHash : undefined;
      if (txHash) summary.transactions++;
      return {
        call: { tool: name, arguments: args, ok: true, ...(txHash ? { txHash } : {}) },
        content: JSON.stringify(outcome.result),
      };
    }
    summary.errors[outcome.error.code] = (summary.errors[outcome.error.code] ?? 0) + 1;
    return {
      call: {
        tool: name,
        arguments: args,
        ok: false,
        error: { code: outcome.error.code, message: outcome.error.message },
      },
      content: JSON.stringify({ error: outcome.error }),
    };
  };

  /** One agent's turn: chat until it stops calling tools, its budget is spent, or a request fails. */
  const turn = async (run: SimulationRun, agent: Agent, world: WorldView): Promise<void> => {
    let ctx = contexts.get(agent.address);
    if (ctx === undefined) {
      ctx = toolContextOf({
        client: run.client,
        deployment: options.deployment,
        wallet: agent.wallet,
        graphqlUrl: options.graphqlUrl,
      });
      contexts.set(agent.address, ctx);
    }
    const entry: SpeechEntry = {
      day: world.day,
      agent: agent.name,
      address: agent.address,
      archetype: agent.archetype,
      said: [],
      calls: [],
      requests: 0,
    };
    // The turn's statements for the speech log, in the order they happened.
    const statements: Statement[] = [];
    const messages: ChatCompletionMessageParam[] = [
      { role: "system", content: systemPrompt(agent, maxToolCalls) },
      {
        role: "user",
        content: JSON.stringify(statePrompt(agent, world, options.worldExtras?.(agent, world) ?? {})),
      },
    ];
    // Each request answers the previous tool results; the budget bounds the requests too.
    while (entry.requests <= maxToolCalls) {
      entry.requests++;
      let message;
      try {
        const completion = await openai.chat.completions.create({
          model: options.model,
          messages,
          tools: definitions,
          tool_choice: "auto",
        });
        message = completion.choices[0]?.message;
        if (!message) throw new Error("the response has no choices");
      } catch (error) {
        if (unreachable(error)) throw new LlmEndpointError(options.url, error);
        entry.ended = `request failed: ${error instanceof APIError ? `${error.status ?? ""} ${error.message}`.trim() : describeError(error)}`;
        break;
      }
      if (message.content?.trim()) {
        entry.said.push(message.content.trim());
        statements.push(statementOf("reason", message.content.trim()));
      }
      const calls = (message.tool_calls ?? []).filter((c) => c.type === "function");
      if (calls.length === 0) break;
      messages.push({ role: "assistant", content: message.content ?? null, tool_calls: calls });
      for (const call of calls) {
        if (entry.calls.length >= maxToolCalls) {
          messages.push({
            role: "tool",
            tool_call_id: call.id,
            content: JSON.stringify({
              error: { code: "refused", message: `the budget of ${maxToolCalls} tool calls a day is spent` },
            }),
          });
          entry.ended = `tool-call budget of ${maxToolCalls} spent`;
          continue;
        }
        const { call: done, content } = await runCall(ctx, call.function.name, call.function.arguments);
        entry.calls.push(done);
        statements.push(statementOf("decision", decisionText(done), done.txHash));
        if (done.txHash)
          run.stats.actions[`llm.${done.tool}`] = (run.stats.actions[`llm.${done.tool}`] ?? 0) + 1;
        messages.push({ role: "tool", tool_call_id: call.id, content });
      }
      if (entry.ended) break;
    }
    if (entry.ended) statements.push(statementOf("ended", entry.ended));
    if (speakOnChain && statements.length > 0) await post(run, agent, entry, statements);
    record(entry);
  };

  /** Posts a turn's statements on the SpeechLog, {@link SPEECH_MAX_STATEMENTS} a transaction. */
  const post = async (run: SimulationRun, agent: Agent, entry: SpeechEntry, statements: Statement[]) => {
    const txHashes: string[] = [];
    try {
      const log = civitasContracts(options.deployment).speechLog;
      if (log === undefined) throw new Error("the deployment has no speech log");
      for (let i = 0; i < statements.length; i += SPEECH_MAX_STATEMENTS) {
        const receipt = await agent.wallet.execute(
          { ...log, functionName: "speakAll", args: [statements.slice(i, i + SPEECH_MAX_STATEMENTS)] },
          { label: "speech log" },
        );
        txHashes.push(receipt.transactionHash);
      }
      entry.spoken = { statements: statements.length, txHashes };
      summary.statements += statements.length;
    } catch (error) {
      entry.spoken = { error: describeError(error) };
      summary.speechFailures++;
    }
    summary.speechTransactions += txHashes.length;
    if (txHashes.length > 0)
      run.stats.actions["llm.speech"] = (run.stats.actions["llm.speech"] ?? 0) + txHashes.length;
  };

  return {
    name: "llm",
    speech,
    drives: (agent) => driven.has(agent.address),
    async start(run) {
      const count = Math.max(1, Math.round(share * run.agents.length));
      const chosen = new Rng(`${options.seed ?? "civitas"}:llm`).shuffle([...run.agents]).slice(0, count);
      for (const agent of run.agents) if (chosen.includes(agent)) driven.add(agent.address);
      summary.agents = run.agents.filter((a) => driven.has(a.address)).map((a) => a.name);
    },
    async day(run, world) {
      for (const agent of run.agents) {
        if (!driven.has(agent.address) || world.starved.has(agent.address)) continue;
        await turn(run, agent, world);
      }
    },
    summary: () => ({ ...summary }),
  };
}

/**
 * Fails fast when the endpoint cannot be reached (connection refused, unknown host): lists its models.
 * An endpoint that answers, even with an error (some servers serve no `/models`), passes.
 * @throws LlmEndpointError naming the URL.
 */
export async function checkLlmEndpoint(url: string, options: { apiKey?: string; timeoutMs?: number } = {}) {
  const openai = new OpenAI({
    baseURL: url,
    apiKey: options.apiKey ?? process.env.OPENAI_API_KEY ?? "none",
    timeout: options.timeoutMs ?? 10_000,
    maxRetries: 0,
  });
  try {
    await openai.models.list();
  } catch (error) {
    if (error instanceof APIConnectionError) throw new LlmEndpointError(url, error);
  }
}
