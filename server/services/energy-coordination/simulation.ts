// The dialect's sandbox: a partner asks for an event of any type on demand (stored and notified like a
// real one, marked as simulated) and for sample partner data to test against. Each organisation opts
// in (coordination_settings.simulation_enabled); elsewhere every call is refused.
import { and, eq, inArray, like } from "drizzle-orm";
import { coordinationEvents, coordinationSettings, customers, locations, resources } from "@/db/schema";
import { mpanCheckDigit } from "@/server/domain/inventory";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { forbidden } from "../errors";
import { DEFAULT_MARKET } from "../market-prices/default-market";
import { recordCoordinationEvent, recordUserEligibility, type CoordinationEvent } from "./events";
import { createLocation, deleteUser, registerLocationResource, registerUsers } from "./inventory";
import { listEligibleUsers } from "./programme";

const HALF_HOUR_MS = 30 * 60_000;
/** Sample users and locations carry this prefix, so that deleting the sample data touches nothing else. */
export const SIMULATED_PREFIX = "simulated-";

export async function setCoordinationSimulation(
  ctx: ServiceContext,
  enabled: boolean,
  now = new Date(),
): Promise<void> {
  authorize(ctx, "organisation:settings");
  await ctx.db
    .insert(coordinationSettings)
    .values({ organisationId: ctx.orgId, simulationEnabled: enabled, updatedAt: now })
    .onConflictDoUpdate({
      target: coordinationSettings.organisationId,
      set: { simulationEnabled: enabled, updatedAt: now },
    });
}

export async function isCoordinationSimulationEnabled(ctx: ServiceContext): Promise<boolean> {
  const [row] = await ctx.db
    .select({ enabled: coordinationSettings.simulationEnabled })
    .from(coordinationSettings)
    .where(eq(coordinationSettings.organisationId, ctx.orgId))
    .limit(1);
  return row?.enabled ?? false;
}

async function requireSimulation(ctx: ServiceContext): Promise<void> {
  authorize(ctx, "coordination_simulation:run");
  if (!(await isCoordinationSimulationEnabled(ctx))) {
    throw forbidden(
      "Simulation is switched off for this organisation. An administrator can switch it on in the organisation's settings.",
    );
  }
}

/** The next `count` half-hours from now (aligned), for generated curves and limits. */
function nextHalfHours(now: Date, count: number): Date[] {
  const first = Math.ceil(now.getTime() / HALF_HOUR_MS) * HALF_HOUR_MS;
  return Array.from({ length: count }, (_, i) => new Date(first + i * HALF_HOUR_MS));
}

async function locatedResources(ctx: ServiceContext) {
  return ctx.db
    .select({
      resourceId: resources.externalId,
      locationId: locations.externalId,
      meterPointId: resources.meterPointId,
      locationMeterPoints: locations.meterPointIds,
    })
    .from(resources)
    .innerJoin(locations, eq(locations.id, resources.locationId))
    .where(eq(resources.organisationId, ctx.orgId));
}

type Point = { maxPowerInKiloWatts?: number | undefined; timestamp?: string | undefined };
const limits = (points: readonly Point[] | null | undefined, now: Date) =>
  points && points.length > 0
    ? points.map((p, i) => ({
        maxPowerInKiloWatts: p.maxPowerInKiloWatts ?? 0,
        timestamp: p.timestamp ?? new Date(now.getTime() + i * HALF_HOUR_MS).toISOString(),
      }))
    : nextHalfHours(now, 4).map((t) => ({ maxPowerInKiloWatts: 0, timestamp: t.toISOString() }));

export async function simulatePriceCurve(
  ctx: ServiceContext,
  input: {
    targets?: { resourceId: string; locationId: string }[] | null | undefined;
    priceCurveDelta?:
      | {
          points: { price: number; timestamp: string }[];
          energyUnit: string;
          currency: string;
          resolution: string;
        }
      | undefined;
    priceArea?: string | undefined;
  },
  now = new Date(),
): Promise<CoordinationEvent> {
  await requireSimulation(ctx);
  const targets =
    input.targets ??
    (await locatedResources(ctx)).map(({ resourceId, locationId }) => ({ resourceId, locationId }));
  // A day-shaped sample curve: cheap overnight, dear in the evening peak (GBP/MWh).
  const priceCurveDelta = input.priceCurveDelta ?? {
    points: nextHalfHours(now, 48).map((t) => {
      const hour = t.getUTCHours();
      return { price: hour >= 16 && hour < 19 ? 180 : hour < 6 ? 55 : 95, timestamp: t.toISOString() };
    }),
    energyUnit: "MWh",
    currency: "GBP",
    resolution: "00:30:00",
  };
  return recordCoordinationEvent(ctx, {
    payload: {
      payloadType: "PriceCurve",
      targets,
      priceCurveDelta,
      priceArea: input.priceArea ?? DEFAULT_MARKET,
    },
    source: "simulation",
    now,
  });
}

