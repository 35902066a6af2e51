/** The indexer's /dashboard route: built files only, by plain name, with a strict CSP; 503 before a build. */
import { expect } from "chai";
import { Hono } from "hono";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDashboard } from "../../indexer/src/api/dashboard.ts";

describe("dashboard: served by the indexer", function () {
  const work = mkdtempSync(join(tmpdir(), "civitas-dashboard-serve-"));
  const built = join(work, "generated", "dashboard");
  const app = new Hono();
  serveDashboard(app, built);

  before(function () {
    writeFileSync(join(work, "secret.txt"), "not for the web");
    writeFileSync(join(work, "generated", "..", "package.json"), "{}");
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("answers 503 with the command to run before the dashboard is built", async function () {
    const response = await app.request("/dashboard/");
    expect(response.status).to.equal(503);
    expect(await response.text()).to.include("npm run build");
  });

  it("serves the built files with their types and a Content-Security-Policy that allows only itself", async function () {
    mkdirSync(built, { recursive: true });
    writeFileSync(join(built, "index.html"), "<!doctype html>");
    writeFileSync(join(built, "app.js"), "export {};");
    writeFileSync(join(built, "app.css"), "body{}");
    const redirect = await app.request("/dashboard");
    expect(redirect.status).to.equal(301);
    expect(redirect.headers.get("location")).to.equal("/dashboard/");
    const page = await app.request("/dashboard/");
    expect(page.status).to.equal(200);
    expect(page.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).to.match(/^default-src 'self'; script-src 'self';/);
    expect(page.headers.get("x-content-type-options")).to.equal("nosniff");
    expect((await app.request("/dashboard/app.js")).headers.get("content-type")).to.match(
      /^text\/javascript/,
    );
    expect(await (await app.request("/dashboard/app.css")).text()).to.equal("body{}");
  });

  it("serves nothing outside the built folder, nor unknown names or types", async function () {
    writeFileSync(join(built, "notes.txt"), "a file of a type the dashboard does not serve");
    for (const path of [
      "/dashboard/..%2F..%2Fsecret.txt",
      "/dashboard/%2e%2e%2fpackage.json",
      "/dashboard/..",
      "/dashboard/missing.js",
      "/dashboard/notes.txt",
      "/dashboard/.hidden.js",
    ])
      expect((await app.request(path)).status, path).to.equal(404);
  });
});
