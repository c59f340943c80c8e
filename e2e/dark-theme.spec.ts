// With the system set to dark, pages draw light text on dark surfaces (app/globals.css mirrors the palette).
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support";

/** Relative luminance (0 black … 1 white) of a computed CSS colour, via a canvas so any syntax (oklch, rgb) works. */
async function luminance(page: Page, selector: string, property: "color" | "backgroundColor"): Promise<number> {
  return page.locator(selector).first().evaluate((element, prop) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const context = canvas.getContext("2d");
    if (!context) return -1;
    context.fillStyle = getComputedStyle(element)[prop];
    context.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = [...context.getImageData(0, 0, 1, 1).data].map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }, property);
}

test("follows a dark system setting: dark pages and cards, light text", async ({ page }) => {
  test.setTimeout(600_000);
  await page.emulateMedia({ colorScheme: "dark" });
  await signIn(page);
  for (const path of ["/", "/batteries", "/settings/audit"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible({ timeout: 120_000 });
    expect(await luminance(page, "body", "backgroundColor"), `${path} background`).toBeLessThan(0.05);
    expect(await luminance(page, "h1", "color"), `${path} heading`).toBeGreaterThan(0.6);
  }
  await page.emulateMedia({ colorScheme: "light" });
  expect(await luminance(page, "body", "backgroundColor")).toBeGreaterThan(0.9);
});
