import { describe, expect, it } from "vitest";
import { describeSocTarget, socTargetsForDay } from "./daily-soc-targets";

describe("daily SoC targets", () => {
  it("turns a 'by' target into one instant in the day's zone (BST in June)", () => {
    expect(socTargetsForDay([{ kind: "min", pct: 70, from: "18:00", until: "18:00" }], "2026-06-10", "Europe/London")).toEqual([
      { kind: "min", pct: 70, label: "at least 70 % by 18:00", from: "2026-06-10T17:00:00.000Z", until: "2026-06-10T17:00:00.000Z" },
    ]);
  });

  it("splits an overnight window at midnight: the morning of this day and this evening", () => {
    const targets = socTargetsForDay([{ kind: "max", pct: 80, from: "22:00", until: "07:00" }], "2026-01-14", "Europe/London");
    expect(targets.map((t) => [t.from, t.until])).toEqual([
      ["2026-01-14T00:00:00.000Z", "2026-01-14T07:00:00.000Z"],
      ["2026-01-14T22:00:00.000Z", "2026-01-15T00:00:00.000Z"],
    ]);
    expect(targets[0]?.label).toBe("never above 80 % from 22:00 to 07:00");
  });

  it("applies a dated target on its date only", () => {
    const target = { kind: "min" as const, pct: 90, from: "07:00", until: "07:00", date: "2026-01-15" };
    expect(socTargetsForDay([target], "2026-01-14", "Europe/London")).toEqual([]);
    expect(socTargetsForDay([target], "2026-01-15", "Europe/London")).toHaveLength(1);
    expect(describeSocTarget(target)).toBe("at least 90 % by 07:00 on 2026-01-15");
  });
});
