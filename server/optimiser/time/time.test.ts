import { describe, expect, it } from "vitest";
import {
  instantsOfLocalTime,
  isValidTimeZone,
  nextOccurrenceOfLocalTime,
  settlementPeriodOf,
  settlementPeriodsInDay,
  settlementSlots,
  settlementSlotsOfDay,
  zoneOffsetMinutes,
} from "./index";

const LONDON = "Europe/London";
const iso = (ms: number | Date): string => new Date(ms).toISOString();

describe("settlement days in Europe/London", () => {
  it("has 46 periods when the clocks go forward (2026-03-29)", () => {
    expect(settlementPeriodsInDay("2026-03-29", LONDON)).toBe(46);
    const slots = settlementSlotsOfDay("2026-03-29", LONDON);
    expect(slots).toHaveLength(46);
    expect(iso(slots[0]?.start ?? 0)).toBe("2026-03-29T00:00:00.000Z");
    expect(iso(slots[45]?.end ?? 0)).toBe("2026-03-29T23:00:00.000Z");
    expect(slots.map((slot) => slot.period)).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
  });

  it("has 50 periods when the clocks go back (2026-10-25)", () => {
    expect(settlementPeriodsInDay("2026-10-25", LONDON)).toBe(50);
    const slots = settlementSlotsOfDay("2026-10-25", LONDON);
    expect(slots).toHaveLength(50);
    expect(iso(slots[0]?.start ?? 0)).toBe("2026-10-24T23:00:00.000Z");
    expect(iso(slots[49]?.end ?? 0)).toBe("2026-10-26T00:00:00.000Z");
  });

  it("has 48 periods on an ordinary day, summer or winter", () => {
    expect(settlementPeriodsInDay("2026-07-01", LONDON)).toBe(48);
    expect(settlementPeriodsInDay("2026-01-15", LONDON)).toBe(48);
  });

  it("numbers periods from local midnight across the change", () => {
    expect(settlementPeriodOf(new Date("2026-10-24T23:00:00Z"), LONDON)).toEqual({
      localDate: "2026-10-25",
      period: 1,
    });
    expect(settlementPeriodOf(new Date("2026-10-25T01:15:00Z"), LONDON)).toEqual({
      localDate: "2026-10-25",
      period: 5,
    });
    expect(settlementPeriodOf(new Date("2026-10-25T23:30:00Z"), LONDON)).toEqual({
      localDate: "2026-10-25",
      period: 50,
    });
    expect(settlementPeriodOf(new Date("2026-03-29T01:00:00Z"), LONDON)).toEqual({
      localDate: "2026-03-29",
      period: 3,
    });
  });

  it("covers [from, to) with whole slots, the edges included", () => {
    const slots = settlementSlots(new Date("2026-01-10T18:10:00Z"), new Date("2026-01-10T19:40:00Z"), LONDON);
    expect(slots.map((slot) => iso(slot.start))).toEqual([
      "2026-01-10T18:00:00.000Z",
      "2026-01-10T18:30:00.000Z",
      "2026-01-10T19:00:00.000Z",
      "2026-01-10T19:30:00.000Z",
    ]);
    expect(slots.map((slot) => slot.period)).toEqual([37, 38, 39, 40]);
    expect(
      settlementSlots(new Date("2026-01-10T19:00:00Z"), new Date("2026-01-10T19:00:00Z"), LONDON),
    ).toEqual([]);
  });

  it("rolls period numbering over to the next local day", () => {
    const slots = settlementSlots(new Date("2026-03-28T23:00:00Z"), new Date("2026-03-29T01:30:00Z"), LONDON);
    expect(slots.map((slot) => `${slot.localDate}/${slot.period}`)).toEqual([
      "2026-03-28/47",
      "2026-03-28/48",
      "2026-03-29/1",
      "2026-03-29/2",
      "2026-03-29/3",
    ]);
  });
});

describe("local wall times to instants", () => {
  it("puts a ready-by before the plug-in time on the next day (after midnight)", () => {
    expect(iso(nextOccurrenceOfLocalTime(new Date("2026-01-10T18:00:00Z"), "07:30", LONDON))).toBe(
      "2026-01-11T07:30:00.000Z",
    );
    expect(iso(nextOccurrenceOfLocalTime(new Date("2026-07-10T17:00:00Z"), "07:30", LONDON))).toBe(
      "2026-07-11T06:30:00.000Z",
    );
  });

  it("takes the same day when the wall time is still ahead, and never the instant itself", () => {
    expect(iso(nextOccurrenceOfLocalTime(new Date("2026-01-10T05:00:00Z"), "07:30", LONDON))).toBe(
      "2026-01-10T07:30:00.000Z",
    );
    expect(iso(nextOccurrenceOfLocalTime(new Date("2026-01-10T07:30:00Z"), "07:30", LONDON))).toBe(
      "2026-01-11T07:30:00.000Z",
    );
  });

  it("crosses the spring change (a 23-hour night)", () => {
    expect(iso(nextOccurrenceOfLocalTime(new Date("2026-03-28T20:00:00Z"), "07:00", LONDON))).toBe(
      "2026-03-29T06:00:00.000Z",
    );
  });

  it("moves a wall time inside the spring gap to the moment the clock jumped past it", () => {
    expect(instantsOfLocalTime("2026-03-29", 90, LONDON).map(iso)).toEqual(["2026-03-29T01:30:00.000Z"]);
    expect(iso(nextOccurrenceOfLocalTime(new Date("2026-03-28T12:00:00Z"), "01:30", LONDON))).toBe(
      "2026-03-29T01:30:00.000Z",
    );
  });

  it("takes the first occurrence of a repeated autumn wall time, then the second once the first has passed", () => {
    expect(instantsOfLocalTime("2026-10-25", 90, LONDON).map(iso)).toEqual([
      "2026-10-25T00:30:00.000Z",
      "2026-10-25T01:30:00.000Z",
    ]);
    expect(iso(nextOccurrenceOfLocalTime(new Date("2026-10-24T20:00:00Z"), "01:30", LONDON))).toBe(
      "2026-10-25T00:30:00.000Z",
    );
    expect(iso(nextOccurrenceOfLocalTime(new Date("2026-10-25T01:00:00Z"), "01:30", LONDON))).toBe(
      "2026-10-25T01:30:00.000Z",
    );
  });

  it("works in other zones", () => {
    expect(
      iso(nextOccurrenceOfLocalTime(new Date("2026-01-10T12:00:00Z"), "07:00", "America/New_York")),
    ).toBe("2026-01-11T12:00:00.000Z");
    expect(zoneOffsetMinutes(new Date("2026-07-01T00:00:00Z"), "Asia/Kathmandu")).toBe(345);
    expect(settlementPeriodsInDay("2026-03-08", "America/New_York")).toBe(46);
  });

  it("rejects malformed wall times and unknown zones", () => {
    expect(() => nextOccurrenceOfLocalTime(new Date(), "7:30", LONDON)).toThrow(/HH:MM/);
    expect(() => nextOccurrenceOfLocalTime(new Date(), "24:00", LONDON)).toThrow(/HH:MM/);
    expect(isValidTimeZone("Europe/London")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});
