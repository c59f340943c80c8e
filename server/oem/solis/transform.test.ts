import { describe, expect, it } from "vitest";
import { OemProtocolError } from "../errors";
import { SOLIS_CID, solisControlsForMode, solisControlsForSchedule, solisKw, solisModeFromSettings, solisStateFromReadings } from "./transform";

describe("Solis transform", () => {
  it("converts each figure by its own unit string and flips psum to import-positive", () => {
    const state = solisStateFromReadings(
      { dataTimestamp: "1717243200000", batteryCapacitySoc: 77.5, batteryPower: 1200, batteryPowerStr: "W", psum: 0.4, psumStr: "kW", familyLoadPower: 600, familyLoadPowerStr: "W", dcPac: 2.2, dcPacStr: "kW" },
      { storageMode: 33, reserveSocPct: 15 },
      new Date(),
    );
    expect(state).toMatchObject({ socPct: 77.5, batteryPowerKw: 1.2, gridPowerKw: -0.4, loadPowerKw: 0.6, solarPowerKw: 2.2, operationMode: "SELF_RELIANCE", dischargeFloorPct: 15 });
    expect(state.observedAt.toISOString()).toBe("2024-06-01T12:00:00.000Z");
  });

  it("rejects unknown units", () => {
    expect(solisKw(5, "kW")).toBe(5);
    expect(() => solisKw(5, "hp")).toThrow(OemProtocolError);
  });

  it("maps storage-mode bits and slots to our modes", () => {
    expect(solisModeFromSettings({ storageMode: 33, reserveSocPct: 10 }).mode).toBe("SELF_RELIANCE");
    expect(solisModeFromSettings({ storageMode: 35, chargeSlot: "00:00-23:59", dischargeSlot: "00:00-00:00", reserveSocPct: 10 }).mode).toBe("IMPORT_FOCUS");
    expect(solisModeFromSettings({ storageMode: 3, chargeSlot: "00:00-00:00", dischargeSlot: "00:00-23:59", reserveSocPct: 10 }).mode).toBe("EXPORT_FOCUS");
    expect(solisModeFromSettings({ storageMode: 35, chargeSlot: "01:00-05:00", dischargeSlot: "00:00-00:00", reserveSocPct: 10 }).mode).toBe("TIME_OF_USE");
    expect(solisModeFromSettings({ storageMode: 3, chargeSlot: "00:00-23:59", dischargeSlot: "00:00-00:00", reserveSocPct: 10 }).mode).toBe("SELF_RELIANCE");
    expect(solisModeFromSettings({ storageMode: 16 + 1, reserveSocPct: 10 }).mode).toBe("IMPORT_FOCUS");
    expect(solisModeFromSettings({ storageMode: 0, reserveSocPct: 10 }).mode).toBeNull();
  });

  it("writes slots before the storage mode", () => {
    const controls = solisControlsForMode("IMPORT_FOCUS", undefined);
    expect(controls.at(-1)).toEqual([SOLIS_CID.storageMode, "35"]);
    expect(solisControlsForSchedule({ slots: [{ start: "17:00", end: "24:00", action: "discharge" }] })).toEqual([
      [SOLIS_CID.chargeSlot1, "00:00-00:00"],
      [SOLIS_CID.dischargeSlot1, "17:00-23:59"],
      [SOLIS_CID.storageMode, "35"],
    ]);
  });
});
