// SQL over HTTP with @ponder/client (npm install @ponder/client): read-only SELECTs over the indexer's tables
// (snake_case names, amounts in wei). Usage: CIVITAS_INDEXER_URL=http://127.0.0.1:PORT node sql-over-http.mjs
import { createClient, sql } from "@ponder/client";

const indexer = process.env.CIVITAS_INDEXER_URL ?? "http://127.0.0.1:42069";
const client = createClient(`${indexer}/sql`);

const [{ transfers }] = await client.db.execute(sql`select count(*) as transfers from transfer`);
console.log(`transfers: ${transfers}`);

const richest = await client.db.execute(sql`
  select address, balance from account where agent_id is not null order by balance desc limit 3
`);
for (const { address, balance } of richest) console.log(`${address} ${BigInt(balance) / 10n ** 18n} CIV`);
