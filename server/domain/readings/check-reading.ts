// Rules for one reading of `POST /data/readings`, applied after the zod shape check. Each reading is
// answered on its own (accepted, or rejected with a message), so the rules return a result, not throw.
//
// Label families and their rules:
// | family            | labels                                                    | interval                      | value                          |
// |-------------------|-----------------------------------------------------------|-------------------------------|--------------------------------|
// | signed_power      | boundary_import_kw, battery_inverter_import_kw            | end >= start                  | any sign, |kW| plausible        |
// | generation_power  | solar_power_kw                                            | end >= start                  | >= 0, plausible                |
// | interval_energy   | charger_consumption_energy_kwh                            | one UTC half hour (:00/:30)   | >= 0, <= power x duration      |
// |                   | provisional_consumption_kwh                               | whole UTC-aligned half hours  | >= 0, <= power x duration      |
// | lifetime_register | charger_lifetime_consumption_energy_kwh,                  | end >= start                  | >= 0, not below the previous   |
// |                   | boundary_lifetime_import/export_energy_kwh                |                               | register value when given      |
// | state_of_charge   | battery_state_of_charge_pct                               | end >= start                  | 0..100 inclusive               |
// | stored_energy     | battery_stored_energy_kwh                                 | end >= start                  | >= 0, <= capacity              |
//
// UK settlement periods are half hours in Europe/London, whose offset from UTC is always whole hours, so
// a UTC :00/:30 boundary is a settlement boundary too.
//
// Plausibility tolerance: 10% over the asset's rated power plus 0.1 kW. UK supply voltage may run 10%
// over nominal (230 V + 10% = 253 V), which lets a "7.4 kW" charger really draw about 8.1 kW; the
// 0.1 kW absorbs meter rounding. Stored energy may exceed rated capacity by 5% plus 0.1 kWh (usable vs.
// nominal capacity). Boundary and generation power are not bounded by one asset's rating (the household
// load or PV array is behind the same meter), so they are held to a domestic supply ceiling of 100 kW.
import type { Reading, ReadingLabel } from "./reading-schema";

export type ReadingFamily =
  | "signed_power"
  | "generation_power"
  | "interval_energy"
  | "lifetime_register"
  | "state_of_charge"
  | "stored_energy";

export type ReadingUnit = "kW" | "kWh" | "%";

export type ReadingAssetType = "battery" | "charger" | "electric_vehicle" | "heat_pump" | "hot_water_tank" | "solar_pv";

interface LabelRule {
  family: ReadingFamily;
  unit: ReadingUnit;
  /** Asset types that may report this label; "any" for site-level (boundary meter) data. */
  assetTypes: readonly ReadingAssetType[] | "any";
  /** "one_half_hour": exactly one aligned half hour; "half_hours": a whole number of aligned half hours. */
  alignment: "none" | "one_half_hour" | "half_hours";
}

export const readingLabelRules: Record<ReadingLabel, LabelRule> = {
  boundary_import_kw: { family: "signed_power", unit: "kW", assetTypes: "any", alignment: "none" },
  battery_inverter_import_kw: { family: "signed_power", unit: "kW", assetTypes: ["battery"], alignment: "none" },
  // Hybrid battery inverters and solar-aware chargers measure PV too.
  solar_power_kw: { family: "generation_power", unit: "kW", assetTypes: ["solar_pv", "battery", "charger"], alignment: "none" },
  charger_consumption_energy_kwh: {
    family: "interval_energy",
    unit: "kWh",
    assetTypes: ["charger", "electric_vehicle"],
    alignment: "one_half_hour",
  },
  provisional_consumption_kwh: { family: "interval_energy", unit: "kWh", assetTypes: "any", alignment: "half_hours" },
  charger_lifetime_consumption_energy_kwh: {
    family: "lifetime_register",
    unit: "kWh",
    assetTypes: ["charger", "electric_vehicle"],
    alignment: "none",
  },
  boundary_lifetime_import_energy_kwh: { family: "lifetime_register", unit: "kWh", assetTypes: "any", alignment: "none" },
  boundary_lifetime_export_energy_kwh: { family: "lifetime_register", unit: "kWh", assetTypes: "any", alignment: "none" },
  battery_state_of_charge_pct: { family: "state_of_charge", unit: "%", assetTypes: ["battery"], alignment: "none" },
  battery_stored_energy_kwh: { family: "stored_energy", unit: "kWh", assetTypes: ["battery"], alignment: "none" },
};

