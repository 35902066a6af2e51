/**
 * The indexer's supervisor: runs Ponder as a child process on an internal port and serves the public port
 * itself, so that no answer claims data the chain no longer has.
 *
 * - Proxy: every request goes to Ponder, except `/health`, `/ready` (the supervisor's verdict first),
 *   `/metrics` (Ponder's plus `civitas_indexer_*`) and `/indexer/status` (the verdict as JSON). Every
 *   answer carries `x-civitas-indexer-status: current|stale|...`; GraphQL answers carry
 *   `extensions.indexer` ({ status, reason, indexedBlock, chainHead }), and while the data is not current
 *   every data route answers 503 (GraphQL: an error with code `INDEXER_STALE`).
 * - Reorg watch: follows the chain head itself ({@link ChainWatch}), reads Ponder's log (reorgs it handled,
 *   "unrecoverable reorg beyond finalized block", schema lock waits) and its `/status`.
 * - Recovery: a reorg below Ponder's finalized block makes the data stale; with `autoRecover` (the devnet)
 *   the supervisor stops Ponder, wipes the database and re-indexes from the deployment's start block.
 * - Supervision: a Ponder that exits on its own is restarted (1 s, doubling to 30 s), with a log line and
 *   `civitas_indexer_restarts_total`; `stop()` ends it with SIGTERM (Ponder releases its schema lock).
 * - API replica (with `spawnReplica`, the default on Postgres): one API-only `ponder serve` beside the
 *   indexing process serves every public read (GraphQL, SQL over HTTP, `src/api/` routes), so that indexing
 *   never waits on readers (issue 23); the indexing process keeps `/ready`, `/status`, `/metrics` and
 *   `/metrics/api`. A replica that exits is restarted like Ponder (log line,
 *   `civitas_indexer_replica_restarts_total`); while it is down, reads answer 503 with `Retry-After: 1`
 *   rather than fall back on the indexing process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import {
  Agent,
  type IncomingMessage,
  type ServerResponse,
  createServer,
  request as httpRequest,
} from "node:http";
import { dirname } from "node:path";
import { ChainWatch, type Reorg, rpcBlockReader } from "./chainWatch.ts";
import { CLIENT_HEADER, PROXY_SECRET_HEADER, clientAddress } from "./limits.ts";

/** What the supervisor says about the data served. */
export type IndexerStatus = "starting" | "current" | "stale" | "recovering" | "restarting" | "stopped";

/** One block and its hash, as recorded for the next start's check. */
export interface BlockMark {
  number: string;
  hash: string;
}

/** The blocks the supervisor saw the indexer reach, kept beside the database. */
export interface BlockRecord {
  /** Ponder's finalized block (rows below it are never reverted by Ponder). */
  finalized?: BlockMark;
  /** Ponder's latest indexed block (its checkpoint). */
  indexed?: BlockMark;
}

/** Options of {@link Supervisor}. */
export interface SupervisorOptions {
  /** Chain JSON-RPC (HTTP). */
  rpcUrl: string;
  /** Public port (the proxy). */
  port: number;
  /**
   * Starts Ponder on `internalPort`; returns the child (stdin, stdout and stderr piped: its stdin is how it
   * knows the supervisor is alive, see supervisorChild.ts). `staleLock`: the schema lock left in the
   * database belongs to a Ponder process known to be gone, so it is not waited for.
   */
  spawnPonder(internalPort: number, launch: { staleLock: boolean }): ChildProcess;
  /** Whether the first start finds a stale lock (a previous Ponder known to be gone; default false). */
  staleLockAtStart?: boolean;
  /** Called with each Ponder process id once spawned (run.ts records it beside the database). */
  onSpawn?(pid: number): void;
  /** Picks a free port for Ponder. */
  freePort(): Promise<number>;
  /** Wipes the database (called with Ponder stopped). */
  wipe(): Promise<void>;
  /** Stores the block record (called at most once a second while current). */
  saveRecord(record: BlockRecord): Promise<void>;
  /** Re-index by itself after a reorg Ponder cannot handle (the devnet), instead of only going stale. */
  autoRecover: boolean;
  /**
   * Ponder's finality depth when it starts (blocks): its finalized block is taken as the head minus this
   * until Ponder's log says (the live depth only shows in Ponder's "Finalized block" lines).
   */
  finalityBlocks: number;
  /** Lines of the log (Ponder's and the supervisor's). */
  log(line: string): void;
  /** Indexing counted as stalled when the chain is ahead and the indexed block has not moved for this long. */
  stallMs?: number;
  /** Watch period (default 100 ms). */
  pollMs?: number;
  /**
   * Secret shared with Ponder's API (its CIVITAS_PROXY_SECRET): sent with the client's address in
   * `x-civitas-client`, so that the API's rate limits key on the client, not on the supervisor.
   */
  proxySecret?: string;
  /** A proxy appending `x-forwarded-for` stands in front: its last entry names the client. */
  trustProxy?: boolean;
  /**
   * Largest request body forwarded (CIVITAS_API_MAX_BODY_BYTES): a larger declared body is read and
   * discarded here and answered 413, so Ponder never answers before reading it (which left the client's
   * keep-alive connection broken: the next request failed with ECONNRESET).
   */
  maxBodyBytes?: number;
  /** How long Ponder may take to serve HTTP after it is spawned (default 120 s). */
  startTimeoutMs?: number;
  /**
   * Starts an API-only replica (`ponder serve` on the indexer's schema) on `port`, stdio piped like
   * {@link spawnPonder}. When given, the public port serves reads from it (see the module); undefined: the
   * indexing process serves them (PGlite: one process owns the database).
   */
  spawnReplica?(port: number): ChildProcess;
}

