// What the dashboard shows of the energy-coordination dialect: on a grid event's page the events it
// produced for partners and the reports answering them; on a site's page the events and reports
// that name the site's MPAN or one of its devices.
import { and, desc, eq, sql } from "drizzle-orm";
import { assets, coordinationEvents, sites } from "@/db/schema";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../inventory/records";
import { listEventsFromSource, type CoordinationEvent } from "./events";
import { listGridEventReports, listSiteReports, type StoredReport } from "./reports";

export interface CoordinationEventSummary {
  id: string;
  createdAt: Date;
  payloadType: string;
  source: string;
  /** Locations, devices or users the event is for. */
  targetCount: number;
}

export interface CoordinationReportSummary {
  id: string;
  createdAt: Date;
  eventId: string | null;
  payloads: { payloadType: string; outcome: Record<string, unknown> | null }[];
}

export interface CoordinationActivity {
  events: CoordinationEventSummary[];
  reports: CoordinationReportSummary[];
}

function summariseEvent(event: CoordinationEvent): CoordinationEventSummary {
  const payload = event.payload as { targets?: unknown[]; addedUsers?: unknown[]; removedUsers?: unknown[] };
  const targetCount =
    payload.targets?.length ?? (payload.addedUsers?.length ?? 0) + (payload.removedUsers?.length ?? 0);
  return {
    id: event.id,
    createdAt: event.createdAt,
    payloadType: event.payloadType,
    source: event.source,
    targetCount,
  };
}

function summariseReport(report: StoredReport): CoordinationReportSummary {
  return {
    id: report.id,
    createdAt: report.createdAt,
    eventId: report.eventId,
    payloads: report.payloads.map((payload, index) => ({
      payloadType: String(payload.payloadType ?? ""),
      outcome: report.outcomes[index] ?? null,
    })),
  };
}

export async function getGridEventCoordination(
  ctx: ServiceContext,
  gridEventId: string,
): Promise<CoordinationActivity> {
  authorize(ctx, "coordination_events:read");
  if (!isUuid(gridEventId)) throw notFound("Grid event");
  const events = await listEventsFromSource(ctx, "grid_event", gridEventId);
  const reports = await listGridEventReports(ctx, gridEventId);
  return { events: events.map(summariseEvent), reports: reports.map(summariseReport) };
}

export async function getSiteCoordination(
  ctx: ServiceContext,
  siteId: string,
  limit = 50,
): Promise<CoordinationActivity> {
  authorize(ctx, "coordination_events:read");
  if (!isUuid(siteId)) throw notFound("Site");
  const [site] = await ctx.db
    .select({ mpan: sites.mpan })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, siteId)))
    .limit(1);
  if (!site) throw notFound("Site");
  const devices = await ctx.db
    .select({ externalId: assets.externalId })
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.siteId, siteId)));
  // An event is about the site when a target names its MPAN or one of its devices.
  const patterns = [site.mpan, ...devices.map((d) => d.externalId)].map(
    (name) => `%"${name.replace(/[%_\\"]/g, "")}"%`,
  );
  const events = await ctx.db
    .select()
    .from(coordinationEvents)
    .where(
      and(
        eq(coordinationEvents.organisationId, ctx.orgId),
        sql`${coordinationEvents.payload}::text like any(${sql.param(patterns)}::text[])`,
      ),
    )
    .orderBy(desc(coordinationEvents.createdAt))
    .limit(limit);
  const reports = await listSiteReports(ctx, siteId, limit);
  return { events: events.map(summariseEvent), reports: reports.map(summariseReport) };
}
