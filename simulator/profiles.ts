// Household load and solar generation: daily shapes with seeded, smooth noise.
import { valueNoise } from "./random";

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const londonOffsetCache = new Map<number, number>();
const londonFormatter = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** Minutes east of UTC on the Europe/London clock at this instant (0 in winter, 60 in summer). */
export function londonOffsetMinutes(instantMs: number): number {
  const hourKey = Math.floor(instantMs / MS_PER_HOUR);
  const cached = londonOffsetCache.get(hourKey);
  if (cached !== undefined) return cached;
  const parts = londonFormatter.formatToParts(new Date(hourKey * MS_PER_HOUR));
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? "0");
  const utcHour = new Date(hourKey * MS_PER_HOUR).getUTCHours();
  const offset = (((hour - utcHour) % 24) + 24) % 24 === 1 ? 60 : 0;
  if (londonOffsetCache.size > 10_000) londonOffsetCache.clear();
  londonOffsetCache.set(hourKey, offset);
  return offset;
}

/** Fractional minute of the day on the Europe/London wall clock, in [0, 1440). */
export function londonMinuteOfDay(instantMs: number): number {
  const localMinutes = instantMs / MS_PER_MINUTE + londonOffsetMinutes(instantMs);
  return ((localMinutes % 1440) + 1440) % 1440;
}

function dayOfYear(instantMs: number): number {
  const date = new Date(instantMs);
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.floor((instantMs - start) / (24 * MS_PER_HOUR));
}

export interface HouseholdProfile {
  /** Always-on consumption. */
  baseLoadKw: number;
  /** Height of the evening peak above the base. */
  eveningPeakKw: number;
  /** Installed PV (kWp); zero for a battery without solar. */
  solarKwp: number;
  /** Seeds this household's noise. */
  noiseKey: string;
}

function bump(hour: number, centre: number, width: number): number {
  const z = (hour - centre) / width;
  return Math.exp(-0.5 * z * z);
}

/** Household consumption: base, breakfast and evening peaks on the London clock, noise of about ±30 %. */
export function householdLoadKw(profile: HouseholdProfile, instantMs: number): number {
  const hour = londonMinuteOfDay(instantMs) / 60;
  const shape =
    profile.baseLoadKw +
    profile.eveningPeakKw * (0.5 * bump(hour, 7.5, 1) + 0.25 * bump(hour, 13, 2) + bump(hour, 18.5, 1.6));
  const fiveMinuteBucket = instantMs / (5 * MS_PER_MINUTE);
  const noise = 0.7 + 0.6 * valueNoise(`${profile.noiseKey}:load`, fiveMinuteBucket);
  return round3(Math.max(0.05, shape * noise));
}

/** PV output: a sine over the day length of the season around solar noon (12:00 UTC), scaled by seeded cloud cover. */
export function solarGenerationKw(profile: HouseholdProfile, instantMs: number): number {
  if (profile.solarKwp <= 0) return 0;
  const doy = dayOfYear(instantMs);
  const summerness = (1 + Math.cos((2 * Math.PI * (doy - 172)) / 365)) / 2;
  const dayLengthHours = 7.8 + 8.6 * summerness;
  const utcHour = (((instantMs / MS_PER_HOUR) % 24) + 24) % 24;
  const sunrise = 12 - dayLengthHours / 2;
  const progress = (utcHour - sunrise) / dayLengthHours;
  if (progress <= 0 || progress >= 1) return 0;
  const elevation = Math.sin(Math.PI * progress);
  const seasonalPeak = 0.3 + 0.5 * summerness;
  const dayCloud = 0.4 + 0.6 * valueNoise(`${profile.noiseKey}:day`, instantMs / (24 * MS_PER_HOUR));
  const passingCloud = 0.6 + 0.4 * valueNoise(`${profile.noiseKey}:cloud`, instantMs / (15 * MS_PER_MINUTE));
  return round3(profile.solarKwp * seasonalPeak * elevation * dayCloud * passingCloud);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
