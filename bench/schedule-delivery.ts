// Plan stored → OCPP profile received by the partner's endpoint, over loopback, at a steady rate
// of new plans (default 50 per second for 20 s). Each "plug-in" stores a plan row and queues its
// delivery in one transaction, as the charging service does; the schedule delivery dispatcher
// (LISTEN/NOTIFY + SKIP LOCKED claim) sends it to a local HTTP receiver that checks the signature.
// Planning time is not included: it is benchmarked in bench/planner.ts.
// A throwaway embedded PostgreSQL is used unless DATABASE_URL is set.
//   npx tsx bench/schedule-delivery.ts [plansPerSecond] [seconds]
import { startBenchEnvironment } from "./lib/bench-environment";

const RATE = Number(process.argv[2] ?? "50");
const SECONDS = Number(process.argv[3] ?? "20");
const SECRET = "bench-schedule-secret-0123456789";

const bench = await startBenchEnvironment({ name: "sched" });
const { ctx, orgId } = bench;
const { getDb } = await import("@/db/client");
const { verifySchedulePush } = await import("@/server/domain/signatures");
const { setScheduleEndpoint } = await import("@/server/services/schedule-delivery/schedule-endpoints");
const { queueScheduleDelivery } = await import("@/server/services/schedule-delivery/schedule-delivery");
const { startScheduleDeliveryDispatcher } = await import("@/server/services/schedule-delivery/send-schedule-delivery");
const { createChargingSession, halfHourSlots, insertPlan, startReceiver } = await import("@/server/services/schedule-delivery/test-support");

const receiver = await startReceiver();
await setScheduleEndpoint(ctx, { url: receiver.url, ocppVersion: "1.6", secret: SECRET });

const total = RATE * SECONDS;
const setupStart = performance.now();
const sessions: Awaited<ReturnType<typeof createChargingSession>>[] = [];
for (let i = 0; i < total; i += 25) {
  sessions.push(...(await Promise.all(Array.from({ length: Math.min(25, total - i) }, () => createChargingSession(orgId)))));
}
console.log(`setup: ${total} chargers with open sessions in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

const started = new Map<string, number>();
const latencies: number[] = [];
let badSignatures = 0;
let allReceived: () => void = () => undefined;
const done = new Promise<void>((resolve) => (allReceived = resolve));
receiver.onRequest = (request) => {
  const sessionId = String(request.headers["x-flexfleet-session-id"]);
  const check = verifySchedulePush({ secret: SECRET, rawBody: request.rawBody, timestampHeader: String(request.headers["x-flexfleet-timestamp"]), signatureHeader: String(request.headers["x-flexfleet-signature"]), now: new Date() });
  if (!check.ok) badSignatures += 1;
  const at = started.get(sessionId);
  if (at !== undefined) latencies.push(request.receivedAt - at);
  if (latencies.length === total) allReceived();
};

const dispatcher = await startScheduleDeliveryDispatcher();
const slots = halfHourSlots(new Date(Math.ceil(Date.now() / 1_800_000) * 1_800_000).toISOString(), [0, 7.4, 7.4, 3.2, 0, 7.4, 7.4, 7.4]);
const runStart = performance.now();
const inFlight: Promise<unknown>[] = [];
for (let i = 0; i < total; i += 1) {
  const target = runStart + (i * 1000) / RATE;
  const wait = target - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const session = sessions[i];
  if (!session) break;
  started.set(session.sessionId, performance.now());
  inFlight.push(
    getDb().transaction(async (tx) => {
      const planId = await insertPlan(orgId, session, 1, slots, tx);
      await queueScheduleDelivery({ ...ctx, db: tx }, planId);
    }),
  );
}
await Promise.all(inFlight);
await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 30_000))]);
const runSeconds = (performance.now() - runStart) / 1000;

const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
console.log(`plans queued: ${total} at ${RATE}/s; profiles received: ${latencies.length} in ${runSeconds.toFixed(1)} s; bad signatures: ${badSignatures}`);
console.log(`plan stored -> profile received: p50 ${pct(50).toFixed(1)} ms, p90 ${pct(90).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms (targets: p50 100 ms, p99 500 ms)`);

await dispatcher.stop();
await receiver.stop();
await bench.stop();
process.exit(0);
