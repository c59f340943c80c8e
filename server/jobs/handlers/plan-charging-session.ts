import { z } from "zod";
import type { Tx } from "@/db/client";
import { replanSessionAndSite, REPLAN_TRIGGERS } from "@/server/services/charging/planning";
import { systemContext } from "@/server/services/context";
import { defineJob } from "../define-job";
import { enqueueInTransaction, wakeLocalWorkers } from "../queue";

const payload = z.object({ orgId: z.uuid(), sessionId: z.uuid(), trigger: z.enum(REPLAN_TRIGGERS) });

/**
 * Plans one charging session (with its site's other open sessions when they share an import
 * limit) after a partner event recorded it: the event is accepted in milliseconds and the plan
 * follows here, on whichever worker takes the job. A closed or unknown session plans nothing.
 */
export const planChargingSessionJob = defineJob({
  name: "charging.plan-session",
  queueClass: "replanning",
  schema: payload,
  // Planning is read-then-write in one transaction: a failed attempt left nothing, so it is safe to repeat.
  retry: { limit: 5, delaySeconds: 2, backoff: true },
  expireInSeconds: 120,
  handler: async ({ orgId, sessionId, trigger }) => {
    await replanSessionAndSite(systemContext(orgId, "charging planner"), sessionId, trigger);
  },
});

/** Queues the session's planning in the caller's transaction (a charging event's). */
export async function queueSessionPlanning(tx: Tx, job: z.input<typeof payload>): Promise<void> {
  await enqueueInTransaction(tx, planChargingSessionJob, job);
}

/** After the commit: this process's fetch loops of the planning queue look at once. */
export function wakePlanningWorkers(): void {
  wakeLocalWorkers(planChargingSessionJob.name);
}
