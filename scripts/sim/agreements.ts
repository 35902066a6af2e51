/**
 * Agreements between agents in the simulation (issue 17, docs/agreements.md "In the simulation"): loans,
 * insurance and information sales, on the agreement contracts of contracts/agreements/. Three archetypes
 * (archetypes.ts) make them; their counterparties are the rest of the population; every insurance and sale
 * names an agent of the `arbitrator` archetype, who bonds, attests and rules (a loan names none: on-chain
 * repayment decides it). Each day, after the market's:
 * 1. the agreements' next steps, read from the chain: an arbitrator accepts what names it; a counterparty
 *    joins (a lender lends, an insurer covers, a buyer pays); a borrower repays on its last day before the
 *    due date (or defaults, {@link AgreementsPolicy.defaultChance}); an insured claims when its named event
 *    happened (a job of its ended in dispute); the insurer pays a true claim itself or leaves it to the
 *    arbitrator; a seller reveals (now and then the wrong data, {@link AgreementsPolicy.mismatchChance}, a
 *    dispute at once); a buyer confirms or stays silent; an arbitrator rules (the event from the chain's
 *    escrows, a sale from the revealed data), missing now and then ({@link AgreementsPolicy.noShowChance});
 *    and a party moves every agreement past its deadline on (cancel, claimDefault, expire, finalize,
 *    resolveNoShow), so nothing is left open;
 * 2. new agreements: agents that need working capital borrow from a lender against collateral; clients buy
 *    cover against their jobs ending in dispute from an insurer; information sellers offer data to buyers.
 * What it did is counted from the receipts' events ({@link AgreementsSummary}; test/sim/agreements.test.ts
 * checks it against the chain's events). Everything goes through {@link executeIntents}.
 * Importing this module has no side effects.
 */
import { type Address, keccak256, parseEventLogs, stringToHex, toHex, type TransactionReceipt } from "viem";
import * as abis from "../../generated/abis.ts";
import { readMany, type ReadCall } from "../lib/clients.ts";
import { DAY as DAY_SECONDS } from "../lib/devchain.ts";

const DAY = BigInt(DAY_SECONDS);
import { formatCiv } from "../lib/format.ts";
import { AgreementState, EscrowState } from "../lib/vocabulary.ts";
import { executeIntents, type SimulationRun } from "./engine.ts";
import type { Agent, Intent } from "./model.ts";

/** The archetypes that make agreements (their entries in archetypes.ts), and the one that arbitrates. */
export const AGREEMENT_ARCHETYPES = {
  lender: "lender",
  insurer: "insurer",
  seller: "informant",
  arbitrator: "arbitrator",
} as const;

const CIV = 10n ** 18n;
const MAX_UINT256 = 2n ** 256n - 1n;

/** How the simulated agents make agreements (docs/agreements.md "In the simulation"). Amounts in wei. */
export interface AgreementsPolicy {
  /** Loans: principal, interest, collateral (at least the principal: the contract's rule). */
  principal: bigint;
  interest: bigint;
  collateral: bigint;
  /** Chance a day that an agent needing working capital borrows; it needs it below this balance. */
  borrowChance: number;
  borrowBelow: bigint;
  /** Chance a borrower does not repay (then it defaults and loses its collateral). */
  defaultChance: number;
  /** Insurance: premium, cover, the arbitrator's fee; chance a day a client buys cover. */
  premium: bigint;
  cover: bigint;
  insuranceFee: bigint;
  insureChance: number;
  /** Chance the insurer pays a true claim itself rather than waiting for the arbitrator's attestation. */
  payClaimChance: number;
  /** Information sales: price, collateral, fee; chance a day each seller offers one. */
  price: bigint;
  saleCollateral: bigint;
  saleFee: bigint;
  sellChance: number;
  /** Chance a seller reveals data that does not match its commitment. */
  mismatchChance: number;
  /** Chance a buyer confirms a matching reveal (otherwise it stays silent and the seller finalizes). */
  confirmChance: number;
  /** Chance an arbitrator misses a ruling. */
  noShowChance: number;
  /** A party commits money only while its liquid balance stays above this after the deposit. */
  reserve: bigint;
}

