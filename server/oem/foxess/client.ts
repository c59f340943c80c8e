// FoxESS Open API: every request carries token, timestamp and an MD5 signature of path, token and
// timestamp joined by the literal characters \r\n; answers come as {errno, msg, result}.
import { createHash } from "node:crypto";
import { z } from "zod";
import { OemCredentialRejectedError, OemDeviceNotFoundError, OemProtocolError } from "../errors";
import { credentialFingerprint, expectShape, type HttpResult, type OemHttpClient, type RetryVerdict } from "../http";
import type { CredentialFor } from "../types";
import type { FoxessGroup, FoxessRealData, FoxessSchedulerState } from "./transform";

export const FOXESS_ERRNO = {
  illegalSignature: 40256,
  invalidParameters: 40257,
  tooFrequent: 40400,
  tokenExpired: 41808,
  tokenInvalid: 41809,
  deviceNotFound: 41935,
} as const;

export function foxessSignature(path: string, token: string, timestamp: string): string {
  return createHash("md5").update(`${path}\\r\\n${token}\\r\\n${timestamp}`).digest("hex");
}

const envelopeSchema = z.object({ errno: z.number(), msg: z.string().optional(), result: z.unknown().optional() });

const realQuerySchema = z.array(
  z.object({
    deviceSN: z.string(),
    time: z.string().optional(),
    datas: z.array(z.object({ variable: z.string(), unit: z.string().optional(), value: z.union([z.number(), z.string(), z.null()]) })),
  }),
);
const schedulerSchema = z.object({
  enable: z.number(),
  groups: z.array(
    z.object({
      enable: z.number().optional(),
      startHour: z.number(),
      startMinute: z.number(),
      endHour: z.number(),
      endMinute: z.number(),
      workMode: z.string(),
    }),
  ),
});
const socSchema = z.object({ minSoc: z.number(), minSocOnGrid: z.number() });
const deviceListSchema = z.object({ data: z.array(z.object({ deviceSN: z.string() })) });

type Credential = CredentialFor<"foxess">;

export class FoxessClient {
  constructor(private readonly http: OemHttpClient) {}

  /** Signs and sends one call; `deviceId` turns "device not found" into OemDeviceNotFoundError. */
  async call(credential: Credential, method: "GET" | "POST", path: string, payload: Record<string, unknown> | null, deviceId?: string): Promise<unknown> {
    const [pathOnly = path] = path.split("?");
    const result = await this.http.send({
      method,
      path,
      headers: () => {
        const timestamp = String(Date.now());
        return {
          token: credential.apiKey,
          timestamp,
          signature: foxessSignature(pathOnly, credential.apiKey, timestamp),
          lang: "en",
          "content-type": "application/json",
        };
      },
      ...(payload !== null ? { body: JSON.stringify(payload) } : {}),
      limiterKey: `${credentialFingerprint(credential.apiKey)}:${pathOnly}`,
      classify: classifyFoxess,
    });
    return unwrap(result, pathOnly, deviceId);
  }

  async listDevices(credential: Credential): Promise<string[]> {
    const result = await this.call(credential, "POST", "/op/v0/device/list", { currentPage: 1, pageSize: 10 });
    return expectShape("foxess", "device list", deviceListSchema, result).data.map((d) => d.deviceSN);
  }

  async realTime(credential: Credential, serial: string, variables: readonly string[]): Promise<FoxessRealData> {
    const result = await this.call(credential, "POST", "/op/v1/device/real/query", { sns: [serial], variables }, serial);
    const devices = expectShape("foxess", "real-time query", realQuerySchema, result);
    const device = devices.find((d) => d.deviceSN === serial);
    if (!device) throw new OemDeviceNotFoundError("foxess", serial);
    return device;
  }

  async getScheduler(credential: Credential, serial: string): Promise<FoxessSchedulerState> {
    const result = await this.call(credential, "POST", "/op/v3/device/scheduler/get", { deviceSN: serial }, serial);
    return expectShape("foxess", "scheduler get", schedulerSchema, result);
  }

  async enableScheduler(credential: Credential, serial: string, groups: FoxessGroup[]): Promise<void> {
    await this.call(credential, "POST", "/op/v3/device/scheduler/enable", { deviceSN: serial, groups }, serial);
  }

  async setSchedulerFlag(credential: Credential, serial: string, enable: boolean): Promise<void> {
    await this.call(credential, "POST", "/op/v1/device/scheduler/set/flag", { deviceSN: serial, enable: enable ? 1 : 0 }, serial);
  }

  async getMinSoc(credential: Credential, serial: string): Promise<{ minSoc: number; minSocOnGrid: number }> {
    const result = await this.call(credential, "GET", `/op/v0/device/battery/soc/get?sn=${encodeURIComponent(serial)}`, null, serial);
    return expectShape("foxess", "battery SoC get", socSchema, result);
  }

  async setMinSoc(credential: Credential, serial: string, minSoc: number, minSocOnGrid: number): Promise<void> {
    await this.call(credential, "POST", "/op/v0/device/battery/soc/set", { sn: serial, minSoc, minSocOnGrid }, serial);
  }
}

function classifyFoxess(result: HttpResult): RetryVerdict {
  if (result.status === 200) {
    const parsed = envelopeSchema.safeParse(result.body);
    if (parsed.success && parsed.data.errno === FOXESS_ERRNO.tooFrequent) {
      const seconds = Number(result.headers.get("retry-after"));
      return { retry: "rate_limited", ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}) };
    }
    return null;
  }
  if (result.status === 429) return { retry: "rate_limited" };
  if (result.status >= 500) return { retry: "unavailable" };
  return null;
}

function unwrap(result: HttpResult, path: string, deviceId: string | undefined): unknown {
  if (result.status === 401 || result.status === 403) throw new OemCredentialRejectedError("foxess", "invalid", `HTTP ${result.status}`);
  if (result.status !== 200) throw new OemProtocolError("foxess", `HTTP ${result.status} on ${path}`);
  const envelope = expectShape("foxess", path, envelopeSchema, result.body);
  switch (envelope.errno) {
    case 0:
      return envelope.result;
    case FOXESS_ERRNO.illegalSignature:
      throw new OemCredentialRejectedError("foxess", "signature", `errno ${envelope.errno} (illegal signature or headers)`);
    case FOXESS_ERRNO.tokenExpired:
      throw new OemCredentialRejectedError("foxess", "expired", `errno ${envelope.errno}`);
    case FOXESS_ERRNO.tokenInvalid:
      throw new OemCredentialRejectedError("foxess", "invalid", `errno ${envelope.errno}`);
    case FOXESS_ERRNO.deviceNotFound:
      throw new OemDeviceNotFoundError("foxess", deviceId ?? "(unknown)");
    default:
      throw new OemProtocolError("foxess", `errno ${envelope.errno} on ${path}`);
  }
}
