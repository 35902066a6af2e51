/**
 * What every `civitas` command group shares: the global options and their defaults (flag > environment
 * variable > the economy `npm start` published > built-in), argument parsers, {@link runTool} (a command
 * runs one tool of scripts/tools and prints its result as text, or as JSON with `--json`), the connection
 * to the chain (and the signing wallet), the printing of a mined transaction, and allowances. Importing
 * this module has no side effects.
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
import { readLocalEconomy } from "../lib/discovery.ts";
import { describeError } from "../lib/errors.ts";
import { formatCiv, parseCiv } from "../lib/format.ts";
import { callTool, createToolContext, type ToolContext } from "../tools/index.ts";

/** The options every command inherits from the root program. */
export interface GlobalOptions {
  rpc: string;
  deployments?: string;
  keystore?: string;
  graphql: string;
  /** Print the tool's result (or `{ error }`) as JSON. */
  json?: boolean;
}

/** Built-in endpoints, used when no flag, environment variable or running economy says otherwise. */
export const BUILTIN_RPC_URL = "http://127.0.0.1:8545";
/** Built-in GraphQL endpoint of the indexer. */
export const BUILTIN_GRAPHQL_URL = "http://127.0.0.1:42069/graphql";

/**
 * The defaults of the global options, by precedence environment variable > the economy `npm start`
 * published (`.civitas/local.json`, see scripts/lib/discovery.ts) > built-in; a flag overrides them all.
 * The published deployments folder applies only to the published node (another node is another chain).
 * @param env The environment (default `process.env`).
 */
export function endpointDefaults(env: NodeJS.ProcessEnv = process.env): {
  rpc: string;
  graphql: string;
  deployments?: string;
} {
  let local: ReturnType<typeof readLocalEconomy>;
  try {
    local = readLocalEconomy();
  } catch {
    local = undefined; // an unreadable discovery file is no economy
  }
  const rpc = env.CIVITAS_RPC_URL || local?.rpcUrl || BUILTIN_RPC_URL;
  return {
    rpc,
    graphql: env.CIVITAS_GRAPHQL_URL || local?.graphqlUrl || BUILTIN_GRAPHQL_URL,
    deployments:
      env.CIVITAS_DEPLOYMENTS_DIR || (local && rpc === local.rpcUrl ? local.deploymentsDir : undefined),
  };
}

/** Whether the root program was given `--json`. */
export const jsonMode = (command: Command): boolean => globalOptions(command).json === true;

/**
 * The tool context of a command: the node and indexer of the global options, signing with the key of
 * CIVITAS_PRIVATE_KEY or the keystore when one is configured. Approvals sent on the way are printed
 * (on stderr under `--json`).
 */
export async function toolContext(
  command: Command,
  options_: { progressToStderr?: boolean } = {},
): Promise<ToolContext> {
  const options = globalOptions(command);
  const hasKey = Boolean(process.env.CIVITAS_PRIVATE_KEY || options.keystore);
  const account = hasKey ? await signingAccount(command) : undefined;
  const json = jsonMode(command) || options_.progressToStderr === true;
  return createToolContext({
    rpcUrl: options.rpc,
    deploymentsDir: options.deployments,
    graphqlUrl: options.graphql,
    account,
    onProgress: (line) => (json ? console.error(line) : console.log(line)),
  });
}

/**
 * Runs one tool for a command: prints `render(result)` (or the result as JSON under `--json`); on failure
 * prints `civitas: <cause>` on stderr (or `{ "error": … }` on stdout under `--json`) and exits 1.
 * @param command The command (for the global options).
 * @param name The tool's name.
 * @param args The tool's arguments.
 * @param render The text of a result for people.
 */
export async function runTool(
  command: Command,
  name: string,
  args: Record<string, unknown>,
  render: (result: Record<string, unknown>) => string,
): Promise<void> {
  const json = jsonMode(command);
  let ctx: ToolContext;
  try {
    ctx = await toolContext(command);
  } catch (error) {
    return fail(json, { code: "no_signer", message: describeError(error) });
  }
  const outcome = await callTool(ctx, name, args);
  if (!outcome.ok) return fail(json, outcome.error);
  console.log(json ? JSON.stringify(outcome.result, null, 2) : render(outcome.result));
}

/** Prints a failure and sets exit status 1. */
export function fail(json: boolean, error: { code: string; message: string; [k: string]: unknown }): void {
  if (json) console.log(JSON.stringify({ error }, null, 2));
  else console.error(`civitas: ${error.message}`);
  process.exitCode = 1;
}

/** The line of a mined transaction in a tool's result: `  tx 0x… (block N, gas N)`. */
export const txLine = (result: Record<string, unknown>): string =>
  `  tx ${result.txHash} (block ${result.blockNumber}, gas ${result.gasUsed})`;

/** A CIV amount of a result (`<name>Wei`) for people, e.g. `1,234.5 CIV`. */
export const civOf = (result: Record<string, unknown>, name: string): string =>
  formatCiv(BigInt(String(result[`${name}Wei`] ?? "0")));

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

/** Validates a non-negative integer and keeps it as a decimal string (for tool arguments). */
export const uintText = (value: string): string => uint(value).toString();

/** Parses a positive decimal number (days, hours). */
export const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`not a positive number: ${value}`);
  return n;
};

/** Parses an integer from `min` to `max` (bps, counts, responses). */
export const intIn =
  (min: number, max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max)
      throw new InvalidArgumentError(`not an integer from ${min} to ${max}: ${value}`);
    return n;
  };

/** Validates a CIV amount and keeps its text (for tool arguments). */
export const civText = (value: string): string => {
  amount(value);
  return value;
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
    throw new Error(
      `cannot reach the node at ${options.rpc} (--rpc / CIVITAS_RPC_URL): ${describeError(error)}`,
    );
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
