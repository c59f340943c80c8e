// Household load and solar generation forecasts from the site's own half-hourly history: the mean
// of the same local half-hour over the most recent days; load falls back to a typical day, solar to
// none. See docs/battery-planner.md.
import { DEFAULT_TIME_ZONE, localWallTime, type TimeSlot } from "../time/local-wall-time";

export interface LoadReading {
  start: string | Date;
  kwh: number;
}

export interface LoadForecastOptions {
  /** How many most-recent local days of history to average (default 14). */
  days?: number;
  timeZone?: string;
  /**
   * kWh per half-hour for the 48 half-hours of a typical local day, used where history has no
   * sample for that half-hour. Defaults to a UK domestic shape scaled to the history's own average.
   */
  fallbackProfileKwh?: readonly number[];
  /** Daily total the default fallback shape is scaled to when the history is empty (default 8 kWh). */
  fallbackDailyKwh?: number;
}

export interface LoadForecastSlot {
  start: string;
  end: string;
  loadKwh: number;
  source: "history" | "fallback";
  /** Number of days averaged (0 for the fallback). */
  samples: number;
}

// Typical UK domestic shape by local half-hour (relative weights; night low, evening peak).
const TYPICAL_DAY_WEIGHTS: readonly number[] = [
  0.6, 0.55, 0.5, 0.48, 0.46, 0.45, 0.45, 0.45, 0.45, 0.46, 0.48, 0.5, 0.6, 0.75, 0.9, 1.0,
  1.05, 1.0, 0.95, 0.9, 0.88, 0.86, 0.86, 0.88, 0.9, 0.9, 0.88, 0.86, 0.86, 0.9, 1.0, 1.15,
  1.35, 1.55, 1.7, 1.75, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.72, 0.65,
];

const HALF_HOURS_PER_DAY = 48;

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

function halfHourIndex(instant: Date, timeZone: string): { date: string; index: number } {
  const local = localWallTime(instant, timeZone);
  return { date: local.date, index: Math.floor(local.minuteOfDay / 30) };
}

function defaultProfile(dailyKwh: number): number[] {
  const weightSum = TYPICAL_DAY_WEIGHTS.reduce((sum, weight) => sum + weight, 0);
  return TYPICAL_DAY_WEIGHTS.map((weight) => (weight / weightSum) * dailyKwh);
}

interface HalfHourMeans {
  /** Per local half-hour of the day (0..47): the sum over days of that day's mean kWh, and how many days had a sample. */
  sums: number[];
  counts: number[];
  historyTotal: number;
  historyCount: number;
}

/** The history before `firstTarget`, per local half-hour, over the `days` most recent local days that have any. */
function sameHalfHourMeans(history: readonly LoadReading[], firstTarget: number, days: number, timeZone: string): HalfHourMeans {
  // Per (local date, half-hour); the repeated hour of a clock-change day is averaged into one value.
  const byDate = new Map<string, Map<number, { sum: number; count: number }>>();
  for (const reading of history) {
    const instant = toDate(reading.start);
    if (!(instant.getTime() < firstTarget) || !Number.isFinite(reading.kwh)) continue;
    const { date, index } = halfHourIndex(instant, timeZone);
    let day = byDate.get(date);
    if (!day) {
      day = new Map();
      byDate.set(date, day);
    }
    const cell = day.get(index) ?? { sum: 0, count: 0 };
    cell.sum += Math.max(0, reading.kwh);
    cell.count += 1;
    day.set(index, cell);
  }
  const recentDates = [...byDate.keys()].sort().slice(-days);
  const sums = new Array<number>(HALF_HOURS_PER_DAY).fill(0);
  const counts = new Array<number>(HALF_HOURS_PER_DAY).fill(0);
  let historyTotal = 0;
  let historyCount = 0;
  for (const date of recentDates) {
    for (const [index, cell] of byDate.get(date) ?? []) {
      const kwh = cell.sum / cell.count;
      sums[index] = (sums[index] ?? 0) + kwh;
      counts[index] = (counts[index] ?? 0) + 1;
      historyTotal += kwh;
      historyCount += 1;
    }
  }
  return { sums, counts, historyTotal, historyCount };
}

/**
 * Forecast per target slot. Only readings that start before the first target slot are used, so a
 * forecast never peeks at the day it forecasts. Slots shorter or longer than 30 minutes are scaled.
 */
export function forecastHouseholdLoad(history: readonly LoadReading[], targetSlots: readonly TimeSlot[], options: LoadForecastOptions = {}): LoadForecastSlot[] {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const days = options.days ?? 14;
  if (!Number.isInteger(days) || days < 1) throw new RangeError("days must be a positive integer");
  if (options.fallbackProfileKwh && options.fallbackProfileKwh.length !== HALF_HOURS_PER_DAY) throw new RangeError("fallbackProfileKwh must have 48 values");
  const firstTarget = targetSlots.reduce((earliest, slot) => Math.min(earliest, Date.parse(slot.start)), Number.POSITIVE_INFINITY);

  const { sums, counts, historyTotal, historyCount } = sameHalfHourMeans(history, firstTarget, days, timeZone);
  const fallback =
    options.fallbackProfileKwh ??
    defaultProfile(historyCount > 0 ? (historyTotal / historyCount) * HALF_HOURS_PER_DAY : (options.fallbackDailyKwh ?? 8));

  return targetSlots.map((slot) => {
    const start = new Date(slot.start);
    const scale = (Date.parse(slot.end) - start.getTime()) / 1_800_000;
    const { index } = halfHourIndex(start, timeZone);
    const count = counts[index] ?? 0;
    if (count > 0) {
      return { start: slot.start, end: slot.end, loadKwh: ((sums[index] ?? 0) / count) * scale, source: "history", samples: count };
    }
    return { start: slot.start, end: slot.end, loadKwh: (fallback[index] ?? 0) * scale, source: "fallback", samples: 0 };
  });
}

export interface SolarForecastSlot {
  start: string;
  end: string;
  solarKwh: number;
  /** "none": no generation was ever recorded for that half-hour, so none is expected. */
  source: "history" | "none";
  samples: number;
}

/**
 * Solar generation per target slot from the site's own recent history: the mean of the same local
 * half-hour over the most recent days (default 7: the sun's path changes little in a week, and
 * recent weeks say more about the season than older ones). Without history nothing is expected:
 * assuming generation that may not exist would have the battery leave room it then never fills.
 */
export function forecastSolarGeneration(
  history: readonly LoadReading[],
  targetSlots: readonly TimeSlot[],
  options: { days?: number; timeZone?: string } = {},
): SolarForecastSlot[] {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const days = options.days ?? 7;
  if (!Number.isInteger(days) || days < 1) throw new RangeError("days must be a positive integer");
  const firstTarget = targetSlots.reduce((earliest, slot) => Math.min(earliest, Date.parse(slot.start)), Number.POSITIVE_INFINITY);
  const { sums, counts } = sameHalfHourMeans(history, firstTarget, days, timeZone);
  return targetSlots.map((slot) => {
    const start = new Date(slot.start);
    const scale = (Date.parse(slot.end) - start.getTime()) / 1_800_000;
    const { index } = halfHourIndex(start, timeZone);
    const count = counts[index] ?? 0;
    return count > 0
      ? { start: slot.start, end: slot.end, solarKwh: ((sums[index] ?? 0) / count) * scale, source: "history", samples: count }
      : { start: slot.start, end: slot.end, solarKwh: 0, source: "none", samples: 0 };
  });
}
