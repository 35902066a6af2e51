/**
 * The protocol's vocabulary for TypeScript: enum names (the Solidity spelling and the indexer's
 * snake_case), the contracts' public constants and the deployment defaults, all generated from the
 * compiler's output and the Ignition modules by `npm run build` (generated/vocabulary.ts), plus the few
 * contract formulas TypeScript needs, written once here. The indexer, the CLI, the simulation and the
 * tests import from this module; nothing else writes a state list, a constant or one of these formulas.
 * Importing it has no side effects.
 */
import {
  AgentStatusKeys,
  AgentStatusNames,
  BilateralAgreementStateKeys,
  BilateralAgreementStateNames,
  CONSTANTS,
  DEFAULTS,
  DenialReasonKeys,
  DenialReasonNames,
  EscrowStateKeys,
  EscrowStateNames,
  FeeStatusKeys,
  FeeStatusNames,
  GrantOutcomeKeys,
  GrantOutcomeNames,
  ProposalStateKeys,
  ProposalStateNames,
  RewardOutcomeKeys,
  RewardOutcomeNames,
  VerdictKeys,
  VerdictNames,
  EntryKindKeys,
  EntryKindNames,
  DrawOutcomeKeys,
  DrawOutcomeNames,
  TaskStateKeys,
  TaskStateNames,
  PoolStateKeys,
  PoolStateNames,
  WorkKindKeys,
  WorkKindNames,
} from "../../generated/vocabulary.ts";

export { CONSTANTS, DEFAULTS };

/** One Solidity enum in both spellings, by numeric value. */
export interface ProtocolEnum<Name extends string, Key extends string> {
  /** Solidity member names, index = value (`NoShowResolved`). */
  readonly names: readonly Name[];
  /** snake_case keys, index = value (`no_show_resolved`): the indexer's spelling. */
  readonly keys: readonly [Key, ...Key[]];
  /** Numeric values by Solidity name (`EscrowState.value.Funded`). */
  readonly value: Readonly<Record<Name, number>>;
  /** The Solidity name of a value (throws on a value the contract does not define). */
  nameOf(value: number | bigint): Name;
  /** The snake_case key of a value (throws on a value the contract does not define). */
  keyOf(value: number | bigint): Key;
  /** The numeric value of a Solidity name or a snake_case key. */
  valueOf(nameOrKey: Name | Key): number;
  /** The Solidity name of a snake_case key. */
  nameOfKey(key: string): Name;
}

function protocolEnum<const Name extends string, const Key extends string>(
  label: string,
  names: readonly Name[],
  keys: readonly [Key, ...Key[]],
): ProtocolEnum<Name, Key> {
  const check = (value: number | bigint) => {
    const i = Number(value);
    if (!Number.isInteger(i) || i < 0 || i >= names.length) throw new Error(`${label} has no value ${value}`);
    return i;
  };
  return {
    names,
    keys,
    value: Object.fromEntries(names.map((name, i) => [name, i])) as Record<Name, number>,
    nameOf: (value) => names[check(value)],
    keyOf: (value) => keys[check(value)],
    valueOf(nameOrKey) {
      const i = Math.max(names.indexOf(nameOrKey as Name), keys.indexOf(nameOrKey as Key));
      if (i < 0) throw new Error(`${label} has no member ${nameOrKey}`);
      return i;
    },
    nameOfKey(key) {
      const i = keys.indexOf(key as Key);
      if (i < 0) throw new Error(`${label} has no member ${key}`);
      return names[i];
    },
  };
}

/** IEscrow.State. */
export const EscrowState = protocolEnum("IEscrow.State", EscrowStateNames, EscrowStateKeys);
/** IAgentRegistry.AgentStatus. */
export const AgentStatus = protocolEnum("IAgentRegistry.AgentStatus", AgentStatusNames, AgentStatusKeys);
/** IAgentRegistry.GrantOutcome. */
export const GrantOutcome = protocolEnum("IAgentRegistry.GrantOutcome", GrantOutcomeNames, GrantOutcomeKeys);
/** IGovernor.ProposalState (OpenZeppelin's Governor). */
export const ProposalState = protocolEnum("IGovernor.ProposalState", ProposalStateNames, ProposalStateKeys);

