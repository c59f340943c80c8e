import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeBaseline, type HalfHourReading } from "./baseline";
import { computeDeliveredFlexibility, computeEventDelivery } from "./delivered-flexibility";
import { computeEventRewardPence } from "./reward";

/** One reading a day at the given UTC time, for `count` days back from (excluding) `until`. */
function dailyReadings(untilIso: string, count: number, kwhFor: (date: string) => number, utcTime = "17:00:00.000Z"): HalfHourReading[] {
  const until = Date.parse(untilIso);
  return Array.from({ length: count }, (_, i) => {
    const date = new Date(until - (i + 1) * 86_400_000).toISOString().slice(0, 10);
    return { start: `${date}T${utcTime}`, kwh: kwhFor(date) };
  });
}

describe("computeBaseline", () => {
  // Wednesday 14 January 2026, 17:00 GMT.
  const slot = "2026-01-14T17:00:00.000Z";

  it("averages the same half-hour over the previous ten non-event weekdays", () => {
    const readings = dailyReadings("2026-01-14", 30, (date) => Number(date.slice(8, 10)));
    const baseline = computeBaseline(readings, slot, { eventSlots: ["2026-01-12T17:30:00.000Z"], days: 10, weekdaysOnly: true });
    // Weekdays before 14 Jan, newest first, skipping the event day (12th) and weekends.
    expect(baseline.daysUsed).toEqual(["2026-01-13", "2026-01-09", "2026-01-08", "2026-01-07", "2026-01-06", "2026-01-05", "2026-01-02", "2026-01-01", "2025-12-31", "2025-12-30"]);
    const expected = [13, 9, 8, 7, 6, 5, 2, 1, 31, 30].reduce((a, b) => a + b, 0) / 10;
    expect(baseline.baselineKwh).toBeCloseTo(expected, 10);
    expect(baseline.method).toBe("same_half_hour_mean");
  });

  it("ignores other half-hours and the event day itself", () => {
    const readings = [
      ...dailyReadings("2026-01-14", 14, () => 1),
      ...dailyReadings("2026-01-14", 14, () => 9, "17:30:00.000Z"),
      { start: slot, kwh: 100 },
    ];
    expect(computeBaseline(readings, slot).baselineKwh).toBe(1);
  });

  it("matches by local wall time across a clock change", () => {
    // 17:00 London is 16:00 UTC in summer: the baseline of a GMT day uses BST days' 16:00Z readings.
    const readings = dailyReadings("2026-03-31", 10, () => 2, "16:00:00.000Z");
    const baseline = computeBaseline(readings, "2026-03-31T16:00:00.000Z", { weekdaysOnly: false });
    expect(baseline.baselineKwh).toBe(2);
    expect(baseline.daysUsed.length).toBeGreaterThan(0);
  });

  it("falls back to a partial mean, then to any day, then reports no baseline", () => {
    const few = dailyReadings("2026-01-14", 3, () => 1.5);
    expect(computeBaseline(few, slot)).toMatchObject({ baselineKwh: 1.5, method: "same_half_hour_mean_partial" });
    const weekendOnly = [{ start: "2026-01-10T17:00:00.000Z", kwh: 3 }, { start: "2026-01-11T17:00:00.000Z", kwh: 5 }];
    expect(computeBaseline(weekendOnly, slot)).toMatchObject({ baselineKwh: 4, method: "any_day_fallback" });
    expect(computeBaseline([], slot)).toMatchObject({ baselineKwh: null, method: "unavailable" });
  });
});

