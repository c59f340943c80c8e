// A few devices that answer after 12 s must not hold the app's worker: with the worker's own
// settings, the healthy batteries' Actions are commanded and confirmed long before their
// deadline while the silent ones fail at theirs. (Before per-queue concurrency and the OEM
// guard, three such devices left 30 of 32 healthy batteries failed with no command ever sent.)
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { resetConfigForProcess } from "@/server/config";
import { createOperationModeAction } from "@/server/services/actions/actions";
import { createSimulatedBattery, simulatorGateway } from "@/server/services/batteries/test-support";
import { setOemGatewayForProcess } from "@/server/services/credentials/oem-gateway";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg } from "@/test/fixtures";
import { stopBoss } from "./queue";
import { startOrganisationWorker } from "./test-support";
import type { RunningWorker } from "./worker";

const HEALTHY = 30;
const SLOW = 3;
const DEADLINE_SECONDS = 60;

let sim: SimulatorHandle;
let worker: RunningWorker | undefined;
const previousDeadline = process.env.ACTION_DEADLINE_SECONDS;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 33, modeChangeDelayMs: 1000 });
  Object.assign(process.env, { SIMULATOR_URL: sim.url, ACTION_DEADLINE_SECONDS: String(DEADLINE_SECONDS) });
  resetConfigForProcess();
  setOemGatewayForProcess(undefined);
});

afterAll(async () => {
  await worker?.stop();
  await stopBoss();
  await sim.stop();
  delete process.env.SIMULATOR_URL;
  if (previousDeadline === undefined) delete process.env.ACTION_DEADLINE_SECONDS;
  else process.env.ACTION_DEADLINE_SECONDS = previousDeadline;
  resetConfigForProcess();
  setOemGatewayForProcess(undefined);
});

describe("slow OEM devices", () => {
  it("do not stop the app's worker from commanding and confirming the healthy batteries before their deadline", async () => {
    const org = await createTestOrg("slow-devices");
    const gateway = simulatorGateway(sim);
    const oems = ["givenergy", "foxess", "solis", "sigenergy"] as const;
    const batteries = [];
    for (let i = 0; i < HEALTHY + SLOW; i++) batteries.push(await createSimulatedBattery(org.admin, sim, gateway, { oem: oems[i % 4] ?? "givenergy" }));
    const slow = batteries.slice(0, SLOW);
    for (const b of slow) sim.setFaults({ latencyMs: 12_000 }, b.device.deviceId);

    // Another organisation's Action, queued before the worker starts: the worker must leave it alone.
    const other = await createTestOrg("slow-devices-other");
    const otherBattery = await createSimulatedBattery(other.admin, sim, gateway, { oem: "givenergy" });
    const otherAction = await createOperationModeAction(other.admin, { assetId: otherBattery.assetId, operationMode: "EXPORT_FOCUS" });

    // The app's worker and settings, kept to this file's organisation.
    worker = await startOrganisationWorker(org.orgId);
    const started = Date.now();
    // The slow ones first, so they are at the head of the queue.
    const actions = [];
    for (const b of batteries) actions.push({ ...(await createOperationModeAction(org.admin, { assetId: b.assetId, operationMode: "EXPORT_FOCUS" })), slow: slow.includes(b) });

    const states = async () =>
      getDb().execute<{ id: string; state: string; command_attempts: number; completed_at: string | null }>(
        sql`select id, state::text as state, command_attempts, completed_at from battery_actions where organisation_id = ${org.orgId}`,
      );
    const healthyIds = new Set(actions.filter((a) => !a.slow).map((a) => a.id));
    let rows = await states();
    for (const until = Date.now() + (DEADLINE_SECONDS + 40) * 1000; Date.now() < until; ) {
      rows = await states();
      if (rows.every((r) => r.state !== "PENDING")) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const healthy = [...rows].filter((r) => healthyIds.has(r.id));
    const silent = [...rows].filter((r) => !healthyIds.has(r.id));
    expect(healthy.map((r) => r.state)).toEqual(Array(HEALTHY).fill("CONFIRMED"));
    for (const r of healthy) expect(r.command_attempts).toBeGreaterThanOrEqual(1);
    // Confirmed within half the deadline: nothing waited behind the silent devices.
    const lastConfirmed = Math.max(...healthy.map((r) => new Date(r.completed_at ?? 0).getTime()));
    expect((lastConfirmed - started) / 1000).toBeLessThan(DEADLINE_SECONDS / 2);
    expect(silent.map((r) => r.state)).toEqual(Array(SLOW).fill("FAILED"));
    // Past its deadline too, but neither commanded nor failed: another organisation's work is not this worker's.
    const [untouched] = await getDb().execute<{ state: string; command_attempts: number }>(sql`select state::text as state, command_attempts from battery_actions where id = ${otherAction.id}`);
    expect(untouched).toEqual({ state: "PENDING", command_attempts: 0 });
  }, 360_000); // it may first wait for another file's organisation worker to stop
});
