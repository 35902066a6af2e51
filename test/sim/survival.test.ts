import { expect } from "chai";
import * as abis from "../../generated/abis.ts";
import { mnemonicToAccount } from "viem/accounts";
import { DEVNET_MNEMONIC } from "../../scripts/lib/clients.ts";
import type { SimulationResult } from "../../scripts/sim/engine.ts";
import { METER_ACCOUNT_INDEX } from "../../scripts/sim/market.ts";
import {
  type EconomyHealth,
  PRODUCTIVE_ARCHETYPES,
  PRODUCTIVE_SURVIVAL_TARGET,
  readEconomyHealth,
  RUNWAY_TARGET_MONTHS,
} from "../../scripts/sim/health.ts";
import { type EconomySummary, readChainSummary } from "../../scripts/sim/summary.ts";
import { simulatedEconomy } from "../helpers/sim.ts";

// Issue 18, "a default that lives": the default deployment and behaviour, a short deterministic run that
// outlasts the birth grant, judged by the health report `npm start` prints (scripts/sim/health.ts).
describe("sim: the default economy lives (issue 18)", function () {
  this.timeout(1_800_000);
  const AGENTS = 12;
  const DAYS = 20;
  const economy = simulatedEconomy("survival", { agents: AGENTS, days: DAYS });
  let sim: SimulationResult;
  let summary: EconomySummary;
  let health: EconomyHealth;
  let grantDays: bigint;

  before(async function () {
    sim = economy.sim;
    const { client, contracts, fromBlock: from } = economy;
    summary = await readChainSummary(client, contracts, sim.agents, sim.dayEndBlocks.slice(-1), from);
    health = await readEconomyHealth(
      client,
      contracts,
      summary.agents,
      from,
      sim.dayEndBlocks[0]!.block,
      DAYS,
    );
    const [grant, upkeep] = await Promise.all([
      client.readContract({ ...contracts.registry, functionName: "birthGrant" }),
      client.readContract({ ...contracts.registry, functionName: "upkeepPerDay" }),
    ]);
    grantDays = grant / upkeep;
  });

  it("outlasts the birth grant with upkeep on: survival is earned, not granted", function () {
    expect(grantDays).to.be.greaterThan(0n);
    expect(BigInt(DAYS)).to.be.greaterThan(grantDays);
    expect(summary.burned).to.be.greaterThan(0n);
  });

  it(`keeps at least ${PRODUCTIVE_SURVIVAL_TARGET * 100}% of productive agents alive`, function () {
    const productive = health.survival.filter((s) => PRODUCTIVE_ARCHETYPES.includes(s.archetype));
    const total = productive.reduce((n, s) => n + s.total, 0);
    const alive = productive.reduce((n, s) => n + s.alive, 0);
    expect(total).to.be.greaterThan(0);
    // The report's share is the count's: the survival table and the headline agree.
    expect(health.productiveAlive).to.equal(alive / total);
    expect(health.productiveAlive).to.be.at.least(PRODUCTIVE_SURVIVAL_TARGET);
    // The survival table counts every agent of the run once.
    expect(health.survival.reduce((n, s) => n + s.total, 0)).to.equal(AGENTS);
  });

  it("pays the city's work from the Treasury, within its limit, with a year of runway", function () {
    const f = health.flows;
    expect(f.outflows["city tasks"] ?? 0n).to.be.greaterThan(0n);
    expect(f.outflowInWindow).to.be.at.most(f.outflowLimit);
    expect(f.runwayMonths).to.be.at.least(RUNWAY_TARGET_MONTHS);
  });

  // Resource markets (issue 14): agents need compute to act; the devnet's genesis meter meters it daily.
  it("meters the agents' compute: the free allowance first, then credits; shortfalls are denials on chain", async function () {
    const metering = sim.market!.metering;
    expect(metering.length).to.be.greaterThan(0);
    const total = (key: "used" | "fromAllowance" | "denied") => metering.reduce((n, m) => n + m[key], 0n);
    expect(total("used")).to.be.greaterThan(0n);
    expect(total("fromAllowance")).to.be.greaterThan(0n);
    const { client, contracts, fromBlock } = economy;
    const { resourceLedger } = contracts;
    // The meter's records on chain are the run's (other meters, such as the lottery's, are not counted).
    const meter = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: METER_ACCOUNT_INDEX }).address;
    const events = async (eventName: "UsageRecorded" | "UsageDenied") =>
      client.getContractEvents({
        ...resourceLedger!,
        eventName,
        args: { meter },
        fromBlock,
      });
    const recorded = await events("UsageRecorded");
    const denied = await events("UsageDenied");
    const sum = (logs: typeof recorded | typeof denied, key: "amount" | "fromCredits") =>
      logs.reduce((n, log) => n + ((log.args as Record<string, bigint>)[key] ?? 0n), 0n);
    expect(sum(recorded, "amount")).to.equal(total("used"));
    // Credits burned are exactly the usage the free allowance did not cover.
    expect(sum(recorded, "fromCredits")).to.equal(total("used") - total("fromAllowance"));
    expect(denied.length).to.equal(metering.reduce((n, m) => n + m.denials, 0));
    expect(sum(denied, "amount")).to.equal(total("denied"));
  });

  // Compute shares (issue 14): the compute provider forms a pool, sells its shares once through the market,
  // sells capacity with the pool as payee, and the shareholders claim dividends; the summary is the chain's.
  it("forms a compute pool whose shares, revenue and dividends in the summary are the chain's events", async function () {
    const pools = sim.market!.pools;
    expect(pools).to.have.length(1);
    const p = pools[0]!;
    const { client, contracts, fromBlock } = economy;
    const { computePoolFactory, resourceMarket } = contracts;
    const created = await client.getContractEvents({
      ...computePoolFactory!,
      eventName: "ComputePoolCreated",
      fromBlock,
    });
    expect(created.map((l) => [l.args.pool, l.args.shareResourceId, l.args.shareEpoch])).to.deep.equal([
      [p.pool, p.shareResourceId, p.shareEpoch],
    ]);
    const pool = { address: p.pool, abi: abis.computePoolAbi };
    expect(p.sharesSold).to.be.greaterThan(0n);
    expect(await client.readContract({ ...pool, functionName: "totalShares" })).to.equal(p.sharesSold);
    // Revenue: the market's offer claims paid to the pool, net of the fee.
    const paid = await client.getContractEvents({
      ...resourceMarket!,
      eventName: "OfferClaimed",
      args: { payee: p.pool },
      fromBlock,
    });
    expect(p.revenue).to.be.greaterThan(0n);
    expect(paid.reduce((n, l) => n + l.args.gross! - l.args.fee!, 0n)).to.equal(p.revenue);
    const distributed = await client.getContractEvents({
      ...pool,
      eventName: "DividendsDistributed",
      fromBlock,
    });
    const claimed = await client.getContractEvents({ ...pool, eventName: "DividendsClaimed", fromBlock });
    expect(distributed.reduce((n, l) => n + l.args.amount!, 0n)).to.equal(p.distributed);
    expect(claimed.reduce((n, l) => n + l.args.amount!, 0n)).to.equal(p.dividendsPaid);
    expect(claimed.length).to.equal(p.claims);
    expect(p.dividendsPaid).to.be.greaterThan(0n);
    // Everything distributed is paid or still claimable (each claim rounds down by less than a wei).
    expect(p.dividendsPaid <= p.distributed).to.equal(true);
  });
});
