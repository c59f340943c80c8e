// The one interface every OEM adapter implements, and the shapes it speaks in.
// Power sign throughout: positive is charging (battery) and importing (grid).

export const OEMS = ["foxess", "givenergy", "sigenergy", "solis"] as const;
export type Oem = (typeof OEMS)[number];

export const OPERATION_MODES = ["SELF_RELIANCE", "TIME_OF_USE", "IMPORT_FOCUS", "EXPORT_FOCUS"] as const;
export type OperationMode = (typeof OPERATION_MODES)[number];

/**
 * A decrypted OEM credential, shaped by what each cloud needs to sign a request.
 * FoxESS and GivEnergy take one API key; Solis a keyId and secret; Sigenergy an app key and secret
 * from which the adapter obtains its own short-lived access token.
 */
export type OemCredential =
  | { oem: "foxess"; apiKey: string; expiresAt?: Date }
  | { oem: "givenergy"; apiKey: string; expiresAt?: Date }
  | { oem: "solis"; keyId: string; keySecret: string; expiresAt?: Date }
  | { oem: "sigenergy"; appKey: string; appSecret: string; expiresAt?: Date };

export type CredentialFor<O extends Oem> = Extract<OemCredential, { oem: O }>;

export interface BatteryState {
  /** State of charge, 0..100. */
  socPct: number;
  /** Positive while charging. */
  batteryPowerKw: number;
  /** Positive while importing. */
  gridPowerKw: number;
  solarPowerKw: number;
  loadPowerKw: number;
  /** Our mode, or null when the device is in a native mode with no equivalent. */
  operationMode: OperationMode | null;
  /** The OEM's own description of the mode, for operators and logs. */
  oemMode: string;
  /** The battery does not discharge below this SoC. */
  dischargeFloorPct: number;
  /** When the device measured this, per the OEM. */
  observedAt: Date;
}

/** A local wall-clock time "HH:MM" in Europe/London, the clock the inverters run on. */
export type WallTime = string;

export interface ScheduleSlot {
  start: WallTime;
  /** Exclusive; "23:59" means to the end of the day. */
  end: WallTime;
  action: "charge" | "discharge";
  /** Defaults to the inverter's rated power. */
  powerKw?: number;
  /** Charge up to (charge) or discharge down to (discharge) this SoC. */
  targetSocPct?: number;
}

/** A daily charge/discharge plan; outside its slots the battery self-consumes. */
export interface BatterySchedule {
  slots: ScheduleSlot[];
}

export interface SetOperationModeOptions {
  /** Also set the discharge floor, where the OEM takes it separately. */
  dischargeFloorPct?: number;
  /** For TIME_OF_USE: the schedule to run; without one the OEM's default off-peak plan is used. */
  schedule?: BatterySchedule;
}

export interface OemAdapter<O extends Oem = Oem> {
  readonly oem: O;
  /** Resolves when the cloud accepts the credential; throws OemCredentialRejectedError when it does not. */
  verifyCredential(credential: CredentialFor<O>): Promise<void>;
  readState(credential: CredentialFor<O>, deviceId: string): Promise<BatteryState>;
  /** Sends the command; the change lands on the device later, so confirm by reading state. */
  setOperationMode(credential: CredentialFor<O>, deviceId: string, mode: OperationMode, options?: SetOperationModeOptions): Promise<void>;
  /** Present where the OEM supports schedules. */
  writeSchedule?(credential: CredentialFor<O>, deviceId: string, schedule: BatterySchedule): Promise<void>;
  /**
   * Present where the OEM issues OAuth bearer tokens with refresh tokens: exchanges the
   * refresh token for a new access token (and, when the OEM rotates them, a new refresh
   * token). Throws OemCredentialRejectedError when the refresh token is refused.
   */
  refreshAccessToken?(refreshToken: string): Promise<RefreshedAccessToken>;
  /** Present where the OEM lets a householder grant access by signing in (OAuth authorization code). */
  oauth?: OemOauthFlow;
}

/** The authorization-code flow with one OEM's cloud (server/oem/oauth.ts). */
export interface OemOauthFlow {
  authorizationUrl(request: { clientId: string; redirectUri: string; state: string }): string;
  /** Throws OemCredentialRejectedError when the cloud refuses the code or the client. */
  exchangeCode(client: { clientId: string; clientSecret: string }, code: string, redirectUri: string): Promise<RefreshedAccessToken>;
}

export interface RefreshedAccessToken {
  accessToken: string;
  /** Absent when the OEM keeps the old refresh token valid. */
  refreshToken?: string;
  expiresAt: Date;
}

export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}

export interface OemAdapterConfig {
  /** The cloud's base URL, e.g. https://www.foxesscloud.com or the simulator's http://127.0.0.1:4100/foxess. */
  baseUrl: string;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Attempts per call including the first. Default 4. */
  maxAttempts?: number;
  /** First backoff; doubles per attempt with full jitter. Default 250 ms. */
  backoffBaseMs?: number;
  /** Ceiling for one backoff, including Retry-After. Default 8 s. */
  backoffMaxMs?: number;
  /** Client-side limit per credential (per path for FoxESS); null disables it. Defaults per OEM. */
  rateLimit?: RateLimit | null;
  /** Injected for tests. */
  fetch?: typeof fetch;
}
