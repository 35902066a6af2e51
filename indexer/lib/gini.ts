/**
 * Inequality figures for the economy rows (pure; unit-tested in test/indexer/gini.test.ts).
 */

/** Parts per million. */
export const PPM = 1_000_000n;

/**
 * Gini coefficient of non-negative amounts, in parts per million, rounded down; exact integer arithmetic.
 * G = (2 * sum(i * x_i) - (n + 1) * sum(x)) / (n * sum(x)) with x ascending and i = 1..n.
 * 0 for no values, one value, or all zero; approaches 1,000,000 when one holds everything.
 * @param values Amounts (wei), any order.
 * @throws On a negative amount.
 */
export function giniPpm(values: readonly bigint[]): bigint {
  const n = BigInt(values.length);
  if (n < 2n) return 0n;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted[0]! < 0n) throw new Error(`negative amount ${sorted[0]}`);
  let sum = 0n;
  let weighted = 0n;
  sorted.forEach((x, i) => {
    sum += x;
    weighted += BigInt(i + 1) * x;
  });
  if (sum === 0n) return 0n;
  return ((2n * weighted - (n + 1n) * sum) * PPM) / (n * sum);
}

/** The Gini coefficient as a number in [0, 1] (giniPpm / 1e6). */
export function gini(values: readonly bigint[]): number {
  return Number(giniPpm(values)) / Number(PPM);
}

/**
 * The largest holding and its share of supply.
 * @param holdings Address to holdings (wei).
 * @param totalSupply Total supply (wei).
 * @returns The largest holder (undefined when none), its holding, and holding / totalSupply in bps
 * (rounded down; 0 when the supply is 0).
 */
export function largestHolder(
  holdings: ReadonlyMap<string, bigint> | Iterable<[string, bigint]>,
  totalSupply: bigint,
): { holder: string | undefined; holding: bigint; shareBps: bigint } {
  let holder: string | undefined;
  let holding = 0n;
  for (const [address, amount] of holdings) {
    if (amount === 0n) continue;
    // Ties go to the lowest address, so the result does not depend on iteration order.
    if (amount > holding || (amount === holding && holder !== undefined && address < holder)) {
      holder = address;
      holding = amount;
    }
  }
  return { holder, holding, shareBps: totalSupply === 0n ? 0n : (holding * 10_000n) / totalSupply };
}
