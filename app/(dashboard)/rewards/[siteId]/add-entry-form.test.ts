import { describe, expect, it } from "vitest";
import { poundsToPence } from "./add-entry-form";

describe("pounds typed into the ledger form", () => {
  it("become whole pence without floating point, and anything else is refused", () => {
    expect(poundsToPence("5")).toBe(500);
    expect(poundsToPence("12.5")).toBe(1250);
    expect(poundsToPence("£0.07")).toBe(7);
    expect(poundsToPence("-2.50")).toBe(-250);
    expect(poundsToPence("0.29")).toBe(29);
    expect(poundsToPence("1.234")).toBeNull();
    expect(poundsToPence("five")).toBeNull();
    expect(poundsToPence("")).toBeNull();
  });
});
