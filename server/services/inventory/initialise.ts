// Initialise: the idempotent upsert of a site (matched on MPAN) and its assets
// (matched on external_id). One transaction: either everything is stored or nothing.
// Race-safe: the site row is created with ON CONFLICT and then locked, so concurrent
// calls for the same site queue behind one another instead of duplicating it.
import { and, eq } from "drizzle-orm";
import { assets, sites, type SiteRow } from "@/db/schema";
import { ignoredPropertyWarning, MPAN_CHECK_DIGIT_WARNING, type AssetType, type EligibilityResult } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid, type FieldIssue } from "../errors";
import { assetChanges, checkAssetProperties, type AssetFields } from "./assets";
import { lookupAssetModels, modelKey } from "../catalogue/lookup";
import { refreshSiteEligibility } from "./eligibility";

/** Asset warning: the asset_model sent is not in the catalogue (yet). */
export const UNKNOWN_ASSET_MODEL_WARNING = "asset_model_not_found";
import { requireMpan, requirePostcode, sameDate } from "./records";

export interface InitialiseSiteFields {
  mpan: string;
  postcode: string;
  streetAddress?: string | undefined;
  email?: string | undefined;
  gaveBoundaryMeterConsentAt?: Date | undefined;
  isHalfHourlySettled?: boolean | undefined;
  timeZone?: string | undefined;
}

export interface InitialiseAssetFields extends AssetFields {
  externalId: string;
  type: AssetType;
  /** Property keys the transport already dropped, reported back as warnings. */
  ignoredPropertyKeys?: string[] | undefined;
}

export interface InitialiseSiteInput {
  site: InitialiseSiteFields;
  assets: InitialiseAssetFields[];
}

export interface InitialiseResult {
  site: { siteId: string; siteCreated: boolean; fieldsUpdated: string[]; warnings: string[] };
  assets: { assetId: string; externalId: string; assetCreated: boolean; fieldsUpdated: string[]; warnings: string[] }[];
  eligibility: EligibilityResult;
}

function siteFieldsProvided(input: InitialiseSiteFields): string[] {
  const fields = ["mpan", "postcode"];
  if (input.streetAddress !== undefined) fields.push("street_address");
  if (input.email !== undefined) fields.push("email");
  if (input.gaveBoundaryMeterConsentAt !== undefined) fields.push("gave_boundary_meter_consent_at");
  if (input.isHalfHourlySettled !== undefined) fields.push("is_half_hourly_settled");
  if (input.timeZone !== undefined) fields.push("time_zone");
  return fields;
}

function siteChanges(row: SiteRow, input: InitialiseSiteFields, postcode: string) {
  const changes: Partial<typeof sites.$inferInsert> = {};
  const fields: string[] = [];
  if (postcode !== row.postcode) {
    changes.postcode = postcode;
    fields.push("postcode");
  }
  if (input.streetAddress !== undefined && input.streetAddress !== row.streetAddress) {
    changes.streetAddress = input.streetAddress;
    fields.push("street_address");
  }
  if (input.email !== undefined && input.email !== row.email) {
    changes.email = input.email;
    fields.push("email");
  }
  if (input.gaveBoundaryMeterConsentAt !== undefined && !sameDate(input.gaveBoundaryMeterConsentAt, row.gaveBoundaryMeterConsentAt)) {
    changes.gaveBoundaryMeterConsentAt = input.gaveBoundaryMeterConsentAt;
    fields.push("gave_boundary_meter_consent_at");
  }
  if (input.isHalfHourlySettled !== undefined && input.isHalfHourlySettled !== row.isHalfHourlySettled) {
    changes.isHalfHourlySettled = input.isHalfHourlySettled;
    fields.push("is_half_hourly_settled");
  }
  if (input.timeZone !== undefined && input.timeZone !== row.timeZone) {
    changes.timeZone = input.timeZone;
    fields.push("time_zone");
  }
  return { changes, fields };
}

function assetFieldsProvided(input: InitialiseAssetFields): string[] {
  const fields = ["external_id", "type"];
  if (input.properties !== undefined) fields.push("properties");
  if (input.assetModel !== undefined) fields.push("asset_model");
  if (input.installationDate !== undefined) fields.push("installation_date");
  if (input.serialNumber !== undefined) fields.push("serial_number");
  if (input.oem !== undefined) fields.push("oem");
  if (input.oemDeviceId !== undefined) fields.push("oem_device_id");
  return fields;
}

