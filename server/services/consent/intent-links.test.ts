import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, chargingSessions, householderLinks } from "@/db/schema";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { initialiseSite } from "../inventory/initialise";
import { offboardSite } from "../offboarding/offboard-site";
import { createConsentLink, openConsentPage } from "./consent-links";
import { createIntentLink, listActiveIntentLinks, openIntentPage, revokeIntentLink, signIntentLinkToken, submitHouseholderIntent } from "./intent-links";

async function chargerSite(org: TestOrg, suffix: string) {
  const result = await initialiseSite(org.admin, {
    site: { mpan: "1234567890126", postcode: "SW1A 1AA" },
    assets: [
      { externalId: `intent-charger-${suffix}`, type: "charger", properties: { power_kw: 7.4 } },
      { externalId: `intent-battery-${suffix}`, type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" },
    ],
  });
  const charger = result.assets.find((a) => a.externalId.startsWith("intent-charger"));
  const battery = result.assets.find((a) => a.externalId.startsWith("intent-battery"));
  if (!charger || !battery) throw new Error("assets missing");
  return { siteId: result.site.siteId, chargerId: charger.assetId, batteryId: battery.assetId };
}

describe("householder intent links", () => {
  it("creates an audited link, shows the charger, rejects bad input by field and stores a valid intent from the householder page", async () => {
    const org = await createTestOrg("intent-links");
    const { siteId, chargerId } = await chargerSite(org, "a");
    const link = await createIntentLink(org.admin, { assetId: chargerId, ttlHours: 48 });
    expect(link.url).toContain(`/intent/${link.token}`);
    const [audit] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.organisationId, org.orgId), eq(auditEvents.action, "intent_link.created")));
    expect(audit?.targetId).toBe(chargerId);
    expect(JSON.stringify(audit?.details)).not.toContain(link.token);
    expect((await listActiveIntentLinks(org.admin, { siteId })).map((l) => l.linkId)).toEqual([link.linkId]);

    const opened = await openIntentPage(link.token);
    if (!opened.ok) throw new Error(opened.problem);
    expect(opened.view).toMatchObject({ chargerName: "intent-charger-a", intent: null, session: null, plan: null });

    const bad = await submitHouseholderIntent(link.token, { energyRequiredKwh: "lots", readyByLocalTime: "25:00" });
    expect(bad).toMatchObject({ ok: false, problem: "invalid_input" });
    if (bad.ok || bad.problem !== "invalid_input") throw new Error("expected invalid input");
    expect(bad.issues.map((i) => i.path[0])).toEqual(["energyRequiredKwh", "readyByLocalTime"]);
    expect(await submitHouseholderIntent(link.token, { energyRequiredKwh: "0", readyByLocalTime: "07:00" })).toMatchObject({ ok: false, problem: "invalid_input", issues: [{ path: ["energyRequiredKwh"], message: "Enter more than 0 kWh." }] });

    const saved = await submitHouseholderIntent(link.token, { energyRequiredKwh: "12.5", readyByLocalTime: "06:30" });
    expect(saved).toMatchObject({ ok: true, previousPlanVersion: null });
    const after = await openIntentPage(link.token);
    if (!after.ok) throw new Error(after.problem);
    expect(after.view.intent).toMatchObject({ energyRequiredKwh: 12.5, readyByLocalTime: "06:30" });
    const [used] = await getDb().select().from(householderLinks).where(eq(householderLinks.id, link.linkId));
    expect(used?.lastUsedAt).not.toBeNull();
  });

  it("re-plans a plugged-in charger so the page can show the new plan with its cost", async () => {
    const org = await createTestOrg("intent-plan");
    const { siteId, chargerId } = await chargerSite(org, "b");
    await getDb().insert(chargingSessions).values({ organisationId: org.orgId, assetId: chargerId, siteId, pluggedInAt: new Date(Date.now() - 60_000), chargerPowerKw: 7.4 });
    const link = await createIntentLink(org.admin, { assetId: chargerId });
    const saved = await submitHouseholderIntent(link.token, { energyRequiredKwh: 10, readyByLocalTime: "07:00" });
    expect(saved.ok).toBe(true);
    const opened = await openIntentPage(link.token);
    if (!opened.ok) throw new Error(opened.problem);
    expect(opened.view.session?.chargerPowerKw).toBe(7.4);
    expect(opened.view.plan).not.toBeNull();
    expect(opened.view.plan?.slots.length).toBeGreaterThan(0);
    expect(typeof opened.view.plan?.costPence).toBe("number");
  });

  it("answers expired, revoked, tampered, wrong-purpose and offboarded links with a problem and no data", async () => {
    const org = await createTestOrg("intent-bad");
    const { siteId, chargerId } = await chargerSite(org, "c");
    const link = await createIntentLink(org.admin, { assetId: chargerId, ttlHours: 1 });
    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(await openIntentPage(link.token, later)).toEqual({ ok: false, problem: "expired" });
    expect(await submitHouseholderIntent(link.token, { energyRequiredKwh: 5, readyByLocalTime: "07:00" }, later)).toEqual({ ok: false, problem: "expired" });
    expect(await openIntentPage(`${link.token.slice(0, -2)}xx`)).toEqual({ ok: false, problem: "invalid" });
    expect(await openIntentPage("nonsense")).toEqual({ ok: false, problem: "invalid" });
    // A forged token (right shape, wrong key) and a link row of another purpose are both invalid.
    expect(await openIntentPage(signIntentLinkToken({ linkId: link.linkId, orgId: org.orgId, siteId, assetId: chargerId, purpose: "intent", exp: 4_000_000_000 }, "not-the-secret"))).toEqual({ ok: false, problem: "invalid" });
    const consent = await createConsentLink(org.admin, { siteId });
    expect(await openIntentPage(consent.token)).toEqual({ ok: false, problem: "invalid" });
    expect(await openIntentPage(signIntentLinkToken({ linkId: consent.linkId, orgId: org.orgId, siteId, assetId: chargerId, purpose: "intent", exp: 4_000_000_000 }))).toEqual({ ok: false, problem: "invalid" });
    // And an intent token never opens the consent page.
    expect(await openConsentPage(link.token)).toEqual({ ok: false, problem: "invalid" });

    const second = await createIntentLink(org.admin, { assetId: chargerId });
    await revokeIntentLink(org.admin, { linkId: second.linkId });
    expect(await openIntentPage(second.token)).toEqual({ ok: false, problem: "revoked" });
    expect(await submitHouseholderIntent(second.token, { energyRequiredKwh: 5, readyByLocalTime: "07:00" })).toEqual({ ok: false, problem: "revoked" });
    expect(await listActiveIntentLinks(org.admin, { siteId })).toHaveLength(1);

    await offboardSite(org.admin, { siteId });
    expect(await openIntentPage(link.token)).toEqual({ ok: false, problem: "offboarded" });
  });

  it("refuses viewers, non-charger assets and other organisations", async () => {
    const org = await createTestOrg("intent-owner");
    const outsider = await createTestOrg("intent-outsider");
    const { siteId, chargerId, batteryId } = await chargerSite(org, "d");
    const viewer = await org.addOperator("viewer");
    await expect(createIntentLink(viewer.ctx, { assetId: chargerId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createIntentLink(org.admin, { assetId: batteryId })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["asset_id"] }] });
    await expect(createIntentLink(outsider.admin, { assetId: chargerId })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const link = await createIntentLink(org.admin, { assetId: chargerId });
    await expect(revokeIntentLink(outsider.admin, { linkId: link.linkId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listActiveIntentLinks(outsider.admin, { siteId })).toEqual([]);
    // A validly signed token that names this link under another organisation opens nothing.
    const crossed = signIntentLinkToken({ linkId: link.linkId, orgId: outsider.orgId, siteId, assetId: chargerId, purpose: "intent", exp: 4_000_000_000 });
    expect(await openIntentPage(crossed)).toEqual({ ok: false, problem: "invalid" });
    expect(await openIntentPage(link.token)).toMatchObject({ ok: true });
  });
});
