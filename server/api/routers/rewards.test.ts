import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { randomMpan } from "@/server/api/rest/test-support";
import { createSite } from "@/server/services/inventory/sites";
import { createTestOrg } from "@/test/fixtures";

describe("rewards tRPC router: the site's rewards page", () => {
  it("adds a sign-up bonus once and corrections either way, audited; viewers cannot", async () => {
    const org = await createTestOrg("rewards-router-entries");
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const operator = createCaller({ operator: null, service: (await org.addOperator("operator")).ctx });
    const admin = createCaller({ operator: null, service: org.admin });
    await admin.rewards.updateSettings({ operatorSharePct: 50, signUpBonusPence: 1000, withdrawalThresholdPence: 500, withdrawalMinWaitDays: 0, scheduleMarket: "wholesale", importMarginPencePerKwh: 15, exportMarginPencePerKwh: 2 });

    await operator.rewards.addEntry({ siteId: site.id, entryType: "sign_up_bonus", note: "Welcome" });
    await expect(operator.rewards.addEntry({ siteId: site.id, entryType: "sign_up_bonus", note: "Welcome again" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await operator.rewards.addEntry({ siteId: site.id, entryType: "correction", amountPence: -250, note: "Meter fix" });
    const ledger = await admin.rewards.siteLedger({ siteId: site.id });
    expect(ledger.entries.map((e) => [e.entryType, e.amountPence, e.paymentStatus])).toEqual(
      expect.arrayContaining([
        ["sign_up_bonus", 1000, "pending_approval"],
        ["correction", -250, "pending_approval"],
      ]),
    );
    expect(ledger.balance.totalEarningsPence).toBe(750);
    const actions = (await admin.audit.list({ search: site.id })).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["rewards.sign_up_bonus.added", "rewards.correction.added"]));

    const viewer = createCaller({ operator: null, service: (await org.addOperator("viewer")).ctx });
    await expect(viewer.rewards.addEntry({ siteId: site.id, entryType: "correction", amountPence: 5, note: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Recording a payment's outcome is an admin's.
    const entryId = ledger.entries[0]?.id ?? "";
    await expect(operator.rewards.recordPayoutOutcome({ entryIds: [entryId], outcome: "posted" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("makes a one-hour rewards link for the household, audited; viewers cannot", async () => {
    const org = await createTestOrg("rewards-router-link");
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const operator = createCaller({ operator: null, service: (await org.addOperator("operator")).ctx });
    const link = await operator.rewards.createRewardsLink({ siteId: site.id });
    expect(new URL(link.url).pathname).toMatch(/^\/rewards\/withdraw\/[\w.-]+$/);
    expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan(55 * 60_000);
    expect((await createCaller({ operator: null, service: org.admin }).audit.list({ search: site.id })).items.map((e) => e.action)).toContain("rewards.withdrawal_link.created");
    const viewer = createCaller({ operator: null, service: (await org.addOperator("viewer")).ctx });
    await expect(viewer.rewards.createRewardsLink({ siteId: site.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
