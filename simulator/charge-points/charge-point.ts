// A home charge point that speaks OCPP-J (1.6 or 2.0.1) to a central system over a WebSocket, with a
// simulated EV. The protocol client is ocpp-rpc's RPCClient in strict mode, so every message it sends
// and every command it answers is checked against the official JSON schemas.
//
// The charge point reconciles rather than queues: whatever happened while it was offline (a car
// arriving or leaving, a status change) is reported by comparing what the central system was last
// told with the local state, once the connection is back.
import { randomUUID } from "node:crypto";
import { RPCClient } from "ocpp-rpc";
import type { IHandlersOption } from "ocpp-rpc";
import { isRecord } from "../http-types";
import { nextProfileBoundaryMs, parseSetChargingProfile, profileLimitKwAt, type NormalisedChargingProfile } from "../charger-platform/ocpp-profile";
import { visitAt } from "../charger-platform/patterns";
import {
  bootNotification,
  compositeScheduleResponse,
  meterValues16,
  startTransaction16,
  statusNotification,
  stopTransaction16,
  SUBPROTOCOL,
  transactionEvent201,
  type CompositePeriod,
  type ConnectorState,
  type Identity,
  type MeterSample,
  type OcppVersion,
} from "./messages";

const MAX_STEP_MS = 60_000;
/** Profiles a connector keeps, by purpose; the lowest of the max profile and the transaction's applies. */
const MAX_PURPOSES = new Set(["ChargePointMaxProfile", "ChargingStationMaxProfile"]);
const TX_PURPOSES = new Set(["TxProfile", "TxDefaultProfile"]);

export interface ChargePointSpec {
  /** The charge point id in the URL (…/ocpp/{id}) and the HTTP Basic user name. */
  id: string;
  /** HTTP Basic password (OCPP security profile 1/2); none sends no Authorization header. */
  password?: string;
  ocppVersion: OcppVersion;
  powerKw?: number;
  connectorId?: number;
  /** Answers every SetChargingProfile with Rejected when false. Default true. */
  acceptsProfiles?: boolean;
  /** Drops its connection this often (real ms) and reconnects after reconnectDelayMs. Default never. */
  dropConnectionEveryMs?: number;
  /** Follow the daily plug-in pattern. Default: the fleet's autoPlug. */
  autoPlug?: boolean;
  vendor?: string;
  model?: string;
  firmwareVersion?: string;
  /** The id tag (1.6) or id token (2.0.1) the driver presents. */
  idTag?: string;
}

export interface ChargePointTiming {
  /** Real ms between meter values while a transaction runs. */
  meterValueIntervalMs: number;
  /** Real ms between heartbeats; null follows the interval the central system answers at boot. */
  heartbeatIntervalMs: number | null;
  /** Real ms before reconnecting after a drop or a refused connection. */
  reconnectDelayMs: number;
  /** Real ms an OCPP call may take. */
  callTimeoutMs: number;
}

interface Session {
  pluggedInAtMs: number;
  requiredKwh: number;
  deliveredKwh: number;
  fromPattern: boolean;
  plannedOutAtMs: number | null;
  meterStartWh: number;
  /** Set once the central system knows of the transaction (1.6: its number; 2.0.1: ours). */
  transactionId: string | null;
  seqNo: number;
}

export interface ChargePointSnapshot {
  id: string;
  ocppVersion: OcppVersion;
  connected: boolean;
  /** The central system's answer to the last BootNotification (Accepted, Pending, Rejected), null before one. */
  bootStatus: string | null;
  acceptsProfiles: boolean;
  dropsConnection: boolean;
  powerKw: number;
  pluggedIn: boolean;
  chargingKw: number;
  transactionId: string | null;
  session: { pluggedInAt: string; requiredKwh: number; deliveredKwh: number } | null;
  registerWh: number;
  /** Profiles in force by purpose, with their id. */
  profiles: Array<{ purpose: string; profileId: number; periods: number }>;
  counts: { heartbeats: number; meterValues: number; profilesAccepted: number; profilesRejected: number; connections: number; drops: number };
  lastError: string | null;
}

export interface PlugInOptions {
  energyRequiredKwh?: number;
}

type Handler = (call: IHandlersOption) => Promise<Record<string, unknown>>;

