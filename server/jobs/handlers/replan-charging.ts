import { z } from "zod";
import { getConfig } from "@/server/config";
import { log } from "@/server/log";
import { replanDueOpenSessions } from "@/server/services/charging/planning";
import { defineJob } from "../define-job";

/**
 * Every minute: re-plans each open session whose latest plan is CHARGING_REPLAN_INTERVAL_MINUTES
 * old, so every plugged-in charger is re-planned at that interval, spread over time, and
 * sessions an event just re-planned are not planned twice. Closed sessions never are.
 */
export const replanChargingJob = defineJob({
  name: "charging.replan-open-sessions",
  schema: z.object({}).passthrough(),
  // The next minute's run picks up whatever this one missed.
  retry: { limit: 0 },
  expireInSeconds: 10 * 60,
  cron: "* * * * *",
  handler: async () => {
    const result = await replanDueOpenSessions(getConfig().chargingReplanIntervalMinutes);
    if (result.sessions > 0 || result.failed > 0) log.info(result, "re-planned open charging sessions");
  },
});
