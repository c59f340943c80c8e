// What a charge point's messages mean for the platform, and the replies and commands the central
// system builds. Pure: plain data in, plain data out; time is an argument.
import { formatOcppDateTime, FULL_POWER_LIMIT } from "./charging-schedule";
import type { OcppVersion } from "./validate-payload";

/** The WebSocket subprotocols the central system speaks, preferred first. */
export const OCPP_SUBPROTOCOLS = ["ocpp2.0.1", "ocpp1.6"] as const;
export type OcppSubprotocol = (typeof OCPP_SUBPROTOCOLS)[number];

export function isOcppSubprotocol(value: unknown): value is OcppSubprotocol {
  return typeof value === "string" && (OCPP_SUBPROTOCOLS as readonly string[]).includes(value);
}

export function versionOfSubprotocol(protocol: OcppSubprotocol): OcppVersion {
  return protocol === "ocpp1.6" ? "1.6" : "2.0.1";
}

// OCPP 1.6J's CALLERROR codes (with the specification's own spelling of "Occurence").
const CALL_ERROR_CODES_16 = new Set([
  "NotImplemented",
  "NotSupported",
  "InternalError",
  "ProtocolError",
  "SecurityError",
  "FormationViolation",
  "PropertyConstraintViolation",
  "OccurenceConstraintViolation",
  "TypeConstraintViolation",
  "GenericError",
]);

/**
 * The CALLERROR code a charge point of this version understands. 2.0.1 codes pass through; for 1.6
 * the 2.0.1-only codes map to their 1.6 meaning (an unreadable frame is a FormationViolation).
 */
export function callErrorCodeFor(version: OcppVersion, code: string): string {
  if (version === "2.0.1" || CALL_ERROR_CODES_16.has(code)) return code;
  if (code === "OccurrenceConstraintViolation") return "OccurenceConstraintViolation";
  if (code === "RpcFrameworkError" || code === "FormatViolation" || code === "MessageTypeNotSupported") return "FormationViolation";
  return "GenericError";
}

/** Whether a vehicle is plugged in, from a connector status; null when the status does not say (faulted, reserved, ...). */
export type PlugState = "plugged_in" | "unplugged" | null;

// 1.6 ChargePointStatus: a cable is in from Preparing until Finishing ends; Available means nothing is plugged.
const PLUGGED_16 = new Set(["Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing"]);

export function plugStateOfStatus(version: OcppVersion, status: string): PlugState {
  if (version === "1.6") {
    if (PLUGGED_16.has(status)) return "plugged_in";
    return status === "Available" ? "unplugged" : null;
  }
  // 2.0.1 ConnectorStatusEnumType: Occupied is a cable in; Available is none.
  if (status === "Occupied") return "plugged_in";
  return status === "Available" ? "unplugged" : null;
}

/** A connector's key in the stored status map: "1" (1.6 connector) or "1/1" (2.0.1 EVSE / connector). */
export function connectorKey(connectorOrEvseId: number, connectorId?: number): string {
  return connectorId === undefined ? String(connectorOrEvseId) : `${connectorOrEvseId}/${connectorId}`;
}

export interface EnergyRegisterReading {
  at: Date;
  /** Lifetime imported energy at `at`, in kWh. */
  kwh: number;
}

interface SampledValueLike {
  value?: unknown;
  measurand?: unknown;
  unit?: unknown;
  phase?: unknown;
  unitOfMeasure?: { unit?: unknown; multiplier?: unknown };
}

interface MeterValueLike {
  timestamp?: unknown;
  sampledValue?: unknown;
}

const WH_PER_UNIT: Record<string, number> = { Wh: 1, kWh: 1000 };

/**
 * The lifetime import register (Energy.Active.Import.Register, the default measurand) in each meter
 * value, totals only (per-phase values are skipped). 1.6 sends values as strings with `unit`; 2.0.1 as
 * numbers with `unitOfMeasure` and a power-of-ten multiplier.
 */