export const POWER_TOLERANCE_RELATIVE = 0.1;
export const POWER_TOLERANCE_KW = 0.1;
export const CAPACITY_TOLERANCE_RELATIVE = 0.05;
export const CAPACITY_TOLERANCE_KWH = 0.1;
export const DOMESTIC_SUPPLY_CEILING_KW = 100;
/** Sanity ceiling for stored energy when the battery's capacity is unknown. */
export const DOMESTIC_STORAGE_CEILING_KWH = 1000;
/** Clock skew allowed before a reading counts as from the future. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/** Register values are compared to the watt-hour, as they are stored. */
const REGISTER_ROUNDING_KWH = 0.001;
const HALF_HOUR_MS = 30 * 60 * 1000;

export interface ReadingAsset {
  /** One of ReadingAssetType; any other type may only report site-level labels. */
  type: string;
  powerKw?: number | null;
  capacityKwh?: number | null;
}

export interface CheckReadingOptions {
  /** When given, readings ending after now (+5 min skew) are rejected. */
  now?: Date;
  /**
   * A stored value of the same lifetime register for this asset (normally the latest), to reject a
   * register going backwards. Compared by end time, so it may be earlier or later than the reading.
   */
  previousRegister?: { value: number; end: Date | string };
}

export interface NormalisedReading {
  assetId: string;
  label: ReadingLabel;
  family: ReadingFamily;
  unit: ReadingUnit;
  start: Date;
  end: Date;
  value: number;
}

export type ReadingErrorCode =
  | "invalid_timestamp"
  | "end_before_start"
  | "in_future"
  | "not_half_hour_aligned"
  | "wrong_interval_length"
  | "label_not_allowed_for_asset"
  | "value_out_of_range"
  | "value_implausible"
  | "register_decreased";

export type CheckReadingResult =
  | { ok: true; normalised: NormalisedReading }
  | { ok: false; code: ReadingErrorCode; error: string };

function reject(code: ReadingErrorCode, error: string): CheckReadingResult {
  return { ok: false, code, error };
}

function isOnHalfHour(date: Date): boolean {
  return date.getTime() % HALF_HOUR_MS === 0;
}

function describeAsset(asset: ReadingAsset): string {
  return `${asset.type} asset`;
}

function positive(value: number | null | undefined): number | undefined {
  return value !== undefined && value !== null && Number.isFinite(value) && value > 0 ? value : undefined;
}

