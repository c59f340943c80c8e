// Turns a planned power profile (kW per period) into OCPP charging schedule periods.
// Shared by the 1.6 and 2.0.1 builders: both versions use the same period shape
// ({startPeriod, limit, numberPhases?}) and the same limit resolution (0.1).

export type ChargingRateUnit = "W" | "A";

/** One planned period: average power in kW (positive = charging) from `start` until the next period's start. */
export interface PlannedPowerPeriod {
  start: string | Date;
  kw: number;
}

export interface ChargingScheduleInput {
  periods: readonly PlannedPowerPeriod[];
  /** Instant the schedule starts; periods before it are rejected, a gap before the first period is sent as limit 0. */
  startSchedule: string | Date;
  /**
   * Instant the schedule ends (sets `duration`). Defaults to the last period's start plus 30 minutes,
   * because plans are made per settlement half-hour.
   */
  endSchedule?: string | Date;
  unit: ChargingRateUnit;
  /** Phase-to-neutral voltage (e.g. 230); required for unit "A". */
  voltage?: number;
  /** Phases in use (1..3); required for unit "A", and sent as `numberPhases` on every period when given. */
  phases?: number;
  /** The charger's ChargingScheduleMaxPeriods; longer plans are merged down energy-safely (see reduceToMaxPeriods). */
  maxPeriods?: number;
  /**
   * The charger's rated power in kW. When given, periods planned at or above it are sent with the
   * conventional full-power limit 99999.0 rather than a number the charger might round down.
   */
  fullPowerKw?: number;
}

export interface ChargingSchedulePeriod {
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}

export interface ChargingScheduleCore {
  /** ISO 8601 UTC, without milliseconds when they are zero. */
  startSchedule: string;
  /** Seconds from startSchedule to the schedule's end. */
  duration: number;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
}

/** The documented convention: this limit asks the charger for its full rated power. */
export const FULL_POWER_LIMIT = 99999.0;

/** Default length of the last planned period when no endSchedule is given. */
export const DEFAULT_LAST_PERIOD_SECONDS = 30 * 60;

export class ChargingProfileInputError extends Error {
  override readonly name = "ChargingProfileInputError";
}

interface Segment {
  startSec: number;
  endSec: number;
  /** Limit sent to the charger (multiple of 0.1), ignoring the full-power sentinel. */
  limit: number;
  /** Sent as FULL_POWER_LIMIT. */
  full: boolean;
  /** Duration-weighted mean of the original (already rounded) limits this segment covers; kept unrounded so merges do not compound rounding. */
  exact: number;
}

/** Formats an instant as ISO 8601 UTC; drops ".000" because some chargers reject fractional seconds. */
export function formatOcppDateTime(value: string | Date): string {
  const date = toDate(value, "date-time");
  return date.toISOString().replace(".000Z", "Z");
}

function toDate(value: string | Date, what: string): Date {
  const date = value instanceof Date ? new Date(value.getTime()) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new ChargingProfileInputError(`${what} is not a valid instant: ${String(value)}`);
  return date;
}

/** Rounds down to the 0.1 resolution OCPP limits use, so a limit never exceeds what the plan asked for. */
export function floorToTenth(value: number): number {
  // The epsilon absorbs binary noise such as 7.3 * 1000 / 230 landing a hair under a tenth.
  return Math.floor(value * 10 + 1e-9) / 10;
}

/** Converts kW to the charger's rate unit, before rounding. */
export function kwToRate(kw: number, unit: ChargingRateUnit, voltage?: number, phases?: number): number {
  if (unit === "W") return kw * 1000;
  if (voltage === undefined || phases === undefined) {
    throw new ChargingProfileInputError("unit A needs voltage and phases to convert kW to amps");
  }
  return (kw * 1000) / (voltage * phases);
}

function validateInput(input: ChargingScheduleInput): void {
  if (input.periods.length === 0) throw new ChargingProfileInputError("a charging schedule needs at least one period");
  if (input.unit === "A") {
    if (input.voltage === undefined || !(input.voltage > 0) || !Number.isFinite(input.voltage)) {
      throw new ChargingProfileInputError("unit A needs a positive voltage");
    }
    if (input.phases === undefined) throw new ChargingProfileInputError("unit A needs the number of phases");
  }
  if (input.phases !== undefined && !(Number.isInteger(input.phases) && input.phases >= 1 && input.phases <= 3)) {
    throw new ChargingProfileInputError(`phases must be 1, 2 or 3, got ${input.phases}`);
  }
  if (input.maxPeriods !== undefined && !(Number.isInteger(input.maxPeriods) && input.maxPeriods >= 1)) {
    throw new ChargingProfileInputError(`maxPeriods must be a positive integer, got ${input.maxPeriods}`);
  }
  if (input.fullPowerKw !== undefined && !(input.fullPowerKw > 0 && Number.isFinite(input.fullPowerKw))) {
    throw new ChargingProfileInputError(`fullPowerKw must be positive, got ${input.fullPowerKw}`);
  }
}

