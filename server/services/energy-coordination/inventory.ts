// Users, locations and resources of the energy-coordination dialect, on the same inventory as the
// entities dialect: a user is a customer (the partner's user id is its external id), a location's
// meter point ids are MPANs and the sites with those MPANs become the user's sites, a resource whose
// id is an asset's external id is that asset. Deleting a user offboards its sites.
import { and, asc, count, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  assets,
  customers,
  locations,
  resources,
  sites,
  vehicles,
  type CustomerRow,
  type LocationRow,
  type ResourceRow,
} from "@/db/schema";
import { normaliseMpan } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { conflict, invalid, notFound, type FieldIssue } from "../errors";
import { findCustomer } from "../inventory/customers";
import { offboardSite } from "../offboarding/offboard-site";

export { findCustomer };

export interface Page {
  page: number;
  pageSize: number;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The partner's id for a user: its external id, or ours for users registered without one. */
export const partnerUserId = (customer: Pick<CustomerRow, "id" | "externalUserId">): string =>
  customer.externalUserId ?? customer.id;

export async function requireUser(db: DbOrTx, orgId: string, userId: string): Promise<CustomerRow> {
  const customer = await findCustomer(db, orgId, userId);
  if (!customer) throw notFound("User");
  return customer;
}

// ---- Users ----

/** Registers users by the partner's ids; registering one again changes nothing. */
export async function registerUsers(ctx: ServiceContext, userIds: readonly string[]): Promise<string[]> {
  authorize(ctx, "users:write");
  const unique = [...new Set(userIds)];
  return ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(customers)
      .values(unique.map((externalUserId) => ({ organisationId: ctx.orgId, externalUserId })))
      .onConflictDoNothing({
        target: [customers.organisationId, customers.externalUserId],
        where: sql`${customers.externalUserId} is not null`,
      })
      .returning({ id: customers.id, externalUserId: customers.externalUserId });
    for (const row of inserted) {
      await recordAuditEvent(
        { ...ctx, db: tx },
        {
          action: "customer.created",
          targetType: "customer",
          targetId: row.id,
          details: { externalUserId: row.externalUserId },
        },
      );
    }
    return userIds.slice();
  });
}

export async function getUser(ctx: ServiceContext, userId: string): Promise<{ userId: string }> {
  authorize(ctx, "users:read");
  return { userId: partnerUserId(await requireUser(ctx.db, ctx.orgId, userId)) };
}

/** A page of users matching `where` (scoped by the caller), oldest first. */
export async function pageOfUsers(
  ctx: ServiceContext,
  where: SQL | undefined,
  page: Page,
): Promise<Paged<{ userId: string }>> {
  const scoped = and(eq(customers.organisationId, ctx.orgId), where);
  const [total] = await ctx.db.select({ n: count() }).from(customers).where(scoped);
  const rows = await ctx.db
    .select({ id: customers.id, externalUserId: customers.externalUserId })
    .from(customers)
    .where(scoped)
    .orderBy(asc(customers.createdAt), asc(customers.id))
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize);
  return { items: rows.map((row) => ({ userId: partnerUserId(row) })), total: total?.n ?? 0, ...page };
}

export const listUsers = (ctx: ServiceContext, page: Page) => pageOfUsers(ctx, undefined, page);

/** Sites that belong to the user: linked to the customer, or named by one of its locations' MPANs. */
export async function userSiteIds(db: DbOrTx, orgId: string, customerId: string): Promise<string[]> {
  const rows = await db
    .select({ id: sites.id })
    .from(sites)
    .where(
      and(
        eq(sites.organisationId, orgId),
        or(
          eq(sites.customerId, customerId),
          sql`${sites.mpan} in (select unnest(${locations.meterPointIds}) from ${locations} where ${locations.organisationId} = ${orgId} and ${locations.customerId} = ${customerId})`,
        ),
      ),
    );
  return rows.map((row) => row.id);
}

/**
 * Offboards every site of the user the way the offboarding service does (consents withdrawn,
 * participation stopped, credentials deleted, personal data removed), then removes the user
 * with its locations, vehicles and resources. Settlement records stay with the sites.
 */
