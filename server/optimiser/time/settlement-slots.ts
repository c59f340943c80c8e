// UK half-hour settlement slots. Slot boundaries are UTC half-hours, which are
// also local half-hours in every zone whose offset is a whole number of half
// hours (all of Europe, Europe/London included). Periods are numbered from 1
// within the local day of the given zone: 48 on an ordinary day, 46 when the
// clocks go forward and 50 when they go back.
import { addLocalDays, localDateOf, startOfLocalDay, type LocalDate } from "./zone";

export const HALF_HOUR_MS = 30 * 60_000;

export interface SettlementSlot {
  /** Inclusive start, a UTC half-hour boundary. */
  start: Date;
  /** Exclusive end, start + 30 minutes. */
  end: Date;
  /** Local date in the zone the slots were made for. */
  localDate: LocalDate;
  /** 1-based settlement period within `localDate`. */
  period: number;
}

export function floorToHalfHour(instantMs: number): number {
  return Math.floor(instantMs / HALF_HOUR_MS) * HALF_HOUR_MS;
}

export function ceilToHalfHour(instantMs: number): number {
  return Math.ceil(instantMs / HALF_HOUR_MS) * HALF_HOUR_MS;
}

// The first slot of a local day is the first UTC half-hour at or after local
// midnight (identical to midnight unless the zone's offset has quarter hours).
function firstSlotOfLocalDay(date: LocalDate, timeZone: string): number {
  return ceilToHalfHour(startOfLocalDay(date, timeZone));
}

/** Settlement date and period of the slot containing `instant`. */
export function settlementPeriodOf(
  instant: Date | number,
  timeZone: string,
): { localDate: LocalDate; period: number } {
  const slotStart = floorToHalfHour(typeof instant === "number" ? instant : instant.getTime());
  let localDate = localDateOf(slotStart, timeZone);
  let dayStart = firstSlotOfLocalDay(localDate, timeZone);
  if (slotStart < dayStart) {
    // A slot that starts in the last minutes of a local day whose next day starts off the half hour.
    localDate = addLocalDays(localDate, -1);
    dayStart = firstSlotOfLocalDay(localDate, timeZone);
  }
  return { localDate, period: 1 + Math.round((slotStart - dayStart) / HALF_HOUR_MS) };
}

/** Number of settlement periods in a local day: 48, or 46 / 50 on clock-change days. */
export function settlementPeriodsInDay(date: LocalDate, timeZone: string): number {
  const start = firstSlotOfLocalDay(date, timeZone);
  const next = firstSlotOfLocalDay(addLocalDays(date, 1), timeZone);
  return Math.round((next - start) / HALF_HOUR_MS);
}

/**
 * The settlement slots covering [from, to): from the slot containing `from`
 * to the slot containing the last instant before `to`. Empty when to <= from.
 * The first and last slots may extend beyond the interval (partial slots);
 * callers clip them.
 */
export function settlementSlots(from: Date, to: Date, timeZone: string): SettlementSlot[] {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!(toMs > fromMs)) return [];
  const slots: SettlementSlot[] = [];
  let start = floorToHalfHour(fromMs);
  let { localDate, period } = settlementPeriodOf(start, timeZone);
  let periodsToday = settlementPeriodsInDay(localDate, timeZone);
  while (start < toMs) {
    slots.push({ start: new Date(start), end: new Date(start + HALF_HOUR_MS), localDate, period });
    start += HALF_HOUR_MS;
    period += 1;
    if (period > periodsToday) {
      localDate = addLocalDays(localDate, 1);
      period = 1;
      periodsToday = settlementPeriodsInDay(localDate, timeZone);
    }
  }
  return slots;
}

/** All settlement slots of one local day (46, 48 or 50 of them). */
export function settlementSlotsOfDay(date: LocalDate, timeZone: string): SettlementSlot[] {
  const start = firstSlotOfLocalDay(date, timeZone);
  const end = firstSlotOfLocalDay(addLocalDays(date, 1), timeZone);
  return settlementSlots(new Date(start), new Date(end), timeZone);
}
