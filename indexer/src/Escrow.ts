/**
 * Escrow: every escrow with its full state (parties, amounts, deadlines, deliverable, ruling, outcome and
 * payout, ratings), every escrow event (ERC-1497 meta-evidence, dispute and evidence URIs, ERC-792
 * rulings included) and the ratings. Token movements are indexed by the token's handlers; reputation by
 * the registry's.
 */
import { escrow, escrowEvent, rating } from "ponder:schema";
import { on, onParameter } from "../lib/handler.ts";
import { EscrowState } from "../../scripts/lib/vocabulary.ts";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, lc, recordParameter } from "../lib/store.ts";

type EscrowRow = typeof escrow.$inferSelect;

const json = (value: object) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));

async function logEscrowEvent(
  db: Db,
  event: EventInfo,
  escrowId: bigint,
  kind: string,
  extra: { actor?: string; uri?: string; value?: bigint; data?: object } = {},
): Promise<void> {
  await db.insert(escrowEvent).values({
    id: event.id,
    escrowId,
    kind,
    actor: extra.actor === undefined ? null : lc(extra.actor),
    uri: extra.uri ?? null,
    value: extra.value ?? null,
    data: extra.data === undefined ? null : json(extra.data),
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
  });
}

async function updateEscrow(
  db: Db,
  event: EventInfo,
  id: bigint,
  change: Partial<EscrowRow> | ((row: EscrowRow) => Partial<EscrowRow>),
): Promise<void> {
  await db.update(escrow, { id }).set((row) => ({
    ...(typeof change === "function" ? change(row) : change),
    updatedAt: event.block.timestamp,
  }));
}

