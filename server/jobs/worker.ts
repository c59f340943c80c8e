// The worker: runs registered jobs from the queue. It starts inside the web process by default
// (instrumentation.ts) or alone with `npm run worker`. pg-boss fetches with SKIP LOCKED, so
// several workers never run one job twice.
//
// Throughput: pg-boss 10 waits out the polling interval after every fetch and has no per-queue
// concurrency of its own, so each queue gets several fetch loops (`work` registrations), each
// taking a batch and running its jobs side by side; a loop whose batch came back full looks
// again at once, and a job sent from this process wakes the idle loops of its queue.
import type PgBoss from "pg-boss";
import { getConfig, type JobsConfig, type QueueWorkSettings } from "@/server/config";
import { forEachConcurrently } from "@/server/domain/concurrency";
import { log } from "@/server/log";
import { ensureScheduleDeliveryDispatcher, stopScheduleDeliveryDispatcher } from "@/server/services/schedule-delivery/send-schedule-delivery";
import type { JobDefinition } from "./define-job";
import { createBoss, ensureQueue, onLocalSend } from "./queue";
import { jobRegistry } from "./registry";

export interface RunningWorker {
  stop(): Promise<void>;
}

export interface WorkerOptions {
  connectionString?: string;
  jobs?: JobDefinition[];
  /** Overrides the configured settings (tests, benchmarks). */
  jobsConfig?: Partial<JobsConfig>;
  pollingIntervalSeconds?: number;
}

const ONE_AT_A_TIME: QueueWorkSettings = { concurrency: 1, batchSize: 1 };

/** How a queue is worked: its class's configured settings, or one job at a time. */
export function workSettingsFor(job: JobDefinition, config: JobsConfig): QueueWorkSettings {
  return job.queueClass ? config[job.queueClass] : ONE_AT_A_TIME;
}

/** Fetch loops and jobs per fetch that give `concurrency` jobs in flight at most. */
export function fetchLoopsFor(settings: QueueWorkSettings): { loops: number; batchSize: number } {
  const batchSize = Math.min(settings.batchSize, settings.concurrency);
  return { loops: Math.ceil(settings.concurrency / batchSize), batchSize };
}

export async function startWorker(options: WorkerOptions = {}): Promise<RunningWorker> {
  const url = options.connectionString ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set for the worker.");
  const config: JobsConfig = { ...getConfig().jobs, ...options.jobsConfig };
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? config.pollingIntervalSeconds;
  const boss = createBoss(url);
  await boss.start();
  const jobs = options.jobs ?? jobRegistry;
  // Registered side by side: one by one, a busy machine took half a minute to start polling.
  const unsubscribes = await Promise.all(jobs.map((job) => registerJob(boss, job, workSettingsFor(job, config), pollingIntervalSeconds)));
  // Schedule pushes are latency-bound (plug-in to profile): a LISTEN-driven dispatcher sends
  // them as soon as the plan commits instead of waiting for the minute sweep. Only the full
  // worker runs it; tests that start a worker with their own jobs do not want it.
  const runsDispatcher = options.jobs === undefined;
  if (runsDispatcher) await ensureScheduleDeliveryDispatcher();
  log.info({ jobs: jobs.map((j) => j.name), pollingIntervalSeconds, scheduleDispatcher: runsDispatcher }, "worker started");
  return {
    stop: async () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      if (runsDispatcher) await stopScheduleDeliveryDispatcher();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      log.info("worker stopped");
    },
  };
}

async function registerJob(boss: PgBoss, job: JobDefinition, settings: QueueWorkSettings, pollingIntervalSeconds: number): Promise<() => void> {
  await ensureQueue(boss, job);
  if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: "UTC", singletonKey: job.name });
  if (job.runAtStart) await boss.send(job.name, {}, { retryLimit: job.retry.limit, expireInSeconds: job.expireInSeconds });
  const { loops, batchSize } = fetchLoopsFor(settings);
  // A job that throws is failed (and so retried) on its own; pg-boss then completes the rest of
  // the batch in one statement (it only touches jobs still active). Handlers are idempotent, so a
  // batch cut short by a crash may run its finished jobs again, never lose one.
  const runOne = async (j: PgBoss.JobWithMetadata<unknown>): Promise<void> => {
    const parsed = job.schema.safeParse(j.data);
    if (!parsed.success) {
      // A malformed payload will never succeed: cancel instead of retrying it.
      log.error({ job: job.name, jobId: j.id, issues: parsed.error.issues }, "job payload invalid; cancelled without retry");
      await boss.cancel(job.name, j.id);
      return;
    }
    try {
      await job.handler(parsed.data, { id: j.id, retryCount: j.retryCount });
    } catch (error) {
      log.warn({ err: error, job: job.name, jobId: j.id, retryCount: j.retryCount }, "job failed");
      await boss.fail(job.name, j.id, { message: error instanceof Error ? error.message : String(error) });
    }
  };
  const workerIds: string[] = [];
  for (let loop = 0; loop < loops; loop++) {
    const id: string = await boss.work<unknown>(job.name, { batchSize, pollingIntervalSeconds, includeMetadata: true }, async (batch) => {
      await forEachConcurrently(batch, batchSize, runOne);
      // A full batch means more are probably waiting: skip the polling pause.
      if (batch.length === batchSize) boss.notifyWorker(id);
    });
    workerIds.push(id);
  }
  return onLocalSend(job.name, () => {
    for (const id of workerIds) boss.notifyWorker(id);
  });
}