function toSegments(input: ChargingScheduleInput, scheduleStartMs: number): { segments: Segment[]; durationSec: number } {
  const starts = input.periods.map((period, index) => {
    if (!Number.isFinite(period.kw) || period.kw < 0) {
      throw new ChargingProfileInputError(`period ${index} has power ${period.kw} kW; limits must be finite and >= 0`);
    }
    return Math.round((toDate(period.start, `period ${index} start`).getTime() - scheduleStartMs) / 1000);
  });
  const lastStart = starts[starts.length - 1] ?? 0;
  const durationSec =
    input.endSchedule === undefined
      ? lastStart + DEFAULT_LAST_PERIOD_SECONDS
      : Math.round((toDate(input.endSchedule, "endSchedule").getTime() - scheduleStartMs) / 1000);

  const fullLimit =
    input.fullPowerKw === undefined ? undefined : floorToTenth(kwToRate(input.fullPowerKw, input.unit, input.voltage, input.phases));
  const segments: Segment[] = [];
  const firstStart = starts[0] ?? 0;
  if (firstStart < 0) throw new ChargingProfileInputError("the first period starts before startSchedule");
  // OCPP requires the first period at startPeriod 0; nothing was planned before the first period, so charge nothing.
  if (firstStart > 0) segments.push({ startSec: 0, endSec: firstStart, limit: 0, full: false, exact: 0 });

  input.periods.forEach((period, index) => {
    const startSec = starts[index] ?? 0;
    const endSec = starts[index + 1] ?? durationSec;
    if (endSec <= startSec) {
      throw new ChargingProfileInputError(
        index + 1 < starts.length
          ? `period ${index + 1} does not start after period ${index} (to the second)`
          : "endSchedule must be after the last period's start",
      );
    }
    const isFull = input.fullPowerKw !== undefined && fullLimit !== undefined && period.kw >= input.fullPowerKw - 1e-9;
    const limit = isFull && fullLimit !== undefined ? fullLimit : floorToTenth(kwToRate(period.kw, input.unit, input.voltage, input.phases));
    segments.push({ startSec, endSec, limit, full: isFull, exact: limit });
  });
  return { segments, durationSec };
}

function sameLimit(a: Segment, b: Segment): boolean {
  return a.full === b.full && a.limit === b.limit;
}

/** Joins consecutive segments that would send the same limit. */
function mergeEqualNeighbours(segments: readonly Segment[]): Segment[] {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    if (last !== undefined && sameLimit(last, segment)) {
      merged[merged.length - 1] = { ...last, endSec: segment.endSec, exact: weightedMean(last, segment) };
    } else {
      merged.push({ ...segment });
    }
  }
  return merged;
}

function weightedMean(a: Segment, b: Segment): number {
  const da = a.endSec - a.startSec;
  const db = b.endSec - b.startSec;
  return (a.exact * da + b.exact * db) / (da + db);
}

function mergeTwo(a: Segment, b: Segment): Segment {
  const exact = weightedMean(a, b);
  if (a.full && b.full && a.limit === b.limit) return { startSec: a.startSec, endSec: b.endSec, limit: a.limit, full: true, exact };
  return { startSec: a.startSec, endSec: b.endSec, limit: floorToTenth(exact), full: false, exact };
}

/** Energy moved in time by averaging two neighbours: the L1 distance between the original and the averaged profile. */
function mergeCost(a: Segment, b: Segment): number {
  const da = a.endSec - a.startSec;
  const db = b.endSec - b.startSec;
  return (2 * da * db * Math.abs(a.exact - b.exact)) / (da + db);
}

/**
 * Brings a schedule down to the charger's ChargingScheduleMaxPeriods.
 *
 * Strategy: repeatedly merge the neighbouring pair whose merge moves the least energy in time, giving
 * the merged period the duration-weighted average limit rounded DOWN to 0.1. So, per merged window,
 * the energy the charger is allowed never exceeds what the plan allowed there (and total energy can
 * only drop by rounding), while the session keeps close to the energy it needs. The price is that
 * inside a merged window power may be shifted between its original periods. Full-power periods
 * count at the charger's rated limit when averaged.
 */
function reduceToMaxPeriods(segments: readonly Segment[], maxPeriods: number): Segment[] {
  const current = mergeEqualNeighbours(segments);
  while (current.length > maxPeriods) {
    let bestIndex = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let index = 0; index + 1 < current.length; index += 1) {
      const a = current[index];
      const b = current[index + 1];
      if (a === undefined || b === undefined) continue;
      const cost = mergeCost(a, b);
      if (cost < bestCost) {
        bestCost = cost;
        bestIndex = index;
      }
    }
    const a = current[bestIndex];
    const b = current[bestIndex + 1];
    if (a === undefined || b === undefined) break;
    let merged = mergeTwo(a, b);
    let from = bestIndex;
    let count = 2;
    // The averaged limit may now equal a neighbour's: join those too so no period repeats a limit.
    const before = current[from - 1];
    if (before !== undefined && sameLimit(before, merged)) {
      merged = mergeTwo(before, merged);
      from -= 1;
      count += 1;
    }
    const after = current[from + count];
    if (after !== undefined && sameLimit(after, merged)) {
      merged = mergeTwo(merged, after);
      count += 1;
    }
    current.splice(from, count, merged);
  }
  return current;
}

/** Builds the version-independent part of a charging schedule from a planned power profile. */
export function buildChargingScheduleCore(input: ChargingScheduleInput, protocolMaxPeriods?: number): ChargingScheduleCore {
  validateInput(input);
  const start = toDate(input.startSchedule, "startSchedule");
  const { segments, durationSec } = toSegments(input, start.getTime());
  const limits = [input.maxPeriods, protocolMaxPeriods].filter((value): value is number => value !== undefined);
  const maxPeriods = limits.length > 0 ? Math.min(...limits) : Number.POSITIVE_INFINITY;
  const reduced = reduceToMaxPeriods(segments, maxPeriods);
  return {
    startSchedule: formatOcppDateTime(start),
    duration: durationSec,
    chargingRateUnit: input.unit,
    chargingSchedulePeriod: reduced.map((segment) => ({
      startPeriod: segment.startSec,
      limit: segment.full ? FULL_POWER_LIMIT : segment.limit,
      ...(input.phases === undefined ? {} : { numberPhases: input.phases }),
    })),
  };
}
