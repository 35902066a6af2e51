/**
 * Time-series charts (uPlot: canvas, small, made for time series). Each chart sizes itself to its
 * container (laptop and phone widths) and is updated in place when new blocks arrive. The container
 * carries `data-points` (how many x values are drawn) for the browser tests, which also look for the
 * series' colours on the canvas.
 */
import uPlot from "uplot";
import { h } from "./dom.ts";

/** A colour-blind-safe palette (Okabe–Ito), dark enough on white for lines and bars. */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

/** One series of a chart. */
export interface SeriesSpec {
  label: string;
  /** Value formatter for the legend (default: the number as is). */
  format?: (value: number) => string;
  /** Draw as bars instead of a line. */
  bars?: boolean;
  /** Dashed line (e.g. a limit such as the wealth cap). */
  dash?: boolean;
  /** Stepped line (counts that change at events). */
  stepped?: boolean;
  /** Colour (default: the palette's next). */
  color?: string;
}

/** A chart updated in place. */
export interface Chart {
  element: HTMLElement;
  /** Replaces the data: x in Unix seconds (or epoch numbers when `timeAxis` is false), one y array per series. */
  setData(xs: number[], ys: (number | null)[][]): void;
}

const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 2 });

/** Axis labels for CIV amounts: compact (`9.99M`), so that they fit at phone widths. */
export const civAxis = (value: number) => compact.format(value);

/** Legend values for CIV amounts: `1,234.57 CIV`. */
export const civLegend = (value: number) =>
  `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(value)} CIV`;

/**
 * Per-day counts with every day between the first and the last (zeros included), from event times.
 * @param times Unix seconds of events, one array per series. @returns x (day starts) and one y per series.
 */
export function perDay(times: (string | number | null)[][]): [number[], number[][]] {
  const day = (t: string | number) => Math.floor(Number(t) / 86_400) * 86_400;
  const all = times
    .flat()
    .filter((t): t is string | number => t !== null)
    .map(day);
  if (all.length === 0) return [[], times.map(() => [])];
  const first = Math.min(...all);
  const last = Math.max(...all);
  const xs: number[] = [];
  for (let x = first; x <= last; x += 86_400) xs.push(x);
  const ys = times.map((list) => {
    const counts = new Map<number, number>();
    for (const t of list) if (t !== null) counts.set(day(t), (counts.get(day(t)) ?? 0) + 1);
    return xs.map((x) => counts.get(x) ?? 0);
  });
  return [xs, ys];
}

/**
 * A chart in a titled figure.
 * @param title Caption (also the accessible name of the chart).
 * @param options.timeAxis Whether x is Unix seconds (default true).
 * @param options.yFormat Axis value formatter (default: compact numbers).
 */
export function chart(
  title: string,
  series: SeriesSpec[],
  options: {
    timeAxis?: boolean;
    yFormat?: (value: number) => string;
    yRange?: [number, number];
    /** Counts: ticks on whole numbers only. */
    integer?: boolean;
  } = {},
): Chart {
  const timeAxis = options.timeAxis ?? true;
  const yFormat = options.yFormat ?? ((v: number) => compact.format(v));
  const plotArea = h("div", { class: "plot" });
  const summary = h("p", { class: "sr-only chart-summary" });
  const colors = series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]!);
  const element = h(
    "figure",
    { class: "chart", "data-chart": title, "data-points": 0, "data-colors": colors.join(" ") },
    h("figcaption", {}, title),
    plotArea,
    summary,
  );
  const empty = h("p", { class: "chart-empty muted" }, "No data yet.");
  plotArea.append(empty);
  let plot: uPlot | undefined;
  let data: uPlot.AlignedData = [[]];

  const width = () => Math.max(240, Math.floor(plotArea.getBoundingClientRect().width || 600));
  const hasBars = series.some((s) => s.bars);
  // Bars are centred on their x: pad the x range by half a step so that the first and last are whole.
  const xRange = (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => {
    const xs = data[0] as number[];
    let step = timeAxis ? 86_400 : 1;
    for (let i = 1; i < xs.length; i++) step = Math.min(step, xs[i]! - xs[i - 1]!);
    const pad = hasBars ? step / 2 : min === max ? step / 2 : 0;
    return [min - pad, max + pad];
  };
  const makeOptions = (): uPlot.Options => ({
    width: width(),
    height: 220,
    scales: {
      x: { time: timeAxis, range: xRange },
      y: options.yRange
        ? { range: options.yRange }
        : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      { stroke: "#333", grid: { stroke: "#e3e3e3" }, ticks: { stroke: "#ccc" } },
      {
        stroke: "#333",
        grid: { stroke: "#e3e3e3" },
        ticks: { stroke: "#ccc" },
        values: (_u, values) => values.map(yFormat),
        size: 64,
        incrs: options.integer
          ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 100_000]
          : undefined,
      },
    ],
    legend: { show: true, live: true },
    // Away from the cursor, the legend shows the latest values (not dashes).
    hooks: {
      setCursor: [
        (u) => {
          if (u.cursor.idx === null || u.cursor.idx === undefined) showLatest(u);
        },
      ],
    },
    cursor: { points: { size: 6 } },
    series: [
      timeAxis ? {} : { label: "epoch" },
      ...series.map((s, i): uPlot.Series => {
        const color = colors[i]!;
        return {
          label: s.label,
          stroke: color,
          width: 2,
          dash: s.dash ? [6, 4] : undefined,
          fill: s.bars ? `${color}cc` : undefined,
          paths: s.bars
            ? uPlot.paths.bars!({ size: [0.6, 40] })
            : s.stepped
              ? uPlot.paths.stepped!({ align: 1 })
              : undefined,
          points: { show: !s.bars, size: 5 },
          value: (_u, v) => (v === null || v === undefined ? "—" : (s.format ?? yFormat)(v)),
        };
      }),
    ],
  });

  const showLatest = (u: uPlot) => {
    const last = (data[0] as number[]).length - 1;
    if (last >= 0) u.setLegend({ idx: last }, false);
  };

  new ResizeObserver(() => {
    if (plot !== undefined) plot.setSize({ width: width(), height: 220 });
  }).observe(plotArea);

  return {
    element,
    setData(xs, ys) {
      data = [xs, ...ys] as uPlot.AlignedData;
      element.dataset.points = String(xs.length);
      if (xs.length === 0) {
        plot?.destroy();
        plot = undefined;
        plotArea.replaceChildren(empty);
        summary.textContent = "";
        return;
      }
      if (plot === undefined) {
        plotArea.replaceChildren();
        plot = new uPlot(makeOptions(), data, plotArea);
      } else plot.setData(data);
      showLatest(plot);
      const last = xs.length - 1;
      summary.textContent = `${title}: ${xs.length} points; latest ${series
        .map((s, i) => `${s.label} ${(s.format ?? yFormat)(ys[i]![last] ?? 0)}`)
        .join(", ")}.`;
    },
  };
}
