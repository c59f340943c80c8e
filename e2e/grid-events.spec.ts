import { expect, test } from "@playwright/test";
import { signIn } from "./support";

/** Tomorrow's date in UK time, as the date field takes it. */
function tomorrowInLondon(): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + 86_400_000));
}

test("an operator creates a grid event, reviews why assets are excluded, and cancels it", async ({ page }) => {
  await signIn(page);
  await page.goto("/grid-events");
  await expect(page.getByRole("heading", { name: "Grid events", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "New grid event" }).click();

  // Nothing filled in: each field says what is missing, and nothing is created.
  await page.getByRole("button", { name: "Create and review plan" }).click();
  await expect(page.getByText("Give the event a name.")).toBeVisible();
  await expect(page.getByText("The target must be more than 0 kW.")).toBeVisible();

  const name = `E2E evening peak ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Date").fill(tomorrowInLondon());
  await page.getByLabel("Target").fill("20");
  await page.getByLabel("Price").fill("250");
  await page.getByRole("button", { name: "Create and review plan" }).click();

  // The event page previews the plan before anything is dispatched.
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("Dispatch plan").first()).toBeVisible();
  // The demo battery without a credential has dispatch consent but is not enrolled.
  const excluded = page.getByRole("table", { name: "Excluded assets" });
  await expect(excluded).toBeVisible();
  await expect(excluded.getByText("Not enrolled").first()).toBeVisible();

  await page.getByRole("button", { name: "Cancel event" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this grid event?" });
  await expect(dialog.getByText("Nothing is dispatched.")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel event" }).click();
  await expect(page.getByText("This event was cancelled before its plan was committed.")).toBeVisible();

  // The list shows it cancelled.
  await page.goto("/grid-events");
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText(/cancelled/i);
});
