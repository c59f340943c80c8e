// A password change and a rejected OEM key go through the dashboard; neither value may appear in
// anything the server printed (playwright.config.ts keeps that output in E2E_SERVER_LOG), and a
// handled form error must not be logged as an error in the browser (in development, Next's issue
// badge counts console.error calls). Run against `next dev` with E2E_NEXT_MODE=dev.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { demoEmail, demoPassword } from "./support";

const serverLog = process.env.E2E_SERVER_LOG ?? "";
// `next dev` compiles each page on its first visit, which takes long on a busy machine.
const expect = baseExpect.configure({ timeout: 90_000 });

/** Opens a page and waits until it has loaded its scripts, so a click reaches React's handler. */
async function open(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
}

async function signInAs(page: Page, email: string, password: string) {
  await open(page, "/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Errors the page's own code logged; the browser's note about a 4xx response is not one. */
function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

async function expectNoIssueBadge(page: Page) {
  // Next's development overlay shows this button only while it has counted an issue.
  await expect(page.getByRole("button", { name: "Open issues overlay" })).toHaveCount(0);
}

test("a password change and a rejected OEM key leave no trace in the server output or an issue badge", async ({ page }) => {
  test.setTimeout(1_500_000);
  expect(serverLog, "playwright.config.ts sets E2E_SERVER_LOG").not.toBe("");
  const consoleErrors = collectConsoleErrors(page);
  const unique = randomBytes(6).toString("hex");
  const newPassword = `pw-${unique}-chosen`;
  const rejectedKey = `oemkey-${unique}-rejected`;

  // An operator of their own, so the demo admin's password stays as the other specs expect.
  await signInAs(page, demoEmail, demoPassword);
  await page.waitForURL((url) => url.pathname === "/");
  await open(page, "/settings/members");
  const email = `log-check-${Date.now()}@example.test`;
  await page.getByLabel("Name").fill("Lena Logcheck");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role").first().selectOption("operator");
  await page.getByRole("button", { name: "Add member" }).click();
  const secret = page.getByLabel(/One-time password for/);
  await expect(secret).toBeVisible();
  const oneTimePassword = (await secret.inputValue()).trim();
  await page.context().clearCookies();

  await signInAs(page, email, oneTimePassword);
  await page.waitForURL("**/account/password");
  await page.waitForLoadState("networkidle");
  // First a wrong current password: a handled validation error, shown beside its field.
  await page.getByLabel("One-time password").fill(`${oneTimePassword}-wrong`);
  await page.getByLabel(/^New password/).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page.getByText("The current password is incorrect.")).toBeVisible();
  await expectNoIssueBadge(page);

  await page.getByLabel("One-time password").fill(oneTimePassword);
  await page.getByRole("button", { name: "Save password" }).click();
  await page.waitForURL((url) => url.pathname === "/");

  // A key the OEM refuses, on a demo site (a refused key leaves any stored one as it was).
  await open(page, "/sites");
  await page.getByRole("link", { name: /^Open site / }).first().click();
  await page.waitForURL(/\/sites\/[0-9a-f-]{36}$/);
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: /^(Add|Replace) credentials$/ }).click();
  await page.getByLabel("OEM", { exact: true }).selectOption("givenergy");
  await page.getByLabel("Access token").fill(rejectedKey);
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByText("Credentials not saved")).toBeVisible({ timeout: 30_000 });
  await expectNoIssueBadge(page);
  expect(consoleErrors).toEqual([]);

  // Give the server a moment to flush what it logs after answering.
  await page.waitForTimeout(2_000);
  const output = readFileSync(serverLog, "utf8");
  expect(output, "the captured output is the server's").toMatch(/Ready in/);
  for (const [what, value] of [
    ["new password", newPassword],
    ["one-time password", oneTimePassword],
    ["rejected OEM key", rejectedKey],
    ["distinctive part of the secrets", unique],
  ] as const) {
    expect(output.includes(value), `the ${what} appears in the server output`).toBe(false);
  }
});
