// Which partitions of a time-partitioned table should exist at a given instant, and which have
// outlived their retention. Pure: the calendar comes in as `now`. Periods are UTC days or months.

export type PartitionStep = "day" | "month";

export interface TimePartitionedTable {
  table: string;
  step: PartitionStep;
  /** Periods kept ready beyond the current one, so writes never wait for a partition. */
  ahead: number;
  retentionDays: number;
}

export interface PartitionRange {
  from: Date;
  to: Date;
}

export interface ExistingPartition extends PartitionRange {
  name: string;
}

export interface PartitionPlan {
  create: PartitionRange[];
  expire: ExistingPartition[];
}

const DAY_MS = 86_400_000;

export function periodStart(at: Date, step: PartitionStep): Date {
  return step === "day"
    ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))
    : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextPeriod(start: Date, step: PartitionStep): Date {
  return step === "day"
    ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 1))
    : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/**
 * Missing partitions from the current period through `ahead` more, and partitions whose every row is
 * older than the retention (a partition ending at or before `now - retention` holds nothing younger).
 */
export function planPartitions(table: TimePartitionedTable, existing: readonly ExistingPartition[], now: Date): PartitionPlan {
  const create: PartitionRange[] = [];
  let from = periodStart(now, table.step);
  for (let i = 0; i <= table.ahead; i++) {
    const to = nextPeriod(from, table.step);
    const covered = existing.some((p) => p.from.getTime() < to.getTime() && from.getTime() < p.to.getTime());
    if (!covered) create.push({ from, to });
    from = to;
  }
  const cutoff = now.getTime() - table.retentionDays * DAY_MS;
  const expire = existing.filter((p) => p.to.getTime() <= cutoff).sort((a, b) => a.from.getTime() - b.from.getTime());
  return { create, expire };
}
