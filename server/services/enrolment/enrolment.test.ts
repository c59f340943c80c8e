import { describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { consentTimeline } from "../consent/consent-ledger";
import { currentDispatchMethods, recordDispatchConsent } from "../consent/site-consents";
import { initialiseSite } from "../inventory/initialise";
import { enrolmentHistory, enrolSite, siteEnrolments, unenrolSite, withdrawByHousehold } from "./enrolment";

async function eligibleBatterySite(org: Awaited<ReturnType<typeof createTestOrg>>) {
  const result = await initialiseSite(org.admin, {
    site: { mpan: "1234567890126", postcode: "SW1A 1AA", isHalfHourlySettled: true, gaveBoundaryMeterConsentAt: new Date() },
    assets: [{ externalId: "battery-1", type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
  });
  return result.site.siteId;
}

describe("enrolment", () => {
  it("is idempotent and records who and why", async () => {
    const org = await createTestOrg("enrol");
    const siteId = await eligibleBatterySite(org);
    expect(await enrolSite(org.admin, { siteId, proposition: "full_asset_control" })).toEqual({ status: "enrolled" });
    expect(await enrolSite(org.admin, { siteId, proposition: "full_asset_control" })).toEqual({ status: "already_enrolled" });
    expect(await unenrolSite(org.admin, { siteId, proposition: "full_asset_control", reason: "moved house" })).toEqual({ status: "unenrolled" });
    expect(await unenrolSite(org.admin, { siteId, proposition: "full_asset_control" })).toEqual({ status: "already_unenrolled" });
    const history = await enrolmentHistory(org.admin, { siteId });
    expect(history.map((entry) => entry.toState)).toEqual(["unenrolled", "enrolled"]);
    expect(history[0]).toMatchObject({ reason: "moved house", actorLabel: org.adminEmail });
  });

  it("refuses an ineligible site with the reasons", async () => {
    const org = await createTestOrg("enrol-ineligible");
    const { site } = await initialiseSite(org.admin, { site: { mpan: "2000000000008", postcode: "EH1 1YZ" }, assets: [{ externalId: "charger-1", type: "charger" }] });
    await expect(enrolSite(org.admin, { siteId: site.siteId, proposition: "full_asset_control" })).rejects.toMatchObject({
      code: "PRECONDITION",
      issues: expect.arrayContaining([expect.objectContaining({ type: "no_supported_asset" })]),
    });
    const views = await siteEnrolments(org.admin, { siteId: site.siteId });
    expect(views.find((view) => view.proposition === "full_asset_control")).toMatchObject({ state: "not_enrolled", eligible: false });
  });

  it("after the household withdrew, refuses enrolment without override and allows it with; both are recorded", async () => {
    const org = await createTestOrg("enrol-withdrawn");
    const siteId = await eligibleBatterySite(org);
    await enrolSite(org.admin, { siteId, proposition: "vpp_limited_control" });
    await withdrawByHousehold({ ...org.admin, actor: { type: "householder", siteId, label: "householder" } }, { siteId, proposition: "vpp_limited_control" });
    await expect(enrolSite(org.admin, { siteId, proposition: "vpp_limited_control" })).rejects.toMatchObject({
      code: "PRECONDITION",
      message: expect.stringContaining("override_withdrawal"),
    });
    expect(await enrolSite(org.admin, { siteId, proposition: "vpp_limited_control", overrideWithdrawal: true })).toEqual({ status: "enrolled" });
    const history = await enrolmentHistory(org.admin, { siteId });
    expect(history.map((entry) => [entry.toState, entry.actorType])).toEqual([
      ["enrolled", "operator"],
      ["withdrawn", "householder"],
      ["enrolled", "operator"],
    ]);
    expect(history[0]?.reason).toContain("overriding");
  });

  it("records a boundary-meter consent sent with the enrolment", async () => {
    const org = await createTestOrg("enrol-meter");
    const { site } = await initialiseSite(org.admin, {
      site: { mpan: "1234567890126", postcode: "SW1A 1AA", isHalfHourlySettled: true },
      assets: [{ externalId: "battery-2", type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
    });
    await expect(enrolSite(org.admin, { siteId: site.siteId, proposition: "vpp_limited_control" })).rejects.toMatchObject({ code: "PRECONDITION" });
    const gaveAt = new Date("2026-03-01T10:00:00Z");
    expect(await enrolSite(org.admin, { siteId: site.siteId, proposition: "vpp_limited_control", gaveBoundaryMeterConsentAt: gaveAt })).toEqual({ status: "enrolled" });
    const timeline = await consentTimeline(org.admin, { siteId: site.siteId });
    expect(timeline.map((entry) => [entry.kind, entry.action])).toEqual([
      ["vpp_limited_control", "granted"],
      ["boundary_meter", "granted"],
    ]);
  });

  it("records the dispatch consent the proposition needs, with the request as evidence", async () => {
    const org = await createTestOrg("enrol-implies-consent");
    const siteId = await eligibleBatterySite(org);
    await enrolSite(org.admin, { siteId, proposition: "vpp_limited_control", consentEvidence: { request: { method: "POST", path: "/enrol" } } });
    expect(await currentDispatchMethods(org.admin, siteId)).toEqual(["vpp_limited_control"]);
    const [record] = await consentTimeline(org.admin, { siteId });
    expect(record).toMatchObject({ kind: "vpp_limited_control", action: "granted", channel: "operator", evidence: { request: { method: "POST", path: "/enrol" } } });
  });

  it("after an unenrolment, refuses to enrol again without override_withdrawal", async () => {
    const org = await createTestOrg("enrol-after-unenrol");
    const siteId = await eligibleBatterySite(org);
    await enrolSite(org.admin, { siteId, proposition: "vpp_limited_control" });
    await unenrolSite(org.admin, { siteId, proposition: "vpp_limited_control" });
    await expect(enrolSite(org.admin, { siteId, proposition: "vpp_limited_control" })).rejects.toMatchObject({
      code: "PRECONDITION",
      issues: [expect.objectContaining({ path: ["override_withdrawal"], type: "previously_withdrawn" })],
    });
    expect(await enrolSite(org.admin, { siteId, proposition: "vpp_limited_control", overrideWithdrawal: true })).toEqual({ status: "enrolled" });
  });

  it("unenrols what depended on a dispatch consent when it is withdrawn, and nothing else", async () => {
    const org = await createTestOrg("enrol-deconsent");
    const siteId = await eligibleBatterySite(org);
    await enrolSite(org.admin, { siteId, proposition: "vpp_limited_control" });
    await enrolSite(org.admin, { siteId, proposition: "full_asset_control" });
    const result = await recordDispatchConsent(org.admin, { siteId, methods: ["full_asset_control"], action: "withdrawn" });
    expect(result.unenrolled).toEqual(["full_asset_control"]);
    const states = Object.fromEntries((await siteEnrolments(org.admin, { siteId })).map((view) => [view.proposition, view.state]));
    expect(states).toMatchObject({ vpp_limited_control: "enrolled", full_asset_control: "unenrolled" });
  });
});
