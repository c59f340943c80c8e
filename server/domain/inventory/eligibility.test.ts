import { describe, expect, it } from "vitest";
import {
  ELIGIBILITY_ISSUE_CODES,
  PROPOSITIONS,
  eligibilityIssueMessages,
  evaluateChargerQuickCheck,
  evaluateEligibility,
  type EligibilityAsset,
  type EligibilityInput,
} from "./eligibility";
import { normaliseMpan } from "./mpan";

const charger = (overrides: Partial<EligibilityAsset> = {}): EligibilityAsset => ({
  id: "a1",
  externalId: "charger-001",
  type: "charger",
  properties: { power_kw: 7.4 },
  assetModelName: "zappi",
  assetModel: { cop11Qualified: true },
  installationDate: "2025-06-15",
  oem: null,
  ...overrides,
});

const battery = (overrides: Partial<EligibilityAsset> = {}): EligibilityAsset => ({
  id: "b1",
  externalId: "battery-001",
  type: "battery",
  properties: { power_kw: 5, capacity_kwh: 10 },
  assetModelName: null,
  assetModel: null,
  installationDate: null,
  oem: "givenergy",
  ...overrides,
});

/** The operator setting that makes every proposition require a half-hourly settled site. */
const settlementRequired = new Set(PROPOSITIONS);

const input = (overrides: Partial<EligibilityInput> = {}): EligibilityInput => ({
  site: { mpan: "1234567890126", mpanCheckDigitValid: true, isHalfHourlySettled: false },
  assets: [charger()],
  consents: { boundaryMeter: true, dispatch: new Set() },
  ...overrides,
});

