/**
 * Formatting and parsing of CIV amounts and basis points. Pure functions, no side effects.
 * CIV has 18 decimals: 1 CIV = 10^18 wei.
 */

/** Wei per CIV (10^18). */
export const WEI_PER_CIV = 10n ** 18n;

/**
 * Formats a wei amount as CIV with a unit and thousands separators, e.g. `1,234.5 CIV`.
 * @param wei Amount in wei (may be negative).
 * @param maxFractionDigits Fraction digits kept (rounded toward zero; default 4). Trailing zeros are dropped.
 * @param unit The unit suffix (default `"CIV"`; pass `""` for the bare number).
 * @returns The formatted amount, e.g. `formatCiv(1_500_000_000_000_000_000n)` is `"1.5 CIV"`.
 */
export function formatCiv(wei: bigint, maxFractionDigits = 4, unit = "CIV"): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const whole = abs / WEI_PER_CIV;
  const fraction = (abs % WEI_PER_CIV)
    .toString()
    .padStart(18, "0")
    .slice(0, maxFractionDigits)
    .replace(/0+$/, "");
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const number = `${negative ? "-" : ""}${wholeText}${fraction ? `.${fraction}` : ""}`;
  return unit ? `${number} ${unit}` : number;
}

/**
 * Parses a decimal CIV amount (e.g. `"12.5"`, `"1,000"`, `"3 CIV"`) into wei.
 * @param text A non-negative decimal number of CIV with at most 18 fraction digits; commas, spaces and a
 * trailing `CIV` unit are ignored.
 * @returns The amount in wei.
 * @throws Error when the text is not a valid non-negative amount.
 */
export function parseCiv(text: string): bigint {
  const cleaned = text
    .trim()
    .replace(/\s*CIV$/i, "")
    .replace(/[,_\s]/g, "");
  const match = /^(\d+)(?:\.(\d{0,18}))?$/.exec(cleaned);
  if (!match) throw new Error(`not a CIV amount: "${text}" (expected e.g. 12.5 or 1000)`);
  const [, whole, fraction = ""] = match;
  return BigInt(whole!) * WEI_PER_CIV + BigInt(fraction.padEnd(18, "0"));
}

/**
 * Formats basis points as a percentage, e.g. `formatBps(1000n)` is `"10%"` and `formatBps(125n)` `"1.25%"`.
 * @param bps Rate in basis points (10,000 = 100%).
 */
export function formatBps(bps: bigint | number): string {
  const value = Number(bps) / 100;
  return `${Number.isInteger(value) ? value : value.toFixed(2).replace(/0+$/, "")}%`;
}

/**
 * Shortens an address for tables: `0x1234…abcd`.
 * @param address A 0x-prefixed hex address.
 */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/**
 * Formats a duration in seconds as days/hours/minutes, e.g. `formatDuration(90061)` is `"1d 1h 1m"`.
 * @param seconds Non-negative duration in seconds.
 */
export function formatDuration(seconds: bigint | number): string {
  let s = Number(seconds);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3_600);
  s -= h * 3_600;
  const m = Math.floor(s / 60);
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean);
  return parts.length ? parts.join(" ") : `${Math.floor(s)}s`;
}
