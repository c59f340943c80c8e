// Keeps the time-partitioned tables ready and bounded: partitions are created ahead of the calendar and
// dropped (or detached into the `archive` schema) once every row in them is past its table's retention.
// The partitions.maintain job runs this hourly; it is our own job rather than pg_partman because the
// embedded PostgreSQL that tests and `npm run dev` use has no pg_partman (docs/partitions.md).
import { sql } from "drizzle-orm";
import { getDb, type Database, type DbOrTx } from "@/db/client";
import { getConfig, type PartitionSettings } from "@/server/config";
import { planPartitions, type ExistingPartition, type TimePartitionedTable } from "@/server/domain/partitions";

/** The time-partitioned tables and their steps (migration partition_time_series_tables), with the configured retention. */
export function timePartitionedTables(settings: PartitionSettings): TimePartitionedTable[] {
  const days = settings.retentionDays;
  return [
    { table: "battery_readings", step: "day", ahead: 7, retentionDays: days.batteryReadings },
    { table: "asset_readings", step: "day", ahead: 7, retentionDays: days.assetReadings },
    { table: "battery_reading_rollups", step: "month", ahead: 2, retentionDays: days.batteryRollups },
    { table: "schedule_delivery_attempts", step: "month", ahead: 2, retentionDays: days.deliveryAttempts },
    { table: "webhook_delivery_attempts", step: "month", ahead: 2, retentionDays: days.deliveryAttempts },
  ];
}

export interface TableMaintenance {
  table: string;
  created: string[];
  /** Dropped, or detached into `archive` when so configured. */
  expired: string[];
  /** Rows outside every partition (older than the oldest, or far in the future), waiting in `<table>_default`. */
  defaultRows: number;
}

export const ARCHIVE_SCHEMA = "archive";

/** The bounded partitions of a table (not its default partition), oldest first. */
export async function listTimePartitions(db: DbOrTx, table: string): Promise<ExistingPartition[]> {
  const rows = await db.execute<{ name: string; from_ms: number; to_ms: number }>(sql`
    select c.relname as name,
      extract(epoch from b.bounds[1]::timestamptz)::float8 * 1000 as from_ms,
      extract(epoch from b.bounds[2]::timestamptz)::float8 * 1000 as to_ms
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    cross join lateral (select regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)') as bounds) b
    where i.inhparent = ${table}::regclass and b.bounds is not null
    order by 2`);
  return rows.map((row) => ({ name: row.name, from: new Date(Number(row.from_ms)), to: new Date(Number(row.to_ms)) }));
}

/** One table: create what is missing ahead, expire what is past retention, in one transaction. */
async function maintainTable(db: Database, table: TimePartitionedTable, now: Date, expired: PartitionSettings["expired"]): Promise<TableMaintenance> {
  return db.transaction(async (tx) => {
    // Two workers maintaining the same table at once would race to create the same partition.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`partitions:${table.table}`}))`);
    const plan = planPartitions(table, await listTimePartitions(tx, table.table), now);
    const created: string[] = [];
    for (const range of plan.create) {
      const [row] = await tx.execute<{ name: string | null }>(
        sql`select create_time_partition(${table.table}, ${range.from.toISOString()}::timestamptz, ${range.to.toISOString()}::timestamptz) as name`,
      );
      if (row?.name) created.push(row.name);
    }
    if (expired === "detach" && plan.expire.length > 0) await tx.execute(sql.raw(`create schema if not exists ${ARCHIVE_SCHEMA}`));
    for (const partition of plan.expire) {
      const name = sql.identifier(partition.name);
      if (expired === "drop") {
        await tx.execute(sql`drop table ${name}`);
      } else {
        await tx.execute(sql`alter table ${sql.identifier(table.table)} detach partition ${name}`);
        await tx.execute(sql`alter table ${name} set schema ${sql.identifier(ARCHIVE_SCHEMA)}`);
      }
    }
    const [waiting] = await tx.execute<{ rows: number }>(sql`select count(*)::int as rows from ${sql.identifier(`${table.table}_default`)}`);
    return { table: table.table, created, expired: plan.expire.map((p) => p.name), defaultRows: Number(waiting?.rows ?? 0) };
  });
}

/**
 * Every time-partitioned table, as of `now`. Idempotent: a second run at the same instant changes
 * nothing, so a retried or duplicated job is harmless.
 */
export async function maintainPartitions(now: Date, settings: PartitionSettings = getConfig().partitions, db: Database = getDb()): Promise<TableMaintenance[]> {
  const results: TableMaintenance[] = [];
  for (const table of timePartitionedTables(settings)) results.push(await maintainTable(db, table, now, settings.expired));
  return results;
}
