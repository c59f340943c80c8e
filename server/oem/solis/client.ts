// SolisCloud: JSON POSTs signed with HMAC-SHA1 over method, Content-MD5, Content-Type, Date and path;
// answers come as {success, code, msg, data}.
import { createHash, createHmac } from "node:crypto";
import { z } from "zod";
import { OemCredentialRejectedError, OemDeviceNotFoundError, OemProtocolError } from "../errors";
import { credentialFingerprint, expectShape, type HttpResult, type OemHttpClient } from "../http";
import type { CredentialFor } from "../types";
import type { SolisInverterDetail } from "./transform";

type Credential = CredentialFor<"solis">;
const CONTENT_TYPE = "application/json;charset=UTF-8";

export function solisContentMd5(body: string): string {
  return createHash("md5").update(body, "utf8").digest("base64");
}

export function solisAuthorization(keyId: string, secret: string, contentMd5: string, contentType: string, date: string, path: string): string {
  const signature = createHmac("sha1", secret).update(`POST\n${contentMd5}\n${contentType}\n${date}\n${path}`).digest("base64");
  return `API ${keyId}:${signature}`;
}

const envelopeSchema = z.object({ success: z.boolean(), code: z.union([z.string(), z.number()]), msg: z.string().optional(), data: z.unknown().optional() });
const numberish = z.union([z.number(), z.string().transform(Number)]).pipe(z.number());
const detailSchema = z.object({
  dataTimestamp: z.union([z.string(), z.number()]).optional(),
  batteryCapacitySoc: numberish,
  batteryPower: numberish,
  batteryPowerStr: z.string().optional(),
  psum: numberish,
  psumStr: z.string().optional(),
  familyLoadPower: numberish,
  familyLoadPowerStr: z.string().optional(),
  dcPac: numberish.optional(),
  dcPacStr: z.string().optional(),
});
const atReadSchema = z.object({ msg: z.string() });
const listSchema = z.object({ page: z.object({ records: z.array(z.object({ sn: z.string() })) }) });

export class SolisClient {
  constructor(private readonly http: OemHttpClient) {}

  async post(credential: Credential, path: string, payload: Record<string, unknown>, serial?: string): Promise<unknown> {
    const body = JSON.stringify(payload);
    const contentMd5 = solisContentMd5(body);
    const result = await this.http.send({
      method: "POST",
      path,
      body,
      headers: () => {
        const date = new Date().toUTCString();
        return {
          "content-type": CONTENT_TYPE,
          "content-md5": contentMd5,
          date,
          authorization: solisAuthorization(credential.keyId, credential.keySecret, contentMd5, CONTENT_TYPE, date, path),
        };
      },
      limiterKey: credentialFingerprint(credential.keyId),
    });
    return unwrap(result, path, serial);
  }

  async listInverters(credential: Credential): Promise<string[]> {
    const data = await this.post(credential, "/v1/api/inverterList", { pageNo: 1, pageSize: 20 });
    return expectShape("solis", "inverter list", listSchema, data).page.records.map((r) => r.sn);
  }

  async inverterDetail(credential: Credential, serial: string): Promise<SolisInverterDetail> {
    const data = await this.post(credential, "/v1/api/inverterDetail", { sn: serial }, serial);
    return expectShape("solis", "inverter detail", detailSchema, data);
  }

  async readCid(credential: Credential, serial: string, cid: number): Promise<string> {
    const data = await this.post(credential, "/v2/api/atRead", { inverterSn: serial, cid }, serial);
    return expectShape("solis", `read cid ${cid}`, atReadSchema, data).msg;
  }

  async control(credential: Credential, serial: string, cid: number, value: string): Promise<void> {
    await this.post(credential, "/v2/api/control", { inverterSn: serial, cid, value }, serial);
  }
}

function unwrap(result: HttpResult, path: string, serial: string | undefined): unknown {
  const envelope = envelopeSchema.safeParse(result.body);
  const code = envelope.success ? String(envelope.data.code) : "";
  if (result.status === 401 || result.status === 403) {
    if (code === "Z0002") throw new OemCredentialRejectedError("solis", "expired", "API key has expired");
    if (code === "Z0001") throw new OemCredentialRejectedError("solis", "invalid", "unknown keyId");
    throw new OemCredentialRejectedError("solis", "signature", `HTTP ${result.status} (signature refused)`);
  }
  if (result.status !== 200 || !envelope.success) throw new OemProtocolError("solis", `HTTP ${result.status} on ${path}`);
  if (envelope.data.success) return envelope.data.data;
  if (code === "B0107" && serial !== undefined) throw new OemDeviceNotFoundError("solis", serial);
  throw new OemProtocolError("solis", `code ${code} on ${path}`);
}
