/**
 * Helpers for the indexer's end-to-end tests and benchmarks: GraphQL queries, paging, and a comparison
 * of every indexed row with what the contracts return (read with ethers in the test, never in handlers).
 */
import { expect } from "chai";
import { Contract, JsonRpcProvider, type JsonRpcSigner } from "ethers";
import * as abis from "../../generated/abis.ts";
import { civitasTokenAbi, treasuryAbi } from "../../generated/abis.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Node >= 19 keeps HTTP connections alive by default, and the devnet closes an idle one after 5 s: a request
// sent on it at that instant fails with "socket hang up" (seen under load, after waiting for a re-index).
// ethers sends JSON-RPC through Node's global agent, so the tests use fresh connections.
http.globalAgent = new http.Agent({ keepAlive: false });

/** Runs a GraphQL query and returns its data. @throws On GraphQL errors. */
export async function gql<T = any>(graphqlUrl: string, query: string, variables: object = {}): Promise<T> {
  const ask = () =>
    fetch(graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
  // A read sent on a kept-alive connection as the server closes it fails without an answer (under load the
  // event loop lags past the keep-alive margin); a query is idempotent, so it is sent once more.
  const response = await ask().catch(ask);
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors !== undefined) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data as T;
}

/**
 * Every row of a plural GraphQL field, following cursor pagination.
 * @param field e.g. "accounts"; @param fields the selection, e.g. "address balance".
 */
