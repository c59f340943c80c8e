import { describe, expect, it } from "vitest";
import { OPERATION_MODES } from "../types";
import { sigenergyLoginKey, sigenergyModeForOperationMode, sigenergyModeToOperationMode, sigenergyStateFromReadings } from "./transform";

describe("Sigenergy transform", () => {
  it("round-trips every one of our modes through the native mode number", () => {
    for (const mode of OPERATION_MODES) expect(sigenergyModeToOperationMode(sigenergyModeForOperationMode(mode))).toBe(mode);
  });

  it("has no equivalent for AI mode and Fully Fed to Grid", () => {
    expect(sigenergyModeToOperationMode(1)).toBeNull();
    expect(sigenergyModeToOperationMode(5)).toBeNull();
  });

  it("keeps telemetry signs, which already match ours", () => {
    const state = sigenergyStateFromReadings(
      { dataTime: 1717243200000, batSoc: 55, batPower: 3, gridPower: 3.4, pvPower: 0, loadPower: 0.4 },
      { energyStorageOperationMode: 3, dischargeCutOffSoc: 12 },
      new Date(),
    );
    expect(state).toMatchObject({ socPct: 55, batteryPowerKw: 3, gridPowerKw: 3.4, operationMode: "IMPORT_FOCUS", oemMode: "Command Charging (grid first)", dischargeFloorPct: 12 });
  });

  it("builds the login key as base64 of appKey:appSecret", () => {
    expect(Buffer.from(sigenergyLoginKey("app", "s3cret"), "base64").toString()).toBe("app:s3cret");
  });
});
