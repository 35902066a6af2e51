/**
 * Resource markets on a devnet deployment (scripts/deploy.ts), for the end-to-end tests of the indexer, the
 * CLI and the dashboard: the timelock (impersonated, as test/market/fixture.ts does in-process; the
 * governance tests run the same calls as real proposals) registers and lists resources, authorises a meter,
 * and marks a compute pool (created by an agent through the ComputePoolFactory) as a protocol account; then
 * agents play one epoch of the worked example of docs/market.md. Ethers contracts on a JSON-RPC provider.
 */
import { Contract, JsonRpcProvider, JsonRpcSigner, id, MaxUint256 } from "ethers";
import * as abis from "../../generated/abis.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";

const CIV = 10n ** 18n;

/**
 * Resource 1: docs/market.md's "gpu-second", the deployment's genesis resource (registered and listed by
 * ignition/modules/Market.ts with these defaults; the in-process fixture registers the same policy).
 */
export const GPU = 1n;
export const GPU_POLICY = {
  unit: "gpu-second",
  decimals: 0,
  transferable: true,
  allowancePerDay: 100n,
  allowanceMax: 200n,
  quota: 10_000n,
  quotaWindow: 3_600,
};
export const GPU_TICK = CIV / 1_000n;
export const GPU_RESERVE = CIV / 100n;

/**
 * The shares of one compute pool (non-transferable, no free allowance): registered by governance after the
 * genesis resources (1 "gpu-second", 2 "attention"), so its id is the ledger's `resourceCount()` after it.
 */
export const SHARE_POLICY = {
  unit: "pool-share",
  decimals: 0,
  transferable: false,
  allowancePerDay: 0n,
  allowanceMax: 0n,
  quota: 0n,
  quotaWindow: 3_600,
};

/** Sends a transaction and waits for it. */
async function send(tx: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await tx).wait();
}

/** The ledger, market and token of a deployment, connected to `signer`. */
export function marketContracts(deployment: Deployment, signer: JsonRpcSigner) {
  return {
    ledger: new Contract(deployment.contracts.resourceLedger!, abis.resourceLedgerAbi as never, signer),
    market: new Contract(deployment.contracts.resourceMarket!, abis.resourceMarketAbi as never, signer),
    token: new Contract(deployment.contracts.token!, abis.civitasTokenAbi as never, signer),
    registry: new Contract(deployment.contracts.registry!, abis.agentRegistryAbi as never, signer),
    factory: new Contract(
      deployment.contracts.computePoolFactory!,
      abis.computePoolFactoryAbi as never,
      signer,
    ),
  };
}

/**
 * What governance does before a market meters, done by the impersonated timelock: authorises `meter` for
 * "gpu-second" (resource 1, registered and listed at deployment).
 */
export async function governMarket(
  provider: JsonRpcProvider,
  deployment: Deployment,
  meter: string,
): Promise<void> {
  const timelock = await impersonateTimelock(provider, deployment);
  const { ledger } = marketContracts(deployment, timelock);
  await send(ledger.setMeter(GPU, meter, true));
}

/**
 * What governance does for a compute pool, done by the impersonated timelock: registers and lists a share
 * resource (SHARE_POLICY, 0.001 CIV a share) and marks the pool selling its shares in `epoch` a protocol
 * account on the token, at its address from the factory (`poolFor`, CREATE2), before it exists. With a
 * `creator` (an agent in good standing, impersonated), the pool is then created through the factory;
 * without, the caller creates it (`civitas pool create`, the `pool_create` tool).
 * @returns The pool's address and its share resource's id.
 */
export async function governPool(
  provider: JsonRpcProvider,
  deployment: Deployment,
  epoch: bigint,
  creator?: string,
): Promise<{ pool: string; shares: bigint }> {
  const timelock = await impersonateTimelock(provider, deployment);
  const { ledger, market, token, factory } = marketContracts(deployment, timelock);
  await send(ledger.registerResource(SHARE_POLICY));
  const shares: bigint = await ledger.resourceCount();
  await send(market.list(shares, CIV / 1_000n, CIV / 1_000n));
  const pool: string = await factory.poolFor(shares, epoch);
  await send(token.setProtocolAccount(pool, true));
  if (creator !== undefined) {
    await provider.send("hardhat_impersonateAccount", [creator]);
    await send(
      marketContracts(deployment, new JsonRpcSigner(provider, creator)).factory.createPool(shares, epoch),
    );
  }
  return { pool, shares };
}

