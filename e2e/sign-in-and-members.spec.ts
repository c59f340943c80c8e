import { expect, test, type Page } from "@playwright/test";

const demoEmail = process.env.DEMO_ADMIN_EMAIL ?? "admin@flexfleet.example";
const demoPassword = process.env.DEMO_ADMIN_PASSWORD ?? "flexfleet-demo";

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).or(page.getByRole("button", { name: "Sign out" })).first().click();
  await page.waitForURL("**/sign-in**");
}

test("sign-in rejects a wrong password with one clear message", async ({ page }) => {
  await signIn(page, demoEmail, "not-the-password");
  await expect(page.getByText("The email or password is incorrect.")).toBeVisible();
  await signIn(page, "not-an-email", "x");
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
});

test("an admin adds an operator who signs in, sees the role's limits and signs out", async ({ page }) => {
  await signIn(page, demoEmail, demoPassword);
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  await page.getByRole("link", { name: "Members" }).first().click();
  await page.waitForURL("**/settings/members");
  const email = `viewer-${Date.now()}@example.test`;
  await page.getByLabel("Name").fill("Vera Viewer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role").first().selectOption("viewer");
  await page.getByRole("button", { name: "Add member" }).click();
  const secret = page.getByLabel(/One-time password for/);
  await expect(secret).toBeVisible();
  const oneTimePassword = (await secret.inputValue()).trim();
  expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{16}$/);
  await expect(page.getByRole("cell", { name: `Vera Viewer ${email}` })).toBeVisible();

  await signOut(page);

  await signIn(page, email, oneTimePassword);
  await page.waitForURL("**/account/password");
  await page.getByLabel("One-time password").fill(oneTimePassword);
  await page.getByLabel(/^New password/).fill("vera-chooses-this");
  await page.getByLabel("Repeat the new password").fill("vera-chooses-this");
  await page.getByRole("button", { name: "Save password" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  await page.goto("/settings/members");
  await expect(page.getByText("Only admins can change members.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Add member" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);

  await signOut(page);
  await page.goto("/settings/members");
  await page.waitForURL("**/sign-in**");
});

test("unknown routes get a proper 404 page", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
