// Plug-in → profile received, end to end on loopback: the simulated charger platform sends
// plug-in events (with tariff and intent) to the partner REST API over real HTTP at a fixed rate;
// the platform plans each session and queues a delivery; the worker's delivery job (in-process)
// pushes the signed OCPP profile to the charger platform's schedule endpoint over real HTTP.
// Latency = plug-in request sent → profile recorded by the charger platform. Everything runs in
// this one process (platform, delivery, simulator), as in `npm run dev` with the in-process worker.
// A throwaway embedded PostgreSQL is used unless DATABASE_URL is set.
//   npx tsx bench/plug-in-to-profile.ts [plugInsPerSecond=50] [seconds=20]
import { startBenchEnvironment } from "./lib/bench-environment";

const RATE = Number(process.argv[2] ?? "50");
const SECONDS = Number(process.argv[3] ?? "20");
const PLUG_INS = Math.round(RATE * SECONDS);
/** A profile later than this after the last plug-in counts as lost. */
const DRAIN_MS = 30_000;

const bench = await startBenchEnvironment({ name: "plug-in" });
const { ctx, orgId } = bench;
const { createApiClient } = await import("@/server/services/api-clients/api-clients");
const { createSite } = await import("@/server/services/inventory/sites");
const { createAsset } = await import("@/server/services/inventory/assets");
const { recordConsent } = await import("@/server/services/consent/consent-ledger");
const { enrolSite } = await import("@/server/services/enrolment/enrolment");
const { setScheduleEndpoint } = await import("@/server/services/schedule-delivery/schedule-endpoints");
const { startScheduleDeliveryDispatcher, stopScheduleDeliveryDispatcher } = await import("@/server/services/schedule-delivery/send-schedule-delivery");
const { deliverSchedulesJob } = await import("@/server/jobs/handlers/deliver-schedules");
const { startPlatformHttpServer } = await import("@/test/flows/platform-http");
const { startSimulator } = await import("@/simulator/index");
const { getDb } = await import("@/db/client");
const { scheduleDeliveries, scheduleDeliveryAttempts } = await import("@/db/schema");
const { and, eq, gte } = await import("drizzle-orm");

