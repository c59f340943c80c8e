// Conformance with the published entities document, as a new partner meets it: a client generated
// by openapi-typescript + openapi-fetch from the published document (test/published/axle.d.ts),
// talking real HTTP to the platform, every answer checked against the published schemas. It walks
// every published operation (the list comes from the document, so a missing one fails) and the
// published flows with their bodies as published.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES, type ApiScope } from "@/server/domain/api-scopes";
import { validateOcppPayload } from "@/server/ocpp";
import { createApiClient } from "@/server/services/api-clients/api-clients";
import { accessTokenOf, randomMpan, simulatorGateway } from "@/server/services/batteries/test-support";
import { setOemGatewayForProcess } from "@/server/services/credentials/oem-gateway";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { commitDispatchPlan, createGridEvent } from "@/server/services/grid-events";
import { createPartnerBattery, futureWindow } from "@/server/services/grid-events/test-support";
import { insertBatteryScheduleForTest } from "@/server/services/rewards/test-support";
import { loadMeterRegistry } from "@/server/services/meters/meter-registry";
import { addWebhookEndpoint } from "@/server/services/webhooks/partner-webhooks";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { startPlatformHttpServer, type PlatformHttpServer } from "@/test/flows/platform-http";
import type { operations } from "./axle";
import { generatePublishedTypes, PUBLISHED_DOCUMENT_FILE, PUBLISHED_TYPES_FILE } from "./generate";
import { publishedClient, publishedOperations, publishedToken, type Answer, type PublishedClient } from "./partner-client";

const answers: Answer[] = [];
let api: PlatformHttpServer;
let sim: SimulatorHandle;

interface Partner {
  client: PublishedClient;
  org: TestOrg;
}

async function newPartner(label: string, scopes: ApiScope[] = Object.keys(API_SCOPES) as ApiScope[]): Promise<Partner> {
  const org = await createTestOrg(label);
  const credentials = await createApiClient(org.admin, { name: `${label} partner`, scopes });
  const token = await publishedToken(api.baseUrl, credentials.clientId, credentials.clientSecret, answers);
  return { client: publishedClient(api.baseUrl, answers, token), org };
}

/** The answer the middleware recorded for the call just made, after it conformed. */
function lastAnswer(): Answer {
  const answer = answers.at(-1);
  if (answer === undefined) throw new Error("no answer recorded");
  expect(answer.problems, `${answer.method} ${answer.path} -> ${answer.status}: ${String(JSON.stringify(answer.body)).slice(0, 400)}`).toEqual([]);
  return answer;
}

function expectSuccess(): Answer {
  const answer = lastAnswer();
  expect(answer.status, `${answer.method} ${answer.path}: ${String(JSON.stringify(answer.body)).slice(0, 400)}`).toBeLessThan(300);
  return answer;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, modeChangeDelayMs: 50, seed: 13 });
  setOemGatewayForProcess(simulatorGateway(sim));
  api = await startPlatformHttpServer();
});

afterAll(async () => {
  setOemGatewayForProcess(undefined);
  await api?.stop();
  await sim?.stop();
});

describe("the generated partner types", () => {
  it("are what openapi-typescript makes of the published document today", async () => {
    const document = JSON.parse(readFileSync(PUBLISHED_DOCUMENT_FILE, "utf8")) as unknown;
    expect(readFileSync(PUBLISHED_TYPES_FILE, "utf8")).toBe(await generatePublishedTypes(document));
  });
});

// ---------------------------------------------------------------------------------------------
// Every published operation, called once the way its schema says, answering a success that
// conforms. The steps run in this order (later ones delete what earlier ones made).
// ---------------------------------------------------------------------------------------------

type OperationId = keyof operations;

interface WalkState {
  partner: Partner;
  siteId: string;
  chargerId: string;
  chargerExternalId: string;
  batterySiteId: string;
  batteryId: string;
  mpan: string;
  /** A battery in a committed grid event, and that event: what a dispatch callback reports on. */
  dispatchedAssetId: string;
  gridEventId: string;
}

type Step = (state: WalkState) => Promise<unknown>;

const HALF_HOUR_MS = 30 * 60_000;

