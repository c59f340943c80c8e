// Flex Lite (`limited_pause`): the partner sends the schedule its charger intends to run at plug-in
// and gets it back, synchronously, with one pause placed where it is worth most.
//
// What a pause is worth, per half hour (GBP/MWh not consumed): the market price of that half hour
// plus the householder's unit rate under their tariff, when one is on file (1 p/kWh = £10/MWh).
// Adding the rate is deliberate: the pause moves energy to the end of the schedule, so the
// optimiser's net value (pause - extension) becomes the operator's gain minus the householder's
// extra cost. A pause that would make the householder pay more than the operator gains is not made.
import { and, desc, eq, sql } from "drizzle-orm";
import { assets, chargingTariffs, sites } from "@/db/schema";
import { getConfig } from "@/server/config";
import {
  answerPlugInSchedule,
  plugInScheduleRequestSchema,
  type PauseSlotValue,
  type PlugInScheduleAnswer,
} from "@/server/optimiser/flex-lite";
import { parseTariff, priceInterval, TARIFF_TYPES, type Tariff } from "@/server/optimiser/tariff";
import { log } from "@/server/log";
import { assertDispatchConsent } from "../consent/assert-dispatch-consent";
import type { ServiceContext } from "../context";
import { invalid, notFound } from "../errors";
import { isUuid } from "../inventory/records";
import { operatorMarket } from "../market-prices/default-market";
import { getPriceSlots } from "../market-prices/market-prices";
import { authorize } from "../authorize";

export const FLEX_LITE_PROPOSITION = "limited_pause";
/** A typical UK home charger, when the asset does not say its power. */
export const DEFAULT_CHARGER_KW = 7.4;
const HALF_HOUR_MS = 30 * 60_000;

export interface PlugInScheduleInput {
  assetId: string;
  chargingSchedule: readonly { start_timestamp: string; end_timestamp: string }[];
  now?: Date;
  /** Overrides FLEX_LITE_PAUSE_MINUTES (tests, tools). */
  pauseMinutes?: number;
}

function chargerKwOf(properties: Record<string, unknown>): number {
  for (const key of ["power_kw", "max_charge_power_kw"]) {
    const value = properties[key];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  }
  return DEFAULT_CHARGER_KW;
}

async function latestTariff(ctx: ServiceContext, assetId: string): Promise<Tariff | null> {
  const [row] = await ctx.db
    .select()
    .from(chargingTariffs)
    .where(and(eq(chargingTariffs.organisationId, ctx.orgId), eq(chargingTariffs.assetId, assetId)))
    .orderBy(desc(chargingTariffs.version))
    .limit(1);
  if (!row) return null;
  const parsed = parseTariff({
    off_peak_times: row.offPeakTimes,
    timezone: row.timezone,
    tariff_type: (TARIFF_TYPES as readonly string[]).includes(row.tariffType) ? row.tariffType : "unknown",
    ...(Array.isArray(row.unitRates) ? { unit_rates: row.unitRates } : {}),
  });
  if (!parsed.ok) {
    // A stored tariff that no longer parses should not block the partner's charger: price it without.
    log.warn(
      { assetId, tariffId: row.id, issues: parsed.issues },
      "stored tariff could not be used for Flex Lite",
    );
    return null;
  }
  return parsed.tariff;
}

/** Answers a plug-in-schedule event for an asset of the organisation with the site's Flex Lite consent. */
export async function answerFlexLitePlugInSchedule(
  ctx: ServiceContext,
  input: PlugInScheduleInput,
): Promise<PlugInScheduleAnswer> {
  authorize(ctx, "charging:events");
  const request = plugInScheduleRequestSchema.safeParse({ charging_schedule: input.chargingSchedule });
  if (!request.success) {
    throw invalid(
      "The charging schedule is not valid.",
      request.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        message: issue.message,
        type: issue.code,
      })),
    );
  }
  if (!isUuid(input.assetId)) throw notFound("Asset");
  const [asset] = await ctx.db
    .select({ id: assets.id, siteId: assets.siteId, properties: assets.properties })
    .from(assets)
    // An offboarded site's charger is gone as far as the partner can tell.
    .where(
      and(
        eq(assets.organisationId, ctx.orgId),
        eq(assets.id, input.assetId),
        sql`exists (select 1 from ${sites} where ${sites.id} = ${assets.siteId} and ${sites.status} = 'active')`,
      ),
    )
    .limit(1);
  if (!asset) throw notFound("Asset");
  await assertDispatchConsent(ctx, { siteId: asset.siteId, proposition: FLEX_LITE_PROPOSITION });

  const blocks = request.data.charging_schedule;
  const now = input.now ?? new Date();
  const pauseMinutes = input.pauseMinutes ?? getConfig().flexLitePauseMinutes;
  if (blocks.length === 0) return { modified_charging_schedule: [] };

  const startMs = Math.min(...blocks.map((block) => Date.parse(block.start_timestamp)));
  // The pause's extension runs past the schedule's end, so price that far too.
  const endMs = Math.max(...blocks.map((block) => Date.parse(block.end_timestamp))) + pauseMinutes * 60_000;
  const from = Math.floor(startMs / HALF_HOUR_MS) * HALF_HOUR_MS;
  const to = Math.ceil(endMs / HALF_HOUR_MS) * HALF_HOUR_MS;
  const [prices, tariff] = await Promise.all([
    operatorMarket(ctx.db, ctx.orgId).then((market) =>
      market === null ? [] : getPriceSlots(ctx, { market, from: new Date(from), to: new Date(to) }),
    ),
    latestTariff(ctx, asset.id),
  ]);
  const marketPrice = new Map(prices.map((slot) => [slot.slotStart.getTime(), slot.priceGbpPerMwh]));

  const slotValues: PauseSlotValue[] = [];
  for (let slot = from; slot < to; slot += HALF_HOUR_MS) {
    const market = marketPrice.get(slot);
    const householderGbpPerMwh =
      tariff === null ? undefined : priceInterval(slot, slot + HALF_HOUR_MS, tariff).pencePerKwh * 10;
    if (market === undefined && householderGbpPerMwh === undefined) continue;
    slotValues.push({
      start: new Date(slot),
      end: new Date(slot + HALF_HOUR_MS),
      pauseValueGbpPerMwh: (market ?? 0) + (householderGbpPerMwh ?? 0),
    });
  }
  return answerPlugInSchedule(request.data, {
    slotValues,
    chargerKw: chargerKwOf(asset.properties),
    now,
    pauseMinutes,
  });
}
