import { z } from "zod";
import { recordWorkerHeartbeat } from "@/server/services/health/worker-heartbeat";
import { defineJob } from "../define-job";

/** Every minute: proves a worker is consuming the queue (shown by /api/health). */
export const workerHeartbeatJob = defineJob({
  name: "system.worker-heartbeat",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 60,
  cron: "* * * * *",
  handler: async () => {
    await recordWorkerHeartbeat();
  },
});
