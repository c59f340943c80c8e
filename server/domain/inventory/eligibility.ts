// Eligibility of a site and its assets for each proposition, as a pure function of
// what the platform knows. Every "no" carries stable machine-readable codes so that
// partners can act on them and operators can see why.
import type { AssetProperties, AssetType } from "./asset-properties";

export const CHARGER_PROPOSITIONS = ["limited_pause", "full_asset_schedule_control"] as const;
export const BATTERY_PROPOSITIONS = ["vpp_limited_control", "full_asset_control"] as const;
export const PROPOSITIONS = [...CHARGER_PROPOSITIONS, ...BATTERY_PROPOSITIONS] as const;
export type Proposition = (typeof PROPOSITIONS)[number];

export function isProposition(value: string): value is Proposition {
  return (PROPOSITIONS as readonly string[]).includes(value);
}

/** OEM clouds the platform can dispatch batteries through. */
export const SUPPORTED_BATTERY_OEMS = ["foxess", "givenergy", "sigenergy", "solis"] as const;

// Order matters: issues are reported in this order so responses are stable.
export const ELIGIBILITY_ISSUE_CODES = [
  "site_offboarded",
  "non_domestic_site",
  "mpan_check_digit_invalid",
  "no_supported_asset",
  "asset_type_not_supported",
  "asset_model_enrol_eligibility_override",
  "asset_model_not_set",
  "asset_model_not_found",
  "asset_model_not_cop11_qualified",
  "asset_installation_date_not_set",
  "site_not_half_hourly_settled",
  "no_boundary_meter_consent",
  "asset_power_not_set",
  "asset_capacity_not_set",
  "oem_not_set",
  "oem_not_supported",
  "oem_credential_missing",
  "no_dispatch_consent",
] as const;
export type EligibilityIssueCode = (typeof ELIGIBILITY_ISSUE_CODES)[number];

export const eligibilityIssueMessages: Readonly<Record<EligibilityIssueCode, string>> = {
  site_offboarded: "The site has been offboarded and can no longer take part.",
  non_domestic_site: "The site is not a domestic premises.",
  mpan_check_digit_invalid: "The site's MPAN fails its check digit; correct the MPAN to continue.",
  no_supported_asset: "The site has no asset of a type this proposition controls.",
  asset_type_not_supported: "This proposition does not control assets of this type.",
  asset_model_enrol_eligibility_override: "An operator has marked this asset model as not eligible for enrolment.",
  asset_model_not_set: "The asset has no model; set asset_model to qualify without half-hourly settlement.",
  asset_model_not_found: "The asset model is not in the catalogue of known models.",
  asset_model_not_cop11_qualified: "The asset model is not CoP11 qualified, so its own metering cannot be used.",
  asset_installation_date_not_set: "The asset has no installation date; it is needed alongside the model.",
  site_not_half_hourly_settled: "The site's meter is not half-hourly settled.",
  no_boundary_meter_consent: "The household has not consented to boundary meter readings being used.",
  asset_power_not_set: "The asset's rated power (power_kw) is missing or zero.",
  asset_capacity_not_set: "The battery's capacity (capacity_kwh) is missing or zero.",
  oem_not_set: "The battery's manufacturer cloud (OEM) is not recorded.",
  oem_not_supported: "The battery's manufacturer cloud is not one the platform can control.",
  oem_credential_missing: "No working credentials for the battery's manufacturer cloud have been provided.",
  no_dispatch_consent: "The household has not consented to dispatch under this proposition.",
};

export type EligibilitySite = {
  /** Normalised 13-digit MPAN core. */
  mpan: string;
  mpanCheckDigitValid: boolean;
  isHalfHourlySettled: boolean;
  /** `false` only when known to be non-domestic; unknown counts as domestic. */
  isDomestic?: boolean;
  status?: "active" | "offboarded";
};

export type EligibilityAssetModel = {
  cop11Qualified: boolean;
  /** An operator's verdict that overrides the rules; `false` blocks enrolment. */
  enrolEligibilityOverride?: boolean;
};

export type EligibilityAsset = {
  id: string;
  externalId: string;
  type: AssetType;
  properties: AssetProperties;
  /** The model name the partner gave, if any. */
  assetModelName: string | null;
  /** The catalogue entry for that name; `null` when the name is unknown or unset. */
  assetModel: EligibilityAssetModel | null;
  installationDate: string | null;
  /** Lower-case OEM name, e.g. "givenergy". */
  oem: string | null;
};

