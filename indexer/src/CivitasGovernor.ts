/**
 * CivitasGovernor (stock OpenZeppelin Governor events, plus ProposalQuorumRecorded): proposals with their
 * actions, status, tallies and quorum, every vote, and the Governor's settings.
 */
import { governorState, proposal, timelockOperation, vote } from "ponder:schema";
import { encodeAbiParameters, keccak256, toBytes } from "viem";
import { on, onParameter } from "../lib/handler.ts";
import { isDeployed } from "../lib/deployment.ts";
import { type Db, type EventInfo, lc, upsert } from "../lib/store.ts";

async function updateSettings(
  db: Db,
  change:
    | Partial<typeof governorState.$inferInsert>
    | ((row: typeof governorState.$inferSelect) => Partial<typeof governorState.$inferInsert>),
): Promise<void> {
  const fresh: typeof governorState.$inferSelect = {
    id: "governor",
    votingDelay: null,
    votingPeriod: null,
    proposalThreshold: null,
    quorumNumerator: null,
    timelock: null,
    proposals: 0,
  };
  await upsert(db, governorState, fresh, typeof change === "function" ? change : () => change);
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
  on("CivitasGovernor:ProposalCreated", async ({ event, context }) => {
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
      quorum: null,
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

  on("CivitasGovernor:VoteCast", async ({ event, context }) => {
    await castVote(context.db, event, event.args);
  });

  on("CivitasGovernor:VoteCastWithParams", async ({ event, context }) => {
    await castVote(context.db, event, event.args);
  });

  on("CivitasGovernor:ProposalQuorumRecorded", async ({ event, context }) => {
    await context.db.update(proposal, { id: event.args.proposalId }).set({ quorum: event.args.quorum });
  });

  on("CivitasGovernor:ProposalQueued", async ({ event, context }) => {
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

  on("CivitasGovernor:ProposalExecuted", async ({ event, context }) => {
    await context.db
      .update(proposal, { id: event.args.proposalId })
      .set({ status: "executed", executedAt: event.block.timestamp });
  });

  on("CivitasGovernor:ProposalCanceled", async ({ event, context }) => {
    await context.db
      .update(proposal, { id: event.args.proposalId })
      .set({ status: "canceled", canceledAt: event.block.timestamp });
  });

  onParameter(
    "CivitasGovernor:VotingDelaySet",
    "CivitasGovernor",
    "votingDelay",
    (a) => [a.oldVotingDelay, a.newVotingDelay],
    (db, _event, value) => updateSettings(db, { votingDelay: value as never }),
  );

  onParameter(
    "CivitasGovernor:VotingPeriodSet",
    "CivitasGovernor",
    "votingPeriod",
    (a) => [a.oldVotingPeriod, a.newVotingPeriod],
    (db, _event, value) => updateSettings(db, { votingPeriod: value as never }),
  );

  onParameter(
    "CivitasGovernor:ProposalThresholdSet",
    "CivitasGovernor",
    "proposalThreshold",
    (a) => [a.oldProposalThreshold, a.newProposalThreshold],
    (db, _event, value) => updateSettings(db, { proposalThreshold: value as never }),
  );

  onParameter(
    "CivitasGovernor:QuorumNumeratorUpdated",
    "CivitasGovernor",
    "quorumNumerator",
    (a) => [a.oldQuorumNumerator, a.newQuorumNumerator],
    (db, _event, value) => updateSettings(db, { quorumNumerator: value as never }),
  );

  onParameter(
    "CivitasGovernor:TimelockChange",
    "CivitasGovernor",
    "timelock",
    (a) => [lc(a.oldTimelock), lc(a.newTimelock)],
    (db, _event, value) => updateSettings(db, { timelock: value as never }),
  );
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
