import { expect, test } from "@playwright/test";
import { freshMpan, partnerToken, signIn } from "./support";

test("a householder withdraws through the partner's link to a new bank account; the operator's payment run pays it there, once", async ({ page, browser }) => {
  await signIn(page);
  const token = await partnerToken(page, { name: "E2E withdrawal", scopes: ["entities:write", "rewards:read"] });
  const auth = { authorization: `Bearer ${token}` };
  const mpan = freshMpan(Date.now() % 1e10, "17");
  const site = await page.request.post("/api/v1/entities/site/initialise", {
    headers: auth,
    data: {
      site: { mpan, postcode: "SW1A 1AA", street_address: "1 Reward Row", is_half_hourly_settled: true },
      assets: [{ external_id: `e2e-reward-battery-${mpan}`, type: "battery", oem: "givenergy", properties: { power_kw: 5, capacity_kwh: 10 } }],
    },
  });
  expect(site.status()).toBe(200);
  const siteId = ((await site.json()) as { site: { site_id: string } }).site.site_id;

  // The operator credits the site £12.50 (a correction), through the dashboard's own API.
  const credit = await page.request.post("/api/trpc/rewards.addEntry", {
    data: { json: { siteId, entryType: "correction", amountPence: 1250, note: "E2E credit" } },
  });
  expect(credit.status()).toBe(200);

  // The partner asks for the hosted page; a bad redirect is refused with the field named.
  const bad = await page.request.get(`/api/v1/rewards/${siteId}/url/balance?redirect_uri=javascript:alert(1)`, { headers: auth });
  expect(bad.status()).toBe(422);
  const link = await page.request.get(`/api/v1/rewards/${siteId}/url/balance?redirect_uri=${encodeURIComponent("https://partner.example/done")}`, { headers: auth });
  expect(link.status()).toBe(200);
  const { balance_withdrawal_url: url, url_expiry_timestamp: expiry } = (await link.json()) as { balance_withdrawal_url: string; url_expiry_timestamp: string };
  expect(new Date(expiry).getTime()).toBeGreaterThan(Date.now());

  const phone = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const householder = await phone.newPage();
  await householder.goto(new URL(url).pathname);
  await expect(householder.getByRole("heading", { name: "Your rewards" })).toBeVisible();
  await expect(householder.getByTestId("rewards-balance")).toHaveText("£12.50");
  expect(await householder.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // No account yet: withdrawing is not offered. A bad sort code is named; a good account is shown masked.
  await expect(householder.getByRole("button", { name: "Withdraw £12.50" })).toBeDisabled();
  await householder.getByRole("button", { name: "Add bank account" }).click();
  await householder.getByLabel("Name on the account").fill("Alex Householder");
  await householder.getByLabel("Sort code").fill("12-34");
  await householder.getByLabel("Account number").fill("12345678");
  await householder.getByRole("button", { name: "Save bank account" }).click();
  await expect(householder.locator("#sortCode-error")).toBeVisible();
  // Nothing typed is lost on a refusal.
  await expect(householder.getByLabel("Name on the account")).toHaveValue("Alex Householder");
  await expect(householder.getByLabel("Account number")).toHaveValue("12345678");
  await householder.getByLabel("Sort code").fill("12-34-56");
  await householder.getByRole("button", { name: "Save bank account" }).click();
  await expect(householder.getByTestId("bank-account-masked")).toContainText("5678");
  await expect(householder.getByTestId("bank-account-masked")).not.toContainText("12345678");

  await householder.getByRole("button", { name: "Withdraw £12.50" }).click();
  await expect(householder.getByRole("heading", { name: "Withdrawal requested" })).toBeVisible();
  await expect(householder.getByTestId("withdrawal-confirmation")).toContainText("£12.50");
  await phone.close();

  // The partner's view of the balance: nothing left to withdraw.
  const info = await page.request.get(`/api/v1/rewards/${siteId}/info`, { headers: auth });
  expect(info.status()).toBe(200);
  expect(JSON.stringify(await info.json())).toContain('"current_balance_pence":0');

  // The operator approves and exports the payment run: the withdrawal is paid to the householder's account.
  await page.goto("/rewards");
  await page.getByRole("button", { name: "Approve pending" }).click();
  await page.getByRole("dialog", { name: "Approve pending credits?" }).getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("button", { name: "Export payout CSV" })).toBeEnabled();
  await page.getByRole("button", { name: "Export payout CSV" }).click();
  const downloading = page.waitForEvent("download");
  await page.getByRole("dialog", { name: "Export a payment run?" }).getByRole("button", { name: "Export CSV" }).click();
  const csv = await (await downloading).createReadStream().then(async (stream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString("utf8");
  });
  const row = csv.split("\n").find((line) => line.includes(siteId) && line.includes("withdrawal"));
  expect(row).toContain("12.50");
  expect(row).toContain("Alex Householder");
  expect(row).toContain("12-34-56");
  expect(row).toContain("12345678");
  // The credit behind the withdrawal is not paid a second time.
  expect(csv.split("\n").filter((line) => line.includes(siteId))).toHaveLength(1);
});