export class SimulatedChargePoint {
  readonly spec: Required<Omit<ChargePointSpec, "password" | "dropConnectionEveryMs">> & Pick<ChargePointSpec, "password" | "dropConnectionEveryMs">;
  private client: InstanceType<typeof RPCClient> | null = null;
  private connected = false;
  private stopped = true;
  private bootStatus: string | null = null;
  private heartbeatMs: number | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private session: Session | null = null;
  private registerWh = 0;
  private lastStepMs: number;
  private readonly profiles = new Map<string, NormalisedChargingProfile>();
  /** What the central system was last told about the connector; null forces a new StatusNotification. */
  private reportedState: ConnectorState | null = null;
  /** A 1.6 transaction still to be stopped (its session is gone locally). */
  private unreportedStop: { transactionId: string; meterStopWh: number; atMs: number; seqNo: number } | null = null;
  private syncing: Promise<void> = Promise.resolve();
  private lastError: string | null = null;
  private readonly counts = { heartbeats: 0, meterValues: 0, profilesAccepted: 0, profilesRejected: 0, connections: 0, drops: 0 };

  constructor(
    spec: ChargePointSpec,
    private readonly centralSystemUrl: string,
    private readonly simNowMs: () => number,
    private readonly timing: ChargePointTiming,
    autoPlugDefault: boolean,
  ) {
    this.spec = {
      id: spec.id,
      ocppVersion: spec.ocppVersion,
      powerKw: spec.powerKw ?? 7.4,
      connectorId: spec.connectorId ?? 1,
      acceptsProfiles: spec.acceptsProfiles ?? true,
      autoPlug: spec.autoPlug ?? autoPlugDefault,
      vendor: spec.vendor ?? "Flexfleet Simulated",
      model: spec.model ?? (spec.ocppVersion === "1.6" ? "HomeCharge 16" : "HomeCharge 201"),
      firmwareVersion: spec.firmwareVersion ?? "1.4.2",
      idTag: spec.idTag ?? `TAG${spec.id.replace(/[^A-Za-z0-9]/g, "").slice(-12).toUpperCase()}`,
      ...(spec.password === undefined ? {} : { password: spec.password }),
      ...(spec.dropConnectionEveryMs === undefined ? {} : { dropConnectionEveryMs: spec.dropConnectionEveryMs }),
    };
    this.lastStepMs = simNowMs();
  }

  /** Connects (and keeps reconnecting) until stop(). Resolves after the first attempt, connected or not. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.spec.dropConnectionEveryMs) this.every(this.spec.dropConnectionEveryMs, () => void this.drop());
    this.every(this.timing.meterValueIntervalMs, () => void this.sync(() => this.sendMeterValues()));
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // Stopping is a power cut: the next start boots again.
    this.heartbeatMs = null;
    this.bootStatus = null;
    const client = this.client;
    this.client = null;
    this.connected = false;
    await client?.close({ force: true }).catch(() => undefined);
    await this.syncing;
  }

  /** A vehicle plugs in; the transaction starts at once when connected, otherwise on reconnect. */
  plugIn(options: PlugInOptions = {}): Promise<void> {
    this.advance(this.simNowMs());
    if (!this.session) this.session = this.newSession(options.energyRequiredKwh ?? 20, false, null);
    return this.sync(() => this.reconcile());
  }

  /** The vehicle leaves; its profiles for the transaction go with it, as a charger discards them at the end of a transaction. */
  plugOut(): Promise<void> {
    this.advance(this.simNowMs());
    this.endSession();
    return this.sync(() => this.reconcile());
  }

  /** One step of the simulated world: follow the daily pattern, then report what changed. */
  tick(): Promise<void> {
    const now = this.simNowMs();
    this.advance(now);
    if (this.spec.autoPlug) {
      const visit = visitAt(this.spec.id, now);
      if (visit && !this.session) this.session = this.newSession(visit.energyRequiredKwh, true, visit.pluggedOutAtMs);
      else if (this.session?.fromPattern && (!visit || (this.session.plannedOutAtMs !== null && now >= this.session.plannedOutAtMs))) this.endSession();
    }
    return this.sync(() => this.reconcile());
  }

