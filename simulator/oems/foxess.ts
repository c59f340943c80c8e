// FoxESS Open API stand-in: token + timestamp + MD5 signature headers, answers wrapped in {errno, msg, result}.
import { createHash } from "node:crypto";
import { FOXESS_WORK_MODES, type FoxessGroup, type FoxessSettings, type SimDevice } from "../devices";
import { header, injectFaults, isRecord, json, parseJsonBody, retryAfterHeader, round2, type OemHandler, type SimResponse } from "../http-types";
import { accountKeyForToken, handleOauth, isOauthPath } from "../oauth";

/** errno values the simulator answers with. */
export const FOXESS_ERRNO = {
  ok: 0,
  illegalSignature: 40256,
  invalidParameters: 40257,
  tooFrequent: 40400,
  tokenExpired: 41808,
  tokenInvalid: 41809,
  deviceNotFound: 41935,
} as const;

const TIMESTAMP_TOLERANCE_MS = 10 * 60_000;

function envelope(errno: number, msg: string, result?: unknown): SimResponse {
  return json(200, result === undefined ? { errno, msg } : { errno, msg, result });
}

export function foxessSignature(path: string, token: string, timestamp: string): string {
  // The documented separator is the four literal characters \r\n, not CR LF.
  return createHash("md5").update(`${path}\\r\\n${token}\\r\\n${timestamp}`).digest("hex");
}

export const handleFoxess: OemHandler = async (request, world) => {
  if (isOauthPath(request.path)) return handleOauth(request, world, "foxess");
  const token = header(request, "token");
  const timestamp = header(request, "timestamp");
  const signature = header(request, "signature");
  if (!token || !timestamp || !signature) return envelope(FOXESS_ERRNO.illegalSignature, "request header parameters are missing");
  if (foxessSignature(request.path, token, timestamp) !== signature.toLowerCase()) {
    return envelope(FOXESS_ERRNO.illegalSignature, "illegal signature");
  }
  if (!Number.isFinite(Number(timestamp)) || Math.abs(Date.now() - Number(timestamp)) > TIMESTAMP_TOLERANCE_MS) {
    return envelope(FOXESS_ERRNO.illegalSignature, "timestamp outside the accepted window");
  }
  // An OAuth access token (signed like an API key) stands for its account; it expires on its own clock.
  const accountKey = accountKeyForToken(world, "foxess", token);
  if (accountKey === "expired") return envelope(FOXESS_ERRNO.tokenExpired, "token has expired");
  const account = world.accounts.get(accountKey);
  if (!account || account.oem !== "foxess" || account.status === "revoked") return envelope(FOXESS_ERRNO.tokenInvalid, "invalid token");
  if (account.status === "expired") return envelope(FOXESS_ERRNO.tokenExpired, "token has expired");

  const body = request.method === "GET" ? {} : parseJsonBody(request);
  if (body === null) return envelope(FOXESS_ERRNO.invalidParameters, "request body is not JSON");
  const snFromRequest = stringField(body, "deviceSN") ?? stringField(body, "sn") ?? request.query.get("sn") ?? null;
  const requestedSns = Array.isArray(body.sns) ? body.sns.filter((sn): sn is string => typeof sn === "string") : [];
  const firstSn = snFromRequest ?? requestedSns[0] ?? null;
  const device = firstSn ? (world.devices.get(firstSn) ?? null) : null;

  const fault = await injectFaults(world, device, `foxess:${token}:${request.path}`);
  if (fault?.kind === "server_error") return json(503, { message: "Service Unavailable" });
  if (fault?.kind === "rate_limited") {
    return { ...envelope(FOXESS_ERRNO.tooFrequent, "request too frequent, please try again later"), headers: retryAfterHeader(fault.retryAfterMs) };
  }

  const owned = (sn: string | null): SimDevice | null => {
    if (!sn) return null;
    const candidate = world.devices.get(sn);
    return candidate && candidate.accountKey === accountKey ? candidate : null;
  };

  const route = `${request.method} ${request.path}`;
  switch (route) {
    case "POST /op/v0/device/list": {
      const devices = world.devicesOf(account);
      return envelope(0, "success", {
        currentPage: 1,
        pageSize: devices.length,
        total: devices.length,
        data: devices.map((d) => ({ deviceSN: d.id, deviceType: d.model, status: 1, hasBattery: true, hasPV: d.profile.solarKwp > 0 })),
      });
    }
    case "POST /op/v1/device/real/query": {
      if (requestedSns.length === 0) return envelope(FOXESS_ERRNO.invalidParameters, "sns is required");
      const variables = Array.isArray(body.variables) ? body.variables.filter((v): v is string => typeof v === "string") : [];
      const result = [];
      for (const sn of requestedSns) {
        const target = owned(sn);
        if (!target) return envelope(FOXESS_ERRNO.deviceNotFound, "device not found or not accessible");
        result.push(realData(world.touch(target), variables));
      }
      return envelope(0, "success", result);
    }
    case "POST /op/v3/device/scheduler/get": {
      const target = owned(snFromRequest);
      if (!target) return envelope(FOXESS_ERRNO.deviceNotFound, "device not found or not accessible");
      const native = foxessNative(world.touch(target));
      return envelope(0, "success", { enable: native.schedulerEnabled ? 1 : 0, maxGroupCount: 8, groups: native.groups });
    }
    case "POST /op/v3/device/scheduler/enable": {
      const target = owned(snFromRequest);
      if (!target) return envelope(FOXESS_ERRNO.deviceNotFound, "device not found or not accessible");
      const groups = parseGroups(body.groups);
      if (!groups) return envelope(FOXESS_ERRNO.invalidParameters, "groups are invalid");
      world.command(target, `scheduler: ${groups.length} group(s), enabled`, (native) => {
        if (native.oem !== "foxess") return;
        native.groups = groups;
        native.schedulerEnabled = true;
      });
      return envelope(0, "success");
    }
    case "POST /op/v1/device/scheduler/set/flag": {
      const target = owned(snFromRequest);
      if (!target) return envelope(FOXESS_ERRNO.deviceNotFound, "device not found or not accessible");
      if (body.enable !== 0 && body.enable !== 1) return envelope(FOXESS_ERRNO.invalidParameters, "enable must be 0 or 1");
      const enable = body.enable === 1;
      world.command(target, `scheduler flag ${enable ? "on" : "off"}`, (native) => {
        if (native.oem === "foxess") native.schedulerEnabled = enable;
      });
      return envelope(0, "success");
    }
    case "GET /op/v0/device/battery/soc/get": {
      const target = owned(snFromRequest);
      if (!target) return envelope(FOXESS_ERRNO.deviceNotFound, "device not found or not accessible");
      const native = foxessNative(world.touch(target));
      return envelope(0, "success", { minSoc: native.minSoc, minSocOnGrid: native.minSocOnGrid });
    }
    case "POST /op/v0/device/battery/soc/set": {
      const target = owned(snFromRequest);
      if (!target) return envelope(FOXESS_ERRNO.deviceNotFound, "device not found or not accessible");
      const minSoc = percent(body.minSoc);
      const minSocOnGrid = percent(body.minSocOnGrid);
      if (minSoc === null || minSocOnGrid === null) return envelope(FOXESS_ERRNO.invalidParameters, "minSoc and minSocOnGrid must be 10..100");
      world.command(target, `min SoC ${minSoc}/${minSocOnGrid}`, (native) => {
        if (native.oem !== "foxess") return;
        native.minSoc = minSoc;
        native.minSocOnGrid = minSocOnGrid;
      });
      return envelope(0, "success");
    }
    default:
      return json(404, { errno: 40404, msg: "not found" });
  }
};

