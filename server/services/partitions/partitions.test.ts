// The time-partitioned tables on a database of their own (the shared test database must not have its
// partitions dropped by a simulated calendar): the migration converts populated tables without losing
// a row, the maintenance job follows a simulated calendar, and the rollup equals the raw aggregates.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { migrationsFolder, runMigrations } from "@/db/migrate";
import type { PartitionSettings } from "@/server/config";
import { listTimePartitions, maintainPartitions } from "./maintain-partitions";

const DAY = 86_400_000;
const PARTITIONING_MIGRATION = "partition_time_series_tables";
const base = process.env.DATABASE_URL ?? "";
const dbName = `partitions_${process.pid}_${Date.now()}`;
const url = Object.assign(new URL(base), { pathname: `/${dbName}` }).toString();
const admin = postgres(base, { max: 1, onnotice: () => {} });
let sql: postgres.Sql;
let connection: ReturnType<typeof connect>;
const ids = {
  org: "00000000-0000-4000-8000-000000000001",
  site: "00000000-0000-4000-8000-000000000002",
  battery: "00000000-0000-4000-8000-000000000003",
  charger: "00000000-0000-4000-8000-000000000004",
  session: "00000000-0000-4000-8000-000000000005",
  plan: "00000000-0000-4000-8000-000000000006",
  delivery: "00000000-0000-4000-8000-000000000007",
  endpoint: "00000000-0000-4000-8000-000000000008",
  webhook: "00000000-0000-4000-8000-000000000009",
};
// The calendar of the test: today's midnight (UTC) as the migration saw it.
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const at = (days: number, minutes = 0) => new Date(today.getTime() + days * DAY + minutes * 60_000);

/** A copy of the migrations whose journal stops just before the partitioning migration. */
function migrationsBeforePartitioning(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "flexfleet-migrations-"));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const stop = journal.entries.findIndex((entry) => entry.tag.endsWith(PARTITIONING_MIGRATION));
  expect(stop).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, stop) }));
  return dir;
}

async function populate(): Promise<void> {
  await sql`insert into organisations (id, slug, name) values (${ids.org}, 'partitions', 'Partitions')`;
  await sql`insert into sites (id, organisation_id, mpan, mpan_check_digit_valid, postcode) values (${ids.site}, ${ids.org}, '1200023305967', true, 'SW1A 1AA')`;
  await sql`insert into assets (id, organisation_id, site_id, type, external_id) values
    (${ids.battery}, ${ids.org}, ${ids.site}, 'battery', 'b1'), (${ids.charger}, ${ids.org}, ${ids.site}, 'charger', 'c1')`;
  // Telemetry 40 days ago, today (two half hours) and in ten days (beyond the partitions made ahead).
  for (const [days, minutes] of [[-40, 0], [-40, 5], [-40, 40], [0, 0], [0, 5], [0, 10], [0, 31], [0, 36], [10, 0]] as const) {
    await sql`insert into battery_readings (organisation_id, asset_id, observed_at, soc_pct, battery_power_kw, grid_power_kw, solar_power_kw, load_power_kw, oem_mode, discharge_floor_pct)
      values (${ids.org}, ${ids.battery}, ${at(days, minutes)}, ${50 + minutes}, ${minutes / 10 - 1}, 0.5, ${minutes / 20}, 0.7, 'SelfUse', 10)`;
  }
  for (const days of [-400, -40, -1, 0]) {
    await sql`insert into asset_readings (organisation_id, asset_id, label, start_at, end_at, value)
      values (${ids.org}, ${ids.charger}, 'charger_consumption_energy_kwh', ${at(days)}, ${at(days, 30)}, ${days + 1000})`;
  }
  await sql`insert into charging_sessions (id, organisation_id, site_id, asset_id, charger_power_kw, plugged_in_at) values (${ids.session}, ${ids.org}, ${ids.site}, ${ids.charger}, 7.4, ${at(-100)})`;
  await sql`insert into charging_plans (id, organisation_id, session_id, asset_id, version, trigger, window_start, window_end, slots, energy_kwh, cost_pence, baseline_cost_pence, saving_pence, met)
    values (${ids.plan}, ${ids.org}, ${ids.session}, ${ids.charger}, 1, 'plug_in', ${at(-100)}, ${at(-99)}, '[]', 10, 100, 120, 20, true)`;
  await sql`insert into schedule_deliveries (id, organisation_id, plan_id, session_id, asset_id, ocpp_version, body) values (${ids.delivery}, ${ids.org}, ${ids.plan}, ${ids.session}, ${ids.charger}, '1.6', '{}')`;
  for (const days of [-100, -40, 0]) {
    await sql`insert into schedule_delivery_attempts (organisation_id, delivery_id, attempted_at, http_status, duration_ms) values (${ids.org}, ${ids.delivery}, ${at(days)}, 200, 12)`;
  }
  await sql`insert into webhook_endpoints (id, organisation_id, url, secret) values (${ids.endpoint}, ${ids.org}, 'https://partner.example/hook', 's')`;
  await sql`insert into webhook_deliveries (id, organisation_id, endpoint_id, event_type, payload) values (${ids.webhook}, ${ids.org}, ${ids.endpoint}, 'x', '{}')`;
  for (const days of [-70, 0]) {
    await sql`insert into webhook_delivery_attempts (organisation_id, delivery_id, endpoint_id, url, attempted_at, body, duration_ms) values (${ids.org}, ${ids.webhook}, ${ids.endpoint}, 'https://partner.example/hook', ${at(days)}, '{}', 30)`;
  }
}

