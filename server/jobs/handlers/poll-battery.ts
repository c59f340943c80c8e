import { createHash } from "node:crypto";
import { z } from "zod";
import { getConfig } from "@/server/config";
import { listPollableBatteries, pollBattery, pollOffsetSeconds } from "@/server/services/batteries/batteries";
import { systemContext } from "@/server/services/context";
import { defineJob } from "../define-job";
import { enqueueManyOnce } from "../queue";

/** Reads one battery's live state. Failures are recorded with backoff by the service, not retried here. */
export const pollBatteryJob = defineJob({
  name: "battery.poll",
  queueClass: "polling",
  schema: z.object({ orgId: z.uuid(), assetId: z.uuid() }),
  retry: { limit: 0 },
  expireInSeconds: 120,
  handler: async ({ orgId, assetId }) => {
    await pollBattery(systemContext(orgId, "battery poller"), assetId);
  },
});

/**
 * A stable job id per battery and slot (name-based UUID): pg-boss's singletonKey does not dedupe
 * on a standard queue, so a repeated run's insert conflicts on the id and queues nothing.
 */
function pollJobId(assetId: string, slotMs: number): string {
  const hex = createHash("sha1").update(`battery.poll:${assetId}:${slotMs}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * How far ahead each run queues polls. The cron runs every minute but pg-boss may start it half
 * a minute late; windows that overlap (ids make the overlap free) leave no battery unpolled.
 */
export const POLL_SCHEDULE_AHEAD_MS = 2 * 60_000;

/**
 * Queues the polls due in the next POLL_SCHEDULE_AHEAD_MS from `now`, each at its battery's own offset in the
 * interval so a fleet's requests spread evenly instead of bursting. A battery backing off
 * after errors is skipped until its recorded next poll time. Ids per battery and slot make a
 * second run for the same minute queue nothing new. Returns how many polls were queued.
 */
export async function schedulePolls(now: Date, options: { orgId?: string; intervalSeconds?: number } = {}): Promise<number> {
  const interval = options.intervalSeconds ?? getConfig().batteries.pollIntervalSeconds;
  const nowMs = now.getTime();
  const windowEnd = nowMs + POLL_SCHEDULE_AHEAD_MS;
  const polls: { id: string; payload: { orgId: string; assetId: string }; startAfter: Date }[] = [];
  for (const battery of await listPollableBatteries()) {
    if (options.orgId !== undefined && battery.orgId !== options.orgId) continue;
    if (battery.nextPollAt && battery.nextPollAt.getTime() > windowEnd) continue;
    const offsetMs = pollOffsetSeconds(battery.assetId, interval) * 1000;
    const periodMs = interval * 1000;
    let slot = Math.floor((nowMs - offsetMs) / periodMs) * periodMs + offsetMs;
    if (slot < nowMs) slot += periodMs;
    // Backing off: not before the recorded next poll time.
    const notBefore = battery.nextPollAt?.getTime() ?? 0;
    for (; slot < windowEnd; slot += periodMs) {
      if (slot < notBefore) continue;
      polls.push({ id: pollJobId(battery.assetId, slot), payload: { orgId: battery.orgId, assetId: battery.assetId }, startAfter: new Date(slot) });
    }
  }
  return enqueueManyOnce(pollBatteryJob, polls);
}

/** Every minute, and when a worker starts: queue the polls due in the coming two minutes. */
export const schedulePollsJob = defineJob({
  name: "battery.schedule-polls",
  runAtStart: true,
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 60,
  cron: "* * * * *",
  handler: async () => {
    await schedulePolls(new Date());
  },
});