/** Paths the indexing process answers even when an API replica serves the reads. */
const INDEXER_PATHS = new Set(["/ready", "/status", "/metrics", "/metrics/api"]);

/** A replica not serving for this long makes `/health` 503 (a crash loop; a restart takes seconds). */
export const REPLICA_DOWN_UNHEALTHY_MS = 30_000;

/**
 * `/ready` answers 200 only while the last indexed block is at most this many blocks below the chain's head
 * as the supervisor's own RPC (the indexer's) reports it; further behind, it answers 503 with the lag as
 * the reason, even while every row served is still on the chain's branch (`/health` stays 200: lagging is
 * not a fault). A few blocks, so that a devnet mining a block per transaction does not flap it.
 */
export const READY_MAX_LAG_BLOCKS = 3;

/**
 * Connections to Ponder are not reused: Ponder closes an idle one after 5 s, and a request sent on it at that
 * instant would fail ("socket hang up") and be answered 502 (Node >= 19 keeps connections alive by default).
 */
const PONDER_AGENT = new Agent({ keepAlive: false });

/** A body larger than this is not even drained: the connection is closed after the 413. */
const MAX_DRAINED_BYTES = 16 * 1024 * 1024;

const SUPERVISOR = "supervisor";

/** Counters and gauges exported at `/metrics` (Prometheus text). */
class Metrics {
  readonly counters = new Map<string, number>();
  readonly gauges = new Map<string, number>();
  private readonly help = new Map<string, [string, "counter" | "gauge"]>();

  define(name: string, type: "counter" | "gauge", help: string): void {
    this.help.set(name, [help, type]);
  }

