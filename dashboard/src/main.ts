/**
 * The dashboard's entry: a hash router (`#/economy`, `#/agents`, `#/agents/<id>`, `#/jobs`, `#/staking`,
 * `#/governance`, `#/validations`, `#/flags`, `#/markets`), the live loop (polls the latest indexed block about once a second and
 * refills the page when it moves) and the error state (a visible alert, never a blank page).
 */
import { IndexerError, IndexerKeyError, latestBlock, setApiKey, type IndexedBlock } from "./api.ts";
import { fill, h } from "./dom.ts";
import { formatCount, formatTime } from "./format.ts";
import { agentPage, agentsPage } from "./pages/agents.ts";
import { economyPage } from "./pages/economy.ts";
import { governancePage } from "./pages/governance.ts";
import { jobsPage } from "./pages/jobs.ts";
import type { Page, PageFactory } from "./pages/page.ts";
import { stakingPage } from "./pages/staking.ts";
import { validationsPage } from "./pages/validations.ts";
import { flagsPage } from "./pages/flags.ts";
import { marketsPage } from "./pages/markets.ts";

/** How often the latest indexed block is polled, ms (a few bytes each: `{ _meta { status } }`). */
const POLL_MS = 500;

const ROUTES: { path: RegExp; nav: string; factory: PageFactory }[] = [
  { path: /^economy$/, nav: "economy", factory: economyPage },
  { path: /^agents$/, nav: "agents", factory: agentsPage },
  { path: /^agents\/(\d+)$/, nav: "agents", factory: agentPage },
  { path: /^jobs$/, nav: "jobs", factory: jobsPage },
  { path: /^staking$/, nav: "staking", factory: stakingPage },
  { path: /^governance$/, nav: "governance", factory: governancePage },
  { path: /^validations$/, nav: "validations", factory: validationsPage },
  { path: /^flags$/, nav: "flags", factory: flagsPage },
  { path: /^markets$/, nav: "markets", factory: marketsPage },
];

const main = document.getElementById("main")!;
const status = document.getElementById("status")!;
const alertBox = document.getElementById("alert")!;
document.getElementById("timezone")!.textContent = Intl.DateTimeFormat().resolvedOptions().timeZone;

let page: Page | undefined;
let route = "";
let shownBlock: number | undefined;
let updating = false;

function showStatus(block: IndexedBlock): void {
  document.body.dataset.block = String(block.number);
  fill(
    status,
    h("span", { class: "live-dot", "aria-hidden": "true" }),
    "Live · block ",
    h("strong", { "data-block": block.number }, formatCount(block.number)),
    " · ",
    h("time", { datetime: new Date(block.timestamp * 1000).toISOString() }, formatTime(block.timestamp)),
  );
  status.classList.remove("stale");
}

/** The form asking for an API key (the indexer answered 401); kept while the user types. */
function keyForm(message: string): HTMLElement {
  const existing = document.getElementById("api-key-form");
  if (existing !== null) {
    existing.querySelector(".key-message")!.textContent = message;
    return existing;
  }
  const input = h("input", {
    id: "api-key",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
  });
  const use = h("button", { type: "submit" }, "Use key");
  const form = h(
    "form",
    { id: "api-key-form", class: "key-form", "aria-label": "API key" },
    h("strong", { class: "key-message" }, message),
    " ",
    h("label", { for: "api-key" }, "API key"),
    " ",
    input,
    " ",
    use,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    setApiKey(input.value);
    clearError();
    page = undefined;
    navigate();
  });
  return form;
}

function showError(error: unknown): void {
  if (error instanceof IndexerKeyError) {
    document.body.dataset.state = "key";
    status.classList.add("stale");
    fill(status, h("span", { class: "live-dot", "aria-hidden": "true" }), "Not connected: API key needed");
    const form = keyForm(`${error.message}.`);
    if (form.parentElement !== alertBox) fill(alertBox, form);
    alertBox.hidden = false;
    if (page !== undefined && shownBlock === undefined) main.setAttribute("aria-busy", "false");
    return;
  }
  const message = error instanceof IndexerError ? error.message : `unexpected error: ${String(error)}`;
  document.body.dataset.state = "error";
  status.classList.add("stale");
  fill(
    status,
    h("span", { class: "live-dot", "aria-hidden": "true" }),
    shownBlock === undefined ? "Not connected" : `Not live · figures from block ${formatCount(shownBlock)}`,
  );
  fill(
    alertBox,
    h("strong", {}, "The indexer is not answering. "),
    message,
    shownBlock === undefined
      ? ". Nothing to show yet; retrying."
      : `. The figures below are as of block ${formatCount(shownBlock)}; retrying.`,
  );
  alertBox.hidden = false;
  if (page !== undefined && shownBlock === undefined) main.setAttribute("aria-busy", "false");
}

function clearError(): void {
  if (document.body.dataset.state === "error" || document.body.dataset.state === "key")
    document.body.dataset.state = "ok";
  alertBox.hidden = true;
}

/** Loads the page's figures (the whole page at the new block) and marks the block shown. */
async function refresh(): Promise<void> {
  if (page === undefined || updating) return;
  updating = true;
  const current = page;
  try {
    const block = await current.update();
    if (current !== page) return;
    shownBlock = block.number;
    main.dataset.block = String(block.number);
    main.setAttribute("aria-busy", "false");
    document.body.dataset.state = "ok";
    showStatus(block);
    clearError();
  } catch (error) {
    if (current === page) showError(error);
  } finally {
    updating = false;
  }
}

function navigate(): void {
  const hash = location.hash.replace(/^#\/?/, "") || "economy";
  if (hash === route && page !== undefined) return;
  route = hash;
  let match: RegExpMatchArray | null = null;
  const found = ROUTES.find((r) => (match = hash.match(r.path)) !== null);
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav a")) {
    if (link.dataset.nav === found?.nav) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (found === undefined) {
    page = undefined;
    fill(
      main,
      h("h1", {}, "Not found"),
      h("p", {}, "No such page. ", h("a", { href: "#/economy" }, "Economy")),
    );
    return;
  }
  page = found.factory((match as RegExpMatchArray | null)?.slice(1) ?? []);
  shownBlock = undefined;
  document.title = `Civitas · ${page.title}`;
  main.setAttribute("aria-busy", "true");
  delete main.dataset.block;
  fill(main, page.element);
  void refresh();
}

/** Live: when the indexer reaches a new block, refill the page without reloading. */
async function poll(): Promise<void> {
  try {
    const block = await latestBlock();
    if (block.number !== shownBlock) await refresh();
    else clearError();
  } catch (error) {
    showError(error);
  } finally {
    setTimeout(() => void poll(), POLL_MS);
  }
}

window.addEventListener("hashchange", navigate);
navigate();
setTimeout(() => void poll(), POLL_MS);
