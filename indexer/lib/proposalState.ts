/**
 * A proposal's state at a given time, from indexed facts only (no chain call): the clock-derived states
 * (active, defeated, succeeded, expired) follow CivitasGovernor.state(), i.e. OpenZeppelin's Governor with
 * GovernorTimelockControl plus the {QUEUE_GRACE_PERIOD} expiry.
 */
import { CONSTANTS, ProposalState, type ProposalStateKey } from "../../scripts/lib/vocabulary.ts";

/** OpenZeppelin's IGovernor.ProposalState, in order, snake case. */
export const PROPOSAL_STATES = ProposalState.keys;
export type ProposalStateName = ProposalStateKey;

/** CivitasGovernor.QUEUE_GRACE_PERIOD: a succeeded proposal not queued within it expires, seconds. */
export const QUEUE_GRACE_PERIOD = CONSTANTS.CivitasGovernor.QUEUE_GRACE_PERIOD;

export interface ProposalFacts {
  voteStart: bigint;
  voteEnd: bigint;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  eta: bigint | null;
  executedAt: bigint | null;
  canceledAt: bigint | null;
}

/**
 * @param p The proposal's indexed facts.
 * @param quorum Votes needed, as the Governor recorded it with the proposal's first vote
 *   (ProposalQuorumRecorded); null when nobody voted, whose tally of 0 is below any quorum (at least
 *   CivitasGovernor.MIN_QUORUM_FLOOR).
 * @param now The time to evaluate at (block time of the latest indexed block), seconds.
 */
export function proposalState(p: ProposalFacts, quorum: bigint | null, now: bigint): ProposalStateName {
  if (p.executedAt !== null) return "executed";
  if (p.canceledAt !== null) return "canceled";
  if (p.voteStart >= now) return "pending";
  if (p.voteEnd >= now) return "active";
  const quorumReached = quorum !== null && quorum <= p.forVotes + p.abstainVotes;
  if (!quorumReached || p.forVotes <= p.againstVotes) return "defeated";
  if (p.eta === null) return now > p.voteEnd + QUEUE_GRACE_PERIOD ? "expired" : "succeeded";
  return "queued";
}