  /** Drops the connection as a flaky mobile link would; it comes back after reconnectDelayMs. */
  async drop(): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) return;
    this.counts.drops += 1;
    await client.close({ force: true }).catch(() => undefined);
  }

  snapshot(): ChargePointSnapshot {
    this.advance(this.simNowMs());
    const session = this.session;
    return {
      id: this.spec.id,
      ocppVersion: this.spec.ocppVersion,
      connected: this.connected,
      bootStatus: this.bootStatus,
      acceptsProfiles: this.spec.acceptsProfiles,
      dropsConnection: this.spec.dropConnectionEveryMs !== undefined,
      powerKw: this.spec.powerKw,
      pluggedIn: session !== null,
      chargingKw: Math.round(this.currentKw(this.simNowMs()) * 1000) / 1000,
      transactionId: session?.transactionId ?? null,
      session: session ? { pluggedInAt: new Date(session.pluggedInAtMs).toISOString(), requiredKwh: session.requiredKwh, deliveredKwh: Math.round(session.deliveredKwh * 1000) / 1000 } : null,
      registerWh: Math.round(this.registerWh),
      profiles: [...this.profiles.values()].map((p) => ({ purpose: p.purpose, profileId: p.profileId, periods: p.periods.length })),
      counts: { ...this.counts },
      lastError: this.lastError,
    };
  }

  /** The power drawn at an instant: the profiles' limit (full power without one), nothing once the car has what it needs. */
  currentKw(atMs: number): number {
    const session = this.session;
    if (!session || session.deliveredKwh >= session.requiredKwh - 1e-9) return 0;
    return this.limitKwAt(atMs);
  }

  // --- connection -------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new RPCClient({
      endpoint: this.centralSystemUrl.replace(/\/+$/, ""),
      identity: this.spec.id,
      protocols: [SUBPROTOCOL[this.spec.ocppVersion]],
      strictMode: true,
      reconnect: false,
      callTimeoutMs: this.timing.callTimeoutMs,
      // A home charger's link is quiet; the central system pings if it wants to.
      pingIntervalMs: 0,
      ...(this.spec.password === undefined ? {} : { password: this.spec.password }),
    } as ConstructorParameters<typeof RPCClient>[0]);
    for (const [method, handler] of Object.entries(this.handlers())) client.handle(method, handler);
    client.on("close", () => {
      if (this.client !== client) return;
      this.connected = false;
      this.client = null;
      this.scheduleReconnect();
    });
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      if (this.client === client) this.client = null;
      this.lastError = `connection refused: ${describe(error)}`;
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await client.close({ force: true }).catch(() => undefined);
      return;
    }
    this.connected = true;
    this.counts.connections += 1;
    this.lastError = null;
    // After a reconnect the central system may have lost track: report the connector again.
    this.reportedState = null;
    await this.sync(() => this.reconcile());
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.after(this.timing.reconnectDelayMs, () => void this.connect());
  }

  private async call(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const client = this.client;
    if (!client || !this.connected) throw new Error("not connected");
    const response = await client.call(method, params);
    return isRecord(response) ? response : {};
  }

  /** Runs protocol work one piece at a time, so a plug-out never overtakes its plug-in. */
  private sync(work: () => Promise<void>): Promise<void> {
    const next = this.syncing.then(work).catch((error: unknown) => {
      this.lastError = describe(error);
    });
    this.syncing = next;
    return next;
  }

  // --- reporting --------------------------------------------------------------------------------

  private async reconcile(): Promise<void> {
    if (!this.connected) return;
    if (this.bootStatus !== "Accepted") {
      await this.boot();
      if (this.bootStatus !== "Accepted") return;
    }
    const now = this.simNowMs();
    this.advance(now);
    const version = this.spec.ocppVersion;
    if (this.unreportedStop) {
      const stop = this.unreportedStop;
      if (version === "1.6") {
        await this.call("StopTransaction", stopTransaction16(Number(stop.transactionId), this.spec.idTag, stop.meterStopWh, stop.atMs));
      } else {
        await this.call("TransactionEvent", transactionEvent201({ eventType: "Ended", transactionId: stop.transactionId, seqNo: stop.seqNo, connectorId: this.spec.connectorId, state: "available", idToken: this.spec.idTag, sample: { timestampMs: stop.atMs, registerWh: stop.meterStopWh, powerW: 0 } }));
      }
      this.unreportedStop = null;
    }
    const session = this.session;
    if (session && session.transactionId === null) {
      // A cable goes in before a transaction starts: Preparing (1.6) or Occupied (2.0.1) first, as a real charger reports it.
      if (this.reportedState === null || this.reportedState === "available") {
        await this.call("StatusNotification", statusNotification(version, this.spec.connectorId, "plugged", now));
        this.reportedState = "plugged";
      }
      await this.startTransaction(session, now);
    }
    const state = this.connectorState(now);
    if (state !== this.reportedState) {
      await this.call("StatusNotification", statusNotification(version, this.spec.connectorId, state, now));
      this.reportedState = state;
    }
  }

  private async boot(): Promise<void> {
    const identity: Identity = { vendor: this.spec.vendor, model: this.spec.model, serialNumber: `SIM-${this.spec.id}`.slice(0, 25), firmwareVersion: this.spec.firmwareVersion };
    const response = await this.call("BootNotification", bootNotification(this.spec.ocppVersion, identity));
    this.bootStatus = typeof response.status === "string" ? response.status : null;
    const intervalSeconds = typeof response.interval === "number" && response.interval > 0 ? response.interval : 300;
    if (this.bootStatus === "Accepted") {
      this.startHeartbeats(this.timing.heartbeatIntervalMs ?? intervalSeconds * 1000);
    } else {
      // Pending or Rejected: ask again after the interval the central system named.
      this.after(intervalSeconds * 1000, () => void this.sync(() => this.reconcile()));
    }
  }

  private startHeartbeats(intervalMs: number): void {
    if (this.heartbeatMs !== null) return;
    this.heartbeatMs = intervalMs;
    this.every(intervalMs, () => {
      if (!this.connected || this.bootStatus !== "Accepted") return;
      void this.call("Heartbeat", {})
        .then(() => {
          this.counts.heartbeats += 1;
        })
        .catch((error: unknown) => {
          this.lastError = `heartbeat: ${describe(error)}`;
        });
    });
  }

  private async startTransaction(session: Session, now: number): Promise<void> {
    if (this.spec.ocppVersion === "1.6") {
      const response = await this.call("StartTransaction", startTransaction16(this.spec.connectorId, this.spec.idTag, session.meterStartWh, now));
      if (typeof response.transactionId !== "number") throw new Error("StartTransaction answered without a transaction id");
      // The session may have ended while the call was out; its stop is then reported next.
      if (this.session === session) session.transactionId = String(response.transactionId);
      else this.unreportedStop = { transactionId: String(response.transactionId), meterStopWh: this.registerWh, atMs: now, seqNo: 0 };
      return;
    }
    const transactionId = randomUUID();
    session.transactionId = transactionId;
    await this.call(
      "TransactionEvent",
      transactionEvent201({ eventType: "Started", transactionId, seqNo: session.seqNo++, connectorId: this.spec.connectorId, state: this.connectorState(now), idToken: this.spec.idTag, sample: this.sample(now) }),
    );
  }

  private async sendMeterValues(): Promise<void> {
    const session = this.session;
    if (!this.connected || !session || session.transactionId === null) return;
    const now = this.simNowMs();
    this.advance(now);
    if (this.spec.ocppVersion === "1.6") {
      await this.call("MeterValues", meterValues16(this.spec.connectorId, Number(session.transactionId), this.sample(now)));
    } else {
      await this.call(
        "TransactionEvent",
        transactionEvent201({ eventType: "Updated", transactionId: session.transactionId, seqNo: session.seqNo++, connectorId: this.spec.connectorId, state: this.connectorState(now), idToken: this.spec.idTag, sample: this.sample(now) }),
      );
    }
    this.counts.meterValues += 1;
    // Charging may have started or stopped with the profile's periods.
    await this.reconcile();
  }

  private sample(now: number): MeterSample {
    return { timestampMs: now, registerWh: this.registerWh, powerW: this.currentKw(now) * 1000 };
  }

  private connectorState(now: number): ConnectorState {
    const session = this.session;
    if (!session) return "available";
    if (session.deliveredKwh >= session.requiredKwh - 1e-9) return "suspended_by_vehicle";
    return this.limitKwAt(now) > 0 ? "charging" : "suspended_by_charger";
  }

  // --- commands from the central system -----------------------------------------------------------

  private handlers(): Record<string, Handler> {
    return {
      SetChargingProfile: async ({ params }) => this.setChargingProfile(params ?? {}),
      ClearChargingProfile: async ({ params }) => this.clearChargingProfile(params ?? {}),
      GetCompositeSchedule: async ({ params }) => this.compositeSchedule(params ?? {}),
      TriggerMessage: async ({ params }) => this.triggerMessage(params ?? {}),
    };
  }

  private setChargingProfile(params: Record<string, unknown>): Record<string, unknown> {
    const rejected = (reason: string): Record<string, unknown> => {
      this.counts.profilesRejected += 1;
      this.lastError = `profile rejected: ${reason}`;
      return this.spec.ocppVersion === "1.6" ? { status: "Rejected" } : { status: "Rejected", statusInfo: { reasonCode: "InvalidProfile", additionalInfo: reason.slice(0, 512) } };
    };
    if (!this.spec.acceptsProfiles) return rejected("this charger does not take charging profiles");
    const parsed = parseSetChargingProfile(params);
    if (!parsed.ok) return rejected(`${parsed.field} ${parsed.reason}`);
    const profile = parsed.profile;
    if (profile.connectorId !== 0 && profile.connectorId !== this.spec.connectorId) return rejected(`no connector ${profile.connectorId}`);
    const now = this.simNowMs();
    this.advance(now);
    if (profile.purpose === "TxProfile") {
      const session = this.session;
      if (!session || session.transactionId === null) return rejected("no transaction is running");
      if (profile.transactionId !== null && profile.transactionId !== session.transactionId) return rejected(`transaction ${profile.transactionId} is not the running one`);
    }
    if (profile.kind === "Relative") profile.startScheduleMs = this.session?.pluggedInAtMs ?? now;
    this.profiles.set(profile.purpose, profile);
    this.counts.profilesAccepted += 1;
    return { status: "Accepted" };
  }

  private clearChargingProfile(params: Record<string, unknown>): Record<string, unknown> {
    const criteria = isRecord(params.chargingProfileCriteria) ? params.chargingProfileCriteria : params;
    const id = params.chargingProfileId ?? params.id;
    const purpose = criteria.chargingProfilePurpose;
    let cleared = 0;
    for (const [key, profile] of this.profiles) {
      if (typeof id === "number" && profile.profileId !== id) continue;
      if (typeof purpose === "string" && profile.purpose !== purpose) continue;
      this.advance(this.simNowMs());
      this.profiles.delete(key);
      cleared += 1;
    }
    return { status: cleared > 0 ? "Accepted" : "Unknown" };
  }

  private compositeSchedule(params: Record<string, unknown>): Record<string, unknown> {
    const durationSeconds = typeof params.duration === "number" ? params.duration : 0;
    const unit = params.chargingRateUnit === "A" ? "A" : "W";
    const connectorId = typeof params.connectorId === "number" ? params.connectorId : typeof params.evseId === "number" ? params.evseId : this.spec.connectorId;
    if (this.profiles.size === 0 || (connectorId !== 0 && connectorId !== this.spec.connectorId)) return { status: "Rejected" };
    // Start on the profiles' sub-second phase, so their period boundaries fall on whole seconds of this schedule as they do in theirs.
    const now = this.simNowMs();
    const reference = [...this.profiles.values()].map((p) => p.startScheduleMs).find((ms) => !Number.isNaN(ms)) ?? now;
    const startMs = now - ((((now - reference) % 1000) + 1000) % 1000);
    const endMs = startMs + durationSeconds * 1000;
    const periods: CompositePeriod[] = [];
    for (let t = startMs; t < endMs; ) {
      const limitW = Math.round(this.limitKwAt(t) * 1000);
      if (periods.at(-1)?.limitW !== limitW) periods.push({ startPeriod: Math.round((t - startMs) / 1000), limitW });
      const boundaries = [...this.profiles.values()].map((p) => nextProfileBoundaryMs(p, t)).filter((ms): ms is number => ms !== null);
      const next = boundaries.length > 0 ? Math.min(...boundaries) : endMs;
      t = Math.max(next, t + 1000);
    }
    if (periods.length === 0) periods.push({ startPeriod: 0, limitW: Math.round(this.limitKwAt(startMs) * 1000) });
    return compositeScheduleResponse(this.spec.ocppVersion, connectorId === 0 ? this.spec.connectorId : connectorId, startMs, durationSeconds, periods, unit);
  }

  private triggerMessage(params: Record<string, unknown>): Record<string, unknown> {
    const requested = params.requestedMessage;
    const now = this.simNowMs();
    const version = this.spec.ocppVersion;
    const send = (method: string, body: Record<string, unknown>) => {
      // Answer the trigger first, then send the message, as the protocol asks.
      this.after(0, () => void this.sync(async () => void (await this.call(method, body))));
      return { status: "Accepted" };
    };
    if (requested === "Heartbeat") return send("Heartbeat", {});
    if (requested === "StatusNotification") return send("StatusNotification", statusNotification(version, this.spec.connectorId, this.connectorState(now), now));
    if (requested === "MeterValues" && version === "1.6") {
      const tx = this.session?.transactionId;
      return send("MeterValues", meterValues16(this.spec.connectorId, tx === undefined || tx === null ? null : Number(tx), this.sample(now)));
    }
    return { status: "NotImplemented" };
  }

  // --- the EV ---------------------------------------------------------------------------------------

  private newSession(requiredKwh: number, fromPattern: boolean, plannedOutAtMs: number | null): Session {
    // A new transaction starts from a clean slate: the last one's TxProfile does not carry over.
    this.profiles.delete("TxProfile");
    return { pluggedInAtMs: this.simNowMs(), requiredKwh, deliveredKwh: 0, fromPattern, plannedOutAtMs, meterStartWh: this.registerWh, transactionId: null, seqNo: 0 };
  }

  private endSession(): void {
    const session = this.session;
    if (!session) return;
    if (session.transactionId !== null) {
      this.unreportedStop = { transactionId: session.transactionId, meterStopWh: this.registerWh, atMs: this.simNowMs(), seqNo: session.seqNo };
    }
    this.session = null;
    this.profiles.delete("TxProfile");
  }

  private limitKwAt(atMs: number): number {
    let limit = this.spec.powerKw;
    let txLimit: number | null = null;
    for (const profile of this.profiles.values()) {
      const kw = profileLimitKwAt(profile, atMs, this.spec.powerKw);
      if (kw === null) continue;
      if (MAX_PURPOSES.has(profile.purpose)) limit = Math.min(limit, kw);
      // A TxProfile overrides the default profile while it runs.
      else if (TX_PURPOSES.has(profile.purpose) && (txLimit === null || profile.purpose === "TxProfile")) txLimit = kw;
    }
    return Math.max(0, Math.min(limit, txLimit ?? limit));
  }

  /** Integrates the car's charging up to `toMs`, stepping exactly at every profile boundary. */
  private advance(toMs: number): void {
    let t = Math.max(this.lastStepMs, this.session?.pluggedInAtMs ?? this.lastStepMs);
    if (toMs <= this.lastStepMs) return;
    this.lastStepMs = toMs;
    const session = this.session;
    if (!session) return;
    while (t < toMs) {
      let stepEnd = Math.min(toMs, t + MAX_STEP_MS);
      for (const profile of this.profiles.values()) {
        const boundary = nextProfileBoundaryMs(profile, t);
        if (boundary !== null && boundary < stepEnd) stepEnd = boundary;
      }
      const hours = (stepEnd - t) / 3_600_000;
      const remaining = Math.max(0, session.requiredKwh - session.deliveredKwh);
      const kwh = Math.min(remaining, this.limitKwAt(t) * hours);
      session.deliveredKwh += kwh;
      this.registerWh += kwh * 1000;
      t = stepEnd;
    }
  }

  // --- timers -----------------------------------------------------------------------------------

  private every(intervalMs: number, run: () => void): void {
    const timer = setInterval(run, intervalMs);
    timer.unref();
    this.timers.add(timer);
  }

  private after(delayMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