export type EligibilityInput = {
  site: EligibilitySite;
  assets: readonly EligibilityAsset[];
  consents: { boundaryMeter: boolean; dispatch: ReadonlySet<string> };
  /**
   * OEMs for which working credentials exist at this site. Leave undefined while
   * credentials are not yet relevant (before onboarding completes): then they are not
   * checked. Provided, a battery whose OEM is absent gets `oem_credential_missing`.
   */
  oemCredentials?: ReadonlySet<string>;
  /** Require dispatch consent for the proposition (readiness to dispatch, not to enrol). */
  requireDispatchConsent?: boolean;
  /**
   * Propositions whose operator requires a half-hourly settled site (an organisation setting,
   * off by default: the published propositions have no such rule). Unset means none.
   */
  halfHourlySettlementRequired?: ReadonlySet<Proposition>;
};

function requiresHalfHourlySettlement(input: Pick<EligibilityInput, "halfHourlySettlementRequired">, proposition: Proposition): boolean {
  return input.halfHourlySettlementRequired?.has(proposition) ?? false;
}

export type PropositionVerdict = { eligible: boolean; issues: EligibilityIssueCode[] };
export type PropositionVerdicts = Record<Proposition, PropositionVerdict>;

export type EligibilityResult = {
  siteProperties: { isHalfHourlySettled: boolean; hasMeterConsent: boolean };
  propositions: PropositionVerdicts;
  eligiblePropositions: Proposition[];
  assets: { assetId: string; externalId: string; propositions: PropositionVerdicts }[];
};

const ISSUE_ORDER = new Map(ELIGIBILITY_ISSUE_CODES.map((code, index) => [code, index]));

function sortedUnique(issues: Iterable<EligibilityIssueCode>): EligibilityIssueCode[] {
  return [...new Set(issues)].sort((a, b) => (ISSUE_ORDER.get(a) ?? 0) - (ISSUE_ORDER.get(b) ?? 0));
}

function siteIssues(site: EligibilitySite): EligibilityIssueCode[] {
  const issues: EligibilityIssueCode[] = [];
  if (site.status === "offboarded") issues.push("site_offboarded");
  if (site.isDomestic === false) issues.push("non_domestic_site");
  if (!site.mpanCheckDigitValid) issues.push("mpan_check_digit_invalid");
  return issues;
}

const positive = (value: number | undefined): boolean => value !== undefined && value > 0;

function cop11RouteIssues(asset: EligibilityAsset): EligibilityIssueCode[] {
  const issues: EligibilityIssueCode[] = [];
  if (asset.assetModelName === null || asset.assetModelName.trim() === "") issues.push("asset_model_not_set");
  else if (asset.assetModel === null) issues.push("asset_model_not_found");
  else if (!asset.assetModel.cop11Qualified) issues.push("asset_model_not_cop11_qualified");
  if (asset.installationDate === null) issues.push("asset_installation_date_not_set");
  return issues;
}

function boundaryMeterRouteIssues(proposition: Proposition, input: EligibilityInput): EligibilityIssueCode[] {
  const issues: EligibilityIssueCode[] = [];
  if (requiresHalfHourlySettlement(input, proposition) && !input.site.isHalfHourlySettled) issues.push("site_not_half_hourly_settled");
  if (!input.consents.boundaryMeter) issues.push("no_boundary_meter_consent");
  return issues;
}

// A charger's delivery can be measured either by its own CoP11-qualified metering or,
// failing that, at the boundary meter with the household's consent (half-hourly settled,
// where the operator requires it for the proposition).
function chargerAssetIssues(
  proposition: (typeof CHARGER_PROPOSITIONS)[number],
  asset: EligibilityAsset,
  input: EligibilityInput,
): EligibilityIssueCode[] {
  if (asset.type !== "charger") return ["asset_type_not_supported"];
  const issues: EligibilityIssueCode[] = [];
  if (asset.assetModel?.enrolEligibilityOverride === false) issues.push("asset_model_enrol_eligibility_override");
  const cop11 = cop11RouteIssues(asset);
  const boundary = boundaryMeterRouteIssues(proposition, input);
  if (cop11.length > 0 && boundary.length > 0) issues.push(...cop11, ...boundary);
  // Smart Charging plans against the charger's rating; Flex Lite only inserts a pause.
  if (proposition === "full_asset_schedule_control" && !positive(asset.properties.power_kw)) {
    issues.push("asset_power_not_set");
  }
  return issues;
}

// Batteries are controlled through their OEM cloud and verified at the boundary meter.
// Fully optimised control plans against the battery's capacity; half-hourly settlement
// is needed only where the operator requires it for the proposition.
function batteryAssetIssues(
  proposition: (typeof BATTERY_PROPOSITIONS)[number],
  asset: EligibilityAsset,
  input: EligibilityInput,
): EligibilityIssueCode[] {
  if (asset.type !== "battery") return ["asset_type_not_supported"];
  const issues: EligibilityIssueCode[] = [];
  if (asset.assetModel?.enrolEligibilityOverride === false) issues.push("asset_model_enrol_eligibility_override");
  if (!input.consents.boundaryMeter) issues.push("no_boundary_meter_consent");
  if (!positive(asset.properties.power_kw)) issues.push("asset_power_not_set");
  if (requiresHalfHourlySettlement(input, proposition) && !input.site.isHalfHourlySettled) issues.push("site_not_half_hourly_settled");
  if (proposition === "full_asset_control" && !positive(asset.properties.capacity_kwh)) issues.push("asset_capacity_not_set");
  const oem = asset.oem?.toLowerCase() ?? null;
  if (oem === null || oem === "") issues.push("oem_not_set");
  else if (!(SUPPORTED_BATTERY_OEMS as readonly string[]).includes(oem)) issues.push("oem_not_supported");
  else if (input.oemCredentials !== undefined && !input.oemCredentials.has(oem)) {
    issues.push("oem_credential_missing");
  }
  return issues;
}

