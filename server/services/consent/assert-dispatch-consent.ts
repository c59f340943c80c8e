// The seam every dispatch path calls before sending anything to an asset: nothing is
// dispatched without a current grant on the consent ledger for that proposition.
import { and, eq } from "drizzle-orm";
import { sites } from "@/db/schema";
import type { ServiceContext } from "../context";
import { isServiceError, notFound, precondition } from "../errors";
import { currentConsents } from "./current-consents";

export interface DispatchConsentInput {
  siteId: string;
  /** The dispatch consent kind, e.g. "full_asset_control" or "cm_infrequent_dispatch". */
  proposition: string;
}

type Verdict = { ok: true } | { ok: false; message: string };

async function dispatchConsentVerdict(ctx: ServiceContext, input: DispatchConsentInput): Promise<Verdict> {
  const [site] = await ctx.db
    .select({ id: sites.id, status: sites.status })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, input.siteId)))
    .limit(1);
  if (!site) throw notFound("Site");
  if (site.status === "offboarded") {
    return { ok: false, message: `Site ${input.siteId} has been offboarded; nothing may be dispatched to it.` };
  }
  const consents = await currentConsents(ctx, input.siteId);
  if (!consents.dispatch.has(input.proposition)) {
    return {
      ok: false,
      message: `Site ${input.siteId} has no current dispatch consent for ${input.proposition}; nothing may be dispatched under it.`,
    };
  }
  return { ok: true };
}

/** Throws PRECONDITION unless the site is active and its current consent for the proposition is granted. */
export async function assertDispatchConsent(ctx: ServiceContext, input: DispatchConsentInput): Promise<void> {
  const verdict = await dispatchConsentVerdict(ctx, input);
  if (!verdict.ok) throw precondition(verdict.message);
}

/** The same rule as assertDispatchConsent, as a boolean (unknown sites are not consented). */
export async function hasDispatchConsent(ctx: ServiceContext, input: DispatchConsentInput): Promise<boolean> {
  try {
    return (await dispatchConsentVerdict(ctx, input)).ok;
  } catch (e) {
    if (isServiceError(e)) return false;
    throw e;
  }
}
