/**
 * Throughput of the simulation driver for signed CIV transfers from 100 wallets, beside the devnet's own raw
 * rate for the same transfers, measured in the same run on the same devnet (issue 19: the driver at least
 * 70% of the raw rate).
 *
 * - raw: every transfer signed beforehand (nonces, gas limit and fees fixed), then sent with
 *   `eth_sendRawTransaction` all at once and mined (`evm_mine` until every receipt is there). Signing is
 *   outside the clock: this is what the node itself sustains.
 * - driver: the same number of transfers as intents through the simulation engine's `executeIntents`
 *   (each agent's wallet signs and sends, then the engine mines and reads receipts and outcomes).
 * Rounds alternate raw and driver so that a change of machine load hits both; the ratio is of the totals.
 *
 * Each arm has its own 100 wallets (the driver's wallets track their nonces themselves).
 *
 * Usage: `npx node bench/sim-transfers.ts [wallets=100] [perWallet=5] [rounds=3]`. Starts its own devnet
 * (port from CIVITAS_BENCH_PORT, else a free one) and deploys to a temporary folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { encodeFunctionData, parseEther } from "viem";

import { createCivitasPublicClient } from "../scripts/lib/clients.ts";
import { civitasContracts } from "../scripts/lib/contracts.ts";
import { setAutomine } from "../scripts/lib/devchain.ts";
import { deployProtocol, startDevnet } from "../scripts/lib/devnet.ts";
import { createAgents, executeIntents, mineUntilIncluded } from "../scripts/sim/engine.ts";
import { ACTION_GAS_LIMIT } from "../scripts/sim/model.ts";

const [wallets = 100, perWallet = 5, rounds = 3] = process.argv.slice(2, 5).map(Number);
const CIV = 10n ** 18n;
const dir = mkdtempSync(join(tmpdir(), "civitas-transfers-"));
const port = process.env.CIVITAS_BENCH_PORT ? Number(process.env.CIVITAS_BENCH_PORT) : undefined;
const devnet = await startDevnet({ port });
try {
  const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir: dir });
  const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
  const { token, treasury } = civitasContracts(deployment);
  // Two disjoint sets of wallets, one per arm, so that the driver's wallets keep their own nonce tracking.
  const all = createAgents(client, 2 * wallets, "transfers");
  const rawAgents = all.slice(0, wallets);
  const agents = all.slice(wallets);
  const rpc = (method: string, params: unknown[]) => client.request({ method, params } as never);

  // Gas money and CIV for every wallet (a grant from the Treasury, impersonated; automine still on).
  await rpc("hardhat_impersonateAccount", [treasury.address]);
  await rpc("hardhat_setBalance", [treasury.address, "0x" + parseEther("100").toString(16)]);
  for (const agent of all) {
    await rpc("hardhat_setBalance", [agent.address, "0x" + parseEther("100").toString(16)]);
    const data = encodeFunctionData({
      abi: token.abi,
      functionName: "transfer",
      args: [agent.address, 1_000n * CIV],
    });
    const hash = (await rpc("eth_sendTransaction", [
      { from: treasury.address, to: token.address, data },
    ])) as Hex;
    await client.waitForTransactionReceipt({ hash });
  }
  await setAutomine(client, false);

  const payee = (i: number) => all[(i + 1) % all.length]!.address;
  const run = {
    client,
    contracts: civitasContracts(deployment),
    agents,
    stats: {
      sent: 0,
      succeeded: 0,
      revertedOnChain: 0,
      rejectedBeforeSending: 0,
      errors: {},
      actions: {},
      blocks: 0,
      timings: { readMs: 0, sendMs: 0, mineMs: 0 },
    },
    reverts: [],
    agentIds: new Map(),
    finalEscrows: new Set(),
    proposals: new Map(),
  };

  let rawTx = 0;
  let rawMs = 0;
  let rawSendMs = 0;
  let driverTx = 0;
  let driverMs = 0;
  for (let round = 0; round < rounds; round++) {
    // Raw: sign everything first.
    const block = await client.getBlock({ blockTag: "latest" });
    const maxFeePerGas = (block.baseFeePerGas ?? 1_000_000_000n) * 2n + 1_000_000_000n;
    const signed: Hex[] = [];
    for (const [i, agent] of rawAgents.entries()) {
      const nonce = await client.getTransactionCount({ address: agent.address, blockTag: "pending" });
      for (let k = 0; k < perWallet; k++) {
        signed.push(
          await agent.wallet.account.signTransaction({
            chainId: deployment.chainId,
            type: "eip1559",
            to: token.address,
            data: encodeFunctionData({
              abi: token.abi,
              functionName: "transfer",
              args: [payee(i), CIV / 100n],
            }),
            nonce: nonce + k,
            gas: ACTION_GAS_LIMIT,
            maxFeePerGas,
            maxPriorityFeePerGas: 1_000_000_000n,
          }),
        );
      }
    }
    let start = performance.now();
    const hashes = await Promise.all(
      signed.map((tx) => client.sendRawTransaction({ serializedTransaction: tx })),
    );
    rawSendMs += performance.now() - start;
    const { receipts } = await mineUntilIncluded(client, hashes);
    rawMs += performance.now() - start;
    if ([...receipts.values()].some((r) => r.status !== "success"))
      throw new Error("a raw transfer reverted");
    rawTx += hashes.length;

    // Driver: the same transfers as intents.
    const plans = agents.map((agent, i) => ({
      agent,
      intents: Array.from({ length: perWallet }, () => ({
        label: "pay",
        call: {
          address: token.address,
          abi: token.abi,
          functionName: "transfer",
          args: [payee(i), CIV / 100n],
        },
      })),
    }));
    start = performance.now();
    const ok = await executeIntents(run as never, 0, "transfers", plans as never);
    driverMs += performance.now() - start;
    if (ok !== wallets * perWallet)
      throw new Error(`driver: ${ok} of ${wallets * perWallet} transfers succeeded`);
    driverTx += ok;
  }
  const rawRate = rawTx / (rawMs / 1000);
  const driverRate = driverTx / (driverMs / 1000);
  console.log(`wallets ${wallets}, ${perWallet} transfers each per round, ${rounds} rounds`);
  console.log(
    `raw (pre-signed eth_sendRawTransaction + evm_mine): ${rawTx} tx in ${(rawMs / 1000).toFixed(1)} s = ${rawRate.toFixed(1)} tx/s`,
  );
  console.log(
    `driver (executeIntents): ${driverTx} tx in ${(driverMs / 1000).toFixed(1)} s = ${driverRate.toFixed(1)} tx/s`,
  );
  console.log(
    `send / mine+receipts: raw ${(rawSendMs / 1000).toFixed(1)} / ${((rawMs - rawSendMs) / 1000).toFixed(1)} s, driver ${(run.stats.timings.sendMs / 1000).toFixed(1)} / ${(run.stats.timings.mineMs / 1000).toFixed(1)} s`,
  );
  console.log(`driver / raw = ${((driverRate / rawRate) * 100).toFixed(0)}% (target ≥ 70%)`);
} finally {
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
}
