// The OEM cloud simulator: one node:http server, each cloud under its own path prefix, an admin API under /_sim/.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin, parseFaults } from "./admin";
import type { DeviceFaults, SimOem } from "./devices";
import type { OemHandler, SimRequest, SimResponse } from "./http-types";
import { handleFoxess } from "./oems/foxess";
import { handleGivenergy } from "./oems/givenergy";
import { handleSigenergy } from "./oems/sigenergy";
import { handleSolis } from "./oems/solis";
import { SimWorld, type CreateDeviceInput, type CreatedDevice, type DeviceSnapshot, type HistorySample, type ReplayOptions } from "./world";
import { ChargerPlatform, type ChargerPlatformOptions } from "./charger-platform/platform";
import { ChargePointFleet, type ChargePointFleetOptions } from "./charge-points/fleet";

export type { CreateDeviceInput, CreatedDevice, DeviceSnapshot, HistorySample, ReplayOptions, SimCredential } from "./world";
export { demoFleetInputs } from "./world";
export type { DeviceFaults, SimOem } from "./devices";
export { DEFAULT_SIM_OAUTH_CLIENT } from "./world";
export type { ChargerPlatform, ChargerPlatformOptions, ChargerSpec, ChargerSnapshot, PlugInOptions, ReceivedProfile } from "./charger-platform/platform";
export type { ChargePointFleet, ChargePointFleetOptions, ChargePointSnapshot, ChargePointSpec, OcppVersion } from "./charge-points/fleet";

/** Path prefix of the partner's charger platform (schedule endpoint: <url>/charger-platform/schedules). */
export const CHARGER_PLATFORM_PREFIX = "/charger-platform";

/** Path prefix of each cloud; an adapter's base URL is the simulator URL plus this. */
export const SIMULATOR_PREFIXES: Record<SimOem, string> = {
  foxess: "/foxess",
  givenergy: "/givenergy/v1",
  solis: "/solis",
  sigenergy: "/sigen",
};

const HANDLERS: Record<SimOem, OemHandler> = {
  foxess: handleFoxess,
  givenergy: handleGivenergy,
  solis: handleSolis,
  sigenergy: handleSigenergy,
};

const MAX_BODY_BYTES = 1_000_000;

export interface SimulatorOptions {
  /** 0 picks a free port. Default 4100. */
  port?: number;
  host?: string;
  /** Seeds noise, injected errors and generated ids. Default 1. */
  seed?: number;
  /** Simulated seconds per real second. Default 1. */
  timeScale?: number;
  /** Real milliseconds between an accepted command and its effect on the device. Default 5000. */
  modeChangeDelayMs?: number;
  /** Simulated instant at start-up. Default now. */
  startAt?: Date;
  /** Lifetime of Sigenergy access tokens in real ms. Default 12 hours. */
  sigenergyTokenTtlMs?: number;
  /** Lifetime of OAuth access tokens issued by issueOauthTokens and the refresh endpoint, in real ms. Default 1 hour. */
  oauthTokenTtlMs?: number;
  /** OAuth clients registered with the FoxESS and GivEnergy clouds. Default: the platform's local client (simulator/oauth.ts). */
  oauthClients?: { clientId: string; clientSecret: string }[];
  /** Global faults at start-up. */
  faults?: DeviceFaults;
  /** Demo fleet to create at start-up. */
  fleet?: { count: number; seed: number };
  /** The partner's charger platform; without it /charger-platform/ answers 404. */
  chargerPlatform?: ChargerPlatformOptions;
  /** Charge points that connect to a central system over OCPP-J themselves; none without it. */
  chargePoints?: ChargePointFleetOptions;
}

