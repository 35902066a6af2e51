/**
 * Agreements (issue 17): the `agreement` and `agreement_event` tables, written by every agreement kind
 * contract. {@link onAgreementContract} registers the handlers of the events every bilateral agreement
 * contract emits (IBilateralAgreement: proposed, accepted, joined, cancelled, disputed, evidence, ruled,
 * settled); a kind's own events call {@link updateAgreement} with its fields (its amounts, its state
 * change). Everything comes from the events; the indexer never reads the chain.
 */
import { agreement, agreementEvent } from "ponder:schema";
import { on } from "./handler.ts";
import { type Db, type EventInfo, lc } from "./store.ts";
import { AgreementState, agreementKindKey } from "../../scripts/lib/vocabulary.ts";

/** An agreement row. */
export type AgreementRow = typeof agreement.$inferSelect;

/** What a handler receives (the event's address is the agreement contract). */
interface AgreementEventInfo extends EventInfo {
  args: Record<string, unknown> & { agreementId: bigint };
  log: { logIndex: number; address: `0x${string}` };
}

type Handler = (args: { event: AgreementEventInfo; context: { db: Db } }) => Promise<void>;
const onEvent = on as unknown as (name: string, handler: Handler) => void;

const ZERO = "0x0000000000000000000000000000000000000000";

/** The agreement row's id: `${contract}-${agreementId}`, lower-case. */
export function agreementRowId(contract: string, agreementId: bigint): string {
  return `${contract}-${agreementId}`.toLowerCase();
}

/** The event's arguments as JSON (bigints as decimal strings), without the agreement id. */
function jsonArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (key === "agreementId") continue;
    out[key] = JSON.parse(
      JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    );
  }
  return out;
}

/** What an event adds to the history row beside its name: the acting account and its main amount. */
export interface EventDetail {
  actor?: string;
  amount?: bigint;
}

/**
 * Applies a change to an agreement's row (stamping the updated block and time) and records the event in
 * `agreement_event` with the state it left. The row must exist (its proposal event came first).
 * @param name The event's name (`LoanProposed`).
 * @param change The row's new fields (state as a snake_case key).
 * @param detail The acting account and the main amount for the history row.
 */
export async function updateAgreement(
  db: Db,
  event: AgreementEventInfo,
  name: string,
  change: Partial<AgreementRow>,
  detail: EventDetail = {},
): Promise<AgreementRow> {
  const id = agreementRowId(event.log.address, event.args.agreementId);
  const row = (await db
    .update(agreement, { id })
    .set({ ...change, updatedBlock: event.block.number, updatedAt: event.block.timestamp })) as AgreementRow;
  await record(db, event, name, row, detail);
  return row;
}

async function record(
  db: Db,
  event: AgreementEventInfo,
  name: string,
  row: AgreementRow,
  detail: EventDetail,
) {
  await db.insert(agreementEvent).values({
    id: event.id,
    agreement: row.id,
    contract: row.contract,
    agreementId: row.agreementId,
    kind: row.kind,
    name,
    actor: detail.actor === undefined ? null : lc(detail.actor),
    state: row.state,
    amount: detail.amount ?? null,
    data: jsonArgs(event.args),
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    timestamp: event.block.timestamp,
  });
}

/** IBilateralAgreement.Terms as the event decodes it. */
interface Terms {
  counterparty: string;
  arbitrator: string;
  arbitratorFee: bigint;
  joinDeadline: bigint;
  dueDate: bigint;
  reviewWindow: number | bigint;
  rulingWindow: number | bigint;
  termsHash: `0x${string}`;
  termsURI: string;
}

/** IBilateralAgreement.Payout as the event decodes it. */
interface Payout {
  proposerPrincipal: bigint;
  proposerEarnings: bigint;
  counterpartyPrincipal: bigint;
  counterpartyEarnings: bigint;
  arbitratorPrincipal: bigint;
  arbitratorEarnings: bigint;
}

const stateKey = (name: (typeof AgreementState.names)[number]) =>
  AgreementState.keyOf(AgreementState.value[name]);

/**
 * Registers the handlers of the events every IBilateralAgreement contract emits, for one contract of
 * ponder.config.ts (e.g. `"LoanAgreements"`). A kind contract's file calls this once, then registers its
 * own events with {@link updateAgreement}.
 */
