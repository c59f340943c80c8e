// OEM credentials per site: checked against the OEM on submission, sealed with
// AES-256-GCM, never returned. Operators see the OEM, type, last four characters,
// expiry and a derived status.
import { and, eq, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import { apiClients, assets, batteryWebhookEvents, oemCredentials, rewardBankAccounts, sites, webhookEndpoints, type OemCredentialRow } from "@/db/schema";
import { getDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { OEMS, OemCredentialRejectedError, OemError, type Oem, type OemCredential, type OemGateway } from "@/server/oem";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid, notFound, precondition } from "../errors";
import { buildKeyring, openSecret, resealSecret, sealSecret, type EncryptionKey } from "./credential-crypto";
import { resealWebhookSecret, sealedKeyIdOf } from "../webhooks/webhook-secrets";
import { bankAccountSealContext } from "../rewards/bank-accounts";
import { getOemGateway } from "./oem-gateway";
import { lookupAssetModels, modelKey } from "../catalogue/lookup";
import { enrolConsentedPropositions } from "../enrolment/enrolment";
import { refreshSiteEligibility } from "../inventory/eligibility";
import { hidesOffboarded } from "../inventory/records";

export const TOKEN_TYPES = ["API_KEY", "Bearer"] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export type CredentialStatus = "valid" | "expiring" | "expired" | "rejected";

export interface SubmitOemCredentialInput {
  siteId: string;
  /** When unset, resolved: the site's asset models, then the API client's OEM, then whichever supported cloud accepts it. */
  oem?: Oem | undefined;
  tokenType: TokenType;
  /** FoxESS/GivEnergy: the API key. Solis: "keyId:keySecret". Sigenergy: "appKey:appSecret". */
  accessToken: string;
  refreshToken?: string | undefined;
  expiresAt?: Date | undefined;
}

export interface OemCredentialSummary {
  siteId: string;
  oem: Oem;
  tokenType: TokenType;
  /** A Bearer token with a refresh token: the platform renews it before it expires. */
  refreshable: boolean;
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

export const sealContext = (siteId: string) => `oem-credential:${siteId}`;

function currentKey(deps: CredentialDeps): EncryptionKey {
  return deps.currentKey ?? getConfig().encryption;
}

/** The current key first, then the retired ones from CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS, so rotated ciphertext still opens. */
function keyring(deps: CredentialDeps): readonly EncryptionKey[] {
  return deps.keyring ?? buildKeyring(currentKey(deps), deps.currentKey ? [] : getConfig().previousEncryptionKeys);
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

/** `refreshable`: a Bearer token with a refresh token is renewed before expiry, so nearing it is no cause for a warning. */
export function credentialStatus(
  row: Pick<OemCredentialRow, "status" | "expiresAt">,
  now: Date,
  warningDays = getConfig().batteries.credentialExpiryWarningDays,
  refreshable = false,
): CredentialStatus {
  if (row.status === "rejected") return "rejected";
  if (row.expiresAt === null) return "valid";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  if (refreshable) return "valid";
  if (row.expiresAt.getTime() - now.getTime() <= warningDays * 86_400_000) return "expiring";
  return "valid";
}

/** Whether the sealed secret carries a refresh token (opened here, only a boolean leaves). */
function isRefreshable(row: OemCredentialRow, deps: CredentialDeps): boolean {
  if (row.tokenType !== "Bearer") return false;
  try {
    const opened = JSON.parse(openSecret({ keyId: row.keyId, ciphertext: row.ciphertext }, keyring(deps), sealContext(row.siteId))) as StoredSecret;
    return typeof opened.refreshToken === "string" && opened.refreshToken.length > 0;
  } catch {
    return false;
  }
}

/** The status an operator sees for a stored credential: a refreshable Bearer token nearing expiry is not "expiring". */
export function storedCredentialStatus(row: OemCredentialRow, now: Date, deps: CredentialDeps = {}): CredentialStatus {
  return credentialStatus(row, now, undefined, isRefreshable(row, deps));
}

function summaryOf(row: OemCredentialRow, now: Date, deps: CredentialDeps = {}): OemCredentialSummary {
  const refreshable = isRefreshable(row, deps);
  return {
    refreshable,
    siteId: row.siteId,
    oem: isOem(row.oem) ? row.oem : "foxess",
    tokenType: row.tokenType === "Bearer" ? "Bearer" : "API_KEY",
    lastFour: row.lastFour,
    expiresAt: row.expiresAt,
    status: credentialStatus(row, now, undefined, refreshable),
    rejectedReason: row.rejectedReason,
    lastVerifiedAt: row.lastVerifiedAt,
    lastUsedAt: row.lastUsedAt,
    updatedAt: row.updatedAt,
  };
}

export async function assertSiteInOrg(ctx: ServiceContext, siteId: string): Promise<void> {
  const [site] = await ctx.db
    .select({ id: sites.id, status: sites.status })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, siteId)))
    .limit(1);
  if (!site || (site.status === "offboarded" && hidesOffboarded(ctx))) throw notFound("Site");
  // Offboarding deleted the site's credentials; nothing may be dispatched there again.
  if (site.status === "offboarded") throw precondition("The site has been offboarded; it takes no manufacturer credentials.");
}

