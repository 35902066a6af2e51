/**
 * Formatting for the dashboard: CIV amounts from exact wei strings, basis points, times in the viewer's
 * time zone. Pure functions (no DOM): the browser tests import them to read the page's figures back.
 */

/** Wei per CIV (18 decimals, as the token's `decimals()`). */
export const WEI_PER_CIV = 10n ** 18n;

/**
 * The exact decimal CIV string of a wei amount: `1234500000000000000000` → `"1234.5"`.
 * @param wei Amount in wei (bigint or decimal string, may be negative).
 */
export function civDecimal(wei: bigint | string): string {
  const value = BigInt(wei);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const whole = abs / WEI_PER_CIV;
  const fraction = (abs % WEI_PER_CIV).toString().padStart(18, "0").replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/**
 * CIV with thousands separators in the viewer's locale, rounded to at most `digits` decimals
 * (more for amounts below 1 CIV, so that small fees do not read as zero): `"1,234.57"`.
 * @param wei Amount in wei. @param locale BCP 47 locale (default: the viewer's).
 */
export function formatCiv(wei: bigint | string, locale?: string, digits = 2): string {
  const value = BigInt(wei);
  const abs = value < 0n ? -value : value;
  const small = abs !== 0n && abs < WEI_PER_CIV;
  // Whole amounts show no decimals; others always `digits` (aligned columns), small ones up to 6.
  const minimumFractionDigits = small || abs % WEI_PER_CIV === 0n ? 0 : digits;
  const maximumFractionDigits = small ? 6 : digits;
  // Intl formats decimal strings exactly (no float rounding of 18-decimal amounts).
  return new Intl.NumberFormat(locale, { minimumFractionDigits, maximumFractionDigits }).format(
    civDecimal(value) as unknown as number,
  );
}

/** A CIV amount as a float (for chart axes only; figures shown as text use {@link formatCiv}). */
export function civNumber(wei: bigint | string): number {
  return Number(civDecimal(wei));
}

/** An integer count with thousands separators in the viewer's locale. */
export function formatCount(n: number | bigint | string, locale?: string): string {
  return new Intl.NumberFormat(locale).format(BigInt(n));
}

/** Basis points as a percentage: 250 → `"2.5%"`. */
export function formatBps(bps: bigint | string | number, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(
    Number(bps) / 10_000,
  );
}

/** A 0..1 ratio with three decimals: 0.41234 → `"0.412"`. */
export function formatRatio(x: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(x);
}

/**
 * A block time (Unix seconds) as a date and time in the viewer's time zone (or `timeZone`).
 * @param seconds Unix seconds (bigint, number or decimal string).
 */
export function formatTime(seconds: bigint | number | string, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(Number(seconds) * 1000),
  );
}

/** A block time as a date only, in the viewer's time zone (or `timeZone`). */
export function formatDate(seconds: bigint | number | string, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(
    new Date(Number(seconds) * 1000),
  );
}

/** An address shortened for tables: `0x1234…abcd` (the full one stays in the copy button and title). */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** snake_case state key as words: `no_show_resolved` → `no show resolved`. */
export function words(key: string): string {
  return key.replace(/_/g, " ");
}
