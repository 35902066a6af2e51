/**
 * Agreements end to end (issue 17): a devnet, the protocol deployed (scripts/deploy.ts), one agreement of
 * each kind played through a different ending (a loan repaid, a loan cancelled, an insurance claim ruled,
 * an information sale revealed and confirmed, one revealed wrong and ruled), the indexer started on a
 * throwaway PGlite folder; then every `agreement` row equals what the contracts hold (agreementOf, the
 * kind's amounts, the state by name) and `agreement_event` has one row per agreement event, in order.
 */
import { expect } from "chai";
import {
  Contract,
  type JsonRpcProvider,
  type JsonRpcSigner,
  MaxUint256,
  keccak256,
  toUtf8Bytes,
  ZeroAddress,
} from "ethers";
import * as abis from "../../generated/abis.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { AgreementKind, AgreementState, PoolState } from "../../scripts/lib/vocabulary.ts";
import { advanceTo, impersonateTimelock, marketContracts } from "../market/devnet.ts";
import { allRows, chainClients, gql, indexedProtocol, send } from "./helpers.ts";

const CIV = 10n ** 18n;
const HOUR = 3_600n;
const lower = (a: string) => a.toLowerCase();
const str = (v: bigint | number) => v.toString();

/** The forwards this test plays, by id: the state each ends in and its history of events. */
interface Played {
  id: bigint;
  state: (typeof AgreementState.names)[number];
  history: string[];
}

const FORWARD_OPENING = [
  "AgreementProposed:proposed",
  "ForwardProposed:proposed",
  "AgreementAccepted:accepted",
  "AgreementJoined:active",
];

/**
 * Three forwards, alice selling to bob with carol arbitrating (50 CIV price, 10 and 5 CIV collateral), for
 * delivery in the next market epoch: 100 gpu-seconds (resource 1, transferable; alice holds credits minted
 * by the impersonated timelock) delivered on the ledger; 100 more never delivered, the buyer claims the
 * default after the due date; one unit of attention (resource 2, not transferable) delivered off the
 * ledger and confirmed by the buyer.
 */
async function playForwards(
  provider: JsonRpcProvider,
  deployment: Deployment,
  alice: JsonRpcSigner,
  bob: JsonRpcSigner,
  carol: JsonRpcSigner,
): Promise<Played[]> {
  const fwd = (signer: JsonRpcSigner) =>
    new Contract(deployment.contracts.forwardAgreements!, abis.forwardAgreementsAbi as never, signer);
  const address = await fwd(alice).getAddress();
  const timelock = await impersonateTimelock(provider, deployment);
  const { ledger, market } = marketContracts(deployment, timelock);
  await send(ledger.grantRole(await ledger.MINTER_ROLE(), timelock.address));
  await send(ledger.mint(alice.address, 1n, 1_000n, 0n));
  await send((ledger.connect(alice) as Contract).setApprovalForAll(address, true));
  for (const signer of [alice, bob, carol])
    await send(marketContracts(deployment, signer).token.approve(address, MaxUint256));

  const deliveryEpoch = ((await market.currentEpoch()) as bigint) + 1n;
  const deliveryEnd: bigint = await market.epochEnd(deliveryEpoch);
  const opensAt = deliveryEnd - ((await market.epochDuration()) as bigint);
  const now = BigInt((await provider.getBlock("latest"))!.timestamp);
  const terms = (label: string) => ({
    counterparty: bob.address,
    arbitrator: carol.address,
    arbitratorFee: CIV,
    joinDeadline: now + 2n * HOUR,
    dueDate: deliveryEnd + HOUR,
    reviewWindow: HOUR,
    rulingWindow: HOUR,
    termsHash: keccak256(toUtf8Bytes(label)),
    termsURI: `ipfs://terms/${label}`,
  });
  const open = async (label: string, resourceId: bigint, quantity: bigint) => {
    await send(
      fwd(alice).propose(
        terms(label),
        { resourceId, quantity, deliveryEpoch },
        50n * CIV,
        10n * CIV,
        5n * CIV,
      ),
    );
    const id: bigint = await fwd(alice).agreementCount();
    await send(fwd(carol).accept(id));
    await send(fwd(bob).join(id));
    return id;
  };
  const onLedger = await open("forward-gpu", 1n, 100n);
  const defaulted = await open("forward-default", 1n, 100n);
  const attested = await open("forward-attention", 2n, 1n);
  await advanceTo(provider, opensAt);
  await send(fwd(alice).deliver(onLedger));
  await send(fwd(alice).deliver(attested));
  await send(fwd(bob).confirm(attested));
  await advanceTo(provider, deliveryEnd + HOUR + 1n);
  await send(fwd(bob).claimDefault(defaulted));
  return [
    {
      id: onLedger,
      state: "Settled",
      history: [...FORWARD_OPENING, "ForwardDelivered:active", "AgreementSettled:settled"],
    },
    { id: defaulted, state: "Defaulted", history: [...FORWARD_OPENING, "AgreementSettled:defaulted"] },
    {
      id: attested,
      state: "Settled",
      history: [...FORWARD_OPENING, "ForwardDelivered:delivered", "AgreementSettled:settled"],
    },
  ];
}

