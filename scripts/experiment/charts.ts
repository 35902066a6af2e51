/**
 * The experiment's figures (issue 18): one chart per measure (survival, productive survival, Gini, the
 * Treasury's balance, tax revenue, the price of work, runway), each a bar per grid point (the mean over its
 * seeds) with every seed's value as a dot. The chart options are plain ECharts options
 * ({@link chartOption}), so the dashboard can render the same figures in a browser; here they are rendered
 * to SVG strings with ECharts' server-side SVG renderer (no canvas, no browser).
 */
import * as echarts from "echarts";
import type { CellResult } from "./cell.ts";

/** A measure the experiment plots: the field of {@link CellResult}, a title and a unit. */
export interface Measure {
  key: keyof CellResult & string;
  title: string;
  unit: string;
  /** Plotted as a percentage (a share 0..1 times 100). */
  percent?: boolean;
}

/** The measures plotted, one SVG file each (`<key>.svg`). */
export const MEASURES: readonly Measure[] = [
  { key: "survival", title: "Agents alive at the end", unit: "%", percent: true },
  { key: "productiveSurvival", title: "Productive agents alive at the end", unit: "%", percent: true },
  { key: "gini", title: "Gini of agents' balances (last day)", unit: "" },
  { key: "treasury", title: "Treasury balance at the end", unit: "CIV" },
  { key: "taxRevenue", title: "Tax revenue over the run", unit: "CIV" },
  { key: "cityTasks", title: "Paid for city tasks over the run", unit: "CIV" },
  { key: "meanJobPrice", title: "Mean job price (escrow amount)", unit: "CIV" },
  { key: "runwayMonths", title: "Treasury runway at the run's net outflow", unit: "months" },
];

/** The value of a measure in a cell, as plotted (`null` when there is none, e.g. unlimited runway). */
export function measureValue(result: CellResult, measure: Measure): number | null {
  const value = result[measure.key];
  if (typeof value !== "number") return null;
  return measure.percent ? Math.round(value * 1000) / 10 : value;
}

/** Groups results by grid point (label), in grid order. */
export function byPoint(results: readonly CellResult[]): Map<string, CellResult[]> {
  const groups = new Map<string, CellResult[]>();
  for (const r of [...results].sort((a, b) => a.index - b.index))
    groups.set(r.label, [...(groups.get(r.label) ?? []), r]);
  return groups;
}

/**
 * The ECharts option of one measure's chart: a bar per grid point (mean over seeds) and a dot per seed.
 * @param title A subtitle (the experiment's agents and days).
 */
export function chartOption(
  results: readonly CellResult[],
  measure: Measure,
  subtitle: string,
): echarts.EChartsOption {
  const groups = byPoint(results);
  const labels = [...groups.keys()];
  const means = labels.map((label) => {
    const values = groups
      .get(label)!
      .map((r) => measureValue(r, measure))
      .filter((v): v is number => v !== null);
    return values.length === 0
      ? null
      : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000;
  });
  const dots = labels.flatMap((label, i) =>
    groups
      .get(label)!
      .map((r) => measureValue(r, measure))
      .filter((v): v is number => v !== null)
      .map((v) => [i, v]),
  );
  return {
    animation: false,
    title: { text: measure.title, subtext: subtitle, left: "center" },
    grid: { left: 80, right: 30, top: 80, bottom: 90 },
    legend: { bottom: 0, data: ["mean over seeds", "one seed"] },
    xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0 } },
    yAxis: {
      type: "value",
      name: measure.unit,
      ...(measure.percent ? { min: 0, max: 100 } : {}),
    },
    series: [
      { name: "mean over seeds", type: "bar", data: means, itemStyle: { color: "#5470c6" } },
      {
        name: "one seed",
        type: "scatter",
        data: dots,
        symbolSize: 8,
        itemStyle: { color: "#ee6666" },
      },
    ],
  };
}

/** Renders an ECharts option to an SVG document (server side, no canvas). */
export function renderSvg(option: echarts.EChartsOption, width = 800, height = 450): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
