/** Staking: validators, bonded stake, commission, rewards per epoch, slashes. */
import { allRows, query } from "../api.ts";
import { chart, civAxis, civLegend } from "../charts.ts";
import { address, civ, fill, figure, h, section, table, time } from "../dom.ts";
import { civNumber, formatBps, formatCount } from "../format.ts";
import type { Page } from "./page.ts";

interface ValidatorRow {
  address: string;
  commissionBps: string;
  bondedTokens: string;
  unbondingTokens: string;
  selfStake: string;
  commissionSuspended: boolean;
  delegators: number;
  totalSlashed: string;
  slashes: number;
  registeredAt: string;
}

interface EpochRow {
  id: string;
  number: number;
  amount: string;
  carried: string;
  duration: string;
  startedAt: string;
  periodFinish: string;
}

interface SlashRow {
  id: string;
  validator: string;
  slashBps: string;
  bondedSlashed: string;
  unbondingSlashed: string;
  reasonText: string;
  timestamp: string;
}

interface StakeEventRow {
  id: string;
  kind: string;
  amount: string;
  timestamp: string;
}

interface ClaimRow {
  gross: string;
  tax: string;
  timestamp: string;
}

/**
 * Bonded stake over time, walking back from the indexed total through the stake events (delegated adds,
 * undelegated removes) and slashes (their bonded part), so the last point is the indexer's figure.
 */
export function bondedSeries(
  totalBonded: string,
  events: StakeEventRow[],
  slashes: SlashRow[],
  now: number,
): [number[], number[]] {
  const changes = [
    ...events.map((e) => ({
      id: e.id,
      t: Number(e.timestamp),
      delta: e.kind === "delegated" ? BigInt(e.amount) : e.kind === "undelegated" ? -BigInt(e.amount) : 0n,
    })),
    ...slashes.map((s) => ({
      id: `slash-${s.timestamp}-${s.id}`,
      t: Number(s.timestamp),
      delta: -BigInt(s.bondedSlashed),
    })),
  ].sort((a, b) => b.t - a.t || (a.id < b.id ? 1 : -1));
  let after = BigInt(totalBonded);
  const points = new Map<number, number>([[now, civNumber(after)]]);
  for (const change of changes) {
    if (!points.has(change.t)) points.set(change.t, civNumber(after));
    after -= change.delta;
  }
  if (changes.length > 0) points.set(changes.at(-1)!.t - 1, civNumber(after));
  const xs = [...points.keys()].sort((a, b) => a - b);
  return [xs, xs.map((x) => points.get(x)!)];
}

