// Battery telemetry per UTC half hour, for settlement, baselines and planning: the means of each
// measure. Whole half hours come from the rollup (battery_reading_rollups, kept by triggers as readings
// arrive, and kept after the raw rows are dropped); a half hour cut by `from` or `to` is averaged from
// the raw rows inside the window, so the answer is the one the raw rows give.
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../context";

export interface HalfHourTelemetry {
  slot: Date;
  readings: number;
  meanSocPct: number;
  meanBatteryPowerKw: number;
  meanGridPowerKw: number;
  meanSolarPowerKw: number;
  meanLoadPowerKw: number;
}

const HALF_HOUR_MS = 30 * 60_000;

interface Row extends Record<string, unknown> {
  slot: string | Date;
  readings: number;
  soc: number;
  battery: number;
  grid: number;
  solar: number;
  load: number;
}

/** Half hours of [from, to) that have readings, oldest first. */
export async function loadHalfHourTelemetry(ctx: ServiceContext, assetId: string, from: Date, to: Date): Promise<HalfHourTelemetry[]> {
  if (!(from.getTime() < to.getTime())) return [];
  // Whole half hours: [firstWhole, lastWholeEnd). Empty when the window sits inside one half hour.
  const firstWhole = Math.ceil(from.getTime() / HALF_HOUR_MS) * HALF_HOUR_MS;
  const lastWholeEnd = Math.max(firstWhole, Math.floor(to.getTime() / HALF_HOUR_MS) * HALF_HOUR_MS);
  const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  const rows = await ctx.db.execute<Row>(sql`
    select slot_start as slot, reading_count as readings,
      soc_pct_sum / reading_count as soc, battery_power_kw_sum / reading_count as battery, grid_power_kw_sum / reading_count as grid,
      solar_power_kw_sum / reading_count as solar, load_power_kw_sum / reading_count as load
    from battery_reading_rollups
    where organisation_id = ${ctx.orgId} and asset_id = ${assetId} and reading_count > 0
      and slot_start >= ${at(firstWhole)} and slot_start < ${at(lastWholeEnd)}
    union all
    select date_bin('30 minutes', observed_at, timestamptz '2000-01-01T00:00:00Z'), count(*)::int,
      avg(soc_pct), avg(battery_power_kw), avg(grid_power_kw), avg(solar_power_kw), avg(load_power_kw)
    from battery_readings
    where organisation_id = ${ctx.orgId} and asset_id = ${assetId}
      and ((observed_at >= ${at(from.getTime())} and observed_at < ${at(Math.min(firstWhole, to.getTime()))})
        or (observed_at >= ${at(lastWholeEnd)} and observed_at < ${at(to.getTime())}))
    group by 1
    order by 1`);
  return rows.map((row) => ({
    slot: new Date(row.slot),
    readings: Number(row.readings),
    meanSocPct: Number(row.soc),
    meanBatteryPowerKw: Number(row.battery),
    meanGridPowerKw: Number(row.grid),
    meanSolarPowerKw: Number(row.solar),
    meanLoadPowerKw: Number(row.load),
  }));
}
