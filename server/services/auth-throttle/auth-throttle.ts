// Rate limits and lockout for every place a secret is guessed: the token endpoints, the dashboard
// sign-in and the householders' emailed codes. Counters live in PostgreSQL (auth_throttles), so
// they hold across web processes and workers. Each attempt is counted BEFORE the secret is checked,
// by one conditional upsert, so parallel guesses in several processes cannot slip past the limit;
// a success gives its attempt back, so a partner that signs in correctly and often is never locked.
// The attempt after the limit locks the subject for one window, doubling with each lockout in a row.
import { createHash } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { authThrottles } from "@/db/schema";
import { getConfig } from "@/server/config";
import { RateLimitedError } from "../errors";

export type ThrottleBucket = "token-client" | "token-address" | "sign-in-email" | "sign-in-address" | "code-link" | "code-address";

export interface ThrottleRule {
  bucket: ThrottleBucket;
  /** Who is guessing or being guessed: a client id, an email, a client address, a link id. */
  subject: string;
  /** Attempts allowed per window; the next one locks. */
  limit: number;
}

export const THROTTLE_WINDOW_SECONDS = 60;
/** Lockouts double up to this: an hour. */
export const MAX_LOCK_SECONDS = 3600;
/** A subject left alone this long starts again from the shortest lock. */
const LOCKOUTS_FORGOTTEN_AFTER_SECONDS = 24 * 3600;

/** Hashed so hostile bytes (NUL, huge strings) never reach the key column and nothing personal is stored. */
function throttleKey(rule: ThrottleRule): string {
  return `${rule.bucket}:${createHash("sha256").update(rule.subject).digest("base64url")}`;
}

export function retryAfterWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export interface CountedAttempt {
  /** Gives the attempt back and clears the backoff: call it when the secret was right. */
  succeeded(): Promise<void>;
}

/**
 * Counts one attempt against every rule, or throws RateLimitedError (-> 429 + Retry-After)
 * when any subject is locked or this attempt goes over its limit. Rules whose subject is
 * unknown (e.g. no client address) are left out by the caller.
 */
export async function countCredentialAttempt(rules: ThrottleRule[], message: (retryAfter: string) => string, now: Date = new Date()): Promise<CountedAttempt> {
  const db = getDb();
  const windowMs = THROTTLE_WINDOW_SECONDS * 1000;
  const windowStart = new Date(now.getTime() - windowMs);
  const forgetBefore = new Date(now.getTime() - LOCKOUTS_FORGOTTEN_AFTER_SECONDS * 1000);
  let lockedUntil = 0;
  const keys: string[] = [];
  for (const rule of rules) {
    const key = throttleKey(rule);
    keys.push(key);
    // The row lock ON CONFLICT takes serialises parallel attempts on one subject; every SET
    // expression reads the row as it was, so the whole decision is this one statement.
    const t = authThrottles;
    const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
    const locked = sql`(${t.lockedUntil} is not null and ${t.lockedUntil} > ${at(now)})`;
    const inWindow = sql`(${t.windowStartedAt} > ${at(windowStart)})`;
    const lockouts = sql`(case when ${t.updatedAt} < ${at(forgetBefore)} then 0 else ${t.lockouts} end)`;
    const goesOver = sql`(not ${locked} and ${inWindow} and ${t.attempts} + 1 > ${sql.raw(String(rule.limit))})`;
    const lockSeconds = sql`least(${sql.raw(String(THROTTLE_WINDOW_SECONDS))} * power(2, ${lockouts}), ${sql.raw(String(MAX_LOCK_SECONDS))})`;
    const [row] = await db
      .insert(t)
      .values({ key, attempts: 1, windowStartedAt: now, lockedUntil: null, lockouts: 0, updatedAt: now })
      .onConflictDoUpdate({
        target: t.key,
        set: {
          attempts: sql`case when ${locked} then ${t.attempts} when ${goesOver} then 0 when ${inWindow} then ${t.attempts} + 1 else 1 end`,
          windowStartedAt: sql`case when ${locked} or (${inWindow} and not ${goesOver}) then ${t.windowStartedAt} else ${at(now)} end`,
          lockedUntil: sql`case when ${locked} then ${t.lockedUntil} when ${goesOver} then ${at(now)} + make_interval(secs => ${lockSeconds}) else null end`,
          lockouts: sql`case when ${goesOver} then ${lockouts} + 1 else ${lockouts} end`,
          updatedAt: now,
        },
      })
      .returning({ lockedUntil: t.lockedUntil });
    if (row?.lockedUntil && row.lockedUntil.getTime() > now.getTime()) lockedUntil = Math.max(lockedUntil, row.lockedUntil.getTime());
  }
  if (lockedUntil > 0) {
    const retryAfter = Math.max(1, Math.ceil((lockedUntil - now.getTime()) / 1000));
    throw new RateLimitedError(message(retryAfterWords(retryAfter)), retryAfter);
  }
  return {
    async succeeded() {
      if (keys.length === 0) return;
      await db
        .update(authThrottles)
        .set({ attempts: sql`greatest(${authThrottles.attempts} - 1, 0)`, lockouts: 0 })
        .where(inArray(authThrottles.key, keys));
    },
  };
}

/** Read-only: seconds until the first of these subjects is unlocked, or 0 when none is locked. */
export async function secondsUntilUnlocked(rules: ThrottleRule[], now: Date = new Date()): Promise<number> {
  if (rules.length === 0) return 0;
  const rows = await getDb()
    .select({ lockedUntil: authThrottles.lockedUntil })
    .from(authThrottles)
    .where(inArray(authThrottles.key, rules.map(throttleKey)));
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/** The limits from configuration: per subject (client id, email, link) and per client address. */
export function credentialLimits(): { perSubject: number; perAddress: number } {
  const { authThrottle } = getConfig();
  return { perSubject: authThrottle.failuresPerSubject, perAddress: authThrottle.failuresPerAddress };
}
