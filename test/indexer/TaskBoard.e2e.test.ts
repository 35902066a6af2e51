/**
 * City tasks end to end: a devnet, the protocol deployed (scripts/deploy.ts: devnet account 18 is the city
 * clerk, the board's reviewer), tasks driven through every ending (accepted, rejected, cancelled, expired
 * after a missed deadline) and left open, taken and delivered; then the indexer on a throwaway PGlite
 * folder: every `task` row equals `TaskBoard.task(id)`, each task's `task_event` history is its events in
 * order, `task_agent_epoch` equals `takenByAgent`, the board's settings are in `parameter_change`; and
 * `civitas task list` / `task show` read the same rows through GraphQL.
 */
import { expect } from "chai";
import { Contract } from "ethers";
import { execFile } from "node:child_process";
import { join } from "node:path";
import * as abis from "../../generated/abis.ts";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";
import { type Devnet, QUIET_ENV } from "../../scripts/lib/devnet.ts";
import { TaskState } from "../../scripts/lib/vocabulary.ts";
import { allRows, chainClients, indexedProtocol, send } from "./helpers.ts";

const CIV = 10n ** 18n;
const HOUR = 3_600;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ZERO_HASH = `0x${"0".repeat(64)}`;
/** Devnet account 18: the reviewer the localhost parameters appoint (the simulation's city clerk). */
const CLERK_INDEX = 18;
const lower = (a: string) => a.toLowerCase();

