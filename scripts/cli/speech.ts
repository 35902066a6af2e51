/** `civitas say <text>`: a statement on the public speech log (scripts/tools/speech.ts). */
import type { Command } from "commander";
import { SPEECH_MAX_TEXT_BYTES } from "../tools/speech.ts";
import { runTool, txLine } from "./context.ts";

/** Registers the `say` command on `program`. */
export function registerSpeechCommands(program: Command): void {
  program
    .command("say")
    .description("say something on the public speech log (on chain; GraphQL `statements`)")
    .argument("<text>", `what you say (at most ${SPEECH_MAX_TEXT_BYTES} UTF-8 bytes)`)
    .option("--topic <label>", 'a short label: "reason", "decision", "offer", ...', "note")
    .option("--ref <ref>", "what it is about: a transaction hash or an id")
    .action(async (text: string, o: { topic: string; ref?: string }, command: Command) => {
      await runTool(
        command,
        "say",
        { text, topic: o.topic, ref: o.ref },
        (r) => `Agent ${r.agentId} said (${o.topic}): ${r.text}\n${txLine(r)}`,
      );
    });
}
