// Vehicle identification numbers (ISO 3779). Every modern VIN is 17 characters
// without I, O or Q. Only North American VINs (world manufacturer identifier starting
// 1-5) are required to carry the position-9 check digit; elsewhere position 9 is
// free, so enforcing it would reject genuine European and Asian vehicles.

export type VinRejection = "wrong_length" | "invalid_characters" | "check_digit_mismatch";

export type ValidatedVin =
  | { ok: true; vin: string; checkDigit: "valid" | "not_applicable" }
  | { ok: false; reason: VinRejection; message: string };

const TRANSLITERATION: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const POSITION_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

function characterValue(character: string): number {
  if (/^[0-9]$/.test(character)) return Number(character);
  return TRANSLITERATION[character] ?? 0;
}

/** The check character positions 1-8 and 10-17 call for: "0"-"9" or "X". */
export function vinCheckCharacter(vin: string): string {
  let sum = 0;
  POSITION_WEIGHTS.forEach((weight, index) => {
    sum += characterValue(vin.charAt(index)) * weight;
  });
  const remainder = sum % 11;
  return remainder === 10 ? "X" : String(remainder);
}

export function isNorthAmericanVin(vin: string): boolean {
  return /^[1-5]/.test(vin);
}

export function validateVin(input: string): ValidatedVin {
  const vin = input.replace(/[\s-]+/g, "").toUpperCase();
  if (vin.length !== 17) {
    return { ok: false, reason: "wrong_length", message: `VIN must be 17 characters, got ${vin.length}` };
  }
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) {
    return {
      ok: false,
      reason: "invalid_characters",
      message: "VIN may contain only digits and the letters A-Z except I, O and Q",
    };
  }
  if (!isNorthAmericanVin(vin)) {
    return { ok: true, vin, checkDigit: "not_applicable" };
  }
  const expected = vinCheckCharacter(vin);
  if (vin.charAt(8) !== expected) {
    return {
      ok: false,
      reason: "check_digit_mismatch",
      message: `VIN check digit (position 9) should be ${expected}`,
    };
  }
  return { ok: true, vin, checkDigit: "valid" };
}
