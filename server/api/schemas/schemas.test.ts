import { describe, expect, it } from "vitest";
import { evaluateEligibility } from "@/server/domain/inventory";
import { assetRequestSchema, assetTypeToWire, onboardingAssetRequestSchema } from "./entities-asset";
import { pageFields, paginationQuerySchema } from "./entities-common";
import { eligibilityToWire, initialiseRequestSchema, siteEligibilityDetailSchema } from "./entities-initialise";
import { siteListQuerySchema, siteRequestSchema } from "./entities-site";
import { meterRequestSchema, resourceRequestSchema, vehicleRequestSchema } from "./energy-coordination";
import { zodIssuesToDetail } from "./validation-detail";

// Request bodies as published in the integration guides (seeds 000, 001 and 003).
const seed001Initialise = {
  site: {
    mpan: "1234567890123",
    postcode: "SW1A 1AA",
    street_address: "10 Downing Street",
    email: "resident@example.com",
    gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z",
  },
  assets: [
    {
      external_id: "charger-001",
      type: "charger",
      asset_model: "zappi",
      installation_date: "2025-06-15",
      properties: { power_kw: 7.4 },
    },
  ],
};
const seed000Site = {
  mpan: "1234567890123",
  postcode: "SW1A 1AA",
  street_address: "10 Downing Street",
  gave_boundary_meter_consent_at: "2025-01-01T12:00:00Z",
  email: "user@example.com",
};
const seed000Battery = { external_id: "battery-001", type: "battery", properties: { power_kw: 5.0, capacity_kwh: 10.0 } };
const seed003Vehicle = {
  vehicleId: "vehicle-1",
  metadata: { resourceType: "Vehicle", brand: "Tesla", model: "Model 3", year: 2022, vin: "5YJ3E1EA2KF317000" },
};
const seed003Meter = {
  address: { street: "Storgata 1", city: "Trondheim", zipCode: "7010" },
  location: { latitude: 63.1, longitude: 10.7 },
  meterPointId: "707057500012345678",
  meterNumber: "12345678",
  locationType: "Residential",
};
const seed003Resource = {
  resourceId: "tank-1",
  metadata: { resourceType: "HotWaterTank", brand: "Oso", model: "SuperTank", capacity: 500, heatingElements: [1750, 1250] },
};

describe("entities request schemas", () => {
  it("parses the initialise example and keeps the example MPAN", () => {
    const parsed = initialiseRequestSchema.parse(seed001Initialise);
    expect(parsed.site.mpan).toBe("1234567890123");
    expect(parsed.assets[0]).toMatchObject({ type: "charger", ignored_property_keys: [] });
  });

  it("parses the battery guide's site and asset", () => {
    expect(siteRequestSchema.parse(seed000Site).postcode).toBe("SW1A 1AA");
    expect(onboardingAssetRequestSchema.parse(seed000Battery)).toMatchObject({ type: "battery", properties: { power_kw: 5, capacity_kwh: 10 } });
  });

  it("normalises MPAN spacing and postcode case", () => {
    const parsed = siteRequestSchema.parse({ mpan: "12 3456 7890 123", postcode: "sw1a1aa" });
    expect(parsed).toMatchObject({ mpan: "1234567890123", postcode: "SW1A 1AA" });
  });

  it("refuses a 12-digit MPAN with a 422 entry at body.mpan", () => {
    const input = { mpan: "123456789012", postcode: "SW1A 1AA" };
    const result = siteRequestSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(zodIssuesToDetail(result.error, "body", input)).toEqual([
        { loc: ["body", "mpan"], msg: "MPAN must be exactly 13 digits, got 12", type: "mpan_invalid" },
      ]);
    }
  });

  it("accepts the reference's spaced asset types and ours, and answers in the reference's", () => {
    expect(onboardingAssetRequestSchema.parse({ external_id: "t", type: "hot water tank" }).type).toBe("hot_water_tank");
    expect(onboardingAssetRequestSchema.parse({ external_id: "t", type: "heat_pump" }).type).toBe("heat_pump");
    expect(assetTypeToWire("solar_pv")).toBe("pv inverter");
    expect(assetTypeToWire("heat_pump")).toBe("heat pump");
  });

  it("checks properties against the asset's type", () => {
    const input = { external_id: "t", type: "charger", site_id: "3c90c3cc-0d44-4b50-8888-8dd25736052a", properties: { phases: 2 } };
    const result = assetRequestSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(zodIssuesToDetail(result.error, "body", input)[0]?.loc).toEqual(["body", "properties", "phases"]);
  });

  it("reports missing fields and enum mistakes like the reference", () => {
    const input = { external_id: "t", type: "toaster" };
    const result = assetRequestSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) {
      const detail = zodIssuesToDetail(result.error, "body", input);
      expect(detail).toContainEqual({ loc: ["body", "site_id"], msg: "Field required", type: "missing" });
      expect(detail.find((entry) => entry.loc[1] === "type")?.type).toBe("enum");
    }
  });
});

