import { expect, test, type APIRequestContext } from "@playwright/test";
import { freshMpan, partnerToken, signIn } from "./support";

async function pluggedInCharger(
  request: APIRequestContext,
  token: string,
): Promise<{ assetId: string; externalId: string }> {
  const mpan = freshMpan(Date.now() % 1e10);
  const externalId = `e2e-charger-${mpan}`;
  const created = await request.post("/api/v1/entities/site/initialise", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      site: { mpan, postcode: "SW1A 1AA", is_half_hourly_settled: true },
      assets: [{ external_id: externalId, type: "charger", properties: { power_kw: 7.4 } }],
    },
  });
  expect(created.status()).toBe(200);
  const assetId = ((await created.json()) as { assets: { asset_id: string }[] }).assets[0]?.asset_id ?? "";
  const plugIn = await request.post(`/api/v1/entities/asset/${assetId}/event/plug-in`, {
    headers: { authorization: `Bearer ${token}` },
    data: {
      intent: { energy_required_kwh: 20, ready_by: "2026-01-01T07:00:00Z", ready_by_local_time: "07:00" },
      tariff: {
        tariff_type: "dual_rate",
        timezone: "Europe/London",
        off_peak_times: "00:00-05:30, 23:30-24:00",
      },
    },
  });
  expect(plugIn.status()).toBe(200);
  return { assetId, externalId };
}

test("an operator follows a plugged-in session to its timeline and hands the householder an intent link that re-plans", async ({
  page,
  browser,
}) => {
  await signIn(page);
  const token = await partnerToken(page, {
    name: "E2E charging",
    scopes: ["entities:write", "events:write"],
  });
  const charger = await pluggedInCharger(page.request, token);

  await page.goto("/charging");
  await expect(page.getByRole("heading", { name: "Charging", level: 1 })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search sessions" }).fill(charger.externalId);
  await page.getByRole("link", { name: new RegExp(`Session of ${charger.externalId}`) }).click();

  await expect(page.getByRole("heading", { name: charger.externalId })).toBeVisible();
  await expect(page.getByText("Plugged in", { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/Plan v1 after plug-in/)).toBeVisible();

  await page.getByRole("button", { name: "Create link" }).click();
  const linkInput = page.getByLabel("Intent link");
  await expect(linkInput).toBeVisible();
  const path = new URL((await linkInput.inputValue()).trim()).pathname;

  const phone = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const householder = await phone.newPage();
  await householder.goto(path);
  await expect(householder.getByRole("heading", { name: "Your car charging" })).toBeVisible();
  await expect(householder.getByText("You asked for 20 kWh by 07:00.")).toBeVisible();
  expect(await householder.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  await householder.getByLabel("Energy to add (kWh)").fill("0");
  await householder.getByRole("button", { name: "Save" }).click();
  await expect(householder.getByText("Enter more than 0 kWh.")).toBeVisible();
  // The refused value stays in the field (not the stored 20) so the householder can correct it.
  await expect(householder.getByLabel("Energy to add (kWh)")).toHaveValue("0");

  await householder.getByLabel("Energy to add (kWh)").fill("12");
  await householder.getByLabel("Ready by").fill("06:30");
  await householder.getByRole("button", { name: "Save" }).click();
  await expect(householder.getByText("You asked for 12 kWh by 06:30.")).toBeVisible();
  await expect(householder.getByText(/Your charging plan below has been updated/)).toBeVisible();

  await householder.goto("/intent/not-a-real-token");
  await expect(householder.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  await phone.close();

  await page.reload();
  await expect(page.getByText(/Intent v\d+: 12 kWh by 06:30/)).toBeVisible();
});
