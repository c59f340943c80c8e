// GivEnergy <-> our model. Pure: no I/O. System data is in W with grid export and battery discharge
// positive; modes are combinations of eco mode and the AC-charge / DC-discharge timers.
import { OemUnsupportedError } from "../errors";
import { DEFAULT_TIME_OF_USE_SCHEDULE, normaliseSchedule, wallTimeToMinutes } from "../schedule";
import type { BatterySchedule, BatteryState, OperationMode } from "../types";

export const GIVENERGY_SETTINGS = {
  ecoMode: "Enable Eco Mode",
  acChargeEnable: "AC Charge Enable",
  acChargeStart: "AC Charge 1 Start Time",
  acChargeEnd: "AC Charge 1 End Time",
  dischargeEnable: "Enable DC Discharge",
  dischargeStart: "DC Discharge 1 Start Time",
  dischargeEnd: "DC Discharge 1 End Time",
  reserve: "Battery Reserve % Limit",
  chargeUpperLimit: "AC Charge Upper % Limit",
} as const;
export type GivenergySettingKey = keyof typeof GIVENERGY_SETTINGS;
export type GivenergySettingValue = boolean | number | string;

export interface GivenergySystemData {
  time: string;
  solar: { power: number };
  grid: { power: number };
  battery: { percent: number; power: number };
  consumption: number;
}

export interface GivenergyModeSettings {
  ecoMode: boolean;
  acChargeEnable: boolean;
  acChargeStart?: string;
  acChargeEnd?: string;
  dischargeEnable: boolean;
  dischargeStart?: string;
  dischargeEnd?: string;
  reservePct: number;
}

function windowMinutes(start: string | undefined, end: string | undefined): { start: number; end: number } | null {
  if (start === undefined || end === undefined) return null;
  const s = wallTimeToMinutes(start);
  const e = wallTimeToMinutes(end);
  if (s === null || e === null || s === e) return null;
  return { start: s, end: e };
}

function isWholeDay(window: { start: number; end: number } | null): boolean {
  return window !== null && window.start === 0 && window.end >= 1440;
}

export function givenergyModeFromSettings(settings: GivenergyModeSettings): { mode: OperationMode | null; oemMode: string } {
  const charge = settings.acChargeEnable ? windowMinutes(settings.acChargeStart, settings.acChargeEnd) : null;
  const discharge = settings.dischargeEnable ? windowMinutes(settings.dischargeStart, settings.dischargeEnd) : null;
  if (discharge && isWholeDay(discharge) && !settings.ecoMode) return { mode: "EXPORT_FOCUS", oemMode: "Timed Export, all day" };
  if (charge && isWholeDay(charge)) return { mode: "IMPORT_FOCUS", oemMode: "AC charge, all day" };
  if (charge || discharge) {
    const parts = [charge ? "AC charge" : null, discharge ? (settings.ecoMode ? "Timed Demand" : "Timed Export") : null].filter(Boolean);
    return { mode: "TIME_OF_USE", oemMode: `Timed: ${parts.join(" + ")}` };
  }
  if (settings.ecoMode) return { mode: "SELF_RELIANCE", oemMode: "Eco" };
  return { mode: null, oemMode: "Eco off, no timers (battery holds)" };
}

export function givenergyStateFromReadings(data: GivenergySystemData, settings: GivenergyModeSettings, receivedAt: Date): BatteryState {
  const { mode, oemMode } = givenergyModeFromSettings(settings);
  const observed = new Date(data.time);
  return {
    socPct: data.battery.percent,
    batteryPowerKw: kw(-data.battery.power),
    gridPowerKw: kw(-data.grid.power),
    solarPowerKw: kw(data.solar.power),
    loadPowerKw: kw(data.consumption),
    operationMode: mode,
    oemMode,
    dischargeFloorPct: settings.reservePct,
    observedAt: Number.isNaN(observed.getTime()) ? receivedAt : observed,
  };
}

/** GivEnergy times are HH:mm up to 23:59. */
function givenergyTime(text: string): string {
  return text === "24:00" ? "23:59" : text;
}

/**
 * Settings to write, in order: timers before the switches that enable them, so the inverter never
 * runs a half-written plan. A discharge slot runs as Timed Demand (eco on: the battery serves the
 * house) because Timed Export would stop self-consumption outside the slot.
 */
export function givenergyWritesForMode(
  mode: OperationMode,
  schedule: BatterySchedule | undefined,
): Array<[GivenergySettingKey, GivenergySettingValue]> {
  switch (mode) {
    case "SELF_RELIANCE":
      return [
        ["acChargeEnable", false],
        ["dischargeEnable", false],
        ["ecoMode", true],
      ];
    case "IMPORT_FOCUS":
      return [
        ["acChargeStart", "00:00"],
        ["acChargeEnd", "23:59"],
        ["chargeUpperLimit", 100],
        ["dischargeEnable", false],
        ["ecoMode", true],
        ["acChargeEnable", true],
      ];
    case "EXPORT_FOCUS":
      return [
        ["dischargeStart", "00:00"],
        ["dischargeEnd", "23:59"],
        ["acChargeEnable", false],
        ["ecoMode", false],
        ["dischargeEnable", true],
      ];
    case "TIME_OF_USE":
      return givenergyWritesForSchedule(schedule ?? DEFAULT_TIME_OF_USE_SCHEDULE);
  }
}

export function givenergyWritesForSchedule(schedule: BatterySchedule): Array<[GivenergySettingKey, GivenergySettingValue]> {
  normaliseSchedule("givenergy", schedule);
  const charges = schedule.slots.filter((s) => s.action === "charge");
  const discharges = schedule.slots.filter((s) => s.action === "discharge");
  if (charges.length > 1 || discharges.length > 1) {
    throw new OemUnsupportedError("givenergy", "at most one charge slot and one discharge slot are supported");
  }
  if (charges.length === 0 && discharges.length === 0) throw new OemUnsupportedError("givenergy", "a schedule needs at least one slot");
  const charge = charges[0];
  const discharge = discharges[0];
  const writes: Array<[GivenergySettingKey, GivenergySettingValue]> = [];
  if (charge) {
    if (charge.start === "00:00" && (charge.end === "23:59" || charge.end === "24:00")) {
      throw new OemUnsupportedError("givenergy", "an all-day charge slot is IMPORT_FOCUS, not a schedule");
    }
    writes.push(["acChargeStart", givenergyTime(charge.start)], ["acChargeEnd", givenergyTime(charge.end)]);
    writes.push(["chargeUpperLimit", Math.round(charge.targetSocPct ?? 100)]);
  }
  if (discharge) writes.push(["dischargeStart", givenergyTime(discharge.start)], ["dischargeEnd", givenergyTime(discharge.end)]);
  writes.push(["ecoMode", true], ["acChargeEnable", charge !== undefined], ["dischargeEnable", discharge !== undefined]);
  return writes;
}

function kw(watts: number): number {
  return Math.round(watts) / 1000;
}
