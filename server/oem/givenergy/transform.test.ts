import { describe, expect, it } from "vitest";
import { OemUnsupportedError } from "../errors";
import { givenergyModeFromSettings, givenergyStateFromReadings, givenergyWritesForMode, givenergyWritesForSchedule, type GivenergyModeSettings } from "./transform";

const eco: GivenergyModeSettings = { ecoMode: true, acChargeEnable: false, dischargeEnable: false, reservePct: 4 };

describe("GivEnergy transform", () => {
  it("turns W with export- and discharge-positive signs into our kW", () => {
    const state = givenergyStateFromReadings(
      { time: "2025-01-10T18:00:00Z", solar: { power: 0 }, grid: { power: -1200 }, battery: { percent: 41, power: 2500 }, consumption: 3700 },
      eco,
      new Date(),
    );
    expect(state).toMatchObject({ socPct: 41, batteryPowerKw: -2.5, gridPowerKw: 1.2, solarPowerKw: 0, loadPowerKw: 3.7, operationMode: "SELF_RELIANCE", dischargeFloorPct: 4 });
    expect(state.observedAt.toISOString()).toBe("2025-01-10T18:00:00.000Z");
  });

  it("maps eco mode and timers to our modes", () => {
    expect(givenergyModeFromSettings(eco).mode).toBe("SELF_RELIANCE");
    expect(givenergyModeFromSettings({ ...eco, acChargeEnable: true, acChargeStart: "00:00", acChargeEnd: "23:59" }).mode).toBe("IMPORT_FOCUS");
    expect(givenergyModeFromSettings({ ...eco, ecoMode: false, dischargeEnable: true, dischargeStart: "00:00", dischargeEnd: "23:59" }).mode).toBe("EXPORT_FOCUS");
    expect(givenergyModeFromSettings({ ...eco, acChargeEnable: true, acChargeStart: "00:30", acChargeEnd: "04:30" }).mode).toBe("TIME_OF_USE");
    expect(givenergyModeFromSettings({ ...eco, acChargeEnable: true, acChargeStart: "00:00", acChargeEnd: "00:00" }).mode).toBe("SELF_RELIANCE");
    expect(givenergyModeFromSettings({ ...eco, ecoMode: false }).mode).toBeNull();
  });

  it("writes timers before the switches that enable them", () => {
    const writes = givenergyWritesForMode("IMPORT_FOCUS", undefined).map(([key]) => key);
    expect(writes.indexOf("acChargeStart")).toBeLessThan(writes.indexOf("acChargeEnable"));
    expect(givenergyWritesForMode("SELF_RELIANCE", undefined)).toContainEqual(["ecoMode", true]);
  });

  it("supports one charge and one discharge slot", () => {
    expect(givenergyWritesForSchedule({ slots: [{ start: "23:30", end: "05:30", action: "charge", targetSocPct: 80 }] })).toEqual([
      ["acChargeStart", "23:30"],
      ["acChargeEnd", "05:30"],
      ["chargeUpperLimit", 80],
      ["ecoMode", true],
      ["acChargeEnable", true],
      ["dischargeEnable", false],
    ]);
    expect(() =>
      givenergyWritesForSchedule({ slots: [{ start: "01:00", end: "02:00", action: "charge" }, { start: "03:00", end: "04:00", action: "charge" }] }),
    ).toThrow(OemUnsupportedError);
  });
});