export async function initialiseSite(ctx: ServiceContext, input: InitialiseSiteInput): Promise<InitialiseResult> {
  authorize(ctx, "sites:write");
  const mpan = requireMpan(input.site.mpan, ["site", "mpan"]);
  const postcode = requirePostcode(input.site.postcode, ["site", "postcode"]);
  // No assets is allowed (the published API sets no minimum): the site alone is registered.
  const seen = new Map<string, number>();
  const duplicates: FieldIssue[] = [];
  const checked = input.assets.map((asset, index) => {
    if (seen.has(asset.externalId)) {
      duplicates.push({ path: ["assets", index, "external_id"], message: "Each asset's external_id must be unique within the request", type: "value_error" });
    }
    seen.set(asset.externalId, index);
    const { properties, ignoredKeys } = checkAssetProperties(asset.type, asset.properties, ["assets", index, "properties"]);
    return { asset, index, properties: asset.properties === undefined ? undefined : properties, ignoredKeys: [...(asset.ignoredPropertyKeys ?? []), ...ignoredKeys] };
  });
  if (duplicates.length > 0) throw invalid("Duplicate external_id in the request.", duplicates);

  return ctx.db.transaction(async (tx) => {
    const site = input.site;
    const [inserted] = await tx
      .insert(sites)
      .values({
        organisationId: ctx.orgId,
        mpan: mpan.mpan,
        mpanCheckDigitValid: mpan.checkDigitValid,
        postcode,
        streetAddress: site.streetAddress ?? null,
        email: site.email ?? null,
        gaveBoundaryMeterConsentAt: site.gaveBoundaryMeterConsentAt ?? null,
        isHalfHourlySettled: site.isHalfHourlySettled ?? null,
        ...(site.timeZone !== undefined ? { timeZone: site.timeZone } : {}),
      })
      .onConflictDoNothing({ target: [sites.organisationId, sites.mpan] })
      .returning();
    let siteRow: SiteRow;
    let siteFields: string[];
    if (inserted) {
      siteRow = inserted;
      siteFields = siteFieldsProvided(site);
    } else {
      // Another call may have created it a moment ago: wait for it and work on its row.
      const [existing] = await tx
        .select()
        .from(sites)
        .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.mpan, mpan.mpan)))
        .for("update")
        .limit(1);
      if (!existing) throw new Error("Site vanished between insert and lock");
      siteRow = existing;
      const { changes, fields } = siteChanges(existing, site, postcode);
      siteFields = fields;
      if (fields.length > 0) await tx.update(sites).set({ ...changes, updatedAt: new Date() }).where(eq(sites.id, existing.id));
    }

    const results: InitialiseResult["assets"] = [];
    const issues: FieldIssue[] = [];
    // Lock assets in a fixed order so two calls touching the same assets cannot deadlock.
    const inLockOrder = [...checked].sort((a, b) => (a.asset.externalId < b.asset.externalId ? -1 : a.asset.externalId > b.asset.externalId ? 1 : 0));
    for (const { asset, index, properties, ignoredKeys } of inLockOrder) {
      const warnings = ignoredKeys.map(ignoredPropertyWarning);
      const [created] = await tx
        .insert(assets)
        .values({
          organisationId: ctx.orgId,
          siteId: siteRow.id,
          externalId: asset.externalId,
          type: asset.type,
          properties: properties ?? {},
          assetModel: asset.assetModel ?? null,
          installationDate: asset.installationDate ?? null,
          serialNumber: asset.serialNumber ?? null,
          oem: asset.oem?.toLowerCase() ?? null,
          oemDeviceId: asset.oemDeviceId ?? null,
        })
        .onConflictDoNothing({ target: [assets.organisationId, assets.externalId] })
        .returning();
      if (created) {
        results[index] = { assetId: created.id, externalId: created.externalId, assetCreated: true, fieldsUpdated: assetFieldsProvided(asset), warnings };
        continue;
      }
      const [existing] = await tx
        .select()
        .from(assets)
        .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.externalId, asset.externalId)))
        .for("update")
        .limit(1);
      if (!existing) throw new Error("Asset vanished between insert and lock");
      if (existing.siteId !== siteRow.id) {
        issues.push({ path: ["assets", index, "external_id"], message: "An asset with this external_id is registered at another site", type: "value_error" });
        continue;
      }
      const merged = properties === undefined ? undefined : { ...existing.properties, ...properties };
      const { changes, fields } = assetChanges(existing, asset, merged);
      if (asset.type !== existing.type) {
        changes.type = asset.type;
        fields.unshift("type");
      }
      if (fields.length > 0) await tx.update(assets).set({ ...changes, updatedAt: new Date() }).where(eq(assets.id, existing.id));
      results[index] = { assetId: existing.id, externalId: existing.externalId, assetCreated: false, fieldsUpdated: fields, warnings };
    }
    // Throwing rolls back the whole transaction: a refused asset leaves nothing half-stored.
    if (issues.length > 0) throw invalid("Some assets could not be initialised.", issues);

    const { eligibility } = await refreshSiteEligibility(tx, ctx.orgId, siteRow.id);
    // A model name the catalogue does not know is a warning, not a refusal: the operator sees
    // it on the site and in Settings, and adding the model there re-evaluates the site.
    const catalogue = await lookupAssetModels(tx, ctx.orgId, input.assets.map((asset) => asset.assetModel));
    input.assets.forEach((asset, index) => {
      if (asset.assetModel !== undefined && asset.assetModel !== null && asset.assetModel.trim() !== "" && !catalogue.has(modelKey(asset.assetModel))) {
        results[index]?.warnings.push(UNKNOWN_ASSET_MODEL_WARNING);
      }
    });
    const siteWarnings = mpan.checkDigitValid ? [] : [MPAN_CHECK_DIGIT_WARNING];
    const changedAssets = results.filter((result) => result.assetCreated || result.fieldsUpdated.length > 0);
    if (inserted || siteFields.length > 0 || changedAssets.length > 0) {
      await recordAuditEvent({ ...ctx, db: tx }, {
        action: "site.initialised",
        targetType: "site",
        targetId: siteRow.id,
        details: {
          siteCreated: Boolean(inserted),
          fieldsUpdated: siteFields,
          assets: changedAssets.map((result) => ({ assetId: result.assetId, externalId: result.externalId, created: result.assetCreated, fieldsUpdated: result.fieldsUpdated })),
        },
      });
    }
    return {
      site: { siteId: siteRow.id, siteCreated: Boolean(inserted), fieldsUpdated: siteFields, warnings: siteWarnings },
      assets: results,
      eligibility,
    };
  });
}
