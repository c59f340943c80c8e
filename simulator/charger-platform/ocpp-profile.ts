// Reads a SetChargingProfile request body (OCPP 1.6 or 2.0.1) into one normalised shape the
// simulated charger can apply. The simulator may not import the platform's OCPP code (it plays the
// partner, who has their own), so the checks here are written from the protocol's field rules.
import { isRecord } from "../http-types";

export type ReceivedOcppVersion = "1.6" | "2.0.1";

export interface ProfilePeriod {
  /** Seconds from startSchedule. */
  startPeriod: number;
  /** In the profile's unit (W or A). */
  limit: number;
  numberPhases?: number;
}

export interface NormalisedChargingProfile {
  ocppVersion: ReceivedOcppVersion;
  /** 1.6 connectorId or 2.0.1 evseId. */
  connectorId: number;
  profileId: number;
  stackLevel: number;
  purpose: string;
  kind: string;
  transactionId: string | null;
  startScheduleMs: number;
  /** Seconds; null when the profile runs open-ended. */
  durationSeconds: number | null;
  unit: "W" | "A";
  periods: ProfilePeriod[];
}

const PURPOSES = ["ChargePointMaxProfile", "TxDefaultProfile", "TxProfile", "ChargingStationMaxProfile", "ChargingStationExternalConstraints"];
const KINDS = ["Absolute", "Recurring", "Relative"];
/** Limits at or above this ask for the charger's full power (the documented 99999.0 convention). */
export const FULL_POWER_LIMIT = 99999;

export type ParseResult = { ok: true; profile: NormalisedChargingProfile } | { ok: false; field: string; reason: string };

const fail = (field: string, reason: string): ParseResult => ({ ok: false, field, reason });
const isInt = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** Detects the version from the body's shape (1.6 has connectorId + csChargingProfiles, 2.0.1 evseId + chargingProfile). */
export function parseSetChargingProfile(body: unknown): ParseResult {
  if (!isRecord(body)) return fail("body", "must be a JSON object");
  if ("csChargingProfiles" in body || "connectorId" in body) return parse16(body);
  if ("chargingProfile" in body || "evseId" in body) return parse201(body);
  return fail("body", "is neither an OCPP 1.6 (connectorId, csChargingProfiles) nor a 2.0.1 (evseId, chargingProfile) SetChargingProfile request");
}

function parse16(body: Record<string, unknown>): ParseResult {
  if (!isInt(body.connectorId) || body.connectorId < 0) return fail("connectorId", "must be an integer >= 0");
  const profile = body.csChargingProfiles;
  if (!isRecord(profile)) return fail("csChargingProfiles", "must be an object");
  if (!isInt(profile.chargingProfileId)) return fail("csChargingProfiles.chargingProfileId", "must be an integer");
  if (profile.transactionId !== undefined && !isInt(profile.transactionId)) return fail("csChargingProfiles.transactionId", "must be an integer");
  const common = parseCommon(profile, "csChargingProfiles");
  if ("field" in common) return fail(common.field, common.reason);
  const schedule = parseSchedule(profile.chargingSchedule, "csChargingProfiles.chargingSchedule", common.kind);
  if ("field" in schedule) return fail(schedule.field, schedule.reason);
  return {
    ok: true,
    profile: {
      ocppVersion: "1.6",
      connectorId: body.connectorId,
      profileId: profile.chargingProfileId,
      stackLevel: common.stackLevel,
      purpose: common.purpose,
      kind: common.kind,
      transactionId: profile.transactionId === undefined ? null : String(profile.transactionId),
      ...schedule,
    },
  };
}

function parse201(body: Record<string, unknown>): ParseResult {
  if (!isInt(body.evseId) || body.evseId < 0) return fail("evseId", "must be an integer >= 0");
  const profile = body.chargingProfile;
  if (!isRecord(profile)) return fail("chargingProfile", "must be an object");
  if (!isInt(profile.id)) return fail("chargingProfile.id", "must be an integer");
  if (profile.transactionId !== undefined && (typeof profile.transactionId !== "string" || profile.transactionId.length > 36)) {
    return fail("chargingProfile.transactionId", "must be a string of at most 36 characters");
  }
  const common = parseCommon(profile, "chargingProfile");
  if ("field" in common) return fail(common.field, common.reason);
  const schedules = profile.chargingSchedule;
  if (!Array.isArray(schedules) || schedules.length < 1 || schedules.length > 3) return fail("chargingProfile.chargingSchedule", "must be an array of 1 to 3 schedules");
  const first: unknown = schedules[0];
  if (!isRecord(first) || !isInt(first.id)) return fail("chargingProfile.chargingSchedule[0].id", "must be an integer");
  // Several schedules are alternatives for an ISO 15118 vehicle; a basic charger follows the first.
  const schedule = parseSchedule(first, "chargingProfile.chargingSchedule[0]", common.kind);
  if ("field" in schedule) return fail(schedule.field, schedule.reason);
  return {
    ok: true,
    profile: {
      ocppVersion: "2.0.1",
      connectorId: body.evseId,
      profileId: profile.id,
      stackLevel: common.stackLevel,
      purpose: common.purpose,
      kind: common.kind,
      transactionId: typeof profile.transactionId === "string" ? profile.transactionId : null,
      ...schedule,
    },
  };
}

