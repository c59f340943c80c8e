/** The five semantic tones shared by badges, notices, timelines and toasts. */
export type Tone = "neutral" | "success" | "warning" | "danger" | "info";

const successStatuses = new Set([
  "active",
  "confirmed",
  "completed",
  "succeeded",
  "success",
  "delivered",
  "enrolled",
  "granted",
  "online",
  "verified",
  "valid",
  "paid",
  "settled",
  "ok",
  "healthy",
  "connected",
  "charging",
]);
const warningStatuses = new Set([
  "pending",
  "queued",
  "scheduled",
  "retrying",
  "expiring",
  "degraded",
  "paused",
  "partial",
  "awaiting",
  "processing",
  "in_progress",
  "running",
  "suspended",
]);
const dangerStatuses = new Set([
  "failed",
  "failure",
  "error",
  "expired",
  "revoked",
  "rejected",
  "offline",
  "invalid",
  "withdrawn",
  "ineligible",
  "disconnected",
  "dead",
]);
const infoStatuses = new Set(["dispatched", "sent", "planned", "new", "draft", "plugged_in", "upcoming"]);

/**
 * A sensible default tone for the status words used across the platform (action states,
 * consent states, credential health ...). Unknown statuses are neutral; pass an explicit
 * tone to the badge when a screen knows better.
 */
export function toneForStatus(status: string): Tone {
  const key = status
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  if (successStatuses.has(key)) return "success";
  if (warningStatuses.has(key)) return "warning";
  if (dangerStatuses.has(key)) return "danger";
  if (infoStatuses.has(key)) return "info";
  return "neutral";
}
