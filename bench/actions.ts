// Time for 1,000 operation-mode Actions to reach a final state: 1,000 simulated batteries
// (250 per OEM) behind the real adapters over loopback HTTP, each given one Action, driven by
// a pool of concurrent drivers running the same step the `battery.drive-action` job runs.
// A throwaway embedded PostgreSQL is used unless DATABASE_URL is set.
//   npx tsx bench/actions.ts [actions] [drivers]
import { startBenchEnvironment } from "./lib/bench-environment";

const ACTIONS = Number(process.argv[2] ?? "1000");
const DRIVERS = Number(process.argv[3] ?? "32");
const MODE_CHANGE_DELAY_MS = 2000;

const bench = await startBenchEnvironment({ name: "actions" });
const { ctx } = bench;
const { startSimulator } = await import("@/simulator/index");
const { createSimulatedBattery, simulatorGateway } = await import("@/server/services/batteries/test-support");
const { createOperationModeAction, driveAction } = await import("@/server/services/actions/actions");

const sim = await startSimulator({ port: 0, modeChangeDelayMs: MODE_CHANGE_DELAY_MS, seed: 5 });
const gateway = simulatorGateway(sim, 10_000);

const oems = ["foxess", "givenergy", "solis", "sigenergy"] as const;
const setupStart = performance.now();
const batteries: { assetId: string }[] = [];
for (let i = 0; i < ACTIONS; i += 25) {
  const chunk = await Promise.all(Array.from({ length: Math.min(25, ACTIONS - i) }, (_, j) => createSimulatedBattery(ctx, sim, gateway, { oem: oems[(i + j) % 4] ?? "foxess" })));
  batteries.push(...chunk);
}
console.log(`setup: ${ACTIONS} sites, batteries, verified credentials and consents in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

const deps = { gateway, scheduleDrive: async () => {}, checkIntervalMs: 500, commandRetryBaseMs: 10_000, deadlineSeconds: 120 };
const start = performance.now();
const created: { id: string; createdAt: number }[] = [];
for (let i = 0; i < batteries.length; i += DRIVERS) {
  const chunk = await Promise.all(batteries.slice(i, i + DRIVERS).map((b) => createOperationModeAction(ctx, { assetId: b.assetId, operationMode: "EXPORT_FOCUS" }, deps)));
  created.push(...chunk.map((a) => ({ id: a.id, createdAt: performance.now() })));
}
const createMs = performance.now() - start;

// The drive queue: every action is due now, then at the time its last step asked for.
const due: { id: string; at: number; createdAt: number }[] = created.map((a) => ({ ...a, at: 0 }));
const finished: { ms: number; state: string }[] = [];
let steps = 0;
async function driver(): Promise<void> {
  for (;;) {
    due.sort((a, b) => a.at - b.at);
    const next = due.shift();
    if (!next) return;
    const wait = next.at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    steps += 1;
    const result = await driveAction(ctx, next.id, deps);
    if (result.nextCheckAt === null) finished.push({ ms: performance.now() - next.createdAt, state: result.state });
    else due.push({ ...next, at: performance.now() + Math.max(0, result.nextCheckAt.getTime() - Date.now()) });
  }
}
await Promise.all(Array.from({ length: DRIVERS }, () => driver()));
const totalMs = performance.now() - start;

const sorted = finished.map((f) => f.ms).sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const byState = finished.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.state]: (acc[f.state] ?? 0) + 1 }), {});
console.log(`actions: ${ACTIONS}, drivers: ${DRIVERS}, simulator mode-change delay: ${MODE_CHANGE_DELAY_MS} ms`);
console.log(`create (consent check, supersede, insert, event): ${createMs.toFixed(0)} ms total, ${(createMs / ACTIONS).toFixed(2)} ms per action`);
console.log(`all final after: ${(totalMs / 1000).toFixed(2)} s; drive steps: ${steps}`);
console.log(`final states: ${JSON.stringify(byState)}`);
console.log(`time to final per action: p50 ${(pct(50) / 1000).toFixed(2)} s, p90 ${(pct(90) / 1000).toFixed(2)} s, p99 ${(pct(99) / 1000).toFixed(2)} s, max ${((sorted.at(-1) ?? 0) / 1000).toFixed(2)} s`);

await sim.stop();
await bench.stop();