export const OEM_NAMES: Record<Oem, string> = { foxess: "FoxESS", givenergy: "GivEnergy", sigenergy: "Sigenergy", solis: "Solis" };

/**
 * The OEM a credential for this site is for, when the platform already knows: the site's
 * batteries (their own OEM field, else their catalogue model's maker), else the OEM configured
 * on the submitting API client. Undefined when neither says (or the batteries disagree).
 */
async function knownOemForSite(ctx: ServiceContext, siteId: string): Promise<Oem | undefined> {
  const siteAssets = await ctx.db
    .select({ oem: assets.oem, assetModel: assets.assetModel })
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.siteId, siteId)));
  const models = await lookupAssetModels(ctx.db, ctx.orgId, siteAssets.map((asset) => asset.assetModel));
  const fromAssets = new Set(
    siteAssets
      .map((asset) => asset.oem ?? (asset.assetModel === null ? null : (models.get(modelKey(asset.assetModel))?.oem ?? null)))
      .filter((oem): oem is Oem => oem !== null && isOem(oem)),
  );
  if (fromAssets.size === 1) return [...fromAssets][0];
  if (ctx.actor.type !== "api_client") return undefined;
  const [client] = await ctx.db
    .select({ oem: apiClients.oem })
    .from(apiClients)
    .where(and(eq(apiClients.organisationId, ctx.orgId), eq(apiClients.clientId, ctx.actor.clientId)))
    .limit(1);
  return client?.oem !== null && client?.oem !== undefined && isOem(client.oem) ? client.oem : undefined;
}

async function verifyWithOem(gateway: OemGateway, oem: Oem, accessToken: string, expiresAt: Date | undefined): Promise<Oem> {
  try {
    await gateway.verifyCredential(toOemCredential(oem, accessToken, expiresAt));
    return oem;
  } catch (e) {
    if (e instanceof OemCredentialRejectedError) {
      throw invalid(`${OEM_NAMES[oem]} rejected the credential (${e.reason}). Check it and submit it again.`, [
        { path: ["access_token"], message: `${OEM_NAMES[oem]} rejected the credential (${e.reason}); check it and submit it again.`, type: "oem_rejected" },
      ]);
    }
    if (e instanceof OemError) throw precondition(`Could not check the credential with ${OEM_NAMES[oem]} (${e.code}). Try again shortly.`);
    throw e;
  }
}

/**
 * Nothing says which cloud the credential is for: ask each supported cloud whose credential
 * shape it fits, in turn, and take the first that accepts it.
 */