export async function deleteUser(ctx: ServiceContext, userId: string): Promise<{ offboardedSites: number }> {
  authorize(ctx, "users:write");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const siteIds = await userSiteIds(ctx.db, ctx.orgId, customer.id);
  for (const siteId of siteIds) await offboardSite(ctx, { siteId, reason: "The partner deleted the user" });
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(customers)
      .where(and(eq(customers.organisationId, ctx.orgId), eq(customers.id, customer.id)));
    await recordAuditEvent(
      { ...ctx, db: tx },
      {
        action: "customer.deleted",
        targetType: "customer",
        targetId: customer.id,
        details: { offboardedSites: siteIds.length },
      },
    );
  });
  return { offboardedSites: siteIds.length };
}

// ---- Locations ----

export interface LocationInput {
  locationId: string;
  locationType?: string | undefined;
  coordinates?: { latitude: number; longitude: number } | undefined;
  meterPointIds?: readonly string[] | null | undefined;
}

export interface LocationView {
  locationId: string;
  locationType?: string;
  coordinates?: { latitude: number; longitude: number };
  meterPointIds: string[];
  userId: string;
}

function toLocationView(row: LocationRow, userId: string): LocationView {
  return {
    locationId: row.externalId,
    ...(row.locationType !== null ? { locationType: row.locationType } : {}),
    ...(row.latitude !== null && row.longitude !== null
      ? { coordinates: { latitude: row.latitude, longitude: row.longitude } }
      : {}),
    meterPointIds: row.meterPointIds,
    userId,
  };
}

/** MPAN cores from what the partner sent; each bad one is reported at its field. */
function meterPointsFrom(ids: readonly string[] | null | undefined, path: (string | number)[]): string[] {
  const issues: FieldIssue[] = [];
  const normalised: string[] = [];
  (ids ?? []).forEach((value, index) => {
    const result = normaliseMpan(value);
    if (result.ok) normalised.push(result.mpan);
    else
      issues.push({
        path: [...path, index],
        message: `${result.message} A meter point id here is a 13-digit MPAN core.`,
        type: "mpan_invalid",
      });
  });
  if (issues.length > 0) throw invalid("A meter point id is not an MPAN.", issues);
  return [...new Set(normalised)];
}

/** The user takes over the sites its location names (unless another user already has them). */
async function claimSites(
  tx: DbOrTx,
  orgId: string,
  customerId: string,
  mpans: readonly string[],
): Promise<void> {
  if (mpans.length === 0) return;
  await tx
    .update(sites)
    .set({ customerId, updatedAt: sql`now()` })
    .where(
      and(
        eq(sites.organisationId, orgId),
        inArray(sites.mpan, [...mpans]),
        or(isNull(sites.customerId), eq(sites.customerId, customerId)),
      ),
    );
}

async function insertLocation(
  tx: DbOrTx,
  ctx: ServiceContext,
  customer: CustomerRow,
  input: LocationInput,
  path: (string | number)[],
): Promise<LocationRow> {
  const mpans = meterPointsFrom(input.meterPointIds, [...path, "meterPointIds"]);
  const [row] = await tx
    .insert(locations)
    .values({
      organisationId: ctx.orgId,
      customerId: customer.id,
      externalId: input.locationId,
      locationType: input.locationType ?? null,
      latitude: input.coordinates?.latitude ?? null,
      longitude: input.coordinates?.longitude ?? null,
      meterPointIds: mpans,
    })
    .onConflictDoNothing({ target: [locations.organisationId, locations.externalId] })
    .returning();
  if (!row) throw conflict(`A location with id ${input.locationId} already exists.`);
  await claimSites(tx, ctx.orgId, customer.id, mpans);
  await recordAuditEvent(
    { ...ctx, db: tx },
    {
      action: "location.created",
      targetType: "location",
      targetId: row.id,
      details: { customerId: customer.id, meterPointIds: mpans },
    },
  );
  return row;
}

