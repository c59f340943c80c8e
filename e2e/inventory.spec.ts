import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { freshMpan, signIn } from "./support";

test("an operator adds a site, finds it, and sees why it is not yet eligible", async ({ page }) => {
  const mpan = freshMpan(Date.now() % 1e10);
  await signIn(page);
  await page.goto("/sites");
  await page.getByRole("link", { name: "Add site" }).first().click();
  await page.waitForURL("**/sites/new");

  // Browser-side validation first: a short MPAN never reaches the server.
  await page.getByLabel("MPAN").fill("123");
  await page.getByLabel("Postcode").fill("SW1A 1AA");
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page.getByText("MPAN must be exactly 13 digits, got 3")).toBeVisible();

  await page.getByLabel("MPAN").fill(mpan);
  await page.getByLabel("Postcode").fill("sw1a1aa");
  await page.getByLabel("Street address").fill("1 Playwright Lane");
  await page.getByRole("button", { name: "Add site" }).click();
  await page.waitForURL(/\/sites\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: mpan })).toBeVisible();
  await expect(page.getByText("SW1A 1AA").first()).toBeVisible();
  await expect(
    page.getByText("The site has no asset of a type this proposition controls.").first(),
  ).toBeVisible();

  // The same MPAN twice is refused with a clear message.
  await page.goto("/sites/new");
  await page.getByLabel("MPAN").fill(mpan);
  await page.getByLabel("Postcode").fill("SW1A 1AA");
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page.getByText(/already exists/)).toBeVisible();

  // Server-side search, with the filter in the URL so the list can be shared.
  await page.goto("/sites");
  await page.getByLabel("Search sites").fill(mpan.slice(0, 9));
  await page.waitForURL((url) => url.searchParams.get("q") === mpan.slice(0, 9));
  await expect(page.getByRole("cell", { name: new RegExp(mpan) })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("cell", { name: new RegExp(mpan) })).toBeVisible();
});

test("a CSV with one bad row shows the error and imports nothing; the fixed file imports", async ({
  page,
}) => {
  const base = Date.now() % 1e9;
  const good = freshMpan(base * 10 + 1);
  const second = freshMpan(base * 10 + 2);
  const header = "mpan,postcode,street_address,asset_external_id,asset_type,power_kw,capacity_kwh";
  const goodRows = [
    `${good},EC1A 1BB,2 Import Street,bat-${base},battery,5,9.5`,
    `${second},EC1A 1BB,3 Import Street,chg-${base},charger,7.4,`,
  ];
  await signIn(page);
  await page.goto("/sites/import");

  const bad = [header, ...goodRows, "12345,EC1A 1BB,4 Broken Street,,,,"].join("\n");
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  const errors = page.getByRole("table", { name: "Errors" });
  await expect(errors).toBeVisible();
  await expect(
    errors.getByRole("row").filter({ hasText: "MPAN must be exactly 13 digits, got 5" }),
  ).toContainText("4");
  await expect(page.getByRole("button", { name: /^Import \d/ })).toHaveCount(0);

  const fixed = [header, ...goodRows].join("\n");
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: "fixed.csv", mimeType: "text/csv", buffer: Buffer.from(fixed) });
  await page.getByRole("button", { name: "Import 2 sites" }).click();
  await expect(page.getByText("Import complete")).toBeVisible();
  await expect(page.getByText("2 sites added, 0 updated; 2 assets added, 0 updated.")).toBeVisible();

  await page.goto(`/sites?q=${good}`);
  await expect(page.getByRole("cell", { name: new RegExp(good) })).toBeVisible();
  await page.goto(`/sites?type=charger&q=${second}`);
  await expect(page.getByRole("cell", { name: new RegExp(second) })).toBeVisible();

  // Export follows the list's filters.
  const exported = await page.request.get(`/api/export/sites.csv?q=${good}`);
  expect(exported.status()).toBe(200);
  const lines = (await exported.text()).trim().split("\n");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`${good},EC1A 1BB,2 Import Street`);
});

test("an admin creates an API client, uses it from the example script and the REST API, and revokes it", async ({
  page,
  baseURL,
}) => {
  await signIn(page);
  await page.goto("/settings/api-clients");
  const name = `E2E partner ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create client" }).click();
  const secretInput = page.getByLabel(/Client secret for/);
  await expect(secretInput).toBeVisible();
  const clientSecret = (await secretInput.inputValue()).trim();
  const clientId = ((await page.getByTestId("created-client-id").textContent()) ?? "").trim();
  expect(clientId).not.toBe("");
  await expect(page.getByRole("cell", { name: new RegExp(name) })).toBeVisible();

  // The example script (tRPC with a bearer token) lists the organisation's sites.
  const script = await promisify(execFile)("npx", ["tsx", "scripts/list-sites.ts"], {
    env: {
      ...process.env,
      FLEXFLEET_URL: baseURL ?? "http://localhost:3210",
      FLEXFLEET_CLIENT_ID: clientId,
      FLEXFLEET_CLIENT_SECRET: clientSecret,
    },
    timeout: 60_000,
  });
  expect(script.stdout).toMatch(/^\d+ site\(s\)/m);

  const token = await page.request.post("/api/v1/auth/token", {
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
  });
  expect(token.status()).toBe(200);
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const sites = await page.request.get("/api/v1/entities/site", {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  expect(sites.status()).toBe(200);

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).not.toContainText("Never");

  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("dialog")).toContainText(`Revoke ${name}?`);
  await page.getByRole("button", { name: "Revoke client" }).click();
  await expect(row).toContainText("Revoked");
  const refused = await page.request.get("/api/v1/entities/site", {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  expect(refused.status()).toBe(401);
});
