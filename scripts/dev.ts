// `npm run dev` (and `npm start` for a production build): the one command that
// brings Flexfleet up on a fresh machine. It starts the embedded PostgreSQL
// (unless DATABASE_URL is set), applies migrations, seeds the demo organisation,
// starts the OEM simulator, then runs Next.js with the job worker inside it.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { bootDatabase, describeDatabase } from "@/db/bootstrap";
import { closeDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { seedDemoOrganisation } from "@/server/services/demo/seed-demo";
import { startDemoWorld, type DemoWorld } from "./lib/demo-world";

const production = process.argv.includes("--production");
const config = getConfig();
const say = (line: string) => console.log(`[flexfleet] ${line}`);

say(`starting in ${production ? "production" : "development"} mode`);
const db = await bootDatabase(config, { adoptLeftover: true });
say(`database ready at ${describeDatabase(db.url)}${db.embedded ? " (embedded)" : ""}, migrations applied`);
const demo = await seedDemoOrganisation();
let world: DemoWorld | undefined;
try {
  world = await startDemoWorld(config, demo.orgId, say);
} catch (e) {
  say(`the simulator could not start (${e instanceof Error ? e.message : String(e)}); the dashboard runs without live demo devices`);
}
await closeDb();

if (production && !existsSync(path.join(".next", "BUILD_ID"))) {
  say("no production build found: running `next build` first");
  await run(["build"]);
}

// Declared before anything that reads it: waitForHealth checks it on its first, synchronous step.
let stopping = false;
const nextBin = path.join("node_modules", "next", "dist", "bin", "next");
const child: ChildProcess = spawn(process.execPath, [nextBin, production ? "start" : "dev", "-p", String(config.port)], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: db.url,
    NEXTAUTH_URL: config.appUrl,
    NEXTAUTH_SECRET: config.sessionSecret,
    SIMULATOR_URL: world?.url ?? config.simulator.url,
    NODE_ENV: production ? "production" : "development",
    NEXT_TELEMETRY_DISABLED: "1",
  },
});

void waitForHealth(`http://127.0.0.1:${config.port}/api/health`).then((ok) => {
  if (!ok) return;
  console.log(
    [
      "",
      "  ┌────────────────────────────────────────────────────────────",
      `  │ Flexfleet is running at ${config.appUrl}`,
      `  │ Sign in as ${config.demoAdmin.email}`,
      `  │ Password   ${config.demoAdmin.password}`,
      "  │ (override with DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD; Ctrl-C stops everything)",
      "  └────────────────────────────────────────────────────────────",
      "",
    ].join("\n"),
  );
});

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping");
  if (child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  await world?.stop();
  await db.stop();
  process.exit(code);
}
child.on("exit", (code) => void shutdown(code ?? 0));
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), ...args], { stdio: "inherit", env: { ...process.env, DATABASE_URL: db.url } });
    p.on("exit", (c) => (c === 0 ? resolve() : reject(new Error(`next ${args.join(" ")} exited with ${c}`))));
  });
}

async function waitForHealth(url: string): Promise<boolean> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}
