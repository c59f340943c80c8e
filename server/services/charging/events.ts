// Partner, householder and operator events for a charger. Every event is stored once
// per (charger, type, occurred_at) — a repeat is a no-op — and applied by its own
// timestamp, not its arrival: a plug-out older than the open session's plug-in leaves
// it open, a plug-in that arrives after its own plug-out makes a closed session, and a
// late older intent or tariff is kept as a version without replacing the newer one.
// Each event, its effects, the new plan and the queued delivery commit together.
import { and, asc, desc, eq, gt, gte, inArray, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { chargingEvents, chargingSessions, type ChargingSessionRow } from "@/db/schema";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid } from "../errors";
import { stopSessionDeliveries } from "../schedule-delivery/schedule-delivery";
import { DEFAULT_CHARGER_POWER_KW, findChargingAsset, ratedPowerKw, type ChargingAsset } from "./charger-assets";
import { insertIntentVersion, validateIntent, type IntentFields, type IntentSource } from "./intent-versions";
import { lockSite, replanSessionAndSite, type ReplanOptions, type ReplanTrigger } from "./planning";
import { insertTariffVersion, validateTariff, type TariffInput } from "./tariffs";

export type ChargingEventSource = IntentSource;
export type ChargingEventType = "plug_in" | "plug_out" | "intent" | "tariff_update" | "charge_now" | "charge_now_deleted";

export interface ChargingEventBase {
  assetId: string;
  /** When it happened at the charger; defaults to now. Events apply in this order. */
  occurredAt?: Date | undefined;
  source: ChargingEventSource;
}

export interface PlugInEventInput extends ChargingEventBase {
  chargingRateKw?: number | undefined;
  intent?: IntentFields | undefined;
  tariff?: TariffInput | undefined;
}
export interface IntentEventInput extends ChargingEventBase {
  intent: IntentFields;
  tariff?: TariffInput | undefined;
}
export interface TariffEventInput extends ChargingEventBase {
  tariff: TariffInput;
}
export interface ChargeNowEventInput extends ChargingEventBase {
  endAt: Date;
}

/** The generic event: one body, selected by event_type (the entities dialect's names). */
export interface AssetEventInput extends ChargingEventBase {
  eventType: "plug_in" | "plug_out" | "intent_update" | "charge_now" | "charge_now_deleted";
  chargingRateKw?: number | undefined;
  intent?: IntentFields | undefined;
  tariff?: TariffInput | undefined;
  endAt?: Date | undefined;
}

export type ChargingEventEffect =
  | "duplicate"
  | "session_opened"
  | "already_plugged_in"
  | "closed_session_recorded"
  | "stale"
  | "session_closed"
  | "plug_out_before_plug_in"
  | "recorded"
  | "version_stored"
  | "older_version_stored"
  | "charge_now_changed";

export interface ChargingEventOutcome {
  eventId: number | null;
  effect: ChargingEventEffect;
  sessionId: string | null;
  /** Plans stored because of this event (the session's, plus its site's when planned jointly). */
  planIds: string[];
}

interface EventScope {
  ctx: ServiceContext;
  tx: Tx;
  asset: ChargingAsset;
  occurredAt: Date;
  options: ReplanOptions;
}

// A charger's clock may run a little fast, and a partner may replay a backlog after an outage, but an
// event from the far future or past would open a session the planner would have to span slot by slot.
const EVENT_CLOCK_SKEW_MS = 5 * 60_000;
const EVENT_MAX_AGE_MS = 30 * 24 * 3_600_000;
/** The longest charge-now a driver can ask for: beyond it the request is a mistake, not a plan. */
export const CHARGE_NOW_MAX_MS = 48 * 3_600_000;

function requireEventTimeInRange(occurredAt: Date, now: Date): void {
  if (occurredAt.getTime() > now.getTime() + EVENT_CLOCK_SKEW_MS) {
    throw invalid("occurred_at is in the future.", [{ path: ["occurred_at"], message: "must not be more than 5 minutes after the time of receipt" }]);
  }
  if (occurredAt.getTime() < now.getTime() - EVENT_MAX_AGE_MS) {
    throw invalid("occurred_at is too long ago.", [{ path: ["occurred_at"], message: "must be within the last 30 days" }]);
  }
}

