// Sigenergy <-> our model. Pure: no I/O. Telemetry is in kW with our sign convention already
// (battery positive charging, grid positive importing). Operation-mode numbers are from community
// clients (secondary source): kept here, in one place, so a correction is one edit.
import type { BatteryState, OperationMode } from "../types";

export const SIGENERGY_MODES = {
  maximumSelfConsumption: 0,
  aiMode: 1,
  timeOfUse: 2,
  commandChargingGridFirst: 3,
  commandChargingPvFirst: 4,
  fullyFeedInToGrid: 5,
  commandDischargingEssFirst: 6,
} as const;

const MODE_NAMES: Record<number, string> = {
  0: "Maximum Self-Consumption",
  1: "AI Mode",
  2: "TOU",
  3: "Command Charging (grid first)",
  4: "Command Charging (PV first)",
  5: "Fully Fed to Grid",
  6: "Command Discharging (ESS first)",
};

export interface SigenergyTelemetry {
  dataTime?: number;
  batSoc: number;
  batPower: number;
  gridPower: number;
  pvPower: number;
  loadPower: number;
}

export interface SigenergySettings {
  energyStorageOperationMode: number;
  dischargeCutOffSoc: number;
}

export function sigenergyModeToOperationMode(mode: number): OperationMode | null {
  switch (mode) {
    case SIGENERGY_MODES.maximumSelfConsumption:
      return "SELF_RELIANCE";
    case SIGENERGY_MODES.timeOfUse:
      return "TIME_OF_USE";
    case SIGENERGY_MODES.commandChargingGridFirst:
    case SIGENERGY_MODES.commandChargingPvFirst:
      return "IMPORT_FOCUS";
    case SIGENERGY_MODES.commandDischargingEssFirst:
      return "EXPORT_FOCUS";
    default:
      // AI mode and Fully Fed to Grid have no equivalent in ours.
      return null;
  }
}

export function sigenergyModeForOperationMode(mode: OperationMode): number {
  switch (mode) {
    case "SELF_RELIANCE":
      return SIGENERGY_MODES.maximumSelfConsumption;
    case "TIME_OF_USE":
      return SIGENERGY_MODES.timeOfUse;
    case "IMPORT_FOCUS":
      return SIGENERGY_MODES.commandChargingGridFirst;
    case "EXPORT_FOCUS":
      return SIGENERGY_MODES.commandDischargingEssFirst;
  }
}

export function sigenergyStateFromReadings(telemetry: SigenergyTelemetry, settings: SigenergySettings, receivedAt: Date): BatteryState {
  const native = settings.energyStorageOperationMode;
  return {
    socPct: telemetry.batSoc,
    batteryPowerKw: telemetry.batPower,
    gridPowerKw: telemetry.gridPower,
    solarPowerKw: telemetry.pvPower,
    loadPowerKw: telemetry.loadPower,
    operationMode: sigenergyModeToOperationMode(native),
    oemMode: MODE_NAMES[native] ?? `mode ${native}`,
    dischargeFloorPct: settings.dischargeCutOffSoc,
    observedAt: telemetry.dataTime !== undefined && telemetry.dataTime > 0 ? new Date(telemetry.dataTime) : receivedAt,
  };
}

/** The login key: base64 of "appKey:appSecret". */
export function sigenergyLoginKey(appKey: string, appSecret: string): string {
  return Buffer.from(`${appKey}:${appSecret}`, "utf8").toString("base64");
}
