import { describe, expect, it } from "vitest";
import { OemUnsupportedError } from "../errors";
import { foxessCommandForMode, foxessGroupsForSchedule, foxessModeFromScheduler, foxessStateFromReadings, parseFoxessTime } from "./transform";

const received = new Date("2025-06-01T12:00:00Z");
const real = {
  time: "2025-06-01 12:59:30 UTC+0100",
  datas: [
    { variable: "SoC", unit: "%", value: 64 },
    { variable: "invBatPower", unit: "kW", value: 1.5 },
    { variable: "pvPower", unit: "kW", value: 3.2 },
    { variable: "loadsPower", unit: "kW", value: 0.9 },
    { variable: "gridConsumptionPower", unit: "kW", value: 0 },
    { variable: "feedinPower", unit: "kW", value: 3.8 },
  ],
};

describe("FoxESS transform", () => {
  it("turns discharge-positive battery power and split grid figures into our signed kW", () => {
    const state = foxessStateFromReadings(real, { enable: 0, groups: [] }, 15, received);
    expect(state).toMatchObject({ socPct: 64, batteryPowerKw: -1.5, gridPowerKw: -3.8, solarPowerKw: 3.2, loadPowerKw: 0.9, dischargeFloorPct: 15 });
    expect(state.observedAt.toISOString()).toBe("2025-06-01T11:59:30.000Z");
  });

  it("reads W figures as W", () => {
    const state = foxessStateFromReadings({ datas: [{ variable: "SoC", value: 10 }, { variable: "pvPower", unit: "W", value: 2500 }] }, { enable: 0, groups: [] }, 10, received);
    expect(state.solarPowerKw).toBe(2.5);
    expect(state.observedAt).toBe(received);
  });

  it("falls back to the receipt time when the timestamp is unreadable", () => {
    expect(parseFoxessTime("yesterday", received)).toBe(received);
  });

  it("maps the scheduler to our modes", () => {
    const allDay = (workMode: string) => ({ enable: 1, groups: [{ enable: 1, startHour: 0, startMinute: 0, endHour: 23, endMinute: 59, workMode }] });
    expect(foxessModeFromScheduler({ enable: 0, groups: [] }).mode).toBe("SELF_RELIANCE");
    expect(foxessModeFromScheduler(allDay("ForceCharge")).mode).toBe("IMPORT_FOCUS");
    expect(foxessModeFromScheduler(allDay("ForceDischarge")).mode).toBe("EXPORT_FOCUS");
    expect(foxessModeFromScheduler(allDay("SelfUse")).mode).toBe("SELF_RELIANCE");
    expect(foxessModeFromScheduler(allDay("Mystery")).mode).toBeNull();
    expect(
      foxessModeFromScheduler({ enable: 1, groups: [{ enable: 1, startHour: 0, startMinute: 30, endHour: 4, endMinute: 30, workMode: "ForceCharge" }] }).mode,
    ).toBe("TIME_OF_USE");
  });

  it("turns the scheduler off for self-reliance and writes one all-day group for the focus modes", () => {
    expect(foxessCommandForMode("SELF_RELIANCE", 10, undefined)).toEqual({ kind: "scheduler_off" });
    const command = foxessCommandForMode("EXPORT_FOCUS", 20, undefined);
    expect(command.kind === "scheduler_groups" ? command.groups : []).toEqual([
      expect.objectContaining({ startHour: 0, startMinute: 0, endHour: 23, endMinute: 59, workMode: "ForceDischarge", extraParam: expect.objectContaining({ fdSoc: 20, minSocOnGrid: 20 }) }),
    ]);
  });

  it("splits slots across midnight and round-trips a schedule as TIME_OF_USE", () => {
    const groups = foxessGroupsForSchedule({ slots: [{ start: "23:30", end: "05:30", action: "charge", powerKw: 3, targetSocPct: 90 }] }, 10);
    expect(groups.map((g) => [g.startHour, g.startMinute, g.endHour, g.endMinute])).toEqual([
      [0, 0, 5, 30],
      [23, 30, 23, 59],
    ]);
    expect(groups[0]?.extraParam).toMatchObject({ fdPwr: 3000, maxSoc: 90 });
    expect(foxessModeFromScheduler({ enable: 1, groups }).mode).toBe("TIME_OF_USE");
    const wholeDay = foxessGroupsForSchedule({ slots: [{ start: "00:00", end: "24:00", action: "charge" }] }, 10);
    expect(foxessModeFromScheduler({ enable: 1, groups: wholeDay }).mode).toBe("TIME_OF_USE");
  });

  it("refuses overlapping slots and more than eight groups", () => {
    expect(() =>
      foxessGroupsForSchedule({ slots: [{ start: "01:00", end: "03:00", action: "charge" }, { start: "02:00", end: "04:00", action: "discharge" }] }, 10),
    ).toThrow(OemUnsupportedError);
    const nine = Array.from({ length: 9 }, (_, i) => ({ start: `${String(i * 2).padStart(2, "0")}:00`, end: `${String(i * 2).padStart(2, "0")}:30`, action: "charge" as const }));
    expect(() => foxessGroupsForSchedule({ slots: nine }, 10)).toThrow(OemUnsupportedError);
  });
});