/** The timelock as an unlocked signer with gas money (hardhat_impersonateAccount). */
export async function impersonateTimelock(provider: JsonRpcProvider, deployment: Deployment) {
  const address = deployment.contracts.timelock!;
  await provider.send("hardhat_impersonateAccount", [address]);
  await provider.send("hardhat_setBalance", [address, "0x56bc75e2d63100000"]);
  // Not in eth_accounts, so not through getSigner: a signer whose eth_sendTransaction the node accepts.
  return new JsonRpcSigner(provider, address);
}

/** Moves the clock past `timestamp` and mines one block (one `evm_mine`: Ponder sees multi-block mines as reorgs). */
export async function advanceTo(provider: JsonRpcProvider, timestamp: bigint): Promise<void> {
  await provider.send("evm_setNextBlockTimestamp", [`0x${timestamp.toString(16)}`]);
  await provider.send("evm_mine", []);
}

/**
 * One epoch of docs/market.md's worked example, plus a compute pool, metering and a credit transfer.
 * `agents` = [alice, bob, carol, dave, erin, frank] (registered here), `meter` the authorised meter.
 * Bob offers 60 gpu-seconds; Carol offers 40 paid to a compute pool whose 100 shares Bob sold in the same
 * epoch (Dave 60, Erin 40). Bids: Alice 50 at 0.030, Dave 40 at 0.020, Erin 30 at 0.020, Frank 20 at 0.005.
 * After the epoch: every bid and offer claimed, the pool distributes, Dave claims his dividends; the meter
 * records Alice's 210 (200 free, 10 credits), refuses Erin 20,000 (quota) and 5,000 (credits); Alice
 * sends Bob 5 credits.
 * @returns The pool's address and the epoch played.
 */
export async function playMarketEpoch(
  provider: JsonRpcProvider,
  deployment: Deployment,
  agents: JsonRpcSigner[],
  meter: JsonRpcSigner,
): Promise<{ pool: string; epoch: bigint }> {
  const [alice, bob, carol, dave, erin, frank] = agents;
  const as = (signer: JsonRpcSigner) => marketContracts(deployment, signer);
  for (const agent of agents) {
    const { registry, token, market } = as(agent);
    if ((await registry.agentIdOf(agent.address)) === 0n)
      await send(registry["register(string)"](`ipfs://agent/${agent.address}`));
    await send(token.approve(await market.getAddress(), MaxUint256));
  }
  const timelock = await impersonateTimelock(provider, deployment);
  const { ledger: govLedger, market: govMarket, token: govToken } = marketContracts(deployment, timelock);
  await send(govLedger.registerResource(SHARE_POLICY));
  const shares: bigint = await govLedger.resourceCount();
  await send(govMarket.list(shares, CIV / 1_000n, CIV / 1_000n));

  const { market } = as(alice);
  const epoch: bigint = await market.currentEpoch();
  // Bob creates the pool through the factory; governance marks it a protocol account.
  await send(as(bob).factory.createPool(shares, epoch));
  const pool: string = await as(bob).factory.poolFor(shares, epoch);
  await send(govToken.setProtocolAccount(pool, true));

  await send(as(bob).market.offer(shares, epoch, 100n, bob.address));
  await send(as(dave).market.bid(shares, epoch, 1n, 60n));
  await send(as(erin).market.bid(shares, epoch, 1n, 40n));

  await send(as(bob).market.offer(GPU, epoch, 60n, bob.address));
  await send(as(carol).market.offer(GPU, epoch, 40n, pool));
  await send(as(alice).market.bid(GPU, epoch, 30n, 50n));
  await send(as(dave).market.bid(GPU, epoch, 20n, 40n));
  await send(as(erin).market.bid(GPU, epoch, 20n, 30n));
  await send(as(frank).market.bid(GPU, epoch, 5n, 20n));

  await advanceTo(provider, (await market.epochEnd(epoch)) + 1n);
  await send(as(frank).market.clear(GPU, epoch));
  const bids: bigint = await market.bidCount();
  for (let bidId = 1n; bidId <= bids; bidId++) await send(as(frank).market.claimBid(bidId));
  const offers: bigint = await market.offerCount();
  for (let offerId = 1n; offerId <= offers; offerId++) await send(as(frank).market.claimOffer(offerId));

  const poolContract = new Contract(pool, abis.computePoolAbi as never, frank);
  await send(poolContract.distribute());
  await send(poolContract.claimDividends(1n)); // Dave's share bid

  const { ledger } = as(meter);
  await send(ledger.meter(GPU, alice.address, 210n, id("job-1")));
  await send(ledger.meter(GPU, erin.address, 20_000n, id("job-2")));
  await send(ledger.meter(GPU, erin.address, 5_000n, id("job-3")));
  await send(as(alice).ledger.safeTransferFrom(alice.address, bob.address, GPU, 5n, "0x"));
  return { pool, epoch };
}
