import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type Address, type Hash, parseEventLogs, zeroHash } from "viem";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { createCivitasPublicClient } from "../../scripts/lib/clients.ts";
import { civitasContracts } from "../../scripts/lib/contracts.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { runSimulation, type SimulationResult } from "../../scripts/sim/engine.ts";
import {
  createInformationMarket,
  type InformationMarket,
  informationForSale,
} from "../../scripts/sim/information.ts";
import {
  checkLlmEndpoint,
  createLlmPolicy,
  decisionText,
  LLM_EXCLUDED_TOOLS,
  LlmEndpointError,
  type LlmPolicy,
  llmTools,
  type SpeechEntry,
} from "../../scripts/sim/llm-policy.ts";
import {
  type ChatRequest,
  type ScriptedLlm,
  type ScriptedReply,
  startScriptedLlm,
} from "../../scripts/sim/llm-scripted-server.ts";
import { TOOLS } from "../../scripts/tools/index.ts";
import { statementOf } from "../../scripts/tools/speech.ts";
import { gql } from "../indexer/helpers.ts";

/** The state an agent was given this turn (the turn's user message). */
function stateOf(request: ChatRequest): {
  day: number;
  you: { address: Address };
  agents: { address: Address }[];
  informationForSale: { sellerAddress: Address; url: string; priceCiv: string }[];
} {
  return JSON.parse(request.messages.find((m) => m.role === "user")!.content as string);
}

/**
 * Day 1: a valid payment, an unknown tool, malformed JSON, an argument the schema refuses, a payment the
 * chain refuses (more than the balance), a purchase of information (x402) from another agent; then a stated
 * reason. Day 2: more calls than the budget (8 of 6).
 * Day 3: the request fails (HTTP 500).
 */
const script = (request: ChatRequest): ScriptedReply => {
  const state = stateOf(request);
  const answered = request.messages.some((m) => m.role === "tool");
  if (state.day === 1) {
    if (answered)
      return { content: `I paid ${state.agents[0]!.address} 1 CIV to thank them for their work.` };
    const to = state.agents[0]!.address;
    return {
      content: "Paying a colleague, then trying a few things.",
      toolCalls: [
        { name: "send", arguments: { to, amount: "1", paymentId: `thanks-${state.you.address}` } },
        { name: "teleport", arguments: { to } },
        { name: "send", arguments: '{"to": "0x12' },
        { name: "send", arguments: { to, amount: "lots" } },
        { name: "send", arguments: { to, amount: "1000000" } },
        ...state.informationForSale
          .filter((offer) => offer.sellerAddress !== state.you.address)
          .map((offer) => ({
            name: "information_buy",
            arguments: { url: offer.url, maxPrice: offer.priceCiv, paymentId: `report-${state.day}` },
          })),
      ],
    };
  }
  if (state.day === 2) {
    if (answered) return { content: "Checked my balance." };
    return { toolCalls: Array.from({ length: 8 }, () => ({ name: "balance", arguments: {} })) };
  }
  return { status: 500 };
};

