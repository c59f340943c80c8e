import { randomBytes } from "node:crypto";
// The simulated world: devices, the accounts that own them, the clock, faults and rate limits.
import { stepBattery, type Behaviour } from "./battery-model";
import {
  behaviourAt,
  dischargeFloorPct,
  GIVENERGY_SETTING_NAMES,
  SIGENERGY_MODES,
  SIM_OEMS,
  SOLIS_CID,
  SOLIS_MODE_BITS,
  type DeviceFaults,
  type NativeSettings,
  type SimDevice,
  type SimOem,
} from "./devices";
import { householdLoadKw, londonMinuteOfDay, solarGenerationKw, type HouseholdProfile } from "./profiles";
import { createRng, hashToHex, hashToUnit } from "./random";

export type SimCredential =
  | { oem: "foxess"; apiKey: string }
  | { oem: "givenergy"; apiKey: string }
  | { oem: "solis"; keyId: string; keySecret: string }
  | { oem: "sigenergy"; appKey: string; appSecret: string };

/** An application registered for OAuth with the simulated FoxESS and GivEnergy clouds. */
export interface SimOauthClient {
  clientId: string;
  clientSecret: string;
}

/** The client the simulated clouds know unless told otherwise: the platform's local registration. */
export const DEFAULT_SIM_OAUTH_CLIENT: SimOauthClient = { clientId: "flexfleet-local", clientSecret: "flexfleet-local-secret" };

export interface SimAccount {
  oem: SimOem;
  /** The public half of the credential: API key, Solis keyId or Sigenergy appKey. */
  key: string;
  secret: string | null;
  status: "active" | "expired" | "revoked";
  deviceIds: string[];
}

export interface CreateDeviceInput {
  oem: SimOem;
  /** Makes ids and credentials deterministic; defaults to the simulator seed and a counter. */
  key?: string;
  capacityKwh?: number;
  ratedPowerKw?: number;
  solarKwp?: number;
  socPct?: number;
  dischargeFloorPct?: number;
}

export interface CreatedDevice {
  oem: SimOem;
  /** Serial number (FoxESS, GivEnergy, Solis) or system id (Sigenergy). */
  deviceId: string;
  credential: SimCredential;
  capacityKwh: number;
  ratedPowerKw: number;
  solarKwp: number;
}

export interface DeviceSnapshot extends CreatedDevice {
  model: string;
  simTime: string;
  socPct: number;
  batteryKw: number;
  gridKw: number;
  solarKw: number;
  loadKw: number;
  dischargeFloorPct: number;
  behaviour: string;
  native: NativeSettings;
  pendingChanges: string[];
  accountStatus: SimAccount["status"];
  faults: DeviceFaults;
}

/** One observation of a replayed past: what telemetry would have shown at `atMs`. */
export interface HistorySample {
  atMs: number;
  socPct: number;
  batteryKw: number;
  gridKw: number;
  solarKw: number;
  loadKw: number;
  behaviour: Behaviour["kind"];
  dischargeFloorPct: number;
}

export interface ReplayOptions {
  fromMs: number;
  toMs: number;
  /** One sample per this many ms (a multiple of a minute reads best). */
  sampleEveryMs: number;
  /** SoC at `fromMs`; defaults to the device's seeded SoC. */
  startSocPct?: number;
  /** Windows in which the battery was commanded (a past grid event): this behaviour instead of its settings. */
  overrides?: readonly { fromMs: number; toMs: number; behaviour: Behaviour }[];
  /** When the window ends now: the live device carries on from the replayed SoC, so history and live state join up. */
  continueLive?: boolean;
}

export interface WorldOptions {
  seed: number;
  timeScale: number;
  modeChangeDelayMs: number;
  startAt: number;
  sigenergyTokenTtlMs: number;
  /** Lifetime of OAuth access tokens (GivEnergy Bearer path) in real ms. Default 1 hour. */
  oauthTokenTtlMs?: number;
  /** OAuth clients the clouds know; default the platform's local registration. */
  oauthClients?: SimOauthClient[];
  faults: DeviceFaults;
}

