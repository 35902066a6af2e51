import { expect } from "chai";
import { type Address, decodeFunctionData, type Hex, isAddressEqual } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { DEVNET_MNEMONIC } from "../../scripts/lib/clients.ts";
import {
  DEFAULT_MARKET_POLICY,
  GENESIS_RESOURCE_ID,
  isComputeExempt,
  type MarketState,
  METER_ACCOUNT_INDEX,
  renderMarket,
  withholdShortOfCompute,
} from "../../scripts/sim/market.ts";
import type { Agent, Intent } from "../../scripts/sim/model.ts";
import { simulatedEconomy } from "../helpers/sim.ts";

const METER = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: METER_ACCOUNT_INDEX }).address;

// Issue 14, "agents need compute to act": a denied shortfall costs the agent actions the next day.
describe("sim: a compute shortage withholds actions (issue 14)", function () {
  const intent = (label: string): Intent => ({
    label,
    call: { address: METER, abi: [], functionName: "x", args: [] },
  });
  const agent = (name: string, archetype: string, address: Address) =>
    ({ name, archetype, address }) as Agent;
  const short = agent("client-01", "client", "0x0000000000000000000000000000000000000001");
  const free = agent("worker-02", "worker", "0x0000000000000000000000000000000000000002");
  const stateWith = (budget: number) =>
    ({
      budgets: new Map([[short.address, budget]]),
      summary: { withheld: [{ day: 4, agents: 1, actions: 0, byArchetype: {} }] },
    }) as unknown as MarketState;

  it("spends a short agent's budget in order and withholds the rest, counted by archetype", function () {
    const state = stateWith(2);
    const plans = [
      { agent: short, intents: [intent("job.create"), intent("feedback.give"), intent("gov.vote")] },
      { agent: free, intents: [intent("job.create"), intent("gov.vote")] },
    ];
    const out = withholdShortOfCompute(state, 4, "agree", plans);
    expect(out[0]!.intents.map((i) => i.label)).to.deep.equal(["job.create", "feedback.give"]);
    expect(out[1]).to.equal(plans[1]); // an agent with no budget is untouched
    expect(state.budgets.get(short.address)).to.equal(0);
    // The next phase: nothing left, everything withheld but what the rule leaves alone.
    const later = withholdShortOfCompute(state, 4, "deliver", [
      { agent: short, intents: [intent("job.submit"), intent("stake.claim"), intent("job.claim")] },
    ]);
    expect(later[0]!.intents.map((i) => i.label)).to.deep.equal(["job.submit", "job.claim"]);
    expect(state.summary.withheld[0]).to.deep.equal({
      day: 4,
      agents: 1,
      actions: 2,
      byArchetype: { client: 2 },
    });
  });

  it("leaves the city, the market, the pools and the upkeep collection alone", function () {
    const state = stateWith(0);
    for (const phase of ["city", "market.trade", "market.claim", "pool.claimDividends"]) {
      expect(isComputeExempt(phase, "task.take")).to.equal(true);
      const plans = [{ agent: short, intents: [intent("any")] }];
      expect(withholdShortOfCompute(state, 4, phase, plans)).to.equal(plans);
    }
    expect(isComputeExempt("keep", "upkeep.collect")).to.equal(true);
    expect(isComputeExempt("lottery.enter", "lottery.enter")).to.equal(false);
    expect(isComputeExempt("agreements", "loan.offer")).to.equal(false);
    expect(state.summary.withheld[0]!.actions).to.equal(0);
    // Another day's plans are not limited by a stale budget.
    const plans = [{ agent: short, intents: [intent("job.create")] }];
    expect(withholdShortOfCompute(state, 5, "agree", plans)).to.equal(plans);
  });
});