function mpan(index: number): string {
  const weights = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const first12 = `17${String(Date.now() % 1e6).padStart(6, "0")}${String(index).padStart(4, "0")}`;
  const sum = weights.reduce((total, weight, i) => total + Number(first12.charAt(i)) * weight, 0);
  return `${first12}${(sum % 11) % 10}`;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const secret = `bench-signing-secret-${Date.now()}`;
const client = await createApiClient(ctx, { name: "bench charger platform", scopes: ["entities:read", "entities:write", "events:write", "readings:write"] });
const api = await startPlatformHttpServer({ checkContract: false, recordRequests: false });
const sim = await startSimulator({
  port: 0,
  chargerPlatform: {
    platformBaseUrl: api.baseUrl,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    signingSecret: secret,
    tickMs: 0,
    autoPlug: false,
    postReadings: false,
    tariff: { off_peak_times: "00:30-04:30", timezone: "Europe/London", tariff_type: "dual_rate" },
  },
});
const platform = sim.chargerPlatform;
if (!platform || !sim.scheduleEndpointUrl) throw new Error("the charger platform did not start");
await setScheduleEndpoint(ctx, { url: sim.scheduleEndpointUrl, ocppVersion: "1.6", secret });

// One charger per plug-in (plus one to warm up), each on its own enrolled site.
const setupStart = performance.now();
const chargerIds: string[] = [];
for (let i = 0; i <= PLUG_INS; i += 20) {
  await Promise.all(
    Array.from({ length: Math.min(20, PLUG_INS + 1 - i) }, async (_, j) => {
      const index = i + j;
      const externalId = `bench-charger-${String(index).padStart(5, "0")}`;
      const site = await createSite(ctx, { mpan: mpan(index), postcode: "SW1A 1AA", streetAddress: `${index + 1} Bench Road`, gaveBoundaryMeterConsentAt: new Date("2026-01-01T00:00:00Z"), isHalfHourlySettled: true });
      const asset = await createAsset(ctx, { siteId: site.id, externalId, type: "charger", properties: { power_kw: 7.4 } });
      await recordConsent(ctx, { siteId: site.id, changes: [{ kind: "full_asset_schedule_control", action: "granted" }] });
      await enrolSite(ctx, { siteId: site.id, proposition: "full_asset_schedule_control" });
      platform.addCharger({ id: externalId, assetId: asset.id, powerKw: 7.4 });
      chargerIds[index] = externalId;
    }),
  );
}
console.log(`setup: ${PLUG_INS + 1} enrolled chargers in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

// The worker's delivery job, in-process: its first run starts the LISTEN dispatcher. For
// experiments, BENCH_DELIVERY_CONCURRENCY starts the dispatcher directly with that many senders.
const experimentConcurrency = Number(process.env.BENCH_DELIVERY_CONCURRENCY ?? "0");
const experimentDispatcher = experimentConcurrency > 0 ? await startScheduleDeliveryDispatcher({ concurrency: experimentConcurrency }) : undefined;
if (experimentDispatcher) console.log(`experiment: dispatcher started directly with concurrency ${experimentConcurrency}`);
else await deliverSchedulesJob.handler({}, { id: "bench", retryCount: 0 });

// Warm-up: token, planner, first delivery.
const [warmId, ...benchIds] = chargerIds;
if (!warmId) throw new Error("no chargers");
const warmSeq = platform.lastSeq;
await platform.plugIn(warmId, { energyRequiredKwh: 20, readyByLocalTime: "07:00" });
await platform.waitForProfile(warmId, { sinceSeq: warmSeq, timeoutMs: 30_000 });

const baseSeq = platform.lastSeq;
const sentAt = new Map<string, number>();
const eventStatus = new Map<string, number | null>();
const eventLatencies: number[] = [];
const intervalMs = 1000 / RATE;
const runStart = Date.now();
const inFlight: Promise<void>[] = [];
for (const [n, id] of benchIds.entries()) {
  const due = runStart + n * intervalMs;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const started = Date.now();
  sentAt.set(id, started);
  inFlight.push(
    platform
      .plugIn(id, { energyRequiredKwh: 10 + (n % 30), readyByLocalTime: "07:00" })
      .then((response) => {
        eventStatus.set(id, response?.status ?? null);
        eventLatencies.push(Date.now() - started);
      })
      .catch(() => {
        eventStatus.set(id, null);
      }),
  );
}
const sendingMs = Date.now() - runStart;
await Promise.all(inFlight);
const lastSent = Date.now();
while (Date.now() - lastSent < DRAIN_MS) {
  const got = new Set(platform.receivedProfiles({ sinceSeq: baseSeq }).map((p) => p.chargerId));
  if (benchIds.every((id) => got.has(id))) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}

const firstProfile = new Map<string, number>();
for (const profile of platform.receivedProfiles({ sinceSeq: baseSeq })) {
  if (profile.chargerId && !firstProfile.has(profile.chargerId)) firstProfile.set(profile.chargerId, Date.parse(profile.receivedAt));
}
const latencies = benchIds.flatMap((id) => {
  const sent = sentAt.get(id);
  const got = firstProfile.get(id);
  return sent !== undefined && got !== undefined ? [got - sent] : [];
});
latencies.sort((a, b) => a - b);
eventLatencies.sort((a, b) => a - b);
const refusedEvents = [...eventStatus.values()].filter((status) => status === null || status >= 300).length;
const received = platform.receivedProfiles({ sinceSeq: baseSeq });
const lost = benchIds.filter((id) => !firstProfile.has(id)).length;

console.log(`plug-ins: ${benchIds.length} at ${RATE}/s over ${(sendingMs / 1000).toFixed(1)} s (achieved ${(benchIds.length / (sendingMs / 1000)).toFixed(1)}/s); refused plug-in events: ${refusedEvents}`);
console.log(`plug-in event round trip: p50 ${percentile(eventLatencies, 50)} ms, p99 ${percentile(eventLatencies, 99)} ms`);
console.log(`plug-in → profile received: p50 ${percentile(latencies, 50)} ms (target 100), p99 ${percentile(latencies, 99)} ms (target 500), max ${latencies.at(-1) ?? Number.NaN} ms`);
console.log(`profiles: ${received.length} pushes received, ${received.filter((p) => p.outcome === "applied").length} applied, ${received.filter((p) => p.httpStatus === 401).length} refused for signature; lost (no profile within ${DRAIN_MS / 1000} s): ${lost}`);

// Where the time went, per delivery: plug-in sent → delivery queued (event handling and planning),
// queued → first attempt started (waiting for a sender), and the attempt's HTTP round trip.
const runStartDate = new Date(runStart);
const rows = await getDb()
  .select({ deliveryId: scheduleDeliveries.id, createdAt: scheduleDeliveries.createdAt, attemptedAt: scheduleDeliveryAttempts.attemptedAt, durationMs: scheduleDeliveryAttempts.durationMs })
  .from(scheduleDeliveries)
  .innerJoin(scheduleDeliveryAttempts, eq(scheduleDeliveryAttempts.deliveryId, scheduleDeliveries.id))
  .where(and(eq(scheduleDeliveries.organisationId, orgId), gte(scheduleDeliveries.createdAt, runStartDate)));
const queueWait = rows.map((r) => r.attemptedAt.getTime() - r.createdAt.getTime()).sort((a, b) => a - b);
const httpMs = rows.map((r) => r.durationMs).sort((a, b) => a - b);
console.log(`delivery stage: queued → attempt started p50 ${percentile(queueWait, 50)} ms, p99 ${percentile(queueWait, 99)} ms; HTTP push p50 ${percentile(httpMs, 50)} ms, p99 ${percentile(httpMs, 99)} ms (${rows.length} attempts)`);

await experimentDispatcher?.stop();
await stopScheduleDeliveryDispatcher();
await sim.stop();
await api.stop();
await bench.stop();
process.exit(0);
