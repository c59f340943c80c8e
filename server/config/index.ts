// The one place that reads the environment. Everything else asks getConfig().
// Local secrets (session secret, encryption key) are generated on first run into
// the data directory so a newcomer sets nothing by hand.
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parsePreviousEncryptionKeys, PREVIOUS_KEYS_PATTERN } from "@/server/services/credentials/credential-crypto";

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "true" || v === "1"));

const jobConcurrency = (fallback: number) => z.coerce.number().int().min(1).max(1000).default(fallback);
const jobBatchSize = (fallback: number) => z.coerce.number().int().min(1).max(100).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  NEXTAUTH_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(32).optional(),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes, base64-encoded")
    .optional(),
  ENCRYPTION_KEY_ID: z.string().min(1).max(32).default("k1"),
  CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS: z.string().regex(PREVIOUS_KEYS_PATTERN, "must be comma-separated keyId:base64 pairs of 32-byte keys").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  WORKER_IN_PROCESS: booleanFromEnv,
  SEED_DEMO: booleanFromEnv,
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(20),
  // pg-boss 10 refuses intervals under 0.5 s.
  WORKER_POLLING_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(0.5),
  JOBS_POLL_CONCURRENCY: jobConcurrency(8),
  JOBS_POLL_BATCH_SIZE: jobBatchSize(2),
  JOBS_DRIVE_CONCURRENCY: jobConcurrency(32),
  JOBS_DRIVE_BATCH_SIZE: jobBatchSize(8),
  JOBS_DELIVERY_CONCURRENCY: jobConcurrency(8),
  JOBS_DELIVERY_BATCH_SIZE: jobBatchSize(4),
  JOBS_REPLAN_CONCURRENCY: jobConcurrency(4),
  JOBS_REPLAN_BATCH_SIZE: jobBatchSize(2),
  OEM_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
  OEM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(2),
  OEM_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(48),
  OEM_DEVICE_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  DEMO_ADMIN_EMAIL: z.string().email().default("admin@flexfleet.example"),
  DEMO_ADMIN_PASSWORD: z.string().min(8).max(256).default("flexfleet-demo"),
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  SIMULATOR_URL: z.string().url().optional(),
  OCPP_PORT: z.coerce.number().int().min(0).max(65535).default(9220),
  OCPP_HEARTBEAT_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  API_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  RETENTION_DAYS: z.coerce.number().int().min(0).default(2555),
  CONSENT_LINK_TTL_HOURS: z.coerce.number().positive().max(720).default(72),
  BATTERY_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(60),
  BATTERY_STALE_AFTER_SECONDS: z.coerce.number().int().min(30).optional(),
  ACTION_DEADLINE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(600),
  CREDENTIAL_EXPIRY_WARNING_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  CHARGING_REPLAN_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  FOXESS_BASE_URL: z.string().url().optional(),
  GIVENERGY_BASE_URL: z.string().url().optional(),
  FOXESS_OAUTH_CLIENT_ID: z.string().min(1).max(500).optional(),
  FOXESS_OAUTH_CLIENT_SECRET: z.string().min(1).max(500).optional(),
  GIVENERGY_OAUTH_CLIENT_ID: z.string().min(1).max(500).optional(),
  GIVENERGY_OAUTH_CLIENT_SECRET: z.string().min(1).max(500).optional(),
  OEM_OAUTH_STATE_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  SIGENERGY_BASE_URL: z.string().url().optional(),
  SOLIS_BASE_URL: z.string().url().optional(),
  FLEX_LITE_PAUSE_MINUTES: z.coerce.number().int().min(1).max(240).default(30),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z.string().min(3).default("Flexfleet <no-reply@flexfleet.local>"),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(10),
  AUTH_FAILURES_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(50),
  TRUSTED_PROXIES: z.string().optional(),
  // Time-partitioned tables: whole partitions older than this are dropped (or detached) by partitions.maintain.
  BATTERY_READINGS_RETENTION_DAYS: z.coerce.number().int().min(2).max(36_500).default(35),
  ASSET_READINGS_RETENTION_DAYS: z.coerce.number().int().min(7).max(36_500).default(400),
  // Settlement baselines look back 60 days in the rollup.
  BATTERY_ROLLUPS_RETENTION_DAYS: z.coerce.number().int().min(61).max(36_500).default(800),
  DELIVERY_ATTEMPTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  EXPIRED_PARTITIONS: z.enum(["drop", "detach"]).default("drop"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  nodeEnv: Env["NODE_ENV"];
  port: number;
  dataDir: string;
  /** Set when an external PostgreSQL is used; otherwise the embedded cluster is started. */
  databaseUrl: string | undefined;
  embeddedPgPort: number;
  appUrl: string;
  sessionSecret: string;
  encryption: { keyId: string; key: Buffer };
  /** Retired keys kept only to open what they sealed (key rotation); never used to seal. */
  previousEncryptionKeys: { keyId: string; key: Buffer }[];
  logLevel: Env["LOG_LEVEL"];
  logFormat: "json" | "pretty";
  workerInProcess: boolean;
  /** Connections each process keeps to PostgreSQL for its own queries (the queue has its own few). */
  databasePoolMax: number;
  jobs: JobsConfig;
  oemLimits: OemLimits;
  demoAdmin: { email: string; password: string };
  /** Seed the demo organisation at start: unset means yes for `npm run dev`, no for `npm start`. */
  seedDemo: boolean | undefined;
  simulator: { port: number; url: string };
  /** The OCPP-J gateway (server/ocpp-gateway): its port (0: not started by the launcher) and the heartbeat interval chargers are given. */
  ocpp: { port: number; heartbeatIntervalSeconds: number };
  apiTokenTtlSeconds: number;
  retentionDays: number;
  /** How long a householder consent link works unless the caller says otherwise. */
  consentLinkTtlHours: number;
  /** How often open charging sessions are re-planned, in minutes. */
  chargingReplanIntervalMinutes: number;
  batteries: {
    pollIntervalSeconds: number;
    /** A battery with no reading for this long shows as stale. */
    staleAfterSeconds: number;
    actionDeadlineSeconds: number;
    credentialExpiryWarningDays: number;
  };
  /** OEM cloud base URLs; default to the simulator's per-OEM prefixes. */
  oemBaseUrls: { foxess: string; givenergy: string; sigenergy: string; solis: string };
  /**
   * Our application's registration with each OEM cloud that offers OAuth sign-in; an OEM without
   * one cannot be connected that way. Defaults to the simulator's local client while the OEM's
   * base URL is the simulator's.
   */
  oemOauthClients: Partial<Record<OauthOem, { clientId: string; clientSecret: string }>>;
  /** How long a started OEM sign-in (its `state`) may take before the callback refuses it. */
  oemOauthStateTtlSeconds: number;
  /** Length of the one pause Flex Lite inserts into a plug-in schedule. */
  flexLitePauseMinutes: number;
  /** Outgoing mail: SMTP when smtpUrl is set, otherwise captured into outbound_emails. */
  mail: { smtpUrl: string | undefined; from: string };
  /** Wrong secrets allowed per minute before a lockout: per client id / email / link, and per client address. */
  authThrottle: { failuresPerSubject: number; failuresPerAddress: number };
  /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed; empty: none. */
  trustedProxies: string[];
  partitions: PartitionSettings;
}

