// The dashboard's consents overview: enrolment counts per proposition and state, current
// dispatch-consent counts, and the most recent withdrawals.
import { and, desc, eq, sql } from "drizzle-orm";
import { consentRecords, enrolments, sites } from "@/db/schema";
import type { ServiceContext } from "../context";
import { authorize } from "../authorize";

export interface ConsentsOverview {
  enrolmentCounts: { proposition: string; state: string; count: number }[];
  consentCounts: { kind: string; granted: number }[];
  recentWithdrawals: { siteId: string; mpan: string; kind: string; channel: string; actorLabel: string; occurredAt: Date; reason: string | null }[];
}

export async function consentsOverview(ctx: ServiceContext, input: { withdrawalLimit?: number } = {}): Promise<ConsentsOverview> {
  authorize(ctx, "consent:read");
  const enrolmentCounts = await ctx.db
    .select({ proposition: enrolments.proposition, state: enrolments.state, count: sql<number>`count(*)::int` })
    .from(enrolments)
    .where(eq(enrolments.organisationId, ctx.orgId))
    .groupBy(enrolments.proposition, enrolments.state)
    .orderBy(enrolments.proposition, enrolments.state);
  // Current state per (site, kind) is the newest record; count the granted ones.
  const consentCounts = await ctx.db.execute<{ kind: string; granted: number }>(sql`
    select kind, count(*)::int as granted from (
      select distinct on (site_id, kind) kind, action
      from ${consentRecords}
      where organisation_id = ${ctx.orgId}
      order by site_id, kind, id desc
    ) latest
    where action = 'granted'
    group by kind
    order by kind`);
  const recentWithdrawals = await ctx.db
    .select({
      siteId: consentRecords.siteId,
      mpan: sites.mpan,
      kind: consentRecords.kind,
      channel: consentRecords.channel,
      actorLabel: consentRecords.actorLabel,
      occurredAt: consentRecords.occurredAt,
      reason: consentRecords.reason,
    })
    .from(consentRecords)
    .innerJoin(sites, eq(sites.id, consentRecords.siteId))
    .where(and(eq(consentRecords.organisationId, ctx.orgId), eq(consentRecords.action, "withdrawn")))
    .orderBy(desc(consentRecords.recordedAt), desc(consentRecords.id))
    .limit(input.withdrawalLimit ?? 20);
  return { enrolmentCounts, consentCounts: [...consentCounts].map((row) => ({ kind: row.kind, granted: Number(row.granted) })), recentWithdrawals };
}
