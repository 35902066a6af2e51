/**
 * HTTP API (beside Ponder's own /health, /ready, /status and /metrics):
 * - /graphql: GraphQL over every table (filtering, ordering, cursor pagination); also at /.
 * - /sql/*: SQL over HTTP for @ponder/client.
 * - /economy: the economy now (JSON), with a live Gini and largest holder.
 * - /metrics/economy: the same as Prometheus gauges.
 * - /proposals/state and /proposals/:id/state: each proposal's state (pending, active, defeated, ...) at
 *   the latest indexed block time (or `?at=<unix seconds>`), with its quorum as the Governor recorded it
 *   (null before the first vote), from indexed rows only.
 * - /dashboard/: the web dashboard (./dashboard.ts).
 */
import { db } from "ponder:api";
import schema, { account, economyDay, proposal, tokenState } from "ponder:schema";
import { Hono } from "hono";
import { asc, client, desc, eq, graphql, isNotNull, or, sql } from "ponder";
import { PROPOSAL_STATES, proposalState } from "../../lib/proposalState.ts";
import { distributionOf } from "../../lib/store.ts";
import { serveDashboard } from "./dashboard.ts";
import { serveAudit } from "./audit.ts";
import { wealthCapOf } from "../../../scripts/lib/vocabulary.ts";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));
app.use("/", graphql({ db, schema }));
serveDashboard(app);
serveAudit(app);

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
    cap: wealthCapOf(state.totalSupply, state.capBps),
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

/** Block time of the latest indexed block (Ponder's checkpoint starts with it, 10 digits). */
async function indexedTime(): Promise<bigint | undefined> {
  const result = (await db.execute(sql`select * from _ponder_checkpoint`)) as unknown as
    { rows: Record<string, unknown>[] } | Record<string, unknown>[];
  const rows = Array.isArray(result) ? result : result.rows;
  const row = rows[0];
  if (row === undefined) return undefined;
  const key = Object.keys(row).find((k) => /latest/i.test(k));
  return key === undefined ? undefined : BigInt(String(row[key]).slice(0, 10));
}

async function stateOf(row: typeof proposal.$inferSelect, now: bigint) {
  // The quorum the Governor recorded with the first vote (ProposalQuorumRecorded); null before any vote.
  const quorum = row.quorum;
  const state = proposalState(row, quorum, now);
  return {
    id: row.id,
    state,
    stateCode: PROPOSAL_STATES.indexOf(state),
    quorum,
    forVotes: row.forVotes,
    againstVotes: row.againstVotes,
    abstainVotes: row.abstainVotes,
    voteStart: row.voteStart,
    voteEnd: row.voteEnd,
    eta: row.eta,
    at: now,
  };
}

async function evaluationTime(at: string | undefined): Promise<bigint | undefined> {
  return at !== undefined && /^\d+$/.test(at) ? BigInt(at) : await indexedTime();
}

app.get("/proposals/state", async (c) => {
  const now = await evaluationTime(c.req.query("at"));
  if (now === undefined) return c.json({ error: "nothing indexed yet" }, 503);
  const rows = await db.select().from(proposal).orderBy(asc(proposal.createdAt));
  const states = [];
  for (const row of rows) states.push(await stateOf(row, now));
  return c.body(json(states), 200, { "content-type": "application/json" });
});

app.get("/proposals/:id/state", async (c) => {
  const id = c.req.param("id");
  if (!/^\d+$/.test(id)) return c.json({ error: "proposal id must be a decimal integer" }, 400);
  const now = await evaluationTime(c.req.query("at"));
  if (now === undefined) return c.json({ error: "nothing indexed yet" }, 503);
  const [row] = await db
    .select()
    .from(proposal)
    .where(eq(proposal.id, BigInt(id)));
  if (row === undefined) return c.json({ error: "unknown proposal" }, 404);
  return c.body(json(await stateOf(row, now)), 200, { "content-type": "application/json" });
});

export default app;
