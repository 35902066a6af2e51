/**
 * Classification of CIV Transfer legs (pure; unit-tested in test/indexer/classify.test.ts).
 *
 * The token's movement rules (contracts/interfaces/ICivitasToken.sol) emit one or more `Transfer` legs per
 * operation, then at most one summary event (TaxCharged, EarningsPaid, CapExcessRedirected) after them;
 * other events (DelegateVotesChanged) may sit in between. A leg is classified when it arrives from its
 * parties alone; a summary then re-labels the legs it names (see {@link summaryLegs}).
 */

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** What a transfer row records. */
export type TransferKind =
  "payment" | "earnings" | "grant" | "deposit" | "refund" | "mint" | "burn" | "tax" | "cap_excess";

/** The parties of a leg, as known to the indexer when it arrives. */
export interface LegParties {
  from: string;
  to: string;
  /** The Treasury's address. */
  treasury: string;
  /** Whether an address is currently a protocol account on the token (the Treasury always is). */
  isProtocol: (address: string) => boolean;
}

/**
 * The kind of a leg from its parties alone (before any summary event):
 * mint (from zero), burn (to zero), grant (from the Treasury), deposit (into a protocol account),
 * refund (from another protocol account: escrow refunds, stake withdrawals), payment (agent to agent).
 */
export function classifyLeg({ from, to, treasury, isProtocol }: LegParties): TransferKind {
  const f = from.toLowerCase();
  const t = to.toLowerCase();
  if (f === ZERO_ADDRESS) return "mint";
  if (t === ZERO_ADDRESS) return "burn";
  if (f === treasury.toLowerCase()) return "grant";
  if (isProtocol(t)) return "deposit";
  if (isProtocol(f)) return "refund";
  return "payment";
}

/** A leg a summary event says was emitted before it, with its final labelling. */
export interface ExpectedLeg {
  from: string;
  to: string;
  amount: bigint;
  kind: TransferKind;
  /** Whether this is the operation's main leg (the one carrying gross, tax and net). */
  main: boolean;
}

/** A summary event of the token, reduced to what settles its legs. */
export type Summary =
  | { type: "TaxCharged"; from: string; to: string; gross: bigint; tax: bigint }
  | { type: "EarningsPaid"; payer: string; payee: string; gross: bigint; tax: bigint; capExcess: bigint }
  | { type: "CapExcessRedirected"; from: string; account: string; amount: bigint; excess: bigint };

/** The operation a summary describes: its gross, tax and net, and the kind of its main leg. */
export interface Operation {
  gross: bigint;
  tax: bigint;
  net: bigint;
  kind: TransferKind;
}

/**
 * The legs a summary event closes, in emission order (the token omits zero-amount legs, except a
 * taxed transfer's net leg),
 * and the operation they make up.
 * @param summary The summary event.
 * @param treasury The Treasury's address.
 * @param isProtocol Whether an address is a protocol account (an EarningsPaid to one is untaxed, one leg).
 */
export function summaryLegs(
  summary: Summary,
  treasury: string,
  isProtocol: (address: string) => boolean,
): { legs: ExpectedLeg[]; operation: Operation } {
  const legs: ExpectedLeg[] = [];
  const push = (
    from: string,
    to: string,
    amount: bigint,
    kind: TransferKind,
    main: boolean,
    always = false,
  ) => {
    if (amount > 0n || always)
      legs.push({ from: from.toLowerCase(), to: to.toLowerCase(), amount, kind, main });
  };
  switch (summary.type) {
    case "TaxCharged": {
      const net = summary.gross - summary.tax;
      push(summary.from, treasury, summary.tax, "tax", false);
      // The taxed path always emits the net leg, even for a zero amount.
      push(summary.from, summary.to, net, "payment", true, true);
      return { legs, operation: { gross: summary.gross, tax: summary.tax, net, kind: "payment" } };
    }
    case "EarningsPaid": {
      const net = summary.gross - summary.tax;
      if (isProtocol(summary.payee.toLowerCase()) && summary.tax === 0n && summary.capExcess === 0n) {
        push(summary.payer, summary.payee, summary.gross, "earnings", true);
      } else {
        push(summary.payer, treasury, summary.tax, "tax", false);
        push(summary.payer, treasury, summary.capExcess, "cap_excess", false);
        push(summary.payer, summary.payee, net - summary.capExcess, "earnings", true);
      }
      return { legs, operation: { gross: summary.gross, tax: summary.tax, net, kind: "earnings" } };
    }
    case "CapExcessRedirected": {
      push(summary.from, treasury, summary.excess, "cap_excess", false);
      const kind: TransferKind = summary.from.toLowerCase() === treasury.toLowerCase() ? "grant" : "refund";
      push(summary.from, summary.account, summary.amount - summary.excess, kind, true);
      return {
        legs,
        operation: { gross: summary.amount, tax: 0n, net: summary.amount, kind },
      };
    }
  }
}

/**
 * Matches a summary's expected legs against the transaction's legs seen so far: they must be the last
 * `expected.length` legs, in order, with the same parties and amounts.
 * @param seen The transaction's legs so far, oldest first.
 * @returns For each expected leg, the index in `seen` it matched.
 * @throws When the legs do not match (the token broke its documented event order).
 */
export function matchLegs(
  seen: readonly { from: string; to: string; amount: bigint }[],
  expected: readonly ExpectedLeg[],
): number[] {
  const start = seen.length - expected.length;
  if (start < 0)
    throw new Error(`summary expects ${expected.length} legs, the transaction has ${seen.length}`);
  return expected.map((leg, i) => {
    const got = seen[start + i]!;
    if (got.from.toLowerCase() !== leg.from || got.to.toLowerCase() !== leg.to || got.amount !== leg.amount) {
      throw new Error(
        `summary leg ${i} expected ${leg.from} -> ${leg.to} ${leg.amount}, got ${got.from} -> ${got.to} ${got.amount}`,
      );
    }
    return start + i;
  });
}