export function energyRegisterReadings(meterValues: unknown): EnergyRegisterReading[] {
  if (!Array.isArray(meterValues)) return [];
  const readings: EnergyRegisterReading[] = [];
  for (const meterValue of meterValues as MeterValueLike[]) {
    const at = typeof meterValue.timestamp === "string" ? new Date(meterValue.timestamp) : null;
    if (at === null || Number.isNaN(at.getTime()) || !Array.isArray(meterValue.sampledValue)) continue;
    for (const sampled of meterValue.sampledValue as SampledValueLike[]) {
      const measurand = typeof sampled.measurand === "string" ? sampled.measurand : "Energy.Active.Import.Register";
      if (measurand !== "Energy.Active.Import.Register" || sampled.phase !== undefined) continue;
      const unit = typeof sampled.unitOfMeasure?.unit === "string" ? sampled.unitOfMeasure.unit : typeof sampled.unit === "string" ? sampled.unit : "Wh";
      const whPerUnit = WH_PER_UNIT[unit];
      const multiplier = typeof sampled.unitOfMeasure?.multiplier === "number" ? sampled.unitOfMeasure.multiplier : 0;
      const value = typeof sampled.value === "number" ? sampled.value : Number(sampled.value);
      if (whPerUnit === undefined || !Number.isFinite(value) || value < 0) continue;
      readings.push({ at, kwh: (value * whPerUnit * 10 ** multiplier) / 1000 });
    }
  }
  return readings;
}

/** 1.6 meterStart / meterStop are Wh register values. */
export function registerReadingFromWh(wh: number, at: Date): EnergyRegisterReading | null {
  return Number.isFinite(wh) && wh >= 0 && !Number.isNaN(at.getTime()) ? { at, kwh: wh / 1000 } : null;
}

export interface TransactionEventMeaning {
  transactionId: string;
  phase: "started" | "updated" | "ended";
  evseId: number | null;
  /** A cable went in or out with this event (a 2.0.1 station may report it here instead of, or as well as, a StatusNotification). */
  plug: PlugState;
  at: Date;
  meterReadings: EnergyRegisterReading[];
}

const PLUG_OUT_TRIGGERS = new Set(["EVDeparted", "EVCommunicationLost"]);

/** A 2.0.1 TransactionEventRequest (already schema-valid) in the platform's terms. */
export function transactionEventMeaning(params: {
  eventType: string;
  timestamp: string;
  triggerReason: string;
  transactionInfo: { transactionId: string };
  evse?: { id: number };
  meterValue?: unknown;
}): TransactionEventMeaning {
  const phase = params.eventType === "Started" ? "started" : params.eventType === "Ended" ? "ended" : "updated";
  let plug: PlugState = null;
  if (params.triggerReason === "CablePluggedIn") plug = "plugged_in";
  else if (PLUG_OUT_TRIGGERS.has(params.triggerReason)) plug = "unplugged";
  return {
    transactionId: params.transactionInfo.transactionId,
    phase,
    evseId: params.evse?.id ?? null,
    plug,
    at: new Date(params.timestamp),
    meterReadings: energyRegisterReadings(params.meterValue),
  };
}

/** The reply to a BootNotification: accepted, with the heartbeat interval the charge point should keep. */
export function bootNotificationResponse(now: Date, heartbeatIntervalSeconds: number): { currentTime: string; interval: number; status: "Accepted" } {
  // The same shape in 1.6 and 2.0.1.
  return { currentTime: formatOcppDateTime(now), interval: heartbeatIntervalSeconds, status: "Accepted" };
}

export function heartbeatResponse(now: Date): { currentTime: string } {
  return { currentTime: formatOcppDateTime(now) };
}

/** Removes the platform's profile for a session (by its profile id) once the vehicle has left. */
export function buildClearChargingProfile(version: OcppVersion, chargingProfileId: number): Record<string, unknown> {
  return version === "1.6" ? { id: chargingProfileId } : { chargingProfileId };
}

/** Asks for the schedule the charger will actually apply on a connector (1.6) or EVSE (2.0.1), in W. */
export function buildGetCompositeSchedule(version: OcppVersion, connectorOrEvseId: number, durationSeconds: number): Record<string, unknown> {
  const duration = Math.max(1, Math.round(durationSeconds));
  return version === "1.6"
    ? { connectorId: connectorOrEvseId, duration, chargingRateUnit: "W" }
    : { evseId: connectorOrEvseId, duration, chargingRateUnit: "W" };
}

interface SchedulePeriodLike {
  startPeriod: number;
  limit: number;
}

interface AbsoluteSchedule {
  startMs: number;
  endMs: number;
  unit: string;
  periods: SchedulePeriodLike[];
}

