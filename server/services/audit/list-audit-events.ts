import { and, count, desc, eq, ilike, inArray, or, type SQL } from "drizzle-orm";
import { assets, auditEvents, gridEvents, sites } from "@/db/schema";
import type { ServiceContext } from "../context";
import { authorize } from "../authorize";

export interface ListAuditEventsInput {
  limit: number;
  offset: number;
  search?: string;
  action?: string;
}

// Target ids are free text (some targets are not rows); only uuids can name a row.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What an entry's target is called and where its page is, so the audit page can write a sentence
 * with a link instead of an id. Null when the target has no page or no longer exists.
 */
export interface AuditTarget {
  label: string;
  /** The site of an asset target (asset pages sit under their site). */
  siteId: string | null;
}

async function resolveTargets(ctx: ServiceContext, rows: { targetType: string | null; targetId: string | null }[]): Promise<Map<string, AuditTarget>> {
  const idsOf = (type: string) => [...new Set(rows.filter((r) => r.targetType === type && r.targetId && UUID.test(r.targetId)).map((r) => r.targetId as string))];
  const siteIds = idsOf("site");
  const assetIds = idsOf("asset");
  const eventIds = idsOf("grid_event");
  const [siteRows, assetRows, eventRows] = await Promise.all([
    siteIds.length ? ctx.db.select({ id: sites.id, mpan: sites.mpan }).from(sites).where(and(eq(sites.organisationId, ctx.orgId), inArray(sites.id, siteIds))) : [],
    assetIds.length ? ctx.db.select({ id: assets.id, externalId: assets.externalId, siteId: assets.siteId }).from(assets).where(and(eq(assets.organisationId, ctx.orgId), inArray(assets.id, assetIds))) : [],
    eventIds.length ? ctx.db.select({ id: gridEvents.id, name: gridEvents.name }).from(gridEvents).where(and(eq(gridEvents.organisationId, ctx.orgId), inArray(gridEvents.id, eventIds))) : [],
  ]);
  const targets = new Map<string, AuditTarget>();
  for (const r of siteRows) targets.set(`site:${r.id}`, { label: `MPAN ${r.mpan}`, siteId: r.id });
  for (const r of assetRows) targets.set(`asset:${r.id}`, { label: r.externalId, siteId: r.siteId });
  for (const r of eventRows) targets.set(`grid_event:${r.id}`, { label: r.name, siteId: null });
  return targets;
}

export async function listAuditEvents(ctx: ServiceContext, input: ListAuditEventsInput) {
  authorize(ctx, "audit:read");
  const filters: SQL[] = [eq(auditEvents.organisationId, ctx.orgId)];
  if (input.action) filters.push(eq(auditEvents.action, input.action));
  if (input.search) {
    const pattern = `%${input.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const match = or(ilike(auditEvents.actorLabel, pattern), ilike(auditEvents.action, pattern), ilike(auditEvents.targetId, pattern));
    if (match) filters.push(match);
  }
  const where = and(...filters);
  const [rows, totals] = await Promise.all([
    ctx.db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db.select({ total: count() }).from(auditEvents).where(where),
  ]);
  const targets = await resolveTargets(ctx, rows);
  return {
    items: rows.map((r) => ({
      id: r.id,
      action: r.action,
      actorType: r.actorType,
      actorLabel: r.actorLabel,
      targetType: r.targetType,
      targetId: r.targetId,
      details: r.details,
      target: r.targetType && r.targetId ? (targets.get(`${r.targetType}:${r.targetId}`) ?? null) : null,
      createdAt: r.createdAt.toISOString(),
    })),
    total: totals[0]?.total ?? 0,
  };
}