/** Runs `apply` for a stored (not repeated) event, with the charger and its site locked. */
async function withEvent(
  ctx: ServiceContext,
  base: ChargingEventBase,
  eventType: ChargingEventType,
  payload: Record<string, unknown>,
  options: ReplanOptions,
  apply: (scope: EventScope, eventId: number) => Promise<Omit<ChargingEventOutcome, "eventId">>,
): Promise<ChargingEventOutcome> {
  const occurredAt = base.occurredAt ?? options.now ?? new Date();
  if (Number.isNaN(occurredAt.getTime())) throw invalid("occurred_at is not a valid instant.", [{ path: ["occurred_at"], message: "must be an ISO 8601 instant" }]);
  requireEventTimeInRange(occurredAt, options.now ?? new Date());
  return ctx.db.transaction(async (tx) => {
    const asset = await findChargingAsset(tx, ctx.orgId, base.assetId, { lock: true });
    // Site after charger, as re-planning does: one lock order, no deadlocks.
    await lockSite(tx, ctx.orgId, asset.siteId);
    const [event] = await tx
      .insert(chargingEvents)
      .values({ organisationId: ctx.orgId, assetId: asset.id, eventType, occurredAt, payload, source: base.source })
      .onConflictDoNothing({ target: [chargingEvents.assetId, chargingEvents.eventType, chargingEvents.occurredAt] })
      .returning({ id: chargingEvents.id });
    if (!event) return { eventId: null, effect: "duplicate", sessionId: null, planIds: [] };
    const outcome = await apply({ ctx: { ...ctx, db: tx }, tx, asset, occurredAt, options }, event.id);
    if (outcome.sessionId !== null) await tx.update(chargingEvents).set({ sessionId: outcome.sessionId }).where(eq(chargingEvents.id, event.id));
    return { eventId: event.id, ...outcome };
  });
}

async function openSessionOf(tx: Tx, orgId: string, assetId: string): Promise<ChargingSessionRow | null> {
  const [session] = await tx
    .select()
    .from(chargingSessions)
    .where(and(eq(chargingSessions.organisationId, orgId), eq(chargingSessions.assetId, assetId), isNull(chargingSessions.pluggedOutAt)))
    .for("update");
  return session ?? null;
}

async function replan(scope: EventScope, sessionId: string, trigger: ReplanTrigger): Promise<string[]> {
  const planned = await replanSessionAndSite(scope.ctx, sessionId, trigger, scope.options);
  return [...planned.values()].map((plan) => plan.id);
}

function intentPayload(intent: IntentFields): Record<string, unknown> {
  return {
    energy_required_kwh: intent.energyRequiredKwh,
    ...(intent.readyByLocalTime === undefined ? {} : { ready_by_local_time: intent.readyByLocalTime }),
    ...(intent.readyBy === undefined ? {} : { ready_by: intent.readyBy.toISOString() }),
    may_charge_peak: intent.mayChargePeak ?? false,
    charging_mode: intent.chargingMode ?? "maximise_charging_time",
    ...(intent.energyEstimated === undefined ? {} : { energy_estimated: intent.energyEstimated }),
  };
}

export async function recordPlugIn(ctx: ServiceContext, input: PlugInEventInput, options: ReplanOptions = {}): Promise<ChargingEventOutcome> {
  authorize(ctx, "charging:events");
  // Validate everything before writing anything.
  if (input.tariff !== undefined) validateTariff(input.tariff);
  if (input.intent !== undefined) validateIntent(input.intent);
  if (input.chargingRateKw !== undefined && !(Number.isFinite(input.chargingRateKw) && input.chargingRateKw > 0)) {
    throw invalid("vehicle.charging_rate_kw must be a positive number.", [{ path: ["vehicle", "charging_rate_kw"], message: "must be a positive number" }]);
  }
  const payload: Record<string, unknown> = {
    ...(input.chargingRateKw === undefined ? {} : { vehicle: { charging_rate_kw: input.chargingRateKw } }),
    ...(input.intent === undefined ? {} : { intent: intentPayload(input.intent) }),
    ...(input.tariff === undefined ? {} : { tariff: input.tariff }),
  };
  return withEvent(ctx, input, "plug_in", payload, options, async (scope) => {
    const { tx, asset, occurredAt } = scope;
    const orgId = scope.ctx.orgId;
    let intentChanged = false;
    let tariffChanged = false;
    if (input.tariff !== undefined) tariffChanged = (await insertTariffVersion(tx, orgId, asset.id, input.tariff, occurredAt)).isLatest;
    if (input.intent !== undefined) intentChanged = (await insertIntentVersion(tx, orgId, asset.id, input.intent, occurredAt, input.source, asset.siteTimeZone)).isLatest;

    const open = await openSessionOf(tx, orgId, asset.id);
    if (open !== null) {
      // Plugged in already: a repeated plug-in opens no second session.
      const changed = open.pluggedInAt.getTime() <= occurredAt.getTime() && (intentChanged || tariffChanged);
      const planIds = changed ? await replan(scope, open.id, intentChanged ? "intent" : "tariff_update") : [];
      return { effect: open.pluggedInAt.getTime() <= occurredAt.getTime() ? "already_plugged_in" : "stale", sessionId: open.id, planIds };
    }
    const [latest] = await tx
      .select()
      .from(chargingSessions)
      .where(and(eq(chargingSessions.organisationId, orgId), eq(chargingSessions.assetId, asset.id)))
      .orderBy(desc(chargingSessions.pluggedInAt))
      .limit(1);
    if (latest && (latest.pluggedInAt.getTime() >= occurredAt.getTime() || (latest.pluggedOutAt?.getTime() ?? 0) >= occurredAt.getTime())) {
      // Older than what is already known: a session at or after this time exists.
      return { effect: "stale", sessionId: null, planIds: [] };
    }
    const chargerPowerKw = input.chargingRateKw ?? ratedPowerKw(asset.properties) ?? DEFAULT_CHARGER_POWER_KW;
    // A plug-out that arrived before its plug-in: the session happened and is over.
    const [laterPlugOut] = await tx
      .select({ id: chargingEvents.id, occurredAt: chargingEvents.occurredAt })
      .from(chargingEvents)
      .where(and(eq(chargingEvents.assetId, asset.id), eq(chargingEvents.eventType, "plug_out"), gt(chargingEvents.occurredAt, occurredAt), isNull(chargingEvents.sessionId)))
      .orderBy(asc(chargingEvents.occurredAt))
      .limit(1);
    const [session] = await tx
      .insert(chargingSessions)
      .values({
        organisationId: orgId,
        assetId: asset.id,
        siteId: asset.siteId,
        pluggedInAt: occurredAt,
        pluggedOutAt: laterPlugOut?.occurredAt ?? null,
        chargerPowerKw,
        // Unknown until the charge point reports its own (a direct OCPP connection); never made up, since a
        // charger may refuse a TxProfile for a transaction it does not know. Profiles then omit it.
        transactionId: null,
      })
      .returning();
    if (!session) throw new Error("session insert returned nothing");
    if (laterPlugOut) {
      await tx.update(chargingEvents).set({ sessionId: session.id }).where(eq(chargingEvents.id, laterPlugOut.id));
      return { effect: "closed_session_recorded", sessionId: session.id, planIds: [] };
    }
    return { effect: "session_opened", sessionId: session.id, planIds: await replan(scope, session.id, "plug_in") };
  });
}

