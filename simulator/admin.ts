// Admin API under /_sim/: create devices and fleets, read true state, inject faults.
import { SIM_OEMS, type DeviceFaults, type SimOem } from "./devices";
import { isRecord, json, parseJsonBody, type SimRequest, type SimResponse } from "./http-types";
import type { CreateDeviceInput, SimWorld } from "./world";

export function parseFaults(body: Record<string, unknown>): DeviceFaults | string {
  const faults: DeviceFaults = {};
  if (body.errorRate !== undefined) {
    if (typeof body.errorRate !== "number" || body.errorRate < 0 || body.errorRate > 1) return "errorRate must be 0..1";
    faults.errorRate = body.errorRate;
  }
  if (body.latencyMs !== undefined) {
    if (typeof body.latencyMs !== "number" || body.latencyMs < 0) return "latencyMs must be >= 0";
    faults.latencyMs = body.latencyMs;
  }
  if (body.rateLimit !== undefined) {
    if (body.rateLimit === null) faults.rateLimit = null;
    else if (
      isRecord(body.rateLimit) &&
      typeof body.rateLimit.requestsPerSecond === "number" &&
      body.rateLimit.requestsPerSecond > 0 &&
      typeof body.rateLimit.burst === "number" &&
      body.rateLimit.burst >= 1
    ) {
      faults.rateLimit = { requestsPerSecond: body.rateLimit.requestsPerSecond, burst: body.rateLimit.burst };
    } else return "rateLimit must be null or {requestsPerSecond > 0, burst >= 1}";
  }
  if (body.ignoreCommands !== undefined) {
    if (typeof body.ignoreCommands !== "boolean") return "ignoreCommands must be a boolean";
    faults.ignoreCommands = body.ignoreCommands;
  }
  return faults;
}

export function parseCreateDevice(body: Record<string, unknown>): CreateDeviceInput | string {
  const oem = SIM_OEMS.find((o) => o === body.oem);
  if (!oem) return `oem must be one of ${SIM_OEMS.join(", ")}`;
  const input: CreateDeviceInput = { oem: oem satisfies SimOem };
  if (typeof body.key === "string") input.key = body.key;
  const numeric = ["capacityKwh", "ratedPowerKw", "solarKwp", "socPct", "dischargeFloorPct"] as const;
  for (const name of numeric) {
    const value = body[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return `${name} must be a non-negative number`;
    input[name] = value;
  }
  return input;
}

export function handleAdmin(request: SimRequest, world: SimWorld): SimResponse {
  const body = request.method === "GET" || request.method === "DELETE" ? {} : parseJsonBody(request);
  if (body === null) return json(400, { error: "body must be a JSON object" });
  const segments = request.path.split("/").filter((s) => s.length > 0);
  const route = `${request.method} /${segments.map((s, i) => (i === 1 && segments[0] === "devices" ? ":id" : s)).join("/")}`;
  const deviceId = segments[0] === "devices" ? segments[1] : undefined;
  const device = deviceId ? world.devices.get(deviceId) : undefined;

  switch (route) {
    case "GET /health":
      return json(200, { ok: true, devices: world.devices.size, simTime: new Date(world.simNowMs()).toISOString() });
    case "GET /clock":
      return json(200, { simTime: new Date(world.simNowMs()).toISOString(), timeScale: world.options.timeScale });
    case "GET /devices":
      return json(200, { devices: [...world.devices.values()].map((d) => world.snapshot(d)) });
    case "POST /devices": {
      const input = parseCreateDevice(body);
      if (typeof input === "string") return json(400, { error: input });
      return json(201, world.createDevice(input));
    }
    case "GET /devices/:id":
      return device ? json(200, world.snapshot(device)) : json(404, { error: "device not found" });
    case "POST /devices/:id/expire-credential":
    case "POST /devices/:id/revoke-credential": {
      if (!device) return json(404, { error: "device not found" });
      const account = world.accountOf(device);
      account.status = route.endsWith("expire-credential") ? "expired" : "revoked";
      return json(200, { deviceId: device.id, accountStatus: account.status });
    }
    case "POST /devices/:id/restore-credential": {
      if (!device) return json(404, { error: "device not found" });
      world.accountOf(device).status = "active";
      return json(200, { deviceId: device.id, accountStatus: "active" });
    }
    case "POST /faults": {
      const faults = parseFaults(body);
      if (typeof faults === "string") return json(400, { error: faults });
      world.resetRateBuckets();
      if (typeof body.deviceId === "string") {
        const target = world.devices.get(body.deviceId);
        if (!target) return json(404, { error: "device not found" });
        target.faults = { ...target.faults, ...faults };
        return json(200, { deviceId: target.id, faults: target.faults });
      }
      world.globalFaults = { ...world.globalFaults, ...faults };
      return json(200, { faults: world.globalFaults });
    }
    case "DELETE /faults":
      world.resetRateBuckets();
      world.globalFaults = {};
      for (const d of world.devices.values()) d.faults = {};
      return json(200, { faults: {} });
    case "POST /fleet": {
      const count = body.count;
      const seed = body.seed ?? world.options.seed;
      if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 10_000) return json(400, { error: "count must be 1..10000" });
      if (typeof seed !== "number" || !Number.isInteger(seed)) return json(400, { error: "seed must be an integer" });
      return json(201, { devices: world.createFleet(count, seed) });
    }
    default:
      return json(404, { error: "not found" });
  }
}