const MAX_STEP_MS = 60_000;

export class SimWorld {
  readonly devices = new Map<string, SimDevice>();
  readonly accounts = new Map<string, SimAccount>();
  readonly sigenergyTokens = new Map<string, { accountKey: string; expiresAtRealMs: number }>();
  /** OAuth bearer tokens issued for GivEnergy accounts (the platform's Bearer + refresh-token path). */
  readonly oauthAccessTokens = new Map<string, { accountKey: string; expiresAtRealMs: number }>();
  readonly oauthRefreshTokens = new Map<string, { accountKey: string }>();
  /** Authorization codes waiting to be exchanged (single use). */
  readonly oauthCodes = new Map<string, { accountKey: string; clientId: string; redirectUri: string; expiresAtRealMs: number }>();
  /** OAuth clients registered with the simulated clouds (FoxESS and GivEnergy). */
  readonly oauthClients: SimOauthClient[];
  globalFaults: DeviceFaults;
  private readonly realStartMs = Date.now();
  private readonly random: () => number;
  private readonly buckets = new Map<string, { tokens: number; lastMs: number }>();
  private counter = 0;

  constructor(readonly options: WorldOptions) {
    this.globalFaults = { ...options.faults };
    this.oauthClients = options.oauthClients ?? [DEFAULT_SIM_OAUTH_CLIENT];
    this.random = createRng(options.seed ^ 0x5eed);
  }

  simNowMs(realMs = Date.now()): number {
    return this.options.startAt + (realMs - this.realStartMs) * this.options.timeScale;
  }

  chance(probability: number): boolean {
    return probability > 0 && this.random() < probability;
  }

  effectiveFaults(device: SimDevice | null): DeviceFaults {
    return device ? { ...this.globalFaults, ...device.faults } : { ...this.globalFaults };
  }

  /** New limits start from full buckets. */
  resetRateBuckets(): void {
    this.buckets.clear();
  }