const TABLES = {
  battery_readings: "asset_id, observed_at",
  asset_readings: "asset_id, label, start_at",
  schedule_delivery_attempts: "id",
  webhook_delivery_attempts: "id",
} as const;

async function contents(): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(TABLES)) result[table] = await sql.unsafe(`select * from ${table} order by ${order}`);
  return result;
}

/** Half-hourly aggregates computed from the raw rows, in the rollup's shape. */
async function rawAggregates() {
  return sql<{ asset_id: string; slot_start: Date; reading_count: number; soc: number; battery: number; grid: number; solar: number; load: number }[]>`
    select asset_id, date_bin('30 minutes', observed_at, timestamptz '2000-01-01T00:00:00Z') as slot_start, count(*)::int as reading_count,
      sum(soc_pct) as soc, sum(battery_power_kw) as battery, sum(grid_power_kw) as grid, sum(solar_power_kw) as solar, sum(load_power_kw) as load
    from battery_readings group by 1, 2 order by 1, 2`;
}

async function rollups() {
  return sql<{ asset_id: string; slot_start: Date; reading_count: number; soc: number; battery: number; grid: number; solar: number; load: number }[]>`
    select asset_id, slot_start, reading_count, soc_pct_sum as soc, battery_power_kw_sum as battery, grid_power_kw_sum as grid,
      solar_power_kw_sum as solar, load_power_kw_sum as load
    from battery_reading_rollups order by 1, 2`;
}

function expectSameAggregates(actual: Awaited<ReturnType<typeof rollups>>, expected: Awaited<ReturnType<typeof rawAggregates>>): void {
  expect(actual.map((r) => [r.asset_id, r.slot_start.toISOString(), r.reading_count])).toEqual(expected.map((r) => [r.asset_id, r.slot_start.toISOString(), r.reading_count]));
  actual.forEach((row, i) => {
    const raw = expected[i];
    for (const measure of ["soc", "battery", "grid", "solar", "load"] as const) expect(row[measure]).toBeCloseTo(raw?.[measure] ?? NaN, 9);
  });
}

const settings = (overrides: Partial<PartitionSettings["retentionDays"]> = {}, expired: PartitionSettings["expired"] = "drop"): PartitionSettings => ({
  retentionDays: { batteryReadings: 35, assetReadings: 400, batteryRollups: 800, deliveryAttempts: 90, ...overrides },
  expired,
});

const partitionNames = async (table: string) => (await listTimePartitions(connection.db, table)).map((p) => p.name);
const dayName = (table: string, days: number) => `${table}_p${at(days).toISOString().slice(0, 10).replace(/-/g, "")}`;
const monthName = (table: string, date: Date) => `${table}_p${date.toISOString().slice(0, 7).replace("-", "")}`;

let before: Record<string, unknown[]>;

