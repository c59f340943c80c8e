// Shared HTTP for adapters: per-attempt timeout, client-side rate limit, bounded retries with
// exponential backoff and full jitter on network errors, timeouts, 5xx and 429.
import { createHash } from "node:crypto";
import { OemProtocolError, OemRateLimitedError, OemUnavailableError } from "./errors";
import { TokenBucketRateLimiter } from "./rate-limiter";
import type { Oem, OemAdapterConfig, RateLimit } from "./types";

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when it is not JSON. */
  body: unknown;
}

export type RetryVerdict = { retry: "rate_limited" | "unavailable"; retryAfterMs?: number } | null;

export interface RequestSpec {
  method: "GET" | "POST" | "PUT";
  /** Path appended to the base URL, with any query string. */
  path: string;
  /** Rebuilt per attempt, so signatures and timestamps are fresh. */
  headers: () => Record<string, string>;
  body?: string;
  /** Bucket for the client-side limiter, e.g. a credential fingerprint (and path). */
  limiterKey: string;
  /** OEM-specific retry signals carried in a 2xx body (FoxESS errno, Sigenergy code). */
  classify?: (result: HttpResult) => RetryVerdict;
}

export interface ResolvedHttpConfig {
  baseUrl: string;
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  rateLimit: RateLimit | null;
  fetch: typeof fetch;
}

export function resolveHttpConfig(config: OemAdapterConfig, defaultRateLimit: RateLimit): ResolvedHttpConfig {
  return {
    baseUrl: config.baseUrl.replace(/\/+$/, ""),
    timeoutMs: config.timeoutMs ?? 10_000,
    maxAttempts: Math.max(1, config.maxAttempts ?? 4),
    backoffBaseMs: config.backoffBaseMs ?? 250,
    backoffMaxMs: config.backoffMaxMs ?? 8_000,
    rateLimit: config.rateLimit === undefined ? defaultRateLimit : config.rateLimit,
    fetch: config.fetch ?? fetch,
  };
}

/** A stable, non-reversible name for a credential, safe to use as a map key or in logs. */
export function credentialFingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 16);
}

export class OemHttpClient {
  private readonly limiter: TokenBucketRateLimiter | null;

  constructor(
    readonly oem: Oem,
    readonly config: ResolvedHttpConfig,
  ) {
    this.limiter = config.rateLimit ? new TokenBucketRateLimiter(config.rateLimit) : null;
  }

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  async send(spec: RequestSpec): Promise<HttpResult> {
    let lastVerdict: NonNullable<RetryVerdict> = { retry: "unavailable" };
    let lastDetail = "no attempt made";
    let lastStatus: number | undefined;
    for (let attempt = 1; attempt <= this.config.maxAttempts; attempt += 1) {
      if (attempt > 1) await sleep(this.backoffMs(attempt - 1, lastVerdict.retryAfterMs));
      if (this.limiter) await this.limiter.acquire(spec.limiterKey);
      let result: HttpResult;
      try {
        result = await this.attempt(spec);
      } catch (error) {
        lastVerdict = { retry: "unavailable" };
        lastDetail = describeNetworkError(error, this.config.timeoutMs);
        lastStatus = undefined;
        continue;
      }
      const verdict = spec.classify?.(result) ?? defaultVerdict(result);
      if (!verdict) return result;
      lastVerdict = verdict;
      lastStatus = result.status;
      lastDetail = `HTTP ${result.status} on ${spec.method} ${stripQuery(spec.path)}`;
    }
    if (lastVerdict.retry === "rate_limited") throw new OemRateLimitedError(this.oem, lastVerdict.retryAfterMs);
    throw new OemUnavailableError(this.oem, `${lastDetail} after ${this.config.maxAttempts} attempt(s)`, lastStatus);
  }

  private async attempt(spec: RequestSpec): Promise<HttpResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.config.timeoutMs);
    try {
      const response = await this.config.fetch(`${this.config.baseUrl}${spec.path}`, {
        method: spec.method,
        headers: spec.headers(),
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        signal: controller.signal,
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: parseJson(text) };
    } finally {
      clearTimeout(timer);
    }
  }

  private backoffMs(retryNumber: number, retryAfterMs: number | undefined): number {
    const exponential = Math.min(this.config.backoffMaxMs, this.config.backoffBaseMs * 2 ** (retryNumber - 1));
    const jittered = Math.random() * exponential;
    return Math.min(this.config.backoffMaxMs, Math.max(jittered, retryAfterMs ?? 0));
  }
}

function defaultVerdict(result: HttpResult): RetryVerdict {
  if (result.status === 429) return { retry: "rate_limited", ...retryAfter(result.headers) };
  if (result.status >= 500) return { retry: "unavailable" };
  return null;
}

export function retryAfter(headers: Headers): { retryAfterMs?: number } {
  const raw = headers.get("retry-after");
  if (!raw) return {};
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return { retryAfterMs: Math.max(0, seconds * 1000) };
  const date = Date.parse(raw);
  return Number.isFinite(date) ? { retryAfterMs: Math.max(0, date - Date.now()) } : {};
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "AbortError") return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error) return `network error (${error.name}${"code" in error && typeof error.code === "string" ? ` ${error.code}` : ""})`;
  return "network error";
}

function stripQuery(path: string): string {
  const index = path.indexOf("?");
  return index === -1 ? path : path.slice(0, index);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Throws a protocol error naming the operation when a body does not parse with the schema. */
export function expectShape<T>(oem: Oem, operation: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new OemProtocolError(oem, `unexpected response to ${operation}`);
  return parsed.data;
}
