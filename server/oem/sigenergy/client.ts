// Sigenergy OpenAPI: log in with base64(appKey:appSecret) for a bearer token of about 12 hours,
// cached per credential and renewed on expiry; systems must be onboarded before use.
import { z } from "zod";
import { OemCredentialRejectedError, OemDeviceNotFoundError, OemProtocolError } from "../errors";
import { credentialFingerprint, expectShape, retryAfter, type HttpResult, type OemHttpClient, type RetryVerdict } from "../http";
import type { CredentialFor } from "../types";
import { sigenergyLoginKey, type SigenergySettings, type SigenergyTelemetry } from "./transform";

type Credential = CredentialFor<"sigenergy">;

export const SIGENERGY_CODE = {
  ok: 0,
  systemNotFound: 1201,
  systemNotOnboarded: 1202,
  rateLimited: 1110,
  keyInvalid: 11002,
  tokenInvalid: 11003,
  tokenExpired: 11004,
} as const;

/** Renew this long before the token's stated expiry. */
const TOKEN_RENEWAL_MARGIN_MS = 5 * 60_000;
const MAX_CACHED_TOKENS = 10_000;

const envelopeSchema = z.object({ code: z.number(), msg: z.string().optional(), data: z.unknown().optional() });
const loginSchema = z.object({ accessToken: z.string().min(1), expiresIn: z.number().positive() });
const telemetrySchema = z.object({
  dataTime: z.number().optional(),
  batSoc: z.number(),
  batPower: z.number(),
  gridPower: z.number(),
  pvPower: z.number(),
  loadPower: z.number(),
});
const settingsSchema = z.object({ energyStorageOperationMode: z.number(), dischargeCutOffSoc: z.number() });
const systemsSchema = z.array(z.object({ systemId: z.string() }));

class TokenRejected extends Error {}

export class SigenergyClient {
  private readonly tokens = new Map<string, Promise<{ token: string; expiresAtMs: number }>>();

  constructor(private readonly http: OemHttpClient) {}

  private classify = (result: HttpResult): RetryVerdict => {
    if (result.status === 429) return { retry: "rate_limited", ...retryAfter(result.headers) };
    if (result.status >= 500) return { retry: "unavailable" };
    const envelope = envelopeSchema.safeParse(result.body);
    if (envelope.success && envelope.data.code === SIGENERGY_CODE.rateLimited) return { retry: "rate_limited" };
    return null;
  };

  private async login(credential: Credential): Promise<{ token: string; expiresAtMs: number }> {
    const result = await this.http.send({
      method: "POST",
      path: "/openapi/auth/login/key",
      headers: () => ({ "content-type": "application/json" }),
      body: JSON.stringify({ key: sigenergyLoginKey(credential.appKey, credential.appSecret) }),
      limiterKey: credentialFingerprint(credential.appKey),
      classify: this.classify,
    });
    const envelope = expectShape("sigenergy", "login", envelopeSchema, result.body);
    if (envelope.code === SIGENERGY_CODE.keyInvalid) throw new OemCredentialRejectedError("sigenergy", "invalid", "app key or secret refused at login");
    if (result.status !== 200 || envelope.code !== 0) throw new OemProtocolError("sigenergy", `login answered code ${envelope.code}`);
    const data = expectShape("sigenergy", "login", loginSchema, envelope.data);
    return { token: data.accessToken, expiresAtMs: Date.now() + data.expiresIn * 1000 };
  }

  private tokenFor(credential: Credential, forceNew: boolean): Promise<{ token: string; expiresAtMs: number }> {
    const key = credentialFingerprint(credential.appKey, credential.appSecret);
    const cached = this.tokens.get(key);
    if (cached && !forceNew) {
      return cached.then((entry) => (entry.expiresAtMs - TOKEN_RENEWAL_MARGIN_MS > Date.now() ? entry : this.tokenFor(credential, true)));
    }
    if (this.tokens.size >= MAX_CACHED_TOKENS) this.tokens.clear();
    const pending = this.login(credential);
    this.tokens.set(key, pending);
    // A failed login must not stay cached.
    pending.catch(() => {
      if (this.tokens.get(key) === pending) this.tokens.delete(key);
    });
    return pending;
  }