describe("evaluateEligibility: chargers", () => {
  it("makes a CoP11-qualified charger eligible without half-hourly settlement", () => {
    const result = evaluateEligibility(input());
    expect(result.propositions.limited_pause).toEqual({ eligible: true, issues: [] });
    expect(result.propositions.full_asset_schedule_control).toEqual({ eligible: true, issues: [] });
    expect(result.eligiblePropositions).toEqual(["limited_pause", "full_asset_schedule_control"]);
  });

  it("accepts a charger of any model at a site with meter consent when settlement is not required (the default)", () => {
    const result = evaluateEligibility(input({ assets: [charger({ assetModelName: null, assetModel: null, installationDate: null })] }));
    expect(result.eligiblePropositions).toEqual(["limited_pause", "full_asset_schedule_control"]);
    expect(result.siteProperties.isHalfHourlySettled).toBe(false);
  });

  it("requires half-hourly settlement only for the propositions the operator chose", () => {
    const result = evaluateEligibility(
      input({ assets: [charger({ assetModelName: null, assetModel: null })], halfHourlySettlementRequired: new Set(["full_asset_schedule_control"] as const) }),
    );
    expect(result.propositions.limited_pause.eligible).toBe(true);
    expect(result.propositions.full_asset_schedule_control.issues).toEqual(["asset_model_not_set", "site_not_half_hourly_settled"]);
  });

  it("explains a charger with no model on a site that is not half-hourly settled", () => {
    const result = evaluateEligibility(input({ assets: [charger({ assetModelName: null, assetModel: null })], halfHourlySettlementRequired: settlementRequired }));
    expect(result.propositions.limited_pause).toEqual({
      eligible: false,
      issues: ["asset_model_not_set", "site_not_half_hourly_settled"],
    });
  });

  it("accepts a charger of any model at a half-hourly settled site with meter consent", () => {
    const result = evaluateEligibility(
      input({
        site: { mpan: "1234567890126", mpanCheckDigitValid: true, isHalfHourlySettled: true },
        assets: [charger({ assetModelName: "unknown-box", assetModel: null, installationDate: null })],
      }),
    );
    expect(result.propositions.limited_pause.eligible).toBe(true);
  });

  it("needs boundary meter consent on the half-hourly route", () => {
    const result = evaluateEligibility(
      input({
        site: { mpan: "1234567890126", mpanCheckDigitValid: true, isHalfHourlySettled: true },
        assets: [charger({ assetModelName: "unknown-box", assetModel: null })],
        consents: { boundaryMeter: false, dispatch: new Set() },
      }),
    );
    expect(result.propositions.limited_pause.issues).toEqual(["asset_model_not_found", "no_boundary_meter_consent"]);
  });

  it("reports a model that is not CoP11 qualified and a missing installation date", () => {
    const result = evaluateEligibility(
      input({ assets: [charger({ assetModel: { cop11Qualified: false }, installationDate: null })], halfHourlySettlementRequired: settlementRequired }),
    );
    expect(result.propositions.limited_pause.issues).toEqual([
      "asset_model_not_cop11_qualified",
      "asset_installation_date_not_set",
      "site_not_half_hourly_settled",
    ]);
  });

  it("keeps a site with an invalid MPAN check digit ineligible for everything", () => {
    const mpan = normaliseMpan("1234567890123");
    if (!mpan.ok) throw new Error("example MPAN should parse");
    const result = evaluateEligibility(
      input({ site: { mpan: mpan.mpan, mpanCheckDigitValid: mpan.checkDigitValid, isHalfHourlySettled: true } }),
    );
    expect(result.eligiblePropositions).toEqual([]);
    expect(result.propositions.limited_pause.issues).toEqual(["mpan_check_digit_invalid"]);
    expect(result.assets[0]?.propositions.limited_pause.issues).toEqual(["mpan_check_digit_invalid"]);
  });

  it("honours an operator override against a model", () => {
    const result = evaluateEligibility(
      input({ assets: [charger({ assetModel: { cop11Qualified: true, enrolEligibilityOverride: false } })] }),
    );
    expect(result.propositions.limited_pause.issues).toEqual(["asset_model_enrol_eligibility_override"]);
  });

  it("needs the charger's rating for smart charging but not for Flex Lite", () => {
    const result = evaluateEligibility(input({ assets: [charger({ properties: {} })] }));
    expect(result.propositions.limited_pause.eligible).toBe(true);
    expect(result.propositions.full_asset_schedule_control.issues).toEqual(["asset_power_not_set"]);
  });

  it("is eligible when any one charger qualifies", () => {
    const result = evaluateEligibility(
      input({ assets: [charger({ id: "a0", assetModelName: null, assetModel: null }), charger()], halfHourlySettlementRequired: settlementRequired }),
    );
    expect(result.propositions.limited_pause.eligible).toBe(true);
    expect(result.assets.map((asset) => asset.propositions.limited_pause.eligible)).toEqual([false, true]);
  });
});

