import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob } from "./define-job";
import { createBoss, enqueue, stopBoss } from "./queue";
import { startWorker } from "./worker";

afterAll(async () => {
  await stopBoss();
});

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

describe("job queue", () => {
  it("runs a job enqueued once exactly once, with two competing workers", async () => {
    const runs: string[] = [];
    const job = defineJob({
      name: `test.once-${randomUUID().slice(0, 8)}`,
      schema: z.object({ n: z.number() }),
      retry: { limit: 0 },
      handler: async (payload, meta) => {
        runs.push(`${meta.id}:${payload.n}`);
        await new Promise((r) => setTimeout(r, 300));
      },
    });
    const url = process.env.DATABASE_URL ?? "";
    const [w1, w2] = await Promise.all([
      startWorker({ connectionString: url, jobs: [job], pollingIntervalSeconds: 0.5 }),
      startWorker({ connectionString: url, jobs: [job], pollingIntervalSeconds: 0.5 }),
    ]);
    try {
      const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => enqueue(job, { n })));
      await waitFor(() => runs.length >= 20, 20_000);
      await new Promise((r) => setTimeout(r, 1500)); // time for a duplicate to show up, if any
      expect(runs).toHaveLength(20);
      expect(new Set(runs.map((r) => r.split(":")[0]))).toEqual(new Set(ids));
    } finally {
      await Promise.all([w1.stop(), w2.stop()]);
    }
  });

  it("refuses an invalid payload before it reaches the queue", async () => {
    const job = defineJob({ name: `test.invalid-${randomUUID().slice(0, 8)}`, schema: z.object({ siteId: z.string().uuid() }), handler: async () => {} });
    await expect(enqueue(job, { siteId: "nope" })).rejects.toThrow();
  });

  it("cancels, without retrying, a job whose payload does not match its schema", async () => {
    let ran = 0;
    const job = defineJob({ name: `test.bad-payload-${randomUUID().slice(0, 8)}`, schema: z.object({ ok: z.literal(true) }), retry: { limit: 3, delaySeconds: 1 }, handler: async () => void ran++ });
    const url = process.env.DATABASE_URL ?? "";
    const sender = createBoss(url);
    await sender.start();
    const worker = await startWorker({ connectionString: url, jobs: [job], pollingIntervalSeconds: 0.5 });
    try {
      await sender.createQueue(job.name).catch(() => {});
      const id = await sender.send(job.name, { ok: false });
      let state: string | undefined;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && state !== "cancelled") {
        state = (await sender.getJobById(job.name, id ?? ""))?.state;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(state).toBe("cancelled");
      expect(ran).toBe(0);
    } finally {
      await worker.stop();
      await sender.stop({ graceful: false, wait: true });
    }
  });
});
