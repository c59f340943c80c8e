// Structured logging. Secrets are redacted here, by the logger itself, so a
// careless call site cannot leak a token: any key that looks like a secret is
// replaced before the line is written, at any depth.
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { getConfig } from "./config";

const SECRET_KEY = /pass(word)?|secret|token|authori[sz]ation|api[-_]?key|cookie|signature|credential|private[-_]?key/i;
export const REDACTED = "[redacted]";

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return { type: value.name, message: value.message, stack: value.stack };
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && typeof v !== "boolean" ? REDACTED : redactSecrets(v, depth + 1);
  }
  return out;
}

function createLogger(): Logger {
  const config = getConfig();
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: "flexfleet" },
    formatters: { log: (obj) => redactSecrets(obj) as Record<string, unknown> },
    serializers: { err: (e: unknown) => redactSecrets(e) },
  };
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