export async function recordPlugOut(ctx: ServiceContext, input: ChargingEventBase, options: ReplanOptions = {}): Promise<ChargingEventOutcome> {
  authorize(ctx, "charging:events");
  return withEvent(ctx, input, "plug_out", {}, options, async (scope) => {
    const open = await openSessionOf(scope.tx, scope.ctx.orgId, scope.asset.id);
    if (open === null) return { effect: "recorded", sessionId: null, planIds: [] };
    if (open.pluggedInAt.getTime() > scope.occurredAt.getTime()) {
      // Older than the open session's plug-in: it ended an earlier session, not this one.
      return { effect: "plug_out_before_plug_in", sessionId: null, planIds: [] };
    }
    await scope.tx.update(chargingSessions).set({ pluggedOutAt: scope.occurredAt, updatedAt: new Date() }).where(eq(chargingSessions.id, open.id));
    await stopSessionDeliveries(scope.ctx, open.id);
    return { effect: "session_closed", sessionId: open.id, planIds: [] };
  });
}

/** A new intent version; re-plans the open session when it is now the latest. */
export async function recordIntent(ctx: ServiceContext, input: IntentEventInput, options: ReplanOptions = {}): Promise<ChargingEventOutcome> {
  authorize(ctx, "charging:events");
  validateIntent(input.intent);
  if (input.tariff !== undefined) validateTariff(input.tariff);
  const payload = { intent: intentPayload(input.intent), ...(input.tariff === undefined ? {} : { tariff: input.tariff }) };
  return withEvent(ctx, input, "intent", payload, options, async (scope) => {
    const { tx, asset, occurredAt } = scope;
    const tariffChanged = input.tariff === undefined ? false : (await insertTariffVersion(tx, scope.ctx.orgId, asset.id, input.tariff, occurredAt)).isLatest;
    const { isLatest } = await insertIntentVersion(tx, scope.ctx.orgId, asset.id, input.intent, occurredAt, input.source, asset.siteTimeZone);
    const open = await openSessionOf(tx, scope.ctx.orgId, asset.id);
    const planIds = open !== null && (isLatest || tariffChanged) ? await replan(scope, open.id, isLatest ? "intent" : "tariff_update") : [];
    return { effect: isLatest ? "version_stored" : "older_version_stored", sessionId: open?.id ?? null, planIds };
  });
}

