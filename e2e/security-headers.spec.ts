// Security headers, checked over real HTTP against the production build (the sign-in lockout and
// its 429 are tested in server/services/operators/sign-in.test.ts, where they lock no shared account).
import { expect, test } from "@playwright/test";

const pages = ["/sign-in", "/api/health", "/api/v1/openapi.json"];

test("pages and the API answer with CSP, frame-ancestors, nosniff and a referrer policy; HSTS only over TLS", async ({ request }) => {
  for (const path of pages) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], path).toContain("default-src 'self'");
    expect(headers["content-security-policy"], path).toContain("object-src 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"], path).toBeUndefined();
    expect(headers["x-powered-by"], path).toBeUndefined();
  }
  // Behind a TLS-terminating proxy (it says so with X-Forwarded-Proto), browsers are told to stay on https.
  const overTls = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(overTls.headers()["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
});
