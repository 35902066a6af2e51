/**
 * CivitasToken: balances (from Transfer legs, exact to the wei), transfer history with its kind, tax and
 * cap excess, token votes and delegates, parameters, circulating-supply snapshots, and the economy rows.
 */
import { circulatingSnapshot, transfer, treasuryFlow, txLegs } from "ponder:schema";
import { on, onParameter } from "../lib/handler.ts";
import { type Summary, ZERO_ADDRESS, classifyLeg, matchLegs, summaryLegs } from "../lib/classify.ts";
import {
  type Db,
  type EventInfo,
  findAccount,
  getTokenState,
  lc,
  recordParameter,
  updateAccount,
  updateTokenState,
} from "../lib/store.ts";

on("CivitasToken:Transfer", async ({ event, context }) => {
  const db = context.db;
  const state = await getTokenState(db, event);
  const from = lc(event.args.from);
  const to = lc(event.args.to);
  const value = event.args.value;
  // The balances first: the rows as written tell whether either side is a protocol account (a balance
  // change never changes that), without looking the two accounts up a second time.
  const fromRow = await updateAccount(db, from, event, (row) => ({ balance: row.balance - value }));
  const toRow = await updateAccount(db, to, event, (row) => ({ balance: row.balance + value }));
  const protocol = new Set([state.treasury]);
  if (fromRow?.isProtocol) protocol.add(from);
  if (toRow?.isProtocol) protocol.add(to);
  const kind = classifyLeg({ from, to, treasury: state.treasury, isProtocol: (a) => protocol.has(lc(a)) });

  await db.insert(transfer).values({
    id: event.id,
    from,
    to,
    amount: value,
    gross: value,
    tax: 0n,
    net: value,
    kind,
    parentId: event.id,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
  });
  if (kind !== "mint" && kind !== "burn") {
    await db
      .insert(txLegs)
      .values({ transactionHash: event.transaction.hash, ids: [event.id] })
      .onConflictDoUpdate((row) => ({ ids: [...row.ids, event.id] }));
  }

  // Treasury flows: CIV in and out (a cap excess of the Treasury's own grant stays in it: no flow).
  if (from !== to && (to === state.treasury || from === state.treasury)) {
    const inflow = to === state.treasury;
    await db.insert(treasuryFlow).values({
      id: event.id,
      token: state.address,
      direction: inflow ? "in" : "out",
      kind: inflow ? (kind === "mint" ? "mint" : kind) : kind === "burn" ? "burn" : "grant",
      counterparty: inflow ? from : to,
      spender: null,
      amount: value,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
  }

  await updateTokenState(
    db,
    event,
    (row) =>
      from === ZERO_ADDRESS
        ? { totalSupply: row.totalSupply + value, totalMinted: row.totalMinted + value }
        : to === ZERO_ADDRESS
          ? { totalSupply: row.totalSupply - value, totalBurned: row.totalBurned + value }
          : {},
    { transfers: 1 },
  );
});

/** Re-labels the legs a summary event closes, and returns the operation's tax and cap excess. */
async function settle(db: Db, event: EventInfo, summary: Summary): Promise<void> {
  const state = await getTokenState(db, event);
  const payee = summary.type === "EarningsPaid" ? await findAccount(db, summary.payee) : undefined;
  const { legs, operation } = summaryLegs(summary, state.treasury, (a) =>
    lc(a) === state.treasury ? true : lc(a) === lc(payee?.address ?? "") && (payee?.isProtocol ?? false),
  );
  const tx = await db.find(txLegs, { transactionHash: event.transaction.hash });
  const ids = (tx?.ids ?? []).slice(-legs.length);
  const rows = [];
  for (const id of ids) {
    const row = await db.find(transfer, { id });
    if (row === null) throw new Error(`transfer ${id} listed in ${event.transaction.hash} is missing`);
    rows.push(row);
  }
  const matched = matchLegs(rows, legs);
  const main = rows[matched[legs.findIndex((l) => l.main)] ?? -1];
  const operationId = main?.id ?? rows[matched[0]!]!.id;
  for (const [i, leg] of legs.entries()) {
    const row = rows[matched[i]!]!;
    await db.update(transfer, { id: row.id }).set(
      leg.main
        ? {
            kind: leg.kind,
            gross: operation.gross,
            tax: operation.tax,
            net: operation.net,
            parentId: operationId,
          }
        : { kind: leg.kind, parentId: operationId },
    );
    if (row.to === state.treasury && row.from !== state.treasury) {
      await db.update(treasuryFlow, { id: row.id }).set({ kind: leg.kind });
    }
  }
}

on("CivitasToken:TaxCharged", async ({ event, context }) => {
  const db = context.db;
  const { from, to, gross, tax } = event.args;
  await settle(db, event, { type: "TaxCharged", from, to, gross, tax });
  await updateAccount(db, from, event, (row) => ({ totalSpent: row.totalSpent + gross }));
  await updateAccount(db, to, event, (row) => ({
    totalEarned: row.totalEarned + gross,
    taxPaid: row.taxPaid + tax,
  }));
  await updateTokenState(db, event, (row) => ({ totalTax: row.totalTax + tax }));
});

on("CivitasToken:EarningsPaid", async ({ event, context }) => {
  const db = context.db;
  const { payer, payee, gross, tax, capExcess } = event.args;
  await settle(db, event, { type: "EarningsPaid", payer, payee, gross, tax, capExcess });
  await updateAccount(db, payee, event, (row) => ({
    totalEarned: row.totalEarned + gross,
    taxPaid: row.taxPaid + tax,
  }));
  await updateTokenState(db, event, (row) => ({
    totalTax: row.totalTax + tax,
    totalCapExcess: row.totalCapExcess + capExcess,
  }));
});

on("CivitasToken:CapExcessRedirected", async ({ event, context }) => {
  const db = context.db;
  const { from, account, amount, excess } = event.args;
  await settle(db, event, { type: "CapExcessRedirected", from, account, amount, excess });
  await updateTokenState(db, event, (row) => ({ totalCapExcess: row.totalCapExcess + excess }));
});

on("CivitasToken:UpkeepBurned", async ({ event, context }) => {
  const db = context.db;
  const { account, amount } = event.args;
  await updateAccount(db, account, event, (row) => ({ burned: row.burned + amount }));
  await updateTokenState(db, event, (row) => ({ totalUpkeepBurned: row.totalUpkeepBurned + amount }));
});

on("CivitasToken:DelegateChanged", async ({ event, context }) => {
  const toDelegate = lc(event.args.toDelegate);
  await updateAccount(context.db, event.args.delegator, event, () => ({ delegate: toDelegate }));
});

on("CivitasToken:DelegateVotesChanged", async ({ event, context }) => {
  await updateAccount(context.db, event.args.delegate, event, () => ({ votes: event.args.newVotes }));
});

on("CivitasToken:ProtocolAccountSet", async ({ event, context }) => {
  await updateAccount(context.db, event.args.account, event, () => ({ isProtocol: event.args.isProtocol }));
  await recordParameter(
    context.db,
    event,
    "CivitasToken",
    `protocolAccount:${lc(event.args.account)}`,
    undefined,
    event.args.isProtocol,
  );
});

onParameter(
  "CivitasToken:TaxBpsUpdated",
  "CivitasToken",
  "taxBps",
  (a) => [a.oldTaxBps, a.newTaxBps],
  (db, event) => updateTokenState(db, event, () => ({ taxBps: event.args.newTaxBps })),
);

onParameter(
  "CivitasToken:CapBpsUpdated",
  "CivitasToken",
  "capBps",
  (a) => [a.oldCapBps, a.newCapBps],
  (db, event) => updateTokenState(db, event, () => ({ capBps: event.args.newCapBps })),
);

onParameter(
  "CivitasToken:StakeLedgerUpdated",
  "CivitasToken",
  "stakeLedger",
  (a) => [lc(a.oldStakeLedger), lc(a.newStakeLedger)],
  (db, event) => {
    const ledger = lc(event.args.newStakeLedger);
    return updateTokenState(db, event, () => ({ stakeLedger: ledger === ZERO_ADDRESS ? null : ledger }));
  },
);

on("CivitasToken:CirculatingSnapshotScheduled", async ({ event, context }) => {
  await context.db
    .insert(circulatingSnapshot)
    .values({ timepoint: event.args.timepoint, scheduledAt: event.block.timestamp })
    .onConflictDoNothing();
});

on("CivitasToken:CirculatingSnapshotRecorded", async ({ event, context }) => {
  await context.db
    .insert(circulatingSnapshot)
    .values({
      timepoint: event.args.timepoint,
      circulatingSupply: event.args.circulatingSupply,
      recordedAt: event.block.timestamp,
    })
    .onConflictDoUpdate({
      circulatingSupply: event.args.circulatingSupply,
      recordedAt: event.block.timestamp,
    });
});
