import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";

describe("docs: no unresolved merge (issue 21: docs/sim.md held conflict markers)", function () {
  it("README, CHANGELOG, BENCHMARKS and every docs page are free of conflict markers", function () {
    const pages = [
      "README.md",
      "CHANGELOG.md",
      "BENCHMARKS.md",
      ...readdirSync(join(REPO_ROOT, "docs"))
        .filter((name) => name.endsWith(".md"))
        .map((name) => join("docs", name)),
    ];
    expect(pages).to.include("docs/sim.md");
    for (const page of pages) {
      const text = readFileSync(join(REPO_ROOT, page), "utf8");
      expect(text, page).to.not.match(/^(<{7}|={7}|>{7})( |$)/m);
    }
  });
});
