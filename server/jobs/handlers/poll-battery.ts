import { createHash } from "node:crypto";
import { z } from "zod";
import { getConfig } from "@/server/config";
import { listPollableBatteries, pollBatteries, pollOffsetSeconds } from "@/server/services/batteries/batteries";
import { systemContext } from "@/server/services/context";
import { defineJob } from "../define-job";
import { enqueueManyOnce } from "../queue";

/** Batteries in one poll job at most. */
const POLL_JOB_MAX_BATTERIES = 500;

// Jobs queued before polls were grouped carry one assetId; they are read as a group of one.
const pollPayload = z.preprocess(
  (value) => (value && typeof value === "object" && "assetId" in value && !("assetIds" in value) ? { ...value, assetIds: [value.assetId] } : value),
  z.object({ orgId: z.uuid(), assetIds: z.array(z.uuid()).min(1).max(POLL_JOB_MAX_BATTERIES) }),
);

/**
 * Reads the live state of the batteries of one organisation whose poll falls in the same second:
 * one job per slot, not per battery, so a large fleet costs the queue a few jobs a second.
 * Failures are recorded with backoff by the service, not retried here.
 */
export const pollBatteryJob = defineJob({
  name: "battery.poll",
  queueClass: "polling",
  schema: pollPayload,
  retry: { limit: 0 },
  expireInSeconds: 120,
  handler: async ({ orgId, assetIds }) => {
    await pollBatteries(systemContext(orgId, "battery poller"), assetIds);
  },
});

/**
 * A stable job id per organisation, slot and group (name-based UUID): pg-boss's singletonKey does
 * not dedupe on a standard queue, so a repeated run's insert conflicts on the id and queues nothing.
 */
function pollJobId(orgId: string, slotMs: number, group: number): string {
  const hex = createHash("sha1").update(`battery.poll:${orgId}:${slotMs}:${group}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * How far ahead each run queues polls. The cron runs every minute but pg-boss may start it half
 * a minute late; windows that overlap (ids make the overlap free) leave no battery unpolled.
 */
export const POLL_SCHEDULE_AHEAD_MS = 2 * 60_000;

/**
 * Queues the polls due in the next POLL_SCHEDULE_AHEAD_MS from `now`, each at its battery's own
 * offset in the interval so a fleet's requests spread evenly instead of bursting; the batteries of
 * an organisation sharing a slot go in one job. A battery backing off after errors is skipped until
 * its recorded next poll time. Ids per organisation and slot make a second run queue nothing new
 * (a battery added between two runs joins at its first slot not yet queued). Returns how many
 * jobs were queued.
 */
export async function schedulePolls(now: Date, options: { orgId?: string; intervalSeconds?: number } = {}): Promise<number> {
  const interval = options.intervalSeconds ?? getConfig().batteries.pollIntervalSeconds;
  const nowMs = now.getTime();
  const windowEnd = nowMs + POLL_SCHEDULE_AHEAD_MS;
  const periodMs = interval * 1000;
  // Batteries by organisation and slot, in a stable order so a repeated run groups them alike.
  const slots = new Map<string, { orgId: string; slotMs: number; assetIds: string[] }>();
  const batteries = (await listPollableBatteries()).sort((a, b) => (a.assetId < b.assetId ? -1 : 1));
  for (const battery of batteries) {
    if (options.orgId !== undefined && battery.orgId !== options.orgId) continue;
    if (battery.nextPollAt && battery.nextPollAt.getTime() > windowEnd) continue;
    const offsetMs = pollOffsetSeconds(battery.assetId, interval) * 1000;
    let slot = Math.floor((nowMs - offsetMs) / periodMs) * periodMs + offsetMs;
    if (slot < nowMs) slot += periodMs;
    // Backing off: not before the recorded next poll time.
    const notBefore = battery.nextPollAt?.getTime() ?? 0;
    for (; slot < windowEnd; slot += periodMs) {
      if (slot < notBefore) continue;
      const key = `${battery.orgId}:${slot}`;
      const group = slots.get(key) ?? { orgId: battery.orgId, slotMs: slot, assetIds: [] };
      group.assetIds.push(battery.assetId);
      slots.set(key, group);
    }
  }
  const jobs = [...slots.values()].flatMap(({ orgId, slotMs, assetIds }) =>
    Array.from({ length: Math.ceil(assetIds.length / POLL_JOB_MAX_BATTERIES) }, (_, group) => ({
      id: pollJobId(orgId, slotMs, group),
      payload: { orgId, assetIds: assetIds.slice(group * POLL_JOB_MAX_BATTERIES, (group + 1) * POLL_JOB_MAX_BATTERIES) },
      startAfter: new Date(slotMs),
    })),
  );
  return enqueueManyOnce(pollBatteryJob, jobs);
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