function foxessNative(device: SimDevice): FoxessSettings {
  if (device.native.oem !== "foxess") throw new Error("not a FoxESS device");
  return device.native;
}

function realData(device: SimDevice, variables: string[]): unknown {
  const all: Record<string, { unit: string; name: string; value: number }> = {
    SoC: { unit: "%", name: "SoC", value: Math.round(device.socPct) },
    // FoxESS reports the inverter's battery power with discharge positive.
    invBatPower: { unit: "kW", name: "Battery Power", value: round2(-device.batteryKw) },
    batChargePower: { unit: "kW", name: "Charge Power", value: round2(Math.max(0, device.batteryKw)) },
    batDischargePower: { unit: "kW", name: "Discharge Power", value: round2(Math.max(0, -device.batteryKw)) },
    pvPower: { unit: "kW", name: "PVPower", value: round2(device.solarKw) },
    loadsPower: { unit: "kW", name: "Load Power", value: round2(device.loadKw) },
    gridConsumptionPower: { unit: "kW", name: "GridConsumption Power", value: round2(Math.max(0, device.gridKw)) },
    feedinPower: { unit: "kW", name: "Feed-in Power", value: round2(Math.max(0, -device.gridKw)) },
    ResidualEnergy: { unit: "0.01kWh", name: "Residual Energy", value: Math.round(device.socPct * device.capacityKwh) },
  };
  const wanted = variables.length > 0 ? variables : Object.keys(all);
  const time = new Date(device.simMs).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC+0000");
  return {
    deviceSN: device.id,
    time,
    datas: wanted.flatMap((variable) => {
      const entry = all[variable];
      return entry ? [{ variable, ...entry }] : [];
    }),
  };
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" ? value : undefined;
}

function percent(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 10 && value <= 100 ? value : null;
}

function parseGroups(value: unknown): FoxessGroup[] | null {
  if (!Array.isArray(value) || value.length > 8) return null;
  const groups: FoxessGroup[] = [];
  for (const item of value) {
    if (!isRecord(item)) return null;
    const integer = (name: string, low: number, high: number): number | null => {
      const v = item[name];
      return typeof v === "number" && Number.isInteger(v) && v >= low && v <= high ? v : null;
    };
    const workMode = FOXESS_WORK_MODES.find((mode) => mode === item.workMode);
    const extra = isRecord(item.extraParam) ? item.extraParam : {};
    const extraNumber = (name: string, fallback: number, high: number): number | null => {
      const v = extra[name] ?? item[name];
      if (v === undefined) return fallback;
      return typeof v === "number" && v >= 0 && v <= high ? v : null;
    };
    const startHour = integer("startHour", 0, 23);
    const startMinute = integer("startMinute", 0, 59);
    const endHour = integer("endHour", 0, 23);
    const endMinute = integer("endMinute", 0, 59);
    const minSocOnGrid = extraNumber("minSocOnGrid", 10, 100);
    const fdSoc = extraNumber("fdSoc", 10, 100);
    const fdPwr = extraNumber("fdPwr", 0, 50_000);
    const maxSoc = extraNumber("maxSoc", 100, 100);
    if (
      !workMode || startHour === null || startMinute === null || endHour === null || endMinute === null ||
      minSocOnGrid === null || fdSoc === null || fdPwr === null || maxSoc === null
    ) {
      return null;
    }
    groups.push({
      enable: item.enable === 0 ? 0 : 1,
      startHour,
      startMinute,
      endHour,
      endMinute,
      workMode,
      minSocOnGrid,
      fdSoc,
      fdPwr,
      maxSoc,
    });
  }
  return groups;
}
