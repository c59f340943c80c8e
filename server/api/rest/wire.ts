// Service records in the dialects' wire shapes. Unknown fields are left out rather
// than sent as null, as the entities dialect does.
import type { z } from "zod";
import { assetTypeToWire, type assetResponseSchema } from "@/server/api/schemas/entities-asset";
import { omitNulls } from "@/server/api/schemas/entities-common";
import type { siteResponseSchema } from "@/server/api/schemas/entities-site";
import type { InitialiseResult } from "@/server/services/inventory/initialise";
import type { AssetRecord, SiteRecord } from "@/server/services/inventory/records";

export function siteToWire(site: SiteRecord): z.input<typeof siteResponseSchema> {
  return omitNulls({
    id: site.id,
    mpan: site.mpan,
    postcode: site.postcode,
    address: site.streetAddress,
    asset_ids: site.assets.map((asset) => asset.id),
    // Markets and dispatch consents arrive with the consent ledger; none are recorded yet.
    markets: [],
    dispatch_methods: [],
    tariff:
      site.tariff === null
        ? null
        : omitNulls({
            tariff_type: site.tariff.tariffType,
            tariff_cheap_start_time: site.tariff.cheapStartTime ?? null,
            tariff_cheap_end_time: site.tariff.cheapEndTime ?? null,
          }),
    gave_boundary_meter_consent_at: site.gaveBoundaryMeterConsentAt?.toISOString() ?? null,
    email: site.email,
    is_half_hourly_settled: site.isHalfHourlySettled,
    time_zone: site.timeZone,
    status: site.status,
  });
}

export function assetToWire(asset: AssetRecord): z.input<typeof assetResponseSchema> {
  return omitNulls({
    id: asset.id,
    external_id: asset.externalId,
    type: assetTypeToWire(asset.type),
    site_id: asset.siteId,
    properties: asset.properties,
    asset_model: asset.assetModel,
    installation_date: asset.installationDate,
    serial_number: asset.serialNumber,
    oem: asset.oem,
    oem_device_id: asset.oemDeviceId,
  });
}

export const parseDate = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

/** A site as sent by a partner (create, initialise, onboard), in the services' terms. */
export function siteFromWire(site: {
  mpan: string;
  postcode: string;
  street_address?: string;
  email?: string;
  gave_boundary_meter_consent_at?: string;
  is_half_hourly_settled?: boolean;
  time_zone?: string;
}) {
  return {
    mpan: site.mpan,
    postcode: site.postcode,
    streetAddress: site.street_address,
    email: site.email,
    gaveBoundaryMeterConsentAt: parseDate(site.gave_boundary_meter_consent_at),
    isHalfHourlySettled: site.is_half_hourly_settled,
    timeZone: site.time_zone,
  };
}

/** An asset's descriptive fields as sent by a partner, in the services' terms. */
export function assetDetailsFromWire<P>(asset: {
  properties?: P;
  asset_model?: string;
  installation_date?: string;
  serial_number?: string;
  oem?: string;
  oem_device_id?: string;
}) {
  return {
    properties: asset.properties,
    assetModel: asset.asset_model,
    installationDate: asset.installation_date,
    serialNumber: asset.serial_number,
    oem: asset.oem,
    oemDeviceId: asset.oem_device_id,
  };
}

/** A whole asset as sent to initialise or onboard. */
export function assetFromWire<T extends string, P>(asset: {
  external_id: string;
  type: T;
  properties?: P;
  asset_model?: string;
  installation_date?: string;
  serial_number?: string;
  oem?: string;
  oem_device_id?: string;
  ignored_property_keys?: string[];
}) {
  return { externalId: asset.external_id, type: asset.type, ...assetDetailsFromWire(asset), ignoredPropertyKeys: asset.ignored_property_keys };
}

/** The per-site and per-asset part of an initialise answer (initialise and onboard share it). */
export function initialiseResultToWire(result: InitialiseResult) {
  return {
    site: { site_id: result.site.siteId, site_created: result.site.siteCreated, fields_updated: result.site.fieldsUpdated, warnings: result.site.warnings },
    assets: result.assets.map((asset) => ({
      asset_id: asset.assetId,
      external_id: asset.externalId,
      asset_created: asset.assetCreated,
      fields_updated: asset.fieldsUpdated,
      warnings: asset.warnings,
    })),
  };
}
