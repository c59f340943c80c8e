// Simulated devices: each keeps its OEM's native settings; behaviourAt turns them into physics.
import { minuteInWindow, parseWallTime, type Behaviour } from "./battery-model";
import type { HouseholdProfile } from "./profiles";

export const SIM_OEMS = ["foxess", "givenergy", "solis", "sigenergy"] as const;
export type SimOem = (typeof SIM_OEMS)[number];

export type FoxessWorkMode = "SelfUse" | "Feedin" | "Backup" | "ForceCharge" | "ForceDischarge";
export const FOXESS_WORK_MODES: readonly FoxessWorkMode[] = ["SelfUse", "Feedin", "Backup", "ForceCharge", "ForceDischarge"];

export interface FoxessGroup {
  enable: 0 | 1;
  startHour: number;
  startMinute: number;
  endHour: number;
  endMinute: number;
  workMode: FoxessWorkMode;
  minSocOnGrid: number;
  fdSoc: number;
  /** Force charge/discharge power in W. */
  fdPwr: number;
  maxSoc: number;
}

export interface FoxessSettings {
  oem: "foxess";
  /** The work mode outside scheduler groups (set in the app; the Open API leaves it alone). */
  baseWorkMode: "SelfUse" | "Feedin" | "Backup";
  minSoc: number;
  minSocOnGrid: number;
  schedulerEnabled: boolean;
  groups: FoxessGroup[];
}

export const GIVENERGY_SETTING_NAMES = [
  "Enable Eco Mode",
  "AC Charge Enable",
  "AC Charge 1 Start Time",
  "AC Charge 1 End Time",
  "Enable DC Discharge",
  "DC Discharge 1 Start Time",
  "DC Discharge 1 End Time",
  "Battery Reserve % Limit",
  "AC Charge Upper % Limit",
] as const;
export type GivenergySettingName = (typeof GIVENERGY_SETTING_NAMES)[number];

/** Setting ids differ between inverter families, which is why clients discover them by name. */
export const GIVENERGY_SETTING_IDS: Record<"hybrid" | "aio", Record<GivenergySettingName, number>> = {
  hybrid: {
    "Enable Eco Mode": 24,
    "AC Charge Enable": 66,
    "AC Charge 1 Start Time": 64,
    "AC Charge 1 End Time": 65,
    "Enable DC Discharge": 56,
    "DC Discharge 1 Start Time": 53,
    "DC Discharge 1 End Time": 54,
    "Battery Reserve % Limit": 71,
    "AC Charge Upper % Limit": 77,
  },
  aio: {
    "Enable Eco Mode": 310,
    "AC Charge Enable": 311,
    "AC Charge 1 Start Time": 312,
    "AC Charge 1 End Time": 313,
    "Enable DC Discharge": 314,
    "DC Discharge 1 Start Time": 315,
    "DC Discharge 1 End Time": 316,
    "Battery Reserve % Limit": 317,
    "AC Charge Upper % Limit": 318,
  },
};

export interface GivenergySettings {
  oem: "givenergy";
  family: "hybrid" | "aio";
  values: Record<GivenergySettingName, boolean | number | string>;
}

/** Solis control ids (cid) the simulator implements. */
export const SOLIS_CID = {
  storageMode: 636,
  reserveSoc: 157,
  chargeSlot1: 5946,
  dischargeSlot1: 5964,
} as const;
/** Storage mode (cid 636) bit flags. */
export const SOLIS_MODE_BITS = {
  selfUse: 1,
  timeOfUse: 2,
  backup: 16,
  gridCharge: 32,
  feedInPriority: 64,
} as const;

export interface SolisSettings {
  oem: "solis";
  cids: Record<number, string>;
}

export interface SigenergySettings {
  oem: "sigenergy";
  energyStorageOperationMode: number;
  dischargeCutOffSoc: number;
  onboarded: boolean;
}

export type NativeSettings = FoxessSettings | GivenergySettings | SolisSettings | SigenergySettings;

export interface DeviceFaults {
  /** Share of requests answered with a 5xx, 0..1. */
  errorRate?: number;
  /** Added to every response, in ms. */
  latencyMs?: number;
  /** Requests per second allowed per credential and path; undefined or null for no limit. */
  rateLimit?: { requestsPerSecond: number; burst: number } | null;
  /** Writes are acknowledged but never applied. */
  ignoreCommands?: boolean;
}

export interface SimDevice {
  id: string;
  oem: SimOem;
  accountKey: string;
  model: string;
  capacityKwh: number;
  ratedPowerKw: number;
  profile: HouseholdProfile;
  socPct: number;
  batteryKw: number;
  gridKw: number;
  solarKw: number;
  loadKw: number;
  /** Simulated instant the state was last advanced to. */
  simMs: number;
  native: NativeSettings;
  pending: Array<{ applyAtRealMs: number; apply: (native: NativeSettings) => void; description: string }>;
  faults: DeviceFaults;
}

export const SIGENERGY_MODES = {
  maximumSelfConsumption: 0,
  aiMode: 1,
  timeOfUse: 2,
  commandChargingGridFirst: 3,
  commandChargingPvFirst: 4,
  fullyFeedInToGrid: 5,
  commandDischargingEssFirst: 6,
} as const;

/** Sigenergy's TOU plan lives in the app; the simulator gives every system the same overnight charge. */
export const SIGENERGY_DEFAULT_TOU = { chargeStartMinute: 30, chargeEndMinute: 270 };

