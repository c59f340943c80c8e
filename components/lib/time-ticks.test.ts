import { describe, expect, it } from "vitest";
import { formatTime } from "./format";
import { londonTimeTicks } from "./time-ticks";

describe("londonTimeTicks", () => {
  it("puts day-long ticks on round UK hours in summer time", () => {
    const start = Date.parse("2026-07-01T23:00:00Z"); // 00:00 BST on 2 July
    const ticks = londonTimeTicks(start, start + 24 * 3600_000);
    expect(ticks.map((tick) => formatTime(tick))).toEqual([
      "00:00",
      "03:00",
      "06:00",
      "09:00",
      "12:00",
      "15:00",
      "18:00",
      "21:00",
      "00:00",
    ]);
  });

  it("keeps to at most about the requested number of ticks", () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    for (const days of [0.25, 1, 3, 7, 30, 90, 400]) {
      const ticks = londonTimeTicks(start, start + days * 86_400_000, 8);
      expect(ticks.length).toBeGreaterThan(0);
      expect(ticks.length).toBeLessThanOrEqual(9);
    }
  });

  it("puts multi-day ticks on UK midnights across the spring clock change", () => {
    const start = Date.parse("2026-03-27T00:00:00Z");
    const ticks = londonTimeTicks(start, start + 5 * 86_400_000);
    expect(ticks.every((tick) => formatTime(tick) === "00:00")).toBe(true);
    expect(ticks).toContain(Date.parse("2026-03-29T00:00:00Z"));
    expect(ticks).toContain(Date.parse("2026-03-29T23:00:00Z"));
  });

  it("returns the start alone for an empty span", () => {
    expect(londonTimeTicks(1000, 1000)).toEqual([1000]);
  });
});
