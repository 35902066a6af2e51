/**
 * Preloaded into the Ponder process the supervisor starts (`node --import indexer/lib/supervisorChild.ts
 * ponder.js …`), for what Ponder 0.16 does not do by itself:
 *
 * - It ends with its supervisor: the supervisor holds the other end of Ponder's stdin; when the supervisor
 *   dies (even by SIGKILL) the pipe closes and Ponder gets SIGTERM, so it shuts down cleanly and releases
 *   its schema lock instead of running on as an orphan that holds the database.
 * - A lock the supervisor knows is stale is not waited for: Ponder waits for a schema lock until the
 *   previous holder's heartbeat is 25 s old (its `databaseHeartbeatTimeout`). When the previous holder
 *   is known to be gone (the supervisor's own child that died, or an orphan whose exit it saw), the
 *   supervisor sets CIVITAS_PONDER_LOCK_TIMEOUT_MS (e.g. 0) and this module makes Ponder's lock check use
 *   it for this start. Another live Ponder cannot be holding it: a waiting one only takes an expired
 *   lock (25 s after the last heartbeat), and the supervisor relaunches within a few seconds of the exit.
 * - Finality depths (Ponder 0.16 takes them from a fixed table by chain id, 30 blocks for any chain it does
 *   not know, and has no setting: ponder-sh/ponder#2079 was declined). Two depths, both for the chain
 *   CIVITAS_CHAIN_ID only:
 *   - CIVITAS_PONDER_START_FINALITY_BLOCKS: how far below the head Ponder puts its finalized block when it
 *     starts. Everything up to there is read in bulk (`eth_getLogs` ranges, the backfill); only the blocks
 *     above it are fetched and indexed one by one. A small value makes starts and restarts fast.
 *   - CIVITAS_PONDER_FINALITY_BLOCKS: the live depth. While following the chain Ponder keeps every block
 *     above its finalized block revertible and moves the finalized block to `head - depth` only once the
 *     head is `depth` blocks past that, so a reorg whose fork is above it (up to `depth` blocks deep, more
 *     the longer it has run) is reverted in place, exactly, in well under a second, without a re-index.
 *   Ponder's finalized block then only moves forwards, as Ponder requires.
 * - Live indexing speed (docs/indexer.md, "Live indexing: three rewrites of Ponder"): no Vite file watcher
 *   in `start`/`serve`; the row cache told which event runs in realtime too, so it prefetches a block's rows;
 *   a block's checkpoint stamped on the undo rows of the tables it wrote only. Each can be turned off
 *   (CIVITAS_PONDER_WATCH=1, CIVITAS_PONDER_REALTIME_PREFETCH=0, CIVITAS_PONDER_COMMIT_ALL_TABLES=1): the
 *   anchor of `npm run bench:live`.
 * If Ponder's source ever changes so that a rewrite does not apply, the line `civitas: … not applied` is
 * printed and Ponder behaves as without it (the supervisor reads the finalized block from Ponder's log,
 * so it stays right either way).
 */
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

/** One rewrite of a Ponder module's source: the module's path suffix, the text to find, its replacement. */
interface Rewrite {
  module: string;
  find: string | RegExp;
  replace: string;
  what: string;
}

