/**
 * Extensions of the simulation that act outside the rule-based phases: the LLM policy
 * (scripts/sim/llm-policy.ts) and information trading (scripts/sim/information.ts). The engine calls
 * {@link startHooks} once after setup and {@link runDayHooks} once a day after the phases; both run with
 * automine on, so that tools and x402 sellers can wait for their receipts as they would on a live chain.
 * Importing this module has no side effects.
 */
import { setAutomine } from "../lib/devchain.ts";
import type { SimulationRun } from "./engine.ts";
import type { Agent, WorldView } from "./model.ts";

/** One extension of the simulation. */
export interface SimulationHook {
  /** Its name: the key of its summary in the run's result. */
  readonly name: string;
  /** Whether this extension drives `agent` (the rule-based policies then leave it alone). */
  drives?(agent: Agent): boolean;
  /** Called once, after setup (agents registered and funded). */
  start?(run: SimulationRun): Promise<void>;
  /** Called once a simulated day, after the rule-based phases, with the world as it then stands. */
  day(run: SimulationRun, world: WorldView): Promise<void>;
  /** What it did, JSON-able (bigints allowed), for the run's result and report. */
  summary(): Record<string, unknown>;
}

/** Whether any hook drives `agent` (it then gets no rule-based intents). */
export const drivenByHook = (hooks: readonly SimulationHook[], agent: Agent): boolean =>
  hooks.some((hook) => hook.drives?.(agent) ?? false);

/** Runs `step` with automine on (transactions mined as they are sent), then turns it off again. */
async function automined(run: SimulationRun, step: () => Promise<void>): Promise<void> {
  await setAutomine(run.client, true);
  try {
    await step();
  } finally {
    await setAutomine(run.client, false);
  }
}

/** Starts every hook, in order, with automine on. */
export async function startHooks(run: SimulationRun, hooks: readonly SimulationHook[]): Promise<void> {
  if (hooks.length === 0) return;
  await automined(run, async () => {
    for (const hook of hooks) await hook.start?.(run);
  });
}

/**
 * Lives one day of every hook, in order, with automine on.
 * @param readWorld Reads the world as it stands (called once, only when there are hooks).
 */
export async function runDayHooks(
  run: SimulationRun,
  hooks: readonly SimulationHook[],
  readWorld: () => Promise<WorldView>,
): Promise<void> {
  if (hooks.length === 0) return;
  const world = await readWorld();
  await automined(run, async () => {
    for (const hook of hooks) await hook.day(run, world);
  });
}

/** Every hook's summary, by name. */
export const hookSummaries = (hooks: readonly SimulationHook[]): Record<string, Record<string, unknown>> =>
  Object.fromEntries(hooks.map((hook) => [hook.name, hook.summary()]));
