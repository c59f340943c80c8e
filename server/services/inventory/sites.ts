// Sites: list and search (server-paginated, indexed for 100,000 sites), get, create,
// change, delete. Every write re-evaluates eligibility and is audit-logged in the
// same transaction.
import { emailFor } from "../personal-data";
import { and, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { assets, sites, type SiteRow, type SiteTariff } from "@/db/schema";
import { ASSET_TYPES, PROPOSITIONS } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { conflict, notFound, precondition } from "../errors";
import { refreshSiteEligibility } from "./eligibility";
import { hidesOffboarded, isUuid, likeContains, pgErrorCode, requireMpan, requirePostcode, sameDate, sameJson, toSiteRecord, type SiteRecord } from "./records";

const timeZoneSchema = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "Unknown IANA time zone");

export const siteTariffSchema = z.object({
  tariffType: z.string().min(1).max(50),
  cheapStartTime: z.string().max(8).optional(),
  cheapEndTime: z.string().max(8).optional(),
});

export const createSiteSchema = z.object({
  mpan: z.string().min(1).max(40),
  postcode: z.string().min(1).max(20),
  streetAddress: z.string().trim().min(1).max(500).optional(),
  email: z.email().max(320).optional(),
  gaveBoundaryMeterConsentAt: z.coerce.date().optional(),
  isHalfHourlySettled: z.boolean().optional(),
  timeZone: timeZoneSchema.optional(),
});
export type CreateSiteInput = z.input<typeof createSiteSchema>;

export const updateSiteSchema = z.object({
  siteId: z.guid(),
  mpan: z.string().min(1).max(40).optional(),
  postcode: z.string().min(1).max(20).optional(),
  streetAddress: z.string().trim().min(1).max(500).optional(),
  email: z.email().max(320).optional(),
  gaveBoundaryMeterConsentAt: z.coerce.date().optional(),
  isHalfHourlySettled: z.boolean().optional(),
  timeZone: timeZoneSchema.optional(),
  tariff: siteTariffSchema.optional(),
});
export type UpdateSiteInput = z.input<typeof updateSiteSchema>;

export const listSitesSchema = z.object({
  limit: z.number().int().min(1).max(5000).default(50),
  offset: z.number().int().min(0).default(0),
  /** Contains-search over MPAN, postcode, address, email and asset external ids. */
  search: z.string().trim().max(200).optional(),
  mpan: z.string().max(40).optional(),
  postcode: z.string().max(20).optional(),
  assetType: z.enum(ASSET_TYPES).optional(),
  /** A proposition the site is eligible for, `any` (at least one) or `none`. */
  eligibility: z.enum([...PROPOSITIONS, "any", "none"]).optional(),
  status: z.enum(["active", "offboarded"]).optional(),
});
export type ListSitesInput = z.input<typeof listSitesSchema>;

export interface SitePage {
  items: SiteRecord[];
  total: number;
}

/** Turns what a person types into the form the search haystack holds. */
export function normaliseSearch(raw: string): string {
  const trimmed = raw.trim().toLowerCase();
  // MPANs are copied off bills in groups of digits: search without the spaces.
  return /^[\d\s]+$/.test(trimmed) ? trimmed.replace(/\s+/g, "") : trimmed.replace(/\s+/g, " ");
}

async function assetsOfSites(db: DbOrTx, orgId: string, siteIds: string[]) {
  if (siteIds.length === 0) return new Map<string, { id: string; externalId: string; type: (typeof ASSET_TYPES)[number] }[]>();
  const rows = await db
    .select({ id: assets.id, siteId: assets.siteId, externalId: assets.externalId, type: assets.type })
    .from(assets)
    .where(and(eq(assets.organisationId, orgId), inArray(assets.siteId, siteIds)))
    .orderBy(assets.createdAt, assets.id);
  const bySite = new Map<string, { id: string; externalId: string; type: (typeof ASSET_TYPES)[number] }[]>();
  for (const row of rows) {
    const list = bySite.get(row.siteId) ?? [];
    list.push({ id: row.id, externalId: row.externalId, type: row.type });
    bySite.set(row.siteId, list);
  }
  return bySite;
}

