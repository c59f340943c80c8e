// The dispatch plan of a grid event: which assets take part and with what power. The fleet
// snapshot (consent, enrolment, live battery state, open charging sessions, partner-controlled
// batteries) is gathered here; the allocation itself is the pure planEventDispatch.
//
// Who takes part (docs/grid-events.md has the full rule):
//  - the site is active, in the event's region, enrolled in one of the event's propositions and
//    holding a current dispatch consent for that same proposition;
//  - our batteries (an OEM device id and a usable OEM credential on the site) that are online
//    (a reading fresher than BATTERY_STALE_AFTER_SECONDS), within SoC, power and discharge floor;
//  - plugged-in chargers (an open charging session) under full_asset_schedule_control. Their
//    flexibility is the power their current plan draws in the window; for a turn-down, less what
//    the session re-planned around the event would still draw there to meet its ready-by;
//  - partner-controlled batteries: no OEM control by us (no device id or no credential on the
//    site) while the organisation has an active webhook endpoint that takes grid_event.dispatch
//    (or every event type); their rated power_kw is what they can offer, in either direction.
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import {
  assets,
  chargingPlans,
  chargingSessions,
  enrolments,
  gridEventParticipants,
  gridEvents,
  sites,
  webhookEndpoints,
} from "@/db/schema";
import {
  planEventDispatch,
  type DispatchBattery,
  type DispatchCharger,
  type DispatchPlan,
} from "@/server/optimiser/dispatch";
import { recordAuditEvent } from "../audit/record-audit-event";
import { listBatteries, type BatterySummary } from "../batteries/batteries";
import { currentConsentsForSites } from "../consent/current-consents";
import { averageKwOver, chargingKwUnderTurnDown } from "../charging/planning";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { publishGridEventLimits } from "../energy-coordination/events";
import { conflict, precondition } from "../errors";
import { log } from "@/server/log";
import type { MailDeps } from "../mail/mail";
import { notifyHouseholders } from "./notify";
import { loadEventRow, toGridEvent, type GridEvent, type GridEventProposition } from "./events";

/** Rows per participant INSERT (11 parameters each, well under PostgreSQL's 65,535). */
const PARTICIPANT_INSERT_CHUNK = 2000;

export const DEFAULT_HEADROOM_PCT = 20;
export const DISPATCH_WEBHOOK_EVENT_TYPE = "grid_event.dispatch";
const BATTERY_PROPOSITIONS: readonly GridEventProposition[] = ["vpp_limited_control", "full_asset_control"];
const CHARGER_PROPOSITIONS: readonly GridEventProposition[] = ["full_asset_schedule_control"];

export type ParticipantControl = "oem_action" | "partner_webhook" | "charging_replan";

export interface PlannedParticipant {
  assetId: string;
  assetExternalId: string;
  siteId: string;
  postcode: string;
  assetType: "battery" | "charger";
  control: ParticipantControl;
  proposition: GridEventProposition;
  /** Contribution in the event direction, kW (what counts towards the target). */
  plannedKw: number;
  /** Power to hold in the window, kW, positive = import (for partners, their level is derived from it). */
  setpointKw: number;
  availableKw: number;
  socPct: number | null;
  dischargeFloorPct: number | null;
  previousMode: string | null;
}

export interface ExcludedAsset {
  assetId: string;
  assetExternalId: string;
  siteId: string;
  assetType: string;
  /** no_consent | not_enrolled | offline | insufficient_energy | battery_full | no_flexibility | not_plugged_in | not_controllable | credential_unusable | missing_properties */
  reason: string;
}

export interface DispatchPlanPreview {
  event: GridEvent;
  headroomPct: number;
  goalKw: number;
  availableKw: number;
  plannedKw: number;
  reachesTarget: boolean;
  reachesGoal: boolean;
  shortfallKw: number;
  participants: PlannedParticipant[];
  excluded: ExcludedAsset[];
}

/** "SW1A 1AA" is in region "SW" (area: its leading letters) and in "SW1A" (district: its outward code). */
export function postcodeInRegion(postcode: string, region: string | null): boolean {
  if (!region) return true;
  const compact = postcode.toUpperCase().trim();
  if (/^[A-Z]+$/.test(region)) return (/^[A-Z]+/.exec(compact)?.[0] ?? "") === region;
  const outward = compact.includes(" ")
    ? compact.split(" ")[0]
    : compact.slice(0, Math.max(0, compact.length - 3));
  return outward === region;
}

