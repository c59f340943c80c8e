// A typed job: name, zod payload, handler and retry policy in one place.
// Handlers must be idempotent: a job may run again after a crash mid-way.
import type { z } from "zod";

export interface RetryPolicy {
  /** Attempts after the first. 0 = never retried. */
  limit: number;
  delaySeconds: number;
  /** Exponential backoff from delaySeconds. */
  backoff: boolean;
}

export interface JobMeta {
  id: string;
  /** How many times this job has been retried before this attempt. */
  retryCount: number;
}

/**
 * Which configured concurrency and batch size a queue is worked with (server/config `jobs`).
 * Queues without one (the minute sweeps) run one job at a time per worker.
 */
export type QueueClass = "polling" | "actionDriving" | "delivery" | "replanning";

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  queueClass?: QueueClass;
  schema: S;
  retry: RetryPolicy;
  /** A job still active after this long is considered lost and retried. */
  expireInSeconds: number;
  /** Optional cron (UTC) for recurring jobs. */
  cron?: string;
  /** A recurring job also queued when a worker starts, instead of waiting up to a minute for its cron. */
  runAtStart?: boolean;
  handler: (payload: z.infer<S>, meta: JobMeta) => Promise<void>;
}

export function defineJob<S extends z.ZodType>(definition: {
  name: string;
  queueClass?: QueueClass;
  schema: S;
  retry?: Partial<RetryPolicy>;
  expireInSeconds?: number;
  cron?: string;
  runAtStart?: boolean;
  handler: (payload: z.infer<S>, meta: JobMeta) => Promise<void>;
}): JobDefinition<S> {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(definition.name)) throw new Error(`Invalid job name: ${definition.name}`);
  return {
    ...definition,
    retry: { limit: 5, delaySeconds: 5, backoff: true, ...definition.retry },
    expireInSeconds: definition.expireInSeconds ?? 15 * 60,
  };
}