export async function createLocation(
  ctx: ServiceContext,
  userId: string,
  input: LocationInput,
): Promise<LocationView> {
  authorize(ctx, "users:write");
  return ctx.db.transaction(async (tx) => {
    const customer = await requireUser(tx, ctx.orgId, userId);
    return toLocationView(await insertLocation(tx, ctx, customer, input, []), partnerUserId(customer));
  });
}

/** Creates several users' locations at once: all or none. */
export async function createLocations(
  ctx: ServiceContext,
  inputs: readonly (LocationInput & { userId: string })[],
): Promise<LocationView[]> {
  authorize(ctx, "users:write");
  return ctx.db.transaction(async (tx) => {
    const views: LocationView[] = [];
    for (const [index, input] of inputs.entries()) {
      const customer = await findCustomer(tx, ctx.orgId, input.userId);
      if (!customer)
        throw invalid("A location names a user that does not exist.", [
          {
            path: ["locations", index, "userId"],
            message: `No user ${input.userId}; register it first (POST /users).`,
            type: "not_found",
          },
        ]);
      views.push(
        toLocationView(
          await insertLocation(tx, ctx, customer, input, ["locations", index]),
          partnerUserId(customer),
        ),
      );
    }
    return views;
  });
}

async function requireLocation(
  db: DbOrTx,
  orgId: string,
  customer: CustomerRow,
  locationId: string,
): Promise<LocationRow> {
  const [row] = await db
    .select()
    .from(locations)
    .where(
      and(
        eq(locations.organisationId, orgId),
        eq(locations.customerId, customer.id),
        eq(locations.externalId, locationId),
      ),
    )
    .limit(1);
  if (!row) throw notFound("Location");
  return row;
}

export async function listLocations(ctx: ServiceContext, userId: string): Promise<LocationView[]> {
  authorize(ctx, "users:read");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const rows = await ctx.db
    .select()
    .from(locations)
    .where(and(eq(locations.organisationId, ctx.orgId), eq(locations.customerId, customer.id)))
    .orderBy(asc(locations.createdAt), asc(locations.id));
  return rows.map((row) => toLocationView(row, partnerUserId(customer)));
}

export async function getLocation(
  ctx: ServiceContext,
  userId: string,
  locationId: string,
): Promise<LocationView> {
  authorize(ctx, "users:read");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  return toLocationView(
    await requireLocation(ctx.db, ctx.orgId, customer, locationId),
    partnerUserId(customer),
  );
}

/** PUT replaces every field; PATCH (`partial`) changes only the fields sent. */
export async function updateLocation(
  ctx: ServiceContext,
  userId: string,
  locationId: string,
  input: Omit<LocationInput, "locationId">,
  partial: boolean,
): Promise<LocationView> {
  authorize(ctx, "users:write");
  return ctx.db.transaction(async (tx) => {
    const customer = await requireUser(tx, ctx.orgId, userId);
    const row = await requireLocation(tx, ctx.orgId, customer, locationId);
    const keep = <T>(sent: T | undefined, current: T): T | null =>
      sent !== undefined ? sent : partial ? current : null;
    const mpans =
      input.meterPointIds === undefined && partial
        ? row.meterPointIds
        : meterPointsFrom(input.meterPointIds, ["meterPointIds"]);
    const [updated] = await tx
      .update(locations)
      .set({
        locationType: keep(input.locationType, row.locationType),
        latitude: keep(input.coordinates?.latitude, row.latitude),
        longitude: keep(input.coordinates?.longitude, row.longitude),
        meterPointIds: mpans,
        updatedAt: sql`now()`,
      })
      .where(eq(locations.id, row.id))
      .returning();
    if (!updated) throw notFound("Location");
    await claimSites(tx, ctx.orgId, customer.id, mpans);
    await recordAuditEvent(
      { ...ctx, db: tx },
      {
        action: "location.updated",
        targetType: "location",
        targetId: row.id,
        details: { meterPointIds: mpans },
      },
    );
    return toLocationView(updated, partnerUserId(customer));
  });
}

