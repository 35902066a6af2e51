/**
 * The parameter grid of a policy experiment (issue 18, `npm run experiment`): which deployment parameters
 * vary, over which values, and the cells (every combination, times every seed). A parameter is an Ignition
 * parameter of the deployment (`<Module>.<name>`, the same names as ignition/parameters/*.json), so any
 * parameter governance can set is one a grid can vary; the common ones have short names
 * ({@link PARAMETER_ALIASES}) and human units (CIV for amounts, bps for rates).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../lib/deployment.ts";
import { parseCiv } from "../lib/format.ts";

/** How a value given on the command line is read: `civ` (CIV, stored in wei), `bps`, or `raw` (as given). */
export type ParameterUnit = "civ" | "bps" | "raw";

/** One deployment parameter: its Ignition module and name, and the unit its values are given in. */
export interface ParameterSpec {
  module: string;
  name: string;
  unit: ParameterUnit;
}

/**
 * Short names of the parameters the issue names (tax, upkeep, grant, cap, task budget) and a few more.
 * Anything else is given as `<Module>.<name>` with raw values (wei, seconds, bps).
 */
export const PARAMETER_ALIASES: Readonly<Record<string, ParameterSpec>> = {
  tax: { module: "Foundation", name: "taxBps", unit: "bps" },
  cap: { module: "Foundation", name: "capBps", unit: "bps" },
  upkeep: { module: "AgentRegistry", name: "upkeepPerDay", unit: "civ" },
  grant: { module: "AgentRegistry", name: "birthGrant", unit: "civ" },
  taskBudget: { module: "Protocol", name: "taskBoardBudget", unit: "civ" },
  taskCap: { module: "TaskBoard", name: "agentEpochCap", unit: "civ" },
  stakingReward: { module: "Protocol", name: "genesisEpochReward", unit: "civ" },
};

/** One axis of the grid: a parameter and the values it takes (as given, and as deployed). */
export interface Axis {
  /** The name as given (`tax`, `Escrow.protocolFeeBps`). */
  key: string;
  spec: ParameterSpec;
  /** The values as given, for labels and the table. */
  labels: string[];
  /** The values as deployed (wei for CIV amounts), decimal strings. */
  values: string[];
}

/** One run of the experiment: a value for every axis, and a seed. */
export interface Cell {
  /** 0-based position in the grid. */
  index: number;
  /** The axis values as given, by key. */
  point: Record<string, string>;
  seed: string;
  /** The Ignition overrides, by module then name (decimal strings). */
  overrides: Record<string, Record<string, string>>;
  /** A short label of the point, e.g. `tax=500 upkeep=100`. */
  label: string;
}

/**
 * Parses one axis, `name=v1,v2,...`.
 * @throws With a clear message on an unknown short name, a malformed module parameter, or a bad value.
 */
export function parseAxis(text: string): Axis {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new Error(`grid axis "${text}": expected name=value1,value2,...`);
  const key = text.slice(0, eq).trim();
  const labels = text
    .slice(eq + 1)
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  if (labels.length === 0) throw new Error(`grid axis "${key}": no values`);
  let spec = PARAMETER_ALIASES[key];
  if (spec === undefined) {
    const match = /^([A-Z][A-Za-z0-9]*)\.([a-zA-Z][A-Za-z0-9]*)$/.exec(key);
    if (match === null)
      throw new Error(
        `grid axis "${key}": not a known name (${Object.keys(PARAMETER_ALIASES).join(", ")}) nor <Module>.<parameter>`,
      );
    spec = { module: match[1]!, name: match[2]!, unit: "raw" };
  }
  const values = labels.map((label) => toDeployed(key, spec, label));
  return { key, spec, labels, values };
}

function toDeployed(key: string, spec: ParameterSpec, label: string): string {
  if (spec.unit === "civ") {
    try {
      return parseCiv(label).toString();
    } catch {
      throw new Error(`grid axis "${key}": "${label}" is not an amount of CIV`);
    }
  }
  if (!/^\d+$/.test(label)) throw new Error(`grid axis "${key}": "${label}" is not a non-negative integer`);
  if (spec.unit === "bps" && BigInt(label) > 10_000n)
    throw new Error(`grid axis "${key}": ${label} bps is more than 100%`);
  return label;
}

/**
 * Every cell of a grid: the cartesian product of the axes, each point once per seed (seed-major inside a
 * point, so a point's seeds sit together).
 */
export function gridCells(axes: readonly Axis[], seeds: readonly string[]): Cell[] {
  if (seeds.length === 0) throw new Error("an experiment needs at least one seed");
  const keys = new Set<string>();
  for (const axis of axes) {
    const id = `${axis.spec.module}.${axis.spec.name}`;
    if (keys.has(id)) throw new Error(`grid axis "${axis.key}": ${id} is given twice`);
    keys.add(id);
  }
  let points: { point: Record<string, string>; overrides: Record<string, Record<string, string>> }[] = [
    { point: {}, overrides: {} },
  ];
  for (const axis of axes)
    points = points.flatMap(({ point, overrides }) =>
      axis.labels.map((label, i) => ({
        point: { ...point, [axis.key]: label },
        overrides: {
          ...overrides,
          [axis.spec.module]: { ...overrides[axis.spec.module], [axis.spec.name]: axis.values[i]! },
        },
      })),
    );
  const cells: Cell[] = [];
  for (const { point, overrides } of points)
    for (const seed of seeds)
      cells.push({
        index: cells.length,
        point,
        seed,
        overrides,
        label:
          Object.entries(point)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ") || "default",
      });
  return cells;
}

/** The deployment's own parameters for the devnet (ignition/parameters/localhost.json). */
export function baseParameters(): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(join(REPO_ROOT, "ignition", "parameters", "localhost.json"), "utf8"));
}

/**
 * Writes a cell's Ignition parameters file: the devnet's parameters with the cell's overrides on top.
 * @returns The file's path.
 */
export function writeCellParameters(cell: Cell, dir: string): string {
  const parameters = baseParameters();
  for (const [module, values] of Object.entries(cell.overrides))
    parameters[module] = { ...parameters[module], ...values };
  const file = join(dir, `parameters-${cell.index}.json`);
  writeFileSync(file, `${JSON.stringify(parameters, null, 2)}\n`);
  return file;
}
