/**
 * Civitas indexer tables. Amounts are bigint wei, rates bps, times bigint Unix seconds (block time).
 * State tables are upserted by key; event tables (transfer, reputation_change, vote, ...) are
 * append-only, keyed by Ponder's `event.id` (ordered: chain, block, transaction, log).
 */
import { index, onchainEnum, onchainTable, primaryKey, relations } from "ponder";
import {
  AgentStatus,
  DenialReason,
  EscrowState,
  FeeStatus,
  GrantOutcome,
  ProposalState,
  RewardOutcome,
  Verdict,
  EntryKind,
  DrawOutcome,
  TaskState,
} from "../scripts/lib/vocabulary.ts";

// ---------------------------------------------------------------------------------------------------
// Enums: the contracts' enums in snake case, generated from the compiler's output (scripts/lib/vocabulary.ts).
// Postgres enum types; GraphQL enum types (filter without quotes: `where: { state: funded }`).
// ---------------------------------------------------------------------------------------------------

/** IEscrow.State. */
export const escrowState = onchainEnum("escrow_state", EscrowState.keys);
/** IAgentRegistry.AgentStatus. */
export const agentStatus = onchainEnum("agent_status", AgentStatus.keys);
/** IAgentRegistry.GrantOutcome. */
export const grantOutcome = onchainEnum("grant_outcome", GrantOutcome.keys);
/** IGovernor.ProposalState (the indexer writes the event-driven ones: pending, queued, executed, canceled). */
export const proposalState = onchainEnum("proposal_state", ProposalState.keys);
/** IValidationRegistry.FeeStatus. */
export const feeStatus = onchainEnum("fee_status", FeeStatus.keys);
/** IValidationRegistry.RewardOutcome. */
export const rewardOutcome = onchainEnum("reward_outcome", RewardOutcome.keys);

// ---------------------------------------------------------------------------------------------------
// Token
// ---------------------------------------------------------------------------------------------------

/** One row per address that ever held, sent, staked or voted CIV. */
export const account = onchainTable(
  "account",
  (t) => ({
    address: t.hex().primaryKey(),
    /** Liquid CIV balance, wei: the sum of its Transfer legs (exact). */
    balance: t.bigint().notNull(),
    /** Bonded stake owned (delegations at the current share price), wei. */
    staked: t.bigint().notNull(),
    /** Stake unbonding (not yet withdrawn), wei. */
    unbonding: t.bigint().notNull(),
    /** Gross of taxed income received: payments from other agents plus protocol earnings, wei. */
    totalEarned: t.bigint().notNull(),
    /** Gross of taxed payments sent to other agents, wei. */
    totalSpent: t.bigint().notNull(),
    /** Tax withheld from its income (the earner bears the tax on earnings), wei. */
    taxPaid: t.bigint().notNull(),
    /** Upkeep burned from this wallet by the registry, wei. */
    burned: t.bigint().notNull(),
    /** Token voting power (ERC-5805 votes delegated to it), wei. */
    votes: t.bigint().notNull(),
    /** The account its token votes are delegated to (null: never delegated). */
    delegate: t.hex(),
    /** Agent id when this address is a registered agent's wallet. */
    agentId: t.bigint(),
    /** Marked as a protocol account on the token (exempt from tax and cap). */
    isProtocol: t.boolean().notNull(),
    firstSeenAt: t.bigint().notNull(),
    lastActivityAt: t.bigint().notNull(),
    lastActivityBlock: t.bigint().notNull(),
  }),
  (table) => ({ agentIdx: index().on(table.agentId), balanceIdx: index().on(table.balance) }),
);

/**
 * One row per ERC-20 Transfer leg (append-only; its kind, gross, tax and net are settled by the summary
 * event of the same transaction, before the block is committed).
 * kind: payment | earnings | grant | deposit | refund | mint | burn | tax | cap_excess.
 */
