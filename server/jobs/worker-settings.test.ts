import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, parseConfig } from "@/server/config";
import { defineJob } from "./define-job";
import { fetchLoopsFor, workSettingsFor } from "./worker";

const base = { NODE_ENV: "test" as const, ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"), NEXTAUTH_SECRET: "x".repeat(40) };

describe("worker settings", () => {
  it("reads each queue class's concurrency and batch size from the environment, with defaults", () => {
    const jobs = parseConfig({ ...base, JOBS_DRIVE_CONCURRENCY: "48", JOBS_DRIVE_BATCH_SIZE: "12", WORKER_POLLING_INTERVAL_SECONDS: "2" }).jobs;
    expect(jobs.actionDriving).toEqual({ concurrency: 48, batchSize: 12 });
    expect(jobs.pollingIntervalSeconds).toBe(2);
    expect(jobs.polling.concurrency).toBeGreaterThan(1);
    expect(jobs.delivery.batchSize).toBeGreaterThanOrEqual(1);
  });

  it("refuses settings pg-boss or a worker cannot run, naming the variable", () => {
    expect(() => parseConfig({ ...base, WORKER_POLLING_INTERVAL_SECONDS: "0.2" })).toThrow(/WORKER_POLLING_INTERVAL_SECONDS/);
    expect(() => parseConfig({ ...base, JOBS_POLL_CONCURRENCY: "0" })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, JOBS_POLL_BATCH_SIZE: "many" })).toThrow(/JOBS_POLL_BATCH_SIZE/);
    expect(() => parseConfig({ ...base, OEM_CONCURRENCY: "-1" })).toThrow(/OEM_CONCURRENCY/);
  });

  it("runs a queue with as many fetch loops as its concurrency needs, and the sweeps one at a time", () => {
    expect(fetchLoopsFor({ concurrency: 32, batchSize: 8 })).toEqual({ loops: 4, batchSize: 8 });
    expect(fetchLoopsFor({ concurrency: 10, batchSize: 4 })).toEqual({ loops: 3, batchSize: 4 });
    // A batch never holds more jobs than may run at once.
    expect(fetchLoopsFor({ concurrency: 3, batchSize: 50 })).toEqual({ loops: 1, batchSize: 3 });
    const jobs = parseConfig(base).jobs;
    const sweep = defineJob({ name: "test.sweep", schema: z.object({}), handler: async () => {} });
    const poll = defineJob({ name: "test.poll", queueClass: "polling", schema: z.object({}), handler: async () => {} });
    expect(workSettingsFor(sweep, jobs)).toEqual({ concurrency: 1, batchSize: 1 });
    expect(workSettingsFor(poll, jobs)).toBe(jobs.polling);
  });
});
