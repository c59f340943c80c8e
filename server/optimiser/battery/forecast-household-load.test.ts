import { describe, expect, it } from "vitest";
import { forecastHouseholdLoad, forecastSolarGeneration, type LoadReading } from "./forecast-household-load";
import { buildLocalDaySlots } from "../time/local-wall-time";

function historyDays(firstLocalDate: string, dayCount: number, kwhFor: (dayIndex: number, halfHour: number) => number): LoadReading[] {
  const readings: LoadReading[] = [];
  let date = firstLocalDate;
  for (let d = 0; d < dayCount; d++) {
    buildLocalDaySlots(date).forEach((slot, halfHour) => readings.push({ start: slot.start, kwh: kwhFor(d, halfHour) }));
    date = new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  return readings;
}

describe("forecastHouseholdLoad", () => {
  it("averages the same local half-hour over the most recent days", () => {
    const history = historyDays("2026-01-01", 20, (day, halfHour) => (day < 6 ? 99 : halfHour === 36 ? 2 + (day % 2) : 0.3));
    const forecast = forecastHouseholdLoad(history, buildLocalDaySlots("2026-01-21"), { days: 14 });
    expect(forecast).toHaveLength(48);
    expect(forecast[36]).toMatchObject({ source: "history", samples: 14 });
    expect(forecast[36]?.loadKwh).toBeCloseTo(2.5, 10);
    expect(forecast[0]?.loadKwh).toBeCloseTo(0.3, 10);
  });

  it("never uses readings from the day it forecasts", () => {
    const history = [...historyDays("2026-01-10", 3, () => 0.5), ...historyDays("2026-01-13", 1, () => 50)];
    const forecast = forecastHouseholdLoad(history, buildLocalDaySlots("2026-01-13"));
    for (const slot of forecast) expect(slot.loadKwh).toBeCloseTo(0.5, 10);
  });

  it("falls back to a typical day scaled to the history, or to the default daily total", () => {
    const empty = forecastHouseholdLoad([], buildLocalDaySlots("2026-01-13"));
    expect(empty.every((slot) => slot.source === "fallback")).toBe(true);
    expect(empty.reduce((sum, slot) => sum + slot.loadKwh, 0)).toBeCloseTo(8, 6);
    const evening = empty[35]?.loadKwh ?? 0;
    const night = empty[6]?.loadKwh ?? 0;
    expect(evening).toBeGreaterThan(night);
  });

  it("forecasts every half-hour of both clock-change days from ordinary days' history", () => {
    const history = historyDays("2026-03-15", 14, (_day, halfHour) => 0.1 + halfHour / 100);
    const spring = forecastHouseholdLoad(history, buildLocalDaySlots("2026-03-29"));
    expect(spring).toHaveLength(46);
    expect(spring.every((slot) => slot.source === "history")).toBe(true);
    const autumnHistory = historyDays("2026-10-11", 14, (_day, halfHour) => 0.1 + halfHour / 100);
    const autumn = forecastHouseholdLoad(autumnHistory, buildLocalDaySlots("2026-10-25"));
    expect(autumn).toHaveLength(50);
    // The repeated 01:00-01:30 local half-hour gets the same forecast both times.
    expect(autumn[2]?.loadKwh).toBeCloseTo(0.12, 10);
    expect(autumn[4]?.loadKwh).toBeCloseTo(0.12, 10);
  });
});

describe("forecastSolarGeneration", () => {
  // Generation only around local noon (half-hours 22..27), brighter on later days.
  const sunny = (day: number, halfHour: number) => (halfHour >= 22 && halfHour < 28 ? 1 + day * 0.1 : 0);

  it("averages the same local half-hour over the most recent week, and never peeks at the day it forecasts", () => {
    const history = [...historyDays("2026-05-01", 10, sunny), ...historyDays("2026-05-11", 1, () => 9)];
    const forecast = forecastSolarGeneration(history, buildLocalDaySlots("2026-05-11"));
    expect(forecast).toHaveLength(48);
    // Days 3..9 of the history (the most recent seven before the 11th): 1.3 .. 1.9, mean 1.6.
    expect(forecast[24]).toMatchObject({ source: "history", samples: 7 });
    expect(forecast[24]?.solarKwh).toBeCloseTo(1.6, 10);
    expect(forecast[2]?.solarKwh).toBe(0);
  });

  it("expects no generation where it never saw any", () => {
    const forecast = forecastSolarGeneration([], buildLocalDaySlots("2026-05-11"));
    expect(forecast.every((slot) => slot.solarKwh === 0 && slot.source === "none")).toBe(true);
  });
});
