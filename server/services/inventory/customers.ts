// Customers (the partner's end users) and what they own in the energy-coordination
// dialect: vehicles, meters and other resources. Vehicles and resources carry the
// partner's own ids and are upserted on them; users and meters get our ids.
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { customers, meters, resources, sites, vehicles, type CustomerRow } from "@/db/schema";
import { normaliseMpan } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "./records";
import { getSite } from "./sites";

export interface CreateCustomerInput {
  externalUserId?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
}

export interface VehicleInput {
  vehicleId: string;
  brand: string;
  model: string;
  year?: number | undefined;
  vin?: string | undefined;
}

export interface MeterInput {
  meterPointId: string;
  meterNumber?: string | undefined;
  street: string;
  city?: string | undefined;
  zipCode?: string | undefined;
  latitude?: number | undefined;
  longitude?: number | undefined;
  locationType?: string | undefined;
}

export interface ResourceInput {
  resourceId: string;
  resourceType: string;
  metadata: Record<string, unknown>;
}

export type CustomerRecord = Omit<CustomerRow, "organisationId">;

/** Registers a customer; with an externalUserId, registering again returns (and completes) the same one. */
export async function createCustomer(ctx: ServiceContext, input: CreateCustomerInput): Promise<{ customerId: string; created: boolean }> {
  authorize(ctx, "users:write");
  return ctx.db.transaction(async (tx) => {
    const values = { organisationId: ctx.orgId, externalUserId: input.externalUserId ?? null, name: input.name ?? null, email: input.email ?? null };
    const [row] =
      input.externalUserId === undefined
        ? await tx.insert(customers).values(values).returning({ id: customers.id, created: sql<boolean>`true` })
        : await tx
            .insert(customers)
            .values(values)
            .onConflictDoUpdate({
              target: [customers.organisationId, customers.externalUserId],
              targetWhere: sql`${customers.externalUserId} is not null`,
              set: {
                name: sql`coalesce(excluded.name, ${customers.name})`,
                email: sql`coalesce(excluded.email, ${customers.email})`,
                updatedAt: sql`now()`,
              },
            })
            // xmax is zero only for a freshly inserted row.
            .returning({ id: customers.id, created: sql<boolean>`(xmax = 0)` });
    if (!row) throw new Error("Customer upsert returned nothing");
    await recordAuditEvent({ ...ctx, db: tx }, {
      action: row.created ? "customer.created" : "customer.updated",
      targetType: "customer",
      targetId: row.id,
      details: { externalUserId: input.externalUserId ?? null },
    });
    return { customerId: row.id, created: row.created };
  });
}

/**
 * Finds a user by the partner's id (the energy-coordination dialect's userId) or, for users
 * registered without one, by ours.
 */
export async function findCustomer(db: DbOrTx, orgId: string, userId: string): Promise<CustomerRow | undefined> {
  const byOurId = isUuid(userId) ? and(eq(customers.id, userId), isNull(customers.externalUserId)) : undefined;
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.organisationId, orgId), byOurId ? or(eq(customers.externalUserId, userId), byOurId) : eq(customers.externalUserId, userId)))
    .orderBy(sql`${customers.externalUserId} is null`)
    .limit(1);
  return row;
}

async function requireCustomer(db: DbOrTx, orgId: string, customerId: string): Promise<CustomerRow> {
  const row = await findCustomer(db, orgId, customerId);
  if (!row) throw notFound("User");
  return row;
}

export async function getCustomer(ctx: ServiceContext, input: { customerId: string }): Promise<CustomerRecord> {
  authorize(ctx, "users:read");
  const { organisationId: _organisationId, ...record } = await requireCustomer(ctx.db, ctx.orgId, input.customerId);
  return record;
}

export async function addVehicle(ctx: ServiceContext, customerId: string, input: VehicleInput): Promise<{ vehicleId: string }> {
  authorize(ctx, "users:write");
  return ctx.db.transaction(async (tx) => {
    const customer = await requireCustomer(tx, ctx.orgId, customerId);
    const values = { brand: input.brand, model: input.model, year: input.year ?? null, vin: input.vin ?? null };
    const [row] = await tx
      .insert(vehicles)
      .values({ organisationId: ctx.orgId, customerId: customer.id, externalId: input.vehicleId, ...values })
      .onConflictDoUpdate({ target: [vehicles.organisationId, vehicles.customerId, vehicles.externalId], set: { ...values, updatedAt: sql`now()` } })
      .returning({ id: vehicles.id });
    await recordAuditEvent({ ...ctx, db: tx }, { action: "vehicle.registered", targetType: "vehicle", targetId: row?.id ?? input.vehicleId, details: { customerId: customer.id, vehicleId: input.vehicleId } });
    return { vehicleId: input.vehicleId };
  });
}

