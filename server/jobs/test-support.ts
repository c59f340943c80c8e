// Test support: the app's worker (its queues, settings and handlers) kept to one organisation.
// Test files run in parallel forks on one database and queue, so a worker a test starts must not
// run another file's work: its minute sweeps are scoped to the test's organisation, jobs queued
// for another organisation are completed unrun (only these workers run queued jobs in tests), and
// the process-wide schedule-delivery dispatcher and the sweeps that cannot be scoped (webhook
// delivery, credentials, schedules, settlement, re-planning, heartbeat) are not run at all.
import postgres from "postgres";
import { sweepActions } from "@/server/services/actions/actions";
import { runGridEventSweep } from "@/server/services/grid-events/execution";
import type { JobDefinition } from "./define-job";
import { driveActionJob, enqueueDriveAction } from "./handlers/drive-action";
import { gridEventsSweepJob } from "./handlers/grid-events";
import { pollBatteryJob, schedulePolls, schedulePollsJob } from "./handlers/poll-battery";
import { settleGridEventJob } from "./handlers/settle-grid-events";
import { sweepActionsJob } from "./handlers/sweep-actions";
import { startWorker, type RunningWorker, type WorkerOptions } from "./worker";

/** A job of one organisation's payload: another organisation's is completed without running. */
function ownOnly(job: JobDefinition, orgId: string): JobDefinition {
  return { ...job, handler: async (payload, meta) => ((payload as { orgId: string }).orgId === orgId ? job.handler(payload, meta) : undefined) };
}

/** The registry's jobs that battery polling, Actions and grid events need, each kept to `orgId`. */
export function jobsForOrganisation(orgId: string): JobDefinition[] {
  const organisationIds = [orgId];
  return [
    ownOnly(pollBatteryJob, orgId),
    ownOnly(driveActionJob, orgId),
    ownOnly(settleGridEventJob, orgId),
    { ...schedulePollsJob, handler: async () => void (await schedulePolls(new Date(), { orgId })) },
    {
      ...sweepActionsJob,
      handler: async () => {
        const now = new Date();
        const { stuck } = await sweepActions(now, { organisationIds });
        for (const a of stuck) await enqueueDriveAction({ ...a, at: now });
      },
    },
    { ...gridEventsSweepJob, handler: async () => void (await runGridEventSweep({ organisationIds })) },
  ];
}

/** Only one organisation's worker runs at a time: each would complete the other's jobs unrun. */
const WORKER_LOCK = 7_314_002;

/**
 * Starts the app's worker for `orgId`'s jobs (jobsForOrganisation) once no other test file's
 * organisation worker runs; waits for one that does to stop. Stop it before the file ends.
 */
export async function startOrganisationWorker(orgId: string, options: Omit<WorkerOptions, "jobs"> = {}): Promise<RunningWorker> {
  const url = options.connectionString ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set for the worker.");
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  await lock`select pg_advisory_lock(${WORKER_LOCK})`;
  try {
    const worker = await startWorker({ ...options, jobs: jobsForOrganisation(orgId) });
    return {
      stop: async () => {
        try {
          await worker.stop();
        } finally {
          await lock.end();
        }
      },
    };
  } catch (error) {
    await lock.end();
    throw error;
  }
}
