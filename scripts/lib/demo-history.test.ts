import { describe, expect, it } from "vitest";
import { chargerConsumption, type HistoryCharger } from "./demo-history";

// 12-13 January 2026: London is on GMT, so local times are UTC.
const from = Date.parse("2026-01-12T12:00:00Z");
const to = Date.parse("2026-01-13T12:00:00Z");

function charging(charger: HistoryCharger) {
  return chargerConsumption(charger, from, to)
    .filter((r) => r.value > 0)
    .map((r) => ({ at: r.start_timestamp.slice(11, 16), kwh: r.value }));
}

describe("a demo charger's past consumption", () => {
  const charger: HistoryCharger = { assetId: "00000000-0000-4000-8000-000000000001", powerKw: 7.4, offPeak: "00:30-04:30", arrivesAtMinute: 17 * 60, dailyKwh: 10 };

  it("charges the evening's need from the start of the off-peak window, one reading per half hour", () => {
    const readings = chargerConsumption(charger, from, to);
    expect(readings).toHaveLength(48);
    // The 12th: 10 kWh × 0.7.
    expect(charging(charger)).toEqual([
      { at: "00:30", kwh: 3.7 },
      { at: "01:00", kwh: 3.3 },
    ]);
  });

  it("waits for the off-peak window when the car arrives between half hours", () => {
    expect(charging({ ...charger, arrivesAtMinute: 17 * 60 + 37 })).toEqual([
      { at: "00:30", kwh: 3.7 },
      { at: "01:00", kwh: 3.3 },
    ]);
  });
});
