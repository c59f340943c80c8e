import { z } from "zod";
import { ELIGIBILITY_ISSUE_CODES, type EligibilityResult, type Proposition } from "@/server/domain/inventory";
import { onboardingAssetRequestSchema } from "./entities-asset";
import { mpanInputSchema, openEnum, PROPOSITIONS_ON_WIRE, uuidSchema } from "./entities-common";
import { siteRequestSchema } from "./entities-site";

export const propositionResponseSchema = openEnum(PROPOSITIONS_ON_WIRE).meta({
  id: "PropositionName",
  description: "A proposition. New propositions may appear.",
});

export const eligibilityCodeSchema = openEnum(ELIGIBILITY_ISSUE_CODES).meta({
  id: "EligibilityCode",
  description: "Why a site or asset is not eligible. New codes may appear; the partner guide explains each.",
});

export const propositionEligibilitySchema = z
  .object({
    proposition: propositionResponseSchema,
    is_eligible: z.boolean(),
    issues: z.array(eligibilityCodeSchema),
  })
  .meta({ id: "PropositionEligibility", description: "Whether one proposition is open, and if not, why." });
export type PropositionEligibility = z.output<typeof propositionEligibilitySchema>;

export const sitePropertiesSchema = z
  .object({ is_half_hourly_settled: z.boolean(), has_meter_consent: z.boolean() })
  .meta({ id: "SiteProperties", description: "The site facts eligibility depends on." });

export const assetEligibilityDetailSchema = z
  .object({
    asset_id: uuidSchema,
    external_id: z.string(),
    propositions: z.array(propositionEligibilitySchema),
  })
  .meta({ id: "AssetEligibilityDetail", description: "One asset's eligibility for every proposition." });

export const siteEligibilityDetailSchema = z
  .object({
    eligible_propositions: z.array(propositionResponseSchema),
    site_id: uuidSchema,
    site_properties: sitePropertiesSchema,
    assets: z.array(assetEligibilityDetailSchema),
  })
  .meta({ id: "SiteEligibilityDetail", description: "Which propositions a site can enrol in, with the reasons per asset." });
export type SiteEligibilityDetail = z.output<typeof siteEligibilityDetailSchema>;

export const initialiseRequestSchema = z
  .object({
    site: siteRequestSchema,
    assets: z.array(onboardingAssetRequestSchema),
  })
  .meta({
    id: "InitialiseRequest",
    description: "Create or complete a site and its assets, matched on MPAN and external_id. Nothing is enrolled.",
  });
export type InitialiseRequest = z.output<typeof initialiseRequestSchema>;

export const initialiseSiteResultSchema = z
  .object({
    site_id: uuidSchema,
    site_created: z.boolean().describe("False when an existing site was matched"),
    fields_updated: z.array(z.string()).describe("Site fields this call changed"),
    warnings: z.array(z.string()).describe("Codes for things accepted but worth fixing, e.g. mpan_check_digit_invalid"),
  })
  .meta({ id: "InitialiseSiteResult", description: "What initialising did to the site." });
export type InitialiseSiteResult = z.output<typeof initialiseSiteResultSchema>;

export const initialiseAssetResultSchema = z
  .object({
    asset_id: uuidSchema,
    external_id: z.string(),
    asset_created: z.boolean().describe("False when an existing asset was matched on external_id"),
    fields_updated: z.array(z.string()).describe("Asset fields this call changed"),
    warnings: z.array(z.string()).describe("Codes for things accepted but worth fixing"),
  })
  .meta({ id: "InitialiseAssetResult", description: "What initialising did to one asset." });
export type InitialiseAssetResult = z.output<typeof initialiseAssetResultSchema>;

export const initialiseResponseSchema = z
  .object({
    site: initialiseSiteResultSchema,
    assets: z.array(initialiseAssetResultSchema),
    eligibility: siteEligibilityDetailSchema,
  })
  .meta({ id: "InitialiseResponse", description: "The outcome of initialising a site, with its eligibility." });
export type InitialiseResponse = z.output<typeof initialiseResponseSchema>;

export const eligibilityCheckRequestSchema = z
  .object({
    mpan: mpanInputSchema.describe("The meter to check; decides whether the site is half-hourly settled"),
    asset_model: z.string().min(1).optional().describe("Charger model to check for the CoP11 route"),
  })
  .meta({ id: "EligibilityCheckRequest", description: "A what-if eligibility question. Nothing is stored." });
export type EligibilityCheckRequest = z.output<typeof eligibilityCheckRequestSchema>;

export const eligibilityCheckResponseSchema = z
  .object({
    is_half_hourly_settled: z.boolean(),
    propositions: z.array(propositionEligibilitySchema),
  })
  .meta({ id: "EligibilityCheckResponse", description: "The answer to a what-if eligibility question." });
export type EligibilityCheckResponse = z.output<typeof eligibilityCheckResponseSchema>;

function verdictsToWire(
  verdicts: Record<Proposition, { eligible: boolean; issues: readonly string[] }>,
  only?: readonly Proposition[],
): PropositionEligibility[] {
  const propositions = only ?? (Object.keys(verdicts) as Proposition[]);
  return propositions.map((proposition) => ({
    proposition,
    is_eligible: verdicts[proposition].eligible,
    issues: [...verdicts[proposition].issues],
  }));
}

/** The domain's eligibility result in the wire shape of `SiteEligibilityDetail`. */
export function eligibilityToWire(siteId: string, result: EligibilityResult): SiteEligibilityDetail {
  return {
    eligible_propositions: [...result.eligiblePropositions],
    site_id: siteId,
    site_properties: {
      is_half_hourly_settled: result.siteProperties.isHalfHourlySettled,
      has_meter_consent: result.siteProperties.hasMeterConsent,
    },
    assets: result.assets.map((asset) => ({
      asset_id: asset.assetId,
      external_id: asset.externalId,
      propositions: verdictsToWire(asset.propositions),
    })),
  };
}

/** Verdicts for the quick check (or any subset) in the wire shape. */
export function propositionVerdictsToWire(
  verdicts: Partial<Record<Proposition, { eligible: boolean; issues: readonly string[] }>>,
): PropositionEligibility[] {
  return Object.entries(verdicts).flatMap(([proposition, verdict]) =>
    verdict === undefined ? [] : [{ proposition, is_eligible: verdict.eligible, issues: [...verdict.issues] }],
  );
}
