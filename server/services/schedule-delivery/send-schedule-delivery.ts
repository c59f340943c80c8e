// Sends queued schedule deliveries: one signed POST per attempt, every attempt recorded, retried
// with exponential backoff on network errors, timeouts, 5xx and 429. Latest plan wins.
//
// Exactly-one-sender: a delivery is claimed with SELECT … FOR UPDATE SKIP LOCKED and the row lock
// is held (in a transaction) for the whole HTTP attempt, together with a per-session advisory lock,
// so two workers never send the same delivery and never two versions of one session at once.
// If the process dies mid-request the transaction rolls back and the delivery is simply due again
// (at-least-once: receivers de-duplicate on X-Flexfleet-Delivery-Id).
import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { getConnection, getDb, type DbOrTx } from "@/db/client";
import { checkPartnerUrl } from "../partner-urls/partner-url-policy";
import {
  assets,
  chargingPlans,
  chargingSessions,
  organisations,
  scheduleDeliveries,
  scheduleDeliveryAttempts,
  scheduleEndpoints,
} from "@/db/schema";
import { forEachConcurrently } from "@/server/domain/concurrency";
import { signSchedulePush } from "@/server/domain/signatures";
import { log } from "@/server/log";
import { openSecret, type EncryptionKey } from "../credentials/credential-crypto";
import { SCHEDULE_DELIVERY_CHANNEL } from "./schedule-delivery";
import { scheduleSecretContext, scheduleSecretKeyring } from "./endpoint-secret";

export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
/**
 * A delivery is retried until this long after it was queued (then `failed`, and the endpoint shows
 * as down): a partner outage of a day loses nothing, and the latest plan is delivered once it is
 * back. 26 hours, like the battery API's own retry horizon.
 */
export const SCHEDULE_DELIVERY_RETRY_HOURS = 26;
const BACKOFF_BASE_SECONDS = 1;
const BACKOFF_CAP_SECONDS = 300;

export interface PostOutcome {
  ok: boolean;
  httpStatus: number | null;
  /** Short, secret-free description of what went wrong; null on success. */
  error: string | null;
  durationMs: number;
  /** Worth another attempt: network error, timeout, 5xx or 429. */
  retryable: boolean;
  /** From a 429/503 Retry-After header, in seconds. */
  retryAfterSeconds: number | null;
}

export interface PostSignedScheduleInput {
  url: string;
  secret: string;
  body: Record<string, unknown>;
  now: Date;
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  const code =
    typeof cause === "object" && cause !== null && "code" in cause
      ? String((cause as { code: unknown }).code)
      : undefined;
  // Only the error code or a generic message: a message could echo request details.
  return code ? `network error: ${code}` : "network error: the request failed";
}

/** Retry-After as seconds from `nowMs`: a delay, or an HTTP date (the request's clock, not a fresh read of the wall clock). */
function retryAfterSeconds(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, BACKOFF_CAP_SECONDS);
  const at = Date.parse(header);
  return Number.isNaN(at)
    ? null
    : Math.min(Math.max(0, Math.ceil((at - nowMs) / 1000)), BACKOFF_CAP_SECONDS);
}

/** POSTs a body signed with X-Flexfleet-Timestamp / X-Flexfleet-Signature (see docs/schedule-delivery.md). Never throws. */
export async function postSignedSchedule(input: PostSignedScheduleInput): Promise<PostOutcome> {
  const timeoutMs = input.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  const rawBody = JSON.stringify(input.body);
  const started = performance.now();
  const elapsed = () => Math.max(0, Math.round(performance.now() - started));
  try {
    const response = await (input.fetchImpl ?? fetch)(input.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Flexfleet-Schedule-Delivery/1",
        ...input.headers,
        ...signSchedulePush(input.secret, rawBody, input.now),
      },
      body: rawBody,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection is reused; its content is not needed.
    await response.arrayBuffer().catch(() => undefined);
    const durationMs = elapsed();
    if (response.status >= 200 && response.status < 300) {
      return {
        ok: true,
        httpStatus: response.status,
        error: null,
        durationMs,
        retryable: false,
        retryAfterSeconds: null,
      };
    }
    const retryable = response.status >= 500 || response.status === 429;
    return {
      ok: false,
      httpStatus: response.status,
      error: `HTTP ${response.status}`,
      durationMs,
      retryable,
      retryAfterSeconds: retryable ? retryAfterSeconds(response.headers.get("retry-after"), input.now.getTime()) : null,
    };
  } catch (error) {
    return {
      ok: false,
      httpStatus: null,
      error: describeNetworkError(error, timeoutMs),
      durationMs: elapsed(),
      retryable: true,
      retryAfterSeconds: null,
    };
  }
}

