import { beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/server/services/audit/list-audit-events";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { ALL_SCOPES, call, randomMpan, tokenFor } from "./test-support";

type Json = Record<string, unknown>;

// The example bodies of the published documents, as partners will send them.
const seed001Initialise = (mpan: string) => ({
  site: {
    mpan,
    postcode: "SW1A 1AA",
    street_address: "10 Downing Street",
    email: "resident@example.com",
    gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z",
  },
  assets: [{ external_id: `charger-${mpan}`, type: "charger", asset_model: "zappi", installation_date: "2025-06-15", properties: { power_kw: 7.4 } }],
});

describe("entities dialect: sites", () => {
  let org: TestOrg;
  let token: string;
  let foreignToken: string;
  beforeAll(async () => {
    org = await createTestOrg("rest-sites");
    token = await tokenFor(org, ALL_SCOPES);
    foreignToken = await tokenFor(await createTestOrg("rest-foreign"), ALL_SCOPES);
  });

  it("creates, reads, lists, changes and deletes a site", async () => {
    const mpan = randomMpan();
    const created = await call("POST", "/entities/site", {
      token,
      body: { mpan: `${mpan.slice(0, 2)} ${mpan.slice(2)}`, postcode: "sw1a1aa", street_address: "10 Downing Street", email: "a@example.com" },
    });
    expect(created.status).toBe(200);
    const site = created.body as Json;
    expect(site).toMatchObject({ mpan, postcode: "SW1A 1AA", address: "10 Downing Street", time_zone: "Europe/London", status: "active", asset_ids: [] });
    const id = String(site.id);
    expect((await call("GET", `/entities/site/${id}`, { token })).body).toMatchObject({ id, mpan });
    const page = await call("GET", `/entities/site?mpan=${mpan}&limit=5`, { token });
    expect(page.body).toMatchObject({ total_num_sites: 1, total_num_pages: 1, page_number: 1 });
    const patched = await call("PATCH", `/entities/site/${id}`, {
      token,
      body: { address: "11 Downing Street", tariff: { tariff_type: "dual_rate", tariff_cheap_start_time: "00:30", tariff_cheap_end_time: "05:30" } },
    });
    expect(patched.body).toMatchObject({ address: "11 Downing Street", tariff: { tariff_type: "dual_rate", tariff_cheap_start_time: "00:30" } });
    expect((await call("DELETE", `/entities/site/${id}`, { token })).status).toBe(204);
    expect((await call("GET", `/entities/site/${id}`, { token })).status).toBe(404);
    const actions = (await listAuditEvents(org.admin, { limit: 50, offset: 0 })).items.filter((event) => event.targetId === id);
    expect(actions.map((event) => event.action)).toEqual(["site.deleted", "site.updated", "site.created"]);
    expect(actions.every((event) => event.actorType === "api_client")).toBe(true);
  });

  it("pages with limit and offset and reports page numbers", async () => {
    const pageOrg = await createTestOrg("rest-pages");
    const pageToken = await tokenFor(pageOrg, ALL_SCOPES);
    for (let i = 0; i < 5; i++) await call("POST", "/entities/site", { token: pageToken, body: { mpan: randomMpan(), postcode: "SW1A 1AA" } });
    const page = await call("GET", "/entities/site?limit=2&offset=2", { token: pageToken });
    expect(page.body).toMatchObject({ total_num_sites: 5, total_num_pages: 3, page_number: 2 });
    expect((page.body as { sites: unknown[] }).sites).toHaveLength(2);
  });

  it("answers 409 naming the existing site for a duplicate MPAN", async () => {
    const mpan = randomMpan();
    const first = await call("POST", "/entities/site", { token, body: { mpan, postcode: "SW1A 1AA" } });
    const again = await call("POST", "/entities/site", { token, body: { mpan, postcode: "SW1A 2AA" } });
    expect(again.status).toBe(409);
    expect(String((again.body as Json).detail)).toContain(String((first.body as Json).id));
  });

  it("lists every field problem as a located 422", async () => {
    const response = await call("POST", "/entities/site", { token, body: { mpan: "12345", postcode: "nowhere", email: "not-an-email", gave_boundary_meter_consent_at: "yesterday" } });
    expect(response.status).toBe(422);
    const locs = (response.body as { detail: { loc: unknown[]; type: string }[] }).detail.map((item) => item.loc.join("."));
    expect(locs).toEqual(expect.arrayContaining(["body.mpan", "body.postcode", "body.email", "body.gave_boundary_meter_consent_at"]));
    const missing = await call("POST", "/entities/site", { token, body: {} });
    expect((missing.body as { detail: { type: string }[] }).detail.map((item) => item.type)).toEqual(["missing", "missing"]);
    expect((await call("GET", "/entities/site?limit=0", { token })).status).toBe(422);
    expect((await call("GET", "/entities/site?limit=5001", { token })).status).toBe(422);
    expect((await call("GET", "/entities/site/not-a-uuid", { token })).status).toBe(422);
  });

  it("answers 422, not 500, to malformed JSON, and accepts gzip", async () => {
    const broken = await call("POST", "/entities/site", { token, rawBody: '{"mpan": ', headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(422);
    expect((broken.body as { detail: { type: string }[] }).detail[0]?.type).toBe("json_invalid");
    const { gzipSync } = await import("node:zlib");
    const zipped = gzipSync(JSON.stringify({ mpan: randomMpan(), postcode: "SW1A 1AA" }));
    const created = await call("POST", "/entities/site", { token, rawBody: new Uint8Array(zipped), headers: { "content-type": "application/json", "content-encoding": "gzip" } });
    expect(created.status).toBe(200);
  });

  it("refuses a body over the size limit with 413", async () => {
    const huge = JSON.stringify({ mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "x".repeat(2 * 1024 * 1024) });
    const response = await call("POST", "/entities/site", { token, rawBody: huge, headers: { "content-type": "application/json" } });
    expect(response.status).toBe(413);
  });

  it("shows another organisation's token nothing: 404 for every site and asset route", async () => {
    const init = await call("POST", "/entities/site/initialise", { token, body: seed001Initialise(randomMpan()) });
    const siteId = String(((init.body as Json).site as Json).site_id);
    const asset = ((init.body as Json).assets as Json[])[0] ?? {};
    const assetId = String(asset.asset_id);
    const externalId = String(asset.external_id);
    expect((await call("GET", `/entities/site/${siteId}`, { token: foreignToken })).status).toBe(404);
    expect((await call("PATCH", `/entities/site/${siteId}`, { token: foreignToken, body: { address: "x" } })).status).toBe(404);
    expect((await call("DELETE", `/entities/site/${siteId}`, { token: foreignToken })).status).toBe(404);
    expect((await call("GET", `/entities/site/${siteId}/eligibility`, { token: foreignToken })).status).toBe(404);
    expect((await call("GET", `/entities/asset/${assetId}`, { token: foreignToken })).status).toBe(404);
    expect((await call("PATCH", `/entities/asset/${assetId}`, { token: foreignToken, body: { serial_number: "x" } })).status).toBe(404);
    expect((await call("DELETE", `/entities/asset/${assetId}`, { token: foreignToken })).status).toBe(404);
    expect((await call("GET", `/entities/asset/external-id/${externalId}`, { token: foreignToken })).status).toBe(404);
    expect((await call("POST", "/entities/asset", { token: foreignToken, body: { site_id: siteId, external_id: "sneaky", type: "battery" } })).status).toBe(404);
    const list = await call("GET", "/entities/site?limit=5000", { token: foreignToken });
    expect(JSON.stringify(list.body)).not.toContain(siteId);
    // The site is untouched.
    expect((await call("GET", `/entities/site/${siteId}`, { token })).status).toBe(200);
  });

  it("refuses to delete a site that still has assets with 400", async () => {
    const init = await call("POST", "/entities/site/initialise", { token, body: seed001Initialise(randomMpan()) });
    const siteId = String(((init.body as Json).site as Json).site_id);
    expect((await call("DELETE", `/entities/site/${siteId}`, { token })).status).toBe(400);
  });
});

describe("entities dialect: initialise and eligibility", () => {
  let org: TestOrg;
  let token: string;
  beforeAll(async () => {
    org = await createTestOrg("rest-init");
    token = await tokenFor(org, ALL_SCOPES);
  });

  it("accepts the documented example and answers in the documented shape", async () => {
    const body = seed001Initialise("1234567890123");
    const response = await call("POST", "/entities/site/initialise", { token, body });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      site: { site_created: true, warnings: ["mpan_check_digit_invalid"] },
      assets: [{ external_id: body.assets[0]?.external_id, asset_created: true }],
      eligibility: { site_properties: { is_half_hourly_settled: false, has_meter_consent: true }, eligible_propositions: [] },
    });
  });

  it("is idempotent: a second call matches the site and lists only changed fields", async () => {
    const mpan = randomMpan();
    const first = await call("POST", "/entities/site/initialise", { token, body: seed001Initialise(mpan) });
    const firstBody = first.body as { site: Json; assets: Json[] };
    expect(firstBody.site.fields_updated).toEqual(["mpan", "postcode", "street_address", "email", "gave_boundary_meter_consent_at"]);
    const same = await call("POST", "/entities/site/initialise", { token, body: seed001Initialise(mpan) });
    expect(same.body).toMatchObject({
      site: { site_id: firstBody.site.site_id, site_created: false, fields_updated: [] },
      assets: [{ asset_id: firstBody.assets[0]?.asset_id, asset_created: false, fields_updated: [] }],
    });
    const changed = seed001Initialise(mpan);
    changed.site.street_address = "11 Downing Street";
    changed.assets[0] = { ...changed.assets[0], external_id: `charger-${mpan}`, type: "charger", asset_model: "zappi", installation_date: "2025-06-15", properties: { power_kw: 22 } };
    const third = await call("POST", "/entities/site/initialise", { token, body: changed });
    expect(third.body).toMatchObject({ site: { site_created: false, fields_updated: ["street_address"] }, assets: [{ fields_updated: ["properties"] }] });
  });

  it("creates one site when 50 clients initialise it at once", async () => {
    const body = seed001Initialise(randomMpan());
    const responses = await Promise.all(Array.from({ length: 50 }, () => call("POST", "/entities/site/initialise", { token, body })));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const siteIds = new Set(responses.map((response) => String(((response.body as Json).site as Json).site_id)));
    expect(siteIds.size).toBe(1);
    expect(responses.filter((response) => ((response.body as Json).site as Json).site_created === true)).toHaveLength(1);
    const page = await call("GET", `/entities/site?mpan=${body.site.mpan}`, { token });
    expect((page.body as Json).total_num_sites).toBe(1);
  });

  it("stores nothing when one asset is refused", async () => {
    const owner = await call("POST", "/entities/site/initialise", { token, body: seed001Initialise(randomMpan()) });
    const takenId = String((((owner.body as Json).assets as Json[])[0] ?? {}).external_id);
    const mpan = randomMpan();
    const body = { site: { mpan, postcode: "SW1A 1AA" }, assets: [{ external_id: `fresh-${mpan}`, type: "battery" }, { external_id: takenId, type: "charger" }] };
    const refused = await call("POST", "/entities/site/initialise", { token, body });
    expect(refused.status).toBe(422);
    expect((refused.body as { detail: { loc: unknown[] }[] }).detail[0]?.loc).toEqual(["body", "assets", 1, "external_id"]);
    expect((await call("GET", `/entities/site?mpan=${mpan}`, { token })).body).toMatchObject({ total_num_sites: 0 });
    expect((await call("GET", `/entities/asset/external-id/fresh-${mpan}`, { token })).status).toBe(404);
  });

  it("reports per-asset property problems with their location", async () => {
    const response = await call("POST", "/entities/site/initialise", {
      token,
      body: { site: { mpan: randomMpan(), postcode: "SW1A 1AA" }, assets: [{ external_id: "x", type: "battery" }, { external_id: "y", type: "charger", properties: { phases: 2 } }] },
    });
    expect(response.status).toBe(422);
    const locs = (response.body as { detail: { loc: unknown[] }[] }).detail.map((item) => item.loc.join("."));
    expect(locs).toEqual(["body.assets.1.properties.phases"]);
  });

  it("accepts the battery guide's site and asset (seed 000) through initialise and makes it eligible", async () => {
    const mpan = randomMpan();
    const response = await call("POST", "/entities/site/initialise", {
      token,
      body: {
        site: { mpan, postcode: "SW1A 1AA", street_address: "10 Downing Street", gave_boundary_meter_consent_at: "2025-01-01T12:00:00Z", email: "user@example.com" },
        assets: [{ external_id: `battery-${mpan}`, type: "battery", properties: { power_kw: 5.0, capacity_kwh: 10.0 }, oem: "givenergy" }],
      },
    });
    expect(response.status).toBe(200);
    const siteId = String(((response.body as Json).site as Json).site_id);
    // Half-hourly settlement is not required by default, so full control is open too.
    expect(((response.body as Json).eligibility as Json).eligible_propositions).toEqual(["vpp_limited_control", "full_asset_control"]);
    const eligibility = await call("GET", `/entities/site/${siteId}/eligibility`, { token });
    expect(eligibility.body).toMatchObject({ site_id: siteId, eligible_propositions: ["vpp_limited_control", "full_asset_control"] });
  });

  it("answers a what-if eligibility check without storing anything", async () => {
    const mpan = randomMpan();
    const response = await call("POST", "/entities/site/check-eligibility", { token, body: { mpan, asset_model: "zappi" } });
    expect(response.status).toBe(200);
    // zappi is in the shipped catalogue as CoP11 qualified.
    expect(response.body).toMatchObject({
      is_half_hourly_settled: false,
      propositions: [{ proposition: "limited_pause", is_eligible: true }, { proposition: "full_asset_schedule_control", is_eligible: true }],
    });
    expect((await call("GET", `/entities/site?mpan=${mpan}`, { token })).body).toMatchObject({ total_num_sites: 0 });
    expect((await call("POST", "/entities/site/check-eligibility", { token, body: { mpan: "abc" } })).status).toBe(422);
  });

  it("validates MPANs", async () => {
    expect((await call("POST", "/validation/mpan", { token, body: { mpan: "12 3456 7890 126" } })).body).toEqual({ isValid: true });
    const wrongDigit = await call("POST", "/validation/mpan", { token, body: { mpan: "1234567890123" } });
    expect(wrongDigit.status).toBe(400);
    expect((await call("POST", "/validation/mpan", { token, body: { mpan: "12345" } })).status).toBe(400);
    expect((await call("POST", "/validation/mpan", { token, body: {} })).status).toBe(422);
  });
});

describe("entities dialect: assets", () => {
  let token: string;
  let siteId: string;
  beforeAll(async () => {
    const org = await createTestOrg("rest-assets");
    token = await tokenFor(org, ALL_SCOPES);
    siteId = String(((await call("POST", "/entities/site", { token, body: { mpan: randomMpan(), postcode: "SW1A 1AA" } })).body as Json).id);
  });

  it("creates, finds by external id, changes and deletes an asset", async () => {
    const created = await call("POST", "/entities/asset", {
      token,
      body: { site_id: siteId, external_id: "tank-1", type: "hot water tank", properties: { capacity_litres: 200, heating_elements_kw: [3] }, serial_number: "SN1" },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ external_id: "tank-1", type: "hot water tank", site_id: siteId, properties: { capacity_litres: 200 } });
    const id = String((created.body as Json).id);
    expect((await call("GET", "/entities/asset/external-id/tank-1", { token })).body).toMatchObject({ id });
    expect((await call("GET", `/entities/asset/${id}`, { token })).body).toMatchObject({ serial_number: "SN1" });
    const patched = await call("PATCH", `/entities/asset/${id}`, { token, body: { asset_model: "Oso SuperTank", properties: { capacity_litres: 300 } } });
    expect(patched.body).toMatchObject({ asset_model: "Oso SuperTank", properties: { capacity_litres: 300 } });
    const badProperties = await call("PATCH", `/entities/asset/${id}`, { token, body: { properties: { capacity_litres: -5 } } });
    expect(badProperties.status).toBe(422);
    expect((await call("GET", `/entities/site/${siteId}`, { token })).body).toMatchObject({ asset_ids: [id] });
    const list = await call("GET", "/entities/asset?limit=10", { token });
    expect(list.body).toMatchObject({ total_num_assets: 1, page_number: 1 });
    expect((await call("POST", "/entities/asset", { token, body: { site_id: siteId, external_id: "tank-1", type: "battery" } })).status).toBe(409);
    expect((await call("DELETE", `/entities/asset/${id}`, { token })).status).toBe(204);
    expect((await call("GET", `/entities/asset/${id}`, { token })).status).toBe(404);
  });

  it("refuses an unknown type and a missing site with located errors", async () => {
    const response = await call("POST", "/entities/asset", { token, body: { site_id: siteId, external_id: "x", type: "toaster" } });
    expect(response.status).toBe(422);
    expect((response.body as { detail: { loc: unknown[] }[] }).detail[0]?.loc).toEqual(["body", "type"]);
    const orphan = await call("POST", "/entities/asset", { token, body: { site_id: "00000000-0000-4000-8000-000000000000", external_id: "y", type: "battery" } });
    expect(orphan.status).toBe(404);
  });
});
