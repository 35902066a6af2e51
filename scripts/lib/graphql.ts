/**
 * A minimal GraphQL client for the Civitas indexer (Ponder): POSTs a query, returns `data`, throws on
 * errors. Ponder serves bigints as decimal strings. Importing this module has no side effects.
 */

/**
 * Runs a GraphQL query.
 * @param url The GraphQL endpoint, e.g. `http://127.0.0.1:42069/graphql`.
 * @param query The query text.
 * @param variables Query variables (bigints are sent as decimal strings).
 * @returns The response's `data`.
 * @throws Error with the server's messages when the response has `errors` or is not 200.
 */
export async function queryGraphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
  });
  const text = await response.text();
  let body: { data?: T; errors?: { message: string }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`GraphQL ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join("; ")}`);
  if (!response.ok || body.data === undefined) throw new Error(`GraphQL ${url} answered ${response.status}`);
  return body.data;
}

/**
 * Fetches every page of a Ponder list field (`items`, `pageInfo { hasNextPage endCursor }`).
 * @param url GraphQL endpoint.
 * @param field The plural field, e.g. `accounts`.
 * @param selection The item fields, e.g. `address balance`.
 * @param args Extra arguments text, e.g. `where: { agentId_not: null }`.
 * @returns All items.
 */
export async function fetchAll<T>(url: string, field: string, selection: string, args = ""): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  for (;;) {
    const query = `query($after: String) { ${field}(limit: 1000, after: $after${args ? `, ${args}` : ""}) {
      items { ${selection} } pageInfo { hasNextPage endCursor } } }`;
    const data: Record<string, { items: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> =
      await queryGraphql(url, query, { after });
    const page = data[field]!;
    items.push(...page.items);
    if (!page.pageInfo.hasNextPage) return items;
    after = page.pageInfo.endCursor;
  }
}
