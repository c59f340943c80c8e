import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { householderLinks } from "@/db/schema";
import { signHouseholderLink } from "@/server/auth/householder-links";
import { createTestOrg } from "@/test/fixtures";
import { enrolSite, siteEnrolments } from "../enrolment/enrolment";
import { initialiseSite } from "../inventory/initialise";
import { offboardSite } from "../offboarding/offboard-site";
import { assertDispatchConsent } from "./assert-dispatch-consent";
import { consentTimeline } from "./consent-ledger";
import { createConsentLink, openConsentPage, submitHouseholderChoice } from "./consent-links";

const evidence = { ipAddress: "198.51.100.7", userAgent: "Mozilla/5.0 (iPhone)" };

async function site(org: Awaited<ReturnType<typeof createTestOrg>>) {
  const result = await initialiseSite(org.admin, {
    site: { mpan: "1234567890126", postcode: "SW1A 1AA", isHalfHourlySettled: true },
    assets: [{ externalId: "link-battery", type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
  });
  return result.site.siteId;
}

describe("householder consent links", () => {
  it("shows battery propositions, records agreement with evidence, and withdrawal blocks re-enrolment", async () => {
    const org = await createTestOrg("links");
    const siteId = await site(org);
    const link = await createConsentLink(org.admin, { siteId });
    expect(link.url).toContain(`/consent/${link.token}`);
    const opened = await openConsentPage(link.token);
    if (!opened.ok) throw new Error(opened.problem);
    expect(opened.view.propositions.map((p) => p.proposition)).toEqual(["vpp_limited_control", "full_asset_control", "cm_infrequent_dispatch"]);
    const full = opened.view.propositions.find((p) => p.proposition === "full_asset_control");
    expect(full?.alsoNeeds.map((text) => text.kind)).toEqual(["boundary_meter"]);

    expect(await submitHouseholderChoice(link.token, { proposition: "full_asset_control", choice: "agree", textVersion: "old.v0" }, evidence)).toEqual({ ok: false, problem: "stale_text" });
    // Agreeing enrols the site at once: no second step for the operator.
    expect(await submitHouseholderChoice(link.token, { proposition: "full_asset_control", choice: "agree", textVersion: full?.text.version ?? "" }, evidence)).toMatchObject({ ok: true, enrolment: "enrolled" });
    await expect(assertDispatchConsent(org.admin, { siteId, proposition: "full_asset_control" })).resolves.toBeUndefined();
    const timeline = await consentTimeline(org.admin, { siteId });
    expect(timeline.map((entry) => [entry.kind, entry.channel, entry.consentTextVersion])).toEqual([
      ["full_asset_control", "householder_page", "full_asset_control.v1"],
      ["boundary_meter", "householder_page", "boundary_meter.v1"],
    ]);
    expect(timeline[0]?.evidence).toMatchObject({ ...evidence, householderLinkId: link.linkId });
    expect((await siteEnrolments(org.admin, { siteId })).find((e) => e.proposition === "full_asset_control")?.state).toBe("enrolled");
    expect(await enrolSite(org.admin, { siteId, proposition: "full_asset_control" })).toEqual({ status: "already_enrolled" });

    expect(await submitHouseholderChoice(link.token, { proposition: "full_asset_control", choice: "withdraw", textVersion: "" }, evidence)).toMatchObject({ ok: true });
    await expect(assertDispatchConsent(org.admin, { siteId, proposition: "full_asset_control" })).rejects.toMatchObject({ code: "PRECONDITION" });
    await expect(enrolSite(org.admin, { siteId, proposition: "full_asset_control" })).rejects.toMatchObject({ code: "PRECONDITION" });

    // The household changing its mind again is its own renewed agreement: enrolled again.
    expect(await submitHouseholderChoice(link.token, { proposition: "full_asset_control", choice: "agree", textVersion: full?.text.version ?? "" }, evidence)).toMatchObject({ ok: true, enrolment: "enrolled" });
    expect((await siteEnrolments(org.admin, { siteId })).find((e) => e.proposition === "full_asset_control")?.state).toBe("enrolled");
  });

  it("answers expired, tampered and offboarded links with a problem, not an error", async () => {
    const org = await createTestOrg("links-bad");
    const siteId = await site(org);
    const link = await createConsentLink(org.admin, { siteId, ttlHours: 1 });
    expect(await openConsentPage(link.token, new Date(Date.now() + 2 * 3_600_000))).toEqual({ ok: false, problem: "expired" });
    expect(await openConsentPage(`${link.token.slice(0, -2)}xx`)).toEqual({ ok: false, problem: "invalid" });
    const forged = signHouseholderLink({ linkId: link.linkId, orgId: org.orgId, siteId, purpose: "consent", exp: 1 }, "not-the-secret");
    expect(await openConsentPage(forged)).toEqual({ ok: false, problem: "invalid" });
    await offboardSite(org.admin, { siteId });
    expect(await openConsentPage(link.token)).toEqual({ ok: false, problem: "offboarded" });
    const [row] = await org.admin.db.select().from(householderLinks).where(eq(householderLinks.id, link.linkId));
    expect(row?.revokedAt).not.toBeNull();
    expect(await submitHouseholderChoice(link.token, { proposition: "full_asset_control", choice: "agree", textVersion: "full_asset_control.v1" }, evidence)).toEqual({ ok: false, problem: "offboarded" });
  });
});
