/**
 * Development-chain controls (Hardhat JSON-RPC methods): advance time, mine one block, switch automine,
 * fund an address with ETH for gas. Devnet only; importing this module has no side effects.
 *
 * Blocks are mined one `evm_mine` at a time: `hardhat_mine` with a count above 1 produces blocks that
 * the indexer (Ponder) takes for a reorg.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Address, type Hex, size } from "viem";
import { type CivitasPublicClient, MULTICALL3_ADDRESS } from "./clients.ts";
import { REPO_ROOT } from "./deployment.ts";

/** Seconds in a "day" of block time. */
export const DAY = 86_400;

type Rpc = (args: { method: string; params?: unknown[] }) => Promise<unknown>;
const rpc = (client: CivitasPublicClient): Rpc => client.request as unknown as Rpc;

/**
 * Moves the next block's timestamp forward.
 * @param seconds How far, in seconds.
 */
export async function increaseTime(client: CivitasPublicClient, seconds: number): Promise<void> {
  await rpc(client)({ method: "evm_increaseTime", params: [seconds] });
}

/**
 * Mines exactly one block holding the pending transactions (as many as fit its gas limit).
 * @returns The new block number.
 */
export async function mineBlock(client: CivitasPublicClient): Promise<bigint> {
  await rpc(client)({ method: "evm_mine", params: [] });
  return client.getBlockNumber({ cacheTime: 0 });
}

/**
 * Switches automine (a block per transaction) on or off. With it off, transactions wait in the mempool
 * until {@link mineBlock}.
 */
export async function setAutomine(client: CivitasPublicClient, enabled: boolean): Promise<void> {
  await rpc(client)({ method: "evm_setAutomine", params: [enabled] });
}

/**
 * Sets an address's ETH balance (gas money for a devnet agent).
 * @param wei The new balance, in wei.
 */
export async function setEthBalance(
  client: CivitasPublicClient,
  address: Address,
  wei: bigint,
): Promise<void> {
  await rpc(client)({ method: "hardhat_setBalance", params: [address, `0x${wei.toString(16)}`] });
}

/** Advances block time by `seconds` and mines one block; returns the new block number. */
export async function advance(client: CivitasPublicClient, seconds: number): Promise<bigint> {
  await increaseTime(client, seconds);
  return mineBlock(client);
}

/**
 * Installs a Multicall3-compatible aggregator (`contracts/mocks/Multicall3.sol`, compiled by
 * `npm run build`) at Multicall3's canonical address with `hardhat_setCode`, unless code is already there:
 * no transaction, no block, no nonce used. `readMany` (scripts/lib/clients.ts) needs it.
 * @throws When the artifact is missing (run `npm run build`).
 */
export async function installMulticall3(client: CivitasPublicClient): Promise<void> {
  const existing = await client.getCode({ address: MULTICALL3_ADDRESS });
  if (existing !== undefined && size(existing) > 0) return;
  const artifact = join(REPO_ROOT, "artifacts", "contracts", "mocks", "Multicall3.sol", "Multicall3.json");
  const { deployedBytecode } = JSON.parse(readFileSync(artifact, "utf8")) as { deployedBytecode: Hex };
  await rpc(client)({ method: "hardhat_setCode", params: [MULTICALL3_ADDRESS, deployedBytecode] });
}