/** The Staking page. */
export function stakingPage(): Page {
  const figures = h("div", { class: "figures" });
  const bonded = chart("Bonded stake (CIV)", [{ label: "Bonded", stepped: true, format: civLegend }], {
    yFormat: civAxis,
  });
  const claims = chart(
    "Rewards claimed per day (CIV)",
    [
      { label: "Gross", bars: true, format: civLegend },
      { label: "Tax", format: civLegend },
    ],
    { yFormat: civAxis },
  );
  const rewards = chart(
    "Rewards funded per epoch (CIV)",
    [
      { label: "Funded", bars: true, format: civLegend },
      { label: "Carried over", format: civLegend },
    ],
    { timeAxis: false, integer: true, yFormat: civAxis },
  );
  const validators = h("div", {});
  const slashes = h("div", {});
  const epochs = h("div", {});
  const element = h(
    "div",
    {},
    h("h1", {}, "Staking"),
    figures,
    section("Over time", h("div", { class: "charts" }, bonded.element, claims.element)),
    section("Validators", validators),
    section("Rewards", h("div", { class: "charts" }, rewards.element), epochs),
    section("Slashes", slashes),
  );
  return {
    title: "Staking",
    element,
    async update() {
      const { data, block } = await query<{
        stakingState: {
          totalBonded: string;
          totalUnbonding: string;
          validators: number;
          epochs: number;
          totalRewardsFunded: string;
          totalRewardsClaimed: string;
          totalSlashed: string;
          unbondingPeriod: string | null;
        } | null;
      }>(
        `stakingState(id: "staking") { totalBonded totalUnbonding validators epochs totalRewardsFunded totalRewardsClaimed totalSlashed unbondingPeriod }`,
      );
      const [validatorRows, epochRows, slashRows, stakeEvents, claimRows] = await Promise.all([
        allRows<ValidatorRow>(
          "validators",
          "address commissionBps bondedTokens unbondingTokens selfStake commissionSuspended delegators totalSlashed slashes registeredAt",
          `orderBy: "bondedTokens", orderDirection: "desc"`,
        ),
        allRows<EpochRow>(
          "rewardEpochs",
          "id number amount carried duration startedAt periodFinish",
          `orderBy: "number"`,
        ),
        allRows<SlashRow>(
          "slashs",
          "id validator slashBps bondedSlashed unbondingSlashed reasonText timestamp",
          `orderBy: "id", orderDirection: "desc"`,
        ),
        allRows<StakeEventRow>("stakeEvents", "id kind amount timestamp", `orderBy: "id"`),
        allRows<ClaimRow>("rewardClaims", "gross tax timestamp", `orderBy: "id"`),
      ]);
      const s = data.stakingState;
      fill(
        figures,
        figure("totalBonded", "Bonded stake", civ(s?.totalBonded ?? "0")),
        figure("totalUnbonding", "Unbonding", civ(s?.totalUnbonding ?? "0")),
        figure(
          "validators",
          "Validators",
          h("span", { "data-value": s?.validators ?? 0 }, formatCount(s?.validators ?? 0)),
        ),
        figure(
          "rewardsFunded",
          "Rewards funded",
          civ(s?.totalRewardsFunded ?? "0"),
          `${formatCount(s?.epochs ?? 0)} epochs`,
        ),
        figure("rewardsClaimed", "Rewards claimed", civ(s?.totalRewardsClaimed ?? "0")),
        figure("totalSlashed", "Slashed", civ(s?.totalSlashed ?? "0")),
      );
      fill(
        validators,
        table(
          "Validators by bonded stake",
          [
            { header: "Validator", cell: (v: ValidatorRow) => address(v.address) },
            { header: "Bonded", cell: (v) => civ(v.bondedTokens), numeric: true },
            { header: "Self stake", cell: (v) => civ(v.selfStake), numeric: true },
            { header: "Unbonding", cell: (v) => civ(v.unbondingTokens), numeric: true },
            {
              header: "Commission",
              cell: (v) =>
                v.commissionSuspended
                  ? h("span", { class: "badge warn" }, "suspended")
                  : formatBps(v.commissionBps),
              numeric: true,
            },
            { header: "Delegators", cell: (v) => formatCount(v.delegators), numeric: true },
            { header: "Slashed", cell: (v) => civ(v.totalSlashed), numeric: true },
            { header: "Since", cell: (v) => time(v.registeredAt) },
          ],
          validatorRows,
          { empty: "No validator yet.", rowKey: (v) => v.address },
        ),
      );
      const [bondedXs, bondedYs] = bondedSeries(
        s?.totalBonded ?? "0",
        stakeEvents,
        slashRows,
        block.timestamp,
      );
      bonded.setData(bondedXs, [bondedYs]);
      const claimDays = new Map<number, [bigint, bigint]>();
      for (const c of claimRows) {
        const day = Math.floor(Number(c.timestamp) / 86_400) * 86_400;
        const [gross, tax] = claimDays.get(day) ?? [0n, 0n];
        claimDays.set(day, [gross + BigInt(c.gross), tax + BigInt(c.tax)]);
      }
      const claimXs = [...claimDays.keys()].sort((a, b) => a - b);
      claims.setData(claimXs, [
        claimXs.map((x) => civNumber(claimDays.get(x)![0])),
        claimXs.map((x) => civNumber(claimDays.get(x)![1])),
      ]);
      rewards.setData(
        epochRows.map((e) => e.number),
        [epochRows.map((e) => civNumber(e.amount)), epochRows.map((e) => civNumber(e.carried))],
      );
      fill(
        epochs,
        table(
          "Reward epochs",
          [
            { header: "Epoch", cell: (e: EpochRow) => formatCount(e.number), numeric: true },
            { header: "Funded", cell: (e) => civ(e.amount), numeric: true },
            { header: "Carried over", cell: (e) => civ(e.carried), numeric: true },
            { header: "Started", cell: (e) => time(e.startedAt) },
            { header: "Ends", cell: (e) => time(e.periodFinish) },
          ],
          [...epochRows].reverse(),
          { empty: "No reward epoch yet." },
        ),
      );
      fill(
        slashes,
        table(
          "Slashes, newest first",
          [
            { header: "When", cell: (r: SlashRow) => time(r.timestamp) },
            { header: "Validator", cell: (r) => address(r.validator) },
            { header: "Share", cell: (r) => formatBps(r.slashBps), numeric: true },
            { header: "Bonded slashed", cell: (r) => civ(r.bondedSlashed), numeric: true },
            { header: "Unbonding slashed", cell: (r) => civ(r.unbondingSlashed), numeric: true },
            { header: "Reason", cell: (r) => r.reasonText },
          ],
          slashRows,
          { empty: "No slash yet." },
        ),
      );
      return block;
    },
  };
}
