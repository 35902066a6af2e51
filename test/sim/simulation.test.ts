import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { createPublicClient, custom, HttpRequestError, http } from "viem";
import {
  AgentWallet,
  agentAccount,
  civitasChain,
  createCivitasPublicClient,
  DEVNET_MNEMONIC,
  readMany,
  TxError,
} from "../../scripts/lib/clients.ts";
import { mineBlock, setAutomine, setEthBalance } from "../../scripts/lib/devchain.ts";
import { civitasContracts } from "../../scripts/lib/contracts.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { runSimulation, type SimulationResult } from "../../scripts/sim/engine.ts";
import { readIndexerSummary } from "../../scripts/sim/indexer-summary.ts";
import { ACTION_GAS_LIMIT } from "../../scripts/sim/model.ts";
import { AgentStatus, EscrowState } from "../../scripts/lib/vocabulary.ts";
import { type EconomySummary, readChainSummary } from "../../scripts/sim/summary.ts";

// On a loaded machine Ponder may take minutes to serve HTTP (as the test kit in kit/serve.ts allows).
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";
/** Every flag the indexer's auditor raised (rule, severity, accounts). */
async function auditFlags(graphqlUrl: string) {
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ flags(limit: 1000) { items { rule severity accounts summary } } }" }),
  });
  const body = (await response.json()) as {
    data: { flags: { items: { rule: string; severity: string; accounts: string[]; summary: string }[] } };
  };
  return body.data.flags.items;
}