export async function allRows<T = any>(
  graphqlUrl: string,
  field: string,
  fields: string,
  where = "",
): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await gql(
      graphqlUrl,
      `query ($after: String) { ${field}(limit: 1000, after: $after${where ? `, where: ${where}` : ""}) {
        items { ${fields} } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    rows.push(...data[field].items);
    if (!data[field].pageInfo.hasNextPage) return rows;
    after = data[field].pageInfo.endCursor;
  }
}

/** Clients of a devnet deployment: provider, unlocked signers and the contracts. */
export async function chainClients(rpcUrl: string, deployment: Deployment) {
  const provider = new JsonRpcProvider(rpcUrl, undefined, {
    staticNetwork: true,
    polling: true,
    pollingInterval: 50,
  });
  const signers: JsonRpcSigner[] = [];
  for (let i = 0; i < 10; i++) signers.push(await provider.getSigner(i));
  const token = new Contract(deployment.contracts.token!, civitasTokenAbi as any, signers[0]);
  const treasury = new Contract(deployment.contracts.treasury!, treasuryAbi as any, signers[0]);
  const optional = (key: string, abiName: string) => {
    const abi = (abis as Record<string, unknown>)[abiName];
    const address = deployment.contracts[key];
    return abi !== undefined && address !== undefined
      ? new Contract(address, abi as any, signers[0])
      : undefined;
  };
  const registry = optional("registry", "agentRegistryAbi");
  const staking = optional("staking", "stakingAbi");
  const escrow = optional("escrow", "escrowAbi");
  const governor = optional("governor", "civitasGovernorAbi");
  return { provider, signers, token, treasury, registry, staking, escrow, governor };
}

/** Sends a transaction and waits for its receipt. */
export async function send(tx: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await tx).wait();
}

/**
 * The chain's current block number as a bigint, asked of the node itself: ethers' `getBlockNumber()` answers
 * from a 250 ms cache, so right after a transaction it can return the block before it (and a wait for
 * that block would return before the transaction is indexed).
 */
export async function blockNumber(provider: JsonRpcProvider): Promise<bigint> {
  return BigInt(await provider.send("eth_blockNumber", []));
}

type Clients = Awaited<ReturnType<typeof chainClients>>;
const lower = (a: string) => a.toLowerCase();

/**
 * Asserts that the indexer's rows equal the chain's state: every balance, vote, delegate and protocol flag;
 * tax, earnings and spending per account; one transfer row per Transfer log; Treasury flows and budgets;
 * the latest economy day's totals.
 */
export async function assertMatchesChain(
  indexer: Pick<Indexer, "graphqlUrl" | "waitForIndexedBlock">,
  clients: Clients,
  deployment: Deployment,
): Promise<void> {
  const { token, treasury, provider } = clients;
  await indexer.waitForIndexedBlock(await blockNumber(provider));
  const url = indexer.graphqlUrl;
  const accounts = await allRows(
    url,
    "accounts",
    "address balance votes delegate taxPaid totalEarned totalSpent burned isProtocol",
  );
  let sum = 0n;
  for (const row of accounts) {
    expect(BigInt(row.balance), `balance of ${row.address}`).to.equal(await token.balanceOf(row.address));
    expect(BigInt(row.votes), `votes of ${row.address}`).to.equal(await token.getVotes(row.address));
    const delegate = lower(await token.delegates(row.address));
    expect(
      row.delegate ?? "0x0000000000000000000000000000000000000000",
      `delegate of ${row.address}`,
    ).to.equal(delegate);
    expect(row.isProtocol, `protocol flag of ${row.address}`).to.equal(
      await token.isProtocolAccount(row.address),
    );
    sum += BigInt(row.balance);
  }
  const totalSupply: bigint = await token.totalSupply();
  expect(sum).to.equal(totalSupply);

  // Taxes and earnings per account, from the chain's own summary events.
  const fromBlock = deployment.startBlock;
  const taxed = await token.queryFilter(token.filters.TaxCharged(), fromBlock);
  const earnings = await token.queryFilter(token.filters.EarningsPaid(), fromBlock);
  const expected = new Map<string, { tax: bigint; earned: bigint; spent: bigint }>();
  const entry = (a: string) => {
    const key = lower(a);
    if (!expected.has(key)) expected.set(key, { tax: 0n, earned: 0n, spent: 0n });
    return expected.get(key)!;
  };
  let totalTax = 0n;
  for (const log of taxed as any[]) {
    entry(log.args.to).tax += log.args.tax;
    entry(log.args.to).earned += log.args.gross;
    entry(log.args.from).spent += log.args.gross;
    totalTax += log.args.tax;
  }
  for (const log of earnings as any[]) {
    entry(log.args.payee).tax += log.args.tax;
    entry(log.args.payee).earned += log.args.gross;
    totalTax += log.args.tax;
  }
  for (const row of accounts) {
    const e = expected.get(row.address) ?? { tax: 0n, earned: 0n, spent: 0n };
    expect(BigInt(row.taxPaid), `tax of ${row.address}`).to.equal(e.tax);
    expect(BigInt(row.totalEarned), `earned of ${row.address}`).to.equal(e.earned);
    expect(BigInt(row.totalSpent), `spent of ${row.address}`).to.equal(e.spent);
  }

  // Every Transfer log is one row, with the same parties and amount.
  const logs = (await token.queryFilter(token.filters.Transfer(), fromBlock)) as any[];
  const transfers = await allRows(
    url,
    "transfers",
    "from to amount gross tax net kind transactionHash logIndex",
  );
  expect(transfers.length).to.equal(logs.length);
  const byKey = new Map(transfers.map((t) => [`${t.transactionHash}:${t.logIndex}`, t]));
  for (const log of logs) {
    const row = byKey.get(`${log.transactionHash}:${log.index}`);
    expect(row, `transfer ${log.transactionHash}:${log.index}`).to.not.equal(undefined);
    expect(row.from).to.equal(lower(log.args.from));
    expect(row.to).to.equal(lower(log.args.to));
    expect(BigInt(row.amount)).to.equal(log.args.value);
    expect(BigInt(row.gross) - BigInt(row.tax)).to.equal(BigInt(row.net));
  }
  const taxRows = transfers.filter((t) => t.kind === "tax");
  expect(taxRows.reduce((s, t) => s + BigInt(t.amount), 0n)).to.equal(totalTax);

  // Treasury: flows in minus flows out equal its balance; budgets equal budgetOf.
  const treasuryAddress = lower(await treasury.getAddress());
  const flows = await allRows(url, "treasuryFlows", "direction amount token kind");
  const net = flows
    .filter((f) => f.token === lower(String(token.target)))
    .reduce((s, f) => s + (f.direction === "in" ? BigInt(f.amount) : -BigInt(f.amount)), 0n);
  expect(net).to.equal(await token.balanceOf(treasuryAddress));
  for (const row of await allRows(url, "budgets", "spender token remaining")) {
    expect(BigInt(row.remaining)).to.equal(await treasury.budgetOf(row.spender, row.token));
  }

  // The latest economy row carries the supply as of now.
  const days = await allRows(
    url,
    "economyDays",
    "day closed totalSupply treasuryBalance circulating taxCollected",
  );
  const latest = days.reduce((a, b) => (BigInt(a.day) > BigInt(b.day) ? a : b));
  expect(BigInt(latest.totalSupply)).to.equal(totalSupply);
  expect(BigInt(latest.treasuryBalance)).to.equal(await token.balanceOf(treasuryAddress));
  expect(BigInt(latest.circulating)).to.equal(await token.circulatingSupply());
  expect(days.reduce((s, d) => s + BigInt(d.taxCollected), 0n)).to.equal(totalTax);
}

/** A devnet with the protocol deployed, and the indexer on it once {@link IndexedProtocol.index} is called. */
export interface IndexedProtocol {
  /** The devnet (set by the `before` hook). */
  readonly devnet: Devnet;
  /** The deployment (set by the `before` hook). */
  readonly deployment: Deployment;
  /** The throwaway deployments folder the indexer and the CLI read. */
  readonly deploymentsDir: string;
  /** The indexer, once {@link index} ran. */
  readonly indexer: Indexer;
  /** Starts the indexer on a throwaway PGlite folder and waits until it has indexed the latest block. */
  index(): Promise<Indexer>;
}

/**
 * The shared setup of the indexer's end-to-end tests, called inside a `describe`: registers the hooks that
 * start a devnet and deploy the protocol (`before`), print the indexer's last log lines when a test fails
 * (`afterEach`), and stop the indexer and the devnet and remove the scratch folder (`after`).
 * @param name Names the scratch folder (`civitas-<name>-indexer-…` in the OS temp folder).
 */
export function indexedProtocol(name: string): IndexedProtocol {
  const work = mkdtempSync(join(tmpdir(), `civitas-${name}-indexer-`));
  const deploymentsDir = join(work, "deployments");
  const logs: string[] = [];
  let devnet: Devnet | undefined;
  let deployment: Deployment | undefined;
  let indexer: Indexer | undefined;
  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`indexedProtocol: no ${what} yet`);
    return value;
  };

  before(async function () {
    // Ponder's start takes minutes on a loaded machine (indexer/run.ts reads this).
    process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";
    devnet = await startDevnet();
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(logs.slice(-80).join("\n"));
  });

  after(async function () {
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  return {
    get devnet() {
      return required(devnet, "devnet");
    },
    get deployment() {
      return required(deployment, "deployment");
    },
    deploymentsDir,
    get indexer() {
      return required(indexer, "indexer");
    },
    async index() {
      const rpcUrl = required(devnet, "devnet").rpcUrl;
      indexer = await startIndexer({
        rpcUrl,
        deploymentsDir,
        databaseDir: join(work, "pglite"),
        log: (line) => void logs.push(line),
      });
      const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
      await indexer.waitForIndexedBlock(await blockNumber(provider), 600_000);
      provider.destroy();
      return indexer;
    },
  };
}
