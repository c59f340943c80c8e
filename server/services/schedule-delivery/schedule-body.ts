// Turns a stored plan into the OCPP SetChargingProfile body the partner's endpoint receives,
// and checks it against the official schema. Pure apart from its inputs: no db, no clock.
import type { StoredPlanSlot } from "@/db/schema";
import {
  buildSetChargingProfile16,
  buildSetChargingProfile201,
  ChargingProfileInputError,
  validateOcppPayload,
  type OcppVersion,
  type PlannedPowerPeriod,
} from "@/server/ocpp";

export const OCPP_VERSIONS = ["1.6", "2.0.1"] as const satisfies readonly OcppVersion[];

export function isOcppVersion(value: string): value is OcppVersion {
  return (OCPP_VERSIONS as readonly string[]).includes(value);
}

export interface ScheduleBodyInput {
  ocppVersion: OcppVersion;
  sessionId: string;
  planVersion: number;
  slots: readonly StoredPlanSlot[];
  chargerPowerKw: number;
  /** The running transaction's id, when known: an integer in 1.6, the charging station's string in 2.0.1. */
  transactionId: number | string | null;
  /** The asset's properties; `connector_id` / `evse_id` pick the connector, default 1. */
  assetProperties: Record<string, unknown>;
}

export type ScheduleBodyResult = { ok: true; body: Record<string, unknown> } | { ok: false; reason: string };

/**
 * A stable positive 31-bit id per session: every plan version of a session reuses it, so the
 * charger replaces the previous profile instead of stacking a second one.
 */
export function chargingProfileIdForSession(sessionId: string): number {
  const hex = sessionId.replace(/-/g, "").slice(0, 8);
  const parsed = Number.parseInt(hex, 16);
  return Number.isFinite(parsed) ? parsed & 0x7fffffff : 1;
}

function positiveIntegerProperty(properties: Record<string, unknown>, key: string): number | undefined {
  const value = properties[key];
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/**
 * Plan slots to OCPP periods. A gap between two slots means nothing was planned there, so it is
 * sent as an explicit 0 W period rather than stretching the previous slot's limit over it. Periods
 * may start mid-slot where a slot has power steps.
 */
export function periodsFromSlots(slots: readonly StoredPlanSlot[]): { periods: PlannedPowerPeriod[]; end: string } | null {
  const ordered = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (first === undefined || last === undefined) return null;
  const periods: PlannedPowerPeriod[] = [];
  let previousEnd: number | undefined;
  for (const slot of ordered) {
    const start = Date.parse(slot.start);
    if (previousEnd !== undefined && start > previousEnd) periods.push({ start: new Date(previousEnd), kw: 0 });
    // A slot with steps (charge-now ending inside it) is sent step by step: full power until end_at.
    if (slot.periods && slot.periods.length > 0) for (const step of slot.periods) periods.push({ start: step.start, kw: Math.max(0, step.kw) });
    else periods.push({ start: slot.start, kw: Math.max(0, slot.kw) });
    previousEnd = Date.parse(slot.end);
  }
  return { periods, end: last.end };
}

/** Builds the body and validates it; a body the official schema rejects is returned as a failure, never sent. */
export function buildScheduleBody(input: ScheduleBodyInput): ScheduleBodyResult {
  const converted = periodsFromSlots(input.slots);
  if (converted === null) return { ok: false, reason: "the plan has no slots to deliver" };
  const first = converted.periods[0];
  if (first === undefined) return { ok: false, reason: "the plan has no slots to deliver" };
  const common = {
    periods: converted.periods,
    startSchedule: first.start,
    endSchedule: converted.end,
    unit: "W" as const,
    ...(input.chargerPowerKw > 0 ? { fullPowerKw: input.chargerPowerKw } : {}),
  };
  const profileId = chargingProfileIdForSession(input.sessionId);
  let body: Record<string, unknown>;
  try {
    if (input.ocppVersion === "1.6") {
      body = { ...buildSetChargingProfile16({
        ...common,
        connectorId: positiveIntegerProperty(input.assetProperties, "connector_id") ?? 1,
        chargingProfileId: profileId,
        ...(input.transactionId === null ? {} : { transactionId: Number(input.transactionId) }),
      }) };
    } else {
      body = { ...buildSetChargingProfile201({
        ...common,
        evseId: positiveIntegerProperty(input.assetProperties, "evse_id") ?? positiveIntegerProperty(input.assetProperties, "connector_id") ?? 1,
        profileId,
        scheduleId: input.planVersion,
        ...(input.transactionId === null ? {} : { transactionId: String(input.transactionId) }),
      }) };
    }
  } catch (error) {
    if (error instanceof ChargingProfileInputError) return { ok: false, reason: `profile could not be built: ${error.message}` };
    throw error;
  }
  const validation = validateOcppPayload(input.ocppVersion, "SetChargingProfile", body);
  if (!validation.ok) return { ok: false, reason: `body fails the OCPP ${input.ocppVersion} schema: ${validation.errors.join("; ")}` };
  return { ok: true, body };
}
