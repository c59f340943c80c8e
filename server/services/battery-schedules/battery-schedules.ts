// Daily schedules for Fully Optimised batteries (full_asset_control consent and enrolment): the
// planner (HiGHS LP) against import/export prices built from the organisation's market curve plus
// margins, a household load forecast from the battery's own telemetry, and its SoC bounds and
// floor. Every version is stored; an executor turns the active version into operation-mode
// Actions at slot boundaries. See docs/rewards.md ("Fully optimised batteries").
import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { assets, batteryReadings, batterySchedules, batteryScheduleSlotActions, enrolments, marketPrices, sites, type BatteryScheduleRow, type StoredBatteryScheduleSlot } from "@/db/schema";
import { batteryPropertiesSchema } from "@/server/domain/inventory/asset-properties";
import { buildLocalDaySlots, forecastHouseholdLoad, forecastSolarGeneration, planBatterySchedule, socTargetsForDay, BatteryPlanError, type BatteryPlanSlotInput, type DailySocTarget, type LoadReading } from "@/server/optimiser/battery";
import { DEFAULT_TIME_ZONE, localWallTime, nextLocalDate } from "@/server/optimiser/time/local-wall-time";
import { recordAuditEvent } from "../audit/record-audit-event";
import { createOperationModeAction, OPERATION_MODE_PROPOSITION, type ActionDeps } from "../actions/actions";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { currentConsentsForSites } from "../consent/current-consents";
import { isServiceError, notFound } from "../errors";
import { isUuid } from "../inventory/records";
import { readRewardSettings, type RewardSettings } from "../rewards/ledger";
import { loadHalfHourTelemetry } from "../batteries/half-hour-telemetry";

const HALF_HOUR_MS = 30 * 60_000;
const LOAD_HISTORY_DAYS = 14;
/** Used when the asset does not say: a typical lithium home battery. */
const DEFAULT_ROUND_TRIP_EFFICIENCY = 0.9;
const DEFAULT_SOC_MIN_PCT = 5;
const DEFAULT_SOC_MAX_PCT = 100;
/** A slot boundary the executor missed by more than this is left alone (the next boundary takes over). */
const EXECUTOR_GRACE_MS = 10 * 60_000;

export type ScheduleTrigger = "daily" | "prices" | "operator";

export interface OptimisedBattery {
  assetId: string;
  siteId: string;
  properties: Record<string, unknown>;
}

/** Batteries whose site is active, enrolled in full_asset_control and currently consents to it. */
export async function listOptimisedBatteries(ctx: ServiceContext, assetIds?: readonly string[]): Promise<OptimisedBattery[]> {
  if (assetIds !== undefined && assetIds.length === 0) return [];
  const rows = await ctx.db
    .select({ assetId: assets.id, siteId: assets.siteId, properties: assets.properties })
    .from(assets)
    .innerJoin(sites, and(eq(sites.id, assets.siteId), eq(sites.status, "active")))
    .innerJoin(enrolments, and(eq(enrolments.siteId, assets.siteId), eq(enrolments.proposition, OPERATION_MODE_PROPOSITION), eq(enrolments.state, "enrolled")))
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.type, "battery"), assetIds === undefined ? undefined : inArray(assets.id, [...assetIds])))
    .orderBy(asc(assets.id));
  const consents = await currentConsentsForSites(ctx, [...new Set(rows.map((r) => r.siteId))]);
  return rows.filter((row) => consents.get(row.siteId)?.dispatch.has(OPERATION_MODE_PROPOSITION) ?? false);
}

/** The battery's SoC targets (asset property `soc_targets`, validated when the asset was saved); malformed entries are ignored. */
function dailySocTargets(properties: Record<string, unknown>): DailySocTarget[] {
  const parsed = batteryPropertiesSchema.shape.soc_targets.safeParse(properties.soc_targets);
  return parsed.success ? (parsed.data ?? []) : [];
}