/** IValidationRegistry.FeeStatus: the fate of a stake-secured validation's fee. */
export const FeeStatus = protocolEnum("IValidationRegistry.FeeStatus", FeeStatusNames, FeeStatusKeys);
/** IValidationRegistry.RewardOutcome: the outcome of an attestation reward claim. */
export const RewardOutcome = protocolEnum(
  "IValidationRegistry.RewardOutcome",
  RewardOutcomeNames,
  RewardOutcomeKeys,
);
/** IResourceLedger.DenialReason: why a meter's usage record was refused (resource markets). */
export const DenialReason = protocolEnum("IResourceLedger.DenialReason", DenialReasonNames, DenialReasonKeys);
/** IAuditorRegistry.Verdict: an auditor's verdict on a flag (none = not reviewed). */
export const Verdict = protocolEnum("IAuditorRegistry.Verdict", VerdictNames, VerdictKeys);
/** IBlockLottery.EntryKind: how a lottery entry was made (block lottery, issue 17). */
export const EntryKind = protocolEnum("IBlockLottery.EntryKind", EntryKindNames, EntryKindKeys);
/** IBlockLottery.DrawOutcome: how a lottery epoch's draw ended. */
export const DrawOutcome = protocolEnum("IBlockLottery.DrawOutcome", DrawOutcomeNames, DrawOutcomeKeys);
/** IReviewRewards.WorkKind: what a review's reference names (human rewards, issue 17). */
export const WorkKind = protocolEnum("IReviewRewards.WorkKind", WorkKindNames, WorkKindKeys);

/** ITaskBoard.TaskState: where a city task stands (contracts/tasks/, issue 18). */
export const TaskState = protocolEnum("ITaskBoard.TaskState", TaskStateNames, TaskStateKeys);

/** IBilateralAgreement.State: where a loan, insurance or information sale stands (contracts/agreements/). */
export const AgreementState = protocolEnum(
  "IBilateralAgreement.State",
  BilateralAgreementStateNames,
  BilateralAgreementStateKeys,
);
/** IPoolAgreements.PoolState: where a lottery pool stands (contracts/agreements/PoolAgreements.sol). */
export const PoolState = protocolEnum("IPoolAgreements.PoolState", PoolStateNames, PoolStateKeys);
/** Agreement kinds by name (contracts/agreements/AgreementKinds.sol: JOB 0 … POOL 5). */
export const AgreementKind = CONSTANTS.AgreementKinds;
/** An agreement kind's Solidity name (`INFORMATION_SALE`). */
export type AgreementKindName = keyof typeof AgreementKind;

/**
 * The snake_case key of an agreement kind (`information_sale`), the indexer's and sim-economy's spelling.
 * @param kind The kind's number, as an agreement contract stores it.
 */
export function agreementKindKey(kind: number | bigint): string {
  const entry = Object.entries(AgreementKind).find(([, value]) => value === BigInt(kind));
  if (entry === undefined) throw new Error(`AgreementKinds has no kind ${kind}`);
  return entry[0].toLowerCase();
}

/** An escrow state's Solidity name. */
export type EscrowStateName = (typeof EscrowStateNames)[number];
/** An escrow state's snake_case key. */
export type EscrowStateKey = (typeof EscrowStateKeys)[number];
/** An agent status's snake_case key. */
export type AgentStatusKey = (typeof AgentStatusKeys)[number];
/** A proposal state's Solidity name. */
export type ProposalStateName = (typeof ProposalStateNames)[number];
/** A proposal state's snake_case key. */
export type ProposalStateKey = (typeof ProposalStateKeys)[number];

/** Escrow states after which the parties may rate each other (IEscrow: `rate` accepts these). */
export const SETTLED_ESCROW_STATES: readonly EscrowStateName[] = [
  "Refunded",
  "Completed",
  "Ruled",
  "NoShowResolved",
];

/** Vote support values of GovernorCountingSimple. */
export const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;

/** 10,000 bps = 100% (CivitasToken.BPS). */
export const BPS = CONSTANTS.CivitasToken.BPS;

/** Seconds in a day of block time. */
export const DAY = 86_400n;

/**
 * The tax charged on a taxed amount (CivitasToken: `gross * taxBps / BPS`, rounded down).
 * @param gross Amount before tax, wei.
 * @param taxBps Tax rate, bps.
 */
export function taxOf(gross: bigint, taxBps: bigint): bigint {
  return (gross * taxBps) / BPS;
}

/**
 * The wealth cap (CivitasToken.wealthCap: `totalSupply * capBps / BPS`, rounded down).
 * @param totalSupply Total CIV supply, wei.
 * @param capBps Cap rate, bps.
 */
export function wealthCapOf(totalSupply: bigint, capBps: bigint): bigint {
  return (totalSupply * capBps) / BPS;
}

/**
 * The bond an arbitrator posts to accept a job (Escrow.create: `amount * arbitratorBondBps / BPS`, rounded
 * up, so that no bond rounds to zero).
 * @param amount The job's amount, wei.
 * @param arbitratorBondBps The escrow's bond rate at creation, bps (`arbitratorBondBps()`).
 */
export function arbitratorBondOf(amount: bigint, arbitratorBondBps: bigint): bigint {
  return (amount * arbitratorBondBps + BPS - 1n) / BPS;
}
