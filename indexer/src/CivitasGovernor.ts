/**
 * CivitasGovernor (stock OpenZeppelin Governor events): proposals with their actions, status and tallies,
 * every vote, and the Governor's settings.
 */
import { ponder } from "ponder:registry";
import { governorState, proposal, timelockOperation, vote } from "ponder:schema";
import { encodeAbiParameters, keccak256, toBytes } from "viem";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, lc, recordParameter, rollDay } from "../lib/store.ts";

/**
 * Records a Governor setting change: rolls the economy day, stores the new value on the governor's state
 * row and appends the old and new values to the parameter history.
 */
async function settingChanged<
  K extends "votingDelay" | "votingPeriod" | "proposalThreshold" | "quorumNumerator" | "timelock",
>(
  db: Db,
  event: EventInfo,
  key: K,
  oldValue: NonNullable<(typeof governorState.$inferInsert)[K]>,
  newValue: NonNullable<(typeof governorState.$inferInsert)[K]>,
): Promise<void> {
  await rollDay(db, event);
  await updateSettings(db, { [key]: newValue } as Partial<typeof governorState.$inferInsert>);
  await recordParameter(db, event, "CivitasGovernor", key, oldValue, newValue);
}

async function updateSettings(
  db: Db,
  change:
    | Partial<typeof governorState.$inferInsert>
    | ((row: typeof governorState.$inferSelect) => Partial<typeof governorState.$inferInsert>),
): Promise<void> {
  const existing = await db.find(governorState, { id: "governor" });
  if (existing === null) {
    const base = {
      id: "governor",
      votingDelay: null,
      votingPeriod: null,
      proposalThreshold: null,
      quorumNumerator: null,
      timelock: null,
      proposals: 0,
    };
    await db
      .insert(governorState)
      .values({ ...base, ...(typeof change === "function" ? change(base) : change) });
  } else {
    await db
      .update(governorState, { id: "governor" })
      .set(typeof change === "function" ? change(existing) : change);
  }
}

async function castVote(
  db: Db,
  event: EventInfo,
  args: {
    voter: string;
    proposalId: bigint;
    support: number;
    weight: bigint;
    reason: string;
    params?: `0x${string}`;
  },
): Promise<void> {
  await rollDay(db, event);
  await db.insert(vote).values({
    id: event.id,
    proposalId: args.proposalId,
    voter: lc(args.voter),
    support: args.support,
    weight: args.weight,
    reason: args.reason,
    params: args.params ?? null,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    timestamp: event.block.timestamp,
  });
  await db.update(proposal, { id: args.proposalId }).set((row) => ({
    forVotes: row.forVotes + (args.support === 1 ? args.weight : 0n),
    againstVotes: row.againstVotes + (args.support === 0 ? args.weight : 0n),
    abstainVotes: row.abstainVotes + (args.support === 2 ? args.weight : 0n),
    voters: row.voters + 1,
  }));
}

