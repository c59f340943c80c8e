import { and, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import type { ServiceContext } from "../context";
import { authorize } from "../authorize";

export interface ListAuditEventsInput {
  limit: number;
  offset: number;
  search?: string;
  action?: string;
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
  return {
    items: rows.map((r) => ({
      id: r.id,
      action: r.action,
      actorType: r.actorType,
      actorLabel: r.actorLabel,
      targetType: r.targetType,
      targetId: r.targetId,
      details: r.details,
      createdAt: r.createdAt.toISOString(),
    })),
    total: totals[0]?.total ?? 0,
  };
}
