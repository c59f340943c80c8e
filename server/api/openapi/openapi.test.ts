import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildOpenApiDocument, takesInput } from "./build-document";
import { defineRoute } from "./define-route";
import { inventoryRoutes } from "./routes";
import { API_SCOPES } from "@/server/domain/api-scopes";
import { matchOpenApiPath, validateAgainstOpenApi, validateRequestAgainstOpenApi } from "./validate";

const document = buildOpenApiDocument(inventoryRoutes, { scopes: API_SCOPES });

const initialiseExample = {
  site: {
    mpan: "1234567890123",
    postcode: "SW1A 1AA",
    street_address: "10 Downing Street",
    email: "resident@example.com",
    gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z",
  },
  assets: [{ external_id: "charger-001", type: "charger", asset_model: "zappi", installation_date: "2025-06-15", properties: { power_kw: 7.4 } }],
};

describe("buildOpenApiDocument", () => {
  it("builds an OpenAPI 3.1 document with the client-credentials scheme", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.oauth2).toMatchObject({
      type: "oauth2",
      flows: { clientCredentials: { tokenUrl: "/api/v1/auth/token" } },
    });
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it("registers every inventory route once with its scopes", () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations).toHaveLength(inventoryRoutes.length);
    expect(document.paths["/entities/site/{site_id}"]?.patch?.security).toEqual([
      { oauth2: ["entities:write"] },
      { bearerAuth: ["entities:write"] },
    ]);
  });

  it("documents a 422 for every route that takes input", () => {
    for (const route of inventoryRoutes) {
      if (!takesInput(route)) continue;
      expect(document.paths[route.path]?.[route.method]?.responses, route.operationId).toHaveProperty("422");
    }
  });

  it("resolves every $ref to a component", () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(document.components.schemas, ref).toHaveProperty(name);
    }
  });

  it("documents query parameters with the reference's pagination bounds", () => {
    const parameters = document.paths["/entities/site"]?.get?.parameters as { name: string; schema: Record<string, unknown> }[];
    expect(parameters.find((parameter) => parameter.name === "limit")?.schema).toMatchObject({ minimum: 1, maximum: 5000, default: 10 });
    const pathParameters = document.paths["/entities/site/{site_id}"]?.get?.parameters as { name: string; in: string; required: boolean }[];
    expect(pathParameters).toEqual([expect.objectContaining({ name: "site_id", in: "path", required: true })]);
  });

  it("keeps the eligibility code enum open", () => {
    expect(document.components.schemas.EligibilityCode).toMatchObject({ anyOf: [{ enum: expect.arrayContaining(["asset_model_not_set"]) }, { type: "string" }] });
  });

  it("splits a component whose request and response forms differ", () => {
    const shared = z.object({ n: z.number().default(1) }).meta({ id: "Shared" });
    const route = defineRoute({
      method: "post",
      path: "/x",
      operationId: "x",
      summary: "x",
      tags: [],
      permission: null,
      request: { body: z.object({ shared }).meta({ id: "Wrapper" }) },
      responses: { 200: shared },
    });
    const built = buildOpenApiDocument([route]);
    expect(Object.keys(built.components.schemas).sort()).toEqual(["HTTPValidationError", "Shared", "SharedInput", "ValidationError", "Wrapper"].sort());
    expect(built.components.schemas.Wrapper).toMatchObject({ properties: { shared: { $ref: "#/components/schemas/SharedInput" } } });
    expect(built.components.schemas.Shared).toMatchObject({ required: ["n"] });
  });

  it("refuses duplicate operation ids and scopes the document does not declare", () => {
    const route = defineRoute({ method: "get", path: "/y", operationId: "y", summary: "y", tags: [], permission: "sites:read", responses: { 200: z.object({}) } });
    expect(() => buildOpenApiDocument([route, route])).toThrow(/Duplicate/);
    expect(() => buildOpenApiDocument([route], { scopes: { "users:read": API_SCOPES["users:read"] } })).toThrow(/undeclared scope/);
  });
});

