/**
 * The tool list of docs/agents.md, generated from {@link TOOLS} (one source): `npm run docs:tools` writes
 * it between the `<!-- tools:start -->` and `<!-- tools:end -->` markers, and a test checks that the page
 * matches. Importing this module has no side effects.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../lib/deployment.ts";
import { inputJsonSchema, TOOLS } from "./index.ts";

/** Path of the agents page. */
export const AGENTS_DOC = join(REPO_ROOT, "docs", "agents.md");

const START = "<!-- tools:start (generated from scripts/tools by `npm run docs:tools`) -->";
const END = "<!-- tools:end -->";

/** The markdown table of every tool: name, arguments (required ones bold), whether it signs, description. */
export function toolTable(): string {
  const rows = TOOLS.map((tool) => {
    const schema = inputJsonSchema(tool) as { properties?: Record<string, unknown>; required?: string[] };
    const required = new Set(schema.required ?? []);
    const args = Object.keys(schema.properties ?? {})
      .map((name) => (required.has(name) ? `**${name}**` : name))
      .join(", ");
    return `| \`${tool.name}\` | ${args || "-"} | ${tool.needsSigner ? "yes" : "no"} | ${tool.description.replaceAll("|", "\\|")} |`;
  });
  return [
    "| tool | arguments (**required**) | signs | what it does |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The page with its tool list replaced by {@link toolTable}. */
export function withToolTable(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/agents.md lacks the markers ${START} ... ${END}`);
  return `${page.slice(0, start + START.length)}\n\n${toolTable()}\n\n${page.slice(end)}`;
}

/** The cells of a markdown table row (split on unescaped `|`, trimmed; Prettier's padding ignored). */
const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

/**
 * The rows of the page's tool list that differ from {@link toolTable} (none: the page is current).
 * @param page The text of docs/agents.md.
 */
export function staleToolRows(page: string): string[] {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) return [`missing markers ${START} ... ${END}`];
  const rowsOf = (text: string) =>
    text
      .split("\n")
      .filter((line) => line.trim().startsWith("|") && !/^\|\s*-+/.test(line.trim()))
      .map((line) => cells(line).join(" | "));
  const documented = rowsOf(page.slice(start, end));
  const generated = rowsOf(toolTable());
  const stale = generated.filter((row) => !documented.includes(row));
  const extra = documented.filter((row) => !generated.includes(row));
  return [...stale.map((row) => `missing: ${row}`), ...extra.map((row) => `stale: ${row}`)];
}

/** Rewrites docs/agents.md's tool list. */
export function writeToolTable(): void {
  writeFileSync(AGENTS_DOC, withToolTable(readFileSync(AGENTS_DOC, "utf8")));
}