/** Removes the location and the resources bound to it; its sites stay (they are offboarded only with the user). */
export async function deleteLocation(ctx: ServiceContext, userId: string, locationId: string): Promise<void> {
  authorize(ctx, "users:write");
  await ctx.db.transaction(async (tx) => {
    const customer = await requireUser(tx, ctx.orgId, userId);
    const row = await requireLocation(tx, ctx.orgId, customer, locationId);
    await tx.delete(locations).where(eq(locations.id, row.id));
    await recordAuditEvent(
      { ...ctx, db: tx },
      { action: "location.deleted", targetType: "location", targetId: row.id, details: { locationId } },
    );
  });
}

/** Our locations by the partner's ids, for events and reports. */
export async function locationsByExternalId(
  db: DbOrTx,
  orgId: string,
  externalIds: readonly string[],
): Promise<Map<string, LocationRow>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(locations)
    .where(
      and(eq(locations.organisationId, orgId), inArray(locations.externalId, [...new Set(externalIds)])),
    );
  return new Map(rows.map((row) => [row.externalId, row]));
}

// ---- Resources ----

export interface ResourceView {
  resourceId: string;
  resourceType: string;
  userId: string;
  locationId: string | null;
  meterPointId: string | null;
}

// Resource types the older user routes accepted, in the published list's words.
const PUBLISHED_RESOURCE_TYPE: Record<string, string> = {
  Vehicle: "Vehicle",
  Charger: "Charger",
  HotWaterTank: "HotWaterTank",
  HVAC: "HVAC",
  HeatPump: "HVAC",
  SolarInverter: "SolarInverter",
  SolarPanel: "SolarInverter",
};
const publishedResourceType = (type: string) => PUBLISHED_RESOURCE_TYPE[type] ?? "Generic";

async function resourceViews(
  db: DbOrTx,
  orgId: string,
  where: ReturnType<typeof and>,
): Promise<ResourceView[]> {
  const rows = await db
    .select({
      resource: resources,
      customer: { id: customers.id, externalUserId: customers.externalUserId },
      locationExternalId: locations.externalId,
    })
    .from(resources)
    .innerJoin(customers, eq(customers.id, resources.customerId))
    .leftJoin(locations, eq(locations.id, resources.locationId))
    .where(and(eq(resources.organisationId, orgId), where))
    .orderBy(asc(resources.createdAt), asc(resources.id));
  return rows.map(({ resource, customer, locationExternalId }) => ({
    resourceId: resource.externalId,
    resourceType: publishedResourceType(resource.resourceType),
    userId: partnerUserId(customer),
    locationId: locationExternalId,
    meterPointId: resource.meterPointId,
  }));
}

async function upsertResource(
  ctx: ServiceContext,
  customer: CustomerRow,
  input: { resourceId: string; resourceType: string; location?: LocationRow; meterPointId?: string | null },
): Promise<ResourceRow> {
  return ctx.db.transaction(async (tx) => {
    const values = {
      resourceType: input.resourceType,
      locationId: input.location?.id ?? null,
      meterPointId: input.meterPointId ?? input.location?.meterPointIds[0] ?? null,
    };
    const [row] = await tx
      .insert(resources)
      .values({
        organisationId: ctx.orgId,
        customerId: customer.id,
        externalId: input.resourceId,
        metadata: {},
        ...values,
      })
      .onConflictDoUpdate({
        target: [resources.organisationId, resources.customerId, resources.externalId],
        set: { ...values, updatedAt: sql`now()` },
      })
      .returning();
    if (!row) throw new Error("Resource upsert returned nothing");
    await recordAuditEvent(
      { ...ctx, db: tx },
      {
        action: "resource.registered",
        targetType: "resource",
        targetId: row.id,
        details: { customerId: customer.id, resourceId: input.resourceId, resourceType: input.resourceType },
      },
    );
    return row;
  });
}

export async function registerVehicle(
  ctx: ServiceContext,
  userId: string,
  input: { resourceId: string; resourceType: string },
): Promise<ResourceView> {
  authorize(ctx, "users:write");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  await upsertResource(ctx, customer, input);
  return {
    resourceId: input.resourceId,
    resourceType: input.resourceType,
    userId: partnerUserId(customer),
    locationId: null,
    meterPointId: null,
  };
}

