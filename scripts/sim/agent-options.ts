/**
 * The `npm start` options of the simulation's extensions (`--policy llm`, `--llm-url`, `--model`,
 * `--llm-share`, `--llm-max-calls`, `--llm-timeout`, `--information`, `--bad-actors`, `--no-market`), the hooks they make
 * (scripts/sim/hooks.ts), and the lines the summary prints about them. Importing this module has no side
 * effects.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { formatEther } from "viem";
import type { Deployment } from "../lib/deployment.ts";
import type { SimulationHook } from "./hooks.ts";
import { type BadActorsSummary, createBadActors } from "./bad-actors.ts";
import { createInformationMarket, type InformationMarket, informationForSale } from "./information.ts";
import {
  checkLlmEndpoint,
  createLlmPolicy,
  LLM_DEFAULTS,
  type LlmPolicy,
  type LlmSummary,
} from "./llm-policy.ts";
import { reportPath } from "./report.ts";

/** The parsed options. */
export interface AgentHookOptions {
  policy: "rules" | "llm";
  llmUrl: string;
  model: string;
  llmShare: number;
  llmMaxCalls: number;
  llmTimeout: number;
  information?: boolean;
  /** Bad actors (scripts/sim/bad-actors.ts) beside the honest population. */
  badActors?: boolean;
  /** False with `--no-market`: no resource market and no metering (scripts/sim/market.ts). */
  market?: boolean;
  seed: string;
}

/** Ollama's OpenAI-compatible endpoint on this machine. */
export const OLLAMA_URL = "http://127.0.0.1:11434/v1";

const number = (name: string, check: (n: number) => boolean, what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new InvalidArgumentError(`${name} must be ${what}`);
  return n;
};

/** Adds the extensions' options to a command. */
export function addAgentHookOptions(program: Command): Command {
  return program
    .addOption(
      new Option("--policy <policy>", "who drives the agents: rule-based archetypes, or a language model")
        .choices(["rules", "llm"])
        .default("rules"),
    )
    .option("--llm-url <url>", "OpenAI-compatible chat endpoint (Ollama, vLLM, OpenAI)", OLLAMA_URL)
    .option("--model <name>", "the model the LLM agents use", "llama3.1")
    .option(
      "--llm-share <fraction>",
      "share of the agents the model drives beside the rule-based archetypes, in (0, 1]",
      number("llm-share", (n) => n > 0 && n <= 1, "in (0, 1]"),
      LLM_DEFAULTS.share,
    )
    .option(
      "--llm-max-calls <n>",
      "most tool calls an LLM agent makes a day",
      number("llm-max-calls", (n) => Number.isInteger(n) && n > 0, "a positive integer"),
      LLM_DEFAULTS.maxToolCalls,
    )
    .option(
      "--llm-timeout <seconds>",
      "timeout of one chat request",
      number("llm-timeout", (n) => n > 0, "a positive number"),
      LLM_DEFAULTS.timeoutMs / 1000,
    )
    .option("--information", "agents sell market reports over x402 and buy them with CIV (EIP-3009)")
    .option(
      "--bad-actors",
      "add bad actors (rings, one-sided jobs, proposal spam, clones, a risky validator)",
    )
    .option(
      "--no-market",
      "no resource market and no metering: agents neither trade compute nor are limited by it (a comparison run)",
    );
}

/**
 * Checks the LLM endpoint (before anything starts) and prepares the hooks the options ask for.
 * @param options The parsed options.
 * @param where The reports folder and the run's start (the speech log goes beside the report).
 * @throws LlmEndpointError when `--policy llm` and the endpoint cannot be reached.
 */
export async function agentHooks(
  options: AgentHookOptions,
  where: { reportsDir: string; startedAt: string },
): Promise<{
  hooks(deployment: Deployment, graphqlUrl?: string): SimulationHook[];
  close(): Promise<void>;
  options: Record<string, unknown>;
}> {
  const llm = options.policy === "llm";
  if (llm) await checkLlmEndpoint(options.llmUrl);
  const speechLog = llm
    ? reportPath(where.reportsDir, where.startedAt, options.seed, ".speech.jsonl")
    : undefined;
  let market: InformationMarket | undefined;
  return {
    hooks(deployment, graphqlUrl) {
      const hooks: SimulationHook[] = [];
      let policy: LlmPolicy | undefined;
      if (options.information) {
        market = createInformationMarket({ seed: options.seed, skip: (a) => policy?.drives?.(a) ?? false });
        hooks.push(market);
      }
      if (llm) {
        policy = createLlmPolicy({
          url: options.llmUrl,
          model: options.model,
          share: options.llmShare,
          maxToolCalls: options.llmMaxCalls,
          timeoutMs: options.llmTimeout * 1000,
          speechLog,
          deployment,
          graphqlUrl,
          seed: options.seed,
          worldExtras: market && informationForSale(market),
        });
        hooks.push(policy);
      }
      if (options.badActors) hooks.push(createBadActors());
      return hooks;
    },
    close: async () => market?.close(),
    options: llm
      ? {
          policy: "llm",
          llmUrl: options.llmUrl,
          model: options.model,
          llmShare: options.llmShare,
          information: options.information ?? false,
          speechLog,
          ...(options.badActors ? { badActors: true } : {}),
          ...(options.market === false ? { market: false } : {}),
        }
      : {
          policy: "rules",
          information: options.information ?? false,
          ...(options.badActors ? { badActors: true } : {}),
          ...(options.market === false ? { market: false } : {}),
        },
  };
}

/** The summary's lines about the extensions (LLM agents, information trading). */
export function renderExtensions(extensions: Record<string, Record<string, unknown>> | undefined): string[] {
  const out: string[] = [];
  const llm = extensions?.llm as (LlmSummary & Record<string, unknown>) | undefined;
  if (llm) {
    const calls = Object.entries(llm.calls)
      .sort((a, b) => b[1].made - a[1].made)
      .map(([name, c]) => `${name} ${c.ok}/${c.made}`);
    const errors = Object.entries(llm.errors).map(([code, n]) => `${code} x${n}`);
    out.push(
      `LLM agents (${llm.agents.length}, model ${llm.model} at ${llm.url}): ${llm.turns} turns, ${llm.requests} requests, ` +
        `${llm.transactions} transactions, ${llm.endedEarly} turns ended early.`,
      `  Tool calls (ok/made): ${calls.join(", ") || "none"}.`,
      ...(errors.length ? [`  Refused calls: ${errors.join(", ")}.`] : []),
      ...(llm.statements + llm.speechFailures > 0
        ? [
            `  Public speech log (on chain; GraphQL \`statements\`): ${llm.statements} statements in ` +
              `${llm.speechTransactions} transactions` +
              (llm.speechFailures ? `, ${llm.speechFailures} turns refused.` : "."),
          ]
        : []),
      ...(llm.speechLog ? [`  Speech log: ${llm.speechLog}`] : []),
    );
  }
  const info = extensions?.information as { sellers: string[]; sales: number; volumeWei: bigint } | undefined;
  if (info)
    out.push(
      `Information trading (x402 over EIP-3009): ${info.sales} reports sold by ${info.sellers.join(", ") || "nobody"} ` +
        `for ${formatEther(info.volumeWei)} CIV.`,
    );
  const bad = extensions?.badActors as BadActorsSummary | undefined;
  if (bad)
    out.push(
      `Bad actors (${bad.wallets.length} wallets: ${[...new Set(bad.wallets.map((w) => w.kind))].join(", ")}): ` +
        `${Object.values(bad.actions).reduce((a, b) => a + b, 0)} transactions, ${bad.failures.length} failed steps.`,
    );
  return out;
}