function parseCommon(profile: Record<string, unknown>, at: string): { stackLevel: number; purpose: string; kind: string } | { field: string; reason: string } {
  if (!isInt(profile.stackLevel) || profile.stackLevel < 0) return { field: `${at}.stackLevel`, reason: "must be an integer >= 0" };
  const purpose = profile.chargingProfilePurpose;
  if (typeof purpose !== "string" || !PURPOSES.includes(purpose)) return { field: `${at}.chargingProfilePurpose`, reason: `must be one of ${PURPOSES.join(", ")}` };
  const kind = profile.chargingProfileKind;
  if (typeof kind !== "string" || !KINDS.includes(kind)) return { field: `${at}.chargingProfileKind`, reason: `must be one of ${KINDS.join(", ")}` };
  return { stackLevel: profile.stackLevel, purpose, kind };
}

function parseSchedule(
  schedule: unknown,
  at: string,
  kind: string,
): Pick<NormalisedChargingProfile, "startScheduleMs" | "durationSeconds" | "unit" | "periods"> | { field: string; reason: string } {
  if (!isRecord(schedule)) return { field: at, reason: "must be an object" };
  const unit = schedule.chargingRateUnit;
  if (unit !== "W" && unit !== "A") return { field: `${at}.chargingRateUnit`, reason: "must be W or A" };
  let startScheduleMs = Number.NaN;
  if (schedule.startSchedule !== undefined) {
    if (typeof schedule.startSchedule !== "string") return { field: `${at}.startSchedule`, reason: "must be an ISO 8601 date-time" };
    startScheduleMs = Date.parse(schedule.startSchedule);
    if (Number.isNaN(startScheduleMs)) return { field: `${at}.startSchedule`, reason: "must be an ISO 8601 date-time" };
  } else if (kind === "Absolute") {
    return { field: `${at}.startSchedule`, reason: "is required for an Absolute profile" };
  }
  if (schedule.duration !== undefined && (!isInt(schedule.duration) || schedule.duration < 0)) return { field: `${at}.duration`, reason: "must be an integer >= 0" };
  const rawPeriods = schedule.chargingSchedulePeriod;
  if (!Array.isArray(rawPeriods) || rawPeriods.length === 0) return { field: `${at}.chargingSchedulePeriod`, reason: "must be a non-empty array" };
  const periods: ProfilePeriod[] = [];
  for (const [index, raw] of rawPeriods.entries()) {
    const where = `${at}.chargingSchedulePeriod[${index}]`;
    if (!isRecord(raw)) return { field: where, reason: "must be an object" };
    if (!isInt(raw.startPeriod) || raw.startPeriod < 0) return { field: `${where}.startPeriod`, reason: "must be an integer >= 0" };
    if (!isNumber(raw.limit) || raw.limit < 0) return { field: `${where}.limit`, reason: "must be a number >= 0" };
    const previous = periods.at(-1);
    if (index === 0 && raw.startPeriod !== 0) return { field: `${where}.startPeriod`, reason: "the first period must start at 0" };
    if (previous && raw.startPeriod <= previous.startPeriod) return { field: `${where}.startPeriod`, reason: "periods must be in increasing startPeriod order" };
    if (raw.numberPhases !== undefined && (!isInt(raw.numberPhases) || raw.numberPhases < 1 || raw.numberPhases > 3)) {
      return { field: `${where}.numberPhases`, reason: "must be 1, 2 or 3" };
    }
    periods.push({ startPeriod: raw.startPeriod, limit: raw.limit, ...(raw.numberPhases === undefined ? {} : { numberPhases: raw.numberPhases }) });
  }
  return { startScheduleMs, durationSeconds: schedule.duration === undefined ? null : schedule.duration, unit, periods };
}

/**
 * The power limit in kW the profile sets at an instant, or null outside its schedule (before its
 * start or after its duration), where the charger falls back to its own default: full power.
 */
export function profileLimitKwAt(profile: NormalisedChargingProfile, instantMs: number, chargerPowerKw: number, voltage = 230): number | null {
  if (Number.isNaN(profile.startScheduleMs)) return null;
  const offsetSeconds = (instantMs - profile.startScheduleMs) / 1000;
  if (offsetSeconds < 0) return null;
  if (profile.durationSeconds !== null && offsetSeconds >= profile.durationSeconds) return null;
  let current: ProfilePeriod | undefined;
  for (const period of profile.periods) {
    if (period.startPeriod <= offsetSeconds) current = period;
    else break;
  }
  if (!current) return null;
  if (current.limit >= FULL_POWER_LIMIT) return chargerPowerKw;
  const kw = profile.unit === "W" ? current.limit / 1000 : (current.limit * voltage * (current.numberPhases ?? 3)) / 1000;
  return Math.min(chargerPowerKw, kw);
}

/** When the profile's next period boundary (or end) after an instant falls, to step the charger exactly. */
export function nextProfileBoundaryMs(profile: NormalisedChargingProfile, instantMs: number): number | null {
  if (Number.isNaN(profile.startScheduleMs)) return null;
  const candidates = profile.periods.map((p) => profile.startScheduleMs + p.startPeriod * 1000);
  if (profile.durationSeconds !== null) candidates.push(profile.startScheduleMs + profile.durationSeconds * 1000);
  candidates.push(profile.startScheduleMs);
  const after = candidates.filter((ms) => ms > instantMs);
  return after.length > 0 ? Math.min(...after) : null;
}