function numberProperty(properties: Record<string, unknown>, key: string): number | null {
  const value = properties[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Mean planned kW of a charging plan over [start, end). */
interface Candidate {
  assetId: string;
  assetExternalId: string;
  siteId: string;
  postcode: string;
  assetType: "battery" | "charger";
  control: ParticipantControl;
  proposition: GridEventProposition;
  battery?: BatterySummary;
}

export async function buildDispatchPlan(
  ctx: ServiceContext,
  event: GridEvent,
  options: { now?: Date; headroomPct?: number } = {},
): Promise<DispatchPlanPreview> {
  const now = options.now ?? new Date();
  const headroomPct = options.headroomPct ?? DEFAULT_HEADROOM_PCT;
  const siteRows = await ctx.db
    .select({ asset: assets, postcode: sites.postcode })
    .from(assets)
    .innerJoin(sites, eq(sites.id, assets.siteId))
    .where(
      and(
        eq(assets.organisationId, ctx.orgId),
        eq(sites.status, "active"),
        inArray(assets.type, ["battery", "charger"]),
      ),
    );
  const inRegion = siteRows.filter((r) => postcodeInRegion(r.postcode, event.region));
  const siteIds = [...new Set(inRegion.map((r) => r.asset.siteId))];
  const consents = await currentConsentsForSites(ctx, siteIds);
  const enrolled = new Set<string>();
  if (siteIds.length > 0) {
    const rows = await ctx.db
      .select({ siteId: enrolments.siteId, proposition: enrolments.proposition })
      .from(enrolments)
      .where(
        and(
          eq(enrolments.organisationId, ctx.orgId),
          eq(enrolments.state, "enrolled"),
          inArray(enrolments.siteId, siteIds),
          inArray(enrolments.proposition, event.propositions),
        ),
      );
    for (const r of rows) enrolled.add(`${r.siteId}:${r.proposition}`);
  }
  const [dispatchEndpoint] = await ctx.db
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organisationId, ctx.orgId), isNull(webhookEndpoints.disabledAt)))
    .then((rows) =>
      rows.filter((e) => e.eventTypes.length === 0 || e.eventTypes.includes(DISPATCH_WEBHOOK_EVENT_TYPE)),
    );
  const batteriesById = new Map((await listBatteries(ctx, {}, now)).map((b) => [b.assetId, b]));

  const excluded: ExcludedAsset[] = [];
  const candidates: Candidate[] = [];
  const dispatchBatteries: DispatchBattery[] = [];
  const dispatchChargers: DispatchCharger[] = [];
  const exclude = (r: (typeof inRegion)[number], reason: string) =>
    excluded.push({
      assetId: r.asset.id,
      assetExternalId: r.asset.externalId,
      siteId: r.asset.siteId,
      assetType: r.asset.type,
      reason,
    });

  const chargerRows = inRegion.filter((r) => r.asset.type === "charger");
  const openSessions =
    chargerRows.length === 0
      ? []
      : await ctx.db
          .select()
          .from(chargingSessions)
          .where(
            and(
              eq(chargingSessions.organisationId, ctx.orgId),
              isNull(chargingSessions.pluggedOutAt),
              inArray(
                chargingSessions.assetId,
                chargerRows.map((r) => r.asset.id),
              ),
            ),
          );
  const sessionByAsset = new Map(openSessions.map((s) => [s.assetId, s]));
  const latestPlans =
    openSessions.length === 0
      ? []
      : await ctx.db
          .selectDistinctOn([chargingPlans.sessionId])
          .from(chargingPlans)
          .where(
            inArray(
              chargingPlans.sessionId,
              openSessions.map((s) => s.id),
            ),
          )
          .orderBy(chargingPlans.sessionId, desc(chargingPlans.version));
  const planBySession = new Map(latestPlans.map((p) => [p.sessionId, p]));

  for (const r of inRegion) {
    const siteConsents = consents.get(r.asset.siteId);
    const eligible = r.asset.type === "battery" ? BATTERY_PROPOSITIONS : CHARGER_PROPOSITIONS;
    const wanted = event.propositions.filter((p) => eligible.includes(p));
    if (wanted.length === 0) continue;
    const consented = wanted.filter((p) => siteConsents?.dispatch.has(p));
    const proposition = consented.find((p) => enrolled.has(`${r.asset.siteId}:${p}`));
    if (consented.length === 0) {
      exclude(r, "no_consent");
      continue;
    }
    if (!proposition) {
      exclude(r, "not_enrolled");
      continue;
    }
    const base = {
      assetId: r.asset.id,
      assetExternalId: r.asset.externalId,
      siteId: r.asset.siteId,
      postcode: r.postcode,
      proposition,
    };
    if (r.asset.type === "charger") {
      const session = sessionByAsset.get(r.asset.id);
      if (!session) {
        exclude(r, "not_plugged_in");
        continue;
      }
      const plan = planBySession.get(session.id);
      candidates.push({ ...base, assetType: "charger", control: "charging_replan" });
      dispatchChargers.push({
        assetId: r.asset.id,
        pluggedIn: true,
        consented: true,
        plannedKw: plan ? averageKwOver(plan.slots, event.startAt, event.endAt) : 0,
        maxKw: session.chargerPowerKw,
        // What the householder's ready-by still needs in the window is not on offer.
        ...(event.direction === "turn_down"
          ? { minKw: await chargingKwUnderTurnDown(ctx.db, ctx.orgId, session, event) }
          : {}),
      });
      continue;
    }
    const battery = batteriesById.get(r.asset.id);
    const ourControl =
      battery !== undefined && battery.oemDeviceId !== null && battery.credentialStatus !== null;
    if (!ourControl) {
      const powerKw = numberProperty(r.asset.properties, "power_kw");
      if (!dispatchEndpoint) {
        exclude(r, "not_controllable");
        continue;
      }
      if (powerKw === null || powerKw <= 0) {
        exclude(r, "missing_properties");
        continue;
      }
      candidates.push({ ...base, assetType: "battery", control: "partner_webhook" });
      // A partner battery offers up to its rated power either way; modelled as a flexible load for the planner.
      dispatchChargers.push(
        event.direction === "turn_down"
          ? { assetId: r.asset.id, pluggedIn: true, consented: true, plannedKw: powerKw, maxKw: powerKw }
          : { assetId: r.asset.id, pluggedIn: true, consented: true, plannedKw: 0, maxKw: powerKw },
      );
      continue;
    }
    if (battery.credentialStatus === "rejected" || battery.credentialStatus === "expired") {
      exclude(r, "credential_unusable");
      continue;
    }
    if (battery.capacityKwh === null || battery.ratedPowerKw === null) {
      exclude(r, "missing_properties");
      continue;
    }
    candidates.push({ ...base, assetType: "battery", control: "oem_action", battery });
    const efficiency = numberProperty(r.asset.properties, "round_trip_efficiency");
    dispatchBatteries.push({
      assetId: r.asset.id,
      online: !battery.stale && battery.socPct !== null,
      consented: true,
      socPct: battery.socPct ?? 0,
      capacityKwh: battery.capacityKwh,
      maxChargeKw: battery.ratedPowerKw,
      maxDischargeKw: battery.ratedPowerKw,
      dischargeFloorPct: battery.dischargeFloorPct ?? 0,
      socMaxPct: 100,
      ...(efficiency !== null && efficiency > 0 && efficiency <= 1
        ? { roundTripEfficiency: efficiency }
        : {}),
    });
  }

  const plan: DispatchPlan = planEventDispatch({
    event: {
      direction: event.direction,
      start: event.startAt.toISOString(),
      end: event.endAt.toISOString(),
      targetKw: event.targetKw,
      headroomPct,
    },
    batteries: dispatchBatteries,
    chargers: dispatchChargers,
  });
  const candidateById = new Map(candidates.map((c) => [c.assetId, c]));
  for (const e of plan.excluded) {
    const c = candidateById.get(e.assetId);
    if (c)
      excluded.push({
        assetId: c.assetId,
        assetExternalId: c.assetExternalId,
        siteId: c.siteId,
        assetType: c.assetType,
        reason: e.reason,
      });
  }
  const participants: PlannedParticipant[] = [];
  for (const p of plan.participants) {
    const c = candidateById.get(p.assetId);
    if (!c) continue;
    participants.push({
      assetId: c.assetId,
      assetExternalId: c.assetExternalId,
      siteId: c.siteId,
      postcode: c.postcode,
      assetType: c.assetType,
      control: c.control,
      proposition: c.proposition,
      plannedKw: p.assignedKw,
      setpointKw:
        c.control === "partner_webhook"
          ? event.direction === "turn_down"
            ? -p.assignedKw
            : p.assignedKw
          : p.setpointKw,
      availableKw: p.availableKw,
      socPct: c.battery?.socPct ?? null,
      dischargeFloorPct: c.battery?.dischargeFloorPct ?? null,
      previousMode: c.battery?.operationMode ?? null,
    });
  }
  excluded.sort((a, b) => a.assetExternalId.localeCompare(b.assetExternalId));
  return {
    event,
    headroomPct,
    goalKw: plan.goalKw,
    availableKw: plan.availableKw,
    plannedKw: plan.plannedKw,
    reachesTarget: plan.reachesTarget,
    reachesGoal: plan.reachesGoal,
    shortfallKw: plan.shortfallKw,
    participants: participants.sort((a, b) => a.assetExternalId.localeCompare(b.assetExternalId)),
    excluded,
  };
}

