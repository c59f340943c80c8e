import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
/** The demo's OEM simulator during the suite; specs reach its admin API here (see e2e/support.ts). */
const simulatorPort = Number(process.env.E2E_SIMULATOR_PORT ?? port + 1000);
/**
 * Everything the server side prints (Next.js, the job worker, the simulator) is also kept in this
 * file, so a spec can check what reached the terminal (e2e/no-secrets-in-logs.spec.ts). Set here,
 * the variable reaches the spec workers too.
 */
const serverLog = process.env.E2E_SERVER_LOG ?? path.join(os.tmpdir(), `flexfleet-e2e-${port}-server.log`);
process.env.E2E_SERVER_LOG = serverLog;

export default defineConfig({
  testDir: "./e2e",
  // Under `next dev`, traces written inside the project wake its file watcher on every screencast
  // frame, and each rebuild reloads the page under test: keep them outside.
  ...(process.env.E2E_NEXT_MODE === "dev" ? { outputDir: path.join(os.tmpdir(), `flexfleet-e2e-${port}-results`) } : {}),
  fullyParallel: false,
  workers: 1,
  // A flaky test is a bug to fix, not to retry; `.only` left in a spec must not silently narrow CI.
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    // A production build against its own fresh database (see scripts/e2e-server.ts).
    // A pipe through tee, not a copy made in e2e-server.ts: loggers write straight to the file descriptors.
    command: `npx tsx scripts/e2e-server.ts 2>&1 | tee ${JSON.stringify(serverLog)}`,
    url: `http://localhost:${port}/api/health`,
    // `next dev` compiles the health route on first request, far slower than the built server.
    timeout: process.env.E2E_NEXT_MODE === "dev" ? 600_000 : 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(port), E2E_SIMULATOR_PORT: String(simulatorPort) },
  },
});
