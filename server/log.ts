// Structured logging. Secrets are redacted here, by the logger itself, so a careless call site
// cannot leak one: a value under a key that looks like a secret is replaced at any depth, and
// any string (messages, error texts, nested values) is scrubbed of values that look like secrets
// whatever key they sit under (bearer tokens, our own token and secret formats, JWTs, credentials
// in URLs, `password=...` pairs).
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { getConfig } from "./config";

const SECRET_KEY = /pass(word)?|secret|token|authori[sz]ation|api[-_]?key|cookie|signature|credential|private[-_]?key/i;
export const REDACTED = "[redacted]";

const SECRET_VALUES: [RegExp, string][] = [
  // Authorization header values: Bearer / Basic / Token schemes.
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // Our own bearer tokens and API client secrets (server/services/api-clients).
  [/\b(fft|ffs)_[A-Za-z0-9_-]{16,}/g, REDACTED],
  // JSON Web Tokens (OEM OAuth tokens, session tokens).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // user:password@ in URLs (SMTP_URL, DATABASE_URL).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  // key=value and "key":"value" pairs whose key names a secret.
  [/\b([\w-]*(?:pass(?:word)?|secret|token|api[-_]?key|signature)[\w-]*)=([^&\s"']+)/gi, `$1=${REDACTED}`],
  [/("[\w-]*(?:pass(?:word)?|secret|token|api[-_]?key|signature)[\w-]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${REDACTED}"`],
];

/** Scrubs values that look like secrets out of free text. */
export function redactSecretText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_VALUES) out = out.replace(pattern, replacement);
  return out;
}

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactSecretText(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return redactSecrets({ type: value.name, message: value.message, stack: value.stack, ...(value.cause !== undefined ? { cause: value.cause } : {}) }, depth + 1);
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && typeof v !== "boolean" ? REDACTED : redactSecrets(v, depth + 1);
  }
  return out;
}

/** The logger's options: every line's object and message pass through the redaction above. */
export function loggerOptions(level: pino.LevelWithSilent): pino.LoggerOptions {
  return {
    level,
    base: { service: "flexfleet" },
    formatters: { log: (obj) => redactSecrets(obj) as Record<string, unknown> },
    serializers: { err: (e: unknown) => redactSecrets(e) },
    hooks: {
      // Messages (and printf-style arguments) are text a call site built: scrub them too.
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === "string" ? redactSecretText(arg) : arg)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
}

/** A logger with production's redaction, writing to `destination` (tests capture with it). */
export function createLogger(destination?: DestinationStream): Logger {
  const config = getConfig();
  const options = loggerOptions(config.logLevel);
  if (destination) return pino(options, destination);
  if (config.logFormat === "pretty") {
    return pino(options, pretty({ sync: true, colorize: true, ignore: "pid,hostname,service" }));
  }
  return pino(options);
}

let logger: Logger | undefined;

export function getLogger(): Logger {
  logger ??= createLogger();
  return logger;
}

/** Tests capture log output to prove secrets never reach it. */
export function setLoggerForProcess(replacement: Logger): void {
  logger = replacement;
}

export const log = {
  child: (bindings: Record<string, unknown>) => getLogger().child(bindings),
  info: (obj: object | string, msg?: string) => (typeof obj === "string" ? getLogger().info(obj) : getLogger().info(obj, msg)),
  warn: (obj: object | string, msg?: string) => (typeof obj === "string" ? getLogger().warn(obj) : getLogger().warn(obj, msg)),
  error: (obj: object | string, msg?: string) => (typeof obj === "string" ? getLogger().error(obj) : getLogger().error(obj, msg)),
  debug: (obj: object | string, msg?: string) => (typeof obj === "string" ? getLogger().debug(obj) : getLogger().debug(obj, msg)),
};
