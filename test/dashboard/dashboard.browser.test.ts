/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The web dashboard in a real browser (Debian's headless Chromium driven by playwright-core), after one
 * short simulation shared by every test: each page opens with its charts drawn from data, its figures equal
 * the indexer's GraphQL answers at the block the page shows, a new transfer appears without a reload, a
 * broken indexer shows an error state, phone widths work, times follow the viewer's time zone and
 * addresses copy. Screenshots go to reports/dashboard/ for a person to look at.
 */
import { expect } from "chai";
import { JsonRpcProvider, JsonRpcSigner, Contract, parseUnits, Wallet } from "ethers";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { agentRegistryAbi, civitasTokenAbi } from "../../generated/abis.ts";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { REPO_ROOT, type Deployment } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { runSimulation } from "../../scripts/sim/engine.ts";
import { EscrowState } from "../../scripts/lib/vocabulary.ts";
import { formatCiv, formatTime } from "../../dashboard/src/format.ts";
import { allRows, gql } from "../indexer/helpers.ts";

/** Debian's chromium (`.ci/run` installs it with apt); CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = join(REPO_ROOT, "reports", "dashboard");
/** Generous waits: the machine is shared and a page refresh waits for the indexer. */
const WAIT = 60_000;

/** Colours the charts draw with (dashboard/src/charts.ts PALETTE), as RGB. */
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

// On a loaded machine Ponder may take minutes to serve HTTP (as the test kit in kit/serve.ts allows).
process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";

describe("dashboard: the economy in a real browser", function () {
  this.timeout(1_200_000);
  let devnet: Devnet;
  let deployment: Deployment;
  let indexer: Indexer;
  let browser: Browser;
  let context: BrowserContext;
  const work = mkdtempSync(join(tmpdir(), "civitas-dashboard-"));
  const indexerLog: string[] = [];
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  const q = <T = any>(query: string, variables: object = {}) => gql<T>(indexer.graphqlUrl, query, variables);

  /** Opens a page of the dashboard and waits until its figures are in (the page marks the block). */
  async function open(route: string, target?: Page): Promise<Page> {
    const page = target ?? (await context.newPage());
    page.on("request", (request) => void requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${route}: ${message.text()}`);
    });
    page.on("pageerror", (error) => void consoleErrors.push(`${route}: ${error.message}`));
    await page.goto(`${indexer.url}/dashboard/#/${route}`);
    await page.waitForSelector("main[data-block]", { timeout: WAIT });
    return page;
  }

  /** The block the page's figures belong to, and the indexer's latest block: equal once the chain is idle. */
  async function blockOf(page: Page): Promise<number> {
    const shown = Number(await page.getAttribute("main", "data-block"));
    const { _meta } = await q(`{ _meta { status } }`);
    expect(shown, "the page shows the indexer's latest block").to.equal(
      Object.values<any>(_meta.status)[0].block.number,
    );
    return shown;
  }

  /** The wei of a key figure (`data-figure` → `data-wei`), and its text read back as CIV. */
  async function figureWei(page: Page, id: string): Promise<string> {
    const figure = page.locator(`[data-figure="${id}"] .civ`);
    const wei = (await figure.getAttribute("data-wei"))!;
    const text = (await figure.innerText()).replace(/\s*CIV$/, "");
    expect(text, `figure ${id} is the wei formatted in CIV with separators`).to.equal(
      formatCiv(wei, "en-US"),
    );
    return wei;
  }

  /** Every chart on the page: its points and how many canvas pixels carry its first series' colour. */
  async function charts(page: Page) {
    return page.$$eval("figure.chart", (figures) =>
      figures.map((figure) => {
        const colour = (figure as HTMLElement).dataset.colors!.split(" ")[0]!;
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
        const canvas = figure.querySelector("canvas");
        let pixels = 0;
        if (canvas !== null) {
          const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 0; i < data.length; i += 4)
            if (
              Math.abs(data[i]! - r!) < 12 &&
              Math.abs(data[i + 1]! - g!) < 12 &&
              Math.abs(data[i + 2]! - b!) < 12 &&
              data[i + 3]! > 200
            )
              pixels++;
        }
        return {
          title: figure.querySelector("figcaption")!.textContent!,
          points: Number((figure as HTMLElement).dataset.points),
          pixels,
        };
      }),
    );
  }

  async function expectChartsDrawn(page: Page, atLeast: number): Promise<void> {
    const drawn = await charts(page);
    expect(drawn.length, "charts on the page").to.be.at.least(atLeast);
    for (const chart of drawn) {
      expect(chart.points, `${chart.title}: points`).to.be.at.least(1);
      expect(chart.pixels, `${chart.title}: pixels of its first series' colour`).to.be.at.least(20);
    }
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  before(async function () {
    mkdirSync(SHOTS, { recursive: true });
    devnet = await startDevnet();
    const deploymentsDir = join(work, "deployments");
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      chainId: deployment.chainId,
      deploymentsDir,
      databaseDir: join(work, "pglite"),
      log: (line) => void indexerLog.push(line),
    });
    // One short simulation for every test: 6 agents x 14 days, a proposal from day 5 executed by day 14
    // (as test/sim/simulation.test.ts), so every page has data: jobs, disputes, stake, votes, validations.
    await runSimulation({
      rpcUrl: devnet.rpcUrl,
      deployment,
      agents: 6,
      days: 14,
      seed: "e2e",
      governanceDay: 5,
    });
    const head = BigInt(await new JsonRpcProvider(devnet.rpcUrl).getBlockNumber());
    await indexer.waitForIndexedBlock(head, 600_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: "en-US",
      timezoneId: "Asia/Tokyo",
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: indexer.url });
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(indexerLog.slice(-30).join("\n"));
  });

  after(async function () {
    await browser?.close();
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("is served by the indexer at /dashboard/ with nothing from another origin and no script errors", async function () {
    const redirect = await fetch(`${indexer.url}/dashboard`, { redirect: "manual" });
    expect(redirect.status).to.equal(301);
    expect(redirect.headers.get("location")).to.equal("/dashboard/");
    const html = await fetch(`${indexer.url}/dashboard/`);
    expect(html.headers.get("content-type")).to.match(/^text\/html/);
    expect(html.headers.get("content-security-policy")).to.include("default-src 'self'");
    for (const path of ["/dashboard/app.js", "/dashboard/app.css"])
      expect((await fetch(`${indexer.url}${path}`)).status, path).to.equal(200);
    for (const path of [
      "/dashboard/..%2Fpackage.json",
      "/dashboard/nothing.js",
      "/dashboard/%2e%2e%2f%2e%2e%2fpackage.json",
    ])
      expect((await fetch(`${indexer.url}${path}`)).status, path).to.equal(404);
    const page = await open("economy");
    await page.close();
    expect(requests.length).to.be.greaterThan(3);
    expect(
      requests.filter((url) => !url.startsWith(`${indexer.url}/`)),
      "requests to other origins",
    ).to.deep.equal([]);
    expect(consoleErrors).to.deep.equal([]);
  });

  it("Economy: draws every chart with data, and its figures are GraphQL's at the block it shows", async function () {
    const page = await open("economy");
    await expectChartsDrawn(page, 5);
    await blockOf(page);
    const { tokenState, economyDays } =
      await q(`{ tokenState(id: "civ") { totalSupply totalTax totalCapExcess totalBurned
      activeAgents starvedAgents suspendedAgents }
      economyDays(orderBy: "day", orderDirection: "desc", limit: 1) { items { treasuryBalance circulating largestHolding gini } } }`);
    const [today] = economyDays.items;
    expect(await figureWei(page, "totalSupply")).to.equal(tokenState.totalSupply);
    expect(await figureWei(page, "treasury")).to.equal(today.treasuryBalance);
    expect(await figureWei(page, "circulating")).to.equal(today.circulating);
    expect(await figureWei(page, "burned")).to.equal(tokenState.totalBurned);
    expect(await figureWei(page, "taxCollected")).to.equal(tokenState.totalTax);
    expect(await figureWei(page, "capExcess")).to.equal(tokenState.totalCapExcess);
    expect(await figureWei(page, "largestHolding")).to.equal(today.largestHolding);
    expect(BigInt(tokenState.totalTax)).to.be.greaterThan(0n);
    for (const id of ["activeAgents", "starvedAgents", "suspendedAgents"])
      expect(await page.getAttribute(`[data-figure="${id}"] [data-value]`, "data-value"), id).to.equal(
        String(tokenState[id]),
      );
    expect(Number(await page.getAttribute(`[data-figure="gini"] [data-value]`, "data-value"))).to.equal(
      today.gini,
    );
    // Supply chart: as many points as economy days.
    const { economyDays: all } = await q(`{ economyDays(limit: 1000) { totalCount } }`);
    const supply = (await charts(page)).find((c) => c.title.startsWith("Total supply"))!;
    expect(supply.points).to.equal(all.totalCount);
    await shot(page, "economy");
    await page.close();
  });

  it("Agents: the table holds every agent with GraphQL's balance, stake and score, sorts and searches", async function () {
    const page = await open("agents");
    await blockOf(page);
    const agents = await allRows(indexer.graphqlUrl, "agents", "id wallet status reputation uri");
    const accounts = await allRows(
      indexer.graphqlUrl,
      "accounts",
      "address balance staked unbonding",
      "{ agentId_not: null }",
    );
    const byAddress = new Map(accounts.map((a: any) => [a.address.toLowerCase(), a]));
    const rows = page.locator("table tbody tr");
    expect(await rows.count()).to.equal(agents.length);
    for (const agent of agents) {
      const account: any = byAddress.get(agent.wallet.toLowerCase());
      const row = page.locator(`tr[data-key="${agent.id}"]`);
      const wei = await row
        .locator(".civ")
        .evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.wei));
      expect(wei, `agent ${agent.id}: balance and stake`).to.deep.equal([
        account.balance,
        String(BigInt(account.staked) + BigInt(account.unbonding)),
      ]);
      expect(await row.locator("td").nth(6).innerText()).to.equal(
        Number(agent.reputation).toLocaleString("en-US"),
      );
      expect(await row.locator("[data-status]").getAttribute("data-status")).to.equal(agent.status);
    }
    // Sorted by balance, largest first, by default; the Score header sorts by score (largest first).
    const balances = await page.$$eval("tbody tr", (trs) =>
      trs.map((tr) => BigInt((tr.querySelectorAll(".civ")[0] as HTMLElement).dataset.wei!).toString()),
    );
    expect(balances).to.deep.equal(
      [...balances].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0)),
    );
    await page.getByRole("button", { name: /^Score/ }).click();
    expect(await page.getAttribute("th:nth-child(7)", "aria-sort")).to.equal("descending");
    const scores = await page.$$eval("tbody tr td:nth-child(7)", (tds) =>
      tds.map((td) => Number(td.textContent!.replace(/,/g, ""))),
    );
    expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
    await shot(page, "agents");
    // Search by id: one row.
    const target = agents[agents.length - 1];
    await page.fill("#agent-search", `#${target.id}`);
    expect(await rows.count()).to.equal(1);
    expect(await rows.first().getAttribute("data-key")).to.equal(target.id);
    await page.fill("#agent-search", "no agent is called this");
    expect(await page.locator("tbody td.muted").innerText()).to.equal("No agent matches the search.");
    await page.close();
  });

  it("an agent's page: balance and reputation over time, jobs, transfers with gross/tax/net as GraphQL has them", async function () {
    // The agent with the most reputation changes (so its reputation chart has a history).
    const changes = await allRows(indexer.graphqlUrl, "reputationChanges", "agentId");
    const counts = new Map<string, number>();
    for (const c of changes) counts.set(c.agentId, (counts.get(c.agentId) ?? 0) + 1);
    const id = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const page = await open(`agents/${id}`);
    await blockOf(page);
    await expectChartsDrawn(page, 2);
    const { agent } = await q(`query ($id: BigInt!) { agent(id: $id) { wallet reputation } }`, { id });
    const { account } = await q(`query ($a: String!) { account(address: $a) { balance } }`, {
      a: agent.wallet,
    });
    expect(await figureWei(page, "balance")).to.equal(account.balance);
    expect(await page.getAttribute(`[data-figure="score"] [data-value]`, "data-value")).to.equal(
      agent.reputation,
    );
    // Transfers: one row per operation, newest first, with the operation's gross, tax and net.
    const legs = [
      ...(await allRows(
        indexer.graphqlUrl,
        "transfers",
        "id parentId gross tax net",
        `{ from: "${agent.wallet}" }`,
      )),
      ...(await allRows(
        indexer.graphqlUrl,
        "transfers",
        "id parentId gross tax net",
        `{ to: "${agent.wallet}" }`,
      )),
    ];
    const operations = [
      ...new Map(legs.filter((l) => l.id === l.parentId).map((l) => [l.id, l])).values(),
    ].sort((a, b) => (a.id < b.id ? 1 : -1));
    const shown = await page.$$eval("section[aria-labelledby='s-transfers'] tbody tr", (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute("data-key"),
        wei: [...tr.querySelectorAll(".civ")].map((n) => (n as HTMLElement).dataset.wei),
      })),
    );
    expect(shown).to.deep.equal(
      operations.slice(0, 100).map((o) => ({ id: o.id, wei: [o.gross, o.tax, o.net] })),
    );
    expect(
      operations.some((o) => BigInt(o.tax) > 0n),
      "a taxed operation",
    ).to.equal(true);
    // Jobs: as client, provider or arbitrator.
    const { c, p, a } = await q(
      `query ($id: BigInt!) { c: escrows(where: { clientId: $id }) { totalCount }
      p: escrows(where: { providerId: $id }) { totalCount } a: escrows(where: { arbitratorId: $id }) { totalCount } }`,
      { id },
    );
    const jobRows = await page.locator("section[aria-labelledby='s-jobs'] tbody tr [data-state]").count();
    expect(jobRows).to.be.at.least(Math.max(c.totalCount, p.totalCount, a.totalCount));
    expect(jobRows).to.be.at.most(c.totalCount + p.totalCount + a.totalCount);
    // Reputation timeline with reasons.
    const reasons = await page.locator("section[aria-labelledby='s-reputation-timeline'] tbody tr").count();
    expect(reasons).to.equal(counts.get(id));
    await shot(page, "agent");
    await page.close();
  });

  it("Jobs: the outcome funnel counts GraphQL's escrows, and disputes list their evidence links", async function () {
    const page = await open("jobs");
    await blockOf(page);
    await expectChartsDrawn(page, 1);
    const count = async (where: string) =>
      (await q(`{ escrows(where: ${where}) { totalCount } }`)).escrows.totalCount as number;
    const stage = async (key: string) =>
      Number(await page.getAttribute(`[data-stage="${key}"]`, "data-count"));
    expect(await stage("created")).to.equal(await count("{}"));
    expect(await stage("funded")).to.equal(await count("{ fundedAt_not: null }"));
    expect(await stage("submitted")).to.equal(await count("{ submittedAt_not: null }"));
    expect(await stage("disputed")).to.equal(await count("{ disputedAt_not: null }"));
    for (const key of ["completed", "ruled", "refunded", "cancelled", "no_show_resolved"])
      expect(await stage(key), key).to.equal(await count(`{ state: ${key} }`));
    expect(await stage("completed")).to.be.greaterThan(0);
    // Every state of the contract's enum has a row.
    expect(
      await page.$$eval("section[aria-labelledby='s-by-state'] tbody tr", (trs) =>
        trs.map((tr) => tr.getAttribute("data-key")),
      ),
    ).to.deep.equal(EscrowState.keys.filter((key) => key !== "none"));
    // Disputes: every evidence URI GraphQL holds for a disputed job is a link on the page.
    const disputes = await count("{ disputedAt_not: null }");
    expect(await page.locator("section[aria-labelledby='s-disputes'] tbody tr[data-key]").count()).to.equal(
      disputes,
    );
    const evidence = await allRows(
      indexer.graphqlUrl,
      "escrowEvents",
      "escrowId uri",
      `{ kind_in: ["dispute", "evidence", "disputed"] }`,
    );
    const links = await page.$$eval("section[aria-labelledby='s-disputes'] ul.evidence a", (as) =>
      as.map((a) => a.getAttribute("href")),
    );
    expect(links.sort()).to.deep.equal(
      evidence
        .filter((e) => e.uri)
        .map((e) => e.uri)
        .sort(),
    );
    await shot(page, "jobs");
    await page.close();
  });

  it("Staking: validators, bonded stake, commission, rewards per epoch and slashes as GraphQL has them", async function () {
    const page = await open("staking");
    await blockOf(page);
    await expectChartsDrawn(page, 1);
    const { stakingState, validators, rewardEpochs } =
      await q(`{ stakingState(id: "staking") { totalBonded totalRewardsFunded totalSlashed }
      validators(orderBy: "bondedTokens", orderDirection: "desc") { items { address bondedTokens } }
      rewardEpochs { totalCount } }`);
    expect(await figureWei(page, "totalBonded")).to.equal(stakingState.totalBonded);
    expect(await figureWei(page, "rewardsFunded")).to.equal(stakingState.totalRewardsFunded);
    expect(await figureWei(page, "totalSlashed")).to.equal(stakingState.totalSlashed);
    const shown = await page.$$eval("section[aria-labelledby='s-validators'] tbody tr", (trs) =>
      trs.map((tr) => ({
        address: tr.getAttribute("data-key"),
        bondedTokens: (tr.querySelector(".civ") as HTMLElement).dataset.wei,
      })),
    );
    expect(shown).to.deep.equal(validators.items);
    expect(validators.items.length).to.be.greaterThan(0);
    const epochs = (await charts(page)).find((c) => c.title.startsWith("Rewards funded"))!;
    expect(epochs.points).to.equal(rewardEpochs.totalCount);
    await shot(page, "staking");
    await page.close();
  });

  it("Governance: proposals with their state, votes against the quorum, and the timeline to execution", async function () {
    const page = await open("governance");
    await blockOf(page);
    const { proposals } = await q(
      `{ proposals { items { id forVotes againstVotes abstainVotes executedAt } } }`,
    );
    expect(proposals.items.length).to.be.greaterThan(0);
    const states = (await (await fetch(`${indexer.url}/proposals/state`)).json()) as any[];
    for (const proposal of proposals.items) {
      const card = page.locator(`article[data-proposal="${proposal.id}"]`);
      const state = states.find((s) => s.id === proposal.id);
      expect(await card.locator("[data-state]").getAttribute("data-state")).to.equal(state.state);
      const wei = await card
        .locator(".legend .civ")
        .evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.wei));
      expect(wei).to.deep.equal([
        proposal.forVotes,
        proposal.abstainVotes,
        proposal.againstVotes,
        state.quorum,
      ]);
      const steps = await card.locator(".timeline li").allInnerTexts();
      expect(steps.map((s) => s.split(" ")[0])).to.deep.equal([
        "Proposed",
        "Voting",
        "Voting",
        "Queued",
        "Executable",
        "Executed",
      ]);
    }
    expect(
      states.some((s) => s.state === "executed"),
      "the simulation's proposal was executed",
    ).to.equal(true);
    await expectChartsDrawn(page, proposals.items.length);
    await shot(page, "governance");
    await page.close();
  });

  it("Validations: ERC-8004 validation requests, responses and fees as GraphQL has them", async function () {
    const page = await open("validations");
    await blockOf(page);
    const { validationRequests } = await q(`{ validationRequests { totalCount } }`);
    expect(validationRequests.totalCount).to.be.greaterThan(0);
    expect(await page.getAttribute(`[data-figure="requests"] [data-value]`, "data-value")).to.equal(
      String(validationRequests.totalCount),
    );
    expect(await page.locator("section[aria-labelledby='s-requests'] tbody tr[data-key]").count()).to.equal(
      Math.min(500, validationRequests.totalCount),
    );
    await expectChartsDrawn(page, 1);
    await shot(page, "validations");
    await page.close();
  });

  it("is usable with assistive technology: landmarks, named controls, captioned tables and charts", async function () {
    const page = await open("agents");
    expect(await page.getAttribute("html", "lang")).to.equal("en");
    for (const landmark of ["header", "nav", "main", "footer"])
      expect(await page.locator(landmark).count(), landmark).to.equal(1);
    expect(await page.locator("nav a[aria-current=page]").innerText()).to.equal("Agents");
    const unnamed = await page.$$eval("button, a, input", (nodes) =>
      nodes.filter((n) => !(n.getAttribute("aria-label") || n.textContent!.trim())).map((n) => n.outerHTML),
    );
    expect(unnamed).to.deep.equal([]);
    expect(await page.locator("table:not(:has(caption))").count()).to.equal(0);
    expect(await page.locator("th[aria-sort]").count()).to.be.greaterThan(3);
    // Keyboard: Tab reaches the skip link first.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal("Skip to content");
    await page.goto(`${indexer.url}/dashboard/#/economy`);
    await page.waitForSelector("main[data-block]", { timeout: WAIT });
    expect(await page.locator("figure.chart:not(:has(figcaption))").count()).to.equal(0);
    expect(await page.locator("figure.chart .chart-summary").first().textContent()).to.match(
      /points; latest/,
    );
    await page.close();
  });

  it("shows times in the viewer's time zone and copies full addresses", async function () {
    const page = await open("staking");
    expect(await page.locator("#timezone").innerText()).to.equal("Asia/Tokyo");
    const times = await page.$$eval("main time[data-seconds]", (nodes) =>
      nodes.map((n) => [(n as HTMLElement).dataset.seconds!, n.textContent!]),
    );
    expect(times.length).to.be.greaterThan(0);
    for (const [seconds, text] of times) expect(text).to.equal(formatTime(seconds, "en-US", "Asia/Tokyo"));
    const address = page.locator(".address").first();
    const full = (await address.getAttribute("data-address"))!;
    expect(full).to.match(/^0x[0-9a-fA-F]{40}$/);
    await address.getByRole("button", { name: `Copy address ${full}` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(full);
    await page.close();
  });

  it("fits a phone's width: no sideways scrolling of the page, charts as wide as the screen", async function () {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "en-US",
      isMobile: true,
      hasTouch: true,
    });
    try {
      for (const route of ["economy", "agents", "jobs", "governance"]) {
        const page = await phone.newPage();
        await page.goto(`${indexer.url}/dashboard/#/${route}`);
        await page.waitForSelector("main[data-block]", { timeout: WAIT });
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth, `${route}: page width`).to.be.at.most(innerWidth);
        const widths = await page.$$eval("figure.chart canvas", (canvases) =>
          canvases.map((c) => c.getBoundingClientRect().width),
        );
        for (const width of widths) expect(width, `${route}: chart width`).to.be.within(200, 390);
        await page.screenshot({ path: join(SHOTS, `phone-${route}.png`), fullPage: true });
        await page.close();
      }
    } finally {
      await phone.close();
    }
  });

  it("shows a new transfer live, without reloading, within a few polls of its block", async function () {
    // The richest agent pays the poorest (a taxed payment), watched on the payee's page.
    const { accounts } = await q(
      `{ accounts(where: { agentId_not: null }, orderBy: "balance", orderDirection: "desc") { items { address agentId } } }`,
    );
    const payer = { wallet: accounts.items[0].address };
    const payee = { id: accounts.items.at(-1).agentId, wallet: accounts.items.at(-1).address };
    const page = await open(`agents/${payee.id}`);
    await page.evaluate(() => ((window as any).loadedOnce = true));
    const provider = new JsonRpcProvider(devnet.rpcUrl);
    await provider.send("hardhat_impersonateAccount", [payer.wallet]);
    const token = new Contract(
      deployment.contracts.token!,
      civitasTokenAbi as any,
      new JsonRpcSigner(provider, payer.wallet),
    );
    const amount = parseUnits("1.234567", 18);
    const receipt = await (await token.transfer!(payee.wallet, amount)).wait();
    await provider.send("hardhat_stopImpersonatingAccount", [payer.wallet]);
    const sent = Date.now();
    await indexer.waitForIndexedBlock(BigInt(receipt.blockNumber), WAIT);
    const indexedMs = Date.now() - sent;
    // The new operation's row: its gross is the amount sent.
    await page.waitForSelector(
      `section[aria-labelledby='s-transfers'] tbody tr:first-child .civ[data-wei="${amount}"]`,
      { timeout: WAIT },
    );
    const latencyMs = Date.now() - sent;
    expect(await page.evaluate(() => (window as any).loadedOnce), "no reload").to.equal(true);
    expect(Number(await page.getAttribute("main", "data-block"))).to.be.at.least(receipt.blockNumber);
    console.log(
      `      new transfer indexed ${indexedMs} ms and on the page ${latencyMs} ms after its receipt`,
    );
    await shot(page, "live-transfer");
    await page.close();
  });

  it("renders what agents write (URIs) as text: no markup, no script links", async function () {
    // An attacker registers an agent whose URI is markup and a javascript: link.
    const hostile = `javascript:alert(1)//<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>`;
    const provider = new JsonRpcProvider(devnet.rpcUrl);
    const attacker = Wallet.createRandom().address;
    await provider.send("hardhat_setBalance", [attacker, "0xde0b6b3a7640000"]);
    await provider.send("hardhat_impersonateAccount", [attacker]);
    const registry = new Contract(
      deployment.contracts.registry!,
      agentRegistryAbi as any,
      new JsonRpcSigner(provider, attacker),
    );
    const receipt = await (await registry["register(string)"]!(hostile)).wait();
    await provider.send("hardhat_stopImpersonatingAccount", [attacker]);
    await indexer.waitForIndexedBlock(BigInt(receipt.blockNumber), WAIT);
    const { agents } = await q(`query ($w: String!) { agents(where: { wallet: $w }) { items { id } } }`, {
      w: attacker.toLowerCase(),
    });
    const id = agents.items[0].id;
    const page = await open("agents");
    await page.waitForSelector(`tr[data-key="${id}"]`, { timeout: WAIT });
    expect(await page.locator(`tr[data-key="${id}"] .uri`).getAttribute("title")).to.equal(hostile);
    await page.goto(`${indexer.url}/dashboard/#/agents/${id}`);
    await page.waitForSelector(`[data-figure="uri"]`, { timeout: WAIT });
    expect(await page.locator(`[data-figure="uri"] .value`).innerText()).to.equal(hostile);
    expect(await page.locator(`[data-figure="uri"] a`).count(), "no link for a javascript: URI").to.equal(0);
    expect(await page.locator("main img, main script").count()).to.equal(0);
    expect(await page.evaluate(() => (window as any).pwned)).to.equal(undefined);
    await page.close();
  });

  it("shows an error state, not a blank page, when the indexer answers errors, and recovers", async function () {
    const page = await open("economy");
    await page.route("**/graphql", (route) =>
      route.fulfill({ status: 500, contentType: "text/plain", body: "boom" }),
    );
    await page.waitForSelector("#alert:not([hidden])", { timeout: WAIT });
    expect(await page.locator("#alert").innerText()).to.match(
      /The indexer is not answering.*HTTP 500.*figures below are as of block/s,
    );
    expect(await page.getAttribute("body", "data-state")).to.equal("error");
    expect(await page.locator("[data-figure]").count(), "the last figures stay").to.be.greaterThan(5);
    await shot(page, "error-state");
    await page.unroute("**/graphql");
    await page.waitForSelector("#alert[hidden]", { state: "attached", timeout: WAIT });
    // A first visit while GraphQL fails: the page says so instead of staying blank.
    const fresh = await context.newPage();
    await fresh.route("**/graphql", (route) =>
      route.fulfill({
        status: 200,
        contentType: "application/json",
        body: '{"errors":[{"message":"database is locked"}]}',
      }),
    );
    await fresh.goto(`${indexer.url}/dashboard/#/agents`);
    await fresh.waitForSelector("#alert:not([hidden])", { timeout: WAIT });
    expect(await fresh.locator("#alert").innerText()).to.match(
      /GraphQL: database is locked.*Nothing to show yet/s,
    );
    await fresh.close();
    await page.close();
  });

  it("shows an error state when the indexer stops while the page is open", async function () {
    const page = await open("jobs");
    await indexer.stop();
    await page.waitForSelector("#alert:not([hidden])", { timeout: WAIT });
    // While it shuts down, the supervisor may still answer (503: Ponder is stopped first); once it is gone,
    // nothing answers. The page keeps retrying and says so.
    await page.waitForFunction(
      () => /cannot be reached/.test(document.querySelector("#alert")?.textContent ?? ""),
      undefined,
      { timeout: WAIT },
    );
    expect(await page.locator("#alert").innerText()).to.match(
      /The indexer is not answering.*cannot be reached/s,
    );
    expect(await page.locator("[data-stage]").count(), "the last figures stay").to.be.greaterThan(3);
    await page.close();
  });
});
