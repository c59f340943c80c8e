// What the dashboard shows of a direct charge point beyond its row: the message log a page at a time
// (each payload cut to a readable size), and the last plan pushed as a charging profile against the
// schedule the charger reported as applied (GetCompositeSchedule), both as kW steps over time.
import { and, desc, eq, isNotNull, lt } from "drizzle-orm";
import { z } from "zod";
import { ocppChargePoints, ocppCommands, ocppMessages } from "@/db/schema";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../inventory/records";

/** Payloads longer than this are cut in the log view: a full profile or meter batch is still readable, a huge one does not swamp the page. */
export const MESSAGE_PREVIEW_CHARS = 2000;
const VOLTAGE = 230;

export const chargePointMessagePageSchema = z.object({
  id: z.uuid(),
  limit: z.number().int().min(1).max(100).default(25),
  /** The `nextBefore` of the previous page; absent for the newest messages. */
  before: z.number().int().positive().optional(),
});

export interface MessageLogEntry {
  id: number;
  at: Date;
  direction: "in" | "out";
  messageType: string;
  action: string | null;
  /** The payload as JSON, cut at MESSAGE_PREVIEW_CHARS. */
  payload: string | null;
  truncated: boolean;
  error: string | null;
}

async function chargePointRowId(ctx: ServiceContext, id: string): Promise<string> {
  if (!isUuid(id)) throw notFound("Charge point");
  const [row] = await ctx.db
    .select({ id: ocppChargePoints.id })
    .from(ocppChargePoints)
    .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, id)));
  if (!row) throw notFound("Charge point");
  return row.id;
}

/** One page of the message log, newest first; `nextBefore` asks for the page after it (null at the oldest kept message). */
export async function pageChargePointMessages(ctx: ServiceContext, input: z.input<typeof chargePointMessagePageSchema>): Promise<{ rows: MessageLogEntry[]; nextBefore: number | null }> {
  authorize(ctx, "ocpp:read");
  const { id, limit, before } = chargePointMessagePageSchema.parse(input);
  const rowId = await chargePointRowId(ctx, id);
  const rows = await ctx.db
    .select()
    .from(ocppMessages)
    .where(and(eq(ocppMessages.organisationId, ctx.orgId), eq(ocppMessages.chargePointId, rowId), before === undefined ? undefined : lt(ocppMessages.id, before)))
    .orderBy(desc(ocppMessages.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map((row): MessageLogEntry => {
    const text = row.payload === null || row.payload === undefined ? null : JSON.stringify(row.payload);
    const truncated = text !== null && text.length > MESSAGE_PREVIEW_CHARS;
    return {
      id: row.id,
      at: row.at,
      direction: row.direction === "out" ? "out" : "in",
      messageType: row.messageType,
      action: row.action,
      payload: text === null ? null : truncated ? `${text.slice(0, MESSAGE_PREVIEW_CHARS)}…` : text,
      truncated,
      error: row.error,
    };
  });
  return { rows: page, nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

export interface PowerStep {
  /** Epoch ms where this limit starts. */
  time: number;
  kw: number;
}

export interface PlanAgainstApplied {
  sentAt: Date | null;
  planVersion: number | null;
  /** pending | sending | answered | rejected | failed | superseded | cancelled */
  status: string;
  /** Whether the charger accepted the profile (its answer's status). */
  accepted: boolean | null;
  matches: boolean | null;
  comparison: string | null;
  planned: PowerStep[];
  applied: PowerStep[];
}

interface Schedule {
  startMs: number;
  durationSeconds: number | null;
  unit: string;
  periods: Array<{ startPeriod: number; limit: number; numberPhases?: number }>;
}

const scheduleShape = z.object({
  startSchedule: z.string().optional(),
  duration: z.number().optional(),
  chargingRateUnit: z.string(),
  chargingSchedulePeriod: z.array(z.object({ startPeriod: z.number(), limit: z.number(), numberPhases: z.number().optional() })),
});

function readSchedule(raw: unknown, fallbackStart: string | undefined): Schedule | null {
  const parsed = scheduleShape.safeParse(raw);
  if (!parsed.success) return null;
  const start = Date.parse(parsed.data.startSchedule ?? fallbackStart ?? "");
  if (Number.isNaN(start)) return null;
  return { startMs: start, durationSeconds: parsed.data.duration ?? null, unit: parsed.data.chargingRateUnit, periods: parsed.data.chargingSchedulePeriod };
}

/** A schedule as kW steps, closed with a zero step at its end so a chart draws where it stops. */
export function scheduleToPowerSteps(schedule: Schedule): PowerStep[] {
  const toKw = (limit: number, phases: number | undefined) => (schedule.unit === "A" ? (limit * VOLTAGE * (phases ?? 3)) / 1000 : limit / 1000);
  const steps = schedule.periods.map((p) => ({ time: schedule.startMs + p.startPeriod * 1000, kw: Math.round(toKw(p.limit, p.numberPhases) * 1000) / 1000 }));
  if (schedule.durationSeconds !== null) steps.push({ time: schedule.startMs + schedule.durationSeconds * 1000, kw: 0 });
  return steps;
}

/** The profile sent for the latest plan (1.6 or 2.0.1) and what the charger reports it applies; null before any profile was sent. */
export async function chargePointPlanAgainstApplied(ctx: ServiceContext, input: { id: string }): Promise<PlanAgainstApplied | null> {
  authorize(ctx, "ocpp:read");
  const rowId = await chargePointRowId(ctx, input.id);
  const [command] = await ctx.db
    .select()
    .from(ocppCommands)
    .where(and(eq(ocppCommands.organisationId, ctx.orgId), eq(ocppCommands.chargePointId, rowId), eq(ocppCommands.kind, "profile"), isNotNull(ocppCommands.planVersion)))
    .orderBy(desc(ocppCommands.createdAt))
    .limit(1);
  if (!command) return null;
  const payload = command.payload;
  const sentRaw = isRecordLike(payload.csChargingProfiles)
    ? payload.csChargingProfiles.chargingSchedule
    : isRecordLike(payload.chargingProfile) && Array.isArray(payload.chargingProfile.chargingSchedule)
      ? (payload.chargingProfile.chargingSchedule as unknown[])[0]
      : undefined;
  const sent = readSchedule(sentRaw, undefined);
  const composite = command.appliedSchedule ?? null;
  const scheduleStart = composite && typeof composite.scheduleStart === "string" ? composite.scheduleStart : undefined;
  const applied = composite ? readSchedule(composite.chargingSchedule ?? composite.schedule, scheduleStart) : null;
  const answer = command.response?.status;
  return {
    sentAt: command.sentAt,
    planVersion: command.planVersion,
    status: command.status,
    accepted: typeof answer === "string" ? answer === "Accepted" : null,
    matches: command.appliedMatchesPlan,
    comparison: command.appliedComparison,
    planned: sent ? scheduleToPowerSteps(sent) : [],
    applied: applied ? scheduleToPowerSteps(applied) : [],
  };
}

function isRecordLike(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
