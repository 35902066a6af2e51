/**
 * Treasury: budgets, and the reason of each outflow (governance transfer or budget draw). CIV flows
 * themselves are recorded from the token's Transfer legs (src/CivitasToken.ts); flows of other tokens
 * are recorded here from the Treasury's events.
 */
import { budget, transfer, treasuryFlow, txLegs } from "ponder:schema";
import { on } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, getTokenState, lc } from "../lib/store.ts";

/**
 * Labels the CIV outflow of this transaction that paid `to` (the latest leg from the Treasury to it), or
 * records the flow when the token is not CIV.
 */
async function labelOutflow(
  db: Db,
  event: EventInfo,
  token: string,
  to: string,
  amount: bigint,
  kind: "transfer" | "draw",
  spender: `0x${string}` | null,
): Promise<void> {
  const state = await getTokenState(db, event);
  if (lc(token) !== state.address) {
    await db.insert(treasuryFlow).values({
      id: event.id,
      token: lc(token),
      direction: "out",
      kind,
      counterparty: lc(to),
      spender,
      amount,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    return;
  }
  const ids = (await db.find(txLegs, { transactionHash: event.transaction.hash }))?.ids ?? [];
  for (const id of [...ids].reverse()) {
    const leg = await db.find(transfer, { id });
    if (leg !== null && leg.from === state.treasury && leg.to === lc(to)) {
      await db.update(treasuryFlow, { id }).set({ kind, spender });
      return;
    }
  }
  // The whole amount was redirected back to the Treasury by the cap: nothing left it.
}

if (isDeployed("treasury")) {
  on("Treasury:FundsTransferred", async ({ event, context }) => {
    const { token, to, amount } = event.args;
    await labelOutflow(context.db, event, token, to, amount, "transfer", null);
  });

  on("Treasury:BudgetSet", async ({ event, context }) => {
    const { spender, token, newBudget } = event.args;
    await context.db
      .insert(budget)
      .values({
        spender: lc(spender),
        token: lc(token),
        remaining: newBudget,
        totalDrawn: 0n,
        updatedAt: event.block.timestamp,
      })
      .onConflictDoUpdate({ remaining: newBudget, updatedAt: event.block.timestamp });
  });

  on("Treasury:BudgetDrawn", async ({ event, context }) => {
    const { spender, token, to, amount, remaining } = event.args;
    await context.db
      .insert(budget)
      .values({
        spender: lc(spender),
        token: lc(token),
        remaining,
        totalDrawn: amount,
        updatedAt: event.block.timestamp,
      })
      .onConflictDoUpdate((row) => ({
        remaining,
        totalDrawn: row.totalDrawn + amount,
        updatedAt: event.block.timestamp,
      }));
    await labelOutflow(context.db, event, token, to, amount, "draw", lc(spender));
  });
}