/** The default calibration: small amounts against a 1,000 CIV birth grant and 100 CIV a day of upkeep. */
export const DEFAULT_AGREEMENTS_POLICY: AgreementsPolicy = {
  principal: 50n * CIV,
  interest: 5n * CIV,
  collateral: 50n * CIV,
  borrowChance: 0.15,
  borrowBelow: 800n * CIV,
  defaultChance: 0.2,
  premium: 5n * CIV,
  cover: 40n * CIV,
  insuranceFee: 2n * CIV,
  insureChance: 0.2,
  payClaimChance: 0.5,
  price: 10n * CIV,
  saleCollateral: 10n * CIV,
  saleFee: 1n * CIV,
  sellChance: 0.6,
  mismatchChance: 0.15,
  confirmChance: 0.6,
  noShowChance: 0.1,
  reserve: 250n * CIV,
};

/** The three kinds the simulation makes, by their contract in the deployment. */
type Kind = "loan" | "insurance" | "sale";
const CONTRACT_OF = {
  loan: "loanAgreements",
  insurance: "insuranceAgreements",
  sale: "informationSales",
} as const;

/** One agreement the simulation made: its parties and what the proposer knows. */
interface Tracked {
  kind: Kind;
  id: bigint;
  proposer: Agent;
  counterparty: Agent;
  arbitrator?: Agent;
  /** A sale's data (what was committed) and whether the seller will reveal something else. */
  data?: `0x${string}`;
  mismatch?: boolean;
  /** Insurance: the escrow count at proposal (the named event is a later job of the insured disputed). */
  escrowsBefore?: bigint;
  /** A loan the borrower will not repay. */
  defaults?: boolean;
  /** The data revealed (a sale), from the chain's event. */
  revealed?: `0x${string}`;
}

/** What the agreements did over a run (the `agreements` field of the simulation's result). Wei. */
export interface AgreementsSummary {
  lenders: string[];
  insurers: string[];
  sellers: string[];
  loans: {
    proposed: number;
    made: number;
    lent: bigint;
    repaid: number;
    repaidAmount: bigint;
    defaulted: number;
    /** Collateral the lenders took on defaults. */
    collateralSeized: bigint;
    cancelled: number;
  };
  insurance: {
    proposed: number;
    sold: number;
    /** Premiums of the policies sold, cover sold (the insurers' deposits). */
    premiums: bigint;
    coverSold: bigint;
    claims: number;
    /** Claims paid (by the insurer or on the arbitrator's attestation) and the cover paid out. */
    claimsPaid: number;
    coverPaid: bigint;
    claimsRefused: number;
    expired: number;
    /** Policies voided by a missed ruling (premium back, bond shared). */
    voided: number;
    cancelled: number;
  };
  sales: {
    proposed: number;
    bought: number;
    revealed: number;
    mismatches: number;
    confirmed: number;
    finalized: number;
    disputes: number;
    /** Disputes ruled for the seller / for the buyer. */
    ruledForSeller: number;
    ruledForBuyer: number;
    defaulted: number;
    cancelled: number;
    /** Sellers' earnings: prices, and bond shares after a missed ruling. */
    paidToSellers: bigint;
  };
  arbitration: { accepted: number; ruled: number; noShows: number; feesEarned: bigint };
}

/** The agreements' memory across days. */
export interface AgreementsState {
  policy: AgreementsPolicy;
  contracts: Record<
    Kind,
    {
      address: Address;
      abi:
        typeof abis.loanAgreementsAbi | typeof abis.insuranceAgreementsAbi | typeof abis.informationSalesAbi;
    }
  >;
  /** Agreements not final yet, by `kind:id`. */
  open: Map<string, Tracked>;
  /** (agent, contract) pairs approved. */
  approved: Set<string>;
  summary: AgreementsSummary;
}

/**
 * Reads nothing: binds the three agreement contracts.
 * @returns null when the deployment lacks one of them or the population has none of the three archetypes.
 */