beforeAll(async () => {
  await admin.unsafe(`create database "${dbName}"`);
  const partial = migrationsBeforePartitioning();
  try {
    await runMigrations(url, partial);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  sql = postgres(url, { max: 4, onnotice: () => {} });
  await populate();
  before = await contents();
  await runMigrations(url);
  connection = connect(url, { max: 2 });
}, 180_000);

afterAll(async () => {
  await connection?.sql.end({ timeout: 5 });
  await sql?.end({ timeout: 5 });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
});

describe("partitioning migration", () => {
  it("converts populated tables into partitioned ones without losing or changing a row", async () => {
    expect(await contents()).toEqual(before);
    const kinds = await sql<{ relname: string; relkind: string }[]>`select relname, relkind from pg_class where relname in ${sql([...Object.keys(TABLES), "battery_reading_rollups"])}`;
    expect(kinds).toHaveLength(5);
    for (const { relkind } of kinds) expect(relkind).toBe("p");
    // Partitions cover every day from the oldest row to the newest (ten days out), and a week ahead.
    const days = await partitionNames("battery_readings");
    expect(days[0]).toBe(dayName("battery_readings", -40));
    expect(days.at(-1)).toBe(dayName("battery_readings", 10));
    expect(days).toHaveLength(51);
    expect(await partitionNames("asset_readings")).toEqual(expect.arrayContaining([dayName("asset_readings", -400), dayName("asset_readings", 7)]));
    expect(await sql`select 1 from battery_readings_default`).toHaveLength(0);
  });

  it("keeps keys, upserts, sequences, foreign keys and the asset trigger working", async () => {
    // ON CONFLICT on the battery readings' unique index (asset, observed_at) still finds its target.
    await sql`insert into battery_readings (organisation_id, asset_id, observed_at, soc_pct, battery_power_kw, grid_power_kw, solar_power_kw, load_power_kw, oem_mode, discharge_floor_pct)
      values (${ids.org}, ${ids.battery}, ${at(0)}, 99, 1, 1, 1, 1, 'SelfUse', 10)
      on conflict (asset_id, observed_at) do update set soc_pct = excluded.soc_pct`;
    expect((await sql`select soc_pct from battery_readings where asset_id = ${ids.battery} and observed_at = ${at(0)}`)[0]?.soc_pct).toBe(99);
    await sql`insert into asset_readings (organisation_id, asset_id, label, start_at, end_at, value) values (${ids.org}, ${ids.charger}, 'charger_consumption_energy_kwh', ${at(0)}, ${at(0, 30)}, 7)
      on conflict (asset_id, label, start_at) do update set value = excluded.value`;
    expect(await sql`select value from asset_readings where asset_id = ${ids.charger} and start_at = ${at(0)}`).toEqual([{ value: 7 }]);
    // The attempt ids keep counting from the old table's sequence.
    const [next] = await sql<{ id: string }[]>`insert into schedule_delivery_attempts (organisation_id, delivery_id, attempted_at, duration_ms) values (${ids.org}, ${ids.delivery}, ${at(0)}, 5) returning id`;
    expect(Number(next?.id)).toBe(4);
    await expect(sql`insert into battery_readings (organisation_id, asset_id, observed_at, soc_pct, battery_power_kw, grid_power_kw, solar_power_kw, load_power_kw, oem_mode, discharge_floor_pct)
      values (${ids.org}, '00000000-0000-4000-8000-0000000000ff', ${at(0)}, 1, 1, 1, 1, 1, 'SelfUse', 10)`).rejects.toThrow(/foreign key/);
    // The statement trigger on assets still deletes an asset's partner readings with it.
    await sql`insert into assets (id, organisation_id, site_id, type, external_id) values ('00000000-0000-4000-8000-0000000000aa', ${ids.org}, ${ids.site}, 'charger', 'gone')`;
    await sql`insert into asset_readings (organisation_id, asset_id, label, start_at, end_at, value) values (${ids.org}, '00000000-0000-4000-8000-0000000000aa', 'charger_consumption_energy_kwh', ${at(-3)}, ${at(-3, 30)}, 1)`;
    await sql`delete from assets where id = '00000000-0000-4000-8000-0000000000aa'`;
    expect(await sql`select 1 from asset_readings where asset_id = '00000000-0000-4000-8000-0000000000aa'`).toHaveLength(0);
  });

  it("rolls up the telemetry already stored", async () => {
    expectSameAggregates(await rollups(), await rawAggregates());
  });
});

describe("half-hourly battery telemetry rollup", () => {
  it("equals the raw aggregates after inserts, re-polled observations and concurrent batches", async () => {
    const columns = "organisation_id, asset_id, observed_at, soc_pct, battery_power_kw, grid_power_kw, solar_power_kw, load_power_kw, oem_mode, discharge_floor_pct";
    const batch = (seed: number, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const value = Math.sin(seed * 100 + i) * 5;
        return `('${ids.org}', '${ids.battery}', '${at(1, (seed * 7 + i * 3) % 600).toISOString()}', ${50 + value}, ${value}, ${value / 2}, ${Math.abs(value)}, ${1 + value / 3}, 'SelfUse', 10)`;
      }).join(", ");
    const upsert = (seed: number, count: number) =>
      `insert into battery_readings (${columns}) values ${batch(seed, count)}
       on conflict (asset_id, observed_at) do update set soc_pct = excluded.soc_pct, battery_power_kw = excluded.battery_power_kw,
         grid_power_kw = excluded.grid_power_kw, solar_power_kw = excluded.solar_power_kw, load_power_kw = excluded.load_power_kw`;
    // Batches overlap: later ones replace some earlier observations (ON CONFLICT DO UPDATE) and add others,
    // and several run at once, each in its own transaction.
    await sql.unsafe(upsert(1, 120));
    await Promise.all([2, 3, 4, 5].map((seed) => sql.begin((tx) => tx.unsafe(upsert(seed, 150)))));
    await sql.unsafe(upsert(1, 60));
    expectSameAggregates(await rollups(), await rawAggregates());
  });
});