  /** Token bucket per key; answers how long to wait when the bucket is empty. */
  takeRateToken(key: string, limit: { requestsPerSecond: number; burst: number }): { allowed: boolean; retryAfterMs: number } {
    const now = Date.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, lastMs: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.lastMs) / 1000) * limit.requestsPerSecond);
    bucket.lastMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterMs: 0 };
    }
    return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / limit.requestsPerSecond) * 1000) };
  }

  /** Issues an OAuth access/refresh token pair for an account; the access token lives `ttlMs` real ms. */
  issueOauthTokens(accountKey: string, ttlMs: number): { accessToken: string; refreshToken: string; expiresInSeconds: number } {
    const accessToken = `sim-at-${randomBytes(24).toString("hex")}`;
    const refreshToken = `sim-rt-${randomBytes(24).toString("hex")}`;
    this.oauthAccessTokens.set(accessToken, { accountKey, expiresAtRealMs: Date.now() + ttlMs });
    this.oauthRefreshTokens.set(refreshToken, { accountKey });
    return { accessToken, refreshToken, expiresInSeconds: Math.max(1, Math.floor(ttlMs / 1000)) };
  }

  /** Exchanges a refresh token (single use: it rotates) for a new pair; null when unknown, used or the account is revoked. */
  refreshOauthTokens(refreshToken: string, ttlMs: number): { accessToken: string; refreshToken: string; expiresInSeconds: number } | null {
    const grant = this.oauthRefreshTokens.get(refreshToken);
    if (!grant) return null;
    this.oauthRefreshTokens.delete(refreshToken);
    const account = this.accounts.get(grant.accountKey);
    if (!account || account.status === "revoked") return null;
    return this.issueOauthTokens(grant.accountKey, ttlMs);
  }

  createDevice(input: CreateDeviceInput): CreatedDevice {
    const key = input.key ?? `device:${this.options.seed}:${this.counter++}`;
    const id = deviceIdFor(input.oem, key);
    const existing = this.devices.get(id);
    if (existing) return describeCreated(existing, this.accountOf(existing));
    const unit = (salt: string): number => hashToUnit(key, salt);
    const capacityKwh = input.capacityKwh ?? [5.2, 8.2, 9.5, 10.4, 13.5][Math.floor(unit("capacity") * 5)] ?? 9.5;
    const ratedPowerKw = input.ratedPowerKw ?? (capacityKwh >= 9 ? 5 : 3.6);
    const solarKwp = input.solarKwp ?? (unit("solar") < 0.2 ? 0 : Math.round((2.5 + unit("kwp") * 4) * 10) / 10);
    const floor = input.dischargeFloorPct ?? 10;
    const profile: HouseholdProfile = {
      baseLoadKw: Math.round((0.2 + unit("base") * 0.3) * 100) / 100,
      eveningPeakKw: Math.round((1 + unit("peak") * 1.5) * 100) / 100,
      solarKwp,
      noiseKey: `${this.options.seed}:${id}`,
    };
    const credential = credentialFor(input.oem, key);
    const accountKey = credentialKey(credential);
    const native = initialNative(input.oem, floor, unit("family"));
    const device: SimDevice = {
      id,
      oem: input.oem,
      accountKey,
      model: modelFor(native),
      capacityKwh,
      ratedPowerKw,
      profile,
      socPct: input.socPct ?? Math.round(20 + unit("soc") * 60),
      batteryKw: 0,
      gridKw: 0,
      solarKw: 0,
      loadKw: 0,
      simMs: this.simNowMs(),
      native,
      pending: [],
      faults: {},
    };
    this.devices.set(id, device);
    this.accounts.set(accountKey, {
      oem: input.oem,
      key: accountKey,
      secret: credentialSecret(credential),
      status: "active",
      deviceIds: [id],
    });
    this.advance(device, device.simMs);
    return describeCreated(device, this.accountOf(device));
  }

  /** A fleet spread round-robin over the four OEMs; the same count and seed always give the same devices. */
  createFleet(count: number, seed: number): CreatedDevice[] {
    return demoFleetInputs(count, seed).map((input) => this.createDevice(input));
  }

  accountOf(device: SimDevice): SimAccount {
    const account = this.accounts.get(device.accountKey);
    if (!account) throw new Error(`account missing for ${device.id}`);
    return account;
  }

  devicesOf(account: SimAccount): SimDevice[] {
    return account.deviceIds.flatMap((id) => {
      const device = this.devices.get(id);
      return device ? [device] : [];
    });
  }

  /** Brings a device up to now: applies due mode changes at the instant they land, then integrates. */
  touch(device: SimDevice): SimDevice {
    const realNow = Date.now();
    device.pending.sort((a, b) => a.applyAtRealMs - b.applyAtRealMs);
    while (device.pending.length > 0) {
      const next = device.pending[0];
      if (!next || next.applyAtRealMs > realNow) break;
      this.advance(device, this.simNowMs(next.applyAtRealMs));
      next.apply(device.native);
      device.pending.shift();
    }
    this.advance(device, this.simNowMs(realNow));
    return device;
  }

  /** Queues a settings change; it lands after the configured delay unless the device ignores commands. */
  command(device: SimDevice, description: string, apply: (native: NativeSettings) => void): void {
    this.touch(device);
    if (this.effectiveFaults(device).ignoreCommands) return;
    device.pending.push({ applyAtRealMs: Date.now() + this.options.modeChangeDelayMs, apply, description });
    if (this.options.modeChangeDelayMs <= 0) this.touch(device);
  }

  private advance(device: SimDevice, untilSimMs: number): void {
    if (untilSimMs < device.simMs) return;
    let cursor = device.simMs;
    do {
      const stepEnd = Math.min(untilSimMs, cursor + MAX_STEP_MS);
      const dtHours = (stepEnd - cursor) / 3_600_000;
      const loadKw = householdLoadKw(device.profile, stepEnd);
      const solarKw = solarGenerationKw(device.profile, stepEnd);
      const behaviour = behaviourAt(device, londonMinuteOfDay(stepEnd));
      const result = stepBattery(
        { capacityKwh: device.capacityKwh, ratedPowerKw: device.ratedPowerKw, dischargeFloorPct: dischargeFloorPct(device.native) },
        device.socPct,
        behaviour,
        loadKw,
        solarKw,
        dtHours,
      );
      device.socPct = result.socPct;
      device.batteryKw = result.batteryKw;
      device.gridKw = result.gridKw;
      device.loadKw = loadKw;
      device.solarKw = solarKw;
      cursor = stepEnd;
    } while (cursor < untilSimMs);
    device.simMs = untilSimMs;
  }

  /**
   * The device's past as its physics would have run it (same household, solar, settings and floor),
   * on a copy of its state: a week of history for a fresh demo without waiting a week.
   */
  replayHistory(device: SimDevice, options: ReplayOptions): HistorySample[] {
    const physics = { capacityKwh: device.capacityKwh, ratedPowerKw: device.ratedPowerKw, dischargeFloorPct: dischargeFloorPct(device.native) };
    const samples: HistorySample[] = [];
    let socPct = options.startSocPct ?? device.socPct;
    let nextSampleMs = options.fromMs;
    for (let cursor = options.fromMs; cursor < options.toMs; ) {
      const stepEnd = Math.min(options.toMs, cursor + MAX_STEP_MS);
      const override = options.overrides?.find((o) => cursor >= o.fromMs && cursor < o.toMs);
      const behaviour = override?.behaviour ?? behaviourAt(device, londonMinuteOfDay(stepEnd));
      const loadKw = householdLoadKw(device.profile, stepEnd);
      const solarKw = solarGenerationKw(device.profile, stepEnd);
      const result = stepBattery(physics, socPct, behaviour, loadKw, solarKw, (stepEnd - cursor) / 3_600_000);
      socPct = result.socPct;
      if (stepEnd >= nextSampleMs) {
        samples.push({
          atMs: stepEnd,
          socPct: Math.round(socPct * 100) / 100,
          batteryKw: result.batteryKw,
          gridKw: result.gridKw,
          solarKw: Math.round(solarKw * 1000) / 1000,
          loadKw: Math.round(loadKw * 1000) / 1000,
          behaviour: behaviour.kind,
          dischargeFloorPct: physics.dischargeFloorPct,
        });
        nextSampleMs = stepEnd + options.sampleEveryMs;
      }
      cursor = stepEnd;
    }
    if (options.continueLive) {
      this.touch(device);
      device.socPct = socPct;
    }
    return samples;
  }

  snapshot(device: SimDevice): DeviceSnapshot {
    this.touch(device);
    const account = this.accountOf(device);
    return {
      ...describeCreated(device, account),
      model: device.model,
      simTime: new Date(device.simMs).toISOString(),
      socPct: Math.round(device.socPct * 100) / 100,
      batteryKw: device.batteryKw,
      gridKw: device.gridKw,
      solarKw: device.solarKw,
      loadKw: device.loadKw,
      dischargeFloorPct: dischargeFloorPct(device.native),
      behaviour: behaviourAt(device, londonMinuteOfDay(device.simMs)).kind,
      native: structuredClone(device.native),
      pendingChanges: device.pending.map((p) => p.description),
      accountStatus: account.status,
      faults: { ...device.faults },
    };
  }
}

