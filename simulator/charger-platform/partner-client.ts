// The partner's side of the platform's REST API, as a charger platform would write it: a client
// credentials token (cached, refreshed on expiry or a 401), plug events with intent and tariff, and
// readings. It only speaks HTTP: the simulator shares no code with the platform.

export interface PartnerClientOptions {
  /** The platform's REST base, e.g. http://127.0.0.1:3000/api/v1 */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Real milliseconds before a request is abandoned. Default 10 000. */
  timeoutMs?: number;
}

export interface PartnerResponse {
  status: number;
  body: unknown;
}

export interface IntentBody {
  energy_required_kwh: number;
  ready_by: string;
  ready_by_local_time: string;
  may_charge_peak?: boolean;
  charging_mode?: "maximise_charging_time" | "minimise_charging_time";
  energy_estimated?: boolean;
}

export interface TariffBody {
  off_peak_times: string;
  timezone: string;
  tariff_type?: "single_rate" | "dual_rate" | "dynamic" | "smart" | "unknown";
}

export interface ReadingBody {
  asset_id: string;
  start_timestamp: string;
  end_timestamp: string;
  value: number;
  label: "charger_consumption_energy_kwh";
}

export class PartnerClient {
  private token: { value: string; expiresAtMs: number } | null = null;
  private readonly baseUrl: string;

  constructor(private readonly options: PartnerClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
  }

  plugIn(assetId: string, body: { intent?: IntentBody; tariff?: TariffBody; vehicle?: { charging_rate_kw: number } }): Promise<PartnerResponse> {
    return this.send("POST", `/entities/asset/${encodeURIComponent(assetId)}/event/plug-in`, body);
  }

  plugOut(assetId: string): Promise<PartnerResponse> {
    return this.send("POST", `/entities/asset/${encodeURIComponent(assetId)}/event/plug-out`, {});
  }

  sendIntent(assetId: string, intent: IntentBody): Promise<PartnerResponse> {
    return this.send("POST", `/entities/asset/${encodeURIComponent(assetId)}/event/intent`, { intent });
  }

  sendTariff(assetId: string, tariff: TariffBody): Promise<PartnerResponse> {
    return this.send("POST", `/entities/asset/${encodeURIComponent(assetId)}/event/tariff-update`, { tariff });
  }

  postReadings(readings: readonly ReadingBody[]): Promise<PartnerResponse> {
    return this.send("POST", "/data/readings", { readings });
  }

  /** Sends with the cached token; on a 401 fetches a new token once and tries again. */
  async send(method: string, path: string, body: unknown): Promise<PartnerResponse> {
    const first = await this.request(method, path, body, await this.bearer(false));
    if (first.status !== 401) return first;
    return this.request(method, path, body, await this.bearer(true));
  }

  private async bearer(refresh: boolean): Promise<string> {
    if (!refresh && this.token && this.token.expiresAtMs > Date.now() + 60_000) return this.token.value;
    const response = await fetch(`${this.baseUrl}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: this.options.clientId, client_secret: this.options.clientSecret }).toString(),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const parsed = (await response.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
    if (response.status !== 200 || typeof parsed?.access_token !== "string") {
      // The secret never goes into the message.
      throw new Error(`token request refused with HTTP ${response.status}`);
    }
    const lifetimeSeconds = typeof parsed.expires_in === "number" ? parsed.expires_in : 1800;
    this.token = { value: parsed.access_token, expiresAtMs: Date.now() + lifetimeSeconds * 1000 };
    return parsed.access_token;
  }

  private async request(method: string, path: string, body: unknown, token: string): Promise<PartnerResponse> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed };
  }
}
