/**
 * AgentRegistry (ERC-8004 identity plus Civitas status, upkeep and reputation): agents, their wallets and
 * owners, status counters for the economy rows, reputation changes and lifecycle events.
 */
import { agent, agentEvent, reputationChange } from "ponder:schema";
import { on, onParameter } from "../lib/handler.ts";
import { AgentStatus, GrantOutcome } from "../../scripts/lib/vocabulary.ts";
import { ZERO_ADDRESS } from "../lib/classify.ts";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, lc, reasonText, updateAccount, updateTokenState } from "../lib/store.ts";

type AgentRow = typeof agent.$inferSelect;

/** The registry's status (IAgentRegistry.statusOf) of an agent's flags, snake case. */
const statusOf = (suspended: boolean, starved: boolean) =>
  AgentStatus.keyOf(
    AgentStatus.valueOf(
      suspended ? (starved ? "SuspendedAndStarved" : "Suspended") : starved ? "Starved" : "Active",
    ),
  );

/** Applies a change of an agent's flags, and keeps the token state's agent counters in step. */
async function setFlags(
  db: Db,
  event: EventInfo,
  id: bigint,
  flags: { suspended?: boolean; starved?: boolean },
) {
  const found = await db.find(agent, { id });
  if (found === null) throw new Error(`agent ${id} is not indexed`);
  // A copy: Ponder's store cache hands out its own row object, which the update below changes in place.
  const row = { suspended: found.suspended, starved: found.starved, starvedAt: found.starvedAt };
  const suspended = flags.suspended ?? row.suspended;
  const starved = flags.starved ?? row.starved;
  await db.update(agent, { id }).set({
    suspended,
    starved,
    status: statusOf(suspended, starved),
    starvedAt: starved && !row.starved ? event.block.timestamp : starved ? row.starvedAt : null,
    updatedAt: event.block.timestamp,
  });
  const active = (s: boolean, t: boolean) => (!s && !t ? 1 : 0);
  await updateTokenState(db, event, (state) => ({
    activeAgents: state.activeAgents + active(suspended, starved) - active(row.suspended, row.starved),
    suspendedAgents: state.suspendedAgents + Number(suspended) - Number(row.suspended),
    starvedAgents: state.starvedAgents + Number(starved) - Number(row.starved),
  }));
}

async function logAgentEvent(
  db: Db,
  event: EventInfo,
  agentId: bigint,
  kind: string,
  extra: { actor?: string; amount?: bigint; reason?: string } = {},
) {
  await db.insert(agentEvent).values({
    id: event.id,
    agentId,
    kind,
    actor: extra.actor === undefined ? null : lc(extra.actor),
    amount: extra.amount ?? null,
    reason: extra.reason ?? null,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    timestamp: event.block.timestamp,
  });
}