async function findAcceptingOem(gateway: OemGateway, accessToken: string, expiresAt: Date | undefined): Promise<Oem> {
  const unreachable: Oem[] = [];
  for (const oem of OEMS) {
    let credential: OemCredential;
    try {
      credential = toOemCredential(oem, accessToken, expiresAt);
    } catch {
      continue; // Not this cloud's shape (e.g. Solis and Sigenergy take "<id>:<secret>").
    }
    try {
      await gateway.verifyCredential(credential);
      return oem;
    } catch (e) {
      if (e instanceof OemCredentialRejectedError) continue;
      if (e instanceof OemError) {
        unreachable.push(oem);
        continue;
      }
      throw e;
    }
  }
  if (unreachable.length > 0) {
    throw precondition(`No reachable manufacturer cloud accepted the credential, and ${unreachable.map((oem) => OEM_NAMES[oem]).join(", ")} could not be asked. Try again shortly.`);
  }
  const clouds = OEMS.map((oem) => OEM_NAMES[oem]).join(", ");
  throw invalid(`None of the supported manufacturer clouds (${clouds}) accepted the credential.`, [
    { path: ["access_token"], message: `None of the supported manufacturer clouds (${clouds}) accepted this credential; check it and submit it again.`, type: "oem_rejected" },
  ]);
}

/**
 * Batteries at the site with no recorded OEM are on the cloud that accepted the credential;
 * recording it lets eligibility see them, and completes enrolments the household already
 * consented to (e.g. onboarded with dispatch consent before OEM access was given).
 */
async function adoptCredentialOem(ctx: ServiceContext, siteId: string, oem: Oem, now: Date): Promise<void> {
  const adopted = await ctx.db
    .update(assets)
    .set({ oem, updatedAt: now })
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.siteId, siteId), eq(assets.type, "battery"), isNull(assets.oem)))
    .returning({ id: assets.id });
  const { eligibility } = await refreshSiteEligibility(ctx.db, ctx.orgId, siteId);
  if (adopted.length > 0) await enrolConsentedPropositions(ctx, siteId, eligibility.eligiblePropositions);
}

/** Checks the credential with the OEM, then stores it sealed. The OEM's refusal is a validation error naming the reason only. */
export async function submitOemCredential(ctx: ServiceContext, input: SubmitOemCredentialInput, deps: CredentialDeps = {}): Promise<OemCredentialSummary> {
  authorize(ctx, "credentials:write");
  return saveCheckedCredential(ctx, input, "submitted", deps);
}

/**
 * Stores the tokens an OEM issued when the householder signed in there and approved access
 * (OAuth), checked with the OEM like a submitted credential. The caller acts for the household
 * the signed `state` named (oem-authorization.ts).
 */
export async function connectOemCredential(ctx: ServiceContext, input: SubmitOemCredentialInput & { oem: Oem }, deps: CredentialDeps = {}): Promise<OemCredentialSummary> {
  authorize(ctx, "credentials:connect");
  return saveCheckedCredential(ctx, input, "connected", deps);
}

async function saveCheckedCredential(ctx: ServiceContext, input: SubmitOemCredentialInput, how: "submitted" | "connected", deps: CredentialDeps): Promise<OemCredentialSummary> {
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
  const gateway = deps.gateway ?? getOemGateway();
  const known = input.oem ?? (await knownOemForSite(ctx, input.siteId));
  const oem = known !== undefined ? await verifyWithOem(gateway, known, accessToken, input.expiresAt) : await findAcceptingOem(gateway, accessToken, input.expiresAt);
  const secret: StoredSecret = { accessToken, ...(input.refreshToken ? { refreshToken: input.refreshToken } : {}) };
  const sealed = sealSecret(JSON.stringify(secret), currentKey(deps), sealContext(input.siteId));
  const values = {
    organisationId: ctx.orgId,
    siteId: input.siteId,
    oem,
    tokenType: input.tokenType,
    keyId: sealed.keyId,
    ciphertext: sealed.ciphertext,
    lastFour: accessToken.slice(-4),
    expiresAt: input.expiresAt ?? null,
    status: "valid" as const,
    rejectedReason: null,
    lastVerifiedAt: now,
    lastUsedAt: now,
    // A refreshable bearer token is renewed (and warned about on refresh failure) by the
    // refresh job; marking it warned keeps the expiry sweep from warning every hour.
    expiryWarnedAt: input.tokenType === "Bearer" && input.refreshToken ? now : null,
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
      action: `oem_credential.${how}`,
      targetType: "site",
      targetId: input.siteId,
      details: { oem, tokenType: input.tokenType, lastFour: values.lastFour, resolvedBy: input.oem !== undefined ? "request" : known !== undefined ? "site_or_client" : "oem_check" },
    });
    await adoptCredentialOem({ ...ctx, db: tx }, input.siteId, oem, now);
    return saved;
  });
  return summaryOf(row, now, deps);
}

