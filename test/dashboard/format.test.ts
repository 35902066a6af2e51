/** The dashboard's formatting: exact CIV from wei, separators, small amounts, time zones. */
import { expect } from "chai";
import {
  civDecimal,
  formatBps,
  formatCiv,
  formatCount,
  formatTime,
  shortAddress,
} from "../../dashboard/src/format.ts";

const CIV = 10n ** 18n;

describe("dashboard: formatting", function () {
  it("converts wei to an exact decimal CIV string, negative and 18-decimal amounts included", function () {
    expect(civDecimal(0n)).to.equal("0");
    expect(civDecimal(1234n * CIV + 5n * 10n ** 17n)).to.equal("1234.5");
    expect(civDecimal(1n)).to.equal("0.000000000000000001");
    expect(civDecimal("-2500000000000000000")).to.equal("-2.5");
    expect(civDecimal(10n ** 30n + 1n)).to.equal("1000000000000.000000000000000001");
  });

  it("shows CIV with thousands separators, two decimals unless whole, without float rounding", function () {
    expect(formatCiv(9_992_800n * CIV, "en-US")).to.equal("9,992,800");
    expect(formatCiv(2_435n * CIV + 2n * 10n ** 17n, "en-US")).to.equal("2,435.20");
    expect(formatCiv(1_234_567n * CIV + 994_999_999_999_999_999n, "en-US")).to.equal("1,234,567.99");
    // Past 2^53 wei precision: 123,456,789,012,345.67 CIV stays exact.
    expect(formatCiv(12_345_678_901_234_567n * 10n ** 16n, "en-US")).to.equal("123,456,789,012,345.67");
    expect(formatCiv(9_992_800n * CIV, "de-DE")).to.equal("9.992.800");
    expect(formatCiv(-1_500n * CIV, "en-US")).to.equal("-1,500");
  });

  it("keeps amounts below one CIV readable (up to six decimals) instead of rounding them to zero", function () {
    expect(formatCiv(3n * 10n ** 15n, "en-US")).to.equal("0.003");
    expect(formatCiv(1n, "en-US")).to.equal("0");
    expect(formatCiv(123_456_789n * 10n ** 9n, "en-US")).to.equal("0.123457");
  });

  it("formats counts, basis points and addresses", function () {
    expect(formatCount(1_234_567, "en-US")).to.equal("1,234,567");
    expect(formatCount("42", "en-US")).to.equal("42");
    expect(formatBps(800n, "en-US")).to.equal("8%");
    expect(formatBps(125, "en-US")).to.equal("1.25%");
    expect(shortAddress("0xd96eb0f2e106ea7c0a939e9c460a17ace65fecff")).to.equal("0xd96e…ecff");
  });

  it("shows block times in the viewer's time zone", function () {
    // 2026-12-01T00:00:00Z
    const t = 1_796_083_200;
    expect(formatTime(t, "en-US", "UTC")).to.equal("Dec 1, 2026, 12:00 AM");
    expect(formatTime(t, "en-US", "Asia/Kolkata")).to.equal("Dec 1, 2026, 5:30 AM");
    expect(formatTime(BigInt(t), "en-US", "America/New_York")).to.equal("Nov 30, 2026, 7:00 PM");
  });
});
