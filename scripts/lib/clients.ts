/**
 * viem clients for Civitas: one public client per chain, and one {@link AgentWallet} per agent, each with
 * its own key and its own nonce counter, so different agents send concurrently and one agent's
 * transactions stay ordered. A resent transaction is the same signed bytes (same nonce, same hash), so a
 * retried action never pays twice. Importing this module has no side effects.
 *
 * ```ts
 * const client = createCivitasPublicClient("http://127.0.0.1:8545");
 * const alice = new AgentWallet({ client, account: agentAccount(DEVNET_MNEMONIC, 0) });
 * const receipt = await alice.execute({ ...civitas.token, functionName: "transfer", args: [bob, parseCiv("5")] });
 * ```
 */
import { readFileSync } from "node:fs";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  createPublicClient,
  defineChain,
  encodeFunctionData,
  type Hash,
  type Hex,
  HttpRequestError,
  http,
  keccak256,
  type LocalAccount,
  type PublicClient,
  TimeoutError,
  type TransactionReceipt,
  type Transport,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { type DecodedRevert, decodeRevert, describeError } from "./errors.ts";

/** Hardhat's well-known development mnemonic: devnet only, never for real funds. */
export const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";

/** First HD address index used for simulated agents (0..99 are left to the deployer and tools). */
export const AGENT_INDEX_OFFSET = 100;

/** The public client type used throughout the SDK. */
export type CivitasPublicClient = PublicClient<Transport, Chain>;

/**
 * A viem chain definition for a Civitas RPC endpoint.
 * @param rpcUrl HTTP JSON-RPC URL.
 * @param chainId EIP-155 chain id (default 31337, the devnet).
 */
