/**
 * `civitas mcp`: the MCP server (scripts/tools/mcp.ts) serving every Civitas tool, signing as the CLI's
 * agent (CIVITAS_PRIVATE_KEY or --keystore). stdio by default; `--http <port>` for streamable HTTP.
 */
import { type Command, InvalidArgumentError } from "commander";
import { serveHttp, serveStdio } from "../tools/mcp.ts";
import { toolContext } from "./context.ts";

const port = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError(`not a TCP port: ${value}`);
  return n;
};

/** Registers the `mcp` command on `program`. */
export function registerMcpCommands(program: Command): void {
  program
    .command("mcp")
    .description(
      "serve the Civitas tools to an MCP client (Claude Desktop, any agent framework), signing as your agent: " +
        "stdio by default, streamable HTTP with --http",
    )
    .option("--http <port>", "serve streamable HTTP at http://127.0.0.1:<port>/mcp instead of stdio", port)
    .option("--host <host>", "interface to bind with --http", "127.0.0.1")
    .action(async (options: { http?: number; host: string }, command: Command) => {
      // stdout carries the protocol: progress lines go to stderr.
      const ctx = await toolContext(command, { progressToStderr: true });
      if (options.http === undefined) {
        await serveStdio(ctx);
        return;
      }
      const { server, url } = await serveHttp(ctx, { port: options.http, host: options.host });
      console.error(`civitas mcp: serving ${url} (signing as ${ctx.address ?? "nobody: read-only"})`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
