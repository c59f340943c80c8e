// Client-side token bucket, one bucket per key, so we stay under each cloud's published limits
// instead of discovering them through 429s.
import type { RateLimit } from "./types";

interface Bucket {
  /** May go negative: each waiting caller has reserved a future token. */
  tokens: number;
  updatedMs: number;
}

export class TokenBucketRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit.requestsPerSecond > 0) || !(limit.burst >= 1)) throw new Error("rate limit needs requestsPerSecond > 0 and burst >= 1");
  }

  /** Milliseconds the caller must wait before its request; the token is reserved on return. */
  reserve(key: string): number {
    const nowMs = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, updatedMs: nowMs };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * this.limit.requestsPerSecond);
    bucket.updatedMs = nowMs;
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.evictIdle(nowMs);
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / this.limit.requestsPerSecond) * 1000);
  }

  async acquire(key: string): Promise<void> {
    const waitMs = this.reserve(key);
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  private evictIdle(nowMs: number): void {
    const refillMs = (this.limit.burst / this.limit.requestsPerSecond) * 1000;
    for (const [key, bucket] of this.buckets) {
      if (nowMs - bucket.updatedMs > refillMs) this.buckets.delete(key);
    }
  }
}