export function civitasChain(rpcUrl: string, chainId = 31337): Chain {
  return defineChain({
    id: chainId,
    name: chainId === 31337 ? "Civitas devnet" : `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/**
 * A public client with JSON-RPC batching (many concurrent reads share one HTTP request) and fast polling.
 * @param rpcUrl HTTP JSON-RPC URL.
 * @param options.chainId EIP-155 chain id (default 31337).
 * @param options.pollingIntervalMs Receipt/block polling interval in ms (default 100: a local devnet).
 */
export function createCivitasPublicClient(
  rpcUrl: string,
  options: { chainId?: number; pollingIntervalMs?: number } = {},
): CivitasPublicClient {
  return createPublicClient({
    chain: civitasChain(rpcUrl, options.chainId),
    transport: http(rpcUrl, { batch: { batchSize: 200, wait: 2 }, retryCount: 3, timeout: 60_000 }),
    pollingInterval: options.pollingIntervalMs ?? 100,
  }) as CivitasPublicClient;
}

/**
 * The account of agent `index` derived from a mnemonic at `m/44'/60'/0'/0/(AGENT_INDEX_OFFSET + index)`.
 * @param mnemonic BIP-39 mnemonic (the devnet uses {@link DEVNET_MNEMONIC}).
 * @param index The agent's number, from 0.
 */
export function agentAccount(mnemonic: string, index: number): LocalAccount {
  return mnemonicToAccount(mnemonic, { addressIndex: AGENT_INDEX_OFFSET + index });
}

/**
 * Loads a signing account for a CLI or a bot: a private key (`0x…` 32 bytes), or an encrypted JSON
 * keystore (Web3 Secret Storage, as written by geth, ethers or `cast wallet`) with its password.
 * @param source.privateKey Hex private key.
 * @param source.keystoreFile Path of an encrypted keystore file (needs `password`).
 * @param source.password The keystore's password.
 * @throws Error when no source is given, the key is malformed, or the password is wrong.
 */
export async function loadAccount(source: {
  privateKey?: string;
  keystoreFile?: string;
  password?: string;
}): Promise<LocalAccount> {
  if (source.privateKey) {
    const key = source.privateKey.startsWith("0x") ? source.privateKey : `0x${source.privateKey}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("the private key must be 32 bytes of hex");
    return privateKeyToAccount(key as Hex);
  }
  if (source.keystoreFile) {
    if (source.password === undefined) throw new Error(`keystore ${source.keystoreFile} needs a password`);
    const { Wallet } = await import("ethers");
    const json = readFileSync(source.keystoreFile, "utf8");
    const wallet = await Wallet.fromEncryptedJson(json, source.password).catch((error: Error) => {
      throw new Error(`cannot decrypt ${source.keystoreFile}: ${error.message}`);
    });
    return privateKeyToAccount(wallet.privateKey as Hex);
  }
  throw new Error("no key: set CIVITAS_PRIVATE_KEY, or CIVITAS_KEYSTORE and CIVITAS_KEYSTORE_PASSWORD");
}

/** A contract call: a typed binding (`{ address, abi }`) plus the function and its arguments. */
export type ContractCall<
  abi extends Abi = Abi,
  name extends ContractFunctionName<abi, "nonpayable" | "payable"> = ContractFunctionName<
    abi,
    "nonpayable" | "payable"
  >,
> = {
  address: Address;
  abi: abi;
  functionName: name;
  args?: ContractFunctionArgs<abi, "nonpayable" | "payable", name>;
  value?: bigint;
};

/** Where a failed action failed. */
export type TxStage = "simulate" | "send" | "receipt";

/** A failed action: the decoded custom error (when the chain reverted) and the stage it failed at. */
export class TxError extends Error {
  /** The decoded custom error, when the failure is a revert. */
  readonly revert?: DecodedRevert;
  /** `simulate` (nothing was sent, nothing paid), `send` (node refused it), `receipt` (mined, reverted). */
  readonly stage: TxStage;
  /** The transaction hash, when it was sent. */
  readonly hash?: Hash;
  constructor(stage: TxStage, label: string, cause: unknown, hash?: Hash, revert?: DecodedRevert) {
    super(`${label}: ${describeError(revert?.data ?? cause)}`, { cause });
    this.name = "TxError";
    this.stage = stage;
    this.hash = hash;
    this.revert = revert ?? decodeRevert(cause);
  }
}

/** A transaction accepted by the node: its hash and nonce, and a way to wait for its receipt. */
export interface SentTx {
  /** The transaction hash (keccak-256 of the signed bytes). */
  hash: Hash;
  /** The sender's nonce used. */
  nonce: number;
  /** Label of the action, for reports. */
  label: string;
  /**
   * Waits for the receipt.
   * @throws TxError (stage `receipt`, with the decoded error replayed at the block) when it reverted.
   */
  wait(): Promise<TransactionReceipt>;
}

/** A signed transaction not sent yet (see `AgentWallet.prepare`). */
export interface PreparedTx {
  /** The transaction hash. */
  hash: Hash;
  /** The sender's nonce it carries. */
  nonce: number;
  /**
   * Broadcasts it (the same bytes are resent on transport failures).
   * @throws TxError stage `send` when the node refuses it.
   */
  send(): Promise<SentTx>;
}

/** Fee settings shared by wallets on one chain. */
export interface FeeSource {
  /** Returns EIP-1559 fees in wei. */
  fees(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }>;
}

/**
 * Fees from the latest block's base fee (x2 headroom) plus a fixed tip, cached for `ttlMs`: one request
 * serves every agent's transactions of a round.
 * @param client The public client.
 * @param options.tipWei Priority fee in wei (default 1 gwei).
 * @param options.ttlMs How long a reading is reused, in ms (default 1000).
 */
export function cachedFees(
  client: CivitasPublicClient,
  options: { tipWei?: bigint; ttlMs?: number } = {},
): FeeSource {
  const tip = options.tipWei ?? 1_000_000_000n;
  const ttl = options.ttlMs ?? 1_000;
  let cached:
    { at: number; value: Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> } | undefined;
  return {
    fees() {
      if (cached === undefined || Date.now() - cached.at > ttl) {
        const value = client.getBlock({ blockTag: "latest" }).then((block) => ({
          maxFeePerGas: (block.baseFeePerGas ?? 1_000_000_000n) * 2n + tip,
          maxPriorityFeePerGas: tip,
        }));
        value.catch(() => (cached = undefined));
        cached = { at: Date.now(), value };
      }
      return cached.value;
    },
  };
}

/** Errors worth resending the same signed bytes for: the request may not have reached the node. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof HttpRequestError ||
    error instanceof TimeoutError ||
    /ECONNRESET|ECONNREFUSED|socket hang up|fetch failed/i.test(String((error as Error)?.message ?? error))
  );
}

/**
 * One agent's signer: simulates each call (an estimate that reverts costs nothing and is reported with
 * its decoded error), numbers it with the agent's own nonce counter, signs locally and sends. Calls of one
 * wallet are numbered in the order they were made; wallets of different agents never wait for each other.
 *
 * Nonce rules: a nonce is taken only after the simulation passed; if the node refuses a transaction, the
 * counter is re-read from the chain (`pending`); a transport failure resends the same signed bytes (same
 * nonce, same hash), so an action is paid at most once.
 */
export class AgentWallet {
  /** The agent's address. */
  readonly address: Address;
  /** The agent's signing account. */
  readonly account: LocalAccount;
  readonly #client: CivitasPublicClient;
  readonly #fees: FeeSource;
  readonly #gasMarginBps: bigint;
  #nextNonce: number | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * @param options.client Public client of the chain.
   * @param options.account The agent's account (see {@link agentAccount}, {@link loadAccount}).
   * @param options.fees Fee source (default: {@link cachedFees} on `client`).
   * @param options.gasMarginBps Gas limit = estimate x (1 + margin); default 2,000 bps (20%).
   */
  constructor(options: {
    client: CivitasPublicClient;
    account: LocalAccount;
    fees?: FeeSource;
    gasMarginBps?: number;
  }) {
    this.#client = options.client;
    this.account = options.account;
    this.address = options.account.address;
    this.#fees = options.fees ?? cachedFees(options.client);
    this.#gasMarginBps = BigInt(options.gasMarginBps ?? 2_000);
  }

  /** The next nonce this wallet will use (read from the chain's pending count the first time). */
  async nextNonce(): Promise<number> {
    if (this.#nextNonce === undefined)
      this.#nextNonce = await this.#client.getTransactionCount({
        address: this.address,
        blockTag: "pending",
      });
    return this.#nextNonce;
  }

  /** Forgets the nonce counter; the next transaction re-reads it from the chain. */
  resyncNonce(): void {
    this.#nextNonce = undefined;
  }

  /**
   * Simulates, signs and sends a contract call without waiting for it to be mined.
   * @param call The binding, function and arguments (typed from the ABI).
   * @param options.label Name of the action in errors and reports (default: the function name).
   * @param options.gas Gas limit to use instead of estimating (skips the simulation).
   * @returns The sent transaction.
   * @throws TxError: stage `simulate` with the decoded custom error when the call would revert (no nonce
   * used, nothing paid); stage `send` when the node refused it.
   */
  async send<const abi extends Abi, name extends ContractFunctionName<abi, "nonpayable" | "payable">>(
    call: ContractCall<abi, name>,
    options: { label?: string; gas?: bigint } = {},
  ): Promise<SentTx> {
    const label = options.label ?? String(call.functionName);
    const data = encodeFunctionData({
      abi: call.abi,
      functionName: call.functionName,
      args: call.args,
    } as never);
    return this.#sendRaw({ to: call.address, data, value: call.value ?? 0n }, label, call.abi, options.gas);
  }

  /**
   * Sends a plain transaction (e.g. ETH) with the same nonce discipline as {@link send}.
   * @param tx Recipient, optional calldata and value in wei.
   * @param label Name of the action in errors.
   */
  async sendTransaction(
    tx: { to: Address; data?: Hex; value?: bigint },
    label = "transaction",
  ): Promise<SentTx> {
    return this.#sendRaw({ to: tx.to, data: tx.data ?? "0x", value: tx.value ?? 0n }, label, [], undefined);
  }

  /**
   * {@link send}, then waits for the receipt.
   * @returns The receipt of a successful transaction.
   * @throws TxError at any stage (see {@link send}; stage `receipt` when it was mined but reverted).
   */
  async execute<const abi extends Abi, name extends ContractFunctionName<abi, "nonpayable" | "payable">>(
    call: ContractCall<abi, name>,
    options: { label?: string; gas?: bigint } = {},
  ): Promise<TransactionReceipt> {
    return (await this.send(call, options)).wait();
  }

  /**
   * Signs a contract call with a fixed gas limit and this wallet's next nonce, moving the counter on, without
   * sending it yet: a caller can sign several transactions of one wallet and send them together
   * (scripts/sim/sender.ts). When the node refuses one of them, the counter is re-read from the chain on the
   * next use, and the transactions accepted after it wait behind the missing nonce until something takes it
   * (see {@link prepareTransaction} with `nonce`).
   * @param call The binding, function and arguments.
   * @param options.label Name of the action in errors and reports (default: the function name).
   * @param options.gas Gas limit (no simulation is made).
   * @returns The hash and nonce, and `send()`: broadcasts the signed bytes (resent on transport failures)
   * and returns the sent transaction; throws TxError stage `send` when the node refuses it.
   */
  async prepare<const abi extends Abi, name extends ContractFunctionName<abi, "nonpayable" | "payable">>(
    call: ContractCall<abi, name>,
    options: { label?: string; gas: bigint },
  ): Promise<PreparedTx> {
    const data = encodeFunctionData({
      abi: call.abi,
      functionName: call.functionName,
      args: call.args,
    } as never);
    return this.prepareTransaction(
      { to: call.address, data, value: call.value ?? 0n },
      { label: options.label ?? String(call.functionName), gas: options.gas, abi: call.abi },
    );
  }

  /**
   * {@link prepare} for a plain transaction; with `options.nonce`, signs with that nonce and leaves the
   * counter alone (to fill a nonce the node refused, so that later accepted transactions can be mined).
   * @param tx Recipient, optional calldata and value in wei.
   * @param options.label Name of the action in errors; `gas` the gas limit; `abi` decodes its errors.
   */
  async prepareTransaction(
    tx: { to: Address; data?: Hex; value?: bigint },
    options: { label: string; gas: bigint; nonce?: number; abi?: Abi },
  ): Promise<PreparedTx> {
    const body = { to: tx.to, data: tx.data ?? "0x", value: tx.value ?? 0n } as const;
    const fees = await this.#fees.fees();
    const sign = async (nonce: number) => {
      const serialized = await this.account.signTransaction({
        ...body,
        gas: options.gas,
        nonce,
        chainId: this.#client.chain.id,
        type: "eip1559",
        ...fees,
      });
      return { serialized, hash: keccak256(serialized), nonce };
    };
    let signed: Promise<{ serialized: Hex; hash: Hash; nonce: number }>;
    if (options.nonce !== undefined) {
      signed = sign(options.nonce);
    } else {
      signed = this.#queue.then(async () => {
        const result = await sign(await this.nextNonce());
        this.#nextNonce = result.nonce + 1;
        return result;
      });
      this.#queue = signed.catch(() => undefined);
    }
    const { serialized, hash, nonce } = await signed;
    const label = options.label;
    return {
      hash,
      nonce,
      send: async () => {
        await this.#broadcast(serialized, hash, label);
        return { hash, nonce, label, wait: () => this.#waitFor(hash, label, body, options.abi ?? []) };
      },
    };
  }

  async #sendRaw(tx: { to: Address; data: Hex; value: bigint }, label: string, abi: Abi, fixedGas?: bigint) {
    let gas = fixedGas;
    if (gas === undefined) {
      try {
        const estimate = await this.#client.estimateGas({ account: this.address, ...tx });
        gas = estimate + (estimate * this.#gasMarginBps) / 10_000n;
      } catch (error) {
        throw new TxError("simulate", label, error, undefined, decodeRevert(error, [abi]));
      }
    }
    const fees = await this.#fees.fees();
    // Number, sign and send under this wallet's lock, so nonces go out in order and none is skipped.
    const run = this.#queue.then(async () => {
      const nonce = await this.nextNonce();
      const serialized = await this.account.signTransaction({
        ...tx,
        gas,
        nonce,
        chainId: this.#client.chain.id,
        type: "eip1559",
        ...fees,
      });
      const hash = keccak256(serialized);
      await this.#broadcast(serialized, hash, label);
      this.#nextNonce = nonce + 1;
      return { hash, nonce };
    });
    this.#queue = run.catch(() => undefined);
    const { hash, nonce } = await run;
    return { hash, nonce, label, wait: () => this.#waitFor(hash, label, tx, abi) };
  }

  /** Sends signed bytes, resending the same bytes on transport failures. */
  async #broadcast(serialized: Hex, hash: Hash, label: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#client.sendRawTransaction({ serializedTransaction: serialized });
        return;
      } catch (error) {
        // A resend of bytes the node already has is a success: same hash, paid once.
        if (attempt > 0 && (await this.#client.getTransaction({ hash }).catch(() => undefined))) return;
        if (isTransient(error) && attempt < 4) {
          await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
          continue;
        }
        this.resyncNonce();
        throw new TxError("send", label, error, hash);
      }
    }
  }

  async #waitFor(hash: Hash, label: string, tx: { to: Address; data: Hex; value: bigint }, abi: Abi) {
    const receipt = await this.#client.waitForTransactionReceipt({ hash, timeout: 120_000 });
    if (receipt.status === "success") return receipt;
    throw await revertedTxError(this.#client, receipt, this.address, tx, label, abi);
  }
}

/**
 * Builds the error for a mined transaction that reverted, decoding its custom error by replaying the call
 * on the state of its block.
 * @param client Public client.
 * @param receipt The reverted receipt.
 * @param from The sender.
 * @param tx The call's target, data and value.
 * @param label Name of the action.
 * @param abi The called contract's ABI (every Civitas ABI is tried too).
 */
export async function revertedTxError(
  client: CivitasPublicClient,
  receipt: TransactionReceipt,
  from: Address,
  tx: { to: Address; data: Hex; value: bigint },
  label: string,
  abi: Abi = [],
): Promise<TxError> {
  let revert: DecodedRevert | undefined;
  let cause: unknown = new Error(
    `transaction ${receipt.transactionHash} reverted in block ${receipt.blockNumber}`,
  );
  try {
    await client.call({ account: from, ...tx, blockNumber: receipt.blockNumber });
  } catch (error) {
    revert = decodeRevert(error, [abi]);
    if (revert) cause = error;
  }
  return new TxError("receipt", label, cause, receipt.transactionHash, revert);
}

/** A read-only contract call for {@link readMany}. */
export interface ReadCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
}

/** Multicall3's address: the same on every chain that has it (deployed on the devnet by `installMulticall3`). */
export const MULTICALL3_ADDRESS: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

/**
 * Reads many view functions through Multicall3's `aggregate3` at {@link MULTICALL3_ADDRESS}: a few hundred
 * calls per `eth_call` instead of one each, all at the same block. On the devnet, install the contract
 * first with `installMulticall3` (scripts/lib/devchain.ts).
 * @param client Public client.
 * @param calls The calls, in order.
 * @param options.blockNumber Block to read at (default: latest).
 * @returns The decoded results, in the calls' order (typed by the caller).
 * @throws When any call reverts (the error names the failing call).
 */
export async function readMany(
  client: CivitasPublicClient,
  calls: readonly ReadCall[],
  options: { blockNumber?: bigint } = {},
): Promise<unknown[]> {
  if (calls.length === 0) return [];
  return (await client.multicall({
    contracts: calls as never,
    allowFailure: false,
    multicallAddress: MULTICALL3_ADDRESS,
    // Chunks of ~8 KB of calldata (a few hundred calls), each its own eth_call under the node's gas cap;
    // the transport's JSON-RPC batching still sends them in one HTTP request.
    batchSize: 8_192,
    blockNumber: options.blockNumber,
  })) as unknown[];
}

/** Narrowing helper: whether an account is a local (key-holding) account. */
export function isLocalAccount(account: Account): account is LocalAccount {
  return account.type === "local";
}
