import { expect } from "chai";
import { orderQueue } from "../../scripts/tools/review-queue.ts";

/**
 * `review_queue`'s order (issue 17, attention): the current attention winner's work first and marked, then
 * the rest oldest first. The queue read from GraphQL (completed jobs and accepted tasks not yet reviewed) is
 * tested end to end in test/indexer/TaskBoard.e2e.test.ts.
 */
describe("review queue: the attention winner's work first", function () {
  const work = (kind: "escrow_job" | "task", ref: string, agentId: string, completedAt: string) => ({
    kind,
    ref,
    agentId,
    agent: "0x0000000000000000000000000000000000000001",
    amountWei: "0",
    amountCiv: "0",
    deliverableURI: null,
    completedAt,
    completedAtIso: null,
  });
  const items = [
    work("task", "3", "7", "300"),
    work("escrow_job", "1", "5", "100"),
    work("escrow_job", "2", "7", "400"),
    work("task", "1", "9", "100"),
  ];

  it("puts the winner's work first (oldest first among it), then the rest oldest first", function () {
    const queue = orderQueue(items, "7");
    expect(queue.map((w) => `${w.kind}:${w.ref}:${w.attention}`)).to.deep.equal([
      "task:3:true",
      "escrow_job:2:true",
      "escrow_job:1:false",
      "task:1:false",
    ]);
  });

  it("without a winner, orders by age only and marks nothing", function () {
    const queue = orderQueue(items, null);
    expect(queue.map((w) => `${w.kind}:${w.ref}`)).to.deep.equal([
      "escrow_job:1",
      "task:1",
      "task:3",
      "escrow_job:2",
    ]);
    expect(queue.some((w) => w.attention)).to.equal(false);
    // A winner with no work waiting changes nothing but the marks.
    expect(orderQueue(items, "42").map((w) => w.ref)).to.deep.equal(queue.map((w) => w.ref));
  });
});
