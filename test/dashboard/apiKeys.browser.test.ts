/// <reference lib="dom" />
/**
 * The dashboard on an indexer that requires API keys (CIVITAS_API_KEYS), in a real browser (Debian's
 * headless Chromium, as dashboard.browser.test.ts): the page loads without a key and asks for one, refuses
 * a wrong one, shows the figures once given the right one (sent as `Authorization: Bearer`, never in a
 * URL), and takes a key from `/dashboard/?key=` once, removing it from the address bar.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const WAIT = 120_000;
const KEY = "dashboard-test-key-7f3a";

process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";

describe("dashboard: an indexer with API keys", function () {
  this.timeout(1_200_000);
  let devnet: Devnet;
  let indexer: Indexer;
  let browser: Browser;
  let context: BrowserContext;
  const work = mkdtempSync(join(tmpdir(), "civitas-dashboard-keys-"));
  const indexerLog: string[] = [];

  before(async function () {
    devnet = await startDevnet();
    const deploymentsDir = join(work, "deployments");
    const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      chainId: deployment.chainId,
      deploymentsDir,
      databaseDir: join(work, "pglite"),
      env: { CIVITAS_API_KEYS: `other-key,${KEY}` },
      log: (line) => void indexerLog.push(line),
    });
    await indexer.waitForIndexedBlock(BigInt(deployment.startBlock), 600_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: "en-US" });
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(indexerLog.slice(-30).join(""));
  });

  after(async function () {
    await browser?.close();
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("serves the page's files without a key, and no data without one", async function () {
    for (const path of ["/dashboard/", "/dashboard/app.js", "/dashboard/app.css"])
      expect((await fetch(`${indexer.url}${path}`)).status, path).to.equal(200);
    const refused = await fetch(indexer.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ _meta { status } }" }),
    });
    expect(refused.status).to.equal(401);
    expect((await fetch(`${indexer.url}/proposals/state`)).status).to.equal(401);
    const allowed = await fetch(indexer.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: "{ _meta { status } }" }),
    });
    expect(allowed.status).to.equal(200);
  });

  it("asks for a key, refuses a wrong one, then shows the figures with the right one", async function () {
    const page = await context.newPage();
    const sent: { url: string; authorization: string | undefined }[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/graphql"))
        sent.push({ url: request.url(), authorization: request.headers()["authorization"] });
    });
    await page.goto(`${indexer.url}/dashboard/#/economy`);
    await page.waitForSelector("#api-key-form", { timeout: WAIT });
    expect(await page.getAttribute("body", "data-state")).to.equal("key");
    expect(await page.locator("#alert").innerText()).to.include("this indexer needs an API key");
    expect(await page.locator("main[data-block]").count(), "no figures without a key").to.equal(0);

    await page.fill("#api-key", "wrong-key");
    await page.click("#api-key-form button");
    await page.waitForFunction(
      () => document.querySelector("#alert")?.textContent?.includes("does not accept this API key"),
      undefined,
      { timeout: WAIT },
    );
    expect(await page.locator("main[data-block]").count()).to.equal(0);

    await page.fill("#api-key", KEY);
    await page.click("#api-key-form button");
    await page.waitForSelector("main[data-block]", { timeout: WAIT });
    await page.waitForSelector("#alert[hidden]", { state: "attached", timeout: WAIT });
    expect(await page.getAttribute("body", "data-state")).to.equal("ok");
    const withKey = sent.filter((request) => request.authorization === `Bearer ${KEY}`);
    expect(withKey.length, "GraphQL requests carrying the key").to.be.greaterThan(0);
    expect(
      sent.every((request) => !request.url.includes(KEY)),
      "the key is never in a URL",
    ).to.equal(true);
    await page.close();
  });

  it("takes a key from the address once and removes it from the address bar", async function () {
    const fresh = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: "en-US" });
    const page = await fresh.newPage();
    await page.goto(`${indexer.url}/dashboard/?key=${KEY}#/economy`);
    await page.waitForSelector("main[data-block]", { timeout: WAIT });
    expect(page.url()).to.not.include(KEY);
    expect(page.url()).to.include("#/economy");
    await fresh.close();
  });
});
