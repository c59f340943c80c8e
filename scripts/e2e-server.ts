// The server the Playwright suite runs against: the production build (`next start`)
// on a fresh embedded PostgreSQL in the temp directory, migrated and seeded with
// the demo organisation, exactly as `npm start` would do on a new machine.
// E2E_NEXT_MODE=dev runs `next dev` instead (no build needed), so a spec can check what
// development mode prints; E2E_LOG_LEVEL raises the server's log level for such runs.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { closeDb } from "@/db/client";
import { freePort } from "@/test/global-setup";

const port = Number(process.env.E2E_PORT ?? 3210);
const dir = mkdtempSync(path.join(os.tmpdir(), "flexfleet-e2e-"));
const cluster = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: "flexfleet_e2e" });
await runMigrations(cluster.url);
process.env.DATABASE_URL = cluster.url;
process.env.NEXTAUTH_SECRET ??= "e2e-session-secret-e2e-session-secret-0123456";
process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 9).toString("base64");
process.env.NEXTAUTH_URL = `http://localhost:${port}`;
process.env.DATA_DIR = dir;
// Stale after two missed polls (not five), so a spec can watch a battery go stale and recover in minutes.
process.env.BATTERY_STALE_AFTER_SECONDS ??= "120";
// A known simulator port, so specs can inject faults through its admin API.
const simulatorPort = Number(process.env.E2E_SIMULATOR_PORT ?? port + 1000);

const { seedDemoOrganisation } = await import("@/server/services/demo/seed-demo");
const { startDemoWorld } = await import("./lib/demo-world");
const { getConfig } = await import("@/server/config");
const demo = await seedDemoOrganisation();
const world = await startDemoWorld({ ...getConfig(), simulator: { port: simulatorPort, url: `http://127.0.0.1:${simulatorPort}` } }, demo.orgId, (l) => console.log(`[e2e] ${l}`));
await closeDb();

const development = process.env.E2E_NEXT_MODE === "dev";
const next = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), development ? "dev" : "start", "-p", String(port)], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: development ? "development" : "production",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_FORMAT: "json",
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
    ...(world ? { SIMULATOR_URL: world.url } : {}),
  },
});

async function shutdown() {
  next.kill("SIGTERM");
  await world?.stop();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
next.on("exit", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