export function createAgreements(
  run: SimulationRun,
  policy = DEFAULT_AGREEMENTS_POLICY,
): AgreementsState | null {
  const c = run.contracts;
  const names = (archetype: string) => run.agents.filter((a) => a.archetype === archetype).map((a) => a.name);
  const { lender, insurer, seller } = AGREEMENT_ARCHETYPES;
  if (
    c.loanAgreements === undefined ||
    c.insuranceAgreements === undefined ||
    c.informationSales === undefined
  )
    return null;
  if (names(lender).length + names(insurer).length + names(seller).length === 0) return null;
  return {
    policy,
    contracts: { loan: c.loanAgreements, insurance: c.insuranceAgreements, sale: c.informationSales },
    open: new Map(),
    approved: new Set(),
    summary: {
      lenders: names(lender),
      insurers: names(insurer),
      sellers: names(seller),
      loans: {
        proposed: 0,
        made: 0,
        lent: 0n,
        repaid: 0,
        repaidAmount: 0n,
        defaulted: 0,
        collateralSeized: 0n,
        cancelled: 0,
      },
      insurance: {
        proposed: 0,
        sold: 0,
        premiums: 0n,
        coverSold: 0n,
        claims: 0,
        claimsPaid: 0,
        coverPaid: 0n,
        claimsRefused: 0,
        expired: 0,
        voided: 0,
        cancelled: 0,
      },
      sales: {
        proposed: 0,
        bought: 0,
        revealed: 0,
        mismatches: 0,
        confirmed: 0,
        finalized: 0,
        disputes: 0,
        ruledForSeller: 0,
        ruledForBuyer: 0,
        defaulted: 0,
        cancelled: 0,
        paidToSellers: 0n,
      },
      arbitration: { accepted: 0, ruled: 0, noShows: 0, feesEarned: 0n },
    },
  };
}

/** The stored agreement, as `agreementOf` returns it. */
type AgreementRow = {
  state: number;
  proposerDeposit: bigint;
  counterpartyDeposit: bigint;
  arbitratorFee: bigint;
  joinDeadline: bigint;
  dueDate: bigint;
  reviewDeadline: bigint;
  rulingDeadline: bigint;
  bond: bigint;
};