/** Seconds to wait after the n-th failed attempt (1-based): 1, 2, 4, … capped at five minutes. */
export function backoffSeconds(failedAttempts: number): number {
  return Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, failedAttempts - 1));
}

export type DeliveryOutcome = "delivered" | "retrying" | "failed" | "superseded" | "cancelled" | "skipped";

export interface DeliverDeps {
  db?: DbOrTx;
  /** The clock; called at claim time and after the request. */
  now?: () => Date;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** Defaults to SCHEDULE_DELIVERY_RETRY_HOURS. */
  retryHours?: number;
  keyring?: readonly EncryptionKey[];
  /** Only these organisations' deliveries (tests: one file's sweeps and dispatcher never touch another file's). */
  organisationIds?: readonly string[];
}

function inScope(deps: DeliverDeps) {
  return deps.organisationIds ? inArray(scheduleDeliveries.organisationId, [...deps.organisationIds]) : undefined;
}

type ClaimResult = { kind: "skipped" } | { kind: "done"; outcome: DeliveryOutcome; sessionId: string };

async function finish(
  tx: DbOrTx,
  deliveryId: string,
  status: "superseded" | "cancelled" | "failed",
  reason: string,
  now: Date,
): Promise<void> {
  await tx
    .update(scheduleDeliveries)
    .set({ status, lastError: reason, updatedAt: now })
    .where(eq(scheduleDeliveries.id, deliveryId));
}