describe("sim: agents short of compute act less, by the chain's account (issue 14)", function () {
  this.timeout(1_800_000);
  const AGENTS = 8;
  const DAYS = 6;
  const economy = simulatedEconomy("shortage", { agents: AGENTS, days: DAYS });

  it("withholds actions of the agents denied the day before, within what their compute covers", async function () {
    const { sim, client, contracts, fromBlock } = economy;
    const withheld = sim.market!.withheld;
    expect(withheld.reduce((n, w) => n + w.actions, 0)).to.be.greaterThan(0);
    const { resourceLedger, resourceMarket, taskBoard, computePoolFactory, token, registry, escrow } =
      contracts;
    const denials = await client.getContractEvents({
      ...resourceLedger!,
      eventName: "UsageDenied",
      args: { meter: METER },
      fromBlock,
    });
    // The meter's reference starts with the day it metered (4 bytes).
    const shortOn = (day: number) => {
      const owed = new Map<Address, bigint>();
      for (const log of denials)
        if (Number(BigInt(log.args.ref!.slice(0, 10))) === day)
          owed.set(log.args.account!, (owed.get(log.args.account!) ?? 0n) + log.args.amount!);
      return owed;
    };
    const pools = new Set(
      (
        await client.getContractEvents({ ...computePoolFactory!, eventName: "ComputePoolCreated", fromBlock })
      ).map((l) => l.args.pool!.toLowerCase()),
    );
    const is = (a: Address | null | undefined, b: Address) => a != null && isAddressEqual(a, b);
    // The rule's exemptions, read from what reached the chain: the city, the market, the pools, the upkeep
    // collection, delivering and collecting a job, and approving the market.
    const exempt = (to: Address | null, input: Hex) => {
      if (
        is(to, taskBoard!.address) ||
        is(to, resourceMarket!.address) ||
        is(to, computePoolFactory!.address)
      )
        return true;
      if (to !== null && pools.has(to.toLowerCase())) return true;
      if (is(to, registry.address))
        return decodeFunctionData({ abi: registry.abi, data: input }).functionName === "collectUpkeep";
      if (is(to, escrow.address))
        return ["submit", "claim"].includes(
          decodeFunctionData({ abi: escrow.abi, data: input }).functionName,
        );
      if (is(to, token.address)) {
        const call = decodeFunctionData({ abi: token.abi, data: input });
        return call.functionName === "approve" && is(call.args[0] as Address, resourceMarket!.address);
      }
      return false;
    };
    const per = DEFAULT_MARKET_POLICY.gpuPerAction;
    let binding = 0;
    for (const line of withheld) {
      const owed = shortOn(line.day - 1);
      expect(line.agents).to.equal(owed.size);
      const start = sim.dayEndBlocks[line.day - 1]!.block;
      const end = sim.dayEndBlocks[line.day]!.block;
      const blocks = await Promise.all(
        Array.from({ length: Number(end - start) }, (_, i) =>
          client.getBlock({ blockNumber: start + 1n + BigInt(i), includeTransactions: true }),
        ),
      );
      for (const [account, shortfall] of owed) {
        const [allowance, credits] = await Promise.all([
          client.readContract({
            ...resourceLedger!,
            functionName: "allowanceOf",
            args: [GENESIS_RESOURCE_ID, account],
            blockNumber: start,
          }),
          client.readContract({
            ...resourceLedger!,
            functionName: "balanceOf",
            args: [account, GENESIS_RESOURCE_ID],
            blockNumber: start,
          }),
        ]);
        const covered = (allowance + credits) / per;
        const cost = (shortfall + per - 1n) / per;
        const budget = covered > cost ? covered - cost : 0n;
        const sent = blocks
          .flatMap((b) => b.transactions)
          .filter((tx) => is(tx.from, account) && !exempt(tx.to, tx.input)).length;
        expect(BigInt(sent)).to.be.at.most(budget, `${account} on day ${line.day}`);
        if (BigInt(sent) === budget) binding++;
      }
    }
    expect(binding).to.be.greaterThan(0);
    expect(renderMarket(sim.market).join("\n")).to.match(
      /Actions withheld for want of compute: [1-9]\d* over/,
    );
  });
});

describe("sim: the economy without the resource market (`--no-market`)", function () {
  this.timeout(1_800_000);
  const economy = simulatedEconomy("no-market", { agents: 6, days: 3, market: false });

  it("trades no compute and meters nothing, while the agents still act", async function () {
    const { sim, client, contracts, fromBlock } = economy;
    expect(sim.market).to.equal(undefined);
    expect(sim.stats.succeeded).to.be.greaterThan(0);
    const { resourceLedger, resourceMarket } = contracts;
    const used = await client.getContractEvents({
      ...resourceLedger!,
      eventName: "UsageRecorded",
      args: { meter: METER },
      fromBlock,
    });
    const denied = await client.getContractEvents({
      ...resourceLedger!,
      eventName: "UsageDenied",
      args: { meter: METER },
      fromBlock,
    });
    const bids = await client.getContractEvents({ ...resourceMarket!, eventName: "BidPlaced", fromBlock });
    const offers = await client.getContractEvents({ ...resourceMarket!, eventName: "Offered", fromBlock });
    expect([used.length, denied.length, bids.length, offers.length]).to.deep.equal([0, 0, 0, 0]);
  });
});
