// The partner's charger platform: chargers with simulated EVs, the schedule endpoint the platform
// pushes OCPP SetChargingProfile bodies to, and the partner's own traffic back to the platform
// (plug events on daily patterns, half-hourly charger_consumption_energy_kwh readings).
import { isRecord, json, type SimRequest, type SimResponse } from "../http-types";
import { nextProfileBoundaryMs, parseSetChargingProfile, profileLimitKwAt, type NormalisedChargingProfile } from "./ocpp-profile";
import { PartnerClient, type IntentBody, type PartnerResponse, type ReadingBody, type TariffBody } from "./partner-client";
import { visitAt, type PlannedVisit } from "./patterns";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySchedulePush } from "./signature";

const HALF_HOUR_MS = 30 * 60_000;
const MAX_STEP_MS = 60_000;
/** Unreported half hours older than this are dropped rather than retried for ever. */
const MAX_PENDING_SLOTS_PER_CHARGER = 96;

export interface ChargerPlatformOptions {
  /** The platform's REST base URL (…/api/v1). Without it (or the client credentials) the partner sends nothing. */
  platformBaseUrl?: string;
  clientId?: string;
  clientSecret?: string;
  /** Secret(s) the schedule pushes are signed with. Without one, every push is refused with 401. */
  signingSecret?: string | readonly string[];
  /** Seconds a signed timestamp may differ from the real clock. Default 300. */
  signatureToleranceSeconds?: number;
  chargers?: ChargerSpec[];
  /** Plug in and out on the daily patterns. Default true; per charger overridable. */
  autoPlug?: boolean;
  /** Post half-hourly readings once each half hour has passed. Default true. */
  postReadings?: boolean;
  /** Real milliseconds between partner ticks (patterns, readings, retries). 0 disables the timer (tests call tick()). Default 5000. */
  tickMs?: number;
  /** Tariff sent with every plug-in unless the charger has its own. */
  tariff?: TariffBody;
  /** Share of evenings without a session. Default 0.15. */
  skipProbability?: number;
}

export interface ChargerSpec {
  /** The partner's id for the charger (the platform's external_id). */
  id: string;
  /** The platform's asset id (uuid); needed before events or readings can be sent. */
  assetId?: string;
  powerKw?: number;
  connectorId?: number;
  autoPlug?: boolean;
  tariff?: TariffBody;
  /** Usable battery of the vehicles that visit, for the SoC shown by the admin API. Default 60. */
  vehicleBatteryKwh?: number;
}

export interface PlugInOptions {
  energyRequiredKwh?: number;
  readyByLocalTime?: string;
  mayChargePeak?: boolean;
  chargingMode?: IntentBody["charging_mode"];
  tariff?: TariffBody | null;
  /** Send the intent with the plug-in. Default true. */
  sendIntent?: boolean;
}

interface Session {
  pluggedInAtMs: number;
  requiredKwh: number;
  deliveredKwh: number;
  readyByLocalTime: string;
  /** Follows the daily pattern (so the pattern also unplugs it). */
  fromPattern: boolean;
  plannedOutAtMs: number | null;
}

interface Charger {
  spec: Required<Pick<ChargerSpec, "id" | "powerKw" | "connectorId" | "autoPlug" | "vehicleBatteryKwh">> & Pick<ChargerSpec, "assetId" | "tariff">;
  session: Session | null;
  /** What the platform was last told successfully; null before any event. */
  reportedPlugged: boolean | null;
  profile: NormalisedChargingProfile | null;
  lastStepMs: number;
  lifetimeKwh: number;
  /** Energy per half hour (slot start ms) not yet reported. */
  slots: Map<number, number>;
  lastError: string | null;
}

export interface ReceivedProfile {
  seq: number;
  receivedAt: string;
  simTime: string;
  chargerId: string | null;
  assetId: string | null;
  httpStatus: number;
  /** applied | rejected */
  outcome: "applied" | "rejected";
  reason: string | null;
  ocppVersion: string | null;
  profileId: number | null;
  /** The sender's X-Flexfleet-Delivery-Id and X-Flexfleet-Plan-Version headers, when sent. */
  deliveryId: string | null;
  planVersion: number | null;
  /** The SetChargingProfile body as received (a wrapper is unwrapped). */
  body: unknown;
}

