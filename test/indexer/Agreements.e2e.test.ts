/**
 * Agreements end to end (issue 17): a devnet, the protocol deployed (scripts/deploy.ts), one agreement of
 * each kind played through a different ending (a loan repaid, a loan cancelled, an insurance claim ruled,
 * an information sale revealed and confirmed, one revealed wrong and ruled), the indexer started on a
 * throwaway PGlite folder; then every `agreement` row equals what the contracts hold (agreementOf, the
 * kind's amounts, the state by name) and `agreement_event` has one row per agreement event, in order.
 */
import { expect } from "chai";
import { Contract, type JsonRpcSigner, MaxUint256, keccak256, toUtf8Bytes, ZeroAddress } from "ethers";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as abis from "../../generated/abis.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { AgreementKind, AgreementState } from "../../scripts/lib/vocabulary.ts";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { allRows, blockNumber, chainClients, send } from "./helpers.ts";

const CIV = 10n ** 18n;
const HOUR = 3_600n;
const lower = (a: string) => a.toLowerCase();
const str = (v: bigint | number) => v.toString();

describe("Indexer: agreements (end to end)", function () {
  this.timeout(900_000);
  let devnet: Devnet;
  let indexer: Indexer | undefined;
  let deployment: Deployment;
  const work = mkdtempSync(join(tmpdir(), "civitas-agreements-indexer-"));
  const deploymentsDir = join(work, "deployments");
  const logs: string[] = [];

  before(async function () {
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

  it("indexes every agreement with its kind, parties, amounts, deadlines, state and history", async function () {
    const { provider, signers } = await chainClients(devnet.rpcUrl, deployment);
    const [, alice, bob, carol] = signers as [JsonRpcSigner, JsonRpcSigner, JsonRpcSigner, JsonRpcSigner];
    const as = (signer: JsonRpcSigner) => ({
      loans: new Contract(deployment.contracts.loanAgreements!, abis.loanAgreementsAbi as never, signer),
      insurance: new Contract(
        deployment.contracts.insuranceAgreements!,
        abis.insuranceAgreementsAbi as never,
        signer,
      ),
      sales: new Contract(deployment.contracts.informationSales!, abis.informationSalesAbi as never, signer),
      registry: new Contract(deployment.contracts.registry!, abis.agentRegistryAbi as never, signer),
      token: new Contract(deployment.contracts.token!, abis.civitasTokenAbi as never, signer),
    });
    for (const agent of [alice, bob, carol]) {
      const c = as(agent);
      if ((await c.registry.agentIdOf(agent.address)) === 0n)
        await send(c.registry["register(string)"](`ipfs://agent/${agent.address}`));
      for (const target of [c.loans, c.insurance, c.sales])
        await send(c.token.approve(await target.getAddress(), MaxUint256));
    }
    const now = BigInt((await provider.getBlock("latest"))!.timestamp);
    const terms = (counterparty: string, arbitrator: string, fee: bigint, label: string) => ({
      counterparty,
      arbitrator,
      arbitratorFee: fee,
      joinDeadline: now + 2n * HOUR,
      dueDate: now + 10n * HOUR,
      reviewWindow: HOUR,
      rulingWindow: HOUR,
      termsHash: keccak256(toUtf8Bytes(label)),
      termsURI: `ipfs://terms/${label}`,
    });

    // Loan 1: alice borrows 100 from bob for 5 against 120, and repays. Loan 2: proposed and cancelled.
    await send(
      as(alice).loans.propose(
        terms(bob.address, ZeroAddress, 0n, "loan-1"),
        100n * CIV,
        5n * CIV,
        120n * CIV,
      ),
    );
    await send(as(bob).loans.join(1n));
    await send(as(alice).loans.repay(1n));
    await send(
      as(alice).loans.propose(terms(bob.address, ZeroAddress, 0n, "loan-2"), 10n * CIV, 0n, 10n * CIV),
    );
    await send(as(alice).loans.cancel(2n));
    // Insurance: alice insures 50 for a 3 premium with carol arbitrating (fee 1); claims; carol rules it happened.
    await send(
      as(alice).insurance.propose(terms(bob.address, carol.address, CIV, "policy"), 3n * CIV, 50n * CIV),
    );
    await send(as(carol).insurance.accept(1n));
    await send(as(bob).insurance.join(1n));
    await send(as(alice).insurance.claim(1n, "ipfs://evidence/outage"));
    await send(as(carol).insurance.rule(1n, true));
    // Sale 1: revealed and confirmed. Sale 2: revealed wrong (a dispute at once), ruled for the buyer.
    const data = toUtf8Bytes("the answer is 42");
    await send(
      as(alice).sales.propose(
        terms(bob.address, carol.address, CIV, "sale-1"),
        20n * CIV,
        10n * CIV,
        keccak256(data),
      ),
    );
    await send(as(carol).sales.accept(1n));
    await send(as(bob).sales.join(1n));
    await send(as(alice).sales.reveal(1n, data));
    await send(as(bob).sales.confirm(1n));
    await send(
      as(alice).sales.propose(
        terms(bob.address, carol.address, CIV, "sale-2"),
        20n * CIV,
        10n * CIV,
        keccak256(data),
      ),
    );
    await send(as(carol).sales.accept(2n));
    await send(as(bob).sales.join(2n));
    await send(as(alice).sales.reveal(2n, toUtf8Bytes("something else")));
    await send(as(carol).sales.rule(2n, false));

    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      deploymentsDir,
      databaseDir: join(work, "pglite"),
      log: (line) => void logs.push(line),
    });
    await indexer.waitForIndexedBlock(await blockNumber(provider), 600_000);
    const url = indexer.graphqlUrl;

    const rows = await allRows(
      url,
      "agreements",
      "id contract agreementId kind kindName state proposer counterparty arbitrator proposerId counterpartyId arbitratorId proposerDeposit counterpartyDeposit arbitratorFee bond principal interest premium cover price collateral commitment termsHash termsURI joinDeadline dueDate reviewWindow rulingWindow reviewDeadline rulingDeadline disputedBy proposerWins proposerPaid counterpartyPaid arbitratorPaid",
    );
    expect(rows).to.have.length(5);
    const c = as(alice);
    const expected = [
      [c.loans, 1n, "LOAN", "Settled"],
      [c.loans, 2n, "LOAN", "Cancelled"],
      [c.insurance, 1n, "INSURANCE", "Ruled"],
      [c.sales, 1n, "INFORMATION_SALE", "Settled"],
      [c.sales, 2n, "INFORMATION_SALE", "Ruled"],
    ] as const;
    for (const [contract, agreementId, kind, state] of expected) {
      const address = lower(await contract.getAddress());
      const row = rows.find((r) => r.id === `${address}-${agreementId}`);
      expect(row, `${kind} ${agreementId}`).to.not.equal(undefined);
      const a = await contract.agreementOf(agreementId);
      expect(AgreementState.nameOf(a.state)).to.equal(state);
      expect(row).to.deep.include({
        contract: address,
        agreementId: str(agreementId),
        kind: Number(AgreementKind[kind]),
        kindName: kind.toLowerCase(),
        state: AgreementState.keyOf(a.state),
        proposer: lower(a.proposer),
        counterparty: lower(a.counterparty),
        arbitrator: a.arbitrator === ZeroAddress ? null : lower(a.arbitrator),
        proposerId: str(a.proposerId),
        counterpartyId: str(a.counterpartyId),
        arbitratorId: str(a.arbitratorId),
        proposerDeposit: str(a.proposerDeposit),
        counterpartyDeposit: str(a.counterpartyDeposit),
        arbitratorFee: str(a.arbitratorFee),
        bond: str(a.bond),
        joinDeadline: str(a.joinDeadline),
        dueDate: str(a.dueDate),
        reviewWindow: str(a.reviewWindow),
        rulingWindow: str(a.rulingWindow),
      });
      if (a.reviewDeadline !== 0n) expect(row.reviewDeadline).to.equal(str(a.reviewDeadline));
      if (a.rulingDeadline !== 0n) expect(row.rulingDeadline).to.equal(str(a.rulingDeadline));
      expect(await contract.heldFor(agreementId)).to.equal(0n);
    }
    const byId = (contract: Contract, n: bigint) =>
      contract.getAddress().then((a) => rows.find((r) => r.id === `${lower(a)}-${n}`)!);
    expect(await byId(c.loans, 1n)).to.deep.include({
      principal: str(100n * CIV),
      interest: str(5n * CIV),
      collateral: str(120n * CIV),
      premium: null,
      price: null,
      proposerPaid: str(120n * CIV),
      counterpartyPaid: str(105n * CIV),
      arbitratorPaid: "0",
    });
    expect(await byId(c.loans, 2n)).to.deep.include({ principal: str(10n * CIV), proposerPaid: null });
    expect(await byId(c.insurance, 1n)).to.deep.include({
      premium: str(3n * CIV),
      cover: str(50n * CIV),
      principal: null,
      disputedBy: lower(alice.address),
      proposerWins: true,
      proposerPaid: str(50n * CIV),
      counterpartyPaid: str(3n * CIV),
      arbitratorPaid: str(CIV + 5n * CIV),
    });
    expect(await byId(c.sales, 1n)).to.deep.include({
      price: str(20n * CIV),
      collateral: str(10n * CIV),
      commitment: keccak256(data),
      disputedBy: null,
    });
    expect(await byId(c.sales, 2n)).to.deep.include({
      disputedBy: lower(alice.address),
      proposerWins: false,
    });

    // History: one row per agreement event, in order, with the state each left.
    const events = await allRows(url, "agreementEvents", "id agreement name actor state amount");
    const history = async (contract: Contract, n: bigint) => {
      const id = `${lower(await contract.getAddress())}-${n}`;
      return events.filter((e) => e.agreement === id).map((e) => `${e.name}:${e.state}`);
    };
    expect(await history(c.loans, 1n)).to.deep.equal([
      "AgreementProposed:proposed",
      "LoanProposed:proposed",
      "AgreementJoined:active",
      "AgreementSettled:settled",
    ]);
    expect(await history(c.loans, 2n)).to.deep.equal([
      "AgreementProposed:proposed",
      "LoanProposed:proposed",
      "AgreementCancelled:cancelled",
    ]);
    expect(await history(c.insurance, 1n)).to.deep.equal([
      "AgreementProposed:proposed",
      "InsuranceProposed:proposed",
      "AgreementAccepted:accepted",
      "AgreementJoined:active",
      "AgreementDisputed:disputed",
      "AgreementEvidence:disputed",
      "AgreementRuled:disputed",
      "AgreementSettled:ruled",
    ]);
    expect(await history(c.sales, 1n)).to.deep.equal([
      "AgreementProposed:proposed",
      "InformationSaleProposed:proposed",
      "AgreementAccepted:accepted",
      "AgreementJoined:active",
      "InformationRevealed:delivered",
      "AgreementSettled:settled",
    ]);
    expect(await history(c.sales, 2n)).to.deep.equal([
      "AgreementProposed:proposed",
      "InformationSaleProposed:proposed",
      "AgreementAccepted:accepted",
      "AgreementJoined:active",
      "InformationRevealed:active",
      "AgreementDisputed:disputed",
      "AgreementRuled:disputed",
      "AgreementSettled:ruled",
    ]);
    // Each event row names who acted: the arbitrator's accept, the buyer's join.
    const accepted = events.find((e) => e.name === "AgreementAccepted")!;
    expect(accepted.actor).to.equal(lower(carol.address));
    expect(events.find((e) => e.name === "AgreementJoined")!.actor).to.equal(lower(bob.address));
  });
});
