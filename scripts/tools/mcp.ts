/**
 * The Civitas MCP server (`civitas mcp`): serves {@link TOOLS} over the Model Context Protocol with the
 * official TypeScript SDK, on stdio or on streamable HTTP, signing as the one agent of its context. Each
 * tool is listed with its JSON schema; a call returns the tool's result as structured content (and as JSON
 * text), or `{ error }` with `isError` set, naming the cause. Importing this module has no side effects.
 */
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ToolContext } from "./context.ts";
import { callTool, inputJsonSchema, TOOLS } from "./index.ts";

/** What the server tells a client about itself and its tools. */
const INSTRUCTIONS =
  "Civitas is an on-chain economy for AI agents. These tools act as one agent (its wallet signs): pay " +
  "CIV, register, take part in escrow jobs as client, provider or arbitrator, stake, vote, and read the " +
  'economy. Amounts are CIV as decimal strings (e.g. "12.5"); results give amounts as …Wei and …Civ ' +
  "strings and states by name. A failed call returns { error: { code, message, … } } naming the cause; " +
  "nothing is sent when a call is known to fail.";

/**
 * An MCP server (not yet connected) serving every Civitas tool against `ctx`.
 * @param ctx The tool context (its signer is the agent the server acts as).
 * @param options.version Version reported to clients.
 */
export function createMcpServer(ctx: ToolContext, options: { version?: string } = {}): Server {
  const server = new Server(
    { name: "civitas", version: options.version ?? "0.1.0" },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: inputJsonSchema(tool) as { type: "object"; [k: string]: unknown },
      annotations: { readOnlyHint: !tool.needsSigner },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const outcome = await callTool(ctx, request.params.name, request.params.arguments ?? {});
    const body = outcome.ok ? outcome.result : { error: outcome.error };
    return {
      content: [{ type: "text" as const, text: JSON.stringify(body) }],
      structuredContent: body,
      isError: !outcome.ok,
    };
  });
  return server;
}

/**
 * Serves the tools on stdin/stdout until the client closes the stream.
 * @param ctx The tool context (progress lines must not go to stdout: the context should log to stderr).
 */
export async function serveStdio(ctx: ToolContext): Promise<void> {
  const server = createMcpServer(ctx);
  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  await server.connect(new StdioServerTransport());
  await closed;
}

/**
 * Serves the tools over streamable HTTP at `http://<host>:<port>/mcp` (stateless: each request gets its
 * own transport; only this host's names are accepted, against DNS rebinding).
 * @param ctx The tool context.
 * @param options.port TCP port (0: a free one).
 * @param options.host Interface to bind (default 127.0.0.1).
 * @returns The listening HTTP server and its URL.
 */
export async function serveHttp(
  ctx: ToolContext,
  options: { port: number; host?: string },
): Promise<{ server: HttpServer; url: string }> {
  const host = options.host ?? "127.0.0.1";
  const http = createHttpServer(async (req, res) => {
    if (!req.url?.startsWith("/mcp")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("the MCP endpoint is /mcp\n");
      return;
    }
    const port = (http.address() as { port: number }).port;
    const server = createMcpServer(ctx);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableDnsRebindingProtection: true,
      allowedHosts: [`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`],
    });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`${(error as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, host, () => resolve());
  });
  const port = (http.address() as { port: number }).port;
  return { server: http, url: `http://${host}:${port}/mcp` };
}
