// Partner webhooks as an outbox: events are written in the same transaction as the
// change they describe (so a rolled-back enrolment never notifies anyone), and a job
// delivers pending rows as signed POSTs, retrying with backoff.
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { batteryWebhookEvents, organisations, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "@/db/schema";
import { isNotificationType, NOTIFICATION_TYPES, notificationRequest, type StoredNotification } from "@/server/domain/energy-coordination-notifications";
import {
  BATTERY_CONTROL_SIGNATURE_HEADER,
  signBatteryControlWebhook,
  signSchedulePush,
} from "@/server/domain/signatures";
import type { ServiceContext } from "../context";
import { checkPartnerUrl } from "../partner-urls/partner-url-policy";
import { openWebhookSecret, sealWebhookSecret } from "./webhook-secrets";

export type PartnerEventType =
  "enrolment.enrolled" | "enrolment.unenrolled" | "enrolment.withdrawn" | "site.offboarded";

/** Battery-control dialect events, written to the battery_webhook_events outbox and delivered in signed batches. */
export const BATTERY_CONTROL_EVENT_TYPES = [
  "user:vendor-action:updated",
  "user:credentials:expiring",
] as const;

/** Every event type an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "enrolment.enrolled",
  "enrolment.unenrolled",
  "enrolment.withdrawn",
  "site.offboarded",
  "grid_event.dispatch",
  ...BATTERY_CONTROL_EVENT_TYPES,
  // Energy-coordination notifications, one delivery per notification (see energy-coordination).
  ...NOTIFICATION_TYPES,
] as const;

/** The battery-control dialect's receivers take at most this many events per POST. */
export const MAX_EVENTS_PER_BATCH = 100;

/**
 * A webhook or dispatch delivery is retried until this long after it was created (then `failed`,
 * and its endpoint shows as failing): a partner outage of a day loses nothing.
 */
export const WEBHOOK_RETRY_HOURS = 26;
/** Backoff after the n-th failed attempt: 15 s doubling, capped at an hour. */
export function webhookBackoffSeconds(failedAttempts: number): number {
  return Math.min(3600, 15 * 2 ** Math.max(0, failedAttempts - 1));
}

const isBatteryControlEvent = (type: string) =>
  (BATTERY_CONTROL_EVENT_TYPES as readonly string[]).includes(type);

/** Queues the event for every active endpoint of the organisation that wants it. */
// eslint-disable-next-line flexfleet/authorize-first -- internal: queued inside the authorized change it reports
export async function emitPartnerEvent(ctx: ServiceContext, type: PartnerEventType, data: Record<string, unknown>): Promise<number> {
  const endpoints = await ctx.db
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organisationId, ctx.orgId), isNull(webhookEndpoints.disabledAt)));
  const wanted = endpoints.filter(
    (endpoint) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type),
  );
  if (wanted.length === 0) return 0;
  const event = { id: randomUUID(), type, created_at: new Date().toISOString(), data };
  await ctx.db
    .insert(webhookDeliveries)
    .values(
      wanted.map((endpoint) => ({
        organisationId: ctx.orgId,
        endpointId: endpoint.id,
        eventType: type,
        payload: event,
      })),
    );
  return wanted.length;
}

/** Stores the endpoint with its secret sealed; the id is chosen first because it is bound into the seal. */
// eslint-disable-next-line flexfleet/authorize-first -- internal: the insert behind createWebhookEndpoint (webhook_endpoints:manage)
export async function addWebhookEndpoint(ctx: ServiceContext, input: { url: string; secret: string; eventTypes?: string[] }): Promise<{ id: string }> {
  const id = randomUUID();
  const [row] = await ctx.db
    .insert(webhookEndpoints)
    .values({
      id,
      organisationId: ctx.orgId,
      url: input.url,
      secret: sealWebhookSecret(id, input.secret),
      eventTypes: input.eventTypes ?? [],
    })
    .returning({ id: webhookEndpoints.id });
  if (!row) throw new Error("webhook endpoint insert returned nothing");
  return row;
}

export interface BatteryEventDispatchResult {
  /** Outbox events handed over (marked delivered_at). */
  events: number;
  /** Delivery rows (batches) queued. */
  batches: number;
}

