// Householder tariffs: which times are off-peak, and what each half-hour costs.
import { z } from "zod";
import { isMinuteInRanges, parseOffPeakTimes, type MinuteRange } from "./off-peak-times";
import { isValidTimeZone, localDateTime, parseLocalTime } from "../time/zone";

export const TARIFF_TYPES = ["single_rate", "dual_rate", "dynamic", "smart", "unknown"] as const;
export type TariffType = (typeof TARIFF_TYPES)[number];

/**
 * Defaults when a tariff gives off-peak times but no rates, in pence/kWh:
 * a typical UK EV tariff (off-peak) and the capped standard unit rate (peak).
 * A `single_rate` tariff charges the peak default all day.
 */
export const DEFAULT_PEAK_PENCE_PER_KWH = 24.5;
export const DEFAULT_OFF_PEAK_PENCE_PER_KWH = 7.5;

const MINUTES_PER_DAY = 1440;
const MINUTE_MS = 60_000;
const HALF_HOUR_MS = 30 * MINUTE_MS;

const pencePerKwh = z.number().finite().min(-1000).max(1000);

const timeOfDayRateSchema = z.object({
  from_local_time: z.string().refine((v) => parseLocalTime(v) !== null, "must be a wall time HH:MM"),
  pence_per_kwh: pencePerKwh,
});
const dynamicRateSchema = z.object({
  start_timestamp: z.iso.datetime({ offset: true }),
  end_timestamp: z.iso.datetime({ offset: true }).optional(),
  pence_per_kwh: pencePerKwh,
});

/**
 * Wire format of a tariff. `unit_rates` is optional and takes one of two
 * shapes (all entries of one shape):
 * - time of day, repeating daily: `[{from_local_time: "00:30", pence_per_kwh: 7.5},
 *   {from_local_time: "05:30", pence_per_kwh: 24.5}]`, each rate applying from
 *   its wall time until the next entry's (the last wraps to the first);
 * - dynamic (e.g. half-hourly agile rates): `[{start_timestamp, end_timestamp?,
 *   pence_per_kwh}]`, each applying for 30 minutes unless `end_timestamp` says
 *   otherwise. Time not covered by any entry falls back to the peak/off-peak rates.
 * `peak_pence_per_kwh` / `off_peak_pence_per_kwh` override the defaults.
 */
export const tariffWireSchema = z
  .object({
    off_peak_times: z.string().superRefine((value, ctx) => {
      const parsed = parseOffPeakTimes(value);
      if (!parsed.ok)
        ctx.addIssue({
          code: "custom",
          message: parsed.error.message,
          params: { offPeakTimesError: parsed.error.code },
        });
    }),
    timezone: z.string().refine(isValidTimeZone, "must be an IANA time zone such as Europe/London"),
    tariff_type: z.enum(TARIFF_TYPES).default("unknown"),
    peak_pence_per_kwh: pencePerKwh.optional(),
    off_peak_pence_per_kwh: pencePerKwh.optional(),
    unit_rates: z.union([z.array(timeOfDayRateSchema).min(1), z.array(dynamicRateSchema).min(1)]).optional(),
  })
  .superRefine((tariff, ctx) => {
    const rates = tariff.unit_rates;
    if (rates === undefined) return;
    if (rates.every((rate) => "from_local_time" in rate)) {
      const minutes = rates.map((rate) =>
        "from_local_time" in rate ? parseLocalTime(rate.from_local_time) : null,
      );
      if (new Set(minutes).size !== minutes.length) {
        ctx.addIssue({
          code: "custom",
          path: ["unit_rates"],
          message: "time-of-day rates must start at distinct wall times",
        });
      }
      return;
    }
    for (const [index, rate] of rates.entries()) {
      if (
        "start_timestamp" in rate &&
        rate.end_timestamp !== undefined &&
        Date.parse(rate.end_timestamp) <= Date.parse(rate.start_timestamp)
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["unit_rates", index, "end_timestamp"],
          message: "must be after start_timestamp",
        });
      }
    }
  });