export async function listVehicles(ctx: ServiceContext, customerId: string) {
  authorize(ctx, "users:read");
  const customer = await requireCustomer(ctx.db, ctx.orgId, customerId);
  return ctx.db
    .select()
    .from(vehicles)
    .where(and(eq(vehicles.organisationId, ctx.orgId), eq(vehicles.customerId, customer.id)))
    .orderBy(asc(vehicles.createdAt), asc(vehicles.id));
}

export async function addMeter(ctx: ServiceContext, customerId: string, input: MeterInput): Promise<{ meterId: string }> {
  authorize(ctx, "users:write");
  return ctx.db.transaction(async (tx) => {
    const customer = await requireCustomer(tx, ctx.orgId, customerId);
    // A UK meter point id is an MPAN: link the meter to the site already registered for it.
    const mpan = normaliseMpan(input.meterPointId);
    const [site] = mpan.ok
      ? await tx.select({ id: sites.id }).from(sites).where(and(eq(sites.organisationId, ctx.orgId), eq(sites.mpan, mpan.mpan))).limit(1)
      : [];
    const [row] = await tx
      .insert(meters)
      .values({
        organisationId: ctx.orgId,
        customerId: customer.id,
        siteId: site?.id ?? null,
        meterPointId: input.meterPointId,
        meterNumber: input.meterNumber ?? null,
        street: input.street,
        city: input.city ?? null,
        zipCode: input.zipCode ?? null,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        locationType: input.locationType ?? null,
      })
      .returning({ id: meters.id });
    if (!row) throw new Error("Meter insert returned nothing");
    await recordAuditEvent({ ...ctx, db: tx }, { action: "meter.registered", targetType: "meter", targetId: row.id, details: { customerId: customer.id, meterPointId: input.meterPointId } });
    return { meterId: row.id };
  });
}

export async function listMeters(ctx: ServiceContext, customerId: string) {
  authorize(ctx, "users:read");
  const customer = await requireCustomer(ctx.db, ctx.orgId, customerId);
  return ctx.db
    .select()
    .from(meters)
    .where(and(eq(meters.organisationId, ctx.orgId), eq(meters.customerId, customer.id)))
    .orderBy(asc(meters.createdAt), asc(meters.id));
}

/** A site's meters on its page: its household's meters at this site, or not tied to any site yet. */
export async function listSiteMeters(ctx: ServiceContext, input: { siteId: string }) {
  authorize(ctx, "users:read");
  const site = await getSite(ctx, input);
  if (site.customerId === null) return [];
  return ctx.db
    .select()
    .from(meters)
    .where(and(eq(meters.organisationId, ctx.orgId), eq(meters.customerId, site.customerId), or(isNull(meters.siteId), eq(meters.siteId, site.id))))
    .orderBy(asc(meters.createdAt), asc(meters.id));
}

export async function addResource(ctx: ServiceContext, customerId: string, input: ResourceInput): Promise<{ resourceId: string }> {
  authorize(ctx, "users:write");
  return ctx.db.transaction(async (tx) => {
    const customer = await requireCustomer(tx, ctx.orgId, customerId);
    const [row] = await tx
      .insert(resources)
      .values({ organisationId: ctx.orgId, customerId: customer.id, externalId: input.resourceId, resourceType: input.resourceType, metadata: input.metadata })
      .onConflictDoUpdate({
        target: [resources.organisationId, resources.customerId, resources.externalId],
        set: { resourceType: input.resourceType, metadata: input.metadata, updatedAt: sql`now()` },
      })
      .returning({ id: resources.id });
    await recordAuditEvent({ ...ctx, db: tx }, { action: "resource.registered", targetType: "resource", targetId: row?.id ?? input.resourceId, details: { customerId: customer.id, resourceId: input.resourceId, resourceType: input.resourceType } });
    return { resourceId: input.resourceId };
  });
}

export async function listResources(ctx: ServiceContext, customerId: string) {
  authorize(ctx, "users:read");
  const customer = await requireCustomer(ctx.db, ctx.orgId, customerId);
  return ctx.db
    .select()
    .from(resources)
    .where(and(eq(resources.organisationId, ctx.orgId), eq(resources.customerId, customer.id)))
    .orderBy(asc(resources.createdAt), asc(resources.id));
}
