import { expect, test } from "@playwright/test";
import { startSimulator } from "../simulator/index";
import { signIn, simulatorUrl } from "./support";

// Mirrors scripts/lib/demo-world.ts: the seeded fleet (demo-battery-01 is Fully Optimised).
const DEMO_FLEET = { count: 36, seed: 1 };

/** The fleet is derived from its seed, so a throwaway simulator names the same devices. */
async function demoDeviceId(index: number): Promise<string> {
  const sim = await startSimulator({ port: 0, fleet: DEMO_FLEET, seed: DEMO_FLEET.seed });
  try {
    const device = sim.listDevices()[index];
    if (!device) throw new Error("demo fleet is smaller than expected");
    return device.deviceId;
  } finally {
    await sim.stop();
  }
}

test("a fresh demo shows the fleet's figures, a week of history, a settled event with credits and an optimised schedule", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const figures = page.getByTestId("overview-figures");
  await expect(figures.getByText(/\d+ \/ 36/)).toBeVisible();
  await expect(figures.getByText("Fleet state of charge")).toBeVisible();
  // Every figure has a value once the batteries report (the live feed updates the page).
  await expect(figures).not.toContainText("—", { timeout: 60_000 });
  await expect(figures.getByText(/£[1-9]/)).toBeVisible();
  await expect(page.getByText("Teatime turn-down")).toBeVisible();

  await page.goto("/batteries");
  await page.getByRole("link", { name: "Battery demo-battery-01" }).click();
  await page.getByRole("button", { name: "7 days" }).click();
  const summary = page.getByTestId("history-summary");
  // The 24-hour view is shown until the week's readings arrive: wait for the week (more than one point
  // per half hour over seven days), not the first number.
  await expect.poll(async () => Number(await summary.getAttribute("data-points")), { timeout: 20_000 }).toBeGreaterThan(7 * 48);
  await expect(page.getByText("Planned battery power against the market price").first()).toBeVisible();

  await page.goto("/grid-events");
  await page.getByRole("link", { name: "Evening peak turn-down" }).click();
  // The settlement report is worked out on request, after the event itself has loaded: on a busy
  // machine that takes longer than the default wait.
  await expect(page.getByRole("heading", { name: "Settled" })).toBeVisible({ timeout: 30_000 });
  const settlement = page.getByTestId("settlement");
  await expect(settlement.getByText(/£[1-9]/)).toBeVisible();
  // The response chart shows the event's window and target band; a settled event raises no delivery warning.
  const chart = page.getByRole("figure", { name: "Target against aggregate response" });
  await expect(chart.getByText("Event window")).toBeVisible();
  await expect(chart.getByText("Target band")).toBeVisible();
  await expect(page.getByText("This event is under-delivering")).toHaveCount(0);
});

test("a battery that stops reporting appears under needs attention and leaves it once read again", async ({ page, request }) => {
  // The e2e server polls every 60 s and calls a battery stale after 120 s (scripts/e2e-server.ts).
  test.setTimeout(300_000);
  const deviceId = await demoDeviceId(1);
  await signIn(page);
  const item = page.getByRole("link", { name: /Battery demo-battery-02 is not reporting/ });
  await expect(item).toHaveCount(0);

  expect((await request.post(`${simulatorUrl}/_sim/faults`, { data: { deviceId, errorRate: 1 } })).ok()).toBe(true);
  try {
    // The live overview pushes the change; no reload.
    await expect(item).toBeVisible({ timeout: 210_000 });
  } finally {
    await request.post(`${simulatorUrl}/_sim/faults`, { data: { deviceId, errorRate: 0 } });
  }
  await item.click();
  await page.getByRole("button", { name: "Read now" }).click();
  await expect(page.getByText("Online", { exact: true })).toBeVisible({ timeout: 20_000 });
  await page.goto("/");
  await expect(page.getByRole("link", { name: /Battery demo-battery-02 is not reporting/ })).toHaveCount(0, { timeout: 20_000 });
});
