// SolisCloud stand-in: HMAC-SHA1 Authorization over method, Content-MD5, Content-Type, Date and path.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { SOLIS_CID, type SimDevice, type SolisSettings } from "../devices";
import { header, injectFaults, isWallTime, json, parseJsonBody, retryAfterHeader, round2, type OemHandler, type SimResponse } from "../http-types";

const DATE_TOLERANCE_MS = 15 * 60_000;

export function solisContentMd5(body: string): string {
  return createHash("md5").update(body, "utf8").digest("base64");
}

export function solisSignature(secret: string, contentMd5: string, contentType: string, date: string, path: string): string {
  return createHmac("sha1", secret).update(`POST\n${contentMd5}\n${contentType}\n${date}\n${path}`).digest("base64");
}

function forbidden(code: string, msg: string): SimResponse {
  return json(403, { success: false, code, msg });
}

function ok(data: unknown): SimResponse {
  return json(200, { success: true, code: "0", msg: "success", data });
}

function failure(code: string, msg: string): SimResponse {
  return json(200, { success: false, code, msg, data: null });
}

export const handleSolis: OemHandler = async (request, world) => {
  if (request.method !== "POST") return json(405, { success: false, code: "405", msg: "method not allowed" });
  const contentMd5 = header(request, "content-md5");
  const contentType = header(request, "content-type");
  const date = header(request, "date");
  const authorization = header(request, "authorization");
  const match = authorization ? /^API (\d+):(\S+)$/.exec(authorization) : null;
  if (!contentMd5 || !contentType || !date || !match) return forbidden("403", "missing authentication headers");
  const keyId = match[1] ?? "";
  const signature = match[2] ?? "";
  if (solisContentMd5(request.rawBody) !== contentMd5) return forbidden("403", "Content-MD5 does not match the body");
  const dateMs = Date.parse(date);
  if (!Number.isFinite(dateMs) || Math.abs(Date.now() - dateMs) > DATE_TOLERANCE_MS) return forbidden("403", "Date outside the accepted window");
  const account = world.accounts.get(keyId);
  if (!account || account.oem !== "solis" || account.status === "revoked") return forbidden("Z0001", "keyId does not exist");
  const expected = solisSignature(account.secret ?? "", contentMd5, contentType, date, request.path);
  if (!constantTimeEqual(expected, signature)) return forbidden("403", "signature verification failed");
  if (account.status === "expired") return forbidden("Z0002", "API key has expired");

  const body = parseJsonBody(request);
  if (body === null) return failure("B0001", "body is not JSON");
  const sn = typeof body.sn === "string" ? body.sn : typeof body.inverterSn === "string" ? body.inverterSn : null;
  const device = sn ? (world.devices.get(sn) ?? null) : null;
  const fault = await injectFaults(world, device, `solis:${keyId}`);
  if (fault?.kind === "server_error") return json(502, { success: false, code: "502", msg: "Bad Gateway" });
  if (fault?.kind === "rate_limited") return json(429, { success: false, code: "429", msg: "too many requests" }, retryAfterHeader(fault.retryAfterMs));

  if (request.path === "/v1/api/inverterList") {
    const devices = world.devicesOf(account);
    return ok({ page: { total: devices.length, records: devices.map((d, index) => ({ id: String(1000 + index), sn: d.id, model: d.model, state: 1 })) } });
  }
  const owned = device && device.accountKey === keyId ? device : null;
  if (!owned) return failure("B0107", "inverter not found");
  const native = solisNative(owned);

  switch (request.path) {
    case "/v1/api/inverterDetail":
      world.touch(owned);
      return ok(inverterDetail(owned));
    case "/v2/api/atRead": {
      const cid = Number(body.cid);
      const value = native.cids[cid];
      if (value === undefined) return failure("B0002", "cid not supported");
      world.touch(owned);
      return ok({ msg: value });
    }
    case "/v2/api/control": {
      const cid = Number(body.cid);
      const value = body.value;
      if (typeof value !== "string" || !isValidCidValue(cid, value)) return failure("B0002", "invalid cid or value");
      world.command(owned, `cid ${cid} = ${value}`, (target) => {
        if (target.oem === "solis") target.cids[cid] = value;
      });
      return ok([{ code: "0", msg: value }]);
    }
    default:
      return json(404, { success: false, code: "404", msg: "not found" });
  }
};

function solisNative(device: SimDevice): SolisSettings {
  if (device.native.oem !== "solis") throw new Error("not a Solis device");
  return device.native;
}

/** Half the simulated Solis inverters report W, half kW, as real firmware does. */
function reportsWatts(device: SimDevice): boolean {
  return device.id.endsWith("0") || device.id.endsWith("2") || device.id.endsWith("4") || device.id.endsWith("6") || device.id.endsWith("8");
}

function inverterDetail(device: SimDevice): unknown {
  const watts = reportsWatts(device);
  const unit = watts ? "W" : "kW";
  const scaled = (kw: number): number => (watts ? Math.round(kw * 1000) : round2(kw));
  return {
    sn: device.id,
    model: device.model,
    dataTimestamp: String(device.simMs),
    batteryCapacitySoc: Math.round(device.socPct * 10) / 10,
    // Solis: battery power positive while charging; psum (grid) positive while exporting.
    batteryPower: scaled(device.batteryKw),
    batteryPowerStr: unit,
    psum: scaled(-device.gridKw),
    psumStr: unit,
    familyLoadPower: scaled(device.loadKw),
    familyLoadPowerStr: unit,
    dcPac: scaled(device.solarKw),
    dcPacStr: unit,
    pac: scaled(device.solarKw - device.batteryKw),
    pacStr: unit,
  };
}

function isValidCidValue(cid: number, value: string): boolean {
  switch (cid) {
    case SOLIS_CID.storageMode:
      return /^\d+$/.test(value) && Number(value) < 256;
    case SOLIS_CID.reserveSoc:
      return /^\d+$/.test(value) && Number(value) >= 5 && Number(value) <= 100;
    case SOLIS_CID.chargeSlot1:
    case SOLIS_CID.dischargeSlot1: {
      const [start, end] = value.split("-");
      return isWallTime(start) && isWallTime(end);
    }
    default:
      return false;
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
