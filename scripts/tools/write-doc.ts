/** `npm run docs:tools`: regenerates the tool list of docs/agents.md from scripts/tools. */
import { writeToolTable } from "./doc.ts";

writeToolTable();