export async function getOemCredentialSummary(ctx: ServiceContext, siteId: string, now = new Date()): Promise<OemCredentialSummary | null> {
  authorize(ctx, "sites:read");
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
  return row ? openOemCredentialRow(row, deps) : null;
}

/** Opens a credential row the caller already read (the poller reads it with its battery in one query). */
export function openOemCredentialRow(row: OemCredentialRow, deps: CredentialDeps = {}): UsableCredential | null {
  if (!isOem(row.oem)) return null;
  const opened = JSON.parse(openSecret({ keyId: row.keyId, ciphertext: row.ciphertext }, keyring(deps), sealContext(row.siteId))) as StoredSecret;
  return {
    id: row.id,
    siteId: row.siteId,
    oem: row.oem,
    status: credentialStatus(row, deps.now ?? new Date()),
    credential: toOemCredential(row.oem, opened.accessToken, row.expiresAt),
  };
}

/** How stale "last used" may be before a successful call writes it again (every poll would otherwise write). */
const LAST_USED_RESOLUTION_MS = 5 * 60_000;

/** The update behind recordCredentialUse, for a caller that folds it into a statement of its own. */
// eslint-disable-next-line flexfleet/authorize-first -- internal: bookkeeping of a poll or command already authorized
export function credentialUseUpdate(ctx: ServiceContext, credentialIds: string | readonly string[], now: Date) {
  return ctx.db
    .update(oemCredentials)
    .set({ lastUsedAt: now, status: "valid", rejectedReason: null })
    .where(
      and(
        eq(oemCredentials.organisationId, ctx.orgId),
        typeof credentialIds === "string" ? eq(oemCredentials.id, credentialIds) : inArray(oemCredentials.id, [...credentialIds]),
        or(
          ne(oemCredentials.status, "valid"),
          isNotNull(oemCredentials.rejectedReason),
          isNull(oemCredentials.lastUsedAt),
          lt(oemCredentials.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)),
        ),
      ),
    );
}

// eslint-disable-next-line flexfleet/authorize-first -- internal: bookkeeping of a poll or command already authorized
export async function recordCredentialUse(ctx: ServiceContext, credentialId: string, now: Date): Promise<void> {
  await credentialUseUpdate(ctx, credentialId, now);
}

/**
 * Marks the credential the OEM refused as rejected, only while it is still the one that was used:
 * a call made with the old secret must not reject a credential submitted again meanwhile (the
 * upsert keeps the row's id). Only an OemCredentialRejectedError is a refusal; a time-out, an
 * unreachable cloud or the OEM guard's cooldown says nothing about the credential.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: bookkeeping of a poll or command already authorized
export async function recordCredentialRejected(ctx: ServiceContext, used: Pick<OemCredentialRow, "id" | "ciphertext">, reason: string, now: Date): Promise<void> {
  await ctx.db
    .update(oemCredentials)
    .set({ status: "rejected", rejectedReason: reason, updatedAt: now })
    .where(and(eq(oemCredentials.organisationId, ctx.orgId), eq(oemCredentials.id, used.id), eq(oemCredentials.ciphertext, used.ciphertext)));
}

/** The `user:credentials:expiring` webhook payload, one shape for the expiry warning and a failed refresh. */
export function credentialExpiringPayload(row: { siteId: string; oem: string; expiresAt: Date | null }, now: Date, reason?: string) {
  return {
    event: "user:credentials:expiring",
    version: "2024-01-01",
    createdAt: now.toISOString(),
    siteId: row.siteId,
    vendor: row.oem.toUpperCase(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    ...(reason === undefined ? {} : { reason }),
  };
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
          payload: credentialExpiringPayload(row, now),
        })),
      );
    }
    return due.length;
  });
}

