import { describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { listAuditEvents } from "../audit/list-audit-events";
import { enrolSite, siteEnrolments } from "../enrolment/enrolment";
import { initialiseSite } from "../inventory/initialise";
import { listOutboundEmails } from "../mail/mail";
import { assertDispatchConsent } from "./assert-dispatch-consent";
import { openConsentPage, submitHouseholderChoice } from "./consent-links";
import { CONSENT_LINK_PURPOSE, consentLinkEmail, sendConsentLink } from "./send-consent-link";

const evidence = { ipAddress: "198.51.100.7", userAgent: "Mozilla/5.0 (iPhone)" };

async function batterySite(org: Awaited<ReturnType<typeof createTestOrg>>, email: string | undefined, mpan = "1234567890126") {
  const result = await initialiseSite(org.admin, {
    site: { mpan, postcode: "SW1A 1AA", streetAddress: "1 Consent Close", isHalfHourlySettled: true, ...(email ? { email } : {}) },
    assets: [{ externalId: `send-link-${mpan}`, type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
  });
  return result.site.siteId;
}

const tokenOf = (url: string) => decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");

describe("sending a consent link from the site page", () => {
  it("emails the householder on file the link, returns it with a QR code, and the agreement enrols the site", async () => {
    const org = await createTestOrg("send-link");
    const siteId = await batterySite(org, "home@household.test");
    const sent = await sendConsentLink(org.admin, { siteId }, { smtpUrl: null });
    expect(sent).toMatchObject({ emailedTo: "home@household.test", emailSent: true, reviewBeforeEnrolment: false });
    expect(sent.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

    const mail = (await listOutboundEmails(org.admin, { purpose: CONSENT_LINK_PURPOSE })).items;
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ toAddress: "home@household.test", status: "captured" });
    expect(mail[0]?.textBody).toContain(sent.url);
    expect(mail[0]?.textBody).toContain("1 Consent Close, SW1A 1AA");
    const actions = (await listAuditEvents(org.admin, { limit: 10, offset: 0, search: siteId })).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["consent_link.created", "consent_link.emailed"]));
    // The audit log ties the mail to the link but does not copy the householder's address.
    expect(JSON.stringify(await listAuditEvents(org.admin, { limit: 10, offset: 0, action: "consent_link.emailed" }))).not.toContain("home@household.test");

    const opened = await openConsentPage(tokenOf(sent.url));
    if (!opened.ok) throw new Error(opened.problem);
    const grid = opened.view.propositions.find((p) => p.proposition === "vpp_limited_control");
    expect(await submitHouseholderChoice(tokenOf(sent.url), { proposition: "vpp_limited_control", choice: "agree", textVersion: grid?.text.version ?? "" }, evidence)).toEqual({
      ok: true,
      proposition: "vpp_limited_control",
      choice: "agree",
      enrolment: "enrolled",
    });
    const enrolment = (await siteEnrolments(org.admin, { siteId })).find((e) => e.proposition === "vpp_limited_control");
    expect(enrolment).toMatchObject({ state: "enrolled", dispatchConsent: true });
  });

  it("holds the agreement for review when the operator asks, and the operator then enrols", async () => {
    const org = await createTestOrg("send-link-review");
    const siteId = await batterySite(org, "review@household.test");
    const sent = await sendConsentLink(org.admin, { siteId, reviewBeforeEnrolment: true }, { smtpUrl: null });
    expect(sent.reviewBeforeEnrolment).toBe(true);
    const result = await submitHouseholderChoice(tokenOf(sent.url), { proposition: "full_asset_control", choice: "agree", textVersion: "full_asset_control.v1" }, evidence);
    expect(result).toMatchObject({ ok: true, enrolment: "held_for_review" });
    await expect(assertDispatchConsent(org.admin, { siteId, proposition: "full_asset_control" })).resolves.toBeUndefined();
    expect((await siteEnrolments(org.admin, { siteId })).find((e) => e.proposition === "full_asset_control")?.state).toBe("not_enrolled");
    expect(await enrolSite(org.admin, { siteId, proposition: "full_asset_control" })).toEqual({ status: "enrolled" });
  });

  it("agreeing while the site is not eligible records the consent and enrols nothing yet", async () => {
    const org = await createTestOrg("send-link-ineligible");
    const { site } = await initialiseSite(org.admin, {
      site: { mpan: "1234567890126", postcode: "SW1A 1AA" },
      // No rated power: not eligible for Grid Event Mode until it is set.
      assets: [{ externalId: "no-power", type: "battery", oem: "givenergy" }],
    });
    const sent = await sendConsentLink(org.admin, { siteId: site.siteId }, { smtpUrl: null });
    const result = await submitHouseholderChoice(tokenOf(sent.url), { proposition: "vpp_limited_control", choice: "agree", textVersion: "vpp_limited_control.v1" }, evidence);
    expect(result).toMatchObject({ ok: true, enrolment: "not_eligible" });
    await expect(assertDispatchConsent(org.admin, { siteId: site.siteId, proposition: "vpp_limited_control" })).resolves.toBeUndefined();
    expect((await siteEnrolments(org.admin, { siteId: site.siteId })).find((e) => e.proposition === "vpp_limited_control")?.state).toBe("not_enrolled");
  });

  it("without an email on file creates the link and QR code and mails nothing", async () => {
    const org = await createTestOrg("send-link-no-email");
    const siteId = await batterySite(org, undefined);
    const sent = await sendConsentLink(org.admin, { siteId }, { smtpUrl: null });
    expect(sent).toMatchObject({ emailedTo: null, emailSent: false });
    expect(sent.qrCodeSvg).toContain("<svg");
    expect((await openConsentPage(tokenOf(sent.url))).ok).toBe(true);
    expect((await listOutboundEmails(org.admin, { purpose: CONSENT_LINK_PURPOSE })).items).toEqual([]);
  });

  it("is refused to viewers and finds nothing in another organisation", async () => {
    const org = await createTestOrg("send-link-permissions");
    const siteId = await batterySite(org, "perm@household.test");
    const viewer = await org.addOperator("viewer");
    await expect(sendConsentLink(viewer.ctx, { siteId }, { smtpUrl: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const other = await createTestOrg("send-link-other");
    await expect(sendConsentLink(other.admin, { siteId }, { smtpUrl: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listOutboundEmails(org.admin, { purpose: CONSENT_LINK_PURPOSE })).items).toEqual([]);
  });

  it("writes a mail that says who asks, for which home, and until when", () => {
    const mail = consentLinkEmail({ organisationName: "Bright Flex", streetAddress: null, postcode: "EH1 1YZ", url: "https://flex.example/consent/abc", expiresAt: new Date("2026-07-01T11:00:00Z") });
    expect(mail.subject).toContain("Bright Flex");
    expect(mail.text).toContain("equipment at EH1 1YZ");
    expect(mail.text).toContain("https://flex.example/consent/abc");
    expect(mail.text).toContain("1 July 2026 at 12:00 (UK time)");
  });
});
