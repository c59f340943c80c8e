// The setup every database benchmark shares: a throwaway embedded PostgreSQL in a temp dir on a
// random port (unless DATABASE_URL is set), the migrations, quiet-logging and secret defaults, and
// one organisation with an admin operator and a service context to act as it. stop() undoes it all.
// Not a benchmark itself: bench/run-all.ts only runs the scripts directly in bench/.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Role } from "@/db/schema";
import type { ServiceContext } from "@/server/services/context";

export interface BenchEnvironmentOptions {
  /** Names the organisation (slug `bench-<name>-<ms>`), so runs against a shared DATABASE_URL never collide. */
  name: string;
  /** The role of the context's operator; the organisation's operator is always an admin. */
  role?: Role;
}

export interface BenchEnvironment {
  /** The database URL, also left in process.env.DATABASE_URL for the services' getDb(). */
  url: string;
  orgId: string;
  operatorId: string;
  ctx: ServiceContext;
  /** Closes the database pool, stops the throwaway PostgreSQL (if this process started one) and removes its directory. */
  stop(): Promise<void>;
}

/** Fixed, non-secret values: a benchmark's throwaway database holds nothing worth protecting. */
function setEnvironmentDefaults(): void {
  process.env.LOG_LEVEL ??= "silent";
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  process.env.NEXTAUTH_SECRET ??= "bench-session-secret-bench-session-secret-0123";
}

async function startDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const existingUrl = process.env.DATABASE_URL;
  if (existingUrl) return { url: existingUrl, stop: async () => {} };
  const { startEmbeddedPostgres } = await import("@/db/embedded");
  const dir = mkdtempSync(path.join(os.tmpdir(), "flexfleet-bench-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    const cluster = await startEmbeddedPostgres({
      dataDir: dir,
      port: 55_000 + Math.floor(Math.random() * 5000),
      database: "flexfleet_bench",
      // BENCH_PG_LOG=1 shows the server's log, for when a run misbehaves.
      onLog: (line) => {
        if (process.env.BENCH_PG_LOG) console.error(line);
      },
    });
    process.env.DATABASE_URL = cluster.url;
    return {
      url: cluster.url,
      stop: async () => {
        await cluster.stop();
        removeDir();
      },
    };
  } catch (error) {
    removeDir();
    throw error;
  }
}

export async function startBenchEnvironment(options: BenchEnvironmentOptions): Promise<BenchEnvironment> {
  setEnvironmentDefaults();
  const database = await startDatabase();
  // Services are imported only now, so that anything reading the environment as it loads sees the defaults above.
  const { closeDb } = await import("@/db/client");
  const stop = async () => {
    await closeDb();
    await database.stop();
  };
  try {
    const { runMigrations } = await import("@/db/migrate");
    await runMigrations(database.url);
    const { ensureOrganisationWithAdmin } = await import("@/server/services/organisations/create-organisation");
    const { createServiceContext } = await import("@/server/services/context");
    const slug = `bench-${options.name}-${Date.now()}`;
    const { orgId, operatorId } = await ensureOrganisationWithAdmin({
      slug,
      name: `Bench ${options.name}`,
      admin: { email: `${slug}@example.test`, name: "Bench", password: "bench-password-123" },
    });
    const ctx = createServiceContext(orgId, { type: "operator", operatorId, label: "bench", role: options.role ?? "admin" });
    return { url: database.url, orgId, operatorId, ctx, stop };
  } catch (error) {
    // A failed setup must not leave the throwaway PostgreSQL running.
    await stop();
    throw error;
  }
}