export type TariffWire = z.input<typeof tariffWireSchema>;

interface RateRange extends MinuteRange {
  pencePerKwh: number;
}

interface DynamicRate {
  startMs: number;
  endMs: number;
  pencePerKwh: number;
}

/** A validated tariff, ready for pricing. */
export interface Tariff {
  timeZone: string;
  tariffType: TariffType;
  offPeakTimes: string;
  offPeakRanges: MinuteRange[];
  peakPencePerKwh: number;
  offPeakPencePerKwh: number;
  /** Daily repeating rates covering the whole day, or empty. */
  timeOfDayRates: RateRange[];
  /** Dated rates sorted by start, or empty. */
  dynamicRates: DynamicRate[];
}

export interface TariffIssue {
  path: string;
  message: string;
}

export type TariffResult = { ok: true; tariff: Tariff } | { ok: false; issues: TariffIssue[] };

/** Validates a wire tariff; every problem comes back with the field it concerns. */
export function parseTariff(wire: unknown): TariffResult {
  const parsed = tariffWireSchema.safeParse(wire);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    };
  }
  return { ok: true, tariff: tariffFromWire(parsed.data) };
}

/** Builds a Tariff from wire data that already passed `tariffWireSchema`; throws if it did not. */
export function tariffFromWire(wire: z.output<typeof tariffWireSchema>): Tariff {
  const offPeak = parseOffPeakTimes(wire.off_peak_times);
  if (!offPeak.ok) throw new RangeError(offPeak.error.message);
  const peakPencePerKwh = wire.peak_pence_per_kwh ?? DEFAULT_PEAK_PENCE_PER_KWH;
  const offPeakPencePerKwh =
    wire.off_peak_pence_per_kwh ??
    (wire.tariff_type === "single_rate" ? peakPencePerKwh : DEFAULT_OFF_PEAK_PENCE_PER_KWH);
  const timeOfDayRates: RateRange[] = [];
  const dynamicRates: DynamicRate[] = [];
  const timeOfDayEntries: { minute: number; pencePerKwh: number }[] = [];
  for (const rate of wire.unit_rates ?? []) {
    if ("from_local_time" in rate) {
      const minute = parseLocalTime(rate.from_local_time);
      if (minute !== null) timeOfDayEntries.push({ minute, pencePerKwh: rate.pence_per_kwh });
    } else {
      const startMs = Date.parse(rate.start_timestamp);
      const endMs =
        rate.end_timestamp === undefined ? startMs + HALF_HOUR_MS : Date.parse(rate.end_timestamp);
      dynamicRates.push({ startMs, endMs, pencePerKwh: rate.pence_per_kwh });
    }
  }
  timeOfDayEntries.sort((a, b) => a.minute - b.minute);
  const last = timeOfDayEntries[timeOfDayEntries.length - 1];
  for (const [index, entry] of timeOfDayEntries.entries()) {
    const next = timeOfDayEntries[index + 1];
    timeOfDayRates.push({
      startMinute: entry.minute,
      endMinute: next === undefined ? MINUTES_PER_DAY : next.minute,
      pencePerKwh: entry.pencePerKwh,
    });
  }
  const first = timeOfDayEntries[0];
  if (first !== undefined && last !== undefined && first.minute > 0) {
    timeOfDayRates.unshift({ startMinute: 0, endMinute: first.minute, pencePerKwh: last.pencePerKwh });
  }
  dynamicRates.sort((a, b) => a.startMs - b.startMs);
  return {
    timeZone: wire.timezone,
    tariffType: wire.tariff_type,
    offPeakTimes: wire.off_peak_times,
    offPeakRanges: offPeak.ranges,
    peakPencePerKwh,
    offPeakPencePerKwh,
    timeOfDayRates,
    dynamicRates,
  };
}

function localMinuteOfDay(instantMs: number, timeZone: string): number {
  const local = localDateTime(instantMs, timeZone);
  return local.hour * 60 + local.minute + local.second / 60 + (instantMs % 1000) / MINUTE_MS;
}

