import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { batteryWebhookEvents, oemCredentials } from "@/db/schema";
import { accessTokenOf, randomMpan, simulatorGateway } from "@/server/services/batteries/test-support";
import { getOemCredentialSummary, submitOemCredential } from "@/server/services/credentials/credentials";
import { createSite } from "@/server/services/inventory/sites";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { warnExpiringCredentialsJob } from "./warn-expiring-credentials";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 78 });
});
afterAll(async () => {
  await sim.stop();
});

const DAY = 86_400_000;

async function credentialExpiringIn(org: TestOrg, days: number): Promise<string> {
  const device = sim.createDevice({ oem: "givenergy" });
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  await submitOemCredential(
    org.admin,
    { siteId: site.id, oem: "givenergy", tokenType: "API_KEY", accessToken: accessTokenOf(device), expiresAt: new Date(Date.now() + days * DAY) },
    { gateway: simulatorGateway(sim) },
  );
  return site.id;
}

async function warningsFor(orgId: string) {
  const rows = await getDb()
    .select()
    .from(batteryWebhookEvents)
    .where(and(eq(batteryWebhookEvents.organisationId, orgId), eq(batteryWebhookEvents.event, "user:credentials:expiring")));
  return rows.map((row) => row.payload);
}

const runJob = () => warnExpiringCredentialsJob.handler({}, { id: "test", retryCount: 0 });

describe("credentials.warn-expiring", () => {
  it("raises one expiry webhook event per credential entering the warning window, and only once", async () => {
    const org = await createTestOrg("warn-expiring");
    const soon = await credentialExpiringIn(org, 3);
    const later = await credentialExpiringIn(org, 60);
    expect((await getOemCredentialSummary(org.admin, soon))?.status).toBe("expiring");

    await runJob();
    const warnings = await warningsFor(org.orgId);
    expect(warnings).toEqual([expect.objectContaining({ event: "user:credentials:expiring", siteId: soon, vendor: "GIVENERGY", expiresAt: expect.any(String) })]);
    const [row] = await getDb().select().from(oemCredentials).where(eq(oemCredentials.siteId, soon));
    expect(row?.expiryWarnedAt).toBeInstanceOf(Date);

    // Hourly runs do not repeat the warning; the far-off credential stays quiet.
    await runJob();
    expect(await warningsFor(org.orgId)).toHaveLength(1);
    expect((await warningsFor(org.orgId)).some((w) => w.siteId === later)).toBe(false);
  });

  it("warns again after the credential is replaced and the new one nears expiry", async () => {
    const org = await createTestOrg("warn-expiring-replaced");
    const siteId = await credentialExpiringIn(org, 2);
    await runJob();
    const device = sim.createDevice({ oem: "givenergy" });
    await submitOemCredential(
      org.admin,
      { siteId, oem: "givenergy", tokenType: "API_KEY", accessToken: accessTokenOf(device), expiresAt: new Date(Date.now() + 1 * DAY) },
      { gateway: simulatorGateway(sim) },
    );
    await runJob();
    expect(await warningsFor(org.orgId)).toHaveLength(2);
  });

  it("does not warn about rejected credentials, and raises nothing in another organisation", async () => {
    const org = await createTestOrg("warn-expiring-rejected");
    const other = await createTestOrg("warn-expiring-other");
    const siteId = await credentialExpiringIn(org, 1);
    await getDb().update(oemCredentials).set({ status: "rejected", rejectedReason: "invalid" }).where(eq(oemCredentials.siteId, siteId));
    await runJob();
    expect(await warningsFor(org.orgId)).toEqual([]);
    await credentialExpiringIn(org, 1);
    await runJob();
    expect(await warningsFor(org.orgId)).toHaveLength(1);
    expect(await warningsFor(other.orgId)).toEqual([]);
  });
});
