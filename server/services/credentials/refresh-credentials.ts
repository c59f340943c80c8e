// OAuth bearer credentials with a refresh token are renewed before they expire, through the
// OEM's adapter. A refused refresh marks the credential rejected and raises the expiry
// warning (dashboard status and a user:credentials:expiring webhook event) so a person acts.
import { and, eq, isNotNull, lte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { batteryWebhookEvents, oemCredentials } from "@/db/schema";
import { getConfig } from "@/server/config";
import { OEMS, OemCredentialRejectedError, OemError, OemUnsupportedError, type Oem, type OemGateway } from "@/server/oem";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { ServiceContext } from "../context";
import { buildKeyring, openSecret, sealSecret, type EncryptionKey } from "./credential-crypto";
import { credentialExpiringPayload, sealContext } from "./credentials";
import { getOemGateway } from "./oem-gateway";

/** Refresh this long before expiry: several runs of the 5-minute job fit in it. */
export const REFRESH_AHEAD_MS = 30 * 60_000;

export interface RefreshRunResult {
  refreshed: number;
  /** The OEM refused the refresh token: marked rejected and warned. */
  rejected: number;
  /** The OEM could not be reached; tried again on the next run. */
  deferred: number;
  /** The OEM has no refresh endpoint: left to the expiry warning. */
  unsupported: number;
}

export interface RefreshDeps {
  db?: ServiceContext["db"];
  gateway?: OemGateway;
  now?: Date;
  currentKey?: EncryptionKey;
  keyring?: readonly EncryptionKey[];
  /** Restrict to one organisation (tests). */
  orgId?: string;
  aheadMs?: number;
}

interface StoredSecret {
  accessToken: string;
  refreshToken?: string;
}

function isOem(value: string): value is Oem {
  return (OEMS as readonly string[]).includes(value);
}


/**
 * Across organisations (the job's sweep): every valid Bearer credential expiring within
 * `aheadMs` whose sealed secret holds a refresh token is refreshed with its OEM and stored
 * sealed under the current key. Each credential is handled in its own transaction, and the
 * row is only overwritten if nobody replaced it meanwhile.
 */
export async function refreshBearerCredentials(deps: RefreshDeps = {}): Promise<RefreshRunResult> {
  const db = deps.db ?? getDb();
  const now = deps.now ?? new Date();
  const current = deps.currentKey ?? getConfig().encryption;
  const ring = deps.keyring ?? buildKeyring(current, deps.currentKey ? [] : getConfig().previousEncryptionKeys);
  const gateway = deps.gateway ?? getOemGateway();
  const horizon = new Date(now.getTime() + (deps.aheadMs ?? REFRESH_AHEAD_MS));
  const due = await db
    .select()
    .from(oemCredentials)
    .where(
      and(
        eq(oemCredentials.tokenType, "Bearer"),
        eq(oemCredentials.status, "valid"),
        isNotNull(oemCredentials.expiresAt),
        lte(oemCredentials.expiresAt, horizon),
        deps.orgId ? eq(oemCredentials.organisationId, deps.orgId) : undefined,
      ),
    );
  const result: RefreshRunResult = { refreshed: 0, rejected: 0, deferred: 0, unsupported: 0 };
  for (const row of due) {
    if (!isOem(row.oem)) continue;
    let secret: StoredSecret;
    try {
      secret = JSON.parse(openSecret({ keyId: row.keyId, ciphertext: row.ciphertext }, ring, sealContext(row.siteId))) as StoredSecret;
    } catch {
      // A key problem, not the OEM's: the re-seal job reports it; nothing to refresh with.
      result.deferred += 1;
      continue;
    }
    if (!secret.refreshToken) continue;
    const ctx: ServiceContext = { db, orgId: row.organisationId, actor: { type: "system", label: "credential refresher" } };
    if (!gateway.refreshAccessToken) {
      result.unsupported += 1;
      continue;
    }
    try {
      const fresh = await gateway.refreshAccessToken(row.oem, secret.refreshToken);
      const next: StoredSecret = { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken ?? secret.refreshToken };
      const sealed = sealSecret(JSON.stringify(next), current, sealContext(row.siteId));
      await db.transaction(async (tx) => {
        const [updated] = await tx
          .update(oemCredentials)
          .set({
            keyId: sealed.keyId,
            ciphertext: sealed.ciphertext,
            lastFour: fresh.accessToken.slice(-4),
            expiresAt: fresh.expiresAt,
            status: "valid",
            rejectedReason: null,
            // Still owned by this job: the expiry sweep must not warn about a token it renews.
            expiryWarnedAt: now,
            lastVerifiedAt: now,
            updatedAt: now,
          })
          .where(and(eq(oemCredentials.id, row.id), eq(oemCredentials.ciphertext, row.ciphertext)))
          .returning({ id: oemCredentials.id });
        if (!updated) return;
        await recordAuditEvent({ ...ctx, db: tx }, {
          action: "oem_credential.refreshed",
          targetType: "site",
          targetId: row.siteId,
          details: { oem: row.oem, lastFour: fresh.accessToken.slice(-4), expiresAt: fresh.expiresAt.toISOString() },
        });
        result.refreshed += 1;
      });
    } catch (error) {
      if (error instanceof OemCredentialRejectedError) {
        await db.transaction(async (tx) => {
          const [marked] = await tx
            .update(oemCredentials)
            .set({ status: "rejected", rejectedReason: `refresh refused by ${row.oem} (${error.reason})`, expiryWarnedAt: now, updatedAt: now })
            .where(and(eq(oemCredentials.id, row.id), eq(oemCredentials.ciphertext, row.ciphertext)))
            .returning({ id: oemCredentials.id });
          if (!marked) return;
          await tx.insert(batteryWebhookEvents).values({ organisationId: row.organisationId, event: "user:credentials:expiring", payload: credentialExpiringPayload(row, now, "refresh_failed") });
          await recordAuditEvent({ ...ctx, db: tx }, { action: "oem_credential.refresh_failed", targetType: "site", targetId: row.siteId, details: { oem: row.oem, reason: error.reason } });
          result.rejected += 1;
        });
      } else if (error instanceof OemUnsupportedError) {
        result.unsupported += 1;
      } else if (error instanceof OemError) {
        result.deferred += 1;
      } else {
        throw error;
      }
    }
  }
  return result;
}