export interface ChargerSnapshot {
  id: string;
  assetId: string | null;
  powerKw: number;
  connectorId: number;
  autoPlug: boolean;
  pluggedIn: boolean;
  reportedPlugged: boolean | null;
  chargingKw: number;
  session: { pluggedInAt: string; requiredKwh: number; deliveredKwh: number; readyByLocalTime: string; plannedOutAt: string | null } | null;
  activeProfile: { ocppVersion: string; profileId: number; startSchedule: string | null; periods: number } | null;
  lifetimeKwh: number;
  unreportedSlots: number;
  lastError: string | null;
}

export interface ChargerPlatformStats {
  profilesReceived: number;
  profilesApplied: number;
  profilesRejected: number;
  eventsSent: number;
  eventsFailed: number;
  readingsAccepted: number;
  readingsRejected: number;
  lastReadingsError: string | null;
}

export class ChargerPlatform {
  private readonly chargers = new Map<string, Charger>();
  private readonly received: ReceivedProfile[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly client: PartnerClient | null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private seq = 0;
  /** Headers of the push being recorded (set synchronously before record()). */
  private currentHeaders: { deliveryId: string | null; planVersion: string | null } = { deliveryId: null, planVersion: null };
  private readonly stats: ChargerPlatformStats = {
    profilesReceived: 0,
    profilesApplied: 0,
    profilesRejected: 0,
    eventsSent: 0,
    eventsFailed: 0,
    readingsAccepted: 0,
    readingsRejected: 0,
    lastReadingsError: null,
  };

  constructor(
    private readonly options: ChargerPlatformOptions,
    private readonly simNowMs: () => number,
  ) {
    this.client =
      options.platformBaseUrl && options.clientId && options.clientSecret
        ? new PartnerClient({ baseUrl: options.platformBaseUrl, clientId: options.clientId, clientSecret: options.clientSecret })
        : null;
    for (const spec of options.chargers ?? []) this.addCharger(spec);
  }

  /** Starts the partner's timer (patterns, readings, retries). */
  start(): void {
    const tickMs = this.options.tickMs ?? 5000;
    if (tickMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  get partnerConfigured(): boolean {
    return this.client !== null;
  }

  addCharger(spec: ChargerSpec): ChargerSnapshot {
    if (this.chargers.has(spec.id)) throw new Error(`charger ${spec.id} exists already`);
    const charger: Charger = {
      spec: {
        id: spec.id,
        powerKw: spec.powerKw ?? 7.4,
        connectorId: spec.connectorId ?? 1,
        autoPlug: spec.autoPlug ?? this.options.autoPlug ?? true,
        vehicleBatteryKwh: spec.vehicleBatteryKwh ?? 60,
        ...(spec.assetId === undefined ? {} : { assetId: spec.assetId }),
        ...(spec.tariff === undefined ? {} : { tariff: spec.tariff }),
      },
      session: null,
      reportedPlugged: null,
      profile: null,
      lastStepMs: this.simNowMs(),
      lifetimeKwh: 0,
      slots: new Map(),
      lastError: null,
    };
    this.chargers.set(spec.id, charger);
    return this.snapshot(charger);
  }

  /** Links a charger to the platform's asset id once onboarded. */
  setAssetId(chargerId: string, assetId: string): void {
    this.requireCharger(chargerId).spec.assetId = assetId;
  }

  listChargers(): ChargerSnapshot[] {
    this.advanceAll();
    return [...this.chargers.values()].map((c) => this.snapshot(c));
  }

  getCharger(chargerId: string): ChargerSnapshot | null {
    const charger = this.findCharger(chargerId);
    if (!charger) return null;
    this.advance(charger, this.simNowMs());
    return this.snapshot(charger);
  }

  receivedProfiles(filter: { chargerId?: string; sinceSeq?: number } = {}): ReceivedProfile[] {
    const charger = filter.chargerId === undefined ? undefined : this.findCharger(filter.chargerId);
    return this.received.filter(
      (p) => (filter.chargerId === undefined || p.chargerId === (charger?.spec.id ?? filter.chargerId)) && (filter.sinceSeq === undefined || p.seq > filter.sinceSeq),
    );
  }

  clearReceivedProfiles(): void {
    this.received.length = 0;
  }

  getStats(): ChargerPlatformStats {
    return { ...this.stats };
  }

  /** Resolves with the first profile received for the charger after `sinceSeq` that matches, or rejects after the timeout. */
  waitForProfile(chargerId: string, options: { sinceSeq?: number; timeoutMs?: number; outcome?: ReceivedProfile["outcome"] } = {}): Promise<ReceivedProfile> {
    const find = () =>
      this.receivedProfiles({ chargerId, ...(options.sinceSeq === undefined ? {} : { sinceSeq: options.sinceSeq }) }).find(
        (p) => options.outcome === undefined || p.outcome === options.outcome,
      );
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = find();
        if (!match) return;
        cleanup();
        resolve(match);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no profile for charger ${chargerId} within ${options.timeoutMs ?? 10_000} ms`));
      }, options.timeoutMs ?? 10_000);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** A vehicle plugs in: the EV starts a session here, and the partner tells the platform (with intent and tariff). */
  async plugIn(chargerId: string, options: PlugInOptions = {}): Promise<PartnerResponse | null> {
    const charger = this.requireCharger(chargerId);
    const now = this.simNowMs();
    this.advance(charger, now);
    if (!charger.session) {
      charger.session = {
        pluggedInAtMs: now,
        requiredKwh: options.energyRequiredKwh ?? 20,
        deliveredKwh: 0,
        readyByLocalTime: options.readyByLocalTime ?? "07:00",
        fromPattern: false,
        plannedOutAtMs: null,
      };
      charger.profile = null;
    }
    return this.reportPlugIn(charger, options);
  }

  /** The vehicle leaves: the session ends here and the partner sends plug-out. */
  async plugOut(chargerId: string): Promise<PartnerResponse | null> {
    const charger = this.requireCharger(chargerId);
    this.advance(charger, this.simNowMs());
    charger.session = null;
    charger.profile = null;
    return this.reportPlugOut(charger);
  }

  async sendIntent(chargerId: string, intent: { energyRequiredKwh: number; readyByLocalTime: string; mayChargePeak?: boolean; chargingMode?: IntentBody["charging_mode"] }): Promise<PartnerResponse> {
    const charger = this.requireCharger(chargerId);
    if (charger.session) {
      charger.session.requiredKwh = intent.energyRequiredKwh;
      charger.session.readyByLocalTime = intent.readyByLocalTime;
    }
    return this.sendEvent(charger, (client, assetId) =>
      client.sendIntent(assetId, this.intentBody(intent.energyRequiredKwh, intent.readyByLocalTime, intent.mayChargePeak, intent.chargingMode)),
    );
  }

  async sendTariff(chargerId: string, tariff: TariffBody): Promise<PartnerResponse> {
    const charger = this.requireCharger(chargerId);
    charger.spec.tariff = tariff;
    return this.sendEvent(charger, (client, assetId) => client.sendTariff(assetId, tariff));
  }

  /** One partner step: advance the EVs, follow the daily patterns, resend failed plug events, post due readings. */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runTick().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  /** Posts every completed half hour not yet reported; returns how many readings were sent. */
  async flushReadings(): Promise<number> {
    if (!this.client) return 0;
    const now = this.simNowMs();
    const due: Array<{ charger: Charger; slotStart: number; reading: ReadingBody }> = [];
    for (const charger of this.chargers.values()) {
      this.advance(charger, now);
      const assetId = charger.spec.assetId;
      if (!assetId) continue;
      for (const [slotStart, kwh] of charger.slots) {
        if (slotStart + HALF_HOUR_MS > now) continue;
        due.push({
          charger,
          slotStart,
          reading: {
            asset_id: assetId,
            start_timestamp: new Date(slotStart).toISOString(),
            end_timestamp: new Date(slotStart + HALF_HOUR_MS).toISOString(),
            value: Math.round(kwh * 1000) / 1000,
            label: "charger_consumption_energy_kwh",
          },
        });
      }
    }
    if (due.length === 0) return 0;
    let response: PartnerResponse;
    try {
      response = await this.client.postReadings(due.map((d) => d.reading));
    } catch (error) {
      this.stats.lastReadingsError = error instanceof Error ? error.message : String(error);
      return 0;
    }
    if (response.status !== 200 || !isRecord(response.body) || !Array.isArray(response.body.responses)) {
      this.stats.lastReadingsError = `readings refused with HTTP ${response.status}`;
      return 0;
    }
    const results: unknown[] = response.body.responses;
    for (const [index, item] of due.entries()) {
      const result = results[index];
      const accepted = isRecord(result) && result.accepted === true;
      if (accepted) this.stats.readingsAccepted += 1;
      else {
        this.stats.readingsRejected += 1;
        this.stats.lastReadingsError = isRecord(result) && typeof result.error === "string" ? result.error : "reading refused";
      }
      // A refused reading would be refused again: it is not retried.
      item.charger.slots.delete(item.slotStart);
    }
    return due.length;
  }

  /** The schedule endpoint and the admin API, paths relative to the platform's prefix. */
  async handle(request: SimRequest): Promise<SimResponse> {
    const segments = request.path.split("/").filter((s) => s.length > 0);
    if (segments[0] === "schedules" && request.method === "POST" && segments.length <= 2) return this.receiveSchedule(request, segments[1]);
    if (segments[0] === "_sim") return this.handleAdmin(request, segments.slice(1));
    return json(404, { error: "not found" });
  }

  private async handleAdmin(request: SimRequest, segments: string[]): Promise<SimResponse> {
    const route = `${request.method} /${segments.map((s, i) => (i === 1 && segments[0] === "chargers" ? ":id" : s)).join("/")}`;
    const charger = segments[0] === "chargers" && segments[1] ? this.findCharger(segments[1]) : undefined;
    let body: Record<string, unknown> = {};
    if (request.method === "POST" && request.rawBody.trim() !== "") {
      try {
        const parsed: unknown = JSON.parse(request.rawBody);
        if (!isRecord(parsed)) return json(400, { error: "body must be a JSON object" });
        body = parsed;
      } catch {
        return json(400, { error: "body must be a JSON object" });
      }
    }
    switch (route) {
      case "GET /chargers":
        return json(200, { chargers: this.listChargers() });
      case "POST /chargers": {
        const spec = parseChargerSpec(body);
        if (typeof spec === "string") return json(400, { error: spec });
        if (this.chargers.has(spec.id)) return json(409, { error: "charger exists already" });
        return json(201, this.addCharger(spec));
      }
      case "GET /chargers/:id":
        return charger ? json(200, this.getCharger(charger.spec.id)) : json(404, { error: "charger not found" });
      case "POST /chargers/:id/plug-in": {
        if (!charger) return json(404, { error: "charger not found" });
        const options: PlugInOptions = {};
        if (typeof body.energyRequiredKwh === "number" && body.energyRequiredKwh >= 0) options.energyRequiredKwh = body.energyRequiredKwh;
        if (typeof body.readyByLocalTime === "string" && /^([01]\d|2[0-3]):[0-5]\d$/.test(body.readyByLocalTime)) options.readyByLocalTime = body.readyByLocalTime;
        const response = await this.plugIn(charger.spec.id, options);
        return json(200, { charger: this.getCharger(charger.spec.id), platformStatus: response?.status ?? null });
      }
      case "POST /chargers/:id/plug-out": {
        if (!charger) return json(404, { error: "charger not found" });
        const response = await this.plugOut(charger.spec.id);
        return json(200, { charger: this.getCharger(charger.spec.id), platformStatus: response?.status ?? null });
      }
      case "GET /profiles": {
        const chargerId = request.query.get("chargerId") ?? undefined;
        const since = request.query.get("sinceSeq");
        return json(200, {
          profiles: this.receivedProfiles({ ...(chargerId ? { chargerId } : {}), ...(since !== null && Number.isInteger(Number(since)) ? { sinceSeq: Number(since) } : {}) }),
        });
      }
      case "DELETE /profiles":
        this.clearReceivedProfiles();
        return json(200, { profiles: [] });
      case "GET /stats":
        return json(200, { ...this.getStats(), chargers: this.chargers.size, partnerConfigured: this.partnerConfigured });
      case "POST /tick":
        await this.tick();
        return json(200, this.getStats());
      default:
        return json(404, { error: "not found" });
    }
  }

  private async receiveSchedule(request: SimRequest, pathChargerId: string | undefined): Promise<SimResponse> {
    const secrets = this.options.signingSecret === undefined ? [] : typeof this.options.signingSecret === "string" ? [this.options.signingSecret] : [...this.options.signingSecret];
    const headerValue = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const check =
      secrets.length === 0
        ? { ok: false as const, reason: "no signing secret configured" }
        : verifySchedulePush({
            secrets,
            rawBody: request.rawBody,
            signature: headerValue(SIGNATURE_HEADER),
            timestamp: headerValue(TIMESTAMP_HEADER),
            nowMs: Date.now(),
            toleranceSeconds: this.options.signatureToleranceSeconds ?? 300,
          });
    this.currentHeaders = { deliveryId: headerValue("x-flexfleet-delivery-id") ?? null, planVersion: headerValue("x-flexfleet-plan-version") ?? null };
    if (!check.ok) return this.record({ status: 401, reason: check.reason, body: null, charger: null, profile: null }, { error: "invalid signature", detail: check.reason });

    let parsed: unknown;
    try {
      parsed = JSON.parse(request.rawBody);
    } catch {
      return this.record({ status: 400, reason: "body is not JSON", body: null, charger: null, profile: null }, { error: "body must be JSON" });
    }
    const { target, profileBody } = unwrap(parsed, pathChargerId, request, headerValue);
    const result = parseSetChargingProfile(profileBody);
    if (!result.ok) {
      const reason = `${result.field} ${result.reason}`;
      return this.record({ status: 400, reason, body: profileBody, charger: null, profile: null }, { status: "Rejected", error: "invalid SetChargingProfile", field: result.field, reason: result.reason });
    }
    const charger = target === null ? undefined : this.findCharger(target);
    if (!charger) {
      const reason = target === null ? "no charger id (header X-Flexfleet-Asset-Id, ?asset_id=, path or asset_id field)" : `unknown charger ${target}`;
      return this.record({ status: 404, reason, body: profileBody, charger: null, profile: result.profile }, { status: "Rejected", error: reason });
    }
    this.advance(charger, this.simNowMs());
    if (!charger.session) {
      // OCPP answers Rejected for a TxProfile when no transaction runs; the push still arrived.
      return this.record({ status: 200, reason: "no vehicle plugged in", body: profileBody, charger, profile: result.profile, rejected: true }, { status: "Rejected", reason: "no vehicle plugged in" });
    }
    charger.profile = result.profile;
    this.advance(charger, this.simNowMs());
    return this.record({ status: 200, reason: null, body: profileBody, charger, profile: result.profile }, { status: "Accepted" });
  }

  private record(
    entry: { status: number; reason: string | null; body: unknown; charger: Charger | null; profile: NormalisedChargingProfile | null; rejected?: boolean },
    responseBody: unknown,
  ): SimResponse {
    this.seq += 1;
    const applied = entry.status === 200 && !entry.rejected;
    this.received.push({
      seq: this.seq,
      receivedAt: new Date().toISOString(),
      simTime: new Date(this.simNowMs()).toISOString(),
      chargerId: entry.charger?.spec.id ?? null,
      assetId: entry.charger?.spec.assetId ?? null,
      httpStatus: entry.status,
      outcome: applied ? "applied" : "rejected",
      reason: entry.reason,
      ocppVersion: entry.profile?.ocppVersion ?? null,
      profileId: entry.profile?.profileId ?? null,
      deliveryId: this.currentHeaders.deliveryId,
      planVersion: this.currentHeaders.planVersion !== null && /^\d+$/.test(this.currentHeaders.planVersion) ? Number(this.currentHeaders.planVersion) : null,
      body: entry.body,
    });
    // Keeps memory bounded on a long-running demo.
    if (this.received.length > 20_000) this.received.splice(0, this.received.length - 20_000);
    this.stats.profilesReceived += 1;
    if (applied) this.stats.profilesApplied += 1;
    else this.stats.profilesRejected += 1;
    for (const waiter of [...this.waiters]) waiter();
    return json(entry.status, responseBody);
  }

  private async runTick(): Promise<void> {
    const now = this.simNowMs();
    for (const charger of this.chargers.values()) {
      this.advance(charger, now);
      if (charger.spec.autoPlug) this.followPattern(charger, now);
      if (!this.client || !charger.spec.assetId) continue;
      const plugged = charger.session !== null;
      // Initially unplugged chargers stay quiet; any change (or a failed report) is sent now.
      if (plugged && charger.reportedPlugged !== true) await this.reportPlugIn(charger, {}).catch(() => null);
      else if (!plugged && charger.reportedPlugged === true) await this.reportPlugOut(charger).catch(() => null);
    }
    if (this.options.postReadings ?? true) await this.flushReadings();
  }

  private followPattern(charger: Charger, now: number): void {
    const visit: PlannedVisit | null = visitAt(charger.spec.id, now, this.options.skipProbability === undefined ? {} : { skipProbability: this.options.skipProbability });
    if (visit && !charger.session) {
      charger.session = {
        pluggedInAtMs: now,
        requiredKwh: visit.energyRequiredKwh,
        deliveredKwh: 0,
        readyByLocalTime: visit.readyByLocalTime,
        fromPattern: true,
        plannedOutAtMs: visit.pluggedOutAtMs,
      };
      charger.profile = null;
    } else if (charger.session?.fromPattern && (!visit || (charger.session.plannedOutAtMs !== null && now >= charger.session.plannedOutAtMs))) {
      charger.session = null;
      charger.profile = null;
    }
  }

  private async reportPlugIn(charger: Charger, options: PlugInOptions): Promise<PartnerResponse | null> {
    const session = charger.session;
    if (!session) return null;
    const tariff = options.tariff === null ? undefined : (options.tariff ?? charger.spec.tariff ?? this.options.tariff);
    const body = {
      ...(options.sendIntent === false ? {} : { intent: this.intentBody(session.requiredKwh, session.readyByLocalTime, options.mayChargePeak, options.chargingMode) }),
      ...(tariff ? { tariff } : {}),
      vehicle: { charging_rate_kw: charger.spec.powerKw },
    };
    const response = await this.sendEvent(charger, (client, assetId) => client.plugIn(assetId, body)).catch((error: unknown) => {
      charger.lastError = error instanceof Error ? error.message : String(error);
      return null;
    });
    if (response && response.status < 300) charger.reportedPlugged = true;
    return response;
  }

  private async reportPlugOut(charger: Charger): Promise<PartnerResponse | null> {
    const response = await this.sendEvent(charger, (client, assetId) => client.plugOut(assetId)).catch((error: unknown) => {
      charger.lastError = error instanceof Error ? error.message : String(error);
      return null;
    });
    if (response && response.status < 300) charger.reportedPlugged = false;
    return response;
  }

  private async sendEvent(charger: Charger, send: (client: PartnerClient, assetId: string) => Promise<PartnerResponse>): Promise<PartnerResponse> {
    if (!this.client) throw new Error("the charger platform has no platform URL or API client configured");
    const assetId = charger.spec.assetId;
    if (!assetId) throw new Error(`charger ${charger.spec.id} has no platform asset id`);
    try {
      const response = await send(this.client, assetId);
      if (response.status < 300) {
        this.stats.eventsSent += 1;
        charger.lastError = null;
      } else {
        this.stats.eventsFailed += 1;
        charger.lastError = `HTTP ${response.status}`;
      }
      return response;
    } catch (error) {
      this.stats.eventsFailed += 1;
      throw error;
    }
  }

  private intentBody(kwh: number, readyByLocalTime: string, mayChargePeak?: boolean, chargingMode?: IntentBody["charging_mode"]): IntentBody {
    return {
      energy_required_kwh: kwh,
      ready_by: nextLondonWallTime(this.simNowMs(), readyByLocalTime),
      ready_by_local_time: readyByLocalTime,
      may_charge_peak: mayChargePeak ?? false,
      charging_mode: chargingMode ?? "maximise_charging_time",
    };
  }

  private advanceAll(): void {
    const now = this.simNowMs();
    for (const charger of this.chargers.values()) this.advance(charger, now);
  }

  /** Integrates the EV's charging up to `toMs`: the profile's limit, capped at the charger's power and the remaining need. */
  private advance(charger: Charger, toMs: number): void {
    let t = charger.lastStepMs;
    if (toMs <= t) return;
    charger.lastStepMs = toMs;
    const session = charger.session;
    if (!session) return;
    t = Math.max(t, session.pluggedInAtMs);
    while (t < toMs) {
      const slotStart = Math.floor(t / HALF_HOUR_MS) * HALF_HOUR_MS;
      let stepEnd = Math.min(toMs, t + MAX_STEP_MS, slotStart + HALF_HOUR_MS);
      const boundary = charger.profile ? nextProfileBoundaryMs(charger.profile, t) : null;
      if (boundary !== null && boundary < stepEnd) stepEnd = boundary;
      const hours = (stepEnd - t) / 3_600_000;
      const limitKw = (charger.profile ? profileLimitKwAt(charger.profile, t, charger.spec.powerKw) : null) ?? charger.spec.powerKw;
      const remaining = Math.max(0, session.requiredKwh - session.deliveredKwh);
      const kw = Math.max(0, Math.min(limitKw, charger.spec.powerKw, hours > 0 ? remaining / hours : 0));
      const kwh = kw * hours;
      session.deliveredKwh += kwh;
      charger.lifetimeKwh += kwh;
      charger.slots.set(slotStart, (charger.slots.get(slotStart) ?? 0) + kwh);
      t = stepEnd;
    }
    if (charger.slots.size > MAX_PENDING_SLOTS_PER_CHARGER) {
      const oldest = [...charger.slots.keys()].sort((a, b) => a - b).slice(0, charger.slots.size - MAX_PENDING_SLOTS_PER_CHARGER);
      for (const key of oldest) charger.slots.delete(key);
    }
  }

  /** The power drawn right now: the profile's limit (or full power outside it), nothing once the need is met. */
  private currentKw(charger: Charger): number {
    const session = charger.session;
    if (!session || session.deliveredKwh >= session.requiredKwh - 1e-9) return 0;
    const limitKw = (charger.profile ? profileLimitKwAt(charger.profile, this.simNowMs(), charger.spec.powerKw) : null) ?? charger.spec.powerKw;
    return Math.max(0, Math.min(limitKw, charger.spec.powerKw));
  }

  private findCharger(idOrAssetId: string): Charger | undefined {
    const direct = this.chargers.get(idOrAssetId);
    if (direct) return direct;
    for (const charger of this.chargers.values()) if (charger.spec.assetId === idOrAssetId) return charger;
    return undefined;
  }

  private requireCharger(idOrAssetId: string): Charger {
    const charger = this.findCharger(idOrAssetId);
    if (!charger) throw new Error(`unknown simulated charger ${idOrAssetId}`);
    return charger;
  }

  private snapshot(charger: Charger): ChargerSnapshot {
    const session = charger.session;
    const profile = charger.profile;
    return {
      id: charger.spec.id,
      assetId: charger.spec.assetId ?? null,
      powerKw: charger.spec.powerKw,
      connectorId: charger.spec.connectorId,
      autoPlug: charger.spec.autoPlug,
      pluggedIn: session !== null,
      reportedPlugged: charger.reportedPlugged,
      chargingKw: Math.round(this.currentKw(charger) * 1000) / 1000,
      session: session
        ? {
            pluggedInAt: new Date(session.pluggedInAtMs).toISOString(),
            requiredKwh: session.requiredKwh,
            deliveredKwh: Math.round(session.deliveredKwh * 1000) / 1000,
            readyByLocalTime: session.readyByLocalTime,
            plannedOutAt: session.plannedOutAtMs === null ? null : new Date(session.plannedOutAtMs).toISOString(),
          }
        : null,
      activeProfile: profile
        ? {
            ocppVersion: profile.ocppVersion,
            profileId: profile.profileId,
            startSchedule: Number.isNaN(profile.startScheduleMs) ? null : new Date(profile.startScheduleMs).toISOString(),
            periods: profile.periods.length,
          }
        : null,
      lifetimeKwh: Math.round(charger.lifetimeKwh * 1000) / 1000,
      unreportedSlots: charger.slots.size,
      lastError: charger.lastError,
    };
  }
}

const ID_HEADERS = ["x-flexfleet-asset-id", "x-flexfleet-asset-external-id", "x-asset-id", "x-flexfleet-external-id", "x-charger-id"];
const ID_FIELDS = ["asset_id", "assetId", "external_id", "externalId", "charger_id", "chargerId"];
const WRAPPER_FIELDS = ["set_charging_profile", "setChargingProfile", "charging_profile_request", "profile", "payload", "ocpp", "request"];

/**
 * Which charger a push is for, and the SetChargingProfile body itself. An OCPP body names only a
 * connector, so the charger comes from the URL path, a query parameter, a header or a field of a
 * wrapper object ({asset_id, set_charging_profile: {...}}), whichever the sender uses.
 */
function unwrap(
  parsed: unknown,
  pathChargerId: string | undefined,
  request: SimRequest,
  headerValue: (name: string) => string | undefined,
): { target: string | null; profileBody: unknown } {
  let target: string | null = pathChargerId ? decodeURIComponent(pathChargerId) : null;
  for (const name of ["asset_id", "charger_id", "external_id"]) target ??= request.query.get(name);
  for (const name of ID_HEADERS) target ??= headerValue(name) ?? null;
  let profileBody = parsed;
  if (isRecord(parsed)) {
    for (const field of ID_FIELDS) {
      const value = parsed[field];
      if (typeof value === "string" && value !== "") target ??= value;
    }
    for (const field of WRAPPER_FIELDS) {
      if (isRecord(parsed[field])) {
        profileBody = parsed[field];
        break;
      }
    }
  }
  return { target, profileBody };
}

function parseChargerSpec(body: Record<string, unknown>): ChargerSpec | string {
  if (typeof body.id !== "string" || body.id.trim() === "") return "id must be a non-empty string";
  const spec: ChargerSpec = { id: body.id };
  if (body.assetId !== undefined) {
    if (typeof body.assetId !== "string") return "assetId must be a string";
    spec.assetId = body.assetId;
  }
  if (body.powerKw !== undefined) {
    if (typeof body.powerKw !== "number" || !(body.powerKw > 0) || body.powerKw > 350) return "powerKw must be in (0, 350]";
    spec.powerKw = body.powerKw;
  }
  if (body.connectorId !== undefined) {
    if (typeof body.connectorId !== "number" || !Number.isInteger(body.connectorId) || body.connectorId < 1) return "connectorId must be an integer >= 1";
    spec.connectorId = body.connectorId;
  }
  if (body.autoPlug !== undefined) {
    if (typeof body.autoPlug !== "boolean") return "autoPlug must be a boolean";
    spec.autoPlug = body.autoPlug;
  }
  return spec;
}

// Built once: constructing an Intl formatter costs far more than using one.
const londonClock = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

function londonMinute(instantMs: number): number {
  const parts = londonClock.formatToParts(new Date(instantMs));
  return Number(parts.find((p) => p.type === "hour")?.value ?? "0") * 60 + Number(parts.find((p) => p.type === "minute")?.value ?? "0");
}

/** The next instant after `fromMs` at which the London wall clock shows `hhmm`, as ISO 8601. */
export function nextLondonWallTime(fromMs: number, hhmm: string): string {
  const [hours, minutes] = hhmm.split(":").map(Number);
  const targetMinute = (hours ?? 0) * 60 + (minutes ?? 0);
  const start = Math.floor(fromMs / 60_000) * 60_000 + 60_000;
  // Jump by the wall-clock difference, then correct once more for a clock change in between.
  let candidate = start + ((((targetMinute - londonMinute(start)) % 1440) + 1440) % 1440) * 60_000;
  for (let i = 0; i < 3; i += 1) {
    const off = londonMinute(candidate) - targetMinute;
    if (off === 0) break;
    candidate -= (((off + 720) % 1440) - 720) * 60_000;
  }
  return new Date(candidate).toISOString();
}