if (isDeployed("registry")) {
  on("AgentRegistry:AgentRegistered", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    const row: AgentRow = {
      id: a.agentId,
      wallet: lc(a.wallet),
      owner: lc(a.owner),
      uri: a.agentURI,
      status: AgentStatus.keyOf(AgentStatus.valueOf("Active")),
      suspended: false,
      starved: false,
      reputation: 0n,
      grant: a.grant,
      grantOutcome: GrantOutcome.keyOf(a.grantOutcome),
      upkeepBurned: 0n,
      lastCollectedAt: BigInt(a.lastCollectedAt),
      registeredAt: event.block.timestamp,
      registeredAtBlock: event.block.number,
      registeredAtTransaction: event.transaction.hash,
      starvedAt: null,
      updatedAt: event.block.timestamp,
    };
    await db.insert(agent).values(row);
    await updateTokenState(db, event, (state) => ({ activeAgents: state.activeAgents + 1 }));
    await logAgentEvent(db, event, a.agentId, "registered", { actor: a.owner, amount: a.grant });
  });

  on("AgentRegistry:AgentWalletChanged", async ({ event, context }) => {
    const db = context.db;
    const { agentId, newWallet, by } = event.args;
    await db.update(agent, { id: agentId }).set({
      wallet: lc(newWallet) === ZERO_ADDRESS ? null : lc(newWallet),
      updatedAt: event.block.timestamp,
    });
    await logAgentEvent(db, event, agentId, "wallet", { actor: by });
  });

  // The agent a wallet acts for (`agentIdOf`): its first agent still holding it, not every agent listing it.
  on("AgentRegistry:WalletAgentChanged", async ({ event, context }) => {
    const { wallet, newAgentId } = event.args;
    await updateAccount(context.db, wallet, event, () => ({
      agentId: newAgentId === 0n ? null : newAgentId,
    }));
  });

  on("AgentRegistry:WalletRecordInherited", async ({ event, context }) => {
    const db = context.db;
    const { agentId, wallet, fromAgentId, suspended, starved, score } = event.args;
    await db.update(agent, { id: agentId }).set({ reputation: score, updatedAt: event.block.timestamp });
    await setFlags(db, event, agentId, { suspended, starved });
    await logAgentEvent(db, event, agentId, "inherited", {
      actor: wallet,
      reason: `record of agent ${fromAgentId}`,
    });
  });

  on("AgentRegistry:DebtSettled", async ({ event, context }) => {
    const db = context.db;
    const { agentId, debt, by, lastCollectedAt } = event.args;
    await db.update(agent, { id: agentId }).set({ lastCollectedAt: BigInt(lastCollectedAt) });
    await setFlags(db, event, agentId, { starved: false });
    await logAgentEvent(db, event, agentId, "debt_settled", { actor: by, amount: debt });
  });

  on("AgentRegistry:Transfer", async ({ event, context }) => {
    // The identity NFT: its owner. (Its mint precedes AgentRegistered, which creates the row.)
    const { from, to, tokenId } = event.args;
    if (lc(from) === ZERO_ADDRESS) return;
    await context.db.update(agent, { id: tokenId }).set({ owner: lc(to), updatedAt: event.block.timestamp });
  });

  on("AgentRegistry:URIUpdated", async ({ event, context }) => {
    await context.db
      .update(agent, { id: event.args.agentId })
      .set({ uri: event.args.newURI, updatedAt: event.block.timestamp });
  });

  on("AgentRegistry:UpkeepCollected", async ({ event, context }) => {
    const db = context.db;
    const { agentId, burned, lastCollectedAt, starved } = event.args;
    await db.update(agent, { id: agentId }).set((row) => ({
      upkeepBurned: row.upkeepBurned + burned,
      lastCollectedAt: BigInt(lastCollectedAt),
      updatedAt: event.block.timestamp,
    }));
    if (starved) await setFlags(db, event, agentId, { starved: true });
    await logAgentEvent(db, event, agentId, starved ? "starved" : "upkeep", { amount: burned });
  });

  on("AgentRegistry:AgentRevived", async ({ event, context }) => {
    const db = context.db;
    const { agentId, by, reason, lastCollectedAt } = event.args;
    await db.update(agent, { id: agentId }).set({ lastCollectedAt: BigInt(lastCollectedAt) });
    await setFlags(db, event, agentId, { starved: false });
    await logAgentEvent(db, event, agentId, "revived", { actor: by, reason });
  });

  on("AgentRegistry:AgentSuspended", async ({ event, context }) => {
    const db = context.db;
    const { agentId, by, reason } = event.args;
    await setFlags(db, event, agentId, { suspended: true });
    await logAgentEvent(db, event, agentId, "suspended", { actor: by, reason });
  });

  on("AgentRegistry:AgentUnsuspended", async ({ event, context }) => {
    const db = context.db;
    const { agentId, by, reason, lastCollectedAt } = event.args;
    await db.update(agent, { id: agentId }).set({ lastCollectedAt: BigInt(lastCollectedAt) });
    await setFlags(db, event, agentId, { suspended: false });
    await logAgentEvent(db, event, agentId, "unsuspended", { actor: by, reason });
  });

  on("AgentRegistry:ReputationChanged", async ({ event, context }) => {
    const db = context.db;
    const a = event.args;
    await db.insert(reputationChange).values({
      id: event.id,
      agentId: a.agentId,
      wallet: lc(a.wallet),
      reporter: lc(a.reporter),
      requestedDelta: a.requestedDelta,
      delta: a.appliedDelta,
      newScore: a.newScore,
      reason: a.reason,
      reasonText: reasonText(a.reason),
      ref: a.ref,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await db
      .update(agent, { id: a.agentId })
      .set({ reputation: a.newScore, updatedAt: event.block.timestamp });
  });

  onParameter("AgentRegistry:BirthGrantUpdated", "AgentRegistry", "birthGrant", (a) => [
    a.oldBirthGrant,
    a.newBirthGrant,
  ]);

  onParameter("AgentRegistry:UpkeepPerDayUpdated", "AgentRegistry", "upkeepPerDay", (a) => [
    a.oldUpkeepPerDay,
    a.newUpkeepPerDay,
  ]);
}
