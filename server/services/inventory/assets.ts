// Assets at sites: list, get (by id or the partner's external id), create, change,
// delete. Properties are checked against the asset's type; each write re-evaluates
// the site's eligibility and is audit-logged in the same transaction.
import { randomBytes } from "node:crypto";
import { and, count, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { assets, sites, type AssetRow } from "@/db/schema";
import { validateAssetProperties, type AssetType } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { conflict, invalid, notFound, ServiceError } from "../errors";
import { refreshSiteEligibility } from "./eligibility";
import { hidesOffboarded, isUuid, pgErrorCode, sameJson, toAssetRecord, type AssetRecord } from "./records";

export interface AssetFields {
  properties?: Record<string, unknown> | undefined;
  assetModel?: string | undefined;
  /** YYYY-MM-DD */
  installationDate?: string | undefined;
  serialNumber?: string | undefined;
  oem?: string | undefined;
  oemDeviceId?: string | undefined;
}

export interface CreateAssetInput extends AssetFields {
  siteId: string;
  externalId: string;
  type: AssetType;
}

export interface UpdateAssetInput extends AssetFields {
  assetId: string;
}

/** Checks properties for a type; unknown keys are dropped and returned for warnings. */
export function checkAssetProperties(type: AssetType, properties: unknown, path: (string | number)[] = ["properties"]): { properties: Record<string, unknown>; ignoredKeys: string[] } {
  const result = validateAssetProperties(type, properties);
  if (!result.ok) {
    throw invalid(
      "The asset's properties are not valid for its type.",
      result.issues.map((issue) => ({ path: [...path, ...issue.path], message: issue.message })),
    );
  }
  return { properties: result.properties as Record<string, unknown>, ignoredKeys: result.ignoredKeys };
}

/** For partners: only assets whose site is still active. */
function visibleToActor(ctx: ServiceContext) {
  return hidesOffboarded(ctx) ? sql`exists (select 1 from ${sites} where ${sites.id} = ${assets.siteId} and ${sites.status} = 'active')` : undefined;
}

export async function listAssets(ctx: ServiceContext, input: { limit: number; offset: number; siteId?: string }): Promise<{ items: AssetRecord[]; total: number }> {
  authorize(ctx, "sites:read");
  if (input.siteId !== undefined && !isUuid(input.siteId)) return { items: [], total: 0 };
  const where = and(eq(assets.organisationId, ctx.orgId), input.siteId !== undefined ? eq(assets.siteId, input.siteId) : undefined, visibleToActor(ctx));
  const [rows, totals] = await Promise.all([
    ctx.db.select().from(assets).where(where).orderBy(desc(assets.createdAt), desc(assets.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ total: count() }).from(assets).where(where),
  ]);
  return { items: rows.map(toAssetRecord), total: totals[0]?.total ?? 0 };
}

async function findAssetRow(db: DbOrTx, orgId: string, assetId: string, forUpdate = false): Promise<AssetRow> {
  if (!isUuid(assetId)) throw notFound("Asset");
  const query = db.select().from(assets).where(and(eq(assets.organisationId, orgId), eq(assets.id, assetId))).limit(1);
  const [row] = forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("Asset");
  return row;
}

/** `includeOffboarded`: the caller is the offboarding itself, answering with what it just offboarded. */
export async function getAsset(ctx: ServiceContext, input: { assetId: string; includeOffboarded?: boolean }): Promise<AssetRecord> {
  authorize(ctx, "sites:read");
  if (!isUuid(input.assetId)) throw notFound("Asset");
  const [row] = await ctx.db
    .select()
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.id, input.assetId), input.includeOffboarded === true ? undefined : visibleToActor(ctx)))
    .limit(1);
  if (!row) throw notFound("Asset");
  return toAssetRecord(row);
}

export async function getAssetByExternalId(ctx: ServiceContext, input: { externalId: string }): Promise<AssetRecord> {
  authorize(ctx, "sites:read");
  const [row] = await ctx.db
    .select()
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.externalId, input.externalId), visibleToActor(ctx)))
    .limit(1);
  if (!row) throw notFound("Asset");
  return toAssetRecord(row);
}

export async function createAsset(ctx: ServiceContext, input: CreateAssetInput): Promise<AssetRecord> {
  authorize(ctx, "sites:write");
  if (!isUuid(input.siteId)) throw notFound("Site");
  const { properties } = checkAssetProperties(input.type, input.properties);
  try {
    return await ctx.db.transaction(async (tx) => {
      // Locks the site so a concurrent delete cannot leave an asset pointing nowhere.
      const [site] = await tx
        .select({ id: sites.id })
        .from(sites)
        .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, input.siteId)))
        .for("update")
        .limit(1);
      if (!site) throw notFound("Site");
      const [row] = await tx
        .insert(assets)
        .values({
          organisationId: ctx.orgId,
          siteId: site.id,
          externalId: input.externalId,
          type: input.type,
          properties,
          assetModel: input.assetModel ?? null,
          installationDate: input.installationDate ?? null,
          serialNumber: input.serialNumber ?? null,
          oem: input.oem?.toLowerCase() ?? null,
          oemDeviceId: input.oemDeviceId ?? null,
        })
        .onConflictDoNothing({ target: [assets.organisationId, assets.externalId] })
        .returning();
      if (!row) throw conflict(`An asset with external_id ${input.externalId} already exists.`);
      await refreshSiteEligibility(tx, ctx.orgId, site.id);
      await recordAuditEvent({ ...ctx, db: tx }, {
        action: "asset.created",
        targetType: "asset",
        targetId: row.id,
        details: { externalId: row.externalId, type: row.type, siteId: site.id },
      });
      return toAssetRecord(row);
    });
  } catch (error) {
    if (pgErrorCode(error) === "23503") throw notFound("Site");
    throw error;
  }
}

