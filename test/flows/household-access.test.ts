// POST /auth/component-token and the OEM sign-in (OAuth authorization code) flow, over the REST
// handlers and the simulator's FoxESS and GivEnergy clouds on real HTTP.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { componentSessions, consentRecords, customers, oemAuthorizations, oemCredentials, sites } from "@/db/schema";
import { handleOemOauthCallback } from "@/server/api/oem-oauth-callback";
import type { Oem } from "@/server/oem";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { pollBattery } from "@/server/services/batteries/batteries";
import { simulatorGateway } from "@/server/services/batteries/test-support";
import { openConsentPage } from "@/server/services/consent/consent-links";
import { openIntentPage, submitHouseholderIntent } from "@/server/services/consent/intent-links";
import { getOemCredentialSummary, openOemCredentialForSite } from "@/server/services/credentials/credentials";
import { setOemGatewayForProcess } from "@/server/services/credentials/oem-gateway";
import { refreshBearerCredentials } from "@/server/services/credentials/refresh-credentials";
import { startSimulator, type CreatedDevice, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { call, randomMpan, tokenFor } from "@/server/api/rest/test-support";

let sim: SimulatorHandle;
let org: TestOrg;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 41, modeChangeDelayMs: 50 });
  setOemGatewayForProcess(simulatorGateway(sim));
  org = await createTestOrg("household-access");
  token = await tokenFor(org, ["entities:write"]);
});

afterAll(async () => {
  setOemGatewayForProcess(undefined);
  await sim?.stop();
});

