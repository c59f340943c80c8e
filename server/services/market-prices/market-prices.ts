// Half-hourly market price curves (GBP/MWh) per market. Each upload or post is recorded as a curve
// row; the current price of each (market, half hour) lives in market_prices and a newer curve
// overwrites the slots it covers (slots it does not cover keep their earlier price). After a curve
// is stored, open charging sessions are re-planned against the new prices.
import { and, asc, desc, eq, gte, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { assets, marketPriceCurves, marketPrices, sites } from "@/db/schema";
import { instantsOfLocalTime, localDateOf, localDateTime, addLocalDays } from "@/server/optimiser/time/zone";
import { log } from "@/server/log";
import { recordAuditEvent } from "../audit/record-audit-event";
import { replanBatterySchedules } from "../battery-schedules/battery-schedules";
import { replanOpenSessions } from "../charging/planning";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { publishPriceCurveEvent } from "../energy-coordination/events";
import { invalid, notFound } from "../errors";
import { isUuid } from "../inventory/records";
import {
  describePriceCsvProblems,
  HALF_HOUR_MS,
  MAX_PRICE_POINTS,
  parsePriceCsv,
  priceProblem,
  slotStartProblem,
  type PricePoint,
  type PriceCsvResult,
} from "./price-csv";

export { DEFAULT_MARKET } from "./default-market";
import { DEFAULT_MARKET } from "./default-market";
export const PRICE_CURVE_SOURCES = ["dashboard_csv", "trpc", "demo"] as const;
export type PriceCurveSource = (typeof PRICE_CURVE_SOURCES)[number];

/** Market codes as the entities dialect spells them (WHOLESALE, DFS, CM, ...); case-insensitive on input. */
export const marketCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(
    /^[A-Z][A-Z0-9_]{0,31}$/,
    "must be a market code of letters, digits and underscores, e.g. WHOLESALE",
  );

export const pricePointInputSchema = z.object({
  start: z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 instant with a zone" })
    .refine(
      (text) => slotStartProblem(text) === null,
      "must be on a half-hour boundary (:00 or :30, zero seconds)",
    ),
  priceGbpPerMwh: z
    .number()
    .refine((value) => priceProblem(value) === null, "must be a finite price within ±100,000 GBP/MWh"),
});

export const storePriceCurveInputSchema = z.object({
  market: marketCodeSchema.default(DEFAULT_MARKET),
  points: z
    .array(pricePointInputSchema)
    .min(1, "a curve needs at least one half hour")
    .max(MAX_PRICE_POINTS)
    .superRefine((points, ctx) => {
      const seen = new Map<number, number>();
      points.forEach((point, index) => {
        const ms = Date.parse(point.start);
        const earlier = seen.get(ms);
        if (earlier !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [index, "start"],
            message: `the same half hour as point ${earlier}`,
          });
        seen.set(ms, index);
      });
    }),
});
export type StorePriceCurveInput = z.input<typeof storePriceCurveInputSchema>;

export interface PriceCurveSummary {
  id: string;
  market: string;
  source: string;
  uploadedBy: string;
  pointCount: number;
  firstSlotAt: Date;
  lastSlotAt: Date;
  createdAt: Date;
}

export interface PriceSlot {
  slotStart: Date;
  priceGbpPerMwh: number;
  curveId: string;
}

export interface StoreCurveResult {
  curve: PriceCurveSummary;
  /** Open sessions re-planned against the new prices; null when re-planning failed (logged). */
  replannedSessions: number | null;
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw invalid(
      "The price curve is not valid.",
      parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        message: issue.message,
        type: issue.code,
      })),
    );
  }
  return parsed.data;
}

async function replanAfterPrices(ctx: ServiceContext, curveId: string): Promise<number | null> {
  try {
    return await replanOpenSessions(ctx, "prices");
  } catch (error) {
    // The prices are stored either way; sessions pick them up on their next periodic re-plan.
    log.warn(
      { err: error, curveId, orgId: ctx.orgId },
      "re-planning open sessions after new market prices failed",
    );
    return null;
  } finally {
    await replanBatteriesAfterPrices(ctx, curveId);
  }
}

/** Fully optimised batteries are planned against the same prices: re-plan them too (best effort, like sessions). */
async function replanBatteriesAfterPrices(ctx: ServiceContext, curveId: string): Promise<void> {
  try {
    await replanBatterySchedules(ctx);
  } catch (error) {
    log.warn(
      { err: error, curveId, orgId: ctx.orgId },
      "re-planning battery schedules after new market prices failed",
    );
  }
}

