/**
 * SpeechLog (issue 13): the public speech log. Each `Spoke` is one `statement` row, in chain order; the
 * speaker's agent id comes with the event (the registry's, at the time it spoke).
 */
import { statement } from "ponder:schema";
import { on } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { lc, reasonText } from "../lib/store.ts";

if (isDeployed("speechLog")) {
  on("SpeechLog:Spoke", async ({ event, context }) => {
    const { agentId, speaker, topic, ref, text } = event.args;
    await context.db.insert(statement).values({
      id: event.id,
      agentId,
      speaker: lc(speaker),
      topic,
      topicText: reasonText(topic),
      ref,
      text,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      logIndex: event.log.logIndex,
      timestamp: event.block.timestamp,
    });
  });
}
