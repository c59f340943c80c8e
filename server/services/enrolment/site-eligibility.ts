// Eligibility of a stored site as the enrolment rules see it: the inventory's evaluation
// with boundary-meter consent taken from the consent ledger.
import { and, eq } from "drizzle-orm";
import { assets, type SiteRow } from "@/db/schema";
import type { EligibilityResult } from "@/server/domain/inventory";
import type { ServiceContext } from "../context";
import { BOUNDARY_METER_KIND, latestConsentRecords, toCurrentConsents, type CurrentConsents } from "../consent/current-consents";
import { evaluateStoredSite } from "../inventory/eligibility";

/**
 * The ledger decides once it has a boundary-meter record; before that, a consent time the
 * partner sent with the site (gave_boundary_meter_consent_at) counts as a grant.
 */
export async function effectiveConsents(ctx: ServiceContext, site: Pick<SiteRow, "id" | "gaveBoundaryMeterConsentAt">): Promise<CurrentConsents> {
  const latest = await latestConsentRecords(ctx, site.id);
  const consents = toCurrentConsents(latest);
  if (!latest.has(BOUNDARY_METER_KIND)) consents.boundaryMeter = site.gaveBoundaryMeterConsentAt !== null;
  return consents;
}

export async function evaluateSiteForEnrolment(ctx: ServiceContext, site: SiteRow): Promise<{ eligibility: EligibilityResult; consents: CurrentConsents }> {
  const consents = await effectiveConsents(ctx, site);
  const siteAssets = await ctx.db
    .select()
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.siteId, site.id)))
    .orderBy(assets.createdAt, assets.id);
  // evaluateStoredSite reads boundary-meter consent from the site row: hand it the ledger's answer.
  const asSeen: SiteRow = { ...site, gaveBoundaryMeterConsentAt: consents.boundaryMeter ? (site.gaveBoundaryMeterConsentAt ?? new Date(0)) : null };
  const eligibility = await evaluateStoredSite(ctx.db, asSeen, siteAssets);
  return { eligibility, consents };
}
