import { expect, test } from "@playwright/test";
import { freshMpan, signIn, simulatorUrl } from "./support";

/** A new battery in the OEM simulator, as if the installer had just registered it in GivEnergy's cloud. */
async function newGivEnergyBattery(request: import("@playwright/test").APIRequestContext): Promise<{ deviceId: string; apiKey: string }> {
  const response = await request.post(`${simulatorUrl}/_sim/devices`, { data: { oem: "givenergy", capacityKwh: 9.5, ratedPowerKw: 5, socPct: 60 } });
  expect(response.status()).toBe(201);
  const created = (await response.json()) as { deviceId: string; credential: { apiKey: string } };
  return { deviceId: created.deviceId, apiKey: created.credential.apiKey };
}

test("an operator adds a battery by hand and sends a consent link; the household agrees on a phone from the mail and the site is enrolled", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const battery = await newGivEnergyBattery(page.request);
  const mpan = freshMpan(Date.now() % 1e10, "17");
  const email = `home-${mpan}@household.test`;
  await signIn(page);

  // A new site with the householder's email on file.
  await page.goto("/sites/new");
  await page.getByLabel("MPAN").fill(mpan);
  await page.getByLabel("Postcode").fill("LS1 4AP");
  await page.getByLabel("Street address").fill("12 Park Row, Leeds");
  await page.getByLabel("Customer email").fill(email);
  await page.getByLabel("Half-hourly settled").selectOption("yes");
  await page.getByRole("button", { name: "Add site" }).click();
  await page.waitForURL(/\/sites\/[0-9a-f-]{36}$/);
  const sitePath = new URL(page.url()).pathname;

  // The battery, typed in by hand.
  await page.getByRole("button", { name: "Add asset" }).click();
  const form = page.getByRole("form", { name: "Add asset" });
  await form.getByLabel("Type").selectOption("battery");
  await form.getByLabel("Manufacturer (OEM)").selectOption("givenergy");
  await form.getByLabel("Device id").fill(battery.deviceId);
  await form.getByLabel("Rated power").fill("5");
  await form.getByLabel("Capacity").fill("9.5");
  await form.getByRole("button", { name: "Add asset" }).click();
  await expect(page.getByText(/Battery givenergy-.* added\./)).toBeVisible();
  await expect(page.getByRole("table", { name: "Assets at this site" }).getByText("Battery")).toBeVisible();

  // The credential form starts on the battery's manufacturer.
  await page.getByRole("button", { name: "Add credentials" }).click();
  await expect(page.getByLabel("OEM", { exact: true })).toHaveValue("givenergy");
  await page.getByLabel("Access token").fill(battery.apiKey);
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByTestId("credential-last-four")).toHaveText(`•••• ${battery.apiKey.slice(-4)}`);

  // Send the consent link: mailed to the householder, with a QR code for the installer.
  await page.getByRole("button", { name: "Send consent link" }).click();
  await page.getByRole("button", { name: "Send link" }).click();
  await expect(page.getByText(`Consent link emailed to ${email}.`)).toBeVisible();
  await expect(page.getByRole("img", { name: /QR code of the consent link/ })).toBeVisible();

  // The captured mail, as the householder would receive it.
  await page.goto("/settings/mailbox");
  await page.getByRole("cell", { name: email }).first().click();
  const body = (await page.locator("pre").first().textContent()) ?? "";
  const url = /https?:\/\/\S+\/consent\/\S+/.exec(body)?.[0];
  expect(url, "the mail carries the consent link").toBeTruthy();

  // The householder opens it on a phone and agrees.
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, userAgent: "E2E-Phone/1.0", isMobile: true, hasTouch: true });
  const householder = await phone.newPage();
  await householder.goto(new URL(url ?? "").pathname);
  await expect(householder.getByRole("heading", { name: "Your home energy choices" })).toBeVisible();
  expect(await householder.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await householder.getByRole("button", { name: "I agree to Occasional battery events" }).tap();
  await expect(householder.getByRole("status")).toContainText("Your home is now taking part.");
  await phone.close();

  // No second step: the operator sees the site enrolled.
  await page.goto(sitePath);
  const row = page.getByRole("table", { name: "Enrolment per proposition" }).getByRole("row", { name: /Grid Event Mode/ });
  // The site page makes several reads at once; on a busy machine they take a while.
  await expect(row.getByText("Enrolled", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Grid Event Mode: enrolled")).toBeVisible({ timeout: 30_000 });
});
