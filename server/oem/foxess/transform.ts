// FoxESS <-> our model. Pure: no I/O. FoxESS reports kW with battery discharge positive and grid
// import/export as two separate non-negative figures; modes live in the scheduler's time groups.
import { OemProtocolError, OemUnsupportedError } from "../errors";
import { coversWholeDay, DEFAULT_TIME_OF_USE_SCHEDULE, normaliseSchedule } from "../schedule";
import type { BatterySchedule, BatteryState, OperationMode } from "../types";

export const FOXESS_VARIABLES = ["SoC", "invBatPower", "pvPower", "loadsPower", "gridConsumptionPower", "feedinPower"] as const;

export type FoxessWorkMode = "SelfUse" | "Feedin" | "Backup" | "ForceCharge" | "ForceDischarge";

export interface FoxessGroup {
  enable: 0 | 1;
  startHour: number;
  startMinute: number;
  endHour: number;
  endMinute: number;
  workMode: string;
  extraParam: { minSocOnGrid: number; fdSoc: number; fdPwr: number; maxSoc: number };
}

export interface FoxessRealData {
  time?: string;
  datas: Array<{ variable: string; unit?: string; value: number | string | null }>;
}

export interface FoxessSchedulerState {
  enable: number;
  groups: Array<Pick<FoxessGroup, "startHour" | "startMinute" | "endHour" | "endMinute" | "workMode"> & { enable?: number }>;
}

export const FOXESS_MAX_GROUPS = 8;
/** Asked of a forced group when the caller gives no power; the inverter caps it at its rating. */
export const FOXESS_DEFAULT_FORCE_POWER_W = 10_000;

function variable(real: FoxessRealData, name: string): number | null {
  const entry = real.datas.find((d) => d.variable === name);
  if (!entry || entry.value === null || entry.value === "") return null;
  const value = Number(entry.value);
  if (!Number.isFinite(value)) return null;
  return entry.unit === "W" ? value / 1000 : value;
}

/** "2024-05-01 13:00:00 UTC+0100" (FoxESS) or ISO; falls back when absent or unreadable. */
export function parseFoxessTime(text: string | undefined, fallback: Date): Date {
  if (!text) return fallback;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\s*[A-Z]*([+-]\d{2}):?(\d{2}))?/.exec(text.trim());
  if (!match) return fallback;
  const offset = match[3] ? `${match[3]}:${match[4] ?? "00"}` : "Z";
  const parsed = new Date(`${match[1]}T${match[2]}${offset}`);
  return Number.isNaN(parsed.getTime()) ? fallback : parsed;
}

export function foxessModeFromScheduler(scheduler: FoxessSchedulerState): { mode: OperationMode | null; oemMode: string } {
  if (scheduler.enable !== 1) return { mode: "SELF_RELIANCE", oemMode: "scheduler off (work mode from app)" };
  const active = scheduler.groups.filter((g) => g.enable !== 0);
  if (active.length === 0) return { mode: "SELF_RELIANCE", oemMode: "scheduler on, no groups" };
  const only = active[0];
  if (active.length === 1 && only) {
    const start = only.startHour * 60 + only.startMinute;
    const end = only.endHour * 60 + only.endMinute;
    if (start === 0 && end >= 1439) {
      const mode = foxessWorkModeToOperationMode(only.workMode);
      return { mode, oemMode: `scheduler: ${only.workMode} all day` };
    }
  }
  return { mode: "TIME_OF_USE", oemMode: `scheduler: ${active.length} group(s)` };
}

export function foxessWorkModeToOperationMode(workMode: string): OperationMode | null {
  switch (workMode) {
    case "SelfUse":
    case "Feedin":
      return "SELF_RELIANCE";
    case "ForceCharge":
    case "Backup":
      return "IMPORT_FOCUS";
    case "ForceDischarge":
      return "EXPORT_FOCUS";
    default:
      return null;
  }
}

