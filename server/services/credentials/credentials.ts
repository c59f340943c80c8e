// OEM credentials per site: checked against the OEM on submission, sealed with
// AES-256-GCM, never returned. Operators see the OEM, type, last four characters,
// expiry and a derived status.
import { and, eq, isNull, lte, sql } from "drizzle-orm";
import { batteryWebhookEvents, oemCredentials, sites, type OemCredentialRow } from "@/db/schema";
import { getDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { OEMS, OemCredentialRejectedError, OemError, type Oem, type OemCredential, type OemGateway } from "@/server/oem";
import { recordAuditEvent } from "../audit/record-audit-event";
import { requireRole, type ServiceContext } from "../context";
import { invalid, notFound, precondition } from "../errors";
import { openSecret, sealSecret, type EncryptionKey } from "./credential-crypto";
import { getOemGateway } from "./oem-gateway";

export const TOKEN_TYPES = ["API_KEY", "Bearer"] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export type CredentialStatus = "valid" | "expiring" | "expired" | "rejected";

export interface SubmitOemCredentialInput {
  siteId: string;
  oem: Oem;
  tokenType: TokenType;
  /** FoxESS/GivEnergy: the API key. Solis: "keyId:keySecret". Sigenergy: "appKey:appSecret". */
  accessToken: string;
  refreshToken?: string;
  expiresAt?: Date;
}

export interface OemCredentialSummary {
  siteId: string;
  oem: Oem;
  tokenType: TokenType;
  lastFour: string;
  expiresAt: Date | null;
  status: CredentialStatus;
  rejectedReason: string | null;
  lastVerifiedAt: Date | null;
  lastUsedAt: Date | null;
  updatedAt: Date;
}

export interface CredentialDeps {
  gateway?: OemGateway;
  now?: Date;
  keyring?: readonly EncryptionKey[];
  currentKey?: EncryptionKey;
}

interface StoredSecret {
  accessToken: string;
  refreshToken?: string;
}

const sealContext = (siteId: string) => `oem-credential:${siteId}`;

function currentKey(deps: CredentialDeps): EncryptionKey {
  return deps.currentKey ?? getConfig().encryption;
}

function keyring(deps: CredentialDeps): readonly EncryptionKey[] {
  return deps.keyring ?? [currentKey(deps)];
}

function isOem(value: string): value is Oem {
  return (OEMS as readonly string[]).includes(value);
}

/** Turns the dialect's single access token into the shape the OEM's adapter signs with. */
export function toOemCredential(oem: Oem, accessToken: string, expiresAt?: Date | null): OemCredential {
  const expiry = expiresAt ?? undefined;
  const pair = () => {
    const at = accessToken.indexOf(":");
    if (at <= 0 || at === accessToken.length - 1) {
      throw invalid(`A ${oem} credential is submitted as "<id>:<secret>" in access_token.`, [
        { path: ["access_token"], message: `Expected "<id>:<secret>" for ${oem}.` },
      ]);
    }
    return [accessToken.slice(0, at), accessToken.slice(at + 1)] as const;
  };
  switch (oem) {
    case "foxess":
    case "givenergy":
      return { oem, apiKey: accessToken, expiresAt: expiry };
    case "solis": {
      const [keyId, keySecret] = pair();
      return { oem, keyId, keySecret, expiresAt: expiry };
    }
    case "sigenergy": {
      const [appKey, appSecret] = pair();
      return { oem, appKey, appSecret, expiresAt: expiry };
    }
  }
}

export function credentialStatus(row: Pick<OemCredentialRow, "status" | "expiresAt">, now: Date, warningDays = getConfig().batteries.credentialExpiryWarningDays): CredentialStatus {
  if (row.status === "rejected") return "rejected";
  if (row.expiresAt === null) return "valid";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  if (row.expiresAt.getTime() - now.getTime() <= warningDays * 86_400_000) return "expiring";
  return "valid";
}

function summaryOf(row: OemCredentialRow, now: Date): OemCredentialSummary {
  return {
    siteId: row.siteId,
    oem: isOem(row.oem) ? row.oem : "foxess",
    tokenType: row.tokenType === "Bearer" ? "Bearer" : "API_KEY",
    lastFour: row.lastFour,
    expiresAt: row.expiresAt,
    status: credentialStatus(row, now),
    rejectedReason: row.rejectedReason,
    lastVerifiedAt: row.lastVerifiedAt,
    lastUsedAt: row.lastUsedAt,
    updatedAt: row.updatedAt,
  };
}

async function assertSiteInOrg(ctx: ServiceContext, siteId: string): Promise<void> {
  const [site] = await ctx.db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, siteId)))
    .limit(1);
  if (!site) throw notFound("Site");
}

