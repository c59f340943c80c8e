// Events the platform produces in the energy-coordination dialect, stored in coordination_events
// and announced to the partner's webhooks through the partner outbox (webhook_deliveries, delivered
// and retried by the webhook job, every attempt logged). Other services call one function each:
// market prices -> publishPriceCurveEvent, grid events -> publishGridEventLimits, enrolment ->
// publishEligibilityChange. This module reads the inventory directly so that it imports no other
// service that could import it back.
import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  assets,
  coordinationEvents,
  customers,
  gridEventParticipants,
  gridEvents,
  locations,
  resources,
  sites,
  webhookDeliveries,
  webhookEndpoints,
} from "@/db/schema";
import {
  NOTIFICATION_TYPE_BY_PAYLOAD,
  type EventPayloadType,
  type StoredNotification,
} from "@/server/domain/energy-coordination-notifications";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../inventory/records";

export type CoordinationEventSource = "grid_event" | "market_prices" | "enrolment" | "simulation";

export interface CoordinationEvent {
  id: string;
  createdAt: Date;
  payloadType: string;
  payload: Record<string, unknown>;
  source: string;
  sourceId: string | null;
}

export interface EventPage {
  page: number;
  pageSize: number;
}

const HALF_HOUR_MS = 30 * 60_000;

/**
 * Queues one notification per active endpoint that lists this notification type (registered
 * through the dialect or by an operator), in the caller's transaction. Endpoints that take "every
 * type" (an empty list) predate the dialect and are not sent its notifications.
 */
async function queueNotifications(db: DbOrTx, orgId: string, event: CoordinationEvent): Promise<number> {
  const notificationType = NOTIFICATION_TYPE_BY_PAYLOAD[event.payloadType as EventPayloadType];
  if (notificationType === undefined) return 0;
  const endpoints = await db
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organisationId, orgId), isNull(webhookEndpoints.disabledAt)));
  const wanted = endpoints.filter((endpoint) => endpoint.eventTypes.includes(notificationType));
  if (wanted.length === 0) return 0;
  await db.insert(webhookDeliveries).values(
    wanted.map((endpoint) => {
      const notificationId = randomUUID();
      const stored: StoredNotification = {
        notificationId,
        eventId: event.id,
        eventCreatedAtUtc: event.createdAt.toISOString(),
        notificationType,
        payload: event.payload,
      };
      // The delivery row's id is the notification id, so the notification log finds it by either.
      return {
        id: notificationId,
        organisationId: orgId,
        endpointId: endpoint.id,
        eventType: notificationType,
        payload: stored as unknown as Record<string, unknown>,
      };
    }),
  );
  return wanted.length;
}

/**
 * Stores an event and queues its notifications in one transaction. With a sourceId, producing the
 * same event again (a retried hook) returns the stored one and notifies nobody twice.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: the publish* hooks of authorized writes (grid events, prices, enrolment) and the simulation (coordination_simulation:run)
export async function recordCoordinationEvent(
  ctx: ServiceContext,
  input: {
    payload: Record<string, unknown> & { payloadType: string };
    source: CoordinationEventSource;
    sourceId?: string;
    now: Date;
  },
): Promise<CoordinationEvent> {
  return ctx.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(coordinationEvents)
      .values({
        organisationId: ctx.orgId,
        payloadType: input.payload.payloadType,
        payload: input.payload,
        source: input.source,
        sourceId: input.sourceId ?? null,
        createdAt: input.now,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) {
      await queueNotifications(tx, ctx.orgId, inserted);
      return inserted;
    }
    const [existing] = await tx
      .select()
      .from(coordinationEvents)
      .where(
        and(
          eq(coordinationEvents.organisationId, ctx.orgId),
          eq(coordinationEvents.source, input.source),
          eq(coordinationEvents.sourceId, input.sourceId ?? ""),
          eq(coordinationEvents.payloadType, input.payload.payloadType),
        ),
      )
      .limit(1);
    if (!existing) throw new Error("coordination event neither inserted nor found");
    return existing;
  });
}

export async function listCoordinationEvents(
  ctx: ServiceContext,
  page: EventPage,
): Promise<{ items: CoordinationEvent[]; total: number }> {
  authorize(ctx, "coordination_events:read");
  const where = eq(coordinationEvents.organisationId, ctx.orgId);
  const [total] = await ctx.db.select({ n: count() }).from(coordinationEvents).where(where);
  const items = await ctx.db
    .select()
    .from(coordinationEvents)
    .where(where)
    .orderBy(desc(coordinationEvents.createdAt), desc(coordinationEvents.id))
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize);
  return { items, total: total?.n ?? 0 };
}

export async function getCoordinationEvent(ctx: ServiceContext, eventId: string): Promise<CoordinationEvent> {
  authorize(ctx, "coordination_events:read");
  if (!isUuid(eventId)) throw notFound("Event");
  const [row] = await ctx.db
    .select()
    .from(coordinationEvents)
    .where(and(eq(coordinationEvents.organisationId, ctx.orgId), eq(coordinationEvents.id, eventId)))
    .limit(1);
  if (!row) throw notFound("Event");
  return row;
}

/** Events produced from one of our records (a grid event's limits, for its page). */
export async function listEventsFromSource(
  ctx: ServiceContext,
  source: CoordinationEventSource,
  sourceId: string,
): Promise<CoordinationEvent[]> {
  return ctx.db
    .select()
    .from(coordinationEvents)
    .where(
      and(
        eq(coordinationEvents.organisationId, ctx.orgId),
        eq(coordinationEvents.source, source),
        eq(coordinationEvents.sourceId, sourceId),
      ),
    )
    .orderBy(asc(coordinationEvents.createdAt));
}

