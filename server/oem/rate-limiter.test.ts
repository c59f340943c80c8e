import { describe, expect, it } from "vitest";
import { TokenBucketRateLimiter } from "./rate-limiter";
import { normaliseSchedule, wallTimeToMinutes } from "./schedule";

describe("token bucket rate limiter", () => {
  it("lets a burst through, then spaces calls at the configured rate", () => {
    let now = 0;
    const limiter = new TokenBucketRateLimiter({ requestsPerSecond: 2, burst: 2 }, () => now);
    expect([limiter.reserve("k"), limiter.reserve("k"), limiter.reserve("k"), limiter.reserve("k")]).toEqual([0, 0, 500, 1000]);
    now = 2000;
    expect(limiter.reserve("k")).toBe(0);
  });

  it("keeps separate buckets per key", () => {
    const limiter = new TokenBucketRateLimiter({ requestsPerSecond: 1, burst: 1 }, () => 0);
    expect(limiter.reserve("a")).toBe(0);
    expect(limiter.reserve("b")).toBe(0);
    expect(limiter.reserve("a")).toBe(1000);
  });
});

describe("schedule helpers", () => {
  it("reads 23:59 and 24:00 as the end of the day", () => {
    expect(wallTimeToMinutes("23:59")).toBe(1440);
    expect(wallTimeToMinutes("24:00")).toBe(1440);
    expect(wallTimeToMinutes("24:30")).toBeNull();
    expect(wallTimeToMinutes("7:00")).toBeNull();
  });

  it("splits a slot that wraps midnight", () => {
    expect(normaliseSchedule("foxess", { slots: [{ start: "22:00", end: "02:00", action: "charge" }] }).map((p) => [p.startMinute, p.endMinute])).toEqual([
      [0, 120],
      [1320, 1440],
    ]);
  });
});
