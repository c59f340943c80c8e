import { describe, expect, it } from "vitest";
import { placeFlexLitePause, type PauseSlotValue, type ScheduleBlock } from "./place-pause";

const at = (time: string): Date => new Date(`2026-01-10T${time}:00Z`);
const block = (start: string, end: string): ScheduleBlock => ({ start: at(start), end: at(end) });
const shown = (blocks: ScheduleBlock[]): string[] =>
  blocks.map((b) => `${b.start.toISOString().slice(11, 16)}-${b.end.toISOString().slice(11, 16)}`);

function values(entries: [string, number][]): PauseSlotValue[] {
  return entries.map(([start, value]) => {
    const startDate = at(start);
    return { start: startDate, end: new Date(startDate.getTime() + 30 * 60_000), pauseValueGbpPerMwh: value };
  });
}

describe("placeFlexLitePause", () => {
  const slotValues = values([
    ["18:00", 120],
    ["18:30", 300],
    ["19:00", 150],
    ["19:30", 40],
    ["20:00", 30],
  ]);

  it("pauses the most valuable half hour and extends the end to keep the energy", () => {
    const result = placeFlexLitePause({
      schedule: [block("18:00", "20:00")],
      slotValues,
      chargerKw: 7,
      now: at("17:55"),
    });
    expect(result.changed).toBe(true);
    expect(shown(result.schedule)).toEqual(["18:00-18:30", "19:00-20:30"]);
    expect(result.pause && shown([result.pause])).toEqual(["18:30-19:00"]);
    // 3.5 kWh not taken at 300 GBP/MWh (105p) less 3.5 kWh taken at 30 GBP/MWh (10.5p).
    expect(result.valuePence).toBeCloseTo(94.5);
    const minutes = (blocks: ScheduleBlock[]): number =>
      blocks.reduce((sum, b) => sum + (b.end.getTime() - b.start.getTime()) / 60_000, 0);
    expect(minutes(result.schedule)).toBe(120);
  });

  it("takes a configurable pause length, straddling slots when that is worth most", () => {
    const result = placeFlexLitePause({
      schedule: [block("18:00", "20:00")],
      slotValues,
      pauseMinutes: 60,
      chargerKw: 7,
      now: at("17:00"),
    });
    expect(result.pause && shown([result.pause])).toEqual(["18:30-19:30"]);
    expect(shown(result.schedule)).toEqual(["18:00-18:30", "19:30-21:00"]);
  });

  it("keeps the pause inside the schedule and after now", () => {
    const result = placeFlexLitePause({
      schedule: [block("19:00", "20:00")],
      slotValues,
      chargerKw: 7,
      now: at("19:10"),
    });
    expect(result.pause && shown([result.pause])).toEqual(["19:10-19:40"]);
  });

  it("leaves the schedule unchanged when no pause is worth anything", () => {
    const flat = values([
      ["18:00", 50],
      ["18:30", 50],
      ["19:00", 50],
    ]);
    const result = placeFlexLitePause({
      schedule: [block("18:00", "19:00")],
      slotValues: flat,
      chargerKw: 7,
      now: at("17:00"),
    });
    expect(result.changed).toBe(false);
    expect(shown(result.schedule)).toEqual(["18:00-19:00"]);
    expect(result.pause).toBeNull();
    const negative = placeFlexLitePause({
      schedule: [block("18:00", "19:00")],
      slotValues: values([
        ["18:00", -20],
        ["18:30", -20],
      ]),
      chargerKw: 7,
      now: at("17:00"),
    });
    expect(negative.changed).toBe(false);
  });

  it("leaves a schedule that is too short, already over, or empty unchanged", () => {
    expect(
      placeFlexLitePause({ schedule: [block("18:00", "18:20")], slotValues, chargerKw: 7, now: at("17:00") })
        .changed,
    ).toBe(false);
    expect(
      placeFlexLitePause({ schedule: [block("18:00", "19:00")], slotValues, chargerKw: 7, now: at("19:30") })
        .changed,
    ).toBe(false);
    expect(placeFlexLitePause({ schedule: [], slotValues, chargerKw: 7, now: at("17:00") }).changed).toBe(
      false,
    );
  });

  it("pauses across two touching blocks and extends the last one", () => {
    const result = placeFlexLitePause({
      schedule: [block("18:00", "18:45"), block("18:45", "19:30")],
      slotValues,
      chargerKw: 7,
      now: at("17:00"),
    });
    expect(result.pause && shown([result.pause])).toEqual(["18:30-19:00"]);
    expect(shown(result.schedule)).toEqual(["18:00-18:30", "19:00-20:00"]);
  });
});

describe("answerPlugInSchedule", () => {
  it("answers the wire shape, echoing the request unchanged when nothing is worth pausing", async () => {
    const { answerPlugInSchedule, plugInScheduleRequestSchema } = await import("./plug-in-schedule");
    const request = plugInScheduleRequestSchema.parse({
      charging_schedule: [
        { start_timestamp: "2026-01-10T18:00:00+00:00", end_timestamp: "2026-01-10T19:00:00+00:00" },
      ],
    });
    const unchanged = answerPlugInSchedule(request, { slotValues: [], chargerKw: 7, now: at("17:00") });
    expect(unchanged.modified_charging_schedule).toEqual(request.charging_schedule);
    const changed = answerPlugInSchedule(request, {
      slotValues: values([["18:30", 200]]),
      chargerKw: 7,
      now: at("17:00"),
    });
    expect(changed.modified_charging_schedule).toEqual([
      { start_timestamp: "2026-01-10T18:00:00.000Z", end_timestamp: "2026-01-10T18:30:00.000Z" },
      { start_timestamp: "2026-01-10T19:00:00.000Z", end_timestamp: "2026-01-10T19:30:00.000Z" },
    ]);
    expect(
      plugInScheduleRequestSchema.safeParse({
        charging_schedule: [
          { start_timestamp: "2026-01-10T19:00:00Z", end_timestamp: "2026-01-10T18:00:00Z" },
        ],
      }).success,
    ).toBe(false);
  });
});
