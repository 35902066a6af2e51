/**
 * The auditor's engine: after every indexed event ({@link audit}, called by `on` in indexer/lib/handler.ts,
 * once the event's own handler has updated the tables), each rule that listens to the event evaluates it
 * and may raise one flag. A flag's id is `keccak256(abi.encode(rule, transactionHash, logIndex))` of the
 * raising event (`AuditorRegistry.flagIdOf`), so that auditors' verdicts on chain name the same flag.
 * Rules keep their running state (windows of recent events) in `audit_state`, JSON by key.
 */
import { account, auditState, flag, flagAccount, flagEvent } from "ponder:schema";
import type { Db, EventInfo } from "../lib/store.ts";
import { AUDIT_CONFIG, type AuditConfig, type Severity } from "./config.ts";
import { flagIdOf } from "./flagId.ts";
import { RULES } from "./rules/index.ts";

export { flagIdOf };

/** An indexed event as a rule sees it: Ponder's event with its decoded arguments. */
export type AuditEvent = EventInfo & { args: Record<string, unknown> };

/** What a rule raises: the flag's severity, a one-line summary, the accounts and transactions it names. */
export interface Raised {
  severity: Severity;
  summary: string;
  accounts: readonly string[];
  /** The transactions whose events raised it, oldest first (the raising event's transaction last). */
  transactionHashes: readonly `0x${string}`[];
}

/** What a rule is given: the database (after the event's handler ran), the event, and its state. */
export interface RuleContext {
  db: Db;
  /** The event's name, `"<Contract>:<Event>"`. */
  name: string;
  event: AuditEvent;
  config: AuditConfig;
  /** Block time of the event, seconds. */
  now: number;
  /** Reads the rule's state under `key` (`init` when absent). */
  load<T>(key: string, init: T): Promise<T>;
  /** Writes the rule's state under `key`. */
  save(key: string, value: unknown): Promise<void>;
}

/** One rule: a name (used in flag ids), what it checks, the events it listens to, and its evaluation. */
export interface Rule {
  readonly name: keyof AuditConfig;
  readonly description: string;
  readonly events: readonly string[];
  evaluate(context: RuleContext): Promise<Raised | undefined>;
}

const byEvent = new Map<string, Rule[]>();
for (const rule of RULES) {
  for (const name of rule.events) byEvent.set(name, [...(byEvent.get(name) ?? []), rule]);
}

const json = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v))) as unknown;

/**
 * The rules' view of the database for one event: an account row is looked up once however many rules ask
 * for it (a transfer's three rules ask for each party's row up to 4 times). Safe because the rules run
 * after the event's handler and write only `audit_state` (through `save`) and the flag tables.
 */
function readingAccountsOnce(db: Db): Db {
  const accounts = new Map<string, ReturnType<Db["find"]>>();
  const find = ((table: unknown, key: { address?: string }) => {
    if (table !== account || key.address === undefined) return db.find(table as never, key as never);
    let row = accounts.get(key.address);
    if (row === undefined)
      accounts.set(key.address, (row = db.find(account, { address: key.address as `0x${string}` })));
    return row;
  }) as Db["find"];
  return Object.assign(Object.create(db) as Db, { find });
}

/** Runs every rule listening to `name` on the event and records the flags they raise. */
export async function audit(db: Db, name: string, event: EventInfo): Promise<void> {
  const rules = byEvent.get(name);
  if (rules === undefined) return;
  const context: RuleContext = {
    db: rules.length > 1 ? readingAccountsOnce(db) : db,
    name,
    event: event as AuditEvent,
    config: AUDIT_CONFIG,
    now: Number(event.block.timestamp),
    async load<T>(key: string, init: T): Promise<T> {
      const row = await db.find(auditState, { id: key });
      return row === null ? init : (row.value as T);
    },
    async save(key: string, value: unknown): Promise<void> {
      await db
        .insert(auditState)
        .values({ id: key, value: json(value) })
        .onConflictDoUpdate({ value: json(value) });
    },
  };
  for (const rule of rules) {
    const raised = await rule.evaluate(context);
    if (raised !== undefined) await record(db, rule.name, event, raised);
  }
}

async function record(db: Db, rule: string, event: EventInfo, raised: Raised): Promise<void> {
  const id = flagIdOf(rule, event.transaction.hash, event.log.logIndex);
  const accounts = [...new Set(raised.accounts.map((a) => a.toLowerCase() as `0x${string}`))];
  const transactionHashes = [...new Set([...raised.transactionHashes, event.transaction.hash])];
  await db.insert(flag).values({
    id,
    rule,
    severity: raised.severity,
    summary: raised.summary,
    accounts,
    transactionHashes,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
    verdict: "none",
    reviews: 0,
  });
  for (const account of accounts) {
    await db.insert(flagAccount).values({
      flagId: id,
      account,
      rule,
      severity: raised.severity,
      timestamp: event.block.timestamp,
    });
  }
  for (const [position, transactionHash] of transactionHashes.entries()) {
    await db.insert(flagEvent).values({ flagId: id, position, transactionHash });
  }
}