/** Fields of `input` that differ from `row`, as wire field names, with the values to store. */
export function assetChanges(row: AssetRow, input: AssetFields, properties: Record<string, unknown> | undefined) {
  const changes: Partial<typeof assets.$inferInsert> = {};
  const fields: string[] = [];
  if (properties !== undefined && !sameJson(properties, row.properties)) {
    changes.properties = properties;
    fields.push("properties");
  }
  const scalar = <K extends "assetModel" | "installationDate" | "serialNumber" | "oem" | "oemDeviceId">(field: string, key: K, value: string | undefined) => {
    if (value !== undefined && value !== row[key]) {
      changes[key] = value;
      fields.push(field);
    }
  };
  scalar("asset_model", "assetModel", input.assetModel);
  scalar("installation_date", "installationDate", input.installationDate);
  scalar("serial_number", "serialNumber", input.serialNumber);
  scalar("oem", "oem", input.oem?.toLowerCase());
  scalar("oem_device_id", "oemDeviceId", input.oemDeviceId);
  return { changes, fields };
}

export async function updateAsset(ctx: ServiceContext, input: UpdateAssetInput): Promise<AssetRecord> {
  authorize(ctx, "sites:write");
  return ctx.db.transaction(async (tx) => {
    const row = await findAssetRow(tx, ctx.orgId, input.assetId, true);
    const properties = input.properties === undefined ? undefined : checkAssetProperties(row.type, input.properties).properties;
    const { changes, fields } = assetChanges(row, input, properties);
    if (fields.length === 0) return toAssetRecord(row);
    const [updated] = await tx.update(assets).set({ ...changes, updatedAt: new Date() }).where(eq(assets.id, row.id)).returning();
    if (!updated) throw notFound("Asset");
    await refreshSiteEligibility(tx, ctx.orgId, row.siteId);
    await recordAuditEvent({ ...ctx, db: tx }, { action: "asset.updated", targetType: "asset", targetId: row.id, details: { externalId: row.externalId, fields } });
    return toAssetRecord(updated);
  });
}

export async function deleteAsset(ctx: ServiceContext, input: { assetId: string }): Promise<void> {
  authorize(ctx, "sites:write");
  await ctx.db.transaction(async (tx) => {
    const row = await findAssetRow(tx, ctx.orgId, input.assetId, true);
    await tx.delete(assets).where(eq(assets.id, row.id));
    await refreshSiteEligibility(tx, ctx.orgId, row.siteId);
    await recordAuditEvent({ ...ctx, db: tx }, { action: "asset.deleted", targetType: "asset", targetId: row.id, details: { externalId: row.externalId, type: row.type, siteId: row.siteId } });
  });
}

/** What an operator types on the site page to add an asset the partner has not sent. */
export interface AddAssetByHandInput {
  siteId: string;
  type: AssetType;
  /** The partner's id if there is one; otherwise one is made from the OEM and device id. */
  externalId?: string | undefined;
  assetModel?: string | undefined;
  oem?: string | undefined;
  oemDeviceId?: string | undefined;
  powerKw?: number | undefined;
  capacityKwh?: number | undefined;
}

/** "foxess-60bh3000" for a device, "battery-7f3a9c01" without one: readable, and unique in practice. */
export function manualExternalId(input: Pick<AddAssetByHandInput, "type" | "oem" | "oemDeviceId">, random: () => string = () => randomBytes(4).toString("hex")): string {
  const device = input.oemDeviceId?.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return device ? `${input.oem?.toLowerCase() ?? input.type}-${device}` : `${input.type}-${random()}`;
}

/** The site page's "Add asset": the same create as the partner API, with the rated power and capacity as properties. */
export async function addAssetByHand(ctx: ServiceContext, input: AddAssetByHandInput): Promise<AssetRecord> {
  authorize(ctx, "sites:write");
  const properties: Record<string, unknown> = {};
  if (input.powerKw !== undefined) properties.power_kw = input.powerKw;
  if (input.capacityKwh !== undefined) properties.capacity_kwh = input.capacityKwh;
  const externalId = input.externalId?.trim() || manualExternalId(input);
  try {
    return await createAsset(ctx, {
      siteId: input.siteId,
      externalId,
      type: input.type,
      properties,
      assetModel: input.assetModel,
      oem: input.oem,
      oemDeviceId: input.oemDeviceId,
    });
  } catch (error) {
    // The partner-facing message names external_id; here the person typed (or we derived) it from the device.
    if (error instanceof ServiceError && error.code === "CONFLICT") {
      throw new ServiceError("CONFLICT", `An asset with the id ${externalId} is already registered. Check the device id, or give the asset an id of its own.`, [
        { path: ["externalId"], message: "Already used by another asset." },
      ]);
    }
    throw error;
  }
}