export function foxessStateFromReadings(
  real: FoxessRealData,
  scheduler: FoxessSchedulerState,
  minSocOnGrid: number,
  receivedAt: Date,
): BatteryState {
  const soc = variable(real, "SoC");
  if (soc === null) throw new OemProtocolError("foxess", "real-time data carries no SoC");
  const dischargeKw = variable(real, "invBatPower") ?? (variable(real, "batDischargePower") ?? 0) - (variable(real, "batChargePower") ?? 0);
  const importKw = variable(real, "gridConsumptionPower") ?? 0;
  const exportKw = variable(real, "feedinPower") ?? 0;
  const { mode, oemMode } = foxessModeFromScheduler(scheduler);
  return {
    socPct: soc,
    batteryPowerKw: round3(-dischargeKw),
    gridPowerKw: round3(importKw - exportKw),
    solarPowerKw: round3(variable(real, "pvPower") ?? 0),
    loadPowerKw: round3(variable(real, "loadsPower") ?? 0),
    operationMode: mode,
    oemMode,
    dischargeFloorPct: minSocOnGrid,
    observedAt: parseFoxessTime(real.time, receivedAt),
  };
}

export type FoxessModeCommand = { kind: "scheduler_off" } | { kind: "scheduler_groups"; groups: FoxessGroup[] };

/** How to put a FoxESS inverter in our mode: self-reliance turns the scheduler off (back to the app's work mode). */
export function foxessCommandForMode(
  mode: OperationMode,
  dischargeFloorPct: number,
  schedule: BatterySchedule | undefined,
): FoxessModeCommand {
  const allDay = (workMode: FoxessWorkMode): FoxessGroup[] => [
    group(0, 1440, workMode, dischargeFloorPct, { fdPwr: FOXESS_DEFAULT_FORCE_POWER_W, fdSoc: dischargeFloorPct, maxSoc: 100 }),
  ];
  switch (mode) {
    case "SELF_RELIANCE":
      return { kind: "scheduler_off" };
    case "IMPORT_FOCUS":
      return { kind: "scheduler_groups", groups: allDay("ForceCharge") };
    case "EXPORT_FOCUS":
      return { kind: "scheduler_groups", groups: allDay("ForceDischarge") };
    case "TIME_OF_USE":
      return { kind: "scheduler_groups", groups: foxessGroupsForSchedule(schedule ?? DEFAULT_TIME_OF_USE_SCHEDULE, dischargeFloorPct) };
  }
}

export function foxessGroupsForSchedule(schedule: BatterySchedule, dischargeFloorPct: number): FoxessGroup[] {
  const pieces = normaliseSchedule("foxess", schedule);
  if (pieces.length === 0) throw new OemUnsupportedError("foxess", "a schedule needs at least one slot");
  if (pieces.length > FOXESS_MAX_GROUPS) throw new OemUnsupportedError("foxess", `at most ${FOXESS_MAX_GROUPS} scheduler groups`);
  if (pieces.length === 1 && pieces[0] && coversWholeDay(pieces[0])) {
    // One all-day group reads back as a focus mode, not a schedule; stop at 23:58 so it stays TIME_OF_USE.
    pieces[0].endMinute = 1438;
  }
  return pieces.map(({ slot, startMinute, endMinute }) =>
    group(startMinute, endMinute, slot.action === "charge" ? "ForceCharge" : "ForceDischarge", dischargeFloorPct, {
      fdPwr: slot.powerKw !== undefined ? Math.round(slot.powerKw * 1000) : FOXESS_DEFAULT_FORCE_POWER_W,
      fdSoc: slot.action === "discharge" ? Math.max(dischargeFloorPct, slot.targetSocPct ?? dischargeFloorPct) : dischargeFloorPct,
      maxSoc: slot.action === "charge" ? (slot.targetSocPct ?? 100) : 100,
    }),
  );
}

function group(
  startMinute: number,
  endMinute: number,
  workMode: FoxessWorkMode,
  floorPct: number,
  extra: { fdPwr: number; fdSoc: number; maxSoc: number },
): FoxessGroup {
  // FoxESS groups end at 23:59 at the latest; an exclusive end of 1440 is written as 23:59.
  const end = Math.min(endMinute, 1439);
  return {
    enable: 1,
    startHour: Math.floor(startMinute / 60),
    startMinute: startMinute % 60,
    endHour: Math.floor(end / 60),
    endMinute: end % 60,
    workMode,
    extraParam: { minSocOnGrid: floorPct, fdSoc: Math.max(10, extra.fdSoc), fdPwr: extra.fdPwr, maxSoc: extra.maxSoc },
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
