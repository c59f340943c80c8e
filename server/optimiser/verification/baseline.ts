// Baseline: what an asset would have done in a half-hour without the event, from its own readings.
// Method and fallbacks are documented in docs/verification.md.
import { DEFAULT_TIME_ZONE, localWallTime } from "../time/local-wall-time";

export interface HalfHourReading {
  /** Start of the half-hour, ISO instant or Date. */
  start: string | Date;
  /** Energy at the asset's meter in the half-hour, kWh (positive = import / charging). */
  kwh: number;
}

export interface BaselineOptions {
  /** Starts of half-hours that belonged to any grid event; a local day holding one is not a baseline day. */
  eventSlots?: readonly (string | Date)[];
  /** How many days to average (default 10). */
  days?: number;
  /** Only Monday-Friday days count (default true). */
  weekdaysOnly?: boolean;
  /** How far back to look for qualifying days (default 60 days). */
  lookbackDays?: number;
  timeZone?: string;
}

export type BaselineMethod = "same_half_hour_mean" | "same_half_hour_mean_partial" | "any_day_fallback" | "unavailable";

export interface Baseline {
  slotStart: string;
  /** Null when no qualifying reading exists: delivery in that slot cannot be verified. */
  baselineKwh: number | null;
  method: BaselineMethod;
  /** Local dates whose readings were averaged, newest first. */
  daysUsed: string[];
}

const toDate = (value: string | Date): Date => (value instanceof Date ? value : new Date(value));

function previousDate(localDate: string, daysBack: number): string {
  const [year, month, day] = localDate.split("-").map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) - daysBack)).toISOString().slice(0, 10);
}

function isWeekday(localDate: string): boolean {
  const weekday = new Date(`${localDate}T12:00:00Z`).getUTCDay();
  return weekday >= 1 && weekday <= 5;
}

/**
 * Mean of the same local half-hour over the previous `days` qualifying days (default: ten non-event
 * weekdays). If fewer qualify, the mean of those found (partial); if none do with weekdaysOnly, any
 * non-event day is used (any_day_fallback); with none at all the baseline is unavailable.
 */
export function computeBaseline(readings: readonly HalfHourReading[], slotStart: string | Date, options: BaselineOptions = {}): Baseline {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const days = options.days ?? 10;
  const weekdaysOnly = options.weekdaysOnly ?? true;
  const lookbackDays = options.lookbackDays ?? 60;
  const target = toDate(slotStart);
  const targetLocal = localWallTime(target, timeZone);
  const eventDates = new Set((options.eventSlots ?? []).map((slot) => localWallTime(toDate(slot), timeZone).date));

  // Readings of the same local half-hour on earlier days, by local date. On the long clock-change
  // day the repeated half-hour has two readings; their mean stands for that day.
  const sameHalfHour = new Map<string, { sum: number; count: number }>();
  const earliest = previousDate(targetLocal.date, lookbackDays);
  for (const reading of readings) {
    if (!Number.isFinite(reading.kwh)) continue;
    const local = localWallTime(toDate(reading.start), timeZone);
    if (local.date >= targetLocal.date || local.date < earliest) continue;
    if (Math.floor(local.minuteOfDay / 30) !== Math.floor(targetLocal.minuteOfDay / 30)) continue;
    const cell = sameHalfHour.get(local.date) ?? { sum: 0, count: 0 };
    cell.sum += reading.kwh;
    cell.count += 1;
    sameHalfHour.set(local.date, cell);
  }

  const pick = (weekdaysOnlyPass: boolean): string[] =>
    [...sameHalfHour.keys()]
      .filter((date) => !eventDates.has(date) && (!weekdaysOnlyPass || isWeekday(date)))
      .sort()
      .reverse()
      .slice(0, days);

  let method: BaselineMethod = "same_half_hour_mean";
  let chosen = pick(weekdaysOnly);
  if (chosen.length < days) method = "same_half_hour_mean_partial";
  if (chosen.length === 0 && weekdaysOnly) {
    chosen = pick(false);
    method = "any_day_fallback";
  }
  if (chosen.length === 0) return { slotStart: target.toISOString(), baselineKwh: null, method: "unavailable", daysUsed: [] };
  const total = chosen.reduce((sum, date) => {
    const cell = sameHalfHour.get(date);
    return sum + (cell ? cell.sum / cell.count : 0);
  }, 0);
  return { slotStart: target.toISOString(), baselineKwh: total / chosen.length, method, daysUsed: chosen };
}
