import { z } from "zod";
import { getDb } from "@/db/client";
import { log } from "@/server/log";
import { systemContext } from "@/server/services/context";
import { listUnsettledGridEvents, settleGridEvent } from "@/server/services/rewards/settlement";
import { defineJob } from "../define-job";
import { enqueue } from "../queue";

/** Settles one event; idempotent (a re-run credits nothing twice), so retries are safe. */
export const settleGridEventJob = defineJob({
  name: "rewards.settle-grid-event",
  schema: z.object({ orgId: z.uuid(), eventId: z.uuid() }),
  retry: { limit: 5, delaySeconds: 60 },
  expireInSeconds: 15 * 60,
  handler: async ({ orgId, eventId }) => {
    const result = await settleGridEvent(systemContext(orgId, "settlement"), eventId);
    log.info({ orgId, eventId, credited: result.credited, creditedPence: result.creditedPence, alreadySettled: result.alreadySettled }, "settled grid event");
  },
});

export async function enqueueSettleGridEvent(input: { orgId: string; eventId: string }, at?: Date): Promise<void> {
  await enqueue(settleGridEventJob, input, { singletonKey: `settle:${input.eventId}`, ...(at ? { startAfter: at } : {}) });
}

/** Readings arrive after the event; completed events are settled once they are this old. */
const SETTLE_AFTER_MS = 60 * 60_000;

/** Hourly: queues settlement of completed events nobody settled (a safety net for the grid-events flow). */
export const sweepUnsettledGridEventsJob = defineJob({
  name: "rewards.sweep-unsettled-events",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 300,
  cron: "15 * * * *",
  handler: async () => {
    const due = await listUnsettledGridEvents(getDb(), new Date(Date.now() - SETTLE_AFTER_MS));
    for (const event of due) await enqueueSettleGridEvent(event);
  },
});