async function writeCurve(
  ctx: ServiceContext,
  market: string,
  source: PriceCurveSource,
  points: readonly PricePoint[],
  now: Date,
): Promise<StoreCurveResult> {
  const sorted = [...points].sort((a, b) => a.slotStart.getTime() - b.slotStart.getTime());
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined)
    throw invalid("A curve needs at least one half hour.", [{ path: ["points"], message: "no prices" }]);
  const curve = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(marketPriceCurves)
      .values({
        organisationId: ctx.orgId,
        market,
        source,
        uploadedBy: ctx.actor.label,
        pointCount: sorted.length,
        firstSlotAt: first.slotStart,
        lastSlotAt: last.slotStart,
      })
      .returning();
    if (!row) throw new Error("price curve insert returned nothing");
    // One statement for the whole curve: the arrays travel as two parameters.
    await tx.execute(sql`
      insert into market_prices (organisation_id, market, slot_start, price_gbp_per_mwh, curve_id)
      select ${ctx.orgId}::uuid, ${market}, p.slot_start, p.price, ${row.id}::uuid
      from unnest(
        ${`{${sorted.map((p) => p.slotStart.toISOString()).join(",")}}`}::timestamptz[],
        ${`{${sorted.map((p) => String(p.priceGbpPerMwh)).join(",")}}`}::float8[]
      ) as p(slot_start, price)
      on conflict (organisation_id, market, slot_start) do update
        set price_gbp_per_mwh = excluded.price_gbp_per_mwh, curve_id = excluded.curve_id`);
    await recordAuditEvent(
      { ...ctx, db: tx },
      {
        action: "market_prices.curve_stored",
        targetType: "market_price_curve",
        targetId: row.id,
        details: {
          market,
          source,
          pointCount: sorted.length,
          firstSlotAt: first.slotStart.toISOString(),
          lastSlotAt: last.slotStart.toISOString(),
        },
      },
    );
    // Partners on the energy-coordination dialect hear of the curve as a PriceCurve event.
    await publishPriceCurveEvent({ ...ctx, db: tx }, { id: row.id, market, points: sorted }, now);
    return row;
  });
  const replannedSessions = await replanAfterPrices(ctx, curve.id);
  return { curve, replannedSessions };
}

/** Stores a curve posted as data (tRPC, internal tools). */
export async function storePriceCurve(
  ctx: ServiceContext,
  input: StorePriceCurveInput,
  source: PriceCurveSource = "trpc",
  now = new Date(),
): Promise<StoreCurveResult> {
  authorize(ctx, "market_prices:write");
  const parsed = parseInput(storePriceCurveInputSchema, input);
  return writeCurve(
    ctx,
    parsed.market,
    source,
    parsed.points.map((point) => ({
      slotStart: new Date(point.start),
      priceGbpPerMwh: point.priceGbpPerMwh,
    })),
    now,
  );
}

/** Checks a CSV without storing anything: what the dashboard shows before the operator confirms. */
export function previewPriceCsv(csv: string): PriceCsvResult {
  return parsePriceCsv(csv);
}

/** Stores an uploaded CSV; any problem refuses the whole file with every problem by line. */
export async function uploadPriceCsv(
  ctx: ServiceContext,
  input: { market?: string; csv: string },
  now = new Date(),
): Promise<StoreCurveResult> {
  authorize(ctx, "market_prices:write");
  const market = parseInput(marketCodeSchema.default(DEFAULT_MARKET), input.market);
  const result = parsePriceCsv(input.csv);
  if (!result.ok) {
    const lines = describePriceCsvProblems(result);
    throw invalid(
      `The price file has ${result.problems.length + result.moreProblems} problem${result.problems.length + result.moreProblems === 1 ? "" : "s"}: ${lines.slice(0, 3).join("; ")}${lines.length > 3 ? "; …" : ""}`,
      result.problems.map((problem) => ({
        path: ["csv", `line ${problem.line}`],
        message: problem.line > 0 ? `line ${problem.line}: ${problem.message}` : problem.message,
        type: "csv",
      })),
    );
  }
  return writeCurve(ctx, market, "dashboard_csv", result.points, now);
}

/** Recent curves, newest first, optionally of one market. */
export async function listPriceCurves(
  ctx: ServiceContext,
  input: { market?: string; limit?: number } = {},
): Promise<PriceCurveSummary[]> {
  authorize(ctx, "market_prices:read");
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 500);
  const market = input.market === undefined ? undefined : parseInput(marketCodeSchema, input.market);
  return ctx.db
    .select({
      id: marketPriceCurves.id,
      market: marketPriceCurves.market,
      source: marketPriceCurves.source,
      uploadedBy: marketPriceCurves.uploadedBy,
      pointCount: marketPriceCurves.pointCount,
      firstSlotAt: marketPriceCurves.firstSlotAt,
      lastSlotAt: marketPriceCurves.lastSlotAt,
      createdAt: marketPriceCurves.createdAt,
    })
    .from(marketPriceCurves)
    .where(
      and(
        eq(marketPriceCurves.organisationId, ctx.orgId),
        market === undefined ? undefined : eq(marketPriceCurves.market, market),
      ),
    )
    .orderBy(desc(marketPriceCurves.createdAt), desc(marketPriceCurves.id))
    .limit(limit);
}