export async function listSites(ctx: ServiceContext, rawInput: ListSitesInput): Promise<SitePage> {
  authorize(ctx, "sites:read");
  const input = listSitesSchema.parse(rawInput);
  const filters: SQL[] = [eq(sites.organisationId, ctx.orgId)];
  if (input.mpan !== undefined) filters.push(eq(sites.mpan, input.mpan.replace(/\s+/g, "")));
  if (input.postcode !== undefined) filters.push(eq(sites.postcode, requirePostcode(input.postcode)));
  if (input.status !== undefined) filters.push(eq(sites.status, input.status));
  if (hidesOffboarded(ctx)) filters.push(eq(sites.status, "active"));
  if (input.assetType !== undefined) {
    filters.push(
      sql`exists (select 1 from ${assets} where ${assets.organisationId} = ${ctx.orgId} and ${assets.type} = ${input.assetType} and ${assets.siteId} = ${sites.id})`,
    );
  }
  if (input.eligibility === "any") filters.push(sql`${sites.eligiblePropositions} <> '{}'::text[]`);
  else if (input.eligibility === "none") filters.push(sql`${sites.eligiblePropositions} = '{}'::text[]`);
  else if (input.eligibility !== undefined) filters.push(sql`${sites.eligiblePropositions} @> array[${input.eligibility}]::text[]`);
  const search = input.search === undefined ? "" : normaliseSearch(input.search);
  if (search !== "") {
    const pattern = likeContains(search);
    // A UNION of two trigram-indexed lookups rather than an OR across tables, so each
    // side uses its own GIN index instead of scanning every site.
    filters.push(
      sql`${sites.id} in (select s.id from ${sites} s where s.organisation_id = ${ctx.orgId} and s.search_text like ${pattern}
        union select a.site_id from ${assets} a where a.organisation_id = ${ctx.orgId} and lower(a.external_id) like ${pattern})`,
    );
  }
  const where = and(...filters);
  const [rows, totals] = await Promise.all([
    ctx.db.select().from(sites).where(where).orderBy(desc(sites.createdAt), desc(sites.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ total: count() }).from(sites).where(where),
  ]);
  const bySite = await assetsOfSites(ctx.db, ctx.orgId, rows.map((row) => row.id));
  return { items: rows.map((row) => siteRecordFor(ctx, row, bySite.get(row.id) ?? [])), total: totals[0]?.total ?? 0 };
}

async function findSiteRow(db: DbOrTx, orgId: string, siteId: string, forUpdate = false): Promise<SiteRow> {
  if (!isUuid(siteId)) throw notFound("Site");
  const query = db.select().from(sites).where(and(eq(sites.organisationId, orgId), eq(sites.id, siteId))).limit(1);
  const [row] = forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("Site");
  return row;
}

/** `includeOffboarded`: the caller is the offboarding itself, answering with what it just offboarded. */
export async function getSite(ctx: ServiceContext, input: { siteId: string; includeOffboarded?: boolean }): Promise<SiteRecord> {
  authorize(ctx, "sites:read");
  const row = await findSiteRow(ctx.db, ctx.orgId, input.siteId);
  if (row.status === "offboarded" && hidesOffboarded(ctx) && input.includeOffboarded !== true) throw notFound("Site");
  const bySite = await assetsOfSites(ctx.db, ctx.orgId, [row.id]);
  return siteRecordFor(ctx, row, bySite.get(row.id) ?? []);
}

/** A site as the caller may see it: the householder's email masked for viewers. */
function siteRecordFor(ctx: ServiceContext, row: SiteRow, siteAssets: Parameters<typeof toSiteRecord>[1]): SiteRecord {
  const record = toSiteRecord(row, siteAssets);
  return { ...record, email: emailFor(ctx, record.email) };
}

/** "10  Downing street" and "10 Downing Street" are one address. */
const addressKey = (streetAddress: string) => streetAddress.trim().toLowerCase().replace(/[\s,]+/g, " ");

/**
 * The active site at this postcode and street address, if any. A transaction-scoped advisory
 * lock per (organisation, postcode) serialises concurrent creates at one postcode, so two
 * requests cannot both see the address free.
 */
