// MPAN core handling. The 13-digit core identifies a UK electricity metering point;
// the first two digits name the distributor and the last is a check digit.

const CHECK_DIGIT_WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43] as const;

export const MPAN_CORE_LENGTH = 13;

/** Warning attached to a site whose MPAN fails the check digit (kept, but not eligible). */
export const MPAN_CHECK_DIGIT_WARNING = "mpan_check_digit_invalid";

export type MpanRejection = "empty" | "not_digits" | "wrong_length";

export type NormalisedMpan =
  | { ok: true; mpan: string; checkDigitValid: boolean; distributorId: string }
  | { ok: false; reason: MpanRejection; message: string };

/** The check digit the first 12 digits call for (sum of weighted digits, mod 11, mod 10). */
export function mpanCheckDigit(firstTwelveDigits: string): number {
  let sum = 0;
  CHECK_DIGIT_WEIGHTS.forEach((weight, index) => {
    sum += Number(firstTwelveDigits.charAt(index)) * weight;
  });
  return (sum % 11) % 10;
}

/**
 * Strips whitespace (partners copy MPANs off bills printed in groups) and checks the
 * shape. A wrong check digit is reported, not rejected: the published examples use
 * such numbers, so the site is stored and kept ineligible until corrected.
 */
export function normaliseMpan(input: string): NormalisedMpan {
  const mpan = input.replace(/\s+/g, "");
  if (mpan.length === 0) {
    return { ok: false, reason: "empty", message: "MPAN is empty" };
  }
  if (!/^\d+$/.test(mpan)) {
    return { ok: false, reason: "not_digits", message: "MPAN may contain only digits and spaces" };
  }
  if (mpan.length !== MPAN_CORE_LENGTH) {
    return {
      ok: false,
      reason: "wrong_length",
      message: `MPAN must be exactly ${MPAN_CORE_LENGTH} digits, got ${mpan.length}`,
    };
  }
  const checkDigitValid = mpanCheckDigit(mpan.slice(0, 12)) === Number(mpan.charAt(12));
  return { ok: true, mpan, checkDigitValid, distributorId: mpan.slice(0, 2) };
}
