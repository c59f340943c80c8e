// UK postcode normalisation. Accepts any spacing and case, returns the canonical
// "OUTWARD INWARD" form. Decisions (see docs/partner-api.md):
// - GIR 0AA (a real, non-geographic postcode with its own delivery point) is accepted.
// - BFPO numbers and overseas-territory codes are rejected: they never carry a GB
//   electricity meter, so a site there cannot be enrolled.

export type PostcodeRejection = "empty" | "bfpo_not_supported" | "invalid_format";

export type NormalisedPostcode =
  | { ok: true; postcode: string; outward: string; inward: string; area: string }
  | { ok: false; reason: PostcodeRejection; message: string };

// Letters allowed in each position follow the Royal Mail rules: the first letter is
// never Q, V or X; the second never I, J or Z; a trailing outward letter is limited
// per pattern; the inward letters never use C, I, K, M, O or V.
const FIRST = "[A-PR-UWYZ]";
const SECOND = "[A-HK-Y]";
const THIRD_AFTER_A9 = "[A-HJKPSTUW]";
const FOURTH_AFTER_AA9 = "[ABEHMNPRVWXY]";
const INWARD = "[0-9][ABD-HJLNP-UW-Z]{2}";

const OUTWARD_PATTERN = new RegExp(
  `^(?:${FIRST}[0-9]{1,2}|${FIRST}[0-9]${THIRD_AFTER_A9}|${FIRST}${SECOND}[0-9]{1,2}|${FIRST}${SECOND}[0-9]${FOURTH_AFTER_AA9})$`,
);
const INWARD_PATTERN = new RegExp(`^${INWARD}$`);

export function normalisePostcode(input: string): NormalisedPostcode {
  const compact = input.replace(/\s+/g, "").toUpperCase();
  if (compact.length === 0) {
    return { ok: false, reason: "empty", message: "Postcode is empty" };
  }
  if (compact.startsWith("BFPO")) {
    return { ok: false, reason: "bfpo_not_supported", message: "BFPO addresses cannot host a site" };
  }
  if (compact === "GIR0AA") {
    return { ok: true, postcode: "GIR 0AA", outward: "GIR", inward: "0AA", area: "GIR" };
  }
  if (compact.length < 5 || compact.length > 7) {
    return { ok: false, reason: "invalid_format", message: "Not a valid UK postcode" };
  }
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  if (!OUTWARD_PATTERN.test(outward) || !INWARD_PATTERN.test(inward)) {
    return { ok: false, reason: "invalid_format", message: "Not a valid UK postcode" };
  }
  const area = /^[A-Z]+/.exec(outward)?.[0] ?? outward;
  return { ok: true, postcode: `${outward} ${inward}`, outward, inward, area };
}
