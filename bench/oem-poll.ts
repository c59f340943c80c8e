// Poll throughput: batteries read per second through the OEM adapters against the simulator,
// with the cloud's rate limits enforced by the simulator and the client-side limiter on.
// Run: npx tsx bench/oem-poll.ts [batteries=200] [seconds=8]
import { startSimulator } from "../simulator/index";
import { createOemGateway, type OemCredential, type RateLimit } from "../server/oem/index";
import type { Oem } from "../server/oem/types";

const BATTERIES = Number(process.argv[2] ?? 200);
const SECONDS = Number(process.argv[3] ?? 8);
const CONCURRENCY = 64;

interface Scenario {
  name: string;
  /** Enforced by the simulator per credential (per path for FoxESS). */
  cloudLimit: RateLimit | null;
  /** Client-side limiter; undefined = each OEM's default (FoxESS 1/s/path, GivEnergy 10/s, Solis 2/s, Sigenergy 5/s). */
  clientLimit: RateLimit | null | undefined;
}

async function run(scenario: Scenario): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: 11, modeChangeDelayMs: 1000, faults: scenario.cloudLimit ? { rateLimit: scenario.cloudLimit } : {} });
  try {
    const devices = sim.createFleet(BATTERIES, 11);
    const config = (oem: Oem) => ({
      baseUrl: sim.baseUrls[oem],
      timeoutMs: 5000,
      maxAttempts: 4,
      ...(scenario.clientLimit !== undefined ? { rateLimit: scenario.clientLimit } : {}),
    });
    const gateway = createOemGateway({ foxess: config("foxess"), givenergy: config("givenergy"), sigenergy: config("sigenergy"), solis: config("solis") });
    const counts: Record<string, { ok: number; failed: number }> = {};
    const latencies: number[] = [];
    let next = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const started = Date.now();
    const requestsBefore = Object.values(sim.requestCounts()).reduce((a, b) => a + b, 0);

    async function worker(): Promise<void> {
      while (Date.now() < deadline) {
        const device = devices[next % devices.length];
        next += 1;
        if (!device) return;
        const bucket = (counts[device.oem] ??= { ok: 0, failed: 0 });
        const t0 = performance.now();
        try {
          await gateway.readState(device.credential as OemCredential, device.deviceId);
          bucket.ok += 1;
          latencies.push(performance.now() - t0);
        } catch {
          bucket.failed += 1;
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
    const elapsed = (Date.now() - started) / 1000;
    const ok = Object.values(counts).reduce((sum, c) => sum + c.ok, 0);
    const failed = Object.values(counts).reduce((sum, c) => sum + c.failed, 0);
    const requests = Object.values(sim.requestCounts()).reduce((a, b) => a + b, 0) - requestsBefore;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0).toFixed(1);
    console.log(`\n${scenario.name}`);
    console.log(`  ${BATTERIES} batteries, ${CONCURRENCY} concurrent pollers, ${elapsed.toFixed(1)} s`);
    console.log(`  batteries polled per second: ${(ok / elapsed).toFixed(1)}  (${ok} reads ok, ${failed} failed, ${requests} HTTP requests)`);
    console.log(`  read latency ms: p50 ${pct(0.5)}  p95 ${pct(0.95)}  p99 ${pct(0.99)}`);
    for (const [oem, c] of Object.entries(counts)) console.log(`    ${oem.padEnd(10)} ${(c.ok / elapsed).toFixed(1).padStart(7)} /s  failed ${c.failed}`);
  } finally {
    await sim.stop();
  }
}

async function main(): Promise<void> {
  console.log("OEM poll throughput through the simulator");
  await run({
    name: "Rate limits on: cloud 2 req/s per key (per path for FoxESS), burst 4; client limiter matched to it",
    cloudLimit: { requestsPerSecond: 2, burst: 4 },
    clientLimit: { requestsPerSecond: 2, burst: 4 },
  });
  await run({
    name: "Same cloud limits, client limiter off (429s and retries instead)",
    cloudLimit: { requestsPerSecond: 2, burst: 4 },
    clientLimit: null,
  });
  await run({ name: "No limits anywhere (HTTP + adapter overhead only)", cloudLimit: null, clientLimit: null });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
