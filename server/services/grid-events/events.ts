// Grid events: what the operator asks of the fleet (a turn-down or turn-up window with a target
// and a price), editable and cancellable until it starts. Planning, execution and partner
// callbacks live beside this file; see docs/grid-events.md for the lifecycle.
import { and, asc, count, desc, eq, gte, inArray, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { assets, gridEventParticipants, gridEvents, sites, type GridEventParticipantRow, type GridEventRow } from "@/db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { conflict, invalid, notFound, type FieldIssue } from "../errors";
import { isUuid } from "../inventory/records";
import { notifyCancellation } from "./notify";

export const GRID_EVENT_DIRECTIONS = ["turn_down", "turn_up"] as const;
export type GridEventDirection = (typeof GRID_EVENT_DIRECTIONS)[number];

/** Propositions that can take part in a grid event. */
export const GRID_EVENT_PROPOSITIONS = ["vpp_limited_control", "full_asset_control", "full_asset_schedule_control"] as const;
export type GridEventProposition = (typeof GRID_EVENT_PROPOSITIONS)[number];

export const GRID_EVENT_STATUSES = ["draft", "scheduled", "dispatching", "active", "restoring", "completed", "cancelled", "settled"] as const;
export type GridEventStatus = (typeof GRID_EVENT_STATUSES)[number];

/** Statuses in which the event may still be edited (its window has not started). */
const EDITABLE: readonly string[] = ["draft", "scheduled"];

const HALF_HOUR_MS = 30 * 60 * 1000;
export const MAX_EVENT_HOURS = 24;

/** A postcode area ("SW") or district ("SW1A"), upper-cased, no spaces. */
export const regionSchema = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase().replace(/\s+/g, ""))
  .pipe(z.string().regex(/^[A-Z]{1,2}(\d[A-Z\d]?)?$/, "Use a postcode area such as SW or a district such as SW1A."));

const instant = z.coerce.date({ error: "Must be an ISO 8601 instant." }).refine((d) => !Number.isNaN(d.getTime()), "Must be an ISO 8601 instant.");

export const gridEventFieldsSchema = z.object({
  name: z.string().trim().min(1, "Give the event a name.").max(120),
  direction: z.enum(GRID_EVENT_DIRECTIONS),
  startAt: instant,
  endAt: instant,
  targetKw: z.number().positive("The target must be more than 0 kW.").max(1_000_000),
  region: regionSchema.nullish(),
  priceGbpPerMwh: z.number().min(0, "The price cannot be negative.").max(100_000),
  propositions: z
    .array(z.enum(GRID_EVENT_PROPOSITIONS))
    .min(1, "Choose at least one proposition.")
    .refine((list) => new Set(list).size === list.length, "Each proposition once."),
});

export const createGridEventSchema = gridEventFieldsSchema;
export type CreateGridEventInput = z.input<typeof createGridEventSchema>;

export const updateGridEventSchema = gridEventFieldsSchema.partial();
export type UpdateGridEventInput = z.input<typeof updateGridEventSchema>;

export interface GridEvent {
  id: string;
  name: string;
  direction: GridEventDirection;
  startAt: Date;
  endAt: Date;
  targetKw: number;
  region: string | null;
  priceGbpPerMwh: number;
  propositions: GridEventProposition[];
  status: GridEventStatus;
  createdBy: string;
  committedAt: Date | null;
  cancelledAt: Date | null;
  completedAt: Date | null;
  settledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toGridEvent(row: GridEventRow): GridEvent {
  return {
    id: row.id,
    name: row.name,
    direction: row.direction === "turn_up" ? "turn_up" : "turn_down",
    startAt: row.startAt,
    endAt: row.endAt,
    targetKw: row.targetKw,
    region: row.region,
    priceGbpPerMwh: row.priceGbpPerMwh,
    propositions: row.propositions.filter((p): p is GridEventProposition => (GRID_EVENT_PROPOSITIONS as readonly string[]).includes(p)),
    status: (GRID_EVENT_STATUSES as readonly string[]).includes(row.status) ? (row.status as GridEventStatus) : "draft",
    createdBy: row.createdBy,
    committedAt: row.committedAt,
    cancelledAt: row.cancelledAt,
    completedAt: row.completedAt,
    settledAt: row.settledAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== "symbol"), message: i.message }));
  throw invalid(`Invalid grid event: ${issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}`, issues);
}

