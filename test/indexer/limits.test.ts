/**
 * The API's limits on their own: GraphQL cost (nested relations, fragments, variables), values in
 * variables, the rate limiter, the admission gate (an abandoned waiter never runs), API keys, and the
 * SQL runner on an in-memory PGlite: writes refused by the database itself (not only by the parser),
 * Ponder's same-named temp tables no longer shadow the app's tables, cost and row limits; the readers'
 * turn on the embedded database (one reader statement at a time, behind the indexer's statements).
 */
import { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";
import {
  ApiLimitError,
  Gate,
  RateLimiter,
  TOTAL_COUNT_COST,
  apiKeyOf,
  apiLimitsFromEnv,
  clientAddress,
  countValues,
  graphqlCost,
} from "../../indexer/lib/limits.ts";
import {
  installQueryAbort,
  pgliteReadOnly,
  readerStats,
  requestScope,
  runReadOnlySql,
} from "../../indexer/lib/readGuard.ts";

describe("API limits", function () {
  describe("graphqlCost", function () {
    it("multiplies nested pages out (the issue's two-deep nesting)", function () {
      const query = `{ accounts(limit: 1000) { items { sent(limit: 1000) { items { fromAccount {
        sent(limit: 1000) { items { id } } } } } } } }`;
      // 1,000 accounts + 1,000,000 transfers + 1,000,000 fromAccount rows + 1e9 transfers.
      expect(graphqlCost(query)).to.equal(1_000 + 1_000_000 + 1_000_000 + 1_000_000_000);
    });

    it("uses Ponder's default page of 50, literal and variable limits", function () {
      expect(graphqlCost("{ transfers { items { id } } }")).to.equal(50);
      expect(graphqlCost("{ transfers(limit: 7) { items { id } } }")).to.equal(7);
      expect(graphqlCost("query ($n: Int) { transfers(limit: $n) { items { id } } }", { n: 20 })).to.equal(
        20,
      );
      expect(graphqlCost("{ transfers(limit: 5000) { items { id } } }")).to.equal(1000);
    });

    it("counts totalCount as a full table and single relations as one row each", function () {
      expect(
        graphqlCost("{ transfers(limit: 10) { totalCount items { fromAccount { address } } } }"),
      ).to.equal(TOTAL_COUNT_COST + 10 + 10);
      expect(graphqlCost('{ account(address: "0x1") { address } }')).to.equal(1);
    });

    it("finds pages hidden in fragments and aliases, and refuses fragment cycles", function () {
      const query = `{ a: accounts(limit: 100) { ...Page } }
        fragment Page on accountPage { items { ... on account { s: sent(limit: 100) { items { id } } } } }`;
      expect(graphqlCost(query)).to.equal(100 + 100 * 100);
      const cyclic = `{ accounts { ...A } } fragment A on accountPage { items { sent { ...A } } }`;
      expect(graphqlCost(cyclic)).to.equal(Number.POSITIVE_INFINITY);
    });

    it("throws on a document that does not parse", function () {
      expect(() => graphqlCost("{ accounts(")).to.throw(/Syntax Error/);
    });
  });

  it("countValues counts every element and field, and stops past the maximum", function () {
    expect(countValues({ a: [1, 2, { b: "x" }] })).to.equal(6);
    const attack = { or: Array.from({ length: 33_000 }, (_, i) => ({ to: `0x${i}` })) };
    expect(countValues(attack)).to.equal(1 + 1 + 33_000 * 2);
    expect(countValues(attack, 1_000)).to.be.greaterThan(1_000).and.lessThan(1_100);
  });

  it("RateLimiter allows the burst, then one request per 1/rate seconds, per client", function () {
    let now = 0;
    const limiter = new RateLimiter(10, 20, () => now);
    for (let i = 0; i < 20; i++) expect(limiter.take("a")).to.equal(0);
    expect(limiter.take("a")).to.equal(1);
    expect(limiter.take("b")).to.equal(0);
    now += 100; // one token back
    expect(limiter.take("a")).to.equal(0);
    expect(limiter.take("a")).to.equal(1);
    expect(new RateLimiter(0, 0).take("a")).to.equal(0);
  });

  it("Gate runs at most N at once, refuses past the queue, and drops an aborted waiter", async function () {
    const gate = new Gate(1, 1);
    const release = await gate.acquire(new AbortController().signal);
    const leaving = new AbortController();
    let ran = false;
    const waiter = gate.acquire(leaving.signal).then(() => (ran = true));
    expect(gate.waiting).to.equal(1);
    const refused = await gate.acquire(new AbortController().signal).catch((e) => e);
    expect(refused).to.be.instanceOf(ApiLimitError).and.include({ status: 503 });
    leaving.abort(new Error("client gone"));
    expect(await waiter.catch((e: Error) => e.message)).to.equal("client gone");
    expect(gate.waiting).to.equal(0);
    release();
    expect(ran).to.equal(false);
    expect(gate.active).to.equal(0);
    const again = await gate.acquire(new AbortController().signal);
    expect(gate.active).to.equal(1);
    again();
  });

  it("apiKeyOf reads the bearer token, x-api-key or ?key=", function () {
    const url = new URL("http://x/sql/db?key=k3");
    expect(apiKeyOf(new Headers({ authorization: "Bearer k1" }), url)).to.equal("k1");
    expect(apiKeyOf(new Headers({ "x-api-key": "k2" }), url)).to.equal("k2");
    expect(apiKeyOf(new Headers(), url)).to.equal("k3");
    expect(apiKeyOf(new Headers(), new URL("http://x/graphql"))).to.equal(undefined);
  });

  it("apiLimitsFromEnv: keys off and defaults on the devnet, refuses nonsense", function () {
    const limits = apiLimitsFromEnv({}, true);
    expect(limits.apiKeys.size).to.equal(0);
    expect(limits.ratePerSecond).to.equal(100);
    expect(limits.maxSqlCost).to.equal(5_000);
    // One rule on both databases: Postgres refuses what PGlite refuses (issue 23).
    expect(apiLimitsFromEnv({}, false).maxSqlCost).to.equal(limits.maxSqlCost);
    expect(apiLimitsFromEnv({ CIVITAS_API_KEYS: "a, b,," }, false).apiKeys).to.deep.equal(
      new Set(["a", "b"]),
    );
    expect(() => apiLimitsFromEnv({ CIVITAS_API_RATE: "-1" }, true)).to.throw(/CIVITAS_API_RATE/);
  });

  describe("clientAddress (the rate limiter's bucket)", function () {
    const headers = (values: Record<string, string>) => new Headers(values);

    it("takes the supervisor's client header only with the supervisor's secret", function () {
      const from = { "x-civitas-client": "10.9.9.9", "x-civitas-proxy-secret": "s3cret" };
      expect(clientAddress(headers(from), "127.0.0.1", false, "s3cret")).to.equal("10.9.9.9");
      // A client sending the header itself (wrong or no secret) is keyed on its own address.
      expect(clientAddress(headers(from), "127.0.0.1", false, "other")).to.equal("127.0.0.1");
      expect(
        clientAddress(headers({ "x-civitas-client": "10.9.9.9" }), "127.0.0.1", false, "s3cret"),
      ).to.equal("127.0.0.1");
      expect(clientAddress(headers(from), "127.0.0.1", false, undefined)).to.equal("127.0.0.1");
    });

    it("uses only the last x-forwarded-for entry, and only behind a trusted proxy", function () {
      const spoofed = headers({ "x-forwarded-for": "1.2.3.4, 10.0.0.7" });
      expect(clientAddress(spoofed, "127.0.0.1", true, undefined)).to.equal("10.0.0.7");
      expect(clientAddress(spoofed, "127.0.0.1", false, undefined)).to.equal("127.0.0.1");
      expect(clientAddress(headers({}), "127.0.0.1", true, undefined)).to.equal("127.0.0.1");
      expect(clientAddress(headers({}), undefined, false, undefined)).to.equal("unknown");
    });
  });

  describe("runReadOnlySql on PGlite", function () {
    let pglite: PGlite;
    const limits = { ...apiLimitsFromEnv({}, true), maxSqlRows: 100 };
    const signal = new AbortController().signal;
    const noParser = async () => {};

    before(async function () {
      this.timeout(300_000); // PGlite's initdb takes minutes on a loaded machine
      pglite = new PGlite();
      await pglite.exec(`CREATE SCHEMA app; SET search_path TO app;
        CREATE TABLE transfer (id int PRIMARY KEY, amount numeric(78,0));
        INSERT INTO transfer SELECT g, g FROM generate_series(1, 150) g;
        -- what Ponder's store flush leaves on the single session
        CREATE TEMP TABLE IF NOT EXISTS transfer AS SELECT * FROM app.transfer WITH NO DATA;`);
    });
    after(async function () {
      await pglite.close();
    });

    const run = (sql: string, params: unknown[] = [], validate?: (q: string) => Promise<void>) =>
      runReadOnlySql(pgliteReadOnly(pglite as any), "app", { sql, params }, limits, signal, validate).then(
        (r: any) => r.rows,
        (e) => e,
      );

    it("sees the app's table, not Ponder's empty temp table of the same name", async function () {
      expect(
        (await pglite.query<{ n: number }>("select count(*)::int as n from transfer")).rows[0]!.n,
      ).to.equal(0);
      expect(await run("select count(*)::int as n from transfer")).to.deep.equal([{ n: 150 }]);
      // and the session is left as it was (Ponder's unqualified temp-table statements still work)
      expect(
        (await pglite.query<{ n: number }>("select count(*)::int as n from transfer")).rows[0]!.n,
      ).to.equal(0);
    });

    it("the database refuses writes even when the parser would let them through", async function () {
      await pglite.exec("CREATE SEQUENCE app.counter");
      const write = await run("select nextval('counter') as n", [], noParser);
      expect(write).to.be.instanceOf(ApiLimitError);
      expect(write.message).to.equal("query failed: cannot execute nextval() in a read-only transaction");
      const update = await run("select 1 from transfer; update transfer set amount = 0", [], noParser);
      expect(update).to.be.instanceOf(ApiLimitError);
      expect(
        (await pglite.query<{ v: boolean }>("select is_called as v from app.counter")).rows[0]!.v,
      ).to.equal(false);
      expect(
        (await pglite.query<{ s: string }>("select sum(amount)::text as s from app.transfer")).rows[0]!.s,
      ).to.equal(String((150 * 151) / 2));
    });

    it("refuses COMMENT ON (which Ponder's parser lets through) with a clear message", async function () {
      for (const sql of [
        "COMMENT ON TABLE transfer IS 'pwned'",
        "/* x */ (comment on table transfer is 'x')",
      ]) {
        const refused = await run(sql, [], noParser);
        expect(refused).to.be.instanceOf(ApiLimitError).and.include({ status: 400 });
        expect(refused.message).to.equal("query refused: only SELECT queries are served, not COMMENT");
      }
      expect(
        (await pglite.query<{ d: string | null }>("select obj_description('app.transfer'::regclass) as d"))
          .rows[0]!.d,
      ).to.equal(null);
    });

    it("refuses more rows than the limit, and a query above the cost limit before running it", async function () {
      expect(await run("select id from transfer where id <= $1", [100])).to.have.length(100);
      const many = await run("select id from transfer where id <= $1", [101]);
      expect(many).to.be.instanceOf(ApiLimitError);
      expect(many.message).to.include("more than 100 rows");
      const join = await run(
        "select count(*) from (select * from transfer limit 90) a, (select * from transfer limit 90) b, (select * from transfer limit 90) c",
      );
      expect(join).to.be.instanceOf(ApiLimitError);
      expect(join.message).to.match(/estimated cost \d+ is above the limit 5000/);
    });

    it("a request whose signal aborted starts no query", async function () {
      installQueryAbort(pglite);
      const gone = new AbortController();
      gone.abort(new Error("client gone"));
      const result = await requestScope
        .run({ signal: gone.signal }, () => pglite.query("select 1"))
        .catch((e: Error) => e.message);
      expect(result).to.equal("client gone");
      expect((await pglite.query<{ one: number }>("select 1 as one")).rows[0]!.one).to.equal(1);
    });
  });

  describe("readers' turn on the embedded database", function () {
    /** A database whose statements run at once (no queue of its own) until released one by one. */
    function fakeDatabase() {
      const log: string[] = [];
      let running = 0;
      let mostAtOnce = 0;
      const pending = new Map<string, () => void>();
      const client = {
        query: (name: string) => {
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          log.push(`start ${name}`);
          return new Promise<string>((resolve) =>
            pending.set(name, () => {
              running--;
              log.push(`end ${name}`);
              resolve(name);
            }),
          );
        },
      };
      installQueryAbort(client, true);
      const started = async (name: string) => {
        while (!pending.has(name)) await new Promise((resolve) => setTimeout(resolve, 1));
      };
      const finish = async (name: string) => {
        await started(name);
        pending.get(name)!();
      };
      return {
        client,
        log,
        started,
        finish,
        mostAtOnce: () => mostAtOnce,
        isPending: (n: string) => pending.has(n),
      };
    }

    it("runs one reader statement at a time, and an indexing statement waits for at most that one", async function () {
      const db = fakeDatabase();
      const before = readerStats();
      const signal = new AbortController().signal;
      const reads = ["r1", "r2", "r3"].map((name) =>
        requestScope.run({ signal }, () => db.client.query(name)),
      );
      await db.started("r1");
      const indexing = db.client.query("i1"); // issued while r1 runs: it is behind exactly one reader
      await db.started("i1");
      expect(db.isPending("r2")).to.equal(false);
      await db.finish("r1");
      await new Promise((resolve) => setTimeout(resolve, 20));
      // r2 waits for the indexer's statement (and its grace) before it runs.
      expect(db.isPending("r2")).to.equal(false);
      await db.finish("i1");
      await db.finish("r2");
      await db.finish("r3");
      expect(await Promise.all([...reads, indexing])).to.deep.equal(["r1", "r2", "r3", "i1"]);
      expect(db.log.indexOf("start r2")).to.be.greaterThan(db.log.indexOf("end i1"));
      expect(db.mostAtOnce()).to.equal(2); // r1 and the indexer's i1, never two readers
      const after = readerStats();
      expect(after.readersAheadMax).to.equal(1);
      expect(after.readerStatements - before.readerStatements).to.equal(3);
      expect(after.indexingStatements - before.indexingStatements).to.equal(1);
      expect(after.indexingBehindReader - before.indexingBehindReader).to.equal(1);
    });

    it("a reader whose request is aborted while waiting leaves the line and never runs", async function () {
      const db = fakeDatabase();
      const signal = new AbortController().signal;
      const gone = new AbortController();
      const first = requestScope.run({ signal }, () => db.client.query("a"));
      await db.started("a");
      const abandoned = requestScope
        .run({ signal: gone.signal }, () => db.client.query("b"))
        .catch((e: Error) => e.message);
      const third = requestScope.run({ signal }, () => db.client.query("c"));
      gone.abort(new Error("client gone"));
      expect(await abandoned).to.equal("client gone");
      await db.finish("a");
      await db.finish("c");
      expect(await Promise.all([first, third])).to.deep.equal(["a", "c"]);
      expect(db.log).to.deep.equal(["start a", "end a", "start c", "end c"]);
    });
  });
});
