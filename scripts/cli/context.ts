/**
 * What every `civitas` command group shares: the global options, argument parsers, the connection to the
 * chain (and the signing wallet), the printing of a mined transaction, and allowances. Importing this
 * module has no side effects.
 */
import { type Command, InvalidArgumentError } from "commander";
import type { Address, Hex } from "viem";
import { isAddress } from "viem";
import {
  AgentWallet,
  type CivitasPublicClient,
  createCivitasPublicClient,
  loadAccount,
} from "../lib/clients.ts";
import { type CivitasContracts, civitasContracts, loadDeployment } from "../lib/contracts.ts";
import type { Deployment } from "../lib/deployment.ts";
import { describeError } from "../lib/errors.ts";
import { formatCiv, parseCiv } from "../lib/format.ts";

/** The options every command inherits from the root program. */
export interface GlobalOptions {
  rpc: string;
  deployments?: string;
  keystore?: string;
  graphql: string;
}

/** Parses an address argument. */
export const address = (value: string): Address => {
  if (!isAddress(value)) throw new InvalidArgumentError(`not an address: ${value}`);
  return value;
};

/** Parses an amount in CIV (e.g. "12.5") into wei. */
export const amount = (value: string): bigint => {
  try {
    return parseCiv(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

/** Parses a non-negative integer. */
export const uint = (value: string): bigint => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`not a non-negative integer: ${value}`);
  return BigInt(value);
};

/** A connection to the chain, its deployment and bindings. */
export interface Chain {
  client: CivitasPublicClient;
  deployment: Deployment;
  contracts: CivitasContracts;
}

/** Root options of the program a command belongs to. */
export function globalOptions(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

/** The chain, its deployment and bindings (no key needed). */
export async function connect(command: Command): Promise<Chain> {
  const options = globalOptions(command);
  const probe = createCivitasPublicClient(options.rpc);
  const chainId = await probe.getChainId().catch((error) => {
    throw new Error(`cannot reach ${options.rpc}: ${describeError(error)}`);
  });
  const client = createCivitasPublicClient(options.rpc, { chainId });
  const deployment = loadDeployment(chainId, options.deployments);
  return { client, deployment, contracts: civitasContracts(deployment) };
}

/** The signing account, from CIVITAS_PRIVATE_KEY or the keystore. */
export async function signingAccount(command: Command) {
  const options = globalOptions(command);
  return loadAccount({
    privateKey: process.env.CIVITAS_PRIVATE_KEY,
    keystoreFile: options.keystore,
    password: process.env.CIVITAS_KEYSTORE_PASSWORD,
  });
}

/** As {@link connect}, plus the signing wallet. */
export async function signer(command: Command): Promise<Chain & { wallet: AgentWallet }> {
  const account = await signingAccount(command);
  const chain = await connect(command);
  return { ...chain, wallet: new AgentWallet({ client: chain.client, account }) };
}

/** The deployment's governor (fails clearly when it has none). */
export function governorOf(contracts: CivitasContracts) {
  if (!contracts.governor) throw new Error("this deployment has no governor");
  return contracts.governor;
}

/** Prints a mined transaction. */
export function done(
  what: string,
  receipt: { transactionHash: Hex; blockNumber: bigint; gasUsed: bigint },
): void {
  console.log(
    `${what}\n  tx ${receipt.transactionHash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`,
  );
}

/** An ISO date of a Unix time in seconds ("-" for 0). */
export const isoTime = (t: bigint): string => (t ? new Date(Number(t) * 1000).toISOString() : "-");

/** Approves `spender` for `needed` CIV when the allowance is short (its own transaction). */
export async function ensureAllowance(
  chain: Chain & { wallet: AgentWallet },
  spender: Address,
  needed: bigint,
): Promise<void> {
  const { client, contracts, wallet } = chain;
  const allowance = await client.readContract({
    ...contracts.token,
    functionName: "allowance",
    args: [wallet.address, spender],
  });
  if (allowance >= needed) return;
  await wallet.execute(
    { ...contracts.token, functionName: "approve", args: [spender, needed] },
    { label: "approve" },
  );
  console.log(`Approved ${spender} for ${formatCiv(needed)}.`);
}
