import { describe, expect, it } from "vitest";
import { normalisePostcode } from "./postcode";

describe("normalisePostcode", () => {
  it("normalises case and spacing: sw1a1aa -> SW1A 1AA", () => {
    expect(normalisePostcode("sw1a1aa")).toEqual({
      ok: true,
      postcode: "SW1A 1AA",
      outward: "SW1A",
      inward: "1AA",
      area: "SW",
    });
    expect(normalisePostcode("  Sw1A   1aA ")).toMatchObject({ ok: true, postcode: "SW1A 1AA" });
  });

  it.each([
    ["M11AE", "M1 1AE"],
    ["B338TH", "B33 8TH"],
    ["CR26XH", "CR2 6XH"],
    ["DN551PT", "DN55 1PT"],
    ["W1A0AX", "W1A 0AX"],
    ["EC1A1BB", "EC1A 1BB"],
    ["BT71NN", "BT7 1NN"],
  ])("accepts every outward pattern (%s)", (input, expected) => {
    expect(normalisePostcode(input)).toMatchObject({ ok: true, postcode: expected });
  });

  it("accepts GIR 0AA", () => {
    expect(normalisePostcode("gir0aa")).toMatchObject({ ok: true, postcode: "GIR 0AA" });
  });

  it("rejects BFPO numbers with their own reason", () => {
    expect(normalisePostcode("BFPO 1234")).toMatchObject({ ok: false, reason: "bfpo_not_supported" });
  });

  it.each(["", "SW1A", "SW1A 1AAA", "QA1 1AA", "AI1 1AA", "SW1A 1AC", "1SW 1AA", "SW1A-1AA", "ASCN 1ZZ"])(
    "rejects %j",
    (input) => {
      expect(normalisePostcode(input).ok).toBe(false);
    },
  );
});