describe("sim: LLM-driven agents through a scripted OpenAI-compatible server", function () {
  this.timeout(600_000);
  let devnet: Devnet;
  let deployment: Deployment;
  let llm: ScriptedLlm;
  let policy: LlmPolicy;
  let market: InformationMarket;
  let result: SimulationResult;
  let speech: SpeechEntry[];
  let indexer: Indexer;
  const work = mkdtempSync(join(tmpdir(), "civitas-llm-"));
  const speechLog = join(work, "run.speech.jsonl");

  before(async function () {
    devnet = await startDevnet();
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir: join(work, "deployments") });
    llm = await startScriptedLlm({ script });
    market = createInformationMarket({
      sellers: 1,
      buyChance: 1,
      seed: "llm",
      skip: (agent) => policy.drives!(agent),
    });
    policy = createLlmPolicy({
      url: llm.url,
      model: "scripted",
      share: 0.5,
      maxToolCalls: 6, // day 1 uses at most 6; day 2 asks for 8 balances and gets 6
      speechLog,
      deployment,
      seed: "llm",
      worldExtras: informationForSale(market),
    });
    result = await runSimulation({
      rpcUrl: devnet.rpcUrl,
      deployment,
      agents: 4,
      days: 3,
      seed: "llm",
      hooks: [market, policy],
    });
    speech = readFileSync(speechLog, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as SpeechEntry);
    // The indexer reads the run from the chain afterwards: the speech log is in GraphQL.
    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      chainId: deployment.chainId,
      deploymentsDir: join(work, "deployments"),
      databaseDir: join(work, "pglite"),
    });
    const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
    await indexer.waitForIndexedBlock(await client.getBlockNumber({ cacheTime: 0 }), 600_000);
  });

  after(async function () {
    await indexer?.stop();
    await llm?.close();
    await market?.close();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("drives the share of agents asked for, one turn a day each, logged line by line", function () {
    const summary = policy.summary();
    expect(summary.agents).to.have.length(2);
    expect(speech).to.have.length(2 * 3);
    expect(speech.map((s) => s.day)).to.deep.equal([1, 1, 2, 2, 3, 3]);
    expect(new Set(speech.map((s) => s.agent))).to.deep.equal(new Set(summary.agents));
    expect(result.extensions?.llm).to.deep.include({ turns: 6, model: "scripted" });
  });

  it("turns a scripted tool call into a transaction, and records the agent's stated reason", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
    const { token } = civitasContracts(deployment);
    for (const turn of speech.filter((s) => s.day === 1)) {
      const paid = turn.calls[0]!;
      expect(paid).to.include({ tool: "send", ok: true });
      const receipt = await client.getTransactionReceipt({ hash: paid.txHash as Hash });
      expect(receipt.status).to.equal("success");
      expect(receipt.from.toLowerCase()).to.equal(turn.address.toLowerCase());
      const [taxed] = parseEventLogs({ abi: token.abi, logs: receipt.logs, eventName: "TaxCharged" });
      expect(taxed!.args).to.deep.include({
        from: turn.address,
        to: (paid.arguments as { to: Address }).to,
        gross: 10n ** 18n,
      });
      expect(turn.said.at(-1)).to.match(/^I paid 0x[0-9a-fA-F]{40} 1 CIV to thank them/);
    }
    expect(result.stats.actions["llm.send"]).to.equal(2);
    const bought = speech.flatMap((s) => s.calls).filter((c) => c.tool === "information_buy").length;
    expect(policy.summary().transactions).to.equal(2 + bought);
  });

  it("answers an unknown tool, malformed JSON, a bad argument and a refused payment with error results", function () {
    for (const turn of speech.filter((s) => s.day === 1)) {
      const [, unknown, malformed, invalid, refused] = turn.calls;
      expect(unknown).to.deep.include({ tool: "teleport", ok: false });
      expect(unknown!.error!.code).to.equal("unknown_tool");
      expect(malformed!.error!.code).to.equal("invalid_input");
      expect(malformed!.error!.message).to.match(/not valid JSON/);
      expect(malformed!.arguments).to.equal('{"to": "0x12');
      expect(invalid!.error!.code).to.equal("invalid_input");
      expect(invalid!.error!.message).to.match(/amount/);
      expect(refused!.error!.code).to.equal("insufficient_balance");
    }
    // The model saw each error as the result of its call.
    const answers = llm.requests.filter(
      (r) => stateOf(r).day === 1 && r.messages.some((m) => m.role === "tool"),
    );
    expect(answers).to.have.length(2);
    const results = answers[0]!.messages.filter((m) => m.role === "tool").map((m) => JSON.parse(m.content!));
    expect(results.slice(0, 5).map((r) => r.error?.code)).to.deep.equal([
      undefined,
      "unknown_tool",
      "invalid_input",
      "invalid_input",
      "insufficient_balance",
    ]);
    expect(policy.summary().errors).to.deep.equal({
      unknown_tool: 2,
      invalid_input: 4,
      insufficient_balance: 2,
    });
  });

  it("refuses calls beyond the turn's budget and ends the turn", function () {
    for (const turn of speech.filter((s) => s.day === 2)) {
      expect(turn.calls).to.have.length(6);
      expect(turn.calls.every((c) => c.ok)).to.equal(true);
      expect(turn.ended).to.equal("tool-call budget of 6 spent");
      expect(turn.requests).to.equal(1);
    }
  });

  it("ends a turn whose request fails, and the run goes on", function () {
    for (const turn of speech.filter((s) => s.day === 3)) {
      expect(turn.calls).to.deep.equal([]);
      expect(turn.ended).to.match(/^request failed: 500/);
    }
    expect(result.dayEndBlocks).to.have.length(4);
    expect(policy.summary().endedEarly).to.equal(4);
  });

  it("trades information over x402: LLM agents with their tool, rule-based agents on their own", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
    const { token } = civitasContracts(deployment);
    const info = market.summary();
    expect(info.sellers).to.have.length(1);
    const seller = result.agents.find((a) => a.name === info.sellers[0])!;
    const llmBuys = speech.flatMap((s) => s.calls.filter((c) => c.tool === "information_buy"));
    // Both LLM agents buy, unless one of them is the seller (it does not buy from itself).
    const llmIsSeller = policy.summary().agents.includes(seller.name);
    expect(llmBuys).to.have.length(llmIsSeller ? 1 : 2);
    expect(llmBuys.every((c) => c.ok)).to.equal(true);
    // Rule-based buyers: every one but the seller, every day (chance 1).
    const ruleBuyers = result.agents.filter(
      (a) => !policy.summary().agents.includes(a.name) && a.name !== seller.name,
    );
    expect(info.attempts).to.equal(ruleBuyers.length * 3);
    expect(info.failures).to.deep.equal({});
    expect(info.sales).to.equal(info.attempts + llmBuys.length);
    expect(info.volumeWei).to.equal(BigInt(info.sales) * 5n * 10n ** 17n);
    // Each sale is an authorized (ERC-3009) transfer to the seller, settled by the seller.
    for (const call of llmBuys) {
      const receipt = await client.getTransactionReceipt({ hash: call.txHash as Hash });
      expect(receipt.from.toLowerCase()).to.equal(seller.address.toLowerCase());
      const used = parseEventLogs({ abi: token.abi, logs: receipt.logs, eventName: "AuthorizationUsed" });
      expect(used).to.have.length(1);
    }
    expect(result.extensions?.information).to.deep.include({ sales: info.sales });
  });

  it("posts every decision and stated reason on chain, one batch a turn, queryable in GraphQL", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
    const { registry } = civitasContracts(deployment);
    // What each turn said and did, in the order it happened (day 1: a reason, the calls, a closing reason;
    // day 2: the calls within budget, then why the turn ended; day 3: why it ended).
    const expected = (turn: SpeechEntry) => {
      const decisions = turn.calls.map((c) => statementOf("decision", decisionText(c), c.txHash));
      const reasons = turn.said.map((text) => statementOf("reason", text));
      const ended = turn.ended ? [statementOf("ended", turn.ended)] : [];
      return turn.day === 1 ? [reasons[0]!, ...decisions, reasons[1]!] : [...reasons, ...decisions, ...ended];
    };
    let total = 0;
    for (const address of new Set(speech.map((s) => s.address))) {
      const turns = speech.filter((s) => s.address === address);
      const data = await gql<{ statements: { items: Record<string, string>[] } }>(
        indexer.graphqlUrl,
        `query ($speaker: String!) { statements(where: { speaker: $speaker }, orderBy: "id", limit: 100) {
          items { agentId speaker topicText ref text transactionHash } } }`,
        { speaker: address.toLowerCase() },
      );
      const agentId = await client.readContract({
        ...registry,
        functionName: "agentIdOf",
        args: [address as Address],
      });
      const rows = data.statements.items;
      const wanted = turns.flatMap(expected);
      expect(rows.map((r) => [r.topicText, r.text, r.ref])).to.deep.equal(
        wanted.map((w) => [
          Buffer.from(w.topic.slice(2), "hex").toString("utf8").replace(/\0+$/, ""),
          w.text,
          w.ref,
        ]),
      );
      expect(new Set(rows.map((r) => r.agentId))).to.deep.equal(new Set([agentId.toString()]));
      // One transaction a turn (each turn has at most 16 statements), and the turn records it.
      expect(rows.map((r) => r.transactionHash)).to.deep.equal(
        turns.flatMap((t) => expected(t).map(() => (t.spoken as { txHashes: string[] }).txHashes[0])),
      );
      total += rows.length;
    }
    expect(speech.every((t) => "txHashes" in t.spoken! && t.spoken.txHashes.length === 1)).to.equal(true);
    // A successful send's decision refers to its payment; a refused one to nothing.
    const day1 = speech.find((s) => s.day === 1)!;
    expect(expected(day1)[1]!.ref).to.equal(day1.calls[0]!.txHash);
    expect(expected(day1)[2]!.ref).to.equal(zeroHash);
    expect(policy.summary()).to.deep.include({ statements: total, speechTransactions: 6, speechFailures: 0 });
    expect(result.stats.actions["llm.speech"]).to.equal(6);
  });

  it("leaves the rule-based agents to their archetypes' policies", function () {
    const llmAgents = new Set(policy.summary().agents);
    expect(result.agents.filter((a) => !llmAgents.has(a.name))).to.have.length(2);
    expect(result.stats.actions["agent.register"]).to.equal(4);
  });
});

