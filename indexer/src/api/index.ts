/**
 * HTTP API (beside Ponder's own /health, /ready, /status and /metrics):
 * - /graphql: GraphQL over every table (filtering, ordering, cursor pagination); also at /.
 * - /sql/*: SQL over HTTP for @ponder/client.
 * - /economy: the economy now (JSON), with a live Gini and largest holder.
 * - /metrics/economy: the same as Prometheus gauges.
 */
import { db } from "ponder:api";
import schema, { account, economyDay, tokenState } from "ponder:schema";
import { Hono } from "hono";
import { client, desc, eq, graphql, isNotNull, or } from "ponder";
import { distributionOf } from "../../lib/store.ts";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));
app.use("/", graphql({ db, schema }));

/** The economy now, computed from the current rows. */
async function economyNow() {
  const [state] = await db.select().from(tokenState).where(eq(tokenState.id, "civ"));
  if (state === undefined) return undefined;
  const rows = await db
    .select({
      address: account.address,
      balance: account.balance,
      staked: account.staked,
      unbonding: account.unbonding,
      agentId: account.agentId,
      isProtocol: account.isProtocol,
    })
    .from(account)
    .where(or(isNotNull(account.agentId), eq(account.isProtocol, false)));
  const [treasury] = await db.select().from(account).where(eq(account.address, state.treasury));
  const [today] = await db.select().from(economyDay).orderBy(desc(economyDay.day)).limit(1);
  const treasuryBalance = treasury?.balance ?? 0n;
  return {
    state,
    treasuryBalance,
    circulating: state.totalSupply - treasuryBalance,
    cap: (state.totalSupply * state.capBps) / 10_000n,
    holders: rows.filter((r) => r.balance + r.staked + r.unbonding > 0n).length,
    distribution: distributionOf(rows, state.totalSupply),
    today,
  };
}

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);

app.get("/economy", async (c) => {
  const economy = await economyNow();
  if (economy === undefined) return c.json({ error: "nothing indexed yet" }, 503);
  return c.body(json(economy), 200, { "content-type": "application/json" });
});

app.get("/metrics/economy", async (c) => {
  const economy = await economyNow();
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: bigint | number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value.toString()}`);
  };
  if (economy !== undefined) {
    const { state, distribution } = economy;
    gauge("civitas_total_supply_wei", "Total CIV supply, wei.", state.totalSupply);
    gauge(
      "civitas_circulating_supply_wei",
      "Total supply minus the Treasury's balance, wei.",
      economy.circulating,
    );
    gauge("civitas_treasury_balance_wei", "CIV held by the Treasury, wei.", economy.treasuryBalance);
    gauge("civitas_tax_collected_wei", "Cumulative tax paid to the Treasury, wei.", state.totalTax);
    gauge(
      "civitas_cap_excess_collected_wei",
      "Cumulative cap excess sent to the Treasury, wei.",
      state.totalCapExcess,
    );
    gauge("civitas_minted_wei", "Cumulative CIV minted, wei.", state.totalMinted);
    gauge("civitas_burned_wei", "Cumulative CIV burned, wei.", state.totalBurned);
    gauge("civitas_upkeep_burned_wei", "Cumulative upkeep burned, wei.", state.totalUpkeepBurned);
    gauge("civitas_tax_bps", "Tax on earnings, bps.", state.taxBps);
    gauge("civitas_cap_bps", "Wealth cap, bps of total supply.", state.capBps);
    gauge("civitas_agents_active", "Registered agents in good standing.", state.activeAgents);
    gauge("civitas_agents_suspended", "Suspended agents.", state.suspendedAgents);
    gauge("civitas_agents_starved", "Starved agents.", state.starvedAgents);
    gauge("civitas_holders", "Agents and ordinary accounts holding CIV.", economy.holders);
    gauge("civitas_gini", "Gini coefficient of agents' holdings (0..1).", distribution.gini);
    gauge(
      "civitas_largest_holder_share_bps",
      "Largest ordinary holder's holdings, bps of total supply.",
      distribution.largestHolderShareBps,
    );
    gauge(
      "civitas_indexed_timestamp_seconds",
      "Block time of the latest indexed token event.",
      state.updatedAt,
    );
  }
  return c.text(`${lines.join("\n")}\n`, 200, { "content-type": "text/plain; version=0.0.4" });
});

export default app;