/** Retention of the time-partitioned tables (docs/partitions.md). */
export interface PartitionSettings {
  retentionDays: { batteryReadings: number; assetReadings: number; batteryRollups: number; deliveryAttempts: number };
  /** What happens to a partition past its retention: dropped, or detached into the `archive` schema for an operator to dump. */
  expired: "drop" | "detach";
}

/** How one class of queue is worked in each worker process. */
export interface QueueWorkSettings {
  /** Jobs of the queue running at once in this process. */
  concurrency: number;
  /** Jobs taken from the queue in one fetch. */
  batchSize: number;
}

export interface JobsConfig {
  /** How long an idle worker waits before looking at a queue again. */
  pollingIntervalSeconds: number;
  polling: QueueWorkSettings;
  actionDriving: QueueWorkSettings;
  delivery: QueueWorkSettings;
  replanning: QueueWorkSettings;
}

/** Limits that stop one slow OEM cloud or device from holding every worker. */
export interface OemLimits {
  /** Per attempt. */
  requestTimeoutMs: number;
  maxAttempts: number;
  /** Requests in flight per OEM cloud in this process. */
  concurrency: number;
  /** After a device times out, calls to it fail at once for this long. */
  deviceCooldownSeconds: number;
}

interface LocalSecrets {
  sessionSecret: string;
  encryptionKey: string;
}

