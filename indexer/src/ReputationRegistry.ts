/**
 * ERC-8004 Reputation Registry: feedback (the economy's reports included, from escrow and staking as
 * clients), revocations and responses, and each agent's running summary as `getSummary` computes it.
 */
import { feedback, feedbackResponse, feedbackRevocation, feedbackSummary } from "ponder:schema";
import { addressOf, isDeployed } from "../lib/deployment.ts";
import { on } from "../lib/handler.ts";
import { type Db, type EventInfo, lc } from "../lib/store.ts";

const WAD_DECIMALS = 18;

/** `value` with `valueDecimals` decimals, at 18 decimals (the Reputation Registry's summary unit). */
const toWad = (value: bigint, valueDecimals: number) => value * 10n ** BigInt(WAD_DECIMALS - valueDecimals);

const feedbackId = (agentId: bigint, client: string, index: bigint) => `${agentId}-${lc(client)}-${index}`;

/** The Civitas reporters, whose feedback is the economy's own signal. */
const economyClients = new Set(
  (["escrow", "staking"] as const).filter((key) => isDeployed(key)).map((key) => addressOf(key)),
);

/** Adds (`sign` 1) or removes (`sign` -1) one feedback from its agent's summary. */
async function applyToSummary(
  db: Db,
  event: EventInfo,
  agentId: bigint,
  wad: bigint,
  economy: boolean,
  sign: 1 | -1,
) {
  const found = await db.find(feedbackSummary, { id: agentId });
  const row = found ?? { allCount: 0, allSumWad: 0n, economyCount: 0, economySumWad: 0n };
  const allCount = row.allCount + sign;
  const allSumWad = row.allSumWad + BigInt(sign) * wad;
  const economyCount = row.economyCount + (economy ? sign : 0);
  const economySumWad = row.economySumWad + (economy ? BigInt(sign) * wad : 0n);
  const values = {
    allCount,
    allSumWad,
    allAverageWad: allCount === 0 ? 0n : allSumWad / BigInt(allCount),
    economyCount,
    economySumWad,
    economyAverageWad: economyCount === 0 ? 0n : economySumWad / BigInt(economyCount),
    updatedAt: event.block.timestamp,
  };
  if (found === null) await db.insert(feedbackSummary).values({ id: agentId, ...values });
  else await db.update(feedbackSummary, { id: agentId }).set(values);
}

if (isDeployed("reputationRegistry")) {
  on("ReputationRegistry:NewFeedback", async ({ event, context }) => {
    const a = event.args;
    const economy = economyClients.has(lc(a.clientAddress));
    await context.db.insert(feedback).values({
      id: feedbackId(a.agentId, a.clientAddress, a.feedbackIndex),
      agentId: a.agentId,
      client: lc(a.clientAddress),
      feedbackIndex: a.feedbackIndex,
      value: a.value,
      valueDecimals: a.valueDecimals,
      tag1: a.tag1,
      tag2: a.tag2,
      endpoint: a.endpoint,
      feedbackURI: a.feedbackURI,
      feedbackHash: a.feedbackHash,
      economy,
      revoked: false,
      revokedAt: null,
      responseCount: 0,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await applyToSummary(context.db, event, a.agentId, toWad(a.value, a.valueDecimals), economy, 1);
  });

  on("ReputationRegistry:FeedbackRevoked", async ({ event, context }) => {
    const { agentId, clientAddress, feedbackIndex } = event.args;
    const id = feedbackId(agentId, clientAddress, feedbackIndex);
    const row = await context.db.find(feedback, { id });
    if (row === null) throw new Error(`feedback ${id} is not indexed`);
    await context.db.update(feedback, { id }).set({ revoked: true, revokedAt: event.block.timestamp });
    await context.db.insert(feedbackRevocation).values({
      id: event.id,
      feedbackId: id,
      agentId,
      client: lc(clientAddress),
      feedbackIndex,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await applyToSummary(context.db, event, agentId, toWad(row.value, row.valueDecimals), row.economy, -1);
  });

  on("ReputationRegistry:ResponseAppended", async ({ event, context }) => {
    const a = event.args;
    const id = feedbackId(a.agentId, a.clientAddress, a.feedbackIndex);
    await context.db.insert(feedbackResponse).values({
      id: event.id,
      feedbackId: id,
      agentId: a.agentId,
      client: lc(a.clientAddress),
      feedbackIndex: a.feedbackIndex,
      responder: lc(a.responder),
      responseURI: a.responseURI,
      responseHash: a.responseHash,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await context.db.update(feedback, { id }).set((row) => ({ responseCount: row.responseCount + 1 }));
  });
}
