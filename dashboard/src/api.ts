/**
 * The dashboard's only data source: the indexer's GraphQL API (same origin, `/graphql`) and its
 * `/proposals/state` endpoint. Every query also asks `_meta { status }`, so each figure on a page comes
 * with the block it was indexed at.
 *
 * API keys: when the indexer runs with CIVITAS_API_KEYS, every request carries the key as
 * `Authorization: Bearer <key>`. The key comes from the page's address once (`/dashboard/?key=<key>`:
 * it is then kept for this browser tab and removed from the address bar) or from the form the page
 * shows when the indexer answers 401 ({@link IndexerKeyError}).
 */

/** The indexed block a page's figures belong to. */
export interface IndexedBlock {
  number: number;
  /** Block time, Unix seconds. */
  timestamp: number;
}

/** The indexer could not be reached, or it answered with an error. */
export class IndexerError extends Error {
  override name = "IndexerError";
}

/** The indexer wants an API key (HTTP 401): none was given, or the one given is not accepted. */
export class IndexerKeyError extends IndexerError {
  override name = "IndexerKeyError";
}

/** Where the tab keeps the API key (sessionStorage: gone when the tab closes). */
const KEY_STORAGE = "civitas.apiKey";

/** Takes `?key=` off the page's address into the tab's storage, once at load. */
function adoptKeyFromAddress(): void {
  const url = new URL(location.href);
  const key = url.searchParams.get("key");
  if (key === null) return;
  setApiKey(key);
  url.searchParams.delete("key");
  history.replaceState(history.state, "", url.href);
}

/** The API key this tab sends, if any. */
export function apiKey(): string | undefined {
  return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
}

/** Sets (or, with an empty string, forgets) the API key this tab sends. */
export function setApiKey(key: string): void {
  if (key.trim() === "") sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key.trim());
}

adoptKeyFromAddress();

/** Base URL of the indexer: the dashboard is served at `<indexer>/dashboard/`. */
export const INDEXER_URL = new URL("../", new URL(".", location.href)).href.replace(/\/$/, "");

async function request(path: string, init?: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    const key = apiKey();
    const headers = new Headers(init?.headers);
    if (key !== undefined) headers.set("authorization", `Bearer ${key}`);
    response = await fetch(`${INDEXER_URL}${path}`, { ...init, headers, cache: "no-store" });
  } catch (error) {
    throw new IndexerError(`the indexer at ${INDEXER_URL} cannot be reached (${String(error)})`);
  }
  const text = await response.text();
  if (response.status === 401)
    throw new IndexerKeyError(
      apiKey() === undefined ? "this indexer needs an API key" : "the indexer does not accept this API key",
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new IndexerError(`the indexer answered ${path} with HTTP ${response.status}, not JSON`);
  }
  if (!response.ok && (body as { errors?: unknown }).errors === undefined)
    throw new IndexerError(
      `the indexer answered ${path} with HTTP ${response.status}: ${(body as { error?: string }).error ?? text.slice(0, 200)}`,
    );
  return body;
}

/** The block of a `_meta { status }` answer (the first chain's). */
function blockOf(meta: { status?: Record<string, { block?: IndexedBlock }> } | undefined): IndexedBlock {
  const chain = Object.values(meta?.status ?? {})[0];
  if (chain?.block === undefined) throw new IndexerError("the indexer has not indexed any block yet");
  return { number: Number(chain.block.number), timestamp: Number(chain.block.timestamp) };
}

/**
 * Runs a GraphQL query (its top-level fields, without the outer braces) with `_meta { status }` added.
 * @param fields e.g. `tokenState(id: "civ") { totalSupply }`.
 * @param variables Values of the variables declared in `declarations` (e.g. `$id: BigInt!`).
 * @throws {IndexerError} When the indexer is unreachable or answers with errors.
 */
export async function query<T>(
  fields: string,
  variables: Record<string, unknown> = {},
  declarations = "",
): Promise<{ data: T; block: IndexedBlock }> {
  const text = `query${declarations ? ` (${declarations})` : ""} { _meta { status } ${fields} }`;
  const body = (await request("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: text, variables }),
  })) as { data?: T & { _meta?: never }; errors?: { message: string }[] };
  if (body.errors !== undefined && body.errors.length > 0)
    throw new IndexerError(`GraphQL: ${body.errors.map((e) => e.message).join("; ")}`);
  if (body.data === undefined) throw new IndexerError("GraphQL answered no data");
  const { _meta, ...data } = body.data as Record<string, unknown>;
  return { data: data as T, block: blockOf(_meta as Parameters<typeof blockOf>[0]) };
}

/** The latest indexed block (a light query, polled about once a second for live updates). */
export async function latestBlock(): Promise<IndexedBlock> {
  return (await query<object>("")).block;
}

/**
 * Every row of a plural GraphQL field, following cursor pagination (1,000 rows a page).
 * @param field e.g. `agents`; @param selection e.g. `id wallet`; @param args e.g. `orderBy: "id"`.
 */
export async function allRows<T>(field: string, selection: string, args = ""): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (;;) {
    type Page = { items: T[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    const { data }: { data: Record<string, Page> } = await query<Record<string, Page>>(
      `page: ${field}(limit: 1000, after: $after${args ? `, ${args}` : ""}) { items { ${selection} } pageInfo { hasNextPage endCursor } }`,
      { after },
      "$after: String",
    );
    rows.push(...data.page!.items);
    if (!data.page!.pageInfo.hasNextPage) return rows;
    after = data.page!.pageInfo.endCursor;
  }
}

/** A proposal's state at the latest indexed block, from the indexer's `/proposals/state`. */
export interface ProposalStateRow {
  id: string;
  state: string;
  /** Votes needed, wei, as the Governor recorded it with the first vote; null before. */
  quorum: string | null;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  voteStart: string;
  voteEnd: string;
  eta: string | null;
  at: string;
}

/** Every proposal's state and quorum (the indexer's `/proposals/state`). */
export async function proposalStates(): Promise<ProposalStateRow[]> {
  return (await request("/proposals/state")) as ProposalStateRow[];
}