function assetIssues(proposition: Proposition, asset: EligibilityAsset, input: EligibilityInput): EligibilityIssueCode[] {
  switch (proposition) {
    case "limited_pause":
    case "full_asset_schedule_control":
      return chargerAssetIssues(proposition, asset, input);
    case "vpp_limited_control":
    case "full_asset_control":
      return batteryAssetIssues(proposition, asset, input);
  }
}

const controlledType: Record<Proposition, AssetType> = {
  limited_pause: "charger",
  full_asset_schedule_control: "charger",
  vpp_limited_control: "battery",
  full_asset_control: "battery",
};

export function evaluateEligibility(input: EligibilityInput): EligibilityResult {
  const fromSite = siteIssues(input.site);
  const consentIssues = (proposition: Proposition): EligibilityIssueCode[] =>
    input.requireDispatchConsent === true && !input.consents.dispatch.has(proposition) ? ["no_dispatch_consent"] : [];

  const assets = input.assets.map((asset) => {
    const entries = PROPOSITIONS.map((proposition): [Proposition, PropositionVerdict] => {
      const own = assetIssues(proposition, asset, input);
      const issues = own.includes("asset_type_not_supported")
        ? own
        : sortedUnique([...fromSite, ...own, ...consentIssues(proposition)]);
      return [proposition, { eligible: issues.length === 0, issues }];
    });
    return {
      assetId: asset.id,
      externalId: asset.externalId,
      propositions: Object.fromEntries(entries) as PropositionVerdicts,
    };
  });

  const propositionEntries = PROPOSITIONS.map((proposition): [Proposition, PropositionVerdict] => {
    const candidates = input.assets
      .map((asset, index) => ({ asset, verdict: assets[index]?.propositions[proposition] }))
      .filter(({ asset }) => asset.type === controlledType[proposition]);
    if (candidates.some(({ verdict }) => verdict?.eligible === true)) {
      return [proposition, { eligible: true, issues: [] }];
    }
    const issues =
      candidates.length === 0
        ? sortedUnique([...fromSite, "no_supported_asset", ...consentIssues(proposition)])
        : sortedUnique([...fromSite, ...candidates.flatMap(({ verdict }) => verdict?.issues ?? [])]);
    return [proposition, { eligible: false, issues }];
  });
  const propositions = Object.fromEntries(propositionEntries) as PropositionVerdicts;

  return {
    siteProperties: {
      isHalfHourlySettled: input.site.isHalfHourlySettled,
      hasMeterConsent: input.consents.boundaryMeter,
    },
    propositions,
    eligiblePropositions: PROPOSITIONS.filter((proposition) => propositions[proposition].eligible),
    assets,
  };
}

export type QuickEligibilityInput = {
  mpanCheckDigitValid: boolean;
  isHalfHourlySettled: boolean;
  assetModelName: string | null;
  assetModel: EligibilityAssetModel | null;
  halfHourlySettlementRequired?: ReadonlySet<Proposition>;
};

/**
 * The stateless "would this MPAN and charger model qualify?" check. Nothing is stored,
 * so what a partner cannot yet know (consent, installation date, rating) is assumed
 * given: the answer covers only the meter and the model.
 */
export function evaluateChargerQuickCheck(
  input: QuickEligibilityInput,
): Record<(typeof CHARGER_PROPOSITIONS)[number], PropositionVerdict> {
  const result = evaluateEligibility({
    site: { mpan: "", mpanCheckDigitValid: input.mpanCheckDigitValid, isHalfHourlySettled: input.isHalfHourlySettled },
    assets: [
      {
        id: "hypothetical",
        externalId: "hypothetical",
        type: "charger",
        properties: { power_kw: 7 },
        assetModelName: input.assetModelName,
        assetModel: input.assetModel,
        installationDate: "assumed",
        oem: null,
      },
    ],
    consents: { boundaryMeter: true, dispatch: new Set() },
    ...(input.halfHourlySettlementRequired !== undefined ? { halfHourlySettlementRequired: input.halfHourlySettlementRequired } : {}),
  });
  return {
    limited_pause: result.propositions.limited_pause,
    full_asset_schedule_control: result.propositions.full_asset_schedule_control,
  };
}