function numberProperty(properties: Record<string, unknown>, key: string): number | undefined {
  const value = properties[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export interface PriceSlot {
  marketPriceGbpPerMwh: number;
  importPencePerKwh: number;
  exportPencePerKwh: number;
}

/** Market price per slot start (ms) for the window; GBP/MWh / 10 = p/kWh, plus the import margin, minus the export margin. */
async function loadPrices(ctx: ServiceContext, settings: RewardSettings, from: Date, to: Date): Promise<Map<number, PriceSlot>> {
  const rows = await ctx.db
    .select({ slotStart: marketPrices.slotStart, price: marketPrices.priceGbpPerMwh })
    .from(marketPrices)
    .where(and(eq(marketPrices.organisationId, ctx.orgId), eq(marketPrices.market, settings.scheduleMarket), gte(marketPrices.slotStart, from), lt(marketPrices.slotStart, to)));
  return new Map(
    rows.map((row) => [
      row.slotStart.getTime(),
      {
        marketPriceGbpPerMwh: row.price,
        importPencePerKwh: row.price / 10 + settings.importMarginPencePerKwh,
        // Never sells dearer than it buys: keeps the planner an exact LP and matches real export tariffs.
        exportPencePerKwh: Math.min(row.price / 10 - settings.exportMarginPencePerKwh, row.price / 10 + settings.importMarginPencePerKwh),
      },
    ]),
  );
}

interface TelemetryState {
  socPct: number | null;
  dischargeFloorPct: number | null;
  loadHistory: LoadReading[];
  /** Solar generation per half hour (kWh), from the same telemetry. */
  solarHistory: LoadReading[];
}

async function loadTelemetry(ctx: ServiceContext, assetId: string, before: Date): Promise<TelemetryState> {
  const [latest] = await ctx.db
    .select({ socPct: batteryReadings.socPct, floor: batteryReadings.dischargeFloorPct })
    .from(batteryReadings)
    .where(and(eq(batteryReadings.organisationId, ctx.orgId), eq(batteryReadings.assetId, assetId), lt(batteryReadings.observedAt, before)))
    .orderBy(desc(batteryReadings.observedAt))
    .limit(1);
  // The household's load and solar per half hour, from the telemetry rollup.
  const history = await loadHalfHourTelemetry(ctx, assetId, new Date(before.getTime() - LOAD_HISTORY_DAYS * 86_400_000), before);
  return {
    socPct: latest?.socPct ?? null,
    dischargeFloorPct: latest?.floor ?? null,
    loadHistory: history.map((row) => ({ start: row.slot, kwh: Math.max(0, row.meanLoadPowerKw) * 0.5 })),
    solarHistory: history.map((row) => ({ start: row.slot, kwh: Math.max(0, row.meanSolarPowerKw) * 0.5 })),
  };
}

export type PlanOutcome = { assetId: string; ok: true; scheduleId: string; version: number; slots: number; savingPence: number } | { assetId: string; ok: false; reason: string };

/** The plan for one battery and one local day, from `now` (earlier slots of the day keep the previous version's plan). */
// eslint-disable-next-line flexfleet/authorize-first -- internal: one battery of planDailyBatterySchedules / replanBatterySchedules
export async function planScheduleForBattery(
  ctx: ServiceContext,
  battery: OptimisedBattery,
  input: { localDate: string; trigger: ScheduleTrigger; now: Date; settings: RewardSettings },
): Promise<PlanOutcome> {
  const daySlots = buildLocalDaySlots(input.localDate);
  const firstFuture = daySlots.findIndex((slot) => Date.parse(slot.end) > input.now.getTime());
  if (firstFuture < 0) return { assetId: battery.assetId, ok: false, reason: "day_over" };
  const planSlots = daySlots.slice(firstFuture);
  const windowStart = new Date(Date.parse(daySlots[0]?.start ?? ""));
  const windowEnd = new Date(Date.parse(daySlots[daySlots.length - 1]?.end ?? ""));
  const capacityKwh = numberProperty(battery.properties, "capacity_kwh");
  const powerKw = numberProperty(battery.properties, "power_kw");
  if (!capacityKwh || !powerKw || capacityKwh <= 0 || powerKw <= 0) return { assetId: battery.assetId, ok: false, reason: "missing_capacity_or_power" };
  const prices = await loadPrices(ctx, input.settings, new Date(Date.parse(planSlots[0]?.start ?? "")), windowEnd);
  const missing = planSlots.filter((slot) => !prices.has(Date.parse(slot.start)));
  if (missing.length > 0) return { assetId: battery.assetId, ok: false, reason: `missing_prices:${missing.length}` };
  const telemetry = await loadTelemetry(ctx, battery.assetId, input.now);
  const forecast = forecastHouseholdLoad(telemetry.loadHistory, planSlots);
  const solar = forecastSolarGeneration(telemetry.solarHistory, planSlots);
  const floorPct = telemetry.dischargeFloorPct ?? numberProperty(battery.properties, "discharge_floor_pct") ?? 10;
  const startSocPct = telemetry.socPct ?? 50;
  const socMaxPct = DEFAULT_SOC_MAX_PCT;
  const spec = {
    capacityKwh,
    maxChargeKw: powerKw,
    maxDischargeKw: powerKw,
    roundTripEfficiency: numberProperty(battery.properties, "round_trip_efficiency") ?? DEFAULT_ROUND_TRIP_EFFICIENCY,
    socMinPct: DEFAULT_SOC_MIN_PCT,
    socMaxPct,
    dischargeFloorPct: Math.min(floorPct, socMaxPct),
    startSocPct,
    // Each day ends where it started (at least the floor), so one day's plan never spends the next day's energy.
    endSocMinPct: Math.min(socMaxPct, Math.max(floorPct, startSocPct)),
  };
  const slotInputs: BatteryPlanSlotInput[] = planSlots.map((slot, i) => {
    const price = prices.get(Date.parse(slot.start));
    return {
      start: slot.start,
      end: slot.end,
      importPencePerKwh: price?.importPencePerKwh ?? 0,
      exportPencePerKwh: price?.exportPencePerKwh ?? 0,
      loadKwh: forecast[i]?.loadKwh ?? 0,
      solarKwh: solar[i]?.solarKwh ?? 0,
    };
  });
  const socTargets = socTargetsForDay(dailySocTargets(battery.properties), input.localDate, DEFAULT_TIME_ZONE);
  let plan;
  try {
    plan = await planBatterySchedule({ battery: spec, slots: slotInputs, socTargets });
  } catch (error) {
    if (error instanceof BatteryPlanError) return { assetId: battery.assetId, ok: false, reason: `planner_${error.code}` };
    throw error;
  }
  const plannedSlots: StoredBatteryScheduleSlot[] = plan.slots.map((slot, i) => {
    const price = prices.get(Date.parse(slot.start));
    return {
      start: slot.start,
      end: slot.end,
      chargeKw: slot.chargeKw,
      dischargeKw: slot.dischargeKw,
      gridImportKw: slot.gridImportKw,
      gridExportKw: slot.gridExportKw,
      socStartPct: slot.socStartPct,
      socEndPct: slot.socEndPct,
      mode: slot.mode,
      importPencePerKwh: price?.importPencePerKwh ?? 0,
      exportPencePerKwh: price?.exportPencePerKwh ?? 0,
      loadKwh: slotInputs[i]?.loadKwh ?? 0,
      solarKwh: slotInputs[i]?.solarKwh ?? 0,
      marketPriceGbpPerMwh: price?.marketPriceGbpPerMwh ?? 0,
    };
  });
  const firstPlannedStart = Date.parse(planSlots[0]?.start ?? "");
  const stored = await ctx.db.transaction(async (tx) => {
    // Serialises planners of one battery-day (daily job vs a price re-plan).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${battery.assetId}:${input.localDate}`}))`);
    const [previous] = await tx
      .select()
      .from(batterySchedules)
      .where(and(eq(batterySchedules.assetId, battery.assetId), eq(batterySchedules.scheduleDate, input.localDate)))
      .orderBy(desc(batterySchedules.version))
      .limit(1);
    const kept = previous && previous.status === "active" ? previous.slots.filter((slot) => Date.parse(slot.start) < firstPlannedStart) : [];
    if (previous) await tx.update(batterySchedules).set({ status: "superseded" }).where(and(eq(batterySchedules.assetId, battery.assetId), eq(batterySchedules.scheduleDate, input.localDate), eq(batterySchedules.status, "active")));
    const [row] = await tx
      .insert(batterySchedules)
      .values({
        organisationId: ctx.orgId,
        assetId: battery.assetId,
        siteId: battery.siteId,
        scheduleDate: input.localDate,
        version: (previous?.version ?? 0) + 1,
        trigger: input.trigger,
        windowStart,
        windowEnd,
        slots: [...kept, ...plannedSlots],
        inputs: { battery: spec, market: input.settings.scheduleMarket, importMarginPencePerKwh: input.settings.importMarginPencePerKwh, exportMarginPencePerKwh: input.settings.exportMarginPencePerKwh, loadForecast: forecast.some((f) => f.source === "history") ? "history" : "fallback", solarForecast: solar.some((f) => f.source === "history") ? "history" : "none", plannedFrom: new Date(firstPlannedStart).toISOString(), socTargets: socTargets.map((target) => target.label), boundTargets: plan.boundTargets, integerSlots: plan.integerSlots },
        totalCostPence: plan.totalCostPence,
        baselineCostPence: plan.baselineCostPence,
        savingPence: plan.savingPence,
        solver: plan.solver,
        provenOptimal: plan.provenOptimal,
        status: "active",
        createdAt: input.now,
      })
      .returning({ id: batterySchedules.id, version: batterySchedules.version });
    if (!row) throw new Error("battery schedule insert returned nothing");
    return row;
  });
  return { assetId: battery.assetId, ok: true, scheduleId: stored.id, version: stored.version, slots: plannedSlots.length, savingPence: plan.savingPence };
}

export interface PlanRunSummary {
  localDate: string;
  planned: number;
  skipped: { assetId: string; reason: string }[];
}

/** Plans one local day (default: tomorrow in Europe/London) for every optimised battery of the organisation. */
export async function planDailyBatterySchedules(ctx: ServiceContext, input: { localDate?: string; trigger?: ScheduleTrigger; now?: Date; assetIds?: string[] } = {}): Promise<PlanRunSummary> {
  authorize(ctx, "batteries:control");
  const now = input.now ?? new Date();
  const localDate = input.localDate ?? nextLocalDate(localWallTime(now).date);
  const settings = await readRewardSettings(ctx);
  const batteries = await listOptimisedBatteries(ctx, input.assetIds);
  const skipped: PlanRunSummary["skipped"] = [];
  let planned = 0;
  for (const battery of batteries) {
    const outcome = await planScheduleForBattery(ctx, battery, { localDate, trigger: input.trigger ?? "daily", now, settings });
    if (outcome.ok) planned += 1;
    else skipped.push({ assetId: outcome.assetId, reason: outcome.reason });
  }
  if (ctx.actor.type !== "system" || planned + skipped.length > 0) {
    await recordAuditEvent(ctx, { action: "battery_schedules.planned", targetType: "organisation", targetId: ctx.orgId, details: { localDate, trigger: input.trigger ?? "daily", planned, skipped: skipped.length } });
  }
  return { localDate, planned, skipped };
}

/**
 * Called when market prices change (by the prices work): re-plans the rest of today and, when it
 * already has schedules, tomorrow, for every optimised battery. Returns what was planned per day.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: runs after a price curve is stored (market_prices:write) and from planning
export async function replanBatterySchedules(ctx: ServiceContext, input: { now?: Date } = {}): Promise<PlanRunSummary[]> {
  const now = input.now ?? new Date();
  const today = localWallTime(now).date;
  const tomorrow = nextLocalDate(today);
  const results = [await planDailyBatterySchedules(ctx, { localDate: today, trigger: "prices", now })];
  const [hasTomorrow] = await ctx.db
    .select({ id: batterySchedules.id })
    .from(batterySchedules)
    .where(and(eq(batterySchedules.organisationId, ctx.orgId), eq(batterySchedules.scheduleDate, tomorrow)))
    .limit(1);
  if (hasTomorrow) results.push(await planDailyBatterySchedules(ctx, { localDate: tomorrow, trigger: "prices", now }));
  return results;
}

export interface BatteryScheduleView {
  id: string;
  assetId: string;
  scheduleDate: string;
  version: number;
  trigger: string;
  status: string;
  createdAt: Date;
  totalCostPence: number;
  baselineCostPence: number;
  savingPence: number;
  solver: string;
  /** False when the planner stopped at its effort limit: the plan is physical but may not be the cheapest. */
  provenOptimal: boolean;
  /** The battery's SoC targets that applied that day, and those the plan sits on. */
  socTargets: string[];
  boundTargets: string[];
  slots: StoredBatteryScheduleSlot[];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function toView(row: BatteryScheduleRow): BatteryScheduleView {
  const inputs = (row.inputs ?? {}) as Record<string, unknown>;
  return {
    id: row.id,
    assetId: row.assetId,
    scheduleDate: row.scheduleDate,
    version: row.version,
    trigger: row.trigger,
    status: row.status,
    createdAt: row.createdAt,
    totalCostPence: row.totalCostPence,
    baselineCostPence: row.baselineCostPence,
    savingPence: row.savingPence,
    solver: row.solver,
    provenOptimal: row.provenOptimal,
    socTargets: stringList(inputs.socTargets),
    boundTargets: stringList(inputs.boundTargets),
    slots: row.slots,
  };
}

async function requireBattery(ctx: ServiceContext, assetId: string): Promise<void> {
  if (!isUuid(assetId)) throw notFound("Battery");
  const [asset] = await ctx.db.select({ id: assets.id }).from(assets).where(and(eq(assets.organisationId, ctx.orgId), eq(assets.id, assetId), eq(assets.type, "battery"))).limit(1);
  if (!asset) throw notFound("Battery");
}

/** The active schedules of a battery that have not ended yet (today's and tomorrow's), oldest first. */
export async function getActiveBatterySchedules(ctx: ServiceContext, assetId: string, now = new Date()): Promise<BatteryScheduleView[]> {
  authorize(ctx, "sites:read");
  await requireBattery(ctx, assetId);
  const rows = await ctx.db
    .select()
    .from(batterySchedules)
    .where(and(eq(batterySchedules.organisationId, ctx.orgId), eq(batterySchedules.assetId, assetId), eq(batterySchedules.status, "active"), gte(batterySchedules.windowEnd, now)))
    .orderBy(asc(batterySchedules.windowStart));
  return rows.map(toView);
}

/** For the battery page: today's and tomorrow's active plans (or the latest plan when none is current). */
export async function getBatterySchedulePanel(ctx: ServiceContext, assetId: string, now = new Date()): Promise<{ schedules: BatteryScheduleView[]; latest: BatteryScheduleView | null }> {
  authorize(ctx, "sites:read");
  const schedules = await getActiveBatterySchedules(ctx, assetId, now);
  if (schedules.length > 0) return { schedules, latest: null };
  const [latest] = await ctx.db
    .select()
    .from(batterySchedules)
    .where(and(eq(batterySchedules.organisationId, ctx.orgId), eq(batterySchedules.assetId, assetId)))
    .orderBy(desc(batterySchedules.createdAt))
    .limit(1);
  return { schedules, latest: latest ? toView(latest) : null };
}

/** The partner dialect's schedule actions for our operation modes. */
export function scheduleActionForMode(mode: string): { action: "charge_max" | "discharge_max" | "avoid_export" | "avoid_import"; allowDeviation: boolean } {
  switch (mode) {
    case "IMPORT_FOCUS":
      return { action: "charge_max", allowDeviation: false };
    case "EXPORT_FOCUS":
      return { action: "discharge_max", allowDeviation: false };
    case "TIME_OF_USE":
      // Holding energy back for a dearer slot: the battery may still take surplus solar, it must not export.
      return { action: "avoid_export", allowDeviation: true };
    default:
      return { action: "avoid_import", allowDeviation: true };
  }
}

export interface ScheduleStep {
  start: string;
  end: string;
  action: "charge_max" | "discharge_max" | "avoid_export" | "avoid_import";
  allowDeviation: boolean;
}

/** Consecutive slots with the same action merge into one step. */
export function scheduleSteps(slots: readonly StoredBatteryScheduleSlot[]): ScheduleStep[] {
  const steps: ScheduleStep[] = [];
  for (const slot of slots) {
    const { action, allowDeviation } = scheduleActionForMode(slot.mode);
    const last = steps[steps.length - 1];
    if (last && last.action === action && last.end === slot.end) continue;
    if (last && last.action === action && Date.parse(last.end) === Date.parse(slot.start)) last.end = slot.end;
    else steps.push({ start: slot.start, end: slot.end, action, allowDeviation });
  }
  return steps;
}

export interface ExecutionSummary {
  created: number;
  unchanged: number;
  skipped: number;
}

/**
 * For every active schedule with a slot that began in the last few minutes and has no record yet:
 * create the Action for the slot's mode when it differs from the previous slot's (or it is the
 * first slot run), record the boundary either way. Safe to run repeatedly and concurrently: the
 * (asset, slot) record is unique.
 */
export async function executeDueScheduleSlots(ctx: ServiceContext, input: { now?: Date; deps?: ActionDeps } = {}): Promise<ExecutionSummary> {
  authorize(ctx, "batteries:control");
  const now = input.now ?? new Date();
  const summary: ExecutionSummary = { created: 0, unchanged: 0, skipped: 0 };
  const schedules = await ctx.db
    .select()
    .from(batterySchedules)
    .where(and(eq(batterySchedules.organisationId, ctx.orgId), eq(batterySchedules.status, "active"), lte(batterySchedules.windowStart, now), gte(batterySchedules.windowEnd, now)));
  for (const schedule of schedules) {
    const dueIndex = schedule.slots.findIndex((slot) => Date.parse(slot.start) <= now.getTime() && now.getTime() < Date.parse(slot.end));
    const due = schedule.slots[dueIndex];
    if (!due || now.getTime() - Date.parse(due.start) > EXECUTOR_GRACE_MS) continue;
    const slotStart = new Date(Date.parse(due.start));
    const [previousRecord] = await ctx.db
      .select({ mode: batteryScheduleSlotActions.mode, outcome: batteryScheduleSlotActions.outcome })
      .from(batteryScheduleSlotActions)
      .where(and(eq(batteryScheduleSlotActions.assetId, schedule.assetId), lt(batteryScheduleSlotActions.slotStart, slotStart), gte(batteryScheduleSlotActions.slotStart, new Date(slotStart.getTime() - HALF_HOUR_MS))))
      .orderBy(desc(batteryScheduleSlotActions.slotStart))
      .limit(1);
    // Claim the boundary first so two workers never both create the Action.
    const [claim] = await ctx.db
      .insert(batteryScheduleSlotActions)
      .values({ organisationId: ctx.orgId, scheduleId: schedule.id, assetId: schedule.assetId, slotStart, mode: due.mode, outcome: "claimed" })
      .onConflictDoNothing({ target: [batteryScheduleSlotActions.assetId, batteryScheduleSlotActions.slotStart] })
      .returning({ id: batteryScheduleSlotActions.id });
    if (!claim) continue;
    if (previousRecord && previousRecord.mode === due.mode && previousRecord.outcome !== "skipped") {
      await ctx.db.update(batteryScheduleSlotActions).set({ outcome: "unchanged" }).where(eq(batteryScheduleSlotActions.id, claim.id));
      summary.unchanged += 1;
      continue;
    }
    try {
      const action = await createOperationModeAction(ctx, { assetId: schedule.assetId, operationMode: due.mode }, { ...input.deps, now });
      await ctx.db.update(batteryScheduleSlotActions).set({ outcome: "created", actionId: action.id }).where(eq(batteryScheduleSlotActions.id, claim.id));
      summary.created += 1;
    } catch (error) {
      // Consent withdrawn, credential rejected and the like: record why and move on to the next battery.
      const reason = isServiceError(error) ? error.message : "The Action could not be created.";
      await ctx.db.update(batteryScheduleSlotActions).set({ outcome: "skipped", reason }).where(eq(batteryScheduleSlotActions.id, claim.id));
      summary.skipped += 1;
      if (!isServiceError(error)) throw error;
    }
  }
  return summary;
}

/** Slot boundaries the executor handled for a battery, newest first (battery page). */
export async function listScheduleExecutions(ctx: ServiceContext, assetId: string, limit = 48) {
  authorize(ctx, "sites:read");
  await requireBattery(ctx, assetId);
  return ctx.db
    .select({ slotStart: batteryScheduleSlotActions.slotStart, mode: batteryScheduleSlotActions.mode, outcome: batteryScheduleSlotActions.outcome, actionId: batteryScheduleSlotActions.actionId, reason: batteryScheduleSlotActions.reason })
    .from(batteryScheduleSlotActions)
    .where(and(eq(batteryScheduleSlotActions.organisationId, ctx.orgId), eq(batteryScheduleSlotActions.assetId, assetId)))
    .orderBy(desc(batteryScheduleSlotActions.slotStart))
    .limit(limit);
}

/** Organisations with at least one full_asset_control enrolment (for the daily job). */
export async function organisationsWithOptimisedBatteries(db: ServiceContext["db"]): Promise<string[]> {
  const rows = await db.selectDistinct({ orgId: enrolments.organisationId }).from(enrolments).where(and(eq(enrolments.proposition, OPERATION_MODE_PROPOSITION), eq(enrolments.state, "enrolled")));
  return rows.map((row) => row.orgId);
}

/** Organisations with an active schedule covering `now` (for the executor job). */
export async function organisationsWithActiveSchedules(db: ServiceContext["db"], now: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ orgId: batterySchedules.organisationId })
    .from(batterySchedules)
    .where(and(eq(batterySchedules.status, "active"), lte(batterySchedules.windowStart, now), gte(batterySchedules.windowEnd, now)));
  return rows.map((row) => row.orgId);
}
