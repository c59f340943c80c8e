import { z } from "zod";
import { log } from "@/server/log";
import { runGridEventSweep } from "@/server/services/grid-events/execution";
import { defineJob } from "../define-job";

/**
 * Every minute: moves grid events along (dispatch shortly before the start, track Actions,
 * restore after the end, complete and settle) and delivers signed partner dispatch webhooks.
 * Each step is guarded by a status transition, so a repeated or overlapping run sends nothing twice.
 */
export const gridEventsSweepJob = defineJob({
  name: "grid-events.sweep",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  // Dispatching a 10,000-battery event takes about two minutes on 2 cores
  // (bench/grid-event-dispatch.ts); overlapping runs are safe, so let one finish.
  expireInSeconds: 10 * 60,
  cron: "* * * * *",
  handler: async () => {
    const report = await runGridEventSweep();
    if (report.events > 0 || report.webhooksDelivered > 0) log.info(report, "swept grid events");
  },
});
