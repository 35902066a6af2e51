/**
 * End to end: a devnet on a free port, the protocol deployed into a temp deployments folder, a scenario
 * touching every deployed contract, the indexer on a throwaway PGlite folder; then every indexed balance,
 * vote, budget and economy figure equals what the contracts return. Also: a restart mid-run resumes and
 * stays exact; a new chain (devnet restarted, redeployed) never serves the old chain's rows.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { allRows, blockNumber, chainClients, gql, send } from "./helpers.ts";

const CIV = 10n ** 18n;
const lower = (a: string) => a.toLowerCase();

type Clients = Awaited<ReturnType<typeof chainClients>>;

/** Part one: grants, a taxed payment, delegation, a protocol account's deposit, earnings and refund. */
async function scenarioPartOne({ token, treasury, signers }: Clients): Promise<void> {
  const [admin, alice, bob, carol, , escrowLike] = signers;
  const tokenAddress = await token.getAddress();
  for (const agent of [alice, bob, carol]) {
    await send(treasury.transfer(tokenAddress, agent.address, 10_000n * CIV));
  }
  await send((token.connect(alice) as any).transfer(bob.address, 1_234n * CIV + 7n)); // taxed payment
  await send((token.connect(alice) as any).delegate(alice.address));
  await send((token.connect(bob) as any).delegate(alice.address));
  await send(token.setProtocolAccount(escrowLike.address, true));
  await send((token.connect(carol) as any).transfer(escrowLike.address, 500n * CIV)); // deposit
  await send((token.connect(escrowLike) as any).payEarnings(bob.address, 300n * CIV + 3n)); // earnings
  await send((token.connect(escrowLike) as any).transfer(carol.address, 100n * CIV)); // refund
  await send(token.connect(admin).getFunction("setTaxBps")(500n));
  await send((token.connect(bob) as any).transfer(carol.address, 99n * CIV + 1n)); // taxed at the new rate
}

/** Part two: cap excess (grant and earnings), a budget draw, burn, upkeep burn, mint, a new day. */
async function scenarioPartTwo({ token, treasury, signers, provider }: Clients): Promise<void> {
  const [admin, alice, , carol, dave, escrowLike, drawer, erin] = signers;
  const tokenAddress = await token.getAddress();
  // The cap is 5% of 10M = 500,000 CIV: a 600,000 CIV grant sends 100,000 back as cap excess.
  await send(treasury.transfer(tokenAddress, dave.address, 600_000n * CIV));
  // Earnings to an account at the cap: the whole net goes to the Treasury as cap excess.
  await send(treasury.transfer(tokenAddress, escrowLike.address, 1_000n * CIV));
  await send((token.connect(escrowLike) as any).payEarnings(dave.address, 200n * CIV));
  await send(treasury.setBudget(drawer.address, tokenAddress, 5_000n * CIV));
  await send((treasury.connect(drawer) as any).draw(tokenAddress, erin.address, 1_500n * CIV));
  await send((token.connect(carol) as any).burn(5n * CIV));
  await send(token.grantRole(await token.UPKEEP_BURNER_ROLE(), admin.address));
  await send(token.burnUpkeep(alice.address, 2n * CIV));
  await send(token.mint(erin.address, 1_000n * CIV));
  // A new day: the previous economy row closes with its distribution.
  await provider.send("evm_increaseTime", [86_400]);
  await send((token.connect(erin) as any).transfer(alice.address, 10n * CIV));
}

/**
 * The registry's part (when deployed): registrations (permissionless), a URI update, upkeep collection
 * a day later, and a reputation report and a suspension when the deployer still holds those roles.
 */
