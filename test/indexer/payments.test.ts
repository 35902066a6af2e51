import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import {
  AgentWallet,
  agentAccount,
  createCivitasPublicClient,
  DEVNET_MNEMONIC,
} from "../../scripts/lib/clients.ts";
import { civitasContracts } from "../../scripts/lib/contracts.ts";
import { setEthBalance } from "../../scripts/lib/devchain.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { queryGraphql } from "../../scripts/lib/graphql.ts";
import {
  ERC3009_TYPES,
  pay,
  paymentNonce,
  readTokenDomain,
  splitSignature,
} from "../../scripts/lib/payments.ts";
import { buyWithX402, startX402Seller } from "../../scripts/lib/x402.ts";

const CIV = 10n ** 18n;

interface Row {
  authorizer: string;
  nonce: string;
  status: string;
  settledBy: string | null;
  submitter: string;
  to: string | null;
  value: string | null;
  transactionHash: string;
  transfers: { items: { kind: string; gross: string; tax: string; to: string }[] };
}

describe("indexer: ERC-3009 payments are tagged and joined to their transfers", function () {
  this.timeout(600_000);
  let devnet: Devnet;
  let indexer: Indexer;
  let rows: Row[];
  const work = mkdtempSync(join(tmpdir(), "civitas-payments-"));
  const facts: { payHash: string; saleHash: string; payNonce: string; cancelNonce: string } = {} as never;
  let alice: AgentWallet;
  let bob: AgentWallet;

  before(async function () {
    devnet = await startDevnet();
    const deploymentsDir = join(work, "deployments");
    const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      chainId: deployment.chainId,
      deploymentsDir,
      databaseDir: join(work, "pglite"),
    });
    const client = createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId });
    const contracts = civitasContracts(deployment);
    [alice, bob] = [1, 2].map((i) => new AgentWallet({ client, account: agentAccount(DEVNET_MNEMONIC, i) }));
    for (const [wallet, name] of [
      [alice, "alice"],
      [bob, "bob"],
    ] as const) {
      await setEthBalance(client, wallet.address, 10n * CIV);
      await wallet.execute({ ...contracts.registry, functionName: "register", args: [`ipfs://${name}`] });
    }
    const token = contracts.token.address;
    // A payment with a payment id, submitted by the payer; then the same id again (no second payment).
    const paid = await pay(
      { client, wallet: alice, token },
      { to: bob.address, amount: 3n * CIV, paymentId: "inv-1" },
    );
    const again = await pay(
      { client, wallet: alice, token },
      { to: bob.address, amount: 3n * CIV, paymentId: "inv-1" },
    );
    expect(again.status).to.equal("already-paid");
    facts.payHash = paid.transactionHash;
    facts.payNonce = paymentNonce(alice.address, "inv-1");
    // An x402 sale: bob sells, alice buys, bob settles.
    const seller = await startX402Seller({
      client,
      wallet: bob,
      token,
      resources: [{ path: "/r", priceWei: 2n * CIV, description: "r", content: () => "news" }],
    });
    try {
      const bought = await buyWithX402(`${seller.url}/r`, {
        client,
        account: alice.account,
        token,
        maxPriceWei: 2n * CIV,
      });
      expect(bought.status).to.equal(200);
      facts.saleHash = bought.settlement!.transaction;
    } finally {
      await seller.close();
    }
    // A canceled authorization.
    facts.cancelNonce = paymentNonce(alice.address, "never");
    const domain = await readTokenDomain(client, token);
    const signature = await alice.account.signTypedData({
      domain,
      types: ERC3009_TYPES,
      primaryType: "CancelAuthorization",
      message: { authorizer: alice.address, nonce: facts.cancelNonce as `0x${string}` },
    });
    const { v, r, s } = splitSignature(signature);
    const cancel = await bob.execute({
      ...contracts.token,
      functionName: "cancelAuthorization",
      args: [alice.address, facts.cancelNonce as `0x${string}`, v, r, s],
    });
    await indexer.waitForIndexedBlock(cancel.blockNumber);
    const data = await queryGraphql<{ paymentAuthorizations: { items: Row[] } }>(
      indexer.graphqlUrl,
      `{ paymentAuthorizations(orderBy: "blockNumber") { items {
          authorizer nonce status settledBy submitter to value transactionHash
          transfers { items { kind gross tax to } } } } }`,
    );
    rows = data.paymentAuthorizations.items;
  });

  after(async function () {
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("records a payment made with a payment id once, settled by the payer, with its taxed legs", function () {
    const row = rows.find((r) => r.transactionHash === facts.payHash)!;
    expect(row).to.deep.include({
      authorizer: alice.address.toLowerCase(),
      nonce: facts.payNonce,
      status: "used",
      settledBy: "payer",
      submitter: alice.address.toLowerCase(),
      to: bob.address.toLowerCase(),
      value: (3n * CIV).toString(),
    });
    const main = row.transfers.items.find((t) => t.to === bob.address.toLowerCase())!;
    expect(main.kind).to.equal("payment");
    expect(main.gross).to.equal((3n * CIV).toString());
    expect(BigInt(main.tax)).to.be.greaterThan(0n);
    expect(row.transfers.items.map((t) => t.kind).sort()).to.deep.equal(["payment", "tax"]);
  });

  it("tells an x402 sale by the payee settling it", function () {
    const row = rows.find((r) => r.transactionHash === facts.saleHash)!;
    expect(row).to.deep.include({
      status: "used",
      settledBy: "payee",
      submitter: bob.address.toLowerCase(),
      to: bob.address.toLowerCase(),
      value: (2n * CIV).toString(),
    });
  });

  it("records a cancellation, and nothing else (three authorizations in all)", function () {
    const row = rows.find((r) => r.nonce === facts.cancelNonce)!;
    expect(row).to.deep.include({ status: "canceled", settledBy: null, to: null, value: null });
    expect(row.transfers.items).to.deep.equal([]);
    expect(rows).to.have.length(3);
  });

  it("joins each transfer leg to the authorization its transaction spent", async function () {
    const data = await queryGraphql<{
      transfers: { items: { kind: string; authorization: { settledBy: string } | null }[] };
    }>(
      indexer.graphqlUrl,
      `query($tx: String!) { transfers(where: { transactionHash: $tx }) { items { kind authorization { settledBy } } } }`,
      { tx: facts.saleHash },
    );
    expect(data.transfers.items).to.have.length(2);
    for (const leg of data.transfers.items) expect(leg.authorization).to.deep.equal({ settledBy: "payee" });
  });
});