if (isDeployed("escrow")) {
  on("Escrow:EscrowCreated", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, client, terms, bond, protocolFeeBps, clientId, providerId, arbitratorId } = event.args;
    await db.insert(escrow).values({
      id: escrowId,
      kind: Number(terms.kind),
      client: lc(client),
      provider: lc(terms.provider),
      arbitrator: lc(terms.arbitrator),
      clientId,
      providerId,
      arbitratorId,
      state: "created",
      amount: terms.amount,
      arbitratorFee: terms.arbitratorFee,
      bond,
      protocolFeeBps,
      deliveryDeadline: BigInt(terms.deliveryDeadline),
      reviewWindow: BigInt(terms.reviewWindow),
      rulingWindow: BigInt(terms.rulingWindow),
      reviewDeadline: 0n,
      rulingDeadline: 0n,
      termsHash: terms.termsHash,
      termsURI: terms.termsURI,
      deliverableURI: null,
      deliverableHash: null,
      providerBps: null,
      evidenceCount: 0,
      outcome: null,
      closedBy: null,
      providerGross: null,
      protocolFee: null,
      clientRefund: null,
      arbitratorFeePaid: null,
      bondToArbitrator: null,
      bondToClient: null,
      bondToProvider: null,
      clientRating: 0,
      providerRating: 0,
      createdAt: event.block.timestamp,
      agreedAt: null,
      acceptedAt: null,
      fundedAt: null,
      submittedAt: null,
      disputedAt: null,
      closedAt: null,
      updatedAt: event.block.timestamp,
    });
    await logEscrowEvent(db, event, escrowId, "created", {
      actor: client,
      uri: terms.termsURI,
      value: terms.amount,
      data: { ...terms, bond, protocolFeeBps, clientId, providerId, arbitratorId },
    });
  });

  on("Escrow:MetaEvidence", async ({ event, context }) => {
    await logEscrowEvent(context.db, event, event.args._metaEvidenceID, "meta_evidence", {
      uri: event.args._evidence,
    });
  });

  on("Escrow:ProviderAgreed", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, provider } = event.args;
    await updateEscrow(db, event, escrowId, { state: "agreed", agreedAt: event.block.timestamp });
    await logEscrowEvent(db, event, escrowId, "agreed", { actor: provider });
  });

  on("Escrow:ArbitratorAccepted", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, arbitrator, bond } = event.args;
    await updateEscrow(db, event, escrowId, { state: "accepted", acceptedAt: event.block.timestamp });
    await logEscrowEvent(db, event, escrowId, "accepted", { actor: arbitrator, value: bond });
  });

  on("Escrow:EscrowFunded", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, client, amount, arbitratorFee } = event.args;
    await updateEscrow(db, event, escrowId, { state: "funded", fundedAt: event.block.timestamp });
    await logEscrowEvent(db, event, escrowId, "funded", {
      actor: client,
      value: amount + arbitratorFee,
      data: { amount, arbitratorFee },
    });
  });

  on("Escrow:EscrowCancelled", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, by, bondReturned } = event.args;
    await updateEscrow(db, event, escrowId, {
      state: "cancelled",
      outcome: "cancelled",
      closedBy: lc(by),
      closedAt: event.block.timestamp,
      bondToArbitrator: bondReturned,
    });
    await logEscrowEvent(db, event, escrowId, "cancelled", { actor: by, value: bondReturned });
  });

  on("Escrow:DeliverableSubmitted", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, provider, deliverableURI, deliverableHash, reviewDeadline } = event.args;
    await updateEscrow(db, event, escrowId, {
      state: "submitted",
      deliverableURI,
      deliverableHash,
      reviewDeadline,
      submittedAt: event.block.timestamp,
    });
    await logEscrowEvent(db, event, escrowId, "submitted", {
      actor: provider,
      uri: deliverableURI,
      data: { deliverableHash, reviewDeadline },
    });
  });

  on("Escrow:EscrowDisputed", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, client, rulingDeadline } = event.args;
    await updateEscrow(db, event, escrowId, {
      state: "disputed",
      rulingDeadline,
      disputedAt: event.block.timestamp,
    });
    await logEscrowEvent(db, event, escrowId, "disputed", { actor: client, value: rulingDeadline });
  });

  on("Escrow:Dispute", async ({ event, context }) => {
    const a = event.args;
    await logEscrowEvent(context.db, event, a._disputeID, "dispute", {
      actor: a._arbitrator,
      data: { metaEvidenceID: a._metaEvidenceID, evidenceGroupID: a._evidenceGroupID },
    });
  });

  on("Escrow:Evidence", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    await updateEscrow(db, event, a._evidenceGroupID, (row) => ({ evidenceCount: row.evidenceCount + 1 }));
    await logEscrowEvent(db, event, a._evidenceGroupID, "evidence", {
      actor: a._party,
      uri: a._evidence,
      data: { arbitrator: a._arbitrator },
    });
  });

  on("Escrow:EscrowRuled", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, arbitrator, providerBps } = event.args;
    await updateEscrow(db, event, escrowId, { providerBps });
    await logEscrowEvent(db, event, escrowId, "ruled", { actor: arbitrator, value: providerBps });
  });

  on("Escrow:Ruling", async ({ event, context }) => {
    const a = event.args;
    await logEscrowEvent(context.db, event, a._disputeID, "ruling", {
      actor: a._arbitrator,
      value: a._ruling,
    });
  });

  on("Escrow:EscrowSettled", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, outcome, by, payout } = event.args;
    const state = EscrowState.keyOf(outcome);
    await updateEscrow(db, event, escrowId, {
      state,
      outcome: state,
      closedBy: lc(by),
      closedAt: event.block.timestamp,
      providerGross: payout.providerGross,
      protocolFee: payout.protocolFee,
      clientRefund: payout.clientRefund,
      arbitratorFeePaid: payout.arbitratorFeePaid,
      bondToArbitrator: payout.bondToArbitrator,
      bondToClient: payout.bondToClient,
      bondToProvider: payout.bondToProvider,
    });
    await logEscrowEvent(db, event, escrowId, "settled", { actor: by, data: { outcome: state, ...payout } });
  });

  on("Escrow:EscrowRated", async ({ event, context }) => {
    const db = context.db;
    const { escrowId, rater, ratee, score } = event.args;
    await db.insert(rating).values({
      id: event.id,
      escrowId,
      rater: lc(rater),
      ratee: lc(ratee),
      score: Number(score),
      timestamp: event.block.timestamp,
    });
    await updateEscrow(db, event, escrowId, (row) =>
      lc(rater) === row.client ? { clientRating: Number(score) } : { providerRating: Number(score) },
    );
    await logEscrowEvent(db, event, escrowId, "rated", {
      actor: rater,
      value: BigInt(score),
      data: { ratee: lc(ratee) },
    });
  });

  on("Escrow:ReputationReportFailed", async ({ event, context }) => {
    const { escrowId, agentId, delta, reason, errorData } = event.args;
    await logEscrowEvent(context.db, event, escrowId, "reputation_report_failed", {
      value: delta,
      data: { agentId, reason, errorData },
    });
  });

  onParameter("Escrow:ArbitratorBondBpsUpdated", "Escrow", "arbitratorBondBps", (a) => [
    a.oldBondBps,
    a.newBondBps,
  ]);

  onParameter("Escrow:MinDeliveryWindowUpdated", "Escrow", "minDeliveryWindow", (a) => [
    a.oldWindow,
    a.newWindow,
  ]);
  onParameter("Escrow:MinJobAmountUpdated", "Escrow", "minJobAmount", (a) => [a.oldAmount, a.newAmount]);
  onParameter("Escrow:ProtocolFeeBpsUpdated", "Escrow", "protocolFeeBps", (a) => [a.oldFeeBps, a.newFeeBps]);
}
