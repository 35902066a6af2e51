import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { MEASURES } from "../../scripts/experiment/charts.ts";
import { maxParallel, runExperiment, toCsv } from "../../scripts/experiment/experiment.ts";
import { gridCells, parseAxis } from "../../scripts/experiment/grid.ts";

describe("experiment: the parameter grid", function () {
  it("reads short names in their units and module parameters raw", function () {
    expect(parseAxis("tax=500,2000")).to.deep.include({
      key: "tax",
      spec: { module: "Foundation", name: "taxBps", unit: "bps" },
      labels: ["500", "2000"],
      values: ["500", "2000"],
    });
    expect(parseAxis("upkeep=50, 100.5").values).to.deep.equal([
      (50n * 10n ** 18n).toString(),
      (1005n * 10n ** 17n).toString(),
    ]);
    expect(parseAxis("Escrow.protocolFeeBps=0,100")).to.deep.include({
      spec: { module: "Escrow", name: "protocolFeeBps", unit: "raw" },
      values: ["0", "100"],
    });
  });

  it("refuses what it cannot deploy, naming the axis", function () {
    expect(() => parseAxis("tax")).to.throw('grid axis "tax": expected name=value1,value2,...');
    expect(() => parseAxis("tax=")).to.throw('grid axis "tax": no values');
    expect(() => parseAxis("taxes=1")).to.throw('grid axis "taxes": not a known name');
    expect(() => parseAxis("tax=10001")).to.throw('grid axis "tax": 10001 bps is more than 100%');
    expect(() => parseAxis("tax=-1")).to.throw('grid axis "tax": "-1" is not a non-negative integer');
    expect(() => parseAxis("grant=lots")).to.throw('grid axis "grant": "lots" is not an amount of CIV');
    expect(() => gridCells([parseAxis("tax=1"), parseAxis("Foundation.taxBps=2")], ["s"])).to.throw(
      'grid axis "Foundation.taxBps": Foundation.taxBps is given twice',
    );
    expect(() => gridCells([], [])).to.throw("an experiment needs at least one seed");
  });

  it("makes every combination once per seed, with the Ignition overrides of each", function () {
    const cells = gridCells([parseAxis("tax=500,1000"), parseAxis("grant=1000,2000")], ["a", "b"]);
    expect(cells).to.have.length(8);
    expect(cells.map((c) => c.index)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(cells[3]).to.deep.include({
      label: "tax=500 grant=2000",
      seed: "b",
      overrides: {
        Foundation: { taxBps: "500" },
        AgentRegistry: { birthGrant: (2000n * 10n ** 18n).toString() },
      },
    });
    expect(gridCells([], ["x"])).to.deep.equal([
      { index: 0, point: {}, seed: "x", overrides: {}, label: "default" },
    ]);
  });

  it("quotes CSV fields that need it", function () {
    const axes = [parseAxis("Foundation.capBps=1")];
    const row = {
      index: 0,
      label: "x",
      seed: 'a,"b"',
      point: { "Foundation.capBps": "1" },
      agents: 1,
      days: 1,
      survival: 1,
      productiveSurvival: 1,
      gini: 0,
      treasury: 1,
      taxRevenue: 0,
      cityTasks: 0,
      meanJobPrice: 0,
      netOutflowPerMonth: 0,
      runwayMonths: null,
      byArchetype: { worker: "1/1" },
      market: false,
      computePrice: 0.012,
      computeDenials: 3,
      withheldActions: 7,
      seconds: 1,
    };
    expect(toCsv(axes, [row]).split("\n")[1]).to.equal(
      '1,"a,""b""",1,1,1,1,0,1,0,0,0,0,,false,0.012,3,7,1,1/1',
    );
  });
});

describe("experiment: a tiny grid on parallel devnets", function () {
  this.timeout(1_800_000);
  const out = mkdtempSync(join(tmpdir(), "civitas-experiment-"));
  let result: Awaited<ReturnType<typeof runExperiment>>;

  before(async function () {
    // Two cells (the tax at 5% and 20%), 4 agents for 3 days, each on its own devnet (ECON's ports).
    result = await runExperiment({
      axes: [parseAxis("tax=500,2000")],
      seeds: ["tiny"],
      agents: 4,
      days: 3,
      parallel: Math.min(2, maxParallel()),
      basePort: 9540,
      outDir: out,
      progress: false,
    });
  });

  after(function () {
    rmSync(out, { recursive: true, force: true });
  });

  it("runs both cells with their own parameters and no failure", function () {
    expect(result.errors).to.deep.equal([]);
    expect(result.results.map((r) => [r.label, r.seed, r.agents, r.days])).to.deep.equal([
      ["tax=500", "tiny", 4, 3],
      ["tax=2000", "tiny", 4, 3],
    ]);
    for (const r of result.results) {
      expect(r.survival).to.be.within(0, 1);
      expect(r.treasury).to.be.greaterThan(0);
    }
    // The deployed parameter is the cell's: each cell's parameters file carries it.
    const parameters = (i: number) =>
      JSON.parse(readFileSync(join(out, "cells", `cell-${i}`, `parameters-${i}.json`), "utf8"));
    expect(parameters(0).Foundation.taxBps).to.equal("500");
    expect(parameters(1).Foundation.taxBps).to.equal("2000");
    expect(parameters(1).TaskBoard.reviewers).to.have.length(1); // the devnet's own parameters stay
  });

  it("writes the table as CSV and JSON, one row per cell", function () {
    const csv = readFileSync(result.files.csv, "utf8").trim().split("\n");
    expect(csv[0]!.split(",").slice(0, 5)).to.deep.equal(["tax", "seed", "agents", "days", "survival"]);
    expect(csv.slice(1).map((line) => line.split(",")[0])).to.deep.equal(["500", "2000"]);
    const json = JSON.parse(readFileSync(result.files.json, "utf8"));
    expect(json.grid).to.deep.equal([
      { key: "tax", parameter: "Foundation.taxBps", unit: "bps", values: ["500", "2000"] },
    ]);
    expect(json.results).to.have.length(2);
    expect(json.results[1].taxRevenue).to.equal(result.results[1]!.taxRevenue);
  });

  it("draws one SVG chart per measure, with both grid points on it", function () {
    expect(result.files.charts.map((f) => f.slice(out.length + 1))).to.deep.equal(
      MEASURES.map((m) => `${m.key}.svg`),
    );
    for (const file of result.files.charts) {
      expect(existsSync(file)).to.equal(true);
      const svg = readFileSync(file, "utf8");
      expect(svg.startsWith("<svg")).to.equal(true);
      expect(svg).to.include("tax=500").and.to.include("tax=2000");
    }
  });
});
