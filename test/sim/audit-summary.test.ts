import { expect } from "chai";
import { getAddress } from "viem";
import { type FlagLine, renderAudit, summarizeFlags } from "../../scripts/sim/audit-summary.ts";

const address = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);

describe("sim: the run's auditor summary (issue 15: the summary reports what was flagged)", function () {
  const honest = [
    { address: address(1), name: "worker-01" },
    { address: address(2), name: "client-02" },
  ];
  const flags: FlagLine[] = [
    { rule: "reputation-ring", severity: "high", accounts: [address(101), address(102)] },
    { rule: "reputation-ring", severity: "high", accounts: [address(103), address(101)] },
    { rule: "wealth-near-cap", severity: "low", accounts: [address(2)] },
    { rule: "one-sided-job", severity: "critical", accounts: [address(1), address(104)] },
  ];
  const bad = {
    wallets: [
      { name: "ring-a", kind: "reputationRing", address: address(101), flaggedBy: "reputation-ring" },
      { name: "ring-b", kind: "reputationRing", address: address(102), flaggedBy: "reputation-ring" },
      // Named by a flag, but not by its own attack's rule: not counted as caught.
      { name: "owner", kind: "oneSidedJob", address: address(104), flaggedBy: "proposal-spam" },
      { name: "clone", kind: "starvationWave", address: address(105), flaggedBy: "starvation-wave" },
    ],
    actions: {},
    failures: [],
  };

  it("counts flags by rule and severity and names the honest agents a flag names", function () {
    const audit = summarizeFlags(flags, honest);
    expect(audit.byRuleAndSeverity).to.deep.equal({
      "reputation-ring high": 2,
      "wealth-near-cap low": 1,
      "one-sided-job critical": 1,
    });
    expect(audit.honestNamed).to.deep.equal([
      { name: "client-02", rule: "wealth-near-cap", severity: "low" },
      { name: "worker-01", rule: "one-sided-job", severity: "critical" },
    ]);
    expect(audit.badActors).to.equal(undefined);
    const lines = renderAudit(audit);
    expect(lines[0]).to.equal(
      "Auditor (indexer/audit/): 4 flags: reputation-ring high x2, one-sided-job critical x1, wealth-near-cap low x1.",
    );
    expect(lines[1]).to.equal(
      "  Honest agents named: 2 times, high or critical: worker-01 (one-sided-job critical).",
    );
    expect(lines).to.have.length(2);
  });

  it("tells which bad wallets the rule meant for their attack named, and which it missed", function () {
    const audit = summarizeFlags(flags, honest, bad);
    expect(audit.badActors!.map((w) => [w.name, w.flagged])).to.deep.equal([
      ["ring-a", true],
      ["ring-b", true],
      ["owner", false],
      ["clone", false],
    ]);
    expect(renderAudit(audit)[2]).to.equal(
      "  Bad actors named by their attack's rule: 2 of 4 wallets; not named: owner (proposal-spam), clone (starvation-wave).",
    );
  });

  it("says so when nothing was flagged", function () {
    expect(renderAudit(summarizeFlags([], honest))).to.deep.equal([
      "Auditor (indexer/audit/): 0 flags.",
      "  Honest agents named: 0 times, none high or critical.",
    ]);
  });
});