async function claimAndSend(deliveryId: string, deps: DeliverDeps): Promise<ClaimResult> {
  const db = deps.db ?? getDb();
  const clock = deps.now ?? (() => new Date());
  return db.transaction(async (tx): Promise<ClaimResult> => {
    const claimedAt = clock();
    const [delivery] = await tx
      .select()
      .from(scheduleDeliveries)
      .where(and(eq(scheduleDeliveries.id, deliveryId), eq(scheduleDeliveries.status, "pending"), lte(scheduleDeliveries.nextAttemptAt, claimedAt), inScope(deps)))
      .for("update", { skipLocked: true });
    if (!delivery) return { kind: "skipped" };
    // One version of a session on the wire at a time, so a newer plan never overtakes an older one in flight.
    const locks = await tx.execute<{ locked: boolean }>(
      sql`select pg_try_advisory_xact_lock(hashtextextended(${`schedule-delivery:${delivery.sessionId}`}, 0)) as locked`,
    );
    if (locks[0]?.locked !== true) return { kind: "skipped" };
    const done = (outcome: DeliveryOutcome): ClaimResult => ({
      kind: "done",
      outcome,
      sessionId: delivery.sessionId,
    });

    const [plan] = await tx
      .select({ version: chargingPlans.version })
      .from(chargingPlans)
      .where(eq(chargingPlans.id, delivery.planId));
    const planVersion = plan?.version ?? 0;
    const [newer] = await tx
      .select({ id: scheduleDeliveries.id })
      .from(scheduleDeliveries)
      .innerJoin(chargingPlans, eq(chargingPlans.id, scheduleDeliveries.planId))
      .where(
        and(eq(scheduleDeliveries.sessionId, delivery.sessionId), gt(chargingPlans.version, planVersion)),
      )
      .limit(1);
    if (newer) {
      await finish(tx, delivery.id, "superseded", "a newer plan for the session was queued", claimedAt);
      return done("superseded");
    }
    const [session] = await tx
      .select({ pluggedOutAt: chargingSessions.pluggedOutAt })
      .from(chargingSessions)
      .where(eq(chargingSessions.id, delivery.sessionId));
    if (!session || session.pluggedOutAt !== null) {
      await finish(tx, delivery.id, "cancelled", "the session was plugged out", claimedAt);
      return done("cancelled");
    }
    const [endpoint] = await tx
      .select()
      .from(scheduleEndpoints)
      .where(eq(scheduleEndpoints.organisationId, delivery.organisationId));
    if (!endpoint?.enabled) {
      await finish(tx, delivery.id, "cancelled", "the schedule endpoint is disabled or removed", claimedAt);
      return done("cancelled");
    }
    if (endpoint.ocppVersion !== delivery.ocppVersion) {
      // The body was built for the version configured at queue time; do not send a 1.6 body to a 2.0.1 receiver.
      await finish(
        tx,
        delivery.id,
        "cancelled",
        `the endpoint now expects OCPP ${endpoint.ocppVersion}; the next plan is sent in that version`,
        claimedAt,
      );
      return done("cancelled");
    }
    let secret: string;
    try {
      secret = openSecret(
        { keyId: endpoint.secretKeyId, ciphertext: endpoint.secretCiphertext },
        scheduleSecretKeyring({ keyring: deps.keyring }),
        scheduleSecretContext(delivery.organisationId),
      );
    } catch (error) {
      await finish(
        tx,
        delivery.id,
        "failed",
        error instanceof Error ? error.message : "the signing secret could not be opened",
        claimedAt,
      );
      return done("failed");
    }
    const [asset] = await tx
      .select({ externalId: assets.externalId })
      .from(assets)
      .where(eq(assets.id, delivery.assetId));

    const [org] = await tx
      .select({ allowPrivate: organisations.allowPrivatePartnerUrls })
      .from(organisations)
      .where(eq(organisations.id, delivery.organisationId));
    const allowed = await checkPartnerUrl(endpoint.url, {
      allowPrivate: org?.allowPrivate ?? false,
      unresolvable: "refuse",
    });
    const outcome: PostOutcome = !allowed.ok
      ? // Not sent: recorded and retried like an outage, so the endpoint shows as failing with the reason.
        {
          ok: false,
          httpStatus: null,
          error: `not sent: the URL is not allowed (${allowed.reason})`,
          durationMs: 0,
          retryable: true,
          retryAfterSeconds: null,
        }
      : await postSignedSchedule({
          url: endpoint.url,
          secret,
          body: delivery.body,
          now: claimedAt,
          fetchImpl: deps.fetchImpl,
          timeoutMs: deps.timeoutMs,
          headers: {
            "X-Flexfleet-Delivery-Id": delivery.id,
            "X-Flexfleet-Session-Id": delivery.sessionId,
            "X-Flexfleet-Asset-Id": delivery.assetId,
            "X-Flexfleet-Asset-External-Id": asset?.externalId ?? "",
            "X-Flexfleet-Plan-Version": String(planVersion),
            "X-Flexfleet-Ocpp-Version": delivery.ocppVersion,
          },
        });
    const finishedAt = clock();
    await tx.insert(scheduleDeliveryAttempts).values({
      organisationId: delivery.organisationId,
      deliveryId: delivery.id,
      attemptedAt: claimedAt,
      httpStatus: outcome.httpStatus,
      error: outcome.error,
      durationMs: outcome.durationMs,
    });
    const attempts = delivery.attempts + 1;
    await recordEndpointHealth(
      tx,
      delivery.organisationId,
      outcome.ok ? null : (outcome.error ?? "failed"),
      finishedAt,
    );
    if (outcome.ok) {
      await tx
        .update(scheduleDeliveries)
        .set({
          status: "delivered",
          attempts,
          lastError: null,
          deliveredAt: finishedAt,
          updatedAt: finishedAt,
        })
        .where(eq(scheduleDeliveries.id, delivery.id));
      return done("delivered");
    }
    const retryUntil =
      delivery.createdAt.getTime() + (deps.retryHours ?? SCHEDULE_DELIVERY_RETRY_HOURS) * 3_600_000;
    if (!outcome.retryable || finishedAt.getTime() >= retryUntil) {
      const why = outcome.retryable
        ? `${outcome.error ?? "failed"} (gave up after ${attempts} attempts over ${deps.retryHours ?? SCHEDULE_DELIVERY_RETRY_HOURS} hours)`
        : `${outcome.error ?? "failed"} (not retried: the endpoint refused the request)`;
      await tx
        .update(scheduleDeliveries)
        .set({ status: "failed", attempts, lastError: why, updatedAt: finishedAt })
        .where(eq(scheduleDeliveries.id, delivery.id));
      log.warn(
        { deliveryId: delivery.id, httpStatus: outcome.httpStatus, attempts },
        "schedule delivery failed",
      );
      return done("failed");
    }
    const waitSeconds = Math.max(backoffSeconds(attempts), outcome.retryAfterSeconds ?? 0);
    await tx
      .update(scheduleDeliveries)
      .set({
        attempts,
        lastError: outcome.error,
        nextAttemptAt: new Date(finishedAt.getTime() + waitSeconds * 1000),
        updatedAt: finishedAt,
      })
      .where(eq(scheduleDeliveries.id, delivery.id));
    log.info(
      { deliveryId: delivery.id, httpStatus: outcome.httpStatus, attempts, retryInSeconds: waitSeconds },
      "schedule delivery will be retried",
    );
    return done("retrying");
  });
}