export interface SimulatorHandle {
  url: string;
  port: number;
  baseUrls: Record<SimOem, string>;
  stop(): Promise<void>;
  createDevice(input: CreateDeviceInput): CreatedDevice;
  createFleet(count: number, seed?: number): CreatedDevice[];
  listDevices(): DeviceSnapshot[];
  getDevice(deviceId: string): DeviceSnapshot | null;
  /** Merges faults into one device's (deviceId given) or the global set. */
  setFaults(faults: DeviceFaults, deviceId?: string): void;
  resetFaults(): void;
  /** The credential's tokens expire now (FoxESS/GivEnergy/Solis keys stop working; Sigenergy tokens need a new login). */
  expireCredential(deviceId: string): void;
  /** The credential is withdrawn altogether (Sigenergy logins fail too). */
  revokeCredential(deviceId: string): void;
  restoreCredential(deviceId: string): void;
  /**
   * An OAuth access/refresh token pair for the device's GivEnergy or FoxESS account, as a partner would
   * hand it over with token_type Bearer. The access token lives `ttlMs` (default oauthTokenTtlMs).
   */
  issueOauthTokens(deviceId: string, ttlMs?: number): { accessToken: string; refreshToken: string; expiresAt: Date };
  simNow(): Date;
  /** The device's past replayed through its physics (seed scripts backfill telemetry with it); see SimWorld.replayHistory. */
  replayHistory(deviceId: string, options: ReplayOptions): HistorySample[];
  /** Requests answered per cloud since start. */
  requestCounts(): Record<SimOem | "admin", number>;
  /** The charger platform, when configured. */
  chargerPlatform: ChargerPlatform | null;
  /** Its schedule endpoint URL, when configured. */
  scheduleEndpointUrl: string | null;
  /** The direct OCPP charge points, when configured. */
  chargePoints: ChargePointFleet | null;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const world = new SimWorld({
    seed: options.seed ?? 1,
    timeScale: options.timeScale ?? 1,
    modeChangeDelayMs: options.modeChangeDelayMs ?? 5000,
    startAt: (options.startAt ?? new Date()).getTime(),
    sigenergyTokenTtlMs: options.sigenergyTokenTtlMs ?? 12 * 3_600_000,
    oauthTokenTtlMs: options.oauthTokenTtlMs ?? 3_600_000,
    ...(options.oauthClients ? { oauthClients: options.oauthClients } : {}),
    faults: options.faults ?? {},
  });
  if (options.faults) {
    const checked = parseFaults({ ...options.faults });
    if (typeof checked === "string") throw new Error(`invalid faults: ${checked}`);
  }
  if (options.fleet) world.createFleet(options.fleet.count, options.fleet.seed);
  const counts: Record<SimOem | "admin", number> = { foxess: 0, givenergy: 0, solis: 0, sigenergy: 0, admin: 0 };
  const chargerPlatform = options.chargerPlatform ? new ChargerPlatform(options.chargerPlatform, () => world.simNowMs()) : null;

  const server = createServer((req, res) => {
    void serve(world, counts, req, res, chargerPlatform);
  });
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4100, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  chargerPlatform?.start();
  const chargePoints = options.chargePoints ? new ChargePointFleet(options.chargePoints, () => world.simNowMs()) : null;
  await chargePoints?.start();

  const requireDevice = (deviceId: string) => {
    const device = world.devices.get(deviceId);
    if (!device) throw new Error(`unknown simulated device ${deviceId}`);
    return device;
  };