export interface ResealResult {
  /** Secrets now sealed under the current key. */
  resealed: number;
  /** Secrets that would not open with any configured key (named by key id in the log, never by content). */
  unopenable: { table: "oem_credentials" | "webhook_endpoints" | "reward_bank_accounts"; id: string; keyId: string }[];
}

/**
 * Across all organisations: re-encrypts OEM credentials, webhook endpoint secrets and householders'
 * bank accounts sealed under a retired key (or, for old webhook rows, not sealed at all) under the current key.
 * Each row is updated only if it has not changed meanwhile, so it is safe next to writers and
 * other workers. Once it reports nothing left, the retired key can be dropped.
 */
export async function resealSecrets(options: { db?: ServiceContext["db"]; currentKey?: EncryptionKey; keyring?: readonly EncryptionKey[] } = {}): Promise<ResealResult> {
  const db = options.db ?? getDb();
  const current = options.currentKey ?? getConfig().encryption;
  const ring = options.keyring ?? buildKeyring(current, getConfig().previousEncryptionKeys);
  const result: ResealResult = { resealed: 0, unopenable: [] };
  const stale = await db
    .select({ id: oemCredentials.id, siteId: oemCredentials.siteId, keyId: oemCredentials.keyId, ciphertext: oemCredentials.ciphertext })
    .from(oemCredentials)
    .where(ne(oemCredentials.keyId, current.keyId));
  for (const row of stale) {
    let next;
    try {
      next = resealSecret({ keyId: row.keyId, ciphertext: row.ciphertext }, ring, current, sealContext(row.siteId));
    } catch {
      result.unopenable.push({ table: "oem_credentials", id: row.id, keyId: row.keyId });
      continue;
    }
    if (!next) continue;
    const updated = await db
      .update(oemCredentials)
      .set({ keyId: next.keyId, ciphertext: next.ciphertext })
      .where(and(eq(oemCredentials.id, row.id), eq(oemCredentials.keyId, row.keyId), eq(oemCredentials.ciphertext, row.ciphertext)))
      .returning({ id: oemCredentials.id });
    result.resealed += updated.length;
  }
  const endpoints = await db.select({ id: webhookEndpoints.id, secret: webhookEndpoints.secret }).from(webhookEndpoints);
  for (const row of endpoints) {
    let next: string | null;
    try {
      next = resealWebhookSecret(row.id, row.secret, ring, current);
    } catch {
      result.unopenable.push({ table: "webhook_endpoints", id: row.id, keyId: sealedKeyIdOf(row.secret) });
      continue;
    }
    if (next === null) continue;
    const updated = await db
      .update(webhookEndpoints)
      .set({ secret: next })
      .where(and(eq(webhookEndpoints.id, row.id), eq(webhookEndpoints.secret, row.secret)))
      .returning({ id: webhookEndpoints.id });
    result.resealed += updated.length;
  }
  const accounts = await db
    .select({ id: rewardBankAccounts.id, keyId: rewardBankAccounts.keyId, sealedDetails: rewardBankAccounts.sealedDetails })
    .from(rewardBankAccounts)
    .where(ne(rewardBankAccounts.keyId, current.keyId));
  for (const row of accounts) {
    let next;
    try {
      next = resealSecret({ keyId: row.keyId, ciphertext: row.sealedDetails }, ring, current, bankAccountSealContext(row.id));
    } catch {
      result.unopenable.push({ table: "reward_bank_accounts", id: row.id, keyId: row.keyId });
      continue;
    }
    if (!next) continue;
    const updated = await db
      .update(rewardBankAccounts)
      .set({ keyId: next.keyId, sealedDetails: next.ciphertext })
      .where(and(eq(rewardBankAccounts.id, row.id), eq(rewardBankAccounts.keyId, row.keyId), eq(rewardBankAccounts.sealedDetails, row.sealedDetails)))
      .returning({ id: rewardBankAccounts.id });
    result.resealed += updated.length;
  }
  return result;
}
