// API clients: machine credentials a partner exchanges for short-lived bearer tokens.
// Secrets are shown once and stored as scrypt hashes; tokens are stored as SHA-256
// hashes so the per-request check is one primary-key lookup and a leaked database
// backup holds nothing usable.
import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiClients, apiTokens } from "@/db/schema";
import { API_SCOPES, type ApiScope } from "@/server/domain/api-scopes";
import { getConfig } from "@/server/config";
import { OEMS, type Oem } from "@/server/oem/types";
import { recordAuditEvent } from "../audit/record-audit-event";
import { countCredentialAttempt, credentialLimits } from "../auth-throttle/auth-throttle";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid, notFound, ServiceError } from "../errors";

export const ALL_API_SCOPES = Object.keys(API_SCOPES) as ApiScope[];
export const apiScopeSchema = z.enum(ALL_API_SCOPES as [ApiScope, ...ApiScope[]]);

export const createApiClientSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(200),
  scopes: z.array(apiScopeSchema).min(1, "Choose at least one scope."),
  /** For a partner that is itself one OEM's platform: the cloud its site tokens are for. */
  oem: z.enum(OEMS).nullable().optional(),
});
export type CreateApiClientInput = z.input<typeof createApiClientSchema>;

export interface ApiClientSummary {
  id: string;
  name: string;
  clientId: string;
  scopes: string[];
  oem: Oem | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiClient extends ApiClientSummary {
  /** Shown once to whoever created the client; only its hash is stored. */
  clientSecret: string;
}

/** The caller a valid bearer token stands for. */
export interface ApiPrincipal {
  orgId: string;
  apiClientId: string;
  label: string;
  scopes: string[];
  expiresAt: Date;
}

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
  scopes: string[];
}

// scrypt at N=2^14 costs ~40 ms: it is paid only at the token endpoint, never per request.
const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyClientSecret(stored: string, secret: string): Promise<boolean> {
  const [scheme, , , , salt, key] = stored.split("$");
  if (scheme !== "scrypt" || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await scryptAsync(secret, Buffer.from(salt, "base64"));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummySecretHash: Promise<string> | undefined;

export function hashBearerToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function summary(row: typeof apiClients.$inferSelect): ApiClientSummary {
  return {
    id: row.id,
    name: row.name,
    clientId: row.clientId,
    scopes: row.scopes,
    oem: row.oem !== null && (OEMS as readonly string[]).includes(row.oem) ? (row.oem as Oem) : null,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiClient(ctx: ServiceContext, rawInput: CreateApiClientInput): Promise<CreatedApiClient> {
  authorize(ctx, "api_clients:manage");
  const input = createApiClientSchema.parse(rawInput);
  const clientId = `ffc_${randomBytes(12).toString("hex")}`;
  const clientSecret = `ffs_${randomBytes(32).toString("base64url")}`;
  const secretHash = await hashClientSecret(clientSecret);
  const scopes = [...new Set(input.scopes)];
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiClients)
      .values({
        organisationId: ctx.orgId,
        name: input.name,
        clientId,
        secretHash,
        scopes,
        oem: input.oem ?? null,
        createdByOperatorId: ctx.actor.type === "operator" ? ctx.actor.operatorId : null,
      })
      .returning();
    if (!row) throw new Error("API client insert returned nothing");
    await recordAuditEvent({ ...ctx, db: tx }, {
      action: "api_client.created",
      targetType: "api_client",
      targetId: row.id,
      details: { name: row.name, clientId, scopes, oem: row.oem },
    });
    return { ...summary(row), clientSecret };
  });
}

export async function listApiClients(ctx: ServiceContext): Promise<ApiClientSummary[]> {
  authorize(ctx, "api_clients:manage");
  const rows = await ctx.db
    .select()
    .from(apiClients)
    .where(eq(apiClients.organisationId, ctx.orgId))
    .orderBy(desc(apiClients.createdAt));
  return rows.map(summary);
}

/** Revokes a client and every token it holds; idempotent. */
export async function revokeApiClient(ctx: ServiceContext, input: { id: string }): Promise<void> {
  authorize(ctx, "api_clients:manage");
  if (!z.uuid().safeParse(input.id).success) throw notFound("API client");
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(apiClients)
      .where(and(eq(apiClients.organisationId, ctx.orgId), eq(apiClients.id, input.id)))
      .for("update")
      .limit(1);
    if (!row) throw notFound("API client");
    await tx.delete(apiTokens).where(eq(apiTokens.apiClientId, row.id));
    if (row.revokedAt) return;
    await tx.update(apiClients).set({ revokedAt: new Date() }).where(eq(apiClients.id, row.id));
    await recordAuditEvent({ ...ctx, db: tx }, {
      action: "api_client.revoked",
      targetType: "api_client",
      targetId: row.id,
      details: { name: row.name, clientId: row.clientId },
    });
  });
}

