import { describe, expect, it } from "vitest";
import { mpanCheckDigit, normaliseMpan } from "./mpan";

describe("normaliseMpan", () => {
  it("accepts the published example 1234567890123 but flags its check digit", () => {
    expect(normaliseMpan("1234567890123")).toEqual({
      ok: true,
      mpan: "1234567890123",
      checkDigitValid: false,
      distributorId: "12",
    });
  });

  it("computes the check digit with weights 3,5,7,...,43, mod 11, mod 10", () => {
    // 1*3+2*5+3*7+4*13+5*17+6*19+7*23+8*29+9*31+0*37+1*41+2*43 = 1084; 1084 % 11 = 6
    expect(mpanCheckDigit("123456789012")).toBe(6);
    expect(normaliseMpan("1234567890126")).toMatchObject({ ok: true, checkDigitValid: true });
  });

  it("maps a weighted sum whose remainder is 10 to check digit 0", () => {
    // 1*3 + 1*7 = 10 -> 10 % 11 = 10 -> 10 % 10 = 0
    expect(mpanCheckDigit("101000000000")).toBe(0);
    expect(normaliseMpan("1010000000000")).toMatchObject({ ok: true, checkDigitValid: true });
  });

  it("strips spaces, tabs and newlines in any grouping", () => {
    expect(normaliseMpan(" 12 3456 7890 126 ")).toMatchObject({ ok: true, mpan: "1234567890126" });
    expect(normaliseMpan("12\t3456\n7890126")).toMatchObject({ ok: true, mpan: "1234567890126" });
  });

  it("rejects too short, too long and full 21-digit MPANs", () => {
    expect(normaliseMpan("123456789012")).toMatchObject({ ok: false, reason: "wrong_length" });
    expect(normaliseMpan("12345678901234")).toMatchObject({ ok: false, reason: "wrong_length" });
    expect(normaliseMpan("018011002012345678907")).toMatchObject({ ok: false, reason: "wrong_length" });
  });

  it("rejects letters, dashes and empty input", () => {
    expect(normaliseMpan("S1234567890123")).toMatchObject({ ok: false, reason: "not_digits" });
    expect(normaliseMpan("12-3456-7890-126")).toMatchObject({ ok: false, reason: "not_digits" });
    expect(normaliseMpan("   ")).toMatchObject({ ok: false, reason: "empty" });
  });

  it("finds exactly one valid check digit for every 12-digit prefix", () => {
    for (const prefix of ["200000000000", "109876543210", "230000123456", "999999999999"]) {
      const valid = Array.from({ length: 10 }, (_, digit) => normaliseMpan(`${prefix}${digit}`)).filter(
        (result) => result.ok && result.checkDigitValid,
      );
      expect(valid).toHaveLength(1);
    }
  });
});
