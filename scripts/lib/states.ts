/**
 * Names of the protocol's enums, by numeric value, for display and reports. Importing this module has no
 * side effects.
 */

/** Escrow states (IEscrow.State). */
export const ESCROW_STATES = [
  "None",
  "Created",
  "Agreed",
  "Accepted",
  "Funded",
  "Submitted",
  "Disputed",
  "Cancelled",
  "Refunded",
  "Completed",
  "Ruled",
  "NoShowResolved",
] as const;
export type EscrowState = (typeof ESCROW_STATES)[number];

/** Escrow states after which parties may rate each other. */
export const SETTLED_STATES: readonly EscrowState[] = ["Refunded", "Completed", "Ruled", "NoShowResolved"];

/** Agent statuses (IAgentRegistry.AgentStatus). */
export const AGENT_STATUSES = ["None", "Active", "Starved", "Suspended", "SuspendedAndStarved"] as const;

/** Birth-grant outcomes (IAgentRegistry.GrantOutcome). */
export const GRANT_OUTCOMES = ["Paid", "AlreadyGranted", "BudgetExhausted", "Disabled"] as const;