describe("sim: a short simulation on a devnet", function () {
  this.timeout(900_000);
  let devnet: Devnet;
  let deployment: Deployment;
  let indexer: Indexer | undefined;
  let result: SimulationResult;
  const work = mkdtempSync(join(tmpdir(), "civitas-sim-"));
  const deploymentsDir = join(work, "deployments");
  const indexerLog: string[] = [];

  before(async function () {
    devnet = await startDevnet();
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    // As `npm start` does: the indexer follows the chain while the agents live (free port, throwaway PGlite).
    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      chainId: deployment.chainId,
      deploymentsDir,
      databaseDir: join(work, "pglite"),
      log: (line) => void indexerLog.push(line),
    });
    // 6 agents x 14 days, the proposal on day 5: propose (5), vote (6..10), queue (12), execute (14). Not
    // earlier: birth grants carry no votes, so agents first earn (jobs, staking rewards) the threshold.
    result = await runSimulation({
      rpcUrl: devnet.rpcUrl,
      deployment,
      agents: 6,
      days: 14,
      seed: "e2e",
      governanceDay: 5,
    });
  });

  afterEach(function () {
    // On failure, the indexer's last lines help more than the assertion alone.
    if (this.currentTest?.state === "failed" && this.currentTest.title.includes("indexer"))
      console.error(indexerLog.slice(-40).join("\n"));
  });

  after(async function () {
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("lives every day, advancing block time one day per round", function () {
    expect(result.dayEndBlocks.map((d) => d.day)).to.deep.equal([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
    for (let i = 1; i < result.dayEndBlocks.length; i++) {
      const elapsed = result.dayEndBlocks[i]!.timestamp - result.dayEndBlocks[i - 1]!.timestamp;
      expect(elapsed >= 86_400n && elapsed < 86_400n + 600n, `day ${i} lasted ${elapsed} s`).to.equal(true);
    }
  });

  it("sends transactions of several agents and accounts for every one of them", function () {
    const { sent, succeeded, revertedOnChain } = result.stats;
    expect(succeeded).to.be.greaterThan(0);
    expect(succeeded + revertedOnChain).to.equal(sent);
    expect(new Set(Object.keys(result.stats.actions)).size).to.be.greaterThan(0);
  });

  it("mines several agents' transactions in one block (concurrent senders, not one sequential sender)", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl);
    const last = result.dayEndBlocks.at(-1)!.block;
    let fullest = 0;
    for (let n = BigInt(deployment.startBlock); n <= last; n++) {
      const block = await client.getBlock({ blockNumber: n });
      fullest = Math.max(fullest, block.transactions.length);
    }
    expect(fullest).to.be.greaterThan(1);
  });

  it("funds every agent through its registration: one agent id and one 1,000 CIV birth grant each", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl);
    const contracts = civitasContracts(deployment);
    const grants = await client.getContractEvents({
      ...contracts.registry,
      eventName: "AgentRegistered",
      fromBlock: BigInt(deployment.startBlock),
    });
    expect(grants.map((log) => log.args.wallet)).to.have.members(result.agents.map((a) => a.address));
    for (const log of grants) expect(log.args.grant).to.equal(1_000n * 10n ** 18n);
    for (const agent of result.agents)
      expect(
        await client.readContract({
          ...contracts.registry,
          functionName: "agentIdOf",
          args: [agent.address],
        }),
      ).to.equal(agent.agentId);
  });

  it("lives a whole economy: upkeep, escrow jobs, ratings, staking and a tax proposal executed", async function () {
    const a = result.stats.actions;
    for (const label of [
      "upkeep.collect",
      "job.create",
      "job.accept",
      "job.submit",
      "job.approve",
      "job.rate",
      "feedback.give",
      "stake.registerValidator",
      "stake.delegate",
      "stake.claim",
      "votes.delegate",
      "gov.propose",
      "gov.vote",
      "gov.queue",
      "gov.execute",
      "validation.request",
      "validation.respond",
      "validation.reward",
      "market.bid",
      "market.claimBid",
      "ledger.meter",
    ])
      expect(a[label] ?? 0, label).to.be.greaterThan(0);
    expect((a["job.fund"] ?? 0) + (a["job.fundWithPermit"] ?? 0)).to.be.greaterThan(0);
    const client = createCivitasPublicClient(devnet.rpcUrl);
    const contracts = civitasContracts(deployment);
    expect(result.proposals).to.have.length(1);
    expect(
      await client.readContract({
        ...contracts.governor,
        functionName: "state",
        args: [result.proposals[0]!],
      }),
    ).to.equal(7); // Executed
    expect(await client.readContract({ ...contracts.token, functionName: "taxBps" })).to.equal(800n);
  });

  for (const source of ["chain", "indexer"] as const)
    describe(`the summary read from the ${source} equals the chain's state`, function () {
      let summary: EconomySummary;
      let client: ReturnType<typeof createCivitasPublicClient>;
      let contracts: ReturnType<typeof civitasContracts>;

      before(async function () {
        client = createCivitasPublicClient(devnet.rpcUrl);
        contracts = civitasContracts(deployment);
        if (source === "chain") {
          summary = await readChainSummary(
            client,
            contracts,
            result.agents,
            result.dayEndBlocks,
            BigInt(deployment.startBlock),
            result.proposals,
          );
        } else {
          const last = await client.getBlockNumber({ cacheTime: 0 });
          await indexer!.waitForIndexedBlock(last);
          summary = await readIndexerSummary(indexer!.graphqlUrl, result.agents);
          expect(summary.block >= last, `indexed block ${summary.block} < ${last}`).to.equal(true);
        }
        expect(summary.source).to.equal(source);
      });

      it(`lists every agent of the population, by its registry id (${source})`, function () {
        expect(summary.agents.map((a) => [a.address, a.agentId, a.name])).to.have.deep.members(
          result.agents.map((a) => [a.address, a.agentId, a.name]),
        );
      });

      it("balances, supply and Treasury", async function () {
        for (const agent of summary.agents)
          expect(agent.balance).to.equal(
            await client.readContract({
              ...contracts.token,
              functionName: "balanceOf",
              args: [agent.address],
            }),
          );
        expect(summary.totalSupply).to.equal(
          await client.readContract({ ...contracts.token, functionName: "totalSupply" }),
        );
        expect(summary.treasuryBalance).to.equal(
          await client.readContract({
            ...contracts.token,
            functionName: "balanceOf",
            args: [contracts.treasury.address],
          }),
        );
        expect(summary.taxCollected > 0n).to.equal(true);
        expect(summary.burned > 0n).to.equal(true);
        expect(summary.taxBps).to.equal(
          await client.readContract({ ...contracts.token, functionName: "taxBps" }),
        );
        expect(summary.wealthCap).to.equal(
          await client.readContract({ ...contracts.token, functionName: "wealthCap" }),
        );
        // The chain's series: balances at each day's last block; the indexer's: each economy day's row.
        if (source === "chain") expect(summary.giniByDay).to.have.length(15);
        else expect(summary.giniByDay.length >= 14 && summary.giniByDay.length <= 16).to.equal(true);
        for (const { gini } of summary.giniByDay)
          expect(gini >= 0 && gini <= 1, `gini ${gini}`).to.equal(true);
      });

      it("attestation rewards: as many paid, and as much, as the validation registry's events say", async function () {
        const logs = await client.getContractEvents({
          ...contracts.validationRegistry!,
          eventName: "AttestationRewardDrawn",
          fromBlock: BigInt(deployment.startBlock),
        });
        const paid = logs.filter((log) => log.args.outcome === 0);
        expect(paid.length).to.be.greaterThan(0);
        expect(summary.attestationRewards).to.deep.equal({
          paid: paid.length,
          amount: paid.reduce((sum, log) => sum + log.args.amount!, 0n),
          unpaid: logs.length - paid.length,
        });
      });

      it("nothing created or lost: agents, Treasury, escrow, staking and the task board hold the supply", async function () {
        const balanceOf = (address: `0x${string}`) =>
          client.readContract({ ...contracts.token, functionName: "balanceOf", args: [address] });
        const held =
          summary.agents.reduce((sum, a) => sum + a.balance, 0n) +
          summary.treasuryBalance +
          (await balanceOf(contracts.escrow.address)) +
          (await balanceOf(contracts.staking.address)) +
          (await balanceOf(contracts.registry.address)) +
          (await balanceOf(contracts.validationRegistry!.address)) +
          (await balanceOf(contracts.taskBoard!.address)) + // city tasks' rewards, held while a task is open
          (await balanceOf(contracts.resourceMarket!.address)); // bids' escrow, held until claimed
        expect(held).to.equal(summary.totalSupply);
      });

      it("reputation and standing, by the registry's views", async function () {
        for (const agent of summary.agents) {
          expect(agent.reputation).to.equal(
            await client.readContract({
              ...contracts.registry,
              functionName: "scoreOfWallet",
              args: [agent.address],
            }),
          );
          const status = await client.readContract({
            ...contracts.registry,
            functionName: "statusOf",
            args: [agent.agentId],
          });
          expect(agent.status).to.equal(AgentStatus.nameOf(status));
          expect(agent.starved).to.equal(result.starved.includes(agent.address));
        }
        expect(summary.agents.some((a) => a.reputation !== 0n)).to.equal(true);
      });

      it("escrow states and amounts, by the escrow's views", async function () {
        const count = await client.readContract({ ...contracts.escrow, functionName: "escrowCount" });
        expect(BigInt(summary.escrows.length)).to.equal(count);
        for (const line of summary.escrows) {
          const e = await client.readContract({
            ...contracts.escrow,
            functionName: "escrowOf",
            args: [line.id],
          });
          expect(line.state).to.equal(EscrowState.nameOf(e.state));
          expect(line.amount).to.equal(e.amount);
          expect(line.client).to.equal(e.client);
          expect(line.provider).to.equal(e.provider);
        }
        expect(summary.escrows.some((e) => e.state === "Completed")).to.equal(true);
      });

      it("stakes and the proposal's tally, by the staking and governor views", async function () {
        expect(summary.totalBonded).to.equal(
          await client.readContract({ ...contracts.staking, functionName: "totalBonded" }),
        );
        for (const agent of summary.agents)
          expect(agent.staked).to.equal(
            await client.readContract({
              ...contracts.staking,
              functionName: "bondedBalanceOf",
              args: [agent.address],
            }),
          );
        const [against, inFavor, abstain] = await client.readContract({
          ...contracts.governor,
          functionName: "proposalVotes",
          args: [result.proposals[0]!],
        });
        expect(summary.proposals).to.have.length(1);
        expect(summary.proposals[0]).to.deep.include({
          id: result.proposals[0]!,
          state: "Executed",
          forVotes: inFavor,
          againstVotes: against,
          abstainVotes: abstain,
        });
      });
    });

  it("resends the same signed bytes when the node's answer is lost, so the action is paid once", async function () {
    const inner = http(devnet.rpcUrl);
    let dropped = 0;
    const lossy = custom({
      async request({ method, params }) {
        const transport = inner({ chain: undefined });
        const response = await transport.request({ method, params } as never);
        if (method === "eth_sendRawTransaction" && dropped === 0) {
          dropped++;
          throw new HttpRequestError({ url: devnet.rpcUrl, details: "response lost" });
        }
        return response;
      },
    });
    const client = createPublicClient({
      chain: civitasChain(devnet.rpcUrl),
      transport: lossy,
      pollingInterval: 50,
    });
    const account = agentAccount(DEVNET_MNEMONIC, 0);
    const wallet = new AgentWallet({ client: client as never, account });
    const contracts = civitasContracts(deployment);
    const before = await client.getTransactionCount({ address: account.address });
    const balanceBefore = await client.readContract({
      ...contracts.token,
      functionName: "balanceOf",
      args: [account.address],
    });
    const receipt = await wallet.execute({
      ...contracts.token,
      functionName: "transfer",
      args: [agentAccount(DEVNET_MNEMONIC, 1).address, 10n ** 18n],
    });
    expect(dropped).to.equal(1);
    expect(receipt.status).to.equal("success");
    expect(await client.getTransactionCount({ address: account.address })).to.equal(before + 1);
    const balanceAfter = await client.readContract({
      ...contracts.token,
      functionName: "balanceOf",
      args: [account.address],
    });
    expect(balanceBefore - balanceAfter).to.equal(10n ** 18n);
  });

  it("reports a revert with its decoded custom error and spends no nonce on it", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl);
    const account = agentAccount(DEVNET_MNEMONIC, 50);
    const wallet = new AgentWallet({ client, account });
    const contracts = civitasContracts(deployment);
    await setEthBalance(client, account.address, 10n ** 18n);
    const error = await wallet
      .execute({ ...contracts.token, functionName: "transfer", args: [account.address, 1n] })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TxError);
    expect((error as TxError).stage).to.equal("simulate");
    expect((error as TxError).revert?.name).to.equal("ERC20InsufficientBalance");
    expect((error as TxError).message).to.contain("ERC20InsufficientBalance(sender: ");
    expect(await wallet.nextNonce()).to.equal(0);
  });

  it("decodes the custom error of a transaction sent with a fixed gas limit and reverted on chain", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl);
    const account = agentAccount(DEVNET_MNEMONIC, 51);
    const wallet = new AgentWallet({ client, account });
    const contracts = civitasContracts(deployment);
    await setEthBalance(client, account.address, 10n ** 18n);
    // As in the simulation: automine off, the phase's transactions mined together.
    await setAutomine(client, false);
    try {
      const tx = await wallet.send(
        { ...contracts.token, functionName: "transfer", args: [account.address, 1n] },
        { gas: ACTION_GAS_LIMIT },
      );
      await mineBlock(client);
      const error = await tx.wait().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TxError);
      expect((error as TxError).stage).to.equal("receipt");
      expect((error as TxError).revert?.name).to.equal("ERC20InsufficientBalance");
      expect((error as TxError).revert?.args).to.deep.equal({
        sender: account.address,
        balance: 0n,
        needed: 1n,
      });
      expect(await client.getTransactionCount({ address: account.address })).to.equal(1);
    } finally {
      await setAutomine(client, true);
    }
  });

  it("reads the world through the devnet's Multicall3 in one aggregate, at one block", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl);
    const contracts = civitasContracts(deployment);
    const holder = result.agents[0]!.address;
    const [taxBps, balance] = await readMany(client, [
      { ...contracts.token, functionName: "taxBps" },
      { ...contracts.token, functionName: "balanceOf", args: [holder] },
    ]);
    expect(taxBps).to.equal(await client.readContract({ ...contracts.token, functionName: "taxBps" }));
    expect(balance).to.equal(
      await client.readContract({ ...contracts.token, functionName: "balanceOf", args: [holder] }),
    );
  });

  it("derives the same population (keys and archetypes) from the same seed", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl);
    const { createAgents } = await import("../../scripts/sim/engine.ts");
    const again = createAgents(client, 6, "e2e").map((a) => ({ name: a.name, address: a.address }));
    expect(again).to.deep.equal(result.agents.map((a) => ({ name: a.name, address: a.address })));
  });

  // The auditor (issue 15): honest activity raises no HIGH or CRITICAL flag (false positives count).
  describe("auditor on the honest run", function () {
    it("raises no high or critical flag on the default population", async function () {
      const client = createCivitasPublicClient(devnet.rpcUrl);
      await indexer!.waitForIndexedBlock(await client.getBlockNumber({ cacheTime: 0 }));
      const flags = await auditFlags(indexer!.graphqlUrl);
      expect(flags.filter((f) => f.severity === "high" || f.severity === "critical")).to.deep.equal([]);
    });
  });

  // Last (mocha runs nested suites after the outer tests): it registers new agents, which the summary
  // comparisons above must not see.
  describe("governance after the run", function () {
    it("after the run, fresh birth-grant wallets (5, then 50) delegating to one hold no votes: no proposal, no quorum (security #1)", async function () {
      const client = createCivitasPublicClient(devnet.rpcUrl);
      const contracts = civitasContracts(deployment);
      const governor = contracts.governor!;
      const accounts = Array.from({ length: 50 }, (_, i) => agentAccount(DEVNET_MNEMONIC, 300 + i));
      const proposer = new AgentWallet({ client, account: accounts[0]! });
      for (const [n, account] of accounts.entries()) {
        await setEthBalance(client, account.address, 10n ** 18n);
        const wallet = n === 0 ? proposer : new AgentWallet({ client, account });
        await wallet.execute({ ...contracts.registry, functionName: "register", args: [""] });
        await wallet.execute({ ...contracts.token, functionName: "delegate", args: [proposer.address] });
        if (n + 1 !== 5 && n + 1 !== 50) continue;
        await mineBlock(client);
        const { timestamp } = await client.getBlock();
        const [votes, quorum, held] = await Promise.all([
          client.readContract({
            ...governor,
            functionName: "getVotes",
            args: [proposer.address, timestamp - 1n],
          }),
          client.readContract({ ...governor, functionName: "quorum", args: [timestamp - 1n] }),
          client.readContract({ ...contracts.token, functionName: "getVotes", args: [proposer.address] }),
        ]);
        expect(votes, `${n + 1} wallets' voting power`).to.equal(0n);
        expect(held, `${n + 1} wallets' token votes`).to.equal(0n);
        expect(quorum > 0n).to.equal(true);
        const error = await proposer
          .execute({
            ...governor,
            functionName: "propose",
            args: [[contracts.treasury.address], [0n], ["0x"], `drain#proposer=${proposer.address}`],
          })
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TxError);
        expect((error as TxError).revert?.name).to.equal("GovernorInsufficientProposerVotes");
      }
      // The auditor saw the burst: one sybil-burst flag naming the delegate (issue 15).
      await indexer!.waitForIndexedBlock(await client.getBlockNumber({ cacheTime: 0 }));
      const sybil = (await auditFlags(indexer!.graphqlUrl)).filter((f) => f.rule === "sybil-burst");
      expect(sybil.map((f) => [f.severity, f.accounts[0]])).to.deep.equal([
        ["high", proposer.address.toLowerCase()],
      ]);
    });
  });
});
