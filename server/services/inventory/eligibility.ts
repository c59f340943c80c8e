// Eligibility of stored sites: gathers what the pure rules need (site, assets, model
// catalogue, consents), evaluates, and keeps the site's stored verdict current so the
// sites list can filter on it.
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { assets, sites, type AssetModelRow, type AssetRow, type SiteRow } from "@/db/schema";
import {
  evaluateChargerQuickCheck,
  evaluateEligibility,
  normaliseMpan,
  validateAssetProperties,
  type EligibilityAssetModel,
  type EligibilityResult,
  type PropositionVerdict,
} from "@/server/domain/inventory";
import { lookupAssetModels, modelKey, settlementRequiredPropositions } from "../catalogue/lookup";
import { BOUNDARY_METER_KIND, latestConsentRecords, toCurrentConsents } from "../consent/current-consents";
import type { ServiceContext } from "../context";
import { invalid, notFound } from "../errors";
import { hidesOffboarded, isUuid } from "./records";
import { authorize } from "../authorize";

export interface SiteConsents {
  boundaryMeter: boolean;
  dispatch: ReadonlySet<string>;
}

/**
 * The consents eligibility sees, from the consent ledger (newest record per kind). A site
 * whose ledger has no boundary-meter record yet falls back to the consent time the partner
 * sent with it (gave_boundary_meter_consent_at): that field predates the ledger and is put
 * into the ledger on first change (see offboarding), so both paths agree.
 */
export async function siteConsents(db: DbOrTx, site: Pick<SiteRow, "id" | "organisationId" | "gaveBoundaryMeterConsentAt">): Promise<SiteConsents> {
  const latest = await latestConsentRecords({ db, orgId: site.organisationId, actor: { type: "system", label: "eligibility" } }, site.id);
  const consents = toCurrentConsents(latest);
  return {
    boundaryMeter: latest.has(BOUNDARY_METER_KIND) ? consents.boundaryMeter : site.gaveBoundaryMeterConsentAt !== null,
    dispatch: consents.dispatch,
  };
}

function toEligibilityModel(row: AssetModelRow | undefined): EligibilityAssetModel | null {
  if (row === undefined) return null;
  return row.enrolEligibilityOverride === null
    ? { cop11Qualified: row.cop11Qualified }
    : { cop11Qualified: row.cop11Qualified, enrolEligibilityOverride: row.enrolEligibilityOverride };
}

export async function evaluateStoredSite(db: DbOrTx, site: SiteRow, siteAssets: readonly AssetRow[]): Promise<EligibilityResult> {
  const catalogue = await lookupAssetModels(db, site.organisationId, siteAssets.map((asset) => asset.assetModel));
  const modelOf = (asset: AssetRow) => (asset.assetModel === null ? undefined : catalogue.get(modelKey(asset.assetModel)));
  return evaluateEligibility({
    halfHourlySettlementRequired: await settlementRequiredPropositions(db, site.organisationId),
    site: {
      mpan: site.mpan,
      mpanCheckDigitValid: site.mpanCheckDigitValid,
      isHalfHourlySettled: site.isHalfHourlySettled ?? false,
      status: site.status,
    },
    assets: siteAssets.map((asset) => {
      const properties = validateAssetProperties(asset.type, asset.properties);
      return {
        id: asset.id,
        externalId: asset.externalId,
        type: asset.type,
        properties: properties.ok ? properties.properties : {},
        assetModelName: asset.assetModel,
        assetModel: toEligibilityModel(modelOf(asset)),
        installationDate: asset.installationDate,
        // The partner's own OEM field wins; otherwise the catalogue knows the model's maker.
        oem: asset.oem ?? modelOf(asset)?.oem ?? null,
      };
    }),
    consents: await siteConsents(db, site),
  });
}

/** Re-evaluates a site inside the caller's transaction and stores the verdict the sites list filters on. */
export async function refreshSiteEligibility(db: DbOrTx, orgId: string, siteId: string): Promise<{ site: SiteRow; assets: AssetRow[]; eligibility: EligibilityResult }> {
  const [site] = await db.select().from(sites).where(and(eq(sites.organisationId, orgId), eq(sites.id, siteId))).limit(1);
  if (!site) throw notFound("Site");
  const siteAssets = await db.select().from(assets).where(and(eq(assets.organisationId, orgId), eq(assets.siteId, siteId))).orderBy(assets.createdAt, assets.id);
  const eligibility = await evaluateStoredSite(db, site, siteAssets);
  const stored = [...site.eligiblePropositions].sort().join(",");
  if ([...eligibility.eligiblePropositions].sort().join(",") !== stored) {
    await db.update(sites).set({ eligiblePropositions: eligibility.eligiblePropositions }).where(eq(sites.id, siteId));
  }
  return { site, assets: siteAssets, eligibility };
}

export async function getSiteEligibility(ctx: ServiceContext, input: { siteId: string }): Promise<EligibilityResult> {
  authorize(ctx, "sites:read");
  if (!isUuid(input.siteId)) throw notFound("Site");
  const [site] = await ctx.db.select().from(sites).where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, input.siteId))).limit(1);
  if (!site || (site.status === "offboarded" && hidesOffboarded(ctx))) throw notFound("Site");
  const siteAssets = await ctx.db
    .select()
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.siteId, site.id)))
    .orderBy(assets.createdAt, assets.id);
  return evaluateStoredSite(ctx.db, site, siteAssets);
}

export interface QuickEligibility {
  isHalfHourlySettled: boolean;
  verdicts: Partial<Record<string, PropositionVerdict>>;
}

/**
 * "Would this MPAN and charger model qualify?" Nothing is stored. Half-hourly
 * settlement is known only for a site already registered with that MPAN.
 */
export async function checkEligibilityQuick(ctx: ServiceContext, input: { mpan: string; assetModel?: string | undefined }): Promise<QuickEligibility> {
  authorize(ctx, "sites:read");
  const mpan = normaliseMpan(input.mpan);
  if (!mpan.ok) throw invalid(mpan.message, [{ path: ["mpan"], message: mpan.message, type: "mpan_invalid" }]);
  const [site] = await ctx.db
    .select({ isHalfHourlySettled: sites.isHalfHourlySettled })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.mpan, mpan.mpan)))
    .limit(1);
  const isHalfHourlySettled = site?.isHalfHourlySettled ?? false;
  const catalogue = await lookupAssetModels(ctx.db, ctx.orgId, [input.assetModel ?? null]);
  const verdicts = evaluateChargerQuickCheck({
    mpanCheckDigitValid: mpan.checkDigitValid,
    isHalfHourlySettled,
    assetModelName: input.assetModel ?? null,
    assetModel: input.assetModel === undefined ? null : toEligibilityModel(catalogue.get(modelKey(input.assetModel))),
    halfHourlySettlementRequired: await settlementRequiredPropositions(ctx.db, ctx.orgId),
  });
  return { isHalfHourlySettled, verdicts };
}