/**
 * One lottery pool for the next lottery epoch: alice contributes 10 CIV, bob 4 then 6, carol 3 and exits;
 * alice plays it at the lock; carol mines one unit (the epoch's mine entry), commits and reveals; bob
 * settles it once the draw is open (settle draws); alice and bob claim. Returns the pool id.
 */
async function playPool(
  provider: JsonRpcProvider,
  deployment: Deployment,
  alice: JsonRpcSigner,
  bob: JsonRpcSigner,
  carol: JsonRpcSigner,
): Promise<bigint> {
  const pools = (signer: JsonRpcSigner) =>
    new Contract(deployment.contracts.poolAgreements!, abis.poolAgreementsAbi as never, signer);
  const lottery = (signer: JsonRpcSigner) =>
    new Contract(deployment.contracts.blockLottery!, abis.blockLotteryAbi as never, signer);
  for (const signer of [alice, bob, carol])
    await send(
      marketContracts(deployment, signer).token.approve(deployment.contracts.poolAgreements!, MaxUint256),
    );
  await send(
    marketContracts(deployment, carol).token.approve(deployment.contracts.blockLottery!, MaxUint256),
  );
  const epoch = ((await lottery(alice).currentEpoch()) as bigint) + 1n;
  const lock: bigint = await lottery(alice).epochStart(epoch);
  const end: bigint = await lottery(alice).epochStart(epoch + 1n);
  const drawAt = end + ((await lottery(alice).REVEAL_WINDOW()) as bigint);
  await send(pools(alice).contribute(epoch, 10n * CIV));
  const poolId: bigint = await pools(alice).poolOfEpoch(epoch);
  await send(pools(bob).contribute(epoch, 4n * CIV));
  await send(pools(bob).contribute(epoch, 6n * CIV));
  await send(pools(carol).contribute(epoch, 3n * CIV));
  await send(pools(carol).exit(poolId));
  await advanceTo(provider, lock);
  await send(pools(alice).play(poolId));
  const secret = keccak256(toUtf8Bytes("carol's secret"));
  await send(lottery(carol).mine(1n));
  await send(lottery(carol).commit(await lottery(carol).commitmentOf(secret, carol.address, epoch)));
  await advanceTo(provider, end);
  await send(lottery(carol).reveal(epoch, secret));
  await advanceTo(provider, drawAt);
  await send(pools(bob).settle(poolId));
  await send(pools(alice).claim(poolId));
  await send(pools(bob).claim(poolId));
  return poolId;
}

