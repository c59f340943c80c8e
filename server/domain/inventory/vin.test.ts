import { describe, expect, it } from "vitest";
import { validateVin, vinCheckCharacter } from "./vin";

describe("validateVin", () => {
  it("accepts a North American VIN whose check digit matches", () => {
    expect(validateVin("1M8GDM9AXKP042788")).toEqual({ ok: true, vin: "1M8GDM9AXKP042788", checkDigit: "valid" });
    // all ones: weights sum to 89, 89 % 11 = 1, so position 9 must be 1
    expect(validateVin("11111111111111111")).toMatchObject({ ok: true, checkDigit: "valid" });
  });

  it("computes X when the remainder is ten", () => {
    expect(vinCheckCharacter("1M8GDM9AXKP042788")).toBe("X");
  });

  it("rejects a North American VIN whose check digit is wrong", () => {
    expect(validateVin("1M8GDM9A1KP042788")).toMatchObject({ ok: false, reason: "check_digit_mismatch" });
  });

  it("does not enforce the check digit on European and Asian VINs", () => {
    expect(validateVin("WVWZZZ1JZXW000001")).toMatchObject({ ok: true, checkDigit: "not_applicable" });
    expect(validateVin("SJNFAAZE0U6000001")).toMatchObject({ ok: true, checkDigit: "not_applicable" });
  });

  it("upper-cases and strips spaces and dashes", () => {
    expect(validateVin("wvw zzz1jz-xw000001")).toMatchObject({ ok: true, vin: "WVWZZZ1JZXW000001" });
  });

  it("rejects I, O and Q and wrong lengths", () => {
    expect(validateVin("WVWZZZ1JZXW00000I")).toMatchObject({ ok: false, reason: "invalid_characters" });
    expect(validateVin("WVWZZZ1JZXW0000O1")).toMatchObject({ ok: false, reason: "invalid_characters" });
    expect(validateVin("WVWZZZ1JZXW00001")).toMatchObject({ ok: false, reason: "wrong_length" });
    expect(validateVin("")).toMatchObject({ ok: false, reason: "wrong_length" });
  });
});