function powerCeilingKw(ratedKw: number): number {
  return ratedKw * (1 + POWER_TOLERANCE_RELATIVE) + POWER_TOLERANCE_KW;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function allowedFor(rule: LabelRule, assetType: string): boolean {
  return rule.assetTypes === "any" || (rule.assetTypes as readonly string[]).includes(assetType);
}

function checkTimes(reading: Reading, rule: LabelRule, start: Date, end: Date): CheckReadingResult | undefined {
  if (rule.family === "interval_energy") {
    if (end.getTime() <= start.getTime()) {
      return reject("end_before_start", `${reading.label} covers an interval: end_timestamp must be after start_timestamp`);
    }
  } else if (end.getTime() < start.getTime()) {
    return reject("end_before_start", "end_timestamp must not be before start_timestamp");
  }
  if (rule.alignment === "none") return undefined;
  if (!isOnHalfHour(start) || !isOnHalfHour(end)) {
    return reject(
      "not_half_hour_aligned",
      `${reading.label} must start and end on a half-hour boundary (:00 or :30 UTC, zero seconds); got ${start.toISOString()} to ${end.toISOString()}`,
    );
  }
  const lengthMs = end.getTime() - start.getTime();
  if (rule.alignment === "one_half_hour" && lengthMs !== HALF_HOUR_MS) {
    return reject("wrong_interval_length", `${reading.label} must cover exactly 30 minutes; got ${lengthMs / 60000} minutes`);
  }
  return undefined;
}

function checkValue(reading: Reading, rule: LabelRule, asset: ReadingAsset, hours: number, options: CheckReadingOptions): CheckReadingResult | undefined {
  const { value, label } = reading;
  const ratedKw = positive(asset.powerKw);
  switch (rule.family) {
    case "signed_power": {
      // The battery inverter is bounded by the battery's rating; the boundary by the domestic supply.
      const ceiling = label === "battery_inverter_import_kw" && ratedKw !== undefined ? powerCeilingKw(ratedKw) : DOMESTIC_SUPPLY_CEILING_KW;
      if (Math.abs(value) > ceiling) {
        return reject("value_implausible", `${label} of ${value} kW is beyond the plausible ${round3(ceiling)} kW in either direction`);
      }
      return undefined;
    }
    case "generation_power": {
      if (value < 0) return reject("value_out_of_range", `${label} must be >= 0 (generation), got ${value}`);
      const ceiling = asset.type === "solar_pv" && ratedKw !== undefined ? powerCeilingKw(ratedKw) : DOMESTIC_SUPPLY_CEILING_KW;
      if (value > ceiling) return reject("value_implausible", `${label} of ${value} kW is above the plausible ${round3(ceiling)} kW`);
      return undefined;
    }
    case "interval_energy": {
      if (value < 0) return reject("value_out_of_range", `${label} must be >= 0 (energy consumed), got ${value}`);
      // Consumption of an asset other than a charger or vehicle is the site's, bounded by the supply.
      const boundByAsset = ratedKw !== undefined && (asset.type === "charger" || asset.type === "electric_vehicle");
      const ceilingKwh = (boundByAsset ? powerCeilingKw(ratedKw) : DOMESTIC_SUPPLY_CEILING_KW) * hours;
      if (value > ceilingKwh) {
        const basis = boundByAsset ? `the asset's ${ratedKw} kW` : `the ${DOMESTIC_SUPPLY_CEILING_KW} kW supply ceiling`;
        return reject(
          "value_implausible",
          `${label} of ${value} kWh over ${hours * 60} minutes is more than ${basis} can deliver (at most ${round3(ceilingKwh)} kWh with tolerance)`,
        );
      }
      return undefined;
    }
    case "lifetime_register": {
      if (value < 0) return reject("value_out_of_range", `${label} is a cumulative register and must be >= 0, got ${value}`);
      const other = options.previousRegister;
      if (other === undefined) return undefined;
      // A back-filled reading may be older than the stored one: then it must not be above it.
      const otherEnd = new Date(other.end).getTime();
      const readingEnd = new Date(reading.end_timestamp).getTime();
      if (otherEnd <= readingEnd && value < other.value - REGISTER_ROUNDING_KWH) {
        return reject("register_decreased", `${label} must never decrease: ${value} kWh is below the earlier ${other.value} kWh`);
      }
      if (otherEnd > readingEnd && value > other.value + REGISTER_ROUNDING_KWH) {
        return reject("register_decreased", `${label} must never decrease: ${value} kWh is above the later ${other.value} kWh`);
      }
      return undefined;
    }
    case "state_of_charge":
      if (value < 0 || value > 100) return reject("value_out_of_range", `${label} must be between 0 and 100 inclusive, got ${value}`);
      return undefined;
    case "stored_energy": {
      if (value < 0) return reject("value_out_of_range", `${label} must be >= 0, got ${value}`);
      const capacity = positive(asset.capacityKwh);
      const ceiling =
        capacity === undefined ? DOMESTIC_STORAGE_CEILING_KWH : capacity * (1 + CAPACITY_TOLERANCE_RELATIVE) + CAPACITY_TOLERANCE_KWH;
      if (value > ceiling) {
        const basis = capacity === undefined ? "the domestic storage ceiling" : `the battery's ${capacity} kWh capacity`;
        return reject("value_implausible", `${label} of ${value} kWh is above ${basis} (at most ${round3(ceiling)} kWh with tolerance)`);
      }
      return undefined;
    }
  }
}

/** Applies the per-label rules to one shape-checked reading of the given asset. */
export function checkReading(reading: Reading, asset: ReadingAsset, options: CheckReadingOptions = {}): CheckReadingResult {
  const rule = readingLabelRules[reading.label];
  const start = new Date(reading.start_timestamp);
  const end = new Date(reading.end_timestamp);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    return reject("invalid_timestamp", "start_timestamp and end_timestamp must be ISO 8601 instants with a zone");
  }
  if (!Number.isFinite(reading.value)) return reject("value_out_of_range", "value must be a finite number");
  if (!allowedFor(rule, asset.type)) {
    const allowed = rule.assetTypes === "any" ? "any asset" : rule.assetTypes.join(" or ");
    return reject("label_not_allowed_for_asset", `${reading.label} cannot be reported for a ${describeAsset(asset)}; it is for ${allowed}`);
  }
  const timeProblem = checkTimes(reading, rule, start, end);
  if (timeProblem !== undefined) return timeProblem;
  if (options.now !== undefined && end.getTime() > options.now.getTime() + FUTURE_TOLERANCE_MS) {
    return reject("in_future", `end_timestamp ${end.toISOString()} is in the future`);
  }
  const hours = (end.getTime() - start.getTime()) / 3_600_000;
  const valueProblem = checkValue(reading, rule, asset, hours, options);
  if (valueProblem !== undefined) return valueProblem;
  return {
    ok: true,
    normalised: {
      assetId: reading.asset_id.toLowerCase(),
      label: reading.label,
      family: rule.family,
      unit: rule.unit,
      start,
      end,
      // Collapse -0 so stored values compare and print plainly.
      value: reading.value === 0 ? 0 : reading.value,
    },
  };
}
