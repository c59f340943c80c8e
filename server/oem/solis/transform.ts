// SolisCloud <-> our model. Pure: no I/O. Each power figure comes with its own unit string (W or kW);
// battery power is positive while charging, psum (grid) positive while exporting. The mode is the
// storage-mode bit field (cid 636) plus the first charge and discharge time slots.
import { OemProtocolError, OemUnsupportedError } from "../errors";
import { DEFAULT_TIME_OF_USE_SCHEDULE, normaliseSchedule, wallTimeToMinutes } from "../schedule";
import type { BatterySchedule, BatteryState, OperationMode } from "../types";

export const SOLIS_CID = { storageMode: 636, reserveSoc: 157, chargeSlot1: 5946, dischargeSlot1: 5964 } as const;
export const SOLIS_MODE_BITS = { selfUse: 1, timeOfUse: 2, backup: 16, gridCharge: 32, feedInPriority: 64 } as const;
const EMPTY_SLOT = "00:00-00:00";
const WHOLE_DAY_SLOT = "00:00-23:59";

export interface SolisInverterDetail {
  dataTimestamp?: string | number;
  batteryCapacitySoc: number;
  batteryPower: number;
  batteryPowerStr?: string;
  psum: number;
  psumStr?: string;
  familyLoadPower: number;
  familyLoadPowerStr?: string;
  dcPac?: number;
  dcPacStr?: string;
}

export interface SolisModeSettings {
  storageMode: number;
  chargeSlot?: string;
  dischargeSlot?: string;
  reserveSocPct: number;
}

/** Converts a Solis figure to kW by its unit string. */
export function solisKw(value: number, unit: string | undefined): number {
  switch ((unit ?? "kW").trim().toLowerCase()) {
    case "w":
      return value / 1000;
    case "kw":
      return value;
    case "mw":
      return value * 1000;
    default:
      throw new OemProtocolError("solis", `unknown power unit "${unit ?? ""}"`);
  }
}

function slotWindow(slot: string | undefined): { start: number; end: number } | null {
  if (!slot) return null;
  const [start, end] = slot.split("-");
  const s = wallTimeToMinutes(start ?? "");
  const e = wallTimeToMinutes(end ?? "");
  if (s === null || e === null || s === e) return null;
  return { start: s, end: e };
}

export function solisModeFromSettings(settings: SolisModeSettings): { mode: OperationMode | null; oemMode: string } {
  const bits = settings.storageMode;
  const has = (bit: number): boolean => (bits & bit) !== 0;
  if (has(SOLIS_MODE_BITS.timeOfUse)) {
    const charge = has(SOLIS_MODE_BITS.gridCharge) ? slotWindow(settings.chargeSlot) : null;
    const discharge = slotWindow(settings.dischargeSlot);
    const wholeDay = (w: { start: number; end: number } | null) => w !== null && w.start === 0 && w.end >= 1440;
    if (wholeDay(charge)) return { mode: "IMPORT_FOCUS", oemMode: `TOU (${bits}): charge all day` };
    if (wholeDay(discharge)) return { mode: "EXPORT_FOCUS", oemMode: `TOU (${bits}): discharge all day` };
    if (charge || discharge) return { mode: "TIME_OF_USE", oemMode: `TOU (${bits})` };
  }
  if (has(SOLIS_MODE_BITS.feedInPriority)) return { mode: "SELF_RELIANCE", oemMode: `Feed-in priority (${bits})` };
  if (has(SOLIS_MODE_BITS.backup)) return { mode: "IMPORT_FOCUS", oemMode: `Backup (${bits})` };
  if (has(SOLIS_MODE_BITS.selfUse)) return { mode: "SELF_RELIANCE", oemMode: `Self-use (${bits})` };
  return { mode: null, oemMode: `storage mode ${bits}` };
}

export function solisStateFromReadings(detail: SolisInverterDetail, settings: SolisModeSettings, receivedAt: Date): BatteryState {
  const { mode, oemMode } = solisModeFromSettings(settings);
  const timestamp = Number(detail.dataTimestamp);
  return {
    socPct: detail.batteryCapacitySoc,
    batteryPowerKw: round3(solisKw(detail.batteryPower, detail.batteryPowerStr)),
    gridPowerKw: round3(-solisKw(detail.psum, detail.psumStr)),
    solarPowerKw: round3(detail.dcPac === undefined ? 0 : solisKw(detail.dcPac, detail.dcPacStr)),
    loadPowerKw: round3(solisKw(detail.familyLoadPower, detail.familyLoadPowerStr)),
    operationMode: mode,
    oemMode,
    dischargeFloorPct: settings.reserveSocPct,
    observedAt: Number.isFinite(timestamp) && timestamp > 0 ? new Date(timestamp) : receivedAt,
  };
}

export type SolisControl = [cid: number, value: string];

/** Slots first, storage mode last, so the mode switch never runs against stale slots. */
export function solisControlsForMode(mode: OperationMode, schedule: BatterySchedule | undefined): SolisControl[] {
  const { selfUse, timeOfUse, gridCharge } = SOLIS_MODE_BITS;
  switch (mode) {
    case "SELF_RELIANCE":
      return [[SOLIS_CID.storageMode, String(selfUse | gridCharge)]];
    case "IMPORT_FOCUS":
      return [
        [SOLIS_CID.chargeSlot1, WHOLE_DAY_SLOT],
        [SOLIS_CID.dischargeSlot1, EMPTY_SLOT],
        [SOLIS_CID.storageMode, String(selfUse | timeOfUse | gridCharge)],
      ];
    case "EXPORT_FOCUS":
      return [
        [SOLIS_CID.chargeSlot1, EMPTY_SLOT],
        [SOLIS_CID.dischargeSlot1, WHOLE_DAY_SLOT],
        [SOLIS_CID.storageMode, String(selfUse | timeOfUse)],
      ];
    case "TIME_OF_USE":
      return solisControlsForSchedule(schedule ?? DEFAULT_TIME_OF_USE_SCHEDULE);
  }
}

export function solisControlsForSchedule(schedule: BatterySchedule): SolisControl[] {
  normaliseSchedule("solis", schedule);
  const charges = schedule.slots.filter((s) => s.action === "charge");
  const discharges = schedule.slots.filter((s) => s.action === "discharge");
  if (charges.length > 1 || discharges.length > 1) throw new OemUnsupportedError("solis", "at most one charge slot and one discharge slot are supported");
  if (charges.length === 0 && discharges.length === 0) throw new OemUnsupportedError("solis", "a schedule needs at least one slot");
  const format = (slot: { start: string; end: string } | undefined): string => {
    if (!slot) return EMPTY_SLOT;
    const text = `${slot.start}-${slot.end === "24:00" ? "23:59" : slot.end}`;
    if (text === WHOLE_DAY_SLOT) throw new OemUnsupportedError("solis", "an all-day slot is a focus mode, not a schedule");
    return text;
  };
  const { selfUse, timeOfUse, gridCharge } = SOLIS_MODE_BITS;
  return [
    [SOLIS_CID.chargeSlot1, format(charges[0])],
    [SOLIS_CID.dischargeSlot1, format(discharges[0])],
    [SOLIS_CID.storageMode, String(selfUse | timeOfUse | gridCharge)],
  ];
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