  inc(name: string, labels = "", by = 1): void {
    const key = `${name}${labels}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  set(name: string, value: number, labels = ""): void {
    this.gauges.set(`${name}${labels}`, value);
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, [help, type]] of this.help) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      const source = type === "counter" ? this.counters : this.gauges;
      let any = false;
      for (const [key, value] of source) {
        if (key === name || key.startsWith(`${name}{`)) {
          lines.push(`${key} ${value}`);
          any = true;
        }
      }
      if (!any && !name.includes("{")) lines.push(`${name} 0`);
    }
    return `${lines.join("\n")}\n`;
  }
}

/** Runs and watches Ponder; see the module's documentation. */
export class Supervisor {
  status: IndexerStatus = "starting";
  reason = "the indexer is starting";
  indexedBlock: bigint | undefined;
  /** Ponder's finalized block as far as the supervisor knows (its log, or the head at its start - depth). */
  finalizedBlock: bigint | undefined;
  lastReorg: (Reorg & { at: string; handledBy: string }) | undefined;
  readonly metrics = new Metrics();

  private child: ChildProcess | undefined;
  private internalPort = 0;
  private server: ReturnType<typeof createServer> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private recovering = false;
  /** When the running re-index began (Date.now()), until the data is current again. */
  private reindexStartedAt = 0;
  private restartDelayMs = 1_000;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly watch: ChainWatch;
  private lastProgressAt = Date.now();
  private lastStatusOkAt = 0;
  private lastStatusError = "";
  private lastSavedAt = 0;
  private savedFinalized: bigint | undefined;
  private pendingReorgUntil = 0;
  private ponderReady = false;
  private polling = false;
  /** Ponder's own branch: the hashes it added to its local chain (its "Added block" log events). */
  private readonly ponderChain = new Map<bigint, string>();
  /** The last block Ponder committed (hash unknown when it came from the backfill). */
  private ponderIndexed: { number: bigint; hash: string | undefined } | undefined;
  /** A reorg was seen since Ponder started (a backfilled block's hash is then not trusted). */
  private reorgSinceLaunch = false;
  /** The last Ponder did not shut down cleanly: its schema lock is left behind (it is gone). */
  private staleLock = false;
  /** Ponder logged that its shutdown overran (it exits without releasing its lock). */
  private shutdownOverran = false;
  /** Timings of the latest re-index after a deep reorg (ms), once it is current again. */
  lastRecovery:
    | {
        detectedAt: string;
        stopMs: number;
        wipeMs: number;
        launchMs: number;
        syncMs: number;
        totalMs: number;
      }
    | undefined;
  private recoveryPhases: { stopMs: number; wipeMs: number; launchMs: number } | undefined;

  /** The API replica (with `spawnReplica`): its process, port, whether it serves, since when it does not. */
  private replica: ChildProcess | undefined;
  private replicaPort = 0;
  private replicaServing = false;
  private replicaDownSince = Date.now();
  private replicaRestartDelayMs = 1_000;
  private replicaRestartTimer: NodeJS.Timeout | undefined;

  private readonly options: SupervisorOptions;

  constructor(options: SupervisorOptions) {
    this.options = options;
    this.staleLock = options.staleLockAtStart === true;
    this.watch = new ChainWatch(rpcBlockReader(options.rpcUrl));
    const m = this.metrics;
    m.define(
      "civitas_indexer_reorgs_total",
      "counter",
      "Reorgs the supervisor saw on the chain, by who handled them.",
    );
    m.define("civitas_indexer_reorg_depth_blocks", "gauge", "Blocks replaced by the latest reorg.");
    m.define("civitas_indexer_reorg_max_depth_blocks", "gauge", "Deepest reorg seen since start, blocks.");
    m.define(
      "civitas_indexer_ponder_reorged_blocks_total",
      "counter",
      "Reorgs Ponder reverted itself (its 'Reorged block' events).",
    );
    m.define(
      "civitas_indexer_unrecoverable_reorgs_total",
      "counter",
      "Reorgs below Ponder's finalized block (data stale until re-indexed).",
    );
    m.define("civitas_indexer_reindex_total", "counter", "Database wipes followed by a re-index, by reason.");
    m.define(
      "civitas_indexer_reindex_seconds",
      "gauge",
      "Seconds from the start of the latest re-index until the data was current again.",
    );
    m.define(
      "civitas_indexer_restarts_total",
      "counter",
      "Ponder processes restarted by the supervisor, by reason.",
    );
    m.define(
      "civitas_indexer_schema_lock_waits_total",
      "counter",
      "Times Ponder waited on a schema lock held by another process.",
    );
    m.define(
      "civitas_indexer_stale",
      "gauge",
      "1 while the data served is not known to be the chain's (see /indexer/status).",
    );
    m.define("civitas_indexer_stale_total", "counter", "Times the data went stale.");
    m.define("civitas_indexer_up", "gauge", "1 while the Ponder process is running.");
    m.define(
      "civitas_indexer_replica_up",
      "gauge",
      "1 while the API replica serves (0 also when there is none).",
    );
    m.define(
      "civitas_indexer_replica_restarts_total",
      "counter",
      "API replicas (ponder serve) restarted by the supervisor after they exited.",
    );
    m.define("civitas_indexer_indexed_block", "gauge", "Latest block indexed (Ponder's /status).");
    m.define(
      "civitas_indexer_chain_head_block",
      "gauge",
      "Latest block of the chain seen by the supervisor.",
    );
    m.define(
      "civitas_indexer_finalized_block",
      "gauge",
      "Ponder's finalized block as known to the supervisor.",
    );
  }

  /** Logs a supervisor line. */
  private say(text: string): void {
    this.options.log(`${new Date().toISOString()} ${SUPERVISOR}: ${text}\n`);
  }

  private setStatus(status: IndexerStatus, reason: string): void {
    const wasStale = this.status === "stale";
    if (status === "stale" && !wasStale) this.metrics.inc("civitas_indexer_stale_total");
    if (this.status !== status || this.reason !== reason) {
      this.say(`status ${status}: ${reason}`);
    }
    this.status = status;
    this.reason = reason;
    this.metrics.set("civitas_indexer_stale", status === "current" ? 0 : 1);
  }

  /** Starts the proxy, Ponder, the API replica (if any) and the watch; resolves once both answer /health. */
  async start(): Promise<void> {
    await this.watch.poll().catch(() => undefined);
    this.server = createServer((req, res) => void this.handle(req, res));
    // Clients' pools (undici: 4 s) close idle connections before the server does (5 s by default would race).
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.options.port, "127.0.0.1", () => resolve());
    });
    await this.launch();
    this.timer = setInterval(() => void this.tick(), this.options.pollMs ?? 100);
    if (this.options.spawnReplica !== undefined) {
      await this.launchReplica();
      const startTimeoutMs = this.options.startTimeoutMs ?? 120_000;
      const deadline = Date.now() + startTimeoutMs;
      while (!this.replicaServing) {
        if (Date.now() > deadline)
          throw new Error(`the API replica did not serve within ${startTimeoutMs / 1000} s (see the log)`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  }

  /**
   * Spawns the API replica and watches it: `replicaServing` turns true once it answers /health; when it
   * exits (before or after that) it is restarted after 1 s, doubling to 30 s, with a log line.
   */
  private async launchReplica(): Promise<void> {
    const spawnReplica = this.options.spawnReplica;
    if (spawnReplica === undefined || this.stopping) return;
    this.replicaPort = await this.options.freePort();
    const port = this.replicaPort;
    const child = spawnReplica(port);
    this.replica = child;
    let partial = "";
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (Supervisor.keep(line)) this.options.log(`replica: ${line}\n`);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => {
      if (partial !== "") this.options.log(`replica: ${partial}\n`);
      if (this.replica !== child) return;
      this.replica = undefined;
      this.markReplica(false);
      if (this.stopping) return;
      this.metrics.inc("civitas_indexer_replica_restarts_total");
      const delay = this.replicaRestartDelayMs;
      this.replicaRestartDelayMs = Math.min(delay * 2, 30_000);
      this.say(
        `the API replica exited (${code ?? signal}); reads answer 503 until it is restarted in ${delay / 1000} s (see the log above)`,
      );
      this.replicaRestartTimer = setTimeout(() => {
        this.replicaRestartTimer = undefined;
        void this.launchReplica().catch((error: Error) =>
          this.say(`replica restart failed: ${error.message}`),
        );
      }, delay);
    });
    void (async () => {
      while (this.replica === child && !this.stopping) {
        try {
          const answer = await fetch(`http://127.0.0.1:${port}/health`, {
            signal: AbortSignal.timeout(2_000),
          });
          if (answer.ok && this.replica === child) {
            this.markReplica(true);
            this.replicaRestartDelayMs = 1_000;
            this.say(`API replica serves reads (process ${child.pid}, port ${port})`);
            return;
          }
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
  }

  private markReplica(serving: boolean): void {
    if (this.replicaServing && !serving) this.replicaDownSince = Date.now();
    this.replicaServing = serving;
    this.metrics.set("civitas_indexer_replica_up", serving ? 1 : 0);
  }

  /** Spawns Ponder and waits until its HTTP server answers (or it exits). */
  private async launch(): Promise<void> {
    this.internalPort = await this.options.freePort();
    this.ponderReady = false;
    this.indexedBlock = undefined;
    this.finalizedBlock = undefined;
    this.ponderIndexed = undefined;
    this.ponderChain.clear();
    this.reorgSinceLaunch = false;
    this.pendingReorgUntil = 0;
    const headAtStart = this.watch.tip;
    if (headAtStart !== undefined) {
      const f = headAtStart - BigInt(this.options.finalityBlocks);
      this.finalizedBlock = f > 0n ? f : 0n;
    }
    const child = this.options.spawnPonder(this.internalPort, { staleLock: this.staleLock });
    if (this.staleLock) this.say("the previous Ponder process is gone: its schema lock is not waited for");
    this.staleLock = false;
    this.shutdownOverran = false;
    this.child = child;
    if (child.pid !== undefined) this.options.onSpawn?.(child.pid);
    this.metrics.set("civitas_indexer_up", 1);
    let partial = "";
    const onData = (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const lines = text.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (Supervisor.keep(line)) this.options.log(`${line}\n`);
        this.onPonderLine(line);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => {
      if (partial !== "") this.options.log(`${partial}\n`);
      this.metrics.set("civitas_indexer_up", 0);
      // A clean exit (code 0, shutdown within Ponder's 5 s) released the schema lock; any other left it.
      if (code !== 0 || signal !== null || this.shutdownOverran) this.staleLock = true;
      if (this.child !== child) return;
      this.child = undefined;
      if (this.stopping || this.recovering) return;
      // Not ready until the new process says so, even for a watch tick that read the old one's status.
      this.ponderReady = false;
      this.metrics.inc("civitas_indexer_restarts_total", '{reason="exited"}');
      const delay = this.restartDelayMs;
      this.restartDelayMs = Math.min(this.restartDelayMs * 2, 30_000);
      this.setStatus(
        "restarting",
        `the indexer process exited (${code ?? signal}); restarting it in ${delay / 1000} s (see the log above)`,
      );
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.stopping)
          void this.launch().catch((error: Error) => this.say(`restart failed: ${error.message}`));
      }, delay);
    });
    const startTimeoutMs = this.options.startTimeoutMs ?? 120_000;
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (this.child !== child) throw new Error("ponder exited before serving (see the indexer log)");
      try {
        if ((await fetch(`${this.ponderUrl}/health`, { signal: AbortSignal.timeout(2_000) })).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`ponder did not serve within ${startTimeoutMs / 1000} s (see the indexer log)`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    this.lastProgressAt = Date.now();
    if (this.status === "starting" || this.status === "restarting") {
      this.setStatus("starting", "the indexer is catching up with the chain");
    }
  }

  /** The running Ponder process's id (undefined while restarting). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Base URL of Ponder's own server. */
  get ponderUrl(): string {
    return `http://127.0.0.1:${this.internalPort}`;
  }

  /** Whether a line of Ponder's log goes to the log file (DEBUG lines only when about reorgs). */
  private static keep(line: string): boolean {
    return !/^\S+ (DEBUG|TRACE) /.test(line) || /reorg/i.test(line);
  }

  /** Reads one line of Ponder's log for the events the supervisor acts on. */
  private onPonderLine(line: string): void {
    const number = () => {
      const match = /\bnumber=(\d+)/.exec(line);
      return match ? BigInt(match[1]!) : undefined;
    };
    if (line.includes("Added block to local chain")) {
      const n = number();
      const hash = /\bhash=(0x[0-9a-fA-F]{64})/.exec(line)?.[1];
      if (n === undefined || hash === undefined) return;
      for (const key of [...this.ponderChain.keys()]) if (key >= n) this.ponderChain.delete(key);
      this.ponderChain.set(n, hash);
      if (this.ponderChain.size > 10_000) this.ponderChain.delete(this.ponderChain.keys().next().value!);
    } else if (/\bIndexed block chain=/.test(line)) {
      const n = number();
      if (n !== undefined) this.ponderIndexed = { number: n, hash: this.ponderChain.get(n) };
    } else if (
      line.includes("Encountered unrecoverable reorg") ||
      line.includes("reorg beyond finalized block")
    ) {
      if (this.status === "stale" || this.recovering) return;
      this.metrics.inc("civitas_indexer_unrecoverable_reorgs_total");
      this.onDeepReorg("Ponder reported a reorg below its finalized block");
    } else if (line.includes("Reconciled reorg in local chain")) {
      // Ponder's sync dropped the blocks above the common ancestor; the new branch's blocks follow as
      // "Added block" lines, possibly before the indexing side logs "Reorged block" for the same reorg.
      const match = /\bcommon_ancestor_block=(\d+)/.exec(line);
      if (match) {
        const ancestor = BigInt(match[1]!);
        for (const key of [...this.ponderChain.keys()]) if (key > ancestor) this.ponderChain.delete(key);
      }
    } else if (/\bReorged block\b/.test(line)) {
      this.metrics.inc("civitas_indexer_ponder_reorged_blocks_total");
      // Rows above block n are reverted. Its hashes above n are not dropped here: the sync may already
      // have added the new branch's blocks (with Postgres it usually has), and those are the ones to keep.
      const n = number();
      if (n !== undefined) this.ponderIndexed = { number: n, hash: this.ponderChain.get(n) };
    } else if (line.includes("Started returning 200 responses") && line.includes("/ready")) {
      // Ponder's own /ready is not asked: before its metadata row exists it throws and retries the query
      // for about 30 s server-side per request (each poll piled another retry loop onto its database).
      this.ponderReady = true;
    } else if (line.includes("Failed to shutdown within")) {
      this.shutdownOverran = true;
    } else if (line.includes("Schema is locked")) {
      this.metrics.inc("civitas_indexer_schema_lock_waits_total");
      this.say("Ponder waits for the schema lock of a previous process (another indexer on this database?)");
    } else if (line.includes("Started live indexing")) {
      const match = /\bfinalized_block=(\d+)/.exec(line);
      if (match) {
        this.finalizedBlock = BigInt(match[1]!);
        this.ponderIndexed = { number: this.finalizedBlock, hash: undefined };
        this.metrics.set("civitas_indexer_finalized_block", Number(this.finalizedBlock));
        void this.maybeSaveRecord();
      }
    } else if (/\bFinalized block\b/.test(line)) {
      const n = number();
      if (n !== undefined) {
        this.finalizedBlock = n;
        this.metrics.set("civitas_indexer_finalized_block", Number(n));
        void this.maybeSaveRecord();
      }
    }
  }

  /** Data below Ponder's finalized block changed: go stale, and re-index when allowed. */
  private onDeepReorg(why: string): void {
    if (this.options.autoRecover) {
      this.setStatus("recovering", `${why}: re-indexing from the deployment's start block`);
      void this.recover(why);
    } else {
      this.setStatus(
        "stale",
        `${why}: the data may include blocks that are no longer the chain's. Restart the indexer ` +
          "(npm run indexer); it checks its stored blocks against the chain and re-indexes what changed",
      );
    }
  }

  /** Stops Ponder, wipes the database, starts Ponder again. */
  private async recover(why: string): Promise<void> {
    if (this.recovering) return;
    this.recovering = true;
    const started = Date.now();
    this.reindexStartedAt = started;
    try {
      this.metrics.inc("civitas_indexer_reindex_total", '{reason="deep_reorg"}');
      // Its data is about to be wiped: no clean shutdown to wait for.
      await this.stopChild("SIGKILL");
      const stopped = Date.now();
      await this.options.wipe();
      const wiped = Date.now();
      this.say(`database wiped (${why}); re-indexing`);
      this.metrics.inc("civitas_indexer_restarts_total", '{reason="deep_reorg"}');
      await this.launch();
      this.recoveryPhases = {
        stopMs: stopped - started,
        wipeMs: wiped - stopped,
        launchMs: Date.now() - wiped,
      };
      this.setStatus("recovering", "re-indexing after a reorg below the finalized block");
      this.say(
        `Ponder restarted in ${Date.now() - started} ms (stop ${stopped - started} ms, wipe ${wiped - stopped} ms, ` +
          `start until it serves ${Date.now() - wiped} ms); it re-indexes from the deployment's start block`,
      );
    } catch (error) {
      this.setStatus("stale", `re-index failed: ${(error as Error).message}; restart the indexer`);
    } finally {
      this.recovering = false;
    }
  }

  /** One watch step: the chain's head, Ponder's /status, the verdict. */
  private async tick(): Promise<void> {
    if (this.polling || this.stopping) return;
    this.polling = true;
    try {
      let reorg: Reorg | undefined;
      try {
        reorg = await this.watch.poll();
      } catch (error) {
        this.lastStatusError = `chain RPC: ${(error as Error).message}`;
      }
      const head = this.watch.tip;
      if (head !== undefined) this.metrics.set("civitas_indexer_chain_head_block", Number(head));
      if (reorg !== undefined) this.onReorg(reorg);
      if (this.recovering || this.child === undefined) return;
      await this.readPonderStatus();
      this.judge(head);
    } finally {
      this.polling = false;
    }
  }

  private onReorg(reorg: Reorg): void {
    const finalized = this.finalizedBlock;
    const deep = finalized !== undefined && reorg.forkBlock < finalized;
    const handledBy = deep ? (this.options.autoRecover ? "reindex" : "none") : "ponder";
    this.lastReorg = { ...reorg, at: new Date().toISOString(), handledBy };
    this.reorgSinceLaunch = true;
    this.metrics.inc("civitas_indexer_reorgs_total", `{handled_by="${handledBy}"}`);
    this.metrics.set("civitas_indexer_reorg_depth_blocks", Number(reorg.depth));
    const max = this.metrics.gauges.get("civitas_indexer_reorg_max_depth_blocks") ?? 0;
    this.metrics.set("civitas_indexer_reorg_max_depth_blocks", Math.max(max, Number(reorg.depth)));
    this.say(
      `reorg: ${reorg.depth} block(s) above block ${reorg.forkBlock} replaced (old tip ${reorg.oldTip}, new tip ` +
        `${reorg.newTip}); Ponder's finalized block ${finalized ?? "unknown"}: ` +
        (deep ? "below it, Ponder cannot revert it" : "above it, Ponder reverts and re-indexes"),
    );
    // Ponder must follow within a minute, or it is treated as unable to.
    if (!deep && !this.recovering) this.pendingReorgUntil = Date.now() + 60_000;
    if (this.status === "current")
      this.setStatus("starting", `following a reorg at block ${reorg.forkBlock}`);
    if (deep && this.status !== "stale" && !this.recovering) {
      this.metrics.inc("civitas_indexer_unrecoverable_reorgs_total");
      this.onDeepReorg(
        `a reorg replaced blocks from ${reorg.forkBlock + 1n}, below Ponder's finalized block ${finalized}`,
      );
    }
  }

  private async readPonderStatus(): Promise<void> {
    try {
      const response = await fetch(`${this.ponderUrl}/status`, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) throw new Error(`/status answered ${response.status}`);
      const body = (await response.json()) as Record<string, { block?: { number: number } }>;
      const block = Object.values(body)[0]?.block?.number;
      if (block !== undefined) {
        const n = BigInt(block);
        if (n !== this.indexedBlock) this.lastProgressAt = Date.now();
        this.indexedBlock = n;
        this.metrics.set("civitas_indexer_indexed_block", block);
      }
      this.lastStatusOkAt = Date.now();
      this.lastStatusError = "";
    } catch (error) {
      this.lastStatusError = `indexer database or server: ${(error as Error).message}`;
    }
  }

  /**
   * Decides the status from what was just read: current when Ponder's last committed block is the chain's
   * head, by hash (so every row indexed is on the chain's branch).
   */
  private judge(head: bigint | undefined): void {
    if (this.status === "stale" || this.status === "stopped" || this.recovering) return;
    const indexed = this.ponderIndexed;
    if (!this.ponderReady || indexed === undefined || head === undefined) return;
    const chainHash = this.watch.hashAt(indexed.number);
    const onChain =
      indexed.hash !== undefined
        ? indexed.hash === chainHash
        : !this.reorgSinceLaunch && chainHash !== undefined;
    if (indexed.number >= head && onChain) {
      this.pendingReorgUntil = 0;
      this.restartDelayMs = 1_000;
      if (this.status !== "current") this.setStatus("current", "indexed up to the chain's head");
      if (this.reindexStartedAt !== 0) {
        const seconds = (Date.now() - this.reindexStartedAt) / 1000;
        const phases = this.recoveryPhases;
        if (phases !== undefined) {
          const before = phases.stopMs + phases.wipeMs + phases.launchMs;
          this.lastRecovery = {
            detectedAt: new Date(this.reindexStartedAt).toISOString(),
            ...phases,
            syncMs: Math.max(0, Date.now() - this.reindexStartedAt - before),
            totalMs: Date.now() - this.reindexStartedAt,
          };
          this.recoveryPhases = undefined;
        }
        this.reindexStartedAt = 0;
        this.metrics.set("civitas_indexer_reindex_seconds", seconds);
        this.say(`re-indexed: current again ${seconds.toFixed(1)} s after the re-index began`);
      }
      void this.maybeSaveRecord(indexed.number);
      return;
    }
    if (this.status === "current") {
      // The head moved on: still current while Ponder follows it without a reorg in between.
      if (!onChain)
        this.setStatus(
          "starting",
          `following the chain (indexed block ${indexed.number} is not the chain's)`,
        );
    }
    if (this.pendingReorgUntil !== 0 && Date.now() > this.pendingReorgUntil) {
      this.pendingReorgUntil = 0;
      this.onDeepReorg(
        `the indexer did not follow a reorg within 60 s (indexed ${indexed.number}, chain ${head})`,
      );
    }
  }

  /**
   * Records Ponder's finalized block and, while current, its indexed block, with their hashes: at once when
   * the finalized block moved, otherwise at most once a second. `indexed` is given only while current (so
   * its hash is the one Ponder indexed); the finalized block is recorded whenever Ponder moves it (its log
   * line, {@link onPonderLine}), also while it catches up, so that a run stopped then leaves no record below
   * the rows it finalized.
   */
  private async maybeSaveRecord(indexed?: bigint): Promise<void> {
    // Stale or re-indexing: the rows may be another branch's than the hashes the watch holds now.
    if (this.status === "stale" || this.status === "stopped" || this.recovering) return;
    const finalized = this.finalizedBlock;
    const moved = finalized !== this.savedFinalized;
    if (!moved && (indexed === undefined || Date.now() - this.lastSavedAt < 1_000)) return;
    const record: BlockRecord = {};
    const indexedHash = indexed === undefined ? undefined : this.watch.hashAt(indexed);
    if (indexed !== undefined && indexedHash !== undefined)
      record.indexed = { number: indexed.toString(), hash: indexedHash };
    const finalizedHash = finalized === undefined ? undefined : this.watch.hashAt(finalized);
    if (finalized !== undefined && finalizedHash !== undefined)
      record.finalized = { number: finalized.toString(), hash: finalizedHash };
    // A save of the finalized block alone neither delays the next save while current nor counts when the
    // watch does not know its hash (a block from before the supervisor's first look at the chain).
    if (indexed !== undefined) {
      this.savedFinalized = finalized;
      this.lastSavedAt = Date.now();
    } else if (record.finalized !== undefined) this.savedFinalized = finalized;
    if (record.indexed === undefined && record.finalized === undefined) return;
    await this.options
      .saveRecord(record)
      .catch((error: Error) => this.say(`cannot save the block record: ${error.message}`));
  }

  /** The verdict as JSON (`/indexer/status`, and the reason of failing /health and /ready). */
  verdict() {
    // The head the chain claims, even when the watch cannot follow its branch (Ponder may be stuck there too).
    const chainHead = this.watch.head;
    const stalled =
      this.child !== undefined &&
      this.indexedBlock !== undefined &&
      chainHead !== undefined &&
      this.indexedBlock < chainHead &&
      Date.now() - this.lastProgressAt > (this.options.stallMs ?? 60_000);
    const dbDown =
      this.child !== undefined && this.lastStatusOkAt > 0 && Date.now() - this.lastStatusOkAt > 10_000;
    let healthy = this.status !== "stale" && this.status !== "stopped" && this.child !== undefined;
    let reason = this.reason;
    if (healthy && stalled) {
      healthy = false;
      reason = `indexing stalled at block ${this.indexedBlock} (chain at ${chainHead}) for ${Math.round((Date.now() - this.lastProgressAt) / 1000)} s`;
    } else if (healthy && dbDown) {
      healthy = false;
      reason = this.lastStatusError || "the indexer's database does not answer";
    } else if (
      healthy &&
      this.options.spawnReplica !== undefined &&
      !this.replicaServing &&
      Date.now() - this.replicaDownSince > REPLICA_DOWN_UNHEALTHY_MS
    ) {
      healthy = false;
      reason = `the API replica has not served reads for ${Math.round((Date.now() - this.replicaDownSince) / 1000)} s (see the log)`;
    }
    const indexed = this.ponderIndexed?.number ?? this.indexedBlock;
    const tip = chainHead;
    const lag = indexed !== undefined && tip !== undefined && tip > indexed ? tip - indexed : 0n;
    let current = this.status === "current" && healthy;
    if (current && lag > BigInt(READY_MAX_LAG_BLOCKS)) {
      current = false;
      reason = `indexed block ${indexed} is ${lag} blocks behind the chain's head ${tip} (ready within ${READY_MAX_LAG_BLOCKS})`;
    }
    return {
      status: this.status,
      healthy,
      current,
      /** Blocks between the chain's head and the last indexed block. */
      lagBlocks: Number(lag),
      reason,
      indexedBlock: (this.ponderIndexed?.number ?? this.indexedBlock)?.toString() ?? null,
      chainHead: chainHead?.toString() ?? null,
      finalizedBlock: this.finalizedBlock?.toString() ?? null,
      lastRecovery: this.lastRecovery ?? null,
      /** The Ponder process's id (null while it restarts). */
      pid: this.child?.pid ?? null,
      /** The API replica serving reads: its process id and whether it serves (null: none, PGlite). */
      replica:
        this.options.spawnReplica === undefined
          ? null
          : { pid: this.replica?.pid ?? null, serving: this.replicaServing },
      lastReorg: this.lastReorg
        ? {
            ...this.lastReorg,
            forkBlock: this.lastReorg.forkBlock.toString(),
            oldTip: this.lastReorg.oldTip.toString(),
            newTip: this.lastReorg.newTip.toString(),
            depth: this.lastReorg.depth.toString(),
          }
        : null,
    };
  }

  /** Serves one public request. */
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0]!;
    const verdict = this.verdict();
    const headers = { "x-civitas-indexer-status": verdict.status };
    const sendJson = (code: number, value: unknown) => {
      res.writeHead(code, { ...headers, "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (path === "/indexer/status") return sendJson(200, verdict);
    if (path === "/health") {
      if (!verdict.healthy) return sendJson(503, { status: verdict.status, reason: verdict.reason });
      return sendJson(200, { status: verdict.status });
    }
    if (path === "/ready" && !verdict.current) {
      return sendJson(503, { status: verdict.status, reason: verdict.reason });
    }
    if (this.child === undefined || this.recovering) {
      return sendJson(503, { error: `indexer ${verdict.status}: ${verdict.reason}`, status: verdict.status });
    }
    const isGraphql = path === "/graphql" || path === "/";
    const isData =
      isGraphql || path.startsWith("/sql/") || path.startsWith("/economy") || path.startsWith("/proposals");
    if (isData && (verdict.status === "stale" || verdict.status === "recovering")) {
      if (isGraphql) {
        return sendJson(503, {
          errors: [{ message: `indexer stale: ${verdict.reason}`, extensions: { code: "INDEXER_STALE" } }],
          extensions: { indexer: verdict },
        });
      }
      return sendJson(503, { error: `indexer stale: ${verdict.reason}`, status: verdict.status });
    }
    // Reads go to the API replica when there is one; the indexing process keeps what only it can answer.
    const viaReplica = this.options.spawnReplica !== undefined && !INDEXER_PATHS.has(path);
    if (viaReplica && !this.replicaServing) {
      res.setHeader("retry-after", "1");
      const error = "the API replica is restarting; retry";
      return sendJson(503, isGraphql ? { errors: [{ message: error }] } : { error, status: verdict.status });
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    const maxBody = this.options.maxBodyBytes;
    if (maxBody !== undefined && declared > maxBody) {
      const message = `request body of ${declared} bytes is above the limit of ${maxBody}`;
      const answer = () =>
        sendJson(413, isGraphql ? { errors: [{ message }] } : { error: message, status: verdict.status });
      if (declared > MAX_DRAINED_BYTES) {
        res.setHeader("connection", "close");
        answer();
        req.destroy();
        return;
      }
      req.on("end", answer);
      req.on("error", () => res.destroy());
      req.resume();
      return;
    }
    const forwardHeaders = { ...req.headers };
    delete forwardHeaders["accept-encoding"];
    const remote = req.socket.remoteAddress ?? "";
    const client = clientAddress(
      { get: (name) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : null) },
      remote,
      this.options.trustProxy === true,
      undefined,
    );
    forwardHeaders["x-forwarded-for"] = forwardHeaders["x-forwarded-for"]
      ? `${forwardHeaders["x-forwarded-for"]}, ${remote}`
      : remote;
    delete forwardHeaders[CLIENT_HEADER];
    delete forwardHeaders[PROXY_SECRET_HEADER];
    if (this.options.proxySecret !== undefined) {
      forwardHeaders[CLIENT_HEADER] = client;
      forwardHeaders[PROXY_SECRET_HEADER] = this.options.proxySecret;
    }
    let answered = false;
    const upstream = httpRequest(
      {
        host: "127.0.0.1",
        port: viaReplica ? this.replicaPort : this.internalPort,
        agent: PONDER_AGENT,
        method: req.method,
        path: req.url,
        headers: forwardHeaders,
      },
      (answer) => {
        answered = true;
        answer.on("aborted", () => {
          if (!res.headersSent) sendJson(502, { error: "indexer closed the answer early" });
          else res.destroy();
        });
        const type = String(answer.headers["content-type"] ?? "");
        const outHeaders = { ...answer.headers, ...headers };
        if ((isGraphql && type.includes("json")) || path === "/metrics") {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            let body = Buffer.concat(chunks).toString();
            if (path === "/metrics") body = `${body.replace(/\n*$/, "\n")}${this.metrics.render()}`;
            else if (body.startsWith("{")) {
              const extension = JSON.stringify({
                status: verdict.status,
                current: verdict.current,
                reason: verdict.reason,
                indexedBlock: verdict.indexedBlock,
                chainHead: verdict.chainHead,
              });
              body = body.includes('"extensions":')
                ? body
                : `{"extensions":{"indexer":${extension}},${body.slice(1)}`.replace(/,}$/, "}");
            }
            delete outHeaders["content-length"];
            res.writeHead(answer.statusCode ?? 502, outHeaders);
            res.end(body);
          });
          answer.on("error", (error) => {
            if (!res.headersSent) sendJson(502, { error: `indexer not answering: ${error.message}` });
            else res.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, outHeaders);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (answered) return; // the answer's own events finish it (or destroy it)
      if (!res.headersSent) sendJson(502, { error: `indexer not answering: ${error.message}` });
      else res.destroy();
    });
    // A client that hangs up stops the query upstream.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  /** Ends Ponder with `signal` (see {@link endProcess}). */
  private async stopChild(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    await endProcess(child, signal);
    this.child = undefined;
  }

  /** SIGTERM to the API replica (see {@link endProcess}); waits for its exit. */
  private async stopReplica(): Promise<void> {
    if (this.replica !== undefined) await endProcess(this.replica, "SIGTERM");
  }

  /** Stops everything: the watch, the API replica, Ponder (cleanly: its schema lock is released), the proxy. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.replicaRestartTimer) clearTimeout(this.replicaRestartTimer);
    await Promise.all([this.stopReplica(), this.stopChild()]);
    this.status = "stopped";
    this.reason = "stopped";
    await new Promise<void>((resolve) => {
      if (this.server === undefined) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/**
 * `signal` to a child process (SIGTERM: to the process only, so that it shuts down in order — Ponder's
 * esbuild helper stays up until Ponder is done — then SIGKILL to its group after 10 s); waits for its exit,
 * then clears what is left of its process group (it was spawned detached, as its group's leader).
 */
async function endProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  try {
    if (signal === "SIGKILL") killGroup();
    else process.kill(child.pid, signal);
  } catch {
    // already gone
  }
  const timer = setTimeout(killGroup, 10_000);
  await gone;
  clearTimeout(timer);
  killGroup();
}

/** A log sink that appends to a file (creating its folder) and forwards to `also`. */
export function fileLog(path: string, also?: (line: string) => void): (line: string) => void {
  mkdirSync(dirname(path), { recursive: true });
  return (line) => {
    appendFileSync(path, line);
    also?.(line);
  };
}
