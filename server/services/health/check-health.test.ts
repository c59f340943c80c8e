import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { connect } from "@/db/client";
import { defineJob } from "@/server/jobs/define-job";
import { enqueue, stopBoss } from "@/server/jobs/queue";
import { createTestOrg } from "@/test/fixtures";
import { checkHealth, getSystemHealth } from "./check-health";

afterAll(async () => {
  await stopBoss();
});

describe("health", () => {
  it("reports the database as up", async () => {
    const report = await checkHealth();
    expect(report.database.ok).toBe(true);
    expect(report.status).not.toBe("down");
  });

  it("reports the database as down without leaking connection details", async () => {
    const dead = connect("postgres://someone:hunter2@127.0.0.1:1/nothing");
    try {
      const report = await checkHealth(dead.db);
      expect(report.status).toBe("down");
      expect(JSON.stringify(report)).not.toContain("hunter2");
    } finally {
      await dead.sql.end({ timeout: 1 });
    }
  });

  it("shows each queue's depth: due now, scheduled later, and how long the oldest due job has waited", async () => {
    const job = defineJob({ name: `test.depth-${randomUUID().slice(0, 8)}`, schema: z.object({ n: z.number() }), handler: async () => {} });
    await enqueue(job, { n: 1 });
    await enqueue(job, { n: 2 });
    await enqueue(job, { n: 3 }, { startAfter: new Date(Date.now() + 3_600_000) });
    await new Promise((r) => setTimeout(r, 1100));
    const org = await createTestOrg("health-queues");
    const viewer = await org.addOperator("viewer");
    const report = await getSystemHealth(viewer.ctx);
    const depth = report.queue.queues?.find((q) => q.name === job.name);
    expect(depth).toMatchObject({ due: 2, scheduled: 1, active: 0 });
    expect(depth?.oldestDueSeconds).toBeGreaterThanOrEqual(1);
  });
});