if (isDeployed("governor")) {
  ponder.on("CivitasGovernor:ProposalCreated", async ({ event, context }) => {
    await rollDay(context.db, event);
    const a = event.args;
    await context.db.insert(proposal).values({
      id: a.proposalId,
      proposer: lc(a.proposer),
      targets: a.targets.map(lc),
      values: [...a.values],
      signatures: [...a.signatures],
      calldatas: [...a.calldatas],
      description: a.description,
      voteStart: a.voteStart,
      voteEnd: a.voteEnd,
      status: "pending",
      forVotes: 0n,
      againstVotes: 0n,
      abstainVotes: 0n,
      voters: 0,
      eta: null,
      createdAt: event.block.timestamp,
      createdAtBlock: event.block.number,
      createdAtTransaction: event.transaction.hash,
      queuedAt: null,
      executedAt: null,
      canceledAt: null,
    });
    await updateSettings(context.db, (row) => ({ proposals: row.proposals + 1 }));
  });

  ponder.on("CivitasGovernor:VoteCast", async ({ event, context }) => {
    await castVote(context.db, event, event.args);
  });

  ponder.on("CivitasGovernor:VoteCastWithParams", async ({ event, context }) => {
    await castVote(context.db, event, event.args);
  });

  ponder.on("CivitasGovernor:ProposalQueued", async ({ event, context }) => {
    await rollDay(context.db, event);
    const row = await context.db
      .update(proposal, { id: event.args.proposalId })
      .set({ status: "queued", eta: event.args.etaSeconds, queuedAt: event.block.timestamp });
    // The timelock operation it queued, so that a guardian's veto (src/CivitasTimelock.ts) finds it.
    await context.db
      .insert(timelockOperation)
      .values({
        id: timelockOperationId(event.log.address, row),
        proposalId: event.args.proposalId,
        queuedAt: event.block.timestamp,
        cancelledAt: null,
        cancelledBy: null,
        cancelledInTransaction: null,
      })
      .onConflictDoUpdate({ proposalId: event.args.proposalId, queuedAt: event.block.timestamp });
  });

  ponder.on("CivitasGovernor:ProposalExecuted", async ({ event, context }) => {
    await rollDay(context.db, event);
    await context.db
      .update(proposal, { id: event.args.proposalId })
      .set({ status: "executed", executedAt: event.block.timestamp });
  });

  ponder.on("CivitasGovernor:ProposalCanceled", async ({ event, context }) => {
    await rollDay(context.db, event);
    await context.db
      .update(proposal, { id: event.args.proposalId })
      .set({ status: "canceled", canceledAt: event.block.timestamp });
  });

  ponder.on("CivitasGovernor:VotingDelaySet", async ({ event, context }) => {
    await settingChanged(
      context.db,
      event,
      "votingDelay",
      event.args.oldVotingDelay,
      event.args.newVotingDelay,
    );
  });

  ponder.on("CivitasGovernor:VotingPeriodSet", async ({ event, context }) => {
    await settingChanged(
      context.db,
      event,
      "votingPeriod",
      event.args.oldVotingPeriod,
      event.args.newVotingPeriod,
    );
  });

  ponder.on("CivitasGovernor:ProposalThresholdSet", async ({ event, context }) => {
    await settingChanged(
      context.db,
      event,
      "proposalThreshold",
      event.args.oldProposalThreshold,
      event.args.newProposalThreshold,
    );
  });

  ponder.on("CivitasGovernor:QuorumNumeratorUpdated", async ({ event, context }) => {
    await settingChanged(
      context.db,
      event,
      "quorumNumerator",
      event.args.oldQuorumNumerator,
      event.args.newQuorumNumerator,
    );
  });

  ponder.on("CivitasGovernor:TimelockChange", async ({ event, context }) => {
    await settingChanged(
      context.db,
      event,
      "timelock",
      lc(event.args.oldTimelock),
      lc(event.args.newTimelock),
    );
  });
}

/**
 * The timelock operation id of a queued proposal, as GovernorTimelockControl computes it:
 * `hashOperationBatch(targets, values, calldatas, 0, salt)` with `salt = bytes20(governor) ^ descriptionHash`.
 */
function timelockOperationId(
  governor: `0x${string}`,
  p: {
    targets: readonly string[];
    values: readonly bigint[];
    calldatas: readonly string[];
    description: string;
  },
): `0x${string}` {
  const salt = (BigInt(governor) << 96n) ^ BigInt(keccak256(toBytes(p.description)));
  return keccak256(
    encodeAbiParameters(
      [
        { type: "address[]" },
        { type: "uint256[]" },
        { type: "bytes[]" },
        { type: "bytes32" },
        { type: "bytes32" },
      ],
      [
        p.targets as `0x${string}`[],
        [...p.values],
        p.calldatas as `0x${string}`[],
        `0x${"0".repeat(64)}`,
        `0x${salt.toString(16).padStart(64, "0")}`,
      ],
    ),
  );
}
