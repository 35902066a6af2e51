/**
 * Jobs from outsiders (clients that are not simulated agents, e.g. a newcomer's key in live mode), bounded:
 * without a bound one person with a thousand wallets could offer a simulated worker thousands of jobs, and
 * it would agree to every one (one transaction each) and every phase would read them all, and an arbitrator
 * named by them would lock its whole balance in bonds.
 *
 * Each simulated agent takes at most {@link MAX_OPEN_OUTSIDER_JOBS} open outsider jobs at a time, whatever
 * the number of outsider wallets. A job offered to it beyond that is declined for good: the simulation never
 * reads it again (nothing is lost: an unfunded job holds no CIV, and its client may cancel it and offer it
 * again later). Escrows with no simulated party are none of the simulation's business and never read again
 * either, so the phase's reads grow with the simulation's own jobs, not with an outsider's spam.
 */
import type { Address } from "viem";
import { SETTLED_ESCROW_STATES } from "../lib/vocabulary.ts";
import type { EscrowView } from "./model.ts";

/** Open outsider jobs one simulated agent takes at a time (as provider or as arbitrator). */
export const MAX_OPEN_OUTSIDER_JOBS = 3;

/**
 * Whether a simulated party is committed to an outsider's job: as provider once it agreed, as arbitrator
 * once it accepted, until the job settles (or, before funding, until its delivery deadline passes, after
 * which anyone may cancel it).
 */
function committed(e: EscrowView, party: Address, now: bigint): boolean {
  if (e.state === "Cancelled" || SETTLED_ESCROW_STATES.includes(e.state)) return false;
  const waiting = e.provider === party ? ["Created"] : ["Created", "Agreed"];
  if (waiting.includes(e.state)) return false;
  const unfunded = e.state === "Agreed" || e.state === "Accepted";
  return !unfunded || e.deliveryDeadline >= now;
}

/**
 * Filters a phase's escrows: drops those with no simulated party and the outsider jobs offered to a
 * simulated agent already at {@link MAX_OPEN_OUTSIDER_JOBS}, adding their ids to `ignored` (never read
 * again). Jobs whose client is a simulated agent are kept as they are.
 * @param escrows The phase's open escrows, by id.
 * @param simulated Addresses of the simulated agents.
 * @param now Block timestamp of the phase, seconds.
 * @param ignored Receives the ids to ignore from now on (the run's `finalEscrows`).
 * @returns The escrows the simulated agents see.
 */
export function boundOutsiderJobs(
  escrows: readonly EscrowView[],
  simulated: ReadonlySet<Address>,
  now: bigint,
  ignored: Set<bigint>,
): EscrowView[] {
  const outsider = (e: EscrowView) => !simulated.has(e.client);
  const taken = new Map<Address, number>();
  for (const e of escrows.filter(outsider))
    for (const party of [e.provider, e.arbitrator])
      if (simulated.has(party) && committed(e, party, now)) taken.set(party, (taken.get(party) ?? 0) + 1);

  const kept: EscrowView[] = [];
  for (const e of escrows) {
    const parties = [e.client, e.provider, e.arbitrator].filter((a) => simulated.has(a));
    if (parties.length === 0) {
      ignored.add(e.id);
      continue;
    }
    if (outsider(e)) {
      // The party this job waits on: the provider to agree, then the arbitrator to accept.
      const asked = e.state === "Created" ? e.provider : e.state === "Agreed" ? e.arbitrator : undefined;
      if (asked !== undefined && simulated.has(asked)) {
        const count = taken.get(asked) ?? 0;
        if (count >= MAX_OPEN_OUTSIDER_JOBS) {
          ignored.add(e.id);
          continue;
        }
        taken.set(asked, count + 1);
      }
    }
    kept.push(e);
  }
  return kept;
}
