import { eq, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { systemStatus } from "@/db/schema";

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  database: { ok: boolean; latencyMs?: number; error?: string };
  queue: {
    ok: boolean;
    jobs?: { queued: number; active: number; failed: number };
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
    const [heartbeat] = await db.select().from(systemStatus).where(eq(systemStatus.key, "worker_heartbeat")).limit(1);
    return {
      status: "ok",
      database,
      queue: {
        ok: true,
        jobs: { queued: (by.get("created") ?? 0) + (by.get("retry") ?? 0), active: by.get("active") ?? 0, failed: by.get("failed") ?? 0 },
        lastWorkerHeartbeatAt: heartbeat?.updatedAt.toISOString() ?? null,
      },
      checkedAt,
    };
  } catch {
    return { status: "degraded", database, queue: { ok: false, error: "queue schema not installed yet (no worker has started)" }, checkedAt };
  }
}
