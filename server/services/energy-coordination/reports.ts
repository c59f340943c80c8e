// Reports partners send back in the energy-coordination dialect (POST /reports), each payload
// handed to the service that owns what it says:
// - EnergyUsage (per resource): the device's readings, through the readings service, so that
//   verification counts them (a battery's kWh per period become its mean inverter power, a
//   charger's its consumption);
// - LocationEnergyUsage: the site's boundary-meter readings (carried by the site's first asset);
// - Resource/Location LPC acknowledgements: the grid-event participant's status, exactly as the
//   entities dialect's callback sets it (accepted / rejected);
// - LocationEnergyUsagePlan: kept with the report (shown on the site page).
// The whole report is one transaction: a payload that cannot be applied leaves nothing behind.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import {
  assets,
  coordinationEvents,
  coordinationReports,
  gridEventParticipants,
  gridEvents,
  locations,
  sites,
} from "@/db/schema";
import type { Reading, ReadingLabel } from "@/server/domain/readings";
import { authorize } from "../authorize";
import { actorFields, type ServiceContext } from "../context";
import { invalid, type FieldIssue } from "../errors";
import { recordPartnerCallback } from "../grid-events/callbacks";
import { isUuid } from "../inventory/records";
import { ingestReadings } from "../readings/ingest-readings";

export interface EnergyPoint {
  timestamp: string;
  kiloWattHours: number;
}

export type ReportPayloadInput =
  | {
      payloadType: "EnergyUsage";
      resourceId: string;
      resolution: string;
      points?: EnergyPoint[] | undefined;
      curvePoints?: EnergyPoint[] | null | undefined;
    }
  | {
      payloadType: "LocationEnergyUsage";
      locationId: string;
      meterPointId: string;
      resolution: string;
      points?: EnergyPoint[] | undefined;
    }
  | {
      payloadType: "LocationEnergyUsagePlan";
      locationId: string;
      meterPointId: string;
      resolution: string;
      baseline: EnergyPoint[];
      flexibility: EnergyPoint[];
    }
  | {
      payloadType: "ResourceLPCAcknowledgement";
      acknowledgedTargets?: { resourceId: string; locationId: string; meterPointId: string }[] | undefined;
      declinedTargets?: { resourceId: string; locationId: string; meterPointId: string }[] | undefined;
    }
  | {
      payloadType: "LocationLPCAcknowledgement";
      acknowledgedTargets?: { locationId: string; meterPointId: string }[] | undefined;
      declinedTargets?: { locationId: string; meterPointId: string }[] | undefined;
    };

export interface StoredReport {
  id: string;
  eventId: string | null;
  createdAt: Date;
  payloads: Record<string, unknown>[];
  outcomes: Record<string, unknown>[];
}

/** hh:mm:ss (optionally d.hh:mm:ss) in milliseconds. */
export function timeSpanMs(value: string): number | null {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(value);
  if (!match) return null;
  const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000;
}

function readingsFor(
  assetId: string,
  label: ReadingLabel,
  points: readonly EnergyPoint[],
  periodMs: number,
  asPower: boolean,
): Reading[] {
  const hours = periodMs / 3_600_000;
  return points.map((point) => {
    const start = new Date(point.timestamp);
    return {
      asset_id: assetId,
      label,
      start_timestamp: start.toISOString(),
      end_timestamp: new Date(start.getTime() + periodMs).toISOString(),
      value: asPower ? point.kiloWattHours / hours : point.kiloWattHours,
    };
  });
}

const LABEL_BY_ASSET_TYPE: Record<string, { label: ReadingLabel; asPower: boolean }> = {
  battery: { label: "battery_inverter_import_kw", asPower: true },
  charger: { label: "charger_consumption_energy_kwh", asPower: false },
};

/** The grid event a coordination event was produced from, when the report names one. */
async function gridEventOfReport(ctx: ServiceContext, eventId: string | null): Promise<string | null> {
  if (eventId === null) return null;
  const [row] = await ctx.db
    .select({ source: coordinationEvents.source, sourceId: coordinationEvents.sourceId })
    .from(coordinationEvents)
    .where(and(eq(coordinationEvents.organisationId, ctx.orgId), eq(coordinationEvents.id, eventId)))
    .limit(1);
  return row?.source === "grid_event" ? row.sourceId : null;
}

