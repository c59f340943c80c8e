// The plan-charging request (the CLI's `plan-charging`, documented in
// docs/planner.md): validates the JSON, lays each session out on settlement
// slots priced from a tariff or from explicit slot prices, plans (jointly when
// a site import limit can bind) and answers in snake_case JSON.
import { z } from "zod";
import { planSiteSessions } from "./plan-site";
import { priceInterval, tariffFromWire, tariffWireSchema, type Tariff } from "../tariff/tariff";
import { settlementSlots } from "../time/settlement-slots";
import { isValidTimeZone, nextOccurrenceOfLocalTime, parseLocalTime } from "../time/zone";
import type { ChargingMode, ChargingPlan, ChargingSessionInput, PlanningSlot } from "./types";

const HALF_HOUR_MS = 30 * 60_000;
/** Longest window planned in one request. */
export const MAX_WINDOW_HOURS = 7 * 24;
export const MAX_SESSIONS = 5000;

const instant = z.iso.datetime({
  offset: true,
  message: "must be an ISO 8601 instant with a zone, e.g. 2026-03-28T18:00:00Z",
});
const finite = z.number().finite();

const sessionSchema = z
  .object({
    id: z.string().min(1).max(200).optional(),
    plug_in_at: instant.optional(),
    ready_by: instant.optional(),
    ready_by_local_time: z
      .string()
      .refine((value) => parseLocalTime(value) !== null, "must be a wall time HH:MM")
      .optional(),
    energy_required_kwh: finite.min(0).max(1000),
    charger_power_kw: finite.positive().max(1000),
    may_charge_peak: z.boolean().default(false),
    charging_mode: z
      .enum(["maximise_charging_time", "minimise_charging_time"])
      .default("maximise_charging_time"),
    charge_now_until: instant.optional(),
  })
  .strict()
  .refine((session) => (session.ready_by === undefined) !== (session.ready_by_local_time === undefined), {
    message: "give exactly one of ready_by (an instant) and ready_by_local_time (a wall time)",
    path: ["ready_by"],
  });