async function scenarioRegistry({ registry, token, treasury, signers, provider }: Clients): Promise<void> {
  if (registry === undefined) return;
  const [admin, alice, bob, carol] = signers;
  const registryAddress = await registry.getAddress();
  if (await treasury.hasRole(await treasury.DEFAULT_ADMIN_ROLE(), admin.address)) {
    await send(treasury.setBudget(registryAddress, await token.getAddress(), 2_500n * CIV));
  }
  if (await token.hasRole(await token.DEFAULT_ADMIN_ROLE(), admin.address)) {
    await send(token.grantRole(await token.UPKEEP_BURNER_ROLE(), registryAddress));
  }
  for (const agent of [alice, bob, carol]) {
    await send((registry.connect(agent) as any)["register(string)"](`ipfs://agent/${agent.address}`));
  }
  const aliceId: bigint = await registry.agentIdOf(alice.address);
  const bobId: bigint = await registry.agentIdOf(bob.address);
  await send((registry.connect(alice) as any).setAgentURI(aliceId, "ipfs://alice/v2"));
  if (await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), admin.address)) {
    await send(registry.grantRole(await registry.REPORTER_ROLE(), admin.address));
    await send(registry.grantRole(await registry.GUARDIAN_ROLE(), admin.address));
    await send(
      registry.reportReputation(
        alice.address,
        7n,
        "0x" + Buffer.from("JOB_DONE").toString("hex").padEnd(64, "0"),
        1n,
      ),
    );
    await send(
      registry.reportReputation(
        bob.address,
        -3n,
        "0x" + Buffer.from("LATE").toString("hex").padEnd(64, "0"),
        2n,
      ),
    );
    await send(registry.suspend(bobId, "testing"));
  }
  await provider.send("evm_increaseTime", [2 * 86_400 + 5]);
  await send((registry as any)["collectUpkeep(uint256)"](aliceId));
}

/** Asserts that the indexer's agent rows equal the registry's state. */
async function assertAgentsMatchChain(indexer: Indexer, { registry }: Clients): Promise<void> {
  if (registry === undefined) return;
  const agents = await allRows(
    indexer.graphqlUrl,
    "agents",
    "id wallet owner uri status suspended starved reputation",
  );
  expect(BigInt(agents.length)).to.equal(await registry.totalAgents());
  for (const row of agents) {
    const onChain = await registry.agent(row.id);
    expect(row.wallet ?? "0x0000000000000000000000000000000000000000").to.equal(lower(onChain.wallet));
    expect(row.owner).to.equal(lower(await registry.ownerOf(row.id)));
    expect(row.uri).to.equal(await registry.tokenURI(row.id));
    expect(BigInt(row.reputation)).to.equal(await registry.scoreOf(row.id));
    expect(row.suspended).to.equal(onChain.suspended);
    expect(row.starved).to.equal(onChain.starved);
    const status = ["none", "active", "starved", "suspended", "suspended_starved"][
      Number(await registry.statusOf(row.id))
    ];
    expect(row.status).to.equal(status);
  }
  const accounts = await allRows(indexer.graphqlUrl, "accounts", "address agentId", "{ agentId_not: null }");
  for (const row of accounts) expect(BigInt(row.agentId)).to.equal(await registry.agentIdOf(row.address));
}

