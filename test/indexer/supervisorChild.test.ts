/**
 * The preload's rewrites of Ponder (indexer/lib/supervisorChild.ts) against the Ponder installed here: each
 * finds its text in the module it names, exactly once where it is a plain string, so a Ponder upgrade that
 * moves the code fails here rather than only printing `civitas: … not applied` at run time; and each switch
 * of the environment turns its rewrite off.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rewrites } from "../../indexer/lib/supervisorChild.ts";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";

/** Every rewrite asked for (the supervisor's environment, with the lock timeout and the start profile). */
const ALL = {
  CIVITAS_PONDER_LOCK_TIMEOUT_MS: "0",
  CIVITAS_CHAIN_ID: "31337",
  CIVITAS_PONDER_START_FINALITY_BLOCKS: "4",
  CIVITAS_PONDER_PROFILE: "1",
  CIVITAS_PONDER_FINALITY_BLOCKS: "2048",
};

describe("supervisorChild: rewrites of Ponder", function () {
  it("finds each rewrite's text in the installed Ponder, once where it is a plain string", function () {
    const list = rewrites(ALL);
    expect(list.map((r) => r.what)).to.deep.equal([
      "lock timeout",
      "start finality depth",
      "start profile",
      "no file watcher",
      "realtime prefetch",
      "commit of the written tables only",
      "live finality depth",
    ]);
    for (const rewrite of list) {
      const source = readFileSync(join(REPO_ROOT, "node_modules", rewrite.module), "utf8");
      if (typeof rewrite.find === "string") {
        expect(source.split(rewrite.find).length - 1, rewrite.what).to.equal(1);
      } else {
        const matches = source.match(new RegExp(rewrite.find.source, "g")) ?? [];
        expect(matches.length, rewrite.what).to.be.greaterThan(0);
        if (!rewrite.find.global) expect(matches.length, rewrite.what).to.equal(1);
      }
    }
  });

  it("leaves Ponder's file watcher, realtime cache and commit as shipped when switched off", function () {
    const off = rewrites({
      ...ALL,
      CIVITAS_PONDER_WATCH: "1",
      CIVITAS_PONDER_REALTIME_PREFETCH: "0",
      CIVITAS_PONDER_COMMIT_ALL_TABLES: "1",
    }).map((r) => r.what);
    expect(off).to.deep.equal([
      "lock timeout",
      "start finality depth",
      "start profile",
      "live finality depth",
    ]);
  });

  it("asks for the speed rewrites with no switch set, and for nothing else", function () {
    expect(rewrites({}).map((r) => r.what)).to.deep.equal([
      "no file watcher",
      "realtime prefetch",
      "commit of the written tables only",
    ]);
  });
});
