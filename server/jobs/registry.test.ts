import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createGridEvent } from "@/server/services/grid-events";
import { createTestOrg } from "@/test/fixtures";
import type { JobDefinition } from "./define-job";
import { settleGridEventJob, sweepUnsettledGridEventsJob } from "./handlers/settle-grid-events";
import { stopBoss } from "./queue";
import { jobRegistry } from "./registry";

afterAll(async () => {
  await stopBoss();
});

const HANDLERS_DIR = path.join(import.meta.dirname, "handlers");

/** Every job a handler file defines, by scanning for `export const xJob = defineJob(`. */
async function definedJobs(): Promise<{ file: string; job: JobDefinition }[]> {
  const found: { file: string; job: JobDefinition }[] = [];
  for (const file of readdirSync(HANDLERS_DIR).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))) {
    const names = [...readFileSync(path.join(HANDLERS_DIR, file), "utf8").matchAll(/export const (\w+) = defineJob\(/g)].map((match) => match[1] ?? "");
    const module = (await import(/* @vite-ignore */ pathToFileURL(path.join(HANDLERS_DIR, file)).href)) as Record<string, JobDefinition>;
    for (const name of names) {
      const job = module[name];
      if (job) found.push({ file, job });
    }
  }
  return found;
}

describe("job registry", () => {
  it("lists every job the handlers define, each under its own name", async () => {
    const defined = await definedJobs();
    expect(defined.length).toBeGreaterThan(10);
    for (const { file, job } of defined) expect(jobRegistry, `${job.name} (handlers/${file}) is not in registry.ts`).toContain(job);
    const names = jobRegistry.map((job) => job.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("gives every recurring job a five-field UTC cron and a payload schema that takes the empty payload cron sends", () => {
    const recurring = jobRegistry.filter((job) => job.cron !== undefined);
    expect(recurring.length).toBeGreaterThan(5);
    for (const job of recurring) {
      expect(job.cron?.trim().split(/\s+/), job.name).toHaveLength(5);
      expect(job.schema.safeParse({}).success, `${job.name} refuses the cron payload {}`).toBe(true);
    }
  });
});

describe("rewards.sweep-unsettled-events", () => {
  it("queues settlement of completed events that ended over an hour ago and were never settled", async () => {
    const org = await createTestOrg("jobs-sweep-unsettled");
    const window = { startAt: new Date(Date.now() + 2 * 3_600_000), endAt: new Date(Date.now() + 2.5 * 3_600_000) };
    const aligned = (date: Date) => new Date(Math.ceil(date.getTime() / 1_800_000) * 1_800_000);
    const base = { name: "Past peak", direction: "turn_down" as const, targetKw: 5, priceGbpPerMwh: 250, propositions: ["full_asset_control" as const] };
    const [due, recent, settled] = await Promise.all(
      [0, 1, 2].map(() => createGridEvent(org.admin, { ...base, startAt: aligned(window.startAt), endAt: aligned(window.endAt) })),
    );
    if (!due || !recent || !settled) throw new Error("events not created");
    // Completed in the past: two hours ago, ten minutes ago, and one already settled.
    const complete = async (id: string, endedMinutesAgo: number, settledAt: Date | null) =>
      getDb().execute(sql`
        update grid_events set status = 'completed',
          start_at = now() - make_interval(mins => ${endedMinutesAgo + 30}), end_at = now() - make_interval(mins => ${endedMinutesAgo}),
          settled_at = ${settledAt?.toISOString() ?? null}::timestamptz
        where id = ${id}::uuid`);
    await complete(due.id, 120, null);
    await complete(recent.id, 10, null);
    await complete(settled.id, 120, new Date());

    await sweepUnsettledGridEventsJob.handler({}, { id: "test", retryCount: 0 });
    const queued = await getDb().execute<{ event_id: string }>(
      sql`select data->>'eventId' as event_id from pgboss.job where name = ${settleGridEventJob.name} and data->>'orgId' = ${org.orgId}`,
    );
    expect([...queued].map((row) => row.event_id)).toEqual([due.id]);
  });
});
