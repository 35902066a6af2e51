/**
 * Agents: a sortable, searchable table of every registered agent (balance, stake, reputation score,
 * standing, URI), and one agent's page: balance over time, reputation timeline with reasons, jobs and
 * their outcomes, transfers with gross/tax/net.
 */
import { allRows, query, type IndexedBlock } from "../api.ts";
import { chart, civLegend } from "../charts.ts";
import {
  address,
  agentHref,
  civ,
  fill,
  figure,
  h,
  section,
  table,
  time,
  uriLink,
  type SortState,
} from "../dom.ts";
import { civNumber, formatCiv, formatCount, words } from "../format.ts";
import type { Page } from "./page.ts";

interface AgentRow {
  id: string;
  wallet: string | null;
  owner: string;
  uri: string;
  status: string;
  reputation: string;
  upkeepBurned: string;
  registeredAt: string;
}

interface AccountRow {
  address: string;
  balance: string;
  staked: string;
  unbonding: string;
  agentId: string | null;
}

/** An agent's standing as a coloured badge. */
export function standing(status: string): HTMLElement {
  const tone = status === "active" ? "good" : status.includes("starved") ? "bad" : "warn";
  return h("span", { class: `badge ${tone}`, "data-status": status }, words(status));
}

/** The Agents table. */
export function agentsPage(): Page {
  let sort: SortState = { column: 4, descending: true };
  let filter = "";
  let rows: (AgentRow & { balance: string; stake: string })[] = [];
  const search = h("input", {
    type: "search",
    placeholder: "Search id, address, URI or standing",
    "aria-label": "Search agents",
    id: "agent-search",
  });
  const count = h("span", { class: "muted", "aria-live": "polite" });
  const holder = h("div", {});
  const columns = [
    {
      header: "Id",
      cell: (r: (typeof rows)[number]) => h("a", { href: agentHref(r.id) }, `#${r.id}`),
      numeric: true,
      sort: (r: (typeof rows)[number]) => BigInt(r.id),
    },
    {
      header: "URI",
      cell: (r: (typeof rows)[number]) =>
        h("span", { class: "uri", title: r.uri }, r.uri.length > 40 ? `${r.uri.slice(0, 39)}…` : r.uri),
      sort: (r: (typeof rows)[number]) => r.uri,
    },
    { header: "Wallet", cell: (r: (typeof rows)[number]) => address(r.wallet) },
    {
      header: "Standing",
      cell: (r: (typeof rows)[number]) => standing(r.status),
      sort: (r: (typeof rows)[number]) => r.status,
    },
    {
      header: "Balance",
      cell: (r: (typeof rows)[number]) => civ(r.balance),
      numeric: true,
      sort: (r: (typeof rows)[number]) => BigInt(r.balance),
    },
    {
      header: "Stake",
      cell: (r: (typeof rows)[number]) => civ(r.stake),
      numeric: true,
      sort: (r: (typeof rows)[number]) => BigInt(r.stake),
    },
    {
      header: "Score",
      cell: (r: (typeof rows)[number]) => formatCount(r.reputation),
      numeric: true,
      sort: (r: (typeof rows)[number]) => BigInt(r.reputation),
    },
    {
      header: "Registered",
      cell: (r: (typeof rows)[number]) => time(r.registeredAt),
      sort: (r: (typeof rows)[number]) => BigInt(r.registeredAt),
    },
  ];
  const render = () => {
    const needle = filter.trim().toLowerCase();
    const shown = needle
      ? rows.filter((r) =>
          [`#${r.id}`, r.id, r.wallet ?? "", r.owner, r.uri, r.status, words(r.status)].some((s) =>
            s.toLowerCase().includes(needle),
          ),
        )
      : rows;
    count.textContent = `${formatCount(shown.length)} of ${formatCount(rows.length)} agents`;
    fill(
      holder,
      table("Registered agents", columns, shown, {
        sort,
        onSort: (next) => {
          sort = next;
          render();
        },
        rowKey: (r) => r.id,
        empty: rows.length === 0 ? "No agent registered yet." : "No agent matches the search.",
      }),
    );
  };
  search.addEventListener("input", () => {
    filter = search.value;
    render();
  });
  const element = h("div", {}, h("h1", {}, "Agents"), h("div", { class: "toolbar" }, search, count), holder);
  return {
    title: "Agents",
    element,
    async update() {
      const { block } = await query<object>("");
      const [agents, accounts] = await Promise.all([
        allRows<AgentRow>(
          "agents",
          "id wallet owner uri status reputation upkeepBurned registeredAt",
          `orderBy: "id"`,
        ),
        allRows<AccountRow>(
          "accounts",
          "address balance staked unbonding agentId",
          `where: { agentId_not: null }`,
        ),
      ]);
      const byAddress = new Map(accounts.map((a) => [a.address.toLowerCase(), a]));
      rows = agents.map((agent) => {
        const account = agent.wallet ? byAddress.get(agent.wallet.toLowerCase()) : undefined;
        return {
          ...agent,
          balance: account?.balance ?? "0",
          stake: String(BigInt(account?.staked ?? 0) + BigInt(account?.unbonding ?? 0)),
        };
      });
      render();
      return block;
    },
  };
}