/**
 * Moves battery-control events from the battery_webhook_events outbox into the delivery
 * log: per subscribed endpoint, one delivery row per batch of at most 100 events of one
 * type, whose POST body is the JSON array of events signed with x-enode-signature.
 * The outbox row's delivered_at records this hand-over (also when no endpoint wants the
 * event, so an endpoint registered later is not flooded with history); each endpoint's
 * attempts, status and delivered_at are on its webhook_deliveries row. SKIP LOCKED lets
 * several workers run it at once without double-sending.
 */
export async function dispatchBatteryWebhookEvents(
  options: { db?: DbOrTx; now?: Date; orgId?: string; limit?: number } = {},
): Promise<BatteryEventDispatchResult> {
  const db = options.db ?? getDb();
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const events = await tx
      .select()
      .from(batteryWebhookEvents)
      .where(
        and(
          isNull(batteryWebhookEvents.deliveredAt),
          options.orgId ? eq(batteryWebhookEvents.organisationId, options.orgId) : undefined,
        ),
      )
      .orderBy(asc(batteryWebhookEvents.createdAt), asc(batteryWebhookEvents.id))
      .limit(options.limit ?? 1000)
      .for("update", { skipLocked: true });
    if (events.length === 0) return { events: 0, batches: 0 };
    const byOrg = new Map<string, typeof events>();
    for (const event of events)
      byOrg.set(event.organisationId, [...(byOrg.get(event.organisationId) ?? []), event]);
    const rows: (typeof webhookDeliveries.$inferInsert)[] = [];
    for (const [orgId, orgEvents] of byOrg) {
      const endpoints = await tx
        .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.organisationId, orgId), isNull(webhookEndpoints.disabledAt)));
      for (const endpoint of endpoints) {
        for (const type of new Set(orgEvents.map((e) => e.event))) {
          if (endpoint.eventTypes.length > 0 && !endpoint.eventTypes.includes(type)) continue;
          const ofType = orgEvents.filter((e) => e.event === type);
          for (let start = 0; start < ofType.length; start += MAX_EVENTS_PER_BATCH) {
            const batch = ofType.slice(start, start + MAX_EVENTS_PER_BATCH);
            rows.push({
              organisationId: orgId,
              endpointId: endpoint.id,
              eventType: type,
              payload: { batch: batch.map((e) => e.payload) },
              createdAt: now,
            });
          }
        }
      }
    }
    if (rows.length > 0) await tx.insert(webhookDeliveries).values(rows);
    await tx
      .update(batteryWebhookEvents)
      .set({ deliveredAt: now })
      .where(
        inArray(
          batteryWebhookEvents.id,
          events.map((e) => e.id),
        ),
      );
    return { events: events.length, batches: rows.length };
  });
}

/**
 * The body and headers of one delivery: battery-control batches as a signed JSON array,
 * energy-coordination notifications with their X-Payload-Signature, our own events with a timestamped signature.
 */
export function deliveryRequest(eventType: string, payload: Record<string, unknown>, secret: string, now: Date): { body: string; headers: Record<string, string> } {
  if (isNotificationType(eventType)) return notificationRequest(payload as unknown as StoredNotification, secret, now);
  const batch = payload.batch;
  if (isBatteryControlEvent(eventType) && Array.isArray(batch)) {
    const body = JSON.stringify(batch.slice(0, MAX_EVENTS_PER_BATCH));
    return {
      body,
      headers: {
        "content-type": "application/json",
        [BATTERY_CONTROL_SIGNATURE_HEADER]: signBatteryControlWebhook(secret, body),
      },
    };
  }
  const body = JSON.stringify(payload);
  return { body, headers: { "content-type": "application/json", ...signSchedulePush(secret, body, now) } };
}

const DELIVERY_TIMEOUT_MS = 10_000;

function signatureOf(headers: Record<string, string>): string | null {
  const name = Object.keys(headers).find((header) => header.toLowerCase().includes("signature"));
  return name === undefined ? null : (headers[name] ?? null);
}