export const transfer = onchainTable(
  "transfer",
  (t) => ({
    id: t.text().primaryKey(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    /** What this leg moved, wei (the ERC-20 Transfer value). */
    amount: t.bigint().notNull(),
    /** The operation's gross, wei (equals amount for untaxed legs). */
    gross: t.bigint().notNull(),
    /** The operation's tax, wei (0 for untaxed legs and for the tax leg itself). */
    tax: t.bigint().notNull(),
    /** The operation's net (gross - tax), wei. */
    net: t.bigint().notNull(),
    kind: t.text().notNull(),
    /** Id of the operation's main leg (its own id for single-leg operations). */
    parentId: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({
    // Account history (GraphQL orders by the column asked, then the primary key): served by an index scan.
    fromIdx: index().on(table.from, table.timestamp, table.id),
    toIdx: index().on(table.to, table.timestamp, table.id),
    kindIdx: index().on(table.kind),
    txIdx: index().on(table.transactionHash),
  }),
);

/** Internal: the Transfer legs seen so far in each transaction, in order (to settle summary events). */
export const txLegs = onchainTable("tx_legs", (t) => ({
  transactionHash: t.hex().primaryKey(),
  ids: t.text().array().notNull(),
}));

/** The token's current parameters and running totals (one row, id "civ"). */
export const tokenState = onchainTable("token_state", (t) => ({
  id: t.text().primaryKey(),
  address: t.hex().notNull(),
  treasury: t.hex().notNull(),
  taxBps: t.bigint().notNull(),
  capBps: t.bigint().notNull(),
  stakeLedger: t.hex(),
  totalSupply: t.bigint().notNull(),
  /** Cumulative tax to the Treasury, wei. */
  totalTax: t.bigint().notNull(),
  /** Cumulative cap excess redirected to the Treasury, wei. */
  totalCapExcess: t.bigint().notNull(),
  totalMinted: t.bigint().notNull(),
  totalBurned: t.bigint().notNull(),
  totalUpkeepBurned: t.bigint().notNull(),
  activeAgents: t.integer().notNull(),
  suspendedAgents: t.integer().notNull(),
  starvedAgents: t.integer().notNull(),
  /** The UTC day (timestamp / 86,400) of the latest economy row. */
  currentDay: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** Parameter changes of every contract (append-only): tax, cap, birth grant, fees, periods... */
export const parameterChange = onchainTable("parameter_change", (t) => ({
  id: t.text().primaryKey(),
  contract: t.text().notNull(),
  name: t.text().notNull(),
  oldValue: t.text(),
  newValue: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
  timestamp: t.bigint().notNull(),
}));

/** Circulating-supply snapshots recorded by the token for the Governor's quorum. */
export const circulatingSnapshot = onchainTable("circulating_snapshot", (t) => ({
  timepoint: t.bigint().primaryKey(),
  scheduledAt: t.bigint(),
  circulatingSupply: t.bigint(),
  recordedAt: t.bigint(),
}));

/**
 * One row per UTC day of block time with any activity. Supply figures are as of the day's last event;
 * daily flows count that day only. gini, largest holder and agent counts are computed when the day
 * closes (at the first event of a later day); the open day shows them as of its creation.
 */
export const economyDay = onchainTable("economy_day", (t) => ({
  day: t.bigint().primaryKey(),
  /** Unix seconds of the day's start. */
  date: t.bigint().notNull(),
  closed: t.boolean().notNull(),
  totalSupply: t.bigint().notNull(),
  /** Total supply minus the Treasury's balance, wei. */
  circulating: t.bigint().notNull(),
  treasuryBalance: t.bigint().notNull(),
  taxCollected: t.bigint().notNull(),
  capExcessCollected: t.bigint().notNull(),
  minted: t.bigint().notNull(),
  burned: t.bigint().notNull(),
  upkeepBurned: t.bigint().notNull(),
  transfers: t.integer().notNull(),
  activeAgents: t.integer().notNull(),
  suspendedAgents: t.integer().notNull(),
  starvedAgents: t.integer().notNull(),
  /** Gini coefficient (0..1) of registered agents' holdings (liquid + staked + unbonding). */
  gini: t.doublePrecision().notNull(),
  /** Gini in parts per million, rounded down (exact integer form of `gini`). */
  giniPpm: t.bigint().notNull(),
  largestHolder: t.hex(),
  /** Largest ordinary (non-protocol) account's holdings, wei. */
  largestHolding: t.bigint().notNull(),
  /** largestHolding / totalSupply, bps (rounded down). */
  largestHolderShareBps: t.bigint().notNull(),
  /** The wealth cap as a share of supply, bps, and in wei. */
  capBps: t.bigint().notNull(),
  cap: t.bigint().notNull(),
  // Running totals at the day's start (to derive the daily flows).
  startTotalTax: t.bigint().notNull(),
  startTotalCapExcess: t.bigint().notNull(),
  startTotalMinted: t.bigint().notNull(),
  startTotalBurned: t.bigint().notNull(),
  startTotalUpkeepBurned: t.bigint().notNull(),
}));

// ---------------------------------------------------------------------------------------------------
// Treasury
// ---------------------------------------------------------------------------------------------------

/**
 * Every movement in or out of the Treasury (append-only). CIV inflows come from the token's Transfer
 * legs (kind tax, cap_excess, deposit, ...); outflows from the Treasury's own events
 * (kind transfer = governance, draw = a budget draw).
 */
export const treasuryFlow = onchainTable(
  "treasury_flow",
  (t) => ({
    id: t.text().primaryKey(),
    token: t.hex().notNull(),
    direction: t.text().notNull(),
    kind: t.text().notNull(),
    counterparty: t.hex().notNull(),
    /** The drawing contract, for budget draws. */
    spender: t.hex(),
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ tsIdx: index().on(table.timestamp) }),
);

/** A spender's remaining budget of one token. */
export const budget = onchainTable(
  "budget",
  (t) => ({
    spender: t.hex().notNull(),
    token: t.hex().notNull(),
    remaining: t.bigint().notNull(),
    totalDrawn: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.spender, table.token] }) }),
);

// ---------------------------------------------------------------------------------------------------
// Relations (GraphQL nesting)
// ---------------------------------------------------------------------------------------------------

export const accountRelations = relations(account, ({ many }) => ({
  sent: many(transfer, { relationName: "sent" }),
  received: many(transfer, { relationName: "received" }),
}));

export const transferRelations = relations(transfer, ({ one }) => ({
  fromAccount: one(account, { fields: [transfer.from], references: [account.address], relationName: "sent" }),
  toAccount: one(account, { fields: [transfer.to], references: [account.address], relationName: "received" }),
}));

// ---------------------------------------------------------------------------------------------------
// Governance
// ---------------------------------------------------------------------------------------------------

/**
 * One row per proposal, with its actions and event-driven status: pending (created), queued, executed
 * or canceled. Whether an unqueued proposal is active, defeated, succeeded or expired depends on the
 * clock: /proposals/:id/state answers it at the latest indexed block time.
 */
export const proposal = onchainTable(
  "proposal",
  (t) => ({
    id: t.bigint().primaryKey(),
    proposer: t.hex().notNull(),
    targets: t.hex().array().notNull(),
    values: t.bigint().array().notNull(),
    signatures: t.text().array().notNull(),
    calldatas: t.hex().array().notNull(),
    description: t.text().notNull(),
    /** Vote snapshot and deadline, Unix seconds (ERC-6372 timestamps). */
    voteStart: t.bigint().notNull(),
    voteEnd: t.bigint().notNull(),
    status: proposalState().notNull(),
    forVotes: t.bigint().notNull(),
    againstVotes: t.bigint().notNull(),
    abstainVotes: t.bigint().notNull(),
    voters: t.integer().notNull(),
    /** Votes (for + abstain) needed, wei: the Governor's ProposalQuorumRecorded, with the first vote; null before. */
    quorum: t.bigint(),
    /** When the timelock allows execution (set when queued), Unix seconds. */
    eta: t.bigint(),
    createdAt: t.bigint().notNull(),
    createdAtBlock: t.bigint().notNull(),
    createdAtTransaction: t.hex().notNull(),
    queuedAt: t.bigint(),
    executedAt: t.bigint(),
    canceledAt: t.bigint(),
  }),
  (table) => ({ proposerIdx: index().on(table.proposer) }),
);

/** One row per vote cast (append-only). support: 0 against, 1 for, 2 abstain. */
export const vote = onchainTable(
  "vote",
  (t) => ({
    id: t.text().primaryKey(),
    proposalId: t.bigint().notNull(),
    voter: t.hex().notNull(),
    support: t.integer().notNull(),
    weight: t.bigint().notNull(),
    reason: t.text().notNull(),
    params: t.hex(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ proposalIdx: index().on(table.proposalId), voterIdx: index().on(table.voter) }),
);

/** The Governor's settings (one row, id "governor"). */
export const governorState = onchainTable("governor_state", (t) => ({
  id: t.text().primaryKey(),
  votingDelay: t.bigint(),
  votingPeriod: t.bigint(),
  proposalThreshold: t.bigint(),
  quorumNumerator: t.bigint(),
  timelock: t.hex(),
  proposals: t.integer().notNull(),
}));

export const proposalRelations = relations(proposal, ({ many }) => ({ votes: many(vote) }));
export const voteRelations = relations(vote, ({ one }) => ({
  proposal: one(proposal, { fields: [vote.proposalId], references: [proposal.id] }),
}));

// ---------------------------------------------------------------------------------------------------
// Agent registry
// ---------------------------------------------------------------------------------------------------

/** One row per registered agent. status: active | starved | suspended | suspended_and_starved (IAgentRegistry.AgentStatus, snake case). */
export const agent = onchainTable(
  "agent",
  (t) => ({
    id: t.bigint().primaryKey(),
    /** The agent wallet (null when unset or cleared by an NFT transfer). */
    wallet: t.hex(),
    owner: t.hex().notNull(),
    uri: t.text().notNull(),
    status: agentStatus().notNull(),
    suspended: t.boolean().notNull(),
    starved: t.boolean().notNull(),
    reputation: t.bigint().notNull(),
    grant: t.bigint().notNull(),
    /** paid | already_granted | budget_exhausted | disabled (IAgentRegistry.GrantOutcome, snake case). */
    grantOutcome: grantOutcome().notNull(),
    upkeepBurned: t.bigint().notNull(),
    lastCollectedAt: t.bigint().notNull(),
    registeredAt: t.bigint().notNull(),
    registeredAtBlock: t.bigint().notNull(),
    registeredAtTransaction: t.hex().notNull(),
    starvedAt: t.bigint(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ walletIdx: index().on(table.wallet), ownerIdx: index().on(table.owner) }),
);

/** Every reputation change (append-only). reason: the bytes32 code; reasonText: it as ASCII. */
export const reputationChange = onchainTable(
  "reputation_change",
  (t) => ({
    id: t.text().primaryKey(),
    agentId: t.bigint().notNull(),
    wallet: t.hex().notNull(),
    reporter: t.hex().notNull(),
    requestedDelta: t.bigint().notNull(),
    delta: t.bigint().notNull(),
    newScore: t.bigint().notNull(),
    reason: t.hex().notNull(),
    reasonText: t.text().notNull(),
    ref: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ agentIdx: index().on(table.agentId, table.timestamp) }),
);

/** Agent lifecycle events (append-only): registered, upkeep, starved, revived, suspended, unsuspended, wallet,
 * inherited (a wallet brought its record), debt_settled. */
export const agentEvent = onchainTable(
  "agent_event",
  (t) => ({
    id: t.text().primaryKey(),
    agentId: t.bigint().notNull(),
    kind: t.text().notNull(),
    actor: t.hex(),
    amount: t.bigint(),
    reason: t.text(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ agentIdx: index().on(table.agentId, table.timestamp) }),
);

export const agentRelations = relations(agent, ({ many, one }) => ({
  reputationChanges: many(reputationChange),
  events: many(agentEvent),
  feedback: many(feedback),
  feedbackSummary: one(feedbackSummary, { fields: [agent.id], references: [feedbackSummary.id] }),
}));
export const reputationChangeRelations = relations(reputationChange, ({ one }) => ({
  agent: one(agent, { fields: [reputationChange.agentId], references: [agent.id] }),
}));
export const agentEventRelations = relations(agentEvent, ({ one }) => ({
  agent: one(agent, { fields: [agentEvent.agentId], references: [agent.id] }),
}));

// ---------------------------------------------------------------------------------------------------
// Staking
// ---------------------------------------------------------------------------------------------------

/**
 * One row per validator: its commission and both share pools as the contract holds them (every pool
 * event carries the new totals). A holder's stake is `shares * tokens / shares` of its pool, rounded down.
 */
export const validator = onchainTable("validator", (t) => ({
  address: t.hex().primaryKey(),
  commissionBps: t.bigint().notNull(),
  /** The scheduled commission and when it may apply (null when none is pending). */
  pendingCommissionBps: t.bigint(),
  pendingCommissionAt: t.bigint(),
  bondedTokens: t.bigint().notNull(),
  bondedShares: t.bigint().notNull(),
  unbondingTokens: t.bigint().notNull(),
  unbondingShares: t.bigint().notNull(),
  /** The validator's own bonded stake now, wei. */
  selfStake: t.bigint().notNull(),
  /**
   * Whether its commission is suspended: its own stake fell below the minimum self-stake (CommissionSuspended
   * / CommissionResumed; its delegators then get the pool's whole rewards, and it takes no new delegation).
   */
  commissionSuspended: t.boolean().notNull(),
  /** Holders with bonded shares (the validator included). */
  delegators: t.integer().notNull(),
  /** Wei slashed from its pools, in total, and the number of slashes. */
  totalSlashed: t.bigint().notNull(),
  slashes: t.integer().notNull(),
  registeredAt: t.bigint().notNull(),
  registeredAtBlock: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/**
 * A holder's stake with one validator (an account stakes with one validator at a time; rows of earlier
 * validators stay with zero shares). `staked` and `unbonding` are its wei now, kept exact after every pool
 * change (slashes and rounding included).
 */
export const delegation = onchainTable(
  "delegation",
  (t) => ({
    holder: t.hex().notNull(),
    validator: t.hex().notNull(),
    bondedShares: t.bigint().notNull(),
    unbondingShares: t.bigint().notNull(),
    staked: t.bigint().notNull(),
    unbonding: t.bigint().notNull(),
    /** Wei ever bonded, started unbonding and withdrawn by this holder with this validator. */
    totalDelegated: t.bigint().notNull(),
    totalUndelegated: t.bigint().notNull(),
    totalWithdrawn: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.holder, table.validator] }),
    validatorIdx: index().on(table.validator),
  }),
);

/** Every stake movement (append-only). kind: delegated | undelegated | withdrawn. */
export const stakeEvent = onchainTable(
  "stake_event",
  (t) => ({
    id: t.text().primaryKey(),
    kind: t.text().notNull(),
    holder: t.hex().notNull(),
    validator: t.hex().notNull(),
    amount: t.bigint().notNull(),
    /** Bonded shares minted (delegated) or burned (undelegated); unbonding shares burned (withdrawn). */
    shares: t.bigint().notNull(),
    unbondingId: t.bigint(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ holderIdx: index().on(table.holder, table.timestamp) }),
);

/** One row per unbonding request. `amount` is what it would pay now (after slashes); status: unbonding | withdrawn. */
export const unbonding = onchainTable(
  "unbonding",
  (t) => ({
    id: t.bigint().primaryKey(),
    holder: t.hex().notNull(),
    validator: t.hex().notNull(),
    shares: t.bigint().notNull(),
    initialAmount: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    releaseTime: t.bigint().notNull(),
    status: t.text().notNull(),
    withdrawnAmount: t.bigint(),
    withdrawnAt: t.bigint(),
    createdAt: t.bigint().notNull(),
  }),
  (table) => ({ holderIdx: index().on(table.holder), validatorIdx: index().on(table.validator) }),
);

/** One row per funded reward epoch (append-only, keyed by event id). */
export const rewardEpoch = onchainTable("reward_epoch", (t) => ({
  id: t.text().primaryKey(),
  /** Sequence number (1 = genesis epoch). */
  number: t.integer().notNull(),
  amount: t.bigint().notNull(),
  carried: t.bigint().notNull(),
  duration: t.bigint().notNull(),
  /** Wei per second scaled by 1e27. */
  rewardRate: t.bigint().notNull(),
  startedAt: t.bigint().notNull(),
  periodFinish: t.bigint().notNull(),
  newCarry: t.bigint().notNull(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
}));

/** One row per reward claim (append-only): gross, tax, cap excess and what the holder kept. */
export const rewardClaim = onchainTable(
  "reward_claim",
  (t) => ({
    id: t.text().primaryKey(),
    holder: t.hex().notNull(),
    gross: t.bigint().notNull(),
    tax: t.bigint().notNull(),
    capExcess: t.bigint().notNull(),
    net: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ holderIdx: index().on(table.holder) }),
);

/** One row per slash. */
export const slash = onchainTable("slash", (t) => ({
  id: t.bigint().primaryKey(),
  validator: t.hex().notNull(),
  slashBps: t.bigint().notNull(),
  bondedSlashed: t.bigint().notNull(),
  unbondingSlashed: t.bigint().notNull(),
  reason: t.hex().notNull(),
  reasonText: t.text().notNull(),
  bondedTokens: t.bigint().notNull(),
  unbondingTokens: t.bigint().notNull(),
  totalBonded: t.bigint().notNull(),
  /** The registry refused the slash's reputation report (its revert data), if it did. */
  reputationReportFailure: t.hex(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
  timestamp: t.bigint().notNull(),
}));

/** Staking totals and parameters (one row, id "staking"). */
export const stakingState = onchainTable("staking_state", (t) => ({
  id: t.text().primaryKey(),
  totalBonded: t.bigint().notNull(),
  totalUnbonding: t.bigint().notNull(),
  validators: t.integer().notNull(),
  unbondingPeriod: t.bigint(),
  minSelfStake: t.bigint(),
  rewardRate: t.bigint().notNull(),
  periodFinish: t.bigint().notNull(),
  carriedRewards: t.bigint().notNull(),
  epochs: t.integer().notNull(),
  totalRewardsFunded: t.bigint().notNull(),
  totalRewardsClaimed: t.bigint().notNull(),
  totalSlashed: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

export const validatorRelations = relations(validator, ({ many }) => ({
  delegations: many(delegation),
  unbondings: many(unbonding),
  slashHistory: many(slash),
}));
export const delegationRelations = relations(delegation, ({ one }) => ({
  validatorRow: one(validator, { fields: [delegation.validator], references: [validator.address] }),
}));
export const unbondingRelations = relations(unbonding, ({ one }) => ({
  validatorRow: one(validator, { fields: [unbonding.validator], references: [validator.address] }),
}));
export const slashRelations = relations(slash, ({ one }) => ({
  validatorRow: one(validator, { fields: [slash.validator], references: [validator.address] }),
}));

// ---------------------------------------------------------------------------------------------------
// Escrow
// ---------------------------------------------------------------------------------------------------

/**
 * One row per escrow with its full state. state: created | agreed | accepted | funded | submitted | disputed |
 * cancelled | refunded | completed | ruled | no_show_resolved (the contract's State, snake case).
 * Payout fields are set when it settles (see IEscrow.Payout).
 */
export const escrow = onchainTable(
  "escrow",
  (t) => ({
    id: t.bigint().primaryKey(),
    kind: t.integer().notNull(),
    client: t.hex().notNull(),
    provider: t.hex().notNull(),
    arbitrator: t.hex().notNull(),
    /** Agent ids of the three parties, recorded at creation: reputation is reported to them. */
    clientId: t.bigint().notNull(),
    providerId: t.bigint().notNull(),
    arbitratorId: t.bigint().notNull(),
    state: escrowState().notNull(),
    amount: t.bigint().notNull(),
    arbitratorFee: t.bigint().notNull(),
    bond: t.bigint().notNull(),
    protocolFeeBps: t.bigint().notNull(),
    deliveryDeadline: t.bigint().notNull(),
    reviewWindow: t.bigint().notNull(),
    rulingWindow: t.bigint().notNull(),
    /** End of the review window (0 until submission) and ruling deadline (0 until a dispute), seconds. */
    reviewDeadline: t.bigint().notNull(),
    rulingDeadline: t.bigint().notNull(),
    termsHash: t.hex().notNull(),
    termsURI: t.text().notNull(),
    deliverableURI: t.text(),
    deliverableHash: t.hex(),
    /** The ruling: the provider's share of the amount, bps. */
    providerBps: t.bigint(),
    evidenceCount: t.integer().notNull(),
    /** Outcome and payout (wei) once settled or cancelled. */
    outcome: escrowState(),
    closedBy: t.hex(),
    providerGross: t.bigint(),
    protocolFee: t.bigint(),
    clientRefund: t.bigint(),
    arbitratorFeePaid: t.bigint(),
    bondToArbitrator: t.bigint(),
    bondToClient: t.bigint(),
    bondToProvider: t.bigint(),
    /** The client's rating of the provider and the provider's of the client (0 none, +1, -1). */
    clientRating: t.integer().notNull(),
    providerRating: t.integer().notNull(),
    createdAt: t.bigint().notNull(),
    /** When the provider consented (`ProviderAgreed`). */
    agreedAt: t.bigint(),
    acceptedAt: t.bigint(),
    fundedAt: t.bigint(),
    submittedAt: t.bigint(),
    disputedAt: t.bigint(),
    closedAt: t.bigint(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    clientIdx: index().on(table.client),
    providerIdx: index().on(table.provider),
    arbitratorIdx: index().on(table.arbitrator),
    stateIdx: index().on(table.state),
  }),
);

/**
 * Every escrow event (append-only). kind: created | meta_evidence | agreed | accepted | funded | cancelled |
 * submitted | disputed | dispute | evidence | ruled | ruling | settled | rated | reputation_report_failed
 * (a report the registry refused: `value` the delta, `data` the agent id, reason and revert data).
 * `uri` carries terms, deliverable and evidence URIs; `value` the amount, ruling (bps) or score.
 */
export const escrowEvent = onchainTable(
  "escrow_event",
  (t) => ({
    id: t.text().primaryKey(),
    escrowId: t.bigint().notNull(),
    kind: t.text().notNull(),
    actor: t.hex(),
    uri: t.text(),
    value: t.bigint(),
    /** Other fields of the event, as JSON (bigints as strings). */
    data: t.text(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ escrowIdx: index().on(table.escrowId) }),
);

/** One row per rating given after an escrow (+1 or -1). */
export const rating = onchainTable(
  "rating",
  (t) => ({
    id: t.text().primaryKey(),
    escrowId: t.bigint().notNull(),
    rater: t.hex().notNull(),
    ratee: t.hex().notNull(),
    score: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ rateeIdx: index().on(table.ratee), raterIdx: index().on(table.rater) }),
);

export const escrowRelations = relations(escrow, ({ many }) => ({
  events: many(escrowEvent),
  ratings: many(rating),
}));
export const escrowEventRelations = relations(escrowEvent, ({ one }) => ({
  escrow: one(escrow, { fields: [escrowEvent.escrowId], references: [escrow.id] }),
}));
export const ratingRelations = relations(rating, ({ one }) => ({
  escrow: one(escrow, { fields: [rating.escrowId], references: [escrow.id] }),
}));

// ---------------------------------------------------------------------------------------------------
// ERC-8004 Reputation Registry
// ---------------------------------------------------------------------------------------------------

/** One row per ERC-8004 feedback (id `<agentId>-<client>-<feedbackIndex>`); the economy's reports too. */
export const feedback = onchainTable(
  "feedback",
  (t) => ({
    id: t.text().primaryKey(),
    agentId: t.bigint().notNull(),
    client: t.hex().notNull(),
    feedbackIndex: t.bigint().notNull(),
    value: t.bigint().notNull(),
    valueDecimals: t.integer().notNull(),
    tag1: t.text().notNull(),
    tag2: t.text().notNull(),
    endpoint: t.text().notNull(),
    feedbackURI: t.text().notNull(),
    feedbackHash: t.hex().notNull(),
    /** Whether the client is a Civitas reporter (escrow, staking): the economy's own feedback. */
    economy: t.boolean().notNull(),
    revoked: t.boolean().notNull(),
    revokedAt: t.bigint(),
    responseCount: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ agentIdx: index().on(table.agentId, table.client), clientIdx: index().on(table.client) }),
);

/** Every response appended to a feedback (append-only). */
export const feedbackResponse = onchainTable(
  "feedback_response",
  (t) => ({
    id: t.text().primaryKey(),
    feedbackId: t.text().notNull(),
    agentId: t.bigint().notNull(),
    client: t.hex().notNull(),
    feedbackIndex: t.bigint().notNull(),
    responder: t.hex().notNull(),
    responseURI: t.text().notNull(),
    responseHash: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ feedbackIdx: index().on(table.feedbackId) }),
);

/** Every revocation of a feedback (append-only). */
export const feedbackRevocation = onchainTable(
  "feedback_revocation",
  (t) => ({
    id: t.text().primaryKey(),
    feedbackId: t.text().notNull(),
    agentId: t.bigint().notNull(),
    client: t.hex().notNull(),
    feedbackIndex: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ agentIdx: index().on(table.agentId) }),
);

/**
 * An agent's ERC-8004 summary (id: the agent id) over its non-revoked feedback, as `getSummary` computes it:
 * values summed at 18 decimals; `averageWad` = sum / count. `all*` counts every client (an unfiltered
 * view ERC-8004 leaves to readers), `economy*` only the Civitas reporters (escrow, staking).
 */
export const feedbackSummary = onchainTable("feedback_summary", (t) => ({
  id: t.bigint().primaryKey(),
  allCount: t.integer().notNull(),
  allSumWad: t.bigint().notNull(),
  allAverageWad: t.bigint().notNull(),
  economyCount: t.integer().notNull(),
  economySumWad: t.bigint().notNull(),
  economyAverageWad: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

export const feedbackRelations = relations(feedback, ({ one, many }) => ({
  agent: one(agent, { fields: [feedback.agentId], references: [agent.id] }),
  responses: many(feedbackResponse),
}));
export const feedbackResponseRelations = relations(feedbackResponse, ({ one }) => ({
  feedback: one(feedback, { fields: [feedbackResponse.feedbackId], references: [feedback.id] }),
}));

// ---------------------------------------------------------------------------------------------------
// Validation Registry (ERC-8004 validation, stake-secured requests, attestation rewards)
// ---------------------------------------------------------------------------------------------------

/**
 * One row per validation request (state, upserted). `response`, `responseHash`, `responseURI` and `tag`
 * are the latest response's (null before any). Stake-secured requests also carry their fee's terms and
 * fate: `feeStatus` is none | escrowed | paid | refunded.
 */
export const validationRequest = onchainTable(
  "validation_request",
  (t) => ({
    requestHash: t.hex().primaryKey(),
    agentId: t.bigint().notNull(),
    validator: t.hex().notNull(),
    /** The transaction's sender (the agent's owner or operator). */
    requester: t.hex().notNull(),
    requestURI: t.text().notNull(),
    response: t.integer(),
    responseHash: t.hex(),
    responseURI: t.text(),
    tag: t.text(),
    /** How many responses the validator gave (each replaces the previous). */
    responseCount: t.integer().notNull(),
    respondedAt: t.bigint(),
    staked: t.boolean().notNull(),
    feeStatus: feeStatus().notNull(),
    feePayer: t.hex(),
    /** The fee, wei (0 for plain ERC-8004 requests). */
    fee: t.bigint().notNull(),
    /** Tax charged on the fee when it was paid, wei. */
    feeTax: t.bigint().notNull(),
    deadline: t.bigint(),
    /** The validator pool's bonded stake at the request, wei (stake-secured requests). */
    validatorStake: t.bigint(),
    /** Attestation reward paid to the agent for this request, wei. */
    rewardPaid: t.bigint().notNull(),
    slashId: t.bigint(),
    createdAt: t.bigint().notNull(),
    createdAtBlock: t.bigint().notNull(),
    createdAtTransaction: t.hex().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    agentIdx: index().on(table.agentId),
    validatorIdx: index().on(table.validator),
    feeStatusIdx: index().on(table.feeStatus),
  }),
);

/** Every ValidationResponse (append-only; a validator may respond several times to one request). */
export const validationResponse = onchainTable(
  "validation_response",
  (t) => ({
    id: t.text().primaryKey(),
    requestHash: t.hex().notNull(),
    agentId: t.bigint().notNull(),
    validator: t.hex().notNull(),
    response: t.integer().notNull(),
    responseURI: t.text().notNull(),
    responseHash: t.hex().notNull(),
    tag: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ requestIdx: index().on(table.requestHash), agentIdx: index().on(table.agentId) }),
);

/**
 * Every movement of a validation fee (append-only). kind: escrowed (deposit by `party`, the payer) |
 * paid (earnings to `party`, the validator: `amount` gross, `tax`, `capExcess`) | refunded (to the payer).
 */
export const validationFee = onchainTable(
  "validation_fee",
  (t) => ({
    id: t.text().primaryKey(),
    requestHash: t.hex().notNull(),
    kind: t.text().notNull(),
    party: t.hex().notNull(),
    amount: t.bigint().notNull(),
    tax: t.bigint().notNull(),
    capExcess: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ requestIdx: index().on(table.requestHash), partyIdx: index().on(table.party) }),
);

/**
 * Every attestation reward claim (append-only), paid or not. outcome: paid | cap_reached | budget_short |
 * treasury_refused (amount 0 unless paid).
 */
export const attestationReward = onchainTable(
  "attestation_reward",
  (t) => ({
    id: t.text().primaryKey(),
    requestHash: t.hex().notNull(),
    agentId: t.bigint().notNull(),
    recipient: t.hex().notNull(),
    tag: t.text().notNull(),
    epoch: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    outcome: rewardOutcome().notNull(),
    /** What the agent drew for this tag in this epoch afterwards, wei. */
    agentEpochTotal: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ agentIdx: index().on(table.agentId), outcomeIdx: index().on(table.outcome) }),
);

/** Every slash of a validator citing a request (append-only); staking's `slash` row has the amounts. */
export const validatorSlash = onchainTable(
  "validator_slash",
  (t) => ({
    id: t.text().primaryKey(),
    requestHash: t.hex().notNull(),
    validator: t.hex().notNull(),
    agentId: t.bigint().notNull(),
    slashId: t.bigint().notNull(),
    slashBps: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ validatorIdx: index().on(table.validator) }),
);

/** The attestation reward policy of each response tag (state, upserted; all zero once removed). */
export const rewardPolicy = onchainTable("reward_policy", (t) => ({
  tag: t.text().primaryKey(),
  rewardPerPass: t.bigint().notNull(),
  capPerAgentPerEpoch: t.bigint().notNull(),
  minFee: t.bigint().notNull(),
  passThreshold: t.integer().notNull(),
  updatedAt: t.bigint().notNull(),
}));

export const validationRequestRelations = relations(validationRequest, ({ many }) => ({
  responses: many(validationResponse),
  fees: many(validationFee),
  rewards: many(attestationReward),
}));
export const validationResponseRelations = relations(validationResponse, ({ one }) => ({
  request: one(validationRequest, {
    fields: [validationResponse.requestHash],
    references: [validationRequest.requestHash],
  }),
}));
export const validationFeeRelations = relations(validationFee, ({ one }) => ({
  request: one(validationRequest, {
    fields: [validationFee.requestHash],
    references: [validationRequest.requestHash],
  }),
}));
export const attestationRewardRelations = relations(attestationReward, ({ one }) => ({
  request: one(validationRequest, {
    fields: [attestationReward.requestHash],
    references: [validationRequest.requestHash],
  }),
}));

// ---------------------------------------------------------------------------------------------------
// Governance security (issue 20): timelock operations, the guardian's vetoes, guardian changes
// ---------------------------------------------------------------------------------------------------

/**
 * One row per timelock operation queued by a proposal (id: the timelock's operation id). `cancelledAt` and
 * `cancelledBy` are set when it is cancelled: by the guardian (a veto) or by the Governor.
 */
export const timelockOperation = onchainTable(
  "timelock_operation",
  (t) => ({
    id: t.hex().primaryKey(),
    proposalId: t.bigint(),
    queuedAt: t.bigint(),
    cancelledAt: t.bigint(),
    cancelledBy: t.hex(),
    cancelledInTransaction: t.hex(),
  }),
  (table) => ({ proposalIdx: index().on(table.proposalId) }),
);

/** Every change of the timelock's guardian (the security council), oldest first by timestamp. */
export const guardianChange = onchainTable("guardian_change", (t) => ({
  id: t.text().primaryKey(),
  oldGuardian: t.hex().notNull(),
  newGuardian: t.hex().notNull(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
  timestamp: t.bigint().notNull(),
}));

// ---------------------------------------------------------------------------------------------------
// ERC-3009 payments (issue 13): authorizations used (x402 sales, payments with a payment id) or canceled
// ---------------------------------------------------------------------------------------------------

/**
 * One row per ERC-3009 authorization the token spent (id: `<authorizer>:<nonce>`): used by a
 * `transferWithAuthorization` / `receiveWithAuthorization` (status "used"), or canceled (status "canceled").
 * `settledBy` tells an x402 sale (the payee submitted the payer's signed authorization: "payee") from a
 * payment submitted by the payer itself (`pay`, `civitas send --payment-id`: "payer") or by anyone else
 * ("relayer"). `to` and `value` are read from the call when the transaction called the token directly
 * (null otherwise); the payment's legs are its transaction's `transfers` (gross, tax, net and kind).
 */
export const paymentAuthorization = onchainTable(
  "payment_authorization",
  (t) => ({
    id: t.text().primaryKey(),
    authorizer: t.hex().notNull(),
    /** The ERC-3009 nonce (for `pay`: keccak256 of "civitas.payment", the payer and the payment id). */
    nonce: t.hex().notNull(),
    /** used | canceled */
    status: t.text().notNull(),
    /** payee | payer | relayer (null for a cancellation) */
    settledBy: t.text(),
    /** The account that sent the transaction. */
    submitter: t.hex().notNull(),
    /** The payee and the gross amount in wei, from the call (null when not a direct call of the token). */
    to: t.hex(),
    value: t.bigint(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({
    authorizerIdx: index().on(table.authorizer),
    toIdx: index().on(table.to),
    txIdx: index().on(table.transactionHash),
  }),
);

export const paymentAuthorizationRelations = relations(paymentAuthorization, ({ many }) => ({
  /** The token's Transfer legs of the payment's transaction (payee's leg, tax leg). */
  transfers: many(transfer, { relationName: "authorizedTransfers" }),
}));

export const authorizedTransferRelations = relations(transfer, ({ one }) => ({
  /** The ERC-3009 authorization the transfer's transaction spent, if any. */
  authorization: one(paymentAuthorization, {
    fields: [transfer.transactionHash],
    references: [paymentAuthorization.transactionHash],
    relationName: "authorizedTransfers",
  }),
}));

// ---------------------------------------------------------------------------------------------------
// Resource markets (issue 14): resource types and policies, meters, credits, usage and denials, the
// market's epochs (clearing price, utilisation), offers, bids, providers' revenue, compute pools and
// their dividends. Quantities in the resource's base units, CIV in wei, prices in wei per base unit.
// ---------------------------------------------------------------------------------------------------

/** IResourceLedger.DenialReason. */
export const denialReason = onchainEnum("denial_reason", DenialReason.keys);

/** One row per resource type (id: the ledger's resource id, the ERC-1155 token id of its credits). */
export const resource = onchainTable("resource", (t) => ({
  id: t.bigint().primaryKey(),
  /** The policy (IResourceLedger.Policy), as last set. */
  unit: t.text().notNull(),
  decimals: t.integer().notNull(),
  transferable: t.boolean().notNull(),
  allowancePerDay: t.bigint().notNull(),
  allowanceMax: t.bigint().notNull(),
  quota: t.bigint().notNull(),
  /** Seconds. */
  quotaWindow: t.bigint().notNull(),
  retired: t.boolean().notNull(),
  /** Whether the market accepts offers and bids (listed and not delisted). */
  listed: t.boolean().notNull(),
  /** The market listing's tick size and current reserve, wei per base unit (null until listed). */
  tickSize: t.bigint(),
  reservePrice: t.bigint(),
  /** Credits ever minted (bids claimed) and burned (metering), base units. */
  totalMinted: t.bigint().notNull(),
  totalBurned: t.bigint().notNull(),
  /** Usage recorded (`resource_usage_total`), and the part the free allowance covered, base units. */
  totalUsed: t.bigint().notNull(),
  usedFromAllowance: t.bigint().notNull(),
  usageCount: t.integer().notNull(),
  /** Usage records refused (`resource_denied_total`), and the base units they asked for. */
  denials: t.integer().notNull(),
  deniedAmount: t.bigint().notNull(),
  /** Market epochs cleared, base units sold in them, and what buyers paid (sum of price x sold), wei. */
  epochsCleared: t.integer().notNull(),
  totalSold: t.bigint().notNull(),
  totalRevenue: t.bigint().notNull(),
  /** The last clearing's price (wei per base unit, 0 when cancelled), epoch and utilisation (bps). */
  lastPrice: t.bigint(),
  lastEpoch: t.bigint(),
  lastUtilisationBps: t.bigint(),
  createdAt: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** Meters of a resource (who may record usage), as last set by governance. */
export const resourceMeter = onchainTable(
  "resource_meter",
  (t) => ({
    resourceId: t.bigint().notNull(),
    meter: t.hex().notNull(),
    authorised: t.boolean().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.resourceId, table.meter] }) }),
);

/** An account's credits of one resource (ERC-1155 balance) and its usage. */
export const creditBalance = onchainTable(
  "credit_balance",
  (t) => ({
    resourceId: t.bigint().notNull(),
    account: t.hex().notNull(),
    /** Credits held now, base units (the sum of its ERC-1155 transfers). */
    balance: t.bigint().notNull(),
    /** Credits minted to it by the market, base units. */
    minted: t.bigint().notNull(),
    /** Usage recorded, base units, and the part covered by the free allowance. */
    used: t.bigint().notNull(),
    usedFromAllowance: t.bigint().notNull(),
    /** Usage records refused. */
    denials: t.integer().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.resourceId, table.account] }),
    accountIdx: index().on(table.account),
  }),
);

/** Every usage record of a meter, recorded (`denied` false) or refused with its reason (append-only). */
export const resourceUsage = onchainTable(
  "resource_usage",
  (t) => ({
    id: t.text().primaryKey(),
    resourceId: t.bigint().notNull(),
    account: t.hex().notNull(),
    meter: t.hex().notNull(),
    amount: t.bigint().notNull(),
    /** Recorded usage: base units from the free allowance and burned from credits (0 when denied). */
    fromAllowance: t.bigint().notNull(),
    fromCredits: t.bigint().notNull(),
    denied: t.boolean().notNull(),
    /** Why it was refused (null when recorded). */
    reason: denialReason("reason"),
    ref: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ resourceIdx: index().on(table.resourceId), accountIdx: index().on(table.account) }),
);

/** The market's settings (id "market"), from their events (the constructor emits them too). */
export const marketState = onchainTable("market_state", (t) => ({
  id: t.text().primaryKey(),
  protocolFeeBps: t.bigint(),
  targetUtilisationBps: t.bigint(),
  maxReserveStepBps: t.bigint(),
  updatedAt: t.bigint().notNull(),
}));

/** One resource's auction in one epoch: running supply and demand, then the clearing. */
export const marketEpoch = onchainTable(
  "market_epoch",
  (t) => ({
    resourceId: t.bigint().notNull(),
    epoch: t.bigint().notNull(),
    /** Capacity offered and quantity bid so far (then as cleared), base units. */
    supply: t.bigint().notNull(),
    demand: t.bigint().notNull(),
    offers: t.integer().notNull(),
    bids: t.integer().notNull(),
    /** CIV escrowed by its bids, wei. */
    escrowed: t.bigint().notNull(),
    cleared: t.boolean().notNull(),
    cancelled: t.boolean().notNull(),
    /** The clearing tick and price (wei per base unit; 0 when cancelled), sold (base units), utilisation. */
    clearingTick: t.bigint(),
    price: t.bigint(),
    sold: t.bigint(),
    utilisationBps: t.bigint(),
    /** What buyers paid in all (price x sold), wei. */
    revenue: t.bigint(),
    /** The resource's reserve after this clearing, wei per base unit. */
    reservePriceAfter: t.bigint(),
    clearedAt: t.bigint(),
    clearedInTransaction: t.hex(),
    createdAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.resourceId, table.epoch] }) }),
);

/** An offer of capacity (id: the market's offer id), then its settlement. */
export const marketOffer = onchainTable(
  "market_offer",
  (t) => ({
    id: t.bigint().primaryKey(),
    resourceId: t.bigint().notNull(),
    epoch: t.bigint().notNull(),
    provider: t.hex().notNull(),
    payee: t.hex().notNull(),
    capacity: t.bigint().notNull(),
    /** The epoch's supply right after it, base units. */
    supplyAfter: t.bigint().notNull(),
    claimed: t.boolean().notNull(),
    /** Base units of it sold; its gross (wei) and the protocol fee taken from it (null until claimed). */
    sold: t.bigint(),
    gross: t.bigint(),
    fee: t.bigint(),
    claimedAt: t.bigint(),
    createdAt: t.bigint().notNull(),
    createdAtBlock: t.bigint().notNull(),
    createdAtTransaction: t.hex().notNull(),
  }),
  (table) => ({
    epochIdx: index().on(table.resourceId, table.epoch),
    providerIdx: index().on(table.provider),
  }),
);

/** A bid (id: the market's bid id), then its settlement. */
export const marketBid = onchainTable(
  "market_bid",
  (t) => ({
    id: t.bigint().primaryKey(),
    resourceId: t.bigint().notNull(),
    epoch: t.bigint().notNull(),
    bidder: t.hex().notNull(),
    tick: t.bigint().notNull(),
    /** Wei per base unit. */
    maxPrice: t.bigint().notNull(),
    quantity: t.bigint().notNull(),
    /** CIV escrowed, wei. */
    escrow: t.bigint().notNull(),
    claimed: t.boolean().notNull(),
    /** Base units credited, CIV paid and refunded, wei (null until claimed). */
    filled: t.bigint(),
    cost: t.bigint(),
    refund: t.bigint(),
    claimedAt: t.bigint(),
    createdAt: t.bigint().notNull(),
    createdAtBlock: t.bigint().notNull(),
    createdAtTransaction: t.hex().notNull(),
  }),
  (table) => ({
    epochIdx: index().on(table.resourceId, table.epoch),
    bidderIdx: index().on(table.bidder),
  }),
);

/** A payee's market revenue (a provider, or a compute pool): offers, capacity, sales, gross and fees. */
export const marketProvider = onchainTable("market_provider", (t) => ({
  address: t.hex().primaryKey(),
  offers: t.integer().notNull(),
  capacityOffered: t.bigint().notNull(),
  /** From claimed offers: base units sold, gross (wei) and the protocol fee (wei). */
  sold: t.bigint().notNull(),
  gross: t.bigint().notNull(),
  fees: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** A compute pool created by the ComputePoolFactory: its share sale, creator and dividends. */
export const computePool = onchainTable("compute_pool", (t) => ({
  address: t.hex().primaryKey(),
  /** Who created it (ComputePoolCreated; no power over the pool). */
  creator: t.hex().notNull(),
  /** The market selling its shares and paying its revenue. */
  market: t.hex().notNull(),
  /** Its share sale: the share resource and the epoch whose bids' fills are its shares. */
  shareResourceId: t.bigint().notNull(),
  shareEpoch: t.bigint().notNull(),
  createdBlock: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
  /** CIV added to the dividends, sent to the Treasury (no shares sold), and paid to holders, wei. */
  distributed: t.bigint().notNull(),
  toTreasury: t.bigint().notNull(),
  claimed: t.bigint().notNull(),
  /** The accumulator (CIV per share, scaled by 1e27). */
  dividendPerShare: t.bigint().notNull(),
  claims: t.integer().notNull(),
  createdAt: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** Every pool dividend event (append-only): `distributed`, `to_treasury` or `claimed` (bid id, holder). */
export const dividend = onchainTable(
  "dividend",
  (t) => ({
    id: t.text().primaryKey(),
    pool: t.hex().notNull(),
    kind: t.text().notNull(),
    amount: t.bigint().notNull(),
    /** The accumulator after a distribution (null otherwise). */
    dividendPerShare: t.bigint(),
    /** The share bid and its holder (claims only). */
    bidId: t.bigint(),
    holder: t.hex(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ poolIdx: index().on(table.pool), holderIdx: index().on(table.holder) }),
);

// ---------------------------------------------------------------------------------------------------
// The auditor (issue 15): flags raised by the rules of indexer/audit/ as events arrive, auditors'
// verdicts from the AuditorRegistry, and the rules' running state. See docs/auditor.md.
// ---------------------------------------------------------------------------------------------------

/** A flag's severity (indexer/audit/engine.ts). */
export const flagSeverity = onchainEnum("flag_severity", ["low", "medium", "high", "critical"]);
/** IAuditorRegistry.Verdict. */
export const verdict = onchainEnum("verdict", Verdict.keys);

/**
 * One row per flag (id: `keccak256(abi.encode(rule, transactionHash, logIndex))` of the raising event, as
 * `AuditorRegistry.flagIdOf`). `verdict` is the latest auditor's verdict (`none`: open).
 */
export const flag = onchainTable(
  "flag",
  (t) => ({
    id: t.hex().primaryKey(),
    rule: t.text().notNull(),
    severity: flagSeverity("severity").notNull(),
    summary: t.text().notNull(),
    accounts: t.hex().array().notNull(),
    transactionHashes: t.hex().array().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    verdict: verdict("verdict").notNull(),
    reviewedBy: t.hex(),
    reviewedAt: t.bigint(),
    reviews: t.integer().notNull(),
  }),
  (table) => ({ ruleIdx: index().on(table.rule), severityIdx: index().on(table.severity) }),
);

/** The accounts a flag names, one row each (find an account's flags). */
export const flagAccount = onchainTable(
  "flag_account",
  (t) => ({
    flagId: t.hex().notNull(),
    account: t.hex().notNull(),
    rule: t.text().notNull(),
    severity: flagSeverity("severity").notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.flagId, table.account] }),
    accountIdx: index().on(table.account),
  }),
);

/** The events (transactions) that raised a flag, one row each, in the order the rule lists them. */
export const flagEvent = onchainTable(
  "flag_event",
  (t) => ({
    flagId: t.hex().notNull(),
    position: t.integer().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.flagId, table.position] }) }),
);

/** Every verdict recorded on the AuditorRegistry (event id), joined to its flag by `flagId`. */
export const review = onchainTable(
  "review",
  (t) => ({
    id: t.text().primaryKey(),
    flagId: t.hex().notNull(),
    auditor: t.hex().notNull(),
    verdict: verdict("verdict").notNull(),
    previous: verdict("previous").notNull(),
    noteUri: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ flagIdx: index().on(table.flagId) }),
);

/** Auditors appointed by governance (AUDITOR_ROLE), with when they were appointed and removed. */
export const auditor = onchainTable("auditor", (t) => ({
  address: t.hex().primaryKey(),
  active: t.boolean().notNull(),
  appointedAt: t.bigint().notNull(),
  removedAt: t.bigint(),
}));

/** Each rule's running state (windows of recent events), JSON by key `<rule>:<subject>`. */
export const auditState = onchainTable("audit_state", (t) => ({
  id: t.text().primaryKey(),
  value: t.json().notNull(),
}));

export const flagRelations = relations(flag, ({ many }) => ({
  flaggedAccounts: many(flagAccount),
  events: many(flagEvent),
  reviewRows: many(review),
}));
export const flagAccountRelations = relations(flagAccount, ({ one }) => ({
  flag: one(flag, { fields: [flagAccount.flagId], references: [flag.id] }),
}));
export const flagEventRelations = relations(flagEvent, ({ one }) => ({
  flag: one(flag, { fields: [flagEvent.flagId], references: [flag.id] }),
}));
export const reviewRelations = relations(review, ({ one }) => ({
  flag: one(flag, { fields: [review.flagId], references: [flag.id] }),
}));

// ---------------------------------------------------------------------------------------------------
// The public speech log (issue 13): what agents said (SpeechLog.Spoke), append-only.
// ---------------------------------------------------------------------------------------------------

/**
 * Every statement an agent made on the SpeechLog (event id, in chain order): its agent id and wallet, the
 * topic (bytes32 and as ASCII: "reason", "decision", ...), what it is about (`ref`: a transaction hash, a job
 * id, zero) and the text.
 */
export const statement = onchainTable(
  "statement",
  (t) => ({
    id: t.text().primaryKey(),
    agentId: t.bigint().notNull(),
    speaker: t.hex().notNull(),
    topic: t.hex().notNull(),
    topicText: t.text().notNull(),
    ref: t.hex().notNull(),
    text: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({
    agentIdx: index().on(table.agentId, table.timestamp),
    topicIdx: index().on(table.topicText),
  }),
);

// ---------------------------------------------------------------------------------------------------
// Block lottery (issue 17): epochs, entries, commitments and reveals (indexer/src/BlockLottery.ts).
// ---------------------------------------------------------------------------------------------------

/** IBlockLottery.EntryKind. */
export const lotteryEntryKind = onchainEnum("lottery_entry_kind", EntryKind.keys);
/** IBlockLottery.DrawOutcome. */
export const lotteryDrawOutcome = onchainEnum("lottery_draw_outcome", DrawOutcome.keys);

/** One row per lottery epoch that saw an event: running totals, then the draw and what became of the reward. */
export const lotteryEpoch = onchainTable("lottery_epoch", (t) => ({
  epoch: t.bigint().primaryKey(),
  totalWeight: t.bigint().notNull(),
  mineWeight: t.bigint().notNull(),
  entries: t.integer().notNull(),
  commits: t.integer().notNull(),
  reveals: t.integer().notNull(),
  drawn: t.boolean().notNull(),
  outcome: lotteryDrawOutcome("outcome"),
  winner: t.hex(),
  /** Reward drawn from the Treasury for the winner, in wei. */
  reward: t.bigint().notNull(),
  forfeitedBonds: t.bigint().notNull(),
  seed: t.hex(),
  claimDeadline: t.bigint(),
  /** Reward paid to the winner (gross), in wei; `returned` went back to the Treasury. */
  claimed: t.bigint().notNull(),
  returned: t.bigint().notNull(),
  drawnAt: t.bigint(),
}));

/** Every lottery entry (event id). */
export const lotteryEntry = onchainTable(
  "lottery_entry",
  (t) => ({
    id: t.text().primaryKey(),
    epoch: t.bigint().notNull(),
    entrant: t.hex().notNull(),
    kind: lotteryEntryKind("kind").notNull(),
    /** Base units mined, wei staked, or the burn score entered with. */
    amount: t.bigint().notNull(),
    weight: t.bigint().notNull(),
    /** The entry covers `[totalWeight - weight, totalWeight)` of its epoch. */
    totalWeight: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ epochIdx: index().on(table.epoch), entrantIdx: index().on(table.entrant) }),
);

/** One row per (epoch, entrant) that committed: its commitment, bond and reveal. */
export const lotteryCommitment = onchainTable(
  "lottery_commitment",
  (t) => ({
    epoch: t.bigint().notNull(),
    entrant: t.hex().notNull(),
    commitment: t.hex().notNull(),
    bond: t.bigint().notNull(),
    secret: t.hex(),
    revealedAt: t.bigint(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.epoch, table.entrant] }) }),
);

// ---------------------------------------------------------------------------------------------------
// Agreements (issue 17): every agreement of every kind contract, and its history
// (indexer/lib/agreements.ts, indexer/src/LoanAgreements.ts, InsuranceAgreements.ts, InformationSales.ts).
// A new kind contract adds its handlers to these two tables (indexer/lib/agreements.ts: onAgreementContract).
// ---------------------------------------------------------------------------------------------------

/**
 * One row per agreement, id `${contract}-${agreementId}` (lower-case). `state` is the kind's state in
 * snake case (IBilateralAgreement.State: proposed, accepted, active, delivered, disputed, cancelled,
 * settled, defaulted, ruled, no_show_resolved). Amount columns a kind does not have are null.
 */
export const agreement = onchainTable(
  "agreement",
  (t) => ({
    id: t.text().primaryKey(),
    contract: t.hex().notNull(),
    agreementId: t.bigint().notNull(),
    /** AgreementKinds number (2 loan, 3 insurance, 4 information sale, ...). */
    kind: t.integer().notNull(),
    /** The kind's snake_case key (`information_sale`), from the vocabulary. */
    kindName: t.text().notNull(),
    state: t.text().notNull(),
    proposer: t.hex().notNull(),
    counterparty: t.hex().notNull(),
    /** Null when the agreement names no arbitrator (loans). */
    arbitrator: t.hex(),
    proposerId: t.bigint().notNull(),
    counterpartyId: t.bigint().notNull(),
    arbitratorId: t.bigint().notNull(),
    /** What each side deposits (wei): the proposer's at proposal, the counterparty's at join. */
    proposerDeposit: t.bigint().notNull(),
    counterpartyDeposit: t.bigint().notNull(),
    arbitratorFee: t.bigint().notNull(),
    /** The arbitrator's bond (wei), posted at accept. */
    bond: t.bigint().notNull(),
    /** Kind amounts (wei), null where the kind has none: loan principal/interest/collateral, insurance
     *  premium/cover, information sale price/collateral. */
    principal: t.bigint(),
    interest: t.bigint(),
    premium: t.bigint(),
    cover: t.bigint(),
    price: t.bigint(),
    collateral: t.bigint(),
    /** An information sale's commitment (keccak256 of the data). */
    commitment: t.hex(),
    /** Further kind-specific fields (a new kind's terms), as JSON with bigint values as decimal strings. */
    details: t.json(),
    termsHash: t.hex().notNull(),
    termsURI: t.text().notNull(),
    joinDeadline: t.bigint().notNull(),
    dueDate: t.bigint().notNull(),
    reviewWindow: t.bigint().notNull(),
    rulingWindow: t.bigint().notNull(),
    reviewDeadline: t.bigint(),
    rulingDeadline: t.bigint(),
    /** Who opened the dispute; the ruling (true = the proposer won). */
    disputedBy: t.hex(),
    proposerWins: t.boolean(),
    /** The final payout (gross wei: principal + earnings legs of AgreementSettled), null until settled. */
    proposerPaid: t.bigint(),
    counterpartyPaid: t.bigint(),
    arbitratorPaid: t.bigint(),
    settledBy: t.hex(),
    createdBlock: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    proposerIdx: index().on(table.proposer),
    counterpartyIdx: index().on(table.counterparty),
    kindIdx: index().on(table.kind),
    stateIdx: index().on(table.state),
  }),
);

/** One row per agreement event (event id), for an agreement's history. */
export const agreementEvent = onchainTable(
  "agreement_event",
  (t) => ({
    id: t.text().primaryKey(),
    /** The agreement row's id. */
    agreement: t.text().notNull(),
    contract: t.hex().notNull(),
    agreementId: t.bigint().notNull(),
    kind: t.integer().notNull(),
    /** The event's name (`AgreementJoined`, `LoanProposed`, ...). */
    name: t.text().notNull(),
    /** The account the event names as acting (proposer, arbitrator, counterparty, `by`, `party`), if any. */
    actor: t.hex(),
    /** The agreement's state after the event (snake case). */
    state: t.text().notNull(),
    /** The event's main amount in wei (deposit, bond, refund, total paid out), if any. */
    amount: t.bigint(),
    /** The event's other arguments, JSON (bigints as decimal strings). */
    data: t.json(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ agreementIdx: index().on(table.agreement), actorIdx: index().on(table.actor) }),
);

export const agreementRelations = relations(agreement, ({ many }) => ({ events: many(agreementEvent) }));
export const agreementEventRelations = relations(agreementEvent, ({ one }) => ({
  agreementRow: one(agreement, { fields: [agreementEvent.agreement], references: [agreement.id] }),
}));

// ---------------------------------------------------------------------------------------------------
// City tasks (issue 18): the TaskBoard's tasks, their history, and what each agent took per epoch
// (indexer/src/TaskBoard.ts). The board's settings go to `parameter_change` (contract "TaskBoard").
// ---------------------------------------------------------------------------------------------------

/** ITaskBoard.TaskState. */
export const taskState = onchainEnum("task_state", TaskState.keys);

/**
 * One row per city task, as the board holds it (`TaskBoard.task(id)`), plus its history's times. `deadline`
 * is the current state's deadline exactly as the contract keeps it: while open the end of the open period,
 * while taken the delivery deadline, once delivered the end of the review window.
 */
export const task = onchainTable(
  "task",
  (t) => ({
    id: t.bigint().primaryKey(),
    state: taskState("state").notNull(),
    /** Who posted it and reviews the delivery. */
    reviewer: t.hex().notNull(),
    /** The validator whose passing response accepts the delivery (null: the reviewer only). */
    validator: t.hex(),
    /** The reward, in wei (gross: tax and the wealth cap apply when it is paid). */
    reward: t.bigint().notNull(),
    /** Time to deliver once taken, in seconds. */
    duration: t.bigint().notNull(),
    /** End of the open period, seconds. */
    openUntil: t.bigint().notNull(),
    /** The current state's deadline, seconds (see above). */
    deadline: t.bigint().notNull(),
    /** What posting drew from the Treasury budget (the rest came from the board's unreserved funds), wei. */
    drawn: t.bigint().notNull(),
    termsURI: t.text().notNull(),
    taker: t.hex(),
    takerId: t.bigint(),
    /** The epoch the reward counts against for the taker's cap (set when taken). */
    epoch: t.bigint(),
    deliverableURI: t.text(),
    /** The ValidationRegistry request named at delivery (null: none). */
    requestHash: t.hex(),
    /** Who accepted (the reviewer, anyone showing the validator's pass, anyone after the review window). */
    acceptedBy: t.hex(),
    /** The tax and the part sent to the Treasury by the wealth cap when paid, wei. */
    tax: t.bigint(),
    capExcess: t.bigint(),
    /** The reviewer's reason for a rejection. */
    rejectReason: t.text(),
    /** Whether an expired task had a taker who missed the delivery deadline. */
    missed: t.boolean(),
    createdAt: t.bigint().notNull(),
    takenAt: t.bigint(),
    deliveredAt: t.bigint(),
    closedAt: t.bigint(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    stateIdx: index().on(table.state),
    reviewerIdx: index().on(table.reviewer),
    takerIdx: index().on(table.taker),
  }),
);

/**
 * Every task event (append-only). kind: posted | taken | delivered | accepted | rejected | cancelled |
 * expired | reputation_report_failed. `actor` is the transaction's sender; `uri` the terms, deliverable or
 * rejection reason; `value` the reward (posted), the paid gross (accepted) or the unrecorded delta.
 */
export const taskEvent = onchainTable(
  "task_event",
  (t) => ({
    id: t.text().primaryKey(),
    taskId: t.bigint().notNull(),
    kind: t.text().notNull(),
    actor: t.hex().notNull(),
    uri: t.text(),
    value: t.bigint(),
    /** Other fields of the event, as JSON (bigints as strings). */
    data: t.text(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ taskIdx: index().on(table.taskId) }),
);

/**
 * What one agent took per cap epoch (`TaskBoard.EPOCH`): `taken` equals `TaskBoard.takenByAgent(agentId,
 * epoch)` (rewards of tasks taken, whatever their outcome), and what became of them.
 */
export const taskAgentEpoch = onchainTable(
  "task_agent_epoch",
  (t) => ({
    agentId: t.bigint().notNull(),
    epoch: t.bigint().notNull(),
    /** Rewards of the tasks taken in the epoch, wei. */
    taken: t.bigint().notNull(),
    tasks: t.integer().notNull(),
    /** Of these, the gross paid, the tax on it, and the rewards lost (rejected or missed), wei. */
    paid: t.bigint().notNull(),
    tax: t.bigint().notNull(),
    lost: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.agentId, table.epoch] }) }),
);

export const taskRelations = relations(task, ({ many }) => ({ events: many(taskEvent) }));
export const taskEventRelations = relations(taskEvent, ({ one }) => ({
  task: one(task, { fields: [taskEvent.taskId], references: [task.id] }),
}));

// ---------------------------------------------------------------------------------------------------
// Human rewards and attention (issue 17, ReviewRewards, docs/rewards.md): every review with its reward,
// and each market epoch's attention offer and winner. (Imports are hoisted: this block stays self-contained.)
// ---------------------------------------------------------------------------------------------------
import { WorkKind } from "../scripts/lib/vocabulary.ts";

/** IReviewRewards.WorkKind: what a review's reference names. */
export const workKind = onchainEnum("work_kind", WorkKind.keys);

/** One row per review of an agent's work (`reviewId`; `review` is the auditor's verdicts), with the reward paid for it (zeros and no wallet for a score of 0). */
export const workReview = onchainTable(
  "work_review",
  (t) => ({
    reviewId: t.bigint().primaryKey(),
    reviewer: t.hex().notNull(),
    agentId: t.bigint().notNull(),
    kind: workKind("kind").notNull(),
    /** The work's reference: an escrow id or task id as 32 bytes, or a hash. */
    ref: t.hex().notNull(),
    score: t.integer().notNull(),
    /** Gross reward, in wei (`score * rewardPerPoint`). */
    reward: t.bigint().notNull(),
    /** The market epoch of the review. */
    epoch: t.bigint().notNull(),
    /** Whether the agent won the previous epoch's attention. */
    attention: t.boolean().notNull(),
    uri: t.text().notNull(),
    /** The wallet paid (null when nothing was paid). */
    wallet: t.hex(),
    /** Tax on the reward and the part the wealth cap sent to the Treasury, in wei. */
    tax: t.bigint().notNull(),
    capExcess: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ reviewerIdx: index().on(table.reviewer), agentIdx: index().on(table.agentId) }),
);

/** One row per market epoch whose attention was offered or won. */
export const attentionEpoch = onchainTable("attention_epoch", (t) => ({
  epoch: t.bigint().primaryKey(),
  /** The market's offer of the epoch's one unit (null: not offered). */
  offerId: t.bigint(),
  /** The winning bid, bidder, its agent id (0: not an agent) and the clearing price in wei (null: not recorded). */
  bidId: t.bigint(),
  winner: t.hex(),
  winnerAgentId: t.bigint(),
  price: t.bigint(),
}));

// ---------------------------------------------------------------------------------------------------
// Lottery pools (issue 17, kind 5): each pool is one `agreement` row (indexer/src/PoolAgreements.ts);
// this table holds each member's contribution and claim, which the row's `details` cannot list.
// ---------------------------------------------------------------------------------------------------

/** One row per pool member, id `${agreement row id}-${member}` (lower-case). Amounts in wei. */
export const poolMember = onchainTable(
  "pool_member",
  (t) => ({
    id: t.text().primaryKey(),
    /** The pool's `agreement` row id (`${contract}-${poolId}`). */
    agreement: t.text().notNull(),
    poolId: t.bigint().notNull(),
    member: t.hex().notNull(),
    /** The member's contribution now (PoolJoined's memberTotal; 0 after an exit or a claim). */
    contribution: t.bigint().notNull(),
    /** Everything it contributed, and took back by {exit}, in total. */
    contributed: t.bigint().notNull(),
    exited: t.bigint().notNull(),
    /** What {claim} paid: its principal back and its share of the proceeds (null until claimed). */
    claimedPrincipal: t.bigint(),
    claimedShare: t.bigint(),
    joinedAt: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ agreementIdx: index().on(table.agreement), memberIdx: index().on(table.member) }),
);
