/**
 * Governance: each proposal with its state (the indexer's /proposals/state at the latest indexed block),
 * votes for/against/abstain against the quorum (for + abstain count towards it, as OpenZeppelin's
 * GovernorCountingSimple), and its timeline from proposal to execution.
 */
import { allRows, proposalStates, query } from "../api.ts";
import { chart, civAxis, civLegend, type Chart } from "../charts.ts";
import { address, civ, fill, figure, h, section, table, time } from "../dom.ts";
import { civNumber, formatCiv, formatCount, words } from "../format.ts";
import type { Page } from "./page.ts";

interface ProposalRow {
  id: string;
  proposer: string;
  description: string;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  voters: number;
  voteStart: string;
  voteEnd: string;
  createdAt: string;
  queuedAt: string | null;
  eta: string | null;
  executedAt: string | null;
  canceledAt: string | null;
}

interface VoteRow {
  id: string;
  proposalId: string;
  voter: string;
  support: number;
  weight: string;
  reason: string;
  timestamp: string;
}

const SUPPORT = ["against", "for", "abstain"] as const;

/** A proposal's title: the first line of its description, without OpenZeppelin's `#proposer=0x…` suffix. */
export function proposalTitle(description: string): string {
  return (
    description
      .replace(/#proposer=0x[0-9a-fA-F]{40}$/, "")
      .split("\n")[0]!
      .slice(0, 160) || "(no description)"
  );
}

/**
 * Cumulative votes for, against and abstain over the voting period, and the quorum (constant; no line while it
 * is null, i.e. before the first vote, when the Governor records it).
 */
function votesOverTime(target: Chart, p: ProposalRow, votes: VoteRow[], quorum: bigint | null): void {
  const totals = [0n, 0n, 0n];
  const points = new Map<number, bigint[]>([[Number(p.voteStart), [...totals]]]);
  for (const v of [...votes].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    totals[v.support] = (totals[v.support] ?? 0n) + BigInt(v.weight);
    points.set(Number(v.timestamp), [...totals]);
  }
  points.set(Math.max(Number(p.voteEnd), ...points.keys()), [...totals]);
  const xs = [...points.keys()].sort((a, b) => a - b);
  const series = (i: number) => xs.map((x) => civNumber(points.get(x)![i]!));
  target.setData(xs, [
    series(1),
    series(0),
    series(2),
    xs.map(() => (quorum === null ? null : civNumber(quorum))),
  ]);
}

function stateBadge(state: string): HTMLElement {
  const tone = ["executed", "succeeded", "queued"].includes(state)
    ? "good"
    : ["defeated", "canceled", "expired"].includes(state)
      ? "bad"
      : "warn";
  return h("span", { class: `badge ${tone}`, "data-state": state }, words(state));
}

/**
 * The stacked votes bar with the quorum marker. The quorum is null until the first vote (the Governor records
 * it then): no marker, and not reached.
 */
function votesBar(p: ProposalRow, quorum: bigint | null): HTMLElement {
  const forVotes = BigInt(p.forVotes);
  const against = BigInt(p.againstVotes);
  const abstain = BigInt(p.abstainVotes);
  const scale = [forVotes + against + abstain, quorum ?? 0n].reduce((a, b) => (a > b ? a : b), 1n);
  const pct = (x: bigint) => `${Number((x * 100_000n) / scale) / 1000}%`;
  const reached = quorum !== null && forVotes + abstain >= quorum;
  const quorumText = quorum === null ? "set at the first vote" : formatCiv(quorum);
  return h(
    "div",
    {},
    h(
      "div",
      {
        class: "votes",
        role: "img",
        "aria-label": `For ${formatCiv(forVotes)}, against ${formatCiv(against)}, abstain ${formatCiv(abstain)} votes; quorum ${quorumText} ${reached ? "reached" : "not reached"}`,
      },
      h("span", { class: "for", style: `width:${pct(forVotes)}` }),
      h("span", { class: "abstain", style: `width:${pct(abstain)}` }),
      h("span", { class: "against", style: `width:${pct(against)}` }),
      quorum === null
        ? null
        : h(
            "span",
            { class: "quorum", style: `left:${pct(quorum)}` },
            h("span", {}, `quorum ${formatCiv(quorum, undefined, 0)}`),
          ),
    ),
    h(
      "div",
      { class: "legend" },
      h("span", {}, h("span", { class: "key", style: "background:#009e73" }), "For ", civ(p.forVotes)),
      h(
        "span",
        {},
        h("span", { class: "key", style: "background:#5f6b7d" }),
        "Abstain ",
        civ(p.abstainVotes),
      ),
      h(
        "span",
        {},
        h("span", { class: "key", style: "background:#d55e00" }),
        "Against ",
        civ(p.againstVotes),
      ),
      quorum === null
        ? h("span", { "data-quorum": "" }, "Quorum set at the first vote")
        : h(
            "span",
            { "data-quorum": String(quorum) },
            "Quorum ",
            civ(quorum),
            reached ? " (reached)" : " (not reached)",
          ),
    ),
  );
}

/** The timeline from proposal to execution, each step done or upcoming at the indexed block time. */
function timeline(p: ProposalRow, now: number): HTMLElement {
  const steps: [string, string | null][] = [
    ["Proposed", p.createdAt],
    ["Voting opens", p.voteStart],
    ["Voting closes", p.voteEnd],
    ["Queued", p.queuedAt],
    ["Executable", p.eta],
    [p.canceledAt ? "Canceled" : "Executed", p.canceledAt ?? p.executedAt],
  ];
  return h(
    "ol",
    { class: "timeline", "aria-label": `Timeline of proposal ${p.id}` },
    ...steps.map(([label, at]) =>
      h(
        "li",
        { class: at !== null && Number(at) <= now ? "done" : "upcoming" },
        h("strong", {}, label),
        " ",
        at === null ? h("span", { class: "muted" }, "—") : time(at),
      ),
    ),
  );
}

/** The Governance page. */
export function governancePage(): Page {
  const figures = h("div", { class: "figures" });
  const list = h("div", {});
  const charts = new Map<string, Chart>();
  const chartOf = (id: string) => {
    let c = charts.get(id);
    if (c === undefined) {
      c = chart(
        "Votes over time (CIV)",
        [
          { label: "For", stepped: true, format: civLegend, color: "#009E73" },
          { label: "Against", stepped: true, format: civLegend, color: "#D55E00" },
          { label: "Abstain", stepped: true, format: civLegend, color: "#5F6B7D" },
          { label: "Quorum", dash: true, format: civLegend, color: "#000000" },
        ],
        { yFormat: civAxis },
      );
      charts.set(id, c);
    }
    return c;
  };
  const element = h("div", {}, h("h1", {}, "Governance"), figures, section("Proposals", list));
  return {
    title: "Governance",
    element,
    async update() {
      const { data, block } = await query<{
        governorState: {
          proposals: number;
          quorumNumerator: string | null;
          votingPeriod: string | null;
        } | null;
      }>(`governorState(id: "governor") { proposals quorumNumerator votingPeriod }`);
      const [proposals, votes, states] = await Promise.all([
        allRows<ProposalRow>(
          "proposals",
          "id proposer description forVotes againstVotes abstainVotes voters voteStart voteEnd createdAt queuedAt eta executedAt canceledAt",
          `orderBy: "createdAt", orderDirection: "desc"`,
        ),
        allRows<VoteRow>("votes", "id proposalId voter support weight reason timestamp", `orderBy: "id"`),
        proposalStates(),
      ]);
      const stateOf = new Map(states.map((s) => [String(s.id), s]));
      const g = data.governorState;
      fill(
        figures,
        figure(
          "proposals",
          "Proposals",
          h("span", { "data-value": g?.proposals ?? 0 }, formatCount(g?.proposals ?? 0)),
        ),
        figure(
          "quorumNumerator",
          "Quorum",
          g?.quorumNumerator == null ? "—" : `${g.quorumNumerator}% of circulating`,
        ),
        figure("votesCast", "Votes cast", formatCount(votes.length)),
      );
      const now = Number(stateOf.values().next().value?.at ?? block.timestamp);
      fill(
        list,
        proposals.length === 0 ? h("p", { class: "muted" }, "No proposal yet.") : null,
        ...proposals.map((p) => {
          const s = stateOf.get(p.id);
          const mine = votes.filter((v) => v.proposalId === p.id);
          const over = chartOf(p.id);
          return h(
            "article",
            { class: "proposal", "data-proposal": p.id, "aria-labelledby": `p-${p.id}` },
            h("h3", { id: `p-${p.id}` }, s ? stateBadge(s.state) : null, " ", proposalTitle(p.description)),
            h(
              "p",
              { class: "muted" },
              "Proposal ",
              h("code", { title: p.id }, `${p.id.slice(0, 10)}…`),
              " by ",
              address(p.proposer),
              ` · ${formatCount(p.voters)} voters`,
            ),
            votesBar(p, s?.quorum == null ? null : BigInt(s.quorum)),
            timeline(p, now),
            over.element,
            h(
              "details",
              {},
              h("summary", {}, `Votes (${formatCount(mine.length)})`),
              table(
                `Votes on proposal ${p.id.slice(0, 10)}…`,
                [
                  { header: "Voter", cell: (v: VoteRow) => address(v.voter) },
                  { header: "Support", cell: (v) => SUPPORT[v.support] ?? String(v.support) },
                  { header: "Weight", cell: (v) => civ(v.weight), numeric: true },
                  { header: "Reason", cell: (v) => v.reason || "—" },
                  { header: "When", cell: (v) => time(v.timestamp) },
                ],
                mine,
                { empty: "No vote yet." },
              ),
            ),
          );
        }),
      );
      for (const p of proposals) {
        const s = stateOf.get(p.id);
        votesOverTime(
          chartOf(p.id),
          p,
          votes.filter((v) => v.proposalId === p.id),
          s?.quorum == null ? null : BigInt(s.quorum),
        );
      }
      return block;
    },
  };
}