describe("validateAgainstOpenApi", () => {
  const initialiseResponse = {
    site: { site_id: "3c90c3cc-0d44-4b50-8888-8dd25736052a", site_created: true, fields_updated: [], warnings: ["mpan_check_digit_invalid"] },
    assets: [{ asset_id: "3c90c3cc-0d44-4b50-8888-8dd25736052b", external_id: "charger-001", asset_created: true, fields_updated: [], warnings: [] }],
    eligibility: {
      site_id: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
      site_properties: { is_half_hourly_settled: false, has_meter_consent: true },
      eligible_propositions: [],
      assets: [
        {
          asset_id: "3c90c3cc-0d44-4b50-8888-8dd25736052b",
          external_id: "charger-001",
          propositions: [{ proposition: "limited_pause", is_eligible: false, issues: ["mpan_check_digit_invalid"] }],
        },
      ],
    },
  };

  it("accepts a conforming initialise response at a concrete path", () => {
    expect(validateAgainstOpenApi(document, "POST", "/api/v1/entities/site/initialise", 200, initialiseResponse)).toEqual({ valid: true });
  });

  it("rejects a response missing a required field or carrying an undocumented one", () => {
    const { site: _site, ...withoutSite } = initialiseResponse;
    expect(validateAgainstOpenApi(document, "POST", "/entities/site/initialise", 200, withoutSite).valid).toBe(false);
    const leaky = { ...initialiseResponse, site: { ...initialiseResponse.site, secret: "x" } };
    expect(validateAgainstOpenApi(document, "POST", "/entities/site/initialise", 200, leaky).valid).toBe(false);
  });

  it("checks pages, 422 bodies and empty 204s", () => {
    const page = { sites: [{ id: "3c90c3cc-0d44-4b50-8888-8dd25736052a", mpan: "1234567890123", asset_ids: [] }], total_num_sites: 1, total_num_pages: 1, page_number: 1 };
    expect(validateAgainstOpenApi(document, "get", "/entities/site?limit=10", 200, page)).toEqual({ valid: true });
    expect(validateAgainstOpenApi(document, "get", "/entities/site", 422, { detail: [{ loc: ["query", "limit"], msg: "m", type: "t" }] })).toEqual({ valid: true });
    expect(validateAgainstOpenApi(document, "delete", "/entities/site/3c90c3cc-0d44-4b50-8888-8dd25736052a", 204, undefined)).toEqual({ valid: true });
    expect(validateAgainstOpenApi(document, "delete", "/entities/site/3c90c3cc-0d44-4b50-8888-8dd25736052a", 204, { x: 1 }).valid).toBe(false);
  });

  it("reports undocumented operations and statuses", () => {
    expect(validateAgainstOpenApi(document, "put", "/entities/site", 200, {}).valid).toBe(false);
    expect(validateAgainstOpenApi(document, "get", "/entities/site", 418, {}).valid).toBe(false);
  });

  it("prefers literal path segments over parameters", () => {
    expect(matchOpenApiPath(document, "post", "/entities/site/initialise")).toBe("/entities/site/initialise");
    expect(matchOpenApiPath(document, "get", "/entities/asset/external-id/abc")).toBe("/entities/asset/external-id/{external_id}");
  });

  it("accepts the published request examples as documented request bodies", () => {
    expect(validateRequestAgainstOpenApi(document, "post", "/entities/site/initialise", initialiseExample)).toEqual({ valid: true });
    expect(
      validateRequestAgainstOpenApi(document, "post", "/users/u1/resources", {
        resourceId: "tank-1",
        metadata: { resourceType: "HotWaterTank", brand: "Oso", model: "SuperTank", capacity: 500, heatingElements: [1750, 1250] },
      }),
    ).toEqual({ valid: true });
  });
});

describe("routes of later issues", async () => {
  const { assetEventRoutes, enrolmentRoutes, readingAndRewardRoutes } = await import("./routes-enrolment-events");
  const all = [...inventoryRoutes, ...enrolmentRoutes, ...assetEventRoutes, ...readingAndRewardRoutes];
  const full = buildOpenApiDocument(all, { scopes: API_SCOPES });

  it("build into one document with a 422 wherever input is taken", () => {
    for (const route of all) {
      if (takesInput(route)) expect(full.paths[route.path]?.[route.method]?.responses, route.operationId).toHaveProperty("422");
    }
  });

  it("accept the battery guide's onboarding body with full_asset_control consent", () => {
    const body = {
      site: { mpan: "1234567890123", postcode: "SW1A 1AA", street_address: "10 Downing Street", gave_boundary_meter_consent_at: "2025-01-01T12:00:00Z", email: "user@example.com" },
      asset: { external_id: "battery-001", type: "battery", properties: { power_kw: 5.0, capacity_kwh: 10.0 } },
      dispatch_consent: { dispatch_methods: ["full_asset_control"] },
    };
    expect(validateRequestAgainstOpenApi(full, "post", "/entities/site/onboard-site-and-asset", body)).toEqual({ valid: true });
    const route = enrolmentRoutes.find((candidate) => candidate.operationId === "onboard_site_and_asset_entities_site_onboard_site_and_asset_post");
    expect(route?.request.body.safeParse(body).success).toBe(true);
  });

  it("accept the guide's off-peak tariff forms and refuse weekday selectors", async () => {
    const { tariffSchema } = await import("@/server/api/schemas/entities-asset-events");
    expect(tariffSchema.safeParse({ off_peak_times: "00:00-05:30, 23:30-24:00", timezone: "Europe/London" }).success).toBe(true);
    expect(tariffSchema.safeParse({ off_peak_times: "Mo-Fr 00:00-07:00", timezone: "Europe/London" }).success).toBe(false);
    expect(tariffSchema.safeParse({ off_peak_times: "00:00-07:00", timezone: "Mars/Olympus" }).success).toBe(false);
  });
});