export async function previewDispatchPlan(
  ctx: ServiceContext,
  eventId: string,
  options: { now?: Date; headroomPct?: number } = {},
): Promise<DispatchPlanPreview> {
  authorize(ctx, "grid_events:read");
  const row = await loadEventRow(ctx, eventId);
  return buildDispatchPlan(ctx, toGridEvent(row), options);
}

/**
 * Plans again from the current fleet (never a plan the client sends back), stores the
 * participants and schedules the event. Only a draft that has not started can be committed.
 */
export async function commitDispatchPlan(
  ctx: ServiceContext,
  eventId: string,
  options: { now?: Date; headroomPct?: number; mail?: MailDeps } = {},
): Promise<DispatchPlanPreview> {
  authorize(ctx, "grid_events:write");
  const now = options.now ?? new Date();
  const row = await loadEventRow(ctx, eventId);
  if (row.status !== "draft")
    throw conflict(`The event is ${row.status}; only a draft event's plan can be committed.`);
  if (row.startAt.getTime() <= now.getTime())
    throw conflict("The event has started; its plan can no longer be committed.");
  const preview = await buildDispatchPlan(ctx, toGridEvent(row), { ...options, now });
  if (preview.participants.length === 0)
    throw precondition("No asset can take part: see the excluded assets and their reasons.");
  const committed = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(gridEvents)
      .set({ status: "scheduled", committedAt: now, updatedAt: now })
      .where(
        and(
          eq(gridEvents.organisationId, ctx.orgId),
          eq(gridEvents.id, row.id),
          eq(gridEvents.status, "draft"),
        ),
      )
      .returning();
    if (!updated)
      throw conflict("The event changed while its plan was being committed; reload and try again.");
    await tx
      .delete(gridEventParticipants)
      .where(
        and(eq(gridEventParticipants.organisationId, ctx.orgId), eq(gridEventParticipants.eventId, row.id)),
      );
    const rows = preview.participants.map((p) => ({
      organisationId: ctx.orgId,
      eventId: row.id,
      assetId: p.assetId,
      siteId: p.siteId,
      assetType: p.assetType,
      control: p.control,
      proposition: p.proposition,
      plannedKw: p.plannedKw,
      previousMode: p.previousMode,
      status: "planned",
      updatedAt: now,
    }));
    // PostgreSQL takes at most 65,535 bind parameters a statement: insert large fleets in chunks.
    for (let start = 0; start < rows.length; start += PARTICIPANT_INSERT_CHUNK) {
      await tx.insert(gridEventParticipants).values(rows.slice(start, start + PARTICIPANT_INSERT_CHUNK));
    }
    // Partner-controlled locations hear of it as power limits (energy-coordination LPC events), in the same transaction.
    await publishGridEventLimits({ ...ctx, db: tx }, row.id, now);
    await recordAuditEvent(
      { ...ctx, db: tx },
      {
        action: "grid_event.plan_committed",
        targetType: "grid_event",
        targetId: row.id,
        details: {
          participants: preview.participants.length,
          plannedKw: preview.plannedKw,
          goalKw: preview.goalKw,
          reachesTarget: preview.reachesTarget,
        },
      },
    );
    return { ...preview, event: toGridEvent(updated) };
  });
  // After the commit: a mail problem never undoes a plan; the dispatch step sends whatever is missing.
  await notifyHouseholders(ctx, committed.event, options.mail).catch((e: unknown) =>
    log.warn({ eventId, err: e instanceof Error ? e.message : String(e) }, "grid event notices failed"),
  );
  return committed;
}
