import { beforeAll, describe, expect, it } from "vitest";
import { listSites } from "@/server/services/inventory/sites";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { ALL_SCOPES, call, randomMpan, tokenFor } from "./test-support";

type Json = Record<string, unknown>;

// The battery integration guide's example (seeds/000), as partners send it.
const batteryGuideExample = {
  site: {
    mpan: "1234567890123",
    postcode: "SW1A 1AA",
    street_address: "10 Downing Street",
    gave_boundary_meter_consent_at: "2025-01-01T12:00:00Z",
    email: "user@example.com",
  },
  asset: { external_id: "battery-001", type: "battery", properties: { power_kw: 5.0, capacity_kwh: 10.0 } },
  dispatch_consent: { dispatch_methods: ["full_asset_control"] },
};

const eligibleBattery = (mpan: string, externalId: string) => ({
  site: { mpan, postcode: "SW1A 1AA", street_address: "1 High Street", email: "home@example.com", gave_boundary_meter_consent_at: "2026-01-01T00:00:00Z", is_half_hourly_settled: true },
  assets: [{ external_id: externalId, type: "battery", oem: "givenergy", properties: { power_kw: 5, capacity_kwh: 10 } }],
});

describe("entities dialect: consent, enrolment, onboarding and offboarding", () => {
  let org: TestOrg;
  let token: string;
  beforeAll(async () => {
    org = await createTestOrg("rest-enrolment");
    token = await tokenFor(org, ALL_SCOPES);
  });

  it("accepts the battery guide's onboard-site-and-asset example with full_asset_control, and refuses it again with 409", async () => {
    const response = await call("POST", "/entities/site/onboard-site-and-asset", { token, body: batteryGuideExample });
    expect(response.status).toBe(200);
    const body = response.body as { site: Json; asset: Json };
    expect(body.site).toMatchObject({ mpan: "1234567890123", dispatch_methods: ["full_asset_control"], gave_boundary_meter_consent_at: "2025-01-01T12:00:00.000Z" });
    expect(body.asset).toMatchObject({ external_id: "battery-001" });
    expect((await call("POST", "/entities/site/onboard-site-and-asset", { token, body: batteryGuideExample })).status).toBe(409);
  });

  it("grants and withdraws dispatch methods and records meter consent", async () => {
    const init = await call("POST", "/entities/site/initialise", { token, body: eligibleBattery(randomMpan(), "consent-battery") });
    const siteId = String(((init.body as Json).site as Json).site_id);
    const granted = await call("POST", `/entities/site/${siteId}/dispatch-consent`, { token, body: { dispatch_methods: ["vpp_limited_control", "cm_infrequent_dispatch"] } });
    expect((granted.body as Json).dispatch_methods).toEqual(["cm_infrequent_dispatch", "vpp_limited_control"]);
    const withdrawn = await call("POST", `/entities/site/${siteId}/dispatch-deconsent`, { token, body: { dispatch_methods: ["vpp_limited_control"] } });
    expect((withdrawn.body as Json).dispatch_methods).toEqual(["cm_infrequent_dispatch"]);
    const meter = await call("POST", `/entities/site/${siteId}/meter-consent`, { token, body: { gave_boundary_meter_consent_at: "2026-02-01T09:00:00Z" } });
    expect(meter.body).toMatchObject({ gave_boundary_meter_consent_at: "2026-02-01T09:00:00.000Z" });
    expect((await call("POST", "/entities/site/00000000-0000-4000-8000-000000000000/dispatch-consent", { token, body: { dispatch_methods: [] } })).status).toBe(404);
  });

  it("onboards atomically: when enrolment is refused no site or asset is left behind", async () => {
    const mpan = randomMpan();
    const refused = await call("POST", "/entities/site/onboard", {
      token,
      body: { site: { mpan, postcode: "SW1A 1AA" }, assets: [{ external_id: `atomic-${mpan}`, type: "charger" }], proposition: "full_asset_control" },
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain("no_supported_asset");
    expect((await listSites(org.admin, { search: mpan })).total).toBe(0);
    expect((await call("GET", `/entities/asset/external-id/atomic-${mpan}`, { token })).status).toBe(404);

    const ok = await call("POST", "/entities/site/onboard", { token, body: { ...eligibleBattery(mpan, `atomic-ok-${mpan}`), proposition: "full_asset_control" } });
    expect(ok.status).toBe(200);
    expect((ok.body as Json).enrolment).toMatchObject({ status: "enrolled" });
  });

  it("enrols idempotently, refuses re-enrolment after a household withdrawal unless overridden, and unenrols idempotently", async () => {
    const onboard = await call("POST", "/entities/site/onboard", { token, body: { ...eligibleBattery(randomMpan(), "enrol-battery"), proposition: "vpp_limited_control" } });
    const siteId = String(((onboard.body as Json).enrolment as Json).site_id);
    expect((await call("POST", `/entities/site/${siteId}/enrol`, { token, body: { proposition: "vpp_limited_control" } })).body).toEqual({ site_id: siteId, status: "already_enrolled" });

    const link = await call("POST", `/entities/site/${siteId}/consent-link`, { token, body: {} });
    expect(link.status).toBe(200);
    const { withdrawByHousehold } = await import("@/server/services/enrolment/enrolment");
    await withdrawByHousehold({ ...org.admin, actor: { type: "householder", siteId, label: "householder" } }, { siteId, proposition: "vpp_limited_control" });

    const refused = await call("POST", `/entities/site/${siteId}/enrol`, { token, body: { proposition: "vpp_limited_control" } });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain("override_withdrawal");
    const overridden = await call("POST", `/entities/site/${siteId}/enrol`, { token, body: { proposition: "vpp_limited_control", override_withdrawal: true } });
    expect(overridden.body).toEqual({ site_id: siteId, status: "enrolled" });

    expect((await call("POST", `/entities/site/${siteId}/unenrol`, { token, body: { proposition: "vpp_limited_control" } })).body).toEqual({ site_id: siteId, status: "unenrolled" });
    expect((await call("POST", `/entities/site/${siteId}/unenrol`, { token, body: { proposition: "vpp_limited_control" } })).body).toEqual({ site_id: siteId, status: "already_unenrolled" });
  });

  it("offboards a site and its assets, idempotently, saying what was done", async () => {
    const init = await call("POST", "/entities/site/onboard", { token, body: { ...eligibleBattery(randomMpan(), "offboard-battery"), proposition: "full_asset_control" } });
    const siteId = String(((init.body as Json).enrolment as Json).site_id);
    const first = await call("POST", `/entities/site/${siteId}/offboard-site-and-assets`, { token });
    expect(first.status).toBe(200);
    expect((first.body as { site: Json }).site).toMatchObject({ status: "offboarded" });
    expect((first.body as { site: Json }).site.email).toBeUndefined();
    const summary = JSON.parse(first.headers.get("x-offboarding-summary") ?? "{}") as Json;
    expect(summary).toMatchObject({ nothing_left_to_do: false, enrolments_ended: ["full_asset_control"] });
    const second = await call("POST", `/entities/site/${siteId}/offboard-site-and-assets`, { token });
    expect(JSON.parse(second.headers.get("x-offboarding-summary") ?? "{}")).toMatchObject({ nothing_left_to_do: true });
    expect((await call("POST", `/entities/site/${siteId}/enrol`, { token, body: { proposition: "full_asset_control" } })).status).toBe(422);
  });

  it("offboards a site that never had an asset, answering the site without an asset", async () => {
    const created = await call("POST", "/entities/site", { token, body: { mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "2 High Street" } });
    expect(created.status).toBe(200);
    const siteId = String((created.body as Json).id);
    const offboarded = await call("POST", `/entities/site/${siteId}/offboard-site-and-assets`, { token });
    expect(offboarded.status).toBe(200);
    expect((offboarded.body as Json).site).toMatchObject({ id: siteId, status: "offboarded" });
    expect((offboarded.body as Json).asset).toBeUndefined();
  });

  it("does not let another organisation offboard this organisation's site", async () => {
    const created = await call("POST", "/entities/site", { token, body: { mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "3 High Street" } });
    const siteId = String((created.body as Json).id);
    const other = await createTestOrg("rest-enrolment-other");
    const otherToken = await tokenFor(other, ALL_SCOPES);
    expect((await call("POST", `/entities/site/${siteId}/offboard-site-and-assets`, { token: otherToken })).status).toBe(404);
    expect((await call("GET", `/entities/site/${siteId}`, { token })).body).toMatchObject({ status: expect.not.stringMatching(/offboarded/) });
  });
});
