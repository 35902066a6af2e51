/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard's Markets page in a real browser (headless Chromium via playwright-core), on a devnet where
 * one market epoch was played (test/market/devnet.ts: docs/market.md's worked example, a compute pool created
 * through the factory, metering with both denials) and a bid is open in the next epoch: the page shows the
 * indexer's figures, the clearing price and utilisation charts, the open bid, the providers, the pool and its
 * dividends, and the usage records with their denials.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { formatCiv } from "../../dashboard/src/format.ts";
import { DenialReason } from "../../scripts/lib/vocabulary.ts";
import { GPU, governMarket, marketContracts, playMarketEpoch } from "../market/devnet.ts";
import { blockNumber, chainClients, gql } from "../indexer/helpers.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const WAIT = 60_000;
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";

describe("dashboard: the Markets page in a real browser", function () {
  this.timeout(1_200_000);
  let devnet: Devnet;
  let deployment: Deployment;
  let indexer: Indexer;
  let browser: Browser;
  let pool: string;
  const work = mkdtempSync(join(tmpdir(), "civitas-markets-page-"));
  const logs: string[] = [];

  before(async function () {
    devnet = await startDevnet();
    const deploymentsDir = join(work, "deployments");
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    const { provider, signers } = await chainClients(devnet.rpcUrl, deployment);
    const [, alice, bob, carol, dave, erin, frank, , , meter] = signers;
    await governMarket(provider, deployment, meter!.address);
    ({ pool } = await playMarketEpoch(
      provider,
      deployment,
      [alice!, bob!, carol!, dave!, erin!, frank!],
      meter!,
    ));
    // One bid open in the epoch now running: 7 gpu-seconds at 0.015 CIV.
    const { market } = marketContracts(deployment, alice!);
    await (await market.bid(GPU, await market.currentEpoch(), 15n, 7n)).wait();
    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      chainId: deployment.chainId,
      deploymentsDir,
      databaseDir: join(work, "pglite"),
      log: (line) => void logs.push(line),
    });
    await indexer.waitForIndexedBlock(await blockNumber(provider), 600_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(logs.slice(-30).join("\n"));
  });

  after(async function () {
    await browser?.close();
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("shows resources, prices, the open bid, providers, the pool's dividends, usage and denials from the indexer", async function () {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: "en-US" });
    const errors: string[] = [];
    page.on("pageerror", (error) => void errors.push(error.message));
    await page.goto(`${indexer.url}/dashboard/#/markets`);
    await page.waitForSelector("main[data-block]", { timeout: WAIT });
    expect(await page.locator("nav a[aria-current=page]").innerText()).to.equal("Markets");

    const { resources, marketProviders, computePools } = await gql<any>(
      indexer.graphqlUrl,
      `{ resources(orderBy: "id") { items { id epochsCleared totalUsed denials } }
         marketProviders { items { gross } }
         computePools { items { address distributed } } }`,
    );
    const value = (id: string) => page.getAttribute(`[data-figure="${id}"] [data-value]`, "data-value");
    const wei = (id: string) => page.getAttribute(`[data-figure="${id}"] .civ`, "data-wei");
    // Three resources (the genesis gpu-second and attention, and the pool's shares); the two traded here each
    // with one epoch cleared.
    expect(await value("resources")).to.equal(String(resources.items.length));
    expect(resources.items.length).to.equal(3);
    expect(await value("epochsCleared")).to.equal(
      String(resources.items.reduce((n: number, r: any) => n + r.epochsCleared, 0)),
    );
    expect(await value("epochsCleared")).to.equal("2");
    // Metering: Alice's 210 recorded; Erin's 20,000 (quota) and 5,000 (credits) denied.
    expect(await value("used")).to.equal("210");
    expect(await value("denials")).to.equal("2");
    const gross = marketProviders.items.reduce((n: bigint, p: any) => n + BigInt(p.gross), 0n);
    expect(await wei("providerRevenue")).to.equal(gross.toString());
    expect(gross > 0n).to.equal(true);
    expect(await wei("dividends")).to.equal(computePools.items[0].distributed);
    expect(BigInt(computePools.items[0].distributed) > 0n).to.equal(true);
    expect(await page.locator('[data-figure="dividends"] .civ').innerText()).to.equal(
      `${formatCiv(computePools.items[0].distributed, "en-US")} CIV`,
    );

    // Charts: the clearing price and utilisation of the gpu-second epoch (0.02 CIV, 100%).
    const points = await page.$$eval("figure.chart", (figures) =>
      figures.map((f) => [f.querySelector("figcaption")!.textContent, (f as HTMLElement).dataset.points]),
    );
    expect(points).to.deep.include(["Clearing price per epoch (CIV per unit)", "1"]);
    expect(points).to.deep.include(["Utilisation per epoch (%)", "1"]);

    // Tables: the resources with their policy, the open bid, the pool, usage and denials.
    const text = await page.locator("main").innerText();
    expect(text).to.contain("gpu-second");
    expect(text).to.contain("pool-share");
    const bidRow = page.locator('[aria-label="Bids not yet settled, highest price first"] tbody tr');
    expect(await bidRow.count()).to.equal(1);
    expect(await bidRow.first().innerText()).to.match(/gpu-second[\s\S]*0\.015 CIV[\s\S]*7[\s\S]*0\.105 CIV/);
    expect(
      await page
        .locator(`[aria-label="Compute pools and their dividends"] tr[data-key="${pool.toLowerCase()}"]`)
        .count(),
    ).to.equal(1);
    const denied = page.locator('[aria-label="Latest usage records and denials"] .badge.warn');
    // The reasons as the indexer names them (the vocabulary's keys).
    expect(await denied.allInnerTexts()).to.have.members(
      [DenialReason.value.QuotaExceeded, DenialReason.value.InsufficientCredits].map(
        (reason) => `denied: ${DenialReason.keys[reason]}`,
      ),
    );
    expect(errors).to.deep.equal([]);
    await page.close();
  });
});
