import { describe, expect, it } from "vitest";
import { planPartitions, type ExistingPartition } from "./partitions";

const d = (iso: string) => new Date(iso);
const part = (name: string, from: string, to: string): ExistingPartition => ({ name, from: d(from), to: d(to) });

describe("planPartitions", () => {
  it("asks for the current day and the days ahead that are missing, in UTC", () => {
    const existing = [part("r_p20261230", "2026-12-30T00:00:00Z", "2026-12-31T00:00:00Z")];
    const plan = planPartitions({ table: "r", step: "day", ahead: 3, retentionDays: 30 }, existing, d("2026-12-30T23:59:00Z"));
    expect(plan.create.map((r) => [r.from.toISOString(), r.to.toISOString()])).toEqual([
      ["2026-12-31T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
      ["2027-01-01T00:00:00.000Z", "2027-01-02T00:00:00.000Z"],
      ["2027-01-02T00:00:00.000Z", "2027-01-03T00:00:00.000Z"],
    ]);
    expect(plan.expire).toEqual([]);
  });

  it("steps months of different lengths across a year end", () => {
    const plan = planPartitions({ table: "a", step: "month", ahead: 2, retentionDays: 90 }, [], d("2026-11-15T12:00:00Z"));
    expect(plan.create.map((r) => r.from.toISOString().slice(0, 10))).toEqual(["2026-11-01", "2026-12-01", "2027-01-01"]);
    expect(plan.create.at(-1)?.to.toISOString().slice(0, 10)).toBe("2027-02-01");
  });

  it("expires only partitions whose every row is past the retention, oldest first", () => {
    const existing = [
      part("r_p20261102", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z"),
      part("r_p20261101", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"),
      part("r_p20261103", "2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z"),
    ];
    // Retention 30 days at 3 Dec 00:30: the cutoff is 3 Nov 00:30, inside the third day.
    const plan = planPartitions({ table: "r", step: "day", ahead: 0, retentionDays: 30 }, existing, d("2026-12-03T00:30:00Z"));
    expect(plan.expire.map((p) => p.name)).toEqual(["r_p20261101", "r_p20261102"]);
  });
});