export class ConfigError extends Error {}

function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) {
    const parsed = z
      .object({ sessionSecret: z.string().min(32), encryptionKey: z.string().min(40) })
      .safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (parsed.success) return parsed.data;
    throw new ConfigError(`${file} is malformed; delete it to generate new local secrets.`);
  }
  // 755 so the embedded cluster's `postgres` user can reach its own directory below.
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const secrets: LocalSecrets = {
    sessionSecret: randomBytes(32).toString("base64url"),
    encryptionKey: randomBytes(32).toString("base64"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable means "not set" (e.g. `DATABASE_URL=` in a shell or compose file).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = result.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const needsLocal = !e.NEXTAUTH_SECRET || !e.ENCRYPTION_KEY;
  const local = needsLocal ? loadOrCreateLocalSecrets(dataDir) : undefined;
  const sessionSecret = e.NEXTAUTH_SECRET ?? local?.sessionSecret ?? "";
  const encryptionKey = Buffer.from(e.ENCRYPTION_KEY ?? local?.encryptionKey ?? "", "base64");
  if (encryptionKey.length !== 32) throw new ConfigError("ENCRYPTION_KEY must decode to 32 bytes.");
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    appUrl: e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`,
    sessionSecret,
    encryption: { keyId: e.ENCRYPTION_KEY_ID, key: encryptionKey },
    previousEncryptionKeys: parsePreviousEncryptionKeys(e.CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS ?? "").filter((k) => k.keyId !== e.ENCRYPTION_KEY_ID),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === "production" ? "json" : "pretty"),
    workerInProcess: e.WORKER_IN_PROCESS ?? true,
    databasePoolMax: e.DATABASE_POOL_MAX,
    jobs: {
      pollingIntervalSeconds: e.WORKER_POLLING_INTERVAL_SECONDS,
      polling: { concurrency: e.JOBS_POLL_CONCURRENCY, batchSize: e.JOBS_POLL_BATCH_SIZE },
      actionDriving: { concurrency: e.JOBS_DRIVE_CONCURRENCY, batchSize: e.JOBS_DRIVE_BATCH_SIZE },
      delivery: { concurrency: e.JOBS_DELIVERY_CONCURRENCY, batchSize: e.JOBS_DELIVERY_BATCH_SIZE },
      replanning: { concurrency: e.JOBS_REPLAN_CONCURRENCY, batchSize: e.JOBS_REPLAN_BATCH_SIZE },
    },
    oemLimits: {
      requestTimeoutMs: e.OEM_REQUEST_TIMEOUT_MS,
      maxAttempts: e.OEM_MAX_ATTEMPTS,
      concurrency: e.OEM_CONCURRENCY,
      deviceCooldownSeconds: e.OEM_DEVICE_COOLDOWN_SECONDS,
    },
    demoAdmin: { email: e.DEMO_ADMIN_EMAIL, password: e.DEMO_ADMIN_PASSWORD },
    seedDemo: e.SEED_DEMO,
    simulator: { port: e.SIMULATOR_PORT, url: e.SIMULATOR_URL ?? `http://127.0.0.1:${e.SIMULATOR_PORT}` },
    ocpp: { port: e.OCPP_PORT, heartbeatIntervalSeconds: e.OCPP_HEARTBEAT_INTERVAL_SECONDS },
    apiTokenTtlSeconds: e.API_TOKEN_TTL_SECONDS,
    retentionDays: e.RETENTION_DAYS,
    consentLinkTtlHours: e.CONSENT_LINK_TTL_HOURS,
    chargingReplanIntervalMinutes: e.CHARGING_REPLAN_INTERVAL_MINUTES,
    batteries: {
      pollIntervalSeconds: e.BATTERY_POLL_INTERVAL_SECONDS,
      staleAfterSeconds: e.BATTERY_STALE_AFTER_SECONDS ?? e.BATTERY_POLL_INTERVAL_SECONDS * 5,
      actionDeadlineSeconds: e.ACTION_DEADLINE_SECONDS,
      credentialExpiryWarningDays: e.CREDENTIAL_EXPIRY_WARNING_DAYS,
    },
    oemBaseUrls: oemBaseUrls(e),
    oemOauthClients: oemOauthClients(e),
    oemOauthStateTtlSeconds: e.OEM_OAUTH_STATE_TTL_SECONDS,
    flexLitePauseMinutes: e.FLEX_LITE_PAUSE_MINUTES,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    authThrottle: { failuresPerSubject: e.AUTH_FAILURES_PER_MINUTE, failuresPerAddress: e.AUTH_FAILURES_PER_ADDRESS_PER_MINUTE },
    trustedProxies: parseTrustedProxies(e.TRUSTED_PROXIES ?? ""),
    partitions: {
      retentionDays: {
        batteryReadings: e.BATTERY_READINGS_RETENTION_DAYS,
        assetReadings: e.ASSET_READINGS_RETENTION_DAYS,
        batteryRollups: e.BATTERY_ROLLUPS_RETENTION_DAYS,
        deliveryAttempts: e.DELIVERY_ATTEMPTS_RETENTION_DAYS,
      },
      expired: e.EXPIRED_PARTITIONS,
    },
  };
}