/** Asserts that the indexer's rows equal the chain's state. */
async function assertMatchesChain(indexer: Indexer, clients: Clients, deployment: Deployment): Promise<void> {
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
    .filter((f) => f.token === lower(await_(token.target)))
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

/** ethers' `target` is a string or an Addressable; the deployment's addresses are strings. */
function await_(target: unknown): string {
  return String(target);
}

describe("Indexer (end to end)", function () {
  this.timeout(600_000);
  let devnet: Devnet;
  let indexer: Indexer | undefined;
  let deployment: Deployment;
  let clients: Clients;
  const work = mkdtempSync(join(tmpdir(), "civitas-indexer-"));
  const deploymentsDir = join(work, "deployments");
  const databaseDir = join(work, "pglite");
  const logs: string[] = [];
  const log = (line: string) => void logs.push(line);

  before(async function () {
    devnet = await startDevnet();
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    clients = await chainClients(devnet.rpcUrl, deployment);
  });

  after(async function () {
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("indexes every balance, vote, tax, transfer, budget and economy figure exactly", async function () {
    await scenarioPartOne(clients);
    await scenarioRegistry(clients);
    indexer = await startIndexer({ rpcUrl: devnet.rpcUrl, deploymentsDir, databaseDir, log });
    await assertMatchesChain(indexer, clients, deployment);
    await assertAgentsMatchChain(indexer, clients);

    const url = indexer.graphqlUrl;
    const kinds = new Set((await allRows(url, "transfers", "kind")).map((t) => t.kind));
    for (const kind of ["mint", "grant", "payment", "tax", "deposit", "earnings", "refund"]) {
      expect(kinds, `kinds ${[...kinds]}`).to.include(kind);
    }
    const bob = lower(clients.signers[2].address);
    const { transfers } = await gql(
      url,
      `{ transfers(where: { to: "${bob}", kind: "payment" }) { items { gross tax net amount } } }`,
    );
    const gross = 1_234n * CIV + 7n;
    expect(transfers.items).to.deep.equal([
      {
        gross: gross.toString(),
        tax: ((gross * 1_000n) / 10_000n).toString(),
        net: (gross - (gross * 1_000n) / 10_000n).toString(),
        amount: (gross - (gross * 1_000n) / 10_000n).toString(),
      },
    ]);
  });

  it("resumes after a restart mid-run and stays exact", async function () {
    await indexer!.stop();
    logs.length = 0;
    await scenarioPartTwo(clients); // while the indexer is down
    indexer = await startIndexer({ rpcUrl: devnet.rpcUrl, deploymentsDir, databaseDir, log });
    expect(logs.join("")).to.not.include("reset");
    await assertMatchesChain(indexer, clients, deployment);
    await assertAgentsMatchChain(indexer, clients);

    const url = indexer.graphqlUrl;
    const kinds = new Set((await allRows(url, "transfers", "kind")).map((t) => t.kind));
    for (const kind of ["cap_excess", "burn"]) expect(kinds).to.include(kind);
    const { economyDays } = await gql(
      url,
      `{ economyDays(orderBy: "day", orderDirection: "asc") { items { day closed largestHolder largestHolderShareBps capBps } } }`,
    );
    expect(economyDays.items.length).to.be.greaterThanOrEqual(2);
    const closed = economyDays.items[economyDays.items.length - 2];
    expect(closed.closed).to.equal(true);
    // Dave was granted up to the cap (5% of supply) before the day closed.
    expect(closed.largestHolder).to.equal(lower(clients.signers[4].address));
    expect(BigInt(closed.largestHolderShareBps)).to.be.lessThanOrEqual(BigInt(closed.capBps));
    expect(BigInt(closed.largestHolderShareBps)).to.be.greaterThan(400n);
  });

  it("starts clean on a new chain and never serves the old chain's rows", async function () {
    await indexer!.stop();
    indexer = undefined;
    await devnet.stop();
    devnet = await startDevnet();
    const redeployed = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    expect(redeployed.genesisHash).to.not.equal(deployment.genesisHash);
    deployment = redeployed;
    clients = await chainClients(devnet.rpcUrl, deployment);
    logs.length = 0;
    indexer = await startIndexer({ rpcUrl: devnet.rpcUrl, deploymentsDir, databaseDir, log });
    expect(logs.join("")).to.include("reset");
    await assertMatchesChain(indexer, clients, deployment);
    const accounts = await allRows(indexer.graphqlUrl, "accounts", "address");
    expect(accounts.map((a) => a.address)).to.deep.equal([lower(deployment.contracts.treasury!)]);
  });

  it("refuses a chain that is not the deployed one", async function () {
    const other = await startDevnet();
    try {
      let error: Error | undefined;
      await startIndexer({
        rpcUrl: other.rpcUrl,
        deploymentsDir,
        databaseDir: join(work, "other"),
        log,
      }).catch((e: Error) => (error = e));
      expect(error?.message).to.include("is not the deployed one");
    } finally {
      await other.stop();
    }
  });
});