export interface AppliedScheduleComparison {
  matches: boolean;
  /** For people: what matched, or where the charger differs from the plan. */
  summary: string;
}

function absoluteSchedule(schedule: unknown, fallbackStart: string | undefined): AbsoluteSchedule | null {
  if (typeof schedule !== "object" || schedule === null) return null;
  const s = schedule as { startSchedule?: unknown; scheduleStart?: unknown; duration?: unknown; chargingRateUnit?: unknown; chargingSchedulePeriod?: unknown };
  const start = typeof s.startSchedule === "string" ? s.startSchedule : typeof s.scheduleStart === "string" ? s.scheduleStart : fallbackStart;
  if (start === undefined || !Array.isArray(s.chargingSchedulePeriod)) return null;
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) return null;
  const periods = (s.chargingSchedulePeriod as SchedulePeriodLike[]).filter((p) => typeof p.startPeriod === "number" && typeof p.limit === "number");
  const lastStart = periods[periods.length - 1]?.startPeriod ?? 0;
  const duration = typeof s.duration === "number" ? s.duration : lastStart + 1;
  return { startMs, endMs: startMs + duration * 1000, unit: typeof s.chargingRateUnit === "string" ? s.chargingRateUnit : "W", periods };
}

function limitAt(schedule: AbsoluteSchedule, atMs: number): number | null {
  if (atMs < schedule.startMs || atMs >= schedule.endMs) return null;
  let limit: number | null = null;
  for (const period of schedule.periods) if (schedule.startMs + period.startPeriod * 1000 <= atMs) limit = period.limit;
  return limit;
}

/**
 * Compares the schedule sent (the SetChargingProfile request) with what the charger reports it will
 * apply (the GetCompositeSchedule answer), at every instant either schedule changes, over the time both
 * cover. A period sent at the full-power convention (99999) matches whatever the charger's maximum is.
 * Limits agree within 1% or 1 W (the charger may round).
 */
export function compareAppliedSchedule(version: OcppVersion, sentRequest: Record<string, unknown>, compositeResponse: Record<string, unknown>): AppliedScheduleComparison {
  if (compositeResponse.status !== "Accepted") return { matches: false, summary: `the charger refused to report its schedule (${String(compositeResponse.status)})` };
  const sentSchedule =
    version === "1.6"
      ? (sentRequest.csChargingProfiles as { chargingSchedule?: unknown } | undefined)?.chargingSchedule
      : ((sentRequest.chargingProfile as { chargingSchedule?: unknown[] } | undefined)?.chargingSchedule ?? [])[0];
  const appliedRaw = version === "1.6" ? compositeResponse.chargingSchedule : compositeResponse.schedule;
  const fallbackStart = typeof compositeResponse.scheduleStart === "string" ? compositeResponse.scheduleStart : undefined;
  const sent = absoluteSchedule(sentSchedule, undefined);
  const applied = absoluteSchedule(appliedRaw, fallbackStart);
  if (sent === null) return { matches: false, summary: "the profile sent has no schedule to compare" };
  if (applied === null) return { matches: false, summary: "the charger reported no schedule" };
  if (sent.unit !== applied.unit) return { matches: false, summary: `the charger reports limits in ${applied.unit}, the plan was sent in ${sent.unit}` };
  const from = Math.max(sent.startMs, applied.startMs);
  const to = Math.min(sent.endMs, applied.endMs);
  if (to <= from) return { matches: false, summary: "the charger's schedule does not overlap the plan" };
  const instants = new Set<number>([from]);
  for (const schedule of [sent, applied]) {
    for (const period of schedule.periods) {
      const at = schedule.startMs + period.startPeriod * 1000;
      if (at > from && at < to) instants.add(at);
    }
  }
  const ordered = [...instants].sort((a, b) => a - b);
  for (const at of ordered) {
    const planned = limitAt(sent, at);
    const actual = limitAt(applied, at);
    if (planned === null || actual === null) continue;
    if (planned >= FULL_POWER_LIMIT) continue;
    if (Math.abs(planned - actual) > Math.max(1, planned * 0.01)) {
      return { matches: false, summary: `from ${formatOcppDateTime(new Date(at))} the plan allows ${planned} ${sent.unit} but the charger applies ${actual} ${applied.unit}` };
    }
  }
  return { matches: true, summary: `the charger applies the plan (${ordered.length} change points compared)` };
}