/** The rewrites asked for by the environment (see the module's documentation). */
export function rewrites(env: NodeJS.ProcessEnv): Rewrite[] {
  const list: Rewrite[] = [];
  const timeout = env.CIVITAS_PONDER_LOCK_TIMEOUT_MS;
  if (timeout !== undefined) {
    const value = Number(timeout);
    list.push({
      module: "/ponder/dist/esm/internal/options.js",
      find: "databaseHeartbeatTimeout: 25 * 1000",
      replace: `databaseHeartbeatTimeout: ${Number.isFinite(value) ? value : 25_000}`,
      what: "lock timeout",
    });
  }
  const chainId = Number(env.CIVITAS_CHAIN_ID);
  const start = Number(env.CIVITAS_PONDER_START_FINALITY_BLOCKS);
  if (Number.isSafeInteger(chainId) && Number.isSafeInteger(start) && start >= 0) {
    list.push({
      module: "/ponder/dist/esm/utils/finality.js",
      find: "switch (chain?.id) {",
      // Duplicate case labels are legal JavaScript; the first match wins.
      replace: `switch (chain?.id) {\n        case ${chainId}: finalityBlockCount = ${start}; break;`,
      what: "start finality depth",
    });
  }
  if (env.CIVITAS_PONDER_PROFILE === "1") {
    // Start profile: a `civitas-profile <step> <ms since the process began>` line before each step of
    // Ponder's `start` (bench/indexer-recovery.ts and docs/indexer.md, "Where a start's time goes").
    list.push({
      module: "/ponder/dist/esm/bin/commands/start.js",
      find: /\n(\s*)((?:const \w+ = )?await (?:(?:build|database)\.)?(\w+)\(|database = createDatabase\(|createServer\(app\);|switch \(preCompileResult)/g,
      replace:
        '\n$1process.stderr.write(`civitas-profile ${JSON.stringify("$3" || "$2".slice(0, 20))} ${Math.round(performance.now())}\\n`);\n$1$2',
      what: "start profile",
    });
  }
  if (env.CIVITAS_PONDER_WATCH !== "1") {
    // `ponder start` and `ponder serve` build the app once, but Ponder still starts Vite's file watcher on
    // its root: chokidar then scans and follows every file under indexer/, the PGlite folder
    // (indexer/.ponder/pglite-<chainId>) among them, whose files change with every block indexed.
    list.push({
      module: "/ponder/dist/esm/build/index.js",
      find: "server: { hmr: false },",
      replace: "server: { hmr: false, watch: null },",
      what: "no file watcher",
    });
  }
  if (env.CIVITAS_PONDER_REALTIME_PREFETCH !== "0") {
    // Ponder 0.16 tells its row cache which event runs only while indexing history: in realtime the cache
    // records its access patterns against the last historical event and predicts nothing, so every row a
    // block's handlers touch is one query (on PGlite even an insert's key check). With the running event
    // set, a block's rows are read in one query per table before its handlers run, as in history.
    list.push({
      module: "/ponder/dist/esm/indexing/index.js",
      find: /client\.event = event;(\s*)await executeEvent\(event\);/,
      replace: "client.event = event;$1indexingCache.event = event;$1await executeEvent(event);",
      what: "realtime prefetch",
    });
  }
  if (env.CIVITAS_PONDER_COMMIT_ALL_TABLES !== "1") {
    // After each realtime block Ponder stamps the block's checkpoint on its undo rows with one UPDATE per
    // table, 68 here, though a block writes a few. A table's undo rows at the open checkpoint come only from
    // its own writes, and every write also names the table in the live-query table (its row trigger), so
    // the UPDATE is run for the tables named there: the same rows stamped, a few queries instead of 68.
    list.push({
      module: "/ponder/dist/esm/runtime/multichain.js",
      find: "await Promise.all(tables.map((table) => commitBlock(tx, { table, checkpoint, preBuild }, context)));",
      replace:
        "const civitasWritten = new Set((await tx.wrap((tx) => tx.execute(`SELECT table_name FROM ${getLiveQueryTempTableName()}`), context)).rows.map((row) => row.table_name));\n" +
        "await Promise.all(tables.filter((table) => civitasWritten.has(getTableName(table))).map((table) => commitBlock(tx, { table, checkpoint, preBuild }, context)));",
      what: "commit of the written tables only",
    });
  }
  const live = Number(env.CIVITAS_PONDER_FINALITY_BLOCKS);
  if (Number.isSafeInteger(live) && live > 0) {
    list.push({
      module: "/ponder/dist/esm/sync-realtime/index.js",
      find: /args\.chain\.finalityBlockCount/g,
      replace: `(args.chain.id === ${chainId} ? ${live} : args.chain.finalityBlockCount)`,
      what: "live finality depth",
    });
  }
  return list;
}

/** Applies {@link rewrites} to one loaded module's source (unchanged when none is for it). */
function applyRewrites<T extends { format: string; source?: unknown }>(url: string, result: T): T {
  if (result.source === undefined || result.source === null) return result;
  const mine = rewrites(process.env).filter((rewrite) => url.endsWith(rewrite.module));
  if (mine.length === 0) return result;
  let source = String(result.source);
  for (const rewrite of mine) {
    const found =
      typeof rewrite.find === "string" ? source.includes(rewrite.find) : rewrite.find.test(source);
    if (!found) {
      process.stderr.write(`civitas: ${rewrite.what} not applied (Ponder's source changed)\n`);
      continue;
    }
    if (typeof rewrite.find !== "string") rewrite.find.lastIndex = 0;
    source = source.replace(rewrite.find, rewrite.replace);
  }
  return { ...result, source };
}

/** Module hook (runs in Node's hooks thread): applies {@link rewrites} to Ponder's modules. */
export async function load(
  url: string,
  context: { format?: string },
  nextLoad: (url: string, context: unknown) => Promise<{ format: string; source?: unknown }>,
): Promise<{ format: string; source?: unknown }> {
  return applyRewrites(url, await nextLoad(url, context));
}

if (isMainThread && process.env.CIVITAS_SUPERVISED === "1") {
  if (rewrites(process.env).length > 0) register(import.meta.url);
  // The supervisor's end of stdin closes when it exits, however it exits.
  process.stdin.on("data", () => undefined);
  process.stdin.once("close", () => process.kill(process.pid, "SIGTERM"));
  process.stdin.once("end", () => process.kill(process.pid, "SIGTERM"));
}