/** Runs `civitas <args>` against this test's devnet and indexer; resolves with its exit code and output. */
function cli(
  devnet: Devnet,
  deploymentsDir: string,
  graphqlUrl: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        join(REPO_ROOT, "scripts", "cli", "index.ts"),
        "--rpc",
        devnet.rpcUrl,
        "--deployments",
        deploymentsDir,
        "--graphql",
        graphqlUrl,
        ...args,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, ...QUIET_ENV, CIVITAS_PRIVATE_KEY: "" }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("Indexer: city tasks (end to end)", function () {
  this.timeout(900_000);
  const chain = indexedProtocol("tasks");

  it("indexes every task, its history and each agent's takings per epoch exactly", async function () {
    const { provider, signers, registry } = await chainClients(chain.devnet.rpcUrl, chain.deployment);
    const { deployment, devnet, deploymentsDir } = chain;
    const [, alice, bob, carol] = signers;
    const clerk = await provider.getSigner(CLERK_INDEX);
    const board = new Contract(deployment.contracts.taskBoard!, abis.taskBoardAbi as never, clerk) as any;
    const as = (signer: unknown) => board.connect(signer) as any;
    for (const agent of [alice!, bob!, carol!])
      await send((registry!.connect(agent) as any)["register(string)"](`ipfs://agent/${agent.address}`));

    const post = async (reward: bigint, terms: string) => {
      await send(board.postTask(reward, HOUR, ZERO_ADDRESS, terms));
      return (await board.taskCount()) as bigint;
    };
    const accepted = await post(100n * CIV, "ipfs://tasks/accepted");
    const rejected = await post(200n * CIV, "ipfs://tasks/rejected");
    const cancelled = await post(50n * CIV, "ipfs://tasks/cancelled");
    const missed = await post(75n * CIV, "ipfs://tasks/missed");
    const open = await post(10n * CIV, "ipfs://tasks/open");
    const delivered = await post(20n * CIV, "ipfs://tasks/delivered");

    await send(as(alice).takeTask(accepted));
    await send(as(alice).deliver(accepted, "ipfs://work/accepted", ZERO_HASH));
    await send(board.accept(accepted));
    await send(as(bob).takeTask(rejected));
    await send(as(bob).deliver(rejected, "ipfs://work/rejected", ZERO_HASH));
    await send(board.reject(rejected, "poor work"));
    await send(board.cancel(cancelled));
    await send(as(carol).takeTask(missed));
    await send(as(bob).takeTask(delivered));
    await send(as(bob).deliver(delivered, "ipfs://work/delivered", ZERO_HASH));
    // The missed task's delivery deadline passes (one block: Ponder reads multi-block mines as reorgs).
    await provider.send("evm_increaseTime", [HOUR + 1]);
    await provider.send("evm_mine", []);
    await send(as(alice).expire(missed));

    const indexer = await chain.index();
    const url = indexer.graphqlUrl;

    // Tasks: as the board holds them.
    const rows = await allRows(
      url,
      "tasks",
      "id state reviewer validator reward duration openUntil deadline drawn termsURI taker takerId epoch deliverableURI requestHash acceptedBy tax capExcess rejectReason missed closedAt",
    );
    expect(rows.map((r) => r.id)).to.deep.equal(
      [accepted, rejected, cancelled, missed, open, delivered].map(String),
    );
    for (const row of rows) {
      const t = await board.task(BigInt(row.id));
      expect(row, `task ${row.id}`).to.deep.include({
        state: TaskState.keyOf(t.state),
        reviewer: lower(t.reviewer),
        validator: t.validator === ZERO_ADDRESS ? null : lower(t.validator),
        reward: t.reward.toString(),
        duration: t.duration.toString(),
        deadline: t.deadline.toString(),
        taker: t.taker === ZERO_ADDRESS ? null : lower(t.taker),
        takerId: t.takerId === 0n ? null : t.takerId.toString(),
        requestHash: t.requestHash === ZERO_HASH ? null : t.requestHash,
      });
      expect(row.reviewer).to.equal(lower(clerk.address));
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(String(accepted))).to.deep.include({
      state: "accepted",
      deliverableURI: "ipfs://work/accepted",
      acceptedBy: lower(clerk.address),
      termsURI: "ipfs://tasks/accepted",
    });
    const [paid] = await board.queryFilter(board.filters.TaskAccepted(accepted));
    expect(byId.get(String(accepted))).to.deep.include({
      tax: paid.args.tax.toString(),
      capExcess: paid.args.capExcess.toString(),
    });
    expect(byId.get(String(rejected))).to.deep.include({ state: "rejected", rejectReason: "poor work" });
    expect(byId.get(String(missed))).to.deep.include({ state: "expired", missed: true });
    expect(byId.get(String(cancelled))).to.deep.include({ state: "cancelled", taker: null });
    expect(byId.get(String(open))).to.deep.include({ state: "open" });
    expect(byId.get(String(delivered))).to.deep.include({ state: "delivered" });
    // Draws: the Treasury budget paid every reward (the board held nothing unreserved at each post).
    const draws = (await board.queryFilter(board.filters.TaskPosted())).map((l: any) => l.args.drawn);
    expect(rows.map((r) => BigInt(r.drawn))).to.deep.equal(draws);

    // History: one row per event, in chain order.
    const events = await allRows(url, "taskEvents", "id taskId kind actor uri value");
    const kinds = (taskId: bigint) =>
      events
        .filter((e) => e.taskId === String(taskId))
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((e) => e.kind);
    expect(kinds(accepted)).to.deep.equal(["posted", "taken", "delivered", "accepted"]);
    expect(kinds(rejected)).to.deep.equal(["posted", "taken", "delivered", "rejected"]);
    expect(kinds(cancelled)).to.deep.equal(["posted", "cancelled"]);
    expect(kinds(missed)).to.deep.equal(["posted", "taken", "expired"]);
    expect(kinds(open)).to.deep.equal(["posted"]);
    const expiredBy = events.find((e) => e.taskId === String(missed) && e.kind === "expired");
    expect(expiredBy.actor).to.equal(lower(alice!.address));

    // Takings per agent and epoch: the board's own counters.
    const epochs = await allRows(url, "taskAgentEpochs", "agentId epoch taken tasks paid tax lost");
    expect(epochs).to.have.length(3);
    for (const row of epochs)
      expect(BigInt(row.taken), `agent ${row.agentId}`).to.equal(
        await board.takenByAgent(BigInt(row.agentId), BigInt(row.epoch)),
      );
    const aliceId = await registry!.agentIdOf(alice!.address);
    const bobId = await registry!.agentIdOf(bob!.address);
    expect(epochs.find((r) => r.agentId === String(aliceId))).to.deep.include({
      tasks: 1,
      paid: (100n * CIV).toString(),
      tax: paid.args.tax.toString(),
      lost: "0",
    });
    expect(epochs.find((r) => r.agentId === String(bobId))).to.deep.include({
      tasks: 2,
      taken: (220n * CIV).toString(),
      lost: (200n * CIV).toString(),
    });

    // Settings: the constructor's values, in parameter_change.
    const changes = await allRows(
      url,
      "parameterChanges",
      "contract name newValue",
      '{ contract: "TaskBoard" }',
    );
    expect(Object.fromEntries(changes.map((c) => [c.name, c.newValue]))).to.deep.equal({
      maxTaskReward: String(await board.maxTaskReward()),
      agentEpochCap: String(await board.agentEpochCap()),
      reviewerEpochBudget: String(await board.reviewerEpochBudget()),
    });

    // The CLI reads the same rows: the open task only, and one task in full.
    const listed = await cli(devnet, deploymentsDir, url, ["--json", "task", "list"]);
    expect(listed.code, `${listed.stderr}${listed.stdout}`).to.equal(0);
    const list = JSON.parse(listed.stdout);
    expect(list.tasks.map((t: { taskId: string }) => t.taskId)).to.deep.equal([String(open)]);
    expect(list.tasks[0]).to.deep.include({ state: "Open", rewardWei: String(10n * CIV), rewardCiv: "10" });
    const text = await cli(devnet, deploymentsDir, url, ["task", "list"]);
    expect(text.stdout).to.match(new RegExp(`^Task ${open}: 10 CIV, 1 hour to deliver once taken`, "m"));
    const all = await cli(devnet, deploymentsDir, url, ["--json", "task", "list", "--state", "Accepted"]);
    expect(JSON.parse(all.stdout).tasks.map((t: { taskId: string }) => t.taskId)).to.deep.equal([
      String(accepted),
    ]);

    // Attention (issue 17): the accepted task, not yet reviewed, awaits review (no attention winner yet).
    const queue = await cli(devnet, deploymentsDir, url, ["--json", "review", "queue"]);
    expect(queue.code, `${queue.stderr}${queue.stdout}`).to.equal(0);
    const queued = JSON.parse(queue.stdout);
    expect(queued.attentionWinner).to.equal(null);
    expect(queued.work).to.deep.equal([
      {
        kind: "task",
        ref: String(accepted),
        agentId: (await registry!.agentIdOf(alice!.address)).toString(),
        agent: alice!.address,
        amountWei: String(100n * CIV),
        amountCiv: "100",
        deliverableURI: "ipfs://work/accepted",
        completedAt: byId.get(String(accepted)).closedAt,
        completedAtIso: new Date(Number(byId.get(String(accepted)).closedAt) * 1000).toISOString(),
        attention: false,
      },
    ]);
  });
});