describe("Indexer: agreements (end to end)", function () {
  this.timeout(900_000);
  const chain = indexedProtocol("agreements");

  it("indexes every agreement with its kind, parties, amounts, deadlines, state and history", async function () {
    const { deployment } = chain;
    const { provider, signers } = await chainClients(chain.devnet.rpcUrl, deployment);
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

    const forwards = await playForwards(provider, deployment, alice, bob, carol);
    const pool = await playPool(provider, deployment, alice, bob, carol);

    const url = (await chain.index()).graphqlUrl;

    const rows = await allRows(
      url,
      "agreements",
      "id contract agreementId kind kindName state proposer counterparty arbitrator proposerId counterpartyId arbitratorId proposerDeposit counterpartyDeposit arbitratorFee bond principal interest premium cover price collateral commitment termsHash termsURI joinDeadline dueDate reviewWindow rulingWindow reviewDeadline rulingDeadline disputedBy proposerWins proposerPaid counterpartyPaid arbitratorPaid settledBy",
    );
    expect(rows).to.have.length(5 + forwards.length + 1);
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

    // Forwards (kind 1): each row equals agreementOf and forwardOf; the history is its events in order.
    const fwd = new Contract(
      deployment.contracts.forwardAgreements!,
      abis.forwardAgreementsAbi as never,
      alice,
    );
    const fwdAddress = lower(deployment.contracts.forwardAgreements!);
    for (const played of forwards) {
      const row = rows.find((r) => r.id === `${fwdAddress}-${played.id}`);
      expect(row, `forward ${played.id}`).to.not.equal(undefined);
      const a = await fwd.agreementOf(played.id);
      expect(AgreementState.nameOf(a.state)).to.equal(played.state);
      const f = await fwd.forwardOf(played.id);
      expect(row).to.deep.include({
        kind: Number(AgreementKind.FORWARD),
        kindName: "forward",
        state: AgreementState.keyOf(a.state),
        proposer: lower(a.proposer),
        counterparty: lower(a.counterparty),
        arbitrator: lower(a.arbitrator),
        proposerDeposit: str(a.proposerDeposit),
        counterpartyDeposit: str(a.counterpartyDeposit),
        bond: str(a.bond),
        dueDate: str(a.dueDate),
        price: str(a.counterpartyDeposit - f.buyerCollateral),
        collateral: str(a.proposerDeposit),
      });
      expect(row.reviewDeadline).to.equal(a.reviewDeadline === 0n ? null : str(a.reviewDeadline));
      const details = await gqlDetails(url, row.id);
      expect(details).to.deep.include({
        resourceId: str(f.resourceId),
        quantity: str(f.quantity),
        deliveryEpoch: str(f.deliveryEpoch),
        deliveryOpensAt: str(await fwd.deliveryOpensAt(played.id)),
        buyerCollateral: str(f.buyerCollateral),
      });
      if (played.history.some((h) => h.startsWith("ForwardDelivered")))
        expect(details.onLedger).to.equal(f.onLedger);
      expect(await history(fwd, played.id)).to.deep.equal(played.history);
      expect(await fwd.heldFor(played.id)).to.equal(0n);
    }
    // The payouts: the defaulted forward's buyer got its price and collateral back and the seller's collateral.
    expect(rows.find((r) => r.id === `${fwdAddress}-${forwards[1]!.id}`)).to.deep.include({
      proposerPaid: str(CIV),
      counterpartyPaid: str(50n * CIV + 5n * CIV + 10n * CIV),
      settledBy: lower(bob.address),
    });

    // The pool (kind 5): its row equals poolOf, one pool_member row per member, its history in order.
    const pools = new Contract(deployment.contracts.poolAgreements!, abis.poolAgreementsAbi as never, alice);
    const poolRowId = `${lower(deployment.contracts.poolAgreements!)}-${pool}`;
    const p = await pools.poolOf(pool);
    expect(rows.find((r) => r.id === poolRowId)).to.deep.include({
      kind: Number(AgreementKind.POOL),
      kindName: "pool",
      state: PoolState.keyOf(p.state),
      proposer: lower(alice.address),
      counterparty: lower(deployment.contracts.blockLottery!),
      arbitrator: null,
      joinDeadline: str(await pools.lockAt(pool)),
    });
    expect(PoolState.nameOf(p.state)).to.equal("Settled");
    expect(await gqlDetails(url, poolRowId)).to.deep.equal({
      epoch: str(p.epoch),
      lockAt: str(await pools.lockAt(pool)),
      contributed: str(p.contributed),
      members: 0,
      stakeReturned: str(p.contributed),
      proceeds: str(p.proceeds),
      sharesLeft: str(p.sharesLeft),
      proceedsLeft: str(p.proceedsLeft),
    });
    const claims = await pools.queryFilter(pools.filters.PoolClaimed!(pool), deployment.startBlock);
    const members = await allRows(
      url,
      "poolMembers",
      "id agreement poolId member contribution contributed exited claimedPrincipal claimedShare",
    );
    expect(members.map((m) => m.member).sort()).to.deep.equal(
      [alice, bob, carol].map((s) => lower(s.address)).sort(),
    );
    for (const m of members) {
      expect(m.agreement).to.equal(poolRowId);
      expect(m.contribution).to.equal(str(await pools.contributionOf(pool, m.member)));
      const claim = claims.find((c) => lower((c as any).args.member) === m.member) as any;
      expect(m.claimedPrincipal).to.equal(claim === undefined ? null : str(claim.args.principal));
      expect(m.claimedShare).to.equal(claim === undefined ? null : str(claim.args.share));
    }
    expect(members.find((m) => m.member === lower(bob.address))).to.deep.include({
      contributed: str(10n * CIV),
      exited: "0",
      claimedPrincipal: str(10n * CIV),
    });
    expect(members.find((m) => m.member === lower(carol.address))).to.deep.include({
      contribution: "0",
      contributed: str(3n * CIV),
      exited: str(3n * CIV),
      claimedPrincipal: null,
    });
    expect(await history(pools, pool)).to.deep.equal([
      "PoolCreated:open",
      "PoolJoined:open",
      "PoolJoined:open",
      "PoolJoined:open",
      "PoolJoined:open",
      "PoolExited:open",
      "PoolPlayed:playing",
      "PoolSettled:settled",
      "PoolClaimed:settled",
      "PoolClaimed:settled",
    ]);
    expect(await pools.heldFor(pool)).to.equal(0n);
  });
});

/** An agreement row's `details` JSON. */
async function gqlDetails(url: string, id: string): Promise<any> {
  const data = await gql(url, `query ($id: String!) { agreement(id: $id) { details } }`, { id });
  return data.agreement.details;
}