// ---- Grid events -> LocationLPC / ResourceLPC ----

/** Half-hour points over [start, end) with one limit, the last point closing the window at zero restriction. */
function limitPoints(
  startAt: Date,
  endAt: Date,
  maxKw: number,
): { maxPowerInKiloWatts: number; timestamp: string }[] {
  const points: { maxPowerInKiloWatts: number; timestamp: string }[] = [];
  for (let t = startAt.getTime(); t < endAt.getTime(); t += HALF_HOUR_MS) {
    points.push({
      maxPowerInKiloWatts: Math.round(maxKw * 1000) / 1000,
      timestamp: new Date(t).toISOString(),
    });
  }
  return points;
}

/**
 * The power limits a committed turn-down grid event asks of partner-controlled devices: for every
 * location holding a participating site's MPAN, the highest net import allowed per half-hour (minus
 * the export planned there), and the same per device for devices the partner registered as
 * resources (a resource id that is the asset's external id). Turn-up events ask for more import,
 * which is not a limit, so they produce none. Returns the events stored (none when no partner
 * location takes part).
 */
export async function publishGridEventLimits(
  ctx: ServiceContext,
  gridEventId: string,
  now: Date,
): Promise<CoordinationEvent[]> {
  const [event] = await ctx.db
    .select()
    .from(gridEvents)
    .where(and(eq(gridEvents.organisationId, ctx.orgId), eq(gridEvents.id, gridEventId)))
    .limit(1);
  if (!event || event.direction !== "turn_down") return [];
  const rows = await ctx.db
    .select({
      plannedKw: gridEventParticipants.plannedKw,
      mpan: sites.mpan,
      assetExternalId: assets.externalId,
    })
    .from(gridEventParticipants)
    .innerJoin(sites, eq(sites.id, gridEventParticipants.siteId))
    .innerJoin(assets, eq(assets.id, gridEventParticipants.assetId))
    .where(
      and(
        eq(gridEventParticipants.organisationId, ctx.orgId),
        eq(gridEventParticipants.eventId, event.id),
        eq(gridEventParticipants.control, "partner_webhook"),
      ),
    );
  if (rows.length === 0) return [];
  const mpans = [...new Set(rows.map((row) => row.mpan))];
  const locationRows = await ctx.db
    .select({ externalId: locations.externalId, meterPointIds: locations.meterPointIds })
    .from(locations)
    .where(
      and(
        eq(locations.organisationId, ctx.orgId),
        sql`${locations.meterPointIds} && ${sql.param(mpans)}::text[]`,
      ),
    );
  const locationByMpan = new Map<string, string>();
  for (const location of locationRows)
    for (const mpan of location.meterPointIds)
      if (!locationByMpan.has(mpan)) locationByMpan.set(mpan, location.externalId);
  const registered = await ctx.db
    .select({ externalId: resources.externalId })
    .from(resources)
    .where(
      and(
        eq(resources.organisationId, ctx.orgId),
        isNotNull(resources.locationId),
        inArray(
          resources.externalId,
          rows.map((row) => row.assetExternalId),
        ),
      ),
    );
  const resourceIds = new Set(registered.map((row) => row.externalId));

  const exportByMpan = new Map<string, number>();
  const resourceTargets = [];
  for (const row of rows) {
    const locationId = locationByMpan.get(row.mpan);
    if (locationId === undefined) continue;
    exportByMpan.set(row.mpan, (exportByMpan.get(row.mpan) ?? 0) + row.plannedKw);
    if (resourceIds.has(row.assetExternalId)) {
      resourceTargets.push({
        meterPointId: row.mpan,
        locationId,
        resourceId: row.assetExternalId,
        resolution: "00:30:00",
        points: limitPoints(event.startAt, event.endAt, -row.plannedKw),
      });
    }
  }
  const locationTargets = [...exportByMpan].map(([mpan, plannedKw]) => ({
    locationId: locationByMpan.get(mpan) ?? mpan,
    meterPointId: mpan,
    resolution: "00:30:00",
    points: limitPoints(event.startAt, event.endAt, -plannedKw),
  }));
  const produced: CoordinationEvent[] = [];
  if (locationTargets.length > 0) {
    produced.push(
      await recordCoordinationEvent(ctx, {
        payload: { payloadType: "LocationLPC", targets: locationTargets },
        source: "grid_event",
        sourceId: event.id,
        now,
      }),
    );
  }
  if (resourceTargets.length > 0) {
    produced.push(
      await recordCoordinationEvent(ctx, {
        payload: { payloadType: "ResourceLPC", targets: resourceTargets },
        source: "grid_event",
        sourceId: event.id,
        now,
      }),
    );
  }
  return produced;
}