/** A new tariff version; re-plans the open session when it is now the latest. */
export async function recordTariffUpdate(ctx: ServiceContext, input: TariffEventInput, options: ReplanOptions = {}): Promise<ChargingEventOutcome> {
  authorize(ctx, "charging:events");
  validateTariff(input.tariff);
  return withEvent(ctx, input, "tariff_update", { tariff: input.tariff }, options, async (scope) => {
    const { isLatest } = await insertTariffVersion(scope.tx, scope.ctx.orgId, scope.asset.id, input.tariff, scope.occurredAt);
    const open = await openSessionOf(scope.tx, scope.ctx.orgId, scope.asset.id);
    const planIds = open !== null && isLatest ? await replan(scope, open.id, "tariff_update") : [];
    return { effect: isLatest ? "version_stored" : "older_version_stored", sessionId: open?.id ?? null, planIds };
  });
}

// Charge-now state is derived from the session's charge-now events in occurred_at
// order, so a late "deleted" older than the charge-now it cancels changes nothing.
async function applyChargeNowState(scope: EventScope, trigger: ReplanTrigger): Promise<Omit<ChargingEventOutcome, "eventId">> {
  const open = await openSessionOf(scope.tx, scope.ctx.orgId, scope.asset.id);
  if (open === null || open.pluggedInAt.getTime() > scope.occurredAt.getTime()) return { effect: "recorded", sessionId: null, planIds: [] };
  const [latest] = await scope.tx
    .select({ eventType: chargingEvents.eventType, payload: chargingEvents.payload })
    .from(chargingEvents)
    .where(
      and(
        eq(chargingEvents.assetId, scope.asset.id),
        inArray(chargingEvents.eventType, ["charge_now", "charge_now_deleted"]),
        gte(chargingEvents.occurredAt, open.pluggedInAt),
      ),
    )
    .orderBy(desc(chargingEvents.occurredAt), desc(chargingEvents.id))
    .limit(1);
  const endAt = latest?.eventType === "charge_now" && typeof latest.payload.end_at === "string" ? new Date(latest.payload.end_at) : null;
  if ((endAt?.getTime() ?? null) === (open.chargeNowUntil?.getTime() ?? null)) return { effect: "stale", sessionId: open.id, planIds: [] };
  await scope.tx.update(chargingSessions).set({ chargeNowUntil: endAt, updatedAt: new Date() }).where(eq(chargingSessions.id, open.id));
  return { effect: "charge_now_changed", sessionId: open.id, planIds: await replan(scope, open.id, trigger) };
}

export async function recordChargeNow(ctx: ServiceContext, input: ChargeNowEventInput, options: ReplanOptions = {}): Promise<ChargingEventOutcome> {
  authorize(ctx, "charging:events");
  if (Number.isNaN(input.endAt.getTime())) throw invalid("end_at is not a valid instant.", [{ path: ["end_at"], message: "must be an ISO 8601 instant" }]);
  const startsAt = input.occurredAt ?? options.now ?? new Date();
  if (input.endAt.getTime() - startsAt.getTime() > CHARGE_NOW_MAX_MS) {
    throw invalid("end_at is too far ahead.", [{ path: ["end_at"], message: "must be within 48 hours of the event" }]);
  }
  return withEvent(ctx, input, "charge_now", { end_at: input.endAt.toISOString() }, options, (scope) => applyChargeNowState(scope, "charge_now"));
}

export async function recordChargeNowDeleted(ctx: ServiceContext, input: ChargingEventBase, options: ReplanOptions = {}): Promise<ChargingEventOutcome> {
  authorize(ctx, "charging:events");
  return withEvent(ctx, input, "charge_now_deleted", {}, options, (scope) => applyChargeNowState(scope, "charge_now_deleted"));
}

/** The generic event: maps event_type onto the dedicated events above. */
export async function recordAssetEvent(ctx: ServiceContext, input: AssetEventInput, options: ReplanOptions = {}): Promise<ChargingEventOutcome> {
  authorize(ctx, "charging:events");
  const base: ChargingEventBase = { assetId: input.assetId, occurredAt: input.occurredAt, source: input.source };
  switch (input.eventType) {
    case "plug_in":
      return recordPlugIn(ctx, { ...base, chargingRateKw: input.chargingRateKw, intent: input.intent, tariff: input.tariff }, options);
    case "plug_out":
      return recordPlugOut(ctx, base, options);
    case "intent_update":
      if (input.intent !== undefined) return recordIntent(ctx, { ...base, intent: input.intent, tariff: input.tariff }, options);
      if (input.tariff !== undefined) return recordTariffUpdate(ctx, { ...base, tariff: input.tariff }, options);
      throw invalid("An intent_update event needs an intent.", [{ path: ["intent"], message: "required for event_type intent_update" }]);
    case "charge_now":
      if (input.endAt === undefined) throw invalid("A charge_now event needs end_at.", [{ path: ["end_at"], message: "required for event_type charge_now" }]);
      return recordChargeNow(ctx, { ...base, endAt: input.endAt }, options);
    case "charge_now_deleted":
      return recordChargeNowDeleted(ctx, base, options);
  }
}