export async function registerLocationResource(
  ctx: ServiceContext,
  userId: string,
  locationId: string,
  input: { resourceId: string; resourceType: string; meterPointId?: string | null | undefined },
): Promise<ResourceView & { locationId: string }> {
  authorize(ctx, "users:write");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const location = await requireLocation(ctx.db, ctx.orgId, customer, locationId);
  let meterPointId: string | null = null;
  if (input.meterPointId) {
    [meterPointId = null] = meterPointsFrom([input.meterPointId], ["meterPointId"]);
    if (meterPointId !== null && !location.meterPointIds.includes(meterPointId)) {
      throw invalid("The meter point is not one of the location's.", [
        {
          path: ["meterPointId"],
          message: `Use one of the location's meter point ids (${location.meterPointIds.join(", ") || "none yet"}).`,
          type: "value_error",
        },
      ]);
    }
  }
  const row = await upsertResource(ctx, customer, {
    resourceId: input.resourceId,
    resourceType: input.resourceType,
    location,
    meterPointId,
  });
  return {
    resourceId: row.externalId,
    resourceType: input.resourceType,
    userId: partnerUserId(customer),
    locationId: location.externalId,
    meterPointId: row.meterPointId,
  };
}

export async function listLocationResources(
  ctx: ServiceContext,
  userId: string,
  locationId: string,
): Promise<(ResourceView & { locationId: string })[]> {
  authorize(ctx, "users:read");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const location = await requireLocation(ctx.db, ctx.orgId, customer, locationId);
  const views = await resourceViews(ctx.db, ctx.orgId, and(eq(resources.locationId, location.id)));
  return views.map((view) => ({ ...view, locationId: location.externalId }));
}

/** Every resource of the user, the vehicles registered through the older vehicle route included. */
export async function listUserResources(ctx: ServiceContext, userId: string): Promise<ResourceView[]> {
  authorize(ctx, "users:read");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const views = await resourceViews(ctx.db, ctx.orgId, and(eq(resources.customerId, customer.id)));
  const cars = await ctx.db
    .select({ externalId: vehicles.externalId })
    .from(vehicles)
    .where(and(eq(vehicles.organisationId, ctx.orgId), eq(vehicles.customerId, customer.id)))
    .orderBy(asc(vehicles.createdAt));
  const known = new Set(views.map((view) => view.resourceId));
  for (const car of cars) {
    if (!known.has(car.externalId))
      views.push({
        resourceId: car.externalId,
        resourceType: "Vehicle",
        userId: partnerUserId(customer),
        locationId: null,
        meterPointId: null,
      });
  }
  return views;
}

export async function getResource(ctx: ServiceContext, resourceId: string): Promise<ResourceView> {
  authorize(ctx, "users:read");
  const [view] = await resourceViews(ctx.db, ctx.orgId, and(eq(resources.externalId, resourceId)));
  if (!view) throw notFound("Resource");
  return view;
}

export async function deleteResource(ctx: ServiceContext, resourceId: string): Promise<void> {
  authorize(ctx, "users:write");
  await ctx.db.transaction(async (tx) => {
    const removed = await tx
      .delete(resources)
      .where(and(eq(resources.organisationId, ctx.orgId), eq(resources.externalId, resourceId)))
      .returning({ id: resources.id });
    if (removed.length === 0) throw notFound("Resource");
    await recordAuditEvent(
      { ...ctx, db: tx },
      {
        action: "resource.deleted",
        targetType: "resource",
        targetId: removed[0]?.id ?? resourceId,
        details: { resourceId },
      },
    );
  });
}

/** Assets by the partner's ids: a resource whose id is an asset's external id is that asset. */
export async function assetsByExternalId(db: DbOrTx, orgId: string, externalIds: readonly string[]) {
  if (externalIds.length === 0) return new Map<string, typeof assets.$inferSelect>();
  const rows = await db
    .select()
    .from(assets)
    .where(and(eq(assets.organisationId, orgId), inArray(assets.externalId, [...new Set(externalIds)])));
  return new Map(rows.map((row) => [row.externalId, row]));
}
