import { z } from "zod";
import { getDb } from "@/db/client";
import { log } from "@/server/log";
import { warmBatteryPlanner } from "@/server/optimiser/battery";
import {
  executeDueScheduleSlots,
  organisationsWithActiveSchedules,
  organisationsWithOptimisedBatteries,
  planDailyBatterySchedules,
} from "@/server/services/battery-schedules/battery-schedules";
import { systemContext } from "@/server/services/context";
import { defineJob } from "../define-job";

/**
 * Every afternoon (15:30 UTC, after day-ahead prices are out): plans tomorrow for every Fully
 * Optimised battery. Re-running re-plans (a new version), so a retry after a crash is harmless.
 */
export const planBatterySchedulesJob = defineJob({
  name: "battery-schedules.plan-daily",
  schema: z.object({ localDate: z.iso.date().optional(), orgId: z.uuid().optional() }).passthrough(),
  retry: { limit: 2, delaySeconds: 300 },
  expireInSeconds: 30 * 60,
  cron: "30 15 * * *",
  handler: async ({ localDate, orgId }) => {
    await warmBatteryPlanner();
    const orgIds = orgId ? [orgId] : await organisationsWithOptimisedBatteries(getDb());
    for (const id of orgIds) {
      const summary = await planDailyBatterySchedules(systemContext(id, "battery schedule planner"), { ...(localDate ? { localDate } : {}), trigger: "daily" });
      log.info({ orgId: id, localDate: summary.localDate, planned: summary.planned, skipped: summary.skipped.length }, "planned battery schedules");
    }
  },
});

/** Every minute: at each slot boundary, the Action for the slot's operation mode (only when the mode changes). */
export const executeBatterySchedulesJob = defineJob({
  name: "battery-schedules.execute",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 120,
  cron: "* * * * *",
  handler: async () => {
    const now = new Date();
    for (const orgId of await organisationsWithActiveSchedules(getDb(), now)) {
      const summary = await executeDueScheduleSlots(systemContext(orgId, "battery schedule executor"), { now });
      if (summary.created + summary.skipped > 0) log.info({ orgId, ...summary }, "executed battery schedule slots");
    }
  },
});
