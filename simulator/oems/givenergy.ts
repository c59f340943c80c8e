// GivEnergy Cloud API stand-in: bearer API key, system data in W, settings discovered and written by id.
import {
  GIVENERGY_SETTING_IDS,
  GIVENERGY_SETTING_NAMES,
  type GivenergySettingName,
  type GivenergySettings,
  type SimDevice,
} from "../devices";
import { header, injectFaults, isWallTime, json, parseJsonBody, retryAfterHeader, type OemHandler } from "../http-types";
import { accountKeyForToken, handleOauth, isOauthPath } from "../oauth";

const SETTING_KINDS: Record<GivenergySettingName, "boolean" | "time" | "percent"> = {
  "Enable Eco Mode": "boolean",
  "AC Charge Enable": "boolean",
  "AC Charge 1 Start Time": "time",
  "AC Charge 1 End Time": "time",
  "Enable DC Discharge": "boolean",
  "DC Discharge 1 Start Time": "time",
  "DC Discharge 1 End Time": "time",
  "Battery Reserve % Limit": "percent",
  "AC Charge Upper % Limit": "percent",
};

const unauthenticated = json(401, { message: "Unauthenticated." });

export const handleGivenergy: OemHandler = async (request, world) => {
  if (isOauthPath(request.path)) return handleOauth(request, world, "givenergy");
  const authorization = header(request, "authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  const bearer = match?.[1];
  if (!bearer) return unauthenticated;
  // An OAuth access token stands for its account's API key; it expires on its own clock.
  const apiKey = accountKeyForToken(world, "givenergy", bearer);
  if (apiKey === "expired") return json(401, { message: "Unauthenticated. The access token has expired." });
  const account = world.accounts.get(apiKey);
  if (!account || account.oem !== "givenergy" || account.status === "revoked") return unauthenticated;
  if (account.status === "expired") return json(401, { message: "Unauthenticated. The API key has expired." });

  const segments = request.path.split("/").filter((s) => s.length > 0);
  const serial = segments[0] === "inverter" ? (segments[1] ?? null) : null;
  const device = serial ? (world.devices.get(serial) ?? null) : null;
  const fault = await injectFaults(world, device, `givenergy:${apiKey}`);
  if (fault?.kind === "server_error") return json(503, { message: "Service Unavailable" });
  if (fault?.kind === "rate_limited") return json(429, { message: "Too Many Attempts." }, retryAfterHeader(fault.retryAfterMs));

  if (request.method === "GET" && request.path === "/account") {
    return json(200, { data: { id: account.key.slice(-6), name: "simulated-user", role: "END_USER" } });
  }
  if (request.method === "GET" && request.path === "/communication-device") {
    return json(200, {
      data: world.devicesOf(account).map((d) => ({ serial_number: `WF${d.id.slice(2)}`, inverter: { serial: d.id, model: d.model } })),
    });
  }
  if (!serial) return json(404, { message: "Not Found" });
  if (!device || device.accountKey !== apiKey) return json(404, { message: "Inverter not found" });
  const native = givenergyNative(device);
  const ids = GIVENERGY_SETTING_IDS[native.family];
  const nameById = (id: number): GivenergySettingName | undefined => GIVENERGY_SETTING_NAMES.find((name) => ids[name] === id);
  const rest = segments.slice(2).join("/");

  if (request.method === "GET" && rest === "system-data/latest") {
    world.touch(device);
    return json(200, { data: systemData(device) });
  }
  if (request.method === "GET" && rest === "settings") {
    return json(200, {
      data: GIVENERGY_SETTING_NAMES.map((name) => ({
        id: ids[name],
        name,
        validation: describeValidation(SETTING_KINDS[name]),
        validation_rules: rulesFor(SETTING_KINDS[name]),
      })),
    });
  }
  const settingMatch = /^settings\/(\d+)\/(read|write)$/.exec(rest);
  if (request.method === "POST" && settingMatch) {
    const name = nameById(Number(settingMatch[1]));
    if (!name) return json(404, { message: "Setting not found for this inverter" });
    if (settingMatch[2] === "read") {
      world.touch(device);
      return json(200, { data: { value: native.values[name] } });
    }
    const body = parseJsonBody(request);
    const value = body?.value;
    if (!isValidValue(SETTING_KINDS[name], value)) {
      return json(422, { message: "The given data was invalid.", errors: { value: [`Invalid value for ${name}`] } });
    }
    world.command(device, `${name} = ${String(value)}`, (target) => {
      if (target.oem === "givenergy") target.values[name] = value;
    });
    return json(201, { data: { value, success: true, message: "Written Successfully" } });
  }
  return json(404, { message: "Not Found" });
};

function givenergyNative(device: SimDevice): GivenergySettings {
  if (device.native.oem !== "givenergy") throw new Error("not a GivEnergy device");
  return device.native;
}

function systemData(device: SimDevice): unknown {
  const watts = (kw: number): number => Math.round(kw * 1000);
  return {
    time: new Date(device.simMs).toISOString().replace(/\.\d+Z$/, "Z"),
    status: "Normal",
    solar: { power: watts(device.solarKw), arrays: [{ array: 1, voltage: 0, current: 0, power: watts(device.solarKw) }] },
    // GivEnergy reports grid power with export positive and battery power with discharge positive.
    grid: { voltage: 240.1, current: Math.round((Math.abs(device.gridKw) * 1000) / 240), power: watts(-device.gridKw), frequency: 50 },
    battery: { percent: Math.round(device.socPct), power: watts(-device.batteryKw), temperature: 21 },
    inverter: { temperature: 30, power: watts(device.solarKw - device.batteryKw), output_voltage: 240, output_frequency: 50, eps_power: 0 },
    consumption: watts(device.loadKw),
  };
}

function describeValidation(kind: "boolean" | "time" | "percent"): string {
  switch (kind) {
    case "boolean":
      return "Value must be either true or false";
    case "time":
      return "Value format should be HH:mm. Use correct format. Time must be in the 24-hour clock";
    case "percent":
      return "Value must be between 4 and 100";
  }
}

function rulesFor(kind: "boolean" | "time" | "percent"): string[] {
  switch (kind) {
    case "boolean":
      return ["boolean"];
    case "time":
      return ["date_format:H:i"];
    case "percent":
      return ["between:4,100"];
  }
}

function isValidValue(kind: "boolean" | "time" | "percent", value: unknown): value is boolean | number | string {
  switch (kind) {
    case "boolean":
      return typeof value === "boolean";
    case "time":
      return isWallTime(value);
    case "percent":
      return typeof value === "number" && Number.isInteger(value) && value >= 4 && value <= 100;
  }
}