interface Leg {
  id: string;
  from: string;
  to: string;
  amount: string;
  gross: string;
  tax: string;
  net: string;
  kind: string;
  parentId: string;
  timestamp: string;
  transactionHash: string;
}

interface EscrowRow {
  id: string;
  state: string;
  client: string;
  provider: string;
  arbitrator: string;
  clientId: string;
  providerId: string;
  arbitratorId: string;
  amount: string;
  outcome: string | null;
  providerGross: string | null;
  createdAt: string;
  closedAt: string | null;
}

interface ReputationRow {
  id: string;
  delta: string;
  newScore: string;
  reasonText: string;
  reporter: string;
  ref: string;
  timestamp: string;
}

const LEGS = "id from to amount gross tax net kind parentId timestamp transactionHash";
const ESCROW =
  "id state client provider arbitrator clientId providerId arbitratorId amount outcome providerGross createdAt closedAt";

/** Outcome of an escrow as a badge (state names are the indexer's, from the contract's enum). */
export function escrowState(state: string): HTMLElement {
  const tone =
    state === "completed"
      ? "good"
      : ["disputed", "refunded", "no_show_resolved", "cancelled"].includes(state)
        ? "bad"
        : state === "ruled"
          ? "warn"
          : "";
  return h("span", { class: `badge ${tone}`, "data-state": state }, words(state));
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** What one agent's page asks GraphQL, in one query. */
interface AgentData {
  agent: (AgentRow & { grant: string }) | null;
  account: (AccountRow & { totalEarned: string; totalSpent: string; taxPaid: string }) | null;
  sent: { items: Leg[] };
  received: { items: Leg[] };
  reputationChanges: { items: ReputationRow[] };
  asClient: { items: EscrowRow[] };
  asProvider: { items: EscrowRow[] };
  asArbitrator: { items: EscrowRow[] };
}

const agentQuery = `agent(id: $id) { id wallet owner uri status reputation upkeepBurned registeredAt grant }
  account(address: $wallet) { address balance staked unbonding agentId totalEarned totalSpent taxPaid }
  sent: transfers(where: { from: $wallet }, orderBy: "timestamp", orderDirection: "desc", limit: 1000) { items { ${LEGS} } }
  received: transfers(where: { to: $wallet }, orderBy: "timestamp", orderDirection: "desc", limit: 1000) { items { ${LEGS} } }
  reputationChanges(where: { agentId: $id }, orderBy: "timestamp", orderDirection: "asc", limit: 1000) { items { id delta newScore reasonText reporter ref timestamp } }
  asClient: escrows(where: { clientId: $id }, orderBy: "id", orderDirection: "desc", limit: 500) { items { ${ESCROW} } }
  asProvider: escrows(where: { providerId: $id }, orderBy: "id", orderDirection: "desc", limit: 500) { items { ${ESCROW} } }
  asArbitrator: escrows(where: { arbitratorId: $id }, orderBy: "id", orderDirection: "desc", limit: 500) { items { ${ESCROW} } }`;

/** One agent's page. */
export function agentPage([id]: string[]): Page {
  let knownWallet = ZERO_ADDRESS;
  const figures = h("div", { class: "figures" });
  const balance = chart("Balance over time (CIV)", [
    { label: "Liquid balance", format: civLegend, stepped: true },
  ]);
  const reputation = chart(
    "Reputation score",
    [{ label: "Score", stepped: true, format: (v) => formatCount(v) }],
    { integer: true },
  );
  const reasons = h("div", {});
  const jobs = h("div", {});
  const transfers = h("div", {});
  const heading = h("h1", {}, `Agent #${id}`);
  const element = h(
    "div",
    {},
    h("p", {}, h("a", { href: "#/agents" }, "← All agents")),
    heading,
    figures,
    section("Over time", h("div", { class: "charts" }, balance.element, reputation.element)),
    section("Reputation timeline", reasons),
    section("Jobs", jobs),
    section("Transfers", transfers),
  );
  return {
    title: `Agent #${id}`,
    element,
    async update() {
      // One query per refresh: the agent's wallet is remembered from the previous one (asked again if it changed).
      let more: AgentData;
      let latest: IndexedBlock;
      for (;;) {
        ({ data: more, block: latest } = await query<AgentData>(
          agentQuery,
          { id, wallet: knownWallet },
          "$id: BigInt!, $wallet: String!",
        ));
        const current = (more.agent?.wallet ?? ZERO_ADDRESS).toLowerCase();
        if (current === knownWallet) break;
        knownWallet = current;
      }
      const agent = more.agent;
      if (agent === null) {
        fill(figures, h("p", { role: "status" }, `No agent #${id} has been indexed.`));
        return latest;
      }
      const wallet = knownWallet;
      const account = more.account;
      fill(
        figures,
        figure("uri", "URI", h("span", { class: "small" }, uriLink(agent.uri))),
        figure("wallet", "Wallet", address(agent.wallet)),
        figure("owner", "Owner", address(agent.owner)),
        figure("standing", "Standing", standing(agent.status)),
        figure("balance", "Balance", civ(account?.balance ?? "0")),
        figure(
          "stake",
          "Stake",
          civ(String(BigInt(account?.staked ?? 0) + BigInt(account?.unbonding ?? 0))),
          "bonded and unbonding",
        ),
        figure(
          "score",
          "Reputation score",
          h("span", { "data-value": agent.reputation }, formatCount(agent.reputation)),
        ),
        figure(
          "earned",
          "Earned (gross)",
          civ(account?.totalEarned ?? "0"),
          `tax paid ${formatCiv(account?.taxPaid ?? "0")} CIV`,
        ),
        figure("upkeep", "Upkeep burned", civ(agent.upkeepBurned)),
        figure("registered", "Registered", time(agent.registeredAt)),
      );

      // Balance over time: walk back from the indexed balance through the legs (newest first).
      const legs = new Map<string, Leg>();
      if (wallet !== ZERO_ADDRESS)
        for (const leg of [...more.sent.items, ...more.received.items]) legs.set(leg.id, leg);
      const ordered = [...legs.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      const me = wallet.toLowerCase();
      let after = BigInt(account?.balance ?? 0);
      const points: [number, number][] = [[latest.timestamp, civNumber(after)]];
      for (const leg of ordered) {
        points.push([Number(leg.timestamp), civNumber(after)]);
        if (leg.to.toLowerCase() === me) after -= BigInt(leg.amount);
        if (leg.from.toLowerCase() === me) after += BigInt(leg.amount);
      }
      if (ordered.length > 0) points.push([Number(ordered.at(-1)!.timestamp) - 1, civNumber(after)]);
      points.reverse();
      // One point per second (the last balance of that second): uPlot needs increasing x.
      const series = new Map<number, number>();
      for (const [x, y] of points) series.set(x, y);
      balance.setData([...series.keys()], [[...series.values()]]);

      const changes = more.reputationChanges.items;
      const scoreSeries = new Map<number, number>();
      if (changes.length > 0)
        scoreSeries.set(
          Number(agent.registeredAt),
          Number(BigInt(changes[0]!.newScore) - BigInt(changes[0]!.delta)),
        );
      for (const c of changes) scoreSeries.set(Number(c.timestamp), Number(c.newScore));
      if (changes.length > 0)
        scoreSeries.set(Math.max(latest.timestamp, ...scoreSeries.keys()), Number(agent.reputation));
      reputation.setData([...scoreSeries.keys()], [[...scoreSeries.values()]]);
      fill(
        reasons,
        table(
          "Reputation changes, newest first",
          [
            { header: "When", cell: (r: ReputationRow) => time(r.timestamp) },
            {
              header: "Change",
              cell: (r) => (BigInt(r.delta) > 0n ? `+${formatCount(r.delta)}` : formatCount(r.delta)),
              numeric: true,
            },
            { header: "New score", cell: (r) => formatCount(r.newScore), numeric: true },
            { header: "Reason", cell: (r) => r.reasonText },
            { header: "Reference", cell: (r) => r.ref, numeric: true },
            { header: "Reporter", cell: (r) => address(r.reporter) },
          ],
          [...changes].reverse(),
          { empty: "No reputation change yet." },
        ),
      );

      const roles = new Map<string, { escrow: EscrowRow; roles: string[] }>();
      for (const [role, list] of [
        ["client", more.asClient.items],
        ["provider", more.asProvider.items],
        ["arbitrator", more.asArbitrator.items],
      ] as const)
        for (const escrow of list) {
          const entry = roles.get(escrow.id) ?? { escrow, roles: [] };
          entry.roles.push(role);
          roles.set(escrow.id, entry);
        }
      const jobRows = [...roles.values()].sort((a, b) => Number(BigInt(b.escrow.id) - BigInt(a.escrow.id)));
      fill(
        jobs,
        table(
          `Jobs of agent #${id}`,
          [
            { header: "Job", cell: (r: (typeof jobRows)[number]) => `#${r.escrow.id}`, numeric: true },
            { header: "Role", cell: (r) => r.roles.join(", ") },
            { header: "Outcome", cell: (r) => escrowState(r.escrow.state) },
            { header: "Amount", cell: (r) => civ(r.escrow.amount), numeric: true },
            { header: "Paid to provider", cell: (r) => civ(r.escrow.providerGross), numeric: true },
            {
              header: "Client",
              cell: (r) => h("a", { href: agentHref(r.escrow.clientId) }, `#${r.escrow.clientId}`),
            },
            {
              header: "Provider",
              cell: (r) => h("a", { href: agentHref(r.escrow.providerId) }, `#${r.escrow.providerId}`),
            },
            { header: "Created", cell: (r) => time(r.escrow.createdAt) },
            { header: "Closed", cell: (r) => time(r.escrow.closedAt) },
          ],
          jobRows,
          { empty: "No job yet." },
        ),
      );

      const operations = ordered.filter((leg) => leg.id === leg.parentId);
      fill(
        transfers,
        table(
          `Transfers of agent #${id}, newest first (one row per operation)`,
          [
            { header: "When", cell: (r: Leg) => time(r.timestamp) },
            { header: "Kind", cell: (r) => words(r.kind) },
            { header: "Direction", cell: (r) => (r.from.toLowerCase() === me ? "out" : "in") },
            { header: "From", cell: (r) => address(r.from) },
            { header: "To", cell: (r) => address(r.to) },
            { header: "Gross", cell: (r) => civ(r.gross), numeric: true },
            { header: "Tax", cell: (r) => civ(r.tax), numeric: true },
            { header: "Net", cell: (r) => civ(r.net), numeric: true },
          ],
          operations.slice(0, 100),
          { empty: "No transfer yet.", rowKey: (r) => r.id },
        ),
        operations.length > 100
          ? h("p", { class: "muted" }, `The latest 100 of ${formatCount(operations.length)} operations.`)
          : null,
      );
      heading.textContent = `Agent #${id}`;
      return latest;
    },
  };
}