/** True when the wall clock in the tariff's zone is inside an off-peak range at `instant`. */
export function isOffPeak(instant: Date | number, tariff: Tariff): boolean {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  return isMinuteInRanges(localMinuteOfDay(ms, tariff.timeZone), tariff.offPeakRanges);
}

// Minutes of [from, from + length) (minutes after local midnight, length <= a day)
// that fall inside `range`, counting the part past midnight on the next day.
function overlapWithDailyRange(from: number, length: number, range: MinuteRange): number {
  let total = 0;
  for (const shift of [0, MINUTES_PER_DAY]) {
    const start = Math.max(from, range.startMinute + shift);
    const end = Math.min(from + length, range.endMinute + shift);
    if (end > start) total += end - start;
  }
  return total;
}

export interface SlotPrice {
  /** Time-weighted average householder rate over the interval. */
  pencePerKwh: number;
  /** True when any part of the interval is outside the off-peak times. */
  peak: boolean;
  /** Share of the interval inside the off-peak times, 0..1. */
  offPeakFraction: number;
}

/**
 * Prices one interval of at most 30 minutes that lies within one settlement
 * slot (zone offsets change only on half-hour boundaries, so the wall clock
 * runs evenly inside it). The rate at each moment is the first of: a dynamic
 * rate covering it, the time-of-day rate, the off-peak or peak rate.
 */
export function priceInterval(start: Date | number, end: Date | number, tariff: Tariff): SlotPrice {
  const startMs = typeof start === "number" ? start : start.getTime();
  const endMs = typeof end === "number" ? end : end.getTime();
  const lengthMinutes = (endMs - startMs) / MINUTE_MS;
  if (!(lengthMinutes > 0)) return { pencePerKwh: 0, peak: false, offPeakFraction: 1 };
  const fromMinute = localMinuteOfDay(startMs, tariff.timeZone);
  let offPeakMinutes = 0;
  for (const range of tariff.offPeakRanges)
    offPeakMinutes += overlapWithDailyRange(fromMinute, lengthMinutes, range);
  offPeakMinutes = Math.min(offPeakMinutes, lengthMinutes);

  let dynamicMinutes = 0;
  let dynamicPenceMinutes = 0;
  for (const rate of tariff.dynamicRates) {
    if (rate.startMs >= endMs) break;
    const overlap = (Math.min(endMs, rate.endMs) - Math.max(startMs, rate.startMs)) / MINUTE_MS;
    if (overlap > 0) {
      dynamicMinutes += overlap;
      dynamicPenceMinutes += overlap * rate.pencePerKwh;
    }
  }
  dynamicMinutes = Math.min(dynamicMinutes, lengthMinutes);
  const fallbackShare = (lengthMinutes - dynamicMinutes) / lengthMinutes;

  let fallbackPence: number;
  if (tariff.timeOfDayRates.length > 0) {
    let penceMinutes = 0;
    for (const range of tariff.timeOfDayRates)
      penceMinutes += overlapWithDailyRange(fromMinute, lengthMinutes, range) * range.pencePerKwh;
    fallbackPence = penceMinutes / lengthMinutes;
  } else {
    const offPeakShare = offPeakMinutes / lengthMinutes;
    fallbackPence = offPeakShare * tariff.offPeakPencePerKwh + (1 - offPeakShare) * tariff.peakPencePerKwh;
  }
  const pence = dynamicPenceMinutes / lengthMinutes + fallbackShare * fallbackPence;
  return {
    pencePerKwh: Math.round(pence * 1e6) / 1e6,
    peak: offPeakMinutes < lengthMinutes - 1e-9,
    offPeakFraction: offPeakMinutes / lengthMinutes,
  };
}

/** Prices each interval (settlement slots, or their clipped parts) for the householder. */
export function priceSlots(slots: readonly { start: Date; end: Date }[], tariff: Tariff): SlotPrice[] {
  return slots.map((slot) => priceInterval(slot.start, slot.end, tariff));
}