export interface DeliveryRunResult {
  delivered: number;
  failed: number;
  retrying: number;
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export interface DeliveryAttempt {
  delivery: DeliveryRow;
  status: "delivered" | "failed" | "retrying";
  attempts: number;
  error: string | null;
}

/**
 * One pass of a webhook outbox queue: every due row in `status` (pending, and its backoff after the
 * last failed attempt, 15 s doubling capped at an hour, has passed) is POSTed to its endpoint as
 * `request` signs it, and recorded: delivered, failed after WEBHOOK_RETRY_HOURS, or left in
 * `status` to retry. Disabled endpoints get nothing more; their rows stay as the record of what was
 * not sent. Partner events use the "pending" queue; grid-event dispatches their own (grid-events).
 */
export async function deliverDueWebhookRows(options: {
  status: string;
  request: (
    delivery: DeliveryRow,
    secret: string,
    now: Date,
  ) => { body: string; headers: Record<string, string> };
  db?: DbOrTx;
  now?: Date;
  limit?: number;
  fetchImpl?: typeof fetch;
  orgId?: string;
}): Promise<DeliveryAttempt[]> {
  const db = options.db ?? getDb();
  const now = options.now ?? new Date();
  const doFetch = options.fetchImpl ?? fetch;
  const rows = await db
    .select({
      delivery: webhookDeliveries,
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      endpointId: webhookEndpoints.id,
      allowPrivate: organisations.allowPrivatePartnerUrls,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(organisations, eq(organisations.id, webhookDeliveries.organisationId))
    .where(
      and(
        eq(webhookDeliveries.status, options.status),
        options.orgId ? eq(webhookDeliveries.organisationId, options.orgId) : undefined,
        isNull(webhookEndpoints.disabledAt),
        or(isNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, now)),
      ),
    )
    .orderBy(asc(webhookDeliveries.createdAt))
    .limit(options.limit ?? 100);
  const outcomes: DeliveryAttempt[] = [];
  for (const { delivery, url, secret, endpointId, allowPrivate } of rows) {
    let error: string | null = null;
    let sent: { body: string; headers: Record<string, string> } | undefined;
    let responseStatus: number | null = null;
    let timedOut = false;
    const started = performance.now();
    const allowed = await checkPartnerUrl(url, { allowPrivate, unresolvable: "refuse" });
    if (!allowed.ok) error = `not sent: the URL is not allowed (${allowed.reason})`;
    else
      try {
        sent = options.request(delivery, openWebhookSecret(endpointId, secret), now);
        const response = await doFetch(url, {
          method: "POST",
          headers: sent.headers,
          body: sent.body,
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        responseStatus = response.status;
        if (!response.ok) error = `HTTP ${response.status}`;
      } catch (e) {
        timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
        error = e instanceof Error ? e.message : "request failed";
      }
    // Every attempt is on record (the notification log), whatever its outcome, a refused URL included.
    await db.insert(webhookDeliveryAttempts).values({
      organisationId: delivery.organisationId,
      deliveryId: delivery.id,
      endpointId,
      url,
      attemptedAt: now,
      body: sent?.body ?? "",
      signature: signatureOf(sent?.headers ?? {}),
      responseStatus,
      durationMs: Math.round(performance.now() - started),
      timedOut,
      error,
    });
    const attempts = delivery.attempts + 1;
    const givesUp = now.getTime() >= delivery.createdAt.getTime() + WEBHOOK_RETRY_HOURS * 3_600_000;
    const status = error === null ? "delivered" : givesUp ? "failed" : "retrying";
    await db
      .update(webhookDeliveries)
      .set({
        attempts,
        status: status === "retrying" ? options.status : status,
        lastError:
          error === null
            ? null
            : status === "failed"
              ? `${error} (gave up after ${attempts} attempts over ${WEBHOOK_RETRY_HOURS} hours)`
              : error,
        deliveredAt: error === null ? now : null,
        nextAttemptAt:
          status === "retrying" ? new Date(now.getTime() + webhookBackoffSeconds(attempts) * 1000) : null,
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    // The endpoint's health: failing since its first failure after a success, cleared by the next success.
    await db
      .update(webhookEndpoints)
      .set(
        error === null
          ? { failingSince: null, lastFailure: null }
          : {
              failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)`,
              lastFailure: error,
            },
      )
      .where(eq(webhookEndpoints.id, endpointId));
    outcomes.push({ delivery, status, attempts, error });
  }
  return outcomes;
}

/** Delivers due partner webhook rows (all organisations: this is the worker's sweep). */
export async function deliverPendingWebhooks(
  options: { db?: DbOrTx; now?: Date; limit?: number; fetchImpl?: typeof fetch; orgId?: string } = {},
): Promise<DeliveryRunResult> {
  const outcomes = await deliverDueWebhookRows({
    ...options,
    status: "pending",
    request: (delivery, secret, now) => deliveryRequest(delivery.eventType, delivery.payload, secret, now),
  });
  const result: DeliveryRunResult = { delivered: 0, failed: 0, retrying: 0 };
  for (const outcome of outcomes) result[outcome.status] += 1;
  return result;
}
