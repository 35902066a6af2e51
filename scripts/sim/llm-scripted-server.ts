/**
 * A local, scripted OpenAI-compatible chat server: `POST /v1/chat/completions` answers with the tool calls
 * (or text) a script gives, `GET /v1/models` lists one model. No model, no network: the tests drive the
 * simulation's LLM policy through it, and it serves a demo by hand:
 *
 *   node scripts/sim/llm-scripted-server.ts [--port 9400] [--script replies.json]
 *   npm start -- --policy llm --llm-url http://127.0.0.1:9400/v1 --model scripted
 *
 * A script file holds `{ "<agent name>" | "*": [reply, ...] }`; each agent's requests take its replies in
 * order (then the `*` ones, then a closing sentence). A reply is `{ "content"?: string, "toolCalls"?:
 * [{ "name": string, "arguments": object | string }] }` (a string is sent as is, so malformed JSON can be
 * scripted), or `{ "status": 500 }` for a failed request. Without a script, every agent checks its balance
 * and its jobs, then says so. Importing this module has no side effects.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

/** One scripted answer. */
export interface ScriptedReply {
  content?: string;
  toolCalls?: { name: string; arguments: Record<string, unknown> | string }[];
  /** Answer with this HTTP status and an OpenAI-style error body instead. */
  status?: number;
}

/** A chat request as the server received it. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content?: string | null; tool_call_id?: string; tool_calls?: unknown[] }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  /** The agent's name, read from the system prompt ("You are <name>, ..."). */
  agent?: string;
}

/** Chooses the reply to a request. */
export type Script = (request: ChatRequest) => ScriptedReply | Promise<ScriptedReply>;

/** A running scripted server. */
export interface ScriptedLlm {
  /** Base URL for the OpenAI client (`…/v1`). */
  url: string;
  /** Every chat request received, in order. */
  requests: ChatRequest[];
  close(): Promise<void>;
}

const agentOf = (request: ChatRequest): string | undefined =>
  /You are (\S+?),/.exec(request.messages.find((m) => m.role === "system")?.content ?? "")?.[1];

/**
 * A script from per-agent reply lists (see the module's comment): `replies[agent]` in order, then
 * `replies["*"]`, then a closing sentence. The request that follows tool results counts as the next one.
 */
export function scriptFromReplies(replies: Record<string, ScriptedReply[]>): Script {
  const used = new Map<string, number>();
  return (request) => {
    const agent = request.agent ?? "*";
    const own = replies[agent] ?? [];
    const all = [...own, ...(agent === "*" ? [] : (replies["*"] ?? []))];
    const i = used.get(agent) ?? 0;
    used.set(agent, i + 1);
    return all[i] ?? { content: "Nothing more to do today." };
  };
}

/** The default demo: check the balance and the jobs, then say what was seen. */
export const demoScript: Script = (request) => {
  const last = request.messages.at(-1);
  if (last?.role === "user")
    return {
      content: "Let me look at my balance and my jobs first.",
      toolCalls: [
        { name: "balance", arguments: {} },
        { name: "job_list", arguments: {} },
      ],
    };
  const results = request.messages.filter((m) => m.role === "tool").length;
  return { content: `I read ${results} results; I keep my CIV today and wait for work.` };
};

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts the scripted server on 127.0.0.1.
 * @param options.script The replies (default {@link demoScript}).
 * @param options.port Port (default: a free one).
 */
export async function startScriptedLlm(
  options: { script?: Script; port?: number } = {},
): Promise<ScriptedLlm> {
  const script = options.script ?? demoScript;
  const requests: ChatRequest[] = [];
  let calls = 0;
  const server: Server = createServer((req, res) => {
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && path === "/v1/models")
      return send(200, { object: "list", data: [{ id: "scripted", object: "model", owned_by: "civitas" }] });
    if (req.method !== "POST" || path !== "/v1/chat/completions")
      return send(404, { error: { message: `no route ${req.method} ${path}`, type: "not_found" } });
    void (async () => {
      const request = JSON.parse(await body(req)) as ChatRequest;
      request.agent = agentOf(request);
      requests.push(request);
      const reply = await script(request);
      if (reply.status !== undefined)
        return send(reply.status, { error: { message: "scripted failure", type: "server_error" } });
      const toolCalls = (reply.toolCalls ?? []).map((call) => ({
        id: `call_${++calls}`,
        type: "function",
        function: {
          name: call.name,
          arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
        },
      }));
      send(200, {
        id: `chatcmpl-${calls}-${requests.length}`,
        object: "chat.completion",
        created: 0,
        model: request.model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: reply.content ?? null,
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: toolCalls.length > 0 ? "tool_calls" : "stop",
          },
        ],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      });
    })().catch((error: unknown) => send(500, { error: { message: String(error), type: "server_error" } }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// Run by hand: `node scripts/sim/llm-scripted-server.ts [--port N] [--script FILE]`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const file = arg("--script");
  const port = arg("--port");
  const script = file
    ? scriptFromReplies(JSON.parse(readFileSync(file, "utf8")) as Record<string, ScriptedReply[]>)
    : demoScript;
  const llm = await startScriptedLlm({ script, port: port ? Number(port) : undefined });
  console.log(`Scripted OpenAI-compatible server at ${llm.url} (model "scripted"). Ctrl-C stops it.`);
}