/** Markets the organisation has prices for, alphabetically. */
export async function listMarkets(ctx: ServiceContext): Promise<string[]> {
  authorize(ctx, "market_prices:read");
  const rows = await ctx.db
    .selectDistinct({ market: marketPriceCurves.market })
    .from(marketPriceCurves)
    .where(eq(marketPriceCurves.organisationId, ctx.orgId))
    .orderBy(asc(marketPriceCurves.market));
  return rows.map((row) => row.market);
}

/** The current price of each half hour of [from, to) that has one, in time order. */
export async function getPriceSlots(
  ctx: ServiceContext,
  input: { market?: string; from: Date; to: Date },
): Promise<PriceSlot[]> {
  authorize(ctx, "market_prices:read");
  const market = parseInput(marketCodeSchema.default(DEFAULT_MARKET), input.market);
  if (!(input.to.getTime() > input.from.getTime())) return [];
  if (input.to.getTime() - input.from.getTime() > 400 * 86_400_000) {
    throw invalid("Ask for at most 400 days of prices at once.", [
      { path: ["to"], message: "at most 400 days after from" },
    ]);
  }
  return ctx.db
    .select({
      slotStart: marketPrices.slotStart,
      priceGbpPerMwh: marketPrices.priceGbpPerMwh,
      curveId: marketPrices.curveId,
    })
    .from(marketPrices)
    .where(
      and(
        eq(marketPrices.organisationId, ctx.orgId),
        eq(marketPrices.market, market),
        // A slot that started before `from` still covers part of the range.
        gte(marketPrices.slotStart, new Date(Math.floor(input.from.getTime() / HALF_HOUR_MS) * HALF_HOUR_MS)),
        lt(marketPrices.slotStart, input.to),
      ),
    )
    .orderBy(asc(marketPrices.slotStart));
}

const LONDON = "Europe/London";
/** Day-ahead prices for tomorrow are published from 14:00 UK time. */
const NEXT_DAY_PUBLICATION_MINUTE = 14 * 60;
const CURVE_END_MINUTE = 23 * 60;

/**
 * The window the price-curve endpoints answer for, as the entities dialect describes it: from the
 * current settlement period until 23:00 UK time today, or tomorrow once it is 14:00 UK time.
 */
export function priceCurveWindow(now: Date): { from: Date; to: Date } {
  const from = new Date(Math.floor(now.getTime() / HALF_HOUR_MS) * HALF_HOUR_MS);
  const local = localDateTime(now, LONDON);
  const minuteOfDay = local.hour * 60 + local.minute;
  const today = localDateOf(now, LONDON);
  const endDate = minuteOfDay >= NEXT_DAY_PUBLICATION_MINUTE ? addLocalDays(today, 1) : today;
  const [end] = instantsOfLocalTime(endDate, CURVE_END_MINUTE, LONDON);
  return { from, to: new Date(end ?? from.getTime()) };
}

export interface PriceCurveAnswer {
  half_hourly_traded_prices: { start_timestamp: string; price_gbp_per_mwh: number }[];
}

function toPriceCurveAnswer(slots: readonly PriceSlot[]): PriceCurveAnswer {
  return {
    half_hourly_traded_prices: slots.map((slot) => ({
      start_timestamp: slot.slotStart.toISOString(),
      price_gbp_per_mwh: Math.round(slot.priceGbpPerMwh * 100) / 100,
    })),
  };
}

/** The price curve for an asset of the organisation (404 for anyone else's asset). */
export async function getAssetPriceCurve(
  ctx: ServiceContext,
  input: { assetId: string; now?: Date; market?: string },
): Promise<PriceCurveAnswer> {
  authorize(ctx, "market_prices:read");
  if (!isUuid(input.assetId)) throw notFound("Asset");
  const [asset] = await ctx.db
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.id, input.assetId)))
    .limit(1);
  if (!asset) throw notFound("Asset");
  return toPriceCurveAnswer(
    await getPriceSlots(ctx, {
      ...priceCurveWindow(input.now ?? new Date()),
      ...(input.market === undefined ? {} : { market: input.market }),
    }),
  );
}

/** The price curve for a site of the organisation (404 for anyone else's site). */
export async function getSitePriceCurve(
  ctx: ServiceContext,
  input: { siteId: string; now?: Date; market?: string },
): Promise<PriceCurveAnswer> {
  authorize(ctx, "market_prices:read");
  if (!isUuid(input.siteId)) throw notFound("Site");
  const [site] = await ctx.db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, input.siteId)))
    .limit(1);
  if (!site) throw notFound("Site");
  return toPriceCurveAnswer(
    await getPriceSlots(ctx, {
      ...priceCurveWindow(input.now ?? new Date()),
      ...(input.market === undefined ? {} : { market: input.market }),
    }),
  );
}