describe("pagination", () => {
  it("defaults to 10 from offset 0 and coerces query strings", () => {
    expect(paginationQuerySchema.parse({})).toEqual({ limit: 10, offset: 0 });
    expect(paginationQuerySchema.parse({ limit: "5000", offset: "20" })).toEqual({ limit: 5000, offset: 20 });
  });

  it("refuses limits outside 1-5000 at query.limit", () => {
    for (const limit of ["0", "5001", "ten"]) {
      const result = siteListQuerySchema.safeParse({ limit });
      expect(result.success).toBe(false);
      if (!result.success) expect(zodIssuesToDetail(result.error, "query", { limit })[0]?.loc).toEqual(["query", "limit"]);
    }
    const result = siteListQuerySchema.safeParse({ limit: "ten" });
    if (!result.success) expect(zodIssuesToDetail(result.error, "query", { limit: "ten" })[0]?.type).toBe("int_parsing");
  });

  it("numbers pages from 1", () => {
    expect(pageFields(25, { limit: 10, offset: 0 })).toEqual({ total_num_pages: 3, page_number: 1 });
    expect(pageFields(25, { limit: 10, offset: 20 })).toEqual({ total_num_pages: 3, page_number: 3 });
    expect(pageFields(0, { limit: 10, offset: 0 })).toEqual({ total_num_pages: 0, page_number: 1 });
  });
});

describe("energy-coordination schemas", () => {
  it("parses the quickstart's vehicle, meter and hot water tank", () => {
    expect(vehicleRequestSchema.parse(seed003Vehicle).metadata.vin).toBe("5YJ3E1EA2KF317000");
    expect(meterRequestSchema.parse(seed003Meter).meterPointId).toBe("707057500012345678");
    expect(resourceRequestSchema.parse(seed003Resource).metadata).toMatchObject({ capacity: 500, heatingElements: [1750, 1250] });
  });

  it("refuses a North American VIN with a wrong check digit", () => {
    const input = { ...seed003Vehicle, metadata: { ...seed003Vehicle.metadata, vin: "5YJ3E1EA1KF317000" } };
    const result = vehicleRequestSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(zodIssuesToDetail(result.error, "body", input)[0]).toMatchObject({ loc: ["body", "metadata", "vin"], type: "vin_invalid" });
  });

  it("requires capacity and heating elements on a hot water tank but not on other resources", () => {
    expect(resourceRequestSchema.safeParse({ resourceId: "r", metadata: { resourceType: "HotWaterTank" } }).success).toBe(false);
    expect(resourceRequestSchema.safeParse({ resourceId: "r", metadata: { resourceType: "HeatPump", brand: "X" } }).success).toBe(true);
  });
});

describe("eligibilityToWire", () => {
  it("produces a SiteEligibilityDetail", () => {
    const result = evaluateEligibility({
      site: { mpan: "1234567890123", mpanCheckDigitValid: false, isHalfHourlySettled: false },
      assets: [
        {
          id: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
          externalId: "charger-001",
          type: "charger",
          properties: { power_kw: 7.4 },
          assetModelName: null,
          assetModel: null,
          installationDate: null,
          oem: null,
        },
      ],
      consents: { boundaryMeter: true, dispatch: new Set() },
      halfHourlySettlementRequired: new Set(["limited_pause"] as const),
    });
    const wire = eligibilityToWire("a1b2c3d4-e5f6-7890-abcd-ef1234567890", result);
    expect(siteEligibilityDetailSchema.parse(wire)).toEqual(wire);
    expect(wire.site_properties).toEqual({ is_half_hourly_settled: false, has_meter_consent: true });
    expect(wire.assets[0]?.propositions[0]).toEqual({
      proposition: "limited_pause",
      is_eligible: false,
      issues: ["mpan_check_digit_invalid", "asset_model_not_set", "asset_installation_date_not_set", "site_not_half_hourly_settled"],
    });
  });
});