export function dischargeFloorPct(native: NativeSettings): number {
  switch (native.oem) {
    case "foxess":
      return native.minSocOnGrid;
    case "givenergy":
      return Number(native.values["Battery Reserve % Limit"]);
    case "solis":
      return Number(native.cids[SOLIS_CID.reserveSoc] ?? "10");
    case "sigenergy":
      return native.dischargeCutOffSoc;
  }
}

export function behaviourAt(device: SimDevice, minuteOfDay: number): Behaviour {
  const native = device.native;
  const rated = device.ratedPowerKw;
  switch (native.oem) {
    case "foxess": {
      if (native.schedulerEnabled) {
        for (const group of native.groups) {
          if (group.enable !== 1) continue;
          const start = group.startHour * 60 + group.startMinute;
          const endRaw = group.endHour * 60 + group.endMinute;
          const end = endRaw === 23 * 60 + 59 ? 1440 : endRaw;
          if (!minuteInWindow(minuteOfDay, start, end)) continue;
          return foxessBehaviour(group.workMode, group, rated);
        }
      }
      return foxessBehaviour(native.baseWorkMode, null, rated);
    }
    case "givenergy": {
      const v = native.values;
      const inSlot = (startName: GivenergySettingName, endName: GivenergySettingName): boolean => {
        const start = parseWallTime(String(v[startName]));
        const end = parseWallTime(String(v[endName]));
        return start !== null && end !== null && minuteInWindow(minuteOfDay, start, end);
      };
      if (v["AC Charge Enable"] === true && inSlot("AC Charge 1 Start Time", "AC Charge 1 End Time")) {
        return { kind: "charge", powerKw: rated, maxSocPct: Number(v["AC Charge Upper % Limit"]) };
      }
      if (v["Enable DC Discharge"] === true && inSlot("DC Discharge 1 Start Time", "DC Discharge 1 End Time")) {
        // Eco on means "timed demand": discharge to match the house. Eco off means "timed export": full power.
        return v["Enable Eco Mode"] === true ? { kind: "self_use" } : { kind: "discharge", powerKw: rated, minSocPct: 0 };
      }
      return v["Enable Eco Mode"] === true ? { kind: "self_use" } : { kind: "backup" };
    }
    case "solis": {
      const mode = Number(native.cids[SOLIS_CID.storageMode] ?? "0");
      if ((mode & SOLIS_MODE_BITS.timeOfUse) !== 0) {
        const inSlot = (cid: number): boolean => {
          const [startText, endText] = (native.cids[cid] ?? "00:00-00:00").split("-");
          const start = parseWallTime(startText ?? "");
          const end = parseWallTime(endText ?? "");
          return start !== null && end !== null && minuteInWindow(minuteOfDay, start, end);
        };
        if ((mode & SOLIS_MODE_BITS.gridCharge) !== 0 && inSlot(SOLIS_CID.chargeSlot1)) {
          return { kind: "charge", powerKw: rated, maxSocPct: 100 };
        }
        if (inSlot(SOLIS_CID.dischargeSlot1)) return { kind: "discharge", powerKw: rated, minSocPct: 0 };
      }
      if ((mode & SOLIS_MODE_BITS.feedInPriority) !== 0) return { kind: "feed_in" };
      if ((mode & SOLIS_MODE_BITS.backup) !== 0) return { kind: "backup" };
      if ((mode & SOLIS_MODE_BITS.selfUse) !== 0) return { kind: "self_use" };
      return { kind: "idle" };
    }
    case "sigenergy": {
      switch (native.energyStorageOperationMode) {
        case SIGENERGY_MODES.maximumSelfConsumption:
        case SIGENERGY_MODES.aiMode:
          return { kind: "self_use" };
        case SIGENERGY_MODES.timeOfUse:
          return minuteInWindow(minuteOfDay, SIGENERGY_DEFAULT_TOU.chargeStartMinute, SIGENERGY_DEFAULT_TOU.chargeEndMinute)
            ? { kind: "charge", powerKw: rated, maxSocPct: 100 }
            : { kind: "self_use" };
        case SIGENERGY_MODES.commandChargingGridFirst:
        case SIGENERGY_MODES.commandChargingPvFirst:
          return { kind: "charge", powerKw: rated, maxSocPct: 100 };
        case SIGENERGY_MODES.fullyFeedInToGrid:
          return { kind: "feed_in" };
        case SIGENERGY_MODES.commandDischargingEssFirst:
          return { kind: "discharge", powerKw: rated, minSocPct: 0 };
        default:
          return { kind: "idle" };
      }
    }
  }
}

function foxessBehaviour(mode: FoxessWorkMode, group: FoxessGroup | null, ratedKw: number): Behaviour {
  const groupPowerKw = group && group.fdPwr > 0 ? group.fdPwr / 1000 : ratedKw;
  switch (mode) {
    case "SelfUse":
      return { kind: "self_use" };
    case "Feedin":
      return { kind: "feed_in" };
    case "Backup":
      return { kind: "backup" };
    case "ForceCharge":
      return { kind: "charge", powerKw: groupPowerKw, maxSocPct: group?.maxSoc ?? 100 };
    case "ForceDischarge":
      return { kind: "discharge", powerKw: groupPowerKw, minSocPct: group?.fdSoc ?? 0 };
  }
}