/** Checks the credential with the OEM, then stores it sealed. The OEM's refusal is a validation error naming the reason only. */
export async function submitOemCredential(ctx: ServiceContext, input: SubmitOemCredentialInput, deps: CredentialDeps = {}): Promise<OemCredentialSummary> {
  requireRole(ctx, "operator");
  await assertSiteInOrg(ctx, input.siteId);
  const now = deps.now ?? new Date();
  const accessToken = input.accessToken.trim();
  if (accessToken.length < 8) throw invalid("The access token is too short.", [{ path: ["access_token"], message: "At least 8 characters." }]);
  if (input.tokenType === "Bearer" && input.refreshToken === undefined && input.expiresAt === undefined) {
    // Allowed: some bearer keys do not expire. Nothing to refresh, nothing to warn about.
  }
  if (input.expiresAt !== undefined && input.expiresAt.getTime() <= now.getTime()) {
    throw invalid("The credential has already expired.", [{ path: ["expires_utc"], message: "Must be in the future." }]);
  }
  const credential = toOemCredential(input.oem, accessToken, input.expiresAt);
  const gateway = deps.gateway ?? getOemGateway();
  try {
    await gateway.verifyCredential(credential);
  } catch (e) {
    if (e instanceof OemCredentialRejectedError) {
      throw invalid(`${input.oem} rejected the credential (${e.reason}). Check it and submit it again.`, [
        { path: ["access_token"], message: `${input.oem} rejected the credential (${e.reason}); check it and submit it again.`, type: "oem_rejected" },
      ]);
    }
    if (e instanceof OemError) throw precondition(`Could not check the credential with ${input.oem} (${e.code}). Try again shortly.`);
    throw e;
  }
  const secret: StoredSecret = { accessToken, ...(input.refreshToken ? { refreshToken: input.refreshToken } : {}) };
  const sealed = sealSecret(JSON.stringify(secret), currentKey(deps), sealContext(input.siteId));
  const values = {
    organisationId: ctx.orgId,
    siteId: input.siteId,
    oem: input.oem,
    tokenType: input.tokenType,
    keyId: sealed.keyId,
    ciphertext: sealed.ciphertext,
    lastFour: accessToken.slice(-4),
    expiresAt: input.expiresAt ?? null,
    status: "valid" as const,
    rejectedReason: null,
    lastVerifiedAt: now,
    lastUsedAt: now,
    expiryWarnedAt: null,
    updatedAt: now,
  };
  const row = await ctx.db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(oemCredentials)
      .values(values)
      .onConflictDoUpdate({ target: oemCredentials.siteId, set: values })
      .returning();
    if (!saved) throw new Error("credential upsert returned nothing");
    await recordAuditEvent({ ...ctx, db: tx }, {
      action: "oem_credential.submitted",
      targetType: "site",
      targetId: input.siteId,
      details: { oem: input.oem, tokenType: input.tokenType, lastFour: values.lastFour },
    });
    return saved;
  });
  return summaryOf(row, now);
}

export async function getOemCredentialSummary(ctx: ServiceContext, siteId: string, now = new Date()): Promise<OemCredentialSummary | null> {
  const [row] = await ctx.db
    .select()
    .from(oemCredentials)
    .where(and(eq(oemCredentials.organisationId, ctx.orgId), eq(oemCredentials.siteId, siteId)))
    .limit(1);
  return row ? summaryOf(row, now) : null;
}

export interface UsableCredential {
  id: string;
  siteId: string;
  oem: Oem;
  status: CredentialStatus;
  credential: OemCredential;
}

/** For polling and commands only: the opened credential. Never hand this to a transport. */
export async function openOemCredentialForSite(ctx: ServiceContext, siteId: string, deps: CredentialDeps = {}): Promise<UsableCredential | null> {
  const [row] = await ctx.db
    .select()
    .from(oemCredentials)
    .where(and(eq(oemCredentials.organisationId, ctx.orgId), eq(oemCredentials.siteId, siteId)))
    .limit(1);
  if (!row || !isOem(row.oem)) return null;
  const opened = JSON.parse(openSecret({ keyId: row.keyId, ciphertext: row.ciphertext }, keyring(deps), sealContext(siteId))) as StoredSecret;
  return {
    id: row.id,
    siteId,
    oem: row.oem,
    status: credentialStatus(row, deps.now ?? new Date()),
    credential: toOemCredential(row.oem, opened.accessToken, row.expiresAt),
  };
}

export async function recordCredentialUse(ctx: ServiceContext, credentialId: string, now: Date): Promise<void> {
  await ctx.db
    .update(oemCredentials)
    .set({ lastUsedAt: now, status: "valid", rejectedReason: null })
    .where(and(eq(oemCredentials.organisationId, ctx.orgId), eq(oemCredentials.id, credentialId)));
}

export async function recordCredentialRejected(ctx: ServiceContext, credentialId: string, reason: string, now: Date): Promise<void> {
  await ctx.db
    .update(oemCredentials)
    .set({ status: "rejected", rejectedReason: reason, updatedAt: now })
    .where(and(eq(oemCredentials.organisationId, ctx.orgId), eq(oemCredentials.id, credentialId)));
}

/**
 * Across all organisations: raise one `credential:expiring` webhook event per credential
 * entering its warning window. Returns how many were raised.
 */
export async function warnExpiringCredentials(now: Date, warningDays = getConfig().batteries.credentialExpiryWarningDays, db: ServiceContext["db"] = getDb()): Promise<number> {
  const horizon = new Date(now.getTime() + warningDays * 86_400_000);
  return db.transaction(async (tx) => {
    const due = await tx
      .update(oemCredentials)
      .set({ expiryWarnedAt: now })
      .where(and(isNull(oemCredentials.expiryWarnedAt), lte(oemCredentials.expiresAt, horizon), sql`${oemCredentials.status} = 'valid'`))
      .returning();
    if (due.length > 0) {
      await tx.insert(batteryWebhookEvents).values(
        due.map((row) => ({
          organisationId: row.organisationId,
          event: "user:credentials:expiring",
          payload: {
            event: "user:credentials:expiring",
            version: "2024-01-01",
            createdAt: now.toISOString(),
            siteId: row.siteId,
            vendor: row.oem.toUpperCase(),
            expiresAt: row.expiresAt?.toISOString() ?? null,
          },
        })),
      );
    }
    return due.length;
  });
}