describe("sim: LLM policy bounds and endpoint", function () {
  this.timeout(60_000);

  it("offers every tool but register and address, as JSON-schema functions", function () {
    const { definitions } = llmTools();
    expect(definitions.map((d) => d.function.name)).to.deep.equal(
      TOOLS.map((t) => t.name).filter((n) => !LLM_EXCLUDED_TOOLS.includes(n) && n !== "history"),
    );
    const send = definitions.find((d) => d.function.name === "send")!;
    expect(send.function.parameters).to.deep.include({ type: "object" });
    expect(send.function.parameters).to.not.have.property("$schema");
    expect(llmTools({ graphqlUrl: "http://x/graphql" }).definitions.map((d) => d.function.name)).to.include(
      "history",
    );
  });

  it("fails fast with a clear error when the endpoint cannot be reached", async function () {
    const error = await checkLlmEndpoint("http://127.0.0.1:1/v1").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(LlmEndpointError);
    expect((error as Error).message).to.match(/cannot reach the LLM endpoint at http:\/\/127\.0\.0\.1:1\/v1/);
  });

  it("passes an endpoint that answers", async function () {
    const llm = await startScriptedLlm();
    try {
      await checkLlmEndpoint(llm.url);
    } finally {
      await llm.close();
    }
  });

  it("refuses a share outside (0, 1] and a budget that is not a positive integer", function () {
    const base = { url: "http://127.0.0.1:1/v1", model: "m", deployment: {} as Deployment };
    expect(() => createLlmPolicy({ ...base, share: 0 })).to.throw(/share must be in \(0, 1\], got 0/);
    expect(() => createLlmPolicy({ ...base, share: 1.5 })).to.throw(/got 1.5/);
    expect(() => createLlmPolicy({ ...base, maxToolCalls: 0 })).to.throw(/positive integer, got 0/);
  });
});