export const planChargingRequestSchema = z
  .object({
    now: instant,
    timezone: z
      .string()
      .refine(isValidTimeZone, "must be an IANA time zone such as Europe/London")
      .optional(),
    tariff: tariffWireSchema.optional(),
    slot_prices: z
      .array(
        z
          .object({
            start_timestamp: instant,
            pence_per_kwh: finite.min(-1000).max(1000),
            peak: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1)
      .optional(),
    market_prices: z
      .array(z.object({ start_timestamp: instant, price_gbp_per_mwh: finite }).strict())
      .optional(),
    turn_down_events: z
      .array(z.object({ start_timestamp: instant, end_timestamp: instant }).strict())
      .optional(),
    site_import_limit_kw: finite.positive().max(100_000).optional(),
    sessions: z.array(sessionSchema).min(1).max(MAX_SESSIONS),
  })
  .strict()
  .refine((request) => (request.tariff === undefined) !== (request.slot_prices === undefined), {
    message: "give exactly one of tariff and slot_prices",
    path: ["tariff"],
  });

export type PlanChargingRequest = z.input<typeof planChargingRequestSchema>;

export interface PlanChargingIssue {
  path: string;
  message: string;
}

export interface PlannedSlotAnswer {
  start_timestamp: string;
  end_timestamp: string;
  settlement_date: string;
  settlement_period: number;
  kw: number;
  kwh: number;
  pence_per_kwh: number;
  peak: boolean;
  /** Power steps inside the slot when it is not flat (charge-now ending inside it). */
  periods?: { start_timestamp: string; kw: number }[];
}

export interface SessionPlanAnswer {
  id: string;
  window_start: string;
  window_end: string;
  charging_mode: ChargingMode;
  energy_required_kwh: number;
  energy_planned_kwh: number;
  met: boolean;
  /** True when the energy cannot be met: the plan then charges as fast as allowed. */
  flagged: boolean;
  shortfall_kwh: number;
  cost_pence: number;
  baseline_cost_pence: number;
  saving_pence: number;
  slots: PlannedSlotAnswer[];
}

export interface PlanChargingAnswer {
  method: "greedy" | "lp";
  site_import_limit_kw: number | null;
  cost_pence: number;
  baseline_cost_pence: number;
  saving_pence: number;
  sessions: SessionPlanAnswer[];
}

export type PlanChargingResult =
  | { ok: true; answer: PlanChargingAnswer }
  | { ok: false; error: { code: "validation_error"; message: string; issues: PlanChargingIssue[] } };

function invalid(issues: PlanChargingIssue[]): PlanChargingResult {
  return {
    ok: false,
    error: {
      code: "validation_error",
      message: issues.map((issue) => `${issue.path || "(request)"}: ${issue.message}`).join("; "),
      issues,
    },
  };
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000 + 0;

interface SlotMeta {
  localDate: string;
  period: number;
  peak: boolean;
}

/** Validates and plans a plan-charging request. Never throws on bad input: answers a validation error. */
export async function runPlanChargingRequest(json: unknown): Promise<PlanChargingResult> {
  const parsed = planChargingRequestSchema.safeParse(json);
  if (!parsed.success) {
    return invalid(
      parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  const request = parsed.data;
  const tariff: Tariff | undefined =
    request.tariff === undefined ? undefined : tariffFromWire(request.tariff);
  const timeZone = request.timezone ?? tariff?.timeZone ?? "Europe/London";
  const now = new Date(request.now);

  const slotPrices = new Map<number, { pencePerKwh: number; peak: boolean }>();
  for (const price of request.slot_prices ?? [])
    slotPrices.set(Date.parse(price.start_timestamp), { pencePerKwh: price.pence_per_kwh, peak: price.peak });
  const marketPrices = new Map<number, number>();
  for (const price of request.market_prices ?? [])
    marketPrices.set(
      Math.floor(Date.parse(price.start_timestamp) / HALF_HOUR_MS) * HALF_HOUR_MS,
      price.price_gbp_per_mwh,
    );
  const turnDownEvents = (request.turn_down_events ?? []).map((event) => ({
    start: Date.parse(event.start_timestamp),
    end: Date.parse(event.end_timestamp),
  }));

  const issues: PlanChargingIssue[] = [];
  const sessions: ChargingSessionInput[] = [];
  const metas: SlotMeta[][] = [];
  for (const [index, session] of request.sessions.entries()) {
    const path = `sessions.${index}`;
    const plugIn = session.plug_in_at === undefined ? now : new Date(session.plug_in_at);
    const windowStart = plugIn.getTime() > now.getTime() ? plugIn : now;
    const windowEnd =
      session.ready_by !== undefined
        ? new Date(session.ready_by)
        : nextOccurrenceOfLocalTime(windowStart, session.ready_by_local_time ?? "", timeZone);
    if (windowEnd.getTime() <= windowStart.getTime()) {
      issues.push({
        path: `${path}.ready_by`,
        message: `must be after the window start ${windowStart.toISOString()} (now or plug-in, whichever is later)`,
      });
      continue;
    }
    if (windowEnd.getTime() - windowStart.getTime() > MAX_WINDOW_HOURS * 3_600_000) {
      issues.push({
        path: `${path}.ready_by`,
        message: `the window may be at most ${MAX_WINDOW_HOURS} hours long`,
      });
      continue;
    }
    const slots: PlanningSlot[] = [];
    const meta: SlotMeta[] = [];
    let missing: string | undefined;
    for (const slot of settlementSlots(windowStart, windowEnd, timeZone)) {
      const slotStart = slot.start.getTime();
      const start = new Date(Math.max(slotStart, windowStart.getTime()));
      const end = new Date(Math.min(slot.end.getTime(), windowEnd.getTime()));
      let pencePerKwh: number;
      let peak: boolean;
      if (tariff !== undefined) {
        const price = priceInterval(start, end, tariff);
        pencePerKwh = price.pencePerKwh;
        peak = price.peak;
      } else {
        const price = slotPrices.get(slotStart);
        if (price === undefined) {
          missing ??= slot.start.toISOString();
          continue;
        }
        pencePerKwh = price.pencePerKwh;
        peak = price.peak;
      }
      const startMs = start.getTime();
      const endMs = end.getTime();
      slots.push({
        start,
        end,
        pencePerKwh,
        peak,
        marketPriceGbpPerMwh: marketPrices.get(slotStart) ?? 0,
        turnDownEvent: turnDownEvents.some((event) => event.start < endMs && event.end > startMs),
      });
      meta.push({ localDate: slot.localDate, period: slot.period, peak });
    }
    if (missing !== undefined) {
      issues.push({
        path: "slot_prices",
        message: `no price for the slot starting ${missing} in session ${index + 1}'s window`,
      });
      continue;
    }
    sessions.push({
      id: session.id ?? `session-${index + 1}`,
      windowStart,
      windowEnd,
      energyRequiredKwh: session.energy_required_kwh,
      chargerMaxKw: session.charger_power_kw,
      slots,
      mayChargePeak: session.may_charge_peak,
      chargeNowUntil: session.charge_now_until === undefined ? null : new Date(session.charge_now_until),
      chargingMode: session.charging_mode,
    });
    metas.push(meta);
  }
  if (issues.length > 0) return invalid(issues);

  const sitePlan = await planSiteSessions({
    sessions,
    siteImportLimitKw: request.site_import_limit_kw ?? null,
  });
  return {
    ok: true,
    answer: {
      method: sitePlan.method,
      site_import_limit_kw: request.site_import_limit_kw ?? null,
      cost_pence: sitePlan.costPence,
      baseline_cost_pence: sitePlan.baselineCostPence,
      saving_pence: sitePlan.savingPence,
      sessions: sitePlan.plans.map((plan, index) => sessionAnswer(plan, sessions[index], metas[index] ?? [])),
    },
  };
}

function sessionAnswer(
  plan: ChargingPlan,
  session: ChargingSessionInput | undefined,
  meta: SlotMeta[],
): SessionPlanAnswer {
  return {
    id: plan.id ?? "",
    window_start: session?.windowStart.toISOString() ?? "",
    window_end: session?.windowEnd.toISOString() ?? "",
    charging_mode: session?.chargingMode ?? "maximise_charging_time",
    energy_required_kwh: session?.energyRequiredKwh ?? 0,
    energy_planned_kwh: round3(plan.energyKwh),
    met: plan.met,
    flagged: !plan.met,
    shortfall_kwh: round3(plan.shortfallKwh),
    cost_pence: plan.costPence,
    baseline_cost_pence: plan.baselineCostPence,
    saving_pence: plan.savingPence,
    slots: plan.slots.map((slot, index) => ({
      start_timestamp: slot.start.toISOString(),
      end_timestamp: slot.end.toISOString(),
      settlement_date: meta[index]?.localDate ?? "",
      settlement_period: meta[index]?.period ?? 0,
      kw: round3(slot.kw),
      kwh: round3(slot.kwh),
      pence_per_kwh: slot.pencePerKwh,
      peak: meta[index]?.peak ?? false,
      ...(slot.periods ? { periods: slot.periods.map((step) => ({ start_timestamp: step.start.toISOString(), kw: round3(step.kw) })) } : {}),
    })),
  };
}