/** Lives the agreements' part of one day (see the module's comment). */
export async function agreementsDay(
  run: SimulationRun,
  state: AgreementsState | null,
  day: number,
): Promise<void> {
  if (state === null) return;
  const { client, agents, agentIds, contracts } = run;
  const { policy, summary } = state;
  const block = await client.getBlock({ blockTag: "latest" });
  const now = block.timestamp;
  const live = agents.filter((a) => agentIds.has(a.address));
  const open = [...state.open.values()];
  const reads = await readMany(
    client,
    [
      { ...contracts.escrow, functionName: "escrowCount" },
      ...live.flatMap((a) => [
        { ...contracts.registry, functionName: "isInGoodStanding", args: [a.address] } as ReadCall,
        { ...contracts.token, functionName: "balanceOf", args: [a.address] } as ReadCall,
      ]),
      ...open.map(
        (t) => ({ ...state.contracts[t.kind], functionName: "agreementOf", args: [t.id] }) as ReadCall,
      ),
    ],
    { blockNumber: block.number },
  );
  const escrowCount = reads[0] as bigint;
  const happened = new Map<Tracked, Promise<boolean>>();
  /** Whether an insurance's named event happened (read once a day per policy). */
  const eventHappened = (t: Tracked) => {
    if (!happened.has(t))
      happened.set(t, jobDisputed(run, t.proposer.address, t.escrowsBefore ?? 0n, escrowCount));
    return happened.get(t)!;
  };
  const standing = new Set<Agent>();
  const balance = new Map<Agent, bigint>();
  live.forEach((a, i) => {
    if (reads[1 + 2 * i] as boolean) standing.add(a);
    balance.set(a, reads[2 + 2 * i] as bigint);
  });
  const rows = new Map<Tracked, AgreementRow>(
    open.map((t, i) => [t, reads[1 + 2 * live.length + i] as AgreementRow]),
  );
  /** Spends `amount` of `agent`'s balance if it keeps the reserve (the day's plans share one balance). */
  const afford = (agent: Agent, amount: bigint) => {
    const left = (balance.get(agent) ?? 0n) - amount;
    if (!standing.has(agent) || left < policy.reserve) return false;
    balance.set(agent, left);
    return true;
  };

  const plans = new Map<Agent, Intent[]>();
  const approvals = new Map<Agent, Intent[]>();
  const plan = (
    agent: Agent,
    kind: Kind,
    label: string,
    functionName: string,
    args: readonly unknown[],
    needsAllowance = false,
  ) => {
    const contract = state.contracts[kind];
    const key = `${agent.address}:${contract.address}`;
    if (needsAllowance && !state.approved.has(key)) {
      state.approved.add(key);
      approvals.set(agent, [
        ...(approvals.get(agent) ?? []),
        {
          label: "token.approve",
          call: { ...contracts.token, functionName: "approve", args: [contract.address, MAX_UINT256] },
        },
      ]);
    }
    plans.set(agent, [
      ...(plans.get(agent) ?? []),
      {
        label: `${kind}.${label}`,
        call: { ...contract, functionName, args },
        onMined: (receipt) => note(kind, receipt, label),
      },
    ]);
  };

  /** Counts a receipt's agreement events and updates the tracked agreements. */
  const note = (kind: Kind, receipt: TransactionReceipt, label: string) => {
    const contract = state.contracts[kind];
    const logs = parseEventLogs({ abi: contract.abi, logs: receipt.logs }).filter(
      (log) => log.address.toLowerCase() === contract.address.toLowerCase(),
    );
    for (const log of logs) {
      const a = log.args as Record<string, unknown>;
      const id = a.agreementId as bigint;
      const tracked = state.open.get(`${kind}:${id}`);
      switch (log.eventName) {
        case "AgreementAccepted":
          summary.arbitration.accepted++;
          break;
        case "AgreementJoined":
          if (kind === "loan") {
            summary.loans.made++;
            summary.loans.lent += a.deposit as bigint;
          } else if (kind === "insurance") {
            summary.insurance.sold++;
            summary.insurance.coverSold += a.deposit as bigint;
          } else summary.sales.bought++;
          break;
        case "InsuranceProposed":
          break;
        case "InformationRevealed":
          summary.sales.revealed++;
          if (!(a.matches as boolean)) summary.sales.mismatches++;
          if (tracked) tracked.revealed = a.data as `0x${string}`;
          break;
        case "AgreementDisputed":
          if (kind === "insurance") summary.insurance.claims++;
          else summary.sales.disputes++;
          break;
        case "AgreementRuled":
          summary.arbitration.ruled++;
          if (kind === "sale") {
            if (a.proposerWins as boolean) summary.sales.ruledForSeller++;
            else summary.sales.ruledForBuyer++;
          } else if (kind === "insurance" && !(a.proposerWins as boolean)) summary.insurance.claimsRefused++;
          break;
        case "AgreementCancelled":
          summary[kind === "sale" ? "sales" : kind === "loan" ? "loans" : "insurance"].cancelled++;
          state.open.delete(`${kind}:${id}`);
          break;
        case "AgreementSettled": {
          const outcome = AgreementState.nameOf(a.outcome as number);
          const p = a.payout as {
            proposerPrincipal: bigint;
            proposerEarnings: bigint;
            counterpartyPrincipal: bigint;
            counterpartyEarnings: bigint;
            arbitratorEarnings: bigint;
          };
          summary.arbitration.feesEarned += p.arbitratorEarnings;
          if (outcome === "NoShowResolved") summary.arbitration.noShows++;
          if (kind === "loan") {
            if (outcome === "Settled") {
              summary.loans.repaid++;
              summary.loans.repaidAmount += p.counterpartyPrincipal + p.counterpartyEarnings;
            } else if (outcome === "Defaulted") {
              summary.loans.defaulted++;
              summary.loans.collateralSeized += p.counterpartyPrincipal + p.counterpartyEarnings;
            }
          } else if (kind === "insurance") {
            // The cover reaches the insured as its earnings only when a claim is paid.
            if (outcome !== "NoShowResolved" && p.proposerEarnings > 0n) {
              summary.insurance.claimsPaid++;
              summary.insurance.coverPaid += p.proposerEarnings;
            } else if (outcome === "Settled") summary.insurance.expired++;
            else if (outcome === "NoShowResolved") summary.insurance.voided++;
          } else {
            if (outcome === "Defaulted") summary.sales.defaulted++;
            else if (outcome === "Settled" && label === "confirm") summary.sales.confirmed++;
            else if (outcome === "Settled") summary.sales.finalized++;
            summary.sales.paidToSellers += p.proposerEarnings;
          }
          state.open.delete(`${kind}:${id}`);
          break;
        }
      }
    }
  };

  // 1. Next steps of open agreements.
  for (const t of open) {
    const row = rows.get(t)!;
    const s = AgreementState.nameOf(row.state);
    const { proposer: P, counterparty: C, arbitrator: A } = t;
    const joinPassed = now > row.joinDeadline;
    if (s === "Proposed" || s === "Accepted") {
      if (joinPassed) {
        if (standing.has(P)) plan(P, t.kind, "cancel", "cancel", [t.id]);
      } else if (s === "Proposed" && A !== undefined) {
        if (afford(A, row.bond)) plan(A, t.kind, "accept", "accept", [t.id], true);
      } else if (afford(C, row.counterpartyDeposit)) plan(C, t.kind, "join", "join", [t.id], true);
      continue;
    }
    if (s === "Active") {
      const duePassed = now > row.dueDate;
      if (t.kind === "loan") {
        if (duePassed) {
          if (standing.has(C)) plan(C, "loan", "claimDefault", "claimDefault", [t.id]);
        } else if (
          !t.defaults &&
          now + DAY > row.dueDate &&
          afford(P, row.counterpartyDeposit + policy.interest)
        )
          plan(P, "loan", "repay", "repay", [t.id]);
      } else if (t.kind === "insurance") {
        if (duePassed) {
          if (standing.has(C)) plan(C, "insurance", "expire", "expire", [t.id]);
        } else if (standing.has(P) && (await eventHappened(t)))
          plan(P, "insurance", "claim", "claim", [t.id, `civitas-sim://insurance/${t.id}/claim`]);
      } else if (duePassed) {
        if (standing.has(C)) plan(C, "sale", "claimDefault", "claimDefault", [t.id]);
      } else if (standing.has(P))
        plan(P, "sale", "reveal", "reveal", [
          t.id,
          t.mismatch ? toHex(`not what was sold ${t.id}`) : t.data!,
        ]);
      continue;
    }
    if (s === "Delivered") {
      if (now > row.reviewDeadline) {
        if (standing.has(P)) plan(P, "sale", "finalize", "finalize", [t.id]);
      } else if (standing.has(C) && C.rng.fork(`confirm-${t.id}`).chance(policy.confirmChance))
        plan(C, "sale", "confirm", "confirm", [t.id]);
      continue;
    }
    if (s === "Disputed") {
      if (now > row.rulingDeadline) {
        const mover = standing.has(P) ? P : C;
        if (standing.has(mover)) plan(mover, t.kind, "resolveNoShow", "resolveNoShow", [t.id]);
        continue;
      }
      if (
        t.kind === "insurance" &&
        standing.has(C) &&
        C.rng.fork(`pay-${t.id}`).chance(policy.payClaimChance)
      ) {
        // The insurer checks the claim as the arbitrator would and pays a true one itself.
        if (await eventHappened(t)) {
          plan(C, "insurance", "payClaim", "payClaim", [t.id]);
          continue;
        }
      }
      if (
        A !== undefined &&
        standing.has(A) &&
        !A.rng.fork(`no-show-${t.kind}-${t.id}`).chance(policy.noShowChance)
      ) {
        const proposerWins =
          t.kind === "insurance"
            ? await eventHappened(t)
            : t.revealed !== undefined && keccak256(t.revealed) === keccak256(t.data!);
        plan(A, t.kind, "rule", "rule", [t.id, proposerWins]);
      }
    }
  }

  // 2. New agreements.
  const arbitrators = live.filter((a) => a.archetype === AGREEMENT_ARCHETYPES.arbitrator && standing.has(a));
  const of = (archetype: string) => live.filter((a) => a.archetype === archetype && standing.has(a));
  const lenders = of(AGREEMENT_ARCHETYPES.lender);
  const insurers = of(AGREEMENT_ARCHETYPES.insurer);
  const sellers = of(AGREEMENT_ARCHETYPES.seller);
  const busy = new Set(open.map((t) => t.proposer));
  const named = new Set(["lender", "insurer", "informant", "arbitrator"]);
  const others = live.filter((a) => standing.has(a) && !named.has(a.archetype) && !busy.has(a));
  const terms = (counterparty: Agent, arbitrator: Agent | undefined, fee: bigint, uri: string) => ({
    counterparty: counterparty.address,
    arbitrator: arbitrator?.address ?? "0x0000000000000000000000000000000000000000",
    arbitratorFee: fee,
    joinDeadline: now + 3n * DAY,
    dueDate: now + 6n * DAY,
    reviewWindow: arbitrator ? Number(2n * DAY) : 0,
    rulingWindow: arbitrator ? Number(2n * DAY) : 0,
    termsHash: keccak256(stringToHex(uri)),
    termsURI: uri,
  });
  const propose = (t: Omit<Tracked, "id">, args: readonly unknown[], deposit: bigint) => {
    if (!afford(t.proposer, deposit)) return;
    busy.add(t.proposer);
    const contract = state.contracts[t.kind];
    plan(t.proposer, t.kind, "propose", "propose", args, true);
    const intents = plans.get(t.proposer)!;
    const last = intents.pop()!;
    intents.push({
      ...last,
      onMined: (receipt) => {
        const logs = parseEventLogs({
          abi: contract.abi,
          logs: receipt.logs,
          eventName: "AgreementProposed",
        });
        for (const log of logs) {
          if (log.address.toLowerCase() !== contract.address.toLowerCase()) continue;
          const id = log.args.agreementId;
          state.open.set(`${t.kind}:${id}`, { ...t, id });
          summary[t.kind === "sale" ? "sales" : t.kind === "loan" ? "loans" : "insurance"].proposed++;
          if (t.kind === "insurance") summary.insurance.premiums += policy.premium;
        }
        last.onMined?.(receipt);
      },
    });
  };
  for (const borrower of others) {
    const rng = borrower.rng.fork(`agreements-${day}`);
    if (
      lenders.length > 0 &&
      (balance.get(borrower) ?? 0n) < policy.borrowBelow &&
      rng.chance(policy.borrowChance)
    ) {
      const lender = rng.pick(lenders);
      const uri = `civitas-sim://loan/${borrower.name}/day-${day}`;
      propose(
        {
          kind: "loan",
          proposer: borrower,
          counterparty: lender,
          defaults: rng.chance(policy.defaultChance),
        },
        [terms(lender, undefined, 0n, uri), policy.principal, policy.interest, policy.collateral],
        policy.collateral,
      );
    } else if (
      insurers.length > 0 &&
      arbitrators.length > 0 &&
      borrower.traits.roles.includes("client") &&
      rng.chance(policy.insureChance)
    ) {
      const uri = `civitas-sim://insurance/job-disputed/${borrower.name}/after-escrow-${escrowCount}`;
      const insurer = rng.pick(insurers);
      const arbitrator = rng.pick(arbitrators);
      propose(
        {
          kind: "insurance",
          proposer: borrower,
          counterparty: insurer,
          arbitrator,
          escrowsBefore: escrowCount,
        },
        [terms(insurer, arbitrator, policy.insuranceFee, uri), policy.premium, policy.cover],
        policy.premium + policy.insuranceFee,
      );
    }
  }
  for (const seller of sellers) {
    const rng = seller.rng.fork(`sale-${day}`);
    const buyers = live.filter((a) => standing.has(a) && a !== seller && !arbitrators.includes(a));
    if (arbitrators.length === 0 || buyers.length === 0 || !rng.chance(policy.sellChance)) continue;
    const buyer = rng.pick(buyers);
    const arbitrator = rng.pick(arbitrators);
    const data = toHex(`${seller.name} day ${day}: the market clears tomorrow at ${rng.int(8, 40)} ticks`);
    const uri = `civitas-sim://information/${seller.name}/day-${day}`;
    propose(
      {
        kind: "sale",
        proposer: seller,
        counterparty: buyer,
        arbitrator,
        data,
        mismatch: rng.chance(policy.mismatchChance),
      },
      [terms(buyer, arbitrator, policy.saleFee, uri), policy.price, policy.saleCollateral, keccak256(data)],
      policy.saleCollateral + policy.saleFee,
    );
  }

  if (approvals.size > 0)
    await executeIntents(
      run,
      day,
      "agreements.approve",
      [...approvals].map(([agent, intents]) => ({ agent, intents })),
      now,
    );
  if (plans.size > 0)
    await executeIntents(
      run,
      day,
      "agreements",
      [...plans].map(([agent, intents]) => ({ agent, intents })),
      now,
    );
}

