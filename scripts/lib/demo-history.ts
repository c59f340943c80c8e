// A week of the demo fleet's past, so charts, baselines, load forecasts and settlement have
// something to work on at first sign-in: battery telemetry replayed by the simulator's physics
// (every 5 minutes, and half-hourly inverter readings), and chargers' half-hourly consumption
// from evening plug-ins charged in each tariff's off-peak window. A restart fills only the gap
// since the newest stored observation, continuing from its state of charge.
import type { ServiceContext } from "@/server/services/context";
import { latestTelemetryAt, storeTelemetryHistory, type TelemetrySample } from "@/server/services/demo/demo-history";
import { ingestReadings } from "@/server/services/readings/ingest-readings";
import { addLocalDays, localDateOf, localDateTime, parseLocalTime } from "@/server/optimiser/time";
import { localMidnightUtc } from "@/server/optimiser/time/local-wall-time";
import type { HistorySample, SimulatorHandle } from "@/simulator/index";
import type { Reading } from "@/server/domain/readings/reading-schema";

export const HISTORY_DAYS = 7;
const SAMPLE_EVERY_MS = 5 * 60_000;
const HALF_HOUR_MS = 30 * 60_000;
const DAY_MS = 86_400_000;
/** Less than this since the newest observation: live polling covers it. */
const MIN_GAP_MS = 10 * 60_000;
const READINGS_PER_REQUEST = 10_000;

export interface HistoryBattery {
  assetId: string;
  deviceId: string;
  ratedPowerKw: number;
}

export interface CommandedWindow {
  fromMs: number;
  toMs: number;
  assetIds: ReadonlySet<string>;
}

/** What the battery's telemetry would have said: the behaviour the OEM settings resolve to, as our operation modes. */
function toTelemetry(sample: HistorySample): TelemetrySample {
  const operationMode = sample.behaviour === "discharge" ? "EXPORT_FOCUS" : sample.behaviour === "charge" ? "TIME_OF_USE" : "SELF_RELIANCE";
  return {
    observedAt: new Date(sample.atMs),
    socPct: sample.socPct,
    batteryPowerKw: sample.batteryKw,
    gridPowerKw: sample.gridKw,
    solarPowerKw: sample.solarKw,
    loadPowerKw: sample.loadKw,
    operationMode,
    oemMode: sample.behaviour,
    dischargeFloorPct: sample.dischargeFloorPct,
  };
}

/** Mean battery power per whole half hour, as a partner would post it. */
function halfHourlyInverterReadings(assetId: string, samples: readonly HistorySample[]): Reading[] {
  const bySlot = new Map<number, { sum: number; count: number }>();
  for (const s of samples) {
    const slot = Math.floor((s.atMs - 1) / HALF_HOUR_MS) * HALF_HOUR_MS;
    const cell = bySlot.get(slot) ?? { sum: 0, count: 0 };
    cell.sum += s.batteryKw;
    cell.count += 1;
    bySlot.set(slot, cell);
  }
  const perSlot = HALF_HOUR_MS / SAMPLE_EVERY_MS;
  return [...bySlot]
    .filter(([, cell]) => cell.count >= perSlot)
    .map(([slot, cell]) => ({
      asset_id: assetId,
      start_timestamp: new Date(slot).toISOString(),
      end_timestamp: new Date(slot + HALF_HOUR_MS).toISOString(),
      value: Math.round((cell.sum / cell.count) * 1000) / 1000,
      label: "battery_inverter_import_kw" as const,
    }));
}

async function postReadings(ctx: ServiceContext, readings: readonly Reading[], now: Date): Promise<number> {
  let accepted = 0;
  for (let offset = 0; offset < readings.length; offset += READINGS_PER_REQUEST) {
    accepted += (await ingestReadings(ctx, readings.slice(offset, offset + READINGS_PER_REQUEST), { now })).acceptedCount;
  }
  return accepted;
}

/** Most demo households charge their battery on the cheap night rate (00:30-04:30), as many do on Economy 7 style tariffs. */
function nightlyCharging(fromMs: number, toMs: number, battery: HistoryBattery) {
  const windows = [];
  for (let day = localDateOf(fromMs - DAY_MS, "Europe/London"); localMidnightUtc(day).getTime() < toMs; day = addLocalDays(day, 1)) {
    const midnight = localMidnightUtc(day).getTime();
    windows.push({ fromMs: midnight + 30 * 60_000, toMs: midnight + 4.5 * 3_600_000, behaviour: { kind: "charge" as const, powerKw: battery.ratedPowerKw, maxSocPct: 100 } });
  }
  return windows;
}