export async function simulateUserEligibility(
  ctx: ServiceContext,
  now = new Date(),
): Promise<CoordinationEvent> {
  await requireSimulation(ctx);
  const eligible = await listEligibleUsers(ctx, { page: 1, pageSize: 1000 });
  return recordUserEligibility(
    ctx,
    { added: eligible.items.map((u) => u.userId), removed: [], source: "simulation" },
    now,
  );
}

export async function simulateLocationLimits(
  ctx: ServiceContext,
  input: {
    locations?:
      | {
          location?: { locationId?: string | undefined; meterPointId?: string | undefined } | undefined;
          points?: Point[] | null | undefined;
        }[]
      | null
      | undefined;
  },
  now = new Date(),
): Promise<CoordinationEvent> {
  await requireSimulation(ctx);
  const requested =
    input.locations ??
    (
      await ctx.db
        .select({ locationId: locations.externalId, meterPointIds: locations.meterPointIds })
        .from(locations)
        .where(eq(locations.organisationId, ctx.orgId))
    ).map((l) => ({
      location: { locationId: l.locationId, meterPointId: l.meterPointIds[0] ?? "" },
      points: null,
    }));
  const targets = requested.map((r) => ({
    locationId: r.location?.locationId ?? "",
    meterPointId: r.location?.meterPointId ?? "",
    resolution: "00:30:00",
    points: limits(r.points, now),
  }));
  return recordCoordinationEvent(ctx, {
    payload: { payloadType: "LocationLPC", targets },
    source: "simulation",
    now,
  });
}

export async function simulateResourceLimits(
  ctx: ServiceContext,
  input: {
    resources?:
      | {
          resource?:
            | {
                locationId?: string | undefined;
                resourceId?: string | undefined;
                meterPointId?: string | undefined;
              }
            | undefined;
          points?: Point[] | null | undefined;
        }[]
      | null
      | undefined;
  },
  now = new Date(),
): Promise<CoordinationEvent> {
  await requireSimulation(ctx);
  const requested =
    input.resources ??
    (await locatedResources(ctx)).map((r) => ({
      resource: {
        locationId: r.locationId,
        resourceId: r.resourceId,
        meterPointId: r.meterPointId ?? r.locationMeterPoints[0] ?? "",
      },
      points: null,
    }));
  const targets = requested.map((r) => ({
    meterPointId: r.resource?.meterPointId ?? "",
    locationId: r.resource?.locationId ?? "",
    resourceId: r.resource?.resourceId ?? "",
    resolution: "00:30:00",
    points: limits(r.points, now),
  }));
  return recordCoordinationEvent(ctx, {
    payload: { payloadType: "ResourceLPC", targets },
    source: "simulation",
    now,
  });
}

/** A sample MPAN core per index (valid check digit), distinct from real distributors' ranges by its 99 prefix. */
export function sampleMpan(index: number): string {
  const prefix = `99${String(index).padStart(10, "0")}`;
  return `${prefix}${mpanCheckDigit(prefix)}`;
}

/** Two sample users, each with a location and a charger bound to it. Creating them again changes nothing. */
export async function createSimulatedPartnerData(ctx: ServiceContext): Promise<{ users: string[] }> {
  authorize(ctx, "coordination_simulation:run");
  await requireSimulation(ctx);
  const users = [1, 2].map((n) => `${SIMULATED_PREFIX}user-${n}`);
  await registerUsers(ctx, users);
  for (const [index, userId] of users.entries()) {
    const locationId = `${SIMULATED_PREFIX}location-${index + 1}`;
    const [existing] = await ctx.db
      .select({ id: locations.id })
      .from(locations)
      .where(and(eq(locations.organisationId, ctx.orgId), eq(locations.externalId, locationId)))
      .limit(1);
    if (!existing)
      await createLocation(ctx, userId, {
        locationId,
        locationType: "Residential",
        coordinates: { latitude: 51.5 + index / 100, longitude: -0.12 },
        meterPointIds: [sampleMpan(index + 1)],
      });
    await registerLocationResource(ctx, userId, locationId, {
      resourceId: `${SIMULATED_PREFIX}charger-${index + 1}`,
      resourceType: "Charger",
    });
  }
  return { users };
}

/** Removes the sample users (offboarding their sites, if any were registered) and the simulated events. */
export async function deleteSimulatedPartnerData(ctx: ServiceContext): Promise<{ users: number }> {
  authorize(ctx, "coordination_simulation:run");
  await requireSimulation(ctx);
  const rows = await ctx.db
    .select({ externalUserId: customers.externalUserId })
    .from(customers)
    .where(
      and(eq(customers.organisationId, ctx.orgId), like(customers.externalUserId, `${SIMULATED_PREFIX}%`)),
    );
  for (const row of rows) if (row.externalUserId !== null) await deleteUser(ctx, row.externalUserId);
  await ctx.db
    .delete(coordinationEvents)
    .where(
      and(
        eq(coordinationEvents.organisationId, ctx.orgId),
        inArray(coordinationEvents.source, ["simulation"]),
      ),
    );
  return { users: rows.length };
}