// ---- Market prices -> PriceCurve ----

/**
 * A price curve the operator published, for the partner's location-bound resources (our markets are
 * per organisation, so every located resource is on it). Prices go out as published: GBP per MWh.
 */
export async function publishPriceCurveEvent(
  ctx: ServiceContext,
  curve: { id: string; market: string; points: readonly { slotStart: Date; priceGbpPerMwh: number }[] },
  now: Date,
): Promise<CoordinationEvent | null> {
  const targets = await ctx.db
    .select({ resourceId: resources.externalId, locationId: locations.externalId })
    .from(resources)
    .innerJoin(locations, eq(locations.id, resources.locationId))
    .where(eq(resources.organisationId, ctx.orgId))
    .orderBy(asc(locations.externalId), asc(resources.externalId));
  if (targets.length === 0 || curve.points.length === 0) return null;
  const points = [...curve.points].sort((a, b) => a.slotStart.getTime() - b.slotStart.getTime());
  return recordCoordinationEvent(ctx, {
    payload: {
      payloadType: "PriceCurve",
      targets,
      priceCurveDelta: {
        points: points.map((p) => ({ price: p.priceGbpPerMwh, timestamp: p.slotStart.toISOString() })),
        energyUnit: "MWh",
        currency: "GBP",
        resolution: "00:30:00",
      },
      priceArea: curve.market,
    },
    source: "market_prices",
    sourceId: curve.id,
    now,
  });
}

// ---- Enrolment and eligibility -> UserEligibility ----

/**
 * After a site's enrolment changed: the site's user (if the partner registered one) is added to or
 * removed from the programme's users.
 */
export async function publishEligibilityChange(
  ctx: ServiceContext,
  input: { siteId: string; enrolled: boolean; changeId?: string },
  now: Date,
): Promise<CoordinationEvent | null> {
  const [row] = await ctx.db
    .select({ id: customers.id, externalUserId: customers.externalUserId })
    .from(sites)
    .innerJoin(customers, eq(customers.id, sites.customerId))
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, input.siteId)))
    .limit(1);
  if (!row) return null;
  const userId = row.externalUserId ?? row.id;
  return recordUserEligibility(
    ctx,
    {
      added: input.enrolled ? [userId] : [],
      removed: input.enrolled ? [] : [userId],
      ...(input.changeId !== undefined ? { sourceId: input.changeId } : {}),
    },
    now,
  );
}

// eslint-disable-next-line flexfleet/authorize-first -- internal: publishEligibilityChange (inside an authorized enrolment change) and the simulation (coordination_simulation:run)
export async function recordUserEligibility(
  ctx: ServiceContext,
  input: { added: string[]; removed: string[]; sourceId?: string; source?: CoordinationEventSource },
  now: Date,
): Promise<CoordinationEvent> {
  return recordCoordinationEvent(ctx, {
    payload: {
      payloadType: "UserEligibility",
      lastUpdated: now.toISOString(),
      addedUsers: input.added,
      removedUsers: input.removed,
    },
    source: input.source ?? "enrolment",
    ...(input.sourceId !== undefined ? { sourceId: input.sourceId } : {}),
    now,
  });
}