  return {
    url,
    port,
    baseUrls: {
      foxess: `${url}${SIMULATOR_PREFIXES.foxess}`,
      givenergy: `${url}${SIMULATOR_PREFIXES.givenergy}`,
      solis: `${url}${SIMULATOR_PREFIXES.solis}`,
      sigenergy: `${url}${SIMULATOR_PREFIXES.sigenergy}`,
    },
    stop: async () => {
      await chargerPlatform?.stop();
      await chargePoints?.stop();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    createDevice: (input) => world.createDevice(input),
    createFleet: (count, seed) => world.createFleet(count, seed ?? world.options.seed),
    listDevices: () => [...world.devices.values()].map((d) => world.snapshot(d)),
    getDevice: (deviceId) => {
      const device = world.devices.get(deviceId);
      return device ? world.snapshot(device) : null;
    },
    setFaults: (faults, deviceId) => {
      world.resetRateBuckets();
      if (deviceId) {
        const device = requireDevice(deviceId);
        device.faults = { ...device.faults, ...faults };
      } else {
        world.globalFaults = { ...world.globalFaults, ...faults };
      }
    },
    resetFaults: () => {
      world.resetRateBuckets();
      world.globalFaults = {};
      for (const device of world.devices.values()) device.faults = {};
    },
    expireCredential: (deviceId) => {
      world.accountOf(requireDevice(deviceId)).status = "expired";
    },
    revokeCredential: (deviceId) => {
      world.accountOf(requireDevice(deviceId)).status = "revoked";
    },
    restoreCredential: (deviceId) => {
      world.accountOf(requireDevice(deviceId)).status = "active";
    },
    issueOauthTokens: (deviceId, ttlMs) => {
      const device = requireDevice(deviceId);
      if (device.oem !== "givenergy" && device.oem !== "foxess") throw new Error("OAuth tokens are simulated for FoxESS and GivEnergy accounts only");
      const issued = world.issueOauthTokens(device.accountKey, ttlMs ?? world.options.oauthTokenTtlMs ?? 3_600_000);
      return { accessToken: issued.accessToken, refreshToken: issued.refreshToken, expiresAt: new Date(Date.now() + issued.expiresInSeconds * 1000) };
    },
    simNow: () => new Date(world.simNowMs()),
    replayHistory: (deviceId, options) => world.replayHistory(requireDevice(deviceId), options),
    requestCounts: () => ({ ...counts }),
    chargerPlatform,
    scheduleEndpointUrl: chargerPlatform ? `${url}${CHARGER_PLATFORM_PREFIX}/schedules` : null,
    chargePoints,
  };
}

async function serve(
  world: SimWorld,
  counts: Record<SimOem | "admin", number>,
  req: IncomingMessage,
  res: ServerResponse,
  chargerPlatform: ChargerPlatform | null,
): Promise<void> {
  try {
    const rawBody = await readBody(req);
    const parsed = new URL(req.url ?? "/", "http://simulator.local");
    if (parsed.pathname.startsWith(`${CHARGER_PLATFORM_PREFIX}/`)) {
      if (!chargerPlatform) return send(res, { status: 404, body: { error: "the charger platform is not configured" } });
      const request: SimRequest = {
        method: (req.method ?? "GET").toUpperCase(),
        path: parsed.pathname.slice(CHARGER_PLATFORM_PREFIX.length),
        query: parsed.searchParams,
        headers: req.headers,
        rawBody,
      };
      return send(res, await chargerPlatform.handle(request));
    }
    const target = route(parsed.pathname);
    if (!target) return send(res, { status: 404, body: { error: "no simulated cloud at this path" } });
    const request: SimRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: target.path,
      query: parsed.searchParams,
      headers: req.headers,
      rawBody,
    };
    counts[target.name] += 1;
    const response = target.name === "admin" ? handleAdmin(request, world) : await HANDLERS[target.name](request, world);
    send(res, response);
  } catch (error) {
    const tooLarge = error instanceof Error && error.message === "body too large";
    send(res, { status: tooLarge ? 413 : 500, body: { error: tooLarge ? "body too large" : "simulator error" } });
    if (!tooLarge) console.error("simulator error", error);
  }
}

function route(pathname: string): { name: SimOem | "admin"; path: string } | null {
  if (pathname === "/_sim" || pathname.startsWith("/_sim/")) return { name: "admin", path: pathname.slice("/_sim".length) || "/" };
  for (const [name, prefix] of Object.entries(SIMULATOR_PREFIXES) as Array<[SimOem, string]>) {
    if (pathname.startsWith(`${prefix}/`)) return { name, path: pathname.slice(prefix.length) };
  }
  return null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, response: SimResponse): void {
  if (res.headersSent) return;
  // Pages and redirects (the OAuth authorize page) carry their own content type and a text body.
  const payload = typeof response.body === "string" && response.headers?.["content-type"] !== undefined ? response.body : JSON.stringify(response.body);
  res.writeHead(response.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...response.headers,
  });
  res.end(payload);
}