function nextHalfHours(count: number): { start: string; end: string }[] {
  const first = Math.ceil(Date.now() / HALF_HOUR_MS) * HALF_HOUR_MS;
  return Array.from({ length: count }, (_, i) => ({ start: new Date(first + i * HALF_HOUR_MS).toISOString(), end: new Date(first + (i + 1) * HALF_HOUR_MS).toISOString() }));
}

const site = (s: WalkState) => ({ params: { path: { site_id: s.siteId } } });
const charger = (s: WalkState) => ({ params: { path: { asset_id: s.chargerId } } });

/** One call per published operation; `satisfies` makes a forgotten operation a compile error too. */
const steps = {
  // Auth
  login_for_access_token_form_auth_token_form_post: async () => {
    // Every partner in this file signs in through the token form; one more time here, checked.
    const org = await createTestOrg("conformance-token");
    const credentials = await createApiClient(org.admin, { name: "token form", scopes: ["entities:read"] });
    await publishedClient(api.baseUrl, answers).POST("/auth/token-form", {
      body: { username: credentials.clientId, password: credentials.clientSecret, grant_type: "password" },
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  },
  read_users_me_auth_users_me__get: (s) => s.partner.client.GET("/auth/users/me/"),
  create_component_token_auth_component_token_post: (s) =>
    s.partner.client.POST("/auth/component-token", {
      body: { external_user_id: `household-${randomUUID().slice(0, 8)}`, allowed_origin: "https://partner.example", user_email: "household@example.com", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),

  // Validation and meters
  validate_mpan_validation_mpan_post: (s) => s.partner.client.POST("/validation/mpan", { body: { mpan: s.mpan } }),
  get_meter_info_by_mpan_meter_by_mpan_post: (s) => s.partner.client.POST("/meter/by-mpan", { body: { mpan: s.mpan } }),
  get_meter_info_by_mpan_deprecated_meter__mpan__get: (s) => s.partner.client.GET("/meter/{mpan}", { params: { path: { mpan: s.mpan } } }),
  get_meter_info_by_address_meter_by_address_post: (s) => s.partner.client.POST("/meter/by-address", { body: { address: "12 Conformance Road, London, SW1A 1AA" } }),
  get_meter_info_by_address_deprecated_meter__get: (s) => s.partner.client.GET("/meter/", { params: { query: { address: "12 Conformance Road, London, SW1A 1AA" } } }),
  search_meters_meter_search_get: (s) => s.partner.client.GET("/meter/search", { params: { query: { postcode: "SW1A 1AA", building_identifier: "12" } } }),
  get_meter_info_by_meter_ref_meter_by_ref__meter_ref__get: async (s) => {
    const { data } = await s.partner.client.GET("/meter/search", { params: { query: { postcode: "SW1A 1AA" } } });
    const ref = data?.[0]?.ref ?? "missing";
    return s.partner.client.GET("/meter/by-ref/{meter_ref}", { params: { path: { meter_ref: ref } } });
  },
  get_meter_info_by_meter_ref_meter__meter_ref__mpan_get: async (s) => {
    const { data } = await s.partner.client.GET("/meter/search", { params: { query: { postcode: "SW1A 1AA" } } });
    const ref = data?.[0]?.ref ?? "missing";
    return s.partner.client.GET("/meter/{meter_ref}/mpan", { params: { path: { meter_ref: ref } } });
  },

  // Sites
  check_eligibility_entities_site_check_eligibility_post: (s) => s.partner.client.POST("/entities/site/check-eligibility", { body: { mpan: s.mpan } }),
  create_site_entities_site_post: (s) =>
    s.partner.client.POST("/entities/site", { body: { mpan: randomMpan(), postcode: "SW1A 2AA", street_address: `${Math.floor(Math.random() * 900) + 1} Walk Street` } }),
  get_sites_entities_site_get: (s) => s.partner.client.GET("/entities/site", { params: { query: { limit: 5, offset: 0 } } }),
  get_site_entities_site__site_id__get: (s) => s.partner.client.GET("/entities/site/{site_id}", site(s)),
  update_site_entities_site__site_id__patch: (s) => s.partner.client.PATCH("/entities/site/{site_id}", { ...site(s), body: { email: "walk@example.com" } }),
  get_site_eligibility_entities_site__site_id__eligibility_get: (s) => s.partner.client.GET("/entities/site/{site_id}/eligibility", site(s)),
  add_site_meter_consent_entities_site__site_id__meter_consent_post: (s) =>
    s.partner.client.POST("/entities/site/{site_id}/meter-consent", { ...site(s), body: { gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" } }),
  add_site_dispatch_consent_entities_site__site_id__dispatch_consent_post: (s) =>
    s.partner.client.POST("/entities/site/{site_id}/dispatch-consent", { ...site(s), body: { dispatch_methods: ["limited_pause", "full_asset_schedule_control"] } }),
  enrol_site_entities_site__site_id__enrol_post: (s) => s.partner.client.POST("/entities/site/{site_id}/enrol", { ...site(s), body: { proposition: "full_asset_schedule_control", override_withdrawal: false } }),
  get_site_flex_events_entities_site__site_id__flex_events_get: (s) => s.partner.client.GET("/entities/site/{site_id}/flex-events", site(s)),
  get_price_curve_entities_site__site_id__price_curve_get: (s) => s.partner.client.GET("/entities/site/{site_id}/price-curve", site(s)),
  add_site_auth_token_entities_site__site_id__token_post: async (s) => {
    const device = sim.createDevice({ oem: "givenergy" });
    return s.partner.client.POST("/entities/site/{site_id}/token", {
      params: { path: { site_id: s.batterySiteId } },
      // The published body, with no `oem`: the vendor is resolved from the credential.
      body: { access_token: accessTokenOf(device), token_type: "API_KEY", expires_utc: "2030-01-01T00:00:00Z" },
    });
  },
  initiate_site_oauth_entities_site__site_id__oauth__provider__initiate_get: (s) =>
    s.partner.client.GET("/entities/site/{site_id}/oauth/{provider}/initiate", { params: { path: { site_id: s.batterySiteId, provider: "givenergy" } } }),

  // Assets
  create_asset_entities_asset_post: (s) =>
    s.partner.client.POST("/entities/asset", { body: { site_id: s.siteId, external_id: `ev-${randomUUID().slice(0, 8)}`, type: "electric_vehicle", properties: { power_kw: 11 } } }),
  get_assets_entities_asset_get: (s) => s.partner.client.GET("/entities/asset", { params: { query: { limit: 10 } } }),
  get_asset_entities_asset__asset_id__get: (s) => s.partner.client.GET("/entities/asset/{asset_id}", charger(s)),
  get_asset_by_external_id_entities_asset_external_id__external_id__get: (s) =>
    s.partner.client.GET("/entities/asset/external-id/{external_id}", { params: { path: { external_id: s.chargerExternalId } } }),
  update_asset_entities_asset__asset_id__patch: (s) => s.partner.client.PATCH("/entities/asset/{asset_id}", { ...charger(s), body: { properties: { power_kw: 7.4 } } }),
  get_price_curve_entities_asset__asset_id__price_curve_get: (s) => s.partner.client.GET("/entities/asset/{asset_id}/price-curve", charger(s)),
  get_battery_schedule_entities_asset__asset_id__battery_schedule_get: (s) =>
    s.partner.client.GET("/entities/asset/{asset_id}/battery-schedule", { params: { path: { asset_id: s.batteryId } } }),

  // Charging events
  asset_tariff_update_event_entities_asset__asset_id__event_tariff_update_post: (s) =>
    s.partner.client.POST("/entities/asset/{asset_id}/event/tariff-update", { ...charger(s), body: { tariff: { off_peak_times: "00:00-05:30, 23:30-24:00", timezone: "Europe/London", tariff_type: "dual_rate" } } }),
  asset_intent_update_event_entities_asset__asset_id__event_intent_post: (s) =>
    s.partner.client.POST("/entities/asset/{asset_id}/event/intent", { ...charger(s), body: { intent: { energy_required_kwh: 20, ready_by: new Date(Date.now() + 10 * 3600_000).toISOString(), ready_by_local_time: "07:30:00", may_charge_peak: false, charging_mode: "maximise_charging_time" } } }),
  get_latest_intent_entities_asset__asset_id__intent_get: (s) => s.partner.client.GET("/entities/asset/{asset_id}/intent", charger(s)),
  asset_plug_in_event_entities_asset__asset_id__event_plug_in_post: (s) => s.partner.client.POST("/entities/asset/{asset_id}/event/plug-in", { ...charger(s), body: {} }),
  asset_charge_now_event_entities_asset__asset_id__event_charge_now_post: (s) =>
    s.partner.client.POST("/entities/asset/{asset_id}/event/charge-now", { ...charger(s), body: { end_at: new Date(Date.now() + 3600_000).toISOString() } }),
  asset_charge_now_deleted_event_entities_asset__asset_id__event_charge_now_deleted_post: (s) =>
    s.partner.client.POST("/entities/asset/{asset_id}/event/charge-now-deleted", { ...charger(s), body: {} }),
  asset_plug_out_event_entities_asset__asset_id__event_plug_out_post: (s) => s.partner.client.POST("/entities/asset/{asset_id}/event/plug-out", { ...charger(s), body: {} }),
  asset_event_entities_asset__asset_id__event_post: (s) => s.partner.client.POST("/entities/asset/{asset_id}/event", { ...charger(s), body: { event_type: "plug_out" } }),
  asset_plug_in_schedule_event_entities_asset__asset_id__event_plug_in_schedule_post: (s) => {
    const [first, , third] = nextHalfHours(6);
    return s.partner.client.POST("/entities/asset/{asset_id}/event/plug-in-schedule", {
      ...charger(s),
      body: { charging_schedule: [{ start_timestamp: first?.start ?? "", end_timestamp: third?.end ?? "" }] },
    });
  },
  event_handling_status_update_entities_asset__asset_id__callback__event_id__post: (s) =>
    s.partner.client.POST("/entities/asset/{asset_id}/callback/{event_id}", {
      params: { path: { asset_id: s.dispatchedAssetId, event_id: s.gridEventId } },
      body: { timestamp: new Date().toISOString(), status: "RECEIVED" },
    }),
  post_readings_data_readings_post: (s) => {
    const slot = new Date(Math.floor(Date.now() / HALF_HOUR_MS) * HALF_HOUR_MS - HALF_HOUR_MS);
    return s.partner.client.POST("/data/readings", {
      body: { readings: [{ asset_id: s.chargerId, start_timestamp: slot.toISOString(), end_timestamp: new Date(slot.getTime() + HALF_HOUR_MS).toISOString(), value: 1.2, label: "charger_consumption_energy_kwh" }] },
    });
  },

  // Examples
  get_example_dispatch_event_examples_dispatch_event_get: (s) => s.partner.client.GET("/examples/dispatch-event"),
  get_example_ocpp_charging_profile_examples_ocpp_charging_profile_get: (s) => s.partner.client.GET("/examples/ocpp-charging-profile"),

  // Rewards
  get_balance_info_rewards__site_id__info_get: (s) => s.partner.client.GET("/rewards/{site_id}/info", site(s)),
  get_rewards_balance_withdrawal_url_rewards__site_id__url_balance_get: (s) =>
    s.partner.client.GET("/rewards/{site_id}/url/balance", { params: { path: { site_id: s.siteId }, query: { redirect_uri: "https://partner.example/done" } } }),
  get_transaction_history_rewards__site_id__transactions_get: (s) => s.partner.client.GET("/rewards/{site_id}/transactions", site(s)),

  // Enrolment changes and removals, last
  unenrol_site_entities_site__site_id__unenrol_post: (s) => s.partner.client.POST("/entities/site/{site_id}/unenrol", { ...site(s), body: { proposition: "full_asset_schedule_control" } }),
  remove_site_dispatch_consent_entities_site__site_id__dispatch_deconsent_post: (s) =>
    s.partner.client.POST("/entities/site/{site_id}/dispatch-deconsent", { ...site(s), body: { dispatch_methods: ["full_asset_schedule_control"] } }),
  initialise_site_entities_site_initialise_post: (s) =>
    s.partner.client.POST("/entities/site/initialise", {
      body: { site: { mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "3 Walk Street" }, assets: [{ external_id: `walk-${randomUUID().slice(0, 8)}`, type: "charger", properties: { power_kw: 7.4 } }] },
    }),
  onboard_entities_site_onboard_post: (s) =>
    s.partner.client.POST("/entities/site/onboard", {
      body: {
        site: { mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "4 Walk Street", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
        assets: [{ external_id: `walk-${randomUUID().slice(0, 8)}`, type: "charger", properties: { power_kw: 7.4 } }],
        proposition: "limited_pause",
        override_withdrawal: false,
      },
    }),
  onboard_site_and_asset_entities_site_onboard_site_and_asset_post: (s) =>
    s.partner.client.POST("/entities/site/onboard-site-and-asset", {
      body: {
        site: { mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "5 Walk Street", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
        asset: { external_id: `walk-${randomUUID().slice(0, 8)}`, type: "charger", properties: { power_kw: 7.4 } },
        dispatch_consent: { dispatch_methods: ["limited_pause"] },
      },
    }),
  delete_asset_entities_asset__asset_id__delete: async (s) => {
    const { data } = await s.partner.client.POST("/entities/asset", { body: { site_id: s.siteId, external_id: `gone-${randomUUID().slice(0, 8)}`, type: "electric_vehicle", properties: { power_kw: 3 } } });
    return s.partner.client.DELETE("/entities/asset/{asset_id}", { params: { path: { asset_id: data?.id ?? "" } } });
  },
  delete_site_entities_site__site_id__delete: async (s) => {
    const { data } = await s.partner.client.POST("/entities/site", { body: { mpan: randomMpan(), postcode: "SW1A 1AA", street_address: `${Math.floor(Math.random() * 900) + 1} Gone Street` } });
    return s.partner.client.DELETE("/entities/site/{site_id}", { params: { path: { site_id: data?.id ?? "" } } });
  },
  offboard_site_and_assets_entities_site__site_id__offboard_site_and_assets_post: (s) =>
    s.partner.client.POST("/entities/site/{site_id}/offboard-site-and-assets", { params: { path: { site_id: s.batterySiteId } } }),
} satisfies Record<OperationId, Step>;

/** Operations not served yet: each must answer 404 until it lands (and then leave this list). */
const NOT_YET_SERVED = new Set<string>([]);

describe("every published operation", () => {
  const state = {} as WalkState;
  const stepIds = Object.keys(steps);

  beforeAll(async () => {
    state.partner = await newPartner("conformance-walk");
    state.mpan = randomMpan();
    // The operator's meter registry, which the /meter/* lookups read.
    await loadMeterRegistry(state.partner.org.admin, {
      csv: [
        "mpan,address,postcode,half_hourly_settled,supplier_mpid,supplier_name,eligible_markets",
        `${state.mpan},"12 Conformance Road, London, SW1A 1AA",SW1A 1AA,true,ABCD,Example Energy,wholesale;cm`,
        `${randomMpan()},"14 Conformance Road, London, SW1A 1AA",SW1A 1AA,false,,,`,
      ].join("\n"),
    });
    const { client } = state.partner;
    // The charger site, set up the way that qualifies today.
    const external = `walk-charger-${randomUUID().slice(0, 8)}`;
    const initialised = await client.POST("/entities/site/initialise", {
      body: {
        site: { mpan: state.mpan, postcode: "SW1A 1AA", street_address: "12 Conformance Road", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
        assets: [{ external_id: external, type: "charger", properties: { power_kw: 7.4 } }],
      },
    });
    expectSuccess();
    state.siteId = initialised.data?.site.site_id ?? "";
    state.chargerId = initialised.data?.assets[0]?.asset_id ?? "";
    state.chargerExternalId = external;
    const battery = await client.POST("/entities/site/initialise", {
      body: {
        site: { mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "14 Conformance Road", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
        assets: [{ external_id: `walk-battery-${randomUUID().slice(0, 8)}`, type: "battery", properties: { power_kw: 5, capacity_kwh: 10 } }],
      },
    });
    expectSuccess();
    state.batterySiteId = battery.data?.site.site_id ?? "";
    state.batteryId = battery.data?.assets[0]?.asset_id ?? "";
    // What the platform makes on its own: an optimised battery schedule and a grid event dispatch.
    const slotStart = Math.floor(Date.now() / HALF_HOUR_MS) * HALF_HOUR_MS;
    await insertBatteryScheduleForTest({
      orgId: state.partner.org.orgId,
      siteId: state.batterySiteId,
      assetId: state.batteryId,
      slots: [0, 1].map((i) => ({
        start: new Date(slotStart + i * HALF_HOUR_MS).toISOString(),
        end: new Date(slotStart + (i + 1) * HALF_HOUR_MS).toISOString(),
        chargeKw: 5, dischargeKw: 0, gridImportKw: 5, gridExportKw: 0, socStartPct: 50, socEndPct: 75,
        mode: "IMPORT_FOCUS", importPencePerKwh: 10, exportPencePerKwh: 5, loadKwh: 0.3, marketPriceGbpPerMwh: 40,
      })),
    });
    const admin = state.partner.org.admin;
    await addWebhookEndpoint(admin, { url: "https://partner.example/dispatch", secret: "conformance-secret", eventTypes: [] });
    const dispatched = await createPartnerBattery(admin, { powerKw: 3 });
    const event = await createGridEvent(admin, { name: "Turn-down", direction: "turn_down", ...futureWindow(2, 30), targetKw: 2, priceGbpPerMwh: 120, propositions: ["full_asset_control"] });
    await commitDispatchPlan(admin, event.id);
    state.dispatchedAssetId = dispatched.assetId;
    state.gridEventId = event.id;
  });

  it("has a step for each operation the published document lists, and no other", () => {
    expect([...stepIds].sort()).toEqual(publishedOperations().map((operation) => operation.operationId).sort());
    expect(publishedOperations()).toHaveLength(55);
  });

  for (const [operationId, step] of Object.entries(steps) as [OperationId, Step][]) {
    const published = publishedOperations().find((operation) => operation.operationId === operationId);
    it(`${published?.method ?? "?"} ${published?.path ?? operationId} answers as published`, async () => {
      const before = answers.length;
      await step(state);
      const mine = answers.slice(before).filter((answer) => answer.operationId === operationId);
      expect(mine.length, `no call to ${operationId} was made`).toBeGreaterThan(0);
      for (const answer of mine) {
        if (NOT_YET_SERVED.has(operationId)) {
          expect(answer.status).toBe(404);
          continue;
        }
        expect(answer.problems, `${answer.method} ${answer.path} -> ${answer.status}: ${String(JSON.stringify(answer.body)).slice(0, 400)}`).toEqual([]);
        expect(answer.status, `${answer.method} ${answer.path}: ${String(JSON.stringify(answer.body)).slice(0, 400)}`).toBeLessThan(300);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The published flows, with their bodies as published.
// ---------------------------------------------------------------------------------------------

describe("seeds/000: the VPP battery guide", () => {
  it("onboards the guide's battery with its dispatch consent, takes an OEM credential and offboards", async () => {
    const { client } = await newPartner("seed-000");
    // Verbatim from the guide.
    const onboarded = await client.POST("/entities/site/onboard-site-and-asset", {
      body: {
        site: { mpan: "1234567890123", postcode: "SW1A 1AA", street_address: "10 Downing Street", gave_boundary_meter_consent_at: "2025-01-01T12:00:00Z", email: "user@example.com" },
        asset: { external_id: "battery-001", type: "battery", properties: { power_kw: 5.0, capacity_kwh: 10.0 } },
        // `full_asset_control` is the guide's proposition; the spec's enum does not list it (open enum).
        dispatch_consent: { dispatch_methods: ["full_asset_control" as "limited_pause"] },
      },
    });
    expectSuccess();
    const siteId = onboarded.data?.site.id ?? "";
    expect(onboarded.data?.asset.external_id).toBe("battery-001");

    // The site id is also found from the asset's external id, as the guide says.
    const found = await client.GET("/entities/asset/external-id/{external_id}", { params: { path: { external_id: "battery-001" } } });
    expectSuccess();
    expect(found.data?.site_id).toBe(siteId);

    const device = sim.createDevice({ oem: "foxess" });
    await client.POST("/entities/site/{site_id}/token", {
      params: { path: { site_id: siteId } },
      // The guide's body verbatim: no vendor field.
      body: { access_token: accessTokenOf(device), token_type: "API_KEY", expires_utc: "2030-01-01T00:00:00Z" },
    });
    expectSuccess();

    await client.GET("/rewards/{site_id}/info", { params: { path: { site_id: siteId } } });
    expectSuccess();

    await client.POST("/entities/site/{site_id}/offboard-site-and-assets", { params: { path: { site_id: siteId } } });
    expectSuccess();
  });
});

describe("seeds/001: initialise", () => {
  it("upserts the published example site and charger, repeats without creating anything, and reports eligibility", async () => {
    const { client } = await newPartner("seed-001");
    const body = {
      site: { mpan: "1234567890123", postcode: "SW1A 1AA", street_address: "10 Downing Street", email: "resident@example.com", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
      assets: [{ external_id: "charger-001", type: "charger" as const, asset_model: "zappi", installation_date: "2025-06-15", properties: { power_kw: 7.4 } }],
    };
    const first = await client.POST("/entities/site/initialise", { body });
    expectSuccess();
    expect(first.data?.site.site_created).toBe(true);
    expect(first.data?.assets[0]?.asset_created).toBe(true);
    expect(first.data?.eligibility.site_properties.has_meter_consent).toBe(true);

    const again = await client.POST("/entities/site/initialise", { body });
    expectSuccess();
    expect(again.data?.site.site_id).toBe(first.data?.site.site_id);
    expect(again.data?.site.site_created).toBe(false);
    expect(again.data?.assets[0]?.asset_created).toBe(false);

    await client.GET("/entities/site/{site_id}/eligibility", { params: { path: { site_id: first.data?.site.site_id ?? "" } } });
    expectSuccess();
  });
});

describe("Flex Lite", () => {
  it("onboards a charger in limited_pause and answers a plug-in schedule with a modified schedule", async () => {
    const { client } = await newPartner("flex-lite");
    const onboarded = await client.POST("/entities/site/onboard", {
      body: {
        // The published example (asset_model zappi, no settlement field), with a valid MPAN: 1234567890123 fails its check digit.
        site: { mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "10 Downing Street", email: "resident@example.com", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
        assets: [{ external_id: "charger-001", type: "charger", asset_model: "zappi", installation_date: "2025-06-15", properties: { power_kw: 7.4 } }],
        proposition: "limited_pause",
        override_withdrawal: false,
      },
    });
    expectSuccess();
    const siteId = onboarded.data?.site.site_id ?? "";
    const assetId = onboarded.data?.assets[0]?.asset_id ?? "";

    const slots = nextHalfHours(8);
    const schedule = await client.POST("/entities/asset/{asset_id}/event/plug-in-schedule", {
      params: { path: { asset_id: assetId } },
      body: { charging_schedule: [{ start_timestamp: slots[0]?.start ?? "", end_timestamp: slots[7]?.end ?? "" }] },
    });
    expectSuccess();
    expect(schedule.data?.modified_charging_schedule.length).toBeGreaterThan(0);

    await client.POST("/entities/site/{site_id}/unenrol", { params: { path: { site_id: siteId } }, body: { proposition: "limited_pause" } });
    expectSuccess();
  });
});

describe("seeds/002: Smart Charging", () => {
  it("enrols in full_asset_schedule_control, sends tariff, intent, plug-in, plug-out and readings", async () => {
    const { client } = await newPartner("smart-charging");
    const initialised = await client.POST("/entities/site/initialise", {
      body: {
        // As above: the published example with a valid MPAN.
        site: { mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "10 Downing Street", email: "resident@example.com", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
        assets: [{ external_id: "charger-001", type: "charger", asset_model: "zappi", installation_date: "2025-06-15", properties: { power_kw: 7.4 } }],
      },
    });
    expectSuccess();
    const siteId = initialised.data?.site.site_id ?? "";
    const assetId = initialised.data?.assets[0]?.asset_id ?? "";
    const onAsset = { params: { path: { asset_id: assetId } } };

    const enrolled = await client.POST("/entities/site/{site_id}/enrol", { params: { path: { site_id: siteId } }, body: { proposition: "full_asset_schedule_control", override_withdrawal: false } });
    expectSuccess();
    expect(enrolled.data?.status).toBe("enrolled");

    // 1. Tariff, with the guide's overnight off-peak example.
    await client.POST("/entities/asset/{asset_id}/event/tariff-update", { ...onAsset, body: { tariff: { off_peak_times: "00:00-05:30, 23:30-24:00", timezone: "Europe/London" } } });
    expectSuccess();
    // 2. Intent: kWh and a ready-by time.
    await client.POST("/entities/asset/{asset_id}/event/intent", {
      ...onAsset,
      body: { intent: { energy_required_kwh: 24, ready_by: new Date(Date.now() + 12 * 3600_000).toISOString(), ready_by_local_time: "07:30", may_charge_peak: false, charging_mode: "maximise_charging_time" } },
    });
    expectSuccess();
    const intent = await client.GET("/entities/asset/{asset_id}/intent", onAsset);
    expectSuccess();
    expect(intent.data?.intent?.energy_required_kwh).toBe(24);
    // 3. Separate plug-in and plug-out events.
    await client.POST("/entities/asset/{asset_id}/event/plug-in", { ...onAsset, body: {} });
    expectSuccess();
    await client.POST("/entities/asset/{asset_id}/event/plug-out", { ...onAsset, body: {} });
    expectSuccess();
    // 5. Half-hourly readings.
    const slot = new Date(Math.floor(Date.now() / HALF_HOUR_MS) * HALF_HOUR_MS - HALF_HOUR_MS);
    const readings = await client.POST("/data/readings", {
      body: { readings: [{ asset_id: assetId, start_timestamp: slot.toISOString(), end_timestamp: new Date(slot.getTime() + HALF_HOUR_MS).toISOString(), value: 3.5, label: "charger_consumption_energy_kwh" }] },
    });
    expectSuccess();
    expect(readings.data?.responses[0]?.accepted).toBe(true);
  });
});

describe("examples and identity", () => {
  it("the OCPP example is a valid OCPP 1.6 SetChargingProfile and the dispatch example names its callback", async () => {
    const { client } = await newPartner("examples", ["entities:read"]);
    const profile = await client.GET("/examples/ocpp-charging-profile");
    expectSuccess();
    expect(validateOcppPayload("1.6", "SetChargingProfile", profile.data)).toEqual({ ok: true });
    expect(profile.data?.csChargingProfiles.chargingProfilePurpose).toBe("TxProfile");
    const dispatch = await client.GET("/examples/dispatch-event");
    expectSuccess();
    expect(dispatch.data?.update_status_callback).toContain(`/api/v1/entities/asset/${dispatch.data?.asset_id}/callback/${dispatch.data?.event_id}`);
  });

  it("users/me lists the roles the token's scopes grant, and refuses a missing token", async () => {
    const { client } = await newPartner("users-me", ["entities:read", "rewards:read"]);
    const me = await client.GET("/auth/users/me/");
    expectSuccess();
    expect([...(me.data?.roles ?? [])].sort()).toEqual(["entity_read", "lookup", "rewards"]);
    expect(me.data?.username).toContain("users-me partner");
    const anonymous = await publishedClient(api.baseUrl, answers).GET("/auth/users/me/");
    expect(anonymous.response.status).toBe(401);
  });
});

describe("meter lookups that cannot answer", () => {
  it("explain a bad MPAN or postcode in one sentence naming the field, as published", async () => {
    const { client } = await newPartner("meter-errors", ["entities:read"]);
    await client.POST("/meter/by-mpan", { body: { mpan: "12345" } });
    const badMpan = lastAnswer();
    expect(badMpan.status).toBe(422);
    expect(badMpan.body).toEqual({ detail: expect.stringMatching(/^mpan: MPAN must be exactly 13 digits/) });
    await client.GET("/meter/search", { params: { query: { postcode: "not a postcode" } } });
    const badPostcode = lastAnswer();
    expect(badPostcode.status).toBe(422);
    expect(badPostcode.body).toEqual({ detail: expect.stringMatching(/^postcode: /) });
    await client.POST("/meter/by-address", { body: { address: "1 Unknown Road, London, SW1A 1AA" } });
    expect(lastAnswer().status).toBe(404);
  });
});