/** The window rules: half-hour aligned, start before end, at most a day, starting in the future. */
export function windowIssues(startAt: Date, endAt: Date, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // UK offsets are whole hours, so UTC half-hours are the settlement half-hours.
  if (startAt.getTime() % HALF_HOUR_MS !== 0) issues.push({ path: ["startAt"], message: "Must be on a half-hour (:00 or :30)." });
  if (endAt.getTime() % HALF_HOUR_MS !== 0) issues.push({ path: ["endAt"], message: "Must be on a half-hour (:00 or :30)." });
  if (endAt.getTime() <= startAt.getTime()) issues.push({ path: ["endAt"], message: "Must be after the start." });
  else if (endAt.getTime() - startAt.getTime() > MAX_EVENT_HOURS * 3_600_000) issues.push({ path: ["endAt"], message: `An event lasts at most ${MAX_EVENT_HOURS} hours.` });
  if (startAt.getTime() <= now.getTime()) issues.push({ path: ["startAt"], message: "Must be in the future." });
  return issues;
}

function assertWindow(startAt: Date, endAt: Date, now: Date): void {
  const issues = windowIssues(startAt, endAt, now);
  if (issues.length > 0) throw invalid(`Invalid event window: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, issues);
}

export async function loadEventRow(ctx: ServiceContext, eventId: string): Promise<GridEventRow> {
  if (!isUuid(eventId)) throw notFound("Grid event");
  const [row] = await ctx.db
    .select()
    .from(gridEvents)
    .where(and(eq(gridEvents.organisationId, ctx.orgId), eq(gridEvents.id, eventId)))
    .limit(1);
  if (!row) throw notFound("Grid event");
  return row;
}

export async function createGridEvent(ctx: ServiceContext, input: CreateGridEventInput, now = new Date()): Promise<GridEvent> {
  authorize(ctx, "grid_events:write");
  const fields = parseOrThrow(createGridEventSchema, input);
  assertWindow(fields.startAt, fields.endAt, now);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(gridEvents)
      .values({
        organisationId: ctx.orgId,
        name: fields.name,
        direction: fields.direction,
        startAt: fields.startAt,
        endAt: fields.endAt,
        targetKw: fields.targetKw,
        region: fields.region ?? null,
        priceGbpPerMwh: fields.priceGbpPerMwh,
        propositions: fields.propositions,
        status: "draft",
        createdBy: ctx.actor.label,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw new Error("grid event insert returned nothing");
    await recordAuditEvent({ ...ctx, db: tx }, { action: "grid_event.created", targetType: "grid_event", targetId: row.id, details: { ...fields, startAt: fields.startAt.toISOString(), endAt: fields.endAt.toISOString() } });
    return toGridEvent(row);
  });
}

/**
 * Changes an event that has not started. A committed plan no longer matches the new request,
 * so a scheduled event goes back to draft and its participants are removed: preview and commit again.
 */
export async function updateGridEvent(ctx: ServiceContext, eventId: string, input: UpdateGridEventInput, now = new Date()): Promise<GridEvent> {
  authorize(ctx, "grid_events:write");
  const changes = parseOrThrow(updateGridEventSchema, input);
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const current = await loadEventRow(txCtx, eventId);
    if (!EDITABLE.includes(current.status) || current.startAt.getTime() <= now.getTime()) {
      throw conflict(`The event is ${current.status} and has ${current.startAt.getTime() <= now.getTime() ? "started" : "been dispatched"}; it can no longer be edited.`);
    }
    const startAt = changes.startAt ?? current.startAt;
    const endAt = changes.endAt ?? current.endAt;
    assertWindow(startAt, endAt, now);
    const replanned = current.status === "scheduled";
    if (replanned) await tx.delete(gridEventParticipants).where(and(eq(gridEventParticipants.organisationId, ctx.orgId), eq(gridEventParticipants.eventId, current.id)));
    const [row] = await tx
      .update(gridEvents)
      .set({
        name: changes.name ?? current.name,
        direction: changes.direction ?? current.direction,
        startAt,
        endAt,
        targetKw: changes.targetKw ?? current.targetKw,
        region: changes.region === undefined ? current.region : changes.region,
        priceGbpPerMwh: changes.priceGbpPerMwh ?? current.priceGbpPerMwh,
        propositions: changes.propositions ?? current.propositions,
        status: "draft",
        committedAt: null,
        updatedAt: now,
      })
      .where(and(eq(gridEvents.id, current.id), eq(gridEvents.status, current.status)))
      .returning();
    if (!row) throw conflict("The event changed while it was being edited; reload and try again.");
    await recordAuditEvent(txCtx, {
      action: "grid_event.updated",
      targetType: "grid_event",
      targetId: row.id,
      details: { changes: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])), planDiscarded: replanned },
    });
    return toGridEvent(row);
  });
}

/**
 * Cancels an event before it starts. A draft or scheduled event is simply cancelled; one already
 * dispatching (batteries commanded ahead of the start) goes to restoring first, and the executor
 * puts every battery back before marking it cancelled.
 */
export async function cancelGridEvent(ctx: ServiceContext, eventId: string, input: { reason?: string } = {}, now = new Date()): Promise<GridEvent> {
  authorize(ctx, "grid_events:write");
  const reason = input.reason?.trim().slice(0, 500) || null;
  const cancelled = await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const current = await loadEventRow(txCtx, eventId);
    const cancellable = ["draft", "scheduled", "dispatching"].includes(current.status) && current.startAt.getTime() > now.getTime();
    if (!cancellable) throw conflict(`The event is ${current.status}${current.startAt.getTime() <= now.getTime() ? " and has started" : ""}; it can no longer be cancelled.`);
    const nextStatus = current.status === "dispatching" ? "restoring" : "cancelled";
    const [row] = await tx
      .update(gridEvents)
      .set({ status: nextStatus, cancelledAt: now, updatedAt: now })
      .where(and(eq(gridEvents.id, current.id), eq(gridEvents.status, current.status)))
      .returning();
    if (!row) throw conflict("The event changed while it was being cancelled; reload and try again.");
    await recordAuditEvent(txCtx, { action: "grid_event.cancelled", targetType: "grid_event", targetId: row.id, details: { fromStatus: current.status, reason } });
    return toGridEvent(row);
  });
  // Householders who were told about it hear it is off (a dispatching one is told once restored).
  if (cancelled.status === "cancelled") {
    await notifyCancellation(ctx, cancelled).catch(() => 0);
  }
  return cancelled;
}

export const listGridEventsSchema = z.object({
  status: z.array(z.enum(GRID_EVENT_STATUSES)).optional(),
  direction: z.enum(GRID_EVENT_DIRECTIONS).optional(),
  /** Events whose window ends at or after this instant. */
  from: instant.optional(),
  /** Events whose window starts at or before this instant. */
  to: instant.optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListGridEventsInput = z.input<typeof listGridEventsSchema>;

export interface GridEventListItem extends GridEvent {
  participantCount: number;
  plannedKw: number;
}

export async function listGridEvents(ctx: ServiceContext, input: ListGridEventsInput = {}): Promise<{ items: GridEventListItem[]; total: number; offset: number; limit: number }> {
  authorize(ctx, "grid_events:read");
  const filters = parseOrThrow(listGridEventsSchema, input);
  const where: (SQL | undefined)[] = [
    eq(gridEvents.organisationId, ctx.orgId),
    filters.status && filters.status.length > 0 ? inArray(gridEvents.status, filters.status) : undefined,
    filters.direction ? eq(gridEvents.direction, filters.direction) : undefined,
    filters.from ? gte(gridEvents.endAt, filters.from) : undefined,
    filters.to ? lte(gridEvents.startAt, filters.to) : undefined,
  ];
  const [totalRow] = await ctx.db.select({ n: count() }).from(gridEvents).where(and(...where));
  const rows = await ctx.db
    .select()
    .from(gridEvents)
    .where(and(...where))
    .orderBy(desc(gridEvents.startAt), desc(gridEvents.id))
    .offset(filters.offset)
    .limit(filters.limit);
  const ids = rows.map((r) => r.id);
  const participants =
    ids.length === 0
      ? []
      : await ctx.db
          .select({ eventId: gridEventParticipants.eventId, plannedKw: gridEventParticipants.plannedKw })
          .from(gridEventParticipants)
          .where(and(eq(gridEventParticipants.organisationId, ctx.orgId), inArray(gridEventParticipants.eventId, ids)));
  const byEvent = new Map<string, { n: number; kw: number }>();
  for (const p of participants) {
    const entry = byEvent.get(p.eventId) ?? { n: 0, kw: 0 };
    entry.n += 1;
    entry.kw += p.plannedKw;
    byEvent.set(p.eventId, entry);
  }
  return {
    items: rows.map((r) => ({ ...toGridEvent(r), participantCount: byEvent.get(r.id)?.n ?? 0, plannedKw: Math.round((byEvent.get(r.id)?.kw ?? 0) * 1000) / 1000 })),
    total: totalRow?.n ?? 0,
    offset: filters.offset,
    limit: filters.limit,
  };
}

export interface GridEventParticipant {
  id: string;
  assetId: string;
  assetExternalId: string;
  siteId: string;
  postcode: string;
  assetType: string;
  control: string;
  proposition: string;
  plannedKw: number;
  previousMode: string | null;
  status: string;
  dispatchActionId: string | null;
  restoreActionId: string | null;
  failureReason: string | null;
  deliveredKwh: number | null;
  updatedAt: Date;
}

export async function listParticipants(ctx: ServiceContext, eventId: string): Promise<GridEventParticipant[]> {
  const rows = await ctx.db
    .select({ p: gridEventParticipants, externalId: assets.externalId, postcode: sites.postcode })
    .from(gridEventParticipants)
    .innerJoin(assets, eq(assets.id, gridEventParticipants.assetId))
    .innerJoin(sites, eq(sites.id, gridEventParticipants.siteId))
    .where(and(eq(gridEventParticipants.organisationId, ctx.orgId), eq(gridEventParticipants.eventId, eventId)))
    .orderBy(asc(assets.externalId));
  return rows.map(({ p, externalId, postcode }) => toParticipant(p, externalId, postcode));
}

function toParticipant(p: GridEventParticipantRow, externalId: string, postcode: string): GridEventParticipant {
  return {
    id: p.id,
    assetId: p.assetId,
    assetExternalId: externalId,
    siteId: p.siteId,
    postcode,
    assetType: p.assetType,
    control: p.control,
    proposition: p.proposition,
    plannedKw: p.plannedKw,
    previousMode: p.previousMode,
    status: p.status,
    dispatchActionId: p.dispatchActionId,
    restoreActionId: p.restoreActionId,
    failureReason: p.failureReason,
    deliveredKwh: p.deliveredKwh,
    updatedAt: p.updatedAt,
  };
}

export async function getGridEvent(ctx: ServiceContext, eventId: string): Promise<{ event: GridEvent; participants: GridEventParticipant[] }> {
  authorize(ctx, "grid_events:read");
  const row = await loadEventRow(ctx, eventId);
  return { event: toGridEvent(row), participants: await listParticipants(ctx, row.id) };
}
