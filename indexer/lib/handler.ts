/**
 * The one way the handler files register indexing functions: {@link on} is `ponder.on` that first rolls
 * the economy day ({@link rollDay}), so that no handler can forget it and every day is closed with the
 * distribution as it stood before the first event of the next day changed anything.
 */
import { type Event, type EventNames, ponder } from "ponder:registry";
import { beginEvent, type Db, type EventInfo, recordParameter, rollDay } from "./store.ts";
import { audit } from "../audit/engine.ts";

/** `ponder.on`, forgetting the previous event's token state and rolling the economy day before the handler runs. */
export const on = ((
  name: string,
  handler: (args: { event: EventInfo; context: { db: unknown } }) => unknown,
) =>
  (ponder.on as (n: string, h: (args: never) => Promise<void>) => void)(
    name,
    async (args: { event: EventInfo; context: { db: Parameters<typeof rollDay>[0] } }) => {
      beginEvent();
      await rollDay(args.context.db, args.event);
      await handler(args);
      // The auditor's rules see every event after its handler (issue 15, docs/auditor.md).
      await audit(args.context.db, name, args.event);
    },
  )) as unknown as typeof ponder.on;

/**
 * Registers the handler of a governance setting's event (old and new value): records the change in
 * `parameter_change` and, when given, applies the new value to its state row. Every parameter event is
 * one call of this factory.
 * @param name The event, e.g. `"Escrow:ProtocolFeeBpsUpdated"`.
 * @param contract The contract's name in `parameter_change.contract`.
 * @param parameter The setting's name in `parameter_change.name`.
 * @param values Its old and new value from the event's arguments.
 * @param apply Writes the new value to its state row (after the day has rolled, before the record).
 */
export function onParameter<N extends EventNames>(
  name: N,
  contract: string,
  parameter: string,
  values: (args: Event<N>["args"]) => readonly [unknown, unknown],
  apply?: (db: Db, event: Event<N>, newValue: unknown) => Promise<unknown>,
): void {
  (on as unknown as (n: N, h: (args: { event: Event<N>; context: { db: Db } }) => Promise<void>) => void)(
    name,
    async ({ event, context }) => {
      const [oldValue, newValue] = values(event.args as Event<N>["args"]);
      if (apply !== undefined) await apply(context.db, event, newValue);
      await recordParameter(
        context.db,
        event as unknown as EventInfo,
        contract,
        parameter,
        oldValue,
        newValue,
      );
    },
  );
}
