import { describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { initialiseSite } from "../inventory/initialise";
import { assertDispatchConsent, hasDispatchConsent } from "./assert-dispatch-consent";
import { consentTimeline, recordConsent } from "./consent-ledger";
import { recordDispatchConsent, recordMeterConsent, currentDispatchMethods } from "./site-consents";

async function batterySite(org: Awaited<ReturnType<typeof createTestOrg>>, mpan = "1234567890126") {
  const result = await initialiseSite(org.admin, {
    site: { mpan, postcode: "SW1A 1AA", isHalfHourlySettled: true },
    assets: [{ externalId: `battery-${mpan}`, type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
  });
  return result.site.siteId;
}

describe("consent ledger", () => {
  it("refuses dispatch without a current consent, allows it after a grant, and refuses again after withdrawal", async () => {
    const org = await createTestOrg("consent-dispatch");
    const siteId = await batterySite(org);
    const input = { siteId, proposition: "full_asset_control" };
    await expect(assertDispatchConsent(org.admin, input)).rejects.toMatchObject({ code: "PRECONDITION", message: expect.stringContaining("no current dispatch consent") });
    expect(await hasDispatchConsent(org.admin, input)).toBe(false);

    await recordDispatchConsent(org.admin, { siteId, methods: ["full_asset_control"], action: "granted" });
    await expect(assertDispatchConsent(org.admin, input)).resolves.toBeUndefined();
    expect(await hasDispatchConsent(org.admin, input)).toBe(true);
    // A grant for another proposition does not cover this one.
    expect(await hasDispatchConsent(org.admin, { siteId, proposition: "vpp_limited_control" })).toBe(false);

    await recordDispatchConsent(org.admin, { siteId, methods: ["full_asset_control"], action: "withdrawn" });
    await expect(assertDispatchConsent(org.admin, input)).rejects.toMatchObject({ code: "PRECONDITION" });
    expect(await hasDispatchConsent(org.admin, { siteId: "00000000-0000-4000-8000-000000000000", proposition: "full_asset_control" })).toBe(false);
  });

  it("appends only changes, keeps channel, actor, evidence and text version, and accepts new kinds", async () => {
    const org = await createTestOrg("consent-ledger");
    const siteId = await batterySite(org);
    const first = await recordConsent(org.admin, { siteId, changes: [{ kind: "cm_infrequent_dispatch", action: "granted" }, { kind: "new_future_kind", action: "granted" }] });
    expect(first.recorded).toHaveLength(2);
    const repeat = await recordConsent(org.admin, { siteId, changes: [{ kind: "cm_infrequent_dispatch", action: "granted" }] });
    expect(repeat.recorded).toHaveLength(0);
    expect(repeat.unchanged).toHaveLength(1);
    await recordConsent(
      { ...org.admin, actor: { type: "householder", siteId, label: "householder" } },
      { siteId, changes: [{ kind: "cm_infrequent_dispatch", action: "withdrawn" }], evidence: { ipAddress: "203.0.113.9", userAgent: "test-agent" }, consentTextVersion: "cm_infrequent_dispatch.v1" },
    );
    const timeline = await consentTimeline(org.admin, { siteId });
    expect(timeline).toHaveLength(3);
    expect(timeline[0]).toMatchObject({ kind: "cm_infrequent_dispatch", action: "withdrawn", channel: "householder_page", evidence: { ipAddress: "203.0.113.9" }, consentTextVersion: "cm_infrequent_dispatch.v1" });
    expect(timeline[2]).toMatchObject({ channel: "operator", actorLabel: org.adminEmail, consentTextVersion: "cm_infrequent_dispatch.v1" });
    expect(await currentDispatchMethods(org.admin, siteId)).toEqual(["new_future_kind"]);
  });

  it("records meter consent in the ledger and on the site", async () => {
    const org = await createTestOrg("consent-meter");
    const siteId = await batterySite(org);
    const gaveAt = new Date("2026-01-02T03:04:05Z");
    await recordMeterConsent(org.admin, { siteId, gaveAt });
    const [record] = await consentTimeline(org.admin, { siteId });
    expect(record).toMatchObject({ kind: "boundary_meter", action: "granted", occurredAt: gaveAt });
  });

  it("refuses malformed kinds and viewers", async () => {
    const org = await createTestOrg("consent-refusals");
    const siteId = await batterySite(org);
    await expect(recordConsent(org.admin, { siteId, changes: [{ kind: "DROP TABLE", action: "granted" }] })).rejects.toMatchObject({ code: "VALIDATION" });
    const viewer = await org.addOperator("viewer");
    await expect(recordDispatchConsent(viewer.ctx, { siteId, methods: ["limited_pause"], action: "granted" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
