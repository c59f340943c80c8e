import { describe, expect, it } from "vitest";
import {
  DEFAULT_OFF_PEAK_PENCE_PER_KWH,
  DEFAULT_PEAK_PENCE_PER_KWH,
  isOffPeak,
  parseOffPeakTimes,
  parseTariff,
  priceInterval,
  priceSlots,
  type Tariff,
} from "./index";

function tariffOf(wire: unknown): Tariff {
  const parsed = parseTariff(wire);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.tariff;
}

describe("off_peak_times", () => {
  it("accepts one range, several ranges and ranges past midnight", () => {
    expect(parseOffPeakTimes("00:00-07:00")).toEqual({
      ok: true,
      ranges: [{ startMinute: 0, endMinute: 420 }],
    });
    expect(parseOffPeakTimes("00:00-05:30, 23:30-24:00")).toEqual({
      ok: true,
      ranges: [
        { startMinute: 0, endMinute: 330 },
        { startMinute: 1410, endMinute: 1440 },
      ],
    });
    expect(parseOffPeakTimes("23:30-05:30")).toEqual(parseOffPeakTimes("00:00-05:30,23:30-24:00"));
    expect(parseOffPeakTimes("00:00-24:00")).toEqual({
      ok: true,
      ranges: [{ startMinute: 0, endMinute: 1440 }],
    });
  });

  it("merges overlapping and touching ranges", () => {
    expect(parseOffPeakTimes("01:00-03:00,02:00-04:00,04:00-05:00")).toEqual({
      ok: true,
      ranges: [{ startMinute: 60, endMinute: 300 }],
    });
  });

  it.each([
    ["", "empty", undefined],
    ["Mo-Fr 00:00-07:00", "unsupported_syntax", undefined],
    ["00:00-05:00; 23:00-24:00", "unsupported_syntax", undefined],
    ["off", "unsupported_syntax", undefined],
    ["00:00-07:00,", "malformed_range", 1],
    ["00:00 07:00", "malformed_range", 0],
    ["00:00-07:00, 0700-0800", "malformed_range", 1],
    ["25:00-07:00", "invalid_time", 0],
    ["00:00-24:30", "invalid_time", 0],
    ["00:00-07:60", "invalid_time", 0],
    ["07:00-07:00", "empty_range", 0],
  ])("rejects %j as %s, naming the range", (text, code, rangeIndex) => {
    const parsed = parseOffPeakTimes(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe(code);
    expect(parsed.error.rangeIndex).toBe(rangeIndex);
    expect(parsed.error.message.length).toBeGreaterThan(10);
  });
});

describe("tariff wire format", () => {
  it("answers every problem with its field", () => {
    const parsed = parseTariff({
      off_peak_times: "00:00-31:00",
      timezone: "Europe/Londres",
      tariff_type: "cheap",
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((issue) => issue.path).sort()).toEqual([
      "off_peak_times",
      "tariff_type",
      "timezone",
    ]);
    expect(parsed.issues.find((issue) => issue.path === "off_peak_times")?.message).toMatch(
      /range 1 "00:00-31:00"/,
    );
  });

  it("rejects mixed or inconsistent unit rates", () => {
    expect(
      parseTariff({
        off_peak_times: "00:00-07:00",
        timezone: "Europe/London",
        unit_rates: [{ from_local_time: "7:00", pence_per_kwh: 1 }],
      }).ok,
    ).toBe(false);
    expect(
      parseTariff({
        off_peak_times: "00:00-07:00",
        timezone: "Europe/London",
        unit_rates: [
          { from_local_time: "07:00", pence_per_kwh: 1 },
          { from_local_time: "07:00", pence_per_kwh: 2 },
        ],
      }).ok,
    ).toBe(false);
    expect(
      parseTariff({
        off_peak_times: "00:00-07:00",
        timezone: "Europe/London",
        unit_rates: [
          {
            start_timestamp: "2026-01-01T00:30:00Z",
            end_timestamp: "2026-01-01T00:00:00Z",
            pence_per_kwh: 2,
          },
        ],
      }).ok,
    ).toBe(false);
  });

  it("defaults the tariff type to unknown", () => {
    expect(tariffOf({ off_peak_times: "00:00-07:00", timezone: "Europe/London" }).tariffType).toBe("unknown");
  });
});

describe("off-peak and prices", () => {
  const dual = tariffOf({
    off_peak_times: "00:30-04:30",
    timezone: "Europe/London",
    tariff_type: "dual_rate",
  });

  it("reads off-peak times as local wall time, in summer and winter", () => {
    expect(isOffPeak(new Date("2026-01-10T00:30:00Z"), dual)).toBe(true);
    expect(isOffPeak(new Date("2026-01-10T04:29:59Z"), dual)).toBe(true);
    expect(isOffPeak(new Date("2026-01-10T04:30:00Z"), dual)).toBe(false);
    expect(isOffPeak(new Date("2026-07-10T23:30:00Z"), dual)).toBe(true); // 00:30 BST
    expect(isOffPeak(new Date("2026-07-10T03:30:00Z"), dual)).toBe(false); // 04:30 BST
  });

  it("prices with the documented defaults and flags partly peak slots as peak", () => {
    const [offPeak, peak] = priceSlots(
      [
        { start: new Date("2026-01-10T01:00:00Z"), end: new Date("2026-01-10T01:30:00Z") },
        { start: new Date("2026-01-10T12:00:00Z"), end: new Date("2026-01-10T12:30:00Z") },
      ],
      dual,
    );
    expect(offPeak).toEqual({ pencePerKwh: DEFAULT_OFF_PEAK_PENCE_PER_KWH, peak: false, offPeakFraction: 1 });
    expect(peak).toEqual({ pencePerKwh: DEFAULT_PEAK_PENCE_PER_KWH, peak: true, offPeakFraction: 0 });
    const quarter = tariffOf({ off_peak_times: "00:00-00:15", timezone: "Europe/London" });
    const mixed = priceInterval(new Date("2026-01-10T00:00:00Z"), new Date("2026-01-10T00:30:00Z"), quarter);
    expect(mixed.peak).toBe(true);
    expect(mixed.offPeakFraction).toBeCloseTo(0.5);
    expect(mixed.pencePerKwh).toBeCloseTo((DEFAULT_OFF_PEAK_PENCE_PER_KWH + DEFAULT_PEAK_PENCE_PER_KWH) / 2);
  });

  it("charges a single-rate tariff the same all day", () => {
    const single = tariffOf({
      off_peak_times: "00:00-07:00",
      timezone: "Europe/London",
      tariff_type: "single_rate",
      peak_pence_per_kwh: 27,
    });
    expect(
      priceInterval(new Date("2026-01-10T01:00:00Z"), new Date("2026-01-10T01:30:00Z"), single).pencePerKwh,
    ).toBe(27);
  });

  it("uses time-of-day rates, wrapping the last one round midnight", () => {
    const tod = tariffOf({
      off_peak_times: "00:30-05:30",
      timezone: "Europe/London",
      unit_rates: [
        { from_local_time: "05:30", pence_per_kwh: 30 },
        { from_local_time: "00:30", pence_per_kwh: 8 },
      ],
    });
    expect(
      priceInterval(new Date("2026-01-10T00:00:00Z"), new Date("2026-01-10T00:30:00Z"), tod).pencePerKwh,
    ).toBe(30);
    expect(
      priceInterval(new Date("2026-01-10T01:00:00Z"), new Date("2026-01-10T01:30:00Z"), tod).pencePerKwh,
    ).toBe(8);
    expect(
      priceInterval(new Date("2026-01-10T05:15:00Z"), new Date("2026-01-10T05:45:00Z"), tod).pencePerKwh,
    ).toBe(19);
  });

  it("uses dynamic half-hourly rates, negative ones included, falling back where none is given", () => {
    const agile = tariffOf({
      off_peak_times: "00:00-07:00",
      timezone: "Europe/London",
      tariff_type: "dynamic",
      unit_rates: [
        { start_timestamp: "2026-01-10T01:00:00Z", pence_per_kwh: -3.5 },
        { start_timestamp: "2026-01-10T01:30:00Z", pence_per_kwh: 12.25 },
      ],
    });
    const [a, b, c] = priceSlots(
      [
        { start: new Date("2026-01-10T01:00:00Z"), end: new Date("2026-01-10T01:30:00Z") },
        { start: new Date("2026-01-10T01:30:00Z"), end: new Date("2026-01-10T02:00:00Z") },
        { start: new Date("2026-01-10T02:00:00Z"), end: new Date("2026-01-10T02:30:00Z") },
      ],
      agile,
    );
    expect([a?.pencePerKwh, b?.pencePerKwh, c?.pencePerKwh]).toEqual([
      -3.5,
      12.25,
      DEFAULT_OFF_PEAK_PENCE_PER_KWH,
    ]);
  });

  it("follows wall time through a 46-period day", () => {
    const night = tariffOf({ off_peak_times: "00:00-07:00", timezone: "Europe/London" });
    // 2026-03-29: 00:00-01:00 GMT then BST; 07:00 BST is 06:00Z.
    expect(isOffPeak(new Date("2026-03-29T05:59:00Z"), night)).toBe(true);
    expect(isOffPeak(new Date("2026-03-29T06:00:00Z"), night)).toBe(false);
  });
});
