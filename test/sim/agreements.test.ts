import { expect } from "chai";
import type { Address } from "viem";
import { DEFAULTS } from "../../generated/vocabulary.ts";
import type { CivitasPublicClient } from "../../scripts/lib/clients.ts";
import type { CivitasContracts } from "../../scripts/lib/contracts.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { AgreementState, DrawOutcome, EntryKind } from "../../scripts/lib/vocabulary.ts";
import type { SimulationResult } from "../../scripts/sim/engine.ts";
import { simulatedEconomy } from "../helpers/sim.ts";

// Issue 17, "simulation archetypes that lend, insure, sell information, form pools and play the lottery, and a
// summary of what they did": a short default run on the devnet's deployment; every figure of the run's
// summary is checked against the chain's events (the simulation counts them from its receipts).
describe("sim: agreements and the block lottery (issue 17)", function () {
  this.timeout(3_600_000);
  const AGENTS = 20;
  const DAYS = 9;
  const economy = simulatedEconomy("agsim", { agents: AGENTS, days: DAYS });
  let deployment: Deployment;
  let sim: SimulationResult;
  let client: CivitasPublicClient;
  let contracts: CivitasContracts;
  before(function () {
    ({ deployment, sim, client, contracts } = economy);
  });

  /** Every event `eventName` of `contract` since the deployment. */
  async function eventsOf(contract: { address: Address; abi: readonly unknown[] }, eventName: string) {
    const logs = await client.getContractEvents({
      address: contract.address,
      abi: contract.abi,
      eventName,
      fromBlock: BigInt(deployment.startBlock),
    } as never);
    return (logs as unknown as { args: Record<string, unknown> }[]).map((log) => log.args);
  }
  const sum = (rows: Record<string, unknown>[], key: string) =>
    rows.reduce((n, r) => n + (r[key] as bigint), 0n);
  const outcome = (rows: Record<string, unknown>[], name: string) =>
    rows.filter((r) => AgreementState.nameOf(r.outcome as number) === name);

  it("has each archetype of issue 17 in the default mix, and every insurance and sale names an arbitrator", async function () {
    const archetypes = new Set(sim.agents.map((a) => a.archetype));
    for (const name of ["lender", "insurer", "informant", "player", "arbitrator"])
      expect(archetypes.has(name), name).to.equal(true);
    const arbitrators = new Set(sim.agents.filter((a) => a.archetype === "arbitrator").map((a) => a.address));
    for (const contract of [contracts.insuranceAgreements!, contracts.informationSales!]) {
      const proposed = await eventsOf(contract, "AgreementProposed");
      expect(proposed.length).to.be.greaterThan(0);
      for (const p of proposed)
        expect(arbitrators.has((p.terms as { arbitrator: Address }).arbitrator)).to.equal(true);
    }
  });

  it("reports loans made, repaid and defaulted as the loan contract's events record them", async function () {
    const loans = sim.agreements!.loans;
    const loan = contracts.loanAgreements!;
    const joined = await eventsOf(loan, "AgreementJoined");
    const settled = await eventsOf(loan, "AgreementSettled");
    expect(loans.proposed).to.equal((await eventsOf(loan, "AgreementProposed")).length);
    expect(loans.made).to.equal(joined.length);
    expect(loans.made).to.be.greaterThan(0);
    expect(loans.lent).to.equal(sum(joined, "deposit"));
    expect(loans.repaid).to.equal(outcome(settled, "Settled").length);
    expect(loans.defaulted).to.equal(outcome(settled, "Defaulted").length);
    expect(loans.repaid + loans.defaulted).to.be.greaterThan(0);
    const toLender = (rows: Record<string, unknown>[]) =>
      rows.reduce((n, r) => {
        const p = r.payout as { counterpartyPrincipal: bigint; counterpartyEarnings: bigint };
        return n + p.counterpartyPrincipal + p.counterpartyEarnings;
      }, 0n);
    expect(loans.repaidAmount).to.equal(toLender(outcome(settled, "Settled")));
    expect(loans.collateralSeized).to.equal(toLender(outcome(settled, "Defaulted")));
    expect(loans.cancelled).to.equal((await eventsOf(loan, "AgreementCancelled")).length);
  });

  it("reports cover sold and claims paid as the insurance contract's events record them", async function () {
    const ins = sim.agreements!.insurance;
    const insurance = contracts.insuranceAgreements!;
    const joined = await eventsOf(insurance, "AgreementJoined");
    const settled = await eventsOf(insurance, "AgreementSettled");
    // A claim paid: the cover reached the insured (a missed ruling voids the policy and shares the bond).
    const paid = settled.filter(
      (r) =>
        AgreementState.nameOf(r.outcome as number) !== "NoShowResolved" &&
        (r.payout as { proposerEarnings: bigint }).proposerEarnings > 0n,
    );
    expect(ins.sold).to.equal(joined.length);
    expect(ins.coverSold).to.equal(sum(joined, "deposit"));
    expect(ins.claims).to.equal((await eventsOf(insurance, "AgreementDisputed")).length);
    expect(ins.claimsPaid).to.equal(paid.length);
    expect(ins.coverPaid).to.equal(
      paid.reduce((n, r) => n + (r.payout as { proposerEarnings: bigint }).proposerEarnings, 0n),
    );
    expect(ins.voided).to.equal(outcome(settled, "NoShowResolved").length);
    // Expired unclaimed: settled with nothing for the insured (a paid claim settles with the cover).
    expect(ins.expired).to.equal(
      outcome(settled, "Settled").filter(
        (r) => (r.payout as { proposerEarnings: bigint }).proposerEarnings === 0n,
      ).length,
    );
    const ruled = await eventsOf(insurance, "AgreementRuled");
    expect(ins.claimsRefused).to.equal(ruled.filter((r) => r.proposerWins === false).length);
  });

  it("reports information sales, mismatches and disputes as the sales contract's events record them", async function () {
    const s = sim.agreements!.sales;
    const sales = contracts.informationSales!;
    const revealed = await eventsOf(sales, "InformationRevealed");
    const ruled = await eventsOf(sales, "AgreementRuled");
    const settled = await eventsOf(sales, "AgreementSettled");
    expect(s.bought).to.equal((await eventsOf(sales, "AgreementJoined")).length);
    expect(s.bought).to.be.greaterThan(0);
    expect(s.revealed).to.equal(revealed.length);
    expect(s.mismatches).to.equal(revealed.filter((r) => r.matches === false).length);
    expect(s.disputes).to.equal((await eventsOf(sales, "AgreementDisputed")).length);
    expect(s.ruledForSeller).to.equal(ruled.filter((r) => r.proposerWins === true).length);
    expect(s.ruledForBuyer).to.equal(ruled.filter((r) => r.proposerWins === false).length);
    expect(s.confirmed + s.finalized).to.equal(outcome(settled, "Settled").length);
    expect(s.defaulted).to.equal(outcome(settled, "Defaulted").length);
    expect(s.paidToSellers).to.equal(
      settled.reduce((n, r) => n + (r.payout as { proposerEarnings: bigint }).proposerEarnings, 0n),
    );
    // A mismatched reveal is a dispute at once, ruled from the revealed data: never for the seller.
    expect(s.ruledForSeller).to.equal(0);
  });

  it("reveals inside the simulation's reveal window: players commit, reveal and draw winners", async function () {
    const lottery = contracts.blockLottery!;
    const window = await client.readContract({ ...lottery, functionName: "REVEAL_WINDOW" });
    // The devnet's deployment parameter (ignition/parameters/localhost.json): two epochs, not the 1-hour default.
    expect(window).to.equal(DEFAULTS.BlockLottery.revealWindow);
    expect(window).to.equal(2n * (await client.readContract({ ...lottery, functionName: "EPOCH_DURATION" })));
    const l = sim.lottery!;
    const revealed = await eventsOf(lottery, "Revealed");
    expect(l.commits).to.equal((await eventsOf(lottery, "Committed")).length);
    expect(l.reveals).to.equal(revealed.length);
    expect(l.reveals).to.be.greaterThan(0);
    const drawn = await eventsOf(lottery, "Drawn");
    expect(l.draws.length).to.equal(drawn.length);
    const won = drawn.filter((d) => DrawOutcome.nameOf(d.outcome as number) === "Won");
    expect(won.length).to.be.greaterThan(0);
    expect(l.draws.filter((d) => d.outcome === "Won").length).to.equal(won.length);
    const claimed = await eventsOf(lottery, "RewardClaimed");
    expect(l.claims).to.equal(claimed.length);
    expect(l.rewardsClaimed).to.equal(sum(claimed, "reward"));
    expect(l.rewardTax).to.equal(sum(claimed, "tax"));
  });

  it("reports lottery entries by type and pool payouts as the chain's events record them", async function () {
    const lottery = contracts.blockLottery!;
    const pools = contracts.poolAgreements!;
    const l = sim.lottery!;
    const entered = (await eventsOf(lottery, "Entered")).filter(
      (e) => (e.entrant as Address).toLowerCase() !== pools.address.toLowerCase(),
    );
    const ofKind = (kind: string) => entered.filter((e) => EntryKind.nameOf(e.kind as number) === kind);
    expect(l.entries.mine).to.equal(ofKind("Mine").length);
    expect(l.entries.mine).to.be.greaterThan(0);
    expect(l.entries.stake).to.equal(ofKind("Stake").length);
    expect(l.entries.burn).to.equal(ofKind("Burn").length);
    expect(l.mined).to.equal(sum(ofKind("Mine"), "amount"));
    expect(l.staked).to.equal(sum(ofKind("Stake"), "amount"));
    expect(l.burned).to.equal(sum(await eventsOf(lottery, "Burned"), "amount"));
    const joined = await eventsOf(pools, "PoolJoined");
    const claimed = await eventsOf(pools, "PoolClaimed");
    expect(l.pools.formed).to.equal((await eventsOf(pools, "PoolCreated")).length);
    expect(l.pools.contributions).to.equal(joined.length);
    expect(l.pools.contributed).to.equal(sum(joined, "amount"));
    expect(l.pools.played).to.equal((await eventsOf(pools, "PoolPlayed")).length);
    expect(l.pools.played).to.be.greaterThan(0);
    expect(l.pools.settled).to.equal((await eventsOf(pools, "PoolSettled")).length);
    expect(l.pools.proceeds).to.equal(sum(await eventsOf(pools, "PoolSettled"), "proceeds"));
    expect(l.pools.payouts).to.equal(claimed.length);
    expect(l.pools.principalPaid).to.equal(sum(claimed, "principal"));
    expect(l.pools.sharesPaid).to.equal(sum(claimed, "share"));
  });
});
