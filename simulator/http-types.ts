// The simulator's small request/response model, independent of node:http so handlers stay easy to test.
import type { DeviceFaults, SimDevice } from "./devices";
import type { SimWorld } from "./world";

export interface SimRequest {
  method: string;
  /** Path inside the OEM's API, without the simulator prefix or query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface SimResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type OemHandler = (request: SimRequest, world: SimWorld) => Promise<SimResponse>;

export function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SimResponse {
  return headers ? { status, body, headers } : { status, body };
}

export function parseJsonBody(request: SimRequest): Record<string, unknown> | null {
  if (request.rawBody.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(request.rawBody);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export type FaultOutcome = { kind: "server_error" } | { kind: "rate_limited"; retryAfterMs: number };

/** Applies injected latency, errors and rate limits for a request about this device (or account). */
export async function injectFaults(
  world: SimWorld,
  device: SimDevice | null,
  rateKey: string,
): Promise<FaultOutcome | null> {
  const faults: DeviceFaults = world.effectiveFaults(device);
  if (faults.latencyMs && faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
  if (faults.rateLimit) {
    const taken = world.takeRateToken(rateKey, faults.rateLimit);
    if (!taken.allowed) return { kind: "rate_limited", retryAfterMs: taken.retryAfterMs };
  }
  if (faults.errorRate && world.chance(faults.errorRate)) return { kind: "server_error" };
  return null;
}

export function retryAfterHeader(retryAfterMs: number): Record<string, string> {
  return { "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
}

export function wallTime(minutes: number): string {
  const clamped = Math.min(Math.max(0, Math.round(minutes)), 1439);
  return `${String(Math.floor(clamped / 60)).padStart(2, "0")}:${String(clamped % 60).padStart(2, "0")}`;
}

export function isWallTime(value: unknown): value is string {
  return typeof value === "string" && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
