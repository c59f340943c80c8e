// `npm run dev` (and `npm start` for a production build): the one command that
// brings Flexfleet up on a fresh machine. It starts the embedded PostgreSQL
// (unless DATABASE_URL is set), applies migrations, seeds the demo organisation
// and starts the OEM simulator (development, or SEED_DEMO=true), then runs Next.js
// with the job worker inside it, and the OCPP-J gateway beside it (its own process:
// Next.js cannot take WebSocket upgrades; OCPP_PORT=0 leaves it out). If either dies,
// everything stops and the launcher exits (scripts/lib/supervise.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { bootDatabase, describeDatabase } from "@/db/bootstrap";
import { closeDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { seedDemoOrganisation } from "@/server/services/demo/seed-demo";
import { countOperators } from "@/server/services/organisations/create-organisation";
import { startDemoWorld, type DemoWorld } from "./lib/demo-world";
import { superviseChildren } from "./lib/supervise";

const production = process.argv.includes("--production");
const config = getConfig();
const say = (line: string) => console.log(`[flexfleet] ${line}`);

say(`starting in ${production ? "production" : "development"} mode`);
const db = await bootDatabase(config, { adoptLeftover: true });
say(`database ready at ${describeDatabase(db.url)}${db.embedded ? " (embedded)" : ""}, migrations applied`);
// Production is not a demo: its known admin password and simulated devices only when asked for.
const seedDemo = config.seedDemo ?? !production;
let world: DemoWorld | undefined;
if (seedDemo) {
  const demo = await seedDemoOrganisation();
  try {
    world = await startDemoWorld(config, demo.orgId, say);
  } catch (e) {
    say(`the simulator could not start (${e instanceof Error ? e.message : String(e)}); the dashboard runs without live demo devices`);
  }
} else {
  say("no demo organisation (set SEED_DEMO=true to seed it)");
}
const operatorCount = await countOperators();
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
  // Its own process group, so stopping reaches the server process `next dev` forks (see supervise.ts).
  detached: true,
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

const childEnv = { ...process.env, DATABASE_URL: db.url, NODE_ENV: production ? ("production" as const) : ("development" as const) };
const gatewayChild: ChildProcess | null =
  config.ocpp.port === 0
    ? null
    : spawn(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), path.join("scripts", "ocpp-gateway.ts")], { stdio: "inherit", detached: true, env: childEnv });
if (gatewayChild !== null) say(`OCPP-J gateway on ws://0.0.0.0:${config.ocpp.port}/ocpp/{chargePointId}`);

void waitForHealth(`http://127.0.0.1:${config.port}/api/health`).then((ok) => {
  if (!ok) return;
  const lines = [`Flexfleet is running at ${config.appUrl}`];
  if (seedDemo && !production) {
    lines.push(`Sign in as ${config.demoAdmin.email}`, `Password   ${config.demoAdmin.password}`, "(override with DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD; Ctrl-C stops everything)");
  } else if (seedDemo) {
    lines.push(`Demo organisation seeded; its admin is ${config.demoAdmin.email} (password from DEMO_ADMIN_PASSWORD)`);
  } else if (operatorCount === 0) {
    lines.push("No operator yet. Create the first admin (you choose the password, or get a one-time one):", "  npm run cli -- create-admin --org-name \"Your organisation\" --email you@example.com --password-stdin");
  }
  console.log(["", "  ┌────────────────────────────────────────────────────────────", ...lines.map((line) => `  │ ${line}`), "  └────────────────────────────────────────────────────────────", ""].join("\n"));
});

const supervision = superviseChildren([{ name: "Next.js", process: child }, ...(gatewayChild === null ? [] : [{ name: "OCPP gateway", process: gatewayChild }])], {
  say,
  release: async () => {
    stopping = true;
    await world?.stop();
    await db.stop();
  },
});
process.on("SIGINT", () => void supervision.stop());
process.on("SIGTERM", () => void supervision.stop());
process.exit(await supervision.done);

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
