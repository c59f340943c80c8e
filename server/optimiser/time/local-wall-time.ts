// Wall-clock views for the battery planner and verification, as thin layers over zone.ts and
// settlement-slots.ts (the one place time-zone arithmetic lives). Pure: instants come in as arguments.
import { settlementSlotsOfDay } from "./settlement-slots";
import { addLocalDays, formatLocalDate, localDateTime, startOfLocalDay } from "./zone";

export const DEFAULT_TIME_ZONE = "Europe/London";

export interface LocalWallTime {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  year: number;
  month: number;
  day: number;
  /** Minutes since local midnight (0..1439); the repeated hour on a clock-change day maps to the same values. */
  minuteOfDay: number;
  second: number;
  /** 0 = Sunday .. 6 = Saturday, of the local date. */
  weekday: number;
}

export function localWallTime(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): LocalWallTime {
  const { year, month, day, hour, minute, second } = localDateTime(instant, timeZone);
  return {
    date: formatLocalDate(year, month, day),
    year,
    month,
    day,
    minuteOfDay: hour * 60 + minute,
    second,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** The UTC instant local `localDate` begins (its midnight). */
export function localMidnightUtc(localDate: string, timeZone: string = DEFAULT_TIME_ZONE): Date {
  return new Date(startOfLocalDay(localDate, timeZone));
}

export function nextLocalDate(localDate: string): string {
  return addLocalDays(localDate, 1);
}

export interface TimeSlot {
  start: string;
  end: string;
}

/** Settlement half-hours of one local day as ISO strings: 48 normally, 46 when clocks go forward, 50 when they go back. */
export function buildLocalDaySlots(localDate: string, timeZone: string = DEFAULT_TIME_ZONE): TimeSlot[] {
  return settlementSlotsOfDay(localDate, timeZone).map((slot) => ({ start: slot.start.toISOString(), end: slot.end.toISOString() }));
}