describe("computeDeliveredFlexibility", () => {
  const slots = [
    { start: "2026-01-14T17:00:00.000Z", end: "2026-01-14T17:30:00.000Z", baselineKwh: 1.0, actualKwh: -0.5 },
    { start: "2026-01-14T17:30:00.000Z", end: "2026-01-14T18:00:00.000Z", baselineKwh: 1.0, actualKwh: 1.4 },
  ];

  it("counts turn-down as baseline minus actual, floored at zero per slot", () => {
    const delivered = computeDeliveredFlexibility({ direction: "turn_down", slots });
    expect(delivered.slots.map((s) => s.deliveredKwh)).toEqual([1.5, 0]);
    expect(delivered.slots[0]?.deliveredKw).toBe(3);
    expect(delivered.deliveredKwh).toBe(1.5);
  });

  it("counts turn-up as actual minus baseline", () => {
    const delivered = computeDeliveredFlexibility({ direction: "turn_up", slots });
    expect(delivered.slots[0]?.deliveredKwh).toBe(0);
    expect(delivered.slots[1]?.deliveredKwh).toBeCloseTo(0.4, 10);
  });

  it("counts a slot with no baseline or no reading as zero and lists it as unverified", () => {
    const delivered = computeDeliveredFlexibility({ direction: "turn_down", slots: [{ start: "a", end: "2026-01-14T17:30:00.000Z", baselineKwh: null, actualKwh: 1 }] });
    expect(delivered.deliveredKwh).toBe(0);
    expect(delivered.unverifiedSlots).toEqual(["a"]);
  });

  it("is never negative", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })), { maxLength: 6 }), fc.constantFrom<"turn_down" | "turn_up">("turn_down", "turn_up"), (pairs, direction) => {
        const input = pairs.map(([baselineKwh, actualKwh], i) => ({ start: new Date(Date.UTC(2026, 0, 14, 17) + i * 1_800_000).toISOString(), end: new Date(Date.UTC(2026, 0, 14, 17) + (i + 1) * 1_800_000).toISOString(), baselineKwh, actualKwh }));
        const delivered = computeDeliveredFlexibility({ direction, slots: input });
        expect(delivered.deliveredKwh).toBeGreaterThanOrEqual(0);
        for (const slot of delivered.slots) expect(slot.deliveredKwh).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("computeEventDelivery", () => {
  it("reports target, delivered and which assets under-delivered", () => {
    const window = { start: "2026-01-14T17:00:00.000Z", end: "2026-01-14T18:00:00.000Z" };
    const slot = (start: string, end: string, baselineKwh: number, actualKwh: number) => ({ start, end, baselineKwh, actualKwh });
    const report = computeEventDelivery({
      direction: "turn_down",
      ...window,
      targetKw: 4,
      assets: [
        { assetId: "b2", assignedKw: 2, slots: [slot("2026-01-14T17:00:00.000Z", "2026-01-14T17:30:00.000Z", 0.5, 0), slot("2026-01-14T17:30:00.000Z", "2026-01-14T18:00:00.000Z", 0.5, 0.3)] },
        { assetId: "b1", assignedKw: 2, slots: [slot("2026-01-14T17:00:00.000Z", "2026-01-14T17:30:00.000Z", 0.5, -0.5), slot("2026-01-14T17:30:00.000Z", "2026-01-14T18:00:00.000Z", 0.5, -0.5)] },
      ],
    });
    expect(report.targetKwh).toBe(4);
    expect(report.deliveredKwh).toBeCloseTo(2.7, 10);
    expect(report.assets.map((a) => a.assetId)).toEqual(["b1", "b2"]);
    expect(report.assets[0]?.deliveryPct).toBe(100);
    expect(report.assets[1]?.deliveryPct).toBeCloseTo(35, 10);
    expect(report.underDeliveredAssetIds).toEqual(["b2"]);
    expect(report.reachedTarget).toBe(false);
  });
});

describe("computeEventRewardPence", () => {
  it("credits delivered kWh at the site's share of the event price, in whole pence", () => {
    // 10 kWh at 300 GBP/MWh = 3.00 GBP; 50 % share = 150 p.
    expect(computeEventRewardPence({ deliveredKwh: 10, priceGbpPerMwh: 300, operatorSharePct: 50 })).toBe(150);
  });

  it("rounds down, never up, and is exact where floating point is not", () => {
    // 1.234 kWh x 250 GBP/MWh x 70 % = 21.595 p -> 21 p.
    expect(computeEventRewardPence({ deliveredKwh: 1.234, priceGbpPerMwh: 250, operatorSharePct: 70 })).toBe(21);
    // 0.7 kWh x 100 GBP/MWh x 100 % = exactly 7 p (0.7 * 10 is 7.000000000000001 in floats).
    expect(computeEventRewardPence({ deliveredKwh: 0.7, priceGbpPerMwh: 100, operatorSharePct: 100 })).toBe(7);
    expect(computeEventRewardPence({ deliveredKwh: 0.029, priceGbpPerMwh: 300, operatorSharePct: 100 })).toBe(0);
  });

  it("pays nothing for nothing delivered and never goes negative", () => {
    expect(computeEventRewardPence({ deliveredKwh: 0, priceGbpPerMwh: 300, operatorSharePct: 50 })).toBe(0);
    expect(computeEventRewardPence({ deliveredKwh: 2, priceGbpPerMwh: -50, operatorSharePct: 50 })).toBe(0);
  });

  it("never exceeds the exact value by any amount, nor falls a penny short of it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 10_000 }), (wh, pencePerMwh, basisPoints) => {
        const reward = computeEventRewardPence({ deliveredKwh: wh / 1000, priceGbpPerMwh: pencePerMwh / 100, operatorSharePct: basisPoints / 100 });
        const exactTimes1e10 = BigInt(wh) * BigInt(pencePerMwh) * BigInt(basisPoints);
        expect(BigInt(reward) * 10_000_000_000n <= exactTimes1e10).toBe(true);
        expect(BigInt(reward + 1) * 10_000_000_000n > exactTimes1e10).toBe(true);
      }),
    );
  });

  it("rejects a share outside 0-100 %", () => {
    expect(() => computeEventRewardPence({ deliveredKwh: 1, priceGbpPerMwh: 100, operatorSharePct: 120 })).toThrow(RangeError);
  });
});
