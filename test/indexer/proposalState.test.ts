/**
 * The indexer's proposal state (served by /proposals/:id/state) follows CivitasGovernor.state() from
 * indexed facts: pending until the snapshot, active until the deadline, then defeated, succeeded, queued,
 * expired, executed or canceled.
 */
import { expect } from "chai";
import { type ProposalFacts, QUEUE_GRACE_PERIOD, proposalState } from "../../indexer/lib/proposalState.ts";

const base: ProposalFacts = {
  voteStart: 1_000n,
  voteEnd: 2_000n,
  forVotes: 0n,
  againstVotes: 0n,
  abstainVotes: 0n,
  eta: null,
  executedAt: null,
  canceledAt: null,
};

describe("proposalState", function () {
  it("is pending up to and including the snapshot, active up to and including the deadline", function () {
    expect(proposalState(base, 10n, 999n)).to.equal("pending");
    expect(proposalState(base, 10n, 1_000n)).to.equal("pending");
    expect(proposalState(base, 10n, 1_001n)).to.equal("active");
    expect(proposalState(base, 10n, 2_000n)).to.equal("active");
  });

  it("is defeated without quorum or without more for than against votes", function () {
    expect(proposalState({ ...base, forVotes: 9n }, 10n, 2_001n)).to.equal("defeated");
    expect(proposalState({ ...base, forVotes: 10n, againstVotes: 10n }, 10n, 2_001n)).to.equal("defeated");
  });

  it("is defeated when nobody voted (no quorum recorded), whatever the clock", function () {
    expect(proposalState(base, null, 1_001n)).to.equal("active");
    expect(proposalState(base, null, 2_001n)).to.equal("defeated");
  });

  it("counts abstentions toward quorum but not toward success", function () {
    expect(proposalState({ ...base, forVotes: 1n, abstainVotes: 9n }, 10n, 2_001n)).to.equal("succeeded");
    expect(proposalState({ ...base, abstainVotes: 10n }, 10n, 2_001n)).to.equal("defeated");
  });

  it("expires when not queued within the grace period after the deadline", function () {
    const won = { ...base, forVotes: 10n };
    expect(proposalState(won, 10n, 2_000n + QUEUE_GRACE_PERIOD)).to.equal("succeeded");
    expect(proposalState(won, 10n, 2_001n + QUEUE_GRACE_PERIOD)).to.equal("expired");
    expect(proposalState({ ...won, eta: 5_000n }, 10n, 2_001n + QUEUE_GRACE_PERIOD)).to.equal("queued");
  });

  it("is executed or canceled whatever the clock says", function () {
    expect(proposalState({ ...base, eta: 5_000n, executedAt: 5_001n }, 10n, 0n)).to.equal("executed");
    expect(proposalState({ ...base, canceledAt: 500n }, 10n, 3_000n)).to.equal("canceled");
  });
});