const unauthenticated = () => new ServiceError("UNAUTHENTICATED", "Incorrect client id or secret.");

async function verifiedApiClient(clientId: string, clientSecret: string): Promise<typeof apiClients.$inferSelect> {
  const [client] = await getDb()
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.clientId, clientId), isNull(apiClients.revokedAt)))
    .limit(1);
  if (!client) {
    // Same cost as a wrong secret, so timing does not reveal which client ids exist.
    dummySecretHash ??= hashClientSecret(randomBytes(16).toString("hex"));
    await verifyClientSecret(await dummySecretHash, clientSecret);
    throw unauthenticated();
  }
  if (!(await verifyClientSecret(client.secretHash, clientSecret))) throw unauthenticated();
  return client;
}

/**
 * OAuth2 client credentials: checks the secret and issues a bearer token with the
 * requested scopes (all of the client's when none are asked for).
 */
export async function issueApiToken(input: { clientId: string; clientSecret: string; scopes?: string[]; clientAddress?: string | null }): Promise<IssuedToken> {
  const limits = credentialLimits();
  const attempt = await countCredentialAttempt(
    [
      { bucket: "token-client", subject: input.clientId, limit: limits.perSubject },
      ...(input.clientAddress ? [{ bucket: "token-address" as const, subject: input.clientAddress, limit: limits.perAddress }] : []),
    ],
    (retryAfter) => `Too many failed attempts for this client. Try again in ${retryAfter}.`,
  );
  const client = await verifiedApiClient(input.clientId, input.clientSecret);
  await attempt.succeeded();
  const requested = input.scopes && input.scopes.length > 0 ? [...new Set(input.scopes)] : client.scopes;
  const refused = requested.filter((scope) => !client.scopes.includes(scope));
  if (refused.length > 0) {
    throw invalid(`This client may not ask for: ${refused.join(", ")}.`, [
      { path: ["scope"], message: `Scope not granted to this client: ${refused.join(", ")}`, type: "invalid_scope" },
    ]);
  }
  const db = getDb();
  const ttl = getConfig().apiTokenTtlSeconds;
  const accessToken = `fft_${randomBytes(32).toString("base64url")}`;
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx.insert(apiTokens).values({
      tokenHash: hashBearerToken(accessToken),
      apiClientId: client.id,
      organisationId: client.organisationId,
      scopes: requested,
      expiresAt: new Date(now.getTime() + ttl * 1000),
    });
    await tx.update(apiClients).set({ lastUsedAt: now }).where(eq(apiClients.id, client.id));
    // Expired tokens of this client are dead weight: drop them while we are here.
    await tx.delete(apiTokens).where(and(eq(apiTokens.apiClientId, client.id), sql`${apiTokens.expiresAt} < now()`));
  });
  return { accessToken, expiresInSeconds: ttl, scopes: requested };
}

/** The principal behind a bearer token, or null when it is unknown, expired or revoked. One indexed query. */
export async function resolveApiToken(token: string): Promise<ApiPrincipal | null> {
  const [row] = await getDb()
    .select({
      orgId: apiTokens.organisationId,
      apiClientId: apiTokens.apiClientId,
      label: apiClients.name,
      clientId: apiClients.clientId,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
    })
    .from(apiTokens)
    .innerJoin(apiClients, eq(apiClients.id, apiTokens.apiClientId))
    .where(and(eq(apiTokens.tokenHash, hashBearerToken(token)), gt(apiTokens.expiresAt, sql`now()`), isNull(apiClients.revokedAt)))
    .limit(1);
  if (!row) return null;
  return { orgId: row.orgId, apiClientId: row.apiClientId, label: `${row.label} (${row.clientId})`, scopes: row.scopes, expiresAt: row.expiresAt };
}
