// The Postgres-backed queue (pg-boss): one datastore for data and jobs.
import PgBoss from "pg-boss";
import type { z } from "zod";
import { log } from "@/server/log";
import type { JobDefinition } from "./define-job";

export const QUEUE_SCHEMA = "pgboss";

let boss: PgBoss | undefined;
let starting: Promise<PgBoss> | undefined;
const createdQueues = new Set<string>();

export function createBoss(connectionString: string): PgBoss {
  // Several fetch loops per queue share these connections; a fetch or settle is one short statement.
  // Cron is checked every 10 s (pg-boss's default 30 s starts minute jobs up to half a minute late).
  const instance = new PgBoss({
    connectionString,
    schema: QUEUE_SCHEMA,
    max: 8,
    application_name: "flexfleet-queue",
    cronMonitorIntervalSeconds: 10,
    cronWorkerIntervalSeconds: 2,
  });
  instance.on("error", (error) => log.error({ err: error }, "queue error"));
  return instance;
}

export async function getBoss(): Promise<PgBoss> {
  if (boss) return boss;
  starting ??= (async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set for this process.");
    const instance = createBoss(url);
    await instance.start();
    boss = instance;
    return instance;
  })();
  return starting;
}

export async function ensureQueue(instance: PgBoss, job: JobDefinition): Promise<void> {
  if (createdQueues.has(job.name)) return;
  // Workers starting together race to create the same queue; pg-boss can deadlock
  // there, so check first and retry with jitter: the loser finds the queue made.
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await instance.getQueue(job.name))) {
        await instance.createQueue(job.name, {
          name: job.name,
          retryLimit: job.retry.limit,
          retryDelay: job.retry.delaySeconds,
          retryBackoff: job.retry.backoff,
          expireInSeconds: job.expireInSeconds,
        });
      }
      break;
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
    }
  }
  createdQueues.add(job.name);
}

// Fetch loops of this process's worker, by queue: a job sent from here wakes them instead of
// waiting for their next poll. (Other processes' workers find it at their next poll.)
const localWakers = new Map<string, Set<() => void>>();

/** Registers `wake` to run when a job that is due now is sent to `queue` from this process. */
export function onLocalSend(queue: string, wake: () => void): () => void {
  let wakers = localWakers.get(queue);
  if (!wakers) localWakers.set(queue, (wakers = new Set()));
  wakers.add(wake);
  return () => wakers.delete(wake);
}

export function wakeLocalWorkers(queue: string, startAfter?: Date | number): void {
  if (startAfter !== undefined && new Date(startAfter).getTime() > Date.now()) return;
  for (const wake of localWakers.get(queue) ?? []) wake();
}

export interface EnqueueOptions {
  startAfter?: Date | number;
  /** Only one queued job with this key at a time (pg-boss singleton semantics). */
  singletonKey?: string;
  priority?: number;
}

/** Validates the payload before it is queued: an invalid payload never enters the queue. */
export async function enqueue<S extends z.ZodType>(
  job: JobDefinition<S>,
  payload: z.input<S>,
  options: EnqueueOptions = {},
  instance?: PgBoss,
): Promise<string | null> {
  const data = job.schema.parse(payload) as object;
  const b = instance ?? (await getBoss());
  await ensureQueue(b, job as unknown as JobDefinition);
  const id = await b.send(job.name, data, {
    retryLimit: job.retry.limit,
    retryDelay: job.retry.delaySeconds,
    retryBackoff: job.retry.backoff,
    expireInSeconds: job.expireInSeconds,
    ...options,
  });
  wakeLocalWorkers(job.name, options.startAfter);
  return id;
}

/**
 * Queues many jobs of one definition in a few statements, each under the given id: a job whose id
 * is already queued is skipped (so a repeated run queues nothing twice). Validates every payload
 * like enqueue(). Returns how many were new.
 */
export async function enqueueManyOnce<S extends z.ZodType>(
  job: JobDefinition<S>,
  jobs: readonly { id: string; payload: z.input<S>; startAfter: Date }[],
): Promise<number> {
  const b = await getBoss();
  await ensureQueue(b, job as unknown as JobDefinition);
  let queued = 0;
  for (let from = 0; from < jobs.length; from += 1000) {
    const chunk = jobs.slice(from, from + 1000).map((j) => ({
      id: j.id,
      name: job.name,
      data: job.schema.parse(j.payload) as object,
      startAfter: j.startAfter,
      retryLimit: job.retry.limit,
      retryDelay: job.retry.delaySeconds,
      retryBackoff: job.retry.backoff,
      expireInSeconds: job.expireInSeconds,
    }));
    const ids = chunk.map((j) => j.id);
    const counted = async () => {
      const { rows } = await b.getDb().executeSql(`select count(*)::int as n from ${QUEUE_SCHEMA}.job where name = $1 and id = any($2::uuid[])`, [job.name, ids]);
      return Number((rows[0] as { n?: number } | undefined)?.n ?? 0);
    };
    const before = await counted();
    await b.insert(chunk);
    queued += (await counted()) - before;
  }
  return queued;
}

export async function stopBoss(): Promise<void> {
  const b = boss;
  boss = undefined;
  starting = undefined;
  createdQueues.clear();
  if (b) await b.stop({ graceful: true, wait: true, timeout: 10_000 });
}