/** Escrow states in which a job has ended in, or is in, a dispute. */
const DISPUTED = new Set(["Disputed", "Ruled", "NoShowResolved"]);

/**
 * The insurance's named event, as the arbitrator attests it from the chain: a job the insured posted after
 * the policy was proposed (escrow id above `after`) is in or ended in a dispute.
 */
async function jobDisputed(
  run: SimulationRun,
  insured: Address,
  after: bigint,
  count: bigint,
): Promise<boolean> {
  const ids: bigint[] = [];
  for (let id = after + 1n; id <= count; id++) ids.push(id);
  if (ids.length === 0) return false;
  const rows = (await readMany(
    run.client,
    ids.map((id) => ({ ...run.contracts.escrow, functionName: "escrowOf", args: [id] }) as ReadCall),
  )) as { client: Address; state: number }[];
  return rows.some((e) => e.client === insured && DISPUTED.has(EscrowState.nameOf(e.state)));
}

/** The report's lines about the agreements (nothing when the run made none). */
export function renderAgreements(summary: AgreementsSummary | undefined): string[] {
  if (summary === undefined) return [];
  const { loans: l, insurance: i, sales: s, arbitration: a } = summary;
  const civ = (wei: bigint) => formatCiv(wei, 0);
  return [
    `Agreements (lenders ${summary.lenders.join(", ") || "none"}; insurers ${summary.insurers.join(", ") || "none"}; ` +
      `information sellers ${summary.sellers.join(", ") || "none"}):`,
    `  Loans: ${l.proposed} proposed, ${l.made} made (${civ(l.lent)} lent), ${l.repaid} repaid (${civ(l.repaidAmount)}), ` +
      `${l.defaulted} defaulted (${civ(l.collateralSeized)} collateral to lenders), ${l.cancelled} cancelled.`,
    `  Insurance: ${i.proposed} proposed, ${i.sold} sold (premiums ${civ(i.premiums)}, cover ${civ(i.coverSold)}), ` +
      `${i.claims} claims: ${i.claimsPaid} paid (${civ(i.coverPaid)}), ${i.claimsRefused} refused; ${i.expired} expired, ` +
      `${i.voided} voided by a missed ruling, ${i.cancelled} cancelled.`,
    `  Information sales: ${s.proposed} proposed, ${s.bought} bought, ${s.revealed} revealed (${s.mismatches} mismatched), ` +
      `${s.confirmed} confirmed, ${s.finalized} finalized, ${s.disputes} disputes (ruled for seller ${s.ruledForSeller}, ` +
      `for buyer ${s.ruledForBuyer}), ${s.defaulted} defaulted, ${s.cancelled} cancelled; ${civ(s.paidToSellers)} earned by sellers.`,
    `  Arbitrators: ${a.accepted} accepted, ${a.ruled} ruled, ${a.noShows} missed; fees earned ${formatCiv(a.feesEarned, 2)}.`,
  ];
}