async function activeSiteAtAddress(db: DbOrTx, orgId: string, postcode: string, streetAddress: string): Promise<string | null> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`site-address:${orgId}:${postcode}`}, 0))`);
  const [row] = await db
    .select({ id: sites.id })
    .from(sites)
    .where(
      and(
        eq(sites.organisationId, orgId),
        eq(sites.postcode, postcode),
        eq(sites.status, "active"),
        sql`regexp_replace(lower(trim(${sites.streetAddress})), '[[:space:],]+', ' ', 'g') = ${addressKey(streetAddress)}`,
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

export async function createSite(ctx: ServiceContext, rawInput: CreateSiteInput): Promise<SiteRecord> {
  authorize(ctx, "sites:write");
  const input = createSiteSchema.parse(rawInput);
  const mpan = requireMpan(input.mpan);
  const postcode = requirePostcode(input.postcode);
  return ctx.db.transaction(async (tx) => {
    if (input.streetAddress !== undefined) {
      const existingId = await activeSiteAtAddress(tx, ctx.orgId, postcode, input.streetAddress);
      if (existingId !== null) throw conflict(`A site already exists at this address: ${existingId}.`);
    }
    const [created] = await tx
      .insert(sites)
      .values({
        organisationId: ctx.orgId,
        mpan: mpan.mpan,
        mpanCheckDigitValid: mpan.checkDigitValid,
        postcode,
        streetAddress: input.streetAddress ?? null,
        email: input.email ?? null,
        gaveBoundaryMeterConsentAt: input.gaveBoundaryMeterConsentAt ?? null,
        isHalfHourlySettled: input.isHalfHourlySettled ?? null,
        ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
      })
      .onConflictDoNothing({ target: [sites.organisationId, sites.mpan] })
      .returning({ id: sites.id });
    if (!created) {
      const [existing] = await tx
        .select({ id: sites.id })
        .from(sites)
        .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.mpan, mpan.mpan)))
        .limit(1);
      throw conflict(`A site with this MPAN already exists: ${existing?.id ?? "unknown"}.`);
    }
    const { site } = await refreshSiteEligibility(tx, ctx.orgId, created.id);
    await recordAuditEvent({ ...ctx, db: tx }, { action: "site.created", targetType: "site", targetId: site.id, details: { mpan: site.mpan, postcode } });
    const [fresh] = await tx.select().from(sites).where(eq(sites.id, site.id)).limit(1);
    return toSiteRecord(fresh ?? site, []);
  });
}

export async function updateSite(ctx: ServiceContext, rawInput: UpdateSiteInput): Promise<SiteRecord> {
  authorize(ctx, "sites:write");
  const input = updateSiteSchema.parse(rawInput);
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await findSiteRow(tx, ctx.orgId, input.siteId, true);
      const changes: Partial<typeof sites.$inferInsert> = {};
      const changed: string[] = [];
      const change = <K extends keyof typeof sites.$inferInsert>(field: string, key: K, value: (typeof sites.$inferInsert)[K]) => {
        changes[key] = value;
        changed.push(field);
      };
      if (input.mpan !== undefined) {
        const mpan = requireMpan(input.mpan);
        if (mpan.mpan !== row.mpan) {
          changes.mpan = mpan.mpan;
          changes.mpanCheckDigitValid = mpan.checkDigitValid;
          changed.push("mpan");
        }
      }
      if (input.postcode !== undefined) {
        const postcode = requirePostcode(input.postcode);
        if (postcode !== row.postcode) change("postcode", "postcode", postcode);
      }
      if (input.streetAddress !== undefined && input.streetAddress !== row.streetAddress) change("street_address", "streetAddress", input.streetAddress);
      if (input.email !== undefined && input.email !== row.email) change("email", "email", input.email);
      if (input.gaveBoundaryMeterConsentAt !== undefined && !sameDate(input.gaveBoundaryMeterConsentAt, row.gaveBoundaryMeterConsentAt)) {
        changes.gaveBoundaryMeterConsentAt = input.gaveBoundaryMeterConsentAt;
        changed.push("gave_boundary_meter_consent_at");
      }
      if (input.isHalfHourlySettled !== undefined && input.isHalfHourlySettled !== row.isHalfHourlySettled) {
        changes.isHalfHourlySettled = input.isHalfHourlySettled;
        changed.push("is_half_hourly_settled");
      }
      if (input.timeZone !== undefined && input.timeZone !== row.timeZone) change("time_zone", "timeZone", input.timeZone);
      if (input.tariff !== undefined) {
        const tariff: SiteTariff = { tariffType: input.tariff.tariffType, ...(input.tariff.cheapStartTime !== undefined ? { cheapStartTime: input.tariff.cheapStartTime } : {}), ...(input.tariff.cheapEndTime !== undefined ? { cheapEndTime: input.tariff.cheapEndTime } : {}) };
        if (!sameJson(tariff, row.tariff)) change("tariff", "tariff", tariff);
      }
      if (changed.length > 0) {
        await tx.update(sites).set({ ...changes, updatedAt: new Date() }).where(eq(sites.id, row.id));
        await refreshSiteEligibility(tx, ctx.orgId, row.id);
        await recordAuditEvent({ ...ctx, db: tx }, { action: "site.updated", targetType: "site", targetId: row.id, details: { fields: changed } });
      }
      const fresh = await findSiteRow(tx, ctx.orgId, row.id);
      const bySite = await assetsOfSites(tx, ctx.orgId, [row.id]);
      return toSiteRecord(fresh, bySite.get(row.id) ?? []);
    });
  } catch (error) {
    if (pgErrorCode(error) === "23505") throw conflict("Another site in this organisation already has this MPAN.");
    throw error;
  }
}

export async function deleteSite(ctx: ServiceContext, input: { siteId: string }): Promise<void> {
  authorize(ctx, "sites:write");
  await ctx.db.transaction(async (tx) => {
    const row = await findSiteRow(tx, ctx.orgId, input.siteId, true);
    const [assetCount] = await tx.select({ n: count() }).from(assets).where(and(eq(assets.organisationId, ctx.orgId), eq(assets.siteId, row.id)));
    if ((assetCount?.n ?? 0) > 0) throw precondition("The site still has assets: delete them or offboard the site.");
    await tx.delete(sites).where(eq(sites.id, row.id));
    await recordAuditEvent({ ...ctx, db: tx }, { action: "site.deleted", targetType: "site", targetId: row.id, details: { mpan: row.mpan } });
  });
}