/** Partner-controlled participants the acknowledgement is about: of the named grid event, or of the latest one they take part in. */
async function participantsFor(
  ctx: ServiceContext,
  gridEventId: string | null,
  where: { assetExternalId?: string; mpan?: string },
) {
  const rows = await ctx.db
    .select({
      assetId: gridEventParticipants.assetId,
      eventId: gridEventParticipants.eventId,
      startAt: gridEvents.startAt,
    })
    .from(gridEventParticipants)
    .innerJoin(gridEvents, eq(gridEvents.id, gridEventParticipants.eventId))
    .innerJoin(assets, eq(assets.id, gridEventParticipants.assetId))
    .innerJoin(sites, eq(sites.id, gridEventParticipants.siteId))
    .where(
      and(
        eq(gridEventParticipants.organisationId, ctx.orgId),
        eq(gridEventParticipants.control, "partner_webhook"),
        gridEventId !== null ? eq(gridEventParticipants.eventId, gridEventId) : undefined,
        where.assetExternalId !== undefined ? eq(assets.externalId, where.assetExternalId) : undefined,
        where.mpan !== undefined ? eq(sites.mpan, where.mpan) : undefined,
      ),
    )
    .orderBy(desc(gridEvents.startAt));
  const latest = rows[0]?.eventId;
  return rows.filter((row) => row.eventId === latest);
}

async function requireLocationMpan(
  ctx: ServiceContext,
  locationId: string,
  meterPointId: string,
  path: (string | number)[],
  issues: FieldIssue[],
): Promise<string | null> {
  const [location] = await ctx.db
    .select({ meterPointIds: locations.meterPointIds })
    .from(locations)
    .where(and(eq(locations.organisationId, ctx.orgId), eq(locations.externalId, locationId)))
    .limit(1);
  if (!location) {
    issues.push({
      path: [...path, "locationId"],
      message: `No location ${locationId}; register it first.`,
      type: "not_found",
    });
    return null;
  }
  const mpan = location.meterPointIds.find((id) => id === meterPointId.replace(/\s+/g, ""));
  if (mpan === undefined) {
    issues.push({
      path: [...path, "meterPointId"],
      message: `Not one of location ${locationId}'s meter point ids.`,
      type: "value_error",
    });
    return null;
  }
  return mpan;
}

export async function postReport(
  ctx: ServiceContext,
  input: { eventId?: string | null | undefined; payloads: readonly ReportPayloadInput[] },
  now = new Date(),
): Promise<StoredReport> {
  authorize(ctx, "coordination_reports:write");
  const eventId = input.eventId ?? null;
  if (eventId !== null) {
    const [known] = isUuid(eventId)
      ? await ctx.db
          .select({ id: coordinationEvents.id })
          .from(coordinationEvents)
          .where(and(eq(coordinationEvents.organisationId, ctx.orgId), eq(coordinationEvents.id, eventId)))
          .limit(1)
      : [];
    if (!known)
      throw invalid("The report names an unknown event.", [
        {
          path: ["eventId"],
          message: "No event with this id; take ids from GET /events.",
          type: "not_found",
        },
      ]);
  }
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    // The report is authorized above (coordination_reports:write): the readings and callbacks it
    // carries are written on its behalf, not under the readings/grid-event permissions of the caller.
    const onBehalf: ServiceContext = {
      ...txCtx,
      actor: { type: "system", label: `energy-coordination report by ${actorFields(ctx.actor).actorLabel}` },
    };
    const gridEventId = await gridEventOfReport(txCtx, eventId);
    const issues: FieldIssue[] = [];
    const outcomes: Record<string, unknown>[] = [];
    /** Stores a payload's points as readings; a refused point is an issue at its index. Returns how many were stored. */
    const ingestPoints = async (readings: Parameters<typeof ingestReadings>[1], path: (string | number)[]): Promise<number> => {
      const result = await ingestReadings(onBehalf, readings, { now });
      result.responses.forEach((outcome, pointIndex) => {
        if (!outcome.accepted)
          issues.push({ path: [...path, "points", pointIndex], message: outcome.error ?? "Refused.", type: "value_error" });
      });
      return result.acceptedCount;
    };

    for (const [index, payload] of input.payloads.entries()) {
      const path = ["payloads", index];
      switch (payload.payloadType) {
        case "EnergyUsage": {
          const periodMs = timeSpanMs(payload.resolution);
          const points = payload.points ?? payload.curvePoints ?? [];
          const [asset] = await tx
            .select({ id: assets.id, type: assets.type })
            .from(assets)
            .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.externalId, payload.resourceId)))
            .limit(1);
          const rule = asset ? LABEL_BY_ASSET_TYPE[asset.type] : undefined;
          if (!asset || !rule) {
            issues.push({
              path: [...path, "resourceId"],
              message: asset
                ? "Usage is recorded for batteries and chargers only."
                : `No device ${payload.resourceId}; register it as a location-bound resource with the device's id.`,
              type: "not_found",
            });
            break;
          }
          if (periodMs === null || periodMs <= 0) {
            issues.push({
              path: [...path, "resolution"],
              message: "A duration as hh:mm:ss, e.g. 00:30:00.",
              type: "value_error",
            });
            break;
          }
          outcomes.push({
            payloadType: payload.payloadType,
            readings: await ingestPoints(readingsFor(asset.id, rule.label, points, periodMs, rule.asPower), path),
          });
          break;
        }
        case "LocationEnergyUsage": {
          const periodMs = timeSpanMs(payload.resolution);
          const mpan = await requireLocationMpan(
            txCtx,
            payload.locationId,
            payload.meterPointId,
            path,
            issues,
          );
          if (mpan === null) break;
          const [carrier] = await tx
            .select({ id: assets.id })
            .from(assets)
            .innerJoin(sites, eq(sites.id, assets.siteId))
            .where(and(eq(assets.organisationId, ctx.orgId), eq(sites.mpan, mpan)))
            .orderBy(assets.createdAt)
            .limit(1);
          if (!carrier || periodMs === null || periodMs <= 0) {
            issues.push(
              carrier
                ? {
                    path: [...path, "resolution"],
                    message: "A duration as hh:mm:ss, e.g. 00:30:00.",
                    type: "value_error",
                  }
                : {
                    path: [...path, "meterPointId"],
                    message:
                      "No device is registered at this meter point yet, so there is nothing to record the meter's usage against.",
                    type: "precondition",
                  },
            );
            break;
          }
          outcomes.push({
            payloadType: payload.payloadType,
            readings: await ingestPoints(readingsFor(carrier.id, "boundary_import_kw", payload.points ?? [], periodMs, true), path),
          });
          break;
        }
        case "LocationEnergyUsagePlan": {
          await requireLocationMpan(txCtx, payload.locationId, payload.meterPointId, path, issues);
          outcomes.push({ payloadType: payload.payloadType, stored: true });
          break;
        }
        case "ResourceLPCAcknowledgement":
        case "LocationLPCAcknowledgement": {
          let changed = 0;
          for (const [listName, status] of [
            ["acknowledgedTargets", "ACCEPTED"],
            ["declinedTargets", "REJECTED"],
          ] as const) {
            const targets: { resourceId?: string; meterPointId: string }[] = payload[listName] ?? [];
            for (const [targetIndex, target] of targets.entries()) {
              const participants = await participantsFor(
                txCtx,
                gridEventId,
                target.resourceId !== undefined
                  ? { assetExternalId: target.resourceId }
                  : { mpan: target.meterPointId.replace(/\s+/g, "") },
              );
              if (participants.length === 0) {
                issues.push({
                  path: [...path, listName, targetIndex],
                  message: "No power-limit request is open for this target.",
                  type: "not_found",
                });
                continue;
              }
              for (const participant of participants) {
                await recordPartnerCallback(
                  onBehalf,
                  { assetId: participant.assetId, eventId: participant.eventId, status },
                  now,
                );
                changed += 1;
              }
            }
          }
          outcomes.push({ payloadType: payload.payloadType, participants: changed });
          break;
        }
      }
    }
    if (issues.length > 0) throw invalid("The report cannot be applied.", issues);
    const [row] = await tx
      .insert(coordinationReports)
      .values({
        organisationId: ctx.orgId,
        eventId,
        payloads: input.payloads as unknown as Record<string, unknown>[],
        outcomes,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error("report insert returned nothing");
    return row;
  });
}

