/**
 * What a Civitas tool runs against ({@link ToolContext}: the chain, connected on first use, an optional
 * signing agent, the indexer's GraphQL URL) and the helpers the tools share: input schemas for CIV amounts,
 * addresses and ids, result fields in wei and CIV, and {@link transact}, which sends nothing when the
 * outcome is already known to fail. Importing this module has no side effects.
 */
import {
  type Abi,
  type Address,
  encodeFunctionData,
  formatEther,
  type Hex,
  isAddress,
  type LocalAccount,
  type TransactionReceipt,
} from "viem";
import { z } from "zod";
import {
  AgentWallet,
  type ContractCall,
  type CivitasPublicClient,
  createCivitasPublicClient,
  TxError,
} from "../lib/clients.ts";
import { type CivitasContracts, civitasContracts, loadDeployment } from "../lib/contracts.ts";
import type { Deployment } from "../lib/deployment.ts";
import { decodeRevert, describeError } from "../lib/errors.ts";
import { formatCiv, parseCiv } from "../lib/format.ts";
import { ToolError } from "./errors.ts";

/** The chain a tool reads and writes: its client, deployment and typed bindings. */
export interface ToolChain {
  client: CivitasPublicClient;
  deployment: Deployment;
  contracts: CivitasContracts;
}

/**
 * What a tool runs against. Build one with {@link createToolContext} (from URLs and a key: the CLI, the
 * MCP server) or {@link toolContextOf} (from clients already made: the simulation).
 */
export interface ToolContext {
  /** The chain, connected on first use (tools that only read the indexer never call it). */
  chain(): Promise<ToolChain>;
  /** The acting agent's address, when the context has a signer. */
  readonly address?: Address;
  /** The acting agent's wallet (connects on first use); absent without a signer. */
  wallet?(): Promise<AgentWallet>;
  /** The indexer's GraphQL endpoint (for `history`). */
  readonly graphqlUrl?: string;
  /** Receives a line for each step taken on the way (e.g. an approval sent before the call). */
  onProgress?(line: string): void;
}

/**
 * A context connecting lazily to a JSON-RPC endpoint.
 * @param options.rpcUrl The node's URL.
 * @param options.deploymentsDir Folder of deployment files (default: the repository's).
 * @param options.graphqlUrl The indexer's GraphQL endpoint.
 * @param options.account The signing account (none: read-only tools only).
 * @param options.onProgress Receives progress lines.
 */
export function createToolContext(options: {
  rpcUrl: string;
  deploymentsDir?: string;
  graphqlUrl?: string;
  account?: LocalAccount;
  onProgress?: (line: string) => void;
}): ToolContext {
  let chain: Promise<ToolChain> | undefined;
  let wallet: Promise<AgentWallet> | undefined;
  const connect = async (): Promise<ToolChain> => {
    const probe = createCivitasPublicClient(options.rpcUrl);
    const chainId = await probe.getChainId().catch((error) => {
      throw new ToolError(
        "network",
        `cannot reach the node at ${options.rpcUrl} (--rpc / CIVITAS_RPC_URL): ${describeError(error)}`,
        { url: options.rpcUrl },
      );
    });
    const client = createCivitasPublicClient(options.rpcUrl, { chainId });
    let deployment: Deployment;
    try {
      deployment = loadDeployment(chainId, options.deploymentsDir);
    } catch (error) {
      throw new ToolError("unsupported", (error as Error).message, { chainId });
    }
    return { client, deployment, contracts: civitasContracts(deployment) };
  };
  const account = options.account;
  return {
    chain: () => {
      chain ??= connect();
      chain.catch(() => (chain = undefined));
      return chain;
    },
    address: account?.address,
    wallet:
      account &&
      (() => {
        wallet ??= (async () => {
          const { client } = await (chain ??= connect());
          return new AgentWallet({ client, account });
        })();
        wallet.catch(() => (wallet = undefined));
        return wallet;
      }),
    graphqlUrl: options.graphqlUrl,
    onProgress: options.onProgress,
  };
}

