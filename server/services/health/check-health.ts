import { eq, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { systemStatus } from "@/db/schema";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";

/** One job queue: how much waits, how much runs, how long the oldest due job has waited. */
export interface QueueDepth {
  name: string;
  /** Due now and not yet taken by a worker. */
  due: number;
  /** Queued for later (polls ahead of their slot, Action checks, retries after backoff). */
  scheduled: number;
  active: number;
  /** Seconds the oldest due job has waited; 0 when none is due. A growing figure means the workers fall behind. */
  oldestDueSeconds: number;
}

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  database: { ok: boolean; latencyMs?: number; error?: string };
  queue: {
    ok: boolean;
    jobs?: { queued: number; active: number; failed: number };
    queues?: QueueDepth[];
    lastWorkerHeartbeatAt?: string | null;
    error?: string;
  };
  checkedAt: string;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))]);
}

export async function checkHealth(db: Database = getDb()): Promise<HealthReport> {
  const checkedAt = new Date().toISOString();
  const started = performance.now();
  try {
    await withTimeout(db.execute(sql`select 1`), 3000);
  } catch {
    // No driver message here: it may carry a host or user name.
    return { status: "down", database: { ok: false, error: "database unreachable" }, queue: { ok: false, error: "database unreachable" }, checkedAt };
  }
  const database = { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  try {
    const counts = await db.execute<{ state: string; n: number }>(
      sql`select state::text as state, count(*)::int as n from pgboss.job where state in ('created','retry','active','failed') group by state`,
    );
    const by = new Map(Array.from(counts, (r) => [r.state, Number(r.n)]));
    const depths = await db.execute<{ name: string; due: number; scheduled: number; active: number; oldest_due_seconds: number }>(sql`
      select name,
        count(*) filter (where state < 'active' and start_after <= now())::int as due,
        count(*) filter (where state < 'active' and start_after > now())::int as scheduled,
        count(*) filter (where state = 'active')::int as active,
        coalesce(extract(epoch from now() - min(start_after) filter (where state < 'active' and start_after <= now())), 0)::float as oldest_due_seconds
      from pgboss.job
      where state < 'completed' and name not like '\_\_pgboss%'
      group by name
      order by name`);
    const queues = Array.from(depths, (r) => ({
      name: r.name,
      due: Number(r.due),
      scheduled: Number(r.scheduled),
      active: Number(r.active),
      oldestDueSeconds: Math.round(Number(r.oldest_due_seconds) * 10) / 10,
    }));
    const [heartbeat] = await db.select().from(systemStatus).where(eq(systemStatus.key, "worker_heartbeat")).limit(1);
    return {
      status: "ok",
      database,
      queue: {
        ok: true,
        jobs: { queued: (by.get("created") ?? 0) + (by.get("retry") ?? 0), active: by.get("active") ?? 0, failed: by.get("failed") ?? 0 },
        queues,
        lastWorkerHeartbeatAt: heartbeat?.updatedAt.toISOString() ?? null,
      },
      checkedAt,
    };
  } catch {
    return { status: "degraded", database, queue: { ok: false, error: "queue schema not installed yet (no worker has started)" }, checkedAt };
  }
}

/**
 * The dashboard's view of the same report (Settings → System health). The queue is shared by
 * every organisation of the installation; it holds counts only, nothing of any tenant's data.
 */
export async function getSystemHealth(ctx: ServiceContext): Promise<HealthReport> {
  authorize(ctx, "system:read");
  return checkHealth();
}