/** The endpoint's health: down since its first failure after a success, up again at the next success. */
async function recordEndpointHealth(
  tx: DbOrTx,
  orgId: string,
  failure: string | null,
  at: Date,
): Promise<void> {
  await tx
    .update(scheduleEndpoints)
    .set(
      failure === null
        ? { failingSince: null, lastFailure: null }
        : {
            failingSince: sql`coalesce(${scheduleEndpoints.failingSince}, ${at.toISOString()}::timestamptz)`,
            lastFailure: failure,
          },
    )
    .where(eq(scheduleEndpoints.organisationId, orgId));
}

/**
 * Attempts one delivery if it is pending, due and not held by another sender. Afterwards the
 * session's other due deliveries get their turn (one that found the session busy was skipped).
 */
export async function deliverScheduleDelivery(
  deliveryId: string,
  deps: DeliverDeps = {},
): Promise<DeliveryOutcome> {
  const result = await claimAndSend(deliveryId, deps);
  if (result.kind === "skipped") return "skipped";
  const db = deps.db ?? getDb();
  const now = (deps.now ?? (() => new Date()))();
  const waiting = await db
    .select({ id: scheduleDeliveries.id })
    .from(scheduleDeliveries)
    .where(
      and(
        eq(scheduleDeliveries.sessionId, result.sessionId),
        eq(scheduleDeliveries.status, "pending"),
        lte(scheduleDeliveries.nextAttemptAt, now),
      ),
    )
    .orderBy(asc(scheduleDeliveries.createdAt))
    .limit(5);
  for (const next of waiting) {
    if (next.id !== deliveryId) await claimAndSend(next.id, deps);
  }
  return result.outcome;
}

export interface SweepResult {
  due: number;
  outcomes: Partial<Record<DeliveryOutcome, number>>;
}