const form = (fields: Record<string, string>) => ({
  rawBody: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

describe("POST /auth/component-token", () => {
  it("creates the end user on first use, answers a 24-hour token with our id, and the same id again later", async () => {
    const externalUserId = `household-${Date.now()}`;
    const first = await call("POST", "/auth/component-token", {
      token,
      ...form({ external_user_id: externalUserId, allowed_origin: "https://partner.example", user_email: "first@example.com", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" }),
    });
    expect(first.status).toBe(200);
    const body = first.body as { id: string; access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe("bearer");
    expect(body.expires_in).toBeGreaterThan(24 * 3600 - 60);
    expect(body.expires_in).toBeLessThanOrEqual(24 * 3600);
    const [customer] = await getDb().select().from(customers).where(and(eq(customers.organisationId, org.orgId), eq(customers.externalUserId, externalUserId)));
    expect(customer).toMatchObject({ id: body.id, email: "first@example.com" });

    // Later calls may leave the consent time out; the email sent replaces the one kept.
    const again = await call("POST", "/auth/component-token", { token, ...form({ external_user_id: externalUserId, allowed_origin: "https://partner.example", user_email: "second@example.com" }) });
    expect(again.status).toBe(200);
    expect((again.body as { id: string }).id).toBe(body.id);
    const [updated] = await getDb().select().from(customers).where(eq(customers.id, body.id));
    expect(updated?.email).toBe("second@example.com");
    const sessions = await getDb().select().from(componentSessions).where(eq(componentSessions.customerId, body.id));
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s) => s.allowedOrigin)).toEqual(["https://partner.example", "https://partner.example"]);
  });

  it("opens the household's consent and charging pages for the end user's site, records the consent time on it, and says so while there is no site", async () => {
    const externalUserId = `household-site-${Date.now()}`;
    const issued = await call("POST", "/auth/component-token", {
      token,
      ...form({ external_user_id: externalUserId, allowed_origin: "https://partner.example", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" }),
    });
    const noSite = (issued.body as { access_token: string }).access_token;
    expect(await openConsentPage(noSite)).toEqual({ ok: false, problem: "no_site" });
    expect(await openIntentPage(noSite)).toEqual({ ok: false, problem: "no_site" });

    // The partner links a site to the end user (as the energy-coordination dialect does); the earlier token now opens it.
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const customerId = (issued.body as { id: string }).id;
    await linkSiteToCustomer(site.id, customerId);
    expect(await openIntentPage(noSite)).toEqual({ ok: false, problem: "no_charger" });
    const charger = await createAsset(org.admin, { siteId: site.id, externalId: `charger-${Date.now()}`, type: "charger", properties: { power_kw: 7.4 } });
    const opened = await openConsentPage(noSite);
    expect(opened.ok && opened.view.siteId).toBe(site.id);

    const bound = await call("POST", "/auth/component-token", {
      token,
      ...form({ external_user_id: externalUserId, allowed_origin: "https://partner.example", gave_boundary_meter_consent_at: "2026-02-01T09:00:00Z" }),
    });
    const page = await openConsentPage((bound.body as { access_token: string }).access_token);
    expect(page.ok && page.view.propositions.map((p) => p.proposition)).toContain("limited_pause");
    const ledger = await getDb().select().from(consentRecords).where(and(eq(consentRecords.siteId, site.id), eq(consentRecords.kind, "boundary_meter")));
    expect(ledger.map((row) => row.occurredAt.toISOString())).toContain("2026-02-01T09:00:00.000Z");

    // It opens the charger's intent page too, and what the householder sets there is the charger's intent.
    const intentPage = await openIntentPage(noSite);
    expect(intentPage.ok && intentPage.view.chargerName).toBe(charger.externalId);
    expect(await submitHouseholderIntent(noSite, { energyRequiredKwh: "18", readyByLocalTime: "07:30" })).toMatchObject({ ok: true, intentVersion: 1 });
    const afterSubmit = await openIntentPage(noSite);
    expect(afterSubmit.ok && afterSubmit.view.intent).toMatchObject({ energyRequiredKwh: 18, readyByLocalTime: "07:30" });

    // A changed or foreign token opens nothing.
    const tampered = `${(bound.body as { access_token: string }).access_token.slice(0, -2)}xx`;
    expect(await openConsentPage(tampered)).toEqual({ ok: false, problem: "invalid" });
  });

  it("refuses a new end user without the consent time, a bad origin or email, naming the field, and stores nothing", async () => {
    const externalUserId = `household-refused-${Date.now()}`;
    const missing = await call("POST", "/auth/component-token", { token, ...form({ external_user_id: externalUserId, allowed_origin: "https://partner.example" }) });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ detail: [{ loc: ["body", "gave_boundary_meter_consent_at"] }] });
    const stored = await getDb().select().from(customers).where(and(eq(customers.organisationId, org.orgId), eq(customers.externalUserId, externalUserId)));
    expect(stored).toEqual([]);

    const badOrigin = await call("POST", "/auth/component-token", {
      token,
      ...form({ external_user_id: externalUserId, allowed_origin: "https://partner.example/path", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" }),
    });
    expect(badOrigin.status).toBe(422);
    expect(badOrigin.body).toMatchObject({ detail: [{ loc: ["body", "allowed_origin"] }] });

    const badEmail = await call("POST", "/auth/component-token", { token, ...form({ external_user_id: externalUserId, allowed_origin: "https://partner.example", user_email: "not-an-email" }) });
    expect(badEmail.status).toBe(422);
    expect(badEmail.body).toMatchObject({ detail: [{ loc: ["body", "user_email"] }] });
  });

  it("needs the entities:write scope", async () => {
    const readOnly = await tokenFor(org, ["entities:read"]);
    const refused = await call("POST", "/auth/component-token", { token: readOnly, ...form({ external_user_id: "x", allowed_origin: "https://partner.example" }) });
    expect(refused.status).toBe(403);
  });
});

/** A battery site whose device is on `oem`, with no credential yet. */
async function batterySite(oem: Oem): Promise<{ siteId: string; assetId: string; device: CreatedDevice }> {
  const device = sim.createDevice({ oem, socPct: 60 });
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  const asset = await createAsset(org.admin, {
    siteId: site.id,
    externalId: `battery-${device.deviceId}`,
    type: "battery",
    properties: { power_kw: device.ratedPowerKw, capacity_kwh: device.capacityKwh },
    oem,
    oemDeviceId: device.deviceId,
  });
  return { siteId: site.id, assetId: asset.id, device };
}

async function initiate(siteId: string, provider: string): Promise<URL> {
  const response = await call("GET", `/entities/site/${siteId}/oauth/${provider}/initiate`, { token });
  expect(response.status, response.text).toBe(200);
  return new URL((response.body as { authorization_url: string }).authorization_url);
}

/** The householder opens the OEM's page and answers it; returns where the OEM sends the browser. */
async function householderAnswers(authorizationUrl: URL, answer: { decision: "approve" | "deny"; username: string }): Promise<URL> {
  const pageResponse = await fetch(authorizationUrl);
  expect(pageResponse.status).toBe(200);
  expect(await pageResponse.text()).toContain("Allow access");
  const fields = new URLSearchParams(authorizationUrl.searchParams);
  fields.set("username", answer.username);
  fields.set("decision", answer.decision);
  const decided = await fetch(new URL("authorize", authorizationUrl), { method: "POST", body: fields, redirect: "manual" });
  expect(decided.status).toBe(302);
  return new URL(decided.headers.get("location") ?? "");
}

const callback = (redirect: URL, provider: string) => handleOemOauthCallback(new Request(redirect), provider);

describe("connecting a household's OEM account by signing in (OAuth)", () => {
  it.each(["givenergy", "foxess"] as const)("%s: initiate, approve at the OEM, callback stores the token sealed, a poll uses it and it refreshes", async (oem) => {
    const { siteId, assetId, device } = await batterySite(oem);
    const authorizationUrl = await initiate(siteId, oem);
    expect(authorizationUrl.href.startsWith(`${sim.baseUrls[oem]}/oauth/authorize?`)).toBe(true);
    expect(authorizationUrl.searchParams.get("redirect_uri")).toMatch(new RegExp(`/api/oauth/${oem}/callback$`));

    const redirect = await householderAnswers(authorizationUrl, { decision: "approve", username: device.deviceId });
    expect(redirect.searchParams.get("state")).toBe(authorizationUrl.searchParams.get("state"));
    const page = await callback(redirect, oem);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Your account is connected");

    const summary = await getOemCredentialSummary(org.admin, siteId);
    expect(summary).toMatchObject({ oem, tokenType: "Bearer", refreshable: true, status: "valid" });
    const [row] = await getDb().select().from(oemCredentials).where(eq(oemCredentials.siteId, siteId));
    const opened = await openOemCredentialForSite(org.admin, siteId);
    const accessToken = opened?.credential.oem === oem && "apiKey" in opened.credential ? opened.credential.apiKey : "";
    expect(accessToken).toMatch(/^sim-at-/);
    expect(row?.ciphertext).not.toContain(accessToken);

    const polled = await pollBattery(org.admin, assetId);
    expect(polled.ok).toBe(true);
    expect(polled.ok && polled.reading.socPct).toBeGreaterThan(0);

    // The refresh path renews it with the OEM's token endpoint, and the new token polls too.
    expect(await refreshBearerCredentials({ gateway: simulatorGateway(sim), orgId: org.orgId, aheadMs: 2 * 3_600_000 })).toMatchObject({ refreshed: 1, rejected: 0 });
    const renewed = await openOemCredentialForSite(org.admin, siteId);
    expect(renewed?.credential).not.toEqual(opened?.credential);
    expect((await pollBattery(org.admin, assetId)).ok).toBe(true);
    await getDb().delete(oemCredentials).where(eq(oemCredentials.siteId, siteId));
  });

  it("a state works once: the same redirect again is refused with a page, and nothing changes", async () => {
    const { siteId, device } = await batterySite("givenergy");
    const redirect = await householderAnswers(await initiate(siteId, "givenergy"), { decision: "approve", username: device.deviceId });
    expect((await callback(redirect, "givenergy")).status).toBe(200);
    const again = await callback(redirect, "givenergy");
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("This sign-in was already used");
  });

  it("a householder who denies gets a clear page and no credential is stored", async () => {
    const { siteId, device } = await batterySite("foxess");
    const redirect = await householderAnswers(await initiate(siteId, "foxess"), { decision: "deny", username: device.deviceId });
    expect(redirect.searchParams.get("error")).toBe("access_denied");
    const page = await callback(redirect, "foxess");
    expect(page.status).toBe(400);
    const text = await page.text();
    expect(text).toContain("You chose not to give access at FoxESS");
    expect(text).not.toMatch(/access_denied|[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await getOemCredentialSummary(org.admin, siteId)).toBeNull();
    const [attempt] = await getDb().select().from(oemAuthorizations).where(eq(oemAuthorizations.siteId, siteId));
    expect(attempt).toMatchObject({ outcome: "denied" });
  });

  it("refuses an altered state, a state for another provider, an expired state and a made-up code", async () => {
    const { siteId, device } = await batterySite("givenergy");
    const redirect = await householderAnswers(await initiate(siteId, "givenergy"), { decision: "approve", username: device.deviceId });
    const altered = new URL(redirect);
    altered.searchParams.set("state", `${redirect.searchParams.get("state")?.slice(0, -3) ?? ""}abc`);
    expect(await (await callback(altered, "givenergy")).text()).toContain("We could not match this sign-in");
    expect(await (await callback(redirect, "foxess")).text()).toContain("We could not match this sign-in");

    const wrongCode = new URL(redirect);
    wrongCode.searchParams.set("code", "sim-code-made-up");
    const refused = await callback(wrongCode, "givenergy");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("GivEnergy did not accept the sign-in");
    expect(await getOemCredentialSummary(org.admin, siteId)).toBeNull();

    const late = await householderAnswers(await initiate(siteId, "givenergy"), { decision: "approve", username: device.deviceId });
    await getDb().update(oemAuthorizations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(oemAuthorizations.siteId, siteId));
    const expired = await callback(late, "givenergy");
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("This sign-in took too long");
  });

  it("answers 400 for a published provider not offered here, 422 for one not published, 404 for another organisation's site", async () => {
    const { siteId } = await batterySite("givenergy");
    const unsupported = await call("GET", `/entities/site/${siteId}/oauth/solaredge/initiate`, { token });
    expect(unsupported.status).toBe(400);
    expect((unsupported.body as { detail: string }).detail).toMatch(/not available here/);
    const unknown = await call("GET", `/entities/site/${siteId}/oauth/tesla/initiate`, { token });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ detail: [{ loc: ["path", "provider"] }] });
    const other = await createTestOrg("household-access-other");
    const foreign = await call("GET", `/entities/site/${siteId}/oauth/givenergy/initiate`, { token: await tokenFor(other, ["entities:write"]) });
    expect(foreign.status).toBe(404);
  });
});

async function linkSiteToCustomer(siteId: string, customerId: string): Promise<void> {
  await getDb().update(sites).set({ customerId }).where(eq(sites.id, siteId));
}
