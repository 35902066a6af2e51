import { expect } from "chai";
import { Contract, JsonRpcProvider } from "ethers";
import * as abis from "../../generated/abis.ts";
import { readDeployment } from "../../scripts/lib/deployment.ts";
import { TaskState } from "../../scripts/lib/vocabulary.ts";
import { freePort } from "../../scripts/lib/devnet.ts";
import { formatCiv } from "../../scripts/lib/format.ts";
import { civitas, civitasOk, cliDevnet, devnetAddress, devnetKey } from "./helpers.ts";

const ADDRESS = "0x[0-9a-fA-F]{40}";

describe("civitas CLI: task (city tasks: post, take, deliver, accept, reject, show, list)", function () {
  // Each CLI run is a Node start: 10-90 s on a loaded machine, and a test makes up to twenty of them.
  this.timeout(1_800_000);
  // Devnet accounts 51..54 are this file's own; 18 is the city clerk, the board's reviewer at deployment.
  const clerk = devnetKey(18);
  const [worker, other, stranger] = [devnetKey(51), devnetKey(52), devnetKey(53)];
  let board: Contract;

  /** Posts a task as the clerk and returns its id. */
  async function post(reward: string, terms: string): Promise<string> {
    const out = await civitasOk(
      ["task", "post", "--reward", reward, "--hours", "2", "--terms", terms],
      clerk,
    );
    const match = /^Posted task (\d+): /m.exec(out);
    expect(match, out).to.not.equal(null);
    return match![1]!;
  }

  /** The task's state on chain, by name. */
  const stateOf = async (taskId: string) => TaskState.nameOf((await board.task(BigInt(taskId))).state);

  before(async function () {
    // The first CLI test file to run starts the shared devnet and deploys: minutes under load.
    this.timeout(900_000);
    const { devnet, deploymentsDir } = await cliDevnet();
    const deployment = readDeployment(31337, deploymentsDir)!;
    const rpc = new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true });
    for (const index of [51, 52, 53, 54])
      await rpc.send("hardhat_setBalance", [devnetAddress(index), "0x56bc75e2d63100000"]); // 100 ETH
    board = new Contract(deployment.contracts.taskBoard!, abis.taskBoardAbi as never, rpc);
    await civitasOk(["register", "ipfs://task-worker"], worker);
    await civitasOk(["register", "ipfs://task-other"], other);
  });

  it("posts, takes, delivers and accepts a task, printing states by name and amounts in CIV", async function () {
    const id = await post("100", "ipfs://city/tasks/clean-the-square");
    expect(await stateOf(id)).to.equal("Open");
    const shown = await civitasOk(["task", "show", id]);
    expect(shown).to.match(new RegExp(`^Task ${id}: Open\\n`));
    expect(shown).to.contain("reward 100 CIV (taxed as earnings when paid), 2 hours to deliver once taken");
    expect(shown).to.contain("terms ipfs://city/tasks/clean-the-square");

    expect(await civitasOk(["task", "take", id], worker)).to.match(
      new RegExp(`^Task ${id}: taken; state Taken; deliver by \\d{4}-.*task deliver ${id} <uri>`, "m"),
    );
    expect(await civitasOk(["task", "deliver", id, "ipfs://work/square"], worker)).to.match(
      new RegExp(
        `^Task ${id}: delivered \\(ipfs://work/square\\); state Delivered; review until \\d{4}-`,
        "m",
      ),
    );
    const accepted = await civitasOk(["task", "accept", id], clerk);
    expect(accepted).to.match(
      new RegExp(
        `^Task ${id}: accepted; state Accepted; ${devnetAddress(51)} paid 100 CIV \\(tax [\\d.]+ CIV\\)\\.`,
      ),
    );
    const json = JSON.parse(await civitasOk(["--json", "task", "show", id]));
    expect(json).to.include({
      taskId: id,
      state: "Accepted",
      taker: devnetAddress(51),
      rewardCiv: "100",
      deliverableURI: "ipfs://work/square",
    });
  });

  it("rejects a delivery with a reason, and refuses a second verdict by state name", async function () {
    const id = await post("20", "ipfs://city/tasks/count-the-trees");
    await civitasOk(["task", "take", id], other);
    await civitasOk(["task", "deliver", id, "ipfs://work/trees"], other);
    expect(await civitasOk(["task", "reject", id, "half the trees"], clerk)).to.match(
      new RegExp(`^Task ${id}: rejected \\(half the trees\\); state Rejected\\.`),
    );
    const again = await civitas(["task", "accept", id], clerk);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.contain(
      `civitas: task ${id} is Rejected, not Delivered: only a delivered task can be accepted`,
    );
  });

  it("refuses each bad step with its cause and exit 1, sending nothing", async function () {
    const id = await post("10", "ipfs://city/tasks/refusals");
    const cases: [string, string[], `0x${string}` | undefined, RegExp | string][] = [
      ["a task that does not exist", ["task", "take", "999999"], worker, "civitas: no task 999999"],
      [
        "an unregistered taker",
        ["task", "take", id],
        stranger,
        `civitas: ${devnetAddress(53)} is not a registered agent: register first`,
      ],
      [
        "a delivery of an open task",
        ["task", "deliver", id, "ipfs://x"],
        worker,
        `civitas: task ${id} is Open, not Taken: only a taken task can be delivered`,
      ],
      [
        "a post by an agent without the reviewer role",
        ["task", "post", "--reward", "10", "--hours", "2", "--terms", "ipfs://x"],
        worker,
        `civitas: ${devnetAddress(51)} is not a city reviewer (REVIEWER_ROLE on the task board)`,
      ],
      [
        "a reward above the largest task reward",
        ["task", "post", "--reward", "250.5", "--hours", "2", "--terms", "ipfs://x"],
        clerk,
        "civitas: a task's reward must be more than 0 CIV and at most 250 CIV (got 250.5 CIV)",
      ],
      [
        "a time to deliver under an hour",
        ["task", "post", "--reward", "10", "--hours", "0.5", "--terms", "ipfs://x"],
        clerk,
        "civitas: a task's time to deliver must be from 1 hour to 30 days (got 0.5 hours)",
      ],
      ["no key", ["task", "take", id], undefined, "acts as your agent and there is no key"],
      ["a bad task id", ["task", "take", "seven"], worker, "not a non-negative integer: seven"],
      ["a bad state", ["task", "list", "--state", "Done"], undefined, "not a task state: Done (one of Open,"],
      ["a bad reward", ["task", "post", "--reward", "ten", "--hours", "2", "--terms", "x"], clerk, "ten"],
    ];
    const count = await board.taskCount();
    for (const [what, args, key, message] of cases) {
      const result = await civitas(args, key);
      expect(result.code, what).to.equal(1);
      expect(result.stderr, what).to.contain(message);
    }
    expect(await board.taskCount()).to.equal(count);
    expect(await stateOf(id)).to.equal("Open");

    // Taken: another agent can neither take it again nor deliver it; only the reviewer accepts.
    await civitasOk(["task", "take", id], worker);
    const twice = await civitas(["task", "take", id], other);
    expect(twice.stderr).to.contain(`civitas: task ${id} is Taken, not Open: only an open task can be taken`);
    const foreign = await civitas(["task", "deliver", id, "ipfs://x"], other);
    expect(foreign.stderr).to.match(
      new RegExp(
        `civitas: task ${id} was taken by ${devnetAddress(51)}, not by you \\(${devnetAddress(52)}\\)`,
      ),
    );
    await civitasOk(["task", "deliver", id, "ipfs://work/refusals"], worker);
    const self = await civitas(["task", "accept", id], worker);
    expect(self.code).to.equal(1);
    expect(self.stderr).to.match(
      new RegExp(
        `civitas: only task ${id}'s reviewer ${ADDRESS} may accept it \\(you are ${devnetAddress(51)}\\)`,
      ),
    );
    expect(await stateOf(id)).to.equal("Delivered");
    await civitasOk(["task", "accept", id], clerk);
  });

  it("refuses a take past the per-epoch cap, naming what was taken and the cap in CIV", async function () {
    // The default cap is 1,000 CIV per agent per epoch: account 52 takes 250 CIV tasks until one more would
    // pass it (reading what the board counted, so a clock that crossed an epoch meanwhile changes nothing).
    const { deploymentsDir } = await cliDevnet();
    const registry = new Contract(
      readDeployment(31337, deploymentsDir)!.contracts.registry!,
      abis.agentRegistryAbi as never,
      board.runner,
    );
    const agentId: bigint = await registry.agentIdOf(devnetAddress(52));
    const reward = 250n * 10n ** 18n;
    const cap: bigint = await board.agentEpochCap();
    const takenNow = async () => board.takenByAgent(agentId, await board.currentEpoch()) as Promise<bigint>;
    while ((await takenNow()) + reward <= cap)
      await civitasOk(["task", "take", await post("250", "ipfs://city/tasks/cap")], other);
    const id = await post("250", "ipfs://city/tasks/cap");
    const [taken, epoch] = [await takenNow(), await board.currentEpoch()];
    const capped = await civitas(["task", "take", id], other);
    expect(capped.code).to.equal(1);
    expect(capped.stderr).to.contain(
      `civitas: task ${id}'s reward 250 CIV would take agent ${agentId} past the per-epoch cap: ` +
        `${formatCiv(taken)} already taken in epoch ${epoch} of 1,000 CIV`,
    );
    expect(await stateOf(id)).to.equal("Open");
  });

  it("task list exits 1 naming the indexer it cannot reach", async function () {
    const port = await freePort();
    const result = await civitas(["--graphql", `http://127.0.0.1:${port}/graphql`, "task", "list"]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain(`cannot query the indexer at http://127.0.0.1:${port}/graphql`);
    const json = await civitas(["--graphql", `http://127.0.0.1:${port}/graphql`, "--json", "task", "list"]);
    expect(json.code).to.equal(1);
    expect(JSON.parse(json.stdout).error.code).to.equal("network");
  });
});
