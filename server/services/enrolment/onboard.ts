// Onboarding: initialise a site and its assets and enrol it, all or nothing.
import { and, eq, inArray } from "drizzle-orm";
import { assets, sites, type ConsentEvidence } from "@/db/schema";
import { normaliseMpan } from "@/server/domain/inventory";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { conflict } from "../errors";
import { BOUNDARY_METER_KIND, recordConsent } from "../consent/consent-ledger";
import { initialiseSite, type InitialiseAssetFields, type InitialiseResult, type InitialiseSiteFields } from "../inventory/initialise";
import { enrolInTransaction, type EnrolStatus } from "./enrolment";
import { evaluateSiteForEnrolment } from "./site-eligibility";

export interface OnboardInput {
  site: InitialiseSiteFields;
  assets: InitialiseAssetFields[];
  proposition: string;
  overrideWithdrawal?: boolean | undefined;
  /** The request, kept as evidence of the dispatch consent enrolment implies. */
  consentEvidence?: ConsentEvidence | undefined;
}

export interface OnboardResult extends InitialiseResult {
  enrolment: { siteId: string; status: EnrolStatus };
}

async function recordSiteMeterConsent(ctx: ServiceContext, siteId: string, gaveAt: Date | undefined): Promise<void> {
  if (gaveAt === undefined) return;
  await recordConsent(ctx, { siteId, changes: [{ kind: BOUNDARY_METER_KIND, action: "granted" }], occurredAt: gaveAt, evidence: { partnerTimestamp: gaveAt.toISOString() } });
}

/** Initialise + enrol in one transaction: when enrolment is refused nothing is stored. */
export async function onboardSite(ctx: ServiceContext, input: OnboardInput): Promise<OnboardResult> {
  authorize(ctx, "consent:write");
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    const initialised = await initialiseSite(txCtx, { site: input.site, assets: input.assets });
    await recordSiteMeterConsent(txCtx, initialised.site.siteId, input.site.gaveBoundaryMeterConsentAt);
    const enrolment = await enrolInTransaction(txCtx, {
      siteId: initialised.site.siteId,
      proposition: input.proposition,
      overrideWithdrawal: input.overrideWithdrawal ?? false,
      reason: "Onboarded",
      consentEvidence: input.consentEvidence,
    });
    return { ...initialised, enrolment: { siteId: initialised.site.siteId, status: enrolment.status } };
  });
}

export interface OnboardSiteAndAssetInput {
  site: InitialiseSiteFields;
  asset: InitialiseAssetFields;
  dispatchMethods: readonly string[];
}

/**
 * The deprecated single-asset call: creates the site and asset (409 if either exists),
 * records the dispatch consents sent, and enrols in every consented proposition the site
 * is already eligible for (the rest can be enrolled later, once e.g. OEM access is given).
 */
export async function onboardSiteAndAsset(
  ctx: ServiceContext,
  input: OnboardSiteAndAssetInput,
): Promise<{ siteId: string; assetId: string; enrolled: string[] }> {
  authorize(ctx, "consent:write");
  const mpan = normaliseMpan(input.site.mpan);
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    if (mpan.ok) {
      const [existingSite] = await tx.select({ id: sites.id }).from(sites).where(and(eq(sites.organisationId, ctx.orgId), eq(sites.mpan, mpan.mpan))).limit(1);
      if (existingSite) throw conflict(`A site with MPAN ${mpan.mpan} already exists (${existingSite.id}).`);
    }
    const [existingAsset] = await tx
      .select({ id: assets.id })
      .from(assets)
      .where(and(eq(assets.organisationId, ctx.orgId), inArray(assets.externalId, [input.asset.externalId])))
      .limit(1);
    if (existingAsset) throw conflict(`An asset with external_id ${input.asset.externalId} already exists (${existingAsset.id}).`);

    const initialised = await initialiseSite(txCtx, { site: input.site, assets: [input.asset] });
    const siteId = initialised.site.siteId;
    const assetId = initialised.assets[0]?.assetId ?? "";
    await recordSiteMeterConsent(txCtx, siteId, input.site.gaveBoundaryMeterConsentAt);
    if (input.dispatchMethods.length > 0) {
      await recordConsent(txCtx, { siteId, changes: input.dispatchMethods.map((kind) => ({ kind, action: "granted" as const })) });
    }
    const [site] = await tx.select().from(sites).where(eq(sites.id, siteId)).limit(1);
    const enrolled: string[] = [];
    if (site) {
      const { eligibility } = await evaluateSiteForEnrolment(txCtx, site);
      for (const method of input.dispatchMethods) {
        if ((eligibility.eligiblePropositions as readonly string[]).includes(method)) {
          await enrolInTransaction(txCtx, { siteId, proposition: method, reason: "Onboarded with dispatch consent" });
          enrolled.push(method);
        }
      }
    }
    return { siteId, assetId, enrolled };
  });
}
