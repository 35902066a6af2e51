/**
 * Preloaded into the Ponder process the supervisor starts (`node --import indexer/lib/supervisorChild.ts
 * ponder.js …`), for two things Ponder does not do by itself:
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
 *   If Ponder's source changed so that the timeout is not found, the line `civitas: lock timeout not
 *   applied` is printed and Ponder waits as usual.
 */
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

/** Ponder's module holding its options, and the literal of the lock's timeout in it. */
const OPTIONS_MODULE = "/ponder/dist/esm/internal/options.js";
const TIMEOUT_LITERAL = "databaseHeartbeatTimeout: 25 * 1000";

/** Module hook (runs in Node's hooks thread): rewrites Ponder's lock timeout. */
export async function load(
  url: string,
  context: { format?: string },
  nextLoad: (url: string, context: unknown) => Promise<{ format: string; source?: unknown }>,
): Promise<{ format: string; source?: unknown }> {
  const result = await nextLoad(url, context);
  const timeout = process.env.CIVITAS_PONDER_LOCK_TIMEOUT_MS;
  if (timeout === undefined || !url.endsWith(OPTIONS_MODULE) || result.source === undefined) return result;
  const source = String(result.source);
  if (!source.includes(TIMEOUT_LITERAL)) {
    process.stderr.write("civitas: lock timeout not applied (Ponder's options changed)\n");
    return result;
  }
  const value = Number(timeout);
  return {
    ...result,
    source: source.replace(
      TIMEOUT_LITERAL,
      `databaseHeartbeatTimeout: ${Number.isFinite(value) ? value : 25_000}`,
    ),
  };
}

if (isMainThread && process.env.CIVITAS_SUPERVISED === "1") {
  if (process.env.CIVITAS_PONDER_LOCK_TIMEOUT_MS !== undefined) register(import.meta.url);
  // The supervisor's end of stdin closes when it exits, however it exits.
  process.stdin.on("data", () => undefined);
  process.stdin.once("close", () => process.kill(process.pid, "SIGTERM"));
  process.stdin.once("end", () => process.kill(process.pid, "SIGTERM"));
}
