// Sigenergy OpenAPI stand-in: app-key login returning a ~12 h bearer token; systems must be onboarded;
// telemetry, MQTT in reality, is served over REST here (see docs/simulator.md).
import { randomBytes } from "node:crypto";
import { SIGENERGY_MODES, type SigenergySettings, type SimDevice } from "../devices";
import { header, injectFaults, json, parseJsonBody, retryAfterHeader, round2, type OemHandler, type SimResponse } from "../http-types";

export const SIGENERGY_CODE = {
  ok: 0,
  invalidParameter: 1000,
  systemNotFound: 1201,
  systemNotOnboarded: 1202,
  rateLimited: 1110,
  keyInvalid: 11002,
  tokenInvalid: 11003,
  tokenExpired: 11004,
} as const;

const ACCEPTED_MODES = new Set<number>(Object.values(SIGENERGY_MODES));

function ok(data?: unknown): SimResponse {
  return json(200, data === undefined ? { code: 0, msg: "success" } : { code: 0, msg: "success", data });
}

function fail(code: number, msg: string, status = 200): SimResponse {
  return json(status, { code, msg, data: null });
}

export const handleSigenergy: OemHandler = async (request, world) => {
  if (request.method === "POST" && request.path === "/openapi/auth/login/key") {
    const body = parseJsonBody(request);
    const key = typeof body?.key === "string" ? body.key : "";
    const decoded = Buffer.from(key, "base64").toString("utf8");
    const separator = decoded.indexOf(":");
    const appKey = separator > 0 ? decoded.slice(0, separator) : "";
    const appSecret = separator > 0 ? decoded.slice(separator + 1) : "";
    const account = world.accounts.get(appKey);
    if (!account || account.oem !== "sigenergy" || account.secret !== appSecret || account.status === "revoked") {
      return fail(SIGENERGY_CODE.keyInvalid, "app key or secret is invalid");
    }
    const fault = await injectFaults(world, null, `sigenergy:${appKey}:login`);
    if (fault?.kind === "server_error") return json(503, { code: 503, msg: "Service Unavailable" });
    if (fault?.kind === "rate_limited") return fail(SIGENERGY_CODE.rateLimited, "too many requests", 429);
    // A fresh login revives an account whose tokens were expired by fault injection.
    if (account.status === "expired") account.status = "active";
    const accessToken = randomBytes(24).toString("hex");
    const ttlMs = world.options.sigenergyTokenTtlMs;
    world.sigenergyTokens.set(accessToken, { accountKey: appKey, expiresAtRealMs: Date.now() + ttlMs });
    return ok({ tokenType: "Bearer", accessToken, expiresIn: Math.floor(ttlMs / 1000) });
  }

  const authorization = header(request, "authorization") ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const session = token ? world.sigenergyTokens.get(token) : undefined;
  if (!token || !session) return fail(SIGENERGY_CODE.tokenInvalid, "token is invalid", 401);
  const account = world.accounts.get(session.accountKey);
  if (!account || account.status === "revoked") return fail(SIGENERGY_CODE.tokenInvalid, "token is invalid", 401);
  if (session.expiresAtRealMs <= Date.now() || account.status === "expired") {
    world.sigenergyTokens.delete(token);
    return fail(SIGENERGY_CODE.tokenExpired, "token has expired", 401);
  }

  const body = request.method === "GET" ? {} : parseJsonBody(request);
  if (body === null) return fail(SIGENERGY_CODE.invalidParameter, "body is not JSON");
  const pathMatch = /^\/openapi\/(?:instruction|telemetry)\/([^/]+)\/(settings|realtime)$/.exec(request.path);
  const systemId = pathMatch?.[1] ?? (typeof body.systemId === "string" ? body.systemId : null);
  const device = systemId ? (world.devices.get(systemId) ?? null) : null;
  const fault = await injectFaults(world, device, `sigenergy:${session.accountKey}`);
  if (fault?.kind === "server_error") return json(503, { code: 503, msg: "Service Unavailable" });
  if (fault?.kind === "rate_limited") return { ...fail(SIGENERGY_CODE.rateLimited, "too many requests", 429), headers: retryAfterHeader(fault.retryAfterMs) };

  if (request.method === "GET" && request.path === "/openapi/system") {
    return ok(world.devicesOf(account).map((d) => ({ systemId: d.id, onboarded: sigenNative(d).onboarded })));
  }
  if (request.method === "POST" && request.path === "/openapi/board/onboard") {
    const ids = Array.isArray(body.systemIdList) ? body.systemIdList.filter((id): id is string => typeof id === "string") : [];
    if (ids.length === 0) return fail(SIGENERGY_CODE.invalidParameter, "systemIdList is required");
    return ok(
      ids.map((id) => {
        const target = world.devices.get(id);
        if (!target || target.accountKey !== session.accountKey) return { systemId: id, result: false, codeList: [SIGENERGY_CODE.systemNotFound] };
        sigenNative(target).onboarded = true;
        return { systemId: id, result: true, codeList: [] };
      }),
    );
  }

  const owned = device && device.accountKey === session.accountKey ? device : null;
  if (!owned) return fail(SIGENERGY_CODE.systemNotFound, "system not found");
  const native = sigenNative(owned);
  if (!native.onboarded) return fail(SIGENERGY_CODE.systemNotOnboarded, "system is not onboarded");

  if (request.method === "GET" && pathMatch?.[2] === "settings" && request.path.startsWith("/openapi/instruction/")) {
    world.touch(owned);
    return ok({ systemId: owned.id, energyStorageOperationMode: native.energyStorageOperationMode, dischargeCutOffSoc: native.dischargeCutOffSoc });
  }
  if (request.method === "GET" && pathMatch?.[2] === "realtime" && request.path.startsWith("/openapi/telemetry/")) {
    world.touch(owned);
    // Sign convention as the MQTT feed: battery positive charging, grid positive importing.
    return ok({
      systemId: owned.id,
      dataTime: owned.simMs,
      batSoc: round2(owned.socPct),
      batPower: round2(owned.batteryKw),
      gridPower: round2(owned.gridKw),
      pvPower: round2(owned.solarKw),
      loadPower: round2(owned.loadKw),
    });
  }
  if (request.method === "PUT" && request.path === "/openapi/instruction/settings") {
    const mode = body.energyStorageOperationMode;
    const cutoff = body.dischargeCutOffSoc;
    if (mode !== undefined && (typeof mode !== "number" || !ACCEPTED_MODES.has(mode))) {
      return fail(SIGENERGY_CODE.invalidParameter, "energyStorageOperationMode is not supported");
    }
    if (cutoff !== undefined && (typeof cutoff !== "number" || cutoff < 0 || cutoff > 100)) {
      return fail(SIGENERGY_CODE.invalidParameter, "dischargeCutOffSoc must be 0..100");
    }
    world.command(owned, `mode ${String(mode ?? "-")} cutoff ${String(cutoff ?? "-")}`, (target) => {
      if (target.oem !== "sigenergy") return;
      if (typeof mode === "number") target.energyStorageOperationMode = mode;
      if (typeof cutoff === "number") target.dischargeCutOffSoc = cutoff;
    });
    return ok();
  }
  return fail(404, "not found", 404);
};

function sigenNative(device: SimDevice): SigenergySettings {
  if (device.native.oem !== "sigenergy") throw new Error("not a Sigenergy device");
  return device.native;
}
