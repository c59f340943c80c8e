import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { redactSecrets, REDACTED } from "./log";

describe("logger redaction", () => {
  it("redacts secret-looking keys at any depth before a line is written", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const logger = pino({ formatters: { log: (o) => redactSecrets(o) as Record<string, unknown> } }, sink);
    logger.info(
      { credential: { access_token: "tok-123456", refresh_token: "ref-999" }, headers: { Authorization: "Bearer abc" }, client_secret: "s3cr3t", password: "hunter2", nested: [{ apiKey: "k-1" }], siteId: "site-1" },
      "something happened",
    );
    const out = lines.join("");
    for (const secret of ["tok-123456", "ref-999", "Bearer abc", "s3cr3t", "hunter2", "k-1"]) expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
    expect(out).toContain("site-1");
  });
});

describe("logger redaction by value", () => {
  it("scrubs secret-looking values from messages, error texts and values under harmless keys", async () => {
    const { loggerOptions } = await import("./log");
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const logger = pino(loggerOptions("trace"), sink);
    const bearer = "fft_abcdefghijklmnopqrstuvwxyz012345";
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    logger.error({ err: new Error(`upstream said 401 for Authorization: Bearer ${bearer}`), detail: `callback?code=1&access_token=${jwt}&x=1`, url: "smtps://mailer:hunter22@mail.example:465" }, `request with client_secret=ffs_SECRETSECRETSECRETSECRET failed`);
    logger.info(`body was {"password":"correct horse battery","email":"a@b.c"}`);
    const out = lines.join("");
    for (const secret of [bearer, jwt, "hunter22", "ffs_SECRETSECRETSECRETSECRET", "correct horse battery"]) expect(out).not.toContain(secret);
    expect(out).toContain("a@b.c");
    expect(out).toContain("mail.example");
  });
});
