import { createHash } from "node:crypto";
import { z } from "zod";
import { getConfig } from "@/server/config";
import { listPollableBatteries, pollBattery, pollOffsetSeconds } from "@/server/services/batteries/batteries";
import { systemContext } from "@/server/services/context";
import { defineJob } from "../define-job";
import { ensureQueue, getBoss } from "../queue";
import type { JobDefinition } from "../define-job";

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

/** A stable job id per battery and slot (name-based UUID): a repeated run's insert conflicts and queues nothing. */
function pollJobId(assetId: string, slotMs: number): string {
  const hex = createHash("sha1").update(`battery.poll:${assetId}:${slotMs}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * pg-boss's singletonKey does not dedupe on a standard queue, so the poll's id is derived
 * from battery and slot instead. Validates the payload like enqueue(). True when queued.
 */
async function enqueuePollOnce(orgId: string, assetId: string, slotMs: number): Promise<boolean> {
  const data = pollBatteryJob.schema.parse({ orgId, assetId });
  const boss = await getBoss();
  await ensureQueue(boss, pollBatteryJob as unknown as JobDefinition);
  const id = await boss.send(pollBatteryJob.name, data, {
    id: pollJobId(assetId, slotMs),
    startAfter: new Date(slotMs),
    retryLimit: pollBatteryJob.retry.limit,
    expireInSeconds: pollBatteryJob.expireInSeconds,
  });
  return id !== null;
}

/**
 * Queues the polls due in the minute from `now`, each at its battery's own offset in the
 * interval so a fleet's requests spread evenly instead of bursting. A battery backing off
 * after errors is skipped until its recorded next poll time. Singleton keys make a second
 * run for the same minute queue nothing new. Returns how many polls were queued.
 */
export async function schedulePolls(now: Date, options: { orgId?: string; intervalSeconds?: number } = {}): Promise<number> {
  const interval = options.intervalSeconds ?? getConfig().batteries.pollIntervalSeconds;
  const nowMs = now.getTime();
  const windowEnd = nowMs + 60_000;
  let queued = 0;
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
      if (await enqueuePollOnce(battery.orgId, battery.assetId, slot)) queued += 1;
    }
  }
  return queued;
}

/** Every minute: queue the polls due in the coming minute. */
export const schedulePollsJob = defineJob({
  name: "battery.schedule-polls",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 60,
  cron: "* * * * *",
  handler: async () => {
    await schedulePolls(new Date());
  },
});
