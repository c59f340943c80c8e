import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, batteryActions, batteryReadings, customers, householderLinks, meters, oemCredentials, rewardBankAccounts, sites } from "@/db/schema";
import { createTestOrg } from "@/test/fixtures";
import { assertDispatchConsent } from "../consent/assert-dispatch-consent";
import { consentTimeline, recordConsent } from "../consent/consent-ledger";
import { enrolSite, siteEnrolments, unenrolSite } from "../enrolment/enrolment";
import { initialiseSite } from "../inventory/initialise";
import { replaceBankAccount } from "../rewards/bank-accounts";
import { offboardSite, REMOVED } from "./offboard-site";

describe("offboarding", () => {
  it("removes personal data from every table that held it, keeps ledger and readings, and a second call has nothing left to do", async () => {
    const org = await createTestOrg("offboard");
    const db = org.admin.db;
    const { site, assets } = await initialiseSite(org.admin, {
      site: { mpan: "1234567890126", postcode: "SW1A 1AA", streetAddress: "10 Downing Street", email: "pm@example.com", isHalfHourlySettled: true, gaveBoundaryMeterConsentAt: new Date() },
      assets: [{ externalId: "offboard-battery", type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
    });
    const siteId = site.siteId;
    const assetId = assets[0]?.assetId ?? "";
    const [customer] = await db.insert(customers).values({ organisationId: org.orgId, externalUserId: "user-1", name: "Ada Lovelace", email: "ada@example.com" }).returning();
    if (!customer) throw new Error("customer not created");
    await db.update(sites).set({ customerId: customer.id }).where(eq(sites.id, siteId));
    await db.insert(meters).values({ organisationId: org.orgId, customerId: customer.id, siteId, meterPointId: "mp-1", street: "10 Downing Street", city: "London", latitude: 51.5, longitude: -0.12 });
    await db.insert(oemCredentials).values({ organisationId: org.orgId, siteId, oem: "givenergy", tokenType: "API_KEY", keyId: "k1", ciphertext: "x", lastFour: "1234" });
    await db.insert(batteryActions).values({ organisationId: org.orgId, assetId, targetMode: "IMPORT_FOCUS", deadlineAt: new Date(Date.now() + 600_000), createdBy: "test" });
    await db.insert(batteryReadings).values({ organisationId: org.orgId, assetId, observedAt: new Date(), socPct: 50, batteryPowerKw: 1, gridPowerKw: 0, solarPowerKw: 0, loadPowerKw: 1, oemMode: "eco", dischargeFloorPct: 10 });
    await db.insert(householderLinks).values({ organisationId: org.orgId, siteId, expiresAt: new Date(Date.now() + 3_600_000), createdByLabel: "test" });
    await recordConsent(org.admin, { siteId, changes: [{ kind: "full_asset_control", action: "granted" }] });
    await enrolSite(org.admin, { siteId, proposition: "full_asset_control" });
    // Saved for withdrawals, never paid to: nothing needs it after offboarding.
    await replaceBankAccount(org.admin, siteId, { accountHolderName: "Ada Lovelace", sortCode: "112233", accountNumber: "12345678" });

    const first = await offboardSite(org.admin, { siteId, reason: "customer left" });
    expect(first).toMatchObject({
      alreadyOffboarded: false,
      nothingLeftToDo: false,
      enrolmentsEnded: ["full_asset_control"],
      actionsCancelled: 1,
      credentialsDeleted: 1,
      linksRevoked: 1,
    });
    expect(first.consentsWithdrawn.sort()).toEqual(["boundary_meter", "full_asset_control"]);
    expect(first.personalDataRemoved.sort()).toEqual(["customers.email", "customers.name", "meters.street", "reward_bank_accounts", "sites.email", "sites.street_address"]);
    expect(await db.select().from(rewardBankAccounts).where(eq(rewardBankAccounts.siteId, siteId))).toEqual([]);

    const [siteRow] = await db.select().from(sites).where(eq(sites.id, siteId));
    expect(siteRow).toMatchObject({ status: "offboarded", email: null, streetAddress: null, eligiblePropositions: [] });
    expect(siteRow?.searchText).not.toContain("downing");
    const [customerRow] = await db.select().from(customers).where(eq(customers.id, customer.id));
    expect(customerRow).toMatchObject({ name: null, email: null });
    const [meterRow] = await db.select().from(meters).where(eq(meters.siteId, siteId));
    expect(meterRow).toMatchObject({ street: REMOVED, city: null, latitude: null });
    expect(await db.select().from(oemCredentials).where(eq(oemCredentials.siteId, siteId))).toEqual([]);
    expect((await db.select().from(batteryActions).where(eq(batteryActions.assetId, assetId)))[0]?.state).toBe("CANCELLED");
    // Kept for settlement: readings and the consent history with its evidence.
    expect(await db.select().from(batteryReadings).where(eq(batteryReadings.assetId, assetId))).toHaveLength(1);
    const timeline = await consentTimeline(org.admin, { siteId });
    expect(timeline.filter((entry) => entry.action === "granted")).toHaveLength(2);
    expect(timeline.find((entry) => entry.kind === "boundary_meter" && entry.action === "granted")?.channel).toBe("partner_api");
    expect(timeline.filter((entry) => entry.action === "withdrawn")).toHaveLength(2);
    expect((await siteEnrolments(org.admin, { siteId })).find((view) => view.proposition === "full_asset_control")?.state).toBe("offboarded");
    await expect(assertDispatchConsent(org.admin, { siteId, proposition: "full_asset_control" })).rejects.toMatchObject({ code: "PRECONDITION", message: expect.stringContaining("offboarded") });
    const audits = await db.select().from(auditEvents).where(and(eq(auditEvents.organisationId, org.orgId), eq(auditEvents.action, "site.offboarded")));
    expect(audits).toHaveLength(1);

    const second = await offboardSite(org.admin, { siteId });
    expect(second).toMatchObject({ alreadyOffboarded: true, nothingLeftToDo: true, consentsWithdrawn: [], enrolmentsEnded: [], personalDataRemoved: [] });
    expect(second.retainUntil).toEqual(first.retainUntil);
  });

  it("unenrol keeps the site and its other enrolments", async () => {
    const org = await createTestOrg("unenrol-keeps");
    const { site } = await initialiseSite(org.admin, {
      site: { mpan: "1234567890126", postcode: "SW1A 1AA", email: "keep@example.com", isHalfHourlySettled: true, gaveBoundaryMeterConsentAt: new Date() },
      assets: [{ externalId: "keep-battery", type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
    });
    await enrolSite(org.admin, { siteId: site.siteId, proposition: "full_asset_control" });
    await enrolSite(org.admin, { siteId: site.siteId, proposition: "vpp_limited_control" });
    await unenrolSite(org.admin, { siteId: site.siteId, proposition: "full_asset_control" });
    const views = await siteEnrolments(org.admin, { siteId: site.siteId });
    expect(views.find((view) => view.proposition === "vpp_limited_control")?.state).toBe("enrolled");
    const [row] = await org.admin.db.select().from(sites).where(eq(sites.id, site.siteId));
    expect(row).toMatchObject({ status: "active", email: "keep@example.com" });
  });
});
