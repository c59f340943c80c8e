import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, batteryWebhookEvents } from "@/db/schema";
import { OemCredentialRejectedError } from "@/server/oem";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { randomMpan, simulatorGateway } from "../batteries/test-support";
import { createSite } from "../inventory/sites";
import { getOemCredentialSummary, openOemCredentialForSite, submitOemCredential } from "./credentials";
import { refreshBearerCredentials } from "./refresh-credentials";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 91, oauthTokenTtlMs: 3_600_000 });
});
afterAll(async () => {
  await sim.stop();
});

/** A site whose GivEnergy credential is an OAuth bearer token with a refresh token, as a partner submits it. */
async function bearerSite(org: TestOrg, options: { ttlMs: number; refreshToken?: string }) {
  const device = sim.createDevice({ oem: "givenergy" });
  const tokens = sim.issueOauthTokens(device.deviceId, options.ttlMs);
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  await submitOemCredential(
    org.admin,
    { siteId: site.id, oem: "givenergy", tokenType: "Bearer", accessToken: tokens.accessToken, refreshToken: options.refreshToken ?? tokens.refreshToken, expiresAt: tokens.expiresAt },
    { gateway: simulatorGateway(sim) },
  );
  return { siteId: site.id, device, tokens };
}

describe("OAuth bearer refresh", () => {
  it("refreshes a bearer credential nearing expiry through the adapter, and the new token works against the simulator", async () => {
    const org = await createTestOrg("bearer-refresh");
    const gateway = simulatorGateway(sim);
    const { siteId, device, tokens } = await bearerSite(org, { ttlMs: 2_000 });
    // The short-lived access token expires: the OEM refuses it as expired.
    await new Promise((r) => setTimeout(r, 2_100));
    const stale = await openOemCredentialForSite(org.admin, siteId);
    if (!stale) throw new Error("no credential");
    const refused = await gateway.readState(stale.credential, device.deviceId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OemCredentialRejectedError);
    expect(refused).toMatchObject({ reason: "expired" });

    expect(await refreshBearerCredentials({ gateway, orgId: org.orgId })).toEqual({ refreshed: 1, rejected: 0, deferred: 0, unsupported: 0 });
    const summary = await getOemCredentialSummary(org.admin, siteId);
    expect(summary).toMatchObject({ tokenType: "Bearer", status: "valid" });
    expect(summary?.lastFour).not.toBe(tokens.accessToken.slice(-4));
    expect(summary?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    const fresh = await openOemCredentialForSite(org.admin, siteId);
    if (!fresh) throw new Error("no credential");
    const state = await gateway.readState(fresh.credential, device.deviceId);
    expect(state.socPct).toBeGreaterThanOrEqual(0);

    // The refresh token rotated: the old one is spent, the stored new one works next time.
    expect(await refreshBearerCredentials({ gateway, orgId: org.orgId, aheadMs: 2 * 3_600_000 })).toMatchObject({ refreshed: 1, rejected: 0 });
    const audits = await getDb().select().from(auditEvents).where(and(eq(auditEvents.organisationId, org.orgId), eq(auditEvents.action, "oem_credential.refreshed")));
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toContain(tokens.refreshToken);
  });

  it("leaves credentials that are not due, API keys, and bearer tokens without a refresh token alone", async () => {
    const org = await createTestOrg("bearer-refresh-not-due");
    const gateway = simulatorGateway(sim);
    await bearerSite(org, { ttlMs: 3 * 3_600_000 });
    const apiKeyDevice = sim.createDevice({ oem: "givenergy" });
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const apiKey = apiKeyDevice.credential.oem === "givenergy" ? apiKeyDevice.credential.apiKey : "";
    await submitOemCredential(org.admin, { siteId: site.id, oem: "givenergy", tokenType: "API_KEY", accessToken: apiKey, expiresAt: new Date(Date.now() + 60_000) }, { gateway });
    expect(await refreshBearerCredentials({ gateway, orgId: org.orgId })).toEqual({ refreshed: 0, rejected: 0, deferred: 0, unsupported: 0 });
  });

  it("marks the credential rejected and raises the expiry warning when the OEM refuses the refresh token", async () => {
    const org = await createTestOrg("bearer-refresh-refused");
    const gateway = simulatorGateway(sim);
    const { siteId } = await bearerSite(org, { ttlMs: 10 * 60_000, refreshToken: "sim-rt-not-a-token-the-oem-issued" });
    expect(await refreshBearerCredentials({ gateway, orgId: org.orgId })).toEqual({ refreshed: 0, rejected: 1, deferred: 0, unsupported: 0 });
    expect(await getOemCredentialSummary(org.admin, siteId)).toMatchObject({ status: "rejected", rejectedReason: expect.stringMatching(/refresh refused/) });
    const events = await getDb().select().from(batteryWebhookEvents).where(eq(batteryWebhookEvents.organisationId, org.orgId));
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ event: "user:credentials:expiring", siteId, vendor: "GIVENERGY", reason: "refresh_failed" })]);
    expect(JSON.stringify(events)).not.toContain("sim-rt-not-a-token");
    // Not tried again: a rejected credential waits for a person.
    expect(await refreshBearerCredentials({ gateway, orgId: org.orgId })).toMatchObject({ rejected: 0, refreshed: 0 });
  });

  it("refreshes nothing for another organisation", async () => {
    const org = await createTestOrg("bearer-refresh-mine");
    const other = await createTestOrg("bearer-refresh-other");
    const gateway = simulatorGateway(sim);
    const { siteId, tokens } = await bearerSite(org, { ttlMs: 10 * 60_000 });
    expect(await refreshBearerCredentials({ gateway, orgId: other.orgId })).toMatchObject({ refreshed: 0 });
    expect(await getOemCredentialSummary(other.admin, siteId)).toBeNull();
    expect((await getOemCredentialSummary(org.admin, siteId))?.lastFour).toBe(tokens.accessToken.slice(-4));
  });
});
