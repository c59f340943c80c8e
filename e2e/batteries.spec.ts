import { expect, test } from "@playwright/test";
import { signIn } from "./support";
import { startSimulator } from "../simulator/index";

// Mirrors scripts/lib/demo-world.ts: the seeded fleet, whose last battery has no credentials yet.
const DEMO_FLEET = { count: 36, seed: 1 };

/** The fleet is derived from its seed, so a throwaway simulator hands out the same device and credential. */
async function lastDemoDeviceToken(): Promise<string> {
  const sim = await startSimulator({ port: 0, fleet: DEMO_FLEET, seed: DEMO_FLEET.seed });
  try {
    const device = sim.listDevices()[DEMO_FLEET.count - 1];
    if (!device) throw new Error("demo fleet is smaller than expected");
    const c = device.credential;
    return c.oem === "solis"
      ? `${c.keyId}:${c.keySecret}`
      : c.oem === "sigenergy"
        ? `${c.appKey}:${c.appSecret}`
        : c.apiKey;
  } finally {
    await sim.stop();
  }
}

const OEM_OF_LAST = ["foxess", "givenergy", "solis", "sigenergy"][(DEMO_FLEET.count - 1) % 4] ?? "foxess";

test("an operator adds OEM credentials, watches SoC appear and switches the battery's mode", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const token = await lastDemoDeviceToken();
  await signIn(page);
  await page.goto("/batteries");
  await page.getByRole("link", { name: "Battery demo-battery-36" }).click();
  await expect(page.getByTestId("battery-soc")).toHaveText("—");
  await page.getByRole("link", { name: "Open site" }).click();

  await page.getByRole("button", { name: "Add credentials" }).click();
  await page.getByLabel("OEM", { exact: true }).selectOption(OEM_OF_LAST);
  await page.getByLabel("Access token").fill(token);
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByTestId("credential-last-four")).toHaveText(`•••• ${token.slice(-4)}`);
  await expect(page.getByText("Valid", { exact: true })).toBeVisible();
  expect(await page.content()).not.toContain(token);

  await page.goBack();
  await expect(page.getByTestId("battery-soc")).toHaveText(/\d+ %/, { timeout: 20_000 });
  const current = (await page.getByTestId("battery-mode").textContent()) ?? "";
  const target = current.includes("Export") ? "IMPORT_FOCUS" : "EXPORT_FOCUS";
  await page.getByLabel("Operation mode").selectOption(target);
  await page.getByRole("button", { name: "Set mode" }).click();
  await expect(page.getByTestId("action-state").first()).toHaveText(/Pending|Confirmed/);
  await expect(page.getByTestId("action-state").first()).toHaveText("Confirmed", { timeout: 60_000 });
  await expect(page.getByTestId("battery-mode")).toHaveText(
    target === "EXPORT_FOCUS" ? "Export focus" : "Import focus",
    { timeout: 20_000 },
  );
});