export function demoFleetInputs(count: number, seed: number): CreateDeviceInput[] {
  return Array.from({ length: count }, (_, index) => ({
    oem: SIM_OEMS[index % SIM_OEMS.length] ?? "foxess",
    key: `fleet:${seed}:${index}`,
  }));
}

function deviceIdFor(oem: SimOem, key: string): string {
  const hex = hashToHex(10, oem, key, "id").toUpperCase();
  switch (oem) {
    case "foxess":
      return `60BH${hex}`;
    case "givenergy":
      return `CE${hex.slice(0, 8)}`;
    case "solis":
      return `110${String(Math.floor(hashToUnit(key, "solis-sn") * 1e12)).padStart(12, "0")}`;
    case "sigenergy":
      return `SIG${hex}`;
  }
}

function credentialFor(oem: SimOem, key: string): SimCredential {
  switch (oem) {
    case "foxess": {
      const h = hashToHex(32, "foxess-key", key);
      return { oem, apiKey: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` };
    }
    case "givenergy":
      return { oem, apiKey: `ge_${hashToHex(48, "givenergy-key", key)}` };
    case "solis":
      return {
        oem,
        keyId: `13${String(Math.floor(hashToUnit(key, "solis-key") * 1e9)).padStart(9, "0")}${String(Math.floor(hashToUnit(key, "solis-key2") * 1e8)).padStart(8, "0")}`,
        keySecret: hashToHex(32, "solis-secret", key),
      };
    case "sigenergy":
      return { oem, appKey: `sigen${hashToHex(16, "sigen-key", key)}`, appSecret: hashToHex(32, "sigen-secret", key) };
  }
}

export function credentialKey(credential: SimCredential): string {
  switch (credential.oem) {
    case "foxess":
    case "givenergy":
      return credential.apiKey;
    case "solis":
      return credential.keyId;
    case "sigenergy":
      return credential.appKey;
  }
}

function credentialSecret(credential: SimCredential): string | null {
  switch (credential.oem) {
    case "foxess":
    case "givenergy":
      return null;
    case "solis":
      return credential.keySecret;
    case "sigenergy":
      return credential.appSecret;
  }
}

function rebuildCredential(oem: SimOem, account: SimAccount): SimCredential {
  switch (oem) {
    case "foxess":
    case "givenergy":
      return { oem, apiKey: account.key };
    case "solis":
      return { oem, keyId: account.key, keySecret: account.secret ?? "" };
    case "sigenergy":
      return { oem, appKey: account.key, appSecret: account.secret ?? "" };
  }
}

function describeCreated(device: SimDevice, account: SimAccount): CreatedDevice {
  return {
    oem: device.oem,
    deviceId: device.id,
    credential: rebuildCredential(device.oem, account),
    capacityKwh: device.capacityKwh,
    ratedPowerKw: device.ratedPowerKw,
    solarKwp: device.profile.solarKwp,
  };
}

function initialNative(oem: SimOem, floorPct: number, familyUnit: number): NativeSettings {
  switch (oem) {
    case "foxess":
      return { oem, baseWorkMode: "SelfUse", minSoc: floorPct, minSocOnGrid: floorPct, schedulerEnabled: false, groups: [] };
    case "givenergy": {
      const values = Object.fromEntries(GIVENERGY_SETTING_NAMES.map((name) => [name, ""])) as Record<
        (typeof GIVENERGY_SETTING_NAMES)[number],
        boolean | number | string
      >;
      Object.assign(values, {
        "Enable Eco Mode": true,
        "AC Charge Enable": false,
        "AC Charge 1 Start Time": "00:30",
        "AC Charge 1 End Time": "04:30",
        "Enable DC Discharge": false,
        "DC Discharge 1 Start Time": "00:00",
        "DC Discharge 1 End Time": "00:00",
        "Battery Reserve % Limit": floorPct,
        "AC Charge Upper % Limit": 100,
      });
      return { oem, family: familyUnit < 0.5 ? "hybrid" : "aio", values };
    }
    case "solis":
      return {
        oem,
        cids: {
          [SOLIS_CID.storageMode]: String(SOLIS_MODE_BITS.selfUse | SOLIS_MODE_BITS.gridCharge),
          [SOLIS_CID.reserveSoc]: String(floorPct),
          [SOLIS_CID.chargeSlot1]: "00:00-00:00",
          [SOLIS_CID.dischargeSlot1]: "00:00-00:00",
        },
      };
    case "sigenergy":
      return { oem, energyStorageOperationMode: SIGENERGY_MODES.maximumSelfConsumption, dischargeCutOffSoc: floorPct, onboarded: false };
  }
}

function modelFor(native: NativeSettings): string {
  switch (native.oem) {
    case "foxess":
      return "H1-5.0-E";
    case "givenergy":
      return native.family === "hybrid" ? "GIV-HY5.0" : "GIV-AIO";
    case "solis":
      return "RHI-3.6K-48ES-5G";
    case "sigenergy":
      return "SigenStor EC 5.0 SP";
  }
}
