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
  TxError,
} from "../../scripts/lib/clients.ts";
import { setEthBalance } from "../../scripts/lib/devchain.ts";
import { civitasContracts } from "../../scripts/lib/contracts.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { defaultGrant, runSimulation, type SimulationResult } from "../../scripts/sim/engine.ts";
import { readChainSummary } from "../../scripts/sim/summary.ts";

describe("sim: a short simulation on a devnet", function () {
  this.timeout(300_000);
  let devnet: Devnet;
  let deployment: Deployment;
  let result: SimulationResult;
  const deploymentsDir = mkdtempSync(join(tmpdir(), "civitas-sim-"));

  before(async function () {
    devnet = await startDevnet();
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    result = await runSimulation({ rpcUrl: devnet.rpcUrl, deployment, agents: 6, days: 3, seed: "e2e" });
  });

  after(async function () {
    await devnet?.stop();
    rmSync(deploymentsDir, { recursive: true, force: true });
  });

  it("lives every day, advancing block time one day per round", function () {
    expect(result.dayEndBlocks.map((d) => d.day)).to.deep.equal([0, 1, 2, 3]);
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

  it("reports a summary equal to the chain's state: balances, supply, Treasury, tax", async function () {
    const client = createCivitasPublicClient(devnet.rpcUrl);
    const contracts = civitasContracts(deployment);
    const summary = await readChainSummary(
      client,
      contracts,
      result.agents,
      result.dayEndBlocks,
      BigInt(deployment.startBlock),
      new Set(result.starved),
    );
    for (const agent of summary.agents) {
      const balance = await client.readContract({
        ...contracts.token,
        functionName: "balanceOf",
        args: [agent.address],
      });
      expect(agent.balance).to.equal(balance);
    }
    const supply = await client.readContract({ ...contracts.token, functionName: "totalSupply" });
    const treasury = await client.readContract({
      ...contracts.token,
      functionName: "balanceOf",
      args: [contracts.treasury.address],
    });
    expect(summary.totalSupply).to.equal(supply);
    expect(summary.treasuryBalance).to.equal(treasury);
    // Only the Treasury and the agents hold CIV: nothing created or lost.
    const held = summary.agents.reduce((sum, a) => sum + a.balance, 0n) + summary.treasuryBalance;
    expect(held).to.equal(supply);
    // The Treasury holds the genesis supply minus the grants, plus every tax and cap excess.
    const grants = result.agents.reduce((sum, a) => sum + defaultGrant(a.archetype as never), 0n);
    expect(summary.taxCollected > 0n).to.equal(true);
    expect(treasury).to.equal(10_000_000n * 10n ** 18n - grants + summary.taxCollected + summary.capExcess);
    expect(summary.giniByDay).to.have.length(4);
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

  it("derives the same population (keys and archetypes) from the same seed", async function () {
    const again = await runSimulation({ rpcUrl: devnet.rpcUrl, deployment, agents: 6, days: 1, seed: "e2e" });
    expect(again.agents).to.deep.equal(result.agents);
  });
});