  /** Calls with a cached token; on an expired or invalid token logs in again once and retries. */
  async call(credential: Credential, method: "GET" | "POST" | "PUT", path: string, payload: unknown, systemId?: string): Promise<unknown> {
    for (let attempt = 0; ; attempt += 1) {
      const { token } = await this.tokenFor(credential, attempt > 0);
      try {
        return await this.callWithToken(credential, token, method, path, payload, systemId);
      } catch (error) {
        if (error instanceof TokenRejected && attempt === 0) continue;
        if (error instanceof TokenRejected) throw new OemCredentialRejectedError("sigenergy", "expired", "fresh token refused");
        throw error;
      }
    }
  }

  private async callWithToken(credential: Credential, token: string, method: "GET" | "POST" | "PUT", path: string, payload: unknown, systemId?: string): Promise<unknown> {
    const result = await this.http.send({
      method,
      path,
      headers: () => ({ authorization: `Bearer ${token}`, "content-type": "application/json" }),
      ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
      limiterKey: credentialFingerprint(credential.appKey),
      classify: this.classify,
    });
    const envelope = envelopeSchema.safeParse(result.body);
    const code = envelope.success ? envelope.data.code : undefined;
    if (result.status === 401 || code === SIGENERGY_CODE.tokenExpired || code === SIGENERGY_CODE.tokenInvalid) throw new TokenRejected();
    if (result.status === 403) throw new OemCredentialRejectedError("sigenergy", "invalid", "HTTP 403");
    if (!envelope.success || result.status !== 200) throw new OemProtocolError("sigenergy", `HTTP ${result.status} on ${method} ${path.replace(systemId ?? "\u0000", "{systemId}")}`);
    if (code === SIGENERGY_CODE.systemNotFound) throw new OemDeviceNotFoundError("sigenergy", systemId ?? "(unknown)");
    if (code === SIGENERGY_CODE.systemNotOnboarded) throw new SystemNotOnboarded();
    if (code !== 0) throw new OemProtocolError("sigenergy", `code ${String(code)} on ${method} ${path.replace(systemId ?? "\u0000", "{systemId}")}`);
    return envelope.data.data;
  }

  /** Onboards the system on first use: the API refuses systems that were not onboarded. */
  async callSystem(credential: Credential, method: "GET" | "PUT", path: string, payload: unknown, systemId: string): Promise<unknown> {
    try {
      return await this.call(credential, method, path, payload, systemId);
    } catch (error) {
      if (!(error instanceof SystemNotOnboarded)) throw error;
      await this.call(credential, "POST", "/openapi/board/onboard", { systemIdList: [systemId] }, systemId);
      return this.call(credential, method, path, payload, systemId);
    }
  }

  async listSystems(credential: Credential): Promise<string[]> {
    return expectShape("sigenergy", "system list", systemsSchema, await this.call(credential, "GET", "/openapi/system", undefined)).map((s) => s.systemId);
  }

  async telemetry(credential: Credential, systemId: string): Promise<SigenergyTelemetry> {
    const data = await this.callSystem(credential, "GET", `/openapi/telemetry/${encodeURIComponent(systemId)}/realtime`, undefined, systemId);
    return expectShape("sigenergy", "telemetry", telemetrySchema, data);
  }

  async settings(credential: Credential, systemId: string): Promise<SigenergySettings> {
    const data = await this.callSystem(credential, "GET", `/openapi/instruction/${encodeURIComponent(systemId)}/settings`, undefined, systemId);
    return expectShape("sigenergy", "settings", settingsSchema, data);
  }

  async updateSettings(credential: Credential, systemId: string, settings: Partial<SigenergySettings>): Promise<void> {
    await this.callSystem(credential, "PUT", "/openapi/instruction/settings", { systemId, ...settings }, systemId);
  }
}

class SystemNotOnboarded extends OemProtocolError {
  constructor() {
    super("sigenergy", "system not onboarded");
  }
}