/**
 * A context over clients already made (the simulation's agents, tests).
 * @param options.client The public client.
 * @param options.deployment The deployment.
 * @param options.wallet The acting agent's wallet (none: read-only tools only).
 * @param options.graphqlUrl The indexer's GraphQL endpoint.
 */
export function toolContextOf(options: {
  client: CivitasPublicClient;
  deployment: Deployment;
  wallet?: AgentWallet;
  graphqlUrl?: string;
  onProgress?: (line: string) => void;
}): ToolContext {
  const chain: ToolChain = {
    client: options.client,
    deployment: options.deployment,
    contracts: civitasContracts(options.deployment),
  };
  const wallet = options.wallet;
  return {
    chain: async () => chain,
    address: wallet?.address,
    wallet: wallet && (async () => wallet),
    graphqlUrl: options.graphqlUrl,
    onProgress: options.onProgress,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Input schemas

/** A CIV amount as a decimal string ("12.5"). */
export const civInput = (description: string) =>
  z
    .string()
    .regex(/^\s*\d[\d,_]*(\.\d{0,18})?\s*(CIV)?\s*$/i, 'a CIV amount as a decimal string, e.g. "12.5"')
    .describe(`${description} (CIV as a decimal string, e.g. "12.5")`);

/** An address (0x + 40 hex digits). */
export const addressInput = (description: string) =>
  z
    .string()
    .refine((value) => isAddress(value, { strict: false }), "an address: 0x followed by 40 hex digits")
    .describe(description);

/** A non-negative integer id, as a decimal string or a number. */
export const idInput = (description: string) =>
  z
    .union([z.string().regex(/^\d+$/, "a non-negative integer"), z.number().int().nonnegative()])
    .describe(`${description} (a non-negative integer; a decimal string for large values)`);

/** A 32-byte hash (0x + 64 hex digits). */
export const hashInput = (description: string) =>
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "a 32-byte hash: 0x followed by 64 hex digits")
    .describe(description);

/** Parses a validated CIV amount into wei. */
export const civ = (text: string): bigint => parseCiv(text);
/** Parses a validated id into a bigint. */
export const id = (value: string | number): bigint => BigInt(value);

// ---------------------------------------------------------------------------------------------------------
// Results

/** `{ <name>Wei, <name>Civ }`: an amount as decimal wei and as decimal CIV. */
export function amountFields<N extends string>(
  name: N,
  wei: bigint,
): { [K in `${N}Wei` | `${N}Civ`]: string } {
  return { [`${name}Wei`]: wei.toString(), [`${name}Civ`]: formatEther(wei) } as never;
}

/** The fields of a mined transaction in a result. */
export function txFields(receipt: TransactionReceipt): {
  txHash: Hex;
  blockNumber: string;
  gasUsed: string;
} {
  return {
    txHash: receipt.transactionHash,
    blockNumber: receipt.blockNumber.toString(),
    gasUsed: receipt.gasUsed.toString(),
  };
}

/** An ISO date of a Unix time in seconds (`null` for 0). */
export const isoTime = (seconds: bigint | number): string | null =>
  Number(seconds) ? new Date(Number(seconds) * 1000).toISOString() : null;

// ---------------------------------------------------------------------------------------------------------
// Signing

/** The acting agent's wallet and the chain, or a `no_signer` error. */
export async function signerOf(ctx: ToolContext): Promise<ToolChain & { wallet: AgentWallet }> {
  if (!ctx.wallet)
    throw new ToolError(
      "no_signer",
      "no key: set CIVITAS_PRIVATE_KEY, or --keystore FILE with CIVITAS_KEYSTORE_PASSWORD",
    );
  const chain = await ctx.chain();
  return { ...chain, wallet: await ctx.wallet() };
}

/** The address a tool acts for: `given`, else the signer's, else an `invalid_input` error. */
export function subject(ctx: ToolContext, given: string | undefined, what = "address"): Address {
  const address = (given ?? ctx.address) as Address | undefined;
  if (address === undefined)
    throw new ToolError("invalid_input", `give an ${what} (there is no signing key to default to)`, {
      issues: [{ path: what, message: "required without a signing key" }],
    });
  return address;
}

/** Fails with `insufficient_gas` (pointing to `civitas faucet`) when `address` holds no gas money. */
async function requireGas(chain: ToolChain, address: Address, needed = 1n): Promise<void> {
  const balance = await chain.client.getBalance({ address });
  if (balance >= needed) return;
  throw new ToolError(
    "insufficient_gas",
    `${address} has ${formatEther(balance)} ETH for gas on chain ${chain.deployment.chainId}` +
      (needed > 1n ? ` (this transaction needs about ${formatEther(needed)} ETH)` : "") +
      ": get gas money with `civitas faucet`",
    {
      address,
      balanceWei: balance.toString(),
      balanceEth: formatEther(balance),
      neededWei: needed.toString(),
    },
  );
}

/** Fails with `insufficient_balance` when `address` holds less than `needed` CIV. */
export async function requireCiv(
  chain: ToolChain,
  address: Address,
  needed: bigint,
  what: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const held = await chain.client.readContract({
    ...chain.contracts.token,
    functionName: "balanceOf",
    args: [address],
  });
  if (held >= needed) return;
  throw new ToolError(
    "insufficient_balance",
    `${what} needs ${formatCiv(needed)}, and ${address} holds ${formatCiv(held)}`,
    { address, ...amountFields("balance", held), ...amountFields("needed", needed), ...extra },
  );
}

/**
 * Sends one contract call for the signing agent, or nothing when it is known to fail: it checks the gas
 * money, and when the call spends CIV through an allowance (`pay`) it simulates the call first, checks the
 * balance, and only then approves (its own transaction) and sends the call.
 * @param chain The signer and chain ({@link signerOf}).
 * @param call The contract call.
 * @param options.label The action's name in errors.
 * @param options.pay CIV the call pulls with `transferFrom`: the spender and the amount in wei.
 * @param onProgress Receives a line when an approval is sent.
 * @returns The receipt.
 */
export async function transact(
  chain: ToolChain & { wallet: AgentWallet },
  call: ContractCall<Abi, string>,
  options: { label: string; pay?: { spender: Address; amount: bigint; what: string } },
  onProgress?: (line: string) => void,
): Promise<TransactionReceipt> {
  const { client, contracts, wallet } = chain;
  await requireGas(chain, wallet.address);
  const pay = options.pay;
  if (pay !== undefined && pay.amount > 0n) {
    const allowance = await client.readContract({
      ...contracts.token,
      functionName: "allowance",
      args: [wallet.address, pay.spender],
    });
    if (allowance < pay.amount) {
      // Simulate before approving: a call bound to fail for any reason but the allowance sends nothing.
      try {
        await client.call({
          account: wallet.address,
          to: call.address,
          data: encode(call),
        });
      } catch (error) {
        const revert = decodeRevert(error, [call.abi]);
        if (revert === undefined) throw error;
        if (revert.name !== "ERC20InsufficientAllowance") {
          throw new TxError("simulate", options.label, error, undefined, revert);
        }
      }
      await requireCiv(chain, wallet.address, pay.amount, pay.what);
      await wallet.execute(
        { ...contracts.token, functionName: "approve", args: [pay.spender, pay.amount] },
        { label: `${options.label} (approve)` },
      );
      onProgress?.(`Approved ${pay.spender} for ${formatCiv(pay.amount)}.`);
    } else {
      await requireCiv(chain, wallet.address, pay.amount, pay.what);
    }
  }
  try {
    return await wallet.execute(call as never, { label: options.label });
  } catch (error) {
    // A node refusing an estimate for want of gas money says so in its own words: check the balance.
    if (/insufficient funds|missing or invalid parameters/i.test(String((error as Error).message)))
      await requireGas(chain, wallet.address, 10n ** 15n);
    throw error;
  }
}

function encode(call: ContractCall<Abi, string>): Hex {
  return encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args } as never);
}
