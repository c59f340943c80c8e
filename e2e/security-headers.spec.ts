// Security headers, session cookies and sign-in lockout, checked over real HTTP against the
// production build.
import { expect, test } from "@playwright/test";
import { signIn } from "./support";

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

test("the page renders and runs under its CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  expect(violations).toEqual([]);
  const session = (await page.context().cookies()).find((cookie) => cookie.name.endsWith("next-auth.session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
});

test("the 11th wrong password within a minute is answered 429 with Retry-After, and so is the right one", async ({ request }) => {
  const email = `nobody-${Date.now()}@example.test`;
  const attempt = async (password: string) => {
    const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    return request.post("/api/auth/callback/credentials", { form: { email, password, csrfToken: csrf.csrfToken, json: "true" } });
  };
  for (let i = 0; i < 10; i++) expect((await attempt(`wrong-${i}`)).status()).toBe(401);
  const eleventh = await attempt("wrong-again");
  expect(eleventh.status()).toBe(429);
  expect(Number(eleventh.headers()["retry-after"])).toBeGreaterThan(0);
  expect(decodeURIComponent(((await eleventh.json()) as { url: string }).url)).toMatch(/Try again in/);
});
