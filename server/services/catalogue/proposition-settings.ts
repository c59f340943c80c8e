// Per-organisation settings of each proposition. Today one: whether the proposition requires
// a half-hourly settled site. Off unless an operator turns it on, because the published
// propositions have no such rule and partners cannot send settlement data in published flows.
import { eq } from "drizzle-orm";
import { propositionSettings, sites } from "@/db/schema";
import { isProposition, PROPOSITIONS, type Proposition } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid } from "../errors";
import { refreshSiteEligibility } from "../inventory/eligibility";
import { settlementRequiredPropositions } from "./lookup";

export interface PropositionSetting {
  proposition: Proposition;
  requiresHalfHourlySettlement: boolean;
}

export async function listPropositionSettings(ctx: ServiceContext): Promise<PropositionSetting[]> {
  authorize(ctx, "consent:read");
  const required = await settlementRequiredPropositions(ctx.db, ctx.orgId);
  return PROPOSITIONS.map((proposition) => ({ proposition, requiresHalfHourlySettlement: required.has(proposition) }));
}

/**
 * Changes a proposition's settlement rule and re-evaluates the organisation's sites in the
 * same transaction, so the stored eligibility the sites list filters on never disagrees.
 */
export async function updatePropositionSetting(
  ctx: ServiceContext,
  input: { proposition: string; requiresHalfHourlySettlement: boolean },
): Promise<PropositionSetting> {
  authorize(ctx, "organisation:settings");
  if (!isProposition(input.proposition)) {
    throw invalid("Unknown proposition.", [{ path: ["proposition"], message: `Use one of ${PROPOSITIONS.join(", ")}.`, type: "enum" }]);
  }
  const proposition = input.proposition;
  return ctx.db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .insert(propositionSettings)
      .values({ organisationId: ctx.orgId, proposition, requiresHalfHourlySettlement: input.requiresHalfHourlySettlement, updatedAt: now })
      .onConflictDoUpdate({
        target: [propositionSettings.organisationId, propositionSettings.proposition],
        set: { requiresHalfHourlySettlement: input.requiresHalfHourlySettlement, updatedAt: now },
      });
    const siteIds = await tx.select({ id: sites.id }).from(sites).where(eq(sites.organisationId, ctx.orgId));
    for (const { id } of siteIds) await refreshSiteEligibility(tx, ctx.orgId, id);
    await recordAuditEvent({ ...ctx, db: tx }, {
      action: "proposition.settings_changed",
      targetType: "proposition",
      targetId: proposition,
      details: { requiresHalfHourlySettlement: input.requiresHalfHourlySettlement, sitesReevaluated: siteIds.length },
    });
    return { proposition, requiresHalfHourlySettlement: input.requiresHalfHourlySettlement };
  });
}