function parseTrustedProxies(raw: string): string[] {
  const entries = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (bits !== undefined && (!Number.isInteger(bits) || bits < 0 || bits > maxBits))) {
      throw new ConfigError(`Invalid environment:\n  TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    }
  }
  return entries;
}

function oemBaseUrls(e: Env): Config["oemBaseUrls"] {
  const simulator = (e.SIMULATOR_URL ?? `http://127.0.0.1:${e.SIMULATOR_PORT}`).replace(/\/$/, "");
  return {
    foxess: e.FOXESS_BASE_URL ?? `${simulator}/foxess`,
    givenergy: e.GIVENERGY_BASE_URL ?? `${simulator}/givenergy/v1`,
    sigenergy: e.SIGENERGY_BASE_URL ?? `${simulator}/sigen`,
    solis: e.SOLIS_BASE_URL ?? `${simulator}/solis`,
  };
}

type OauthOem = "foxess" | "givenergy";

/** The simulator's default OAuth registration (simulator/world.ts, DEFAULT_SIM_OAUTH_CLIENT). */
const SIMULATOR_OAUTH_CLIENT = { clientId: "flexfleet-local", clientSecret: "flexfleet-local-secret" };

function oemOauthClients(e: Env): Config["oemOauthClients"] {
  const client = (id: string | undefined, secret: string | undefined, baseUrl: string | undefined, name: string) => {
    if ((id === undefined) !== (secret === undefined)) throw new ConfigError(`Invalid environment:\n  ${name}_OAUTH_CLIENT_ID and ${name}_OAUTH_CLIENT_SECRET are set together or not at all`);
    if (id !== undefined && secret !== undefined) return { clientId: id, clientSecret: secret };
    return baseUrl === undefined ? SIMULATOR_OAUTH_CLIENT : undefined;
  };
  const foxess = client(e.FOXESS_OAUTH_CLIENT_ID, e.FOXESS_OAUTH_CLIENT_SECRET, e.FOXESS_BASE_URL, "FOXESS");
  const givenergy = client(e.GIVENERGY_OAUTH_CLIENT_ID, e.GIVENERGY_OAUTH_CLIENT_SECRET, e.GIVENERGY_BASE_URL, "GIVENERGY");
  return { ...(foxess ? { foxess } : {}), ...(givenergy ? { givenergy } : {}) };
}

let cached: Config | undefined;

export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Test and launcher hook: forget the cached config after the environment changed. */
export function resetConfigForProcess(): void {
  cached = undefined;
}
