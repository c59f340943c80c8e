import { z } from "zod";
import { getConfig } from "@/server/config";
import { listPollableBatteries, pollBattery, pollOffsetSeconds } from "@/server/services/batteries/batteries";
import { systemContext } from "@/server/services/context";
import { defineJob } from "../define-job";
import { enqueue } from "../queue";

/** Reads one battery's live state. Failures are recorded with backoff by the service, not retried here. */
export const pollBatteryJob = defineJob({
  name: "battery.poll",
  schema: z.object({ orgId: z.uuid(), assetId: z.uuid() }),
  retry: { limit: 0 },
  expireInSeconds: 120,
  handler: async ({ orgId, assetId }) => {
    await pollBattery(systemContext(orgId, "battery poller"), assetId);
  },
});

/**
 * Every minute: queue the polls due in the coming minute, each at its battery's own
 * offset in the interval so a fleet's requests spread evenly instead of bursting.
 */
export const schedulePollsJob = defineJob({
  name: "battery.schedule-polls",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 60,
  cron: "* * * * *",
  handler: async () => {
    const interval = getConfig().batteries.pollIntervalSeconds;
    const now = Date.now();
    const windowEnd = now + 60_000;
    for (const battery of await listPollableBatteries()) {
      // Backing off after errors: skip until the recorded next poll time.
      if (battery.nextPollAt && battery.nextPollAt.getTime() > windowEnd) continue;
      const offsetMs = pollOffsetSeconds(battery.assetId, interval) * 1000;
      const periodMs = interval * 1000;
      let slot = Math.floor((now - offsetMs) / periodMs) * periodMs + offsetMs;
      if (slot < now) slot += periodMs;
      for (; slot < windowEnd; slot += periodMs) {
        await enqueue(pollBatteryJob, { orgId: battery.orgId, assetId: battery.assetId }, { startAfter: new Date(slot), singletonKey: `${battery.assetId}:${slot}` });
      }
    }
  },
});