export function onAgreementContract(contractName: string): void {
  onEvent(`${contractName}:AgreementProposed`, async ({ event, context }) => {
    const a = event.args as unknown as {
      agreementId: bigint;
      kind: number | bigint;
      proposer: string;
      terms: Terms;
      proposerDeposit: bigint;
      counterpartyDeposit: bigint;
      bond: bigint;
      proposerId: bigint;
      counterpartyId: bigint;
      arbitratorId: bigint;
    };
    const contract = lc(event.log.address);
    const row: AgreementRow = {
      id: agreementRowId(contract, a.agreementId),
      contract,
      agreementId: a.agreementId,
      kind: Number(a.kind),
      kindName: agreementKindKey(a.kind),
      state: stateKey("Proposed"),
      proposer: lc(a.proposer),
      counterparty: lc(a.terms.counterparty),
      arbitrator: a.terms.arbitrator === ZERO ? null : lc(a.terms.arbitrator),
      proposerId: a.proposerId,
      counterpartyId: a.counterpartyId,
      arbitratorId: a.arbitratorId,
      proposerDeposit: a.proposerDeposit,
      counterpartyDeposit: a.counterpartyDeposit,
      arbitratorFee: a.terms.arbitratorFee,
      bond: a.bond,
      principal: null,
      interest: null,
      premium: null,
      cover: null,
      price: null,
      collateral: null,
      commitment: null,
      details: null,
      termsHash: a.terms.termsHash,
      termsURI: a.terms.termsURI,
      joinDeadline: a.terms.joinDeadline,
      dueDate: a.terms.dueDate,
      reviewWindow: BigInt(a.terms.reviewWindow),
      rulingWindow: BigInt(a.terms.rulingWindow),
      reviewDeadline: null,
      rulingDeadline: null,
      disputedBy: null,
      proposerWins: null,
      proposerPaid: null,
      counterpartyPaid: null,
      arbitratorPaid: null,
      settledBy: null,
      createdBlock: event.block.number,
      createdAt: event.block.timestamp,
      updatedBlock: event.block.number,
      updatedAt: event.block.timestamp,
    };
    await context.db.insert(agreement).values(row);
    await record(context.db, event, "AgreementProposed", row, {
      actor: a.proposer,
      amount: a.proposerDeposit,
    });
  });

  onEvent(`${contractName}:AgreementAccepted`, async ({ event, context }) => {
    const { arbitrator, bond } = event.args as unknown as { arbitrator: string; bond: bigint };
    await updateAgreement(
      context.db,
      event,
      "AgreementAccepted",
      { state: stateKey("Accepted"), bond },
      {
        actor: arbitrator,
        amount: bond,
      },
    );
  });

  onEvent(`${contractName}:AgreementJoined`, async ({ event, context }) => {
    const { counterparty, deposit } = event.args as unknown as { counterparty: string; deposit: bigint };
    await updateAgreement(
      context.db,
      event,
      "AgreementJoined",
      { state: stateKey("Active"), counterpartyDeposit: deposit },
      { actor: counterparty, amount: deposit },
    );
  });

  onEvent(`${contractName}:AgreementCancelled`, async ({ event, context }) => {
    const { by, proposerRefund } = event.args as unknown as { by: string; proposerRefund: bigint };
    await updateAgreement(
      context.db,
      event,
      "AgreementCancelled",
      { state: stateKey("Cancelled") },
      {
        actor: by,
        amount: proposerRefund,
      },
    );
  });

  onEvent(`${contractName}:AgreementDisputed`, async ({ event, context }) => {
    const { by, rulingDeadline } = event.args as unknown as { by: string; rulingDeadline: bigint };
    await updateAgreement(
      context.db,
      event,
      "AgreementDisputed",
      { state: stateKey("Disputed"), disputedBy: lc(by), rulingDeadline },
      { actor: by },
    );
  });

  onEvent(`${contractName}:AgreementEvidence`, async ({ event, context }) => {
    const { party } = event.args as unknown as { party: string };
    await updateAgreement(context.db, event, "AgreementEvidence", {}, { actor: party });
  });

  onEvent(`${contractName}:AgreementRuled`, async ({ event, context }) => {
    const { arbitrator, proposerWins } = event.args as unknown as {
      arbitrator: string;
      proposerWins: boolean;
    };
    await updateAgreement(context.db, event, "AgreementRuled", { proposerWins }, { actor: arbitrator });
  });

  onEvent(`${contractName}:AgreementSettled`, async ({ event, context }) => {
    const { outcome, by, payout } = event.args as unknown as {
      outcome: number | bigint;
      by: string;
      payout: Payout;
    };
    const proposerPaid = payout.proposerPrincipal + payout.proposerEarnings;
    const counterpartyPaid = payout.counterpartyPrincipal + payout.counterpartyEarnings;
    const arbitratorPaid = payout.arbitratorPrincipal + payout.arbitratorEarnings;
    await updateAgreement(
      context.db,
      event,
      "AgreementSettled",
      {
        state: AgreementState.keyOf(outcome),
        proposerPaid,
        counterpartyPaid,
        arbitratorPaid,
        settledBy: lc(by),
      },
      { actor: by, amount: proposerPaid + counterpartyPaid + arbitratorPaid },
    );
  });
}

export { onEvent as onAgreementEvent };
