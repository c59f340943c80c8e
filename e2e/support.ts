// Shared steps of the end-to-end specs: the demo sign-in, fresh MPANs and a partner token.
import { expect, type Page } from "@playwright/test";

export const demoEmail = process.env.DEMO_ADMIN_EMAIL ?? "admin@flexfleet.example";
export const demoPassword = process.env.DEMO_ADMIN_PASSWORD ?? "flexfleet-demo";

/** A 13-digit MPAN core with a correct check digit; `prefix` keeps specs that run together apart. */
export function freshMpan(seed: number, prefix = "19"): string {
  const weights = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const first12 = `${prefix}${String(seed).padStart(10, "0").slice(-10)}`;
  const sum = weights.reduce((total, weight, i) => total + Number(first12.charAt(i)) * weight, 0);
  return `${first12}${(sum % 11) % 10}`;
}

export async function signIn(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(demoEmail);
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}

/** A partner's bearer token, from an API client the signed-in admin creates in the dashboard. */
export async function partnerToken(
  page: Page,
  options: { name: string; scopes: readonly string[] },
): Promise<string> {
  await page.goto("/settings/api-clients");
  await page.getByLabel("Name").fill(`${options.name} ${Date.now()}`);
  for (const scope of options.scopes) await page.getByLabel(scope).check();
  await page.getByRole("button", { name: "Create client" }).click();
  const secretInput = page.getByLabel(/Client secret for/);
  await expect(secretInput).toBeVisible();
  const clientSecret = (await secretInput.inputValue()).trim();
  const clientId = ((await page.getByTestId("created-client-id").textContent()) ?? "").trim();
  const response = await page.request.post("/api/v1/auth/token", {
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The demo's OEM simulator (scripts/e2e-server.ts starts it on this port): its admin API injects faults. */
export const simulatorUrl = `http://127.0.0.1:${Number(process.env.E2E_SIMULATOR_PORT ?? Number(process.env.E2E_PORT ?? 3210) + 1000)}`;
