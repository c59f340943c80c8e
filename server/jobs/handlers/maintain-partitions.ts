import { z } from "zod";
import { log } from "@/server/log";
import { maintainPartitions } from "@/server/services/partitions/maintain-partitions";
import { defineJob } from "../define-job";

/** Hourly, and at worker start: partitions ready ahead of the calendar, expired ones dropped or archived. */
export const maintainPartitionsJob = defineJob({
  name: "partitions.maintain",
  schema: z.object({}).passthrough(),
  retry: { limit: 3, delaySeconds: 60 },
  expireInSeconds: 15 * 60,
  cron: "17 * * * *",
  runAtStart: true,
  handler: async () => {
    for (const result of await maintainPartitions(new Date())) {
      if (result.created.length > 0 || result.expired.length > 0) log.info(result, "maintained time partitions");
      // Rows outside every partition are kept, but an operator should know they pile up.
      if (result.defaultRows > 0) log.warn({ table: result.table, rows: result.defaultRows }, "rows outside every time partition");
    }
  },
});