/** Replays and stores each battery's missing past up to `now`; answers the number of telemetry rows written. */
export async function backfillBatteryHistory(
  ctx: ServiceContext,
  simulator: SimulatorHandle,
  batteries: readonly HistoryBattery[],
  now: Date,
  commanded: CommandedWindow | null,
): Promise<number> {
  const latest = await latestTelemetryAt(
    ctx,
    batteries.map((b) => b.assetId),
  );
  let stored = 0;
  const readings: Reading[] = [];
  for (const battery of batteries) {
    const newest = latest.get(battery.assetId);
    const fromMs = Math.max(newest ? newest.at.getTime() : 0, now.getTime() - HISTORY_DAYS * DAY_MS);
    if (now.getTime() - fromMs < MIN_GAP_MS) continue;
    const overrides = [
      ...(commanded && commanded.assetIds.has(battery.assetId) ? [{ fromMs: commanded.fromMs, toMs: commanded.toMs, behaviour: { kind: "discharge" as const, powerKw: battery.ratedPowerKw, minSocPct: 0 } }] : []),
      ...nightlyCharging(fromMs, now.getTime(), battery),
    ];
    const samples = simulator.replayHistory(battery.deviceId, {
      fromMs,
      toMs: now.getTime(),
      sampleEveryMs: SAMPLE_EVERY_MS,
      ...(newest ? { startSocPct: newest.socPct } : {}),
      overrides,
      continueLive: true,
    });
    stored += await storeTelemetryHistory(ctx, battery.assetId, samples.map(toTelemetry));
    readings.push(...halfHourlyInverterReadings(battery.assetId, samples));
  }
  await postReadings(ctx, readings, now);
  return stored;
}

export interface HistoryCharger {
  assetId: string;
  powerKw: number;
  /** "HH:MM-HH:MM" off-peak window of its tariff (Europe/London). */
  offPeak: string;
  /** Local minute of day the car usually arrives. */
  arrivesAtMinute: number;
  /** kWh a typical evening needs. */
  dailyKwh: number;
}

/** Half-hourly consumption of a charger over the past days: the car arrives in the evening and charges from the start of the off-peak window. */
export function chargerConsumption(charger: HistoryCharger, fromMs: number, toMs: number): Reading[] {
  const [startText] = charger.offPeak.split("-");
  const offPeakStart = parseLocalTime(startText ?? "00:30") ?? 30;
  // Counted from the half hour the car arrives in: from the minute itself, a car arriving at 17:37
  // would be "23 hours 53 minutes since arrival" in its own half hour, and charge at once.
  const arrivalSlot = Math.floor(charger.arrivesAtMinute / 30) * 30;
  const untilOffPeak = (offPeakStart - arrivalSlot + 1440) % 1440;
  const readings: Reading[] = [];
  let owedKwh = 0;
  for (let slot = Math.ceil(fromMs / HALF_HOUR_MS) * HALF_HOUR_MS; slot + HALF_HOUR_MS <= toMs; slot += HALF_HOUR_MS) {
    const local = localDateTime(slot, "Europe/London");
    const minute = local.hour * 60 + local.minute;
    // The day of the month varies the need by a few kWh, so days differ as real ones do.
    if (minute === arrivalSlot) owedKwh = charger.dailyKwh * (0.7 + ((local.day * 7) % 6) / 10);
    // Charging starts once the off-peak window opens after the car arrived, and runs until the need is met.
    const sinceArrival = (minute - arrivalSlot + 1440) % 1440;
    const charging = owedKwh > 0 && sinceArrival >= untilOffPeak;
    const kwh = charging ? Math.min(owedKwh, charger.powerKw * 0.5) : 0;
    owedKwh -= kwh;
    readings.push({
      asset_id: charger.assetId,
      start_timestamp: new Date(slot).toISOString(),
      end_timestamp: new Date(slot + HALF_HOUR_MS).toISOString(),
      value: Math.round(kwh * 1000) / 1000,
      label: "charger_consumption_energy_kwh",
    });
  }
  return readings;
}

/** A week of chargers' half-hourly consumption, for chargers seeded just now (later the charger platform posts its own). */
export async function backfillChargerHistory(ctx: ServiceContext, chargers: readonly HistoryCharger[], now: Date): Promise<number> {
  const fromMs = now.getTime() - HISTORY_DAYS * DAY_MS;
  return postReadings(
    ctx,
    chargers.flatMap((c) => chargerConsumption(c, fromMs, now.getTime())),
    now,
  );
}