describe("partition maintenance on a simulated calendar", () => {
  it("creates partitions ahead, moves waiting rows in, and is idempotent", async () => {
    const keepAll = settings({ batteryReadings: 3650, assetReadings: 3650, deliveryAttempts: 3650 });
    const first = await maintainPartitions(at(0, 60), keepAll, connection.db);
    for (const result of first) expect([result.table, result.created, result.expired]).toEqual([result.table, [], []]);
    // A reading beyond every partition waits in the default partition...
    await sql`insert into battery_readings (organisation_id, asset_id, observed_at, soc_pct, battery_power_kw, grid_power_kw, solar_power_kw, load_power_kw, oem_mode, discharge_floor_pct)
      values (${ids.org}, ${ids.battery}, ${at(14, 3)}, 60, 1, 1, 1, 1, 'SelfUse', 10)`;
    expect((await maintainPartitions(at(0, 60), keepAll, connection.db)).find((r) => r.table === "battery_readings")?.defaultRows).toBe(1);
    // ...until the calendar reaches it: eight days on, days 8 to 15 must exist, and it moves into its own.
    const later = await maintainPartitions(at(8, 60), keepAll, connection.db);
    const readings = later.find((r) => r.table === "battery_readings");
    expect(readings?.created).toEqual([11, 12, 13, 14, 15].map((d) => dayName("battery_readings", d)));
    expect(readings?.defaultRows).toBe(0);
    expect(await sql.unsafe(`select observed_at from ${dayName("battery_readings", 14)}`)).toEqual([{ observed_at: at(14, 3) }]);
    const again = await maintainPartitions(at(8, 60), keepAll, connection.db);
    for (const result of again) expect([result.created, result.expired]).toEqual([[], []]);
  });

  it("drops whole partitions past each table's retention and nothing younger", async () => {
    const retained = await sql`select count(*)::int as n from battery_readings where observed_at >= ${at(-1)}`;
    const result = await maintainPartitions(at(0, 60), settings({ batteryReadings: 35, assetReadings: 30, deliveryAttempts: 60 }), connection.db);
    const byTable = Object.fromEntries(result.map((r) => [r.table, r.expired]));
    const daysFrom = (table: string, first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => dayName(table, first + i));
    // Days ending at least 35 days ago go (the 40-day-old telemetry with them); the rest stays.
    expect(byTable.battery_readings).toEqual(daysFrom("battery_readings", -40, -36));
    expect(byTable.asset_readings).toEqual(daysFrom("asset_readings", -400, -31));
    // Monthly logs go only when their whole month is older than the retention.
    // (the migration made a partition for every month from the oldest attempt, 100 days ago, on)
    const monthsGone: Date[] = [];
    for (let m = new Date(Date.UTC(at(-100).getUTCFullYear(), at(-100).getUTCMonth(), 1)); ; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
      if (new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1)) > at(-60, 60)) break;
      monthsGone.push(m);
    }
    expect(monthsGone.length).toBeGreaterThan(0);
    expect(byTable.schedule_delivery_attempts).toEqual(monthsGone.map((d) => monthName("schedule_delivery_attempts", d)));
    expect(await sql`select 1 from battery_readings where observed_at < ${at(-35)}`).toHaveLength(0);
    expect(await sql`select count(*)::int as n from battery_readings where observed_at >= ${at(-1)}`).toEqual(retained);
    // The rollup keeps the dropped days' half hours: settlement and baselines still have them.
    expect(await sql`select reading_count from battery_reading_rollups where slot_start = ${at(-40)}`).toEqual([{ reading_count: 2 }]);
    expect(await sql`select to_regclass(${dayName("battery_readings", -40)}) as t`).toEqual([{ t: null }]);
  });

  it("detaches expired partitions into the archive schema when configured to", async () => {
    const result = await maintainPartitions(at(40, 60), settings({ batteryReadings: 35 }, "detach"), connection.db);
    const expired = result.find((r) => r.table === "battery_readings")?.expired ?? [];
    expect(expired).toContain(dayName("battery_readings", 0));
    const [archived] = await sql<{ n: number }[]>`select count(*)::int as n from archive.${sql(dayName("battery_readings", 0))}`;
    expect(archived?.n).toBeGreaterThan(0);
    expect(await sql`select 1 from battery_readings where observed_at >= ${at(0)} and observed_at < ${at(1)}`).toHaveLength(0);
    // Created ahead from the new "today" as well.
    expect(await partitionNames("battery_readings")).toEqual(expect.arrayContaining([dayName("battery_readings", 47)]));
  });
});
