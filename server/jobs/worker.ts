// The worker: runs registered jobs from the queue. It starts inside the web
// process by default (instrumentation.ts) or alone with `npm run worker`.
// pg-boss fetches with SKIP LOCKED, so several workers never run one job twice.
import type PgBoss from "pg-boss";
import { log } from "@/server/log";
import { ensureScheduleDeliveryDispatcher, stopScheduleDeliveryDispatcher } from "@/server/services/schedule-delivery/send-schedule-delivery";
import type { JobDefinition } from "./define-job";
import { createBoss, ensureQueue } from "./queue";
import { jobRegistry } from "./registry";

export interface RunningWorker {
  stop(): Promise<void>;
}

export async function startWorker(options: { connectionString?: string; jobs?: JobDefinition[]; pollingIntervalSeconds?: number } = {}): Promise<RunningWorker> {
  const url = options.connectionString ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set for the worker.");
  const boss = createBoss(url);
  await boss.start();
  const jobs = options.jobs ?? jobRegistry;
  for (const job of jobs) await registerJob(boss, job, options.pollingIntervalSeconds ?? 1);
  // Schedule pushes are latency-bound (plug-in to profile): a LISTEN-driven dispatcher sends
  // them as soon as the plan commits instead of waiting for the minute sweep. Only the full
  // worker runs it; tests that start a worker with their own jobs do not want it.
  const runsDispatcher = options.jobs === undefined;
  if (runsDispatcher) await ensureScheduleDeliveryDispatcher();
  log.info({ jobs: jobs.map((j) => j.name), scheduleDispatcher: runsDispatcher }, "worker started");
  return {
    stop: async () => {
      if (runsDispatcher) await stopScheduleDeliveryDispatcher();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      log.info("worker stopped");
    },
  };
}

async function registerJob(boss: PgBoss, job: JobDefinition, pollingIntervalSeconds: number): Promise<void> {
  await ensureQueue(boss, job);
  if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: "UTC", singletonKey: job.name });
  await boss.work<unknown>(job.name, { batchSize: 1, pollingIntervalSeconds, includeMetadata: true }, async ([j]) => {
    if (!j) return;
    const parsed = job.schema.safeParse(j.data);
    if (!parsed.success) {
      // A malformed payload will never succeed: cancel instead of retrying it.
      log.error({ job: job.name, jobId: j.id, issues: parsed.error.issues }, "job payload invalid; cancelled without retry");
      await boss.cancel(job.name, j.id);
      return;
    }
    await job.handler(parsed.data, { id: j.id, retryCount: j.retryCount });
  });
}
