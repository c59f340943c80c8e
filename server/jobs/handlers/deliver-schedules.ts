import { z } from "zod";
import {
  deliverDueScheduleDeliveries,
  deliverScheduleDelivery,
  ensureScheduleDeliveryDispatcher,
} from "@/server/services/schedule-delivery/send-schedule-delivery";
import { log } from "@/server/log";
import { defineJob } from "../define-job";

/**
 * Every minute: sends due schedule deliveries (retries whose backoff has passed, anything queued
 * while no dispatcher listened). Pushes normally go out within milliseconds through the dispatcher,
 * which this job starts in the worker process on its first run; with `deliveryId` it attempts that
 * one delivery only. Retries live in schedule_deliveries, not in the queue, so the job is not retried.
 */
export const deliverSchedulesJob = defineJob({
  name: "charging.deliver-schedules",
  schema: z.object({ deliveryId: z.string().uuid().optional() }).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 300,
  cron: "* * * * *",
  handler: async ({ deliveryId }) => {
    await ensureScheduleDeliveryDispatcher().catch((error: unknown) => log.error({ err: error }, "schedule delivery dispatcher did not start; the sweep still delivers"));
    if (deliveryId !== undefined) {
      await deliverScheduleDelivery(deliveryId);
      return;
    }
    await deliverDueScheduleDeliveries();
  },
});
