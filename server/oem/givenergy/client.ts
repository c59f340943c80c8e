// GivEnergy Cloud API: bearer API key; JSON under {data}; settings addressed by per-inverter ids.
import { z } from "zod";
import { OemCredentialRejectedError, OemDeviceNotFoundError, OemProtocolError } from "../errors";
import { credentialFingerprint, expectShape, type HttpResult, type OemHttpClient } from "../http";
import type { CredentialFor } from "../types";
import type { GivenergySettingValue, GivenergySystemData } from "./transform";

type Credential = CredentialFor<"givenergy">;

const systemDataSchema = z.object({
  data: z.object({
    time: z.string(),
    solar: z.object({ power: z.number() }),
    grid: z.object({ power: z.number() }),
    battery: z.object({ percent: z.number(), power: z.number() }),
    consumption: z.number(),
  }),
});
const settingsListSchema = z.object({ data: z.array(z.object({ id: z.number(), name: z.string() })) });
const settingValueSchema = z.object({ data: z.object({ value: z.union([z.boolean(), z.number(), z.string(), z.null()]) }) });
const accountSchema = z.object({ data: z.object({ id: z.union([z.string(), z.number()]) }) });

export class GivenergyClient {
  constructor(private readonly http: OemHttpClient) {}

  private async call(credential: Credential, method: "GET" | "POST", path: string, payload: unknown, serial?: string): Promise<unknown> {
    const result = await this.http.send({
      method,
      path,
      headers: () => ({
        authorization: `Bearer ${credential.apiKey}`,
        accept: "application/json",
        "content-type": "application/json",
      }),
      ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
      limiterKey: credentialFingerprint(credential.apiKey),
    });
    return unwrap(result, credential, path, serial);
  }

  async account(credential: Credential): Promise<void> {
    expectShape("givenergy", "account", accountSchema, await this.call(credential, "GET", "/account", undefined));
  }

  async latestSystemData(credential: Credential, serial: string): Promise<GivenergySystemData> {
    const body = await this.call(credential, "GET", `/inverter/${encodeURIComponent(serial)}/system-data/latest`, undefined, serial);
    return expectShape("givenergy", "system data", systemDataSchema, body).data;
  }

  async listSettings(credential: Credential, serial: string): Promise<Array<{ id: number; name: string }>> {
    const body = await this.call(credential, "GET", `/inverter/${encodeURIComponent(serial)}/settings`, undefined, serial);
    return expectShape("givenergy", "settings list", settingsListSchema, body).data;
  }

  async readSetting(credential: Credential, serial: string, id: number): Promise<GivenergySettingValue | null> {
    const body = await this.call(credential, "POST", `/inverter/${encodeURIComponent(serial)}/settings/${id}/read`, {}, serial);
    return expectShape("givenergy", "setting read", settingValueSchema, body).data.value;
  }

  async writeSetting(credential: Credential, serial: string, id: number, value: GivenergySettingValue): Promise<void> {
    await this.call(credential, "POST", `/inverter/${encodeURIComponent(serial)}/settings/${id}/write`, { value }, serial);
  }
}

function unwrap(result: HttpResult, credential: Credential, path: string, serial: string | undefined): unknown {
  if (result.status >= 200 && result.status < 300) return result.body;
  if (result.status === 401) {
    // A 401 rarely says why; the expiry date handed over with the key tells expired from invalid.
    const message = isRecordWithMessage(result.body) ? result.body.message : "";
    const expired = /expired/i.test(message) || (credential.expiresAt !== undefined && credential.expiresAt.getTime() <= Date.now());
    throw new OemCredentialRejectedError("givenergy", expired ? "expired" : "invalid", "HTTP 401 Unauthenticated");
  }
  if (result.status === 403) throw new OemCredentialRejectedError("givenergy", "invalid", "HTTP 403 (key lacks the scope)");
  if (result.status === 404 && serial !== undefined) throw new OemDeviceNotFoundError("givenergy", serial);
  throw new OemProtocolError("givenergy", `HTTP ${result.status} on ${path.replace(/\/inverter\/[^/]+/, "/inverter/{serial}")}`);
}

function isRecordWithMessage(value: unknown): value is { message: string } {
  return typeof value === "object" && value !== null && "message" in value && typeof value.message === "string";
}
