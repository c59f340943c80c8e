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
  const instance = new PgBoss({ connectionString, schema: QUEUE_SCHEMA, max: 4, application_name: "flexfleet-queue" });
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
  return b.send(job.name, data, {
    retryLimit: job.retry.limit,
    retryDelay: job.retry.delaySeconds,
    retryBackoff: job.retry.backoff,
    expireInSeconds: job.expireInSeconds,
    ...options,
  });
}

export async function stopBoss(): Promise<void> {
  const b = boss;
  boss = undefined;
  starting = undefined;
  createdQueues.clear();
  if (b) await b.stop({ graceful: true, wait: true, timeout: 10_000 });
}