/** Reports that carry a payload about one of the site's locations (usage, plans, acknowledgements), newest first. */
export async function listSiteReports(
  ctx: ServiceContext,
  siteId: string,
  limit = 50,
): Promise<StoredReport[]> {
  if (!isUuid(siteId)) return [];
  const [site] = await ctx.db
    .select({ mpan: sites.mpan })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, siteId)))
    .limit(1);
  if (!site) return [];
  const siteAssets = await ctx.db
    .select({ externalId: assets.externalId })
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.siteId, siteId)));
  const names = [site.mpan, ...siteAssets.map((a) => a.externalId)];
  return (
    ctx.db
      .select()
      .from(coordinationReports)
      // A payload names the site by its MPAN or one of its devices by id, at any depth (acknowledgement targets).
      .where(
        and(
          eq(coordinationReports.organisationId, ctx.orgId),
          sql`${coordinationReports.payloads}::text like any(${sql.param(names.map((name) => `%"${name.replace(/[%_\\"]/g, "")}"%`))}::text[])`,
        ),
      )
      .orderBy(desc(coordinationReports.createdAt))
      .limit(limit)
  );
}

/** Reports answering any of the coordination events produced from a grid event. */
export async function listGridEventReports(
  ctx: ServiceContext,
  gridEventId: string,
): Promise<StoredReport[]> {
  if (!isUuid(gridEventId)) return [];
  const events = await ctx.db
    .select({ id: coordinationEvents.id })
    .from(coordinationEvents)
    .where(
      and(
        eq(coordinationEvents.organisationId, ctx.orgId),
        eq(coordinationEvents.source, "grid_event"),
        eq(coordinationEvents.sourceId, gridEventId),
      ),
    );
  if (events.length === 0) return [];
  return ctx.db
    .select()
    .from(coordinationReports)
    .where(
      and(
        eq(coordinationReports.organisationId, ctx.orgId),
        inArray(
          coordinationReports.eventId,
          events.map((e) => e.id),
        ),
      ),
    )
    .orderBy(desc(coordinationReports.createdAt));
}
