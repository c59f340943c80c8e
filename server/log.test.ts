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
