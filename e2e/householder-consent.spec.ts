import { expect, test, type APIRequestContext } from "@playwright/test";
import { freshMpan, partnerToken, signIn } from "./support";

async function batterySite(request: APIRequestContext, token: string): Promise<string> {
  const mpan = freshMpan(Date.now() % 1e10, "18");
  const response = await request.post("/api/v1/entities/site/initialise", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      site: { mpan, postcode: "SW1A 1AA", street_address: "1 Consent Close", is_half_hourly_settled: true },
      assets: [
        {
          external_id: `e2e-battery-${mpan}`,
          type: "battery",
          oem: "givenergy",
          properties: { power_kw: 5, capacity_kwh: 10 },
        },
      ],
    },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { site: { site_id: string } }).site.site_id;
}

async function consentLink(
  request: APIRequestContext,
  token: string,
  siteId: string,
  ttlHours?: number,
): Promise<string> {
  const response = await request.post(`/api/v1/entities/site/${siteId}/consent-link`, {
    headers: { authorization: `Bearer ${token}` },
    data: ttlHours === undefined ? {} : { ttl_hours: ttlHours },
  });
  expect(response.status()).toBe(200);
  return new URL(((await response.json()) as { url: string }).url).pathname;
}

test("a householder opens the link on a phone, agrees and withdraws; the operator sees both with evidence", async ({
  page,
  browser,
}) => {
  await signIn(page);
  const token = await partnerToken(page, { name: "E2E consent", scopes: ["entities:write"] });
  const siteId = await batterySite(page.request, token);
  const path = await consentLink(page.request, token, siteId);

  // The householder has no account: a fresh context with a phone-sized screen.
  const phone = await browser.newContext({
    viewport: { width: 375, height: 740 },
    userAgent: "E2E-Phone/1.0",
  });
  const householder = await phone.newPage();
  await householder.goto(path);
  await expect(householder.getByRole("heading", { name: "Your home energy choices" })).toBeVisible();
  await expect(householder.getByRole("heading", { name: "Full battery optimisation" })).toBeVisible();
  await expect(householder.getByText("SW1A 1AA")).toBeVisible();
  // Nothing overflows sideways on a phone.
  expect(await householder.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // Keyboard only: focus the button and press Enter.
  const agree = householder.getByRole("button", { name: "I agree to Full battery optimisation" });
  await agree.focus();
  await householder.keyboard.press("Enter");
  await expect(householder.getByRole("heading", { name: "Thank you: you have agreed" })).toBeVisible();
  await expect(householder.getByRole("status")).toContainText("Full battery optimisation");

  await householder.getByRole("link", { name: "Back to your choices" }).click();
  const section = householder.getByRole("region", { name: "Full battery optimisation" });
  await expect(section.getByText("You have agreed")).toBeVisible();
  await section.getByRole("button", { name: "Withdraw from Full battery optimisation" }).click();
  await expect(householder.getByRole("heading", { name: "You have withdrawn" })).toBeVisible();

  // The operator's site page shows both records with their channel and evidence.
  await page.goto(`/sites/${siteId}`);
  await expect(page.getByText("Fully Optimised: withdrawn").first()).toBeVisible();
  await expect(page.getByText("Fully Optimised: granted")).toBeVisible();
  await expect(page.getByText("E2E-Phone/1.0").first()).toBeVisible();
  await expect(page.getByText(/Householder page/).first()).toBeVisible();
  await phone.close();
});

test("tampered, expired and offboarded links get a clear page, not an error", async ({ page, browser }) => {
  await signIn(page);
  const token = await partnerToken(page, { name: "E2E consent", scopes: ["entities:write"] });
  const siteId = await batterySite(page.request, token);
  const householder = await (await browser.newContext()).newPage();

  const good = await consentLink(page.request, token, siteId);
  const tampered = `${good.slice(0, -3)}${good.endsWith("AAA") ? "BBB" : "AAA"}`;
  const tamperedResponse = await householder.goto(tampered);
  expect(tamperedResponse?.status()).toBeLessThan(500);
  await expect(householder.getByRole("heading", { name: "This link is not valid" })).toBeVisible();

  const shortLived = await consentLink(page.request, token, siteId, 1 / 3600);
  await householder.waitForTimeout(1500);
  await householder.goto(shortLived);
  await expect(householder.getByRole("heading", { name: "This link has expired" })).toBeVisible();

  const offboard = await page.request.post(`/api/v1/entities/site/${siteId}/offboard-site-and-assets`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(offboard.status()).toBe(200);
  await householder.goto(good);
  await expect(
    householder.getByRole("heading", { name: "Your home is no longer taking part" }),
  ).toBeVisible();
});