describe("evaluateEligibility: batteries", () => {
  const batterySite = input({
    site: { mpan: "1234567890126", mpanCheckDigitValid: true, isHalfHourlySettled: true },
    assets: [battery()],
  });

  it("makes a supported-OEM battery eligible for both battery propositions", () => {
    const result = evaluateEligibility(batterySite);
    expect(result.eligiblePropositions).toEqual(["vpp_limited_control", "full_asset_control"]);
  });

  it("marks the battery unsupported for the charger propositions", () => {
    const result = evaluateEligibility(batterySite);
    expect(result.assets[0]?.propositions.limited_pause).toEqual({
      eligible: false,
      issues: ["asset_type_not_supported"],
    });
    expect(result.propositions.limited_pause.issues).toEqual(["no_supported_asset"]);
  });

  it("needs capacity only for full control, and half-hourly settlement only where the operator requires it", () => {
    const unrequired = evaluateEligibility({
      ...batterySite,
      site: { mpan: "1234567890126", mpanCheckDigitValid: true, isHalfHourlySettled: false },
      assets: [battery({ properties: { power_kw: 5 } })],
    });
    expect(unrequired.propositions.full_asset_control.issues).toEqual(["asset_capacity_not_set"]);
    const result = evaluateEligibility({
      ...batterySite,
      halfHourlySettlementRequired: new Set(["full_asset_control"] as const),
      site: { mpan: "1234567890126", mpanCheckDigitValid: true, isHalfHourlySettled: false },
      assets: [battery({ properties: { power_kw: 5 } })],
    });
    expect(result.propositions.vpp_limited_control.eligible).toBe(true);
    expect(result.propositions.full_asset_control.issues).toEqual([
      "site_not_half_hourly_settled",
      "asset_capacity_not_set",
    ]);
  });

  it("rejects an unsupported OEM and a missing one", () => {
    expect(evaluateEligibility({ ...batterySite, assets: [battery({ oem: "tesla" })] }).propositions.vpp_limited_control.issues).toEqual(["oem_not_supported"]);
    expect(evaluateEligibility({ ...batterySite, assets: [battery({ oem: null })] }).propositions.vpp_limited_control.issues).toEqual(["oem_not_set"]);
  });

  it("checks OEM credentials only when told which exist", () => {
    expect(evaluateEligibility({ ...batterySite, oemCredentials: new Set(["foxess"]) }).propositions.vpp_limited_control.issues).toEqual(["oem_credential_missing"]);
    expect(evaluateEligibility({ ...batterySite, oemCredentials: new Set(["givenergy"]) }).propositions.vpp_limited_control.eligible).toBe(true);
  });

  it("requires boundary meter consent", () => {
    const result = evaluateEligibility({ ...batterySite, consents: { boundaryMeter: false, dispatch: new Set() } });
    expect(result.propositions.vpp_limited_control.issues).toEqual(["no_boundary_meter_consent"]);
    expect(result.siteProperties).toEqual({ isHalfHourlySettled: true, hasMeterConsent: false });
  });

  it("requires dispatch consent per proposition when asked to", () => {
    const result = evaluateEligibility({
      ...batterySite,
      consents: { boundaryMeter: true, dispatch: new Set(["vpp_limited_control"]) },
      requireDispatchConsent: true,
    });
    expect(result.propositions.vpp_limited_control.eligible).toBe(true);
    expect(result.propositions.full_asset_control.issues).toEqual(["no_dispatch_consent"]);
  });
});

describe("evaluateEligibility: sites", () => {
  it("reports no supported asset for a site without assets", () => {
    const result = evaluateEligibility(input({ assets: [] }));
    expect(result.eligiblePropositions).toEqual([]);
    expect(result.propositions.full_asset_control.issues).toEqual(["no_supported_asset"]);
    expect(result.assets).toEqual([]);
  });

  it("blocks offboarded and non-domestic sites", () => {
    const result = evaluateEligibility(
      input({ site: { mpan: "1234567890126", mpanCheckDigitValid: true, isHalfHourlySettled: false, isDomestic: false, status: "offboarded" } }),
    );
    expect(result.propositions.limited_pause.issues).toEqual(["site_offboarded", "non_domestic_site"]);
  });

  it("has a human sentence for every issue code", () => {
    for (const code of ELIGIBILITY_ISSUE_CODES) expect(eligibilityIssueMessages[code]).toMatch(/\.$/);
  });
});

describe("evaluateChargerQuickCheck", () => {
  it("qualifies any model at a half-hourly settled meter", () => {
    const result = evaluateChargerQuickCheck({ mpanCheckDigitValid: true, isHalfHourlySettled: true, assetModelName: null, assetModel: null });
    expect(result.limited_pause.eligible).toBe(true);
  });

  it("explains a missing model at a meter that is not half-hourly settled", () => {
    const result = evaluateChargerQuickCheck({
      mpanCheckDigitValid: true,
      isHalfHourlySettled: false,
      assetModelName: null,
      assetModel: null,
      halfHourlySettlementRequired: settlementRequired,
    });
    expect(result.limited_pause.issues).toEqual(["asset_model_not_set", "site_not_half_hourly_settled"]);
    expect(evaluateChargerQuickCheck({ mpanCheckDigitValid: true, isHalfHourlySettled: false, assetModelName: null, assetModel: null }).limited_pause.eligible).toBe(true);
  });
});