/** The worker's sweep (all organisations): attempts every due pending delivery, a few at a time. */
export async function deliverDueScheduleDeliveries(
  deps: DeliverDeps & { limit?: number; concurrency?: number } = {},
): Promise<SweepResult> {
  const db = deps.db ?? getDb();
  const now = (deps.now ?? (() => new Date()))();
  const due = await db
    .select({ id: scheduleDeliveries.id })
    .from(scheduleDeliveries)
    .where(and(eq(scheduleDeliveries.status, "pending"), lte(scheduleDeliveries.nextAttemptAt, now), inScope(deps)))
    .orderBy(asc(scheduleDeliveries.nextAttemptAt))
    .limit(deps.limit ?? 200);
  const outcomes: SweepResult["outcomes"] = {};
  await forEachConcurrently(due, Math.max(1, deps.concurrency ?? 4), async ({ id }) => {
    const outcome = await deliverScheduleDelivery(id, deps).catch((error: unknown) => {
      log.error({ err: error, deliveryId: id }, "schedule delivery attempt crashed");
      return "skipped" as const;
    });
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  });
  return { due: due.length, outcomes };
}

export interface ScheduleDeliveryDispatcher {
  stop(): Promise<void>;
}

/**
 * Low-latency delivery inside a worker process: LISTENs for the NOTIFY that queueScheduleDelivery
 * issues (sent by Postgres at commit) and sends at once, with a short sweep for retries and for
 * anything queued while no dispatcher was listening. Several processes may run one each: the
 * SKIP LOCKED claim decides who sends. At most `concurrency` requests are in flight per process,
 * each holding one pooled connection.
 */
export async function startScheduleDeliveryDispatcher(
  options: DeliverDeps & { sweepIntervalMs?: number; concurrency?: number } = {},
): Promise<ScheduleDeliveryDispatcher> {
  const concurrency = options.concurrency ?? 6;
  const clock = options.now ?? (() => new Date());
  const waiting: string[] = [];
  const queued = new Set<string>();
  let active = 0;
  let stopped = false;
  const idle: (() => void)[] = [];

  const pump = () => {
    while (!stopped && active < concurrency) {
      const id = waiting.shift();
      if (id === undefined) break;
      active += 1;
      void deliverScheduleDelivery(id, options)
        .catch((error: unknown) =>
          log.error({ err: error, deliveryId: id }, "schedule delivery attempt crashed"),
        )
        .finally(() => {
          active -= 1;
          queued.delete(id);
          if (active === 0) idle.splice(0).forEach((resolve) => resolve());
          pump();
        });
    }
  };
  const submit = (id: string) => {
    if (stopped || queued.has(id)) return;
    queued.add(id);
    waiting.push(id);
    pump();
  };

  const db = options.db ?? getDb();
  const listener = await getConnection().sql.listen(SCHEDULE_DELIVERY_CHANNEL, (payload) => {
    if (/^[0-9a-f-]{36}$/i.test(payload)) submit(payload);
  });
  let sweeping = false;
  const sweep = async () => {
    if (sweeping || stopped || waiting.length > concurrency) return;
    sweeping = true;
    try {
      const due = await db
        .select({ id: scheduleDeliveries.id })
        .from(scheduleDeliveries)
        .where(and(eq(scheduleDeliveries.status, "pending"), lte(scheduleDeliveries.nextAttemptAt, clock()), inScope(options)))
        .orderBy(asc(scheduleDeliveries.nextAttemptAt))
        .limit(100);
      due.forEach((row) => submit(row.id));
    } catch (error) {
      log.error({ err: error }, "schedule delivery sweep failed");
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(() => void sweep(), options.sweepIntervalMs ?? 1000);
  timer.unref();
  void sweep();
  log.info({ concurrency }, "schedule delivery dispatcher listening");
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      waiting.length = 0;
      await listener.unlisten();
      if (active > 0) await new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}

let running: Promise<ScheduleDeliveryDispatcher> | undefined;

/** Starts the process's dispatcher once (the delivery job calls this on every run). */
export async function ensureScheduleDeliveryDispatcher(): Promise<ScheduleDeliveryDispatcher> {
  const starting =
    running ??
    startScheduleDeliveryDispatcher().catch((error: unknown) => {
      running = undefined;
      throw error;
    });
  running = starting;
  return starting;
}

/** Stops the process's dispatcher if one was started (shutdown and tests). */
export async function stopScheduleDeliveryDispatcher(): Promise<void> {
  const current = running;
  running = undefined;
  if (current) await (await current).stop();
}
