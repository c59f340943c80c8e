// When households plug in and out: an evening plug-in (17:00 to about 21:00 on the London clock),
// a morning plug-out (06:30 to 08:30), an energy need and a ready-by time, and some evenings with no
// session at all. Deterministic per charger and day, so a restart recreates the same pattern.
import { londonOffsetMinutes } from "../profiles";
import { hashToUnit } from "../random";

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

export interface PlannedVisit {
  pluggedInAtMs: number;
  pluggedOutAtMs: number;
  energyRequiredKwh: number;
  /** "HH:MM" wall time on the London clock. */
  readyByLocalTime: string;
}

export interface PlugPatternOptions {
  /** Share of evenings without a session. Default 0.15. */
  skipProbability?: number;
}

/** London local day number (days since the epoch on the wall clock) containing an instant. */
function londonDayNumber(instantMs: number): number {
  return Math.floor((instantMs + londonOffsetMinutes(instantMs) * MS_PER_MINUTE) / MS_PER_DAY);
}

/** The UTC instant of a wall time on a London local day (the offset taken at that instant, good to the hour across a change). */
function londonInstant(dayNumber: number, minuteOfDay: number): number {
  const naive = dayNumber * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  return naive - londonOffsetMinutes(naive) * MS_PER_MINUTE;
}

/** Mean of two uniforms: a triangular spread, commoner in the middle, like real arrival times. */
function spread(key: string, day: number, what: string): number {
  return (hashToUnit(key, day, what, 1) + hashToUnit(key, day, what, 2)) / 2;
}

/** The session that starts on the evening of this London day, or null on a night without one. */
export function visitForEvening(chargerKey: string, dayNumber: number, options: PlugPatternOptions = {}): PlannedVisit | null {
  if (hashToUnit(chargerKey, dayNumber, "skip") < (options.skipProbability ?? 0.15)) return null;
  const plugInMinute = 17 * 60 + Math.round(spread(chargerKey, dayNumber, "in") * 240);
  const readyBy = [6 * 60 + 30, 7 * 60, 7 * 60 + 30, 8 * 60][Math.floor(hashToUnit(chargerKey, dayNumber, "ready") * 4)] ?? 7 * 60;
  // Most drivers leave around their ready-by time, give or take half an hour.
  const plugOutMinute = readyBy + Math.round((spread(chargerKey, dayNumber, "out") - 0.5) * 60) + 15;
  const energyRequiredKwh = Math.round((6 + spread(chargerKey, dayNumber, "kwh") * 34) * 10) / 10;
  return {
    pluggedInAtMs: londonInstant(dayNumber, plugInMinute),
    pluggedOutAtMs: londonInstant(dayNumber + 1, plugOutMinute),
    energyRequiredKwh,
    readyByLocalTime: `${String(Math.floor(readyBy / 60)).padStart(2, "0")}:${String(readyBy % 60).padStart(2, "0")}`,
  };
}

/** The visit that covers this instant (from last evening or this evening), if any. */
export function visitAt(chargerKey: string, instantMs: number, options: PlugPatternOptions = {}): PlannedVisit | null {
  const today = londonDayNumber(instantMs);
  for (const day of [today - 1, today]) {
    const visit = visitForEvening(chargerKey, day, options);
    if (visit && visit.pluggedInAtMs <= instantMs && instantMs < visit.pluggedOutAtMs) return visit;
  }
  return null;
}
